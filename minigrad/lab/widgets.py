"""Kernel-free explorers: controls linked in the browser to stacks of pre-rendered frames.

A widget whose picture is redrawn by a Python callback is frozen in the static HTML book
(there is no kernel behind it). These explorers instead render every frame up front and
put them in ``ipywidgets.Stack`` containers; each control's ``index`` is linked with
:func:`ipywidgets.jslink` to the ``selected_index`` of the stacks, so choosing a value only
switches which frame is visible. That runs in the browser: in JupyterLab with a kernel,
and in the built book with none (the widget state is embedded in the page).

With two or more controls the stacks nest: the outer stack has one child per value of
the first control, each child is a stack over the second control, and so on. Every
inner stack at one level is linked to the same control.

Typical use in a page::

    from minigrad.lab.widgets import Control, explorer
    from minigrad.lab.plotting import new_figure

    def render(alpha):
        fig, ax = new_figure(width=4, height=2.4)
        ...
        return fig                       # PNG bytes, an SVG/HTML string, or a Figure

    explorer([Control("alpha", [0.5, 1.0, 2.0], kind="slider")], render)

ipywidgets and matplotlib are imported inside the functions (``import minigrad`` needs
numpy only).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Resolution of pre-rendered PNG frames (small: pages stay light, builds stay fast).
FRAME_DPI = 60

_CALLS = itertools.count()
_STABLE = {"active": False}


def stable_widget_ids(builder):
    """Decorator: widgets built inside get model ids derived from the builder's name and
    the order of creation, instead of random ones, so that building the book twice writes
    the same widget state into the page. (ids stay unique: each call has its own prefix.)
    """
    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        if _STABLE["active"]:
            return builder(*args, **kwargs)
        from ipywidgets import Widget

        original = Widget.open
        prefix = f"minigrad.{builder.__name__}.{next(_CALLS)}."
        counter = itertools.count()

        def open_with_stable_id(self):
            if self.comm is None and self._model_id is None:
                key = f"{prefix}{next(counter)}".encode()
                self._model_id = hashlib.md5(key, usedforsecurity=False).hexdigest()
            original(self)

        Widget.open = open_with_stable_id
        _STABLE["active"] = True
        try:
            return builder(*args, **kwargs)
        finally:
            Widget.open = original
            _STABLE["active"] = False
    return wrapper


@dataclass
class Control:
    """One explorer control: a label, the values it offers, and how it looks.

    ``values`` may be plain values (shown with ``format``) or ``(label, value)`` pairs.
    ``kind`` is ``"dropdown"``, ``"slider"`` (a SelectionSlider, for ordered numeric
    values) or ``"buttons"`` (ToggleButtons, for a few choices). ``index`` is the
    initially selected position (default 0). All three are labelled (``label`` is the
    widget's description) and keyboard-usable (Tab to focus; arrows to change).
    """

    label: str
    values: Sequence[Any]
    kind: str = "dropdown"
    index: int | None = None
    format: str = "{:g}"
    description_width: str = "initial"
    extra: dict = field(default_factory=dict)

    def options(self) -> list[tuple[str, int]]:
        """The ``(label, position)`` pairs shown by the widget."""
        out = []
        for i, v in enumerate(self.values):
            if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str):
                text = v[0]
            elif isinstance(v, str):
                text = v
            else:
                try:
                    text = self.format.format(v)
                except (ValueError, TypeError):
                    text = str(v)
            out.append((text, i))
        labels = [t for t, _ in out]
        if len(set(labels)) != len(labels):
            raise ValueError(f"control {self.label!r}: option labels must be distinct, got "
                             f"{labels}")
        return out

    def value_at(self, i: int):
        """The value (not its label) at position ``i``."""
        v = self.values[i]
        if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str):
            return v[1]
        return v

    def initial_index(self) -> int:
        """The position selected when the explorer appears."""
        if self.index is not None:
            if not 0 <= self.index < len(self.values):
                raise ValueError(f"control {self.label!r}: index {self.index} out of range")
            return self.index
        return 0

    def widget(self):
        """Build the ipywidgets control (its ``index`` trait selects the frame)."""
        import ipywidgets as w

        if not self.values:
            raise ValueError(f"control {self.label!r} has no values")
        kw = dict(options=self.options(), index=self.initial_index(),
                  description=self.label, style={"description_width": self.description_width},
                  **self.extra)
        if self.kind == "dropdown":
            return w.Dropdown(**kw)
        if self.kind == "slider":
            kw.setdefault("continuous_update", True)
            kw.setdefault("layout", w.Layout(width="min(32rem, 100%)"))
            return w.SelectionSlider(**kw)
        if self.kind == "buttons":
            return w.ToggleButtons(**kw)
        raise ValueError(f"unknown control kind {self.kind!r} (dropdown, slider, buttons)")


_SHARED: dict = {}


def _shared(kind: str):
    """One Layout/style object shared by every frame (each widget otherwise carries its own,
    about a kilobyte of state per frame in the page)."""
    import ipywidgets as w
    from ipywidgets.widgets.widget_string import HTMLStyle

    widget = _SHARED.get(kind)
    if widget is None or widget.comm is None:  # none yet, or closed
        widget = {"layout": lambda: w.Layout(max_width="100%"),
                  "html_style": HTMLStyle}[kind]()
        _SHARED[kind] = widget
    return widget


def frame_widget(frame, width: str | None = None):
    """Wrap one pre-rendered frame: PNG bytes -> ``Image``, str (SVG/HTML) -> ``HTML``.

    A matplotlib Figure is rendered to PNG at :data:`FRAME_DPI` and closed. Frames share
    one Layout (and style), which keeps the page's embedded widget state small.
    """
    import ipywidgets as w

    if hasattr(frame, "savefig"):
        from .plotting import figure_to_png

        frame = figure_to_png(frame, dpi=FRAME_DPI)
    if isinstance(frame, (bytes, bytearray)):
        layout = w.Layout(width=width) if width else _shared("layout")
        return w.Image(value=bytes(frame), format="png", layout=layout)
    if isinstance(frame, str):
        return w.HTML(value=frame, layout=_shared("layout"), style=_shared("html_style"))
    if isinstance(frame, w.Widget):
        return frame
    raise TypeError(f"a frame must be PNG bytes, an SVG/HTML string, a Figure or a widget, "
                    f"not {type(frame).__name__}")


class Explorer:
    """The pieces of an explorer, kept for tests and for composing bigger explorers.

    ``widget`` is the displayable box; ``controls`` the control widgets; ``stacks[k]`` the
    stacks switched by control ``k``; ``links`` the ``jslink`` objects; ``frames`` the
    frame widgets in grid order (the last control varies fastest).
    """

    def __init__(self, widget, controls, stacks, links, frames, shape):
        self.widget = widget
        self.controls = controls
        self.stacks = stacks
        self.links = links
        self.frames = frames
        self.shape = shape

    def _ipython_display_(self):  # pragma: no cover - exercised in notebooks
        from IPython.display import display

        display(self.widget)



def link_index(control, stack):
    """``jslink`` a control's ``index`` to a stack's ``selected_index`` (runs in the browser)."""
    import ipywidgets as w

    stack.selected_index = control.index
    return w.jslink((control, "index"), (stack, "selected_index"))


@stable_widget_ids
def explorer(controls: Sequence[Control], render: Callable[..., Any], *, title: str = "",
             caption: str = "", frame_width: str | None = None) -> Explorer:
    """Build a kernel-free explorer over the grid of all control values.

    ``render(*values)`` is called once per combination (the last control varies fastest)
    and returns PNG bytes, an SVG/HTML string, a matplotlib Figure or a widget. ``title``
    (plain text) goes above the controls, ``caption`` (HTML) below the frame, and
    ``frame_width`` (CSS, e.g. ``"28rem"``) fixes the width of PNG frames.
    Returns an :class:`Explorer`; display it (or ``.widget``) as the cell's last value.
    """
    import ipywidgets as w

    controls = list(controls)
    if not controls:
        raise ValueError("an explorer needs at least one control")
    control_widgets = [c.widget() for c in controls]
    shape = tuple(len(c.values) for c in controls)
    stacks: list[list] = [[] for _ in controls]
    links = []
    frames = []

    # Render in grid order so `frames` lines up with itertools.product over the controls.
    rendered = {}
    for idx in itertools.product(*(range(n) for n in shape)):
        values = [c.value_at(i) for c, i in zip(controls, idx)]
        widget = frame_widget(render(*values), width=frame_width)
        rendered[idx] = widget
        frames.append(widget)

    def build(level: int, prefix: tuple):
        if level == len(controls):
            return rendered[prefix]
        children = [build(level + 1, prefix + (i,)) for i in range(shape[level])]
        stack = w.Stack(children=children)
        stacks[level].append(stack)
        links.append(link_index(control_widgets[level], stack))
        return stack

    root = build(0, ())
    parts = []
    if title:
        parts.append(w.HTML(value=f"<strong>{_escape(title)}</strong>"))
    parts.append(w.VBox(control_widgets))
    parts.append(root)
    if caption:
        parts.append(w.HTML(value=caption))
    box = w.VBox(parts, layout=w.Layout(width="100%"))
    box.add_class("minigrad-explorer")
    return Explorer(box, control_widgets, stacks, links, frames, shape)


@stable_widget_ids
def choose(label: str, panels: dict, *, kind: str = "dropdown", index: int = 0) -> Explorer:
    """A control that switches between whole panels (e.g. one explorer per function).

    ``panels`` maps an option label to a widget or an :class:`Explorer`; each panel can
    carry its own controls (they are only visible while that panel is chosen).
    """
    import ipywidgets as w

    names = list(panels)
    control = Control(label, names, kind=kind, index=index).widget()
    children = [p.widget if isinstance(p, Explorer) else p for p in panels.values()]
    stack = w.Stack(children=children)
    link = link_index(control, stack)
    box = w.VBox([control, stack], layout=w.Layout(width="100%"))
    box.add_class("minigrad-explorer")
    frames = []
    for p in panels.values():
        frames.extend(p.frames if isinstance(p, Explorer) else [p])
    return Explorer(box, [control], [[stack]], [link], frames, (len(names),))


def _times(factor: float) -> str:
    """A factor as text: 240x, 0.031x, 1e+12x -> "240\u00d7", "0.031\u00d7", "1e12\u00d7"."""
    text = f"{factor:.2g}".replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")
    return text + "\u00d7"


def _num(v: float, digits: int = 2) -> str:
    """A rounded number without a negative zero."""
    text = f"{v:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))



# ---------------------------------------------------------------------------------------
# The book's four explorers. Their frames are SVG charts computed with numpy
# (minigrad.lab.plotting.svg_figure): about a millisecond and a few kB each, so a page
# with hundreds of frames executes in seconds and stays light.
# ---------------------------------------------------------------------------------------

def _lin(a, b, n):
    import numpy as np

    return [float(v) for v in np.round(np.linspace(a, b, n), 6)]


#: Slider values for catalog parameters, by (activation, parameter). Parameters not listed
#: get a grid around their default inside their valid range (see :func:`parameter_grid`).
PARAMETER_GRIDS = {
    ("leaky_relu", "negative_slope"): _lin(0.0, 0.5, 21),
    ("prelu", "weight"): _lin(-0.5, 1.0, 21),
    ("elu", "alpha"): _lin(0.1, 2.1, 21),
    ("celu", "alpha"): _lin(0.1, 2.1, 21),
    ("isru", "alpha"): _lin(0.1, 2.1, 21),
    ("isrlu", "alpha"): _lin(0.1, 2.1, 21),
    ("softplus", "beta"): [2.0 ** (k / 4) for k in range(-8, 9)],
    ("swish", "beta"): _lin(0.0, 4.0, 21),
    ("softshrink", "lambd"): _lin(0.0, 2.0, 21),
    ("hardshrink", "lambd"): _lin(0.0, 2.0, 21),
    ("soft_exponential", "alpha"): _lin(-1.0, 1.0, 21),
    ("rrelu", "lower"): [0.0, 0.05, 0.1, 0.125, 0.15, 0.2, 0.25],
    ("rrelu", "upper"): [0.25, 0.3, 1 / 3, 0.4, 0.45, 0.5],
    ("hardtanh", "min_val"): _lin(-2.0, 0.0, 5),
    ("hardtanh", "max_val"): _lin(0.5, 2.0, 4),
    ("threshold", "threshold"): _lin(-2.0, 2.0, 9),
    ("threshold", "value"): _lin(-1.0, 1.0, 5),
}

#: Parameters the activation explorer keeps at their default (numerical switches).
FIXED_PARAMETERS = {("softplus", "threshold")}

#: At most this many parameters get a control (the rest stay at their defaults), and a
#: function with two gets at most this many values per control.
MAX_CONTROLS, MAX_VALUES_PER_PAIR = 2, 7


def _is_number(v) -> bool:
    import numbers

    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def parameter_grid(entry, param, n: int = 21) -> list:
    """Values a slider offers for ``param`` of catalog ``entry`` (always with the default).

    From :data:`PARAMETER_GRIDS` when listed; otherwise ``n`` values spanning
    ``default +- max(|default|, 1)`` clipped to the parameter's valid range. Values the
    parameter rejects (``Param.check``) are dropped. Choice parameters: their choices.
    """
    import math

    if getattr(param, "choices", ()):
        return list(param.choices)
    default = param.default
    values = PARAMETER_GRIDS.get((entry.name, param.name))
    if values is None:
        d = float(default)
        span = max(abs(d), 1.0)
        lo, hi = d - span, d + span
        low, high = float(getattr(param, "low", -math.inf)), float(getattr(param, "high",
                                                                          math.inf))
        step = 2 * span / (n - 1)
        if math.isfinite(low) and lo <= low:
            lo = low + (step if getattr(param, "low_open", True) else 0.0)
        if math.isfinite(high) and hi >= high:
            hi = high - (step if getattr(param, "high_open", True) else 0.0)
        values = _lin(lo, hi, n)
    values = sorted({float(v) for v in values} | {float(default)})
    ok = []
    for v in values:
        try:
            param.check(v, entry.name)
        except (TypeError, ValueError):
            continue  # outside the parameter's valid range
        ok.append(v)
    return ok


def _thin(values: list, default, k: int) -> list:
    """At most ``k`` of ``values``, evenly spread, keeping ``default``."""
    import numpy as np

    if len(values) <= k:
        return values
    picks = {round(i) for i in np.linspace(0, len(values) - 1, k)}
    if default in values:
        d = values.index(default)
        nearest = min(picks, key=lambda i: abs(i - d))
        picks = (picks - {nearest}) | {d}
    return [values[i] for i in sorted(picks)]


def activation_controls(entry) -> tuple[list, dict]:
    """The (param, values) pairs that get a control, and the parameters held fixed."""
    slid, fixed = [], {}
    for p in getattr(entry, "params", ()):
        wanted = (entry.name, p.name) not in FIXED_PARAMETERS and len(slid) < MAX_CONTROLS
        if wanted and (p.choices or _is_number(p.default)):
            values = parameter_grid(entry, p)
            if len(values) > 1:
                slid.append((p, values))
                continue
        fixed[p.name] = p.default
    if len(slid) == 2:
        slid = [(p, _thin(v, p.default, MAX_VALUES_PER_PAIR)) for p, v in slid]
    return slid, fixed


def _fmt_value(v) -> str:
    return f"{v:.3g}" if _is_number(v) else str(v)


@stable_widget_ids
def activation_explorer(names=None, *, initial: str = "elu", xlim=(-5.0, 5.0),
                        n_samples: int = 20000, seed: int = 0, bins: int = 40) -> Explorer:
    """Pick a catalog function, set its parameters; see f, f' and f applied to N(0, 1).

    One panel per elementwise catalog entry (or per name in ``names``), chosen from a
    dropdown; each panel has a slider (or buttons) per parameter (at most two; others stay
    at their defaults and are named under the panel); ``initial`` is the function shown
    first (when it is among them). Each frame shows f and f' on
    ``xlim`` and a histogram of f(z) for ``n_samples`` draws z ~ N(0, 1) (``seed``), with
    their mean and standard deviation. Axis limits are fixed per function, so moving a
    slider shows the change.
    """
    import ipywidgets as w
    import numpy as np

    from minigrad.activations import entries, lookup

    from .plotting import COLORS, SvgPanel, activation_curves, break_at_jumps, svg_figure
    from .plotting import _kinks as kinks_of

    chosen = [lookup(n) for n in names] if names else [
        e for e in entries() if getattr(e, "elementwise", True)]
    z = np.random.default_rng(seed).standard_normal(n_samples)
    panels = {}
    for entry in chosen:
        slid, fixed = activation_controls(entry)
        grid = list(itertools.product(*(v for _, v in slid))) or [()]
        curves, samples = {}, {}
        for combo in grid:
            values = {**{p.name: p.default for p in entry.params}, **fixed,
                      **{p.name: v for (p, _), v in zip(slid, combo)}}
            with np.errstate(all="ignore"):
                x, y, dy = activation_curves(entry, values, xlim, num=161) if \
                    entry.derivative is not None else (None, None, None)
                fz = np.asarray(entry.forward(z, **values), dtype=float)
            curves[combo] = (values, x, y, dy)
            samples[combo] = fz
        # limits shared by all frames of this function
        ally = np.concatenate([np.r_[c[2], c[3]] for c in curves.values()])
        ally = ally[np.isfinite(ally)]
        ylo, yhi = (np.clip(np.percentile(ally, [0, 100]), -6, 6) if ally.size else (-1, 1))
        pad = 0.06 * max(yhi - ylo, 1e-6)
        ylim = (float(ylo - pad), float(yhi + pad))
        allz = np.concatenate(list(samples.values()))
        allz = allz[np.isfinite(allz)]
        hlo, hhi = np.percentile(allz, [0.25, 99.75]) if allz.size else (-1, 1)
        if hhi - hlo < 1e-9:
            hlo, hhi = hlo - 0.5, hhi + 0.5
        edges = np.linspace(hlo, hhi, bins + 1)
        hmax = max(np.histogram(s[np.isfinite(s)], bins=edges, density=True)[0].max()
                   for s in samples.values())
        fixed_note = ", ".join(f"{k} = {_fmt_value(v)}" for k, v in fixed.items())

        def render(*combo, entry=entry, slid=slid, curves=curves, samples=samples,
                   edges=edges, ylim=ylim, hmax=hmax):
            values, x, y, dy = curves[tuple(combo)]
            shown = ", ".join(f"{p.name} = {_fmt_value(v)}" for (p, _), v in zip(slid, combo))
            kinks = kinks_of(entry, values)
            left = SvgPanel(title=entry.title if not shown else f"{entry.title}: {shown}",
                            xlabel="x", xlim=xlim, ylim=ylim)
            left.line(*break_at_jumps(x, y, kinks), color=COLORS["f"], label="f(x)")
            left.line(*break_at_jumps(x, dy, kinks), color=COLORS["df"], dash=True,
                      label="f\u2032(x)")
            fz = samples[tuple(combo)]
            fz = fz[np.isfinite(fz)]
            heights, _ = np.histogram(np.clip(fz, edges[0], edges[-1]), bins=edges,
                                      density=True)
            mean, std = float(fz.mean()), float(fz.std())
            right = SvgPanel(title=f"f(z), z ~ N(0, 1): mean {_num(mean)}, std {_num(std)}",
                             xlabel="f(z)", ylabel="density", ylim=(0, 1.05 * hmax),
                             xlim=(edges[0], edges[-1]), legend="upper right")
            right.bars(edges, heights, color=COLORS["f"])
            right.hline(0.0)
            alt = (f"{entry.title}{' with ' + shown if shown else ''}: f and its derivative "
                   f"on [{xlim[0]:g}, {xlim[1]:g}], and a histogram of f(z) for "
                   f"{n_samples} samples z ~ N(0, 1), mean {_num(mean)}, standard deviation "
                   f"{_num(std)}.")
            return svg_figure([left, right], width=720, height=260, alt=alt)

        if slid:
            controls = [Control(p.name, v, kind="buttons" if p.choices else "slider",
                                index=v.index(p.default) if p.default in v else 0,
                                format="{:.3g}") for p, v in slid]
            panel = explorer(controls, render, caption=(
                f"<small>Other parameters at their defaults: {fixed_note}.</small>"
                if fixed_note else ""))
        else:
            panel = frame_widget(render())
            panel = Explorer(w.VBox([panel]), [], [], [], [panel], ())
        panels[entry.title] = panel
    first = next((i for i, e in enumerate(chosen) if e.name == initial), 0)
    return choose("Activation", panels, index=first)


#: The gradient-flow explorer's grid: activations, initialisations, depths.
GRADIENT_FLOW_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu")
GRADIENT_FLOW_INITS = ("normal", "uniform", "glorot", "he", "lecun")
GRADIENT_FLOW_DEPTHS = (5, 10, 15, 20, 30, 40, 50)


@stable_widget_ids
def gradient_flow_explorer(activations=GRADIENT_FLOW_ACTIVATIONS, inits=GRADIENT_FLOW_INITS,
                           depths=GRADIENT_FLOW_DEPTHS, *, width: int = 32,
                           n_samples: int = 64, seed: int = 0) -> Explorer:
    """Activation x initialisation x depth -> per-layer gradient norms (and forward scale).

    Each frame runs :func:`minigrad.lab.experiments.gradient_flow.gradient_flow` (one
    forward and backward pass through ``depth`` layers of ``width`` units, ``n_samples``
    inputs, ``seed``) and plots |dL/dz_l| per layer on a log scale next to the standard
    deviation of each layer's activations. Layer 1 is next to the input.
    """
    import numpy as np

    from .experiments import gradient_flow as gf
    from .plotting import COLORS, SvgPanel, svg_figure

    inits_label = {"normal": "N(0, 1)", "uniform": "uniform \u00b11/\u221an",
                   "glorot": "Glorot", "he": "He", "lecun": "LeCun"}

    def render(activation, init, depth):
        r = gf.gradient_flow(activation, init, depth=depth, width=width,
                             n_samples=n_samples, seed=seed)
        layers = np.arange(1, depth + 1)
        with np.errstate(all="ignore"):
            g = np.where(np.isfinite(r.preact_grad_norms), r.preact_grad_norms, np.nan)
            ratio = g[0] / g[-1]
            factor = ratio ** (1.0 / max(depth - 1, 1)) if np.isfinite(ratio) else np.nan
        if np.isfinite(ratio) and ratio > 0:
            verdict = (f"layer 1 gets {_times(ratio)} the top layer's gradient "
                       f"({_times(factor)} per layer)")
        else:
            verdict = "the gradient overflows or vanishes to 0"
        left = SvgPanel(title="gradient norm |dL/dz| per layer", xlabel="layer (1 = input side)",
                        ylog=True, xlim=(0.5, depth + 0.5), legend="lower right")
        left.hline(float(g[-1]) if np.isfinite(g[-1]) else 1.0, label="top layer")
        left.line(layers, g, color=COLORS["f"], markers=depth <= 20, label=activation)
        a = np.asarray(r.activation_std, dtype=float)
        right = SvgPanel(title="std of activations per layer", xlabel="layer",
                         ylog=True, xlim=(0.5, depth + 0.5))
        right.line(layers, np.where(a > 0, a, np.nan), color=COLORS["df"],
                   markers=depth <= 20, label=activation)
        title = f"{activation}, {inits_label.get(init, init)} init, {depth} layers: {verdict}"
        alt = (f"Gradient norms per layer for {activation} with {inits_label.get(init, init)} "
               f"initialisation and {depth} layers (log scale): {verdict}. Right: the "
               f"standard deviation of each layer's activations.")
        return svg_figure([left, right], width=760, height=290, alt=alt, title=title)

    return explorer([Control("activation", list(activations)),
                     Control("initialisation",
                             [(inits_label.get(i, i), i) for i in inits], kind="buttons",
                             index=list(inits).index("glorot") if "glorot" in inits else 0),
                     Control("depth", list(depths), kind="slider", format="{:d}",
                             index=list(depths).index(10) if 10 in depths else 0)],
                    render)


@stable_widget_ids
def maxout_explorer(targets=("square", "abs", "relu", "exp", "sin"), ks=range(1, 9), *,
                    interval=(-2.0, 2.0), seed: int = 0) -> Explorer:
    """Target x number of pieces k -> the fitted maxout unit and its error.

    All units are trained at once by :func:`minigrad.lab.experiments.maxout_fit.
    fit_maxout_many` (Adam on the mean squared error, ``seed``). Each frame shows the
    target, the fitted ``max_j(w_j x + b_j)`` and its k lines, and the error along x with
    the uniform (max) error; for ``square`` also the best possible uniform error
    ``a^2 / (2 k^2)``.
    """
    import numpy as np

    from .experiments import maxout_fit as mf
    from .plotting import COLORS, SvgPanel, svg_figure

    ks = [int(k) for k in ks]
    fits = mf.fit_maxout_many(list(targets), ks, interval, seed)
    lo, hi = interval
    limits = {}
    for t in targets:
        ys = np.concatenate([fits[(t, k)].y_true for k in ks] + [fits[(t, k)].y_fit for k in ks])
        pad = 0.08 * (ys.max() - ys.min() + 1e-9)
        limits[t] = (float(ys.min() - pad), float(ys.max() + pad))
    err_max = {t: max(float(np.max(np.abs(fits[(t, k)].y_fit - fits[(t, k)].y_true)))
                      for k in ks) for t in targets}

    def render(target, k):
        fit = fits[(target, k)]
        x = fit.x
        left = SvgPanel(title=f"{target}(x) and a maxout unit with k = {k}", xlabel="x",
                        xlim=(lo, hi), ylim=limits[target])
        for j in range(k):      # the k lines w_j x + b_j, faint
            left.line(x[[0, -1]], fit.weights[j] * x[[0, -1]] + fit.biases[j],
                      color=COLORS["muted"], width=0.8)
        left.line(x, fit.y_true, color=COLORS["extra"], label=f"target {target}(x)")
        left.line(x, fit.y_fit, color=COLORS["f"], dash=True, label="maxout fit")
        err = np.abs(fit.y_fit - fit.y_true)
        right = SvgPanel(title=f"|error|: max {fit.max_error:.3g}", xlabel="x",
                         xlim=(lo, hi), ylim=(0, 1.05 * err_max[target]), legend="upper right")
        right.line(x, err, color=COLORS["df"], label="|fit \u2212 target|")
        if target == "square":
            right.hline(mf.minimax_error_square(k, a=hi), color=COLORS["extra"],
                        label="best possible")
        alt = (f"Maxout unit with {k} pieces fitted to {target}(x) on [{lo:g}, {hi:g}]; "
               f"largest error {fit.max_error:.3g}.")
        return svg_figure([left, right], width=760, height=270, alt=alt)

    return explorer([Control("target", list(targets)),
                     Control("pieces k", ks, kind="slider", format="{:d}",
                             index=min(3, len(ks) - 1))], render)


#: The SELU explorer's comparisons: (label, activation, initialisation).
SELU_COMPARISONS = (
    ("ReLU, He init", "relu", "he"),
    ("tanh, Glorot init", "tanh", "glorot"),
    ("ELU, He init", "elu", "he"),
    ("sigmoid, Glorot init", "sigmoid", "glorot"),
    ("SELU, He init", "selu", "he"),
    ("SELU, uniform \u00b11/\u221an init", "selu", "uniform"),
)
SELU_LAYERS = (0, 1, 2, 3, 5, 10, 20, 30, 50, 75, 100)


@stable_widget_ids
def selu_explorer(comparisons=SELU_COMPARISONS, layers=SELU_LAYERS, *, depth: int = 100,
                  width: int = 256, n_samples: int = 64, seed: int = 0, bins: int = 40
                  ) -> Explorer:
    """Layer slider -> the distribution of activations at that layer, SELU against others.

    SELU with LeCun normal initialisation is pushed through ``depth`` random layers
    (:func:`minigrad.lab.experiments.selu_norm.layer_activations`) next to one other
    activation/initialisation chosen from ``comparisons``. Left: histograms at the chosen
    layer. Right: each network's activation mean and standard deviation for every layer,
    with the chosen layer marked.
    """
    import numpy as np

    from .experiments import selu_norm as sn
    from .plotting import COLORS, SvgPanel, svg_figure

    every = tuple(range(depth + 1))

    def run(activation, init):
        acts = sn.layer_activations(activation, init, depth=depth, width=width,
                                    n_samples=n_samples, layers=every, seed=seed)
        with np.errstate(all="ignore"):
            means = np.array([float(np.mean(acts[i])) for i in every])
            stds = np.array([float(np.std(acts[i])) for i in every])
        return acts, means, stds

    selu = run("selu", "lecun")
    others = {label: run(a, i) for label, a, i in comparisons}

    def render(label, layer):
        acts_o, mean_o, std_o = others[label]
        acts_s, mean_s, std_s = selu
        hs, ho = acts_s[layer].ravel(), acts_o[layer].ravel()
        both = np.concatenate([hs, ho])
        both = both[np.isfinite(both)]
        lo_, hi_ = np.percentile(both, [0.5, 99.5]) if both.size else (-1.0, 1.0)
        lo_, hi_ = min(lo_, -1.0), max(hi_, 1.0)
        edges = np.linspace(lo_, hi_, bins + 1)
        dens_s = np.histogram(np.clip(hs, lo_, hi_), bins=edges, density=True)[0]
        dens_o = np.histogram(np.clip(ho[np.isfinite(ho)], lo_, hi_), bins=edges,
                              density=True)[0]
        left = SvgPanel(title=f"activations after layer {layer}", xlabel="activation value",
                        ylabel="density", xlim=(lo_, hi_), legend="upper right")
        left.bars(edges, dens_s, color=COLORS["f"],
                  label=f"SELU, LeCun: mean {_num(mean_s[layer])}, std {_num(std_s[layer])}")
        left.bars(edges, dens_o, color=COLORS["df"],
                  label=f"{label}: mean {_num(mean_o[layer])}, std {_num(std_o[layer])}")
        L = np.arange(depth + 1)
        stds = np.concatenate([std_s, std_o])
        stds = stds[np.isfinite(stds) & (stds > 0)]
        ylim = (10.0 ** np.floor(np.log10(min(stds.min(), 1.0)) - 0.3),
                10.0 ** np.ceil(np.log10(max(stds.max(), 1.0)) + 0.3))
        right = SvgPanel(title="std of activations per layer (log)", xlabel="layer",
                         ylog=True, xlim=(0, depth), ylim=ylim, legend="lower left")
        right.line(L, np.where(std_s > 0, std_s, np.nan), color=COLORS["f"],
                   label="SELU, LeCun")
        right.line(L, np.where(std_o > 0, std_o, np.nan), color=COLORS["df"], label=label)
        right.hline(1.0, label="std 1")
        marker = np.array([layer, layer])
        right.line(marker, np.array(ylim), color=COLORS["muted"], width=1.0)
        alt = (f"Histogram of activations after layer {layer} of {depth}: SELU with LeCun "
               f"initialisation (mean {_num(mean_s[layer])}, std {_num(std_s[layer])}) and "
               f"{label} (mean {_num(mean_o[layer])}, std {_num(std_o[layer])}); right, the "
               f"standard deviation of both at every layer.")
        return svg_figure([left, right], width=760, height=280, alt=alt)

    return explorer([Control("compare SELU with", [c[0] for c in comparisons]),
                     Control("layer", list(layers), kind="slider", format="{:d}",
                             index=list(layers).index(10) if 10 in layers else 0)], render)
