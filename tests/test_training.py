"""End to end: small MLPs trained with minigrad fit the toy datasets (seeded, seconds).

The issue's bar: >= 97% training accuracy on moons, >= 95% on two-arm spirals.
Run with ``-s`` to see the accuracy and the wall time of each run.
"""

import itertools
import time

import numpy as np
import pytest

from minigrad import Tensor, data, losses, nn, optim


def mlp(sizes, activation, init, seed):
    """Linear layers of the given widths with ``activation()`` between them."""
    layers = []
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(fan_in, fan_out, init=init, rng=seed + i))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


def fit(model, X, loss_fn, opt, steps, schedule=None):
    Xt = Tensor(X)
    start = time.perf_counter()
    for step in range(steps):
        if schedule is not None:
            opt.lr = schedule(step)
        opt.zero_grad()
        loss = loss_fn(model(Xt))
        loss.backward()
        opt.step()
    return time.perf_counter() - start, loss.item()


def report(name, acc, seconds, loss):
    print(f"\n{name}: training accuracy {acc:.1%}, {seconds:.2f} s, final loss {loss:.4g}")


def test_moons_tanh_mlp_adam_cross_entropy():
    X, y = data.make_moons(n_samples=200, noise=0.1, seed=0)
    model = mlp([2, 16, 16, 2], nn.Tanh, "xavier_uniform", seed=0)
    opt = optim.Adam(model.parameters(), lr=0.05)
    seconds, loss = fit(model, X, lambda out: losses.cross_entropy(out, y), opt, 200)
    acc = np.mean(model(X).data.argmax(axis=1) == y)
    report("moons, 2-16-16-2 tanh, Adam, cross-entropy, 200 steps", acc, seconds, loss)
    assert acc >= 0.97


def test_moons_micrograd_demo_recipe():
    # micrograd's demo.ipynb, vectorised: 2-16-16-1 ReLU, weights U(-1, 1), biases 0,
    # labels in {-1, +1}, max-margin loss + 1e-4 * L2, SGD with lr 1.0 -> 0.1 over 100 steps
    X, y = data.make_moons(n_samples=100, noise=0.1, seed=1)
    y_pm = 2.0 * y - 1
    model = mlp([2, 16, 16, 1], nn.ReLU, "uniform", seed=10)
    params = model.parameters()

    def loss_fn(out):
        reg = sum((p * p).sum() for p in params)
        return losses.hinge_loss(out.reshape(-1), y_pm) + 1e-4 * reg

    opt = optim.SGD(params, lr=1.0)
    seconds, loss = fit(model, X, loss_fn, opt, 100, schedule=lambda k: 1.0 - 0.9 * k / 100)
    acc = np.mean((model(X).data.reshape(-1) > 0) == (y_pm > 0))
    report("moons, micrograd demo recipe (ReLU, hinge, SGD), 100 steps", acc, seconds, loss)
    assert acc >= 0.97


@pytest.mark.parametrize("seed", [0, 1])
def test_two_arm_spirals_tanh_mlp_adam(seed):
    X, y = data.make_spirals(n_samples=200, n_arms=2, noise=0.1, seed=seed)
    model = mlp([2, 32, 32, 2], nn.Tanh, "xavier_uniform", seed=seed)
    opt = optim.Adam(model.parameters(), lr=0.02)
    seconds, loss = fit(model, X, lambda out: losses.cross_entropy(out, y), opt, 1000)
    acc = np.mean(model(X).data.argmax(axis=1) == y)
    report(f"two-arm spirals (seed {seed}), 2-32-32-2 tanh, Adam, cross-entropy, 1000 steps",
           acc, seconds, loss)
    assert acc >= 0.95


def test_two_arm_spirals_relu_bce_sgd_nesterov():
    X, y = data.make_spirals(n_samples=200, n_arms=2, noise=0.1, seed=0)
    model = mlp([2, 32, 32, 1], nn.ReLU, "he_uniform", seed=20)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    target = y.astype(float).reshape(-1, 1)
    seconds, loss = fit(model, X,
                        lambda out: losses.binary_cross_entropy_with_logits(out, target),
                        opt, 800)
    acc = np.mean((model(X).data.reshape(-1) > 0) == (y == 1))
    report("two-arm spirals, 2-32-32-1 ReLU, SGD Nesterov, BCE, 800 steps", acc, seconds, loss)
    assert acc >= 0.95


def test_batchnorm_dropout_network_trains_and_evaluates():
    seed = 0
    X, y = data.make_moons(n_samples=200, noise=0.1, seed=seed)
    model = nn.Sequential(
        nn.Linear(2, 32, init="he_uniform", rng=seed), nn.BatchNorm1d(32), nn.ReLU(),
        nn.Dropout(0.1, rng=seed), nn.Linear(32, 2, rng=seed + 1))
    opt = optim.AdamW(model.parameters(), lr=0.02)
    seconds, loss = fit(model, X, lambda out: losses.cross_entropy(out, y), opt, 300)
    model.eval()
    acc = np.mean(model(X).data.argmax(axis=1) == y)
    report("moons, Linear-BatchNorm-ReLU-Dropout-Linear, AdamW, eval mode", acc, seconds, loss)
    assert acc >= 0.97
