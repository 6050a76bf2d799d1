"""Loss functions: MSE, L1, binary cross-entropy from logits, cross-entropy from logits, hinge.

Each loss is one fused :class:`~minigrad.Tensor` op (``Tensor._make``) with its own
backward rule: fast (one node in the graph instead of a dozen) and numerically stable
(the logits are never turned into probabilities and back). Every loss takes
``reduction``: ``"mean"`` (the default; the mean of an empty batch is NaN, as in
PyTorch), ``"sum"``, or ``"none"`` (the per-element losses).

Inputs may be Tensors, numpy arrays or nested lists; targets too. A target Tensor that
requires grad gets a gradient where the loss is differentiable in it (MSE, L1, BCE,
soft-target cross-entropy), as in PyTorch.

Example
-------
>>> from minigrad import Tensor, losses
>>> z = Tensor([[2.0, 0.0, -1.0]], requires_grad=True)
>>> loss = losses.cross_entropy(z, [0])
>>> loss.backward()                  # d loss / d z = softmax(z) - onehot(target)
>>> round(loss.item(), 4), z.grad.round(3).tolist()
(0.1698, [[-0.156, 0.114, 0.042]])
"""

from __future__ import annotations

import numbers

import numpy as np

from .activations.numerics import log_softmax_np
from .tensor import Tensor

__all__ = [
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_loss",
    "l1_loss",
    "max_margin_loss",
    "mse_loss",
    "nll_loss",
]

_REDUCTIONS = ("mean", "sum", "none")


def _tensor(x, name: str, like: Tensor | None = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    try:
        return Tensor(x, dtype=like.dtype if like is not None else None)
    except TypeError as e:
        raise TypeError(f"{name} must be a Tensor or numeric array-like: {e}") from None


def _check_reduction(reduction) -> str:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def _same_shape(fn: str, input: Tensor, target: Tensor) -> None:
    if input.shape != target.shape:
        raise ValueError(
            f"{fn}: input shape {input.shape} and target shape {target.shape} differ; "
            "give them the same shape (e.g. target.reshape(input.shape)) -- broadcasting "
            "them would silently compare every input with every target"
        )


def _reduced(fn: str, per_elem: np.ndarray, parents, grads, reduction: str) -> Tensor:
    """Reduce the per-element loss and build the node.

    ``grads`` holds one per-element local derivative d(loss_i)/d(parent_i) (or None) per
    parent; the backward multiplies it by the upstream gradient (and 1/n for the mean).
    """
    dtype = per_elem.dtype
    with np.errstate(all="ignore"):
        if reduction == "none":
            out = per_elem
        elif reduction == "sum":
            out = per_elem.sum()
        else:
            out = per_elem.sum() / dtype.type(per_elem.size)
    n = per_elem.size

    def backward(g):
        with np.errstate(all="ignore"):
            if reduction == "mean":
                g = g / dtype.type(n)
            g = np.asarray(g)
            return tuple(None if d is None else g.reshape(g.shape + (1,) * (d.ndim - g.ndim)) * d
                         for d in grads)

    return Tensor._make(np.asarray(out, dtype=dtype), parents, backward, fn)


# ---------------------------------------------------------------- regression

def mse_loss(input, target, reduction: str = "mean") -> Tensor:
    r"""Mean squared error, :math:`\ell_i = (x_i - y_i)^2`, averaged (or summed) over i.

    Gradient: :math:`\partial \ell_i / \partial x_i = 2 (x_i - y_i)`. ``input`` and
    ``target`` must have the same shape.
    """
    reduction = _check_reduction(reduction)
    x = _tensor(input, "input")
    y = _tensor(target, "target", like=x)
    _same_shape("mse_loss", x, y)
    with np.errstate(all="ignore"):
        d = x.data - y.data
        per = d * d
        dx = 2 * d
    return _reduced("mse_loss", per, (x, y),
                    (dx if x.requires_grad else None, -dx if y.requires_grad else None),
                    reduction)


def l1_loss(input, target, reduction: str = "mean") -> Tensor:
    r"""Mean absolute error, :math:`\ell_i = |x_i - y_i|`; gradient :math:`\mathrm{sign}(x_i - y_i)`
    (0 where :math:`x_i = y_i`, as in PyTorch)."""
    reduction = _check_reduction(reduction)
    x = _tensor(input, "input")
    y = _tensor(target, "target", like=x)
    _same_shape("l1_loss", x, y)
    with np.errstate(all="ignore"):
        d = x.data - y.data
        s = np.sign(d)
    return _reduced("l1_loss", np.abs(d), (x, y),
                    (s if x.requires_grad else None, -s if y.requires_grad else None),
                    reduction)


# ---------------------------------------------------------------- classification

def binary_cross_entropy_with_logits(input, target, reduction: str = "mean") -> Tensor:
    r"""Binary cross-entropy of the logits ``z = input`` against targets ``y`` in [0, 1].

    .. math::

        \ell_i = -y_i \log \sigma(z_i) - (1 - y_i) \log(1 - \sigma(z_i))
               = \max(z_i, 0) - z_i y_i + \log(1 + e^{-|z_i|})

    The right-hand form never overflows: at :math:`z = \pm 10^4` it gives the exact
    answer (0 or :math:`10^4`), and :math:`z = \pm\infty` gives the limit (0 or inf).
    Gradient: :math:`\partial \ell_i / \partial z_i = \sigma(z_i) - y_i`
    (:math:`-z_i` with respect to :math:`y_i`).
    """
    reduction = _check_reduction(reduction)
    z = _tensor(input, "input")
    y = _tensor(target, "target", like=z)
    _same_shape("binary_cross_entropy_with_logits", z, y)
    zd, yd = z.data, y.data
    if np.any((yd < 0) | (yd > 1)):
        bad = yd[(yd < 0) | (yd > 1)][0]
        raise ValueError(
            f"binary_cross_entropy_with_logits: targets must lie in [0, 1], found {bad:g} "
            "(labels in {-1, +1}? use (y + 1) / 2, or hinge_loss)"
        )
    with np.errstate(all="ignore"):
        # max(z,0) - z*y written as (1-y)*max(z,0) + y*max(-z,0), each product skipped
        # where its coefficient is 0, so that z = +-inf gives the limit and no 0*inf.
        w_pos, w_neg = 1 - yd, yd
        per = np.log1p(np.exp(-np.abs(zd)))
        per = per + np.multiply(w_pos, np.maximum(zd, 0), where=w_pos != 0,
                                out=np.zeros_like(per))
        per = per + np.multiply(w_neg, np.maximum(-zd, 0), where=w_neg != 0,
                                out=np.zeros_like(per))
        # sigma(z) - y, as (1 - y) - sigma(-|z|) for z >= 0: keeps the tiny gradient of
        # a confidently right logit (sigma(40) - 1 = -4.2e-18, not 0)
        small = np.exp(-np.abs(zd))
        small = small / (1 + small)
        dz = np.where(zd >= 0, (1 - yd) - small, small - yd) if z.requires_grad else None
        dy = -zd if y.requires_grad else None
    return _reduced("binary_cross_entropy_with_logits", per, (z, y), (dz, dy), reduction)


def _class_targets(target, n: int, n_classes: int, fn: str) -> np.ndarray:
    """Integer class indices of shape (n,) from ints, or floats with integer values."""
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "iuf" or t.dtype == np.bool_:
        raise TypeError(f"{fn}: class targets must be integers, got dtype {t.dtype}")
    if t.dtype.kind == "f" and (not np.all(np.isfinite(t)) or np.any(t != np.round(t))):
        raise TypeError(
            f"{fn}: float targets of shape {t.shape} must hold whole class indices "
            "(for class probabilities give them the logits' shape)"
        )
    t = t.astype(np.int64)
    if t.shape != (n,) and not (n == 1 and t.shape == ()):
        raise ValueError(f"{fn}: expected {n} class indices, got targets of shape {t.shape}")
    t = t.reshape(n)
    bad = (t < 0) | (t >= n_classes)
    if np.any(bad):
        raise ValueError(
            f"{fn}: target {t[bad][0]} is out of range for {n_classes} classes "
            f"(valid: 0..{n_classes - 1})"
        )
    return t


def cross_entropy(input, target, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    r"""Cross-entropy of logits against class indices (or class probabilities).

    ``input``: logits of shape ``(N, C)`` (or ``(C,)`` for one sample). ``target``:
    ``N`` integer class indices (shape ``(N,)``, or a scalar for one sample), or class
    probabilities of the same shape as ``input``. With the log-softmax
    :math:`\log p_{ic} = z_{ic} - m_i - \log \sum_k e^{z_{ik} - m_i}`,
    :math:`m_i = \max_k z_{ik}` (the max subtraction keeps it finite for logits of any
    size):

    .. math::

        \ell_i = -\log p_{i, t_i} \quad\text{(indices)}, \qquad
        \ell_i = -\sum_c q_{ic} \log p_{ic} \quad\text{(probabilities)}

    Gradient: :math:`\partial \ell_i / \partial z_{ic} = p_{ic} \sum_k q_{ik} - q_{ic}`,
    i.e. ``softmax - onehot`` for indices. ``label_smoothing`` = ε mixes the targets
    with the uniform distribution, :math:`q \leftarrow (1 - ε) q + ε / C` (PyTorch's
    definition). The log-softmax is the catalog's (``F.log_softmax``, one definition), so
    extremes follow it: a logit of ``-inf`` (a masked class) is fine; ``+inf`` logits
    take the limit (they share probability 1: loss 0 for such a target, inf for any
    other; PyTorch gives NaN); NaN gives NaN.
    """
    reduction = _check_reduction(reduction)
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, numbers.Real):
        raise TypeError(f"label_smoothing must be a number, got {label_smoothing!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    z = _tensor(input, "input")
    if z.ndim not in (1, 2):
        raise ValueError(
            f"cross_entropy expects logits of shape (N, C) or (C,), got shape {z.shape}")
    single = z.ndim == 1
    zd = z.data.reshape(1, -1) if single else z.data
    n, c = zd.shape
    if c == 0:
        raise ValueError("cross_entropy needs at least one class, got logits with C = 0")
    t_arr = target.data if isinstance(target, Tensor) else np.asarray(target)
    soft = t_arr.shape == z.shape and t_arr.dtype.kind == "f" and not (single and c == 1)
    with np.errstate(all="ignore"):
        logp = log_softmax_np(zd, dim=-1)     # the catalog's one definition
        probs = np.exp(logp)
        if soft:
            y = _tensor(target, "target", like=z)
            q = y.data.reshape(n, c)
            if label_smoothing:
                q = (1 - label_smoothing) * q + label_smoothing / c
            per = -np.sum(q * logp, axis=-1)
            dz = probs * q.sum(axis=-1, keepdims=True) - q
            dy = None
            if y.requires_grad:
                dy = (-logp * (1 - label_smoothing)).reshape(z.shape)
            parents = (z, y)
        else:
            t = _class_targets(target, n, c, "cross_entropy")
            rows = np.arange(n)
            per = -logp[rows, t]
            dz = probs.copy()
            dz[rows, t] -= 1
            if label_smoothing:
                eps = label_smoothing
                per = (1 - eps) * per - eps * logp.mean(axis=-1)
                dz = probs - eps / c
                dz[rows, t] -= 1 - eps
            parents, dy = (z,), None
    per = per.astype(zd.dtype, copy=False)
    if single:
        # the backward multiplies g (a scalar or shape (1,)) by dz of shape (1, C)
        dz = dz.reshape(c)
        per = per.reshape(())
    grads = (dz, dy)[: len(parents)]
    return _reduced("cross_entropy", per, parents, grads, reduction)


def nll_loss(input, target, reduction: str = "mean") -> Tensor:
    r"""Negative log-likelihood of log-probabilities, :math:`\ell_i = -\mathrm{input}_{i, t_i}`.

    ``input`` has shape ``(N, C)`` (log-probabilities, e.g. from ``log_softmax``),
    ``target`` holds ``N`` class indices. ``nll_loss(log_softmax(z), t)`` equals
    ``cross_entropy(z, t)``. Gradient: -1 at the target entry, 0 elsewhere.
    """
    reduction = _check_reduction(reduction)
    x = _tensor(input, "input")
    if x.ndim != 2:
        raise ValueError(f"nll_loss expects input of shape (N, C), got shape {x.shape}")
    n, c = x.shape
    t = _class_targets(target, n, c, "nll_loss")
    rows = np.arange(n)
    d = np.zeros_like(x.data)
    d[rows, t] = -1
    return _reduced("nll_loss", -x.data[rows, t], (x,), (d,), reduction)


def hinge_loss(input, target, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    r"""Hinge (max-margin) loss for labels :math:`y_i \in \{-1, +1\}`:
    :math:`\ell_i = \max(0, \text{margin} - y_i s_i)`.

    The loss of micrograd's demo (``(1 + -yi * scorei).relu()``, averaged).
    Subgradient: :math:`-y_i` where :math:`\text{margin} - y_i s_i > 0`, else 0 (0 at the
    kink, like ``relu``).
    """
    reduction = _check_reduction(reduction)
    if isinstance(margin, bool) or not isinstance(margin, numbers.Real):
        raise TypeError(f"margin must be a number, got {margin!r}")
    s = _tensor(input, "input")
    y = _tensor(target, "target", like=s)
    _same_shape("hinge_loss", s, y)
    if not np.all((y.data == 1) | (y.data == -1)):
        bad = y.data[(y.data != 1) & (y.data != -1)][0]
        raise ValueError(
            f"hinge_loss: targets must be -1 or +1, found {bad:g} (labels in {{0, 1}}? use 2*y - 1)"
        )
    yd = y.data
    with np.errstate(all="ignore"):
        m = margin - yd * s.data
        per = np.maximum(m, 0)
        ds = np.where(m > 0, -yd, 0.0).astype(s.dtype, copy=False)
    return _reduced("hinge_loss", per, (s,), (ds,), reduction)


max_margin_loss = hinge_loss
