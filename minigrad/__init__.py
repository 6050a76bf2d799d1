"""minigrad: a tiny, readable autograd engine for learning about activation functions.

``import minigrad`` needs numpy only. The book's helpers (plots, widgets, experiment
runners) live in :mod:`minigrad.lab` and import matplotlib / ipywidgets lazily.
"""

from .scalar import Value
from .tensor import Tensor, is_grad_enabled, no_grad
from . import activations  # noqa: F401  (attaches the activation methods to Value and Tensor)
from . import functional
from . import functional as F
from . import data, init, losses, nn, optim
from .gradcheck import gradcheck

__all__ = [
    "Value", "Tensor", "no_grad", "is_grad_enabled", "functional", "F",
    "nn", "optim", "init", "losses", "data", "gradcheck",
]
__version__ = "0.1.0"
