"""How to choose an activation (section 5.12 of the source): a small, fair benchmark.

Every activation trains the same network (two hidden layers of 16 units by default) on
the same three small tasks with the same budget (full-batch Adam, 40 steps at learning
rate 0.05 by default),
from the same seeds; the activation's usual initialisation (He for the rectifiers,
LeCun for SELU, Glorot for sigmoid and tanh). :func:`benchmark` returns one row per
(activation, task) with the held-out score averaged over the seeds and the measured time
per epoch (one full-batch step is one epoch here), in CPU time (``time.process_time``), so
that other programs running on the machine do not inflate it.

Tasks (:func:`make_task`): two moons with noise 0.25 and two-arm spirals (binary
classification, held-out accuracy), and ``sin(3x)`` regression on [-1, 1] (held-out mean
squared error). Each has 200 training and 200 test points, drawn with the seed.

Example
-------
>>> rows = benchmark(["relu", "tanh"], ["moons"], seeds=(0,), steps=20)
>>> sorted(r["activation"] for r in rows)
['relu', 'tanh']
"""

from __future__ import annotations

import time
from itertools import pairwise

import numpy as np

from ... import data
from .small_mlp import MLP, accuracy, train

__all__ = ["ACTIVATIONS", "SOURCE_RANKING", "TASKS", "benchmark", "cost_text", "epoch_times",
           "make_task", "mean_ranks", "order_text", "plot_epoch_times", "results_table", "run",
           "top"]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu", "selu",
               "gelu", "silu", "mish", "softplus")
TASKS = ("moons", "spirals", "regression")
#: the source's order, best first ("ELU > leaky ReLU > ReLU > tanh > logistic")
SOURCE_RANKING = ("elu", "leaky_relu", "relu", "tanh", "sigmoid")


def make_task(name, seed=0, n=200):
    """``(X_train, y_train, X_test, y_test, kind)`` for ``name`` in :data:`TASKS`; kind is
    ``"binary"`` or ``"regression"``. Train and test sets are independent draws."""
    makers = {"moons": lambda s: data.make_moons(2 * n, noise=0.25, seed=s),
              "spirals": lambda s: data.make_spirals(2 * n, n_arms=2, noise=0.1, seed=s),
              "regression": lambda s: data.make_regression_1d(2 * n, noise=0.1, seed=s)}
    if name not in makers:
        raise ValueError(f"unknown task {name!r}; choose one of {TASKS}")
    X, y = makers[name](seed)
    perm = np.random.default_rng([seed, 3]).permutation(2 * n)
    tr, te = perm[:n], perm[n:]
    kind = "regression" if name == "regression" else "binary"
    return X[tr], y[tr], X[te], y[te], kind


def run(activation, task, seed=0, hidden=(16, 16), steps=40, lr=0.05) -> dict:
    """Train one network; returns ``score`` (test accuracy, or test MSE for regression),
    ``train_score`` (the same on the training set), ``train_loss`` (final) and
    ``seconds_per_epoch`` (CPU time of training / steps)."""
    Xtr, ytr, Xte, yte, kind = make_task(task, seed)
    net = MLP((Xtr.shape[1], *hidden, 1), activation, seed=seed)
    t0 = time.process_time()
    hist = train(net, Xtr, ytr, task=kind, steps=steps, lr=lr, seed=seed)
    elapsed = time.process_time() - t0

    def score(X, y):
        if kind == "binary":
            return accuracy(net, X, y)
        return float(np.mean((net(X).data[:, 0] - y) ** 2))

    return {"score": score(Xte, yte), "train_score": score(Xtr, ytr),
            "train_loss": float(hist["loss"][-1]), "seconds_per_epoch": elapsed / steps}


def benchmark(activations=ACTIVATIONS, tasks=TASKS, seeds=(0, 1, 2), **options) -> list:
    """:func:`run` for every activation, task and seed. One row per (activation, task):
    ``score`` and ``score_std`` over seeds, ``train_score`` and ``train_loss`` (means over
    seeds), ``ms_per_epoch`` (CPU milliseconds, the fastest seed: the minimum is the least
    disturbed measurement)."""
    rows = []
    for task in tasks:
        for a in activations:
            rs = [run(a, task, s, **options) for s in seeds]
            scores = np.array([r["score"] for r in rs])
            rows.append({"activation": a, "task": task, "score": float(scores.mean()),
                         "score_std": float(scores.std()),
                         "train_score": float(np.mean([r["train_score"] for r in rs])),
                         "train_loss": float(np.mean([r["train_loss"] for r in rs])),
                         "ms_per_epoch": 1e3 * min(r["seconds_per_epoch"] for r in rs)})
    return rows


def mean_ranks(rows) -> dict:
    """Rank the activations within each task (1 = best: highest accuracy, lowest MSE;
    ties share the mean rank) and average the ranks over the tasks."""
    tasks = sorted({r["task"] for r in rows})
    ranks = {}
    for t in tasks:
        sub = [r for r in rows if r["task"] == t]
        sign = 1.0 if t == "regression" else -1.0
        vals = np.array([sign * r["score"] for r in sub])
        for r in sub:
            v = sign * r["score"]
            rank = 1 + np.sum(vals < v) + 0.5 * (np.sum(vals == v) - 1)
            ranks.setdefault(r["activation"], []).append(float(rank))
    return {a: float(np.mean(v)) for a, v in ranks.items()}


def epoch_times(activations=ACTIVATIONS, task="moons", hidden=(16, 16), steps=15, repeat=3,
                seed=0) -> dict:
    """CPU milliseconds per full-batch epoch for each activation: ``steps`` steps of
    training, timed with ``time.process_time`` ``repeat`` times round-robin over the
    activations (so that a busy spell on a shared machine hits them alike), best of the
    repeats. ``{name: ms}``. CPU time does not count the time the process waits for a core,
    so the numbers vary much less from run to run than wall-clock times; they still vary,
    which is why the book shows them in a figure and puts only coarse conclusions
    (:func:`cost_text`) into its prose."""
    Xtr, ytr, _, _, kind = make_task(task, seed)
    best = dict.fromkeys(activations, np.inf)
    for _ in range(repeat):
        for a in activations:
            net = MLP((Xtr.shape[1], *hidden, 1), a, seed=seed)
            t0 = time.process_time()
            train(net, Xtr, ytr, task=kind, steps=steps, lr=0.01, seed=seed)
            best[a] = min(best[a], 1e3 * (time.process_time() - t0) / steps)
    return best


def cost_text(ratio: float) -> str:
    """A coarse description of a cost ratio, for prose that must read the same in every
    build: "less than 25 % more than", "between 1.25 and 2 times", or "more than twice".
    Use it only for ratios measured far from the boundaries 1.25 and 2."""
    if ratio < 1.25:
        return "less than 25 % more than"
    if ratio < 2.0:
        return "between 1.25 and 2 times"
    return "more than twice"


def top(ranks: dict, k=3, names=None) -> list:
    """The ``k`` names with the best (lowest) mean rank, best first, among ``names``."""
    names = list(ranks) if names is None else list(names)
    return sorted(names, key=ranks.get)[:k]


def plot_epoch_times(ax, ms: dict, base="relu"):
    """Horizontal bars: CPU ms per epoch for each activation (cheapest at the top), with
    the ratio to ``base`` written at the end of each bar. ``ax`` is a matplotlib Axes."""
    from ..plotting import COLORS

    names = sorted(ms, key=ms.get, reverse=True)
    vals = [ms[n] for n in names]
    ax.barh(names, vals, color=COLORS["f"])
    for i, (n, v) in enumerate(zip(names, vals)):
        ax.text(v, i, f" {v / ms[base]:.1f}×", va="center", fontsize=8)
    ax.set_xlabel(f"CPU ms per epoch (× = relative to {base})")
    ax.set_xlim(0, 1.2 * max(vals))
    return ax


def order_text(ranks: dict, names) -> str:
    """``names`` ordered by mean rank, best first, joined by ' > ' (' = ' for ties)."""
    names = sorted(names, key=ranks.get)
    out = names[0]
    for prev, a in pairwise(names):
        out += (" = " if abs(ranks[a] - ranks[prev]) < 1e-9 else " > ") + a
    return out


def results_table(rows, ms=None) -> str:
    """A Markdown table, one line per activation (best mean rank first): held-out score per
    task as mean +- std over seeds (accuracy in %, or MSE), the mean rank, and, if ``ms``
    is given (e.g. :func:`epoch_times`), the CPU time per epoch in ms. Timings vary between
    runs; leave ``ms`` out where the table must come out the same every time."""
    tasks = list(dict.fromkeys(r["task"] for r in rows))
    ranks = mean_ranks(rows)
    acts = sorted(ranks, key=ranks.get)
    head = ["activation"] + [f"{t} ({'test MSE' if t == 'regression' else 'test acc. %'})"
                             for t in tasks] + ["mean rank"] + (["ms / epoch"] if ms else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for a in acts:
        cells = [a]
        for t in tasks:
            r = next(x for x in rows if x["activation"] == a and x["task"] == t)
            if t == "regression":
                cells.append(f"{r['score']:.3f} ± {r['score_std']:.3f}")
            else:
                cells.append(f"{100 * r['score']:.1f} ± {100 * r['score_std']:.1f}")
        cells.append(f"{ranks[a]:.1f}")
        if ms:
            cells.append(f"{ms[a]:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
