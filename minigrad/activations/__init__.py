"""The activation catalog: every activation defined once (see :mod:`.catalog`).

Importing this package attaches the catalog's methods to :class:`minigrad.Value` and
:class:`minigrad.Tensor` (``x.relu()``, ``x.elu(alpha=1.0)``, ``x.softmax(dim=-1)``, ...).

    >>> from minigrad import activations
    >>> [e.name for e in activations.entries()][:4]
    ['identity', 'binary_step', 'sigmoid', 'tanh']
    >>> activations.lookup("swish").params[0].name
    'beta'
"""

from .bind import bind_all
from .catalog import Activation, Param, entries, lookup, names, register

FUNCTIONS = bind_all()

__all__ = ["FUNCTIONS", "Activation", "Param", "entries", "lookup", "names", "register"]
