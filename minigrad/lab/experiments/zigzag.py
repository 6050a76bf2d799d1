"""Zero-centred activations and zig-zag updates (section 5.9 of the source).

- :func:`weight_gradient_signs`: for a layer fed by an all-positive layer (ReLU, sigmoid)
  or a zero-centred one (tanh), the gradient of each unit's incoming weights, from
  minigrad's autograd; how often all of a unit's weight gradients share one sign, for
  mini-batches of several sizes.
- :func:`zigzag_path`: a single linear unit with two weights trained by SGD on inputs that
  are all positive (sigmoid outputs) or zero-centred (the same, minus 1/2); the path the
  two weights take towards a target that needs one weight to go up and the other down.

Example
-------
>>> s = weight_gradient_signs("relu", batch_sizes=(1,), n_batches=20)
>>> float(s["one_sign"][0])             # one example: every unit's gradients share a sign
1.0
"""

from __future__ import annotations

import numpy as np

from ... import functional as F
from ...tensor import Tensor

__all__ = ["weight_gradient_signs", "zigzag_path"]


def _one_sign(rows) -> np.ndarray:
    """For each row: True when its non-zero entries are all > 0 or all < 0."""
    pos = np.any(rows > 0, axis=1)
    neg = np.any(rows < 0, axis=1)
    return ~(pos & neg)


def weight_gradient_signs(activation="relu", batch_sizes=(1, 2, 8, 64), n_in=8, width=16,
                          n_out=16, n_batches=50, seed=0) -> dict:
    """Layer 2 of ``x -> h = f(x W1^T) -> z = h W2^T -> loss = mean((z - t)^2)``, with x and
    targets t standard normal: the fraction of the rows of dL/dW2 (one row per unit of
    layer 2, one entry per incoming weight) whose non-zero entries all share a sign,
    averaged over ``n_batches`` random batches for each batch size.

    Also returns ``max_formula_error``: the largest difference between autograd's dL/dW2
    and the formula sum_n delta_nj h_ni (delta = dL/dz) for a batch of one."""
    rng = np.random.default_rng(seed)
    act = getattr(F, activation)
    W1 = rng.standard_normal((width, n_in)) / np.sqrt(n_in)
    W2 = Tensor(rng.standard_normal((n_out, width)) / np.sqrt(width), requires_grad=True)
    out, err = [], 0.0
    for bs in batch_sizes:
        fr = []
        for _ in range(n_batches):
            x = rng.standard_normal((bs, n_in))
            t = Tensor(rng.standard_normal((bs, n_out)))
            h = act(Tensor(x @ W1.T))
            z = h @ W2.T
            z.retain_grad()
            W2.grad = None
            ((z - t) ** 2).mean().backward()
            fr.append(np.mean(_one_sign(W2.grad)))
            if bs == 1:
                err = max(err, float(np.max(np.abs(W2.grad - z.grad.T @ h.data))))
        out.append(float(np.mean(fr)))
    return {"batch_sizes": np.asarray(batch_sizes), "one_sign": np.array(out),
            "max_formula_error": err}


def zigzag_path(centred=False, steps=200, lr=0.5, target=(1.0, -1.0), spread=2.0,
                n_samples=256, batch=1, seed=0) -> dict:
    """SGD on ``w = (w1, w2)`` for ``loss = (w . x - w_target . x)^2 / 2``, from w = 0.

    ``lr=None`` uses 1 / (largest eigenvalue of E[x x^T]), the largest safe full-batch
    step, so that the two input distributions are compared at their own best scale.
    Inputs: ``x = sigmoid(spread * g)`` with g ~ N(0, I) (all positive, mean 1/2) or, with
    ``centred=True``, ``x - 1/2`` (the same spread, mean 0). Gradients from autograd.
    Returns ``path`` (steps + 1, 2), ``same_direction`` (fraction of the steps before
    reaching the target that move both weights the same way), ``steps_to_reach`` (first step with |w - w_target| < 0.1, or
    None), ``path_ratio`` (path length / straight-line distance, over the steps until then
    or all) and ``condition`` (largest / smallest eigenvalue of E[x x^T], the curvature of
    the full-batch loss)."""
    rng = np.random.default_rng(seed)
    X = 1.0 / (1.0 + np.exp(-spread * rng.standard_normal((n_samples, 2))))
    if centred:
        X = X - 0.5
    wt = np.asarray(target, dtype=float)
    y = X @ wt
    eig = np.linalg.eigvalsh(X.T @ X / n_samples)
    if lr is None:
        lr = 1.0 / eig[-1]
    w = Tensor(np.zeros(2), requires_grad=True)
    path = [w.data.copy()]
    order = rng.integers(0, n_samples, size=(steps, batch))
    for idx in order:
        w.grad = None
        pred = Tensor(X[idx]) @ w
        (((pred - Tensor(y[idx])) ** 2).sum() * (0.5 / batch)).backward()
        w.data -= lr * w.grad
        path.append(w.data.copy())
    path = np.array(path)
    moves = np.diff(path, axis=0)
    dist = np.linalg.norm(path - wt, axis=1)
    hit = np.flatnonzero(dist < 0.1)
    reach = int(hit[0]) if hit.size else None
    end = reach if reach is not None else steps
    early = moves[:max(end, 1)]
    same = np.mean(np.sign(early[:, 0]) == np.sign(early[:, 1]))
    length = np.sum(np.linalg.norm(moves[:end], axis=1))
    straight = np.linalg.norm(path[end] - path[0])
    return {"path": path, "same_direction": float(same), "steps_to_reach": reach,
            "path_ratio": float(length / straight), "condition": float(eig[-1] / eig[0]),
            "lr": float(lr)}
