"""SELU self-normalisation (the source's section 4.8), forward statistics through deep nets.

Klambauer et al. (2017) choose SELU's two constants so that, for a unit whose input
``z`` is N(0, 1), the output has mean 0 and variance 1:

    E[selu(z)] = 0,   E[selu(z)**2] = 1,   z ~ N(0, 1).

* :func:`selu_constants_newton` solves these two equations with Newton's method, the
  Gaussian expectations computed by Gauss-Legendre quadrature on each side of the kink;
  :func:`selu_constants_closed_form` writes the same solution with ``erfc``.
* :func:`moment_map` is the paper's map (mean, variance) -> (mean, variance) of one layer.
* :func:`layer_statistics` and :func:`layer_activations` push N(mu0, var0) data through
  ``depth`` fully connected layers of ``width`` units with random weights and report the
  activations' mean and variance after every layer.

This is a forward experiment (no gradients), so it runs in numpy with the catalog's
``forward`` and float32 weights; one stack of standard normal weights per
(seed, depth, width) is drawn once and rescaled for each initialisation, so every
activation and initialisation sees the same random directions.

Example
-------
>>> a, lam, _ = selu_constants_newton()
>>> abs(a - PUBLISHED_ALPHA) < 1e-10 and abs(lam - PUBLISHED_LAMBDA) < 1e-10
True
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ._common import BEST_INIT, forward, init_std

__all__ = [
    "BEST_INIT",
    "PUBLISHED_ALPHA",
    "PUBLISHED_LAMBDA",
    "alpha_dropout",
    "alpha_dropout_constants",
    "dropout_statistics",
    "gaussian_expectation",
    "layer_activations",
    "layer_statistics",
    "layer_statistics_many",
    "moment_map",
    "moment_map_jacobian",
    "predicted_statistics",
    "selu_constants_closed_form",
    "selu_constants_newton",
    "selu_gradient_factor",
]

#: The constants as printed in the authors' code and in PyTorch's documentation.
PUBLISHED_ALPHA = 1.6732632423543772848170429916717
PUBLISHED_LAMBDA = 1.0507009873554804934193349852946


# ---------------------------------------------------------------- Gaussian integrals
@lru_cache(maxsize=8)
def _half_line_rule(n: int, length: float):
    """Gauss-Legendre nodes and weights on [0, length], times the N(0, 1) density."""
    t, w = np.polynomial.legendre.leggauss(n)
    x = 0.5 * length * (t + 1.0)
    w = 0.5 * length * w * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    return x, w


def gaussian_expectation(g, mean=0.0, std=1.0, *, kink=0.0, n=120, width=14.0) -> float:
    """``E[g(z)]`` for ``z ~ N(mean, std**2)`` by Gauss-Legendre quadrature.

    The line is split at ``kink`` (where g may have a kink: for SELU, 0) and each side is
    integrated over ``width`` standard deviations, so each piece of the integrand is
    smooth and the rule converges to machine precision (the density beyond 14 standard
    deviations is below 1e-43).
    """
    s = (kink - mean) / std                    # the kink in standard units
    x, w = _half_line_rule(n, width)
    right = s + x                              # standard units, from the kink upwards
    left = s - x
    wr = w * np.exp(-s * x - 0.5 * s * s)      # re-centre the density at 0, not at s
    return float(np.dot(wr, g(mean + std * right)) + np.dot(wr * np.exp(2 * s * x),
                                                              g(mean + std * left)))


def _selu_pieces():
    """The four integrals the fixed-point equations need, each for z ~ N(0, 1)."""
    pos = lambda z: np.where(z > 0, z, 0.0)
    neg = lambda z: np.where(z <= 0, np.expm1(np.minimum(z, 0)), 0.0)
    A = gaussian_expectation(pos)                            # E[z; z > 0]
    B = gaussian_expectation(neg)                            # E[e^z - 1; z <= 0]
    C = gaussian_expectation(lambda z: pos(z) ** 2)          # E[z^2; z > 0]
    D = gaussian_expectation(lambda z: neg(z) ** 2)          # E[(e^z - 1)^2; z <= 0]
    return A, B, C, D


def selu_constants_newton(alpha0=1.0, lam0=1.0, tol=1e-15, max_iter=50):
    """Solve E[selu(z)] = 0, E[selu(z)^2] = 1 (z ~ N(0, 1)) for (alpha, lambda).

    With ``selu(z) = lam * (z if z > 0 else alpha (e^z - 1))`` the equations read
    ``lam (A + alpha B) = 0`` and ``lam^2 (C + alpha^2 D) = 1`` with the four Gaussian
    integrals A, B, C, D of :func:`_selu_pieces`. Newton's method on both unknowns
    from (alpha0, lam0). Returns ``(alpha, lam, history)``, history the iterates.
    """
    A, B, C, D = _selu_pieces()
    a, lam = float(alpha0), float(lam0)
    history = [(a, lam)]
    for _ in range(max_iter):
        F = np.array([lam * (A + a * B), lam * lam * (C + a * a * D) - 1.0])
        J = np.array([[lam * B, A + a * B],
                      [2 * lam * lam * a * D, 2 * lam * (C + a * a * D)]])
        step = np.linalg.solve(J, F)
        a, lam = float(a - step[0]), float(lam - step[1])
        history.append((a, lam))
        if np.max(np.abs(step)) < tol:
            break
    return a, lam, history


def selu_constants_closed_form():
    """The same solution in closed form, with Phi(-x) = erfc(x / sqrt 2) / 2.

    ``E[z; z>0] = 1/sqrt(2 pi)``, ``E[e^z - 1; z<=0] = e^{1/2} Phi(-1) - 1/2``,
    ``E[z^2; z>0] = 1/2``, ``E[(e^z-1)^2; z<=0] = e^2 Phi(-2) - 2 e^{1/2} Phi(-1) + 1/2``.
    """
    phi = lambda x: 0.5 * math.erfc(x / math.sqrt(2.0))
    A = 1.0 / math.sqrt(2.0 * math.pi)
    B = math.exp(0.5) * phi(1.0) - 0.5
    D = math.exp(2.0) * phi(2.0) - 2.0 * math.exp(0.5) * phi(1.0) + 0.5
    alpha = -A / B
    lam = 1.0 / math.sqrt(0.5 + alpha * alpha * D)
    return alpha, lam


def _selu_np(alpha, lam):
    return lambda z: lam * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def moment_map(mu, nu, omega=0.0, tau=1.0, alpha=PUBLISHED_ALPHA, lam=PUBLISHED_LAMBDA):
    """One layer of Klambauer et al.'s map: (mean, variance) in -> (mean, variance) out.

    Inputs with mean ``mu`` and variance ``nu`` reach a unit whose weights sum to
    ``omega`` and whose squared weights sum to ``tau``; its pre-activation is taken as
    N(mu omega, nu tau) and the function returns the mean and the variance of selu of it.
    """
    f = _selu_np(alpha, lam)
    m, s = mu * omega, math.sqrt(nu * tau)
    e1 = gaussian_expectation(f, m, s)
    e2 = gaussian_expectation(lambda z: f(z) ** 2, m, s)
    return e1, e2 - e1 * e1


def moment_map_jacobian(mu=0.0, nu=1.0, omega=0.0, tau=1.0, h=1e-6) -> np.ndarray:
    """Jacobian of :func:`moment_map` with respect to (mu, nu), by central differences."""
    J = np.empty((2, 2))
    for j, (dm, dn) in enumerate(((h, 0.0), (0.0, h))):
        hi = moment_map(mu + dm, nu + dn, omega, tau)
        lo = moment_map(mu - dm, nu - dn, omega, tau)
        J[:, j] = (np.array(hi) - np.array(lo)) / (2 * h)
    return J


def predicted_statistics(depth, input_mean=0.0, input_var=1.0):
    """Per-layer (means, variances) of a wide SELU/LeCun network, from the moment map.

    With LeCun-normal weights each unit's weights sum to omega_j ~ N(0, 1) and their
    squares to about 1, so over all units the pre-activations of a layer whose inputs have
    mean mu and variance nu are N(0, nu + mu^2). Iterating :func:`moment_map` with that
    input gives the infinite-width prediction for :func:`layer_statistics`.
    """
    means, variances = np.empty(depth + 1), np.empty(depth + 1)
    means[0], variances[0] = input_mean, input_var
    for layer in range(depth):
        mu, nu = means[layer], variances[layer]
        means[layer + 1], variances[layer + 1] = moment_map(0.0, nu + mu * mu)
    return means, variances


def selu_gradient_factor(alpha=PUBLISHED_ALPHA, lam=PUBLISHED_LAMBDA) -> float:
    """sqrt(E[selu'(z)^2]) for z ~ N(0, 1): the back-propagation factor per layer at the
    fixed point, with LeCun weights (n Var(W) = 1)."""
    d = lambda z: lam * np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))
    return math.sqrt(gaussian_expectation(lambda z: d(z) ** 2))


# ---------------------------------------------------------------- deep forward passes
@lru_cache(maxsize=2)
def _weight_stack(seed: int, depth: int, width: int) -> np.ndarray:
    """``depth`` standard normal (width, width) matrices in float32, drawn once per seed."""
    rng = np.random.default_rng(seed)
    out = np.empty((depth, width, width), dtype=np.float32)
    for layer in range(depth):
        out[layer] = rng.standard_normal((width, width), dtype=np.float32)
    out.setflags(write=False)
    return out


def _inputs(seed, n_samples, width, mean, var):
    rng = np.random.default_rng([seed, 1])
    x = rng.standard_normal((n_samples, width), dtype=np.float32)
    return (mean + math.sqrt(var) * x).astype(np.float32)


def _run_many(configs, depth, width, n_samples, seed, keep):
    """Forward passes of several networks at once; calls keep(i, layer, h) for network i.

    ``configs`` is a list of dicts with keys ``activation``, ``init``, ``input_mean``,
    ``input_var``, ``dropout``. All networks share the weight directions of
    :func:`_weight_stack` (each rescaled by its initialisation), so one matrix product per
    layer serves them all: the row blocks of the product are the networks.
    """
    fs, scales, rngs, blocks = [], [], [], []
    for c in configs:
        init = BEST_INIT[c["activation"]] if c["init"] == "best" else c["init"]
        fs.append(forward(c["activation"]))
        scales.append(np.float32(init_std(init, width, width)))
        rngs.append(np.random.default_rng([seed, 2]))
        blocks.append(_inputs(seed, n_samples, width, c["input_mean"], c["input_var"]))
    W = _weight_stack(seed, depth, width)
    H = np.concatenate(blocks, axis=0)
    for i in range(len(configs)):
        keep(i, 0, H[i * n_samples:(i + 1) * n_samples])
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in range(depth):
            Z = H @ W[layer]
            for i, c in enumerate(configs):
                rows = slice(i * n_samples, (i + 1) * n_samples)
                h = np.asarray(fs[i](Z[rows] * scales[i]), dtype=np.float32)
                if c["dropout"] is not None:
                    h = c["dropout"](h, rngs[i])
                H[rows] = h
                keep(i, layer + 1, H[rows])


def _config(activation, init, input_mean=0.0, input_var=1.0, dropout=None):
    return {"activation": activation, "init": init, "input_mean": input_mean,
            "input_var": input_var, "dropout": dropout}


def layer_statistics_many(configs, depth=100, width=500, n_samples=64, seed=0) -> list:
    """:func:`layer_statistics` for several networks in one pass (faster: one matrix
    product per layer for all of them). ``configs``: a list of ``(activation, init)``
    pairs or of dicts with the keyword arguments of :func:`layer_statistics`
    (``activation``, ``init``, and optionally ``input_mean``, ``input_var``,
    ``dropout``). Returns a list of ``(means, variances)``, one per config, identical to
    what :func:`layer_statistics` returns for each.
    """
    configs = [_config(**c) if isinstance(c, dict) else _config(*c) for c in configs]
    means = np.empty((len(configs), depth + 1))
    variances = np.empty((len(configs), depth + 1))

    def keep(i, layer, h):
        h64 = h.astype(np.float64)
        means[i, layer] = h64.mean()
        variances[i, layer] = h64.var()

    _run_many(configs, depth, width, n_samples, seed, keep)
    return [(means[i], variances[i]) for i in range(len(configs))]


def layer_statistics(activation, init, depth=100, width=500, n_samples=64, seed=0, *,
                     input_mean=0.0, input_var=1.0, dropout=None):
    """Mean and variance of the activations after every layer (index 0: the input).

    ``init`` is ``"lecun"``, ``"he"``, ``"glorot"``, ``"normal"``, a number g (std
    g/sqrt(width)) or ``"best"`` (:data:`BEST_INIT` of the activation). The statistics are
    over all units and samples of a layer. ``dropout(h, rng) -> h`` is applied after each
    activation if given (see :func:`alpha_dropout`). Returns ``(means, variances)``, two
    arrays of length depth + 1.
    """
    config = _config(activation, init, input_mean, input_var, dropout)
    return layer_statistics_many([config], depth, width, n_samples, seed)[0]


def layer_activations(activation, init, depth=100, width=500, n_samples=64,
                      layers=(1, 10, 50, 100), seed=0, *, input_mean=0.0, input_var=1.0,
                      dropout=None) -> dict:
    """The activations (n_samples, width) after each layer in ``layers`` (0 is the input)."""
    wanted = {int(x) for x in layers}
    if any(x < 0 or x > depth for x in wanted):
        raise ValueError(f"layers must lie in 0..{depth}, got {sorted(wanted)}")
    out = {}

    def keep(i, layer, h):
        if layer in wanted:
            out[layer] = h.copy()

    _run_many([_config(activation, init, input_mean, input_var, dropout)], depth, width,
              n_samples, seed, keep)
    return out


# ---------------------------------------------------------------- dropout
def alpha_dropout_constants(p, alpha=PUBLISHED_ALPHA, lam=PUBLISHED_LAMBDA):
    """(a, b, alpha') of alpha dropout with drop rate ``p`` (Klambauer et al. 2017).

    A dropped unit is set to alpha' = -lam * alpha (SELU's lower limit), then every unit
    goes through ``a x + b`` with ``a = (q + alpha'^2 q (1 - q))^(-1/2)`` and
    ``b = -a (1 - q) alpha'``, q = 1 - p, which restores mean 0 and variance 1.
    """
    q = 1.0 - p
    ap = -lam * alpha
    a = (q + ap * ap * q * (1.0 - q)) ** -0.5
    b = -a * (1.0 - q) * ap
    return a, b, ap


def alpha_dropout(p):
    """``dropout(h, rng)``: :class:`minigrad.nn.AlphaDropout` with rate p, training mode."""
    from ... import nn
    from ...tensor import Tensor

    def apply(h, rng):
        layer = nn.AlphaDropout(p, rng=rng)
        return layer(Tensor(h)).data
    return apply


def standard_dropout(p):
    """``dropout(h, rng)``: ordinary (inverted) dropout, zeros then rescale by 1/(1-p)."""
    def apply(h, rng):
        keep = rng.random(h.shape) >= p
        return (np.where(keep, h, 0.0) / (1.0 - p)).astype(h.dtype)
    return apply


def dropout_statistics(p=0.1, depth=100, width=500, n_samples=64, seed=0):
    """Per-layer (means, variances) of a SELU/LeCun net with alpha dropout, with standard
    dropout, and without dropout: a dict ``{"alpha": ..., "standard": ..., "none": ...}``."""
    kinds = {"alpha": alpha_dropout(p), "standard": standard_dropout(p), "none": None}
    stats = layer_statistics_many(
        [{"activation": "selu", "init": "lecun", "dropout": d} for d in kinds.values()],
        depth, width, n_samples, seed)
    return dict(zip(kinds, stats))
