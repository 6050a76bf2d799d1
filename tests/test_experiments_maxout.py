"""Maxout fitting runner: the error falls with k, the minimax bound, dead pieces."""

import itertools

import numpy as np
import pytest

from minigrad.lab.experiments import maxout_fit as mf


@pytest.fixture(scope="module")
def square_fits():
    return mf.fit_maxout_many(["square"], [1, 2, 4, 8], steps=600)


def test_error_falls_with_k(square_fits):
    errors = [square_fits["square", k].max_error for k in (1, 2, 4, 8)]
    assert all(a > b for a, b in itertools.pairwise(errors))


def test_trained_error_not_below_minimax_bound(square_fits):
    for k in (1, 2, 4, 8):
        # the bound holds on the whole interval; on the grid it holds up to grid spacing
        assert square_fits["square", k].max_error >= 0.95 * mf.minimax_error_square(k)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_minimax_construction_attains_bound(k):
    x = np.linspace(-2, 2, 4001)
    w, b = mf.minimax_pieces_square(k)
    err = x * x - mf.maxout_eval(x, w, b)
    assert np.max(np.abs(err)) == pytest.approx(mf.minimax_error_square(k), rel=1e-9)
    assert mf.minimax_error_square(k) == pytest.approx(2 / k**2)
    assert err.max() == pytest.approx(-err.min())          # equioscillation


def test_abs_is_exact_with_two_pieces():
    r = mf.fit_maxout("abs", 2, steps=400)
    assert r.max_error < 1e-6


def test_pieces_that_never_win_never_learn():
    r = mf.fit_maxout("square", 8, init="random", seed=1, steps=300)
    unchanged = set(r.unchanged_pieces.tolist())
    assert unchanged                                        # some pieces never moved ...
    assert unchanged <= set(np.flatnonzero(r.initial_wins == 0).tolist())  # ... losers
    assert unchanged <= set(r.dead_pieces.tolist())


def test_result_fields():
    r = mf.fit_maxout("exp", 3, interval=(-1.0, 1.0), steps=50)
    assert r.x[0] == -1.0 and r.x[-1] == 1.0
    assert r.y_true.shape == r.y_fit.shape == r.x.shape
    np.testing.assert_allclose(r.y_true, np.exp(r.x))
    assert r.wins.sum() == r.x.size
    with pytest.raises(ValueError):
        mf.fit_maxout("nope", 2)


def test_difference_of_two_units_fits_sin():
    d = mf.fit_maxout_difference("sin", k=4, steps=800)
    single = mf.fit_maxout("sin", 8, interval=(-np.pi, np.pi), steps=800)
    assert d.max_error < 0.5 * single.max_error
    np.testing.assert_allclose(d.convex_part + d.concave_part, d.y_fit)


def test_unit_agrees_with_nn_maxout():
    from minigrad import Tensor, nn

    r = mf.fit_maxout("exp", 3, steps=20)
    layer = nn.Maxout(1, 1, 3)
    layer.linear.weight.data[:] = r.weights[:, None]
    layer.linear.bias.data[:] = r.biases
    out = layer(Tensor(r.x[:, None])).data[:, 0]
    np.testing.assert_allclose(out, r.y_fit, rtol=1e-12, atol=1e-12)
