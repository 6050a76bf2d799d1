"""Weight initialisations: Glorot/Xavier, He/Kaiming, LeCun, and plain helpers.

Every function returns a new numpy array and draws from an explicit, seeded generator.

Layout
------
A weight matrix has shape ``(fan_out, fan_in)``, PyTorch's layout, the one
:class:`minigrad.nn.Linear` uses (``weight.shape == (out_features, in_features)`` and
``y = x @ weight.T + bias``). For shapes with more than two dimensions (convolution
kernels, ``(out_channels, in_channels, *kernel)``), both fans are multiplied by the
receptive-field size, as in PyTorch.

Randomness
----------
``rng`` may be a :class:`numpy.random.Generator` (used as is, and advanced), an ``int``
seed (a fresh ``numpy.random.default_rng(seed)``), or ``None``: the package's default
generator, seeded with 0 at import, re-seeded with :func:`manual_seed`. So a script that
never mentions a seed still gives the same numbers every run.

Example
-------
>>> import numpy as np
>>> from minigrad import init
>>> w = init.he_normal((256, 128), rng=np.random.default_rng(0))
>>> round(float(w.std() * np.sqrt(128 / 2)), 1)     # std = sqrt(2 / fan_in)
1.0
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "as_rng",
    "calculate_gain",
    "constant",
    "default_rng",
    "fans",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "kaiming_normal",
    "kaiming_uniform",
    "lecun_normal",
    "lecun_uniform",
    "manual_seed",
    "naive_normal",
    "normal",
    "ones",
    "orthogonal",
    "uniform",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]

_DEFAULT_SEED = 0
_default_rng = np.random.default_rng(_DEFAULT_SEED)


def manual_seed(seed: int) -> np.random.Generator:
    """Re-seed the package's default generator (used wherever ``rng=None``) and return it."""
    global _default_rng
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    _default_rng = np.random.default_rng(int(seed))
    return _default_rng


def default_rng() -> np.random.Generator:
    """The package's default generator (seeded with 0 at import; see :func:`manual_seed`)."""
    return _default_rng


def as_rng(rng=None) -> np.random.Generator:
    """Turn ``rng`` into a Generator: a Generator as is, an int as a seed, None as the default."""
    if rng is None:
        return _default_rng
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"a seed must be non-negative, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        "rng must be a numpy.random.Generator, an int seed or None, "
        f"got {type(rng).__name__}"
    )


def _shape(shape) -> tuple[int, ...]:
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise TypeError(f"shape must be an int or a tuple of ints, got {shape!r}") from None
    for d in shape:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral):
            raise TypeError(f"shape must contain ints, got {shape!r}")
        if d < 0:
            raise ValueError(f"shape must not contain negative sizes, got {shape!r}")
    return tuple(int(d) for d in shape)


def fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of shape ``(fan_out, fan_in, *receptive_field)``.

    ``fan_in = shape[1] * prod(shape[2:])`` and ``fan_out = shape[0] * prod(shape[2:])``.
    """
    shape = _shape(shape)
    if len(shape) < 2:
        raise ValueError(
            f"fan_in and fan_out need a weight with at least 2 dimensions "
            f"(fan_out, fan_in), got shape {shape}"
        )
    receptive = math.prod(shape[2:])
    fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
    if fan_in == 0 or fan_out == 0:
        raise ValueError(f"cannot initialise a weight with a zero-size fan, shape {shape}")
    return fan_in, fan_out


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """PyTorch's recommended gain for an activation (``torch.nn.init.calculate_gain``).

    ``linear``, ``identity``, ``conv*``, ``sigmoid``: 1; ``tanh``: 5/3; ``relu``: sqrt(2);
    ``leaky_relu``: sqrt(2 / (1 + a^2)) with negative slope ``a = param`` (0.01 if None);
    ``selu``: 3/4.
    """
    if not isinstance(nonlinearity, str):
        raise TypeError(f"nonlinearity must be a string, got {type(nonlinearity).__name__}")
    name = nonlinearity.lower()
    linear = ("linear", "identity", "conv1d", "conv2d", "conv3d",
              "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid")
    if name in linear:
        return 1.0
    if name == "tanh":
        return 5.0 / 3.0
    if name == "relu":
        return math.sqrt(2.0)
    if name == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, numbers.Real) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise TypeError(f"negative_slope must be a number, got {param!r}")
        return math.sqrt(2.0 / (1.0 + slope * slope))
    if name == "selu":
        return 3.0 / 4.0
    raise ValueError(
        f"unsupported nonlinearity {nonlinearity!r}; expected one of linear, identity, "
        "conv1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu"
    )


def _positive(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be finite and non-negative, got {value}")
    return value


def _fan(shape, mode: str) -> int:
    fan_in, fan_out = fans(shape)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")


# ---- plain helpers --------------------------------------------------------------------

def zeros(shape, rng=None, *, dtype=np.float64) -> np.ndarray:
    """All zeros (``rng`` is accepted and ignored, so every initialiser has one signature)."""
    return np.zeros(_shape(shape), dtype=dtype)


def ones(shape, rng=None, *, dtype=np.float64) -> np.ndarray:
    """All ones (``rng`` is ignored)."""
    return np.ones(_shape(shape), dtype=dtype)


def constant(shape, rng=None, *, value: float = 0.0, dtype=np.float64) -> np.ndarray:
    """Every entry equal to ``value`` (``rng`` is ignored)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a number, got {type(value).__name__}")
    return np.full(_shape(shape), float(value), dtype=dtype)


def uniform(shape, rng=None, *, low: float = -1.0, high: float = 1.0,
            dtype=np.float64) -> np.ndarray:
    """Uniform on ``[low, high)``: variance ``(high - low)^2 / 12``.

    The default ``U(-1, 1)`` is what micrograd uses for its neurons.
    """
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise ValueError(f"uniform needs finite low <= high, got low={low}, high={high}")
    return as_rng(rng).uniform(low, high, size=_shape(shape)).astype(dtype, copy=False)


def normal(shape, rng=None, *, mean: float = 0.0, std: float = 1.0,
           dtype=np.float64) -> np.ndarray:
    """Normal ``N(mean, std^2)``."""
    std = _positive("std", std)
    mean = float(mean)
    return as_rng(rng).normal(mean, std, size=_shape(shape)).astype(dtype, copy=False)


def naive_normal(shape, rng=None, *, std: float = 0.01, dtype=np.float64) -> np.ndarray:
    """``N(0, std^2)`` with a fixed std that ignores the fans.

    The "small random numbers" initialisation of early networks: with ``std=0.01`` the
    signal shrinks layer by layer, with ``std=1`` it grows; the book's vanishing/exploding
    gradient chapter compares it with the fan-scaled initialisations below.
    """
    return normal(shape, rng, std=std, dtype=dtype)


# ---- Glorot / Xavier ------------------------------------------------------------------

def xavier_uniform(shape, rng=None, *, gain: float = 1.0, dtype=np.float64) -> np.ndarray:
    """Glorot & Bengio (2010) uniform: ``U(-a, a)``, ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Variance ``gain^2 * 2 / (fan_in + fan_out)``.
    """
    fan_in, fan_out = fans(shape)
    a = _positive("gain", gain) * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform(shape, rng, low=-a, high=a, dtype=dtype)


def xavier_normal(shape, rng=None, *, gain: float = 1.0, dtype=np.float64) -> np.ndarray:
    """Glorot & Bengio (2010) normal: ``N(0, std^2)``, ``std = gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = fans(shape)
    std = _positive("gain", gain) * math.sqrt(2.0 / (fan_in + fan_out))
    return normal(shape, rng, std=std, dtype=dtype)


glorot_uniform = xavier_uniform
glorot_normal = xavier_normal


# ---- He / Kaiming ---------------------------------------------------------------------

def kaiming_uniform(shape, rng=None, *, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", dtype=np.float64) -> np.ndarray:
    """He et al. (2015) uniform: ``U(-b, b)``, ``b = gain * sqrt(3 / fan)``.

    ``gain = calculate_gain(nonlinearity, a)``; ``fan`` is ``fan_in`` (keeps the forward
    variance) or ``fan_out`` (keeps the backward variance). With the defaults
    (``a=0``, leaky ReLU of slope 0, i.e. ReLU) the variance is ``2 / fan_in``.
    PyTorch's semantics, ``torch.nn.init.kaiming_uniform_``.
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(shape, mode))
    bound = math.sqrt(3.0) * std
    return uniform(shape, rng, low=-bound, high=bound, dtype=dtype)


def kaiming_normal(shape, rng=None, *, a: float = 0.0, mode: str = "fan_in",
                   nonlinearity: str = "leaky_relu", dtype=np.float64) -> np.ndarray:
    """He et al. (2015) normal: ``N(0, std^2)``, ``std = gain / sqrt(fan)``.

    Same ``gain`` and ``fan`` as :func:`kaiming_uniform`; with the defaults
    ``std = sqrt(2 / fan_in)``. PyTorch's ``torch.nn.init.kaiming_normal_``.
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(shape, mode))
    return normal(shape, rng, std=std, dtype=dtype)


he_uniform = kaiming_uniform
he_normal = kaiming_normal


# ---- LeCun ----------------------------------------------------------------------------

def lecun_normal(shape, rng=None, *, dtype=np.float64) -> np.ndarray:
    """LeCun et al. (1998) normal: ``N(0, 1 / fan_in)``.

    The initialisation SELU's self-normalisation assumes (Klambauer et al., 2017).
    (Keras draws it from a truncated normal rescaled to the same variance; this is the
    plain normal of the SELU paper.)
    """
    fan_in, _ = fans(shape)
    return normal(shape, rng, std=1.0 / math.sqrt(fan_in), dtype=dtype)


def lecun_uniform(shape, rng=None, *, dtype=np.float64) -> np.ndarray:
    """LeCun uniform: ``U(-b, b)``, ``b = sqrt(3 / fan_in)``, variance ``1 / fan_in``."""
    fan_in, _ = fans(shape)
    bound = math.sqrt(3.0 / fan_in)
    return uniform(shape, rng, low=-bound, high=bound, dtype=dtype)


def orthogonal(shape, rng=None, *, gain: float = 1.0, dtype=np.float64) -> np.ndarray:
    """Saxe et al. (2014): a (semi-)orthogonal matrix times ``gain``.

    The weight is flattened to ``(shape[0], prod(shape[1:]))``; its rows (or columns,
    whichever are fewer) are orthonormal. QR of a Gaussian matrix with the signs of R's
    diagonal folded in, so the result is uniformly distributed (PyTorch's recipe).
    """
    shape = _shape(shape)
    if len(shape) < 2:
        raise ValueError(f"orthogonal needs at least 2 dimensions, got shape {shape}")
    gain = _positive("gain", gain)
    rows, cols = shape[0], math.prod(shape[1:])
    flat = as_rng(rng).normal(size=(rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return (gain * q).reshape(shape).astype(dtype, copy=False)


_BY_NAME = {
    "zeros": zeros, "ones": ones, "constant": constant, "uniform": uniform, "normal": normal,
    "naive_normal": naive_normal,
    "xavier_uniform": xavier_uniform, "xavier_normal": xavier_normal,
    "glorot_uniform": glorot_uniform, "glorot_normal": glorot_normal,
    "kaiming_uniform": kaiming_uniform, "kaiming_normal": kaiming_normal,
    "he_uniform": he_uniform, "he_normal": he_normal,
    "lecun_uniform": lecun_uniform, "lecun_normal": lecun_normal,
    "orthogonal": orthogonal,
}


def get(name: str):
    """The initialiser called ``name`` (e.g. ``"he_normal"``).

    Every initialiser has the signature ``f(shape, rng=None, **keyword_hyperparameters)``.
    """
    if not isinstance(name, str):
        raise TypeError(f"an initialiser name must be a string, got {type(name).__name__}")
    try:
        return _BY_NAME[name.lower()]
    except KeyError:
        raise ValueError(
            f"unknown initialiser {name!r}; known: {', '.join(sorted(_BY_NAME))}"
        ) from None
