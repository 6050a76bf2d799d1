"""Tests for minigrad.lab.activation_pages, the helpers of the Part 3 pages."""

import math

import numpy as np
import pytest

from minigrad import Tensor
from minigrad import functional as F
from minigrad.lab import activation_pages as ap


# ----------------------------------------------------------------------------- derivatives
def test_autograd_derivative_matches_formula():
    x = np.linspace(-3, 3, 11)
    got = ap.autograd_derivative(lambda t: t * t * t, x)
    np.testing.assert_allclose(got, 3 * x**2, rtol=1e-12)


def test_central_difference_and_max_abs_diff():
    x = np.linspace(-2, 2, 9)
    fd = ap.central_difference(np.sin, x)
    assert ap.max_abs_diff(fd, np.cos(x)) < 1e-8
    assert ap.max_abs_diff([1.0, 2.0], [1.5, 2.0]) == 0.5


def test_one_sided_derivatives_detect_a_kink():
    left, right = ap.one_sided_derivatives(lambda v: np.maximum(v, 0.1 * v))
    assert left == pytest.approx(0.1, abs=1e-6)
    assert right == pytest.approx(1.0, abs=1e-6)
    left, right = ap.one_sided_derivatives(np.sin, 0.5)
    assert left == pytest.approx(right, abs=1e-6)


# ----------------------------------------------------------------------------- Jacobians
def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def test_softmax_jacobian_three_ways():
    x = np.array([0.3, -1.0, 2.0, 0.0])
    p = _softmax(x)
    formula = np.diag(p) - np.outer(p, p)
    auto = ap.autograd_jacobian(lambda t: F.softmax(t, dim=-1), x)
    num = ap.numeric_jacobian(_softmax, x)
    assert ap.max_abs_diff(auto, formula) < 1e-12
    assert ap.max_abs_diff(num, formula) < 1e-8
    np.testing.assert_allclose(auto.sum(axis=1), 0.0, atol=1e-12)


def test_jacobian_of_elementwise_function_is_diagonal():
    x = np.array([1.0, 2.0, 3.0])
    J = ap.autograd_jacobian(lambda t: t * t, x)
    np.testing.assert_allclose(J, np.diag(2 * x))


# ----------------------------------------------------------------------------- numerics
def test_newton_finds_the_swish_minimum():
    def sig(v):
        return 1 / (1 + math.exp(-v))

    def d1(v):
        return sig(v) * (1 + v * (1 - sig(v)))

    def d2(v):
        return sig(v) * (1 - sig(v)) * (2 + v * (1 - 2 * sig(v)))

    x, iters = ap.newton(d1, d2, -1.0)
    assert x == pytest.approx(-1.2784645, abs=1e-6)
    assert x * sig(x) == pytest.approx(x + 1, abs=1e-12)   # f(x*) = x* + 1
    assert iters < 20


def test_newton_reports_failure():
    with pytest.raises(RuntimeError):
        ap.newton(lambda v: v * v + 1, lambda v: 2 * v, 1.0, maxiter=5)


def test_normal_moments_known_values():
    m1, m2 = ap.normal_moments(lambda z: np.maximum(z, 0))
    assert m1 == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-10)
    assert m2 == pytest.approx(0.5, abs=1e-10)
    m1, m2 = ap.normal_moments(lambda z: z)
    assert m1 == pytest.approx(0.0, abs=1e-12)
    assert m2 == pytest.approx(1.0, abs=1e-10)
    with pytest.raises(ValueError):
        ap.normal_moments(lambda z: z, n=10)


def test_selu_constants_match_the_paper_and_the_fixed_point():
    alpha, lam = ap.selu_constants()
    assert alpha == pytest.approx(1.6732632423543772848170429916717, abs=1e-12)
    assert lam == pytest.approx(1.0507009873554804934193349852946, abs=1e-12)
    m1, m2 = ap.normal_moments(lambda z: lam * np.where(z > 0, z, alpha * np.expm1(z)))
    assert m1 == pytest.approx(0.0, abs=1e-10)
    assert m2 == pytest.approx(1.0, abs=1e-10)


def test_cdfs_and_ks_distance():
    assert ap.normal_cdf(0.0) == pytest.approx(0.5)
    assert ap.normal_cdf(1.96) == pytest.approx(0.975, abs=1e-3)
    np.testing.assert_allclose(ap.uniform_cdf([-1, 0.5, 2], 0, 1), [0, 0.5, 1])
    rng = np.random.default_rng(0)
    u = rng.uniform(0.2, 0.4, 5000)
    d_uniform = ap.ks_distance(u, lambda v: ap.uniform_cdf(v, 0.2, 0.4))
    d_normal = ap.ks_distance(u, lambda v: ap.normal_cdf((v - u.mean()) / u.std()))
    assert d_uniform < 0.03 < d_normal
    # exact value on a tiny sample: points at 0.25 and 0.75 against U(0, 1)
    assert ap.ks_distance([0.25, 0.75], lambda v: ap.uniform_cdf(v, 0, 1)) == 0.25


# ----------------------------------------------------------------------------- PReLU
def test_prelu_slope_converges_with_momentum():
    run = ap.train_prelu_slope(true_slope=0.05, init=0.25, steps=150, seed=0)
    assert run["slopes"][0] == 0.25
    assert len(run["slopes"]) == 151 and len(run["losses"]) == 150
    assert run["slopes"][-1] == pytest.approx(0.05, abs=0.005)
    assert run["losses"][-1] < run["losses"][0] / 10


def test_prelu_manual_momentum_equals_optim_sgd():
    a = ap.train_prelu_slope(steps=30, seed=3)
    b = ap.train_prelu_slope(steps=30, seed=3, use_optim=True)
    assert ap.max_abs_diff(a["slopes"], b["slopes"]) < 1e-12


def test_prelu_gradient_is_the_hand_derived_one():
    run = ap.train_prelu_slope(true_slope=0.05, init=0.25, steps=1, n=64, noise=0.0, seed=1)
    x = np.random.default_rng(1).standard_normal(64)
    target = np.where(x > 0, x, 0.05 * x)
    pred = np.where(x > 0, x, 0.25 * x)
    expected = np.mean(2 * (pred - target) * np.where(x <= 0, x, 0.0))
    assert run["grads"][0] == pytest.approx(expected, rel=1e-12)


def test_prelu_literal_plus_sign_ascends():
    run = ap.train_prelu_slope(lr=-0.1, steps=20)
    assert run["losses"][-1] > 10 * run["losses"][0]


# ----------------------------------------------------------------------------- deep nets
def test_propagate_stats_selu_lecun_keeps_unit_variance():
    alpha, lam = ap.selu_constants()

    def selu(z):
        return lam * np.where(z > 0, z, alpha * np.expm1(z))

    lecun = ap.propagate_stats(selu, init="lecun", depth=8, width=128, n=400, seed=0)
    he = ap.propagate_stats(selu, init="he", depth=8, width=128, n=400, seed=0)
    assert lecun["mean"].shape == (9,)
    assert abs(lecun["var"][-1] - 1) < 0.1 and abs(lecun["mean"][-1]) < 0.1
    assert he["var"][-1] > 3
    with pytest.raises(ValueError):
        ap.propagate_stats(selu, init="nope")


def test_propagate_stats_is_seeded_and_uses_input_moments():
    a = ap.propagate_stats(np.tanh, depth=2, width=16, n=50, seed=5, input_mean=1.0)
    b = ap.propagate_stats(np.tanh, depth=2, width=16, n=50, seed=5, input_mean=1.0)
    np.testing.assert_array_equal(a["var"], b["var"])
    assert a["mean"][0] == pytest.approx(1.0, abs=0.1)


def test_train_mlp_classifier_learns_xor_and_linear_fails():
    from minigrad import data

    X, y = data.make_xor(n_samples=200, noise=0.05, seed=0)
    relu = ap.train_mlp_classifier(lambda h: F.leaky_relu(h, negative_slope=0.0), X, y,
                                   steps=150, lr=0.05, seed=0, X_test=X, y_test=y)
    linear = ap.train_mlp_classifier(lambda h: h, X, y, steps=150, lr=0.05, seed=0)
    assert relu["train_acc"] > 0.9 and relu["test_acc"] == relu["train_acc"]
    assert linear["train_acc"] < 0.75 and linear["test_acc"] is None


def test_time_per_element_is_positive():
    assert ap.time_per_element(np.exp, n=1000, repeat=2) > 0


def test_rrelu_slopes_are_uniform_in_training_and_mean_in_eval():
    lower, upper = 1 / 8, 1 / 3
    slopes = -F.rrelu(Tensor(-np.ones(20_000)), lower=lower, upper=upper, training=True,
                      generator=np.random.default_rng(0)).data
    assert lower <= slopes.min() and slopes.max() <= upper
    assert ap.ks_distance(slopes, lambda v: ap.uniform_cdf(v, lower, upper)) < 0.02
    y = F.rrelu(Tensor(np.array([-2.0, 3.0])), lower=lower, upper=upper, training=False).data
    np.testing.assert_allclose(y, [-2.0 * (lower + upper) / 2, 3.0])
