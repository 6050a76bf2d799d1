"""SELU self-normalisation runner: derived constants, moment map, deep forward statistics."""

import numpy as np
import pytest

from minigrad.lab.experiments import selu_norm as s


def test_newton_constants_match_published():
    alpha, lam, history = s.selu_constants_newton()
    assert abs(alpha - s.PUBLISHED_ALPHA) < 1e-10
    assert abs(lam - s.PUBLISHED_LAMBDA) < 1e-10
    assert len(history) < 20                    # Newton converges in a few steps


def test_closed_form_constants_match_published():
    alpha, lam = s.selu_constants_closed_form()
    assert abs(alpha - s.PUBLISHED_ALPHA) < 1e-10
    assert abs(lam - s.PUBLISHED_LAMBDA) < 1e-10


@pytest.mark.parametrize("mean,std", [(0.0, 1.0), (0.7, 0.3), (-2.0, 3.0)])
def test_gaussian_expectation_exact_moments(mean, std):
    assert s.gaussian_expectation(lambda z: z, mean, std) == pytest.approx(mean, abs=1e-12)
    assert s.gaussian_expectation(lambda z: z * z, mean, std) == pytest.approx(
        mean**2 + std**2, rel=1e-12)
    assert s.gaussian_expectation(np.exp, mean, std) == pytest.approx(
        np.exp(mean + std**2 / 2), rel=1e-12)


def test_fixed_point_is_attracting():
    mu, nu = s.moment_map(0.0, 1.0)
    assert abs(mu) < 1e-12 and abs(nu - 1.0) < 1e-12
    eig = np.linalg.eigvals(s.moment_map_jacobian())
    assert np.max(np.abs(eig)) < 1.0


def test_selu_variance_stays_within_10_percent_over_50_layers():
    m, v = s.layer_statistics("selu", "lecun", depth=50, width=200, n_samples=32, seed=0)
    assert np.all(np.abs(v[1:] - 1.0) < 0.1)
    assert np.all(np.abs(m[1:]) < 0.1)


def test_selu_returns_from_a_wrong_start():
    m, v = s.layer_statistics("selu", "lecun", depth=50, width=200, n_samples=32, seed=0,
                              input_mean=1.0, input_var=3.0)
    assert abs(v[1] - 1.0) > 0.5                # far from (0, 1) at first
    assert abs(v[-1] - 1.0) < 0.1 and abs(m[-1]) < 0.1


def test_selu_with_he_init_blows_up():
    _, v = s.layer_statistics("selu", "he", depth=50, width=200, n_samples=32, seed=0)
    assert v[-1] > 10.0


def test_alpha_dropout_keeps_mean_and_variance():
    _a, _b, ap = s.alpha_dropout_constants(0.1)
    assert ap == pytest.approx(-s.PUBLISHED_ALPHA * s.PUBLISHED_LAMBDA)
    m, v = s.layer_statistics("selu", "lecun", depth=30, width=200, n_samples=32, seed=0,
                              dropout=s.alpha_dropout(0.1))
    assert np.all(np.abs(v[1:] - 1.0) < 0.1) and np.all(np.abs(m[1:]) < 0.1)
    _, v_std = s.layer_statistics("selu", "lecun", depth=30, width=200, n_samples=32,
                                  seed=0, dropout=s.standard_dropout(0.1))
    assert v_std[-1] > 1.2                      # ordinary dropout pushes the variance up


def test_layer_activations_keys_and_shapes():
    out = s.layer_activations("tanh", "best", depth=5, width=20, n_samples=7, layers=(0, 2, 5))
    assert sorted(out) == [0, 2, 5]
    assert all(a.shape == (7, 20) for a in out.values())
    with pytest.raises(ValueError):
        s.layer_activations("tanh", "lecun", depth=5, width=20, layers=(6,))


def test_seeded():
    a = s.layer_statistics("elu", "he", depth=5, width=30, n_samples=8, seed=3)
    b = s.layer_statistics("elu", "he", depth=5, width=30, n_samples=8, seed=3)
    np.testing.assert_array_equal(a[1], b[1])


def test_batched_runs_equal_single_runs():
    kw = {"depth": 10, "width": 40, "n_samples": 8, "seed": 1}
    many = s.layer_statistics_many([("selu", "lecun"), ("relu", "he")], **kw)
    single = s.layer_statistics("relu", "he", **kw)
    np.testing.assert_array_equal(many[1][1], single[1])


def test_moment_map_predicts_the_network():
    _, v = s.layer_statistics("selu", "lecun", depth=30, width=300, n_samples=32, seed=0,
                              input_mean=1.0, input_var=3.0)
    _, v_pred = s.predicted_statistics(30, 1.0, 3.0)
    assert np.max(np.abs(v - v_pred)) < 0.2


def test_gradient_factor_at_fixed_point_slightly_above_one():
    assert 1.0 < s.selu_gradient_factor() < 1.1
