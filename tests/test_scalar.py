"""Tests for minigrad.scalar.Value: values, gradients (vs central differences), graph
handling (reuse, accumulation, a 1,000,000-op chain, no reference cycles), IEEE edge
cases, bad input, and agreement with micrograd 0.1.0 where it is installed."""

import gc
import math
import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from minigrad.scalar import Value

try:  # micrograd is a benchmark-only dependency
    from micrograd.engine import Value as MicroValue
except ImportError:  # pragma: no cover
    MicroValue = None

HAS_RELU = hasattr(Value, "relu")  # bound by the activation catalog (another module)

# Hypothesis runs seeded (derandomize) so the suite is reproducible; for a bug hunt run
# MINIGRAD_HYPOTHESIS_EXAMPLES=5000 MINIGRAD_HYPOTHESIS_RANDOM=1 pytest tests/test_scalar.py
N_EXAMPLES = int(os.environ.get("MINIGRAD_HYPOTHESIS_EXAMPLES", "150"))
DERANDOMIZE = not os.environ.get("MINIGRAD_HYPOTHESIS_RANDOM")


@pytest.fixture(autouse=True)
def _no_warnings():
    """Every test here runs with warnings as errors: IEEE results, never a RuntimeWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def close(a, b, rtol=1e-12):
    """a == b up to rtol relative to max(1, |a|, |b|); NaN matches NaN, inf matches inf."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rtol * max(1.0, abs(a), abs(b))


def central_difference(f, xs, i, h=1e-6):
    """(f(x + h e_i) - f(x - h e_i)) / 2h, with h scaled to |x_i|."""
    step = h * max(1.0, abs(xs[i]))
    up, down = list(xs), list(xs)
    up[i] += step
    down[i] -= step
    return (f(up) - f(down)) / (up[i] - down[i])


def grads(f, xs):
    """Autograd gradient of f at xs (and the Value's data)."""
    vs = [Value(x) for x in xs]
    out = f(vs)
    out.backward()
    return out.data, [v.grad for v in vs]


# ------------------------------------------------------------------------ the basics
def test_api_like_micrograd():
    a = Value(2)
    assert isinstance(a.data, float) and a.data == 2.0 and a.grad == 0.0
    a.grad = 5.0  # assignable
    assert a.grad == 5.0
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"
    assert not hasattr(Value(1.0), "__dict__")  # __slots__


@pytest.mark.parametrize(
    "f, df",
    [
        (lambda x: x + 3, lambda x: 1.0),
        (lambda x: 3 + x, lambda x: 1.0),
        (lambda x: x - 3, lambda x: 1.0),
        (lambda x: 3 - x, lambda x: -1.0),
        (lambda x: x * 3, lambda x: 3.0),
        (lambda x: 3 * x, lambda x: 3.0),
        (lambda x: x / 4, lambda x: 0.25),
        (lambda x: 4 / x, lambda x: -4 / x**2),
        (lambda x: -x, lambda x: -1.0),
        (lambda x: x**2, lambda x: 2 * x),
        (lambda x: x**3, lambda x: 3 * x**2),
        (lambda x: x**0.5, lambda x: 0.5 / math.sqrt(x)),
        (lambda x: x**-1, lambda x: -1 / x**2),
        (lambda x: x**0, lambda x: 0.0),
        (lambda x: 2**x, lambda x: math.log(2) * 2**x),
        (lambda x: x**x, lambda x: x**x * (math.log(x) + 1)),
        (lambda x: _exp(x), lambda x: math.exp(x)),
        (lambda x: _log(x), lambda x: 1 / x),
        (lambda x: x.abs() if isinstance(x, Value) else abs(x), lambda x: 1.0),
        (lambda x: abs(-x), lambda x: 1.0),
    ],
)
@pytest.mark.parametrize("x", [0.3, 1.7])
def test_each_op_against_closed_form_and_finite_differences(f, df, x):
    data, (g,) = grads(lambda v: f(v[0]), [x])
    assert close(data, f(x))  # the same expression on floats
    assert close(g, df(x), 1e-12)
    assert close(g, central_difference(lambda v: f(v[0]), [x], 0), 1e-7)


@pytest.mark.parametrize(
    "f",
    [
        lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
        lambda a, b: a**b, lambda a, b: _log(a * b) + _exp(a - b) / b,
    ],
)
def test_binary_ops_between_values(f):
    xs = [1.3, 0.7]
    data, g = grads(lambda v: f(*v), xs)
    assert close(data, f(*xs))
    for i in range(2):
        assert close(g[i], central_difference(lambda v: f(*v), xs, i), 1e-7)


def test_numpy_scalars_on_either_side():
    a = Value(3.0)
    for out in (np.float64(2.0) * a, a * np.float64(2.0), np.int64(2) * a, a * np.float32(2)):
        assert type(out) is Value and out.data == 6.0
    assert type(np.float64(1.0) + a) is Value and type(np.float64(1.0) - a) is Value
    assert type(np.float64(1.0) / a) is Value and type(np.float64(2.0) ** a) is Value
    assert Value(np.float64(2.5)).data == 2.5 and type(Value(np.int64(2)).data) is float
    assert Value(np.array(1.5)).data == 1.5 and type(Value(np.array(1.5)).data) is float


def test_node_used_twice():
    a = Value(3.0)
    b = a + a  # b = 2a
    c = b * b  # c = 4a^2, dc/da = 8a
    c.backward()
    assert a.grad == 24.0 and b.grad == 12.0
    d = Value(-2.0)
    e = d * d * d  # d^3: 3 d^2
    e.backward()
    assert d.grad == 12.0


def test_second_backward_accumulates_everywhere():
    """Documented behaviour: each backward() adds d(root)/d(node) once more to every node,
    root included (PyTorch with retain_graph=True); micrograd 0.1.0 over-counts instead."""
    a = Value(1.0)
    b = a * 2.0
    c = b * 3.0
    c.backward()
    assert (a.grad, b.grad, c.grad) == (6.0, 3.0, 1.0)
    c.backward()
    assert (a.grad, b.grad, c.grad) == (12.0, 6.0, 2.0)
    # after zeroing, a fresh backward gives the plain derivative again
    for v in (a, b, c):
        v.grad = 0.0
    c.backward()
    assert (a.grad, b.grad, c.grad) == (6.0, 3.0, 1.0)


@pytest.mark.skipif(MicroValue is None, reason="micrograd not installed")
def test_micrograd_second_backward_is_different():
    """Why minigrad documents its own rule: micrograd's inner grads flow down twice."""
    a = MicroValue(1.0)
    c = (a * 2.0) * 3.0
    c.backward()
    c.backward()
    assert a.grad == 18.0  # not 12: the 3.0 held in b.grad is added again


def test_leaf_backward_and_grad_of_itself():
    a = Value(4.0)
    a.backward()
    assert a.grad == 1.0


def test_node_classmethod_contract():
    """Value._node(data, parents, local_grads, op): how the catalog adds methods."""
    x = Value(2.0)
    y = Value._node(9.0, (x,), (5.0,), "f")
    assert (y.data, y._prev, y._local, y._op, y.grad) == (9.0, (x,), (5.0,), "f", 0.0)
    (y * 2.0).backward()
    assert x.grad == 10.0
    z = Value._node(1.0, (x, x, y), (1.0, 2.0, 3.0), "g")  # three parents, x twice
    x.grad = 0.0
    z.backward()
    assert x.grad == 3.0 + 3.0 * 5.0

    class Sub(Value):
        __slots__ = ()

    assert type(Sub._node(1.0, (), (), "")) is Sub


def test_hand_built_node_passes_no_gradient_like_micrograd():
    a, b = Value(1.0), Value(2.0)
    c = Value(3.0, (a, b), "+")
    assert c._prev == (a, b) and c._op == "+"
    c.backward()
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 1.0)


# ------------------------------------------------------------- random expressions
LEAF = st.integers(0, 2).map(lambda i: ("x", i))
CONSTS = st.sampled_from([0.5, 2.0, -1.5, 3])


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(["add", "sub", "mul", "div", "vpow"]), children, children),
        st.tuples(
            st.sampled_from(["neg", "exp", "log", "sq", "cube", "sqrt1", "abs", "reuse"]),
            children,
        ),
        st.tuples(st.sampled_from(["radd", "rsub", "rmul", "rdiv", "npow"]), CONSTS, children),
    )


EXPR = st.recursive(LEAF, _extend, max_leaves=8)


class _Kink(Exception):
    pass


def _exp(x):
    return x.exp() if hasattr(x, "exp") else math.exp(x)  # Value, Tensor or float


def _log(x):
    return x.log() if hasattr(x, "log") else math.log(x)


def evaluate(e, xs):
    """Evaluate expression tree ``e`` on floats or Values (the same Python operators).
    Every op keeps its argument inside its domain (denominators >= 1, logs of >= 1)."""
    op = e[0]
    if op == "x":
        return xs[e[1]]
    if op in ("radd", "rsub", "rmul", "rdiv", "npow"):
        c, a = e[1], evaluate(e[2], xs)
        return {
            "radd": lambda: c + a,
            "rsub": lambda: c - a,
            "rmul": lambda: c * a,
            "rdiv": lambda: c / (a * a + 1),
            "npow": lambda: abs(c) ** (a * 0.25),
        }[op]()
    a = evaluate(e[1], xs)
    if len(e) == 3:
        b = evaluate(e[2], xs)
        return {
            "add": lambda: a + b,
            "sub": lambda: a - b,
            "mul": lambda: a * b,
            "div": lambda: a / (b * b + 1),
            "vpow": lambda: (a * a + 1) ** (b * 0.25),
        }[op]()
    if op == "abs":
        raw = float(a.data) if hasattr(a, "data") else a
        if abs(raw) < 1e-3:
            raise _Kink
        return abs(a)
    return {
        "neg": lambda: -a,
        "exp": lambda: _exp(a * 0.5),
        "log": lambda: _log(a * a + 1),
        "sq": lambda: a**2,
        "cube": lambda: a**3,
        "sqrt1": lambda: (a * a + 1) ** 0.5,
        "reuse": lambda: a * a - a * 0.5 + a,  # one inner node used four times
    }[op]()


XS = st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=3, max_size=3)


@settings(max_examples=N_EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow])
@given(EXPR, XS)
def test_random_expressions_match_floats_and_finite_differences(expr, xs):
    try:
        f0 = evaluate(expr, xs)
        vs = [Value(x) for x in xs]
        out = evaluate(expr, vs)
    except (_Kink, OverflowError):
        assume(False)
    assume(math.isfinite(f0) and abs(f0) < 1e6)
    assert close(out.data, f0, 1e-12)
    out.backward()

    def f(p):
        try:
            return evaluate(expr, p)
        except _Kink:
            return math.nan

    for i in range(3):
        fd = central_difference(f, xs, i, h=1e-5)
        assume(math.isfinite(fd))
        g = vs[i].grad
        assert abs(g - fd) <= 1e-4 * max(1.0, abs(g), abs(fd)), (i, g, fd)


@settings(max_examples=N_EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow])
@given(EXPR, XS)
def test_value_and_tensor_agree(expr, xs):
    """The same expression on Values and on 0-d Tensors: same data, same gradients."""
    from minigrad import Tensor

    try:
        vs = [Value(x) for x in xs]
        out = evaluate(expr, vs)
    except _Kink:
        assume(False)
    assume(math.isfinite(out.data) and abs(out.data) < 1e6)
    ts = [Tensor(x, requires_grad=True) for x in xs]
    tout = evaluate(expr, ts)
    tout.backward()
    assert close(out.data, float(tout.data), 1e-12)
    out.backward()
    for v, t in zip(vs, ts):
        tg = 0.0 if t.grad is None else float(t.grad)
        assert close(v.grad, tg, 1e-10), (v.grad, tg)


def _micro_extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(["add", "sub", "mul"]), children, children),
        st.tuples(st.sampled_from(["neg", "sq", "cube"] + (["relu"] if HAS_RELU else [])),
                  children),
        st.tuples(st.sampled_from(["radd", "rsub", "rmul"]), CONSTS, children),
    )


def evaluate_micro(e, xs):
    """Expression on the ops micrograd has (no division: micrograd divides as a * b**-1)."""
    op = e[0]
    if op == "x":
        return xs[e[1]]
    if op in ("radd", "rsub", "rmul"):
        c, a = e[1], evaluate_micro(e[2], xs)
        return {"radd": lambda: c + a, "rsub": lambda: c - a, "rmul": lambda: c * a}[op]()
    a = evaluate_micro(e[1], xs)
    if len(e) == 3:
        b = evaluate_micro(e[2], xs)
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b}[op]()
    return {"neg": lambda: -a, "sq": lambda: a**2, "cube": lambda: a**3,
            "relu": lambda: a.relu()}[op]()


@pytest.mark.skipif(MicroValue is None, reason="micrograd not installed (bench dependency)")
@settings(max_examples=N_EXAMPLES, deadline=None, derandomize=DERANDOMIZE)
@given(st.recursive(LEAF, _micro_extend, max_leaves=10), XS)
def test_same_data_and_grads_as_micrograd(expr, xs):
    ours = [Value(x) for x in xs]
    theirs = [MicroValue(x) for x in xs]
    a, b = evaluate_micro(expr, ours), evaluate_micro(expr, theirs)
    assert close(a.data, b.data, 1e-12)
    a.backward()
    b.backward()
    for u, v in zip(ours, theirs):
        assert close(u.grad, float(v.grad), 1e-12)


# ---------------------------------------------------------------- graph structure
def test_million_op_chain_backpropagates():
    """micrograd's recursive topological sort fails at about 1,000 ops; this does not.
    (Its peak memory is measured and reported by bench/bench_scalar.py.)"""
    n = 1_000_000
    x = Value(0.5)
    y = x
    for _ in range(n // 2):
        y = y * 1.000001
        y = y + 0.25
    y.backward()
    expected = math.exp((n // 2) * math.log1p(1e-6))  # d y / d x = 1.000001 ** (n/2)
    assert close(x.grad, expected, 1e-9)
    del y  # freeing a million-deep chain must not overflow the C stack either


def _tiny_training(V, steps=3):
    """A 2-4-1 net (tanh-free: only + * and **) trained by hand for a few steps."""
    rng = np.random.default_rng(0)
    w1 = [[V(float(rng.uniform(-1, 1))) for _ in range(2)] for _ in range(4)]
    w2 = [V(float(rng.uniform(-1, 1))) for _ in range(4)]
    params = [p for row in w1 for p in row] + w2
    data = [([0.5, -1.0], 1.0), ([1.5, 0.3], -1.0), ([-0.2, 0.8], 0.5)]
    for _ in range(steps):
        loss = V(0.0)
        for x, t in data:
            h = [(row[0] * x[0] + row[1] * x[1]) ** 2 for row in w1]
            out = sum((w * hi for w, hi in zip(w2, h)), V(0.0))
            loss = loss + (out - t) ** 2
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= 0.01 * p.grad
    return loss.data


def _live(cls):
    return sum(1 for o in gc.get_objects() if type(o) is cls)


def test_trained_graph_is_freed_without_the_cycle_collector():
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        before = _live(Value)
        assert math.isfinite(_tiny_training(Value))
        after = _live(Value)  # every node freed by reference counting alone
        gc.collect()
        in_cycles = sum(1 for o in gc.garbage if type(o) is Value)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert after == before
    assert in_cycles == 0


@pytest.mark.skipif(MicroValue is None, reason="micrograd not installed")
def test_the_cycle_check_would_catch_micrograd():
    """The check above can fail: micrograd's closures keep its graph alive in cycles."""
    gc.collect()
    gc.disable()
    try:
        before = _live(MicroValue)
        _tiny_training(MicroValue)
        leaked = _live(MicroValue) - before
    finally:
        gc.enable()
        gc.collect()
    assert leaked > 100


# ------------------------------------------------------------ IEEE, NaN, extremes
INF, NAN = math.inf, math.nan


@pytest.mark.parametrize(
    "make, data, grad",
    [
        (lambda x: x.exp(), (1e4, INF), INF),
        (lambda x: x.exp(), (-1e4, 0.0), 0.0),
        (lambda x: x.exp(), (INF, INF), INF),
        (lambda x: x.exp(), (-INF, 0.0), 0.0),
        (lambda x: x.log(), (0.0, -INF), INF),
        (lambda x: x.log(), (-1.0, NAN), -1.0),
        (lambda x: x.log(), (INF, INF), 0.0),
        (lambda x: 1.0 / x, (0.0, INF), -INF),
        (lambda x: -1.0 / x, (0.0, -INF), INF),
        (lambda x: x / 0.0, (1.0, INF), INF),
        (lambda x: x / 0.0, (-1.0, -INF), INF),
        (lambda x: x / 0.0, (0.0, NAN), INF),
        (lambda x: x**-1, (0.0, INF), -INF),
        (lambda x: x ** (1 / 3), (-8.0, NAN), NAN),
        (lambda x: x**2, (1e200, INF), 2e200),
        (lambda x: x**3.5, (1e100, INF), 3.5e250),
        (lambda x: x * 1e300, (1e300, INF), 1e300),
        (lambda x: 2.0**x, (1e4, INF), INF),
        (lambda x: x**401, (-10.0, -INF), INF),
        (lambda x: x**-1, (-0.0, -INF), -INF),
        (lambda x: x**-2, (0.0, INF), -INF),
        (lambda x: 0.0**x, (2.0, 0.0), 0.0),
        (lambda x: 0.0**x, (-1.0, INF), -INF),  # inf * log(0), as PyTorch
        (lambda x: x.abs(), (0.0, 0.0), 0.0),
        (lambda x: x.abs(), (-1e4, 1e4), -1.0),
        (lambda x: x + 1.0, (NAN, NAN), 1.0),
        (lambda x: x * 2.0, (NAN, NAN), 2.0),
        (lambda x: x * x, (NAN, NAN), NAN),
        (lambda x: x - x, (INF, NAN), 0.0),
    ],
)
def test_ieee_edge_cases(make, data, grad):
    x = Value(data[0])
    out = make(x)
    assert close(out.data, data[1])
    out.backward()
    assert close(x.grad, grad)


def test_division_by_zero_between_values():
    a, b = Value(1.0), Value(0.0)
    c = a / b
    c.backward()
    assert c.data == INF and a.grad == INF and b.grad == -INF
    assert (Value(0.0) / Value(0.0)).data != (Value(0.0) / Value(0.0)).data  # NaN
    assert (Value(-2.0) / Value(-0.0)).data == INF


def test_nan_propagates_through_graph_and_gradients():
    x, w = Value(NAN), Value(2.0)
    y = (x * w + 1.0).exp().log()
    y.backward()
    assert math.isnan(y.data) and math.isnan(w.grad) and math.isnan(x.grad)


def test_value_power_value_edge_cases():
    a, b = Value(0.0), Value(2.0)
    c = a**b
    c.backward()
    assert (c.data, a.grad, b.grad) == (0.0, 0.0, 0.0)
    a, b = Value(-2.0), Value(3.0)
    c = a**b
    c.backward()
    assert c.data == -8.0 and a.grad == 12.0 and math.isnan(b.grad)  # log of negative base


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "bad", ["1.0", None, [1.0], 1 + 2j, object(), np.array([1.0, 2.0]), np.array("a"),
            np.array(1 + 1j), np.array([1.0]), Value(1.0)],
)
def test_non_numeric_data_is_a_type_error(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)


@pytest.mark.parametrize("bad", ["a", None, [1.0], 1j])
def test_non_numeric_operand_is_a_type_error(bad):
    a = Value(1.0)
    for op in (
        lambda: a + bad, lambda: bad + a, lambda: a * bad, lambda: bad * a,
        lambda: a - bad, lambda: bad - a, lambda: a / bad, lambda: bad / a,
        lambda: a**bad, lambda: bad**a,
    ):
        with pytest.raises(TypeError):
            op()


def test_huge_int_becomes_inf_not_overflow_error():
    assert Value(10**400).data == INF
    assert (Value(2.0) * 10**400).data == INF


EXTREMES = [1e4, -1e4, 1e300, -1e300, 5e-324, 0.0, -0.0, 2.5, -2.5, INF, -INF, NAN]
BINARY = [
    ("+", lambda a, b: a + b, np.add),
    ("-", lambda a, b: a - b, np.subtract),
    ("*", lambda a, b: a * b, np.multiply),
    ("/", lambda a, b: a / b, np.divide),
    ("**", lambda a, b: a**b, np.power),
]
UNARY = [
    ("exp", lambda a: a.exp(), np.exp),
    ("log", lambda a: a.log(), np.log),
    ("abs", lambda a: a.abs(), np.abs),
    ("neg", lambda a: -a, np.negative),
    ("**2", lambda a: a**2, np.square),
    ("**-1.5", lambda a: a**-1.5, lambda x: np.power(x, -1.5)),
]


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b or close(a, b, 1e-15)


@pytest.mark.parametrize("name, op, ref", BINARY)
def test_extreme_binary_inputs_follow_numpy_float64(name, op, ref):
    """Every pair of extreme inputs: no exception, no warning, numpy's float64 answer,
    for Value op Value, Value op number and number op Value; backward never raises."""
    for x in EXTREMES:
        for y in EXTREMES:
            with np.errstate(all="ignore"):
                want = float(ref(np.float64(x), np.float64(y)))
            for out in (op(Value(x), Value(y)), op(Value(x), y), op(x, Value(y))):
                assert _same(out.data, want), (name, x, y, out.data, want)
                out.backward()  # gradients may be inf or nan, never an exception


@pytest.mark.parametrize("name, op, ref", UNARY)
def test_extreme_unary_inputs_follow_numpy_float64(name, op, ref):
    for x in EXTREMES:
        with np.errstate(all="ignore"):
            want = float(ref(np.float64(x)))
        out = op(Value(x))
        assert _same(out.data, want), (name, x, out.data, want)
        out.backward()
