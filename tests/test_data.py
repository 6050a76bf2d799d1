"""Tests for minigrad.data: shapes and dtypes, determinism per seed, class balance,
labels, the geometry each docstring promises, and argument validation."""

import numpy as np
import pytest

from minigrad.data import (
    make_circles,
    make_moons,
    make_regression_1d,
    make_spirals,
    make_xor,
)

CLASSIFIERS = [
    (make_moons, {}, 2),
    (make_circles, {}, 2),
    (make_spirals, {}, 2),
    (make_spirals, {"n_arms": 3}, 3),
    (make_xor, {}, 2),
]


@pytest.mark.parametrize("make, kw, k", CLASSIFIERS)
@pytest.mark.parametrize("n", [4, 99, 100, 201])
def test_shapes_dtypes_labels_and_balance(make, kw, k, n):
    X, y = make(n_samples=n, seed=3, **kw)
    assert X.shape == (n, 2) and X.dtype == np.float64 and np.isfinite(X).all()
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=k)
    assert set(np.unique(y)) == set(range(k))
    assert counts.max() - counts.min() <= 1  # as balanced as n allows


@pytest.mark.parametrize("make, kw, k", CLASSIFIERS)
def test_deterministic_per_seed(make, kw, k):
    X1, y1 = make(seed=7, **kw)
    X2, y2 = make(seed=7, **kw)
    X3, _ = make(seed=8, **kw)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    Xg, yg = make(seed=np.random.default_rng(7), **kw)  # a Generator is accepted too
    assert np.array_equal(Xg, X1) and np.array_equal(yg, y1)


@pytest.mark.parametrize("make, kw, k", CLASSIFIERS)
def test_shuffled(make, kw, k):
    _, y = make(n_samples=100, seed=0, **kw)
    assert (np.diff(y) != 0).sum() > 10  # not sorted by class


def test_moons_geometry_without_noise():
    X, y = make_moons(n_samples=50, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)  # unit half circle
    assert (upper[:, 1] >= -1e-12).all()
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert (lower[:, 1] <= 0.5 + 1e-12).all()


def test_noise_is_the_stated_standard_deviation():
    X, y = make_moons(n_samples=4000, noise=0.2, seed=1)
    # radial distance of the noisy upper moon to the unit circle: spread ~ the noise level
    d = np.hypot(*X[y == 0].T) - 1.0
    assert 0.15 < d.std() < 0.25


def test_circles_radii_and_factor():
    X, y = make_circles(n_samples=60, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(r[y == 0], 1.0) and np.allclose(r[y == 1], 0.3)


def test_spiral_arms_turn():
    X, y = make_spirals(n_samples=200, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() >= 0.1 - 1e-12 and r.max() <= 1.0 + 1e-12
    # the two arms are point reflections of each other (angle offset pi)
    a = X[y == 0][np.argsort(np.hypot(*X[y == 0].T))]
    b = X[y == 1][np.argsort(np.hypot(*X[y == 1].T))]
    assert np.allclose(a, -b)


def test_xor_labels_follow_the_quadrant_without_noise():
    X, y = make_xor(n_samples=203, noise=0.0, seed=0)
    assert np.array_equal(y, ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64))
    assert (np.abs(X) <= 1.0).all()


def test_regression_1d():
    X, y = make_regression_1d(n_samples=50, noise=0.0, seed=0)
    assert X.shape == (50, 1) and y.shape == (50,) and y.dtype == np.float64
    assert (X >= -1).all() and (X <= 1).all() and (np.diff(X[:, 0]) >= 0).all()
    assert np.allclose(y, np.sin(3 * X[:, 0]))
    _, yn = make_regression_1d(n_samples=2000, noise=0.1, seed=0)
    Xn, _ = make_regression_1d(n_samples=2000, noise=0.1, seed=0)
    assert 0.08 < (yn - np.sin(3 * Xn[:, 0])).std() < 0.12


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: make_moons(n_samples=0), ValueError, "n_samples"),
        (lambda: make_moons(n_samples=2.5), TypeError, "n_samples"),
        (lambda: make_moons(n_samples=True), TypeError, "n_samples"),
        (lambda: make_moons(noise=-0.1), ValueError, "noise"),
        (lambda: make_moons(noise=float("nan")), ValueError, "noise"),
        (lambda: make_moons(noise="a lot"), TypeError, "noise"),
        (lambda: make_moons(seed=-1), ValueError, "seed"),
        (lambda: make_moons(seed=None), TypeError, "seed"),
        (lambda: make_moons(seed=1.5), TypeError, "seed"),
        (lambda: make_circles(factor=1.0), ValueError, "factor"),
        (lambda: make_circles(factor=0.0), ValueError, "factor"),
        (lambda: make_spirals(n_arms=1), ValueError, "n_arms"),
        (lambda: make_spirals(n_samples=2, n_arms=3), ValueError, "n_samples"),
        (lambda: make_xor(n_samples=3), ValueError, "n_samples"),
        (lambda: make_regression_1d(n_samples=-5), ValueError, "n_samples"),
        (lambda: make_regression_1d(noise=float("inf")), ValueError, "noise"),
    ],
)
def test_bad_arguments(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
