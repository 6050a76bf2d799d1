"""Small seeded toy datasets, made with numpy only.

Every function takes ``seed=`` (an int, passed to :func:`numpy.random.default_rng`, or a
:class:`numpy.random.Generator`), so the same call always gives the same data.
Classification sets return ``X`` of shape ``(n, 2)`` (float64) and integer labels ``y`` of
shape ``(n,)`` (int64, ``0 .. n_classes - 1``), classes as balanced as ``n`` allows, in
random order. ``make_regression_1d`` returns ``X`` of shape ``(n, 1)`` and a float target.

Example::

    >>> from minigrad.data import make_moons
    >>> X, y = make_moons(n_samples=100, noise=0.1, seed=0)
    >>> X.shape, y.shape, int(y.sum())
    ((100, 2), (100,), 50)
"""

from numbers import Integral, Real

import numpy as np

__all__ = [
    "make_circles",
    "make_moons",
    "make_regression_1d",
    "make_spirals",
    "make_xor",
]


# ----------------------------------------------------------------------- validation
def _check_int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _check_real(name, value, low=0.0, high=None, low_open=False, high_open=False):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}: {value!r}")
    value = float(value)
    ok = np.isfinite(value) and (value > low if low_open else value >= low)
    if high is not None:
        ok = ok and (value < high if high_open else value <= high)
    if not ok:
        lo = "(" if low_open else "["
        hi = (")" if high_open else "]") if high is not None else ")"
        interval = f"{lo}{low}, {high if high is not None else 'inf'}{hi}"
        raise ValueError(f"{name} must be a finite number in {interval}, got {value}")
    return value


def _rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(
            f"seed must be an int or a numpy Generator, got {type(seed).__name__}: {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed}")
    return np.random.default_rng(int(seed))


def _split(n, k):
    """Sizes of k groups summing to n, as equal as possible (the first ones get the extra)."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _finish(rng, X, y, noise):
    """Add Gaussian noise (std ``noise``) to X and shuffle X and y together."""
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return np.ascontiguousarray(X[order], dtype=np.float64), y[order].astype(np.int64)


# ------------------------------------------------------------------------- datasets
def make_moons(n_samples=100, noise=0.1, seed=0):
    """Two interleaving half circles (as scikit-learn's ``make_moons``).

    Class 0: ``(cos t, sin t)``, class 1: ``(1 - cos t, 1/2 - sin t)``, for ``t`` evenly
    spaced in ``[0, pi]``; then Gaussian noise of standard deviation ``noise`` on each
    coordinate. Class 0 has ``ceil(n/2)`` points.

    Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in {0, 1}.
    """
    n = _check_int("n_samples", n_samples, 2)
    noise = _check_real("noise", noise)
    rng = _rng(seed)
    n0, n1 = _split(n, 2)
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    X = np.concatenate([
        np.stack([np.cos(t0), np.sin(t0)], axis=1),
        np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1),
    ])
    y = np.repeat([0, 1], [n0, n1])
    return _finish(rng, X, y, noise)


def make_circles(n_samples=100, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor``.

    Points at angles evenly spaced in ``[0, 2 pi)``, then Gaussian noise of standard
    deviation ``noise`` on each coordinate. ``0 < factor < 1``.

    Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in {0, 1}.
    """
    n = _check_int("n_samples", n_samples, 2)
    noise = _check_real("noise", noise)
    factor = _check_real("factor", factor, 0.0, 1.0, low_open=True, high_open=True)
    rng = _rng(seed)
    n0, n1 = _split(n, 2)
    t0 = np.linspace(0.0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2 * np.pi, n1, endpoint=False)
    X = np.concatenate([
        np.stack([np.cos(t0), np.sin(t0)], axis=1),
        factor * np.stack([np.cos(t1), np.sin(t1)], axis=1),
    ])
    y = np.repeat([0, 1], [n0, n1])
    return _finish(rng, X, y, noise)


def make_spirals(n_samples=200, n_arms=2, noise=0.1, seed=0):
    """``n_arms`` interleaved spiral arms, one class per arm.

    Arm ``k`` (label ``k``): for ``t`` evenly spaced in ``[0, 1]``, radius
    ``r = 0.1 + 0.9 t`` and angle ``2 pi k / n_arms + 2 pi t`` (one full turn), i.e. the
    point ``r (cos angle, sin angle)``; then Gaussian noise of standard deviation ``noise``
    on each coordinate (for two arms, neighbouring turns are ``0.45`` apart radially).
    Points are split across arms as evenly as possible.

    Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in ``{0, ..., n_arms - 1}``.
    """
    k = _check_int("n_arms", n_arms, 2)
    n = _check_int("n_samples", n_samples, k)
    noise = _check_real("noise", noise)
    rng = _rng(seed)
    parts, labels = [], []
    for arm, m in enumerate(_split(n, k)):
        t = np.linspace(0.0, 1.0, m)
        r = 0.1 + 0.9 * t
        angle = 2 * np.pi * arm / k + 2 * np.pi * t
        parts.append(np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1))
        labels.append(np.full(m, arm))
    return _finish(rng, np.concatenate(parts), np.concatenate(labels), noise)


def make_xor(n_samples=200, noise=0.1, seed=0):
    """The XOR problem: label 1 where exactly one coordinate is positive.

    The same number of points (up to one) is drawn uniformly in each of the four open
    quadrants of ``[-1, 1]^2``; the label is ``(x1 > 0) xor (x2 > 0)``, decided before
    Gaussian noise of standard deviation ``noise`` is added to each coordinate (so with
    noise a few points near the axes sit across the boundary).

    Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in {0, 1}.
    """
    n = _check_int("n_samples", n_samples, 4)
    noise = _check_real("noise", noise)
    rng = _rng(seed)
    parts, labels = [], []
    # quadrants ordered (+,+) label 0, (-,+) label 1, (-,-) label 0, (+,-) label 1,
    # so any split of n gives class sizes differing by at most one
    for (sx, sy), m in zip([(1, 1), (-1, 1), (-1, -1), (1, -1)], _split(n, 4)):
        pts = rng.uniform(0.0, 1.0, size=(m, 2)) * np.array([sx, sy], dtype=float)
        parts.append(pts)
        labels.append(np.full(m, int((sx > 0) != (sy > 0))))
    return _finish(rng, np.concatenate(parts), np.concatenate(labels), noise)


def make_regression_1d(n_samples=100, noise=0.1, seed=0):
    """A 1-D non-linear regression target: ``y = sin(3 x) + noise * eps``.

    ``x`` uniform on ``[-1, 1]`` (sorted ascending, convenient for plotting),
    ``eps`` standard normal.

    Returns ``X`` (n, 1) float64 and ``y`` (n,) float64.
    """
    n = _check_int("n_samples", n_samples, 1)
    noise = _check_real("noise", noise)
    rng = _rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, size=n))
    y = np.sin(3.0 * x) + noise * rng.standard_normal(n)
    return x.reshape(n, 1).astype(np.float64), y.astype(np.float64)
