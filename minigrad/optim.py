"""Optimisers: SGD (momentum, Nesterov, weight decay), Adam, AdamW; gradient clipping.

The update equations are PyTorch's (``torch.optim.SGD``, ``torch.optim.Adam``,
``torch.optim.AdamW``, as documented), written with the variable names and in the order
of floating-point operations of PyTorch's single-tensor implementation. The tests check
them against steps computed by hand from the published equations.

An optimiser works on :class:`minigrad.Tensor` parameters (updated in place, so every
reference to ``p.data`` sees the new values) and also on :class:`minigrad.Value`
parameters (micrograd-style scalar networks). A parameter whose ``grad`` is ``None``
is skipped, as in PyTorch.

Typical loop::

    opt = optim.Adam(model.parameters(), lr=1e-2)
    for step in range(n):
        opt.zero_grad()
        loss = losses.cross_entropy(model(X), y)
        loss.backward()
        opt.step()
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .scalar import Value
from .tensor import Tensor

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "clip_grad_norm_", "clip_grad_value_"]


def _number(name, value, *, low=0.0, low_open=False, high=None, high_open=True):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    ok = math.isfinite(value) and (value > low if low_open else value >= low)
    if high is not None:
        ok = ok and (value < high if high_open else value <= high)
    if not ok:
        lo = f"{'(' if low_open else '['}{low:g}"
        hi = f"{high:g}{')' if high_open else ']'}" if high is not None else "inf)"
        raise ValueError(f"invalid {name}: {value!r}; it must be finite and in {lo}, {hi}")
    return value


def _is_parameter(p) -> bool:
    from .nn import Parameter  # nn imports optim: import here, not at the top

    return isinstance(p, Parameter)


def _param_list(params) -> list:
    if isinstance(params, (Tensor, Value)):
        raise TypeError(
            "params must be an iterable of Tensors (e.g. model.parameters()), "
            "got a single Tensor/Value; wrap it in a list"
        )
    try:
        params = list(params)
    except TypeError:
        raise TypeError(
            f"params must be an iterable of Tensors, got {type(params).__name__}"
        ) from None
    if not params:
        raise ValueError("optimizer got an empty parameter list")
    seen = set()
    for i, p in enumerate(params):
        if not isinstance(p, (Tensor, Value)):
            raise TypeError(
                f"params[{i}] is a {type(p).__name__}; an optimizer updates Tensors "
                "(or Values)"
            )
        if isinstance(p, Tensor) and not p.is_leaf:
            raise ValueError(
                f"params[{i}] is the result of an operation (a non-leaf tensor); an "
                "optimizer updates leaf tensors such as a module's parameters"
            )
        if isinstance(p, Tensor) and not p.requires_grad and not _is_parameter(p):
            raise ValueError(
                f"params[{i}] does not require grad; an optimizer can only update "
                "tensors created with requires_grad=True (or nn.Parameters)"
            )
        if id(p) in seen:
            raise ValueError(f"params[{i}] appears more than once in the parameter list")
        seen.add(id(p))
    return params


class Optimizer:
    """Base class: holds the parameters and per-parameter ``state``; ``zero_grad()``.

    Subclasses implement ``step()``. ``state[i]`` is the state (a dict of numpy arrays
    and counters) of ``params[i]``.
    """

    def __init__(self, params):
        self.params = _param_list(params)
        self.state: list[dict] = [{} for _ in self.params]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient before the next ``backward()``.

        Tensors: ``grad = None`` (PyTorch's default; a parameter with no gradient is
        then skipped by ``step``), or zeros with ``set_to_none=False``. Values: ``grad = 0``.
        """
        for p in self.params:
            if isinstance(p, Value):
                p.grad = 0.0
            elif set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = np.zeros_like(p.data)

    def _grads(self):
        """Yield ``(index, parameter, data as array, grad as float64-or-param-dtype array)``."""
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            if isinstance(p, Value):
                yield i, p, np.float64(p.data), np.float64(p.grad)
            else:
                grad = np.asarray(p.grad)
                if grad.shape != p.data.shape:
                    raise ValueError(
                        f"params[{i}] has shape {p.data.shape} but its grad has shape "
                        f"{grad.shape}"
                    )
                yield i, p, p.data, grad

    @staticmethod
    def _subtract(p, theta, delta) -> None:
        """``theta - delta`` written back: in place for a Tensor, assigned for a Value."""
        if isinstance(p, Value):
            p.data = float(theta - delta)
        else:
            np.subtract(theta, delta, out=theta, casting="same_kind")

    def step(self) -> None:  # pragma: no cover - abstract
        """Update every parameter once from its current gradient."""
        raise NotImplementedError

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in self._hyper().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {hyper})"

    def _hyper(self) -> dict:
        return {}


class SGD(Optimizer):
    r"""Stochastic gradient descent with momentum, Nesterov momentum and weight decay.

    PyTorch's equations, with :math:`\gamma` = ``lr``, :math:`\mu` = ``momentum``,
    :math:`\tau` = ``dampening``, :math:`\lambda` = ``weight_decay``:

    .. math::

        g_t &= \nabla_\theta f(\theta_{t-1}) + \lambda \theta_{t-1} \\
        b_t &= g_t \text{ if } t = 1 \text{ else } \mu b_{t-1} + (1 - \tau) g_t \\
        g_t &\leftarrow g_t + \mu b_t \text{ (Nesterov) or } b_t \text{ (classical)} \\
        \theta_t &= \theta_{t-1} - \gamma g_t

    With ``momentum=0`` it is plain gradient descent, ``θ ← θ - lr * g``. ``maximize``
    ascends instead (``g`` is negated first).
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False):
        self.lr = _number("lr", lr)
        self.momentum = _number("momentum", momentum)
        self.dampening = _number("dampening", dampening)
        self.weight_decay = _number("weight_decay", weight_decay)
        if not isinstance(nesterov, bool):
            raise TypeError(f"nesterov must be a bool, got {type(nesterov).__name__}")
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum > 0 and zero dampening")
        self.nesterov = nesterov
        self.maximize = bool(maximize)
        super().__init__(params)

    def _hyper(self):
        return {"lr": self.lr, "momentum": self.momentum, "dampening": self.dampening,
                "weight_decay": self.weight_decay, "nesterov": self.nesterov}

    def step(self) -> None:
        """One SGD update of every parameter that has a gradient."""
        lr, mu, tau, wd = self.lr, self.momentum, self.dampening, self.weight_decay
        with np.errstate(over="ignore", invalid="ignore"):
            for i, p, theta, g in self._grads():
                if self.maximize:
                    g = -g
                if wd != 0:
                    g = g + wd * theta
                if mu != 0:
                    state = self.state[i]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = np.array(g, dtype=np.result_type(theta, g), copy=True)
                    else:
                        buf *= mu
                        buf += (1 - tau) * g
                    state["momentum_buffer"] = buf
                    g = g + mu * buf if self.nesterov else buf
                self._subtract(p, theta, lr * g)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015) with bias correction; PyTorch's equations.

    With :math:`\gamma` = ``lr``, ``betas`` = :math:`(\beta_1, \beta_2)`, :math:`\epsilon`
    = ``eps``, :math:`\lambda` = ``weight_decay`` (L2, added to the gradient):

    .. math::

        g_t &= \nabla_\theta f(\theta_{t-1}) + \lambda \theta_{t-1} \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \quad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \gamma \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    ``m_0 = v_0 = 0``; ``t`` counts the steps of each parameter from 1. With
    ``amsgrad=True`` the running maximum of :math:`v_t` replaces :math:`v_t` in the
    denominator. Computed as PyTorch does: ``denom = sqrt(v) / sqrt(1 - β2^t) + eps``,
    ``θ -= (lr / (1 - β1^t)) * m / denom``.
    """

    decoupled = False

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *, maximize: bool = False):
        self.lr = _number("lr", lr)
        try:
            beta1, beta2 = betas
        except (TypeError, ValueError):
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
        self.betas = (_number("beta1 (betas[0])", beta1, high=1.0),
                      _number("beta2 (betas[1])", beta2, high=1.0))
        self.eps = _number("eps", eps)
        self.weight_decay = _number("weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)
        self.maximize = bool(maximize)
        super().__init__(params)

    def _hyper(self):
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps,
                "weight_decay": self.weight_decay, "amsgrad": self.amsgrad}

    def step(self) -> None:
        """One Adam update of every parameter that has a gradient."""
        lr, (beta1, beta2), eps, wd = self.lr, self.betas, self.eps, self.weight_decay
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for i, p, theta, g in self._grads():
                if self.maximize:
                    g = -g
                if wd != 0:
                    if not self.decoupled:
                        g = g + wd * theta
                    elif isinstance(p, Value):
                        theta = theta * (1 - lr * wd)
                    else:
                        np.multiply(theta, 1 - lr * wd, out=theta, casting="same_kind")
                state = self.state[i]
                if not state:
                    dtype = np.result_type(theta, g)
                    state["step"] = 0
                    state["exp_avg"] = np.zeros(np.shape(theta), dtype=dtype)
                    state["exp_avg_sq"] = np.zeros(np.shape(theta), dtype=dtype)
                    if self.amsgrad:
                        state["max_exp_avg_sq"] = np.zeros(np.shape(theta), dtype=dtype)
                state["step"] += 1
                t = state["step"]
                m, v = state["exp_avg"], state["exp_avg_sq"]
                # PyTorch's exp_avg.lerp_(grad, w), w = 1 - beta1, with lerp's two branches
                w = 1 - beta1
                if w < 0.5:
                    m += w * (g - m)
                else:
                    m[...] = g - (g - m) * (1 - w)
                v *= beta2
                v += (1 - beta2) * (g * g)
                if self.amsgrad:
                    v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
                bias_correction1 = 1 - beta1**t
                bias_correction2 = 1 - beta2**t
                step_size = lr / bias_correction1
                denom = np.sqrt(v) / math.sqrt(bias_correction2) + eps
                self._subtract(p, theta, step_size * (m / denom))


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019); PyTorch's equations.

    Before the Adam update, :math:`\theta \leftarrow \theta (1 - \gamma \lambda)`; the
    decay is not added to the gradient, so it is not rescaled by :math:`\sqrt{\hat v}`.
    PyTorch's default ``weight_decay`` is 0.01.
    """

    decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)


def _grad_list(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    r"""Rescale the gradients in place so that their joint norm is at most ``max_norm``.

    The norm is taken over all gradients together, :math:`\|g\| = (\sum_i \|g_i\|_p^p)^{1/p}`
    (``p = norm_type``, ``inf`` allowed). If it exceeds ``max_norm`` every gradient is
    multiplied by ``max_norm / (||g|| + 1e-6)`` (PyTorch's ``clip_grad_norm_``).
    Returns the norm before clipping.
    """
    max_norm = _number("max_norm", max_norm)
    norm_type = float(norm_type)
    if not norm_type > 0:
        raise ValueError(f"norm_type must be positive, got {norm_type}")
    params = _grad_list(parameters)
    if not params:
        return 0.0
    grads = [np.asarray(p.grad, dtype=np.float64) for p in params]
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isinf(norm_type):
            total = max(float(np.max(np.abs(g), initial=0.0)) for g in grads)
        else:
            # scale by the largest entry so that no square overflows or underflows
            scale = max(float(np.max(np.abs(g), initial=0.0)) for g in grads)
            if scale == 0 or not math.isfinite(scale):
                total = scale
            else:
                s = sum(float(np.sum((np.abs(g) / scale) ** norm_type)) for g in grads)
                total = scale * s ** (1.0 / norm_type)
    if not math.isfinite(total) and error_if_nonfinite:
        raise RuntimeError(f"the total norm of the gradients is {total}")
    coef = max_norm / (total + 1e-6)
    if coef < 1.0 or math.isnan(coef):
        with np.errstate(invalid="ignore"):
            for p in params:
                p.grad = p.grad * coef if isinstance(p, Value) else np.asarray(p.grad) * coef
    return total


def clip_grad_value_(parameters, clip_value: float) -> None:
    """Clip every gradient entry in place to ``[-clip_value, clip_value]``."""
    clip_value = _number("clip_value", clip_value)
    for p in _grad_list(parameters):
        if isinstance(p, Value):
            p.grad = min(max(p.grad, -clip_value), clip_value)
        else:
            p.grad = np.clip(p.grad, -clip_value, clip_value)
