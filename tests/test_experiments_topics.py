"""Runners of the part-4 topic pages (5.1, 5.5-5.12): tiny sizes, each checks its effect."""

import numpy as np
import pytest

from minigrad.lab.experiments import choosing as ch
from minigrad.lab.experiments import dying_relu as dr
from minigrad.lab.experiments import layer_stats as ls
from minigrad.lab.experiments import noise as nz
from minigrad.lab.experiments import zigzag as zz
from minigrad.lab.experiments.small_mlp import MLP, accuracy, cpu_time, train


# ------------------------------------------------------------------ small_mlp
def test_mlp_trains_and_is_seeded():
    _, X, y = ls.raw_and_standardised(64, seed=0)
    a, b = MLP((2, 8, 1), "tanh", seed=1), MLP((2, 8, 1), "tanh", seed=1)
    ha = train(a, X, y, steps=60, lr=0.05)
    hb = train(b, X, y, steps=60, lr=0.05)
    np.testing.assert_array_equal(ha["loss"], hb["loss"])
    assert ha["loss"][-1] < 0.5 * ha["loss"][0]
    assert accuracy(a, X, y) > 0.8


@pytest.mark.parametrize("act", ["prelu", "rrelu", "selu", "gelu"])
def test_mlp_special_activations(act):
    _, X, y = ls.raw_and_standardised(32, seed=0)
    net = MLP((2, 4, 4, 1), act, seed=0)
    out, pre, post = net(X, keep=True)
    assert out.shape == (32, 1) and len(pre) == len(post) == 2
    h = train(net, X, y, steps=3)
    assert np.all(np.isfinite(h["loss"]))
    if act == "prelu":
        assert all(s.grad is not None for s in net.slopes)


def test_mlp_rejects_unknown_task():
    net = MLP((2, 3, 1), "relu")
    with pytest.raises(ValueError):
        train(net, np.zeros((4, 2)), np.zeros(4), task="ranking", steps=1)


# ------------------------------------------------------------------ layer_stats (5.1, 5.7, 5.10)
def test_standardising_centres_every_layer_of_a_tanh_net():
    raw, std, _ = ls.raw_and_standardised(128, seed=0)
    np.testing.assert_allclose(std.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(std.std(axis=0), 1.0)
    r = ls.layer_statistics("relu", raw, depth=3, width=32)
    s = ls.layer_statistics("relu", std, depth=3, width=32)
    assert abs(r.pre_mean[0]) > 3 * abs(s.pre_mean[0])
    assert r.pre_std[0] > 3 * s.pre_std[0]


def test_relu_zeros_and_positive_means():
    s = ls.layer_statistics("relu", depth=4, width=64, n_samples=128)
    assert np.all((s.zeros > 0.3) & (s.zeros < 0.7))
    assert np.all(s.mean > 0.2)
    t = ls.layer_statistics("tanh", depth=4, width=64, n_samples=128)
    assert np.all(t.zeros == 0) and np.all(np.abs(t.mean) < 0.1)


def test_bias_shift_order():
    means = {a: ls.layer_statistics(a, depth=4, width=128, n_samples=128).mean.mean()
             for a in ("relu", "leaky_relu", "elu", "selu")}
    assert means["selu"] < means["elu"] < means["leaky_relu"] <= means["relu"]
    assert abs(means["selu"]) < 0.1 and means["leaky_relu"] > 0.3


def test_kurtosis_and_wide_layers_are_normalish():
    rng = np.random.default_rng(0)
    assert abs(ls.excess_kurtosis(rng.uniform(size=100_000)) + 1.2) < 0.02
    X = rng.uniform(-1.7, 1.7, size=(256, 64))
    s = ls.layer_statistics("tanh", X, depth=1, width=64)
    assert abs(s.pre_kurtosis[0]) < 0.3


def test_training_drift_shapes_and_learning():
    d = ls.training_drift("relu", hidden=(8, 8), steps=40, every=10, n_samples=64)
    assert d["mean"].shape == (5, 2) and d["std"].shape == (5, 2)
    assert d["loss"][-1] < d["loss"][0]
    assert np.all(d["batch_mean_spread"] > 0)


def test_sparse_matmul_times_agree():
    r = ls.sparse_matmul_times((0.0, 0.9), n_samples=4, width=32, repeat=1)
    assert r["max_error"] < 1e-10 and r["dense"].shape == (2,)
    assert np.all(r["dense"] >= 0) and np.all(r["skip"] > 0)


def test_uncentred_inputs_limit_the_learning_rate():
    raw, std, y = ls.raw_and_standardised(128, seed=0)
    lrs = (0.1, 1.0)
    g_raw = ls.learning_rate_grid(raw, y, lrs, activation="tanh", steps=40)
    g_std = ls.learning_rate_grid(std, y, lrs, activation="tanh", steps=40)
    assert g_raw[1.0]["final"] > g_raw[1.0]["loss"][0]       # raw features: diverges
    assert g_std[1.0]["ups"] == 0.0                          # standardised: steady descent
    assert g_std[1.0]["final"] < g_std[0.1]["final"] < g_std[0.1]["loss"][0]


def test_activation_times_in_cpu_time():
    r = ls.activation_times(("relu", "sigmoid"), n=50_000, number=3, repeat=3)
    assert set(r) == {"relu", "sigmoid"} and set(r["relu"]) == {"numpy", "autograd"}
    assert r["sigmoid"]["numpy"] > 1.5 * r["relu"]["numpy"]  # an exponential vs a max
    assert cpu_time(lambda: sum(range(20_000)), number=2, repeat=2) > 0


def test_coarse_texts_for_timings():
    assert ls.slower_text(50.0) == "more than ten times slower than"
    assert ls.slower_text(3.0) == "slower than" and ls.slower_text(0.9).startswith("not")
    assert ch.cost_text(1.05) == "less than 25 % more than"
    assert ch.cost_text(1.6) == "between 1.25 and 2 times" and ch.cost_text(2.5) == "more than twice"


# ------------------------------------------------------------------ noise (5.5, 5.6)
def test_noise_gain_follows_derivative_squared():
    z = np.array([-3.0, -1.0, 1.0, 3.0])
    g = nz.noise_gain("elu", z, sigma=0.01, n=4000)
    np.testing.assert_allclose(g, [np.exp(-6), np.exp(-2), 1, 1], rtol=0.05)
    assert np.all(nz.noise_gain("relu", [-2.0, -1.0], sigma=0.1) == 0.0)


def test_noise_by_sign_orders_activations():
    g = nz.noise_by_sign(["relu", "leaky_relu", "prelu", "tanh"], sigma=0.05, n=5000)
    assert g["relu"]["negative"] < g["leaky_relu"]["negative"] < g["prelu"]["negative"]
    assert g["relu"]["positive"] > 0.9
    assert g["tanh"]["negative"] > 0.3        # tanh is not flat near 0 on either side


def test_absent_concept_spread():
    s = nz.absent_concept_spread(["relu", "leaky_relu", "elu", "identity"])
    assert s["relu"] == 0.0 and s["elu"] < 0.01
    assert s["leaky_relu"] == pytest.approx(0.01) and s["identity"] == pytest.approx(1.0)


# ------------------------------------------------------------------ dying_relu (5.8)
def test_born_dead_grows_with_depth_and_falls_with_width():
    p2 = dr.born_dead_probability(width=2, max_depth=15, n_trials=300)
    p6 = dr.born_dead_probability(width=6, max_depth=15, n_trials=300)
    assert np.all(np.diff(p2) >= 0) and p2[-1] > 0.8
    assert p6[-1] < p2[-1]
    exact = dr.dead_at_point_exact(2, np.arange(1, 16))
    assert np.all(p2 <= exact + 0.06)           # dead everywhere is rarer than at a point


def test_born_dead_does_not_depend_on_weight_scale():
    he = dr.born_dead_probability(width=3, max_depth=10, n_trials=200, init="he")
    gl = dr.born_dead_probability(width=3, max_depth=10, n_trials=200, init="glorot")
    np.testing.assert_array_equal(he, gl)       # zero biases: only the signs matter


def test_large_learning_rate_and_negative_bias_kill_units():
    kw = {"hidden": (16, 16), "steps": 40, "every": 20, "n_samples": 64}
    calm = dr.train_counting_dead(lr=0.05, **kw)
    wild = dr.train_counting_dead(lr=5.0, **kw)
    neg = dr.train_counting_dead(lr=0.05, bias=-2.0, **kw)
    assert wild["dead_fraction"][-1] > calm["dead_fraction"][-1] + 0.2
    assert neg["dead_fraction"][0] > 0.5


# ------------------------------------------------------------------ zigzag (5.9)
def test_gradient_signs_behind_positive_layers():
    relu = zz.weight_gradient_signs("relu", batch_sizes=(1, 8, 512), n_batches=10)
    tanh = zz.weight_gradient_signs("tanh", batch_sizes=(1,), n_batches=10)
    assert relu["one_sign"][0] == 1.0 and relu["one_sign"][1] < 0.5
    # large batches: the shared-sign part (sum of deltas) x (mean input >= 0) comes back
    assert relu["one_sign"][2] > 1.5 * relu["one_sign"][1]
    assert relu["max_formula_error"] < 1e-12
    assert tanh["one_sign"][0] < 0.2


def test_zigzag_path():
    pos = zz.zigzag_path(centred=False, lr=0.5, steps=100)
    cen = zz.zigzag_path(centred=True, lr=0.5, steps=100)
    assert pos["same_direction"] == 1.0 and cen["same_direction"] < 0.8
    assert pos["path_ratio"] > 1.5 * cen["path_ratio"]
    assert pos["condition"] > 3 * cen["condition"]
    np.testing.assert_allclose(pos["path"][-1], [1.0, -1.0], atol=0.05)


# ------------------------------------------------------------------ choosing (5.12)
def test_benchmark_rows_and_ranks():
    rows = ch.benchmark(["relu", "sigmoid"], ["moons", "regression"], seeds=(0,), steps=30,
                        lr=0.05)
    assert len(rows) == 4
    assert all(r["ms_per_epoch"] > 0 for r in rows)
    ranks = ch.mean_ranks(rows)
    assert ranks["relu"] < ranks["sigmoid"]
    with pytest.raises(ValueError):
        ch.make_task("mnist")


def test_make_task_splits_are_disjoint_and_seeded():
    a = ch.make_task("spirals", seed=1)
    b = ch.make_task("spirals", seed=1)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[0].shape == a[2].shape == (200, 2)
    assert not np.any(np.all(a[0][:, None, :] == a[2][None, :, :], axis=2))


def test_output_correlation_one_sided_cuts_negative_correlation():
    r = nz.output_correlation(["identity", "relu", "tanh"], rhos=(-1.0, 1.0), n=20000)
    np.testing.assert_allclose(r["identity"], [-1.0, 1.0], atol=1e-9)
    assert r["relu"][0] == pytest.approx(-1.0 / (np.pi - 1.0), abs=0.02)
    assert r["tanh"][0] < -0.99


def test_expected_mean_closed_forms():
    c = 1.0 / np.sqrt(2.0 * np.pi)
    assert ls.expected_mean("relu") == pytest.approx(c, abs=1e-6)
    assert ls.expected_mean("relu", sigma=2.0) == pytest.approx(2 * c, abs=1e-6)
    assert ls.expected_mean("leaky_relu", negative_slope=0.25) == pytest.approx(0.75 * c, abs=1e-6)
    elu = c + np.exp(0.5) * 0.15865525393145707 - 0.5          # E[e^z - 1; z < 0] closed form
    assert ls.expected_mean("elu") == pytest.approx(elu, abs=1e-6)
    assert abs(ls.expected_mean("selu")) < 1e-6                 # SELU's fixed point: mean 0


# ------------------------------------------------------------------ families (5.11)
def test_family_classes_from_the_catalog():
    from minigrad.lab.experiments import families as fm
    rows = {r["name"]: r for r in fm.family_rows(["sigmoid", "relu", "elu", "leaky_relu",
                                                  "relu6", "logsigmoid"])}
    assert rows["sigmoid"]["class"] == "both sides"
    assert rows["relu"]["class"] == "left only" and rows["relu"]["left"] == "hard"
    assert rows["elu"]["class"] == "left only" and rows["elu"]["left"] == "soft"
    assert rows["leaky_relu"]["class"] == "neither side"
    assert rows["relu6"]["class"] == "both sides"
    assert rows["logsigmoid"]["class"] == "right only"
    table = fm.markdown_table(list(rows.values()))
    assert all(line.count("|") == 8 for line in table.splitlines())


def test_order_text_ties_and_epoch_times():
    assert ch.order_text({"a": 1.0, "b": 2.0, "c": 2.0}, ["c", "a", "b"]) == "a > c = b"
    t = ch.epoch_times(["relu", "tanh"], steps=2, repeat=1)
    assert set(t) == {"relu", "tanh"} and all(v > 0 for v in t.values())
    rows = ch.benchmark(["relu"], ["moons"], seeds=(0,), steps=2)
    assert "| relu |" in ch.results_table(rows, t) and "ms / epoch" in ch.results_table(rows, t)
    assert "ms / epoch" not in ch.results_table(rows)      # timings only when asked for
    assert ch.top({"a": 2.0, "b": 1.0, "c": 3.0}, 2) == ["b", "a"]
