"""Non-elementwise activations, each with its own backward: softmax, log_softmax, softmin
(over any dim, max-subtracted), maxout, glu, apl, and RReLU's random training mode.

Each still has a catalog entry (so the book's table lists it); the functions here are
attached to ``Tensor`` / ``Value`` by :func:`bind`. ``Value`` versions of the vector
functions take a list of Values and return a list of Values.
"""

from __future__ import annotations

import math

import numpy as np

from ..scalar import Value
from ..tensor import Tensor
from .bind import tensor_apply
from .catalog import lookup
from .numerics import _dim, log_softmax_np, softmax_np

__all__ = [
    "log_softmax",
    "manual_seed",
    "rrelu",
    "softmax",
    "softmin",
    "value_log_softmax",
    "value_softmax",
    "value_softmin",
]

#: entries whose Value/Tensor methods are written here rather than derived generically
OVERRIDES = {"rrelu", "softmax", "log_softmax", "softmin", "maxout", "glu", "apl"}



# ----------------------------------------------------------------- softmax family
def softmax(x: Tensor, dim: int = -1) -> Tensor:
    r"""Softmax over ``dim``: :math:`y_i = e^{x_i - m} / \sum_j e^{x_j - m}`.

    Backward: :math:`\partial L/\partial x = y \odot (g - \sum_j g_j y_j)`. Smooth
    everywhere; values in (0, 1) summing to 1; -inf entries get probability 0.
    """
    x = _tensor(x)
    axis = _dim(dim, x.data.ndim, "softmax")
    y = softmax_np(x.data, dim)

    def backward(g):
        if axis is None:
            return (np.zeros_like(g),)
        gx = g - (g * y).sum(axis=axis, keepdims=True)
        gx *= y                                      # y (g - sum(g y)), in place
        return (gx,)

    return Tensor._make(y, (x,), backward, "softmax")


def log_softmax(x: Tensor, dim: int = -1) -> Tensor:
    r"""Log-softmax over ``dim``: :math:`y_i = x_i - m - \log \sum_j e^{x_j - m}`.

    Backward: :math:`\partial L/\partial x = g - e^{y} \sum_j g_j`. Finite for any finite
    input (no log of 0): the cross-entropy loss is built on it.
    """
    x = _tensor(x)
    axis = _dim(dim, x.data.ndim, "log_softmax")
    y = log_softmax_np(x.data, dim)

    def backward(g):
        if axis is None:
            return (np.zeros_like(g),)
        gx = np.exp(y)
        gx *= -g.sum(axis=axis, keepdims=True)
        gx += g                                      # g - e^y sum(g), in place
        return (gx,)

    return Tensor._make(y, (x,), backward, "log_softmax")


def softmin(x: Tensor, dim: int = -1) -> Tensor:
    r"""Softmin over ``dim``: :math:`\mathrm{softmax}(-x)`."""
    x = _tensor(x)
    return softmax(-x, dim)


def _values(xs, name):
    xs = list(xs)
    if not xs:
        raise ValueError(f"{name}() of an empty list")
    return [v if isinstance(v, Value) else Value(v) for v in xs]


def value_softmax(xs):
    r"""Softmax of a list of Values; returns a list of Values.

    Each output :math:`y_i` is one node with every input as a parent and local
    derivatives :math:`\partial y_i/\partial x_j = y_i(\delta_{ij} - y_j)`.
    """
    xs = _values(xs, "softmax")
    y = softmax_np(np.array([v.data for v in xs]))
    t = tuple(xs)
    return [Value._node(float(y[i]), t,
                        tuple(float(y[i] * ((i == j) - y[j])) for j in range(len(xs))),
                        "softmax") for i in range(len(xs))]


def value_log_softmax(xs):
    r"""Log-softmax of a list of Values: :math:`\partial y_i/\partial x_j = \delta_{ij} -
    \mathrm{softmax}(x)_j`."""
    xs = _values(xs, "log_softmax")
    y = log_softmax_np(np.array([v.data for v in xs]))
    p = np.exp(y)
    t = tuple(xs)
    return [Value._node(float(y[i]), t,
                        tuple(float((i == j) - p[j]) for j in range(len(xs))),
                        "log_softmax") for i in range(len(xs))]


def value_softmin(xs):
    """Softmin of a list of Values: softmax of their negatives."""
    return value_softmax([-v for v in _values(xs, "softmin")])


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


# --------------------------------------------------------------------------- RReLU
_DEFAULT_RNG = np.random.default_rng(0)


def manual_seed(seed: int) -> None:
    """Reseed the generator RReLU uses in training when none is passed."""
    global _DEFAULT_RNG
    _DEFAULT_RNG = np.random.default_rng(seed)


def _rng(generator):
    if generator is None:
        return _DEFAULT_RNG
    if isinstance(generator, np.random.Generator):
        return generator
    if isinstance(generator, (int, np.integer)) and not isinstance(generator, bool):
        return np.random.default_rng(int(generator))
    raise TypeError(f"rrelu(): generator must be a numpy Generator, an int seed or None, "
                    f"got {type(generator).__name__}")


def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0, training=False, generator=None):
    r"""Randomized leaky ReLU: :math:`f(x) = x` for :math:`x \ge 0`, :math:`a x` otherwise.

    Training: one slope per element drawn from :math:`U(\text{lower}, \text{upper})` with
    ``generator`` (a numpy Generator, an int seed, or None for the module's seeded
    generator, see :func:`manual_seed`); the gradient for x < 0 is that slope.
    Evaluation: :math:`a = (\text{lower} + \text{upper})/2` (PyTorch's convention, and
    not a Gaussian as the source note says).
    """
    entry = lookup("rrelu")
    p = entry.resolve((lower, upper), None)
    if isinstance(x, Value):
        if not training:
            return x.leaky_relu((p["lower"] + p["upper"]) / 2.0)
        a = float(_rng(generator).uniform(p["lower"], p["upper"]))
        return x.leaky_relu(a) if x.data < 0 else x.leaky_relu(1.0)
    x = _tensor(x)
    if not training:
        return tensor_apply(lookup("leaky_relu"), x,
                            {"negative_slope": (p["lower"] + p["upper"]) / 2.0})
    xd = x.data
    a = _rng(generator).uniform(p["lower"], p["upper"], size=xd.shape).astype(xd.dtype)
    slope = np.where(xd >= 0, 1.0, a).astype(xd.dtype)
    y = xd * slope
    return Tensor._make(y, (x,), lambda g: (g * slope,), "rrelu")


# --------------------------------------------------------------------------- maxout
def maxout(x, k: int = 2) -> Tensor:
    r"""Maxout over groups of ``k`` consecutive features of the last dim:
    :math:`y_{\dots, i} = \max_{0 \le j < k} x_{\dots, ik + j}`.

    Output has ``features // k`` features. The gradient goes to the winning piece; on a
    tie it goes to the first maximal piece only (numpy's argmax), so the gradient sums
    stay exact. ``k`` must be an int >= 1 dividing the number of features (ValueError).
    A list of Values gives a list of Values.
    """
    k = lookup("maxout").resolve((k,), None)["k"]
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], Value):
        xs = _values(x, "maxout")
        if len(xs) % k:
            raise ValueError(f"maxout(): {len(xs)} values are not divisible by k={k}")
        out = []
        for i in range(0, len(xs), k):
            grp = xs[i:i + k]
            j = max(range(k), key=lambda m: (grp[m].data, -m))
            if any(math.isnan(v.data) for v in grp):
                out.append(Value._node(math.nan, tuple(grp), (math.nan,) * k, "maxout"))
                continue
            out.append(Value._node(grp[j].data, tuple(grp),
                                   tuple(1.0 if m == j else 0.0 for m in range(k)), "maxout"))
        return out
    x = _tensor(x)
    xd = x.data
    if xd.ndim == 0 or xd.shape[-1] % k:
        raise ValueError(f"maxout(): the number of features ({xd.shape[-1] if xd.ndim else 0})"
                         f" must be divisible by k={k}")
    grouped = xd.reshape(xd.shape[:-1] + (xd.shape[-1] // k, k))
    idx = np.argmax(grouped, axis=-1)[..., None]
    y = np.take_along_axis(grouped, idx, axis=-1)[..., 0]

    def backward(g):
        gx = np.zeros_like(grouped)
        np.put_along_axis(gx, idx, g[..., None], axis=-1)
        return (gx.reshape(xd.shape),)

    return Tensor._make(y, (x,), backward, "maxout")


# ------------------------------------------------------------------------------ glu
def glu(x, dim: int = -1) -> Tensor:
    r"""Gated linear unit: split ``x`` in halves :math:`a, b` along ``dim``,
    :math:`y = a \otimes \sigma(b)`. Backward: :math:`g\,\sigma(b)` for a,
    :math:`g\,a\,\sigma(b)\sigma(-b)` for b. The size of ``dim`` must be even."""
    from .numerics import sigmoid, sigmoid_pair
    x = _tensor(x)
    xd = x.data
    axis = _dim(dim, xd.ndim, "glu")
    if axis is None or xd.shape[axis] % 2:
        raise ValueError(f"glu(): dimension {dim} must have an even size, input shape "
                         f"{xd.shape}")
    a, b = np.split(xd, 2, axis=axis)
    s = sigmoid(b)
    with np.errstate(invalid="ignore"):   # inf * 0 (a = inf, b = -inf): no limit, NaN
        y = (a * s).astype(xd.dtype, copy=False)

    def backward(g):
        sp, sm = sigmoid_pair(b)
        return (np.concatenate([g * sp, g * a * sp * sm], axis=axis).astype(xd.dtype),)

    return Tensor._make(y, (x,), backward, "glu")


# ------------------------------------------------------------------------------ APL
def apl(x, a=None, b=None):
    r"""Adaptive piecewise linear unit: :math:`f(x) = \max(0, x) + \sum_s a^s
    \max(0, -x + b^s)`.

    ``a`` and ``b`` (numbers, arrays or Tensors for learning) have shape (S,) — one set
    of S hinges shared by all units — or (S, *features) with features = x.shape[1:]
    (the paper's per-unit :math:`a_i^s, b_i^s`). Gradients: :math:`\partial f/\partial
    a^s = \max(0, b^s - x)`, :math:`\partial f/\partial b^s = a^s \mathbb{1}[x < b^s]`,
    summed over the batch. A Value input takes lists/Values for a and b.
    """
    entry = lookup("apl")
    if a is None:
        a = entry.param("a").default
    if b is None:
        b = entry.param("b").default
    if isinstance(x, Value):
        av = [v if isinstance(v, Value) else Value(v) for v in np.ravel(
            a if not isinstance(a, Value) else [a]).tolist()] if not isinstance(a, list) \
            else [v if isinstance(v, Value) else Value(v) for v in a]
        bv = [v if isinstance(v, Value) else Value(v) for v in (
            b if isinstance(b, list) else np.ravel(b).tolist())]
        if len(av) != len(bv):
            raise ValueError(f"apl(): a and b must have the same length, got {len(av)} and "
                             f"{len(bv)}")
        ad = np.array([v.data for v in av])
        bd = np.array([v.data for v in bv])
        p = entry.resolve((ad, bd), None)
        xx = x.data
        y = float(entry.forward(xx, **p))
        local = [float(entry.derivative(xx, y, **p))]
        local += [max(0.0, bs - xx) for bs in bd]
        local += [float(aa) * (1.0 if xx < bs else 0.0) for aa, bs in zip(ad, bd)]
        return Value._node(y, (x, *av, *bv), tuple(local), "apl")
    x = _tensor(x)
    p = entry.resolve((a, b), None, lambda v: v.data if isinstance(v, Tensor) else v)
    ad = a.data if isinstance(a, Tensor) else np.asarray(p["a"], dtype=np.float64)
    bd = b.data if isinstance(b, Tensor) else np.asarray(p["b"], dtype=np.float64)
    xd = x.data
    if ad.ndim > 1 and ad.shape[1:] != xd.shape[xd.ndim - (ad.ndim - 1):]:
        raise ValueError(f"apl(): per-unit parameters of shape {ad.shape} do not match the "
                         f"input's features {xd.shape}")
    y = np.asarray(entry.forward(xd, ad, bd)).astype(xd.dtype, copy=False)
    parents = [x] + [t for t in (a, b) if isinstance(t, Tensor)]

    def backward(g):
        grads = [(g * entry.derivative(xd, y, ad, bd)).astype(xd.dtype, copy=False)]
        B = np.asarray(_apl_b(bd, xd))
        A = np.asarray(_apl_b(ad, xd))
        for t, d in ((a, np.maximum(B - xd, 0.0)), (b, A * np.heaviside(B - xd, 0.0))):
            if isinstance(t, Tensor):
                gd = g * d          # (S, *x.shape)
                lead = xd.ndim - (t.data.ndim - 1)
                gd = gd.sum(axis=tuple(range(1, 1 + lead)))
                grads.append(gd.reshape(t.data.shape))
        return tuple(grads)

    return Tensor._make(y, tuple(parents), backward, "apl")


def _apl_b(p, x):
    from .catalog import _apl_shape
    return _apl_shape(p, x)


# -------------------------------------------------------------------------- binding
def bind(value_cls, tensor_cls):
    """Attach the special functions; returns the F-level functions."""
    def t_softmax(self, dim=-1):
        return softmax(self, dim)

    def t_log_softmax(self, dim=-1):
        return log_softmax(self, dim)

    def t_softmin(self, dim=-1):
        return softmin(self, dim)

    def t_rrelu(self, lower=1.0 / 8.0, upper=1.0 / 3.0, training=False, generator=None):
        return rrelu(self, lower, upper, training, generator)

    def t_maxout(self, k=2):
        return maxout(self, k)

    def t_glu(self, dim=-1):
        return glu(self, dim)

    def t_apl(self, a=None, b=None):
        return apl(self, a, b)

    for f, src in ((t_softmax, softmax), (t_log_softmax, log_softmax), (t_softmin, softmin),
                   (t_rrelu, rrelu), (t_maxout, maxout), (t_glu, glu), (t_apl, apl)):
        f.__doc__ = src.__doc__
        f.__name__ = src.__name__
        setattr(tensor_cls, src.__name__, f)
    value_cls.rrelu = t_rrelu
    value_cls.apl = t_apl

    def f_softmax(x, dim=-1):
        if isinstance(x, (list, tuple)) and x and isinstance(x[0], Value):
            return value_softmax(x)
        return softmax(x, dim)

    def f_log_softmax(x, dim=-1):
        if isinstance(x, (list, tuple)) and x and isinstance(x[0], Value):
            return value_log_softmax(x)
        return log_softmax(x, dim)

    def f_softmin(x, dim=-1):
        if isinstance(x, (list, tuple)) and x and isinstance(x[0], Value):
            return value_softmin(x)
        return softmin(x, dim)

    fns = {"softmax": f_softmax, "log_softmax": f_log_softmax, "softmin": f_softmin,
           "rrelu": rrelu, "maxout": maxout, "glu": glu, "apl": apl}
    for k, src in (("softmax", softmax), ("log_softmax", log_softmax), ("softmin", softmin)):
        fns[k].__doc__ = src.__doc__ + "\n\nA list of Values gives a list of Values."
        fns[k].__name__ = k
    return fns


_ = math
