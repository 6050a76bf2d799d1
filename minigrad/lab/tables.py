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
import timeit

import numpy as np

__all__ = [
    "PROPERTY_COLUMNS", "derivative_check", "entry_properties", "gallery", "glue", "overview_html",
    "overview_rows", "plot_decision_boundary", "sparkline_png", "speed_table", "time_call",
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

    Outside IPython (a plain script or a test) it does nothing. Returns ``value``.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a book dependency
        return value
    if get_ipython() is None:
        return value
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    shown = value.item() if isinstance(value, np.generic) else value
    bundle, metadata = format_display_data(shown)
    prefix = "" if display else _GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
    return value


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
    """Best time of one call ``fn()``, in seconds (the minimum over ``repeat`` runs of
    ``number`` calls each, as :mod:`timeit` recommends)."""
    timer = timeit.Timer(fn)
    return min(timer.repeat(repeat=repeat, number=number)) / number


def speed_table(names, n=100_000, seed=0, number=10, repeat=5):
    """Time activations on ``n`` standard-normal inputs.

    For each catalog name, returns a row with the best time per call in microseconds of
    the numpy forward (``numpy_us``), of the minigrad ``Tensor`` forward (``forward_us``)
    and of forward + backward (``backward_us``), and each relative to ReLU's numpy time
    (``numpy_vs_relu``) when ``"relu"`` is among the names.
    """
    from minigrad import Tensor
    from minigrad.activations import lookup

    from .plotting import entry_params

    x = np.random.default_rng(seed).standard_normal(n)
    rows = []
    for name in names:
        entry = lookup(name)
        p = entry_params(entry, None)
        method = entry.name

        def fwd_bwd(method=method, p=p):
            t = Tensor(x, requires_grad=True)
            getattr(t, method)(**p).sum().backward()

        rows.append({
            "name": name,
            "numpy_us": 1e6 * time_call(lambda f=entry.forward, p=p: f(x, **p),
                                        number=number, repeat=repeat),
            "forward_us": 1e6 * time_call(lambda m=method, p=p: getattr(Tensor(x), m)(**p),
                                          number=number, repeat=repeat),
            "backward_us": 1e6 * time_call(fwd_bwd, number=number, repeat=repeat),
        })
    base = {r["name"]: r["numpy_us"] for r in rows}.get("relu")
    for r in rows:
        r["numpy_vs_relu"] = r["numpy_us"] / base if base else math.nan
    return rows


# --------------------------------------------------------------------- the overview table
#: (key, column header) of the property columns, in table order.
PROPERTY_COLUMNS = (
    ("range", "Range"),
    ("monotonic", "Monotonic"),
    ("smooth", "Smooth"),
    ("zero_centred", "Zero-centred"),
    ("saturating", "Saturating"),
)


def _get(obj, *names, default=None):
    """The first of ``names`` that ``obj`` has (attribute or mapping key)."""
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
        if hasattr(obj, n):
            return getattr(obj, n)
    return default


def entry_properties(entry) -> dict:
    """The computed properties of one catalog entry, as displayed strings.

    Every value comes from :mod:`minigrad.activations.properties`; this function only
    formats them (the tests check that the table shows exactly these values).
    """
    from minigrad.activations import properties

    props = properties.properties(entry)
    out = {}
    for key, _ in PROPERTY_COLUMNS:
        out[key] = _format_property(key, _get(props, key, key.replace("_", "")))
    return out


def _format_interval(r):
    """A range object (or (low, high, low_closed, high_closed) tuple) as '(−1, 1)'."""
    text = _get(r, "text", "latex")
    if isinstance(text, str):
        return text
    low, high = _get(r, "low", "lo"), _get(r, "high", "hi")
    low_closed, high_closed = _get(r, "low_closed", default=False), _get(r, "high_closed",
                                                                         default=False)
    if isinstance(r, tuple) and len(r) == 4:
        low, high, low_closed, high_closed = r

    def num(v):
        if v == -math.inf:
            return "−∞"
        if v == math.inf:
            return "∞"
        return f"{v:.4g}".replace("-", "−")

    return f"{'[' if low_closed else '('}{num(low)}, {num(high)}{']' if high_closed else ')'}"


def _format_property(key, value):
    if key == "range":
        return value if isinstance(value, str) else _format_interval(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    return "—" if value is None else str(value)


def sparkline_png(entry, xlim=(-4.0, 4.0), width=1.5, height=0.75, dpi=72) -> bytes:
    """A tiny PNG of f (solid) and f' (dashed) for one entry, for a table cell."""
    import matplotlib.pyplot as plt

    from .plotting import COLORS, activation_curves, figure_to_png, use_book_style

    use_book_style()
    fig, ax = plt.subplots(figsize=(width, height), layout=None)
    fig.subplots_adjust(0.02, 0.04, 0.98, 0.96)
    x, y, dy = activation_curves(entry, None, xlim, num=161)
    ax.axhline(0, color=COLORS["muted"], lw=0.5)
    ax.axvline(0, color=COLORS["muted"], lw=0.5)
    ax.plot(x, y, color=COLORS["f"], lw=1.4)
    ax.plot(x, dy, color=COLORS["df"], lw=1.1, ls="--")
    finite = np.concatenate([y[np.isfinite(y)], dy[np.isfinite(dy)]])
    lo, hi = (np.percentile(finite, [1, 99]) if finite.size else (-1, 1))
    pad = 0.1 * max(hi - lo, 1e-3)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(*xlim)
    ax.set_axis_off()
    return figure_to_png(fig, dpi=dpi)


def overview_rows(entries=None) -> list[dict]:
    """One dict per catalog entry: name, title, latex, params, reference and properties."""
    from minigrad.activations import entries as all_entries

    rows = []
    for e in entries if entries is not None else all_entries():
        row = {
            "name": e.name,
            "title": e.title,
            "latex": e.latex,
            "params": ", ".join(f"{p.name} = {p.default:g}" for p in e.params),
            "reference": e.reference,
        }
        row.update(entry_properties(e))
        rows.append(row)
    return rows


def overview_html(entries=None, sparklines=True, cite=None) -> str:
    """The overview table as an HTML string (for ``IPython.display.HTML``).

    ``cite(key)`` turns a BibTeX key into the HTML shown in the reference column (by
    default the key itself in a ``<code>`` element). The formula column holds
    ``\\(...\\)`` LaTeX, which MathJax typesets in the built book.
    """
    from minigrad.activations import entries as all_entries

    ents = list(entries if entries is not None else all_entries())
    rows = overview_rows(ents)
    cite = cite or (lambda key: f"<code>{html.escape(key)}</code>" if key else "—")
    head = ["Name", "Formula"] + (["f and f′"] if sparklines else [])
    head += [h for _, h in PROPERTY_COLUMNS] + ["Reference"]
    out = ['<table class="activation-overview">',
           "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
           "<tbody>"]
    for e, r in zip(ents, rows):
        name = f"<strong>{html.escape(r['title'])}</strong><br><code>{html.escape(r['name'])}</code>"
        if r["params"]:
            name += f"<br><small>{html.escape(r['params'])}</small>"
        cells = [name, f"\\({html.escape(r['latex'])}\\)"]
        if sparklines:
            b64 = base64.b64encode(sparkline_png(e)).decode("ascii")
            alt = f"Plot of {r['title']} (solid) and its derivative (dashed) on [-4, 4]"
            cells.append(f'<img src="data:image/png;base64,{b64}" alt="{html.escape(alt)}" '
                         'width="108" height="54">')
        cells += [html.escape(r[k]) for k, _ in PROPERTY_COLUMNS]
        cells.append(cite(r["reference"]))
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def gallery(entries=None, ncols=5, xlim=(-4.0, 4.0), panel=(2.0, 1.6)):
    """A grid of small plots, f and f' of every catalog entry; returns the Figure."""
    from minigrad.activations import entries as all_entries

    from .plotting import new_figure, plot_activation

    ents = list(entries if entries is not None else all_entries())
    nrows = math.ceil(len(ents) / ncols)
    fig, axes = new_figure(nrows, ncols, width=panel[0] * ncols, height=panel[1] * nrows,
                           squeeze=False)
    for ax, e in zip(axes.flat, ents):
        plot_activation(e, xlim=xlim, ax=ax, title=e.name, legend=False)
        ax.set_xlabel("")
        ax.tick_params(labelsize=7)
        ax.title.set_fontsize(9)
    for ax in list(axes.flat)[len(ents):]:
        ax.set_axis_off()
    return fig


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
    ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
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
