"""Gradient-flow runner: vanishing and exploding gradients and their remedies."""

import numpy as np
import pytest

from minigrad.lab.experiments import gradient_flow as gf

SMALL = {"depth": 8, "width": 32, "n_samples": 32, "seed": 0}


def test_sigmoid_gradients_shrink_layer_by_layer():
    norms = gf.layer_gradient_norms("sigmoid", "glorot", **SMALL)
    assert norms.shape == (8,)
    assert np.all(np.diff(norms) > 0)           # index 0 is next to the input
    assert norms[0] < 1e-3 * norms[-1]


def test_measured_factor_matches_prediction():
    r = gf.gradient_flow("tanh", "glorot", **SMALL)
    ratio = r.measured_factor / r.predicted_factor
    assert abs(np.mean(ratio) - 1.0) < 0.15


def test_relu_he_keeps_gradients_and_normal_init_explodes():
    he = gf.layer_gradient_norms("relu", "he", **SMALL)
    assert 0.2 < he[0] / he[-1] < 5.0
    big = gf.layer_gradient_norms("relu", "normal", **SMALL)
    assert big[0] > 1e3 * big[-1]


@pytest.mark.parametrize("option", [{"batchnorm": True}, {"residual": True}])
def test_remedies_rescue_sigmoid(option):
    plain = gf.layer_gradient_norms("sigmoid", "uniform", **SMALL)
    fixed = gf.layer_gradient_norms("sigmoid", "uniform", **SMALL, **option)
    assert plain[0] / plain[-1] < 1e-4
    assert fixed[0] / fixed[-1] > 0.1


def test_clipping_caps_the_total_norm():
    raw = gf.layer_gradient_norms("relu", "normal", wrt="weight", **SMALL)
    clipped = gf.layer_gradient_norms("relu", "normal", wrt="weight", clip=("norm", 1.0),
                                      **SMALL)
    assert np.linalg.norm(clipped) <= 1.0 + 1e-9
    np.testing.assert_allclose(clipped / clipped[-1], raw / raw[-1])   # same shape


def test_seeded_and_validated():
    a = gf.layer_gradient_norms("elu", "he", **SMALL)
    b = gf.layer_gradient_norms("elu", "he", **SMALL)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        gf.layer_gradient_norms("elu", "bogus", **SMALL)
    with pytest.raises(ValueError):
        gf.layer_gradient_norms("elu", "he", wrt="x", **SMALL)


def test_path_products():
    sig = gf.path_derivative_products("sigmoid", depth=6, width=16, n_samples=16, n_paths=200)
    assert np.all(sig <= 0.25 ** 6)
    relu = gf.path_derivative_products("relu", depth=6, width=16, n_samples=16, n_paths=200)
    assert set(np.unique(relu)) <= {0.0, 1.0}


def test_saturation_grows_with_weight_scale():
    s = gf.saturation_by_scale([0.5, 2.0, 8.0], width=32, n_samples=32)
    assert np.all(np.diff(s["saturated"]) > 0)
    assert np.all(np.diff(s["unit_grad"]) < 0)


def test_weight_decay_shrinks_the_gain():
    kw = {"depth": 5, "width": 16, "n_samples": 16, "steps": 30}
    plain = gf.train_with_weight_decay(weight_decay=0.0, **kw)
    decayed = gf.train_with_weight_decay(weight_decay=0.2, **kw)
    assert decayed["gain"].mean() < plain["gain"].mean()


def test_top_layer_saturates_early():
    d = gf.train_top_layer_saturation(epochs=20, record_every=40)
    top = d["mean_activation"][:, -1]
    assert top[0] > 0.4 and top.min() < 0.2


def test_factor_table_and_markdown():
    runs = gf.sweep(("relu", "tanh"), ("he", "glorot"), **SMALL)
    table = gf.factor_table(runs)
    assert len(table) == 4
    md = gf.factor_markdown(table)
    assert md.count("\n") == 3 and "| relu |" in md


def test_weight_decay_pulls_an_exploding_net_back():
    kw = {"depth": 6, "width": 16, "n_samples": 16, "steps": 60}
    d = gf.train_with_weight_decay("relu", 2.0, weight_decay=0.1, **kw)
    assert d["factor_before"] > 1.2
    assert abs(d["factor_after"] - 1) < abs(d["factor_before"] - 1)
