"""Tests for minigrad.tensor: every op's gradient against central finite differences.

Any RuntimeWarning (overflow, divide by zero, invalid value) fails a test: extreme
input must give the right answer or a propagated NaN, silently.
"""

import gc
import warnings
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minigrad import gradcheck
from minigrad.tensor import (
    Tensor,
    cat,
    concatenate,
    is_grad_enabled,
    maximum,
    minimum,
    no_grad,
    stack,
    unbroadcast,
    where,
)

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
seeds = st.integers(0, 2**32 - 1)


# ---------------------------------------------------------------- helpers
def check_grad(fn, *arrays, tol=1e-6, seed=0):
    """Autograd of fn at float64 ``arrays`` vs central finite differences.

    minigrad.gradcheck projects the output on a seeded random direction and returns the
    worst error |analytic - numeric| / max(1, |analytic|, |numeric|) over all elements.
    """
    inputs = [Tensor(np.array(a, dtype=np.float64)) for a in arrays]
    err = gradcheck(fn, inputs, seed=seed)
    assert err < tol, f"gradient error {err}"
    leaves = [Tensor(t.data, requires_grad=True) for t in inputs]
    out = fn(*leaves)
    out.backward(np.ones(out.shape))
    for t in leaves:                              # every gradient has its input's shape
        assert t.grad is not None and t.grad.shape == t.shape and t.grad.dtype == t.dtype


def rnd(seed, shape, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def distinct(seed, shape):
    """Values at least 0.1 apart (no ties, no kink within the finite-difference step)."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.3 - 0.15 * n + rng.uniform(0, 0.1, n)).reshape(shape)


# ---------------------------------------------------------------- construction
def test_default_dtype_and_conversions():
    assert Tensor([1.0, 2.0]).dtype == np.float64
    assert Tensor([1, 2]).dtype == np.float64
    assert Tensor([True, False]).dtype == np.float64
    assert Tensor(3).shape == () and Tensor(3).item() == 3.0
    assert Tensor(np.arange(3, dtype=np.int32)).dtype == np.float64
    assert Tensor(np.ones(2, np.float32)).dtype == np.float32
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32
    assert Tensor(np.ones(2, np.float32), dtype="float64").dtype == np.float64
    assert Tensor(np.ones(2, np.float16)).dtype == np.float64


def test_constructor_copies_data():
    a = np.ones(3)
    t = Tensor(a)
    a[0] = 5.0
    assert t.data[0] == 1.0


@pytest.mark.parametrize("bad", ["abc", None, [1, "a"], [1.0, None], {"a": 1}, object(),
                                 np.array(["x"]), 1 + 2j])
def test_non_numeric_data_is_type_error(bad):
    with pytest.raises(TypeError, match="numeric"):
        Tensor(bad)


def test_bad_dtype():
    with pytest.raises(ValueError, match="float32 or float64"):
        Tensor([1.0], dtype=np.int64)
    with pytest.raises(TypeError, match="dtype"):
        Tensor([1.0], dtype="not a dtype")


def test_properties():
    t = Tensor(np.zeros((2, 3, 4)), requires_grad=True)
    assert (t.shape, t.ndim, t.size, len(t)) == ((2, 3, 4), 3, 24, 2)
    assert t.grad is None and t.is_leaf
    assert t.T.shape == (4, 3, 2)
    assert isinstance(t.numpy(), np.ndarray) and t.numpy() is t.data
    assert Tensor([[2.5]]).item() == 2.5 and isinstance(Tensor([[2.5]]).item(), float)
    with pytest.raises(ValueError, match="one element"):
        t.item()
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))
    assert "requires_grad=True" in repr(t)
    assert "float32" in repr(Tensor([1.0], dtype=np.float32))


# ---------------------------------------------------------------- dtype preservation
def test_float32_stays_float32():
    x = Tensor(np.linspace(0.5, 2, 6, dtype=np.float32).reshape(2, 3), requires_grad=True)
    w = Tensor(np.ones((3, 2), np.float32), requires_grad=True)
    results = [x * 2.5, x + 1, 1 - x, 3 / x, x / 3, x ** 2, x ** 0.5, 2.0 ** x, -x, x.exp(),
               x.log(), x.sqrt(), abs(x), x.sum(), x.mean(0), x.var(), x.std(1), x.max(),
               x.min(1), x @ w, x.clip(0.7, 1.5), maximum(x, 0), minimum(0, x),
               where(x.data > 1, x, 0.0), x[0], x.T, x.reshape(-1), cat([x, x]), stack([x, x]),
               x * np.float64(2.0)]
    for r in results:
        assert r.dtype == np.float32, r
    sum(r.sum() for r in results).backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_seed_gradient_dtype():
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    (x * 2).backward(np.ones(3))            # float64 gradient is cast to the tensor's dtype
    assert x.grad.dtype == np.float32


# ---------------------------------------------------------------- elementwise ops
UNARY = {
    "neg": (lambda x: -x, (-2, 2)),
    "exp": (lambda x: x.exp(), (-2, 2)),
    "log": (lambda x: x.log(), (0.2, 3)),
    "sqrt": (lambda x: x.sqrt(), (0.2, 3)),
    "abs": (lambda x: abs(x), (0.1, 2)),          # sign flipped at random below
    "pow3": (lambda x: x ** 3, (-2, 2)),
    "pow_half": (lambda x: x ** 0.5, (0.2, 3)),
    "rpow": (lambda x: 2.5 ** x, (-2, 2)),
    "rsub": (lambda x: 1 - x, (-2, 2)),
    "rdiv": (lambda x: 2 / x, (0.3, 2)),
    "clip": (lambda x: x.clip(-0.5, 0.7), (-2, 2)),
    "clamp_min": (lambda x: x.clamp(min=0.3), (-2, 2)),
}

NUMPY_UNARY = {
    "neg": np.negative, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs,
    "pow3": lambda x: x ** 3, "pow_half": np.sqrt, "rpow": lambda x: 2.5 ** x,
    "rsub": lambda x: 1 - x, "rdiv": lambda x: 2 / x, "clip": lambda x: np.clip(x, -0.5, 0.7),
    "clamp_min": lambda x: np.maximum(x, 0.3),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@SETTINGS
@given(shape=shapes, seed=seeds)
def test_unary_gradients(name, shape, seed):
    fn, (lo, hi) = UNARY[name]
    x = rnd(seed, shape, lo, hi)
    if name == "abs":
        x = x * np.random.default_rng(seed + 1).choice([-1, 1], shape)
    if name.startswith(("clip", "clamp")):
        x = distinct(seed, shape) / 4 + 0.013   # keep away from the bounds
    np.testing.assert_allclose(fn(Tensor(x)).data, NUMPY_UNARY[name](x), rtol=1e-12)
    check_grad(fn, x)


BINARY = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "div": (lambda a, b: a / b, np.divide),
    "pow": (lambda a, b: a ** b, np.power),
    "maximum": (maximum, np.maximum),
    "minimum": (minimum, np.minimum),
    "maximum_method": (lambda a, b: a.maximum(b), np.maximum),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4),
       seed=seeds)
def test_binary_gradients_with_broadcasting(name, shapes, seed):
    fn, ref = BINARY[name]
    sa, sb = shapes.input_shapes
    a, b = rnd(seed, sa), rnd(seed + 1, sb)
    if name in ("div", "pow"):
        a, b = np.abs(a) + 0.3, np.abs(b) + 0.3      # positive base / denominator
    out = fn(Tensor(a), Tensor(b))
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, ref(a, b), rtol=1e-12)
    check_grad(fn, a, b)


@pytest.mark.parametrize("sa,sb", [((3, 1), (1, 4)), ((5,), (2, 5)), ((), (2, 3)), ((2, 3), ()),
                                   ((4, 1, 3), (2, 1)), ((1,), (3, 3))])
def test_broadcast_gradients_have_input_shapes(sa, sb):
    a, b = rnd(1, sa), rnd(2, sb)
    check_grad(lambda x, y: x * y + x - y / (y * y + 1), a, b)


def test_broadcast_gradient_sums_by_hand():
    a = Tensor(np.ones((3, 1)), requires_grad=True)
    b = Tensor(np.ones((1, 4)), requires_grad=True)
    (a + b).sum().backward()
    np.testing.assert_array_equal(a.grad, np.full((3, 1), 4.0))   # each row meets 4 columns
    np.testing.assert_array_equal(b.grad, np.full((1, 4), 3.0))


@pytest.mark.parametrize("fn", [lambda x: x + 2, lambda x: 2 + x, lambda x: x - 2,
                                lambda x: 2 - x, lambda x: x * 3, lambda x: 3 * x,
                                lambda x: x / 4, lambda x: 4 / x, lambda x: x ** 2,
                                lambda x: 2 ** x, lambda x: x * np.float32(2),
                                lambda x: np.full(3, 2.0) * x, lambda x: x - np.arange(3)])
def test_numbers_and_arrays_on_either_side(fn):
    check_grad(fn, [0.5, 1.5, 2.0])


def test_tensor_pow_tensor_and_conventions_at_zero():
    check_grad(lambda a, b: a ** b, [0.5, 1.5, 2.0], [-1.0, 0.5, 3.0])
    a = Tensor([0.0, 0.0, 0.0, 2.0], requires_grad=True)
    b = Tensor([0.0, 2.0, 0.5, 0.0], requires_grad=True)
    (a ** b).sum().backward()
    # d/da: 0*0**-1 := 0, 2*0 = 0, 0.5*0**-0.5 = inf, 0 ; d/db: 0 where a == 0, then ln 2 * 1
    np.testing.assert_array_equal(a.grad, [0.0, 0.0, np.inf, 0.0])
    np.testing.assert_allclose(b.grad, [0.0, 0.0, 0.0, np.log(2.0)])
    x = Tensor([0.0, 3.0], requires_grad=True)
    (x ** 0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


def test_abs_and_clip_conventions():
    x = Tensor([-1.0, 0.0, 1.0], requires_grad=True)
    abs(x).sum().backward()
    np.testing.assert_array_equal(x.grad, [-1.0, 0.0, 1.0])
    x = Tensor([-1.0, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
    x.clip(0.0, 1.0).sum().backward()            # bounds included, like torch.clamp
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0, 1.0, 0.0])
    x = Tensor([-1.0, 5.0], requires_grad=True)
    y = x.clamp(min=2.0, max=1.0)                  # min > max: everything becomes max
    np.testing.assert_array_equal(y.data, [1.0, 1.0])
    with pytest.raises(ValueError, match="at least one"):
        x.clip()
    with pytest.raises(TypeError, match="min must be a number"):
        x.clip(min="a")


def test_maximum_minimum_ties_split_gradient():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([1.0, 1.0, 4.0], requires_grad=True)
    maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(b.grad, [0.5, 0.0, 1.0])
    a.zero_grad()
    b.zero_grad()
    minimum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.5, 0.0, 1.0])
    np.testing.assert_array_equal(b.grad, [0.5, 1.0, 0.0])
    x = Tensor([-1.0, 0.0, 2.0], requires_grad=True)
    maximum(x, 0).sum().backward()                # relu via maximum: 1/2 at the kink
    np.testing.assert_array_equal(x.grad, [0.0, 0.5, 1.0])


@SETTINGS
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4),
       seed=seeds)
def test_where_gradients(shapes, seed):
    sc, sa, sb = shapes.input_shapes
    cond = np.random.default_rng(seed).random(sc) > 0.5
    a, b = rnd(seed, sa), rnd(seed + 1, sb)
    out = where(cond, Tensor(a), Tensor(b))
    np.testing.assert_array_equal(out.data, np.where(cond, a, b))
    check_grad(lambda x, y: where(cond, x, y), a, b)
    check_grad(lambda x, y: x.where(cond, y), a, b)


def test_where_with_numbers_and_masks():
    x = Tensor([-2.0, 1.0, 3.0], requires_grad=True)
    y = where(x > 0, x, 0.0)
    np.testing.assert_array_equal(y.data, [0.0, 1.0, 3.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0])
    with pytest.raises(TypeError, match="condition"):
        where(np.array(["a"]), x, x)
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        where(np.ones(2, bool), x, x)


def test_comparisons_are_masks():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = Tensor([3.0, 2.0, 1.0])
    assert (x < y).tolist() == [True, False, False]
    assert (x <= y).tolist() == [True, True, False]
    assert (x > 2).tolist() == [False, False, True]
    assert (x >= 2).tolist() == [False, True, True]
    assert (x == y).tolist() == [False, True, False]
    assert (x != y).tolist() == [True, False, True]
    assert (x > 2).dtype == bool
    z = x * (x > 1)                               # a mask in arithmetic: no gradient through it
    z.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0])
    assert len({x, y}) == 2                       # still hashable


# ---------------------------------------------------------------- matmul
MATMUL_SHAPES = [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)),
                 ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 1, 2, 3), (4, 3, 2)),
                 ((3,), (5, 3, 4)), ((5, 2, 3), (3,)), ((2, 1, 2, 3), (1, 3, 3, 2))]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
def test_matmul_forward_and_gradient(sa, sb):
    a, b = rnd(3, sa), rnd(4, sb)
    out = Tensor(a) @ Tensor(b)
    np.testing.assert_allclose(out.data, a @ b, rtol=1e-12)
    check_grad(lambda x, y: x @ y, a, b)
    check_grad(lambda x, y: x.matmul(y), a, b)


def test_matmul_with_arrays_and_one_side_grad():
    a = rnd(1, (2, 3))
    w = Tensor(rnd(2, (3, 4)), requires_grad=True)
    (a @ w).sum().backward()                      # ndarray @ Tensor -> Tensor.__rmatmul__
    np.testing.assert_allclose(w.grad, np.tile(a.sum(0)[:, None], (1, 4)))
    x = Tensor(rnd(1, (2, 3)))
    assert (x @ rnd(2, (3,))).shape == (2,)


@pytest.mark.parametrize("sa,sb", [((2, 3), (4, 5)), ((3,), (4,)), ((2, 2, 3), (3, 3, 4)),
                                   ((), (3,)), ((3,), ())])
def test_matmul_shape_errors_name_both_shapes(sa, sb):
    with pytest.raises(ValueError) as err:
        Tensor(np.ones(sa)) @ Tensor(np.ones(sb))
    assert str(sa) in str(err.value) and str(sb) in str(err.value)


# ---------------------------------------------------------------- reductions
AXES = [None, 0, -1, (0, 2), (1,), (2, 0, 1)]


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "var", "std"])
def test_reductions(name, axis, keepdims):
    x = distinct(7, (2, 3, 4))
    ref = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min,
           "var": lambda v, **k: np.var(v, ddof=1, **k),
           "std": lambda v, **k: np.std(v, ddof=1, **k)}[name]
    out = getattr(Tensor(x), name)(axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, ref(x, axis=axis, keepdims=keepdims), rtol=1e-12)
    check_grad(lambda t: getattr(t, name)(axis=axis, keepdims=keepdims), x)
    # PyTorch's spelling gives the same result
    alias = getattr(Tensor(x), name)(dim=axis, keepdim=keepdims)
    np.testing.assert_array_equal(alias.data, out.data)


@SETTINGS
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=4), seed=seeds,
       correction=st.sampled_from([0, 1, 2]), keep=st.booleans())
def test_var_correction(shape, seed, correction, keep):
    x = rnd(seed, shape)
    out = Tensor(x).var(axis=-1, correction=correction, keepdims=keep)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # numpy's own "ddof >= n" warning
        expected = np.var(x, axis=-1, ddof=correction, keepdims=keep)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    if shape[-1] > correction:
        check_grad(lambda t: t.var(axis=-1, correction=correction, keepdims=keep), x)


def test_var_defaults_and_aliases():
    x = Tensor([1.0, 2.0, 4.0])
    assert np.isclose(x.var().item(), 7 / 3)                     # Bessel's correction by default
    assert np.isclose(x.var(unbiased=False).item(), 14 / 9)
    assert np.isclose(x.var(ddof=0).item(), 14 / 9)
    assert np.isnan(Tensor([5.0]).var().item())                   # 0 / 0, no warning
    with pytest.raises(TypeError, match="only one"):
        x.var(correction=1, unbiased=True)


@SETTINGS
@given(shape=shapes, seed=seeds)
def test_sum_mean_random_shapes(shape, seed):
    x = rnd(seed, shape)
    check_grad(lambda t: t.sum() * t.mean(), x)


def test_max_min_ties_split_evenly():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0.5, 0.5], [0, 0, 0]])
    x.zero_grad()
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0.5, 0.5], [0.5, 0.5, 0]])
    x.zero_grad()
    Tensor.min(x, dim=0).sum().backward()
    np.testing.assert_array_equal(x.grad, [[1, 0, 0], [0, 1, 1]])
    y = Tensor(np.full(4, 2.0), requires_grad=True)
    y.max().backward()
    np.testing.assert_array_equal(y.grad, np.full(4, 0.25))
    assert x.argmax() == 1 and list(x.argmax(axis=1)) == [1, 0]
    assert list(x.argmin(dim=1)) == [0, 2]


def test_reduction_axis_errors():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="out of range"):
        x.sum(axis=2)
    with pytest.raises(ValueError, match="repeated"):
        x.mean(axis=(0, 0))
    with pytest.raises(TypeError, match="either axis= or dim="):
        x.sum(axis=0, dim=0)
    with pytest.raises(ValueError, match="empty"):
        Tensor(np.ones((0, 3))).max()


# ---------------------------------------------------------------- shapes
SHAPE_OPS = {
    "reshape": lambda t: t.reshape(4, 6),
    "reshape_tuple": lambda t: t.reshape((3, -1)),
    "view": lambda t: t.view(2, 12),
    "flatten": lambda t: t.flatten(),
    "transpose": lambda t: t.transpose(0, 2),
    "transpose_neg": lambda t: t.transpose(-1, 1),
    "transpose_all": lambda t: t.transpose(),
    "T": lambda t: t.T,
    "permute": lambda t: t.permute(1, 2, 0),
    "permute_tuple": lambda t: t.permute((2, 0, 1)),
    "unsqueeze": lambda t: t.unsqueeze(1),
    "squeeze": lambda t: t.reshape(2, 1, 12).squeeze(1),
    "expand": lambda t: t.reshape(2, 1, 3, 4).expand(2, 5, 3, 4),
}


@pytest.mark.parametrize("name", sorted(SHAPE_OPS))
def test_shape_ops(name):
    x = rnd(8, (2, 3, 4))
    check_grad(SHAPE_OPS[name], x)


def test_shape_op_values():
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(Tensor(x).transpose(0, 2).data, np.swapaxes(x, 0, 2))
    np.testing.assert_array_equal(Tensor(x).permute(1, 2, 0).data, np.transpose(x, (1, 2, 0)))
    np.testing.assert_array_equal(Tensor(x).T.data, x.T)
    with pytest.raises(ValueError, match=r"\(2, 3, 4\).*\(5, 5\)"):
        Tensor(x).reshape(5, 5)
    for bad in [(0, 0, 1), (0, 1), (0, 1, 5)]:
        with pytest.raises(ValueError, match="permutation"):
            Tensor(x).permute(*bad)
    with pytest.raises(ValueError, match="out of range"):
        Tensor(x).transpose(0, 3)


# ---------------------------------------------------------------- indexing
INDICES = [0, -1, slice(None, None, -1), (slice(None), 1), (None, Ellipsis, 2), (0, None, 1),
           np.array([0, 1, 1]), (np.array([1, 0, 1, 1]), np.array([2, 2, 0, 2])),
           (slice(1, 3), [0, 0, 3]), (Ellipsis, [1, -1]), np.array([True, False, True]),
           (np.array([True, False, True]), slice(None, 2))]


@pytest.mark.parametrize("index", INDICES, ids=repr)
def test_indexing_forward_and_gradient(index):
    x = rnd(9, (3, 4))
    np.testing.assert_array_equal(Tensor(x)[index].data, x[index])
    check_grad(lambda t: t[index], x)


def test_repeated_indices_accumulate():
    x = Tensor([10.0, 20.0, 30.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])
    x.zero_grad()
    x[Tensor([1.0, 1.0])].sum().backward()          # a Tensor of whole numbers as the index
    np.testing.assert_array_equal(x.grad, [0.0, 2.0, 0.0])


def test_boolean_mask_from_comparison():
    x = Tensor([[-1.0, 2.0], [3.0, -4.0]], requires_grad=True)
    y = x[x > 0]
    np.testing.assert_array_equal(y.data, [2.0, 3.0])
    (y * y).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 4.0], [6.0, 0.0]])


def test_bad_index():
    x = Tensor([1.0, 2.0])
    with pytest.raises(IndexError):
        x[5]
    with pytest.raises(IndexError, match="whole numbers"):
        x[Tensor([0.5])]


# ---------------------------------------------------------------- concatenate / stack
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_and_stack(axis):
    a, b, c = rnd(1, (2, 3)), rnd(2, (2, 3)), rnd(3, (2, 3))
    np.testing.assert_array_equal(cat([Tensor(a), Tensor(b)], dim=axis).data,
                                  np.concatenate([a, b], axis=axis))
    np.testing.assert_array_equal(stack([Tensor(a), Tensor(b)], axis=axis).data,
                                  np.stack([a, b], axis=axis))
    check_grad(lambda x, y, z: concatenate([x, y * y, z], axis=axis), a, b, c)
    check_grad(lambda x, y, z: stack((x, y * y, z), dim=axis), a, b, c)


def test_concatenate_uneven_sizes_and_errors():
    a, b = rnd(1, (2, 3)), rnd(2, (2, 5))
    check_grad(lambda x, y: cat([x, y], axis=1), a, b)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 5\)"):
        cat([Tensor(a), Tensor(b)], axis=0)
    with pytest.raises(ValueError, match="shapes must be equal"):
        stack([Tensor(a), Tensor(b)])
    with pytest.raises(TypeError, match="list or tuple"):
        cat(Tensor(a))
    with pytest.raises(TypeError, match="list or tuple"):
        stack([])


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("op", [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b,
                                lambda a, b: a / b, lambda a, b: a ** b, maximum, minimum])
def test_broadcast_errors_name_both_shapes(op):
    with pytest.raises(ValueError) as err:
        op(Tensor(np.ones((2, 3))), Tensor(np.ones((4,))))
    assert "(2, 3)" in str(err.value) and "(4,)" in str(err.value)


def test_backward_errors():
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(RuntimeError, match="non-scalar.*explicit gradient"):
        (x * 2).backward()
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        (x * 2).backward(np.ones(2))
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).backward()
    (x * 2).backward(Tensor([1.0, 2.0, 3.0]))     # an explicit gradient works
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])


def test_non_numeric_operands():
    x = Tensor([1.0])
    for bad in ("a", None, object()):
        with pytest.raises(TypeError):
            x + bad
        with pytest.raises(TypeError):
            bad * x
    with pytest.raises(TypeError):
        x + 1j
    with pytest.raises(TypeError):
        np.exp(x)                                 # a ufunc would drop the graph silently


# ---------------------------------------------------------------- NaN and inf
def test_extreme_values_no_warnings():
    x = Tensor([-1e4, 0.0, 1e4], requires_grad=True)
    y = x.exp()
    np.testing.assert_array_equal(y.data, [0.0, 1.0, np.inf])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, np.inf])

    z = Tensor([0.0, -1.0, 1.0], requires_grad=True)
    r = z.log()
    assert r.data[0] == -np.inf and np.isnan(r.data[1]) and r.data[2] == 0.0
    r.backward(np.ones(3))
    np.testing.assert_array_equal(z.grad, [np.inf, -1.0, 1.0])

    s = Tensor([0.0], requires_grad=True)
    s.sqrt().sum().backward()
    assert s.grad[0] == np.inf

    d = Tensor([1.0, 0.0, -1.0]) / Tensor([0.0, 0.0, 0.0])
    assert d.data[0] == np.inf and np.isnan(d.data[1]) and d.data[2] == -np.inf
    assert (Tensor([1e200]) ** 2).item() == np.inf
    assert (Tensor([1e4]) * 1e4).item() == 1e8
    assert np.isnan(Tensor(np.ones((0,))).mean().item())


def test_nan_and_inf_propagate():
    x = Tensor([1.0, np.nan, 3.0], requires_grad=True)
    for out in (x.sum(), x.mean(), x.max(), x.min(), x.var(), x @ Tensor(np.ones(3)),
                (x * 2).exp().sum()):
        assert np.isnan(out.item())
    x.max().backward()                           # the gradient goes to the NaN entry
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])
    w = Tensor([np.inf, 1.0], requires_grad=True)
    (w * 2).sum().backward()
    np.testing.assert_array_equal(w.grad, [2.0, 2.0])
    assert np.isnan(maximum(Tensor([np.nan]), 0.0).item())
    assert np.isnan(Tensor([np.nan]).clip(0, 1).item())
    assert Tensor([np.inf]).clip(0, 1).item() == 1.0


# ---------------------------------------------------------------- graph mechanics
def test_no_grad_context_and_decorators():
    x = Tensor([1.0], requires_grad=True)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = x * 2
        with no_grad():
            pass
        assert not is_grad_enabled()              # nested exit restores the outer state
    assert is_grad_enabled() and not y.requires_grad and y.is_leaf

    @no_grad()
    def f(t):
        return t * 3

    @no_grad
    def g(t):
        """Doc."""
        return t * 3

    class Model:
        @no_grad
        def predict(self, t):
            return t * 2

        @no_grad()
        def predict2(self, t):
            return t * 2

    assert not f(x).requires_grad and not g(x).requires_grad and g.__doc__ == "Doc."
    assert not Model().predict(x).requires_grad and not Model().predict2(x).requires_grad
    with pytest.raises(TypeError, match="function"):
        no_grad(3)
    assert is_grad_enabled()
    with pytest.raises(KeyError), no_grad():
        raise KeyError
    assert is_grad_enabled()                      # restored after an exception
    assert (x * 2).requires_grad


def test_detach_requires_grad_and_retain_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.is_leaf
    y = x * d                                     # d is a constant
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    c = Tensor([3.0]).requires_grad_()
    assert c.requires_grad
    with pytest.raises(RuntimeError, match="non-leaf"):
        (c * 2).requires_grad_(False)
    h = c * 2
    h.retain_grad()
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad, [12.0])
    m = c * 3
    (m * 1).sum().backward()
    assert m.grad is None                         # intermediates keep no grad by default


def test_gradients_accumulate_and_shared_nodes():
    a = Tensor([3.0], requires_grad=True)
    b = a + a
    c = b * b                                     # c = 4a^2, dc/da = 8a
    c.backward()
    np.testing.assert_array_equal(a.grad, [24.0])
    c.backward()                                  # a second call adds the same amount
    np.testing.assert_array_equal(a.grad, [48.0])
    a.zero_grad()
    assert a.grad is None


def test_grad_arrays_are_not_shared():
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    seed = np.ones(3)
    (a + b).backward(seed)
    assert a.grad is not b.grad and a.grad is not seed
    a.grad += 1                                   # an optimiser may update in place
    np.testing.assert_array_equal(b.grad, np.ones(3))
    r = Tensor(np.ones((2, 2)), requires_grad=True)
    r.reshape(4).sum().backward()                 # a view of a broadcast array comes back
    r.grad[0, 0] = 7.0
    assert r.grad.flags.writeable


def test_callers_gradient_is_neither_copied_into_nor_aliased():
    """backward(g) does not copy g up front: it flows through the graph as it is, so no
    op may write to it, and a .grad never aliases it (it is copied where it would be)."""
    seed = np.array([1.0, -2.0, 3.0])
    keep = seed.copy()
    x = Tensor([0.5, 1.5, -1.0], requires_grad=True)
    x.backward(seed)                              # the seed itself reaches a leaf
    assert x.grad is not seed and not np.shares_memory(x.grad, seed)
    x.grad += 1.0
    np.testing.assert_array_equal(seed, keep)
    w = Tensor([2.0, 2.0, 2.0], requires_grad=True)
    for f in (lambda t: t + w, lambda t: t * w, lambda t: (t - w).exp(), lambda t: t.reshape(3),
              lambda t: t.relu(), lambda t: t.identity(), lambda t: t.tanh(),
              lambda t: t.softmax(), lambda t: t.log_softmax(), lambda t: t[[0, 1, 2]]):
        x.grad = w.grad = None
        f(x).backward(seed)
        np.testing.assert_array_equal(seed, keep)          # never written to
        for t in (x, w):
            assert t.grad is None or not np.shares_memory(t.grad, seed)
    gt = Tensor(seed)                             # a Tensor as the gradient: same rules
    x.grad = None
    x.backward(gt)
    assert not np.shares_memory(x.grad, gt.data)


def test_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        x = Tensor(np.ones((2, 2)), requires_grad=True)
        y = ((x * 2).exp() @ x.T + x[0]).sum()
        refs = [weakref.ref(y)]
        node = y
        while node._parents:
            node = node._parents[0]
            refs.append(weakref.ref(node))
        y.backward()
        del y, node
        assert all(r() is None or r() is x for r in refs)  # freed by refcounting alone
    finally:
        gc.enable()


def test_deep_chain_no_recursion_error():
    x = Tensor([1.0], requires_grad=True)
    y = x
    for _ in range(20000):
        y = y + 1.0
    y.backward()
    assert x.grad[0] == 1.0 and y.item() == 20001.0


def test_unbroadcast_helper():
    g = np.ones((2, 3, 4))
    assert unbroadcast(g, (3, 1)).shape == (3, 1) and unbroadcast(g, (3, 1))[0, 0] == 8
    assert unbroadcast(g, ()).item() == 24
    assert unbroadcast(np.array(2.0), (2, 2)).tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_make_contract_for_catalog_ops():
    """An op built with Tensor._make only returns the broadcast gradient; the engine
    sums it back to each parent's shape, and respects no_grad."""
    def scaled_add(a, b):
        return Tensor._make(a.data + 2 * b.data, (a, b), lambda g: (g, 2 * g), "scaled_add")
    check_grad(scaled_add, rnd(1, (3, 1)), rnd(2, (4,)))
    with no_grad():
        out = scaled_add(Tensor([1.0], requires_grad=True), Tensor([1.0]))
    assert not out.requires_grad and out._parents == ()


VALUE_EXPRESSIONS = [
    lambda a, b: a * b + a / b - b ** 2,
    lambda a, b: (a * b).exp() + (b * b + 1).log(),
    lambda a, b: abs(a - b) ** 1.5 + 2 ** a - 3 / (a * a + 1),
    lambda a, b: (a - b) * (a + b) ** 3 - (-a) ** 2 * b,
]


@pytest.mark.parametrize("k", range(len(VALUE_EXPRESSIONS)))
@SETTINGS
@given(xs=st.lists(st.floats(-2, 2).filter(lambda v: abs(v) > 0.1), min_size=2, max_size=2))
def test_value_and_tensor_agree(k, xs):
    from minigrad.scalar import Value
    f = VALUE_EXPRESSIONS[k]
    vals = [Value(v) for v in xs]
    out = f(*vals)
    out.backward()
    ts = [Tensor(v, requires_grad=True) for v in xs]
    tout = f(*ts)
    tout.backward()
    assert np.isclose(out.data, tout.item(), rtol=1e-13, atol=1e-13)
    for v, t in zip(vals, ts):
        assert np.isclose(v.grad, t.grad.item(), rtol=1e-12, atol=1e-12)


def test_iteration_and_tensor_lists():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert len(rows) == 2 and rows[1].tolist() == [3.0, 4.0]
    sum(r.sum() * (i + 1) for i, r in enumerate(rows)).backward()
    np.testing.assert_array_equal(x.grad, [[1.0, 1.0], [2.0, 2.0]])
    with pytest.raises(TypeError, match="0-d"):
        iter(Tensor(1.0))
    np.testing.assert_array_equal(Tensor([Tensor([1.0]), Tensor([2.0])]).data, [[1.0], [2.0]])


@SETTINGS
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), seed=seeds,
       n=st.integers(1, 6))
def test_random_integer_array_indices_scatter_add(shape, seed, n):
    rng = np.random.default_rng(seed)
    x = rnd(seed, shape)
    idx = tuple(rng.integers(-s, s, n) for s in shape[: rng.integers(1, len(shape) + 1)])
    np.testing.assert_array_equal(Tensor(x)[idx].data, x[idx])
    check_grad(lambda t: t[idx], x)
    t = Tensor(x, requires_grad=True)
    t[idx].sum().backward()
    counts = np.zeros(shape)
    np.add.at(counts, idx, 1.0)                   # each position gets one gradient per hit
    np.testing.assert_array_equal(t.grad, counts)


def test_float32_gradients_match_float64():
    rng = np.random.default_rng(5)
    xs, ws = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))

    def f(x, w):
        h = maximum(x @ w, 0.1 * (x @ w))
        return (h.exp() / (1 + h * h)).mean(axis=0).sum() + (x ** 2).var() + (x ** x.abs()).max()

    grads = {}
    for dt in (np.float32, np.float64):
        x, w = Tensor(xs, requires_grad=True, dtype=dt), Tensor(ws, requires_grad=True, dtype=dt)
        out = f(x, w)
        assert out.dtype == dt
        out.backward()
        assert x.grad.dtype == dt and w.grad.dtype == dt
        grads[dt] = (x.grad, w.grad)
    for g32, g64 in zip(grads[np.float32], grads[np.float64]):
        np.testing.assert_allclose(g32, g64, rtol=2e-4, atol=1e-5)


EXTREMES = np.array([-np.inf, -1e4, -1.0, 0.0, 1.0, 1e4, np.inf, np.nan])
EXTREME_OPS = {
    "exp": lambda x: x.exp(), "log": lambda x: x.log(), "sqrt": lambda x: x.sqrt(),
    "abs": lambda x: abs(x), "neg": lambda x: -x, "square": lambda x: x ** 2,
    "cube": lambda x: x ** 3, "pow_half": lambda x: x ** 0.5, "recip": lambda x: 1 / x,
    "rpow": lambda x: 2 ** x, "self_pow": lambda x: x ** x, "mul_self": lambda x: x * x,
    "div_self": lambda x: x / x, "sub_self": lambda x: x - x, "clip": lambda x: x.clip(-1, 1),
    "maximum": lambda x: maximum(x, 0.0), "minimum": lambda x: minimum(x, x * 2),
    "where": lambda x: where(x.data > 0, x, -x),
}


@pytest.mark.parametrize("name", sorted(EXTREME_OPS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_inputs_propagate_nan_without_warnings(name, dtype):
    """±inf, ±1e4, 0 and NaN: no warning (any RuntimeWarning fails), NaN in -> NaN out,
    and finite inputs with a finite true result give a finite result."""
    x = Tensor(EXTREMES, requires_grad=True, dtype=dtype)
    y = EXTREME_OPS[name](x)
    assert y.dtype == dtype
    y.backward(np.ones(y.shape))
    assert np.isnan(y.data[-1])
    if name not in ("clip", "maximum", "minimum", "where",     # masks: PyTorch's rules
                    "neg", "sub_self"):                        # constant derivatives
        assert np.isnan(x.grad[-1])
    with np.errstate(all="ignore"):
        ref = EXTREME_OPS[name](Tensor(np.array([-1.0, 0.5, 1.0, 2.0], dtype=dtype))).data
    assert np.all(np.isfinite(ref[[0, 2, 3]])) or name in ("log", "sqrt", "pow_half",
                                                           "self_pow")


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "var", "std"])
def test_extreme_inputs_through_reductions(reduce):
    x = Tensor(EXTREMES[:-1], requires_grad=True)           # no NaN: inf - inf is NaN anyway
    y = getattr(x, reduce)()
    y.backward()
    expected = {"sum": np.nan, "mean": np.nan, "max": np.inf, "min": -np.inf,
                "var": np.nan, "std": np.nan}[reduce]       # inf + (-inf) = NaN
    np.testing.assert_array_equal(y.data, expected)
    big = Tensor([1e4, -1e4, 3e4], requires_grad=True)
    z = getattr(big, reduce)()
    z.backward()
    assert np.isfinite(z.item()) and np.all(np.isfinite(big.grad))
