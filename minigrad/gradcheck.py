"""Check autograd against central finite differences.

``gradcheck(fn, inputs)`` returns the worst relative error between the gradient that
``backward()`` computes and the one central differences estimate, over every element of
every input. For a correct op on smooth inputs it is around 1e-9 or less (float64); a
wrong backward rule gives something of order 1e-1 to 1.

Example::

    >>> from minigrad import Tensor, gradcheck
    >>> x = Tensor([[0.5, -1.0], [2.0, 0.3]])
    >>> gradcheck(lambda t: (t * t).exp(), [x]) < 1e-6
    True
"""

import math
from numbers import Integral, Real

import numpy as np

from .scalar import Value
from .tensor import Tensor, no_grad

__all__ = ["gradcheck"]


def _check_args(inputs, eps, seed):
    if isinstance(inputs, (Tensor, Value)):
        inputs = [inputs]
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(
            "gradcheck: inputs must be a Tensor, a Value, or a non-empty list/tuple of them, "
            f"got {type(inputs).__name__}")
    kinds = {type(x) for x in inputs}
    if not (all(isinstance(x, Tensor) for x in inputs) or all(isinstance(x, Value)
                                                              for x in inputs)):
        names = sorted(k.__name__ for k in kinds)
        raise TypeError(f"gradcheck: inputs must be all Tensors or all Values, got {names}")
    if isinstance(eps, bool) or not isinstance(eps, Real) or not (0.0 < eps < math.inf):
        raise ValueError(f"gradcheck: eps must be a positive finite number, got {eps!r}")
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"gradcheck: seed must be a non-negative int, got {seed!r}")
    return list(inputs)


def _rel_err(a, n):
    """|a - n| / max(1, |a|, |n|), elementwise; NaN where either side is NaN or inf."""
    a = np.asarray(a, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(a - n) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(n)))
    return np.where(np.isfinite(a) & np.isfinite(n), err, np.nan)


def _worst(errors):
    """Largest error; NaN if any error is NaN (a non-finite gradient never passes)."""
    flat = np.concatenate([np.ravel(e) for e in errors]) if errors else np.zeros(0)
    if flat.size == 0:
        return 0.0
    if np.isnan(flat).any():
        return math.nan
    return float(flat.max())


def _step(x, eps):
    """Finite-difference step for an element of value x: eps * max(1, |x|)."""
    return eps * max(1.0, abs(x))


def _check_tensors(fn, inputs, eps, seed):
    # float64 leaf copies: finite differences need double precision; originals untouched
    leaves = [Tensor(np.array(x.data, dtype=np.float64), requires_grad=True) for x in inputs]
    out = fn(*leaves)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    shape = out.data.shape
    # project a non-scalar output onto a fixed random direction r: S(x) = sum(r * fn(x))
    r = np.random.default_rng(seed).standard_normal(shape)
    if not out.requires_grad:  # fn's output does not depend on the inputs at all
        analytic = [np.zeros_like(t.data) for t in leaves]
    else:
        out.backward(r)
        analytic = [np.zeros_like(t.data) if t.grad is None else np.asarray(t.grad, float)
                    for t in leaves]

    def project():
        with no_grad():
            y = fn(*leaves)
        if not isinstance(y, Tensor) or y.data.shape != shape:
            raise ValueError("gradcheck: fn's output changed type or shape between calls")
        with np.errstate(all="ignore"):
            return float(np.sum(r * np.asarray(y.data, dtype=np.float64)))

    errors = []
    for leaf, a in zip(leaves, analytic):
        data = leaf.data  # fn reads .data at call time: perturb it in place, then restore
        numeric = np.empty_like(data)
        flat, nflat = data.reshape(-1), numeric.reshape(-1)
        for j in range(flat.size):
            x = flat[j]
            h = _step(x, eps)
            flat[j] = x + h
            up, hi = project(), flat[j]
            flat[j] = x - h
            down, lo = project(), flat[j]
            flat[j] = x
            nflat[j] = (up - down) / (hi - lo)
        errors.append(_rel_err(a, numeric))
    return _worst(errors)


def _check_values(fn, inputs, eps):
    xs = [float(v.data) for v in inputs]
    leaves = [Value(x) for x in xs]
    out = fn(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value, got {type(out).__name__}")
    out.backward()
    analytic = [v.grad for v in leaves]

    def f(values):
        y = fn(*[Value(x) for x in values])
        if not isinstance(y, Value):
            raise TypeError(f"gradcheck: fn must return a Value, got {type(y).__name__}")
        return y.data

    errors = []
    for i, x in enumerate(xs):
        h = _step(x, eps)
        up, down = list(xs), list(xs)
        up[i], down[i] = x + h, x - h
        with np.errstate(all="ignore"):
            numeric = (f(up) - f(down)) / (up[i] - down[i])
        errors.append(_rel_err(analytic[i], numeric))
    return _worst(errors)


def gradcheck(fn, inputs, eps=1e-6, seed=0):
    """Worst relative error between autograd and central finite differences.

    ``fn`` takes the inputs (Tensors, or Values) as positional arguments and returns a
    Tensor of any shape (or a Value). A non-scalar output is projected onto a fixed random
    direction ``r`` (standard normal, from ``numpy.random.default_rng(seed)``), i.e. the
    checked function is ``S(x) = sum(r * fn(x))``, whose gradient ``backward(r)`` gives.

    For every element ``x_j`` of every input, with step ``h = eps * max(1, |x_j|)``::

        numeric_j  = (S(x + h e_j) - S(x - h e_j)) / (2 h)
        error_j    = |analytic_j - numeric_j| / max(1, |analytic_j|, |numeric_j|)

    and the result is ``max_j error_j`` (absolute error for gradients below 1, relative
    above). It is ``nan`` if any gradient is NaN or infinite.

    Tensor inputs are copied to float64 leaves with ``requires_grad=True`` (finite
    differences need double precision); the arguments themselves are not modified.
    ``fn`` is called ``2 * (number of elements) + 1`` times, so keep inputs small.
    Evaluate away from kinks (``relu`` at 0, ``abs`` at 0): there the two sides differ.
    """
    inputs = _check_args(inputs, eps, seed)
    eps = float(eps)
    if isinstance(inputs[0], Value):
        return _check_values(fn, inputs, eps)
    return _check_tensors(fn, inputs, eps, seed)
