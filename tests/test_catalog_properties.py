"""Properties computed from the catalog's code, checked against closed forms and
facts from the literature (never against numbers copied from the code)."""

import math

import numpy as np
import pytest

from minigrad.activations import entries
from minigrad.activations.properties import properties, table

pytestmark = pytest.mark.filterwarnings("error")
sp = pytest.importorskip("scipy.special")
opt = pytest.importorskip("scipy.optimize")


def _min_of(fn, lo, hi):
    r = opt.minimize_scalar(fn, bounds=(lo, hi), method="bounded",
                            options={"xatol": 1e-12})
    return r.fun


def test_sigmoidal_family():
    t = properties("tanh")
    assert (t.low, t.high, t.low_closed, t.high_closed) == (-1.0, 1.0, False, False)
    assert t.bounded and t.monotonic == "increasing" and t.smooth and t.zero_centred
    assert (t.saturates_left, t.saturates_right) == ("soft", "soft")
    assert (t.f0, t.df0) == (0.0, 1.0)
    s = properties("sigmoid")
    assert (s.low, s.high) == (0.0, 1.0) and not s.zero_centred and s.df0 == 0.25
    assert s.range_text() == "(0, 1)"
    a = properties("arctan")
    assert a.high == pytest.approx(math.pi / 2, rel=1e-15) and not a.high_closed
    assert properties("softsign").range_text() == "(-1, 1)"
    h = properties("hardtanh")
    assert h.range_text() == "[-1, 1]" and h.saturates == "both"
    assert h.saturates_left == "hard" and not h.smooth and h.continuous


def test_rectifier_family():
    r = properties("relu")
    assert r.range_text() == "[0, ∞)" and r.bounded_below and not r.bounded_above
    assert r.monotonic == "non-decreasing" and not r.smooth and r.continuous
    assert not r.zero_centred                    # f(0) = 0 but never negative
    assert (r.saturates_left, r.saturates_right) == ("hard", None)
    assert r.df0 == 0.0                           # PyTorch's ReLU'(0)
    lr = properties("leaky_relu")
    assert lr.range_text() == "(-∞, ∞)" and lr.zero_centred and lr.saturates == "none"
    assert lr.df0 == 0.01
    assert properties("leaky_relu", negative_slope=1.0).smooth   # the identity
    r6 = properties("relu6")
    assert r6.range_text() == "[0, 6]" and r6.saturates == "both"


def test_exponential_family_and_selu_constant():
    e = properties("elu")
    assert e.range_text() == "(-1, ∞)" and e.smooth and e.saturates_left == "soft"
    assert not properties("elu", alpha=2.0).smooth      # f'(0-) = 2 != f'(0+) = 1
    s = properties("selu")
    lam, alpha = 1.0507009873554804934, 1.6732632423543772848   # Klambauer et al. eq. 14
    assert s.low == pytest.approx(-lam * alpha, rel=1e-15) and not s.low_closed
    assert not s.smooth and s.df0 == pytest.approx(lam * alpha, rel=1e-15)
    sp_ = properties("softplus")
    assert sp_.range_text() == "(0, ∞)" and sp_.f0 == pytest.approx(math.log(2), rel=1e-15)
    assert sp_.df0 == 0.5 and sp_.smooth


def test_self_gated_minima_match_numerical_optimisation():
    for name, fn in (("silu", lambda x: x * sp.expit(x)),
                     ("mish", lambda x: x * np.tanh(np.log1p(np.exp(x)))),
                     ("gelu", lambda x: x * sp.ndtr(x))):
        p = properties(name)
        assert p.low == pytest.approx(_min_of(fn, -3, 0), abs=1e-7), name
        assert p.low_closed and p.monotonic is None and p.zero_centred and p.smooth
        assert p.saturates_left == "soft" and p.saturates_right is None
    assert properties("mish").df0 == pytest.approx(0.6, rel=1e-15)   # tanh(ln 2) = 3/5


def test_periodic_and_radial():
    s = properties("sinusoid")
    assert s.range_text() == "[-1, 1]" and s.saturates == "none" and s.monotonic is None
    c = properties("sinc")
    assert c.low == pytest.approx(_min_of(lambda x: np.sin(x) / x, 3, 6), abs=1e-7)
    assert (c.f0, c.df0, c.high, c.high_closed) == (1.0, 0.0, 1.0, True)
    g = properties("gaussian")
    assert g.range_text() == "(0, 1]" and g.saturates == "both" and not g.zero_centred


def test_discontinuous_and_shrinkage():
    b = properties("binary_step")
    assert not b.continuous and not b.smooth and b.range_text() == "[0, 1]"
    assert not properties("hardshrink").continuous
    ss = properties("softshrink")
    assert ss.continuous and not ss.smooth and ss.monotonic == "non-decreasing"
    ts = properties("tanhshrink")
    assert ts.monotonic == "increasing" and ts.df0 == 0.0   # f' = tanh^2: 0 only at 0


def test_table_covers_every_elementwise_entry_and_rejects_others():
    rows = table()
    assert [r.name for r in rows] == [e.name for e in entries(elementwise=True)]
    for r in rows:
        assert r.low <= r.f0 <= r.high
    with pytest.raises(TypeError, match="not elementwise"):
        properties("softmax")
    with pytest.raises(ValueError, match="unknown activation"):
        properties("nope_not_here")
