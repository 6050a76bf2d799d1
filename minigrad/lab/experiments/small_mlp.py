"""A small fully connected network for the part-4 topic experiments (sections 5.1, 5.5-5.12).

:class:`MLP` keeps its weights as plain :class:`~minigrad.tensor.Tensor` objects, takes any
activation of the catalog by name (PReLU with a learnable slope per layer, RReLU random in
training mode), and can return the pre-activations and activations of every hidden layer.
:func:`train` fits it with full-batch or mini-batch Adam/SGD on a classification or
regression task and calls back at chosen steps. :func:`cpu_time` is the timer the topic
runners share (CPU time, best of several runs).

Example
-------
>>> from minigrad.data import make_moons
>>> X, y = make_moons(64, seed=0)
>>> net = MLP((2, 8, 1), "relu", seed=0)
>>> hist = train(net, X, y, task="binary", steps=5)
>>> len(hist["loss"])
5
"""

from __future__ import annotations

import time
import timeit
from itertools import pairwise

import numpy as np

from ... import functional as F
from ... import losses, optim
from ...tensor import Tensor
from ._common import BEST_INIT, init_weights

__all__ = ["MLP", "accuracy", "cpu_time", "train"]


def cpu_time(fn, number=1, repeat=5) -> float:
    """CPU seconds of one call ``fn()``: the minimum over ``repeat`` runs of ``number``
    calls each, measured with ``time.process_time``. CPU time leaves out the time the
    process waits for a core, so on a shared machine it varies far less than wall time;
    it still varies a little, so book pages plot timings and quote only coarse
    conclusions."""
    timer = timeit.Timer(fn, timer=time.process_time)
    return min(timer.repeat(repeat=repeat, number=number)) / number


class MLP:
    """``sizes = (d_in, h_1, ..., h_k, d_out)``: k hidden layers with ``activation``, a linear top.

    ``W[k]`` has shape ``(fan_in, fan_out)``. ``init``: a name of :func:`~minigrad.lab.experiments._common.init_weights` (``"he"``,
    ``"glorot"``, ``"lecun"``, ``"normal"``, ``"uniform"``, a number g for N(0, g^2/fan_in))
    or ``"best"`` (He for the rectifier family, LeCun for SELU, Glorot for the saturating
    ones). ``bias``: the hidden biases' initial value (the top bias starts at 0).
    """

    def __init__(self, sizes, activation="relu", init="best", bias=0.0, seed=0):
        rng = np.random.default_rng(seed)
        self.activation = activation
        if init == "best":
            init = BEST_INIT.get(activation, "he")   # He for everything not listed
        self.init = init
        self.sizes = tuple(sizes)
        # stored as (fan_in, fan_out), so that a layer is h @ W without a transpose node
        self.W = [Tensor(np.ascontiguousarray(init_weights(init, (o, i), rng).T),
                         requires_grad=True) for i, o in pairwise(self.sizes)]
        self.b = [Tensor(np.full(o, float(bias) if k < len(self.sizes) - 2 else 0.0),
                         requires_grad=True) for k, o in enumerate(self.sizes[1:])]
        self.slopes = ([Tensor(np.array(0.25), requires_grad=True) for _ in self.W[:-1]]
                       if activation == "prelu" else [])
        self._rng = np.random.default_rng([seed, 7])

    def parameters(self) -> list:
        return self.W + self.b + self.slopes

    def act(self, z, layer: int, training: bool = False):
        """The activation of hidden layer ``layer`` (0-based) applied to the Tensor ``z``."""
        if self.activation == "prelu":
            return F.prelu(z, self.slopes[layer])
        if self.activation == "rrelu":
            return F.rrelu(z, training=training, generator=self._rng)
        return getattr(F, self.activation)(z)

    def __call__(self, x, keep: bool = False, training: bool = False):
        """Logits for inputs ``x`` (array or Tensor); with ``keep=True`` also the lists of
        hidden pre-activations and activations (numpy arrays), bottom layer first."""
        h = x if isinstance(x, Tensor) else Tensor(np.asarray(x, dtype=float))
        pre, post = [], []
        with np.errstate(over="ignore"):
            for k, (W, b) in enumerate(zip(self.W[:-1], self.b[:-1])):
                z = h @ W + b
                h = self.act(z, k, training)
                if keep:
                    pre.append(z.data)
                    post.append(h.data)
            out = h @ self.W[-1] + self.b[-1]
        return (out, pre, post) if keep else out


def _loss(task, out, target):
    if task == "binary":
        return losses.binary_cross_entropy_with_logits(out, target)
    if task == "multiclass":
        return losses.cross_entropy(out, target)
    if task == "regression":
        return losses.mse_loss(out, target)
    raise ValueError(f"task must be 'binary', 'multiclass' or 'regression', got {task!r}")


def _target(task, y):
    y = np.asarray(y)
    if task == "multiclass":
        return y.astype(int)
    return Tensor(y.astype(float).reshape(-1, 1))


def accuracy(net: MLP, X, y) -> float:
    """Classification accuracy (one logit: sign; several: argmax)."""
    out = net(X).data
    pred = (out[:, 0] > 0).astype(int) if out.shape[1] == 1 else np.argmax(out, axis=1)
    return float(np.mean(pred == np.asarray(y)))


def train(net: MLP, X, y, task="binary", steps=200, lr=0.01, optimizer="adam",
          batch=None, seed=0, every=None, callback=None) -> dict:
    """Fit ``net`` and return ``{"loss": (steps,) array}``.

    ``batch=None`` is full-batch; otherwise mini-batches of ``batch`` drawn without
    replacement (a new permutation per epoch, seeded). ``callback(step, net)`` is called
    before step 0, every ``every`` steps and after the last step, if given.
    """
    rng = np.random.default_rng([seed, 11])
    X = np.asarray(X, dtype=float)
    params = net.parameters()
    opt = optim.Adam(params, lr=lr) if optimizer == "adam" else optim.SGD(params, lr=lr)
    n = X.shape[0]
    order, pos = rng.permutation(n), 0
    full_x, full_t = Tensor(X), _target(task, y)         # reused by every full-batch step
    hist = np.empty(steps)
    for step in range(steps):
        if callback is not None and every and step % every == 0:
            callback(step, net)
        if batch is None:
            x, t = full_x, full_t
        else:
            if pos + batch > n:
                order, pos = rng.permutation(n), 0
            idx = order[pos:pos + batch]
            pos += batch
            x, t = Tensor(X[idx]), _target(task, np.asarray(y)[idx])
        with np.errstate(over="ignore", invalid="ignore"):
            loss = _loss(task, net(x, training=True), t)
            opt.zero_grad()
            loss.backward()
            opt.step()
        hist[step] = loss.item()
    if callback is not None and every:
        callback(steps, net)
    return {"loss": hist}
