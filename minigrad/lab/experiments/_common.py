"""Helpers shared by the experiment runners: activations by name, weight scales."""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "BEST_INIT",
    "INIT_NAMES",
    "derivative",
    "entry",
    "forward",
    "init_std",
    "init_weights",
]

#: Initialisations the runners accept by name (a number ``g`` means N(0, g**2 / fan_in)).
INIT_NAMES = ("normal", "uniform", "glorot", "he", "lecun")

#: Each activation's usual initialisation (Glorot & Bengio 2010 for the saturating ones,
#: He et al. 2015 for the rectifiers, LeCun normal for SELU as Klambauer et al. 2017 ask).
BEST_INIT = {"sigmoid": "glorot", "tanh": "glorot", "relu": "he", "leaky_relu": "he",
             "elu": "he", "selu": "lecun"}


def entry(name: str):
    """The catalog entry of an activation (``minigrad.activations.lookup``)."""
    from ...activations import lookup
    return lookup(name)


def _defaults(e) -> dict:
    return {p.name: p.default for p in e.params}


def forward(name: str):
    """``f(x)`` as a numpy function, with the catalog's default parameters."""
    e = entry(name)
    params = _defaults(e)
    return lambda x: e.forward(x, **params)


def derivative(name: str):
    """``f'(x)`` as a numpy function, with the catalog's default parameters."""
    e = entry(name)
    params = _defaults(e)
    return lambda x: e.derivative(x, e.forward(x, **params), **params)


def init_std(init, fan_in: int, fan_out: int) -> float:
    """Standard deviation of the weights under ``init`` (for a normal or uniform draw).

    ``"normal"``: N(0, 1), the naive choice that ignores the fans; ``"uniform"``:
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the "standard" initialisation of Glorot & Bengio
    (2010), std 1/sqrt(3 fan_in); ``"glorot"``: sqrt(2/(fan_in+fan_out)); ``"he"``:
    sqrt(2/fan_in); ``"lecun"``: sqrt(1/fan_in); a number g: g/sqrt(fan_in).
    """
    if isinstance(init, numbers.Real) and not isinstance(init, bool):
        return float(init) / math.sqrt(fan_in)
    table = {
        "normal": 1.0,
        "uniform": 1.0 / math.sqrt(3.0 * fan_in),
        "glorot": math.sqrt(2.0 / (fan_in + fan_out)),
        "he": math.sqrt(2.0 / fan_in),
        "lecun": math.sqrt(1.0 / fan_in),
    }
    try:
        return table[init]
    except (KeyError, TypeError):
        raise ValueError(f"unknown init {init!r}; choose one of {INIT_NAMES} or a number") \
            from None


def init_weights(init, shape, rng) -> np.ndarray:
    """A weight matrix of ``shape = (fan_out, fan_in)`` drawn with the package's initialisers."""
    from ... import init as I
    fan_out, fan_in = shape
    if isinstance(init, numbers.Real) and not isinstance(init, bool):
        return I.normal(shape, rng, std=init_std(init, fan_in, fan_out))
    if init == "normal":
        return I.normal(shape, rng, std=1.0)
    if init == "uniform":
        b = 1.0 / math.sqrt(fan_in)
        return I.uniform(shape, rng, low=-b, high=b)
    if init == "glorot":
        return I.glorot_normal(shape, rng)
    if init == "he":
        return I.he_normal(shape, rng)
    if init == "lecun":
        return I.lecun_normal(shape, rng)
    init_std(init, fan_in, fan_out)   # raises the error for an unknown name
    raise AssertionError("unreachable")
