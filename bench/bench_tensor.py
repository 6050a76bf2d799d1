"""Tensor engine benchmark: minigrad.Tensor against PyTorch CPU and hand-written numpy.

1. micrograd's demo step, vectorised: MLP 2-16-16-1 with ReLU on 100 moons points,
   SVM max-margin loss ``mean(relu(1 - y * score)) + 1e-4 * sum(p * p)``, SGD with
   learning rate ``1 - 0.9 * k / 100``, float64. minigrad.Tensor vs PyTorch (same initial
   weights; the losses must agree at every step).
2. MLP 784-512-512-10 with ReLU, batch 256, float32, one SGD step (forward,
   cross-entropy from logits, backward, update): minigrad.Tensor vs the same network
   written by hand in numpy (forward and backward), PyTorch for reference. Losses and
   gradients are checked against the numpy version before timing.

PyTorch is optional (``pip install torch==2.13.0``); without it its rows say so.
Timings are medians over repeated steps, the engines interleaved step by step so that
load from other processes on the machine hits all of them alike.

Run from the repository root::

    python bench/bench_tensor.py              # 200 demo steps, 40 MLP steps per engine
    python bench/bench_tensor.py --quick      # 50 and 10
    python bench/bench_tensor.py --threads 1  # BLAS and PyTorch on one thread each

On a shared machine other processes inflate the wall-clock median; the best run and
the CPU time per step (``time.process_time``) are less affected (with ``--threads 1``
the CPU time is the work done; with several BLAS threads it includes their spinning).
"""

import argparse
import itertools
import os
import platform
import statistics
import sys
import time

if "--threads" in sys.argv[:-1]:   # must be set before numpy loads OpenBLAS
    _n = sys.argv[sys.argv.index("--threads") + 1]
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = _n

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import minigrad
from minigrad.data import make_moons
from minigrad.tensor import Tensor, maximum

try:
    import torch
except ImportError:   # optional, benchmark-only dependency
    torch = None

def relu(x: Tensor) -> Tensor:
    """The catalog's ``Tensor.relu`` when it is bound, else ``maximum(x, 0)``."""
    if hasattr(Tensor, "relu"):
        return x.relu()
    return maximum(x, 0.0)


def relu_mask(x: Tensor) -> Tensor:
    """ReLU written directly on the engine: forward x * (x > 0), backward g * (x > 0)."""
    mask = x.data > 0
    return Tensor._make(x.data * mask, (x,), lambda g: (g * mask,), "relu")


def cross_entropy(z: Tensor, y: np.ndarray) -> Tensor:
    """minigrad.losses.cross_entropy if available, else built from Tensor primitives."""
    try:
        from minigrad.losses import cross_entropy as ce
        return ce(z, y)
    except (ImportError, NotImplementedError, AttributeError):
        m = z.data.max(axis=1, keepdims=True)            # a constant shift: no gradient
        lse = (z - m).exp().sum(axis=1, keepdims=True).log() + m
        return (lse[:, 0] - z[np.arange(len(y)), y]).mean()


# ------------------------------------------------------------------ 1. the demo step
def demo_weights(seed=1337):
    """Initial weights for 2-16-16-1: uniform(-1, 1) as micrograd, biases 0, seeded."""
    rng = np.random.default_rng(seed)
    sizes = [2, 16, 16, 1]
    return [(rng.uniform(-1, 1, (a, b)), np.zeros(b)) for a, b in itertools.pairwise(sizes)]


def demo_minigrad(X, y, weights):
    params = [Tensor(a, requires_grad=True) for wb in weights for a in wb]
    Xt, yt = Tensor(X), Tensor(y[:, None])

    def step(k):
        W1, b1, W2, b2, W3, b3 = params
        h = relu(Xt @ W1 + b1)
        h = relu(h @ W2 + b2)
        scores = h @ W3 + b3
        data_loss = relu(1 - yt * scores).mean()
        reg_loss = 1e-4 * sum((p * p).sum() for p in params)
        loss = data_loss + reg_loss
        for p in params:
            p.grad = None
        loss.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        return loss.item()
    return step


def demo_torch(X, y, weights):
    params = [torch.tensor(a, requires_grad=True) for wb in weights for a in wb]
    Xt, yt = torch.tensor(X), torch.tensor(y[:, None])

    def step(k):
        W1, b1, W2, b2, W3, b3 = params
        h = torch.relu(Xt @ W1 + b1)
        h = torch.relu(h @ W2 + b2)
        scores = h @ W3 + b3
        data_loss = torch.relu(1 - yt * scores).mean()
        reg_loss = 1e-4 * sum((p * p).sum() for p in params)
        loss = data_loss + reg_loss
        for p in params:
            p.grad = None
        loss.backward()
        lr = 1.0 - 0.9 * k / 100
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        return loss.item()
    return step


# ------------------------------------------------------------------ 2. the MLP step
def mlp_data(seed=0, batch=256):
    """A float32 batch, class labels and He-initialised weights for 784-512-512-10."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, 784)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    sizes = [784, 512, 512, 10]
    weights = [((rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32),
                np.zeros(b, np.float32)) for a, b in itertools.pairwise(sizes)]
    return X, y, weights


LR = 0.01


def mlp_minigrad(X, y, weights, relu=relu):
    params = [Tensor(a, requires_grad=True) for wb in weights for a in wb]
    Xt = Tensor(X)

    def step():
        W1, b1, W2, b2, W3, b3 = params
        h1 = relu(Xt @ W1 + b1)
        h2 = relu(h1 @ W2 + b2)
        loss = cross_entropy(h2 @ W3 + b3, y)
        for p in params:
            p.grad = None
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        return loss.item()
    return step, params


def mlp_numpy(X, y, weights):
    """The same step written by hand: forward, softmax cross-entropy, backward, update."""
    params = [a.copy() for wb in weights for a in wb]
    grads = [None] * 6
    rows = np.arange(len(y))

    def step():
        W1, b1, W2, b2, W3, b3 = params
        z1 = X @ W1 + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ W2 + b2
        h2 = np.maximum(z2, 0)
        z3 = h2 @ W3 + b3
        m = z3.max(axis=1, keepdims=True)
        e = np.exp(z3 - m)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) + m[:, 0] - z3[rows, y])
        dz3 = e / s
        dz3[rows, y] -= 1
        dz3 /= len(y)
        dz2 = (dz3 @ W3.T) * (z2 > 0)
        dz1 = (dz2 @ W2.T) * (z1 > 0)
        grads[:] = [X.T @ dz1, dz1.sum(0), h1.T @ dz2, dz2.sum(0), h2.T @ dz3, dz3.sum(0)]
        for p, g in zip(params, grads):
            p -= LR * g
        return float(loss)
    return step, params, grads


def mlp_torch(X, y, weights):
    params = [torch.tensor(a, requires_grad=True) for wb in weights for a in wb]
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def step():
        W1, b1, W2, b2, W3, b3 = params
        h1 = torch.relu(Xt @ W1 + b1)
        h2 = torch.relu(h1 @ W2 + b2)
        loss = torch.nn.functional.cross_entropy(h2 @ W3 + b3, yt)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        return loss.item()
    return step


# ------------------------------------------------------------------ timing
def interleaved(steps, n, warmup=3):
    """Run every engine's step n times, interleaved.

    Returns {name: ([wall seconds...], [CPU seconds...])}.
    """
    times = {name: ([], []) for name in steps}
    for i in range(-warmup, n):
        for name, fn in steps.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn(i)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            if i >= 0:
                times[name][0].append(dt)
                times[name][1].append(dc)
    return times


def table(times, base, digits):
    """Markdown rows: median and best wall-clock ms and median CPU ms per step, each also
    relative to the engine ``base``."""
    print(f"| engine | median ms | best ms | CPU ms | median / {base} | best / {base} "
          f"| CPU / {base} |")
    print("|---|---|---|---|---|---|---|")
    ref = [statistics.median(times[base][0]), min(times[base][0]),
           statistics.median(times[base][1])]
    for name, (wall, cpu) in times.items():
        v = [statistics.median(wall), min(wall), statistics.median(cpu)]
        print(f"| {name} | " + " | ".join(f"{x * 1e3:.{digits}f}" for x in v) + " | "
              + " | ".join(f"{x / r:.2f}x" for x, r in zip(v, ref)) + " |")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo-steps", type=int, default=200)
    ap.add_argument("--mlp-steps", type=int, default=40)
    ap.add_argument("--quick", action="store_true", help="50 demo steps, 10 MLP steps")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads for OpenBLAS (numpy) and PyTorch (default: theirs)")
    args = ap.parse_args()
    if args.threads is not None and torch is not None:
        torch.set_num_threads(args.threads)
    if args.quick:
        args.demo_steps, args.mlp_steps = 50, 10
    relu_note = ("Tensor.relu from the activation catalog" if hasattr(Tensor, "relu") else
                 "NOTE: Tensor.relu not bound yet: ReLU is maximum(x, 0) in minigrad")

    # 1. demo: correctness (same losses) first, then time
    X, y01 = make_moons(n_samples=100, noise=0.1, seed=0)
    y = (y01 * 2 - 1).astype(np.float64)
    w = demo_weights()
    worst = None
    if torch is not None:
        mg, pt = demo_minigrad(X, y, w), demo_torch(X, y, w)
        pairs = [(mg(k), pt(k)) for k in range(10)]
        worst = max(abs(a - b) / abs(b) for a, b in pairs)
        assert worst < 1e-10, pairs
    steps = {"minigrad": demo_minigrad(X, y, w)}
    if torch is not None:
        steps["PyTorch"] = demo_torch(X, y, w)
    demo_times = interleaved({k: (lambda i, f=f: f(i % 100)) for k, f in steps.items()},
                             args.demo_steps)

    # 2. MLP: check minigrad against the hand-written numpy step, then time
    X2, y2, w2 = mlp_data()
    mg_step, mg_params = mlp_minigrad(X2, y2, w2)
    np_step, np_params, np_grads = mlp_numpy(X2, y2, w2)
    l_mg, l_np = mg_step(), np_step()
    assert abs(l_mg - l_np) < 1e-5 * abs(l_np), (l_mg, l_np)
    for p, q, g in zip(mg_params, np_params, np_grads):
        np.testing.assert_allclose(p.grad, g, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(p.data, q, rtol=1e-5, atol=1e-7)
        assert p.dtype == np.float32 and p.grad.dtype == np.float32
    mask_step, _ = mlp_minigrad(X2, y2, w2, relu=relu_mask)
    l_mask = mask_step()
    assert abs(l_mask - l_np) < 1e-5 * abs(l_np), (l_mask, l_np)
    mlp_steps = {"minigrad": lambda i: mg_step(),
                 "minigrad, ReLU as g * (x > 0)": lambda i: mask_step(),
                 "numpy (by hand)": lambda i: np_step()}
    if torch is not None:
        t_step = mlp_torch(X2, y2, w2)
        mlp_steps["PyTorch"] = lambda i: t_step()
    mlp_times = interleaved(mlp_steps, args.mlp_steps)

    # report
    cmd = ("python bench/bench_tensor.py" + (" --quick" if args.quick else "")
           + (f" --threads {args.threads}" if args.threads is not None else ""))
    tv = torch.__version__ if torch is not None else "not installed"
    threads = f", torch threads {torch.get_num_threads()}" if torch is not None else ""
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; {platform.platform()}; "
          f"Python {platform.python_version()}, numpy {np.__version__}, torch {tv}{threads}, "
          f"minigrad {minigrad.__version__}; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}; "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    print(f"Command: `{cmd}`  ({relu_note})\n")

    print(f"Demo step (MLP 2-16-16-1, 100 moons points, float64), median of "
          f"{args.demo_steps} steps:\n")
    table(demo_times, "minigrad", 3)
    if torch is None:
        print("| PyTorch | not installed (pip install torch==2.13.0) | |")
    else:
        print(f"\nLosses agree with PyTorch for 10 steps: worst relative difference {worst:.1e}.")

    print(f"\nMLP 784-512-512-10, batch 256, float32, one SGD step (cross-entropy), median of "
          f"{args.mlp_steps} steps:\n")
    table(mlp_times, "numpy (by hand)", 2)
    if torch is None:
        print("| PyTorch | not installed (pip install torch==2.13.0) | |")


if __name__ == "__main__":
    main()
