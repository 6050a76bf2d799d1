"""Derive ``Value`` methods, ``Tensor`` methods and ``F.<name>`` from the catalog entries.

For an elementwise entry ``e`` the binder builds

* ``Value.<name>(*params, **params)``: one node ``Value._node(f(x), parents, locals, name)``
  whose local derivatives are ``e.derivative`` for x and ``e.param_derivatives[p]`` for each
  learnable parameter passed as a ``Value``;
* ``Tensor.<name>(*params, **params)``: one ``Tensor._make`` node whose backward multiplies
  the upstream gradient by ``e.derivative(x, y)`` (and by the parameter derivatives for
  learnable parameters passed as Tensors, summed back to the parameter's shape);
* ``F.<name>(x, *params, **params)`` in :mod:`minigrad.functional`.

No elementwise activation writes its own backward. Non-elementwise ones (softmax, maxout,
glu, ...) are written in :mod:`.special` and attached here too.
"""

from __future__ import annotations

import numpy as np

from ..scalar import Value
from ..tensor import Tensor, unbroadcast
from .catalog import Activation, entries

__all__ = ["bind_all", "functional", "tensor_apply", "tensor_method", "value_method"]


def _unwrap_value(v):
    return v.data if isinstance(v, Value) else v


def _unwrap_tensor(v):
    if isinstance(v, Tensor):
        return v.data if v.data.ndim else float(v.data)
    return v


def value_method(entry: Activation):
    """The ``Value.<name>`` method of an elementwise entry."""
    fwd, der, pders = entry.forward, entry.derivative, entry.param_derivatives
    name = entry.name
    sf, sd = entry.scalar if entry.scalar is not None else (None, None)

    if sf is not None and not entry.params:
        def method(self):
            x = self.data
            y = sf(x)
            return Value._node(y, (self,), (sd(x, y),), name)

        _document(method, entry, "Value")
        return method

    defaults = entry.resolve((), {}) if all(q.default is not None for q in entry.params) \
        else None

    def method(self, *args, **kwargs):
        if defaults is not None and not args and not kwargs:
            p = pv = defaults
        else:
            p = entry.resolve(args, kwargs, _unwrap_value)
            pv = {k: _unwrap_value(v) for k, v in p.items()}
        x = self.data
        if sf is not None:
            y = float(sf(x, **pv))
            local = [float(sd(x, y, **pv))]
        else:
            y = float(fwd(x, **pv))
            local = [float(der(x, y, **pv))]
        parents = [self]
        for k, v in p.items():
            if isinstance(v, Value):
                parents.append(v)
                local.append(float(pders[k](x, y, **pv)))
        return Value._node(y, tuple(parents), tuple(local), name)

    _document(method, entry, "Value")
    return method


def _align(param, x_ndim, axis):
    """Reshape a 1-D per-channel parameter (length > 1) to broadcast along x's ``axis``."""
    a = np.asarray(param)
    if axis is None or a.ndim != 1 or a.size == 1 or x_ndim < 2:
        return param
    shape = [1] * x_ndim
    shape[axis] = a.size
    return a.reshape(shape)


def _check_channels(entry, x, pdata):
    if entry.channel_axis is None:
        return
    for k, v in pdata.items():
        a = np.asarray(v)
        if a.ndim == 0 or a.size == 1:
            continue
        if a.ndim != 1:
            raise ValueError(f"{entry.name}(): parameter {k!r} must be a number or a 1-D array "
                             f"(one value per channel), got shape {a.shape}")
        if x.ndim < 2 or x.shape[entry.channel_axis] != a.size:
            nch = x.shape[entry.channel_axis] if x.ndim >= 2 else 1
            raise ValueError(f"{entry.name}(): parameter {k!r} has {a.size} values but the "
                             f"input {x.shape} has {nch} channel(s) (dim {entry.channel_axis})")


def tensor_apply(entry: Activation, x: Tensor, p: dict) -> Tensor:
    """Apply an elementwise entry to Tensor ``x`` with resolved parameters ``p``."""
    xd = x.data
    dtype = xd.dtype
    raw = {k: _unwrap_tensor(v) for k, v in p.items()}
    _check_channels(entry, xd, raw)
    pv = {k: _align(v, xd.ndim, entry.channel_axis) for k, v in raw.items()}
    if entry.forward_aux is not None:     # keep the forward's intermediates for backward
        y, aux = entry.forward_aux(xd, **pv)
        y = np.asarray(y)
    else:
        y, aux = np.asarray(entry.forward(xd, **pv)), None
    if y.dtype != dtype:
        with np.errstate(over="ignore"):     # float64 -> float32: overflow is inf
            y = y.astype(dtype)
    learn = [(k, v) for k, v in p.items() if isinstance(v, Tensor)]
    der, pders = entry.derivative, entry.param_derivatives

    def backward(g):
        d = np.asarray(der(xd, y, **pv) if aux is None
                       else entry.derivative_aux(xd, y, aux, **pv))
        if d.shape == g.shape and d.flags.owndata and d.flags.writeable and d.dtype == g.dtype:
            d *= g
        else:
            with np.errstate(over="ignore"):
                d = (g * d).astype(dtype, copy=False)
        grads = [d]
        for k, v in learn:
            gp = g * np.asarray(pders[k](xd, y, **pv))
            gp = unbroadcast(gp, np.shape(pv[k]) if np.ndim(pv[k]) else ())
            with np.errstate(over="ignore"):
                grads.append(gp.reshape(v.data.shape).astype(v.data.dtype, copy=False))
        return tuple(grads)

    return Tensor._make(y, (x, *(v for _, v in learn)), backward, entry.name)


def tensor_method(entry: Activation):
    """The ``Tensor.<name>`` method of an elementwise entry."""

    def method(self, *args, **kwargs):
        p = entry.resolve(args, kwargs, _unwrap_tensor)
        return tensor_apply(entry, self, p)

    _document(method, entry, "Tensor")
    return method


def functional(entry: Activation, tensor_fn=None, value_fn=None):
    """``F.<name>(x, ...)``: dispatch on Value / Tensor; other array-likes become a Tensor."""
    name = entry.name

    def fn(x, *args, **kwargs):
        if isinstance(x, Value):
            return getattr(x, name)(*args, **kwargs)
        if not isinstance(x, Tensor):
            x = Tensor(x)
        return getattr(x, name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    _document(fn, entry, "F")
    return fn


def _document(fn, entry: Activation, where: str):
    fn.__name__ = entry.name
    fn.__qualname__ = f"{where}.{entry.name}" if where != "F" else entry.name
    params = "".join(f"\n    {p.name}: default {p.default!r}, valid {p.range_text()}"
                     f"{' (learnable)' if p.learnable else ''}. {p.doc}" for p in entry.params)
    fn.__doc__ = (f"{entry.title}: ${entry.latex}$.\n\n"
                  + (f"Derivative: ${entry.derivative_latex}$.\n" if entry.derivative_latex
                     else "")
                  + (f"Parameters:{params}\n" if params else "")
                  + (f"At kinks: {entry.kink_note}\n" if entry.kink_note else "")
                  + (f"{entry.notes}\n" if entry.notes else "")
                  + (f"Reference: {{cite}}`{entry.reference}`. " if entry.reference else "")
                  + (f"PyTorch: {entry.torch_name}." if entry.torch_name else ""))


_SPECIAL_NAMES: set = set()


def bind_all():
    """Attach every entry to Value and Tensor (idempotent). Returns {name: F-function}."""
    from . import special

    fns = {}
    for e in entries():
        if e.elementwise and e.name not in special.OVERRIDES:
            setattr(Value, e.name, value_method(e))
            setattr(Tensor, e.name, tensor_method(e))
            fns[e.name] = functional(e)
            for a in e.aliases:
                if a.isidentifier() and not hasattr(Tensor, a):
                    setattr(Value, a, getattr(Value, e.name))
                    setattr(Tensor, a, getattr(Tensor, e.name))
                    fns.setdefault(a, fns[e.name])
    fns.update(special.bind(Value, Tensor))
    return fns
