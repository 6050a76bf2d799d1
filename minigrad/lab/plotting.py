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


# ---------------------------------------------------------------------------------------
# Light SVG charts computed with numpy (no matplotlib): for the explorers' hundreds of
# frames. A frame costs about a millisecond and a few kilobytes, and stays sharp at any
# zoom. Same colours and white background as the matplotlib style.
# ---------------------------------------------------------------------------------------

def nice_ticks(lo: float, hi: float, target: int = 5) -> np.ndarray:
    """Round tick positions (1, 2, 2.5, 5 x 10^k steps) covering ``[lo, hi]``."""
    lo, hi = float(lo), float(hi)
    if not np.isfinite(lo) or not np.isfinite(hi):
        return np.array([0.0])
    if hi <= lo:
        return np.array([lo])
    raw = (hi - lo) / max(target, 1)
    mag = 10.0 ** np.floor(np.log10(raw))
    step = mag * min((m for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * mag >= raw), default=10.0)
    start = np.ceil(lo / step - 1e-9) * step
    ticks = np.arange(start, hi + step * 1e-6, step)
    return np.round(ticks, 12)


def _fmt_tick(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1e4 or abs(v) < 1e-3:
        mant, exp = f"{v:.0e}".split("e")
        return f"{mant}e{int(exp)}"
    return f"{v:g}".replace("-", "\u2212")


class SvgPanel:
    """One panel of an SVG chart: lines, histogram bars, guides; linear or log10 y axis.

    Add artists with :meth:`line`, :meth:`bars`, :meth:`hline`; limits default to the data
    (``xlim``/``ylim`` fix them). Render with :func:`svg_figure`.
    """

    def __init__(self, title: str = "", xlabel: str = "", ylabel: str = "", xlim=None,
                 ylim=None, ylog: bool = False, legend: str = "upper left"):
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.xlim, self.ylim, self.ylog, self.legend = xlim, ylim, ylog, legend
        self.items: list[tuple] = []

    def line(self, x, y, color=COLORS["f"], dash: bool = False, label: str = "",
             width: float = 2.0, markers: bool = False):
        """A polyline (NaN breaks it)."""
        self.items.append(("line", np.asarray(x, float), np.asarray(y, float), color, dash,
                           label, width, markers))
        return self

    def bars(self, edges, heights, color=COLORS["f"], label: str = "", opacity: float = 0.55):
        """A histogram: ``len(edges) == len(heights) + 1``."""
        self.items.append(("bars", np.asarray(edges, float), np.asarray(heights, float), color,
                           label, opacity))
        return self

    def hline(self, y: float, color=COLORS["muted"], dash: bool = True, label: str = ""):
        """A horizontal guide across the panel."""
        self.items.append(("hline", float(y), color, dash, label))
        return self

    def _data_limits(self):
        xs, ys = [], []
        for item in self.items:
            if item[0] == "line":
                xs.append(item[1])
                ys.append(item[2])
            elif item[0] == "bars":
                xs.append(item[1])
                ys.append(np.append(item[2], 0.0))
            elif item[0] == "hline":
                ys.append(np.array([item[1]]))
        def lim(arrays, fixed, log=False):
            if fixed is not None:
                return float(fixed[0]), float(fixed[1])
            v = np.concatenate(arrays) if arrays else np.array([0.0, 1.0])
            v = v[np.isfinite(v)]
            if log:
                v = v[v > 0]
            if v.size == 0:
                return (1.0, 10.0) if log else (0.0, 1.0)
            lo, hi = float(v.min()), float(v.max())
            if log:
                lo, hi = np.log10(lo), np.log10(hi)
                if hi - lo < 1e-9:
                    lo, hi = lo - 0.5, hi + 0.5
                return 10.0 ** np.floor(lo), 10.0 ** np.ceil(hi)
            if hi - lo < 1e-12:
                lo, hi = lo - 0.5, hi + 0.5
            pad = 0.05 * (hi - lo)
            return lo - pad, hi + pad
        return lim(xs, self.xlim), lim(ys, self.ylim, self.ylog)


def _num(v: float) -> str:
    """Shortest text for a coordinate rounded to 0.1 (``-0.5`` -> ``-.5``, ``3.0`` -> ``3``)."""
    t = f"{v:.1f}"
    t = t.removesuffix(".0")
    if t in ("-0", ""):
        t = "0"
    return t.replace("0.", ".", 1) if t.startswith(("0.", "-0.")) else t


def _simplify(px: np.ndarray, py: np.ndarray, tol: float = 0.2) -> np.ndarray:
    """Indices of the points to keep so the polyline moves by < ``tol`` px (Douglas-Peucker)."""
    n = len(px)
    if n <= 2:
        return np.arange(n)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        dx, dy = px[b] - px[a], py[b] - py[a]
        norm = np.hypot(dx, dy)
        seg_x, seg_y = px[a + 1:b] - px[a], py[a + 1:b] - py[a]
        dist = (np.abs(dx * seg_y - dy * seg_x) / norm if norm > 0
                else np.hypot(seg_x, seg_y))
        i = int(np.argmax(dist))
        if dist[i] > tol:
            keep[a + 1 + i] = True
            stack.extend(((a, a + 1 + i), (a + 1 + i, b)))
    return np.flatnonzero(keep)


def _path(px, py) -> str:
    """Compact SVG path data (relative moves, simplified) for a polyline; NaN breaks it."""
    px, py = np.round(np.asarray(px, float), 1), np.round(np.asarray(py, float), 1)
    finite = np.isfinite(px) & np.isfinite(py)
    out = []
    start = 0
    n = len(px)
    while start < n:
        while start < n and not finite[start]:
            start += 1
        stop = start
        while stop < n and finite[stop]:
            stop += 1
        if stop > start:
            idx = start + _simplify(px[start:stop], py[start:stop])
            xs, ys = px[idx], py[idx]
            out.append(f"M{_num(xs[0])} {_num(ys[0])}")
            d = "".join(f"l{_num(a)} {_num(b)}" for a, b in zip(np.diff(xs), np.diff(ys)))
            out.append(d.replace(" -", "-"))
        start = stop
    return "".join(out)


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("'", "&#39;")


def svg_figure(panels, width: int = 640, height: int = 240, ncols: int | None = None,
               alt: str = "", title: str = "") -> str:
    """Render :class:`SvgPanel` objects side by side as one SVG string.

    ``alt`` becomes the SVG's accessible name (``role="img"`` + ``aria-label`` + <title>);
    ``title`` is an optional heading drawn across the top. Deterministic output.
    """
    panels = list(panels)
    ncols = ncols or len(panels)
    nrows = int(np.ceil(len(panels) / ncols))
    top = 22 if title else 0
    pw, ph = width / ncols, (height - top) / nrows
    font = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_esc(alt)}" '
        f'style="max-width:100%;height:auto;background:#fff" {font} font-size="12">'),
        f"<title>{_esc(alt)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    if title:
        parts.append(f'<text x="{width / 2:.1f}" y="16" text-anchor="middle" '
                     f'font-size="13" fill="#111">{_esc(title)}</text>')
    for k, panel in enumerate(panels):
        ox, oy = (k % ncols) * pw, top + (k // ncols) * ph
        parts.append(_render_panel(panel, ox, oy, pw, ph))
    parts.append("</svg>")
    # Single-quoted attributes: the SVG is stored in JSON (widget state), where every
    # double quote would cost a backslash. Text content has its quotes escaped (_esc).
    return "".join(parts).replace('"', "'")


def _render_panel(p: SvgPanel, ox: float, oy: float, pw: float, ph: float) -> str:
    left, right = ox + 46, ox + pw - 12
    top = oy + (24 if p.title else 10)
    bottom = oy + ph - (34 if p.xlabel else 22)
    (x0, x1), (y0, y1) = p._data_limits()
    if p.ylog:
        ty0, ty1 = np.log10(y0), np.log10(y1)
    else:
        ty0, ty1 = y0, y1

    def sx(x):
        return left + (np.asarray(x, float) - x0) / (x1 - x0) * (right - left)

    def sy(y):
        y = np.asarray(y, float)
        if p.ylog:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(y > 0, np.log10(np.where(y > 0, y, 1.0)), np.nan)
        return bottom - (y - ty0) / (ty1 - ty0) * (bottom - top)

    out = [(f'<g><clipPath id="c{int(ox)}_{int(oy)}"><rect x="{left:.1f}" y="{top:.1f}" '
           f'width="{right - left:.1f}" height="{bottom - top:.1f}"/></clipPath>')]
    # grid and ticks
    xt = [t for t in nice_ticks(x0, x1) if x0 - 1e-9 <= t <= x1 + 1e-9]
    if p.ylog:
        yt = [10.0 ** e for e in range(int(np.floor(ty0)), int(np.ceil(ty1)) + 1)]
        if len(yt) > 7:
            yt = yt[:: int(np.ceil(len(yt) / 6))]
    else:
        yt = list(nice_ticks(y0, y1))
    yt = [t for t in yt if (ty0 - 1e-9 <= (np.log10(t) if p.ylog else t) <= ty1 + 1e-9)]
    grid, xlabels, ylabels = [], [], []
    for t in xt:
        X = float(sx(t))
        grid.append(f"M{_num(X)} {_num(top)}V{_num(bottom)}")
        xlabels.append(f'<text x="{_num(X)}">{_fmt_tick(t)}</text>')
    for t in yt:
        Y = float(sy(t))
        label = f"1e{round(np.log10(t))}" if p.ylog else _fmt_tick(t)
        grid.append(f"M{_num(left)} {_num(Y)}H{_num(right)}")
        ylabels.append(f'<text y="{_num(Y + 4)}">{label}</text>')
    out.append(f'<path d="{"".join(grid)}" stroke="#e3e3e3" stroke-width=".8"/>')
    out.append(f'<g font-size="11" fill="#333" text-anchor="middle" '
               f'transform="translate(0 {_num(bottom + 14)})">{"".join(xlabels)}</g>')
    out.append(f'<g font-size="11" fill="#333" text-anchor="end" '
               f'transform="translate({_num(left - 5)} 0)">{"".join(ylabels)}</g>')
    # zero guides (linear axes only)
    if x0 < 0 < x1:
        X = float(sx(0.0))
        out.append(f'<line x1="{X:.1f}" y1="{top:.1f}" x2="{X:.1f}" y2="{bottom:.1f}" '
                   f'stroke="#999" stroke-width="0.8"/>')
    if not p.ylog and y0 < 0 < y1:
        Y = float(sy(0.0))
        out.append(f'<line x1="{left:.1f}" y1="{Y:.1f}" x2="{right:.1f}" y2="{Y:.1f}" '
                   f'stroke="#999" stroke-width="0.8"/>')
    clip = f'clip-path="url(#c{int(ox)}_{int(oy)})"'
    legend = []
    for item in p.items:
        kind = item[0]
        if kind == "bars":
            _, edges, heights, color, label, opacity = item
            base = float(sy(max(y0, 1e-300) if p.ylog else max(0.0, y0)))
            xs, ys = sx(edges), sy(heights)
            d = "".join(f"M{_num(xs[i])} {_num(base)}V{_num(ys[i])}H{_num(xs[i + 1])}"
                        f"V{_num(base)}Z"
                        for i in range(len(heights)) if np.isfinite(ys[i]) and heights[i] > 0)
            out.append(f'<path d="{d}" fill="{color}" fill-opacity="{opacity}" '
                       f'stroke="{color}" stroke-width="0.6" {clip}/>')
            if label:
                legend.append((label, color, "bar"))
        elif kind == "line":
            _, x, y, color, dash, label, lw, markers = item
            dash_attr = ' stroke-dasharray="6 4"' if dash else ""
            out.append(f'<path d="{_path(sx(x), sy(y))}" fill="none" stroke="{color}" '
                       f'stroke-width="{lw}"{dash_attr} stroke-linejoin="round" {clip}/>')
            if markers:
                out.extend(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.6" fill="{color}" {clip}/>'
                           for a, b in zip(sx(x), sy(y)) if np.isfinite(a) and np.isfinite(b))
            if label:
                legend.append((label, color, "dash" if dash else "line"))
        elif kind == "hline":
            _, yv, color, dash, label = item
            Y = float(sy(yv))
            if np.isfinite(Y):
                dash_attr = ' stroke-dasharray="3 3"' if dash else ""
                out.append(f'<line x1="{left:.1f}" y1="{Y:.1f}" x2="{right:.1f}" y2="{Y:.1f}" '
                           f'stroke="{color}" stroke-width="1.2"{dash_attr} {clip}/>')
            if label:
                legend.append((label, color, "dash" if dash else "line"))
    # axes, labels, title
    out.append(f'<path d="M{left:.1f} {top:.1f}V{bottom:.1f}H{right:.1f}" fill="none" '
               f'stroke="#333" stroke-width="1"/>')
    if p.title:
        out.append(f'<text x="{(left + right) / 2:.1f}" y="{oy + 15:.1f}" text-anchor="middle" '
                   f'font-size="12.5" fill="#111">{_esc(p.title)}</text>')
    if p.xlabel:
        out.append(f'<text x="{(left + right) / 2:.1f}" y="{bottom + 29:.1f}" '
                   f'text-anchor="middle" font-size="11.5" fill="#111">{_esc(p.xlabel)}</text>')
    if p.ylabel:
        cy = (top + bottom) / 2
        out.append(f'<text x="{ox + 11:.1f}" y="{cy:.1f}" text-anchor="middle" font-size="11.5" '
                   f'fill="#111" transform="rotate(-90 {ox + 11:.1f} {cy:.1f})">'
                   f'{_esc(p.ylabel)}</text>')
    if legend:
        lx = left + 8 if "left" in p.legend else right - 8 - 7.0 * max(len(t) for t, *_ in
                                                                       legend) - 26
        ly = top + 12 if "upper" in p.legend else bottom - 8 - 15 * (len(legend) - 1)
        out.append(f'<rect x="{lx - 4:.1f}" y="{ly - 11:.1f}" '
                   f'width="{7.0 * max(len(t) for t, *_ in legend) + 34:.1f}" '
                   f'height="{15 * len(legend) + 4:.1f}" fill="#fff" fill-opacity="0.85"/>')
        for i, (text, color, style) in enumerate(legend):
            y = ly + 15 * i
            if style == "bar":
                out.append(f'<rect x="{lx:.1f}" y="{y - 8:.1f}" width="18" height="9" '
                           f'fill="{color}" fill-opacity="0.55"/>')
            else:
                dash_attr = ' stroke-dasharray="5 3"' if style == "dash" else ""
                out.append(f'<line x1="{lx:.1f}" y1="{y - 4:.1f}" x2="{lx + 18:.1f}" '
                           f'y2="{y - 4:.1f}" stroke="{color}" stroke-width="2"{dash_attr}/>')
            out.append(f'<text x="{lx + 24:.1f}" y="{y:.1f}" font-size="11" fill="#111">'
                       f'{_esc(text)}</text>')
    out.append("</g>")
    return "".join(out)
