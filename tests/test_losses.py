"""Tests for minigrad.losses: values from the textbook formulas, stability at extreme
logits, gradients against central finite differences, bad input."""

import contextlib
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minigrad import Tensor, gradcheck, losses

RNG = np.random.default_rng(20261127)


def fd_check(fn, *arrays, wrt=None, h=1e-6, rtol=1e-6, atol=1e-9):
    """Compare backward() with central differences of sum(fn(*inputs) * w), w random."""
    wrt = range(len(arrays)) if wrt is None else wrt
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    tensors = [Tensor(a, requires_grad=(i in wrt)) for i, a in enumerate(arrays)]
    out = fn(*tensors)
    w = RNG.uniform(0.5, 1.5, size=out.shape)
    out.backward(w)

    def scalar(arrs):
        return float(np.sum(fn(*[Tensor(a) for a in arrs]).data * w))

    for i in wrt:
        num = np.zeros_like(arrays[i])
        for idx in np.ndindex(arrays[i].shape):
            plus = [a.copy() for a in arrays]
            minus = [a.copy() for a in arrays]
            plus[i][idx] += h
            minus[i][idx] -= h
            num[idx] = (scalar(plus) - scalar(minus)) / (2 * h)
        np.testing.assert_allclose(tensors[i].grad, num, rtol=rtol, atol=atol)


@contextlib.contextmanager
def no_warnings():
    """Turn every warning (numpy's RuntimeWarnings included) into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


# ---------------------------------------------------------------- MSE / L1

def test_mse_values_and_reductions():
    x, y = [1.0, 2.0, 3.0], [1.0, 0.0, 0.0]
    assert losses.mse_loss(Tensor(x), y).item() == pytest.approx(13 / 3, rel=1e-15)
    assert losses.mse_loss(Tensor(x), y, reduction="sum").item() == 13.0
    assert losses.mse_loss(Tensor(x), y, reduction="none").tolist() == [0.0, 4.0, 9.0]


def test_l1_values():
    assert losses.l1_loss(Tensor([1.0, -2.0]), [0.0, 0.0]).item() == 1.5


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("fn", [losses.mse_loss, losses.l1_loss])
def test_regression_losses_gradcheck(fn, reduction):
    x, y = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    fd_check(lambda a, b: fn(a, b, reduction=reduction), x, y)


def test_mse_overflow_gives_inf_silently():
    with no_warnings():
        assert losses.mse_loss(Tensor([1e200]), [-1e200]).item() == math.inf


# ---------------------------------------------------------------- BCE with logits

@pytest.mark.parametrize("z", [-8.0, -1.0, 0.0, 0.3, 5.0])
@pytest.mark.parametrize("y", [0.0, 0.25, 1.0])
def test_bce_matches_textbook_formula(z, y):
    want = -y * math.log(sigmoid(z)) - (1 - y) * math.log(1 - sigmoid(z))
    got = losses.binary_cross_entropy_with_logits(Tensor([z]), [y]).item()
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_bce_at_extreme_logits_is_exact_and_silent():
    z = Tensor([1e4, -1e4, 1e4, -1e4, 40.0, math.inf, -math.inf, math.inf],
               requires_grad=True)
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    with no_warnings():
        loss = losses.binary_cross_entropy_with_logits(z, y, reduction="none")
        loss.backward(np.ones(8))
    want = [1e4, 1e4, 0.0, 0.0, math.log1p(math.exp(-40.0)), 0.0, 0.0, math.inf]
    np.testing.assert_allclose(loss.data, want, rtol=1e-15, atol=0)
    # gradient sigma(z) - y: 1 - 0, 0 - 1, 1 - 1, 0 - 0, ...
    np.testing.assert_allclose(z.grad, [1, -1, 0, 0, -math.exp(-40) / (1 + math.exp(-40)),
                                        0, 0, 1], rtol=1e-12, atol=0)


def test_bce_nan_propagates_silently():
    with no_warnings():
        assert math.isnan(losses.binary_cross_entropy_with_logits(
            Tensor([math.nan]), [1.0]).item())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_gradcheck_input_and_target(reduction):
    z = RNG.normal(scale=3, size=(5, 2))
    y = RNG.uniform(size=(5, 2))
    fd_check(lambda a, b: losses.binary_cross_entropy_with_logits(a, b, reduction=reduction),
             z, y)


# ---------------------------------------------------------------- cross-entropy

def logsumexp(row):
    m = max(row)
    return m + math.log(sum(math.exp(v - m) for v in row))


def test_cross_entropy_value_and_gradient_by_hand():
    z = Tensor([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]], requires_grad=True)
    loss = losses.cross_entropy(z, [0, 1])
    rows = z.data.tolist()
    want = ((logsumexp(rows[0]) - 2.0) + (logsumexp(rows[1]) - 0.5)) / 2
    assert loss.item() == pytest.approx(want, rel=1e-14)
    loss.backward()
    soft = np.exp(z.data) / np.exp(z.data).sum(axis=1, keepdims=True)
    onehot = np.array([[1, 0, 0], [0, 1, 0]])
    np.testing.assert_allclose(z.grad, (soft - onehot) / 2, rtol=1e-14)


def test_cross_entropy_at_extreme_logits():
    z = Tensor([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0], [1e4, 1e4, -1e4],
                [-1e4, -1e4, -1e4], [0.0, -math.inf, 1.0]], requires_grad=True)
    with no_warnings():
        loss = losses.cross_entropy(z, [1, 0, 0, 2, 0], reduction="none")
        loss.backward(np.ones(5))
    want = [2e4, 0.0, math.log(2), math.log(3), math.log(1 + math.e)]
    np.testing.assert_allclose(loss.data, want, rtol=1e-15, atol=0)
    assert np.all(np.isfinite(z.grad))
    np.testing.assert_allclose(z.grad[0], [1, -1, 0], atol=1e-300)
    np.testing.assert_allclose(z.grad[2], [-0.5, 0.5, 0], atol=1e-300)


def test_cross_entropy_masked_class_has_infinite_loss():
    with no_warnings():
        assert losses.cross_entropy(Tensor([[0.0, -math.inf]]), [1]).item() == math.inf
        assert math.isnan(losses.cross_entropy(Tensor([[math.nan, 0.0]]), [1]).item())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_gradcheck(reduction):
    z = RNG.normal(scale=2, size=(4, 5))
    t = RNG.integers(0, 5, size=4)
    fd_check(lambda a: losses.cross_entropy(a, t, reduction=reduction), z)


def test_cross_entropy_single_sample_and_float_indices():
    z = [1.0, 2.0, 0.5]
    want = logsumexp(z) - 2.0
    assert losses.cross_entropy(Tensor(z), 1).item() == pytest.approx(want, rel=1e-14)
    # a Tensor of labels is float64; whole numbers are accepted as indices
    got = losses.cross_entropy(Tensor([z]), Tensor([1])).item()
    assert got == pytest.approx(want, rel=1e-14)
    fd_check(lambda a: losses.cross_entropy(a, 2), z)


def test_cross_entropy_soft_targets():
    z = RNG.normal(size=(3, 4))
    t = np.array([3, 0, 1])
    onehot = np.eye(4)[t]
    hard = losses.cross_entropy(Tensor(z), t).item()
    assert losses.cross_entropy(Tensor(z), onehot).item() == pytest.approx(hard, rel=1e-14)
    q = RNG.dirichlet(np.ones(4), size=3)
    want = np.mean([-(q[i] * (z[i] - logsumexp(z[i]))).sum() for i in range(3)])
    assert losses.cross_entropy(Tensor(z), q).item() == pytest.approx(want, rel=1e-13)
    fd_check(lambda a, b: losses.cross_entropy(a, b, reduction="none"), z, q)


def test_cross_entropy_label_smoothing():
    z = RNG.normal(size=(3, 4))
    t = np.array([3, 0, 1])
    eps = 0.1
    q = (1 - eps) * np.eye(4)[t] + eps / 4
    want = np.mean([-(q[i] * (z[i] - logsumexp(z[i]))).sum() for i in range(3)])
    got = losses.cross_entropy(Tensor(z), t, label_smoothing=eps).item()
    assert got == pytest.approx(want, rel=1e-13)
    fd_check(lambda a: losses.cross_entropy(a, t, label_smoothing=eps), z)


def test_nll_of_log_softmax_is_cross_entropy():
    z = RNG.normal(size=(5, 3))
    t = RNG.integers(0, 3, size=5)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    assert losses.nll_loss(Tensor(logp), t).item() == pytest.approx(
        losses.cross_entropy(Tensor(z), t).item(), rel=1e-13)
    fd_check(lambda a: losses.nll_loss(a, t, reduction="sum"), logp)


# ---------------------------------------------------------------- hinge

def test_hinge_loss_micrograd_demo_values():
    # micrograd: mean of relu(1 - y * score)
    s = Tensor([2.0, 0.5, -1.0, 1.0], requires_grad=True)
    loss = losses.hinge_loss(s, [1.0, 1.0, 1.0, 1.0])
    assert loss.item() == pytest.approx((0 + 0.5 + 2 + 0) / 4, rel=1e-15)
    loss.backward()
    assert s.grad.tolist() == [0.0, -0.25, -0.25, 0.0]      # 0 at the kink, like relu
    assert losses.max_margin_loss is losses.hinge_loss


def test_hinge_gradcheck_away_from_the_kink():
    s = np.array([2.5, 0.3, -1.5, -0.2, 0.7])
    y = np.array([1.0, -1.0, 1.0, -1.0, 1.0])
    fd_check(lambda a: losses.hinge_loss(a, y, reduction="none"), s)
    fd_check(lambda a: losses.hinge_loss(a, y, margin=2.0), s)


# ---------------------------------------------------------------- general

def test_float32_stays_float32():
    z = Tensor(np.zeros((2, 3), dtype=np.float32), requires_grad=True)
    loss = losses.cross_entropy(z, [0, 1])
    loss.backward()
    assert loss.dtype == np.float32 and z.grad.dtype == np.float32
    assert loss.item() == pytest.approx(math.log(3), rel=1e-6)
    b = losses.binary_cross_entropy_with_logits(Tensor(np.zeros(2, np.float32)), [0, 1])
    assert b.dtype == np.float32


def test_empty_batch_mean_is_nan_silently():
    with no_warnings():
        assert math.isnan(losses.mse_loss(Tensor(np.zeros(0)), np.zeros(0)).item())
        assert losses.mse_loss(Tensor(np.zeros(0)), np.zeros(0), reduction="sum").item() == 0


@pytest.mark.parametrize("call, exc, words", [
    (lambda: losses.mse_loss(Tensor([1.0]), [1.0], reduction="avg"), ValueError, "reduction"),
    (lambda: losses.mse_loss(Tensor(np.zeros((3, 1))), np.zeros(3)), ValueError,
     r"\(3, 1\).*\(3,\)"),
    (lambda: losses.mse_loss(Tensor([1.0]), ["a"]), TypeError, "target"),
    (lambda: losses.binary_cross_entropy_with_logits(Tensor([1.0]), [-1.0]), ValueError,
     r"\[0, 1\]"),
    (lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), [0, 3]), ValueError,
     "out of range"),
    (lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), [0, -1]), ValueError,
     "out of range"),
    (lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), [0.5, 1.0]), TypeError,
     "whole class indices"),
    (lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), [0, 1, 2]), ValueError,
     "expected 2 class indices"),
    (lambda: losses.cross_entropy(Tensor(np.zeros((2, 3, 4))), [0, 1]), ValueError,
     r"\(N, C\)"),
    (lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), [0, 1], label_smoothing=2),
     ValueError, "label_smoothing"),
    (lambda: losses.hinge_loss(Tensor([1.0, 2.0]), [0.0, 1.0]), ValueError, "-1 or"),
    (lambda: losses.nll_loss(Tensor([1.0, 2.0]), [0]), ValueError, r"\(N, C\)"),
])
def test_bad_input_is_reported(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


# ---------------------------------------------------------------- random inputs (hypothesis)

_logits = hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 5)),
                     elements=st.floats(-20, 20))


@settings(max_examples=25, deadline=None)
@given(z=_logits, seed=st.integers(0, 2**32 - 1))
def test_cross_entropy_gradcheck_random(z, seed):
    t = np.random.default_rng(seed).integers(0, z.shape[1], size=z.shape[0])
    fd_check(lambda a: losses.cross_entropy(a, t, reduction="sum"), z, rtol=1e-5, atol=1e-7)


@settings(max_examples=25, deadline=None)
@given(z=_logits, seed=st.integers(0, 2**32 - 1))
def test_bce_gradcheck_random(z, seed):
    y = np.random.default_rng(seed).uniform(size=z.shape)
    fd_check(lambda a, b: losses.binary_cross_entropy_with_logits(a, b, reduction="sum"),
             z, y, rtol=1e-5, atol=1e-7)


# ---------------------------------------------------------------- minigrad.gradcheck

@pytest.mark.parametrize("name, fn, shapes", [
    ("mse", lambda a, b: losses.mse_loss(a, b, reduction="none"), [(3, 2), (3, 2)]),
    ("l1", lambda a, b: losses.l1_loss(a, b), [(3, 2), (3, 2)]),
    ("bce", lambda a, b: losses.binary_cross_entropy_with_logits(a, b.abs() / 3), [(4,), (4,)]),
    ("ce", lambda a: losses.cross_entropy(a, [2, 0, 1], reduction="none"), [(3, 4)]),
    ("ce-soft", lambda a, b: losses.cross_entropy(a, b.abs() / 3), [(3, 4), (3, 4)]),
    ("nll", lambda a: losses.nll_loss(a, [1, 1, 0]), [(3, 2)]),
    ("hinge", lambda a: losses.hinge_loss(a, [1.0, -1.0, 1.0], reduction="sum"), [(3,)]),
])
def test_every_loss_passes_minigrad_gradcheck(name, fn, shapes):
    rng = np.random.default_rng(sum(map(ord, name)))     # seeded per case
    inputs = [Tensor(rng.uniform(-2.5, 2.5, size=s) + 0.01) for s in shapes]
    assert gradcheck(fn, inputs) < 1e-7


def test_cross_entropy_uses_the_catalogs_log_softmax():
    """One definition of softmax: the loss's log-probabilities are F.log_softmax's, bit
    for bit, extremes included (-inf masks a class; +inf logits take the limit)."""
    from minigrad import F
    z = np.array([[2.0, 0.0, -1.0], [1e4, -1e4, 0.0], [0.0, -math.inf, 1.0],
                  [math.inf, 0.0, 1.0], [math.inf, math.inf, 0.0]])
    t = np.array([0, 1, 2, 0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per = losses.cross_entropy(Tensor(z), t, reduction="none").data
        logp = F.log_softmax(Tensor(z), dim=-1).data
    np.testing.assert_array_equal(per, -logp[np.arange(5), t])
    assert per[3] == 0.0 and per[4] == pytest.approx(math.log(2.0))
