"""Tests for minigrad.nn: Module bookkeeping, Linear, Sequential, Dropout, BatchNorm1d,
Residual; gradients against central finite differences."""

import functools
import math
import warnings

import numpy as np
import pytest

from minigrad import Tensor, init, nn, optim

RNG = np.random.default_rng(7)


def numeric_grads(f, arrays, h=1e-6):
    """Central differences of the scalar f() with respect to each array (changed in place)."""
    out = []
    for a in arrays:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + h
            up = f()
            a[idx] = old - h
            down = f()
            a[idx] = old
            g[idx] = (up - down) / (2 * h)
        out.append(g)
    return out


def check_module_grads(module, x, rtol=1e-6, atol=1e-8):
    """backward() of sum(module(x) * w) against central differences, for x and every
    parameter of the module; w is a random weighting of the outputs."""
    xt = Tensor(x, requires_grad=True)
    out = module(xt)
    w = RNG.uniform(0.5, 1.5, size=out.shape)
    module.zero_grad()
    out.backward(w)
    params = module.parameters()
    analytic = [xt.grad] + [p.grad for p in params]

    def f():
        return float(np.sum(module(Tensor(xt.data)).data * w))

    numeric = numeric_grads(f, [xt.data] + [p.data for p in params])
    for a, n in zip(analytic, numeric):
        np.testing.assert_allclose(a, n, rtol=rtol, atol=atol)


# ---------------------------------------------------------------- Linear

def test_linear_layout_and_forward():
    lin = nn.Linear(3, 2, rng=0)
    assert lin.weight.shape == (2, 3) and lin.bias.shape == (2,)
    x = RNG.normal(size=(4, 3))
    want = np.array([[sum(x[i, k] * lin.weight.data[j, k] for k in range(3)) + lin.bias.data[j]
                      for j in range(2)] for i in range(4)])
    np.testing.assert_allclose(lin(x).data, want, rtol=1e-14)
    # a single sample and a batch of batches
    np.testing.assert_allclose(lin(x[0]).data, want[0], rtol=1e-14)
    np.testing.assert_allclose(lin(np.stack([x, x])).data, np.stack([want, want]), rtol=1e-14)


def test_linear_default_init_is_pytorch_uniform():
    lin = nn.Linear(400, 300, rng=1)
    bound = 1 / math.sqrt(400)
    for p in (lin.weight.data, lin.bias.data):
        assert np.abs(p).max() <= bound
    assert lin.weight.data.var() == pytest.approx(bound**2 / 3, rel=0.02)
    assert lin.bias.data.std() > 0


def test_linear_named_and_callable_init():
    lin = nn.Linear(500, 400, init="he_normal", rng=2)
    assert lin.weight.data.var() == pytest.approx(2 / 500, rel=0.02)
    assert np.array_equal(lin.bias.data, np.zeros(400))
    tanh_he = functools.partial(init.kaiming_normal, nonlinearity="tanh")
    lin = nn.Linear(500, 400, init=tanh_he, bias_init=0.1, rng=3)
    assert lin.weight.data.var() == pytest.approx((5 / 3) ** 2 / 500, rel=0.02)
    assert np.all(lin.bias.data == 0.1)
    assert nn.Linear(4, 3, bias=False).bias is None


def test_linear_seeding():
    a, b, c = nn.Linear(5, 4, rng=9), nn.Linear(5, 4, rng=9), nn.Linear(5, 4, rng=10)
    assert np.array_equal(a.weight.data, b.weight.data)
    assert not np.allclose(a.weight.data, c.weight.data)
    init.manual_seed(42)
    d = nn.Linear(5, 4)
    init.manual_seed(42)
    assert np.array_equal(nn.Linear(5, 4).weight.data, d.weight.data)


@pytest.mark.parametrize("shape", [(5, 3), (3,), (2, 4, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(shape, bias):
    check_module_grads(nn.Linear(3, 2, bias=bias, rng=4), RNG.normal(size=shape))


def test_linear_float32():
    lin = nn.Linear(3, 2, rng=0, dtype=np.float32)
    out = lin(np.ones((4, 3)))
    assert lin.weight.dtype == np.float32 and out.dtype == np.float32
    out.sum().backward()
    assert lin.weight.grad.dtype == np.float32


@pytest.mark.parametrize("make, exc, words", [
    (lambda: nn.Linear(3, 2)(np.ones((4, 5))), ValueError, r"\(\.\.\., 3\).*\(4, 5\)"),
    (lambda: nn.Linear(0, 2), ValueError, "in_features"),
    (lambda: nn.Linear(3, 2.5), TypeError, "out_features"),
    (lambda: nn.Linear(3, 2, init="gaussian"), ValueError, "gaussian"),
    (lambda: nn.Linear(3, 2, init=lambda s, r: np.zeros(3)), ValueError, "shape"),
    (lambda: nn.Linear(3, 2, init=3), TypeError, "init"),
    (lambda: nn.Linear(3, 2, bias="yes"), TypeError, "bias"),
])
def test_linear_bad_input(make, exc, words):
    with pytest.raises(exc, match=words):
        make()


# ---------------------------------------------------------------- Module

class Block(nn.Module):
    def __init__(self):
        self.first = nn.Linear(2, 3, rng=0)
        self.stack = [nn.Linear(3, 3, rng=1), nn.Linear(3, 3, rng=2)]
        self.heads = {"a": nn.Linear(3, 1, rng=3)}
        self.scale = nn.Parameter([2.0])
        self.constant = Tensor([1.0])              # not a parameter
        self._cache = nn.Linear(9, 9)              # private: not traversed

    def forward(self, x):
        h = self.first(x)
        for layer in self.stack:
            h = layer(h)
        return self.heads["a"](h) * self.scale


def test_named_parameters_walk_attributes_lists_dicts():
    names = [n for n, _ in Block().named_parameters()]
    # PyTorch's order: the module's own parameters, then each submodule's, depth first
    assert names == ["scale", "first.weight", "first.bias", "stack.0.weight", "stack.0.bias",
                     "stack.1.weight", "stack.1.bias", "heads.a.weight", "heads.a.bias"]
    assert Block().num_parameters() == (6 + 3) + 2 * (9 + 3) + (3 + 1) + 1


def test_shared_and_frozen_parameters():
    lin = nn.Linear(2, 2, rng=0)
    model = nn.Sequential(lin, lin)
    assert len(model.parameters()) == 2
    lin.bias.requires_grad = False                     # frozen, still a parameter
    assert len(model.parameters()) == 2
    opt = optim.SGD(model.parameters(), lr=0.1)        # accepted, and never updated
    model(np.ones((1, 2))).sum().backward()
    before = lin.bias.data.copy()
    opt.step()
    assert np.array_equal(lin.bias.data, before) and lin.bias.grad is None


def test_zero_grad_train_eval():
    model = Block()
    model(np.ones((4, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_state_dict_round_trip():
    a = nn.Sequential(nn.Linear(2, 3, rng=0), nn.BatchNorm1d(3))
    b = nn.Sequential(nn.Linear(2, 3, rng=1), nn.BatchNorm1d(3))
    a(RNG.normal(size=(8, 2)))                          # moves a's running statistics
    b.load_state_dict(a.state_dict())
    x = RNG.normal(size=(5, 2))
    a.eval()
    b.eval()
    np.testing.assert_array_equal(a(x).data, b(x).data)
    assert b[1].num_batches_tracked == 1
    state = a.state_dict()
    state["0.weight"] = np.zeros((3, 3))
    with pytest.raises(ValueError, match="shape"):
        b.load_state_dict(state)
    with pytest.raises(KeyError, match="missing"):
        b.load_state_dict({"0.weight": np.zeros((3, 2))})


def test_repr_is_nested_like_pytorch():
    text = repr(nn.Sequential(nn.Linear(2, 3), nn.Residual(nn.Linear(3, 3))))
    assert "(0): Linear(in_features=2, out_features=3, bias=True)" in text
    assert "(1): Residual(\n    (fn): Linear" in text


def test_forward_hook_records_and_removes():
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Linear(3, 1, rng=1))
    seen = []
    handle = model[0].register_forward_hook(lambda m, inp, out: seen.append(out.shape))
    model(np.ones((4, 2)))
    handle.remove()
    model(np.ones((4, 2)))
    assert seen == [(4, 3)]


def test_sequential_container():
    layers = [nn.Linear(2, 3, rng=0), nn.Linear(3, 4, rng=1), nn.Linear(4, 1, rng=2)]
    model = nn.Sequential(*layers)
    assert len(model) == 3 and list(model) == layers and model[1] is layers[1]
    assert isinstance(model[:2], nn.Sequential) and model[:2](np.ones((1, 2))).shape == (1, 4)
    x = np.ones((5, 2))
    np.testing.assert_array_equal(model(x).data, layers[2](layers[1](layers[0](x))).data)
    assert model.append(nn.Identity()) is model and len(model) == 4
    with pytest.raises(TypeError, match="Lambda"):
        nn.Sequential(nn.Linear(2, 2), lambda x: x)


def test_lambda_and_flatten():
    x = Tensor(RNG.normal(size=(2, 3, 4)), requires_grad=True)
    y = nn.Sequential(nn.Flatten(), nn.Lambda(lambda t: t * 2.0))(x)
    assert y.shape == (2, 12)
    y.sum().backward()
    assert np.array_equal(x.grad, np.full((2, 3, 4), 2.0))
    assert nn.Flatten(0)(np.ones((2, 3))).shape == (6,)


# ---------------------------------------------------------------- Dropout

def test_dropout_inverted_scaling_and_rate():
    p = 0.3
    drop = nn.Dropout(p, rng=0)
    x = Tensor(np.ones((400, 500)), requires_grad=True)
    y = drop(x)
    kept = y.data != 0
    assert np.all(y.data[kept] == 1 / (1 - p))              # survivors scaled by 1/(1-p)
    n = x.size
    assert abs((1 - kept.mean()) - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert y.data.mean() == pytest.approx(1.0, abs=4 * math.sqrt(p / (1 - p) / n))
    y.backward(np.full(x.shape, 2.0))                        # gradient = upstream * mask
    np.testing.assert_array_equal(x.grad, 2.0 * y.data)


def test_dropout_is_seeded_and_fresh_each_call():
    x = np.ones((10, 10))
    a, b = nn.Dropout(0.5, rng=3), nn.Dropout(0.5, rng=3)
    first = a(x).data
    assert np.array_equal(first, b(x).data)
    assert not np.array_equal(first, a(x).data)
    init.manual_seed(5)
    c = nn.Dropout(0.5)(x).data
    init.manual_seed(5)
    assert np.array_equal(c, nn.Dropout(0.5)(x).data)


def test_dropout_eval_and_edge_probabilities():
    x = Tensor(RNG.normal(size=(3, 4)))
    drop = nn.Dropout(0.5, rng=0).eval()
    np.testing.assert_array_equal(drop(x).data, x.data)
    np.testing.assert_array_equal(nn.Dropout(0.0)(x).data, x.data)
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).data, np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.Dropout(1.5)
    with pytest.raises(TypeError, match="number"):
        nn.Dropout("0.5")


def test_alpha_dropout_keeps_zero_mean_unit_variance():
    x = np.random.default_rng(0).normal(size=(500, 400))
    y = nn.AlphaDropout(0.2, rng=1)(x).data
    assert abs(y.mean()) < 0.01 and y.var() == pytest.approx(1.0, abs=0.01)
    assert np.array_equal(nn.AlphaDropout(0.2).eval()(x).data, x)


# ---------------------------------------------------------------- Residual

def test_residual_adds_identity_path():
    f = nn.Linear(3, 3, rng=0)
    res = nn.Residual(f)
    x = Tensor(RNG.normal(size=(4, 3)), requires_grad=True)
    np.testing.assert_allclose(res(x).data, x.data + f(x).data, rtol=1e-15)
    # with f's weights at zero the gradient is the identity: the skip carries it through
    f.weight.data[...] = 0.0
    res(x).backward(np.ones((4, 3)))
    np.testing.assert_array_equal(x.grad, np.ones((4, 3)))
    check_module_grads(nn.Residual(nn.Linear(3, 3, rng=1)), RNG.normal(size=(4, 3)))


def test_residual_shapes():
    res = nn.Residual(nn.Linear(3, 5, rng=0))
    with pytest.raises(ValueError, match="shortcut"):
        res(np.ones((2, 3)))
    res = nn.Residual(nn.Linear(3, 5, rng=0), shortcut=nn.Linear(3, 5, bias=False, rng=1))
    assert res(np.ones((2, 3))).shape == (2, 5)
    assert len(res.parameters()) == 3


# ---------------------------------------------------------------- BatchNorm1d

def test_batchnorm_training_normalises_and_tracks_running_stats():
    x = RNG.normal(loc=[3.0, -1.0, 0.0], scale=[2.0, 0.5, 1e-3], size=(64, 3))
    bn = nn.BatchNorm1d(3)
    y = bn(x).data
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    # biased batch variance, normalised with eps: var / (var + eps)
    v = x.var(axis=0)
    np.testing.assert_allclose(y.var(axis=0), v / (v + 1e-5), rtol=1e-10)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0, ddof=1), rtol=1e-12)


def test_batchnorm_eval_uses_running_stats():
    bn = nn.BatchNorm1d(2)
    bn.weight.data[...] = [2.0, 0.5]
    bn.bias.data[...] = [1.0, -1.0]
    for _ in range(3):
        bn(RNG.normal(size=(16, 2)))
    rm, rv = bn.running_mean.copy(), bn.running_var.copy()
    x = RNG.normal(size=(5, 2))
    y = bn.eval()(x).data
    np.testing.assert_allclose(y, (x - rm) / np.sqrt(rv + 1e-5) * [2.0, 0.5] + [1.0, -1.0],
                               rtol=1e-13)
    assert np.array_equal(bn.running_mean, rm)               # eval does not update
    bn(x[:1])                                                # one sample is fine in eval


def test_batchnorm_cumulative_average_and_no_tracking():
    a, b = RNG.normal(size=(10, 2)), RNG.normal(size=(10, 2)) + 5
    bn = nn.BatchNorm1d(2, momentum=None)
    bn(a)
    bn(b)
    np.testing.assert_allclose(bn.running_mean, (a.mean(0) + b.mean(0)) / 2, rtol=1e-12)
    free = nn.BatchNorm1d(2, track_running_stats=False, affine=False).eval()
    y = free(a).data                                         # batch statistics even in eval
    np.testing.assert_allclose(y, (a - a.mean(0)) / np.sqrt(a.var(0) + 1e-5), rtol=1e-12)
    assert free.parameters() == []


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradcheck(shape, training):
    bn = nn.BatchNorm1d(3)
    bn.weight.data[...] = RNG.uniform(0.5, 2.0, size=3)
    bn.bias.data[...] = RNG.normal(size=3)
    bn(RNG.normal(size=shape))                               # non-trivial running stats
    bn.train(training)
    check_module_grads(bn, RNG.normal(size=shape) * 2 + 1, rtol=1e-5)


def test_batchnorm_bad_input():
    with pytest.raises(ValueError, match="more than 1 value"):
        nn.BatchNorm1d(3)(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        nn.BatchNorm1d(3)(np.ones((4, 2)))
    with pytest.raises(ValueError, match="eps"):
        nn.BatchNorm1d(3, eps=0)


def test_clip_grad_norm_is_available_from_nn():
    assert nn.clip_grad_norm_ is optim.clip_grad_norm_


@pytest.mark.parametrize("make", [
    lambda: nn.Linear(3, 2, rng=0),
    lambda: nn.BatchNorm1d(3),
    lambda: nn.BatchNorm1d(3).eval(),
    lambda: nn.Dropout(0.5, rng=0),
    lambda: nn.Residual(nn.Linear(3, 3, rng=0)),
])
def test_nonfinite_input_propagates_without_warnings(make):
    x = Tensor(np.array([[1.0, np.inf, 2.0], [np.nan, 0.0, -np.inf], [1.0, 2.0, 3.0]]),
               requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = make()(x)
        out.backward(np.ones(out.shape))
    assert not np.all(np.isfinite(out.data))
