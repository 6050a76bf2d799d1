"""Neural-network building blocks on :class:`minigrad.Tensor`, in PyTorch's shape.

``Module`` (``parameters()``, ``named_parameters()``, ``zero_grad()``, ``train()`` /
``eval()``, ``state_dict()``, forward hooks), ``Parameter``, ``Linear``, ``Sequential``,
``Dropout``, ``AlphaDropout``, ``BatchNorm1d``, ``Residual``, ``Flatten``, ``Identity``,
``Lambda``. The activation layers (``nn.ReLU()``, ``nn.Tanh()``, ...) are generated from
the activation catalog and appended at the end of this module.

A module finds its parameters by looking at its attributes: a :class:`Parameter` (or
any leaf Tensor with ``requires_grad=True``), a sub-``Module``, or a list / tuple /
dict of them. No registration calls are needed::

    class MLP(nn.Module):
        def __init__(self):
            self.hidden = nn.Linear(2, 16, init="he_normal", rng=0)
            self.out = nn.Linear(16, 1, rng=1)

        def forward(self, x):
            return self.out(self.hidden(x).relu())

Layout: ``Linear.weight`` has shape ``(out_features, in_features)`` and
``y = x @ weight.T + bias``, as in PyTorch (see :mod:`minigrad.init`).
"""

from __future__ import annotations

import numbers
from collections import OrderedDict

import numpy as np

from . import init as initializers
from .tensor import Tensor

__all__ = [
    "AlphaDropout",
    "BatchNorm1d",
    "Dropout",
    "Flatten",
    "Identity",
    "Lambda",
    "Linear",
    "Module",
    "Parameter",
    "Residual",
    "Sequential",
    "clip_grad_norm_",
    "clip_grad_value_",
]


def _errstate():
    return np.errstate(all="ignore")


def _as_input(x, like: Tensor | None = None) -> Tensor:
    """A Tensor from ``x``; numpy / list input takes ``like``'s dtype (float32 models)."""
    if isinstance(x, Tensor):
        return x
    return Tensor(x, dtype=None if like is None else like.dtype)


def _int(name: str, value, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    return int(value)


def _probability(name: str, p) -> float:
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(p).__name__}")
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {p}")
    return p


def _child_rng(rng) -> np.random.Generator:
    """A generator of a layer's own: ``rng`` itself, or (for None) one seeded from the
    package's default generator, so that each layer has a reproducible stream."""
    if rng is None:
        return np.random.default_rng(int(initializers.default_rng().integers(2**63)))
    return initializers.as_rng(rng)


class Parameter(Tensor):
    """A Tensor that is a module's parameter: ``requires_grad=True`` by default.

    ``Module.parameters()`` lists every Parameter, also one frozen with
    ``requires_grad=False`` (as in PyTorch), and every leaf Tensor that requires grad.
    """

    def __init__(self, data, requires_grad: bool = True, dtype=None):
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


def _is_param(v) -> bool:
    return isinstance(v, Parameter) or (isinstance(v, Tensor) and v.requires_grad and v.is_leaf)


class _HookHandle:
    """Returned by ``register_forward_hook``; ``remove()`` detaches the hook."""

    def __init__(self, hooks: dict, key: int):
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        """Detach the hook (a second call does nothing)."""
        self._hooks.pop(self._key, None)


class Module:
    """Base class of every layer and model.

    Subclasses define ``forward``; calling the module calls ``forward`` (and then any
    forward hooks). ``training`` is True until ``eval()`` is called; ``Dropout`` and
    ``BatchNorm1d`` behave differently in the two modes.
    """

    training = True
    _buffer_names: tuple[str, ...] = ()

    def forward(self, *args, **kwargs):
        """The computation of the module; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args, **kwargs):
        """Run ``forward(*args, **kwargs)``, then the forward hooks; return the output."""
        out = self.forward(*args, **kwargs)
        hooks = self.__dict__.get("_forward_hooks")
        if hooks:
            for hook in list(hooks.values()):
                result = hook(self, args, out)
                if result is not None:
                    out = result
        return out

    def register_forward_hook(self, hook) -> _HookHandle:
        """Call ``hook(module, inputs, output)`` after every forward pass.

        If the hook returns something other than None, it replaces the output. Used by
        the book to record activations layer by layer (and, with ``retain_grad()``,
        their gradients). Returns a handle whose ``remove()`` detaches the hook.
        """
        if not callable(hook):
            raise TypeError(f"hook must be callable, got {type(hook).__name__}")
        hooks = self.__dict__.setdefault("_forward_hooks", {})
        key = max(hooks, default=-1) + 1
        hooks[key] = hook
        return _HookHandle(hooks, key)

    # ------------------------------------------------------------------ traversal
    def _members(self):
        """(name, value) of the attributes that hold parameters or submodules."""
        for name, value in vars(self).items():
            if name.startswith("_"):
                continue
            if isinstance(value, (Module, Tensor)):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, v in enumerate(value):
                    if isinstance(v, (Module, Tensor)):
                        yield f"{name}.{i}", v
            elif isinstance(value, dict):
                for k, v in value.items():
                    if isinstance(v, (Module, Tensor)):
                        yield f"{name}.{k}", v

    def named_children(self):
        """Yield ``(name, module)`` for the direct submodules."""
        for name, v in self._members():
            if isinstance(v, Module):
                yield name, v

    def children(self):
        """Yield the direct submodules."""
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix: str = ""):
        """Yield ``(name, module)`` for this module and every submodule (each once)."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, m = stack.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            yield name, m
            kids = [(f"{name}.{n}" if name else n, c) for n, c in m.named_children()]
            stack.extend(reversed(kids))

    def modules(self):
        """Yield this module and every submodule."""
        for _, m in self.named_modules():
            yield m

    def named_parameters(self, prefix: str = ""):
        """Yield ``(dotted_name, parameter)`` pairs, each parameter once (shared
        parameters keep their first name). Order as in PyTorch: this module's own
        parameters, then each submodule's, depth first, in the order they were set."""
        seen = set()
        for mname, m in self.named_modules(prefix):
            for name, v in m._members():
                if isinstance(v, Tensor) and _is_param(v) and id(v) not in seen:
                    seen.add(id(v))
                    yield (f"{mname}.{name}" if mname else name), v

    def parameters(self) -> list[Tensor]:
        """All parameters (each once), the input an optimiser takes."""
        return [p for _, p in self.named_parameters()]

    def named_buffers(self, prefix: str = ""):
        """Yield ``(dotted_name, array)`` for the non-learned state (BatchNorm's
        running statistics)."""
        for mname, m in self.named_modules(prefix):
            for name in m._buffer_names:
                yield (f"{mname}.{name}" if mname else name), getattr(m, name)

    def num_parameters(self) -> int:
        """The number of scalar parameters."""
        return sum(p.size for p in self.parameters())

    # ------------------------------------------------------------------ state
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``grad`` (None, or zeros with ``set_to_none=False``)."""
        for p in self.parameters():
            p.grad = None if set_to_none or p.grad is None else np.zeros_like(p.data)

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode on every submodule;
        return self."""
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode) takes a bool, got {type(mode).__name__}")
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``; return self."""
        return self.train(False)

    def apply(self, fn) -> Module:
        """Call ``fn(module)`` on every submodule and on self (children first); return self."""
        for m in reversed(list(self.modules())):
            fn(m)
        return self

    def state_dict(self) -> OrderedDict:
        """Copies of every parameter and buffer, by dotted name."""
        state = OrderedDict((n, p.data.copy()) for n, p in self.named_parameters())
        for n, b in self.named_buffers():
            state[n] = np.array(b, copy=True)
        return state

    def load_state_dict(self, state, strict: bool = True) -> None:
        """Copy values from ``state`` (as made by ``state_dict``) into this module, in place.

        With ``strict`` (the default) the names must match exactly; shapes always must.
        """
        own = dict(self.named_parameters())
        buffers = dict(self.named_buffers())
        missing = [k for k in [*own, *buffers] if k not in state]
        unexpected = [k for k in state if k not in own and k not in buffers]
        if strict and (missing or unexpected):
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for name, value in state.items():
            value = np.asarray(value)
            if name in own:
                target = own[name].data
            elif name in buffers:
                target = buffers[name]
                if not isinstance(target, np.ndarray):       # a counter
                    owner, _, attr = name.rpartition(".")
                    mod = dict(self.named_modules())[owner]
                    setattr(mod, attr, type(target)(value))
                    continue
            else:
                continue
            if target.shape != value.shape:
                raise ValueError(
                    f"load_state_dict: {name} has shape {target.shape}, the state has "
                    f"{value.shape}")
            target[...] = value

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr."""
        return ""

    def __repr__(self) -> str:
        kids = list(self.named_children())
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not kids:
            return head + ")"
        lines = [head]
        for name, m in kids:
            sub = repr(m).replace("\n", "\n  ")
            lines.append(f"  ({name}): {sub}")
        return "\n".join(lines) + "\n)"


# ====================================================================== layers

class Identity(Module):
    """``y = x``."""

    def forward(self, x):
        """Return the input unchanged."""
        return x


class Lambda(Module):
    """Wrap a function of tensors as a module (it has no parameters): ``y = fn(x)``."""

    def __init__(self, fn, name: str | None = None):
        if not callable(fn):
            raise TypeError(f"Lambda needs a callable, got {type(fn).__name__}")
        self._fn = fn
        self._name = name or getattr(fn, "__name__", "fn")

    def forward(self, *args, **kwargs):
        """Return ``fn(*args, **kwargs)``."""
        return self._fn(*args, **kwargs)

    def extra_repr(self) -> str:
        """The layer's hyper-parameters, shown by ``repr``."""
        return self._name


class Linear(Module):
    r"""Fully connected layer: :math:`y = x W^\top + b`.

    ``weight``: Parameter of shape ``(out_features, in_features)``; ``bias``: shape
    ``(out_features,)`` or None. ``x`` has shape ``(..., in_features)``.

    ``init`` chooses the weight initialisation:

    - ``"default"``: PyTorch's default, ``W, b ~ U(-1/sqrt(in), 1/sqrt(in))``
      (``kaiming_uniform(a=sqrt(5))``);
    - a name from :mod:`minigrad.init` (``"xavier_uniform"``, ``"he_normal"``,
      ``"lecun_normal"``, ``"uniform"`` = micrograd's ``U(-1, 1)``, ...); the bias then
      starts at zero;
    - a callable ``f(shape, rng) -> ndarray`` (e.g. ``functools.partial(init.kaiming_normal,
      nonlinearity="tanh")``); the bias starts at zero.

    ``bias_init`` overrides the bias: a number (constant), a name or a callable as above.
    ``rng``: a numpy Generator or int seed; None draws from the package's default
    generator (:func:`minigrad.init.manual_seed`). ``dtype``: float64 or float32.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 init="default", bias_init=None, rng=None, dtype=np.float64):
        self.in_features = _int("in_features", in_features)
        self.out_features = _int("out_features", out_features)
        if not isinstance(bias, bool):
            raise TypeError(f"bias must be True or False, got {bias!r}")
        gen = initializers.as_rng(rng)
        shape = (self.out_features, self.in_features)
        bound = 1.0 / np.sqrt(self.in_features)
        if isinstance(init, str) and init.lower() in ("default", "pytorch", "torch"):
            w = initializers.uniform(shape, gen, low=-bound, high=bound)
            default_bias = "torch"
        else:
            w = self._draw(init, shape, gen, "init")
            default_bias = 0.0
        self.weight = Parameter(w, dtype=dtype)
        if bias:
            spec = default_bias if bias_init is None else bias_init
            if isinstance(spec, str) and spec == "torch":
                b = initializers.uniform((self.out_features,), gen, low=-bound, high=bound)
            elif isinstance(spec, numbers.Real) and not isinstance(spec, bool):
                b = np.full(self.out_features, float(spec))
            else:
                b = self._draw(spec, (self.out_features,), gen, "bias_init")
            self.bias = Parameter(b, dtype=dtype)
        else:
            self.bias = None
        self._init_name = init if isinstance(init, str) else getattr(init, "__name__", "custom")

    @staticmethod
    def _draw(spec, shape, gen, what):
        if isinstance(spec, str):
            arr = initializers.get(spec)(shape, gen)
        elif callable(spec):
            arr = np.asarray(spec(shape, gen))
        else:
            raise TypeError(
                f"{what} must be 'default', an initialiser name or a callable "
                f"f(shape, rng), got {type(spec).__name__}")
        if arr.shape != shape:
            raise ValueError(f"{what} returned an array of shape {arr.shape}, expected {shape}")
        return arr

    def forward(self, x):
        """``x @ weight.T + bias`` as one fused op.

        Backward: ``dx = g @ W``, ``dW = g^T x``, ``db = sum(g)`` over the batch axes.
        """
        x = _as_input(x, self.weight)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear({self.in_features}, {self.out_features}) expects inputs of shape "
                f"(..., {self.in_features}), got shape {x.shape}")
        W, X = self.weight.data, x.data
        b = self.bias
        with _errstate():
            out = X @ W.T
            if b is not None:
                out += b.data
        need_x, need_w = x.requires_grad, self.weight.requires_grad
        need_b = b is not None and b.requires_grad
        n_in, n_out = self.in_features, self.out_features

        def backward(g):
            with _errstate():
                g2 = g.reshape(-1, n_out)
                gx = (g @ W) if need_x else None
                gw = (g2.T @ X.reshape(-1, n_in)) if need_w else None
                gb = g2.sum(axis=0) if need_b else None
            return (gx, gw, gb) if b is not None else (gx, gw)

        parents = (x, self.weight, b) if b is not None else (x, self.weight)
        return Tensor._make(out, parents, backward, "linear")

    def extra_repr(self) -> str:
        """The layer's hyper-parameters, shown by ``repr``."""
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Sequential(Module):
    """Apply modules in order: ``Sequential(a, b, c)(x) == c(b(a(x)))``.

    Supports ``len``, iteration, indexing (an int gives a module, a slice a Sequential)
    and ``append``.
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, m in enumerate(layers):
            if not isinstance(m, Module):
                raise TypeError(
                    f"Sequential takes Modules; argument {i} is a {type(m).__name__} "
                    "(wrap a function in nn.Lambda, or use an activation layer like nn.Tanh())")
        self.layers = list(layers)

    def named_children(self):
        """Yield ``("0", first), ("1", second), ...`` (names as in PyTorch)."""
        for i, m in enumerate(self.layers):
            yield str(i), m

    def _members(self):
        yield from self.named_children()

    def forward(self, x):
        """Feed ``x`` through every layer in turn."""
        for m in self.layers:
            x = m(x)
        return x

    def append(self, module: Module) -> Sequential:
        """Add a module at the end; return self."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.append takes a Module, got {type(module).__name__}")
        self.layers.append(module)
        return self

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Sequential(*self.layers[i])
        return self.layers[i]


class Flatten(Module):
    """Flatten dimensions ``start_dim..end_dim`` into one (default: all but the batch axis)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        """Reshape ``(N, d1, d2, ...)`` to ``(N, d1 * d2 * ...)`` (by default)."""
        x = _as_input(x)
        nd = x.ndim
        s, e = self.start_dim % max(nd, 1), self.end_dim % max(nd, 1)
        if nd == 0 or s > e:
            raise ValueError(
                f"Flatten(start_dim={self.start_dim}, end_dim={self.end_dim}) cannot flatten "
                f"a tensor of shape {x.shape}")
        shape = x.shape[:s] + (int(np.prod(x.shape[s:e + 1])),) + x.shape[e + 1:]
        return x.reshape(shape)

    def extra_repr(self) -> str:
        """The layer's hyper-parameters, shown by ``repr``."""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    r"""Inverted dropout: in training, zero each element with probability ``p`` and
    scale the survivors by :math:`1 / (1 - p)`, so the expected output equals the input;
    in evaluation mode, the identity.

    :math:`y = x \cdot m / (1 - p)`, :math:`m_i \sim \mathrm{Bernoulli}(1 - p)`.
    The masks come from the layer's own seeded generator (``rng``: a Generator or int
    seed; None seeds one from the package's default generator). ``p = 1`` zeroes
    everything.
    """

    def __init__(self, p: float = 0.5, *, rng=None):
        self.p = _probability("dropout probability p", p)
        self._rng = _child_rng(rng)

    def forward(self, x):
        """Apply a fresh random mask (training) or pass ``x`` through (evaluation)."""
        x = _as_input(x)
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            mask = np.zeros(x.shape, dtype=x.dtype)
        else:
            keep = self._rng.random(x.shape) >= self.p
            mask = keep.astype(x.dtype) / x.dtype.type(1.0 - self.p)
        X = x.data
        with _errstate():
            out = X * mask
        return Tensor._make(out, (x,), lambda g: (g * mask,), "dropout")

    def extra_repr(self) -> str:
        """The layer's hyper-parameters, shown by ``repr``."""
        return f"p={self.p}"


class AlphaDropout(Module):
    r"""Alpha dropout (Klambauer et al., 2017), the dropout that keeps SELU networks
    self-normalising: dropped units are set to SELU's negative saturation
    :math:`\alpha' = -\lambda\alpha \approx -1.7581` and an affine map restores zero mean
    and unit variance:

    .. math::

        y = a (x m + \alpha' (1 - m)) + b, \quad
        a = ((1 - p)(1 + p \alpha'^2))^{-1/2}, \quad b = -a \alpha' p

    with :math:`m_i \sim \mathrm{Bernoulli}(1 - p)`. Identity in evaluation mode.
    """

    ALPHA_PRIME = -1.7580993408473766   # -scale * alpha of SELU

    def __init__(self, p: float = 0.5, *, rng=None):
        self.p = _probability("dropout probability p", p)
        self._rng = _child_rng(rng)

    def forward(self, x):
        """Apply alpha dropout (training) or pass ``x`` through (evaluation)."""
        x = _as_input(x)
        if not self.training or self.p == 0.0:
            return x
        p, ap = self.p, self.ALPHA_PRIME
        if p == 1.0:
            return x * 0.0
        a = ((1 - p) * (1 + p * ap * ap)) ** -0.5
        b = -a * ap * p
        keep = (self._rng.random(x.shape) >= p).astype(x.dtype)
        scale = (a * keep).astype(x.dtype)
        shift = (a * ap * (1 - keep) + b).astype(x.dtype)
        with _errstate():
            out = x.data * scale + shift
        return Tensor._make(out, (x,), lambda g: (g * scale,), "alpha_dropout")

    def extra_repr(self) -> str:
        """The layer's hyper-parameters, shown by ``repr``."""
        return f"p={self.p}"


class Residual(Module):
    """Residual (skip) connection: ``y = x + fn(x)`` (He et al., 2016).

    The identity path carries the gradient past ``fn`` unchanged, which is why deep
    residual networks do not suffer from vanishing gradients the way plain deep
    networks do. With ``shortcut`` (a module, e.g. a ``Linear`` projection when ``fn``
    changes the width): ``y = shortcut(x) + fn(x)``. The two paths must give the same
    shape (no silent broadcasting).
    """

    def __init__(self, fn: Module, shortcut: Module | None = None):
        for name, m in (("fn", fn), ("shortcut", shortcut)):
            if m is not None and not isinstance(m, Module):
                raise TypeError(f"Residual: {name} must be a Module, got {type(m).__name__}")
        self.fn = fn
        self.shortcut = shortcut

    def forward(self, x):
        """``skip(x) + fn(x)``."""
        x = _as_input(x)
        fx = self.fn(x)
        skip = x if self.shortcut is None else self.shortcut(x)
        if fx.shape != skip.shape:
            raise ValueError(
                f"Residual: fn(x) has shape {fx.shape} but the skip path has shape "
                f"{skip.shape}; give Residual a shortcut module that maps one to the other")
        return skip + fx


class BatchNorm1d(Module):
    r"""Batch normalisation (Ioffe & Szegedy, 2015) over the batch of ``(N, C)`` or
    ``(N, C, L)`` inputs, per feature ``C``:

    .. math::

        y = \gamma \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta

    Training: :math:`\mu, \sigma^2` are the batch mean and (biased) variance, and the
    running estimates are updated,
    ``running = (1 - momentum) * running + momentum * batch_stat`` (with the unbiased
    variance, ``n / (n - 1)``; ``momentum=None`` gives the cumulative average).
    Evaluation: the running estimates are used. PyTorch's definition and defaults.

    ``weight`` (:math:`\gamma`, ones) and ``bias`` (:math:`\beta`, zeros) are learned
    when ``affine``. The forward and backward are one fused op; the backward is
    :math:`dx = \frac{1}{n\sigma}(n\,d\hat x - \sum d\hat x - \hat x \sum d\hat x\,\hat x)`,
    :math:`d\hat x = \gamma\,dy`.
    """

    _buffer_names = ("running_mean", "running_var", "num_batches_tracked")

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, *, dtype=np.float64):
        self.num_features = _int("num_features", num_features)
        if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not eps > 0:
            raise ValueError(f"eps must be a positive number, got {eps!r}")
        self.eps = float(eps)
        self.momentum = None if momentum is None else _probability("momentum", momentum)
        self.affine = bool(affine)
        self.track_running_stats = bool(track_running_stats)
        if self.affine:
            self.weight = Parameter(np.ones(self.num_features), dtype=dtype)
            self.bias = Parameter(np.zeros(self.num_features), dtype=dtype)
        else:
            self.weight = self.bias = None
        if self.track_running_stats:
            self.running_mean = np.zeros(self.num_features, dtype=dtype)
            self.running_var = np.ones(self.num_features, dtype=dtype)
            self.num_batches_tracked = 0
        else:
            self._buffer_names = ()
            self.running_mean = self.running_var = None

    def forward(self, x):
        """Normalise with batch statistics (training) or running statistics (evaluation)."""
        x = _as_input(x, self.weight)
        if x.ndim not in (2, 3) or x.shape[1] != self.num_features:
            raise ValueError(
                f"BatchNorm1d({self.num_features}) expects inputs of shape (N, "
                f"{self.num_features}) or (N, {self.num_features}, L), got shape {x.shape}")
        X = x.data
        axes = (0,) if X.ndim == 2 else (0, 2)
        bshape = (1, -1) if X.ndim == 2 else (1, -1, 1)
        n = X.size // self.num_features
        use_batch = self.training or not self.track_running_stats
        dt = X.dtype.type
        with _errstate():
            if use_batch:
                if n <= 1:
                    raise ValueError(
                        f"BatchNorm1d needs more than 1 value per feature in training mode, "
                        f"got input of shape {x.shape}")
                mean = X.mean(axis=axes)
                centred = X - mean.reshape(bshape)
                var = (centred * centred).mean(axis=axes)
                if self.training and self.track_running_stats:
                    self._update_running(mean, var, n)
            else:
                mean, var = self.running_mean, self.running_var
                centred = X - mean.reshape(bshape).astype(X.dtype, copy=False)
            invstd = (1.0 / np.sqrt(var + self.eps)).astype(X.dtype, copy=False).reshape(bshape)
            xhat = centred * invstd
            if self.affine:
                gamma = self.weight.data.reshape(bshape)
                out = xhat * gamma + self.bias.data.reshape(bshape)
            else:
                gamma = None
                out = xhat

        need_x = x.requires_grad
        need_p = self.affine and (self.weight.requires_grad or self.bias.requires_grad)

        def backward(g):
            with _errstate():
                dxhat = g if gamma is None else g * gamma
                gx = None
                if need_x:
                    if use_batch:
                        s1 = dxhat.sum(axis=axes, keepdims=True)
                        s2 = (dxhat * xhat).sum(axis=axes, keepdims=True)
                        gx = (invstd / dt(n)) * (dt(n) * dxhat - s1 - xhat * s2)
                    else:
                        gx = dxhat * invstd
                if gamma is None:
                    return (gx,)
                gw = (g * xhat).sum(axis=axes) if need_p else None
                gb = g.sum(axis=axes) if need_p else None
                return gx, gw, gb

        parents = (x,) if not self.affine else (x, self.weight, self.bias)
        return Tensor._make(out, parents, backward, "batch_norm")

    def _update_running(self, mean, var, n):
        self.num_batches_tracked += 1
        m = self.momentum if self.momentum is not None else 1.0 / self.num_batches_tracked
        unbiased = var * (n / (n - 1))
        self.running_mean[...] = (1 - m) * self.running_mean + m * mean
        self.running_var[...] = (1 - m) * self.running_var + m * unbiased

    def extra_repr(self) -> str:
        """The layer's hyper-parameters, shown by ``repr``."""
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


# Gradient clipping lives in optim (PyTorch: torch.nn.utils.clip_grad_norm_).
from .optim import clip_grad_norm_, clip_grad_value_

# The activation layers (nn.ReLU(), nn.Tanh(), ...) are generated from the catalog and
# appended here by minigrad/activations (see CONTRIBUTING.md).
from .activations.layers import *  # isort: skip
