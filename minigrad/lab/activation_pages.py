"""Helpers shared by the Part 3 activation pages (Leaky ReLU ... Softplus).

Each function does one check a page shows, so that the page's cells stay one or two
lines long:

* derivatives: :func:`autograd_derivative` (minigrad's reverse mode, elementwise),
  :func:`central_difference`, :func:`max_abs_diff`, :func:`one_sided_derivatives`;
* Jacobians of vector functions (softmax): :func:`autograd_jacobian`,
  :func:`numeric_jacobian`;
* :func:`newton` (Swish's minimum), :func:`normal_moments` (SELU's constants),
  :func:`selu_constants`;
* :func:`ks_distance`, :func:`normal_cdf`, :func:`uniform_cdf` (RReLU's slopes);
* :func:`train_prelu_slope` (PReLU's slope learned with momentum SGD);
* :func:`propagate_stats` (mean and variance through a deep random net);
* :func:`train_mlp_classifier` (small seeded classification runs);
* :func:`time_per_element`, :func:`speed_comparison`, :func:`speed_phrase` (speed, in CPU
  time, and a build-stable verbal summary of it).

Only numpy and minigrad are imported here; nothing draws.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np

__all__ = [
    "autograd_derivative",
    "autograd_jacobian",
    "central_difference",
    "ks_distance",
    "max_abs_diff",
    "newton",
    "normal_cdf",
    "normal_moments",
    "numeric_jacobian",
    "one_sided_derivatives",
    "propagate_stats",
    "selu_constants",
    "speed_comparison",
    "speed_phrase",
    "time_per_element",
    "train_mlp_classifier",
    "train_prelu_slope",
    "uniform_cdf",
]


# ----------------------------------------------------------------------------- derivatives
def autograd_derivative(fn, x) -> np.ndarray:
    """f'(x) at every point of ``x`` by minigrad's reverse mode.

    ``fn`` maps a :class:`~minigrad.Tensor` to a Tensor of the same shape and acts
    elementwise, so the gradient of ``fn(x).sum()`` is the derivative at each point.
    """
    from minigrad import Tensor

    t = Tensor(np.array(x, dtype=float), requires_grad=True)
    fn(t).sum().backward()
    return np.asarray(t.grad, dtype=float)


def central_difference(fn, x, h: float = 1e-6) -> np.ndarray:
    """(f(x + h) - f(x - h)) / 2h for a numpy function ``fn`` (elementwise)."""
    x = np.asarray(x, dtype=float)
    return (np.asarray(fn(x + h), dtype=float) - np.asarray(fn(x - h), dtype=float)) / (2 * h)


def max_abs_diff(a, b) -> float:
    """The largest absolute difference between two arrays (a float)."""
    return float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))


def one_sided_derivatives(fn, x0: float = 0.0, h: float = 1e-7) -> tuple[float, float]:
    """Left and right difference quotients of a numpy function at ``x0``.

    Different values mean the function has a kink (no derivative) at ``x0``.
    """
    f0 = float(fn(np.float64(x0)))
    left = (f0 - float(fn(np.float64(x0 - h)))) / h
    right = (float(fn(np.float64(x0 + h))) - f0) / h
    return left, right


# ----------------------------------------------------------------------------- Jacobians
def autograd_jacobian(fn, x) -> np.ndarray:
    """The Jacobian J[i, j] = d fn(x)_i / d x_j of a vector function, one backward per row.

    ``fn`` maps a 1-D :class:`~minigrad.Tensor` to a 1-D Tensor.
    """
    from minigrad import Tensor

    x = np.asarray(x, dtype=float)
    n_out = np.asarray(fn(Tensor(x)).data).size
    rows = []
    for i in range(n_out):
        t = Tensor(x.copy(), requires_grad=True)
        seed = np.zeros(n_out)
        seed[i] = 1.0
        fn(t).backward(seed)
        rows.append(np.asarray(t.grad, dtype=float))
    return np.stack(rows)


def numeric_jacobian(fn, x, h: float = 1e-6) -> np.ndarray:
    """The Jacobian of a numpy vector function by central differences, column by column."""
    x = np.asarray(x, dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((np.asarray(fn(x + e)) - np.asarray(fn(x - e))) / (2 * h))
    return np.stack(cols, axis=1)


# ----------------------------------------------------------------------------- numerics
def newton(g, dg, x0: float, tol: float = 1e-14, maxiter: int = 50) -> tuple[float, int]:
    """A root of ``g`` by Newton's method from ``x0``: returns ``(root, iterations)``."""
    x = float(x0)
    for it in range(1, maxiter + 1):
        slope = float(dg(x))
        if slope == 0.0:
            raise RuntimeError(f"Newton stopped: zero derivative at x = {x}")
        step = float(g(x)) / slope
        x -= step
        if abs(step) < tol:
            return x, it
    raise RuntimeError(f"Newton did not converge in {maxiter} iterations (last x = {x})")


def normal_cdf(x) -> np.ndarray:
    """The standard normal CDF Φ(x), elementwise (via math.erf; no scipy)."""
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + np.vectorize(math.erf, otypes=[float])(x / math.sqrt(2.0)))


def uniform_cdf(x, low: float, high: float) -> np.ndarray:
    """The CDF of U(low, high), elementwise."""
    return np.clip((np.asarray(x, dtype=float) - low) / (high - low), 0.0, 1.0)


def ks_distance(samples, cdf) -> float:
    """Kolmogorov–Smirnov distance sup |F_n(x) − F(x)| between samples and a CDF."""
    s = np.sort(np.asarray(samples, dtype=float).ravel())
    n = s.size
    f = np.asarray(cdf(s), dtype=float)
    above = np.arange(1, n + 1) / n - f
    below = f - np.arange(0, n) / n
    return float(max(above.max(), below.max()))


def normal_moments(fn, bound: float = 12.0, n: int = 24_001) -> tuple[float, float]:
    """E[fn(z)] and E[fn(z)^2] for z ~ N(0, 1), by Simpson's rule on [−bound, bound].

    The grid is symmetric with an odd number of points, so 0 is a node: a kink at 0
    (ReLU, ELU, SELU) falls on a node and costs no accuracy (about 1e-12 by default).
    """
    if n % 2 == 0:
        raise ValueError("n must be odd")
    z = np.linspace(-bound, bound, n)
    h = z[1] - z[0]
    w = np.ones(n)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    w *= h / 3.0 * np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)
    y = np.asarray(fn(z), dtype=float)
    # np.sum (pairwise), not a BLAS dot: the result must not depend on the thread count
    return float(np.sum(w * y)), float(np.sum(w * y**2))


def selu_constants() -> tuple[float, float]:
    """SELU's (alpha, lambda), solved from the fixed point mean 0, variance 1.

    For z ~ N(0, 1) the conditions E[selu(z)] = 0 and E[selu(z)^2] = 1 have closed forms
    in Φ (Klambauer et al., 2017): with c = E[(e^z − 1) 1{z ≤ 0}] = e^{1/2} Φ(−1) − 1/2
    and q = E[(e^z − 1)^2 1{z ≤ 0}] = e^2 Φ(−2) − 2 e^{1/2} Φ(−1) + 1/2,
    the mean gives alpha = −φ(0)/c with φ(0) = 1/√(2π), and the second moment gives
    lambda = (1/2 + alpha^2 q)^(−1/2).
    """
    phi0 = 1.0 / math.sqrt(2.0 * math.pi)
    big_phi = lambda t: 0.5 * (1.0 + math.erf(t / math.sqrt(2.0)))
    c = math.exp(0.5) * big_phi(-1.0) - 0.5
    q = math.exp(2.0) * big_phi(-2.0) - 2.0 * math.exp(0.5) * big_phi(-1.0) + 0.5
    alpha = -phi0 / c
    lam = (0.5 + alpha**2 * q) ** -0.5
    return alpha, lam


# ----------------------------------------------------------------------------- PReLU
def train_prelu_slope(true_slope: float = 0.05, init: float = 0.25, lr: float = 0.1,
                      momentum: float = 0.9, steps: int = 60, n: int = 256,
                      noise: float = 0.01, seed: int = 0, use_optim: bool = False) -> dict:
    """Learn a PReLU slope ``a`` from data made by a PReLU with slope ``true_slope``.

    The model is y = PReLU_a(x) with x ~ N(0, 1) and the loss E = mean((y − t)^2). The
    gradient dE/da comes from minigrad's autograd through ``F.prelu``. The update is the
    momentum rule of He et al. (2015), written so that it descends:
    Δa := μ Δa − ε ∂E/∂a, then a := a + Δa. With ``use_optim=True`` the same run uses
    ``optim.SGD(momentum=μ)`` instead, which must give the same trajectory.

    Returns a dict with ``slopes`` (steps + 1 values, the first is ``init``), ``losses``
    (steps values) and ``grads`` (steps values of ∂E/∂a).
    """
    from minigrad import Tensor, optim
    from minigrad import functional as F

    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    target = np.where(x > 0, x, true_slope * x) + noise * rng.standard_normal(n)
    xt, tt = Tensor(x), Tensor(target)
    a = Tensor(np.array([init]), requires_grad=True)
    opt = optim.SGD([a], lr=lr, momentum=momentum) if use_optim else None
    delta = 0.0
    slopes, losses, grads = [init], [], []
    for _ in range(steps):
        a.grad = None
        loss = ((F.prelu(xt, a) - tt) ** 2).mean()
        loss.backward()
        g = float(np.asarray(a.grad).ravel()[0])
        if opt is not None:
            opt.step()
        else:
            delta = momentum * delta - lr * g
            a.data = a.data + delta
        losses.append(float(loss.data))
        grads.append(g)
        slopes.append(float(np.asarray(a.data).ravel()[0]))
    return {"slopes": np.array(slopes), "losses": np.array(losses), "grads": np.array(grads)}


# ----------------------------------------------------------------------------- deep nets
def propagate_stats(activation, init: str = "lecun", depth: int = 16, width: int = 256,
                    n: int = 1000, seed: int = 0, input_mean: float = 0.0,
                    input_std: float = 1.0) -> dict:
    """Mean and variance of the activations, layer by layer, in a random deep net.

    Input x ~ N(input_mean, input_std^2) of shape (n, width); each layer is ``activation(x @ W)`` with
    W drawn from ``init``: ``"lecun"`` (std 1/√width), ``"he"`` (std √(2/width)) or
    ``"glorot_uniform"`` (U(±√(6/(2·width)))). ``activation`` maps a numpy array to one.
    Returns a dict of numpy arrays ``mean`` and ``var`` (length depth + 1, index 0 = input).
    """
    rng = np.random.default_rng(seed)
    x = input_mean + input_std * rng.standard_normal((n, width))
    means, variances = [x.mean()], [x.var()]
    for _ in range(depth):
        if init == "lecun":
            w = rng.standard_normal((width, width)) / math.sqrt(width)
        elif init == "he":
            w = rng.standard_normal((width, width)) * math.sqrt(2.0 / width)
        elif init == "glorot_uniform":
            lim = math.sqrt(6.0 / (2 * width))
            w = rng.uniform(-lim, lim, (width, width))
        else:
            raise ValueError(f"unknown init {init!r}")
        x = np.asarray(activation(x @ w), dtype=float)
        means.append(x.mean())
        variances.append(x.var())
    return {"mean": np.array(means), "var": np.array(variances)}


def train_mlp_classifier(activation, X, y, hidden: int = 16, layers: int = 2,
                         steps: int = 300, lr: float = 0.05, seed: int = 0,
                         X_test=None, y_test=None) -> dict:
    """Train a small MLP (``layers`` hidden layers of ``hidden`` units) for binary labels.

    ``activation`` maps a Tensor to a Tensor. Full-batch Adam on the logistic loss,
    seeded He-style init. Returns ``{"train_acc", "test_acc", "loss"}`` (test_acc is None
    without test data).
    """
    from minigrad import Tensor, optim

    rng = np.random.default_rng(seed)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    sizes = [X.shape[1]] + [hidden] * layers + [1]
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        w = Tensor(rng.standard_normal((fan_in, fan_out)) * math.sqrt(2.0 / fan_in),
                   requires_grad=True)
        b = Tensor(np.zeros(fan_out), requires_grad=True)
        params += [w, b]
    opt = optim.Adam(params, lr=lr)

    def logits(inputs):
        h = Tensor(inputs)
        for i in range(0, len(params) - 2, 2):
            h = activation(h @ params[i] + params[i + 1])
        return h @ params[-2] + params[-1]

    yt = Tensor(y)
    loss_value = math.nan
    for _ in range(steps):
        for p in params:
            p.grad = None
        z = logits(X)
        # logistic loss, stable: softplus(z) - y z = max(z, 0) - y z + log(1 + e^{-|z|})
        loss = ((z + z.abs()) * 0.5 - yt * z + ((-(z.abs())).exp() + 1.0).log()).mean()
        loss.backward()
        opt.step()
        loss_value = float(loss.data)

    def accuracy(inputs, labels):
        z = np.asarray(logits(inputs).data)
        return float(np.mean((z > 0).astype(float) == np.asarray(labels).reshape(-1, 1)))

    test_acc = None if X_test is None else accuracy(np.asarray(X_test, float), y_test)
    return {"train_acc": accuracy(X, y), "test_acc": test_acc, "loss": loss_value}


# ----------------------------------------------------------------------------- timing
def time_per_element(fn, n: int = 200_000, repeat: int = 7, seed: int = 0) -> float:
    """Best-of-``repeat`` CPU time of ``fn`` on a float64 array of ``n`` N(0, 1) numbers,
    in nanoseconds per element.

    CPU time (:func:`time.process_time`) rather than wall time, so that other processes
    on a shared machine do not count, and the minimum over repeats, the least noisy
    estimate. Still a measurement: never print it as text in a page, which must build to
    the same text every time; draw it, or state a conclusion (:func:`speed_phrase`).
    """
    x = np.random.default_rng(seed).standard_normal(n)
    fn(x)  # warm up
    best = math.inf
    for _ in range(repeat):
        t0 = time.process_time()
        fn(x)
        best = min(best, time.process_time() - t0)
    return best / n * 1e9


def speed_comparison(names, n: int = 100_000, repeat: int = 5, seed: int = 0) -> dict:
    """CPU nanoseconds per element of catalog activations, with default parameters.

    Returns ``{name: {"numpy": ..., "minigrad": ...}}``: the catalog's numpy forward, and
    a minigrad ``Tensor`` forward + backward pass (graph bookkeeping included), each the
    minimum over ``repeat`` runs of :func:`time_per_element`.
    """
    from minigrad import Tensor
    from minigrad.activations import lookup

    out = {}
    for name in names:
        entry = lookup(name)
        params = {p.name: p.default for p in getattr(entry, "params", ())}

        def fwd_bwd(x, method=entry.name, params=params):
            t = Tensor(x, requires_grad=True)
            getattr(t, method)(**params).sum().backward()

        out[name] = {
            "numpy": time_per_element(lambda x, e=entry, p=params: e.forward(x, **p),
                                      n=n, repeat=repeat, seed=seed),
            "minigrad": time_per_element(fwd_bwd, n=n, repeat=repeat, seed=seed),
        }
    return out


#: (upper bound of the ratio, phrase) for :func:`speed_phrase`, in increasing order.
SPEED_PHRASES = (
    (0.9, "faster than"),
    (1.1, "about as fast as"),
    (3.0, "slower than"),
    (10.0, "several times slower than"),
    (math.inf, "more than ten times slower than"),
)


def speed_phrase(ratio: float) -> str:
    """A coarse verbal comparison for a time ratio (this one / the reference).

    A page glues the phrase instead of the ratio, so that the text stays the same from
    build to build. The buckets are wide; check that a page's measured ratio is far from
    their edges (0.9, 1.1, 3, 10) before relying on it.
    """
    for upper, phrase in SPEED_PHRASES:
        if ratio < upper:
            return phrase
    return SPEED_PHRASES[-1][1]  # pragma: no cover - nan
