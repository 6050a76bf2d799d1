"""Tests for minigrad.init: variances from the published formulas, fans, gains, seeding."""

import math

import numpy as np
import pytest

from minigrad import init

# A large weight: 600 * 500 = 300,000 samples, so the sample variance is within
# about 3 * sqrt(2 / 300000) ~ 0.8% of the true variance (normal; less for uniform).
SHAPE = (600, 500)          # (fan_out, fan_in)
FAN_OUT, FAN_IN = SHAPE
RTOL = 0.015


def rng(seed=0):
    return np.random.default_rng(seed)


# (initialiser, kwargs, variance written from the paper / PyTorch docs)
VARIANCE_CASES = [
    ("xavier_uniform", {}, 2.0 / (FAN_IN + FAN_OUT)),
    ("xavier_normal", {}, 2.0 / (FAN_IN + FAN_OUT)),
    ("glorot_uniform", {"gain": 2.0}, 4.0 * 2.0 / (FAN_IN + FAN_OUT)),
    ("glorot_normal", {"gain": 0.5}, 0.25 * 2.0 / (FAN_IN + FAN_OUT)),
    ("he_uniform", {}, 2.0 / FAN_IN),
    ("he_normal", {}, 2.0 / FAN_IN),
    ("kaiming_normal", {"mode": "fan_out"}, 2.0 / FAN_OUT),
    ("kaiming_uniform", {"mode": "fan_out", "nonlinearity": "relu"}, 2.0 / FAN_OUT),
    ("kaiming_normal", {"nonlinearity": "tanh"}, (25.0 / 9.0) / FAN_IN),
    ("kaiming_normal", {"a": 0.2}, 2.0 / (1.0 + 0.04) / FAN_IN),
    ("kaiming_uniform", {"nonlinearity": "linear"}, 1.0 / FAN_IN),
    # PyTorch's default Linear init: kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), +)
    ("kaiming_uniform", {"a": math.sqrt(5)}, 1.0 / (3.0 * FAN_IN)),
    ("lecun_normal", {}, 1.0 / FAN_IN),
    ("lecun_uniform", {}, 1.0 / FAN_IN),
    ("naive_normal", {"std": 0.01}, 1e-4),
    ("normal", {"std": 3.0}, 9.0),
    ("uniform", {"low": -2.0, "high": 2.0}, 16.0 / 12.0),
]


@pytest.mark.parametrize("name, kwargs, variance", VARIANCE_CASES)
def test_empirical_variance_matches_formula(name, kwargs, variance):
    w = init.get(name)(SHAPE, rng(1), **kwargs)
    assert w.shape == SHAPE and w.dtype == np.float64
    assert abs(w.mean()) < 4 * math.sqrt(variance / w.size)
    assert w.var() == pytest.approx(variance, rel=RTOL)


@pytest.mark.parametrize("name, bound", [
    ("xavier_uniform", math.sqrt(6.0 / (FAN_IN + FAN_OUT))),
    ("he_uniform", math.sqrt(6.0 / FAN_IN)),
    ("lecun_uniform", math.sqrt(3.0 / FAN_IN)),
])
def test_uniform_initialisers_fill_their_interval(name, bound):
    w = init.get(name)(SHAPE, rng(2))
    assert np.all(np.abs(w) <= bound)
    assert w.max() > 0.999 * bound and w.min() < -0.999 * bound


def test_normal_initialisers_are_gaussian():
    # The 4th standardised moment of a normal is 3, of a uniform 1.8.
    w = init.he_normal(SHAPE, rng(3))
    z = w / w.std()
    assert np.mean(z**4) == pytest.approx(3.0, abs=0.05)
    w = init.he_uniform(SHAPE, rng(3))
    z = w / w.std()
    assert np.mean(z**4) == pytest.approx(1.8, abs=0.02)


def test_fans_layout_is_fan_out_fan_in():
    assert init.fans((3, 5)) == (5, 3)                 # (fan_in, fan_out)
    assert init.fans((8, 4, 3, 3)) == (4 * 9, 8 * 9)    # conv kernels: receptive field
    w = init.he_normal((4000, 50), rng(0))               # fan_in = 50, not 4000
    assert w.var() == pytest.approx(2.0 / 50, rel=0.03)


@pytest.mark.parametrize("nonlinearity, param, gain", [
    ("linear", None, 1.0), ("sigmoid", None, 1.0), ("conv2d", None, 1.0),
    ("tanh", None, 5.0 / 3.0), ("relu", None, math.sqrt(2.0)),
    ("leaky_relu", None, math.sqrt(2.0 / (1.0 + 0.01**2))),
    ("leaky_relu", 0.0, math.sqrt(2.0)), ("leaky_relu", 1.0, 1.0),
    ("selu", None, 0.75), ("ReLU", None, math.sqrt(2.0)),
])
def test_calculate_gain_matches_pytorch_table(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-15)


def test_orthogonal_rows_or_columns_are_orthonormal():
    w = init.orthogonal((30, 50), rng(0))
    np.testing.assert_allclose(w @ w.T, np.eye(30), atol=1e-12)
    w = init.orthogonal((50, 30), rng(0), gain=2.0)
    np.testing.assert_allclose(w.T @ w, 4.0 * np.eye(30), atol=1e-12)


def test_zeros_ones_constant():
    assert np.array_equal(init.zeros((2, 3)), np.zeros((2, 3)))
    assert np.array_equal(init.ones(4), np.ones(4))
    assert np.array_equal(init.constant((2,), value=0.5), [0.5, 0.5])


def test_same_seed_same_weights_different_seed_different_weights():
    a = init.xavier_normal((20, 10), rng(7))
    b = init.xavier_normal((20, 10), rng(7))
    c = init.xavier_normal((20, 10), rng(8))
    assert np.array_equal(a, b) and not np.allclose(a, c)
    # an int seed is shorthand for default_rng(seed)
    assert np.array_equal(init.xavier_normal((20, 10), 7), a)


def test_generator_is_advanced_not_copied():
    g = rng(0)
    a = init.he_normal((5, 5), g)
    b = init.he_normal((5, 5), g)
    assert not np.allclose(a, b)


def test_default_generator_is_seeded_and_reseedable():
    init.manual_seed(123)
    a = init.lecun_normal((6, 4))
    init.manual_seed(123)
    b = init.lecun_normal((6, 4))
    assert np.array_equal(a, b)
    assert np.array_equal(a, init.lecun_normal((6, 4), rng(123)))


def test_float32_on_request():
    w = init.he_uniform((10, 10), rng(0), dtype=np.float32)
    assert w.dtype == np.float32


@pytest.mark.parametrize("call, exc, words", [
    (lambda: init.he_normal((5,), rng(0)), ValueError, "at least 2 dimensions"),
    (lambda: init.he_normal((0, 5), rng(0)), ValueError, "zero-size"),
    (lambda: init.he_normal((3, -2), rng(0)), ValueError, "negative"),
    (lambda: init.he_normal((3, 2.5), rng(0)), TypeError, "ints"),
    (lambda: init.he_normal((3, 2), rng="seed"), TypeError, "Generator"),
    (lambda: init.he_normal((3, 2), rng(0), mode="fan_both"), ValueError, "fan_in"),
    (lambda: init.kaiming_uniform((3, 2), rng(0), nonlinearity="swishy"), ValueError,
     "swishy"),
    (lambda: init.xavier_uniform((3, 2), rng(0), gain=-1.0), ValueError, "gain"),
    (lambda: init.naive_normal((3, 2), rng(0), std=float("nan")), ValueError, "std"),
    (lambda: init.uniform((3,), rng(0), low=1.0, high=0.0), ValueError, "low <= high"),
    (lambda: init.get("glorious"), ValueError, "glorious"),
    (lambda: init.manual_seed(1.5), TypeError, "seed"),
])
def test_bad_input_is_reported(call, exc, words):
    with pytest.raises(exc, match=words):
        call()
