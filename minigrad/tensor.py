"""Tensor: numpy-backed reverse-mode autograd.

A :class:`Tensor` wraps a numpy array (``.data``) and, when it is part of a graph,
remembers its parents and a ``backward`` closure that maps the gradient of the output
to one gradient per parent. Each op below reads like micrograd's: the forward line,
then the backward rule.

Contracts (see CONTRIBUTING.md):

* ``Tensor(data, requires_grad=False, dtype=None)``: float64 unless ``dtype=np.float32``
  is requested or the data is already float32; ints and bools become float64;
  non-numeric data is a ``TypeError``. Python numbers never upcast a float32 tensor.
* ``Tensor._make(data, parents, backward, op)`` builds every op's result. ``backward``
  returns one gradient (or ``None``) per parent; the engine sums each gradient back to
  its parent's shape (:func:`unbroadcast`), so an op may return the broadcast shape.
* Backward closures capture their inputs, never the output: no reference cycles.
* ``backward()`` uses an iterative topological sort; gradients accumulate in the
  ``.grad`` of leaf tensors (tensors created by the user with ``requires_grad=True``),
  as in PyTorch. Intermediate tensors keep ``.grad = None`` unless
  :meth:`Tensor.retain_grad` was called. The graph is kept, so ``backward`` may be
  called again: the gradients add up.

Conventions where the derivative is not unique (each matches PyTorch):

* ``maximum``/``minimum``: on ties (``a == b``) each input gets half the gradient.
* ``max``/``min`` reductions: the gradient is split evenly among all tied extremes,
  as PyTorch's ``x.max()`` and ``torch.amax(x, dim)`` do (``torch.max(x, dim)`` instead
  sends it all to the one index it returns). Where the extreme is NaN, the gradient
  goes to the NaN entries.
* ``clip``/``clamp``: the gradient passes (is 1) at the bounds: ``min <= x <= max``.
* ``abs``: derivative ``sign(x)``, so 0 at ``x = 0``.
* ``var``/``std``: Bessel's correction by default (``correction=1``), as in PyTorch
  (numpy's default is 0).

Comparisons (``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``) are not differentiable: they
return numpy boolean arrays, usable as masks in indexing, ``where`` and arithmetic.
Extreme input is not an error: inf and NaN come out where the math says so (exp(1e4) =
inf, log(0) = -inf, 0/0 = NaN) without numpy RuntimeWarnings.
* ``x ** 0`` has gradient 0 with respect to ``x`` (even at ``x = 0``); ``a ** b`` has
  gradient 0 with respect to ``b`` where ``a == 0`` and ``b >= 0``.
"""

from __future__ import annotations

import functools
import itertools
import numbers

import numpy as np

__all__ = [
    "Tensor", "cat", "concatenate", "is_grad_enabled", "matmul", "maximum", "minimum",
    "no_grad", "stack", "unbroadcast", "where",
]

_GRAD_ENABLED = True
_CREATED = itertools.count()           # creation numbers: a topological order of any graph


def _creation_number(t) -> int:
    return t._seq



def is_grad_enabled() -> bool:
    """Return True when operations record a graph (False inside ``no_grad()``)."""
    return _GRAD_ENABLED


class no_grad:
    """Context manager and decorator that turns graph recording off.

    Inside ``with no_grad():`` results of operations have ``requires_grad=False`` and
    keep no parents, like ``torch.no_grad()``. Usable as ``@no_grad()`` or ``@no_grad``.
    """

    def __new__(cls, func=None):
        if func is None:
            return super().__new__(cls)
        if not callable(func):
            raise TypeError(f"no_grad takes a function to decorate, got {type(func).__name__}")

        @functools.wraps(func)
        def without_grad(*args, **kwargs):
            with no_grad():
                return func(*args, **kwargs)
        return without_grad           # a plain function, so it also works as a method

    def __init__(self, func=None):
        self._prev = []

    def __enter__(self):
        global _GRAD_ENABLED
        self._prev.append(_GRAD_ENABLED)
        _GRAD_ENABLED = False
        return self

    def __exit__(self, *exc):
        global _GRAD_ENABLED
        _GRAD_ENABLED = self._prev.pop()
        return False

    def __call__(self, func):
        """``@no_grad()``: decorate ``func`` so that it runs with grad mode off."""
        return no_grad(func)


try:   # numpy >= 2 keeps the error state in a context variable: set it directly (fast)
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _QUIET = _make_extobj(all="ignore")

    class _errstate:
        """``np.errstate(all="ignore")`` for numpy >= 2, at a third of the cost.

        inf and NaN are the intended results of the ops below (exp(1e4) = inf,
        log(0) = -inf, 0/0 = NaN), so numpy's RuntimeWarnings are silenced.
        """

        __slots__ = ("_token",)

        def __enter__(self):
            self._token = _extobj_contextvar.set(_QUIET)

        def __exit__(self, *exc):
            _extobj_contextvar.reset(self._token)
except (ImportError, AttributeError, TypeError):   # numpy 1.x, or internals moved
    def _errstate():
        """Silence numpy's floating-point warnings: inf and NaN are the intended results."""
        return np.errstate(all="ignore")


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` back to ``shape``, undoing numpy broadcasting.

    The leading axes that broadcasting added are summed away; axes where ``shape`` has
    size 1 are summed with ``keepdims``. A gradient smaller than ``shape`` (a scalar,
    say) is broadcast up to it.
    """
    grad = np.asarray(grad)
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    if extra >= 0:
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
        if axes:
            grad = grad.sum(axis=axes, keepdims=True)
    if grad.shape != shape:
        grad = np.broadcast_to(grad, shape).copy()
    return grad


def _expand(g: np.ndarray, shape: tuple) -> np.ndarray:
    """A new array of ``shape`` filled with ``g`` broadcast (cheaper than broadcast_to)."""
    out = np.empty(shape, g.dtype)
    out[...] = g
    return out


_FLOATS = {np.dtype(np.float32), np.dtype(np.float64)}


def _as_float_array(data, dtype=None, copy=True) -> np.ndarray:
    """Convert array-like ``data`` to a float32/float64 numpy array (rules above): a fresh
    one, or with ``copy=False`` ``data`` itself when it already is one."""
    if dtype is not None:
        try:
            dtype = np.dtype(dtype)
        except TypeError as e:
            raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from e
        if dtype not in _FLOATS:
            raise ValueError(f"unsupported dtype {dtype}: a Tensor holds float32 or float64")
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, (str, bytes)) or data is None:
        raise TypeError(f"Tensor data must be numeric, got {type(data).__name__}")
    arr = np.asarray(data)
    kind = arr.dtype.kind
    if kind in "biu":
        target = dtype or np.float64
    elif kind == "f":
        target = dtype or (np.float32 if arr.dtype == np.float32 else np.float64)
    else:
        raise TypeError(
            f"Tensor data must be numeric (bool, int or float), got dtype {arr.dtype} "
            f"from {type(data).__name__}")
    return np.array(arr, dtype=target, copy=True) if copy else np.asarray(arr, dtype=target)


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, (np.ndarray, Tensor))


def _norm_axis(axis, dim, ndim):
    """Merge numpy's ``axis`` and PyTorch's ``dim``; return a tuple of axes or None."""
    if axis is not None and dim is not None:
        raise TypeError("give either axis= or dim=, not both")
    axis = dim if axis is None else axis
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"axis must be an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"axis {a} is out of range for a tensor with {ndim} dimension(s)")
        out.append(int(a) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis!r}")
    return tuple(out)


def _any_requires_grad(parents) -> bool:
    for p in parents:
        if p.requires_grad:
            return True
    return False


def _keep(keepdims, keepdim):
    return bool(keepdims or keepdim)


class Tensor:
    """An n-dimensional float array that records the operations applied to it.

    ``Tensor(data, requires_grad=False, dtype=None)``. ``data`` is anything numpy can
    turn into a numeric array (the data is copied). The result is float64 unless
    ``dtype=np.float32`` is requested or ``data`` is float32.

    Example::

        >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        array([2., 4., 6.])
    """

    __array_ufunc__ = None   # numpy defers to Tensor's operators: ndarray * Tensor -> Tensor
    __hash__ = object.__hash__

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.data = _as_float_array(data, dtype)
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._backward = None
        self._op = ""
        self._retain = False
        self._seq = next(_CREATED)

    # ------------------------------------------------------------------ graph
    @classmethod
    def _make(cls, data, parents, backward, op: str = "") -> Tensor:
        """Build the result of an op.

        ``backward(grad_out)`` returns one gradient (or None) per parent; each is
        summed back to its parent's shape by the engine, which runs the closures with
        numpy's floating-point warnings silenced. If no parent requires grad, or grad
        mode is off, the result keeps no graph.
        """
        out = cls.__new__(cls)
        data = np.asarray(data)
        if data.dtype not in _FLOATS:
            data = data.astype(np.float64)
        out.data = data
        out.grad = None
        out._op = op
        out._retain = False
        out._seq = next(_CREATED)
        if _GRAD_ENABLED and _any_requires_grad(parents):
            out.requires_grad = True
            out._parents = tuple(parents)
            out._backward = backward
        else:
            out.requires_grad = False
            out._parents = ()
            out._backward = None
        return out

    def _topo(self) -> list:
        """The nodes that require grad, outputs before inputs (reverse topological order).

        An iterative walk collects the graph; sorting by creation number orders it, since
        every tensor is created after its parents. No recursion: any depth works.
        """
        nodes, stack, seen = [self], [self], {id(self)}
        while stack:
            for p in stack.pop()._parents:
                if p.requires_grad and id(p) not in seen:
                    seen.add(id(p))
                    nodes.append(p)
                    stack.append(p)
        nodes.sort(key=_creation_number, reverse=True)
        return nodes

    def backward(self, gradient=None) -> None:
        """Back-propagate from this tensor: accumulate d(self)/d(leaf) into ``leaf.grad``.

        ``gradient`` is d(loss)/d(self) (same shape as ``self``); it may be omitted only
        when the tensor has exactly one element (it is then 1). A non-scalar without an
        explicit gradient is a RuntimeError.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a tensor that does not require grad: no leaf of its graph "
                "has requires_grad=True (or it was computed under no_grad())")
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() on a non-scalar tensor of shape {self.shape} needs an explicit "
                    f"gradient: call .backward(gradient) with an array of shape {self.shape}")
            seed = np.ones_like(self.data)
        else:
            if isinstance(gradient, Tensor):
                gradient = gradient.data
            seed = _as_float_array(gradient, self.dtype, copy=False)   # not copied:
            if seed.shape != self.shape:                                 # see `taken`
                raise ValueError(
                    f"gradient has shape {seed.shape} but the tensor has shape {self.shape}")
        grads = {id(self): seed}
        # ids of arrays a .grad must not alias: the caller's gradient, and every array
        # already stored in some .grad. Closures never modify their incoming gradient, so
        # the caller's array flows through the graph uncopied and is copied only if it
        # would become a .grad itself (e.g. x.backward(g) on a leaf, or through x + y).
        taken = {id(seed)}
        with _errstate():
            for node in self._topo():
                g = grads.pop(id(node), None)
                if g is None:
                    continue
                if not node._parents or node._retain:
                    node._accumulate(g, taken)
                if not node._parents:
                    continue
                for p, pg in zip(node._parents, node._backward(g)):
                    if pg is None or not p.requires_grad:
                        continue
                    if getattr(pg, "shape", None) != p.data.shape:
                        pg = unbroadcast(pg, p.data.shape)
                    k = id(p)
                    grads[k] = grads[k] + pg if k in grads else pg

    def _accumulate(self, g, taken) -> None:
        """Add ``g`` into ``self.grad`` without ever aliasing another array: ``g`` is
        stored as it is only if it is a fresh array that no one else holds (its id not
        in ``taken``, not a view, not a tensor's data); otherwise a copy is stored."""
        if g.dtype != self.data.dtype:
            g = g.astype(self.data.dtype)
        elif id(g) in taken or not g.flags.owndata or g is self.data:
            g = g.copy()
        taken.add(id(g))
        self.grad = g if self.grad is None else self.grad + g

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this non-leaf tensor during ``backward()`` (as in PyTorch)."""
        self._retain = True
        return self

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` on a leaf tensor in place; return self."""
        if self._parents and not requires_grad:
            raise RuntimeError("requires_grad_(False) on a non-leaf tensor: use .detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def zero_grad(self) -> None:
        """Reset ``.grad`` to None."""
        self.grad = None

    def detach(self) -> Tensor:
        """A tensor sharing this one's data, cut from the graph (``requires_grad=False``)."""
        return Tensor._make(self.data, (), None, "detach")

    # ------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple:
        """The shape of ``.data``."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.data.size

    @property
    def dtype(self):
        """The numpy dtype (float32 or float64)."""
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors not computed by a recorded op."""
        return not self._parents

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        if self.data.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element, this one has shape {self.shape}")
        return float(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        """The underlying numpy array (shared, not copied)."""
        return self.data

    def tolist(self):
        """The data as (nested) Python lists."""
        return self.data.tolist()

    def __array__(self, dtype=None, copy=None):
        """``np.asarray(tensor)``: the data (no graph)."""
        return self.data if dtype is None else self.data.astype(dtype)

    def __float__(self) -> float:
        """``float(tensor)`` for a one-element tensor."""
        return self.item()

    def __bool__(self) -> bool:
        """Truth of a one-element tensor (ambiguous for more, as in numpy)."""
        return bool(self.data)

    def __len__(self) -> int:
        """Size of the first axis."""
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        """Iterate over the first axis (each item is a differentiable ``self[i]``)."""
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    def __repr__(self) -> str:
        """``Tensor([...], requires_grad=True)``-style text."""
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = ", dtype=float32" if self.data.dtype == np.float32 else ""
        if self.requires_grad:
            extra += f", grad_fn={self._op}" if self._parents else ", requires_grad=True"
        return f"Tensor({body}{extra})"

    # -------------------------------------------------------- arithmetic
    def _binary(self, other, forward, back, op, reverse=False):
        """Shared code of the elementwise binary ops.

        ``forward(a, b)`` is the numpy ufunc; ``back(g, a, b, out, need)`` returns
        (grad_a, grad_b) as numpy arrays, None where ``need`` says the input needs none.
        ``a``/``b`` are numpy arrays or Python numbers (a number is a constant that keeps
        the tensor's dtype: ``float32 * 2.5`` stays float32). ``reverse`` is for
        ``number - tensor`` and the like.
        """
        if isinstance(other, Tensor):
            o, odata = other, other.data
        elif _is_number(other):
            o, odata = None, float(other) if not isinstance(other, (int, np.integer)) else other
        elif isinstance(other, (np.ndarray, list, tuple)):
            o = Tensor(other)
            odata = o.data
        else:
            return NotImplemented
        a, b = (odata, self.data) if reverse else (self.data, odata)
        with _errstate():
            try:
                out = forward(a, b)
            except ValueError as e:
                sa, sb = np.shape(a), np.shape(b)
                raise ValueError(
                    f"{op}: shapes {sa} and {sb} cannot be broadcast together") from e
        if o is None:
            parents = (self,)
            need = (True, False) if not reverse else (False, True)
        else:
            parents = (o, self) if reverse else (self, o)
            need = (parents[0].requires_grad, parents[1].requires_grad)

        def backward(g):
            ga, gb = back(g, a, b, out, need)
            if o is None:
                return ((gb if reverse else ga),)
            return ga, gb
        return Tensor._make(out, parents, backward, op)

    def __add__(self, other):
        """a + b (broadcasting); d/da = 1, d/db = 1."""
        return self._binary(other, np.add, lambda g, a, b, out, n: (g, g), "add")

    def __radd__(self, other):
        """number + tensor."""
        return self._binary(other, np.add, lambda g, a, b, out, n: (g, g), "add", reverse=True)

    def __sub__(self, other):
        """a - b; d/da = 1, d/db = -1."""
        return self._binary(other, np.subtract, lambda g, a, b, out, n: (g, -g if n[1] else None),
                            "sub")

    def __rsub__(self, other):
        """number - tensor."""
        return self._binary(other, np.subtract, lambda g, a, b, out, n: (g, -g if n[1] else None),
                            "sub", reverse=True)

    def __mul__(self, other):
        """a * b; d/da = b, d/db = a."""
        return self._binary(other, np.multiply, _mul_back, "mul")

    def __rmul__(self, other):
        """number * tensor."""
        return self._binary(other, np.multiply, _mul_back, "mul", reverse=True)

    def __truediv__(self, other):
        """a / b; d/da = 1/b, d/db = -a/b**2 (computed as -out/b)."""
        return self._binary(other, np.true_divide, _div_back, "div")

    def __rtruediv__(self, other):
        """number / tensor."""
        return self._binary(other, np.true_divide, _div_back, "div", reverse=True)

    def __pow__(self, other):
        """a ** b; d/da = b a**(b-1), d/db = a**b log(a) (conventions at 0: see top)."""
        return self._binary(other, np.power, _pow_back, "pow")

    def __rpow__(self, other):
        """number ** tensor."""
        return self._binary(other, np.power, _pow_back, "pow", reverse=True)

    def __neg__(self):
        """-a; d/da = -1."""
        return Tensor._make(-self.data, (self,), lambda g: (-g,), "neg")

    def __pos__(self):
        """+a is a itself."""
        return self

    def __matmul__(self, other):
        """self @ other (see :func:`matmul`)."""
        return matmul(self, other)

    def __rmatmul__(self, other):
        """array @ tensor."""
        return matmul(other, self)

    def matmul(self, other):
        """Matrix product ``self @ other`` with numpy's semantics (see :func:`matmul`)."""
        return matmul(self, other)

    # ------------------------------------------------------ comparisons
    # Comparisons are not differentiable: they return a numpy boolean mask, usable for
    # indexing (``x[x > 0]``), in ``where`` and in arithmetic (``x * (x > 0)``).
    def _compare(self, other, fn):
        o = other.data if isinstance(other, Tensor) else other
        with _errstate():
            try:
                return fn(self.data, o)
            except ValueError as e:
                raise ValueError(
                    f"comparison: shapes {self.shape} and {np.shape(o)} cannot be broadcast "
                    "together") from e

    def __lt__(self, other):
        """self < other as a numpy boolean mask (not differentiable)."""
        return self._compare(other, np.less)

    def __le__(self, other):
        """self <= other as a numpy boolean mask (not differentiable)."""
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        """self > other as a numpy boolean mask (not differentiable)."""
        return self._compare(other, np.greater)

    def __ge__(self, other):
        """self >= other as a numpy boolean mask (not differentiable)."""
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        """self == other as a numpy boolean mask (not differentiable)."""
        return self._compare(other, np.equal)

    def __ne__(self, other):
        """self != other as a numpy boolean mask (not differentiable)."""
        return self._compare(other, np.not_equal)

    # ------------------------------------------------------ unary ops
    def exp(self):
        """e**x; derivative exp(x)."""
        with _errstate():
            out = np.exp(self.data)
        return Tensor._make(out, (self,), lambda g: (g * out,), "exp")

    def log(self):
        """Natural logarithm ln(x); derivative 1/x. log(0) = -inf, log(x<0) = NaN."""
        x = self.data
        with _errstate():
            out = np.log(x)
        return Tensor._make(out, (self,), lambda g: (g / x,), "log")

    def sqrt(self):
        """sqrt(x); derivative 1 / (2 sqrt(x)) (inf at 0)."""
        with _errstate():
            out = np.sqrt(self.data)
        return Tensor._make(out, (self,), lambda g: (g / (2 * out),), "sqrt")

    def abs(self):
        """|x|; derivative sign(x), 0 at x = 0 (PyTorch's choice)."""
        x = self.data
        return Tensor._make(np.abs(x), (self,), lambda g: (g * np.sign(x),), "abs")

    __abs__ = abs

    # ------------------------------------------------------ reductions
    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=False):
        """Sum over ``axis`` (int, tuple or None for all); derivative 1 for each input."""
        axes = _norm_axis(axis, dim, self.ndim)
        keep = _keep(keepdims, keepdim)
        with _errstate():
            out = self.data.sum(axis=axes, keepdims=keep)
        shape = self.shape

        def backward(g):
            if not keep and axes is not None:
                g = np.expand_dims(g, axes)
            return (_expand(g, shape),)
        return Tensor._make(out, (self,), backward, "sum")

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=False):
        """Mean over ``axis``: sum(x) / n; derivative 1/n for each input (NaN if n = 0)."""
        axes = _norm_axis(axis, dim, self.ndim)
        keep = _keep(keepdims, keepdim)
        n = self.size if axes is None else int(np.prod([self.shape[a] for a in axes]))
        with _errstate():
            out = self.data.sum(axis=axes, keepdims=keep) / self.data.dtype.type(n)
        shape, dt = self.shape, self.data.dtype

        def backward(g):
            if not keep and axes is not None:
                g = np.expand_dims(g, axes)
            return (_expand(g / dt.type(n), shape),)
        return Tensor._make(out, (self,), backward, "mean")

    def _extreme(self, np_fn, op, axis, keepdims, dim, keepdim):
        axes = _norm_axis(axis, dim, self.ndim)
        keep = _keep(keepdims, keepdim)
        x = self.data
        if x.size == 0:
            raise ValueError(f"{op}() of an empty tensor (shape {self.shape}) is undefined")
        with _errstate():
            out_k = np_fn(x, axis=axes, keepdims=True)

        def backward(g):
            if not keep and axes is not None:
                g = np.expand_dims(g, axes)
            # ties share the gradient evenly; a NaN extreme sends it to the NaN entries
            mask = (x == out_k) | (np.isnan(x) & np.isnan(out_k))
            count = mask.sum(axis=axes, keepdims=True)
            return (g * mask / count.astype(x.dtype),)
        out = out_k if keep else (out_k.reshape(()) if axes is None else np.squeeze(out_k, axes))
        return Tensor._make(out, (self,), backward, op)

    def max(self, axis=None, keepdims=False, *, dim=None, keepdim=False):
        """Largest element over ``axis`` (all if None). Returns a Tensor (not PyTorch's
        (values, indices) pair). Gradient: 1 at the maximum; on ties it is split evenly
        among the tied elements (1/k each), like PyTorch's full reduction ``x.max()``.
        NaN propagates (the maximum of a slice with a NaN is NaN)."""
        return self._extreme(np.max, "max", axis, keepdims, dim, keepdim)

    def min(self, axis=None, keepdims=False, *, dim=None, keepdim=False):
        """Smallest element over ``axis``; ties split the gradient evenly (see ``max``)."""
        return self._extreme(np.min, "min", axis, keepdims, dim, keepdim)

    def argmax(self, axis=None, *, dim=None):
        """Index of the largest element (numpy array, not differentiable)."""
        axes = _norm_axis(axis, dim, self.ndim)
        return np.argmax(self.data, axis=None if axes is None else axes[0])

    def argmin(self, axis=None, *, dim=None):
        """Index of the smallest element (numpy array, not differentiable)."""
        axes = _norm_axis(axis, dim, self.ndim)
        return np.argmin(self.data, axis=None if axes is None else axes[0])

    def var(self, axis=None, keepdims=False, *, dim=None, keepdim=False, correction=None,
            unbiased=None, ddof=None):
        """Variance sum((x - mean)**2) / (n - correction) over ``axis``.

        ``correction`` defaults to 1 (Bessel's correction, PyTorch's default; numpy's
        ``np.var`` uses 0). ``unbiased=False`` or ``ddof=0`` mean ``correction=0``.
        Gradient: 2 (x - mean) / (n - correction). n - correction <= 0 gives inf/NaN, as
        in PyTorch. Use ``correction=0`` for the population variance.
        """
        given = [c for c in (correction, ddof) if c is not None]
        if unbiased is not None:
            given.append(1 if unbiased else 0)
        if len(given) > 1:
            raise TypeError("give only one of correction=, unbiased=, ddof=")
        corr = given[0] if given else 1
        axes = _norm_axis(axis, dim, self.ndim)
        keep = _keep(keepdims, keepdim)
        x = self.data
        n = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        denom = x.dtype.type(n - corr)
        with _errstate():
            centred = x - np.sum(x, axis=axes, keepdims=True) / x.dtype.type(n)
            out = np.sum(centred * centred, axis=axes, keepdims=keep) / denom

        def backward(g):
            if not keep and axes is not None:
                g = np.expand_dims(g, axes)
            return (g * (2 / denom) * centred,)
        return Tensor._make(out, (self,), backward, "var")

    def std(self, axis=None, keepdims=False, *, dim=None, keepdim=False, correction=None,
            unbiased=None, ddof=None):
        """Standard deviation sqrt(var(...)), same arguments and default as ``var``."""
        return self.var(axis, keepdims, dim=dim, keepdim=keepdim, correction=correction,
                        unbiased=unbiased, ddof=ddof).sqrt()

    # ------------------------------------------------------ elementwise choices
    def maximum(self, other):
        """Elementwise max(self, other); see :func:`maximum`."""
        return maximum(self, other)

    def minimum(self, other):
        """Elementwise min(self, other); see :func:`minimum`."""
        return minimum(self, other)

    def where(self, condition, other):
        """``where(condition, self, other)`` (PyTorch's ``Tensor.where``)."""
        return where(condition, self, other)

    def clip(self, min=None, max=None):
        """Clamp to [min, max] (numbers; None for no bound). Gradient 1 where
        min <= x <= max (bounds included, PyTorch's convention), 0 elsewhere.
        If min > max every element becomes max (as in PyTorch and numpy)."""
        if min is None and max is None:
            raise ValueError("clip() needs at least one of min and max")
        for name, v in (("min", min), ("max", max)):
            if v is not None and not _is_number(v):
                raise TypeError(f"clip(): {name} must be a number or None, got "
                                f"{type(v).__name__}")
        x = self.data
        lo = -np.inf if min is None else min
        hi = np.inf if max is None else max
        with _errstate():
            out = np.minimum(np.maximum(x, x.dtype.type(lo)), x.dtype.type(hi))
        return Tensor._make(out, (self,), lambda g: (g * ((x >= lo) & (x <= hi)),), "clip")

    clamp = clip

    # ------------------------------------------------------ shape ops
    def reshape(self, *shape):
        """Same data, new shape (``reshape(2, 3)`` or ``reshape((2, 3))``, -1 allowed)."""
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = tuple(shape[0])
        old = self.shape
        try:
            out = self.data.reshape(shape)
        except ValueError as e:
            raise ValueError(f"cannot reshape a tensor of shape {old} into shape {shape}") from e
        return Tensor._make(out, (self,), lambda g: (g.reshape(old),), "reshape")

    view = reshape

    def flatten(self):
        """A 1-D view of all elements."""
        return self.reshape(-1)

    def permute(self, *dims):
        """Reorder the axes (numpy's ``transpose(axes)``); ``permute(1, 0, 2)`` or a tuple."""
        if len(dims) == 1 and not isinstance(dims[0], (int, np.integer)):
            dims = tuple(dims[0])
        try:
            axes = _norm_axis(tuple(dims), None, self.ndim)
        except ValueError as e:
            raise ValueError(f"permute: {dims} is not a permutation of the {self.ndim} "
                             f"axes ({e})") from e
        if len(axes) != self.ndim:
            raise ValueError(f"permute: {dims} is not a permutation of the {self.ndim} axes")
        inv = np.argsort(axes)
        out = np.transpose(self.data, axes)
        return Tensor._make(out, (self,), lambda g: (np.transpose(g, inv),), "permute")

    def transpose(self, dim0=None, dim1=None):
        """Swap two axes (PyTorch: ``transpose(dim0, dim1)``); with no arguments,
        reverse all axes (numpy's ``transpose()``, same as ``.T``)."""
        if dim0 is None and dim1 is None:
            return self.permute(tuple(reversed(range(self.ndim))))
        if dim0 is None or dim1 is None:
            raise TypeError("transpose() takes two axes (dim0, dim1) or none")
        dims = list(range(self.ndim))
        _norm_axis((dim0, dim1) if dim0 != dim1 else dim0, None, self.ndim)
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
        return self.permute(dims)

    @property
    def T(self):
        """All axes reversed (the matrix transpose for 2-D tensors)."""
        return self.permute(tuple(reversed(range(self.ndim))))

    def unsqueeze(self, dim):
        """Insert an axis of size 1 at ``dim``."""
        return self.reshape(np.expand_dims(self.data, dim).shape)

    def squeeze(self, dim=None):
        """Remove axes of size 1 (all of them, or only ``dim``)."""
        return self.reshape(np.squeeze(self.data, dim).shape)

    def expand(self, *shape):
        """Broadcast to ``shape`` (a read-only view); gradient summed back."""
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = tuple(shape[0])
        try:
            out = np.broadcast_to(self.data, shape)
        except ValueError as e:
            raise ValueError(f"cannot broadcast shape {self.shape} to {shape}") from e
        return Tensor._make(out, (self,), lambda g: (g,), "expand")

    def __getitem__(self, index):
        """Numpy indexing: ints, slices, None, Ellipsis, integer arrays, boolean masks.

        Backward scatters the gradient into zeros of the input's shape with
        ``np.add.at``, so an index repeated k times receives k gradients.
        """
        index = _clean_index(index)
        x = self.data
        out = x[index]
        basic = _is_basic(index)

        def backward(g):
            gx = np.zeros_like(x)
            if basic:
                gx[index] = g          # a basic index hits each element at most once
            else:
                np.add.at(gx, index, g)
            return (gx,)
        return Tensor._make(out, (self,), backward, "getitem")


def _mul_back(g, a, b, out, need):
    return (g * b if need[0] else None), (g * a if need[1] else None)


def _div_back(g, a, b, out, need):
    ga = g / b if need[0] else None
    gb = -g * out / b if need[1] else None
    return ga, gb


def _pow_back(g, a, b, out, need):
    ga = gb = None
    if need[0]:
        # b * a**(b-1), defined as 0 where b == 0 (d(a**0)/da = 0, even at a = 0)
        ga = g * np.where(b == 0, 0.0, b * np.power(a, b - 1)).astype(out.dtype, copy=False)
    if need[1]:
        # a**b * log(a), defined as 0 where a == 0 and b >= 0 (PyTorch's convention)
        gb = g * np.where((a == 0) & (b >= 0), 0.0, out * np.log(a)).astype(out.dtype, copy=False)
    return ga, gb


def _clean_index(index):
    """Replace Tensors (and lists) in an index by numpy arrays."""
    if isinstance(index, tuple):
        return tuple(_clean_index(i) for i in index)
    if isinstance(index, Tensor):
        index = index.data
        if index.dtype.kind == "f":
            if not np.all(np.mod(index, 1) == 0):
                raise IndexError("a float Tensor used as an index must hold whole numbers")
            index = index.astype(np.intp)
        return index
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(index) -> bool:
    """True when ``index`` uses only ints, slices, None and Ellipsis (no array)."""
    items = index if isinstance(index, tuple) else (index,)
    return all(i is None or i is Ellipsis or isinstance(i, (slice, int, np.integer))
               and not isinstance(i, bool) for i in items)


def _to_tensor(x, like=None) -> Tensor:
    """Wrap a number or array-like as a constant Tensor (numbers take ``like``'s dtype)."""
    if isinstance(x, Tensor):
        return x
    if like is not None and _is_number(x):
        return Tensor(x, dtype=like.dtype)
    return Tensor(x)


def matmul(a, b) -> Tensor:
    """Matrix product with numpy's ``@`` semantics: 1-D, 2-D and batched N-D.

    Batch dimensions broadcast. Backward: dA = dC @ B^T, dB = A^T @ dC (1-D operands are
    promoted to a row / column and the extra axis removed, batch axes summed back).
    """
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise TypeError("matmul needs at least one Tensor")
    a = _to_tensor(a, like=b if isinstance(b, Tensor) else None)
    b = _to_tensor(b, like=a)
    A, B = a.data, b.data
    if A.ndim == 0 or B.ndim == 0:
        raise ValueError(f"matmul: shapes {A.shape} and {B.shape}: both operands need at "
                         "least one dimension (use * for a scalar)")
    try:
        with _errstate():
            out = A @ B
    except ValueError as e:
        raise ValueError(f"matmul: shapes {A.shape} and {B.shape} are not aligned "
                         f"(inner dimensions {A.shape[-1]} and "
                         f"{B.shape[-2] if B.ndim > 1 else B.shape[0]} differ, "
                         "or batch dimensions do not broadcast)") from e

    def backward(g):
        if A.ndim == 2 and B.ndim == 2:        # the common case, no reshaping
            return ((g @ B.T) if a.requires_grad else None,
                    (A.T @ g) if b.requires_grad else None)
        if A.ndim == 1 and B.ndim == 1:        # dot product: out = sum(A * B)
            return (g * B if a.requires_grad else None), (g * A if b.requires_grad else None)
        A2 = A[None, :] if A.ndim == 1 else A
        B2 = B[:, None] if B.ndim == 1 else B
        g2 = g
        if A.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if B.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(g2 @ np.swapaxes(B2, -1, -2), A2.shape).reshape(A.shape)
        if b.requires_grad:
            gb = unbroadcast(np.swapaxes(A2, -1, -2) @ g2, B2.shape).reshape(B.shape)
        return ga, gb
    return Tensor._make(out, (a, b), backward, "matmul")


def _pair(a, b, op):
    """Turn ``a``, ``b`` into Tensors; a Python number takes the other tensor's dtype."""
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = Tensor(a)
    a = _to_tensor(a, like=b if isinstance(b, Tensor) else None)
    b = _to_tensor(b, like=a)
    return a, b


def _broadcast_error(op, *shapes):
    return ValueError(f"{op}: shapes {' and '.join(map(str, shapes))} cannot be broadcast "
                      "together")


def maximum(a, b) -> Tensor:
    """Elementwise max(a, b) (NaN propagates).

    Gradient: to ``a`` where a > b, to ``b`` where b > a; where a == b each gets half,
    as in PyTorch's ``torch.maximum``.
    """
    a, b = _pair(a, b, "maximum")
    A, B = a.data, b.data
    try:
        out = np.maximum(A, B)
    except ValueError as e:
        raise _broadcast_error("maximum", A.shape, B.shape) from e

    def backward(g):
        half = np.where(A == B, g / 2, g)
        return half * ~(A < B), half * ~(A > B)
    return Tensor._make(out, (a, b), backward, "maximum")


def minimum(a, b) -> Tensor:
    """Elementwise min(a, b); on ties each input gets half the gradient (as ``maximum``)."""
    a, b = _pair(a, b, "minimum")
    A, B = a.data, b.data
    try:
        out = np.minimum(A, B)
    except ValueError as e:
        raise _broadcast_error("minimum", A.shape, B.shape) from e

    def backward(g):
        half = np.where(A == B, g / 2, g)
        return half * ~(A > B), half * ~(A < B)
    return Tensor._make(out, (a, b), backward, "minimum")


def where(condition, a, b) -> Tensor:
    """``a`` where ``condition`` is true, else ``b`` (broadcasting all three).

    ``condition`` is a boolean mask (numpy array, list, or the result of a comparison);
    it is not differentiated. Gradient: to ``a`` where true, to ``b`` where false.
    """
    if isinstance(condition, Tensor):
        condition = condition.data
    cond = np.asarray(condition)
    if cond.dtype.kind not in "biuf":
        raise TypeError(f"where: condition must be boolean, got dtype {cond.dtype}")
    cond = cond.astype(bool)
    a, b = _pair(a, b, "where")
    try:
        out = np.where(cond, a.data, b.data)
    except ValueError as e:
        raise _broadcast_error("where", cond.shape, a.shape, b.shape) from e

    def backward(g):
        return (np.where(cond, g, 0) if a.requires_grad else None,
                np.where(cond, 0, g) if b.requires_grad else None)
    return Tensor._make(out, (a, b), backward, "where")


def _check_seq(tensors, op):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)) or not tensors:
        raise TypeError(f"{op} takes a non-empty list or tuple of tensors")
    return [_to_tensor(t) for t in tensors]


def concatenate(tensors, axis=0, *, dim=None) -> Tensor:
    """Join tensors along an existing axis; the gradient is split back into pieces."""
    ts = _check_seq(tensors, "concatenate")
    if dim is not None:
        axis = dim
    try:
        out = np.concatenate([t.data for t in ts], axis=axis)
    except ValueError as e:
        raise ValueError(f"concatenate: shapes {[t.shape for t in ts]} do not match "
                         f"except along axis {axis}") from e
    ax = axis % out.ndim
    bounds = np.cumsum([t.shape[ax] for t in ts])[:-1]
    return Tensor._make(out, ts, lambda g: np.split(g, bounds, axis=ax), "cat")


cat = concatenate


def stack(tensors, axis=0, *, dim=None) -> Tensor:
    """Join same-shape tensors along a new axis; the gradient is sliced back out."""
    ts = _check_seq(tensors, "stack")
    if dim is not None:
        axis = dim
    try:
        out = np.stack([t.data for t in ts], axis=axis)
    except ValueError as e:
        raise ValueError(f"stack: all shapes must be equal, got {[t.shape for t in ts]}") from e
    ax = axis % out.ndim
    return Tensor._make(out, ts,
                        lambda g: [np.take(g, i, axis=ax) for i in range(len(ts))], "stack")
