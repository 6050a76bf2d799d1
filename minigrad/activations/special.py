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
def _dim(dim, ndim, name):
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(): dim must be an int, got {type(dim).__name__}")
    if ndim == 0:
        if dim in (0, -1):
            return None
    elif -ndim <= dim < ndim:
        return int(dim) % ndim
    raise ValueError(f"{name}(): dim {dim} is out of range for an input with {ndim} "
                     f"dimension(s) (valid: {-max(ndim, 1)} .. {max(ndim, 1) - 1})")


def _shifted(x, axis):
    """x - max(x) along axis; where the max is +inf the +inf entries become 0 and the
    rest -inf (the limit: +inf entries share the mass)."""
    m = np.max(x, axis=axis, keepdims=True)
    if np.any(np.isinf(m)):
        with np.errstate(invalid="ignore"):
            z = x - np.where(np.isinf(m), 0.0, m)
        pinf = np.isposinf(m)
        z = np.where(pinf, np.where(np.isposinf(x), 0.0, -np.inf), z)
        return z
    return x - m


def softmax_np(x, dim=-1):
    r"""Softmax :math:`\mathrm{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j - m}`,
    :math:`m = \max_j x_j` (numpy, no autograd)."""
    x = np.asarray(x, dtype=np.result_type(x, np.float64) if not isinstance(x, np.ndarray)
                   else None)
    axis = _dim(dim, x.ndim, "softmax")
    if axis is None:
        return np.where(np.isnan(x), x, 1.0)
    e = np.exp(_shifted(x, axis))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def log_softmax_np(x, dim=-1):
    r"""Log-softmax :math:`x_i - m - \log\sum_j e^{x_j - m}` (numpy, no autograd)."""
    x = np.asarray(x, dtype=np.result_type(x, np.float64) if not isinstance(x, np.ndarray)
                   else None)
    axis = _dim(dim, x.ndim, "log_softmax")
    if axis is None:
        return np.where(np.isnan(x), x, 0.0)
    z = _shifted(x, axis)
    with np.errstate(divide="ignore"):
        lse = np.log(np.exp(z).sum(axis=axis, keepdims=True))
    return z - lse


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
        return (y * (g - (g * y).sum(axis=axis, keepdims=True)),)

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
        return (g - np.exp(y) * g.sum(axis=axis, keepdims=True),)

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

    for f, src in ((t_softmax, softmax), (t_log_softmax, log_softmax), (t_softmin, softmin),
                   (t_rrelu, rrelu)):
        f.__doc__ = src.__doc__
        f.__name__ = src.__name__
        setattr(tensor_cls, src.__name__, f)
    value_cls.rrelu = t_rrelu

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
           "rrelu": rrelu}
    for k, src in (("softmax", softmax), ("log_softmax", log_softmax), ("softmin", softmin)):
        fns[k].__doc__ = src.__doc__ + "\n\nA list of Values gives a list of Values."
        fns[k].__name__ = k
    return fns


_ = math
