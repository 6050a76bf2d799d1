"""The activation catalog, tested as one parametrised suite over every entry.

Each test below runs for every catalog entry (adding an entry adds its cases); the
expected values come from independent references, never from the code under test:

* mpmath at 80 digits (closed forms typed here from the papers' formulas) for values and,
  through ``mpmath.diff``, for derivatives, over [-50, 50];
* central finite differences at random points (hypothesis), away from kinks;
* autograd through primitive Tensor ops (the entry's ``composite``);
* PyTorch's kink conventions, recorded from torch 2.13.0 as literal data below, and
  compared live when torch is importable;
* closed-form statistics for RReLU and AlphaDropout, an exact fit for Maxout.

Warnings are errors here: no activation may emit a RuntimeWarning, even at +-inf.
"""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import F, Tensor, Value, nn
from minigrad.activations import entries, lookup, names

pytestmark = pytest.mark.filterwarnings("error")

mp.mp.dps = 30

ELEMENTWISE = entries(elementwise=True)
ALL = entries()
IDS = [e.name for e in ELEMENTWISE]

# SELU constants typed from Klambauer et al. (2017), eq. 14 — not read from the code.
_SELU_L = mp.mpf("1.0507009873554804934193349852946")
_SELU_A = mp.mpf("1.6732632423543772848170429916717")


# --------------------------------------------------------------- mpmath references
def _pw(cond, a, b):
    return a if cond else b


def _se_ref(x, alpha):
    a = mp.mpf(alpha)
    if a == 0:
        return x
    if a > 0:
        return (mp.exp(a * x) - 1) / a + a
    arg = 1 - a * (x + a)
    if arg <= 0:
        return mp.nan
    return -mp.log(arg) / a


def _apl_ref(x, a, b):
    a, b = np.ravel(a), np.ravel(b)
    return max(mp.mpf(0), x) + sum(mp.mpf(float(ai)) * max(mp.mpf(0), -x + float(bi))
                                   for ai, bi in zip(a, b))


REF = {
    "identity": lambda x: x,
    "binary_step": lambda x: _pw(x >= 0, mp.mpf(1), mp.mpf(0)),
    "sigmoid": lambda x: 1 / (1 + mp.exp(-x)),
    "tanh": mp.tanh,
    "arctan": mp.atan,
    "softsign": lambda x: x / (1 + abs(x)),
    "isru": lambda x, alpha: x / mp.sqrt(1 + alpha * x * x),
    "isrlu": lambda x, alpha: _pw(x >= 0, x, x / mp.sqrt(1 + alpha * x * x)),
    "relu": lambda x: max(mp.mpf(0), x),
    "leaky_relu": lambda x, negative_slope: _pw(x > 0, x, negative_slope * x),
    "prelu": lambda x, weight: _pw(x > 0, x, weight * x),
    "rrelu": lambda x, lower, upper: _pw(x >= 0, x, (mp.mpf(lower) + upper) / 2 * x),
    "elu": lambda x, alpha: _pw(x > 0, x, alpha * (mp.exp(x) - 1)),
    "selu": lambda x: _SELU_L * _pw(x > 0, x, _SELU_A * (mp.exp(x) - 1)),
    "celu": lambda x, alpha: max(mp.mpf(0), x) + min(mp.mpf(0), alpha * (mp.exp(x / alpha) - 1)),
    "softplus": lambda x, beta, threshold: _pw(beta * x > threshold, x,
                                               mp.log(1 + mp.exp(beta * x)) / beta),
    "logsigmoid": lambda x: -mp.log(1 + mp.exp(-x)),
    "bent_identity": lambda x: (mp.sqrt(x * x + 1) - 1) / 2 + x,
    "silu": lambda x: x / (1 + mp.exp(-x)),
    "swish": lambda x, beta: x / (1 + mp.exp(-beta * x)),
    "gelu": lambda x, approximate: (
        x / 2 * mp.erfc(-x / mp.sqrt(2)) if approximate == "none"   # = x/2 (1 + erf(x/sqrt2))
        # x/2 (1 + tanh(u)) written as x / (1 + e^(-2u)) so 80 digits suffice at x = -50
        else x / (1 + mp.exp(-2 * mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x ** 3)))),
    "mish": lambda x: x * mp.tanh(mp.log(1 + mp.exp(x))),
    "hardswish": lambda x: _pw(x <= -3, mp.mpf(0), _pw(x >= 3, x, x * (x + 3) / 6)),
    "hardsigmoid": lambda x: _pw(x <= -3, mp.mpf(0), _pw(x >= 3, mp.mpf(1), x / 6 + mp.mpf(1) / 2)),
    "hardtanh": lambda x, min_val, max_val: min(max(x, mp.mpf(min_val)), mp.mpf(max_val)),
    "relu6": lambda x: min(max(x, mp.mpf(0)), mp.mpf(6)),
    "softshrink": lambda x, lambd: _pw(x > lambd, x - lambd, _pw(x < -lambd, x + lambd, mp.mpf(0))),
    "hardshrink": lambda x, lambd: _pw(abs(x) > lambd, x, mp.mpf(0)),
    "tanhshrink": lambda x: x - mp.tanh(x),
    "threshold": lambda x, threshold, value: _pw(x > threshold, x, mp.mpf(value)),
    "soft_exponential": _se_ref,
    "sinusoid": mp.sin,
    "sinc": lambda x: mp.mpf(1) if x == 0 else mp.sin(x) / x,
    "gaussian": lambda x: mp.exp(-x * x),
    "srelu": lambda x, t_left, a_left, t_right, a_right: _pw(
        x >= t_right, t_right + a_right * (x - t_right),
        _pw(x <= t_left, t_left + a_left * (x - t_left), x)),
    "apl": _apl_ref,
}

# Non-default parameters tested in addition to the defaults.
ALT = {
    "isru": [{"alpha": 0.3}, {"alpha": 4.0}],
    "isrlu": [{"alpha": 2.5}],
    "leaky_relu": [{"negative_slope": 0.2}, {"negative_slope": -0.5}],
    "prelu": [{"weight": -0.3}],
    "rrelu": [{"lower": 0.1, "upper": 0.5}],
    "elu": [{"alpha": 0.5}, {"alpha": 2.0}],
    "celu": [{"alpha": 0.6}],
    "softplus": [{"beta": 2.0, "threshold": 20.0}, {"beta": 0.5, "threshold": 5.0}],
    "swish": [{"beta": 1.7}, {"beta": -0.8}],
    "gelu": [{"approximate": "tanh"}],
    "hardtanh": [{"min_val": -2.0, "max_val": 0.5}],
    "softshrink": [{"lambd": 1.0}],
    "hardshrink": [{"lambd": 1.0}],
    "threshold": [{"threshold": 1.0, "value": 3.0}],
    "soft_exponential": [{"alpha": 0.4}, {"alpha": -0.7}, {"alpha": 1e-7}, {"alpha": -1e-7},
                         {"alpha": 1.5}],
    "srelu": [{"t_left": -0.5, "a_left": 0.1, "t_right": 2.0, "a_right": 1.5}],
    "apl": [{"a": (0.3, -0.1, 0.2), "b": (0.5, -1.0, 2.0)}],
}


def _cases(entry):
    out = [entry.example_params]
    out += ALT.get(entry.name, [])
    return out


CASES = [(e, p) for e in ELEMENTWISE for p in _cases(e)]
CASE_IDS = [f"{e.name}-{i}" for e in ELEMENTWISE for i, _ in enumerate(_cases(e))]


def _mp_params(p):
    return {k: (mp.mpf(v) if isinstance(v, float) else v) for k, v in p.items()}


def _ref(entry, x, p):
    fn = REF[entry.name]
    with mp.workdps(80):    # log(1 + e^-50) needs more than 30 digits
        val = fn(mp.mpf(float(x)), **_mp_params(p))
        return float(val) if not mp.isnan(val) else math.nan


def _ref_d(entry, x, p):
    fn = REF[entry.name]
    with mp.workdps(80):    # f(x) - 1 ~ 1e-43 at x = 50 for tanh: enough digits for that
        pp = _mp_params(p)
        return float(mp.diff(lambda t: fn(t, **pp), mp.mpf(float(x))))


def _kinks(entry, p):
    return [float(k) for k in entry.kinks(**p)]


def _away(x, kinks, dist):
    return all(abs(x - k) > dist * max(1.0, abs(k)) for k in kinks)


def _domain_ok(entry, x, p):
    """soft_exponential with alpha < 0 is defined for x > 1/alpha - alpha only."""
    if entry.name == "soft_exponential" and p["alpha"] < 0:
        return x > 1.0 / p["alpha"] - p["alpha"] + 1e-6
    return True


GRID = np.concatenate([np.linspace(-50.0, 50.0, 81),
                       np.random.default_rng(1).uniform(-50, 50, 40),
                       [-1e-8, 1e-8, -1e-3, 1e-3, 0.0, -0.75, 0.3, 2.5, -2.9, 5.0]])


# --------------------------------------------------------------------- the suite
def test_every_elementwise_entry_has_an_independent_reference():
    missing = [e.name for e in ELEMENTWISE if e.name not in REF]
    assert not missing, f"add an mpmath reference for {missing}"


@pytest.mark.parametrize(("entry", "params"), CASES, ids=CASE_IDS)
def test_values_and_derivatives_match_mpmath(entry, params):
    """f to 1e-12 relative and f' to 1e-10 relative on [-50, 50] (vs 80-digit mpmath)."""
    p = entry.resolve((), params)
    kinks = _kinks(entry, p)
    y = entry.forward(GRID, **p)
    d = entry.derivative(GRID, y, **p)
    worst_f = worst_d = 0.0
    for x, fx, dx in zip(GRID, y, d):
        if not _domain_ok(entry, x, p):
            assert math.isnan(fx) or x >= 1.0 / p["alpha"] - p["alpha"] - 1e-6
            continue
        r = _ref(entry, x, p)
        if not _away(x, kinks, 1e-12):
            continue   # discontinuous functions: the value at the kink is the convention
        err = abs(fx - r) / max(abs(r), 1e-300)
        assert err <= 1e-12 or abs(fx - r) < 1e-300, (x, fx, r)
        worst_f = max(worst_f, err)
        if _away(x, kinks, 1e-6):
            rd = _ref_d(entry, x, p)
            errd = abs(dx - rd) / max(abs(rd), 1e-300)
            # (mpmath.diff returns ~1e-169 noise where f'(x) = 0 exactly)
            assert errd <= 1e-10 or abs(dx - rd) < 1e-150, (x, dx, rd)
            worst_d = max(worst_d, errd)


@pytest.mark.parametrize(("entry", "params"), CASES, ids=CASE_IDS)
@settings(max_examples=25, deadline=None)
@given(x=st.floats(-30.0, 30.0))
def test_derivative_matches_central_differences(entry, params, x):
    p = entry.resolve((), params)
    kinks = _kinks(entry, p)
    h = 1e-6 * max(1.0, abs(x))
    if not _away(x, kinks, 1e-4) or not _domain_ok(entry, x - 2 * h, p):
        return
    fp = float(entry.forward(np.float64(x + h), **p))
    fm = float(entry.forward(np.float64(x - h), **p))
    fd = (fp - fm) / (2 * h)
    d = float(entry.grad(x, **params))
    assert abs(d - fd) <= 1e-6 * max(1.0, abs(d)), (x, d, fd)


@pytest.mark.parametrize(("entry", "params"), CASES, ids=CASE_IDS)
def test_extremes_give_limits_and_no_warning(entry, params):
    """On [-1e4, 1e4], +-inf and NaN: no RuntimeWarning (warnings are errors here); NaN
    propagates; f(+-inf) and f'(+-inf) are the limits where the limits exist (NaN where
    they do not, e.g. sin)."""
    p = entry.resolve((), params)
    xs = np.array([-1e4, -1e3, -700.0, -100.0, 100.0, 710.0, 1e3, 1e4,
                   -np.inf, np.inf, np.nan, 1e200, -1e200])
    y = entry.forward(xs, **p)
    d = entry.derivative(xs, y, **p)
    assert np.isnan(y[10]) and np.isnan(d[10])
    for i_inf, sign in ((9, 1.0), (8, -1.0)):
        if not _domain_ok(entry, sign * 1e15, p):
            continue
        for vals, fn in ((y, lambda z: entry.forward(z, **p)),
                         (d, lambda z: entry.derivative(z, entry.forward(z, **p), **p))):
            a, b = float(fn(np.float64(sign * 1e15))), float(fn(np.float64(sign * 1e16)))
            a1 = float(fn(np.float64(sign * (1e15 + 1.0))))
            got = vals[i_inf]
            if not (a1 == a or abs(a1 - a) <= 1e-3 * max(1.0, abs(a))):   # oscillates
                assert math.isnan(got), (sign, got)
            elif abs(a - b) <= 1e-6 * max(1.0, abs(a)):     # converges
                assert abs(got - b) <= 1e-6 * max(1.0, abs(b)), (sign, got, b)
            else:                                           # diverges
                assert abs(b) >= abs(a) and got == math.copysign(math.inf, b), (sign, got, a, b)
    inside = np.array([_domain_ok(entry, x, p) for x in xs[:8]])
    assert not np.any(np.isnan(y[:8][inside]))
    # the same through the autograd wrappers, float64 and float32
    for dtype in (np.float64, np.float32):
        xt = xs if dtype == np.float64 else np.clip(xs, -1e30, 1e30)
        t = Tensor(xt, requires_grad=True, dtype=dtype)
        out = getattr(t, entry.name)(**params)
        assert out.dtype == dtype
        out.backward(np.ones(xs.shape, dtype=dtype))
        assert t.grad.dtype == dtype and np.isnan(t.grad[10])


@pytest.mark.parametrize(("entry", "params"), CASES, ids=CASE_IDS)
def test_value_and_tensor_agree(entry, params):
    rng = np.random.default_rng(7)
    p = entry.resolve((), params)
    kinks = _kinks(entry, p)
    xs = [x for x in rng.uniform(-6, 6, 12) if _away(x, kinks, 1e-6) and _domain_ok(entry, x, p)]
    learn = entry.learnable
    t = Tensor(xs, requires_grad=True)
    tp = {k: (Tensor(np.asarray(v, dtype=float), requires_grad=True) if k in learn else v)
          for k, v in p.items()}
    out = getattr(t, entry.name)(**tp)
    out.sum().backward()
    pgrads = {k: 0.0 for k in learn}
    for i, x in enumerate(xs):
        v = Value(x)
        vp = {k: ([Value(float(a)) for a in np.ravel(val)] if k in learn and np.ndim(val)
                  else (Value(float(val)) if k in learn else val)) for k, val in p.items()}
        if entry.name == "apl":
            r = F.apl(v, vp["a"], vp["b"])
        else:
            r = getattr(v, entry.name)(**vp)
        r.backward()
        assert r.data == pytest.approx(out.data[i], rel=1e-14, abs=1e-300)
        assert v.grad == pytest.approx(t.grad[i], rel=1e-14, abs=1e-300)
        for k in learn:
            g = [a.grad for a in vp[k]] if isinstance(vp[k], list) else vp[k].grad
            pgrads[k] = pgrads[k] + np.asarray(g)
    for k in learn:
        np.testing.assert_allclose(np.ravel(tp[k].grad), np.ravel(pgrads[k]), rtol=1e-12,
                                   atol=1e-300)


COMPOSITE = [(e, p) for e, p in CASES if e.composite is not None]


@pytest.mark.parametrize(("entry", "params"), COMPOSITE,
                         ids=[f"{e.name}-{i}" for i, (e, _) in enumerate(COMPOSITE)])
def test_analytic_derivative_matches_autograd_through_primitives(entry, params):
    rng = np.random.default_rng(3)
    p = entry.resolve((), params)
    kinks = _kinks(entry, p)
    xs = np.array([x for x in rng.uniform(-8, 8, 64) if _away(x, kinks, 1e-6)])
    learn = entry.learnable
    t = Tensor(xs, requires_grad=True)
    tp = {k: (Tensor(v, requires_grad=True) if k in learn else v) for k, v in p.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the naive composites may overflow; not our code
        y = entry.composite(t, **tp)
        y.backward(np.ones_like(xs))
    np.testing.assert_allclose(entry.forward(xs, **p), y.data, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(entry.derivative(xs, entry.forward(xs, **p), **p), t.grad,
                               rtol=1e-9, atol=1e-12)
    for k in learn:
        an = entry.param_derivatives[k](xs, entry.forward(xs, **p), **p).sum()
        assert float(tp[k].grad) == pytest.approx(an, rel=1e-9, abs=1e-12)


LEARN = [(e, p) for e, p in CASES if e.learnable]


@pytest.mark.parametrize(("entry", "params"), LEARN,
                         ids=[f"{e.name}-{i}" for i, (e, _) in enumerate(LEARN)])
def test_learnable_parameter_gradients_match_central_differences(entry, params):
    rng = np.random.default_rng(11)
    p = entry.resolve((), params)
    kinks = _kinks(entry, p)
    xs = np.array([x for x in rng.uniform(-4, 4, 40)
                   if _away(x, kinks, 1e-3) and _domain_ok(entry, x - 0.1, p)])
    xs = xs[[_away(x, [float(b) for b in np.ravel(p.get("b", ()))], 1e-3) for x in xs]]
    for k in entry.learnable:
        v0 = np.asarray(p[k], dtype=float)
        tp = {n: (Tensor(np.asarray(val, dtype=float), requires_grad=True) if n == k else val)
              for n, val in p.items()}
        x = Tensor(xs)
        getattr(x, entry.name)(**tp).sum().backward()
        grad = np.asarray(tp[k].grad, dtype=float)
        fd = np.zeros_like(v0)
        for idx in np.ndindex(v0.shape):
            h = 1e-6 * max(1.0, abs(float(v0[idx])))
            vp, vm = v0.copy(), v0.copy()
            vp[idx] += h
            vm[idx] -= h
            fp = entry.forward(xs, **{**p, k: vp if v0.ndim else float(vp)}).sum()
            fm = entry.forward(xs, **{**p, k: vm if v0.ndim else float(vm)}).sum()
            fd[idx] = (fp - fm) / (2 * h)
        np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6, err_msg=k)


# PyTorch's values and derivatives at the kinks, read from torch 2.13.0 (CPU, float64)
# with torch.autograd (see the conventions in minigrad/activations/catalog.py):
# (name, params, x, f(x), f'(x))
TORCH_KINKS = [
    ("relu", {}, 0.0, 0.0, 0.0),
    ("leaky_relu", {"negative_slope": 0.01}, 0.0, 0.0, 0.01),
    ("leaky_relu", {"negative_slope": -0.5}, 0.0, -0.0, -0.5),
    ("prelu", {"weight": 0.25}, 0.0, 0.0, 0.25),
    ("rrelu", {"lower": 0.125, "upper": 0.3333333333333333}, 0.0, 0.0, 0.22916666666666666),
    ("elu", {"alpha": 1.0}, 0.0, 0.0, 1.0),
    ("elu", {"alpha": 2.0}, 0.0, 0.0, 2.0),
    ("selu", {}, 0.0, 0.0, 1.7580993408473766),
    ("celu", {"alpha": 2.0}, 0.0, 0.0, 1.0),
    ("relu6", {}, 0.0, 0.0, 0.0),
    ("relu6", {}, 6.0, 6.0, 0.0),
    ("hardtanh", {"min_val": -1.0, "max_val": 1.0}, -1.0, -1.0, 0.0),
    ("hardtanh", {"min_val": -1.0, "max_val": 1.0}, 1.0, 1.0, 0.0),
    ("hardtanh", {"min_val": -2.0, "max_val": 0.5}, -2.0, -2.0, 0.0),
    ("hardtanh", {"min_val": -2.0, "max_val": 0.5}, 0.5, 0.5, 0.0),
    ("hardsigmoid", {}, -3.0, 0.0, 0.0),
    ("hardsigmoid", {}, 3.0, 1.0, 0.0),
    ("hardswish", {}, -3.0, -0.0, 0.0),
    ("hardswish", {}, 3.0, 3.0, 1.0),
    ("softshrink", {"lambd": 0.5}, -0.5, -0.0, 0.0),
    ("softshrink", {"lambd": 0.5}, 0.5, 0.0, 0.0),
    ("hardshrink", {"lambd": 0.5}, -0.5, 0.0, 0.0),
    ("hardshrink", {"lambd": 0.5}, 0.5, 0.0, 0.0),
    ("threshold", {"threshold": 1.0, "value": 3.0}, 1.0, 3.0, 0.0),
    ("softplus", {"beta": 1.0, "threshold": 20.0}, 20.0, 20.000000002061153, 0.9999999979388464),
    ("softplus", {"beta": 2.0, "threshold": 20.0}, 10.0, 10.000000001030577, 0.9999999979388464),
    ("softplus", {"beta": 1.0, "threshold": 5.0}, 5.0, 5.006715348489118, 0.9933071490757152),
]


@pytest.mark.parametrize(("name", "params", "x", "fx", "dfx"), TORCH_KINKS,
                         ids=[f"{c[0]}@{c[2]}" for c in TORCH_KINKS])
def test_kink_conventions_match_pytorch(name, params, x, fx, dfx):
    e = lookup(name)
    assert float(e(x, **params)) == pytest.approx(fx, rel=1e-15, abs=0)
    assert float(e.grad(x, **params)) == pytest.approx(dfx, rel=1e-15, abs=0)
    v = Value(x)
    getattr(v, name)(**params).backward()
    assert v.grad == pytest.approx(dfx, rel=1e-15, abs=0)


def test_every_kink_of_a_torch_function_is_covered():
    covered = {c[0] for c in TORCH_KINKS}
    for e in ELEMENTWISE:
        if e.torch_name and _kinks(e, e.resolve((), e.example_params)) and e.name not in covered:
            pytest.fail(f"record PyTorch's derivative at the kinks of {e.name}")


def _torch_fn(entry, params):
    torch = pytest.importorskip("torch", exc_type=ImportError)
    tf = torch.nn.functional
    n = entry.torch_name
    if entry.name == "prelu":
        return lambda t: tf.prelu(t, torch.tensor([params["weight"]], dtype=t.dtype))
    if entry.name == "rrelu":
        return lambda t: tf.rrelu(t, params["lower"], params["upper"], training=False)
    if entry.name == "threshold":
        return lambda t: tf.threshold(t, params["threshold"], params["value"])
    fn = getattr(tf, n, None) or getattr(torch, n)
    return lambda t: fn(t, **params)


TORCH_CASES = [(e, p) for e, p in CASES if e.torch_name and e.torch_name != "Identity"]


@pytest.mark.parametrize(("entry", "params"), TORCH_CASES,
                         ids=[f"{e.name}-{i}" for i, (e, _) in enumerate(TORCH_CASES)])
def test_matches_pytorch_live(entry, params):
    torch = pytest.importorskip("torch", exc_type=ImportError)
    fn = _torch_fn(entry, params)
    p = entry.resolve((), params)
    xs = np.concatenate([np.linspace(-30, 30, 241), _kinks(entry, p), [0.0]])
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = fn(t)
        y.backward(torch.ones_like(y))
    ours = entry.forward(xs, **p)
    np.testing.assert_allclose(ours, y.detach().numpy(), rtol=1e-10, atol=1e-12)
    # looser for derivatives: torch's own backward is less exact in places (hardsigmoid's
    # slope is the float32 constant 1/6 = 0.1666666716; CELU's 1/alpha input scale looks
    # float32-rounded: 2e-7 relative off in the left tail; our values match mpmath above)
    np.testing.assert_allclose(entry.derivative(xs, ours, **p), t.grad.numpy(),
                               rtol=1e-6, atol=1e-10)


# ------------------------------------------------------------- lookup and API
def test_lookup_by_name_alias_and_layer_name_and_suggestions():
    assert lookup("swish").name == "swish"
    assert lookup("SiLU").name == "silu"
    assert lookup("LeakyReLU").name == "leaky_relu"
    assert lookup("logistic") is lookup("sigmoid")
    with pytest.raises(ValueError, match="gelu"):
        lookup("gleu")
    with pytest.raises(ValueError, match="unknown activation"):
        lookup("definitely_not_an_activation_xyz")
    with pytest.raises(TypeError):
        lookup(3)
    assert len(names()) == len(ALL) and len(set(names(True))) == len(names(True))


def test_every_entry_is_everywhere():
    for e in ALL:
        assert callable(getattr(F, e.name)), e.name
        assert callable(getattr(Tensor, e.name)), e.name
        if e.layer_name and e.layer_name != "Identity":
            assert issubclass(getattr(nn, e.layer_name), nn.Module), e.layer_name
        assert e.latex and e.title and e.family
        if e.elementwise:
            assert callable(getattr(Value, e.name)), e.name
            for k in e.learnable:
                assert k in e.param_derivatives
        for a in e.aliases:
            assert lookup(a) is e
    assert F.relu.__doc__ and "max(0, x)" in F.relu.__doc__


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=IDS)
def test_functional_and_layer_agree_with_the_entry(entry):
    xs = np.linspace(-4, 4, 17)
    p = entry.example_params
    ref = entry.forward(xs, **p)
    np.testing.assert_array_equal(F.__dict__[entry.name](Tensor(xs), **p).data, ref)
    np.testing.assert_array_equal(F.__dict__[entry.name](xs.tolist(), **p).data, ref)
    layer = nn.Activation(entry.name, **p).eval()    # (RReLU is random in training)
    np.testing.assert_array_equal(layer(Tensor(xs)).data, ref)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: F.rrelu(Tensor([1.0]), lower=0.5, upper=0.2), "lower"),
    (lambda: F.isru(Tensor([1.0]), alpha=0.0), "alpha"),
    (lambda: F.isrlu(Tensor([1.0]), alpha=-1.0), "alpha"),
    (lambda: F.maxout(Tensor(np.ones((2, 6))), 0), "k"),
    (lambda: F.maxout(Tensor(np.ones((2, 5))), 2), "divisible"),
    (lambda: nn.Maxout(3, 2, k=0), "k"),
    (lambda: F.softmax(Tensor(np.ones((2, 3))), dim=2), "dim"),
    (lambda: F.log_softmax(Tensor(np.ones((2, 3))), dim=-3), "dim"),
    (lambda: F.softmin(Tensor(np.ones(3)), dim=1), "dim"),
    (lambda: F.glu(Tensor(np.ones((2, 3)))), "even"),
    (lambda: F.hardtanh(Tensor([1.0]), min_val=1.0, max_val=-1.0), "min_val"),
    (lambda: F.gelu(Tensor([1.0]), approximate="fast"), "approximate"),
    (lambda: F.elu(Tensor([1.0]), alhpa=1.0), "alhpa"),
    (lambda: F.elu(Tensor([1.0]), alpha=math.nan), "NaN"),
    (lambda: F.softplus(Tensor([1.0]), beta=0.0), "beta"),
    (lambda: F.celu(Tensor([1.0]), alpha=0.0), "alpha"),
    (lambda: F.srelu(Tensor([1.0]), 1.0, 0.1, 0.0, 1.0), "t_left"),
    (lambda: F.apl(Tensor([1.0]), [0.1, 0.2], [0.0]), "same shape"),
    (lambda: F.prelu(Tensor(np.ones((2, 3))), Tensor([0.1, 0.2])), "channel"),
    (lambda: nn.Activation("reluu"), "relu"),
    (lambda: nn.PReLU(0), "num_parameters"),
    (lambda: nn.APL(3, hinges=0), "hinges"),
])
def test_invalid_parameters_raise_value_error_naming_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_threshold_takes_its_parameters_in_pytorchs_order():
    np.testing.assert_array_equal(F.threshold(Tensor([0.5, 2.0]), 1.0, -3.0).data, [-3.0, 2.0])


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError):
        F.elu(Tensor([1.0]), alpha="big")
    with pytest.raises(TypeError):
        F.relu(Tensor([1.0]), 3.0)          # relu has no parameter
    with pytest.raises(TypeError):
        lookup("elu")("x")
    with pytest.raises(TypeError):
        F.maxout(Tensor(np.ones((2, 4))), 2.5)
    with pytest.raises(TypeError):
        F.leaky_relu(Tensor([1.0]), negative_slope=Tensor(0.1, requires_grad=True))
    with pytest.raises(TypeError):
        F.rrelu(Tensor([-1.0]), training=True, generator="seed")


# -------------------------------------------------------- SoftExponential details
def test_soft_exponential_alpha_gradient_is_continuous_across_zero():
    e = lookup("soft_exponential")
    xs = np.array([-3.0, -0.5, 0.0, 0.7, 2.0, 5.0])
    at0 = e.param_derivatives["alpha"](xs, None, 0.0)
    np.testing.assert_allclose(at0, 1 + xs ** 2 / 2, rtol=1e-15)   # closed form at 0
    for a in (1e-15, -1e-15, 1e-9, -1e-9, 1e-5, -1e-5, 1e-3, -1e-3, 0.02, -0.02, 0.3, -0.3):
        ok = xs > (1 / a - a if a < 0 else -np.inf)
        g = e.param_derivatives["alpha"](xs[ok], None, a)
        ref = [float(mp.diff(lambda al, x=x: _se_ref(mp.mpf(float(x)), al), mp.mpf(a)))
               for x in xs[ok]]
        np.testing.assert_allclose(g, ref, rtol=1e-10, err_msg=str(a))
    # the x-derivative is continuous in alpha too
    np.testing.assert_allclose(e.derivative(xs, None, 1e-12), np.ones_like(xs), rtol=1e-10)


def test_soft_exponential_outside_domain_is_nan_without_warning():
    e = lookup("soft_exponential")
    x = np.array([-5.0, -2.0, 0.0, 2.0])      # alpha = -1: defined for x > -1 + 1 = 0
    y = e(x, alpha=-1.0)
    assert np.isnan(y[0]) and np.isnan(y[1])
    assert np.isneginf(y[2])                   # the boundary: -log(0) / alpha = -inf
    assert y[3] == pytest.approx(math.log(2.0), rel=1e-15)   # -log(1 + (2 - 1)) / -1
    t = Tensor(x, requires_grad=True)
    F.soft_exponential(t, alpha=-1.0).backward(np.ones(4))
    assert np.isnan(t.grad[0]) and np.isfinite(t.grad[3])


def test_soft_exponential_learns_alpha_through_the_layer():
    layer = nn.SoftExponential()
    x = Tensor(np.linspace(-1, 1, 11))
    target = np.exp(x.data) - 1 + 1   # alpha = 1: e^x - 1 + 1
    for _ in range(300):
        loss = ((layer(x) - Tensor(target)) ** 2).mean()
        layer.zero_grad()
        loss.backward()
        layer.alpha.data -= 0.5 * layer.alpha.grad
    assert float(layer.alpha.data[0]) == pytest.approx(1.0, abs=1e-3)


# --------------------------------------------------------------------- RReLU
def test_rrelu_training_slopes_are_uniform_and_eval_uses_the_mean():
    stats = pytest.importorskip("scipy.stats")
    lo, hi = 0.1, 0.4
    x = Tensor(-np.ones(200_000), requires_grad=True)
    y = F.rrelu(x, lo, hi, training=True, generator=np.random.default_rng(0))
    slopes = -y.data
    assert slopes.min() >= lo and slopes.max() <= hi
    assert slopes.mean() == pytest.approx((lo + hi) / 2, abs=4 * (hi - lo) / math.sqrt(12 * 2e5))
    assert slopes.var() == pytest.approx((hi - lo) ** 2 / 12, rel=0.02)
    assert stats.kstest(slopes, stats.uniform(lo, hi - lo).cdf).pvalue > 1e-3
    y.backward(np.ones(200_000))
    np.testing.assert_array_equal(x.grad, slopes)            # gradient = the drawn slope
    pos = F.rrelu(Tensor([0.5, 2.0]), lo, hi, training=True, generator=1)
    np.testing.assert_array_equal(pos.data, [0.5, 2.0])
    ev = F.rrelu(Tensor([-2.0, 3.0]), lo, hi, training=False)
    np.testing.assert_allclose(ev.data, [-2.0 * (lo + hi) / 2, 3.0], rtol=1e-15)
    a = F.rrelu(Tensor(-np.ones(5)), training=True, generator=42).data
    b = F.rrelu(Tensor(-np.ones(5)), training=True, generator=42).data
    np.testing.assert_array_equal(a, b)                      # seeded: reproducible
    layer = nn.RReLU(lo, hi, rng=0)
    assert not np.allclose(layer(Tensor(-np.ones(4))).data, -(lo + hi) / 2)
    layer.eval()
    np.testing.assert_allclose(layer(Tensor(-np.ones(4))).data, -(lo + hi) / 2)


# -------------------------------------------------------------------- Maxout
def test_maxout_k2_represents_and_learns_abs_exactly():
    layer = nn.Maxout(1, 1, k=2, rng=0)
    assert layer.num_parameters() == 2 * 1 * (1 + 1)
    assert nn.Maxout(5, 3, k=4, rng=0).num_parameters() == 4 * 3 * (5 + 1)
    x = Tensor(np.linspace(-3, 3, 61).reshape(-1, 1))
    layer.linear.weight.data[:] = [[1.0], [-1.0]]
    layer.linear.bias.data[:] = 0.0
    np.testing.assert_array_equal(layer(x).data[:, 0], np.abs(x.data[:, 0]))
    # and gradient descent from a seeded random start finds it
    layer = nn.Maxout(1, 1, k=2, rng=3)
    opt = minigrad.optim.SGD(layer.parameters(), lr=0.1)
    for _ in range(2000):
        loss = ((layer(x)[:, 0] - Tensor(np.abs(x.data[:, 0]))) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss.data) < 1e-12


def test_maxout_gradient_goes_to_the_winner_first_on_ties():
    x = Tensor([[1.0, 3.0, 3.0, 0.0, -1.0, -2.0]], requires_grad=True)
    y = F.maxout(x, 2)
    np.testing.assert_array_equal(y.data, [[3.0, 3.0, -1.0]])
    y.backward(np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0, 2.0, 0.0, 3.0, 0.0]])
    vs = F.maxout([Value(1.0), Value(3.0), Value(3.0), Value(0.0)], 2)
    (vs[0] + 2 * vs[1]).backward()
    assert [v.data for v in vs] == [3.0, 3.0]


# ---------------------------------------------------------- softmax family, glu
def test_softmax_family_matches_scipy_over_any_dim_and_extremes():
    sp = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(5)
    x = rng.normal(size=(3, 4, 5)) * 10
    for dim in (0, 1, 2, -1, -2):
        np.testing.assert_allclose(F.softmax(Tensor(x), dim=dim).data,
                                   sp.softmax(x, axis=dim), rtol=1e-13)
        np.testing.assert_allclose(F.log_softmax(Tensor(x), dim=dim).data,
                                   sp.log_softmax(x, axis=dim), rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(F.softmin(Tensor(x), dim=dim).data,
                                   sp.softmax(-x, axis=dim), rtol=1e-13)
    big = np.array([[-1e4, 0.0, 1e4], [-np.inf, 1.0, 2.0], [np.inf, 1.0, np.inf]])
    s = F.softmax(Tensor(big)).data
    np.testing.assert_allclose(s[0], [0.0, 0.0, 1.0])
    np.testing.assert_allclose(s[1], sp.softmax([-np.inf, 1.0, 2.0]))
    np.testing.assert_allclose(s[2], [0.5, 0.0, 0.5])
    ls = F.log_softmax(Tensor(big[:2])).data
    assert ls[0, 2] == 0.0 and ls[0, 0] == -2e4 and np.isneginf(ls[1, 0])
    assert np.isnan(F.softmax(Tensor([np.nan, 1.0])).data).all()


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), dim=st.sampled_from([0, 1, -1]))
def test_softmax_family_and_glu_gradients_match_central_differences(seed, dim):
    rng = np.random.default_rng(seed)
    x0 = rng.normal(size=(3, 4)) * 3
    w = rng.normal(size=(3, 4))
    for name in ("softmax", "log_softmax", "softmin", "glu"):
        fn = getattr(F, name)
        wo = w if name != "glu" else np.split(w, 2, axis=dim if dim != 0 else 1)[0]
        d = dim if name != "glu" or dim != 0 else 1
        x = Tensor(x0, requires_grad=True)
        (fn(x, dim=d) * Tensor(wo)).sum().backward()
        fd = np.zeros_like(x0)
        for idx in np.ndindex(x0.shape):
            h = 1e-6
            xp, xm = x0.copy(), x0.copy()
            xp[idx] += h
            xm[idx] -= h
            fd[idx] = ((fn(Tensor(xp), dim=d).data * wo).sum()
                       - (fn(Tensor(xm), dim=d).data * wo).sum()) / (2 * h)
        np.testing.assert_allclose(x.grad, fd, rtol=1e-6, atol=1e-8, err_msg=name)


def test_softmax_on_a_list_of_values_matches_the_tensor_version():
    x0 = [0.3, -1.2, 2.0]
    w = [1.0, -2.0, 0.5]
    for name in ("softmax", "log_softmax", "softmin"):
        vs = [Value(a) for a in x0]
        out = getattr(F, name)(vs)
        sum((o * c for o, c in zip(out, w)), Value(0.0)).backward()
        t = Tensor(x0, requires_grad=True)
        (getattr(F, name)(t) * Tensor(w)).sum().backward()
        np.testing.assert_allclose([o.data for o in out],
                                   getattr(F, name)(Tensor(x0)).data, rtol=1e-14)
        np.testing.assert_allclose([v.grad for v in vs], t.grad, rtol=1e-12, atol=1e-15)


def test_glu_matches_its_formula():
    x = np.random.default_rng(0).normal(size=(2, 6))
    a, b = x[:, :3], x[:, 3:]
    np.testing.assert_allclose(F.glu(Tensor(x)).data, a / (1 + np.exp(-b)), rtol=1e-14)


# --------------------------------------------------------- per-channel layers
def test_prelu_per_channel_and_layers_with_learnable_parameters():
    x0 = np.random.default_rng(2).normal(size=(4, 3, 5))
    w0 = np.array([0.1, -0.2, 0.3])
    x = Tensor(x0, requires_grad=True)
    w = Tensor(w0, requires_grad=True)
    F.prelu(x, w).sum().backward()
    ref = np.where(x0 > 0, x0, w0[None, :, None] * x0)
    np.testing.assert_allclose(F.prelu(Tensor(x0), w0).data, ref, rtol=1e-15)
    np.testing.assert_allclose(w.grad, np.minimum(x0, 0).sum(axis=(0, 2)), rtol=1e-13)
    np.testing.assert_allclose(x.grad, np.where(x0 > 0, 1.0, w0[None, :, None]))
    layer = nn.PReLU(3)
    assert layer.weight.shape == (3,) and np.all(layer.weight.data == 0.25)
    layer(Tensor(x0)).sum().backward()
    np.testing.assert_allclose(layer.weight.grad, np.minimum(x0, 0).sum(axis=(0, 2)))
    for lay in (nn.Swish(num_parameters=3), nn.SReLU(3), nn.SoftExponential(num_parameters=3)):
        out = lay(Tensor(x0[:, :, 0]))
        out.sum().backward()
        for prm in lay.parameters():
            assert prm.grad is not None and prm.grad.shape == (3,)
    apl = nn.APL(3, hinges=2, rng=0)
    out = apl(Tensor(x0[:, :, 0]))
    np.testing.assert_array_equal(out.data, np.maximum(x0[:, :, 0], 0))   # a = 0 at start
    out.sum().backward()
    assert apl.a.grad.shape == (2, 3) and np.any(apl.a.grad != 0)


def test_swish_beta_learns():
    layer = nn.Swish()
    x = Tensor(np.linspace(-3, 3, 31))
    target = x.data / (1 + np.exp(-2.5 * x.data))
    opt = minigrad.optim.Adam(layer.parameters(), lr=0.05)
    for _ in range(400):
        loss = ((layer(x) - Tensor(target)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(layer.beta.data[0]) == pytest.approx(2.5, abs=1e-2)


# ------------------------------------------------------------------ AlphaDropout
def test_alpha_dropout_keeps_selu_normalised_input_at_mean_0_variance_1():
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=1_000_000))
    z = F.selu(x)          # SELU of N(0, 1) has mean ~0, variance ~1 (the fixed point)
    assert float(z.data.mean()) == pytest.approx(0.0, abs=5e-3)
    assert float(z.data.var()) == pytest.approx(1.0, abs=1e-2)
    for p in (0.05, 0.2, 0.5):
        drop = nn.AlphaDropout(p, rng=1)
        out = drop(z).data
        assert out.mean() == pytest.approx(z.data.mean(), abs=5e-3)
        assert out.var() == pytest.approx(1.0, abs=1.5e-2)
        # dropped units sit at a * alpha' + b (Klambauer et al. 2017, section 5)
        ap = -1.0507009873554805 * 1.6732632423543772
        a = ((1 - p) * (1 + p * ap * ap)) ** -0.5
        dropped = a * ap - a * ap * p
        assert np.mean(np.isclose(out, dropped, rtol=0, atol=1e-12)) == pytest.approx(p, abs=5e-3)
    drop.eval()
    np.testing.assert_array_equal(drop(z).data, z.data)


SCALAR = [(e, p) for e, p in CASES if e.scalar is not None]


@pytest.mark.parametrize(("entry", "params"), SCALAR,
                         ids=[f"{e.name}-{i}" for i, (e, _) in enumerate(SCALAR)])
def test_scalar_fast_path_matches_the_numpy_definition(entry, params):
    p = entry.resolve((), params)
    sf, sd = entry.scalar
    xs = [*np.linspace(-40, 40, 161).tolist(), 0.0, -0.0, 1e-300, -1e-300, 700.0, -745.0,
          1e4, -1e4, math.inf, -math.inf]
    # GELU's scalar path uses libm's erfc at the rounded x/sqrt(2): ~1e-13 in the far tail
    rel = 1e-12 if entry.name == "gelu" else 1e-15
    for x in xs:
        y = sf(x, **p)
        assert y == pytest.approx(float(entry.forward(np.float64(x), **p)), rel=rel, abs=0)
        assert sd(x, y, **p) == pytest.approx(
            float(entry.derivative(np.float64(x), entry.forward(np.float64(x), **p), **p)),
            rel=rel, abs=1e-300)
    assert math.isnan(sf(math.nan, **p)) and math.isnan(sd(math.nan, math.nan, **p))


NON_ELEMENTWISE = entries(elementwise=False)


@pytest.mark.parametrize("entry", NON_ELEMENTWISE, ids=[e.name for e in NON_ELEMENTWISE])
def test_non_elementwise_extremes_no_warning_and_dtype(entry):
    row = [np.inf, -1e4, np.nan, 1.0, -np.inf, 1e4, 0.0, 2.0]
    x = Tensor(np.array([row, np.linspace(-1e4, 1e4, 8)]), requires_grad=True)
    y = getattr(F, entry.name)(x)
    y.backward(np.ones(y.shape))
    assert np.isnan(y.data[0]).any()                 # the NaN shows up in its row
    assert np.all(np.isfinite(y.data[1]))            # a finite row stays finite
    np.testing.assert_array_equal(entry.forward(x.data, **entry.defaults), y.data)
    x32 = Tensor(np.ones((2, 4), dtype=np.float32), requires_grad=True)
    y32 = getattr(F, entry.name)(x32)
    y32.backward(np.ones(y32.shape, dtype=np.float32))
    assert y32.dtype == np.float32 and x32.grad.dtype == np.float32


@pytest.mark.parametrize(("entry", "params"), CASES, ids=CASE_IDS)
def test_inputs_are_never_modified(entry, params):
    x = np.linspace(-5, 5, 41)
    keep = x.copy()
    y = entry.forward(x, **params)
    entry.derivative(x, y, **params)
    t = Tensor(x, requires_grad=True)
    getattr(t, entry.name)(**params).backward(np.ones_like(x))
    np.testing.assert_array_equal(x, keep)
    np.testing.assert_array_equal(t.data, keep)


def test_identity_is_a_read_only_view_with_a_nan_aware_derivative():
    """identity copies nothing: f(x) is a read-only view of x (a write raises rather than
    changing x); f'(x) = 1 is a broadcast constant unless x holds a NaN."""
    e = lookup("identity")
    x = np.array([1.0, -2.0, 3.0])
    y = e.forward(x)
    np.testing.assert_array_equal(y, x)
    with pytest.raises(ValueError):
        y[0] = 7.0
    assert x[0] == 1.0
    np.testing.assert_array_equal(e.derivative(x, y), [1.0, 1.0, 1.0])
    d = e.derivative(np.array([1.0, np.nan]), None)
    assert d[0] == 1.0 and np.isnan(d[1])
    t = Tensor(x, requires_grad=True)
    g = np.array([0.5, 0.25, 2.0])
    F.identity(t).backward(g)
    np.testing.assert_array_equal(t.grad, g)
    assert not np.shares_memory(t.grad, g) and t.grad.flags.writeable


@pytest.mark.parametrize("name", ["relu", "hardtanh", "relu6", "hardsigmoid", "leaky_relu",
                                  "hardshrink", "softshrink", "identity"])
def test_piecewise_linear_derivatives_propagate_nan_at_every_shape(name):
    """The derivatives built from comparisons (or from sign(relu(x))) are NaN at NaN for
    a float, a 0-d array, float32 and float64 arrays, and through Value and Tensor."""
    e = lookup(name)
    p = e.example_params
    assert math.isnan(float(e.grad(math.nan, **p)))
    assert math.isnan(float(e.derivative(np.array(math.nan), e.forward(np.array(math.nan),
                                                                       **p), **p)))
    for dtype in (np.float32, np.float64):
        x = np.array([-7.0, -0.25, 0.0, 0.25, 7.0, math.nan], dtype=dtype)
        d = np.asarray(e.derivative(x, e.forward(x, **p), **p))
        assert np.isnan(d[-1]) and not np.isnan(d[:-1]).any()
    v = Value(math.nan)
    getattr(v, name)().backward()
    assert math.isnan(v.grad)
