"""minigrad: a tiny, readable autograd engine for learning about activation functions.

``import minigrad`` needs numpy only. The book's helpers (plots, widgets, experiment
runners) live in :mod:`minigrad.lab` and import matplotlib / ipywidgets lazily.
"""

from . import (
    activations,  # noqa: F401  (attaches the activation methods to Value and Tensor)
    data,
    functional,
    init,
    losses,
    nn,
    optim,
)
from . import functional as F
from .gradcheck import gradcheck
from .scalar import Value
from .tensor import (
    Tensor,
    cat,
    concatenate,
    is_grad_enabled,
    matmul,
    maximum,
    minimum,
    no_grad,
    stack,
    where,
)

__all__ = [
    "F",
    "Tensor",
    "Value",
    "cat",
    "concatenate",
    "data",
    "functional",
    "gradcheck",
    "init",
    "is_grad_enabled",
    "losses",
    "matmul",
    "maximum",
    "minimum",
    "nn",
    "no_grad",
    "optim",
    "stack",
    "where",
]
__version__ = "0.1.0"
