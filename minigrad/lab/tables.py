"""Tables and checks the book's pages print: the overview table, derivative and speed checks.

Everything here is computed from the catalog (:mod:`minigrad.activations`), never typed:

- :func:`overview_rows` / :func:`overview_html`: one row per catalog entry (name, formula,
  a sparkline of f and f', range, monotonic, smooth, zero-centred, saturating, reference);
- :func:`gallery`: a grid of every entry's f and f';
- :func:`derivative_check`: the catalog's analytic derivative against minigrad's autograd
  (``Value`` and ``Tensor``), autograd through primitive operations, and central differences;
- :func:`time_call` / :func:`speed_table`: how long an activation takes in numpy and in
  minigrad (forward + backward), for the pages that test the source's speed claims.

matplotlib is imported inside the functions that draw.
"""

from __future__ import annotations

import base64
import html
import itertools
import math
import time
import timeit

import numpy as np

__all__ = [
    "PROPERTY_COLUMNS",
    "derivative_check",
    "entry_properties",
    "format_properties",
    "gallery",
    "glue",
    "overview_markdown",
    "overview_rows",
    "plot_decision_boundary",
    "source_table_check",
    "sparkline_png",
    "speed_table",
    "split_latex",
    "time_call",
    "train_classifier",
]


# ---------------------------------------------------------------------------- glue
_GLUE_PREFIX = "application/papermill.record/"


def glue(name, value, display=False):
    """Store ``value`` for ``{glue:text}`name``` roles, like ``myst_nb.glue``, but

    - without importing ``myst_nb`` (whose glue module imports nbformat and jsonschema,
      several seconds per page on these machines);
    - with numpy scalars turned into Python numbers first: numpy 2 shows
      ``np.float64(0.25)``, which a ``{glue:text}`name:.2f``` format cannot parse.

    Outside IPython (a plain script or a test) it does nothing. Returns None, so that a
    cell ending with ``glue(...)`` shows nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a book dependency
        return
    if get_ipython() is None:
        return
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    shown = value.item() if isinstance(value, np.generic) else value
    bundle, metadata = format_display_data(shown)
    prefix = "" if display else _GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
    return


# ---------------------------------------------------------------------------- checks
def derivative_check(name, x, params=None, primitive=None, h=1e-6):
    """Compare the derivatives of one activation at the points ``x``.

    Returns a dict of worst absolute differences, over ``x``, between the catalog's
    analytic derivative and

    - ``value``: the gradient minigrad's ``Value`` method gives after ``backward()``;
    - ``tensor``: the gradient of ``Tensor.<name>(...).sum()``;
    - ``primitive``: autograd through ``primitive(Value(x))``, a formula written with
      Value's arithmetic (``lambda v: 1 / (1 + (-v).exp())``), if given;
    - ``finite_difference``: the central difference (f(x + h) - f(x - h)) / 2h.
    """
    from minigrad import Tensor, Value
    from minigrad.activations import lookup

    from .plotting import entry_params

    entry = lookup(name)
    p = entry_params(entry, params)
    x = np.asarray(x, dtype=float)
    analytic = np.asarray(entry.derivative(x, entry.forward(x, **p), **p), dtype=float)
    out = {}

    grads = []
    for xi in x:
        v = Value(float(xi))
        getattr(v, entry.name)(**p).backward()
        grads.append(v.grad)
    out["value"] = float(np.max(np.abs(np.array(grads) - analytic)))

    t = Tensor(x, requires_grad=True)
    getattr(t, entry.name)(**p).sum().backward()
    out["tensor"] = float(np.max(np.abs(t.grad - analytic)))

    if primitive is not None:
        grads = []
        for xi in x:
            v = Value(float(xi))
            primitive(v).backward()
            grads.append(v.grad)
        out["primitive"] = float(np.max(np.abs(np.array(grads) - analytic)))

    fd = (entry.forward(x + h, **p) - entry.forward(x - h, **p)) / (2 * h)
    out["finite_difference"] = float(np.max(np.abs(fd - analytic)))
    return out


def time_call(fn, number=20, repeat=5):
    """Best CPU time of one call ``fn()``, in seconds: the minimum over ``repeat`` runs of
    ``number`` calls each, measured with :func:`time.process_time`. CPU time leaves out the
    time the process waits for a core, so on a shared machine it varies far less than wall
    time; it still varies, so pages plot timings and quote only coarse conclusions
    (:func:`ratio_text`)."""
    timer = timeit.Timer(fn, timer=time.process_time)
    return min(timer.repeat(repeat=repeat, number=number)) / number


def ratio_text(ratio, at_least=(3.0, 2.0, 1.5)) -> str:
    """A coarse, build-stable description of a cost ratio: "more than three times",
    "more than twice", "more than 1.5 times" (the first threshold of ``at_least`` that
    ``ratio`` exceeds) or "less than 1.5 times". Choose thresholds far from the measured
    values, so that two builds print the same words."""
    words = {3.0: "more than three times", 2.0: "more than twice", 1.5: "more than 1.5 times"}
    for t in sorted(at_least, reverse=True):
        if ratio > t:
            return words.get(t, f"more than {t:g} times")
    return f"less than {min(at_least):g} times"


def plot_speed(rows, ax=None):
    """Bars of the best CPU time per call (microseconds) from :func:`speed_table`: numpy
    forward and minigrad forward + backward for each activation. Returns the Figure."""
    from .plotting import COLORS, new_figure

    if ax is None:
        _fig, ax = new_figure(width=6.0, height=0.55 * len(rows) + 1.2)
    names = [r["name"] for r in rows]
    y = np.arange(len(rows))
    ax.barh(y + 0.2, [r["numpy_us"] for r in rows], height=0.38, color=COLORS["f"],
            label="numpy forward")
    ax.barh(y - 0.2, [r["backward_us"] for r in rows], height=0.38, color=COLORS["df"],
            label="minigrad forward + backward")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("CPU time per call on 10⁵ inputs (µs)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    return ax.figure


def speed_table(names, n=100_000, seed=0, number=5, repeat=7):
    """Time activations on ``n`` standard-normal inputs.

    For each catalog name, returns a row with the best time per call in microseconds of
    the numpy forward (``numpy_us``), of the minigrad ``Tensor`` forward (``forward_us``)
    and of forward + backward (``backward_us``), and each relative to ReLU's numpy time
    (``numpy_vs_relu``, ``backward_vs_relu``) when ``"relu"`` is among the names.

    The activations take turns: each of the ``repeat`` rounds times ``number`` calls of
    every one of them, and each keeps its best round. On a shared, busy machine this keeps
    a burst of load from landing on one activation only.
    """
    from minigrad import Tensor
    from minigrad.activations import lookup

    from .plotting import entry_params

    x = np.random.default_rng(seed).standard_normal(n)
    calls = {}
    for name in names:
        entry = lookup(name)
        p = entry_params(entry, None)
        method = entry.name

        def fwd_bwd(method=method, p=p):
            t = Tensor(x, requires_grad=True)
            getattr(t, method)(**p).sum().backward()

        calls[name] = {
            "numpy_us": lambda f=entry.forward, p=p: f(x, **p),
            "forward_us": lambda m=method, p=p: getattr(Tensor(x), m)(**p),
            "backward_us": fwd_bwd,
        }
    best = {name: dict.fromkeys(fns, math.inf) for name, fns in calls.items()}
    for _ in range(repeat):
        for name, fns in calls.items():
            for key, fn in fns.items():
                best[name][key] = min(best[name][key], 1e6 * time_call(fn, number, 1))
    rows = [{"name": name, **best[name]} for name in names]
    base = best.get("relu")
    for r in rows:
        r["numpy_vs_relu"] = r["numpy_us"] / base["numpy_us"] if base else math.nan
        r["backward_vs_relu"] = r["backward_us"] / base["backward_us"] if base else math.nan
    return rows


# --------------------------------------------------------------------- the overview table
#: (key, column header) of the property columns, in table order.
PROPERTY_COLUMNS = (
    ("range", "Range"),
    ("monotonic", "Monotonic"),
    ("smooth", "Smooth (C¹)"),
    ("zero_centred", "Zero-centred"),
    ("saturating", "Saturating"),
)

#: What the property columns show for a non-elementwise entry (softmax, maxout, ...).
NOT_ELEMENTWISE = "—"


def _yes_no(flag) -> str:
    return "yes" if flag else "no"


def _saturation_text(props) -> str:
    """'no', or the saturating side(s) and kind: 'both, soft', 'left, hard', 'left hard, right soft'."""
    left, right = props.saturates_left, props.saturates_right
    if left is None and right is None:
        return "no"
    if left is not None and right is not None:
        return f"both, {left}" if left == right else f"left {left}, right {right}"
    return f"left, {left}" if left is not None else f"right, {right}"


def format_properties(props) -> dict:
    """The table cells for one :class:`~minigrad.activations.properties.Properties` record."""
    return {
        "range": props.range_text(),
        "monotonic": props.monotonic or "no",
        "smooth": _yes_no(props.smooth),
        "zero_centred": _yes_no(props.zero_centred),
        "saturating": _saturation_text(props),
    }


def entry_properties(entry) -> dict:
    """The displayed properties of one catalog entry, keyed like :data:`PROPERTY_COLUMNS`.

    Every value comes from :func:`minigrad.activations.properties.properties`; this
    function only formats it. Non-elementwise entries (softmax, maxout, ...) have no
    range or monotonicity as functions of one number: their cells show ``—``.
    """
    from minigrad.activations import properties

    if not entry.elementwise:
        return {key: NOT_ELEMENTWISE for key, _ in PROPERTY_COLUMNS}
    return format_properties(properties.properties(entry))


_SPARK = {}


def sparkline_png(entry, xlim=(-4.0, 4.0), width=1.5, height=0.75, dpi=72) -> bytes:
    """A tiny PNG of f (solid) and f' (dashed) for one entry, for a table cell.

    One figure is kept and redrawn for every call (making a new figure per row costs
    more than drawing it).
    """
    import io

    from matplotlib.figure import Figure

    from .plotting import COLORS, activation_curves

    key = (width, height)
    if key not in _SPARK:
        fig = Figure(figsize=(width, height), facecolor="white", layout="none")
        fig.subplots_adjust(0.02, 0.04, 0.98, 0.96)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.axhline(0, color=COLORS["muted"], lw=0.5)
        ax.axvline(0, color=COLORS["muted"], lw=0.5)
        f_line, = ax.plot([], [], color=COLORS["f"], lw=1.4)
        df_line, = ax.plot([], [], color=COLORS["df"], lw=1.1, ls="--")
        _SPARK[key] = (ax, f_line, df_line)
    ax, f_line, df_line = _SPARK[key]
    x, y, dy = activation_curves(entry, None, xlim, num=161)
    f_line.set_data(x, y)
    df_line.set_data(x, dy)
    finite = np.concatenate([y[np.isfinite(y)], dy[np.isfinite(dy)]])
    lo, hi = np.percentile(finite, [1, 99]) if finite.size else (-1.0, 1.0)
    pad = 0.1 * max(hi - lo, 1e-3)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(*xlim)
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buf.getvalue()


def _param_text(p) -> str:
    d = p.default
    if isinstance(d, float):
        return f"{p.name} = {d:g}"
    if isinstance(d, tuple):
        return f"{p.name} = ({', '.join(f'{v:g}' for v in d)})"
    return f"{p.name} = {d}"


def overview_rows(entries=None) -> list[dict]:
    """One dict per catalog entry: name, title, latex, derivative_latex, params, reference,
    elementwise, and the displayed properties (see :func:`entry_properties`)."""
    from minigrad.activations import entries as all_entries

    rows = []
    for e in entries if entries is not None else all_entries():
        row = {
            "name": e.name,
            "title": e.title,
            "latex": " ".join(e.latex.split()),
            "derivative_latex": " ".join(e.derivative_latex.split()),
            "params": ", ".join(_param_text(p) for p in e.params),
            "reference": e.reference,
            "elementwise": e.elementwise,
        }
        row.update(entry_properties(e))
        rows.append(row)
    return rows


def _sparkline_img(entry, title) -> str:
    b64 = base64.b64encode(sparkline_png(entry)).decode("ascii")
    alt = html.escape(f"{title} (solid) and its derivative (dashed) on [-4, 4]", quote=True)
    return f'<img src="data:image/png;base64,{b64}" alt="{alt}" width="108" height="54">'


def split_latex(latex: str) -> list[str]:
    """Split a catalog formula at its top-level ``\\quad`` / ``,\\;`` separators, so that a
    side note (PReLU's "a learned", GELU's tanh form) goes on its own line in the table.
    Separators inside braces, ``\\left ... \\right`` or ``\\begin ... \\end`` are kept."""
    seps = (",\\quad", ", \\quad", ",\\;", ", \\;", "\\quad")
    parts, depth, start, i = [], 0, 0, 0
    while i < len(latex):
        for word, step in (("\\left", 1), ("\\begin", 1), ("\\right", -1), ("\\end", -1)):
            if latex.startswith(word, i):
                depth += step
                i += len(word)
                break
        else:
            sep = next((t for t in seps if latex.startswith(t, i)), None) if depth == 0 else None
            if sep:
                parts.append(latex[start:i].strip())
                i += len(sep)
                start = i
            else:
                depth += {"{": 1, "}": -1}.get(latex[i], 0)
                i += 1
    parts.append(latex[start:].strip())
    return [p for p in parts if p]


def overview_markdown(entries=None, sparklines=True) -> str:
    """The overview table as MyST Markdown: a ``list-table`` directive, one row per entry.

    Columns: name (with parameters), the plot of f and f', the five computed properties,
    the formula, the reference; the narrow columns come first, so that on a page of
    ordinary width the name, the plot and the properties are visible together.
    Formulas are ``$...$`` math (f only: f' is in the plot and on each function's page),
    the sparklines inline ``<img>`` elements (PNG data URIs, with alt text), the
    references ``{cite:p}`` roles. Show it in a page with
    ``glue("name", IPython.display.Markdown(text))`` and a ``{glue:md}`` directive with
    ``:format: myst``, so that the math, the images and the citations are all rendered.
    """
    from minigrad.activations import entries as all_entries

    ents = list(entries if entries is not None else all_entries())
    rows = overview_rows(ents)
    fence = "`" * 3
    header = ["Name"] + (["f and f′"] if sparklines else [])
    header += [h for _, h in PROPERTY_COLUMNS] + ["Formula", "Reference"]
    lines = [fence + "{list-table}", ":header-rows: 1", ":class: activation-overview", ""]
    lines.append("* - " + "\n  - ".join(header))
    for e, r in zip(ents, rows):
        name = f"**{r['title']}** <br> `{r['name']}`"
        if r["params"]:
            name += f" <br> <small>{html.escape(r['params'])}</small>"
        cells = [name]
        if sparklines:
            cells.append(_sparkline_img(e, r["title"]) if r["elementwise"]
                         else "vector function (see its page)")
        cells += [r[k] for k, _ in PROPERTY_COLUMNS]
        cells.append(" <br> ".join(f"$\\small {part}$" for part in split_latex(r["latex"])))
        cells.append(f"{{cite:p}}`{r['reference']}`" if r["reference"] else "—")
        lines.append("* - " + "\n  - ".join(cells))
    lines.append(fence)
    return "\n".join(lines) + "\n"


def _nice(v) -> str:
    return f"{v:.2g}".replace("-", "−")


def gallery(entries=None, ncols=6, xlim=(-4.0, 4.0), panel=(1.75, 1.2), dpi=None):
    """Small multiples of f (solid) and f' (dashed) for every elementwise catalog entry
    (non-elementwise ones such as softmax have no curve and are skipped); returns the Figure.

    The panels are drawn into one Axes (dozens of real subplots take seconds to render,
    mostly in their tick marks). Each panel has its own vertical scale, printed in its
    title line as ``y: low … high``; grey lines mark x = 0 and y = 0.
    """
    from matplotlib.patches import Rectangle

    from minigrad.activations import entries as all_entries

    from .plotting import COLORS, activation_curves, new_figure

    ents = [e for e in (entries if entries is not None else all_entries()) if e.elementwise]
    nrows = math.ceil(len(ents) / ncols)
    fig, ax = new_figure(width=panel[0] * ncols, height=panel[1] * nrows, layout="none")
    fig.subplots_adjust(0, 0, 1, 1)
    mx, top, bottom = 0.08, 0.22, 0.06          # margins inside a cell (cell = 1 x 1)
    for k, e in enumerate(ents):
        col, row = k % ncols, k // ncols
        x0, y0 = col, nrows - 1 - row
        x, y, dy = activation_curves(e, None, xlim, num=201)
        finite = np.concatenate([y[np.isfinite(y)], dy[np.isfinite(dy)]])
        lo, hi = (finite.min(), finite.max()) if finite.size else (-1.0, 1.0)
        pad = 0.06 * max(hi - lo, 1e-3)
        lo, hi = lo - pad, hi + pad

        def sx(v, x0=x0):
            return x0 + mx + (np.asarray(v) - xlim[0]) / (xlim[1] - xlim[0]) * (1 - 2 * mx)

        def sy(v, y0=y0, lo=lo, hi=hi):
            v = np.clip(np.asarray(v, dtype=float), lo, hi)
            return y0 + bottom + (v - lo) / (hi - lo) * (1 - top - bottom)

        ax.add_patch(Rectangle((x0 + mx, y0 + bottom), 1 - 2 * mx, 1 - top - bottom,
                               fc="white", ec="#cccccc", lw=0.6))
        if lo < 0 < hi:
            ax.plot(sx(xlim), sy([0, 0]), color=COLORS["muted"], lw=0.5)
        ax.plot(sx([0, 0]), sy([lo, hi]), color=COLORS["muted"], lw=0.5)
        ax.plot(sx(x), sy(y), color=COLORS["f"], lw=1.4)
        ax.plot(sx(x), sy(dy), color=COLORS["df"], lw=1.1, ls="--")
        ax.text(x0 + mx, y0 + 1 - top + 0.03, e.name, ha="left", va="bottom", fontsize=8)
        ax.text(x0 + 1 - mx, y0 + 1 - top + 0.03, f"y: {_nice(lo + pad)} … {_nice(hi - pad)}",
                ha="right", va="bottom", fontsize=6, color="#555555")
    ax.set_xlim(0, ncols)
    ax.set_ylim(0, nrows)
    ax.set_axis_off()
    if dpi:
        fig.set_dpi(dpi)
    return fig


# ------------------------------------------------------------ the source's table, as printed
def _source_formulas() -> dict:
    """The formulas of the source's overview table, transcribed as printed (numpy), with
    the parameter values they are compared at. APL is left out: its printed parameters
    (a_s^s, b_s^s) do not define a function."""
    def sig(x):
        return 1.0 / (1.0 + np.exp(-x))

    def cases(cond, a, b):
        return np.where(cond, a, b)

    return {
        "identity": ({}, lambda x: x),
        "binary_step": ({}, lambda x: cases(x < 0, 0.0, 1.0)),
        "sigmoid": ({}, sig),
        "tanh": ({}, lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))),
        "arctan": ({}, np.arctan),
        "softsign": ({}, lambda x: x / (1 + x)),                      # |x| lost
        "isru": ({"alpha": 1.0}, lambda x: x / np.sqrt(1 + x**2)),
        "relu": ({}, lambda x: cases(x < 0, 0.0, x)),
        "leaky_relu": ({"negative_slope": 0.01}, lambda x: cases(x < 0, 0.01 * x, x)),
        "prelu": ({"weight": 0.25}, lambda x: cases(x < 0, 0.25 * x, x)),
        "rrelu": ({}, lambda x: cases(x < 0, (0.125 + 1 / 3) / 2 * x, x)),   # eval slope
        "elu": ({"alpha": 1.0}, lambda x: cases(x <= 0, np.exp(x) - 1, x)),
        "selu": ({}, lambda x: 1.0507 * cases(x < 0, 1.67326 * (np.exp(x) - 1), x)),
        "srelu": ({"t_left": 0.0, "a_left": 0.2, "t_right": 1.0, "a_right": 1.0},
                  lambda x: np.select([x <= 0.0, x >= 1.0], [0.2 * x, 1.0 + (x - 1.0)], x)),
        "isrlu": ({"alpha": 1.0}, lambda x: cases(x < 0, x / np.sqrt(1 + x**2), x)),
        "softplus": ({}, lambda x: np.log(1 + np.exp(x))),
        "bent_identity": ({}, lambda x: (np.sqrt(x**2 + 1) - 1) / 2 + x),
        "silu": ({}, lambda x: x * sig(x)),
        "soft_exponential": ({"alpha": 0.5}, lambda x: (np.exp(0.5 * x) - 1) / 0.5 + 0.5),
        "sinusoid": ({}, np.sin),
        "sinc": ({}, lambda x: cases(x == 0, 1.0, np.sin(x) / np.where(x == 0, 1.0, x))),
        "gaussian": ({}, lambda x: np.exp(-(x**2))),
    }


def source_table_check(x=None) -> dict:
    """Largest |source's printed formula - catalog| over ``x`` (default: 2001 points on
    [-5, 5]) for each row of the source's overview table except APL. A garbled row shows
    up as a large (or infinite / nan) difference."""
    from minigrad.activations import lookup

    x = np.linspace(-5.0, 5.0, 2001) if x is None else np.asarray(x, dtype=float)
    out = {}
    with np.errstate(all="ignore"):
        for name, (params, printed) in _source_formulas().items():
            gap = np.abs(np.asarray(printed(x), dtype=float) - lookup(name)(x, **params))
            out[name] = float(np.nan if np.isnan(gap).any() else gap.max())
    return out


# ------------------------------------------------------------------ small training runs
def train_classifier(X, y, hidden=(16,), activation="tanh", steps=300, lr=0.05, seed=0,
                     optimizer="adam", init_scale=None):
    """Train a small fully connected binary classifier with minigrad, full batch.

    ``hidden`` lists the hidden widths (``()`` gives a linear model, logistic regression);
    ``activation`` is a catalog name or a function Tensor -> Tensor. Weights are drawn
    from N(0, s^2 / fan_in) with ``s = init_scale`` (default: sqrt(2) for "relu", else 1),
    biases start at 0; the loss is the logistic loss on the logits. Returns a dict with
    ``loss`` (one value per step), ``accuracy`` (on the training data), ``params`` and
    ``predict`` (a function X -> P(y = 1)).
    """
    from minigrad import Tensor, optim

    rng = np.random.default_rng(seed)
    X = np.asarray(X, dtype=float)
    yt = Tensor(np.asarray(y, dtype=float).reshape(-1, 1))
    act = (lambda h, m=activation: getattr(h, m)()) if isinstance(activation, str) else activation
    if init_scale is None:
        init_scale = math.sqrt(2.0) if activation == "relu" else 1.0
    sizes = [X.shape[1], *hidden, 1]
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        params.append(Tensor(rng.standard_normal((fan_in, fan_out)) * init_scale
                             / math.sqrt(fan_in), requires_grad=True))
        params.append(Tensor(np.zeros(fan_out), requires_grad=True))
    opt = optim.Adam(params, lr=lr) if optimizer == "adam" else optim.SGD(params, lr=lr)

    def logits(inputs):
        h = Tensor(np.asarray(inputs, dtype=float))
        for i in range(0, len(params) - 2, 2):
            h = act(h @ params[i] + params[i + 1])
        return h @ params[-2] + params[-1]

    losses = []
    for _ in range(steps):
        for p in params:
            p.grad = None
        z = logits(X)
        # logistic loss from logits, stable: max(z, 0) - y z + log(1 + exp(-|z|))
        loss = ((z + z.abs()) * 0.5 - yt * z + ((-z.abs()).exp() + 1.0).log()).mean()
        loss.backward()
        opt.step()
        losses.append(float(loss.data))

    def predict(inputs):
        z = np.asarray(logits(inputs).data).ravel()
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))

    acc = float(np.mean((predict(X) > 0.5) == (np.asarray(y).ravel() > 0.5)))
    return {"loss": np.array(losses), "accuracy": acc, "params": params, "predict": predict}


def plot_decision_boundary(predict, X, y, ax=None, title=None, resolution=150, pad=0.5):
    """Shade P(y = 1) of a 2-D classifier over the data's box, draw the 0.5 contour and
    the points (two markers, so the classes are told apart without colour)."""
    from .plotting import COLORS, new_figure

    X = np.asarray(X, dtype=float)
    y = np.asarray(y).ravel()
    if ax is None:
        _fig, ax = new_figure(width=3.6, height=3.2)
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    p = predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    ax.imshow(p, extent=(x0, x1, y0, y1), origin="lower", cmap="RdBu_r", vmin=0, vmax=1,
              alpha=0.35, interpolation="bilinear", aspect="auto")
    ax.contour(gx, gy, p, levels=[0.5], colors="#333333", linewidths=1.2)
    ax.scatter(*X[y == 0].T, s=12, marker="o", color=COLORS["f"], label="class 0")
    ax.scatter(*X[y == 1].T, s=14, marker="^", color=COLORS["df"], label="class 1")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax.figure
