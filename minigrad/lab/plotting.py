"""One figure style for the whole book, and the plot of an activation and its derivative.

Every figure in the book comes from here, so that they all look alike::

    from minigrad.lab.plotting import use_book_style, new_figure, plot_activation
    use_book_style()
    fig = plot_activation("elu", params={"alpha": 0.5})

matplotlib is imported inside the functions, so ``import minigrad`` stays numpy-only.

Figures have an opaque white background: the book theme's dark mode shows them as
white cards, which keeps black text and axes readable.
"""

from __future__ import annotations

import io

import numpy as np

#: Colours (Okabe-Ito, readable by colour-blind readers and on a white card in dark mode).
COLORS = {
    "f": "#0072B2",        # blue: the function
    "df": "#D55E00",       # vermillion: its derivative
    "extra": "#009E73",    # green: a third curve (a target, a reference)
    "muted": "#777777",    # grey: guides, axes through zero
}
CYCLE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

#: The rcParams of the book style (applied by :func:`use_book_style`).
BOOK_RC = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#111111",
    "axes.titlesize": 11,
    "axes.titleweight": "normal",
    "axes.labelsize": 10,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "text.color": "#111111",
    "font.size": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "svg.hashsalt": "minigrad",   # deterministic SVG ids, should anyone save SVG
}


def use_book_style() -> None:
    """Apply the book's figure style to matplotlib (call once at the top of a page).

    Sets an opaque white figure background (readable in dark mode), a colour-blind safe
    colour cycle, light grids and no top/right spines. Idempotent.
    """
    import matplotlib as mpl
    import matplotlib.pyplot  # select the backend first, so nothing resets the style
    from cycler import cycler

    mpl.rcParams.update(BOOK_RC)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=CYCLE)


def new_figure(nrows: int = 1, ncols: int = 1, width: float = 6.0, height: float = 3.2, **kw):
    """Make a figure in the book style and return ``(fig, axes)``.

    ``axes`` is a single Axes for a 1x1 grid, else the numpy array ``plt.subplots`` returns.
    ``width`` and ``height`` are in inches; other keywords go to ``plt.subplots``.
    """
    import matplotlib.pyplot as plt

    use_book_style()
    kw.setdefault("facecolor", "white")
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), **kw)
    return fig, axes


def _entry(name_or_entry):
    """The catalog entry for a name, or the entry itself."""
    if isinstance(name_or_entry, str):
        from minigrad.activations import lookup

        return lookup(name_or_entry)
    return name_or_entry


def entry_params(entry, params: dict | None = None) -> dict:
    """The entry's parameter defaults, updated with ``params`` (unknown names: ValueError)."""
    values = {p.name: p.default for p in getattr(entry, "params", ())}
    for key, value in (params or {}).items():
        if key not in values:
            known = ", ".join(values) or "none"
            raise ValueError(f"{entry.name} has no parameter {key!r} (parameters: {known})")
        values[key] = value
    return values


def activation_curves(name_or_entry, params: dict | None = None, xlim=(-5.0, 5.0), num=401):
    """Sample an activation on ``xlim``: returns ``(x, f(x), f'(x))`` as numpy arrays."""
    entry = _entry(name_or_entry)
    if not getattr(entry, "elementwise", True):
        raise TypeError(f"{entry.name} is not elementwise: it has no curve f(x) to plot "
                        "(draw it from minigrad.activations.special instead)")
    values = entry_params(entry, params)
    x = np.linspace(float(xlim[0]), float(xlim[1]), int(num))
    y = np.asarray(entry.forward(x, **values), dtype=float)
    dy = np.asarray(entry.derivative(x, y, **values), dtype=float)
    return x, np.broadcast_to(y, x.shape), np.broadcast_to(dy, x.shape)


def _kinks(entry, values) -> tuple:
    """The points where the entry says f' (or f) jumps, for these parameter values."""
    kinks = getattr(entry, "kinks", None)
    if kinks is None:
        return ()
    try:
        return tuple(float(k) for k in kinks(**values))
    except TypeError:
        return ()


def break_at_jumps(x, y, kinks=()):
    """Insert NaN between samples that straddle a kink where ``y`` jumps.

    matplotlib then draws no vertical segment at a discontinuity (e.g. ReLU's f' at 0).
    Returns new ``(x, y)`` arrays; unchanged when nothing jumps.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    steps = np.abs(np.diff(y))
    typical = np.nanmedian(steps) if steps.size else 0.0
    n = len(x)
    cuts = set()
    for k in kinks:
        i = int(np.searchsorted(x, k))      # x[i-1] < k <= x[i]
        if i <= 0 or i >= n:
            continue
        if x[i] == k and i + 1 < n:         # k is a sample: cut on the side that jumps
            left, right = abs(y[i] - y[i - 1]), abs(y[i + 1] - y[i])
            i = i if left >= right else i + 1
        if abs(y[i] - y[i - 1]) > max(10.0 * typical, 1e-9):
            cuts.add(i)
    if not cuts:
        return x, y
    cuts = sorted(cuts)
    return np.insert(x, cuts, np.nan), np.insert(y, cuts, np.nan)


def _param_label(values: dict) -> str:
    return ", ".join(f"{k} = {v:g}" if isinstance(v, (int, float)) else f"{k} = {v}"
                     for k, v in values.items())


def plot_activation(name_or_entry, params: dict | None = None, xlim=(-5, 5), ax=None,
                    derivative: bool = True, title: str | None = None, legend: bool = True):
    """Plot an activation f (solid) and, unless ``derivative=False``, f' (dashed).

    ``name_or_entry`` is a catalog name (``"elu"``) or an entry from
    :func:`minigrad.activations.lookup`; ``params`` overrides the entry's defaults.
    Draws on ``ax`` when given (e.g. one panel of a grid), otherwise on a new figure.
    Returns the Figure.
    """
    entry = _entry(name_or_entry)
    values = entry_params(entry, params)
    if ax is None:
        fig, ax = new_figure()
    else:
        use_book_style()
        fig = ax.figure
    x, y, dy = activation_curves(entry, values, xlim)
    kinks = _kinks(entry, values)
    ax.axhline(0.0, color=COLORS["muted"], lw=0.8, zorder=1)
    ax.axvline(0.0, color=COLORS["muted"], lw=0.8, zorder=1)
    ax.plot(*break_at_jumps(x, y, kinks), color=COLORS["f"], label="$f(x)$", zorder=3)
    if derivative:
        ax.plot(*break_at_jumps(x, dy, kinks), color=COLORS["df"], ls="--", label="$f'(x)$",
                zorder=3)
    ax.set_xlim(float(xlim[0]), float(xlim[1]))
    ax.set_xlabel("$x$")
    if title is None:
        title = getattr(entry, "title", None) or entry.name
        if params:  # name the parameters only when the caller chose them
            title = f"{title} ({_param_label(values)})"
    ax.set_title(title)
    if legend:
        ax.legend(loc="best")
    return fig


def figure_to_png(fig, dpi: int = 72, close: bool = True) -> bytes:
    """Render a figure to PNG bytes (deterministic: no timestamp) and close it by default."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white",
                metadata={"Software": None})
    if close:
        plt.close(fig)
    return buf.getvalue()
