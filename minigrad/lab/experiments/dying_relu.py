"""Dying ReLU (section 5.8 of the source).

- :func:`dead_units`: which hidden units of an :class:`~.small_mlp.MLP` never have a
  positive pre-activation on a set of inputs (their gradient is then 0 on all of them).
- :func:`train_counting_dead`: train a ReLU MLP on two moons and count dead units as
  training goes, for a chosen learning rate and initial bias.
- :func:`born_dead_probability`: Monte Carlo estimate of the probability that a deep,
  narrow ReLU network is a constant function at initialisation ("born dead", Lu et al.
  2020), for every depth up to ``max_depth`` at once; :func:`dead_at_point_exact` is the
  exact probability that it outputs 0 at one input (zero biases), an upper bound.

Example
-------
>>> p = born_dead_probability(width=2, max_depth=20, n_trials=200)
>>> bool(p[0] < p[-1])           # deeper narrow networks are more often dead
True
"""

from __future__ import annotations

import numpy as np

from ._common import init_std
from .layer_stats import raw_and_standardised
from .small_mlp import MLP, accuracy, train

__all__ = ["born_dead_probability", "dead_at_point_exact", "dead_units", "train_counting_dead"]


def dead_units(net: MLP, X) -> list:
    """One boolean array per hidden layer: True where the unit's pre-activation is <= 0 for
    every row of ``X`` (ReLU outputs 0 and passes no gradient on any of them)."""
    _, pre, _ = net(X, keep=True)
    return [np.all(z <= 0, axis=0) for z in pre]


def train_counting_dead(lr=0.05, bias=0.0, activation="relu", hidden=(32, 32, 32),
                        steps=300, every=10, optimizer="sgd", init="he", n_samples=256,
                        seed=0) -> dict:
    """Train an MLP on (standardised) two moons; every ``every`` steps count the dead
    hidden units on the training set.

    Returns ``steps`` (n_records,), ``dead_fraction`` (n_records,) over all hidden units,
    ``dead_per_layer`` (n_records, n_layers), ``loss`` (steps,) and the final training
    ``accuracy``."""
    _, X, y = raw_and_standardised(n_samples, seed=seed)
    net = MLP((2, *hidden, 1), activation, init=init, bias=bias, seed=seed)
    rec, per_layer = [], []

    def record(step, model):
        rec.append(step)
        per_layer.append([d.mean() for d in dead_units(model, X)])

    hist = train(net, X, y, task="binary", steps=steps, lr=lr, optimizer=optimizer,
                 seed=seed, every=every, callback=record)
    per_layer = np.array(per_layer)
    return {"steps": np.array(rec), "dead_per_layer": per_layer,
            "dead_fraction": per_layer @ np.asarray(hidden) / sum(hidden),
            "loss": hist["loss"], "accuracy": accuracy(net, X, y)}


def born_dead_probability(width=2, max_depth=50, n_trials=1000, init="he", bias_std=0.0,
                          d_in=1, n_points=64, seed=0) -> np.ndarray:
    """P(the network is constant on the input domain) for depth 1 .. ``max_depth``.

    ``n_trials`` networks of ``max_depth`` ReLU layers of ``width`` units are drawn at
    once: weights N(0, s^2) with s from ``init`` (``"he"``: 2/fan_in, ``"glorot"``,
    ``"lecun"``, or a number g), biases N(0, ``bias_std``^2) (0: zero biases); both are
    symmetric, as in Lu et al. A network counts as dead at depth L when its last hidden
    layer takes the same value on all ``n_points`` inputs drawn uniformly from
    [-1, 1]^d_in (including the corners +-1 in 1-D). Returns shape ``(max_depth,)``."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n_points, d_in))
    if d_in == 1:
        X[:2, 0] = (-1.0, 1.0)
    h = np.broadcast_to(X, (n_trials, n_points, d_in))
    dead = np.empty(max_depth)
    for layer in range(max_depth):
        fan_in = h.shape[-1]
        s = init_std(init, fan_in, width)
        W = rng.standard_normal((n_trials, fan_in, width)) * s
        b = rng.standard_normal((n_trials, 1, width)) * bias_std
        h = np.maximum(h @ W + b, 0.0)
        spread = np.max(np.abs(h - h[:, :1, :]), axis=(1, 2))
        dead[layer] = np.mean(spread == 0.0)
    return dead


def dead_at_point_exact(width, depths) -> np.ndarray:
    """Exact P(output 0 at one fixed non-zero input) for zero biases and symmetric weights:
    each layer sends a non-zero, non-negative input to all-zero with probability 2^-width
    (each unit independently negative with probability 1/2), so the network survives L
    layers with probability (1 - 2^-width)^L. Being dead on the whole domain is rarer, so
    this bounds :func:`born_dead_probability` from above."""
    depths = np.asarray(depths, dtype=float)
    return 1.0 - (1.0 - 2.0 ** -width) ** depths
