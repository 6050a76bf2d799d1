"""The activation catalog: every activation function of the book, defined once.

Each :class:`Activation` entry holds everything the rest of the project needs: names,
formula, parameters (PyTorch's defaults and valid ranges), the forward function and its
analytic derivative as numpy expressions (work on floats and arrays, stable, no
``RuntimeWarning`` for finite or infinite input, NaN propagates), derivatives with
respect to learnable parameters, the kinks and the paper. :mod:`.bind` derives the
``Value`` / ``Tensor`` methods, ``F.<name>`` and the ``nn`` layers from the entries;
:mod:`.properties` computes the table's properties from them.

Query it with :func:`entries` and :func:`lookup`::

    >>> from minigrad.activations import lookup
    >>> lookup("swish").name, lookup("elu")(-1.0)
    ('swish', -0.6321205588285577)

Derivatives at kinks follow PyTorch 2.13 (read from ``torch.autograd``): ReLU'(0) = 0,
LeakyReLU'(0) = negative_slope, ELU'(0) = alpha, SELU'(0) = scale * alpha,
ReLU6'(0) = ReLU6'(6) = 0, Hardtanh'(+-1) = 0, Hardsigmoid'(+-3) = 0,
Hardswish'(-3) = 0 and Hardswish'(3) = 1, Softshrink'(+-lambda) = Hardshrink'(+-lambda) = 0,
Threshold'(threshold) = 0; the entries' ``kink_note`` fields say so for each function.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np

from .numerics import _exp_pair, ndtr, sigmoid, sigmoid_pair

__all__ = ["Activation", "Param", "entries", "lookup", "names", "register"]

_BIG = 1e300      # finite stand-in for +-inf where inf * 0 would give NaN at a limit
_HUGE = 1e100     # clip for arguments that get squared or cubed


# --------------------------------------------------------------------------- data model
@dataclass(frozen=True)
class Param:
    """A parameter of an activation: name, default (``None``: required), valid range.

    ``low``/``high`` bound the value (``*_open`` makes the bound strict); ``choices``
    lists the allowed values of a string parameter; ``learnable`` parameters may be
    passed as ``Value``/``Tensor`` and then receive gradients.
    """

    name: str
    default: Any = None
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = True
    high_open: bool = True
    learnable: bool = False
    choices: tuple = ()
    doc: str = ""
    integer: bool = False

    def check(self, value, owner: str):
        """Validate ``value`` (number, array, or string for a choice) and return it.

        TypeError for a non-numeric value, ValueError (naming ``owner`` and the
        parameter) for a value outside the range or not among the choices.
        """
        if type(value) is float and not self.choices and not self.integer:   # fast path
            lo_ok = value > self.low if self.low_open else value >= self.low
            hi_ok = value < self.high if self.high_open else value <= self.high
            if lo_ok and hi_ok:
                return value
        where = f"{owner}(): parameter {self.name!r}"
        if self.choices:
            if value not in self.choices:
                raise ValueError(f"{where} must be one of {list(self.choices)}, got {value!r}")
            return value
        if isinstance(value, (list, tuple)):
            value = np.asarray(value, dtype=np.float64) if value else value
        if isinstance(value, bool) or not isinstance(value, (Real, np.ndarray, np.generic)):
            raise TypeError(f"{where} must be a real number, got {type(value).__name__}: "
                            f"{value!r}")
        arr = np.asarray(value)
        if arr.dtype.kind not in "iuf":
            raise TypeError(f"{where} must be real-valued, got dtype {arr.dtype}")
        if np.any(np.isnan(arr)):
            raise ValueError(f"{where} is NaN")
        lo_bad = (arr <= self.low) if self.low_open else (arr < self.low)
        hi_bad = (arr >= self.high) if self.high_open else (arr > self.high)
        if np.any(lo_bad) or np.any(hi_bad):
            raise ValueError(f"{where} must lie in {self.range_text()}, got {value!r}")
        if self.integer:
            if arr.ndim or float(arr) != int(arr):
                raise TypeError(f"{where} must be an integer, got {value!r}")
            return int(arr)
        if isinstance(value, (Real, np.generic)):
            return float(value)
        return value

    def range_text(self) -> str:
        """The valid range as interval notation, e.g. ``(0, inf)``."""
        if self.choices:
            return "{" + ", ".join(map(repr, self.choices)) + "}"
        lo = "(" if self.low_open else "["
        hi = ")" if self.high_open else "]"
        return f"{lo}{_num(self.low)}, {_num(self.high)}{hi}"


def _num(v):
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(float(v)).removesuffix(".0") if float(v).is_integer() else repr(v)


def _no_kinks(**params):
    """No kinks: f' is one continuous formula."""
    return ()


def _via_aux(forward_aux, derivative_aux):
    """(forward, derivative) defined through the aux pair, so the two never diverge."""
    def forward(x, *args, **p):
        return forward_aux(x, *args, **p)[0]

    def derivative(x, y, *args, **p):
        return derivative_aux(x, y, forward_aux(x, *args, **p)[1], *args, **p)

    return forward, derivative


@dataclass(frozen=True)
class Activation:
    """One activation function and everything known about it (see the module docstring).

    ``forward(x, **p)`` and ``derivative(x, y, **p)`` (df/dx, ``y = forward(x)``) are
    numpy expressions; ``param_derivatives[name](x, y, **p)`` gives df/d(param) for the
    learnable parameters; ``kinks(**p)`` lists the points where f' jumps. Optionally
    ``forward_aux(x, **p) -> (y, aux)`` and ``derivative_aux(x, y, aux, **p)`` let the
    autograd binding keep intermediate arrays (e.g. sigma(-x)) from the forward pass for
    the backward pass instead of recomputing them; ``forward`` and ``derivative`` are then
    defined through them (see :func:`_via_aux`), so there is still one definition.
    ``scalar = (f, df)`` optionally gives pure-Python (``math``) versions of the same
    formulas for ``Value`` speed (a numpy call on a Python float costs ~1 us); the test
    suite checks them against ``forward``/``derivative``. ``composite``
    optionally rebuilds f from primitive ``Tensor`` ops (a test checks the analytic
    derivative against autograd through it). Non-elementwise entries (softmax, maxout,
    glu, ...) have ``elementwise=False`` and their ops live in :mod:`.special`.
    """

    name: str
    title: str
    latex: str
    forward: Callable
    derivative: Callable | None
    params: tuple = ()
    aliases: tuple = ()
    derivative_latex: str = ""
    param_derivatives: dict = field(default_factory=dict)
    kinks: Callable = _no_kinks
    kink_note: str = ""
    reference: str = ""
    torch_name: str | None = None
    layer_name: str = ""
    family: str = ""
    elementwise: bool = True
    composite: Callable | None = None
    check: Callable | None = None
    notes: str = ""
    channel_axis: int | None = None
    forward_aux: Callable | None = None
    derivative_aux: Callable | None = None
    scalar: tuple | None = None
    example: dict = field(default_factory=dict)

    # ----------------------------------------------------------------- parameters
    def param(self, name: str) -> Param:
        """The :class:`Param` called ``name`` (ValueError listing the valid names)."""
        for p in self.params:
            if p.name == name:
                return p
        raise ValueError(f"{self.name}() has no parameter {name!r}; "
                         f"its parameters are {[p.name for p in self.params]}")

    @property
    def defaults(self) -> dict:
        """``{name: default}`` for the parameters that have a default."""
        return {p.name: p.default for p in self.params if p.default is not None}

    @property
    def example_params(self) -> dict:
        """Defaults plus ``example`` values for required parameters (those PyTorch makes
        required, e.g. threshold's): what plots, the properties table and tests use."""
        return {**self.example, **self.defaults}

    @property
    def learnable(self) -> tuple:
        """Names of the learnable parameters."""
        return tuple(p.name for p in self.params if p.learnable)

    def resolve(self, args=(), kwargs=None, unwrap=None) -> dict:
        """Bind positional/keyword parameters like a Python signature, fill in defaults,
        validate each value (after ``unwrap``, which turns a Value/Tensor into its data)
        and run the cross-parameter ``check``. Returns ``{name: value}``.
        """
        if not self.params and not args and not kwargs:
            return {}
        kwargs = dict(kwargs or {})
        if len(args) > len(self.params):
            raise TypeError(f"{self.name}() takes at most {len(self.params)} parameters "
                            f"after x ({[p.name for p in self.params]}), got {len(args)}")
        out = {}
        for p, a in zip(self.params, args):
            if p.name in kwargs:
                raise TypeError(f"{self.name}() got parameter {p.name!r} twice")
            out[p.name] = a
        for k, v in kwargs.items():
            self.param(k)  # raises for an unknown name
            out[k] = v
        for p in self.params:
            if p.name not in out:
                if p.default is None:
                    raise TypeError(f"{self.name}() missing required parameter {p.name!r}")
                out[p.name] = p.default
            v = out[p.name]
            raw = unwrap(v) if unwrap is not None else v
            if raw is not v and not p.learnable:
                raise TypeError(f"{self.name}(): parameter {p.name!r} is not learnable; "
                                "pass a number, not a Value/Tensor")
            checked = p.check(raw, self.name)
            if raw is v:
                out[p.name] = checked
        if self.check is not None:
            self.check({k: (unwrap(v) if unwrap is not None else v) for k, v in out.items()})
        return out

    # ------------------------------------------------------------------- numpy API
    def __call__(self, x, *args, **kwargs):
        """Evaluate f on a float or numpy array with validated parameters (no autograd)."""
        p = self.resolve(args, kwargs)
        return self.forward(_as_input(x), **p)

    def grad(self, x, *args, **kwargs):
        """Evaluate f'(x) on a float or numpy array with validated parameters."""
        if self.derivative is None:
            raise TypeError(f"{self.name} is not elementwise: it has no scalar derivative")
        p = self.resolve(args, kwargs)
        x = _as_input(x)
        return self.derivative(x, self.forward(x, **p), **p)

    def __repr__(self):
        ps = ", ".join(f"{p.name}={p.default!r}" for p in self.params)
        return f"<Activation {self.name}({'x' + (', ' + ps if ps else '')})>"


def _as_input(x):
    if isinstance(x, bool) or not isinstance(x, (Real, np.ndarray, np.generic, list, tuple)):
        raise TypeError(f"activation input must be a real number or array, got "
                        f"{type(x).__name__}")
    a = np.asarray(x)
    if a.dtype.kind not in "iuf":
        raise TypeError(f"activation input must be real-valued, got dtype {a.dtype}")
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    return a if a.ndim else a[()]


# ------------------------------------------------------------------------ registry
_REGISTRY: dict[str, Activation] = {}
_ALIASES: dict[str, str] = {}


def register(entry: Activation) -> Activation:
    """Add an entry to the catalog (ValueError if its name or an alias is taken)."""
    for n in (entry.name, *entry.aliases):
        if n in _REGISTRY or n in _ALIASES:
            raise ValueError(f"activation name {n!r} is already in the catalog")
    _REGISTRY[entry.name] = entry
    for a in entry.aliases:
        _ALIASES[a] = entry.name
    return entry


def entries(elementwise: bool | None = None, family: str | None = None) -> list[Activation]:
    """All entries in catalog order, optionally only (non-)elementwise ones or one family."""
    out = list(_REGISTRY.values())
    if elementwise is not None:
        out = [e for e in out if e.elementwise == elementwise]
    if family is not None:
        out = [e for e in out if e.family == family]
    return out


def names(include_aliases: bool = False) -> list[str]:
    """Entry names in catalog order (and the aliases after them if asked)."""
    return list(_REGISTRY) + (list(_ALIASES) if include_aliases else [])


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def lookup(name: str) -> Activation:
    """The entry called ``name`` or with ``name`` as an alias (case, ``-`` and spaces
    ignored; ``"LeakyReLU"``, the layer name, works too). An unknown name raises
    ValueError suggesting the closest names."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"lookup() needs an activation name (str), got {type(name).__name__}")
    n = _norm(name)
    if n in _REGISTRY:
        return _REGISTRY[n]
    if n in _ALIASES:
        return _REGISTRY[_ALIASES[n]]
    squashed = n.replace("_", "")
    for e in _REGISTRY.values():
        cands = (e.name, *e.aliases, e.layer_name, e.torch_name or "")
        if any(c and c.lower().replace("_", "") == squashed for c in cands):
            return e
    pool = names(include_aliases=True)
    close = difflib.get_close_matches(n, pool, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"unknown activation {name!r}{hint} (see minigrad.activations.names())")


# ---------------------------------------------------------------------- helpers
def _arr(x):
    return np.asarray(x)


def _ret(r):
    r = np.asarray(r)
    return r if r.ndim else r[()]


def _has_nan(x) -> bool:
    """True if the array ``x`` holds a NaN: one reduction (np.min is NaN exactly then),
    no temporary array."""
    return x.size > 0 and bool(np.isnan(np.min(x)))


def _fix_nan(r, x):
    """Set r to NaN where x is NaN: for derivatives built from comparisons (x > 0 is
    False at NaN), which lose the NaN a formula would propagate. One fast check when
    there is no NaN."""
    if r.ndim == 0:
        return r.dtype.type(np.nan) if np.isnan(x) else r
    if _has_nan(x):
        r[np.isnan(x)] = np.nan
    return r


def _step(x, at0=0.0):
    """Heaviside step H(x) as floats, with H(0) = at0 and H(NaN) = NaN.

    (np.heaviside does the same but is about 20x slower than a comparison.)
    """
    x = _arr(x)
    r = np.greater(x, 0) if at0 == 0.0 else np.greater_equal(x, 0)
    r = r.astype(x.dtype if x.dtype.kind == "f" else np.float64)
    if at0 not in (0.0, 1.0):
        r[x == 0] = at0
    return _fix_nan(r, x)


def _bound(x, bound):
    """``bound`` for float64; the same decimal exponent scaled by 38/308 for float32."""
    if np.asarray(x).dtype == np.float32:
        return float(10.0 ** (math.log10(bound) * 38.0 / 308.0))
    return bound


def _window(x, lo, hi, value=1.0):
    """``value`` on the open interval (lo, hi), 0 outside, NaN at NaN (needs lo < hi).

    Every number is > lo or < hi; NaN is neither. So the two comparisons that make the
    window also find the NaNs, without another pass over x."""
    x = _arr(x)
    above, below = np.greater(x, lo), np.less(x, hi)
    r = np.asarray((above & below).astype(x.dtype if x.dtype.kind == "f" else np.float64))
    if value != 1.0:
        r *= value
    number = np.asarray(above | below)
    if not number.all():
        r[~number] = np.nan
    return r


def _within(x, b):
    """True if every element of x lies in [-b, b] (two reductions, no temporary array;
    False for NaN)."""
    x = _arr(x)
    if x.size == 0:
        return True
    return bool(-b <= np.min(x) and np.max(x) <= b)


def _clipbig(x, bound=_BIG):
    """Clip to +-bound (dtype-aware, see _bound): keeps inf * 0 and x**2 finite.
    Returns x itself (no copy) when nothing needs clipping: never modify the result
    in place."""
    b = _bound(x, bound)
    if _within(x, b):
        return x
    return np.clip(x, -b, b)


def _like(x, v):
    """Constant ``v`` with x's shape, NaN where x is NaN. Without NaN in x the result is
    a read-only broadcast of one number (no memory, and the binding multiplies the
    gradient by it in one pass); with NaN, a fresh array."""
    x = _arr(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    if x.ndim and not _has_nan(x):
        return np.broadcast_to(dtype.type(v), x.shape)
    r = np.full(x.shape, v, dtype=dtype)
    return _ret(_fix_nan(r, x))


# ------------------------------------------------------- scalar (math) versions
def _s_relu(x):
    return x if x > 0.0 or math.isnan(x) else 0.0


def _s_relu_d(x, y):
    return 1.0 if x > 0.0 else (x if math.isnan(x) else 0.0)


def _s_sigmoid(x):
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)                     # x < 0 or NaN: never overflows
    return e / (1.0 + e)


def _s_sigmoid_d(x, y):
    return y * _s_sigmoid(-x)


def _s_tanh_d(x, y):
    if math.isnan(x):
        return x
    e = math.exp(-2.0 * abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _s_leaky(x, negative_slope):
    return x if x > 0.0 else x * negative_slope


def _s_leaky_d(x, y, negative_slope):
    return 1.0 if x > 0.0 else (x if math.isnan(x) else negative_slope)


def _s_silu(x):
    s = _s_sigmoid(x)
    return 0.0 if s == 0.0 else x * s      # 0, not -inf * 0, at -inf


def _s_silu_d(x, y):
    s, t = _s_sigmoid(x), _s_sigmoid(-x)
    if math.isinf(x):
        return s
    return s * (1.0 + x * t)


def _s_gelu(x, approximate):
    if approximate != "none":
        u = 2.0 * _SQRT_2_OVER_PI * (x + _GELU_C * x * x * x) if abs(x) < 1e100 else x
        s = _s_sigmoid(u)
        return 0.0 if s == 0.0 else x * s
    cdf = 0.5 * math.erfc(-x * _INV_SQRT2)    # libm erfc; ~1e-14 in the far left tail
    return 0.0 if cdf == 0.0 else x * cdf


def _s_gelu_d(x, y, approximate):
    if math.isnan(x):
        return x
    if abs(x) > 1e100:
        return 1.0 if x > 0 else 0.0
    if approximate != "none":
        u = 2.0 * _SQRT_2_OVER_PI * (x + _GELU_C * x * x * x)
        du = 2.0 * _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_C * x * x)
        return _s_sigmoid(u) * (1.0 + x * _s_sigmoid(-u) * du)
    return 0.5 * math.erfc(-x * _INV_SQRT2) + x * math.exp(-0.5 * x * x) * _INV_SQRT_2PI


def _s_elu(x, alpha):
    return x if x > 0.0 else alpha * math.expm1(x)


def _s_elu_d(x, y, alpha):
    return 1.0 if x > 0.0 else alpha * math.exp(x)


# ---------------------------------------------------------------- the entries
def _identity_f(x):
    """x itself as a read-only view: no copy (like PyTorch's nn.Identity, which returns
    its input), and a write to the result raises instead of changing x."""
    y = _arr(x).view()
    y.flags.writeable = False
    return _ret(y)


register(Activation(
    name="identity", aliases=("linear",), title="Identity",
    latex=r"f(x) = x", derivative_latex=r"f'(x) = 1",
    forward=_identity_f, derivative=lambda x, y: _like(x, 1.0),
    reference="", torch_name="Identity", layer_name="Identity", family="linear",
    composite=lambda x: x * 1.0,
    notes="f(x) is a read-only view of x (no copy); f'(x) is 1, NaN where x is NaN.",
))

register(Activation(
    name="binary_step", aliases=("heaviside", "step"), title="Binary step",
    latex=r"f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
    derivative_latex=r"f'(x) = 0 \quad (x \ne 0)",
    forward=lambda x: _ret(_step(x, 1.0)), derivative=lambda x, y: _like(x, 0.0),
    kinks=lambda: (0.0,), kink_note="f jumps at 0; f'(0) is taken as 0 (no gradient flows).",
    reference="mcculloch1943logical", torch_name=None, layer_name="BinaryStep",
    family="step",
))


def _sigmoid_fa(x):
    s, t = sigmoid_pair(x)
    return s, t                      # aux: sigma(-x), accurate where 1 - sigma(x) is not


def _sigmoid_da(x, y, t):
    return _ret(np.multiply(y, t))   # sigma(x) sigma(-x)


_sigmoid_f, _sigmoid_d = _via_aux(_sigmoid_fa, _sigmoid_da)


register(Activation(
    name="sigmoid", aliases=("logistic", "expit"), title="Logistic sigmoid",
    latex=r"f(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative_latex=r"f'(x) = \sigma(x)\,(1 - \sigma(x))",
    forward=_sigmoid_f, derivative=_sigmoid_d,
    forward_aux=_sigmoid_fa, derivative_aux=_sigmoid_da,
    scalar=(_s_sigmoid, _s_sigmoid_d),
    reference="han1995influence", torch_name="sigmoid", layer_name="Sigmoid",
    family="saturating",
    composite=lambda x: 1.0 / (1.0 + (-x).exp()),
    notes="Computed in two branches from e^{-|x|}; sigma'(x) = sigma(x) sigma(-x), never "
          "as 1 - sigma(x), so it keeps its relative accuracy in both tails.",
))


def _tanh_d(x, y):
    e = np.exp(-2.0 * np.abs(x))
    d = 1.0 + e
    d *= d
    e *= 4.0
    e /= d
    return _ret(e)


register(Activation(
    name="tanh", title="Hyperbolic tangent",
    latex=r"f(x) = \tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}",
    derivative_latex=r"f'(x) = 1 - \tanh^2(x)",
    forward=np.tanh, derivative=_tanh_d, scalar=(math.tanh, _s_tanh_d),
    reference="lecun1998efficient", torch_name="tanh", layer_name="Tanh",
    family="saturating",
    composite=lambda x: 2.0 / (1.0 + (-2.0 * x).exp()) - 1.0,
    notes="f'(x) = 4 e^{-2|x|} / (1 + e^{-2|x|})^2 keeps relative accuracy where "
          "1 - tanh^2 rounds to 0.",
))


def _arctan_d(x, y):
    with np.errstate(over="ignore"):   # x^2 = inf for |x| > 1e154: 1/inf = 0, right
        r = np.multiply(x, x)
    r += 1.0
    return _ret(np.reciprocal(r, out=r) if r.ndim else 1.0 / r)


register(Activation(
    name="arctan", aliases=("atan",), title="ArcTan",
    latex=r"f(x) = \arctan(x)", derivative_latex=r"f'(x) = \frac{1}{1 + x^2}",
    forward=np.arctan, derivative=_arctan_d,
    reference="", torch_name="atan", layer_name="ArcTan", family="saturating",
))


def _softsign_fa(x):
    xc = _arr(x)
    r = np.abs(xc)
    b = _bound(xc, _BIG)
    if r.size and not np.max(r) <= b:   # +-inf (inf * 0 below) or NaN (may hide an inf)
        xc = np.clip(xc, -b, b)
        r = np.abs(xc)
    r += 1.0
    r = np.reciprocal(r, out=r) if r.ndim else 1.0 / r    # 1/(1 + |x|)
    return _ret(xc * r), r


def _softsign_da(x, y, r):
    return _ret(r * r)


_softsign_f, _softsign_d = _via_aux(_softsign_fa, _softsign_da)


register(Activation(
    name="softsign", title="Softsign",
    latex=r"f(x) = \frac{x}{1 + |x|}", derivative_latex=r"f'(x) = \frac{1}{(1 + |x|)^2}",
    forward=_softsign_f, derivative=_softsign_d,
    forward_aux=_softsign_fa, derivative_aux=_softsign_da,
    reference="bergstra2009quadratic", torch_name="softsign", layer_name="Softsign",
    family="saturating",
    composite=lambda x: x / (1.0 + x.abs()),
))


def _isru_f(x, alpha):
    xc = _clipbig(_arr(x), 1e150)
    return _ret(xc / np.hypot(1.0, math.sqrt(alpha) * xc) if np.ndim(alpha) == 0
                else xc / np.hypot(1.0, np.sqrt(alpha) * xc))


def _isru_d(x, y, alpha):
    xc = _clipbig(_arr(x), 1e150)
    r = 1.0 / np.hypot(1.0, np.sqrt(alpha) * xc)
    return _ret(r * r * r)


_ALPHA_POS = Param("alpha", 1.0, low=0.0, low_open=True, doc="scale of x^2; must be > 0")

register(Activation(
    name="isru", title="Inverse square root unit (ISRU)",
    latex=r"f(x) = \frac{x}{\sqrt{1 + \alpha x^2}}",
    derivative_latex=r"f'(x) = \left(\frac{1}{\sqrt{1 + \alpha x^2}}\right)^3",
    params=(_ALPHA_POS,), forward=_isru_f, derivative=_isru_d,
    reference="carlile2017improving", torch_name=None, layer_name="ISRU",
    family="saturating",
    composite=lambda x, alpha: x / (1.0 + alpha * x * x).sqrt(),
))


def _isrlu_f(x, alpha):
    x = _arr(x)
    return _ret(np.where(x >= 0, x, _isru_f(np.minimum(x, 0.0), alpha)))


def _isrlu_d(x, y, alpha):
    x = _arr(x)
    return _ret(np.where(x >= 0, 1.0, _isru_d(np.minimum(x, 0.0), None, alpha)))


register(Activation(
    name="isrlu", title="Inverse square root linear unit (ISRLU)",
    latex=r"f(x) = \begin{cases} x & x \ge 0 \\ \frac{x}{\sqrt{1 + \alpha x^2}} & x < 0 "
          r"\end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x \ge 0 \\ "
                     r"\left(\frac{1}{\sqrt{1 + \alpha x^2}}\right)^3 & x < 0 \end{cases}",
    params=(_ALPHA_POS,), forward=_isrlu_f, derivative=_isrlu_d,
    reference="carlile2017improving", torch_name=None, layer_name="ISRLU",
    family="exponential",
))


def _relu_f(x):
    return _ret(np.maximum(x, 0.0))


def _relu_d(x, y):
    # sign(max(x, 0)): 1 for x > 0, 0 for x <= 0 (PyTorch's relu'(0) = 0), and NaN for NaN
    # with no separate check (a comparison x > 0 would say False there)
    return _ret(np.sign(y))


register(Activation(
    name="relu", title="Rectified linear unit (ReLU)",
    latex=r"f(x) = \max(0, x)",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
    forward=_relu_f, derivative=_relu_d, scalar=(_s_relu, _s_relu_d),
    kinks=lambda: (0.0,), kink_note="f'(0) = 0 (PyTorch).",
    reference="nair2010rectified", torch_name="relu", layer_name="ReLU",
    family="rectifier",
    composite=lambda x: x.maximum(0.0),
))


def _leaky_f(x, negative_slope):
    x = _arr(x)
    r = np.minimum(x, 0.0)          # max(x, 0) + a min(x, 0): exact, and no np.where
    r *= negative_slope
    r += np.maximum(x, 0.0)
    return _ret(r)


def _leaky_d(x, y, negative_slope):
    h = _step(x, 0.0)       # 1 for x > 0, 0 for x <= 0, NaN for NaN
    h *= 1.0 - negative_slope
    h += negative_slope
    return _ret(h)


register(Activation(
    name="leaky_relu", aliases=("lrelu",), title="Leaky ReLU",
    latex=r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}",
    params=(Param("negative_slope", 0.01, doc="slope a for x <= 0"),),
    forward=_leaky_f, derivative=_leaky_d, scalar=(_s_leaky, _s_leaky_d),
    kinks=lambda negative_slope: (0.0,) if negative_slope != 1.0 else (),
    kink_note="f'(0) = negative_slope (PyTorch).",
    reference="maas2013rectifier", torch_name="leaky_relu", layer_name="LeakyReLU",
    family="rectifier",
    composite=lambda x, negative_slope: x.maximum(0.0) + negative_slope * x.minimum(0.0),
))


def _prelu_w_d(x, y, weight):
    return _ret(np.minimum(x, 0.0))


register(Activation(
    name="prelu", title="Parametric ReLU (PReLU)",
    latex=r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases} "
          r"\quad (a \text{ learned, one per channel or shared})",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}, "
                     r"\quad \frac{\partial f}{\partial a} = \min(0, x)",
    params=(Param("weight", 0.25, learnable=True,
                  doc="slope a for x <= 0 (learned; PyTorch's F.prelu requires it, "
                      "0.25 is nn.PReLU's initial value)"),),
    forward=lambda x, weight: _leaky_f(x, weight),
    derivative=lambda x, y, weight: _leaky_d(x, y, weight),
    param_derivatives={"weight": _prelu_w_d},
    kinks=lambda weight: (0.0,), kink_note="f'(0) = weight (PyTorch).",
    reference="he2015delving", torch_name="prelu", layer_name="PReLU",
    family="rectifier", channel_axis=1,
    composite=lambda x, weight: x.maximum(0.0) + weight * x.minimum(0.0),
    notes="F.prelu(x, weight): weight has one element or one per channel (x's dim 1).",
))


def _rrelu_check(p):
    if p["lower"] > p["upper"]:
        raise ValueError(f"rrelu(): lower must be <= upper, got lower={p['lower']} > "
                         f"upper={p['upper']}")


def _rrelu_eval_f(x, lower, upper):
    return _leaky_f(x, (lower + upper) / 2.0)


def _rrelu_eval_d(x, y, lower, upper):
    return _leaky_d(x, y, (lower + upper) / 2.0)


register(Activation(
    name="rrelu", title="Randomized leaky ReLU (RReLU)",
    latex=r"f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}, \quad "
          r"a \sim U(l, u) \text{ in training}, \; a = \frac{l + u}{2} \text{ in evaluation}",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}",
    params=(Param("lower", 1.0 / 8.0, doc="l, lower bound of the slope"),
            Param("upper", 1.0 / 3.0, doc="u, upper bound of the slope")),
    forward=_rrelu_eval_f, derivative=_rrelu_eval_d, check=_rrelu_check,
    kinks=lambda lower, upper: (0.0,), kink_note="f'(0) = (lower + upper)/2 in eval (PyTorch).",
    reference="xu2015empirical", torch_name="rrelu", layer_name="RReLU",
    family="rectifier",
    notes="forward/derivative here are the evaluation-mode function; F.rrelu(x, ..., "
          "training=True, generator=...) draws one slope per element from U(lower, upper).",
))


def _elu_fa(x, alpha, scale=1.0):
    """scale * (alpha expm1(min(x, 0)) + max(x, 0)); aux: min(x, 0) for the backward."""
    x = _arr(x)
    m = np.minimum(x, 0.0)
    r = np.expm1(m)
    if alpha != 1.0:
        r *= alpha
    r += np.maximum(x, 0.0)
    if scale != 1.0:
        r *= scale
    return _ret(r), m


def _elu_da(x, y, m, alpha, scale=1.0):
    """scale * (alpha e^{min(x,0)} + (1 - alpha) [x > 0])."""
    r = np.exp(m)
    if alpha * scale != 1.0:
        r *= alpha * scale
    if alpha != 1.0:
        h = _step(_arr(x), 0.0)
        h *= scale * (1.0 - alpha)
        r += h
    return _ret(r)


_elu_f, _elu_d = _via_aux(_elu_fa, _elu_da)


register(Activation(
    name="elu", title="Exponential linear unit (ELU)",
    latex=r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0 \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^x & x \le 0 \end{cases}",
    params=(Param("alpha", 1.0, low=0.0, low_open=False, doc="negative saturation value"),),
    forward=_elu_f, derivative=_elu_d, scalar=(_s_elu, _s_elu_d),
    forward_aux=_elu_fa, derivative_aux=_elu_da,
    kinks=lambda alpha: (0.0,) if alpha != 1.0 else (),
    kink_note="f'(0) = alpha (PyTorch's x <= 0 branch).",
    reference="clevert2016elu", torch_name="elu", layer_name="ELU",
    family="exponential",
    composite=lambda x, alpha: x.maximum(0.0) + alpha * (x.minimum(0.0).exp() - 1.0),
))

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _selu_fa(x):
    return _elu_fa(x, SELU_ALPHA, SELU_SCALE)


def _selu_da(x, y, m):
    return _elu_da(x, y, m, SELU_ALPHA, SELU_SCALE)


_selu_f, _selu_d = _via_aux(_selu_fa, _selu_da)


register(Activation(
    name="selu", title="Scaled exponential linear unit (SELU)",
    latex=r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0 \end{cases},"
          r"\; \lambda \approx 1.0507, \alpha \approx 1.6733",
    derivative_latex=r"f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^x & x \le 0 "
                     r"\end{cases}",
    forward=_selu_f, derivative=_selu_d, forward_aux=_selu_fa, derivative_aux=_selu_da,
    kinks=lambda: (0.0,), kink_note="f'(0) = scale * alpha (PyTorch's x <= 0 branch).",
    reference="klambauer2017self", torch_name="selu", layer_name="SELU",
    family="exponential",
    composite=lambda x: SELU_SCALE * (x.maximum(0.0)
                                      + SELU_ALPHA * (x.minimum(0.0).exp() - 1.0)),
))


def _celu_fa(x, alpha):
    x = _arr(x)
    m = np.minimum(x, 0.0)
    if alpha != 1.0:
        m /= alpha
    r = np.expm1(m)
    if alpha != 1.0:
        r *= alpha
    r += np.maximum(x, 0.0)
    return _ret(r), m


def _celu_da(x, y, m, alpha):
    return _ret(np.exp(m))              # e^{min(x,0)/alpha}: 1 for x > 0


_celu_f, _celu_d = _via_aux(_celu_fa, _celu_da)


register(Activation(
    name="celu", title="Continuously differentiable ELU (CELU)",
    latex=r"f(x) = \max(0, x) + \min\left(0, \alpha (e^{x/\alpha} - 1)\right)",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
    params=(Param("alpha", 1.0, low=0.0, low_open=True, doc="must be > 0"),),
    forward=_celu_f, derivative=_celu_d, forward_aux=_celu_fa, derivative_aux=_celu_da,
    reference="barron2017continuously", torch_name="celu", layer_name="CELU",
    family="exponential",
    composite=lambda x, alpha: x.maximum(0.0) + alpha * ((x.minimum(0.0) / alpha).exp() - 1.0),
))


def _softplus_fa(x, beta, threshold):
    x = _arr(x)
    bx = np.multiply(x, beta)
    a, b = _exp_pair(bx)                 # e^{min(bx,0)}, e^{-max(bx,0)}; a b = e^{-|bx|}
    sp = np.log1p(a * b)
    sp += np.maximum(bx, 0.0)
    sp /= beta
    big = bx > threshold                 # PyTorch: f(x) = x there
    return _ret(np.where(big, x, sp)), (a, b, big)


def _softplus_da(x, y, aux, beta, threshold):
    a, b, big = aux
    r = a / (a + b)                      # sigma(beta x)
    return _ret(np.where(big, 1.0, r))


_softplus_f, _softplus_d = _via_aux(_softplus_fa, _softplus_da)


register(Activation(
    name="softplus", title="Softplus",
    latex=r"f(x) = \frac{1}{\beta} \log\left(1 + e^{\beta x}\right) "
          r"\quad (x \text{ itself where } \beta x > \text{threshold})",
    derivative_latex=r"f'(x) = \sigma(\beta x)",
    params=(Param("beta", 1.0, low=0.0, low_open=True, doc="sharpness; > 0"),
            Param("threshold", 20.0, doc="above beta*x > threshold, f(x) = x (PyTorch)")),
    forward=_softplus_f, derivative=_softplus_d,
    forward_aux=_softplus_fa, derivative_aux=_softplus_da,
    kinks=lambda beta, threshold: (threshold / beta,),
    reference="dugas2001incorporating", torch_name="softplus", layer_name="Softplus",
    family="smooth rectifier",
    kink_note="PyTorch switches to f(x) = x, f'(x) = 1 for beta*x > threshold (a jump of "
              "about e^-20 in f and f' at the switch); the catalog does the same.",
    composite=lambda x, beta, threshold: (1.0 + (beta * x).exp()).log() / beta,
))


def _logsigmoid_fa(x):
    x = _arr(x)
    a, b = _exp_pair(x)
    r = np.minimum(x, 0.0)
    r -= np.log1p(a * b)                 # min(x, 0) - log1p(e^{-|x|})
    return _ret(r), (a, b)


def _logsigmoid_da(x, y, aux):
    a, b = aux
    return _ret(b / (a + b))             # sigma(-x)


_logsigmoid_f, _logsigmoid_d = _via_aux(_logsigmoid_fa, _logsigmoid_da)


register(Activation(
    name="logsigmoid", aliases=("log_sigmoid",), title="Log-sigmoid",
    latex=r"f(x) = \log \sigma(x) = -\log(1 + e^{-x})",
    derivative_latex=r"f'(x) = 1 - \sigma(x) = \sigma(-x)",
    forward=_logsigmoid_f, derivative=_logsigmoid_d,
    forward_aux=_logsigmoid_fa, derivative_aux=_logsigmoid_da,
    reference="", torch_name="logsigmoid", layer_name="LogSigmoid",
    family="smooth rectifier",
    composite=lambda x: -((1.0 + (-x).exp()).log()),
))


def _bent_f(x):
    x = _arr(x)
    xc = _clipbig(x)
    t = xc / (np.hypot(xc, 1.0) + 1.0)   # = (sqrt(x^2+1) - 1)/x without cancellation
    t *= 0.5
    t += 1.0
    return _ret(x * t)


def _bent_d(x, y):
    xc = _clipbig(_arr(x))
    r = xc / np.hypot(xc, 1.0)
    r *= 0.5
    r += 1.0
    return _ret(r)


register(Activation(
    name="bent_identity", title="Bent identity",
    latex=r"f(x) = \frac{\sqrt{x^2 + 1} - 1}{2} + x",
    derivative_latex=r"f'(x) = \frac{x}{2\sqrt{x^2 + 1}} + 1",
    forward=_bent_f, derivative=_bent_d,
    reference="", torch_name=None, layer_name="BentIdentity", family="smooth rectifier",
    composite=lambda x: ((x * x + 1.0).sqrt() - 1.0) / 2.0 + x,
))


def _gate(x, s, beta=1.0, xc=None):
    """x * s where s = gate(beta x) in [0, 1]; the product is 0 (its limit) where x is
    infinite and the gate is 0, instead of inf * 0 = NaN. ``xc``, if given, is
    ``_clipbig(x, bound)`` for some bound <= _BIG: ``xc is x`` then already says that x
    is within range (no second check)."""
    x = _arr(x)
    if xc is x:
        return _ret(np.multiply(x, s))
    if np.ndim(beta) == 0:
        b = _bound(x, _BIG)
        if _within(x, b):
            return _ret(np.multiply(x, s))
        xc = np.maximum(x, -b) if beta >= 0 else np.minimum(x, b)
        return _ret(np.multiply(xc, s))
    r = np.multiply(x, s)
    r[np.isinf(x) & (s == 0)] = 0.0
    return _ret(r)


def _swish_fa(x, beta):
    x = _arr(x)
    xc = _clipbig(x)
    s, t = sigmoid_pair(xc if np.ndim(beta) == 0 and beta == 1.0 else np.multiply(xc, beta))
    return _gate(x, s, beta, xc), (s, t, xc)


def _swish_da(x, y, aux, beta):
    s, t, xc = aux
    r = np.multiply(t, xc)
    if np.ndim(beta) or beta != 1.0:
        r *= beta
    r += 1.0
    r *= s
    return _ret(r)   # s (1 + beta x sigma(-beta x))


_swish_f, _swish_d = _via_aux(_swish_fa, _swish_da)


def _swish_beta_d(x, y, beta):
    xc = _clipbig(_arr(x))
    s, t = sigmoid_pair(np.multiply(xc, beta))
    s *= xc
    t *= xc
    return _ret(s * t)  # x^2 sigma(bx) sigma(-bx), as a product of two bounded factors


register(Activation(
    name="silu", title="Sigmoid linear unit (SiLU)",
    latex=r"f(x) = x\,\sigma(x)",
    derivative_latex=r"f'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
    forward=lambda x: _swish_f(x, 1.0), derivative=lambda x, y: _swish_d(x, y, 1.0),
    scalar=(_s_silu, _s_silu_d),
    forward_aux=lambda x: _swish_fa(x, 1.0),
    derivative_aux=lambda x, y, aux: _swish_da(x, y, aux, 1.0),
    reference="elfwing2018sigmoid", torch_name="silu", layer_name="SiLU",
    family="smooth rectifier",
    composite=lambda x: x / (1.0 + (-x).exp()),
    notes="SiLU is Swish with beta = 1 (Hendrycks & Gimpel 2016; Elfwing et al. 2018; "
          "Ramachandran et al. 2017).",
))

register(Activation(
    name="swish", title="Swish",
    latex=r"f(x) = x\,\sigma(\beta x)",
    derivative_latex=r"f'(x) = \sigma(\beta x)\,\bigl(1 + \beta x\,(1 - \sigma(\beta x))\bigr),"
                     r"\quad \frac{\partial f}{\partial \beta} = x^2 \sigma(\beta x)"
                     r"(1 - \sigma(\beta x))",
    params=(Param("beta", 1.0, learnable=True, doc="gate sharpness (learnable)"),),
    forward=_swish_f, derivative=_swish_d, param_derivatives={"beta": _swish_beta_d},
    forward_aux=_swish_fa, derivative_aux=_swish_da,
    reference="ramachandran2017searching", torch_name=None, layer_name="Swish",
    family="smooth rectifier",
    composite=lambda x, beta: x / (1.0 + (-beta * x).exp()),
))

_SQRT_2_OVER_PI = 0.79788456080286535588
_INV_SQRT2 = 0.70710678118654752440
_INV_SQRT_2PI = 0.39894228040143267794
_GELU_C = 0.044715


def _gelu_fa(x, approximate):
    x = _arr(x)
    xc = _clipbig(x, _HUGE)            # x cubed or squared below; aux for the backward
    if approximate == "tanh":
        u = xc * xc
        u *= _GELU_C
        u += 1.0
        u *= xc
        u *= 2.0 * _SQRT_2_OVER_PI     # 2 * sqrt(2/pi) (x + c x^3)
        s, t = sigmoid_pair(u)
        return _gate(x, s, xc=xc), (s, t, xc)     # x sigma(2u') = 0.5 x (1 + tanh(u'))
    cdf = ndtr(x)
    return _gate(x, cdf, xc=xc), (cdf, xc)


def _gelu_da(x, y, aux, approximate):
    xc = aux[-1]
    if approximate == "tanh":
        s, t, _ = aux
        du = xc * xc
        du *= 3.0 * _GELU_C
        du += 1.0
        du *= 2.0 * _SQRT_2_OVER_PI
        du *= xc
        du *= t
        du += 1.0
        du *= s
        return _ret(du)
    pdf = xc * xc
    pdf *= -0.5
    pdf = np.exp(pdf)
    pdf *= _INV_SQRT_2PI
    pdf *= xc
    pdf += aux[0]                      # Phi(x) + x phi(x)
    return _ret(pdf)


_gelu_f, _gelu_d = _via_aux(_gelu_fa, _gelu_da)


register(Activation(
    name="gelu", title="Gaussian error linear unit (GELU)",
    latex=r"f(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}(x/\sqrt2)\right)"
          r"\quad \left(\text{tanh: } \frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}"
          r"\,(x + 0.044715 x^3)\right)\right)\right)",
    derivative_latex=r"f'(x) = \Phi(x) + x\,\varphi(x)",
    params=(Param("approximate", "none", choices=("none", "tanh"),
                  doc="'none': exact erf form; 'tanh': the tanh approximation"),),
    forward=_gelu_f, derivative=_gelu_d, forward_aux=_gelu_fa, derivative_aux=_gelu_da,
    scalar=(_s_gelu, _s_gelu_d),
    reference="hendrycks2016gaussian", torch_name="gelu", layer_name="GELU",
    family="smooth rectifier",
    notes="Phi is computed with erfc (Cody's rational approximations), accurate in the "
          "left tail; the tanh form is evaluated as x sigma(2u), no cancellation.",
))


def _mish_parts(x):
    """tanh(softplus(x)) and sech^2(softplus(x)) without cancellation or overflow.

    With a = e^{min(x,0)}, b = e^{-max(x,0)} (both <= 1): tanh(sp(x)) = n / (n + 2b^2),
    n = a(a + 2b), and sech^2(sp(x)) = 4 b^2 (a + b)^2 / (n + 2b^2)^2.
    """
    a, b = _exp_pair(_arr(x))
    s = a + b
    n = b * 2.0
    n += a
    n *= a               # n = a (a + 2b)
    den = b * b
    den *= 2.0
    den += n             # n + 2 b^2
    tsp = n / den
    sech2 = b * s
    sech2 /= den
    sech2 *= sech2
    sech2 *= 4.0         # (2 b (a + b) / (n + 2b^2))^2
    a /= s               # sigma(x) = a / (a + b)
    return tsp, sech2, a


def _mish_fa(x):
    x = _arr(x)
    xc = _clipbig(x)
    tsp, sech2, sig = _mish_parts(xc)
    return _gate(x, tsp, xc=xc), (tsp, sech2, sig, xc)


def _mish_da(x, y, aux):
    tsp, sech2, sig, xc = aux
    r = xc * sech2
    r *= sig
    r += tsp
    return _ret(r)


_mish_f, _mish_d = _via_aux(_mish_fa, _mish_da)


register(Activation(
    name="mish", title="Mish",
    latex=r"f(x) = x \tanh(\operatorname{softplus}(x))",
    derivative_latex=r"f'(x) = \tanh(\operatorname{sp}(x)) + x\,\sigma(x)\,"
                     r"\operatorname{sech}^2(\operatorname{sp}(x))",
    forward=_mish_f, derivative=_mish_d, forward_aux=_mish_fa, derivative_aux=_mish_da,
    reference="misra2020mish", torch_name="mish", layer_name="Mish",
    family="smooth rectifier",
    composite=lambda x: x * ((1.0 + x.exp()) ** 2 - 1.0) / ((1.0 + x.exp()) ** 2 + 1.0),
))


def _hardswish_f(x):
    x = _arr(x)
    r = np.clip(x + 3.0, 0.0, 6.0)
    r *= np.maximum(x, -_bound(x, _BIG))
    r /= 6.0
    return _ret(r)


def _hardswish_d(x, y):
    x = _arr(x)
    r = np.clip(x, -3.0, 3.0)          # (2x + 3)/6 on (-3, 3), 0 at and below -3, 1 from 3
    r *= 2.0 / 6.0
    r += 0.5
    r *= (x > -3.0) & (x < 3.0)        # NaN stays NaN (NaN * 0)
    r += x >= 3.0
    return _ret(r)


register(Activation(
    name="hardswish", aliases=("hard_swish",), title="Hard swish",
    latex=r"f(x) = x\,\frac{\operatorname{ReLU6}(x + 3)}{6}",
    derivative_latex=r"f'(x) = \begin{cases} 0 & x \le -3 \\ (2x + 3)/6 & -3 < x < 3 \\ "
                     r"1 & x \ge 3 \end{cases}",
    forward=_hardswish_f, derivative=_hardswish_d,
    kinks=lambda: (-3.0, 3.0), kink_note="f'(-3) = 0, f'(3) = 1 (PyTorch).",
    reference="howard2019searching", torch_name="hardswish", layer_name="Hardswish",
    family="smooth rectifier",
))


def _hardsigmoid_f(x):
    r = np.add(x, 3.0)      # (x + 3)/6: exact near -3, where x/6 + 1/2 would cancel
    r /= 6.0
    return _ret(np.clip(r, 0.0, 1.0))


def _hardsigmoid_d(x, y):
    return _ret(_window(x, -3.0, 3.0, 1.0 / 6.0))


register(Activation(
    name="hardsigmoid", aliases=("hard_sigmoid",), title="Hard sigmoid",
    latex=r"f(x) = \begin{cases} 0 & x \le -3 \\ x/6 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 "
          r"\end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} "
                     r"\end{cases}",
    forward=_hardsigmoid_f, derivative=_hardsigmoid_d,
    kinks=lambda: (-3.0, 3.0), kink_note="f'(+-3) = 0 (PyTorch).",
    reference="courbariaux2015binaryconnect", torch_name="hardsigmoid",
    layer_name="Hardsigmoid", family="saturating",
))


def _hardtanh_check(p):
    if not p["min_val"] < p["max_val"]:
        raise ValueError(f"hardtanh(): min_val must be < max_val, got min_val={p['min_val']}, "
                         f"max_val={p['max_val']}")


def _hardtanh_f(x, min_val, max_val):
    return _ret(np.clip(x, min_val, max_val))


def _hardtanh_d(x, y, min_val, max_val):
    return _ret(_window(x, min_val, max_val))


register(Activation(
    name="hardtanh", aliases=("hard_tanh",), title="Hard tanh",
    latex=r"f(x) = \min(\max(x, a), b)", derivative_latex=r"f'(x) = 1 \text{ for } a < x < b, "
                                                          r"0 \text{ otherwise}",
    params=(Param("min_val", -1.0), Param("max_val", 1.0)),
    forward=_hardtanh_f, derivative=_hardtanh_d, check=_hardtanh_check,
    kinks=lambda min_val, max_val: (min_val, max_val),
    kink_note="f'(min_val) = f'(max_val) = 0 (PyTorch).",
    reference="collobert2004large", torch_name="hardtanh", layer_name="Hardtanh",
    family="saturating",
    composite=lambda x, min_val, max_val: x.maximum(min_val).minimum(max_val),
))

register(Activation(
    name="relu6", title="ReLU6",
    latex=r"f(x) = \min(\max(0, x), 6)",
    derivative_latex=r"f'(x) = 1 \text{ for } 0 < x < 6, 0 \text{ otherwise}",
    forward=lambda x: _hardtanh_f(x, 0.0, 6.0), derivative=lambda x, y: _hardtanh_d(x, y, 0.0, 6.0),
    kinks=lambda: (0.0, 6.0), kink_note="f'(0) = f'(6) = 0 (PyTorch).",
    reference="krizhevsky2010convolutional", torch_name="relu6", layer_name="ReLU6",
    family="rectifier",
    composite=lambda x: x.maximum(0.0).minimum(6.0),
))

_LAMBD = Param("lambd", 0.5, low=0.0, low_open=False, doc="threshold lambda >= 0")


def _shrink_mask(x, lambd):
    return np.greater(np.abs(x), lambd)


def _shrink_da(x, y, mask, lambd):
    x = _arr(x)
    r = np.asarray(mask).astype(x.dtype if x.dtype.kind == "f" else np.float64)
    return _ret(_fix_nan(r, x))


def _shrink_d(x, y, lambd):
    return _shrink_da(x, y, _shrink_mask(x, lambd), lambd)


def _hardshrink_fa(x, lambd):
    m = _shrink_mask(x, lambd)
    return _ret(np.multiply(x, m)), m


_hardshrink_f, _hardshrink_d = _via_aux(_hardshrink_fa, _shrink_da)


register(Activation(
    name="softshrink", title="Soft shrinkage",
    latex=r"f(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ "
          r"0 & \text{otherwise} \end{cases}",
    derivative_latex=r"f'(x) = 1 \text{ for } |x| > \lambda, 0 \text{ otherwise}",
    params=(_LAMBD,), forward=lambda x, lambd: _ret(x - np.clip(x, -lambd, lambd)),
    derivative=_shrink_d,
    kinks=lambda lambd: (-lambd, lambd), kink_note="f'(+-lambd) = 0 (PyTorch).",
    reference="donoho1995denoising", torch_name="softshrink", layer_name="Softshrink",
    family="shrinkage",
))

register(Activation(
    name="hardshrink", title="Hard shrinkage",
    latex=r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & \text{otherwise} \end{cases}",
    derivative_latex=r"f'(x) = 1 \text{ for } |x| > \lambda, 0 \text{ otherwise}",
    params=(_LAMBD,),
    forward=_hardshrink_f, derivative=_hardshrink_d,
    forward_aux=_hardshrink_fa, derivative_aux=_shrink_da,
    kinks=lambda lambd: (-lambd, lambd), kink_note="f(+-lambd) = 0 and f'(+-lambd) = 0 "
                                                   "(PyTorch).",
    reference="donoho1994ideal", torch_name="hardshrink", layer_name="Hardshrink",
    family="shrinkage",
))

# tanh(x) = x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835 - 1382x^11/155925 + ...
_TANHSHRINK_SERIES = (1.0 / 3.0, -2.0 / 15.0, 17.0 / 315.0, -62.0 / 2835.0,
                      1382.0 / 155925.0)


def _tanhshrink_series(xs):
    x2 = xs * xs
    acc = _TANHSHRINK_SERIES[-1]
    for c in _TANHSHRINK_SERIES[-2::-1]:
        acc = acc * x2 + c
    return acc * x2 * xs


def _tanhshrink_fa(x):
    x = _arr(x)
    t = np.tanh(x)
    if x.ndim == 0:
        return _ret(_tanhshrink_series(x) if abs(x) < 0.06 else x - t), t
    r = x - t
    idx = np.flatnonzero(np.abs(x) < 0.06)    # few points: index them, no full-size mask
    if idx.size:
        r.flat[idx] = _tanhshrink_series(x.flat[idx])
    return r, t


def _tanhshrink_da(x, y, t):
    return _ret(t * t)


_tanhshrink_f, _tanhshrink_d = _via_aux(_tanhshrink_fa, _tanhshrink_da)


register(Activation(
    name="tanhshrink", title="Tanh shrinkage",
    latex=r"f(x) = x - \tanh(x)", derivative_latex=r"f'(x) = \tanh^2(x)",
    forward=_tanhshrink_f, derivative=_tanhshrink_d,
    forward_aux=_tanhshrink_fa, derivative_aux=_tanhshrink_da,
    reference="", torch_name="tanhshrink", layer_name="Tanhshrink", family="shrinkage",
    notes="A series near 0, where x - tanh(x) cancels.",
))


def _threshold_f(x, threshold, value):
    x = _arr(x)
    return _ret(np.where(x <= threshold, value, x))


def _threshold_d(x, y, threshold, value):
    return _ret(_step(np.subtract(x, threshold), 0.0))


register(Activation(
    name="threshold", title="Threshold",
    latex=r"f(x) = \begin{cases} x & x > t \\ v & x \le t \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 1 & x > t \\ 0 & x \le t \end{cases}",
    params=(Param("threshold", 0.0, doc="t (required in PyTorch; 0 here, which makes "
                                        "threshold = ReLU)"),
            Param("value", 0.0, doc="v, the value for x <= t (required in PyTorch; 0 here)")),
    forward=_threshold_f, derivative=_threshold_d,
    kinks=lambda threshold, value: (threshold,),
    kink_note="f'(threshold) = 0 (PyTorch); f jumps there unless value == threshold.",
    reference="", torch_name="threshold", layer_name="Threshold", family="rectifier",
))


# SoftExponential ------------------------------------------------------------------
# G(u) = (u e^u - (e^u - 1)) / u^2 = sum_{n>=2} (n-1) u^(n-2) / n!
_SE_G = tuple((n - 1) / math.factorial(n) for n in range(2, 13))
# H(v) = (log1p(v) - v/(1+v)) / v^2 = sum_{n>=2} (-1)^n (n-1)/n v^(n-2)
_SE_H = tuple((-1) ** n * (n - 1) / n for n in range(2, 13))


def _poly(coefs, z):
    acc = np.full_like(z, coefs[-1])
    for c in coefs[-2::-1]:
        acc = acc * z + c
    return acc


def _se_domain(x, alpha):
    """True where soft_exponential is defined: alpha >= 0, or 1 - alpha (x + alpha) >= 0
    (x >= 1/alpha - alpha; at the boundary f = -inf, its limit)."""
    with np.errstate(all="ignore"):
        return (alpha >= 0) | (-alpha * (x + alpha) >= -1.0)


def _se_f(x, alpha):
    x, a = np.broadcast_arrays(_arr(x).astype(np.float64, copy=False), np.float64(alpha))
    with np.errstate(all="ignore"):
        pos = np.expm1(a * x) / a + a
        neg = -np.log1p(-a * (x + a)) / a
        r = np.where(a > 0, pos, np.where(a < 0, neg, x))
        r = np.where(np.isposinf(x) & (a < 0), np.inf, r)   # log1p(inf)/|a|
        r = np.where(_se_domain(x, a) | np.isnan(x), r, np.nan)
    return _ret(r)


def _se_d(x, y, alpha):
    x, a = np.broadcast_arrays(_arr(x).astype(np.float64, copy=False), np.float64(alpha))
    with np.errstate(all="ignore"):
        pos = np.exp(a * x)
        neg = 1.0 / (1.0 - a * (x + a))
        r = np.where(a > 0, pos, np.where(a < 0, neg, 1.0))
        r = np.where(np.isposinf(x) & (a < 0), 0.0, r)
        r = np.where(_se_domain(x, a), r, np.nan)
        r = np.where(np.isnan(x), x, r)
    return _ret(r)


def _se_dalpha(x, y, alpha):
    x, a = np.broadcast_arrays(_arr(x).astype(np.float64, copy=False), np.float64(alpha))
    xc = _clipbig(x)
    with np.errstate(all="ignore"):
        # alpha > 0: x^2 G(u) + 1, u = alpha x
        u = a * xc
        direct = (np.exp(u) * (u - 1.0) + 1.0) / (a * a)
        series = xc * xc * _poly(_SE_G, u)
        pos = np.where(np.abs(u) > 0.1, direct, series) + 1.0
        # alpha < 0: (x + alpha)^2 H(v) + 1/(1+v), v = -alpha (x + alpha)
        v = -a * (xc + a)
        h_direct = (np.log1p(v) - v / (1.0 + v)) / (a * a)
        h_series = (xc + a) ** 2 * _poly(_SE_H, v)
        neg = np.where(np.abs(v) > 0.01, h_direct, h_series) + 1.0 / (1.0 + v)
        zero = 0.5 * xc * xc + 1.0
        r = np.where(a > 0, pos, np.where(a < 0, neg, zero))
        r = np.where(_se_domain(x, a) | np.isnan(x), r, np.nan)
    return _ret(r)


register(Activation(
    name="soft_exponential", aliases=("softexponential", "softexp"),
    title="Soft exponential",
    latex=r"f(\alpha, x) = \begin{cases} -\frac{\ln(1 - \alpha (x + \alpha))}{\alpha} & "
          r"\alpha < 0 \\ x & \alpha = 0 \\ \frac{e^{\alpha x} - 1}{\alpha} + \alpha & "
          r"\alpha > 0 \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} \frac{1}{1 - \alpha(\alpha + x)} & \alpha < 0 "
                     r"\\ e^{\alpha x} & \alpha \ge 0 \end{cases}",
    params=(Param("alpha", 0.0, learnable=True,
                  doc="interpolates log (alpha=-1), identity (0) and exp (1); learnable"),),
    forward=_se_f, derivative=_se_d, param_derivatives={"alpha": _se_dalpha},
    reference="godfrey2015continuum", torch_name=None, layer_name="SoftExponential",
    family="smooth rectifier",
    notes="For alpha < 0 the function is defined only for x > 1/alpha - alpha; outside "
          "that domain the catalog returns NaN (documented, no warning). The alpha-"
          "derivative uses series near alpha x = 0 so it is continuous across alpha = 0, "
          "where it equals 1 + x^2/2.",
))


def _sin_f(x):
    with np.errstate(invalid="ignore"):
        return _ret(np.sin(x))


def _cos_d(x, y):
    with np.errstate(invalid="ignore"):
        return _ret(np.cos(x))


register(Activation(
    name="sinusoid", aliases=("sin", "sine"), title="Sinusoid",
    latex=r"f(x) = \sin(x)", derivative_latex=r"f'(x) = \cos(x)",
    forward=_sin_f, derivative=_cos_d,
    reference="sopena1999neural", torch_name="sin", layer_name="Sinusoid",
    family="periodic",
    notes="sin(+-inf) is NaN: the limit does not exist.",
))

# sin(x)/x = 1 - x^2/6 + x^4/120 - ...; d/dx = -x/3 + x^3/30 - x^5/840 + ...
_SINC_F = tuple((-1) ** k / math.factorial(2 * k + 1) for k in range(8))
_SINC_D = tuple((-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(1, 9))


def _sinc_f(x):
    x = _arr(x).astype(np.result_type(_arr(x), np.float32), copy=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.sin(x) / x
    small = np.abs(x) < 0.25
    if np.any(small):
        xs = np.where(small, x, 0.0)
        r = np.where(small, _poly(_SINC_F, xs * xs), r)
    r = np.where(np.isinf(x), 0.0, r)
    return _ret(r)


def _sinc_d(x, y):
    x = _arr(x).astype(np.result_type(_arr(x), np.float32), copy=False)
    with np.errstate(all="ignore"):
        r = (x * np.cos(x) - np.sin(x)) / (x * x)
    small = np.abs(x) < 0.25
    if np.any(small):
        xs = np.where(small, x, 0.0)
        r = np.where(small, xs * _poly(_SINC_D, xs * xs), r)
    r = np.where(np.isinf(x), 0.0, r)
    return _ret(r)


register(Activation(
    name="sinc", title="Sinc",
    latex=r"f(x) = \begin{cases} 1 & x = 0 \\ \frac{\sin x}{x} & x \ne 0 \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} 0 & x = 0 \\ \frac{\cos x}{x} - "
                     r"\frac{\sin x}{x^2} & x \ne 0 \end{cases}",
    forward=_sinc_f, derivative=_sinc_d,
    reference="", torch_name=None, layer_name="Sinc", family="periodic",
    notes="Unnormalised sinc sin(x)/x; torch.sinc and numpy.sinc are the normalised "
          "sin(pi x)/(pi x). Series near 0, where both forms cancel.",
))


def _gauss_fa(x):
    x = _arr(x)
    with np.errstate(over="ignore"):
        r = x * x                       # inf for |x| > 1e154: e^{-inf} = 0, right
    b = _bound(x, 1e10)                 # e^{-b^2} is 0 already
    xc = x                              # for the backward: -2 x e^{-x^2} at x = +-inf
    if r.size and not np.max(r) <= b * b:   # would be inf * 0, so clip (NaN: clip too)
        xc = np.clip(x, -b, b)
    r *= -1.0
    return _ret(np.exp(r)), xc


def _gauss_da(x, y, xc):
    r = np.multiply(xc, -2.0)           # (a new array: never write to x)
    r *= y                              # -2 x e^{-x^2}, reusing y = e^{-x^2}
    return _ret(r)


_gauss_f, _gauss_d = _via_aux(_gauss_fa, _gauss_da)


register(Activation(
    name="gaussian", title="Gaussian",
    latex=r"f(x) = e^{-x^2}", derivative_latex=r"f'(x) = -2x\,e^{-x^2}",
    forward=_gauss_f, derivative=_gauss_d, forward_aux=_gauss_fa, derivative_aux=_gauss_da,
    reference="broomhead1988multivariable", torch_name=None, layer_name="Gaussian",
    family="periodic",
    composite=lambda x: (-(x * x)).exp(),
))


# SReLU ------------------------------------------------------------------------------
def _srelu_check(p):
    if np.any(np.asarray(p["t_left"]) > np.asarray(p["t_right"])):
        raise ValueError("srelu(): t_left must be <= t_right (elementwise), got "
                         f"t_left={p['t_left']!r}, t_right={p['t_right']!r}")


def _srelu_f(x, t_left, a_left, t_right, a_right):
    x = _arr(x)
    right = np.add(t_right, np.multiply(a_right, np.subtract(x, t_right)))
    left = np.add(t_left, np.multiply(a_left, np.subtract(x, t_left)))
    return _ret(np.where(x >= t_right, right, np.where(x <= t_left, left, x)))


def _srelu_d(x, y, t_left, a_left, t_right, a_right):
    x = _arr(x)
    one = np.where(np.isnan(x), x, 1.0)
    return _ret(np.where(x >= t_right, a_right + 0.0 * one,
                         np.where(x <= t_left, a_left + 0.0 * one, one)))


def _srelu_dtr(x, y, t_left, a_left, t_right, a_right):
    return _ret(np.where(_arr(x) >= t_right, np.subtract(1.0, a_right), 0.0))


def _srelu_dar(x, y, t_left, a_left, t_right, a_right):
    x = _arr(x)
    return _ret(np.where(x >= t_right, np.subtract(x, t_right), 0.0))


def _srelu_dtl(x, y, t_left, a_left, t_right, a_right):
    x = _arr(x)
    return _ret(np.where((x <= t_left) & (x < t_right), np.subtract(1.0, a_left), 0.0))


def _srelu_dal(x, y, t_left, a_left, t_right, a_right):
    x = _arr(x)
    return _ret(np.where((x <= t_left) & (x < t_right), np.subtract(x, t_left), 0.0))


register(Activation(
    name="srelu", title="S-shaped rectified linear unit (SReLU)",
    latex=r"f(x) = \begin{cases} t^r + a^r (x - t^r) & x \ge t^r \\ x & t^l < x < t^r \\ "
          r"t^l + a^l (x - t^l) & x \le t^l \end{cases}",
    derivative_latex=r"f'(x) = \begin{cases} a^r & x \ge t^r \\ 1 & t^l < x < t^r \\ "
                     r"a^l & x \le t^l \end{cases}",
    params=(Param("t_left", 0.0, learnable=True, doc="left threshold t^l"),
            Param("a_left", 0.2, learnable=True, doc="slope a^l left of t^l"),
            Param("t_right", 1.0, learnable=True, doc="right threshold t^r"),
            Param("a_right", 1.0, learnable=True, doc="slope a^r right of t^r")),
    forward=_srelu_f, derivative=_srelu_d, check=_srelu_check,
    param_derivatives={"t_left": _srelu_dtl, "a_left": _srelu_dal,
                       "t_right": _srelu_dtr, "a_right": _srelu_dar},
    kinks=lambda t_left, a_left, t_right, a_right: tuple(
        k for k, a in ((t_left, a_left), (t_right, a_right)) if a != 1.0),
    kink_note="f'(t^r) = a^r and f'(t^l) = a^l (the paper's closed cases x >= t^r, x <= t^l).",
    reference="jin2016deep", torch_name=None, layer_name="SReLU", family="rectifier",
    channel_axis=1,
    notes="One set of four parameters per channel (x's dim 1) or shared. The defaults are "
          "the layer's initialisation, a documented choice: a^r = 1 as in the paper, "
          "t^l = 0 and a^l = 0.2 so the unit starts as a leaky ReLU (the paper trains "
          "the first epochs as LReLU), t^r = 1 (the paper sets it from a quantile of the "
          "inputs after those epochs).",
))


# APL ----------------------------------------------------------------------------------
def _apl_shape(a, x):
    """Hinge parameters of shape (S,) or (S, *features) -> broadcastable (S, ..., *feat)."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        a = a.reshape(1)
    x = np.asarray(x)
    extra = x.ndim - (a.ndim - 1)
    if extra < 0:
        raise ValueError(f"apl(): hinge parameters of shape {a.shape} have more feature "
                         f"dimensions than the input {x.shape}")
    return a.reshape((a.shape[0],) + (1,) * extra + a.shape[1:])


def _apl_check(p):
    a, b = np.asarray(p["a"]), np.asarray(p["b"])
    if a.shape != b.shape:
        raise ValueError(f"apl(): a and b must have the same shape (S hinges [, features]), "
                         f"got {a.shape} and {b.shape}")


def _apl_f(x, a, b):
    x = _arr(x)
    A, B = _apl_shape(a, x), _apl_shape(b, x)
    with np.errstate(invalid="ignore"):          # inf - inf at x = -inf, fixed below
        r = np.maximum(x, 0.0) + (A * np.maximum(B - x, 0.0)).sum(axis=0)
    ninf = np.isneginf(x)
    if np.any(ninf):   # the limit at -inf: (sum_s a^s)(-x) + sum_s a^s b^s
        sa, sab = A.sum(axis=0), (A * B).sum(axis=0)
        lim = np.where(sa > 0, np.inf, np.where(sa < 0, -np.inf, sab))
        r = np.where(ninf, lim, r)
    return _ret(r)


def _apl_d(x, y, a, b):
    x = _arr(x)
    A, B = _apl_shape(a, x), _apl_shape(b, x)
    return _ret(_step(x, 0.0) - (A * _step(B - x, 0.0)).sum(axis=0))


register(Activation(
    name="apl", title="Adaptive piecewise linear unit (APL)",
    latex=r"f(x) = \max(0, x) + \sum_{s=1}^{S} a^s \max(0, -x + b^s)",
    derivative_latex=r"f'(x) = \mathbb{1}[x > 0] - \sum_s a^s\, \mathbb{1}[x < b^s]",
    params=(Param("a", (-0.2, 0.5), learnable=True, doc="hinge slopes a^s, shape (S,) or "
                  "(S, *features)"),
            Param("b", (0.0, -1.0), learnable=True, doc="hinge locations b^s, same shape")),
    forward=_apl_f, derivative=_apl_d, check=_apl_check,
    param_derivatives={"a": lambda x, y, a, b: np.maximum(_apl_shape(b, x) - _arr(x), 0.0),
                       "b": lambda x, y, a, b: _apl_shape(a, x)
                       * _step(_apl_shape(b, x) - _arr(x), 0.0)},
    kinks=lambda a, b: tuple(sorted({0.0, *map(float, np.ravel(b))})),
    kink_note="Each hinge max(0, -x + b) has derivative 0 at x = b, and max(0, x) has 0 at "
              "0 (ReLU's convention).",
    reference="agostinelli2015learning", torch_name=None, layer_name="APL",
    family="rectifier",
    notes="S hinges per unit; a and b have shape (S,) (shared) or (S, *features) (one set "
          "per unit i, the paper's a_i^s, b_i^s). The defaults (S = 2) are only for plots; "
          "nn.APL(features, S) initialises a = 0 (starts as ReLU) and b ~ U(-1, 1) seeded.",
))


# Non-elementwise entries (ops in .special) --------------------------------------------
def _maxout_np(x, k):
    x = _arr(x)
    k = int(k)
    if x.ndim == 0 or x.shape[-1] % k:
        raise ValueError(f"maxout(): the last dimension ({x.shape[-1] if x.ndim else 0}) "
                         f"must be divisible by k={k}")
    return x.reshape(x.shape[:-1] + (x.shape[-1] // k, k)).max(axis=-1)


def _glu_np(x, dim):
    from .numerics import _dim
    x = _arr(x)
    axis = _dim(dim, x.ndim, "glu")
    if axis is None or x.shape[axis] % 2:
        raise ValueError(f"glu(): dimension {dim} must have an even size, input shape "
                         f"{x.shape}")
    a, b = np.split(x, 2, axis=axis)
    with np.errstate(invalid="ignore"):   # inf * 0: NaN, no limit
        return a * sigmoid(b)


def _softmax_fwd(x, dim):
    from .numerics import softmax_np
    return softmax_np(x, dim)


def _log_softmax_fwd(x, dim):
    from .numerics import log_softmax_np
    return log_softmax_np(x, dim)


_DIM = Param("dim", -1, integer=True, doc="the dimension to normalise over")
register(Activation(
    name="softmax", title="Softmax", elementwise=False,
    latex=r"f(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
    derivative_latex=r"\frac{\partial f_i}{\partial x_j} = f_i (\delta_{ij} - f_j)",
    params=(_DIM,), forward=_softmax_fwd, derivative=None,
    reference="bridle1990probabilistic", torch_name="softmax", layer_name="Softmax",
    family="normalising",
    notes="Max-subtracted; smooth everywhere (the source's 'not differentiable at 0' and "
          "'zero gradient for negative inputs' belong to ReLU).",
))
register(Activation(
    name="log_softmax", aliases=("logsoftmax",), title="Log-softmax", elementwise=False,
    latex=r"f(x)_i = x_i - \log \sum_j e^{x_j}",
    derivative_latex=r"\frac{\partial f_i}{\partial x_j} = \delta_{ij} - "
                     r"\mathrm{softmax}(x)_j",
    params=(_DIM,), forward=_log_softmax_fwd, derivative=None,
    reference="bridle1990probabilistic", torch_name="log_softmax", layer_name="LogSoftmax",
    family="normalising",
))
register(Activation(
    name="softmin", title="Softmin", elementwise=False,
    latex=r"f(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}}",
    derivative_latex=r"\frac{\partial f_i}{\partial x_j} = -f_i (\delta_{ij} - f_j)",
    params=(_DIM,), forward=lambda x, dim: _softmax_fwd(-_arr(x), dim), derivative=None,
    reference="bridle1990probabilistic", torch_name="softmin", layer_name="Softmin",
    family="normalising",
))
register(Activation(
    name="maxout", title="Maxout", elementwise=False,
    latex=r"f(x)_i = \max_{j \in \{ik, \dots, ik + k - 1\}} x_j",
    derivative_latex=r"\frac{\partial f_i}{\partial x_j} = \mathbb{1}[j = "
                     r"\operatorname{argmax}]",
    params=(Param("k", 2, low=1, low_open=False, integer=True, doc="pieces per output unit (int >= 1)"),),
    forward=_maxout_np, derivative=None,
    reference="goodfellow2013maxout", torch_name=None, layer_name="Maxout",
    family="pooling",
    notes="Over groups of k consecutive features of the last dim. The gradient goes to the "
          "winning piece; on a tie, to the first maximal piece only.",
))
register(Activation(
    name="glu", title="Gated linear unit (GLU)", elementwise=False,
    latex=r"f(a, b) = a \otimes \sigma(b), \quad (a, b) = \text{halves of } x \text{ along dim}",
    derivative_latex=r"\partial f/\partial a = \sigma(b), \; \partial f/\partial b = "
                     r"a\,\sigma(b)(1 - \sigma(b))",
    params=(_DIM,), forward=_glu_np, derivative=None,
    reference="dauphin2017language", torch_name="glu", layer_name="GLU", family="gating",
))
