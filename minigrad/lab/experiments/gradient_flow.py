"""Vanishing and exploding gradients (the source's sections 5.2-5.4).

A stack of ``depth`` fully connected layers of ``width`` units, ``h_l = f(h_{l-1} W_l^T)``
(no biases), fed standard normal inputs. The loss is ``sum(h_L * r) / n_samples`` with a
fixed random direction ``r``, so the gradient that reaches the top layer is the same
random vector whatever the activation, and what happens below it is the network's doing.
All gradients come from minigrad's autograd (``Tensor.backward``).

Layers are numbered 1 (next to the input) to ``depth`` (the top). Back-propagation runs
from ``depth`` down to 1; with ``g_l = dL/dz_l`` the gradient at the pre-activations,

    g_l = (g_{l+1} W_{l+1}) * f'(z_l),   so   |g_l| / |g_{l+1}| ~ sqrt(n Var(W) E[f'(z_l)^2])

when the weights are independent of the signal (the usual mean-field argument of Glorot &
Bengio 2010 and He et al. 2015). :class:`GradientFlow` holds the measured ratio and this
prediction, layer by layer.

Example
-------
>>> norms = layer_gradient_norms("sigmoid", "glorot", depth=6, width=32, n_samples=32)
>>> bool(norms[0] < norms[-1])        # the layer next to the input gets the least
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from ... import functional as F
from ... import nn, optim
from ...tensor import Tensor
from ._common import BEST_INIT, derivative, init_weights

__all__ = [
    "ACTIVATIONS",
    "BEST_INIT",
    "GradientFlow",
    "factor_markdown",
    "factor_table",
    "geometric_factor",
    "gradient_flow",
    "layer_gradient_norms",
    "path_derivative_products",
    "plot_layer_norms",
    "saturation_by_scale",
    "sweep",
    "train_top_layer_saturation",
    "train_with_weight_decay",
]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu")


@dataclass(frozen=True)
class GradientFlow:
    """Per-layer measurements of one forward and backward pass (index 0 = layer 1)."""

    activation: str
    init: object
    weight_grad_norms: np.ndarray      #: |dL/dW_l| (Frobenius), what an optimiser sees
    preact_grad_norms: np.ndarray      #: |dL/dz_l|, the back-propagated signal
    mean_sq_derivative: np.ndarray     #: mean of f'(z_l)^2 over the layer's units and samples
    weight_gain: np.ndarray            #: fan_out * mean(W_l^2), i.e. n Var(W_l)
    activation_std: np.ndarray         #: std of h_l
    preacts: list = field(repr=False)  #: z_l arrays (n_samples, width), if kept

    @property
    def measured_factor(self) -> np.ndarray:
        """|g_l| / |g_{l+1}| for l = 1 .. depth-1: the shrink (<1) or growth per layer."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.preact_grad_norms[:-1] / self.preact_grad_norms[1:]

    @property
    def predicted_factor(self) -> np.ndarray:
        """sqrt(n Var(W_{l+1}) E[f'(z_l)^2]) for l = 1 .. depth-1."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.sqrt(self.weight_gain[1:] * self.mean_sq_derivative[:-1])


def _forward_backward(activation, init, depth, width, n_samples, seed, *, batchnorm=False,
                      residual=False, clip=None, keep_preacts=True, weights=None):
    rng = np.random.default_rng(seed)
    act = getattr(F, activation)
    if weights is None:
        weights = [Tensor(init_weights(init, (width, width), rng), requires_grad=True)
                   for _ in range(depth)]
    x = Tensor(np.random.default_rng([seed, 1]).standard_normal((n_samples, width)))
    r = np.random.default_rng([seed, 2]).standard_normal((n_samples, width))
    norms = [nn.BatchNorm1d(width) for _ in range(depth)] if batchnorm else None
    h, zs, hs = x, [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for i, W in enumerate(weights):
            z = h @ W.T
            if norms is not None:
                z = norms[i](z)
            z.retain_grad()
            zs.append(z)
            a = act(z)
            h = h + a if residual else a
            hs.append(h.data)
        loss = (h * Tensor(r)).sum() / n_samples
        loss.backward()
    if clip is not None:
        kind, value = clip
        if kind == "norm":
            optim.clip_grad_norm_(weights, value)
        elif kind == "value":
            optim.clip_grad_value_(weights, value)
        else:
            raise ValueError(f"clip must be ('norm', c) or ('value', c), got {clip!r}")
    return weights, zs, hs


def gradient_flow(activation, init, depth=10, width=64, n_samples=128, seed=0, *,
                  batchnorm=False, residual=False, clip=None,
                  keep_preacts=False) -> GradientFlow:
    """One forward and backward pass; every per-layer measurement in a :class:`GradientFlow`.

    ``activation``: a name of ``minigrad.functional`` (``"sigmoid"``, ``"tanh"``,
    ``"relu"``, ``"leaky_relu"``, ``"elu"``, ``"selu"``, ...). ``init``: ``"normal"``
    (N(0, 1)), ``"uniform"`` (U(+-1/sqrt n)), ``"glorot"``, ``"he"``, ``"lecun"``,
    ``"best"`` (:data:`BEST_INIT`) or a number g (N(0, g^2/n)). ``batchnorm``: a
    :class:`minigrad.nn.BatchNorm1d` (training mode) between each matmul and activation.
    ``residual``: ``h_l = h_{l-1} + f(z_l)``. ``clip``: ``("norm", c)`` or
    ``("value", c)``, applied to the weight gradients with :mod:`minigrad.optim`'s
    ``clip_grad_norm_`` / ``clip_grad_value_`` after the backward pass.
    """
    if init == "best":
        init = BEST_INIT[activation]
    weights, zs, hs = _forward_backward(activation, init, depth, width, n_samples, seed,
                                        batchnorm=batchnorm, residual=residual, clip=clip)
    fprime = derivative(activation)
    with np.errstate(over="ignore", invalid="ignore"):
        wnorm = np.array([np.linalg.norm(W.grad) for W in weights])
        gnorm = np.array([np.linalg.norm(z.grad) for z in zs])
        msd = np.array([np.mean(fprime(z.data) ** 2) for z in zs])
        gain = np.array([W.data.shape[0] * np.mean(W.data ** 2) for W in weights])
        astd = np.array([np.std(h) for h in hs])
    return GradientFlow(activation=activation, init=init, weight_grad_norms=wnorm,
                        preact_grad_norms=gnorm, mean_sq_derivative=msd, weight_gain=gain,
                        activation_std=astd,
                        preacts=[z.data for z in zs] if keep_preacts else [])


def layer_gradient_norms(activation, init, depth=10, width=64, n_samples=128, seed=0, *,
                         wrt="preactivation", **options) -> np.ndarray:
    """Norm of the back-propagated gradient at each layer, shape ``(depth,)``.

    Index 0 is the layer next to the input. ``wrt="preactivation"`` (default): |dL/dz_l|,
    the signal back-propagation carries down; ``wrt="weight"``: |dL/dW_l|, the gradient
    the optimiser applies (it also scales with the layer's input |h_{l-1}|). Other keyword
    arguments (``batchnorm``, ``residual``, ``clip``) as in :func:`gradient_flow`.
    """
    r = gradient_flow(activation, init, depth, width, n_samples, seed, **options)
    if wrt == "weight":
        return r.weight_grad_norms
    if wrt in ("preactivation", "z"):
        return r.preact_grad_norms
    raise ValueError(f"wrt must be 'weight' or 'preactivation', got {wrt!r}")


def path_derivative_products(activation, init="best", depth=10, width=64, n_samples=128,
                             n_paths=2000, seed=0, *, cumulative=False) -> np.ndarray:
    """Products of f'(z) along random paths (one unit per layer) through the network.

    Back-propagation multiplies local derivatives along every path from the top to a
    unit; this returns ``n_paths`` such products over all ``depth`` layers, for random
    samples and random units. For sigmoid each factor is at most 1/4; for ReLU each factor
    is 0 or 1. With ``cumulative=True`` the result has shape (depth, n_paths): row l - 1
    holds the product over layers depth, depth - 1, ..., l (the part of the path that the
    gradient has crossed when it reaches layer l).
    """
    r = gradient_flow(activation, init, depth, width, n_samples, seed, keep_preacts=True)
    fprime = derivative(activation)
    rng = np.random.default_rng([seed, 3])
    sample = rng.integers(0, n_samples, size=n_paths)
    units = rng.integers(0, width, size=(depth, n_paths))
    factors = np.array([fprime(z[sample, units[layer]]) for layer, z in enumerate(r.preacts)])
    from_top = np.cumprod(factors[::-1], axis=0)[::-1]
    return from_top if cumulative else from_top[0]


def saturation_by_scale(scales, width=256, n_samples=256, seed=0, threshold=0.01):
    """Saturated sigmoid units in one layer as the weights grow.

    Inputs ~ N(0, 1) of dimension ``width``; weights ~ N(0, s^2 / width) for each s in
    ``scales``, so z ~ N(0, s^2). Returns a dict with, for each scale, the array of
    sigmoid'(z) over the layer (``"derivatives"``), the fraction of (sample, unit) pairs
    with sigmoid(z) below ``threshold`` or above ``1 - threshold`` (``"saturated"``), and
    the mean norm of each unit's weight gradient from autograd (``"unit_grad"``), for the
    loss ``sum(sigmoid(z) * r)``.
    """
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal((n_samples, width)))
    r = Tensor(np.random.default_rng([seed, 1]).standard_normal((n_samples, width)))
    base = rng.standard_normal((width, width))
    out = {"scales": np.asarray(scales, dtype=float), "derivatives": [], "saturated": [],
           "unit_grad": []}
    for s in scales:
        W = Tensor(base * (s / np.sqrt(width)), requires_grad=True)
        y = F.sigmoid(x @ W.T)
        (y * r).sum().backward()
        d = y.data * (1.0 - y.data)
        out["derivatives"].append(d)
        out["saturated"].append(float(np.mean((y.data < threshold) | (y.data > 1 - threshold))))
        out["unit_grad"].append(float(np.mean(np.linalg.norm(W.grad, axis=1))))
    out["saturated"] = np.array(out["saturated"])
    out["unit_grad"] = np.array(out["unit_grad"])
    return out


def _factor_of(activation, weights, n_samples, seed) -> float:
    """Geometric-mean factor |g_l| / |g_{l+1}| of the net with the given weight arrays."""
    Ws = [Tensor(np.array(W), requires_grad=True) for W in weights]
    _, zs, _ = _forward_backward(activation, None, len(Ws), Ws[0].shape[0], n_samples, seed,
                                 weights=Ws)
    g = np.array([np.linalg.norm(z.grad) for z in zs])
    return geometric_factor(g[:-1] / g[1:])


def train_with_weight_decay(activation="relu", init=2.0, depth=10, width=32, n_samples=64,
                            steps=150, lr=0.05, weight_decay=0.0, max_norm=1.0, seed=0):
    """Train a deep net with SGD and L2 weight decay; measure the gradient factor per layer
    before and after.

    The task is regression on random targets through a fixed random read-out: the loss is
    ``mean((h_L @ v - y)^2)``. The gradients are clipped to joint norm ``max_norm`` so that
    an exploding network can be trained at all. Returns a dict with ``factor_before`` and
    ``factor_after`` (geometric-mean |g_l|/|g_{l+1}| of the probe of :func:`gradient_flow`,
    on the initial and the trained weights), ``gain`` (depth,) = n Var(W_l) after training,
    and ``loss`` (steps,).
    """
    rng = np.random.default_rng(seed)
    act = getattr(F, activation)
    Ws = [Tensor(init_weights(init, (width, width), rng), requires_grad=True)
          for _ in range(depth)]
    initial = [W.data.copy() for W in Ws]
    x = Tensor(rng.standard_normal((n_samples, width)))
    v = Tensor(rng.standard_normal((width, 1)) / np.sqrt(width))
    y = Tensor(rng.standard_normal((n_samples, 1)))
    opt = optim.SGD(Ws, lr=lr, weight_decay=weight_decay)
    losses = np.empty(steps)
    for step in range(steps):
        h = x
        for W in Ws:
            h = act(h @ W.T)
        loss = (((h @ v) - y) ** 2).mean()
        losses[step] = loss.item()
        opt.zero_grad()
        loss.backward()
        optim.clip_grad_norm_(Ws, max_norm)
        opt.step()
    gain = np.array([width * np.mean(W.data ** 2) for W in Ws])
    return {"factor_before": _factor_of(activation, initial, n_samples, seed),
            "factor_after": _factor_of(activation, [W.data for W in Ws], n_samples, seed),
            "gain": gain, "loss": losses}


def train_top_layer_saturation(hidden=(32, 32, 32), n_classes=4, n_inputs=16,
                               n_train=256, epochs=200, batch=32, lr=2.0, seed=0,
                               activation="sigmoid", init="uniform", record_every=20,
                               low_threshold=0.1):
    """Glorot & Bengio's (2010) observation: the top sigmoid layer saturates early.

    A classifier with sigmoid hidden layers in the "standard" initialisation
    U(-1/sqrt(n), 1/sqrt(n)) is trained with plain SGD (mini-batches of ``batch``) on a
    toy task: inputs N(0, 1), labels from a random linear teacher, argmax(x @ T). Every
    ``record_every`` steps the mean activation of every hidden layer on a fixed batch of
    256 training inputs is recorded, with the accuracy on it. Returns a dict with
    ``steps`` (n_records,), ``mean_activation`` (n_records, n_layers), ``saturated_low``
    (fraction of activations below ``low_threshold``, per layer; for the sigmoid, 0.1 is
    where sigma' has fallen to 0.09) and ``accuracy`` (n_records,).

    Glorot and Bengio used four or five hidden layers of 1000 units; three layers of 32
    keep the run within a page's time budget and let the recovery happen within it.
    """
    from ...losses import cross_entropy

    rng = np.random.default_rng(seed)
    act = getattr(F, activation)
    X = rng.standard_normal((n_train, n_inputs))
    teacher = rng.standard_normal((n_inputs, n_classes))
    labels = np.argmax(X @ teacher, axis=1)
    sizes = (n_inputs, *hidden, n_classes)
    Ws = [Tensor(init_weights(init, (o, i), rng), requires_grad=True)
          for i, o in pairwise(sizes)]
    bs = [Tensor(np.zeros(o), requires_grad=True) for o in sizes[1:]]
    opt = optim.SGD(Ws + bs, lr=lr)
    probe = Tensor(X[:256])

    def record():
        h, means, low = probe, [], []
        for W, b in zip(Ws[:-1], bs[:-1]):
            h = act(h @ W.T + b)
            means.append(float(h.data.mean()))
            low.append(float(np.mean(h.data < low_threshold)))
        logits = h @ Ws[-1].T + bs[-1]
        acc = float(np.mean(np.argmax(logits.data, axis=1) == labels[:256]))
        return means, low, acc

    steps, means, lows, accs = [], [], [], []
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n_train)
        for start in range(0, n_train, batch):
            if step % record_every == 0:
                m, lo, a = record()
                steps.append(step)
                means.append(m)
                lows.append(lo)
                accs.append(a)
            idx = order[start:start + batch]
            h = Tensor(X[idx])
            for W, b in zip(Ws[:-1], bs[:-1]):
                h = act(h @ W.T + b)
            loss = cross_entropy(h @ Ws[-1].T + bs[-1], labels[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
    return {"steps": np.array(steps), "mean_activation": np.array(means),
            "saturated_low": np.array(lows), "accuracy": np.array(accs)}


def sweep(activations=ACTIVATIONS, inits=("uniform", "glorot", "he"), **options) -> dict:
    """:func:`gradient_flow` for every (activation, init) pair: ``{(activation, init): r}``."""
    return {(a, i): gradient_flow(a, i, **options) for i in inits for a in activations}


def geometric_factor(values) -> float:
    """Geometric mean of per-layer factors (the constant factor with the same product)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return float(np.exp(np.mean(np.log(values))))


def factor_table(results: dict) -> list:
    """Rows (activation, init, measured, predicted): geometric-mean factors per layer."""
    return [(a, str(i), geometric_factor(r.measured_factor),
             geometric_factor(r.predicted_factor)) for (a, i), r in results.items()]


def plot_layer_norms(ax, curves: dict, *, title=None, ylabel="|dL/dz| at layer l"):
    """Draw per-layer norms (index 0 = layer 1) on a log scale, one line per label.

    ``ax`` is a matplotlib Axes; this helper draws on it and imports nothing.
    """
    for label, norms in curves.items():
        norms = np.asarray(norms)
        ax.semilogy(np.arange(1, norms.size + 1), norms, marker="o", ms=3, label=label)
    ax.set_xlabel("layer l (1 = next to the input)")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def factor_markdown(table) -> str:
    """A Markdown grid of :func:`factor_table` rows: activations down, initialisations
    across, each cell "measured (predicted)"."""
    acts = list(dict.fromkeys(row[0] for row in table))
    inits = list(dict.fromkeys(row[1] for row in table))
    cell = {(a, i): f"{m:.3f} ({p:.3f})" for a, i, m, p in table}
    lines = ["| activation | " + " | ".join(inits) + " |",
             "|---" * (len(inits) + 1) + "|"]
    lines += ["| " + a + " | " + " | ".join(cell.get((a, i), "") for i in inits) + " |"
              for a in acts]
    return "\n".join(lines)
