"""One-sided saturation and robustness to noise (sections 5.5 and 5.6 of the source).

A layer's pre-activations are a clean signal ``z`` plus small noise ``eps``. The noise
that reaches the next layer is ``f(z + eps) - f(z)``; its variance, divided by the noise's
own variance, is the *noise gain* of the activation at ``z`` (about ``f'(z)^2`` for small
noise). :func:`noise_gain` measures it by Monte Carlo for a grid of clean values,
:func:`noise_by_sign` summarises it over a layer whose clean pre-activations are standard
normal, split by the sign of the clean value (negative = "the unit's concept is absent"),
:func:`output_correlation` measures how correlated two units' outputs are when their
pre-activations are, and :func:`absent_concept_spread` measures how much the *values* of absent-concept inputs
still differ after the activation (the source's "-5 versus -10").

Example
-------
>>> g = noise_by_sign(["relu", "leaky_relu"], sigma=0.1, n=2000)
>>> bool(g["relu"]["negative"] < g["leaky_relu"]["negative"] < g["relu"]["positive"])
True
"""

from __future__ import annotations

import numpy as np

from ._common import derivative, forward

__all__ = ["absent_concept_spread", "noise_by_sign", "noise_gain", "output_correlation",
           "side_slopes"]


def noise_gain(activation, z_values, sigma=0.1, n=4000, seed=0) -> np.ndarray:
    """Var(f(z + eps) - f(z)) / sigma^2 for each clean value z, eps ~ N(0, sigma^2).

    Monte Carlo with ``n`` noise draws per z (the same draws for every z)."""
    f = forward(activation)
    eps = np.random.default_rng(seed).standard_normal(n) * sigma
    z = np.asarray(z_values, dtype=float)[:, None]
    with np.errstate(over="ignore"):
        out = f(z + eps) - f(z)
    return out.var(axis=1) / sigma ** 2


def noise_by_sign(activations, sigma=0.1, n=20000, seed=0) -> dict:
    """For clean pre-activations z ~ N(0, 1) and noise eps ~ N(0, sigma^2), the fraction of
    the noise's variance that gets through f, separately over the units whose clean z is
    negative and positive: ``{name: {"negative": g, "positive": g, "predicted_negative":
    E[f'(z)^2 | z < 0], "predicted_positive": ...}}``."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n)
    eps = rng.standard_normal(n) * sigma
    out = {}
    for name in activations:
        f, df = forward(name), derivative(name)
        with np.errstate(over="ignore"):
            d = f(z + eps) - f(z)
            fp2 = df(z) ** 2
        row = {}
        for side, mask in (("negative", z < 0), ("positive", z > 0)):
            row[side] = float(np.mean(d[mask] ** 2) / sigma ** 2)
            row["predicted_" + side] = float(np.mean(fp2[mask]))
        out[name] = row
    return out


def absent_concept_spread(activations, low=-10.0, high=-5.0, n=1000, seed=0) -> dict:
    """Std of f(z) over clean pre-activations z ~ U(low, high) (all negative: the concept
    is absent, to different "degrees"), divided by the std of z itself. 0 means the
    activation sends the same value for every absent concept; 1 means it passes the
    differences on unchanged."""
    z = np.random.default_rng(seed).uniform(low, high, n)
    out = {}
    for name in activations:
        with np.errstate(over="ignore"):
            out[name] = float(np.std(forward(name)(z)) / np.std(z))
    return out


def side_slopes(activations, far=(5.0, 20.0)) -> dict:
    """|f'| at -x and +x for each x in ``far``: how flat each side of f is away from 0.
    ``{name: {"left": (|f'(-5)|, |f'(-20)|), "right": (...)}}``."""
    out = {}
    x = np.asarray(far, dtype=float)
    for name in activations:
        df = derivative(name)
        with np.errstate(over="ignore"):
            out[name] = {"left": tuple(float(v) for v in np.abs(df(-x))),
                         "right": tuple(float(v) for v in np.abs(df(x)))}
    return out


def output_correlation(activations, rhos=(-1.0, -0.5, 0.0, 0.5, 1.0), n=50000, seed=0) -> dict:
    """Correlation of f(z1) and f(z2) when (z1, z2) are standard normal with correlation
    rho: ``{name: array over rhos}``. For the identity it is rho itself; a one-sided
    activation cuts the negative correlations down (when one unit is on, the other is
    mostly at its floor), a two-sided odd one such as tanh keeps them."""
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((2, n))
    out = {}
    for name in activations:
        f = forward(name)
        row = []
        for r in rhos:
            z1, z2 = a, r * a + np.sqrt(max(0.0, 1.0 - r * r)) * b
            with np.errstate(over="ignore"):
                row.append(float(np.corrcoef(f(z1), f(z2))[0, 1]))
        out[name] = np.array(row)
    return out
