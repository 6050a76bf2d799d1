"""Statistics of the data entering each layer (sections 5.1, 5.7 and 5.10 of the source).

- :func:`layer_statistics`: one forward pass through a deep fully connected stack; per
  layer the mean, standard deviation, fraction of positive and of exactly-zero outputs,
  and the excess kurtosis of the pre-activations (0 for a normal distribution).
- :func:`raw_and_standardised`: a 2-D dataset whose features have a large offset and
  unequal scales, and the same data standardised (the "before and after" of 5.1).
- :func:`training_drift`: how the statistics of each hidden layer move during training
  (the "internal covariate shift" of Ioffe & Szegedy, 2015).
- :func:`learning_rate_grid`: a small classifier trained with plain gradient descent at
  several learning rates, to show which step sizes raw and standardised inputs tolerate.
- :func:`sparse_matmul_times`: dense matrix product against one that skips the zero
  inputs, as the fraction of zeros grows (the cost side of 5.7's sparsity claim).
- :func:`activation_times`: CPU time of each activation alone (numpy) and in minigrad's
  forward and backward pass.

Example
-------
>>> s = layer_statistics("relu", depth=3, width=32, n_samples=64)
>>> bool(0.3 < s.zeros[0] < 0.7)       # about half of a ReLU layer is exactly zero
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ._common import BEST_INIT, entry, forward, init_weights
from .small_mlp import cpu_time

__all__ = [
    "LayerStats",
    "activation_times",
    "excess_kurtosis",
    "expected_mean",
    "layer_statistics",
    "learning_rate_grid",
    "plot_activation_times",
    "plot_matmul_times",
    "raw_and_standardised",
    "slower_text",
    "sparse_matmul_times",
    "standardise",
    "training_drift",
]


@dataclass(frozen=True)
class LayerStats:
    """Per-layer statistics of one forward pass (index 0 = the layer next to the input)."""

    activation: str
    mean: np.ndarray            #: mean of the layer's outputs f(z) over samples and units
    std: np.ndarray             #: their standard deviation
    positive: np.ndarray        #: fraction of outputs > 0
    zeros: np.ndarray           #: fraction of outputs exactly == 0
    pre_mean: np.ndarray        #: mean of the pre-activations z
    pre_std: np.ndarray         #: std of the pre-activations z
    pre_kurtosis: np.ndarray    #: excess kurtosis of z (0 for a normal distribution)
    unit_mean_spread: np.ndarray  #: std over units of each unit's mean output


def excess_kurtosis(a) -> float:
    """E[(a - mean)^4] / Var(a)^2 - 3 over all entries: 0 for a normal sample, -1.2 for a
    uniform one, -2 for two equally likely values."""
    a = np.asarray(a, dtype=float).ravel()
    c = a - a.mean()
    v = np.mean(c ** 2)
    return float(np.mean(c ** 4) / v ** 2 - 3.0) if v > 0 else float("nan")


def expected_mean(activation, sigma=1.0, mu=0.0, **params) -> float:
    """E[f(z)] for z ~ N(mu, sigma^2), by the trapezoid rule on mu +- 12 sigma (20 001
    points; accurate to about 1e-7, kinks included). ``params`` override the catalog's
    defaults (e.g. ``negative_slope=0.25``)."""
    e = entry(activation)
    p = {**e.example_params, **params}
    t = np.linspace(-12.0, 12.0, 20001)
    with np.errstate(over="ignore"):
        vals = np.asarray(e.forward(mu + sigma * t, **p), dtype=float)
    dens = np.exp(-0.5 * t * t) / np.sqrt(2.0 * np.pi)
    return float(np.trapezoid(vals * dens, t))


def standardise(X, stats_from=None):
    """``(X - mean) / std`` per feature, the statistics taken from ``stats_from`` (default X)."""
    X = np.asarray(X, dtype=float)
    ref = X if stats_from is None else np.asarray(stats_from, dtype=float)
    return (X - ref.mean(axis=0)) / ref.std(axis=0)


def raw_and_standardised(n_samples=256, offset=(4.0, 8.0), scale=(1.0, 5.0), seed=0):
    """The two-moons data with features ``offset + scale * x`` (not centred, unequal
    scales), and the same data standardised. Returns ``(X_raw, X_std, y)``."""
    from ...data import make_moons
    X, y = make_moons(n_samples, noise=0.1, seed=seed)
    raw = np.asarray(offset) + np.asarray(scale) * X
    return raw, standardise(raw), y


def layer_statistics(activation, X=None, depth=8, width=64, n_samples=256, init="best",
                     bias=0.0, seed=0) -> LayerStats:
    """One forward pass of ``X`` (default: standard normal inputs of dimension ``width``)
    through ``depth`` layers ``h_l = f(h_{l-1} W_l^T + b)``, weights from ``init``
    (``"best"``: the activation's usual one), biases ``bias``. No training."""
    if init == "best":
        init = BEST_INIT.get(activation, "he")
    rng = np.random.default_rng(seed)
    if X is None:
        X = np.random.default_rng([seed, 1]).standard_normal((n_samples, width))
    f = forward(activation)
    h = np.asarray(X, dtype=float)
    rows = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(depth):
            W = init_weights(init, (width, h.shape[1]), rng)
            z = h @ W.T + bias
            h = np.asarray(f(z), dtype=float)
            rows.append((h.mean(), h.std(), np.mean(h > 0), np.mean(h == 0), z.mean(), z.std(),
                         excess_kurtosis(z), h.mean(axis=0).std()))
    cols = [np.array(c) for c in zip(*rows)]
    return LayerStats(activation, *cols)


def training_drift(activation="relu", hidden=(32, 32, 32), steps=300, lr=0.05, every=10,
                   optimizer="sgd", standardise_inputs=True, n_samples=256, seed=0) -> dict:
    """Train an MLP on two moons; every ``every`` steps record, on a fixed probe (the whole
    training set), each hidden layer's mean and std of the pre-activations z.

    Returns ``steps`` (n_records,), ``mean`` and ``std`` (n_records, n_layers), ``loss``
    (steps,), and ``batch_mean_spread`` (n_layers,): the std, over 16 random mini-batches
    of 32 samples, of each layer's mean z at initialisation (how much the statistics of a
    layer's input vary from batch to batch without any training)."""
    from .small_mlp import MLP, train

    raw, std_X, y = raw_and_standardised(n_samples, seed=seed)
    X = std_X if standardise_inputs else raw
    net = MLP((2, *hidden, 1), activation, seed=seed)
    rec_steps, means, stds = [], [], []

    def record(step, model):
        _, pre, _ = model(X, keep=True)
        rec_steps.append(step)
        means.append([z.mean() for z in pre])
        stds.append([z.std() for z in pre])

    rng = np.random.default_rng([seed, 5])
    batch_means = []
    for _ in range(16):
        idx = rng.choice(n_samples, 32, replace=False)
        _, pre, _ = net(X[idx], keep=True)
        batch_means.append([z.mean() for z in pre])
    hist = train(net, X, y, task="binary", steps=steps, lr=lr, optimizer=optimizer,
                 seed=seed, every=every, callback=record)
    return {"steps": np.array(rec_steps), "mean": np.array(means), "std": np.array(stds),
            "loss": hist["loss"], "batch_mean_spread": np.array(batch_means).std(axis=0)}


def _skip_zeros_matmul(H, W):
    """``H @ W`` computed from the non-zero entries of H only (a CSR-style product)."""
    r, c = np.nonzero(H)                     # r is sorted
    out = np.zeros((H.shape[0], W.shape[1]))
    if r.size:
        contrib = H[r, c][:, None] * W[c]
        starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
        out[r[starts]] = np.add.reduceat(contrib, starts, axis=0)
    return out


def sparse_matmul_times(zero_fractions=(0.0, 0.5, 0.9, 0.99), n_samples=16, width=128,
                        repeat=30, seed=0) -> dict:
    """Time ``H @ W`` for an input ``H`` (n_samples, width) with a given fraction of exact
    zeros, two ways: numpy's dense product (which multiplies the zeros too), and a sparse
    product that touches only the non-zero entries (:func:`_skip_zeros_matmul`: one
    scaled row of W per non-zero input, summed per sample; work proportional to the
    number of non-zeros).

    Returns ``zero_fractions``, ``dense`` and ``skip`` (best of ``repeat`` timings, CPU
    seconds from ``time.process_time``) and ``max_error`` (largest difference between the
    two results). The default sizes keep the product small (m n k = 2^18), so that the
    linear algebra library is not expected to start extra threads."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((width, width))
    Hs = []
    for frac in zero_fractions:
        H = np.abs(rng.standard_normal((n_samples, width)))
        H[rng.random(H.shape) < frac] = 0.0
        Hs.append(H)
    k = len(Hs)
    dense_t, skip_t, err = np.full(k, np.inf), np.full(k, np.inf), 0.0
    for _ in range(repeat):          # round-robin, so a busy spell hits every case alike
        for j, H in enumerate(Hs):    # all dense products first: W stays in the cache
            t0 = time.process_time()
            H @ W
            dense_t[j] = min(dense_t[j], time.process_time() - t0)
        for j, H in enumerate(Hs):
            t0 = time.process_time()
            S = _skip_zeros_matmul(H, W)
            skip_t[j] = min(skip_t[j], time.process_time() - t0)
            err = max(err, float(np.max(np.abs(H @ W - S))))
    return {"zero_fractions": np.asarray(zero_fractions), "dense": dense_t, "skip": skip_t,
            "max_error": err}


def slower_text(ratio: float) -> str:
    """How a time ratio (this / reference) reads in prose that must be the same in every
    build: "more than ten times slower than", "slower than" or "not slower than". Use it
    only where the measured ratio is far from the boundaries 1 and 10."""
    if ratio > 10.0:
        return "more than ten times slower than"
    return "slower than" if ratio > 1.0 else "not slower than"


def activation_times(names, n=100_000, number=5, repeat=3, seed=0) -> dict:
    """CPU seconds per call, for each catalog activation, of its numpy forward on ``n``
    standard-normal numbers (``"numpy"``) and of minigrad's forward and backward pass
    through it (``"autograd"``: ``Tensor.<name>().sum().backward()``), each the best of
    ``repeat`` runs of ``number`` calls (:func:`~.small_mlp.cpu_time`).
    ``{name: {"numpy": s, "autograd": s}}``."""
    from ... import functional as F
    from ...tensor import Tensor

    x = np.random.default_rng(seed).standard_normal(n)
    out = {}
    for name in names:
        f, act = forward(name), getattr(F, name)

        def fwd_bwd(act=act):
            t = Tensor(x, requires_grad=True)
            act(t).sum().backward()

        out[name] = {"numpy": cpu_time(lambda f=f: f(x), number, repeat),
                     "autograd": cpu_time(fwd_bwd, number, repeat)}
    return out


def learning_rate_grid(X, y, lrs, activation="tanh", hidden=(16,), steps=100, seed=0) -> dict:
    """Train a fresh :class:`~.small_mlp.MLP` (same seed, so the same initial weights) on
    the binary task ``(X, y)`` with plain full-batch gradient descent at each learning rate.
    ``{lr: {"loss": (steps,) losses, "final": last loss, "ups": fraction of steps after
    which the loss went up}}``."""
    from .small_mlp import MLP, train

    out = {}
    for lr in lrs:
        net = MLP((np.shape(X)[1], *hidden, 1), activation, seed=seed)
        loss = train(net, X, y, task="binary", steps=steps, lr=lr, optimizer="sgd",
                     seed=seed)["loss"]
        out[lr] = {"loss": loss, "final": float(loss[-1]),
                   "ups": float(np.mean(np.diff(loss) > 0))}
    return out


def plot_matmul_times(ax, t: dict):
    """Draw :func:`sparse_matmul_times` results on the matplotlib Axes ``ax``: CPU
    microseconds of the dense and of the zero-skipping product against the fraction of
    zeros (log scale, one tick per measured fraction)."""
    from ..plotting import COLORS

    pos = np.arange(len(t["zero_fractions"]))
    ax.semilogy(pos, 1e6 * t["dense"], "o-", color=COLORS["f"], label="dense product")
    ax.semilogy(pos, 1e6 * t["skip"], "s--", color=COLORS["df"], label="skipping zeros")
    ax.set_xticks(pos, [f"{f:g}" for f in t["zero_fractions"]])
    ax.set(xlabel="fraction of zero inputs", ylabel="CPU µs per product")
    ax.legend(fontsize=8)
    return ax


def plot_activation_times(ax, r: dict, base="relu"):
    """Grouped bars on ``ax``: each activation's CPU time relative to ``base``, for the
    numpy forward alone and for minigrad's forward and backward pass
    (:func:`activation_times`)."""
    from ..plotting import COLORS

    names = list(r)
    pos = np.arange(len(names))
    for k, (key, label, colour) in enumerate((("numpy", "numpy forward", COLORS["f"]),
                                             ("autograd", "minigrad forward + backward",
                                              COLORS["df"]))):
        vals = [r[n][key] / r[base][key] for n in names]
        ax.bar(pos + (k - 0.5) * 0.4, vals, width=0.4, color=colour, label=label)
    ax.axhline(1.0, color=COLORS["muted"], lw=0.8)
    ax.set_xticks(pos, names)
    ax.set(ylabel=f"CPU time / {base}'s")
    ax.legend(fontsize=8)
    return ax
