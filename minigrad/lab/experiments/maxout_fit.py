"""Maxout fitting (the source's section 4.9): one maxout unit on a 1-D target.

A single maxout unit with ``k`` pieces computes ``h(x) = max_j (w_j x + b_j)``: a convex,
piecewise-linear function of ``x``. This module trains such units with minigrad's autograd
(Adam on the mean squared error over a grid of the interval) and measures how well they
fit a target.

* :func:`fit_maxout` trains one unit; :func:`fit_maxout_many` trains many (several targets,
  several ``k``) at once in one batched graph. The models share nothing: the loss is a sum
  of independent per-model losses, and Adam scales every parameter on its own, so the result
  for each model is the one it would get alone.
* :func:`minimax_error_square` is the best possible uniform error for ``x**2`` on
  ``[-a, a]`` with ``k`` pieces, ``a**2 / (2 k**2)``, and :func:`minimax_pieces_square`
  builds the unit that attains it.
* :func:`fit_maxout_difference` trains ``max_j(...) - max_j(...)``: the difference of two
  maxout units, which can fit non-convex targets such as ``sin``.

Example
-------
>>> r = fit_maxout("square", k=4, steps=300)
>>> r.max_error < 0.5
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...optim import Adam
from ...tensor import Tensor

__all__ = [
    "TARGETS",
    "MaxoutDifferenceFit",
    "MaxoutFit",
    "error_markdown",
    "fit_maxout",
    "fit_maxout_difference",
    "fit_maxout_many",
    "maxout_eval",
    "minimax_error_square",
    "minimax_pieces_square",
]

#: The 1-D targets the book fits, by name.
TARGETS = {
    "square": lambda x: x * x,
    "abs": np.abs,
    "relu": lambda x: np.maximum(x, 0.0),
    "exp": np.exp,
    "sin": np.sin,
}

_MASKED = -1e300   # added to unused pieces in a batch: they never win the max


def _target_fn(target):
    if callable(target):
        return target
    try:
        return TARGETS[target]
    except KeyError:
        raise ValueError(f"unknown target {target!r}; choose one of {sorted(TARGETS)} "
                         "or pass a function") from None


def maxout_eval(x, weights, biases) -> np.ndarray:
    """``max_j (weights[j] * x + biases[j])`` for a 1-D array ``x`` (numpy, no graph)."""
    x = np.asarray(x, dtype=np.float64)
    return np.max(x[:, None] * np.asarray(weights)[None, :] + np.asarray(biases)[None, :],
                  axis=1)


@dataclass(frozen=True)
class MaxoutFit:
    """A trained maxout unit and its fit on the training grid."""

    target: str
    k: int
    x: np.ndarray            #: the grid the unit was trained on
    y_true: np.ndarray       #: the target on the grid
    y_fit: np.ndarray        #: the unit's output on the grid
    weights: np.ndarray      #: slopes w_j, shape (k,)
    biases: np.ndarray       #: intercepts b_j, shape (k,)
    initial_weights: np.ndarray
    initial_biases: np.ndarray
    loss_history: np.ndarray = field(repr=False)

    @property
    def max_error(self) -> float:
        """Largest absolute error on the grid (the uniform error)."""
        return float(np.max(np.abs(self.y_fit - self.y_true)))

    @property
    def wins(self) -> np.ndarray:
        """For each piece, the number of grid points where it is the maximum."""
        z = self.x[:, None] * self.weights[None, :] + self.biases[None, :]
        return np.bincount(np.argmax(z, axis=1), minlength=self.k)

    @property
    def initial_wins(self) -> np.ndarray:
        """``wins`` for the pieces as initialised, before training."""
        z = self.x[:, None] * self.initial_weights[None, :] + self.initial_biases[None, :]
        return np.bincount(np.argmax(z, axis=1), minlength=self.k)

    @property
    def dead_pieces(self) -> np.ndarray:
        """Indices of the pieces that win nowhere on the grid (they get no gradient)."""
        return np.flatnonzero(self.wins == 0)

    @property
    def unchanged_pieces(self) -> np.ndarray:
        """Indices of the pieces whose parameters training did not move at all."""
        same = (self.weights == self.initial_weights) & (self.biases == self.initial_biases)
        return np.flatnonzero(same)


def _initial_pieces(k, m, lo, hi, init, rng, line=(0.0, 0.0), curvature=0.1):
    """Initial (weights, biases), each of shape (m, k)."""
    if init == "spread":
        # The least-squares line of the target plus tangents of a flat parabola at k
        # evenly spaced points: every piece starts winning on one k-th of the interval.
        c = lo + (np.arange(k) + 0.5) * (hi - lo) / k
        w = np.broadcast_to(line[0] + 2 * curvature * c, (m, k)).copy()
        b = np.broadcast_to(line[1] - curvature * c * c, (m, k)).copy()
        w += rng.normal(0.0, 0.01 * curvature, size=(m, k))
        return w, b
    if init == "random":
        return rng.normal(0.0, 1.0, size=(m, k)), rng.normal(0.0, 1.0, size=(m, k))
    raise ValueError(f"init must be 'spread' or 'random', got {init!r}")


def _target_tangents(x, y, k, lo, hi, rng):
    """Tangents of the target (slopes by finite differences on the grid) at k evenly
    spaced points, with a small random jitter of the intercepts: shape (1, k) each."""
    c = lo + (np.arange(k) + 0.5) * (hi - lo) / k
    slope = np.interp(c, x, np.gradient(y, x))
    w = slope
    b = np.interp(c, x, y) - slope * c
    scale = max(float(np.ptp(y)), 1e-12)
    b = b + rng.normal(0.0, 1e-3 * scale, size=k)
    return w[None, :], b[None, :]


def fit_maxout_many(targets, ks, interval=(-2.0, 2.0), seed=0, *, n_points=101, steps=600,
                    lr=0.05, init="tangent", curvature=0.1, decay=0.01) -> dict:
    """Train one maxout unit per (target, k) pair, all in one batched minigrad graph.

    Returns ``{(target, k): MaxoutFit}``. Every unit sees the same grid of ``n_points``
    points on ``interval``; the loss of each unit is its mean squared error, and the sum
    over units is back-propagated (so no unit influences another).

    ``init`` chooses the starting pieces: ``"tangent"`` (default): tangents of the target
    at k evenly spaced points (slopes by finite differences on the grid), so that for a
    convex target every piece starts as the maximum on one k-th of the interval;
    ``"quadratic"``: tangents of the target's least-squares parabola; ``"spread"``: the
    target's least-squares line plus tangents of the flat parabola ``curvature * x**2``;
    ``"random"``: slopes and intercepts drawn from N(0, 1), which leaves some pieces below
    the others everywhere. Adam's learning rate decays geometrically from ``lr`` to
    ``lr * decay`` over the ``steps``.
    """
    targets, ks = list(targets), [int(k) for k in ks]
    if any(k < 1 for k in ks):
        raise ValueError(f"k must be >= 1, got {ks}")
    lo, hi = map(float, interval)
    rng = np.random.default_rng(seed)
    pairs = [(t, k) for t in targets for k in ks]
    m, kmax = len(pairs), max(ks)
    x = np.linspace(lo, hi, n_points)
    y = np.stack([_target_fn(t)(x) for t, _ in pairs], axis=1)          # (n, m)
    w0 = np.zeros((m, kmax))
    b0 = np.zeros((m, kmax))
    mask = np.full((m, kmax), _MASKED)
    for i, (_, k) in enumerate(pairs):
        if init == "tangent":
            wi, bi = _target_tangents(x, y[:, i], k, lo, hi, rng)
        elif init == "quadratic":
            a2, a1, a0 = np.polyfit(x, y[:, i], 2)
            wi, bi = _initial_pieces(k, 1, lo, hi, "spread", rng, (a1, a0), max(a2, 1e-3))
        else:
            line = np.polyfit(x, y[:, i], 1) if init == "spread" else (0.0, 0.0)
            wi, bi = _initial_pieces(k, 1, lo, hi, init, rng, line, curvature)
        w0[i, :k], b0[i, :k], mask[i, :k] = wi[0], bi[0], 0.0
    W = Tensor(w0.copy(), requires_grad=True)
    B = Tensor(b0.copy(), requires_grad=True)
    X, Y, M = Tensor(x[:, None, None]), Tensor(y), Tensor(mask)
    opt = Adam([W, B], lr=lr)
    history = np.empty((steps, m))
    for step in range(steps):
        opt.lr = lr * decay ** (step / steps)
        out = (X * W + B + M).max(axis=2)                                # (n, m)
        per_model = ((out - Y) ** 2).mean(axis=0)
        history[step] = per_model.data
        opt.zero_grad()
        per_model.sum().backward()
        opt.step()
    results = {}
    for i, (t, k) in enumerate(pairs):
        w, b = W.data[i, :k].copy(), B.data[i, :k].copy()
        results[(t if isinstance(t, str) else getattr(t, "__name__", "f"), k)] = MaxoutFit(
            target=t if isinstance(t, str) else getattr(t, "__name__", "f"), k=k, x=x,
            y_true=y[:, i], y_fit=maxout_eval(x, w, b), weights=w, biases=b,
            initial_weights=w0[i, :k].copy(), initial_biases=b0[i, :k].copy(),
            loss_history=history[:, i].copy())
    return results


def fit_maxout(target, k, interval=(-2.0, 2.0), seed=0, **kwargs) -> MaxoutFit:
    """Train one maxout unit with ``k`` pieces on ``target`` over ``interval``.

    ``target`` is a name from :data:`TARGETS` (``"square"``, ``"abs"``, ``"relu"``,
    ``"exp"``, ``"sin"``) or a numpy function. Keyword arguments (see
    :func:`fit_maxout_many`): ``n_points``, ``steps``, ``lr`` and ``decay`` (Adam, with the
    learning rate decayed geometrically to ``lr * decay``), ``init``. The result has
    ``.x``, ``.y_true``, ``.y_fit``, ``.max_error``, ``.wins`` and ``.dead_pieces``.
    """
    name = target if isinstance(target, str) else getattr(target, "__name__", "f")
    return fit_maxout_many([target], [k], interval, seed, **kwargs)[(name, int(k))]


def minimax_error_square(k, a=2.0) -> float:
    """Best uniform error of any k-piece linear spline (maxout or not) for x**2 on [-a, a].

    One of the k pieces covers a sub-interval of length at least ``2a/k``; on an interval
    of length ``h`` the best straight line misses ``x**2`` by ``h**2 / 8`` (Chebyshev
    equioscillation at both ends and the middle). With ``h = 2a/k`` that is
    ``a**2 / (2 k**2)``, and :func:`minimax_pieces_square` attains it. For a = 2: 2 / k**2.
    """
    return a * a / (2.0 * k * k)


def minimax_pieces_square(k, a=2.0):
    """The maxout unit that attains :func:`minimax_error_square`: (weights, biases).

    Cut [-a, a] into k equal parts of length h with midpoints c_j; piece j is the chord of
    x**2 over part j lowered by h**2/8, i.e. ``2 c_j x - c_j**2 + h**2/8``. Neighbouring
    pieces cross exactly at the cut points, so the max of the pieces is the piecewise fit.
    """
    h = 2.0 * a / k
    c = -a + (np.arange(k) + 0.5) * h
    return 2.0 * c, -c * c + h * h / 8.0


@dataclass(frozen=True)
class MaxoutDifferenceFit:
    """``g(x) - h(x)`` with g and h maxout units of k pieces each, trained on a target."""

    target: str
    k: int
    x: np.ndarray
    y_true: np.ndarray
    y_fit: np.ndarray
    convex_part: np.ndarray      #: g(x) on the grid
    concave_part: np.ndarray     #: -h(x) on the grid
    loss_history: np.ndarray = field(repr=False)

    @property
    def max_error(self) -> float:
        return float(np.max(np.abs(self.y_fit - self.y_true)))


def fit_maxout_difference(target="sin", k=6, interval=(-np.pi, np.pi), seed=0, *,
                          n_points=101, steps=800, lr=0.05, decay=0.01, init="dc",
                          curvature=1.0) -> MaxoutDifferenceFit:
    """Train the difference of two maxout units (k pieces each) on ``target``.

    Goodfellow et al. (2013) show that any continuous piecewise-linear function is such a
    difference, so two maxout units approximate any continuous function on an interval.

    ``init="dc"`` (default) starts from the split ``f = (f + c x^2) - c x^2`` with
    ``c = curvature`` (for sin, any c >= 1/2 makes the first part convex): g starts as
    tangents of ``f + c x^2``, h as tangents of ``c x^2``. ``init="spread"`` starts both
    units from tangents of a flat parabola. Adam's learning rate decays from ``lr`` to
    ``lr * decay``.
    """
    f = _target_fn(target)
    lo, hi = map(float, interval)
    rng = np.random.default_rng(seed)
    x = np.linspace(lo, hi, n_points)
    y = f(x)
    if init == "dc":
        # f = (f + c x^2) - c x^2 with c large enough that f + c x^2 is convex: start g at
        # tangents of f + c x^2 and h at tangents of c x^2, so g - h starts near f.
        c = curvature
        wg, bg = _target_tangents(x, y + c * x * x, int(k), lo, hi, rng)
        wh, bh = _target_tangents(x, c * x * x, int(k), lo, hi, rng)
        w0, b0 = np.concatenate([wg, wh]), np.concatenate([bg, bh])
    elif init == "spread":
        w0, b0 = _initial_pieces(int(k), 2, lo, hi, "spread", rng)      # (2, k)
    else:
        raise ValueError(f"init must be 'dc' or 'spread', got {init!r}")
    W = Tensor(w0, requires_grad=True)
    B = Tensor(b0, requires_grad=True)
    X, Y = Tensor(x[:, None, None]), Tensor(y)
    opt = Adam([W, B], lr=lr)
    history = np.empty(steps)
    for step in range(steps):
        opt.lr = lr * decay ** (step / steps)
        parts = (X * W + B).max(axis=2)                                  # (n, 2)
        out = parts[:, 0] - parts[:, 1]
        loss = ((out - Y) ** 2).mean()
        history[step] = loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    g = maxout_eval(x, W.data[0], B.data[0])
    h = maxout_eval(x, W.data[1], B.data[1])
    name = target if isinstance(target, str) else getattr(target, "__name__", "f")
    return MaxoutDifferenceFit(target=name, k=int(k), x=x, y_true=y, y_fit=g - h,
                               convex_part=g, concave_part=-h, loss_history=history)


def error_markdown(fits: dict, targets, ks, bound=True) -> str:
    """A Markdown table of the largest errors: targets down, k across; with ``bound``, a
    last row with the minimax error of x**2 on the fits' interval."""
    ks = list(ks)
    lines = ["| target | " + " | ".join(f"k = {k}" for k in ks) + " |",
             "|---" * (len(ks) + 1) + "|"]
    for t in targets:
        lines.append(f"| {t} | " + " | ".join(f"{fits[t, k].max_error:.3g}" for k in ks) + " |")
    if bound:
        a = float(np.max(np.abs(fits[targets[0], ks[0]].x)))
        lines.append("| best possible for x² | " + " | ".join(
            f"{minimax_error_square(k, a):.3g}" for k in ks) + " |")
    return "\n".join(lines)
