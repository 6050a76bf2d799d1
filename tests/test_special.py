"""The numerics under the catalog: erf / erfc / ndtr (Cody's approximations), sigmoid,
softplus, log-sigmoid; checked against scipy.special, math.erf and mpmath."""

import math

import mpmath as mp
import numpy as np
import pytest

from minigrad.activations.numerics import (
    erf,
    erfc,
    log_sigmoid,
    ndtr,
    sigmoid,
    sigmoid_pair,
    softplus,
)

pytestmark = pytest.mark.filterwarnings("error")
sp = pytest.importorskip("scipy.special")


def _rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300))


def test_erf_matches_scipy_and_math_on_a_dense_grid():
    x = np.linspace(-8, 8, 400_001)
    assert _rel(erf(x), sp.erf(x)) < 1e-15
    xs = np.random.default_rng(0).uniform(-6, 6, 2000)
    assert _rel(erf(xs), [math.erf(v) for v in xs]) < 1e-15
    tiny = np.geomspace(1e-300, 1e-3, 200)
    assert _rel(erf(tiny), sp.erf(tiny)) < 1e-15 and _rel(erf(-tiny), -sp.erf(tiny)) < 1e-15


def test_erfc_keeps_relative_accuracy_in_the_tail():
    x = np.linspace(-6, 26.5, 3001)
    with mp.workdps(40):
        ref = np.array([float(mp.erfc(mp.mpf(float(v)))) for v in x])
    assert _rel(erfc(x), ref) < 2e-15
    dense = np.linspace(-10, 20, 300_001)
    assert _rel(erfc(dense), sp.erfc(dense)) < 1e-13      # scipy itself is ~1e-14 there


def test_ndtr_tails_and_special_values():
    x = np.linspace(-37, 8, 901)
    with mp.workdps(40):
        ref = np.array([float(mp.ncdf(mp.mpf(float(v)))) for v in x])
    assert _rel(ndtr(x), ref) < 2e-15
    np.testing.assert_array_equal(erf(np.array([0.0, np.inf, -np.inf])), [0.0, 1.0, -1.0])
    np.testing.assert_array_equal(erfc(np.array([np.inf, -np.inf])), [0.0, 2.0])
    assert math.copysign(1.0, erf(-0.0)) == -1.0
    assert np.isnan(erf(np.nan)) and np.isnan(erfc(np.nan)) and np.isnan(ndtr(np.nan))
    assert erfc(30.0) == 0.0 and erf(1e300) == 1.0
    assert isinstance(erf(0.5), float) or np.ndim(erf(0.5)) == 0


def test_sigmoid_softplus_logsigmoid_against_scipy():
    x = np.concatenate([np.linspace(-745, 745, 20001), [-1e4, 1e4, -np.inf, np.inf]])
    # atol: in the subnormal range (x < -708) scipy flushes expit to 0, we do not
    np.testing.assert_allclose(sigmoid(x), sp.expit(x), rtol=1e-15, atol=2.3e-308)
    s, t = sigmoid_pair(x)
    np.testing.assert_allclose(t, sp.expit(-x), rtol=1e-15, atol=2.3e-308)
    np.testing.assert_allclose(s, sp.expit(x), rtol=1e-15, atol=2.3e-308)
    np.testing.assert_allclose(log_sigmoid(x), sp.log_expit(x), rtol=1e-15, atol=2.3e-308)
    np.testing.assert_allclose(softplus(x), -sp.log_expit(-x), rtol=1e-15, atol=2.3e-308)
    assert np.isnan(sigmoid(np.nan)) and np.isnan(softplus(np.nan))
