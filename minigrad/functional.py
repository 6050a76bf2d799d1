"""``from minigrad import functional as F``: every catalog activation as a function.

``F.relu(x)``, ``F.elu(x, alpha=1.0)``, ``F.softmax(x, dim=-1)``, ... Names, parameter
names and defaults follow ``torch.nn.functional`` where PyTorch has the function. Each
takes a ``Tensor`` (an array-like is converted to one) and returns a ``Tensor``; given a
``Value`` it returns a ``Value`` (a list of Values for softmax, log_softmax, softmin).
The functions are generated from :mod:`minigrad.activations`; see each one's docstring
for its formula, parameters, kink convention and reference.
"""

from .activations import FUNCTIONS as _FUNCTIONS

globals().update(_FUNCTIONS)

__all__ = sorted(_FUNCTIONS)  # noqa: PLE0605  (generated from the catalog)


def __dir__():
    return __all__
