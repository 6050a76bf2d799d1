"""Scalar engine benchmark: micrograd's own demo training step on micrograd and on minigrad.

The demo (micrograd's ``demo.ipynb``): an MLP 2-16-16-1 with ReLU on 100 moons points,
SVM max-margin loss ``mean(relu(1 - y * score)) + 1e-4 * sum(p * p)``, SGD with learning
rate ``1 - 0.9 * k / 100``. The network and the step are written ONCE below, against the
micrograd API, and run with both ``micrograd.engine.Value`` (micrograd 0.1.0 from PyPI,
a benchmark-only dependency) and ``minigrad.Value`` from the same initial weights. The
losses must agree at every step (to 1e-12); we report the median seconds per step.
The moons come from ``minigrad.data.make_moons(100, noise=0.1, seed=0)`` (the notebook
uses scikit-learn's, which is not a dependency here), given to both engines as Python
floats (micrograd would otherwise compute on numpy scalars, which is slower for it).
A third row swaps in a relu written in this file, to separate the engine's own cost
from that of the catalog's generic ``Value.relu``.

Also: a chain of 1,000,000 operations, forward + backward, its time and peak memory
(tracemalloc), which micrograd cannot back-propagate (RecursionError at about 1,000).

Run from the repository root::

    python bench/bench_scalar.py            # full: 10 steps each + the 1e6 chain
    python bench/bench_scalar.py --quick    # 3 steps each, 1e5 chain
"""

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import minigrad
from minigrad.data import make_moons
from minigrad.scalar import Value as MiniValue


# --------------------------------------------------------------------------------------
# The network, written once against the micrograd API (as micrograd's nn.py does).
# --------------------------------------------------------------------------------------
class Neuron:
    """act = relu(b + sum_i w_i x_i) (no relu on the output layer)."""

    def __init__(self, V, weights, nonlin=True):
        self.w = [V(w) for w in weights]
        self.b = V(0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class Layer:
    """A list of neurons sharing the same input."""

    def __init__(self, V, nin, nout, rng, nonlin):
        self.neurons = [
            Neuron(V, [rng.uniform(-1, 1) for _ in range(nin)], nonlin) for _ in range(nout)
        ]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    """micrograd's MLP: Layer(nin, nouts[0]), ..., no non-linearity on the last layer."""

    def __init__(self, V, nin, nouts, seed=1337):
        rng = random.Random(seed)  # same weights for every Value class
        sz = [nin, *nouts]
        self.layers = [
            Layer(V, sz[i], sz[i + 1], rng, nonlin=i != len(nouts) - 1) for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0


def loss(V, model, X, y):
    """The demo's loss: SVM max-margin + 1e-4 * L2, and the accuracy."""
    inputs = [list(map(V, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    return total_loss, sum(accuracy) / len(accuracy)


# --------------------------------------------------------------------------------------
def _plain_relu(self):
    """relu written directly on the engine (micrograd's rule, f'(0) = 0): no catalog."""
    x = self.data
    return MiniValue._node(max(0.0, x), (self,), (1.0 if x > 0.0 else 0.0,), "ReLU")


def run_step_benchmark(steps):
    """Train each engine ``steps`` demo steps; {name: (losses, cpu seconds, wall seconds)}."""
    X, y = make_moons(n_samples=100, noise=0.1, seed=0)
    y = [int(v) for v in (y * 2 - 1)]  # labels -1 / +1, as in the demo
    X = [[float(a) for a in row] for row in X]
    results = {}
    for name, V, relu in engines():
        saved = getattr(V, "relu", None)
        if relu is not None:
            V.relu = relu
        try:
            gc.collect()
            model = MLP(V, 2, [16, 16, 1])
            losses, cpu, wall = [], [], []
            for k in range(steps):
                w0, c0 = time.perf_counter(), time.process_time()
                total_loss, _acc = loss(V, model, X, y)
                model.zero_grad()
                total_loss.backward()
                learning_rate = 1.0 - 0.9 * k / 100
                for p in model.parameters():
                    p.data -= learning_rate * p.grad
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
                losses.append(float(total_loss.data))
                del total_loss
            results[name] = (losses, cpu, wall)
        finally:
            if relu is not None:
                if saved is None:
                    del V.relu
                else:
                    V.relu = saved
    return results


def engines():
    """(name, Value class, relu to install for the run or None)."""
    out = []
    try:
        from micrograd.engine import Value as MicroValue

        out.append(("micrograd 0.1.0", MicroValue, None))
    except ImportError:
        print("micrograd not installed (pip install micrograd==0.1.0): minigrad only\n")
    if hasattr(MiniValue, "relu"):
        out.append(("minigrad (relu from the activation catalog)", MiniValue, None))
    else:
        print("NOTE: minigrad.Value.relu is not bound (activation catalog missing)\n")
    out.append(("minigrad, relu written in this file (engine alone)", MiniValue, _plain_relu))
    return out


def _chain(n):
    x = MiniValue(0.5)
    y = x
    for _ in range(n):
        y = y * 1.000001
    y.backward()
    return x.grad


def chain(n):
    """Forward + backward through a chain of n ops: (seconds, peak MiB, dy/dx).

    Timed without tracing; the peak memory comes from a second run under tracemalloc.
    """
    gc.collect()
    t0 = time.process_time()
    grad = _chain(n)
    seconds = time.process_time() - t0
    gc.collect()
    tracemalloc.start()
    _chain(n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, grad


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def micrograd_chain_limit():
    """Shortest chain (``y = y * 1.000001``) whose backward() raises RecursionError in
    micrograd, by bisection; None if micrograd is missing."""
    try:
        from micrograd.engine import Value as MicroValue
    except ImportError:
        return None

    def fails(n):
        y = MicroValue(0.5)
        for _ in range(n):
            y = y * 1.000001
        try:
            y.backward()
        except RecursionError:
            return True
        return False

    lo, hi = 1, 10_000  # fails(hi) is True with Python's default recursion limit
    if not fails(hi):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if fails(mid) else (mid, hi)
    return hi


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=10, help="training steps per engine")
    ap.add_argument("--chain", type=int, default=1_000_000, help="length of the op chain")
    ap.add_argument("--quick", action="store_true", help="3 steps, chain of 100,000")
    args = ap.parse_args()
    if args.quick:
        args.steps, args.chain = 3, 100_000
    results = run_step_benchmark(args.steps)
    names = list(results)
    ref = results[names[0]][0]
    worst = 0.0
    for name in names[1:]:
        for a, b in zip(ref, results[name][0]):
            worst = max(worst, abs(a - b) / max(1.0, abs(a)))
    assert worst <= 1e-12, f"losses differ between engines: {[results[n][0] for n in names]}"
    chain_s, chain_mib, chain_grad = chain(args.chain)
    expected = math.exp(args.chain * math.log1p(1e-6))
    assert abs(chain_grad - expected) <= 1e-9 * expected, (chain_grad, expected)
    limit = micrograd_chain_limit()

    cmd = "python bench/bench_scalar.py" + (" --quick" if args.quick else "")
    print(f"Machine: {platform.platform()}, {cpu_model()}, {os.cpu_count()} cores; "
          f"Python {platform.python_version()}, numpy {np.__version__}, "
          f"minigrad {minigrad.__version__}")
    print(f"Command: `{cmd}`\n")
    print(f"micrograd demo step (MLP 2-16-16-1, 100 moons points, max-margin loss + 1e-4 L2, "
          f"SGD), {args.steps} steps per engine, same initial weights; median seconds per step "
          f"(CPU time of this process, which other jobs on the machine disturb less than "
          f"wall time; wall time alongside):\n")
    print("| engine | CPU s / step | wall s / step | speed-up vs first row (CPU) |")
    print("|---|---|---|---|")
    base = statistics.median(results[names[0]][1])
    for name in names:
        _, cpu, wall = results[name]
        med = statistics.median(cpu)
        print(f"| {name} | {med:.4f} | {statistics.median(wall):.4f} | {base / med:.1f}x |")
    print("\nLoss after each step (every engine): "
          + ", ".join(f"{v:.10f}" for v in ref)
          + f"; worst relative difference between engines {worst:.1e}.")
    print(f"\nChain of {args.chain:,} ops (`y = y * 1.000001`), forward + backward on minigrad: "
          f"{chain_s:.2f} s CPU, peak traced memory {chain_mib:.0f} MiB "
          f"(tracemalloc, about {chain_mib * 2**20 / args.chain:.0f} bytes per node); "
          f"dy/dx = {chain_grad:.9f} (exact {expected:.9f}).")
    if limit is not None:
        print(f"micrograd 0.1.0 raises RecursionError from a chain of {limit:,} ops "
              f"(recursion limit {sys.getrecursionlimit()}).")


if __name__ == "__main__":
    main()
