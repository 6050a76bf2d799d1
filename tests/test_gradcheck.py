"""Tests for minigrad.gradcheck: passes correct gradients, catches wrong ones (Tensor ops
built with Tensor._make and Value nodes built with Value._node with a wrong rule), the
error is the documented one, inputs are untouched, bad arguments are rejected."""

import math

import numpy as np
import pytest

from minigrad import Tensor, Value, gradcheck


def wrong_square(t):
    """t ** 2 whose backward forgets the factor 2."""
    return Tensor._make(t.data**2, (t,), lambda g: (g * t.data,), "wrong_square")


def wrong_in_one_place(t):
    """exp(t) whose gradient is wrong only at flat index 3."""
    def backward(g):
        d = np.exp(t.data)
        d.reshape(-1)[3] *= 1.5
        return (g * d,)
    return Tensor._make(np.exp(t.data), (t,), backward, "wrong_exp")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_correct_tensor_ops_pass(rng):
    x = Tensor(rng.standard_normal((3, 4)))
    w = Tensor(rng.standard_normal((4, 2)))
    b = Tensor(rng.standard_normal(2))
    assert gradcheck(lambda x, w, b: (x @ w + b).exp(), [x, w, b]) < 1e-7  # matrix output
    assert gradcheck(lambda x: (x * x).sum(), [x]) < 1e-7  # scalar output
    assert gradcheck(lambda x: x.sum(axis=0) / (x * x + 1.0).sum(axis=0), x) < 1e-7
    assert gradcheck(lambda s: (s * s).exp(), Tensor(0.7)) < 1e-7  # 0-d input and output


def test_correct_value_expressions_pass():
    a, b = Value(0.7), Value(-1.3)
    assert gradcheck(lambda a, b: (a * b).exp() + a**3 / (b * b + 1.0), [a, b]) < 1e-7
    assert gradcheck(lambda a: (a * a + 1.0).log(), a) < 1e-7


def test_finds_a_wrong_tensor_backward(rng):
    x = Tensor(rng.uniform(0.5, 2.0, size=(2, 3)))
    err = gradcheck(wrong_square, [x])
    assert err > 0.3  # autograd says x, the truth is 2x


def test_finds_a_gradient_wrong_in_a_single_element(rng):
    x = Tensor(rng.uniform(-1.0, 1.0, size=(2, 3)))
    assert gradcheck(lambda t: t.exp(), [x]) < 1e-7
    assert gradcheck(wrong_in_one_place, [x]) > 1e-3  # vs < 1e-7 when correct


def test_finds_a_wrong_value_node():
    x = Value(1.5)
    bad = lambda v: Value._node(v.data**2, (v,), (v.data,), "wrong_square")
    good = lambda v: Value._node(v.data**2, (v,), (2 * v.data,), "square")
    assert gradcheck(good, [x]) < 1e-7
    assert gradcheck(bad, [x]) > 0.3


def test_error_is_the_documented_relative_error():
    """Autograd says 1.1 * 2x, the truth is 2x: at x = 3 the error is 0.6 / 6.6; at
    x = 0.1 (gradient below 1) it is the absolute error 0.1 * 0.2 = 0.02."""
    def off_by_ten_percent(v):
        return Value._node(v.data**2, (v,), (1.1 * 2 * v.data,), "sq")

    assert gradcheck(off_by_ten_percent, [Value(3.0)]) == pytest.approx(0.6 / 6.6, rel=1e-6)
    assert gradcheck(off_by_ten_percent, [Value(0.1)]) == pytest.approx(0.02, rel=1e-5)


def test_projection_uses_the_seed(rng):
    x = Tensor(rng.uniform(0.5, 2.0, size=(4,)))
    e0 = gradcheck(wrong_square, [x], seed=0)
    assert gradcheck(wrong_square, [x], seed=0) == e0  # deterministic
    assert gradcheck(wrong_square, [x], seed=1) != e0  # another projection direction


def test_inputs_are_not_modified_and_float32_is_checked_in_float64(rng):
    data = rng.standard_normal((2, 2)).astype(np.float32)
    x = Tensor(data, requires_grad=True)
    before = x.data.copy()
    assert gradcheck(lambda t: (t * t).exp(), [x]) < 1e-6
    assert np.array_equal(x.data, before) and x.data.dtype == np.float32
    assert x.grad is None
    v = Value(2.0)
    gradcheck(lambda a: a * a, v)
    assert v.data == 2.0 and v.grad == 0.0


def test_input_not_used_gets_zero_gradient(rng):
    x, y = Tensor(rng.standard_normal(3)), Tensor(rng.standard_normal(3))
    assert gradcheck(lambda x, y: x * 2.0, [x, y]) < 1e-7


def test_non_finite_gradient_is_reported_as_nan():
    assert math.isnan(gradcheck(lambda a: a.log(), [Value(0.0)]))
    assert math.isnan(gradcheck(lambda t: t.sqrt(), [Tensor([0.0, 1.0])]))


@pytest.mark.parametrize(
    "inputs", [[], "x", [1.0, 2.0], np.ones(3), [Value(1.0), Tensor([1.0])]]
)
def test_bad_inputs_are_type_errors(inputs):
    with pytest.raises(TypeError, match="gradcheck: inputs"):
        gradcheck(lambda *a: a[0], inputs)


def test_bad_output_and_bad_eps():
    with pytest.raises(TypeError, match="must return a Tensor"):
        gradcheck(lambda t: t.data.sum(), [Tensor([1.0])])
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda v: v.data, [Value(1.0)])
    for eps in (0.0, -1e-6, math.inf, math.nan, "small"):
        with pytest.raises(ValueError, match="eps"):
            gradcheck(lambda v: v * v, [Value(1.0)], eps=eps)
    with pytest.raises(ValueError, match="seed"):
        gradcheck(lambda v: v * v, [Value(1.0)], seed=-1)
