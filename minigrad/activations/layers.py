"""``nn`` activation layers, generated from the catalog (appended to :mod:`minigrad.nn`).

* one layer class per catalog entry, named like PyTorch's (``nn.ReLU()``,
  ``nn.ELU(alpha=1.0)``, ``nn.Softplus(beta=1.0, threshold=20.0)``, ``nn.Softmax(dim=-1)``,
  ``nn.GELU(approximate='tanh')``, ...) or after the entry (``nn.ISRU``, ``nn.Sinc``, ...);
* ``nn.Activation(name, **params)``: the generic layer, built by name or alias;
* layers with learnable parameters: ``nn.PReLU(num_parameters=1, init=0.25)``,
  ``nn.Swish(beta=1.0, num_parameters=1)``, ``nn.SoftExponential(alpha=0.0,
  num_parameters=1)``, ``nn.SReLU(num_parameters=1)``, ``nn.APL(features, hinges=2)``,
  ``nn.Maxout(in_features, out_features, k)`` (a linear map to ``k * out`` pieces, then
  the max of each group of ``k``: ``k * out * (in + 1)`` parameters);
* ``nn.RReLU(lower, upper, rng=None)``: random slopes in training, their mean in eval.

``nn.AlphaDropout`` (for SELU networks) lives in :mod:`minigrad.nn`.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import init as initializers
from ..nn import Linear, Module, Parameter
from ..tensor import Tensor
from . import special
from .bind import tensor_apply
from .catalog import entries, lookup

__all__ = [
    "APL",
    "Activation",
    "Maxout",
    "PReLU",
    "RReLU",
    "SReLU",
    "SoftExponential",
    "Swish",
]


def _input(x):
    return x if isinstance(x, Tensor) else Tensor(x)


class Activation(Module):
    """A parameter-free activation layer built by name: ``nn.Activation("elu", alpha=0.5)``.

    ``name`` is any catalog name or alias (unknown names raise ValueError with
    suggestions); ``params`` are validated now. Learnable parameters are fixed numbers
    here; use the dedicated layers (``nn.PReLU``, ``nn.Swish``, ...) to learn them.
    """

    def __init__(self, name, *args, **params):
        entry = lookup(name)
        self._entry = entry
        self._params = entry.resolve(args, params)

    @property
    def entry(self):
        """The catalog entry this layer applies."""
        return self._entry

    def forward(self, x):
        """Apply the activation to ``x``."""
        x = _input(x)
        e = self._entry
        if e.elementwise and e.name not in special.OVERRIDES:
            return tensor_apply(e, x, self._params)
        if e.name == "rrelu":      # random slopes in training mode, like nn.RReLU
            return special.rrelu(x, **self._params, training=self.training)
        return getattr(x, e.name)(**self._params)

    def extra_repr(self) -> str:
        """The name and parameters shown in ``repr``."""
        ps = ", ".join(f"{k}={v!r}" for k, v in self._params.items())
        return f"{self._entry.name!r}" + (f", {ps}" if ps else "")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


def _make_layer(entry):
    """A named subclass of Activation for one entry (``nn.ELU(alpha=1.0)``)."""

    def __init__(self, *args, **params):
        Activation.__init__(self, entry.name, *args, **params)

    def extra_repr(self):
        """The parameters shown in ``repr``."""
        return ", ".join(f"{k}={v!r}" for k, v in self._params.items())

    def __repr__(self):
        return f"{type(self).__name__}({self.extra_repr()})"

    ps = "".join(f"\n    {p.name}: default {p.default!r}, valid {p.range_text()}. {p.doc}"
                 for p in entry.params)
    doc = (f"{entry.title} layer: ${entry.latex}$.{(chr(10) + 'Parameters:' + ps) if ps else ''}"
           f"\n\nSee ``F.{entry.name}``; built from the catalog entry {entry.name!r}.")
    return type(entry.layer_name, (Activation,), {
        "__init__": __init__, "__doc__": doc, "extra_repr": extra_repr, "__repr__": __repr__,
        "__module__": "minigrad.nn"})


_SKIP = {"Identity"}                    # minigrad.nn already has Identity
_EXPLICIT = {"PReLU", "RReLU", "Swish", "SoftExponential", "SReLU", "APL", "Maxout"}

for _e in entries():
    if _e.layer_name and _e.layer_name not in _SKIP | _EXPLICIT:
        globals()[_e.layer_name] = _make_layer(_e)
        __all__.append(_e.layer_name)


def _per_channel(name, value, num_parameters, dtype=np.float64):
    if isinstance(num_parameters, bool) or not isinstance(num_parameters, numbers.Integral) \
            or num_parameters < 1:
        raise ValueError(f"{name}: num_parameters must be an int >= 1, got {num_parameters!r}")
    return Parameter(np.full(int(num_parameters), float(value)), dtype=dtype)


class PReLU(Module):
    """Parametric ReLU (He et al. 2015): f(x) = x for x > 0, a x otherwise, a learned.

    ``num_parameters``: 1 (one shared slope) or the number of channels (x's dim 1);
    ``init``: initial slope (0.25, PyTorch's and the paper's). ``weight`` is the Parameter.
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype=np.float64):
        lookup("prelu").resolve((init,), None)
        self.weight = _per_channel("PReLU", init, num_parameters, dtype)

    def forward(self, x):
        """f(x) with the current slopes."""
        return tensor_apply(lookup("prelu"), _input(x), {"weight": self.weight})

    def extra_repr(self) -> str:
        """Shown in ``repr``."""
        return f"num_parameters={self.weight.data.size}"


class Swish(Module):
    """Swish with a learnable beta (Ramachandran et al. 2017): f(x) = x sigma(beta x).

    ``beta`` initial value (1.0: SiLU); ``num_parameters``: 1 or the number of channels;
    ``learnable=False`` keeps beta fixed.
    """

    def __init__(self, beta: float = 1.0, num_parameters: int = 1, learnable: bool = True,
                 dtype=np.float64):
        lookup("swish").resolve((beta,), None)
        self.beta = _per_channel("Swish", beta, num_parameters, dtype)
        self.beta.requires_grad = bool(learnable)

    def forward(self, x):
        """f(x) with the current beta."""
        return tensor_apply(lookup("swish"), _input(x), {"beta": self.beta})


class SoftExponential(Module):
    """Soft exponential (Godfrey & Gashler 2015) with learnable alpha (initially 0.0:
    the identity, as in the paper). ``num_parameters``: 1 or one per channel. For alpha
    < 0, inputs outside the domain x > 1/alpha - alpha give NaN."""

    def __init__(self, alpha: float = 0.0, num_parameters: int = 1, dtype=np.float64):
        lookup("soft_exponential").resolve((alpha,), None)
        self.alpha = _per_channel("SoftExponential", alpha, num_parameters, dtype)

    def forward(self, x):
        """f(x) with the current alpha."""
        return tensor_apply(lookup("soft_exponential"), _input(x), {"alpha": self.alpha})


class SReLU(Module):
    """S-shaped ReLU (Jin et al. 2016) with learnable t_left, a_left, t_right, a_right,
    one set per channel (``num_parameters`` = channels, x's dim 1) or shared.

    Initialisation (documented choice, see the catalog entry): a_right = 1 as in the
    paper, t_left = 0 and a_left = 0.2 (a leaky ReLU, the paper's warm-up behaviour),
    t_right = 1; each can be overridden.
    """

    def __init__(self, num_parameters: int = 1, t_left: float = 0.0, a_left: float = 0.2,
                 t_right: float = 1.0, a_right: float = 1.0, dtype=np.float64):
        e = lookup("srelu")
        e.resolve((t_left, a_left, t_right, a_right), None)
        self.t_left = _per_channel("SReLU", t_left, num_parameters, dtype)
        self.a_left = _per_channel("SReLU", a_left, num_parameters, dtype)
        self.t_right = _per_channel("SReLU", t_right, num_parameters, dtype)
        self.a_right = _per_channel("SReLU", a_right, num_parameters, dtype)

    def forward(self, x):
        """f(x) with the current parameters."""
        return tensor_apply(lookup("srelu"), _input(x), {
            "t_left": self.t_left, "a_left": self.a_left,
            "t_right": self.t_right, "a_right": self.a_right})


class APL(Module):
    """Adaptive piecewise linear unit (Agostinelli et al. 2015) with ``hinges`` = S
    learnable hinges per unit: parameters ``a`` and ``b`` of shape (S, features).

    Initialisation (documented choice; the paper does not fix one): a = 0, so the unit
    starts as a ReLU, and b ~ U(-1, 1) from ``rng`` (Generator, int seed or None for the
    package default). The paper adds an L2 penalty (0.001) on a; add it to the loss.
    """

    def __init__(self, features: int, hinges: int = 2, rng=None, dtype=np.float64):
        for nm, v in (("features", features), ("hinges", hinges)):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
                raise ValueError(f"APL: {nm} must be an int >= 1, got {v!r}")
        gen = initializers.as_rng(rng)
        self.a = Parameter(np.zeros((hinges, features)), dtype=dtype)
        self.b = Parameter(gen.uniform(-1.0, 1.0, size=(hinges, features)), dtype=dtype)

    def forward(self, x):
        """f(x) for x of shape (..., features)."""
        return special.apl(_input(x), self.a, self.b)

    def extra_repr(self) -> str:
        """Shown in ``repr``."""
        return f"features={self.a.data.shape[1]}, hinges={self.a.data.shape[0]}"


class Maxout(Module):
    """Maxout layer (Goodfellow et al. 2013): ``k`` affine pieces per output unit and the
    max over them: y_i = max_j (W_{ik+j} x + b_{ik+j}).

    ``Maxout(in_features, out_features, k)`` holds one ``Linear(in, out * k)`` — that is
    ``k * out * (in + 1)`` parameters — followed by ``F.maxout(., k)``. ``init`` and
    ``rng`` are passed to the Linear. With k = 2 one unit represents |x| exactly
    (pieces x and -x).
    """

    def __init__(self, in_features: int, out_features: int, k: int = 2, *, init="default",
                 rng=None, dtype=np.float64):
        k = lookup("maxout").resolve((k,), None)["k"]
        self.k = k
        self.linear = Linear(in_features, out_features * k, init=init, rng=rng, dtype=dtype)

    def forward(self, x):
        """max over each group of k pieces of linear(x)."""
        return special.maxout(self.linear(x), self.k)

    def extra_repr(self) -> str:
        """Shown in ``repr``."""
        return f"in_features={self.linear.in_features}, " \
               f"out_features={self.linear.out_features // self.k}, k={self.k}"


class RReLU(Module):
    """Randomized leaky ReLU (Xu et al. 2015): in training each element's negative slope
    is drawn from U(lower, upper) with this layer's generator (``rng``: Generator, int
    seed, or None for one seeded from the package default); in eval the slope is
    (lower + upper) / 2."""

    def __init__(self, lower: float = 1.0 / 8.0, upper: float = 1.0 / 3.0, rng=None):
        p = lookup("rrelu").resolve((lower, upper), None)
        self.lower, self.upper = p["lower"], p["upper"]
        self._rng = initializers.as_rng(rng) if rng is not None else np.random.default_rng(
            int(initializers.default_rng().integers(2**63)))

    def forward(self, x):
        """f(x): random slopes when training, their mean in eval mode."""
        return special.rrelu(_input(x), self.lower, self.upper, self.training, self._rng)

    def extra_repr(self) -> str:
        """Shown in ``repr``."""
        return f"lower={self.lower}, upper={self.upper}"
