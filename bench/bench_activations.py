"""Forward + backward of each activation: minigrad vs hand-written numpy (vs PyTorch CPU).

For every activation: ``y = f(x)`` and the input gradient ``g * f'(x)`` on n float64
elements (x ~ N(0, 3^2), seeded), timed three ways:

* **minigrad**: ``F.<name>(x).backward(g)`` on a leaf ``x = Tensor(data,
  requires_grad=True)`` made once (its ``grad`` reset each run) — the whole autograd path:
  parameter checks, the Tensor node, the engine's backward, the gradient stored in
  ``x.grad`` (a fresh array: the engine copies ``g`` only where it would otherwise
  become a ``.grad``, never up front);
* **numpy**: the best hand-written numpy for the same formula with the same numerical
  care (two-branch sigmoid, expm1/log1p, no overflow warnings), in-place where possible;
  numpy has no erf, so the GELU baseline uses the catalog's numpy Phi
  (``minigrad.activations.numerics.ndtr``); ``gelu_scipy`` shows the baseline with
  scipy's compiled ``ndtr`` instead, for reference;
* **torch**: ``torch.nn.functional`` on a float64 CPU tensor, when torch is importable.

Each time is the best of ``--repeat`` rounds; minigrad and numpy take turns within a
round (torch is timed on its own). The target is minigrad / numpy <= 1.2.
Prints a markdown table with the machine and the command.

    python bench/bench_activations.py              # n = 10^6
    python bench/bench_activations.py --large      # also n = 10^7 (slow)
    python bench/bench_activations.py --only relu,gelu --repeat 7
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from minigrad import F, Tensor
from minigrad.activations.numerics import ndtr

try:
    from scipy.special import ndtr as _sp_ndtr
except ImportError:  # pragma: no cover
    _sp_ndtr = None

try:
    import torch
    import torch.nn.functional as TF
except ImportError:  # pragma: no cover
    torch = None

SQ2PI = 0.79788456080286535588
INV_SQRT_2PI = 0.39894228040143267794
SELU_A, SELU_L = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


# --------------------------------------------------------------- numpy baselines
# Each takes (x, g) and returns (y, dx). They are the hand-written reference, not the
# catalog's code.
def np_identity(x, g):
    return x.copy(), g.copy()


def np_relu(x, g):
    y = np.maximum(x, 0.0)
    return y, g * (x > 0)


def np_leaky_relu(x, g, a=0.01):
    y = np.minimum(x, 0.0)
    y *= a
    y += np.maximum(x, 0.0)
    d = (x > 0) * (1.0 - a)
    d += a
    d *= g
    return y, d


def _pair(x):
    # a = e^{min(x,0)}, b = e^{-max(x,0)}: sigma(x) = a/(a+b), sigma(-x) = b/(a+b)
    # (a where-free two-branch sigmoid: np.where on a random mask is slower than exp)
    a = np.exp(np.minimum(x, 0.0))
    b = np.exp(-np.maximum(x, 0.0))
    r = a + b
    np.reciprocal(r, out=r)
    a *= r
    b *= r
    return a, b


def _sig(x):
    a = np.exp(np.minimum(x, 0.0))
    b = np.exp(-np.maximum(x, 0.0))
    b += a
    a /= b
    return a


def np_sigmoid(x, g):
    s, t = _pair(x)
    t *= s          # sigma'(x) = sigma(x) sigma(-x), accurate in both tails
    t *= g
    return s, t


def np_tanh(x, g):
    y = np.tanh(x)
    e = np.exp(-2.0 * np.abs(x))
    d = 1.0 + e
    d *= d
    e *= 4.0
    e /= d
    e *= g
    return y, e


def np_elu(x, g, a=1.0):
    m = np.minimum(x, 0.0)
    y = np.expm1(m)             # expm1: accurate near 0
    y *= a
    y += np.maximum(x, 0.0)
    d = np.exp(m)               # alpha = 1: e^{min(x,0)} is 1 for x > 0
    d *= g
    return y, d


def np_selu(x, g):
    m = np.minimum(x, 0.0)
    y = np.expm1(m)
    y *= SELU_A
    y += np.maximum(x, 0.0)
    y *= SELU_L
    d = np.exp(m)
    d *= SELU_L * SELU_A
    d += (x > 0) * (SELU_L - SELU_L * SELU_A)
    d *= g
    return y, d


def np_celu(x, g, a=1.0):
    m = np.minimum(x, 0.0) / a
    y = np.expm1(m)
    y *= a
    y += np.maximum(x, 0.0)
    d = np.exp(m)
    d *= g
    return y, d


def np_softplus(x, g):
    y = np.log1p(np.exp(-np.abs(x)))
    y += np.maximum(x, 0.0)
    y = np.where(x > 20.0, x, y)
    d = np.where(x > 20.0, 1.0, _sig(x))
    d *= g
    return y, d


def np_logsigmoid(x, g):
    y = np.minimum(x, 0.0)
    y -= np.log1p(np.exp(-np.abs(x)))
    return y, g * _sig(-x)


def np_silu(x, g):
    s, t = _pair(x)
    y = x * s
    t *= x
    t += 1.0
    t *= s
    t *= g
    return y, t


def np_gelu(x, g):
    """numpy has no erf: this uses the numpy Phi the catalog uses (Cody's erfc)."""
    cdf = ndtr(x)
    pdf = np.exp(-0.5 * x * x)
    pdf *= INV_SQRT_2PI
    y = x * cdf
    pdf *= x
    pdf += cdf
    pdf *= g
    return y, pdf


def np_gelu_scipy(x, g):
    """The same with scipy's compiled ndtr (not numpy, shown for reference)."""
    cdf = _sp_ndtr(x)
    pdf = np.exp(-0.5 * x * x)
    pdf *= INV_SQRT_2PI
    y = x * cdf
    pdf *= x
    pdf += cdf
    pdf *= g
    return y, pdf


def np_gelu_tanh(x, g):
    x2 = x * x
    u = (1.0 + 0.044715 * x2) * x * (2.0 * SQ2PI)
    s, t = _pair(u)
    y = x * s
    du = (1.0 + 3 * 0.044715 * x2) * (2.0 * SQ2PI)
    return y, g * s * (1.0 + x * t * du)


def np_mish(x, g):
    sp = np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0.0)
    t = np.tanh(sp)
    y = x * t
    d = t + x * (1.0 - t * t) * _sig(x)
    return y, g * d


def np_hardswish(x, g):
    y = np.clip(x + 3.0, 0.0, 6.0)
    y *= x
    y /= 6.0
    d = np.clip(x, -3.0, 3.0)
    d *= 1.0 / 3.0
    d += 0.5
    d *= (x > -3.0) & (x < 3.0)
    d += x >= 3.0
    d *= g
    return y, d


def np_hardsigmoid(x, g):
    y = np.clip((x + 3.0) / 6.0, 0.0, 1.0)
    return y, g * ((x > -3.0) & (x < 3.0)) / 6.0


def np_hardtanh(x, g):
    return np.clip(x, -1.0, 1.0), g * ((x > -1.0) & (x < 1.0))


def np_relu6(x, g):
    return np.clip(x, 0.0, 6.0), g * ((x > 0.0) & (x < 6.0))


def np_softsign(x, g):
    # x / (1 + |x|) is inf/inf = NaN at +-inf, where the limit is +-1: like the catalog, one
    # max pass finds an infinite input and clips it (a baseline that returns NaN there does
    # not compute the same function).
    r = np.abs(x)
    if not r.max() <= 1e300:
        x = np.clip(x, -1e300, 1e300)
        r = np.abs(x)
    r += 1.0
    r = np.reciprocal(r, out=r)
    y = x * r
    r *= r
    r *= g
    return y, r


def np_arctan(x, g):
    return np.arctan(x), g / (1.0 + x * x)


def np_softshrink(x, g, lam=0.5):
    return x - np.clip(x, -lam, lam), g * (np.abs(x) > lam)


def np_hardshrink(x, g, lam=0.5):
    m = np.abs(x) > lam
    return x * m, g * m


def np_tanhshrink(x, g):
    t = np.tanh(x)
    y = x - t
    # x - tanh(x) cancels near 0: the same series the catalog uses there
    idx = np.flatnonzero(np.abs(x) < 0.06)
    xs = x.flat[idx]
    x2 = xs * xs
    y.flat[idx] = xs * x2 * (1 / 3 + x2 * (-2 / 15 + x2 * (17 / 315 + x2 * (
        -62 / 2835 + x2 * 1382 / 155925))))
    t *= t
    t *= g
    return y, t


def np_sinusoid(x, g):
    return np.sin(x), g * np.cos(x)


def np_gaussian(x, g):
    y = np.exp(-(x * x))
    return y, g * (-2.0 * x * y)


def np_softmax(x, g):      # over the last dim of an (n/1000, 1000) array
    z = x - x.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    gx = g - (g * z).sum(axis=-1, keepdims=True)
    gx *= z
    return z, gx


def np_log_softmax(x, g):
    z = x - x.max(axis=-1, keepdims=True)
    z -= np.log(np.exp(z).sum(axis=-1, keepdims=True))
    gx = g - np.exp(z) * g.sum(axis=-1, keepdims=True)
    return z, gx


# name: (numpy baseline, minigrad call, torch call)
CASES = {
    "identity": (np_identity, lambda x: F.identity(x), lambda x: x * 1.0),
    "relu": (np_relu, F.relu, lambda x: TF.relu(x)),
    "leaky_relu": (np_leaky_relu, F.leaky_relu, lambda x: TF.leaky_relu(x)),
    "sigmoid": (np_sigmoid, F.sigmoid, torch.sigmoid if torch else None),
    "tanh": (np_tanh, F.tanh, torch.tanh if torch else None),
    "elu": (np_elu, F.elu, lambda x: TF.elu(x)),
    "selu": (np_selu, F.selu, lambda x: TF.selu(x)),
    "celu": (np_celu, F.celu, lambda x: TF.celu(x)),
    "softplus": (np_softplus, F.softplus, lambda x: TF.softplus(x)),
    "logsigmoid": (np_logsigmoid, F.logsigmoid, lambda x: TF.logsigmoid(x)),
    "silu": (np_silu, F.silu, lambda x: TF.silu(x)),
    "gelu": (np_gelu, F.gelu, lambda x: TF.gelu(x)),
    "gelu_scipy": (np_gelu_scipy if _sp_ndtr else None, F.gelu, lambda x: TF.gelu(x)),
    "gelu_tanh": (np_gelu_tanh, lambda x: F.gelu(x, approximate="tanh"),
                  lambda x: TF.gelu(x, approximate="tanh")),
    "mish": (np_mish, F.mish, lambda x: TF.mish(x)),
    "hardswish": (np_hardswish, F.hardswish, lambda x: TF.hardswish(x)),
    "hardsigmoid": (np_hardsigmoid, F.hardsigmoid, lambda x: TF.hardsigmoid(x)),
    "hardtanh": (np_hardtanh, F.hardtanh, lambda x: TF.hardtanh(x)),
    "relu6": (np_relu6, F.relu6, lambda x: TF.relu6(x)),
    "softsign": (np_softsign, F.softsign, lambda x: TF.softsign(x)),
    "arctan": (np_arctan, F.arctan, torch.atan if torch else None),
    "softshrink": (np_softshrink, F.softshrink, lambda x: TF.softshrink(x)),
    "hardshrink": (np_hardshrink, F.hardshrink, lambda x: TF.hardshrink(x)),
    "tanhshrink": (np_tanhshrink, F.tanhshrink, lambda x: TF.tanhshrink(x)),
    "sinusoid": (np_sinusoid, F.sinusoid, torch.sin if torch else None),
    "gaussian": (np_gaussian, F.gaussian, lambda x: torch.exp(-(x * x))),
    "softmax": (np_softmax, lambda x: F.softmax(x, dim=-1), lambda x: TF.softmax(x, dim=-1)),
    "log_softmax": (np_log_softmax, lambda x: F.log_softmax(x, dim=-1),
                    lambda x: TF.log_softmax(x, dim=-1)),
}


def _best(fns, repeat):
    """Best CPU time (time.process_time) of each function over ``repeat`` rounds, after
    one warm-up run each. The functions take turns within each round, in alternating
    order, so that they see the same load on a shared machine and neither always runs
    right after the other (run one after the other, a change in load between them would
    show up in their ratio).

    CPU time rather than wall time: these machines are shared, and a descheduled
    process would otherwise be charged for others' work."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    order = list(range(len(fns)))
    for _ in range(repeat):
        for i in order:
            t0 = time.process_time()
            fns[i]()
            best[i] = min(best[i], time.process_time() - t0)
        order.reverse()
    return best


def _tune_malloc():
    """Stop glibc from returning freed memory to the OS after every large free.

    With glibc's defaults, an autograd step that frees an 8 MB array and allocates the
    next one page-faults it in again (about 1500 faults, ~5 ms per 10^6 doubles), which
    dominates cheap activations. numpy has no cache for large blocks; PyTorch has its
    own caching allocator. Both numpy and minigrad are measured under the same setting.
    """
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        ok = libc.mallopt(m_trim_threshold, 1 << 30) and libc.mallopt(m_mmap_threshold,
                                                                       1 << 29)
        return bool(ok)
    except (OSError, AttributeError):
        return False


def bench(n: int, names, repeat: int):
    rng = np.random.default_rng(0)
    data = rng.normal(0.0, 3.0, size=(n // 1000, 1000))
    g = rng.normal(size=data.shape)
    rows = []
    for name in names:
        np_fn, mg_fn, th_fn = CASES[name]

        x_mg = Tensor(data, requires_grad=True)

        def run_mg(mg_fn=mg_fn, x=x_mg):
            x.grad = None
            mg_fn(x).backward(g)
            return x.grad

        np_run = (lambda np_fn=np_fn: np_fn(data, g)) if np_fn else None
        if np_run is not None:
            t_mg, t_np = _best([run_mg, np_run], repeat)
        else:
            t_mg, t_np = _best([run_mg], repeat)[0], None
        t_th = None
        if torch is not None and th_fn is not None:   # for reference: timed on its own
            xt = torch.from_numpy(data)                 # (taking turns with it would
            gt = torch.from_numpy(g)                    # disturb the pair's caches)

            def run_th(th_fn=th_fn, xt=xt, gt=gt):
                x = xt.detach().requires_grad_(True)
                th_fn(x).backward(gt)
                return x.grad

            t_th = _best([run_th], repeat)[0]
        rows.append((name, t_mg, t_np, t_th))
    return rows


def _machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    th = f", torch {torch.__version__} (threads: {torch.get_num_threads()})" if torch else ""
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {np.__version__}{th}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--large", action="store_true", help="also run n = 10^7")
    ap.add_argument("--only", default="", help="comma-separated activation names")
    ap.add_argument("--repeat", type=int, default=5, help="best of this many runs")
    ap.add_argument("--default-malloc", action="store_true",
                    help="keep glibc's default trim/mmap thresholds (see _tune_malloc)")
    args = ap.parse_args(argv)
    tuned = False if args.default_malloc else _tune_malloc()
    if torch is not None:
        torch.set_num_threads(1)
    names = [s for s in args.only.split(",") if s] or list(CASES)
    unknown = [s for s in names if s not in CASES]
    if unknown:
        ap.error(f"unknown activation(s) {unknown}; choose from {list(CASES)}")
    sizes = [10**6] + ([10**7] if args.large else [])
    print(f"Machine: {_machine()}  ")
    print(f"Command: `python bench/bench_activations.py {' '.join(argv or sys.argv[1:])}`".rstrip()
          + "  ")
    print("Forward + backward (input gradient), float64, CPU time, best of "
          f"{args.repeat}; ratio = minigrad / numpy (target <= 1.2); torch on 1 thread; "
          f"glibc malloc {'trim/mmap thresholds raised' if tuned else 'defaults'}.\n")
    header = "| activation | n | minigrad (ms) | numpy (ms) | ratio | torch (ms) |"
    print(header)
    print("|---|---:|---:|---:|---:|---:|")
    worst = 0.0
    for n in sizes:
        for name, t_mg, t_np, t_th in bench(n, names, args.repeat if n <= 10**6 else 3):
            ratio = t_mg / t_np if t_np else float("nan")
            worst = max(worst, ratio) if t_np else worst
            npf = f"{t_np * 1e3:.1f}" if t_np else "—"
            thf = f"{t_th * 1e3:.1f}" if t_th is not None else "—"
            rf = f"{ratio:.2f}" if t_np else "—"
            print(f"| {name} | 10^{round(np.log10(n))} | {t_mg * 1e3:.1f} | {npf} | {rf} "
                  f"| {thf} |")
    print(f"\nWorst ratio: {worst:.2f}")


if __name__ == "__main__":
    main()
