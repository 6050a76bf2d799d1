"""Scalar autograd: :class:`Value`, micrograd's API without micrograd's limits.

A ``Value`` holds one float (``data``) and the derivative of some final result with
respect to it (``grad``). Every operation builds a new node that remembers its parents
and the *local* derivatives d(node)/d(parent), as two tuples of the same length::

    c = a * b          # c.data = a.data * b.data
                       # c._prev = (a, b);  c._local = (b.data, a.data)

``backward()`` sorts the graph topologically (iteratively, so a chain of a million
operations is fine) and applies the chain rule, ``parent.grad += local * node.grad``.

Differences from micrograd 0.1.0 (the API is the same; micrograd code runs unchanged):

- no ``_backward`` closure: a node never refers to itself, so a graph has no reference
  cycles and is freed by reference counting as soon as it is dropped;
- an iterative topological sort: no RecursionError (micrograd fails at about 995 ops);
- ``__slots__``, plain Python floats and :mod:`math`: 8 to 11 times faster on
  micrograd's own demo step (``bench/bench_scalar.py``);
- ``Value ** Value``, ``number ** Value``, ``exp``, ``log``, ``abs`` and true division;
  the activation methods (``relu``, ``tanh``, ``sigmoid``, ``elu``, ...) are attached by
  :mod:`minigrad.activations` from the catalog, each built with :meth:`Value._node`;
- IEEE arithmetic throughout, never an exception or a warning: ``exp`` overflow is
  ``inf``, ``log(0)`` is ``-inf``, ``log`` of a negative number is ``nan``, ``x / 0`` is
  ``±inf`` (``0 / 0`` is ``nan``), ``0 ** -1`` is ``inf``, a negative number to a
  non-integer power is ``nan``, and NaN propagates through values and gradients.
"""

import math
from numbers import Real
from operator import attrgetter

__all__ = ["Value"]

_INF = math.inf
_NAN = math.nan
_ONE = (1.0,)
_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)
_MINUS_ONE = (-1.0,)


def _as_float(x):
    """Return ``x`` as a Python float; TypeError naming the type if it is not a real number.

    Accepts int, float, bool, numpy scalars and 0-d numpy arrays of a real dtype.
    """
    if type(x) is float:
        return x
    if isinstance(x, Real):
        try:
            return float(x)
        except OverflowError:  # an int too large for a float
            return _INF if x > 0 else -_INF
    if type(x).__module__ == "numpy" and x.shape == () and x.dtype.kind in "biuf":
        return float(x)  # a 0-d numpy array
    raise TypeError(
        f"Value needs a real number (int or float), got {type(x).__name__}: {x!r}"
    )


def _is_odd_integer(p):
    return p.is_integer() and math.fmod(p, 2.0) != 0.0


def _pow(x, p):
    """``x ** p`` for floats with IEEE/C99 semantics, never raising.

    ``0 ** negative`` is ``inf`` (``-inf`` for ``-0.0`` and an odd exponent), overflow
    is ``±inf``, a negative base with a non-integer exponent is ``nan``.
    """
    try:
        return math.pow(x, p)
    except OverflowError:
        return -_INF if (x < 0.0 and _is_odd_integer(p)) else _INF
    except ValueError:
        if x == 0.0:
            return math.copysign(_INF, x) if _is_odd_integer(p) else _INF
        return _NAN


def _div(a, b):
    """``a / b`` for floats with IEEE semantics: ``x / 0`` is ``±inf``, ``0 / 0`` is ``nan``."""
    if b:
        return a / b
    if a == 0.0 or math.isnan(a):
        return _NAN
    return math.copysign(_INF, a) * math.copysign(1.0, b)


def _exp(x):
    """``e ** x``; overflow gives ``inf``."""
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


def _log(x):
    """Natural log: ``log(0) = -inf``, ``log(x < 0) = nan``, ``log(nan) = nan``."""
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -_INF
    return _NAN


def _pow_local_exponent(x, y, out):
    """d(x ** y)/dy = x ** y * log(x); 0 where x == 0 and y >= 0 (as PyTorch does)."""
    if x == 0.0 and y >= 0.0:
        return 0.0
    return out * _log(x)


class Value:
    """A scalar that records the operations applied to it, for reverse-mode autodiff.

    ``Value(data)`` makes a leaf. ``data`` must be a real number (int, float, bool or a
    numpy scalar; stored as a Python float); anything else is a TypeError.
    ``_children`` and ``_op`` exist for compatibility with micrograd: a node built by
    hand this way records its parents but passes no gradient to them (as in micrograd,
    where such a node's ``_backward`` does nothing). Operations build nodes with
    :meth:`_node`.

    Example::

        >>> a, b = Value(2.0), Value(-3.0)
        >>> c = a * b + b ** 2
        >>> c.backward()
        >>> a.grad, b.grad        # dc/da = b, dc/db = a + 2b
        (-3.0, -4.0)
    """

    __slots__ = ("data", "grad", "_prev", "_local", "_op")  # noqa: RUF023 (contract order)

    # make numpy scalars (np.float64(2) * Value(3)) defer to our reflected operators
    __array_ufunc__ = None

    def __init__(self, data, _children=(), _op=""):
        self.data = _as_float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._local = ()
        self._op = _op

    @classmethod
    def _node(cls, data, parents, local_grads, op):
        """Build a node: ``data`` (float), ``parents`` (tuple of Values), ``local_grads``
        (tuple of floats d(node)/d(parent), same order and length), ``op`` (a label).

        This is how every operation, and every activation method from the catalog, is
        made; ``backward()`` then does ``parent.grad += local * node.grad``. (The
        operators below call the same constructor as a plain function, ``_make``, which
        saves a bound-method call per node.)
        """
        out = _new(cls)
        out.data = data
        out.grad = 0.0
        out._prev = parents
        out._local = local_grads
        out._op = op
        return out

    # ----------------------------------------------------------------- arithmetic
    # The two hot operators build their node inline (the same five fields as ``_node``):
    # it saves a function call per node, a tenth of the demo's forward pass.
    def __add__(self, other):  # d(a+b)/da = 1, d(a+b)/db = 1
        out = _new(Value)
        if type(other) is Value or isinstance(other, Value):
            out.data = self.data + other.data
            out._prev = (self, other)
            out._local = _ONE_ONE
        else:  # a number: no node for it
            out.data = self.data + (other if type(other) is float else _as_float(other))
            out._prev = (self,)
            out._local = _ONE
        out.grad = 0.0
        out._op = "+"
        return out

    __radd__ = __add__  # other + self

    def __mul__(self, other):  # d(ab)/da = b, d(ab)/db = a
        out = _new(Value)
        if type(other) is Value or isinstance(other, Value):
            a, b = self.data, other.data
            out.data = a * b
            out._prev = (self, other)
            out._local = (b, a)
        else:
            b = other if type(other) is float else _as_float(other)
            out.data = self.data * b
            out._prev = (self,)
            out._local = (b,)
        out.grad = 0.0
        out._op = "*"
        return out

    __rmul__ = __mul__  # other * self

    def __neg__(self):  # d(-a)/da = -1
        return _make(-self.data, (self,), _MINUS_ONE, "neg")

    def __sub__(self, other):  # d(a-b)/da = 1, d(a-b)/db = -1
        if isinstance(other, Value):
            return _make(self.data - other.data, (self, other), _ONE_MINUS_ONE, "-")
        return _make(self.data - _as_float(other), (self,), _ONE, "-")

    def __rsub__(self, other):  # other - self
        return _make(_as_float(other) - self.data, (self,), _MINUS_ONE, "-")

    def __truediv__(self, other):  # d(a/b)/da = 1/b, d(a/b)/db = -a/b**2
        if isinstance(other, Value):
            a, b = self.data, other.data
            out = _div(a, b)
            return _make(out, (self, other), (_div(1.0, b), -_div(out, b)), "/")
        b = _as_float(other)
        return _make(_div(self.data, b), (self,), (_div(1.0, b),), "/")

    def __rtruediv__(self, other):  # other / self: d(c/b)/db = -c/b**2
        c, b = _as_float(other), self.data
        out = _div(c, b)
        return _make(out, (self,), (-_div(out, b),), "/")

    def __pow__(self, other):
        """``a ** p``: d/da = p * a ** (p - 1) (0 when p == 0); for a Value exponent also
        d/dp = a ** p * log(a) (0 when a == 0; nan when a < 0)."""
        a = self.data
        if isinstance(other, Value):
            p = other.data
            out = _pow(a, p)
            da = p * _pow(a, p - 1.0) if p != 0.0 else 0.0
            return _make(out, (self, other), (da, _pow_local_exponent(a, p, out)), "**")
        p = _as_float(other)
        if p == 2.0:
            return _make(a * a, (self,), (2.0 * a,), "**2")
        da = p * _pow(a, p - 1.0) if p != 0.0 else 0.0
        return _make(_pow(a, p), (self,), (da,), f"**{other}")

    def __rpow__(self, other):  # c ** self: d/dself = c ** self * log(c)
        c, y = _as_float(other), self.data
        out = _pow(c, y)
        return _make(out, (self,), (_pow_local_exponent(c, y, out),), "**")

    def exp(self):
        """``e ** x``; d/dx = e ** x. Overflow gives ``inf``."""
        out = _exp(self.data)
        return _make(out, (self,), (out,), "exp")

    def log(self):
        """Natural log; d/dx = 1/x. ``log(0) = -inf`` (gradient ``inf``), ``log(x<0) = nan``."""
        x = self.data
        return _make(_log(x), (self,), (_div(1.0, x),), "log")

    def abs(self):
        """``|x|``; d/dx = sign(x), taken as 0 at x == 0 (as PyTorch does)."""
        x = self.data
        sign = 1.0 if x > 0.0 else (-1.0 if x < 0.0 else (0.0 if x == 0.0 else _NAN))
        return _make(abs(x), (self,), (sign,), "abs")

    __abs__ = abs

    # ------------------------------------------------------------------- backward
    def _topo(self, stale=None):
        """All nodes of the graph ending at ``self``, parents before children.

        Depth-first with an explicit stack, so the depth of the graph is not limited by
        Python's recursion limit. A node stays on the stack until all its parents are
        placed; the stack holds only nodes (no per-node tuples or iterators, which would
        wake the garbage collector on a deep graph). If a list ``stale`` is given, the
        inner nodes whose ``grad`` is non-zero are appended to it.
        """
        visited = {self}
        add = visited.add
        topo = []
        append = topo.append
        stack = [self]
        push = stack.append
        pop = stack.pop
        while stack:
            v = stack[-1]
            for p in v._prev:
                if p not in visited:
                    add(p)
                    push(p)
                    break
            else:  # every parent is placed: place v
                pop()
                append(v)
        if stale is not None and any(map(_get_grad, topo)):  # (map + any run in C)
            stale.extend(v for v in topo if v.grad and v._local)
        return topo

    def backward(self):
        """Add d(self)/d(node) to ``node.grad`` for every node of the graph behind ``self``.

        Reverse-mode chain rule in topological order: ``parent.grad += local * node.grad``.
        Gradients **accumulate**: calling ``backward()`` twice adds the derivatives twice
        to every node, ``self`` included (``self.grad`` becomes 2.0), as PyTorch does with
        ``retain_graph=True``. Set ``p.grad = 0.0`` (or ``Module.zero_grad()``) between
        steps. (micrograd 0.1.0 resets ``self.grad`` to 1 but lets inner nodes' old
        gradients flow down again, which over-counts; minigrad does not.)
        """
        stale = []
        topo = self._topo(stale)
        # an inner node's earlier gradient must not flow down again: set it aside
        old = [v.grad for v in stale]
        for v in stale:
            v.grad = 0.0
        self.grad += 1.0
        for v in reversed(topo):
            local = v._local
            if local:  # leaves (and hand-built micrograd-style nodes) pass nothing on
                g = v.grad
                prev = v._prev
                n = len(local)
                if n == 2:
                    a, b = prev
                    da, db = local
                    a.grad += da * g
                    b.grad += db * g
                elif n == 1:
                    prev[0].grad += local[0] * g
                else:
                    for p, d in zip(prev, local):
                        p.grad += d * g
        for v, g in zip(stale, old):
            v.grad += g

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"


_new = object.__new__
_get_grad = attrgetter("grad")


def _make(data, parents, local_grads, op):
    """``Value._node`` as a plain function (the operators' fast path); same result."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._prev = parents
    out._local = local_grads
    out._op = op
    return out
