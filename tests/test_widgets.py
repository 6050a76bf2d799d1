"""minigrad.lab.widgets: kernel-free explorers are jslinked stacks of pre-rendered frames.

These tests check the structure the static book relies on: every control's ``index`` is
linked (in the browser, ``jslink``) to the ``selected_index`` of every stack at its level,
there is one frame per combination of control values, and the frames differ. The browser
tests (test_browser.py) check that the built pages respond.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

widgets = pytest.importorskip("ipywidgets")

from ipywidgets.widgets.widget_link import Link

from minigrad.activations import entries, lookup
from minigrad.lab import widgets as W
from minigrad.lab.plotting import SvgPanel, svg_figure


def _links(ex):
    return [(link.source, link.target) for link in ex.links]


def _check_structure(ex):
    """Every stack at level k is jslinked to control k; one frame per grid point."""
    assert len(ex.controls) == len(ex.shape) == len(ex.stacks)
    links = _links(ex)
    assert all(isinstance(link, Link) for link in ex.links)  # jslink, not a callback
    for level, (control, stacks) in enumerate(zip(ex.controls, ex.stacks)):
        expected = int(np.prod(ex.shape[:level]))
        assert len(stacks) == expected
        for stack in stacks:
            assert isinstance(stack, widgets.Stack)
            assert len(stack.children) == ex.shape[level]
            assert ((control, "index"), (stack, "selected_index")) in links
            assert stack.selected_index == control.index
        assert control.description                      # labelled
    assert len(ex.frames) == int(np.prod(ex.shape))
    return links


def test_explorer_nests_one_stack_per_control_and_links_them():
    calls = []

    def render(a, b):
        calls.append((a, b))
        return f"<p>{a}-{b}</p>"

    ex = W.explorer([W.Control("a", [1, 2, 3]), W.Control("b", ["x", "y"], kind="buttons")],
                    render)
    _check_structure(ex)
    assert ex.shape == (3, 2)
    assert calls == list(itertools.product([1, 2, 3], ["x", "y"]))   # grid order
    assert [f.value for f in ex.frames] == [f"<p>{a}-{b}</p>" for a, b in calls]
    outer = ex.stacks[0][0]
    # the frame shown for (a=index i, b=index j) is outer.children[i].children[j]
    assert outer.children[2].children[1].value == "<p>3-y</p>"
    assert isinstance(ex.controls[0], widgets.Dropdown)
    assert isinstance(ex.controls[1], widgets.ToggleButtons)
    assert len(ex.links) == 1 + 3


def test_initial_index_selects_the_initial_frame():
    ex = W.explorer([W.Control("k", [1, 2, 3, 4], kind="slider", index=2)],
                    lambda k: f"<b>{k}</b>")
    assert isinstance(ex.controls[0], widgets.SelectionSlider)
    assert ex.controls[0].index == 2
    assert ex.stacks[0][0].selected_index == 2
    assert ex.controls[0].label == "3"


def test_frames_can_be_png_svg_or_figures():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from minigrad.lab.plotting import new_figure

    png = W.frame_widget(b"\x89PNG fake")
    assert isinstance(png, widgets.Image) and png.format == "png"
    fig, ax = new_figure(width=2, height=1.5)
    ax.plot([0, 1], [1, 0])
    image = W.frame_widget(fig)
    assert isinstance(image, widgets.Image) and bytes(image.value).startswith(b"\x89PNG")
    assert isinstance(W.frame_widget("<svg></svg>"), widgets.HTML)
    with pytest.raises(TypeError):
        W.frame_widget(3.0)


def test_frames_share_one_layout():
    ex = W.explorer([W.Control("k", [1, 2, 3])], lambda k: f"<i>{k}</i>")
    assert len({id(f.layout) for f in ex.frames}) == 1


def test_control_validation():
    with pytest.raises(ValueError, match="distinct"):
        W.Control("x", [0.1, 0.1000001], format="{:.2f}").options()
    with pytest.raises(ValueError, match="unknown control kind"):
        W.Control("x", [1], kind="knob").widget()
    with pytest.raises(ValueError, match="out of range"):
        W.Control("x", [1, 2], index=5).widget()
    with pytest.raises(ValueError):
        W.explorer([], lambda: "")


def test_choose_switches_panels():
    a = W.explorer([W.Control("p", [1, 2])], lambda p: f"a{p}")
    b = W.frame_widget("b")
    ex = W.choose("panel", {"A": a, "B": b})
    assert ex.stacks[0][0].children == (a.widget, b)
    assert ((ex.controls[0], "index"), (ex.stacks[0][0], "selected_index")) in _links(ex)
    assert len(ex.frames) == 3


def test_parameter_grids_include_the_default_and_respect_ranges():
    for entry in entries():
        if not getattr(entry, "elementwise", True):
            continue
        slid, fixed = W.activation_controls(entry)
        assert len(slid) <= W.MAX_CONTROLS
        for param, values in slid:
            assert param.default in values, (entry.name, param.name)
            assert len(values) >= 2
            for v in values:
                param.check(v, entry.name)       # raises if outside the valid range
        for name in fixed:
            assert name in {p.name for p in entry.params}
    elu = W.activation_controls(lookup("elu"))[0]
    assert [p.name for p, _ in elu] == ["alpha"] and len(elu[0][1]) >= 15


def test_activation_explorer_structure():
    ex = W.activation_explorer(["relu", "elu", "hardtanh", "gelu"], n_samples=500)
    titles = [t for t, _ in ex.controls[0].options]
    assert titles == [lookup(n).title for n in ("relu", "elu", "hardtanh", "gelu")]
    outer = ex.stacks[0][0]
    assert len(outer.children) == 4
    assert ((ex.controls[0], "index"), (outer, "selected_index")) in _links(ex)
    # relu: one frame, no control; elu: one slider; hardtanh: two (nested); gelu: buttons
    relu_panel, elu_panel, _hardtanh_panel, _gelu_panel = outer.children
    svg = next(f for f in relu_panel.children if isinstance(f, widgets.HTML)).value
    assert svg.startswith("<svg") and "Rectified" in svg
    n_alpha = len(W.parameter_grid(lookup("elu"), lookup("elu").params[0]))
    n_frames = 1 + n_alpha + int(np.prod([len(v) for _, v in
                                          W.activation_controls(lookup("hardtanh"))[0]])) + 2
    assert len(ex.frames) == n_frames
    sliders = [c for c in elu_panel.children[0].children if isinstance(c, widgets.SelectionSlider)]
    assert len(sliders) == 1 and sliders[0].description == "alpha"
    # every frame has an accessible name, and no two frames of one function are the same
    values = [f.value for f in ex.frames]
    assert all("aria-label='" in v and "<title>" in v for v in values)
    assert len(set(values)) == len(values)


def test_explorer_state_is_embeddable_and_small():
    from ipywidgets.embed import dependency_state

    ex = W.maxout_explorer(targets=("square", "abs"), ks=(1, 2, 3))
    _check_structure(ex)
    assert ex.shape == (2, 3)
    state = dependency_state([ex.widget])
    size = len(json.dumps(state))
    assert size < 30_000 * len(ex.frames)
    names = {m["model_name"] for m in state.values()}
    assert {"StackModel", "LinkModel", "DropdownModel", "SelectionSliderModel",
            "HTMLModel"} <= names


@pytest.mark.parametrize("builder, kwargs, shape", [
    (W.gradient_flow_explorer, {"activations": ("tanh", "relu"), "inits": ("glorot", "he"),
                                    "depths": (3, 5)}, (2, 2, 2)),
    (W.selu_explorer, {"comparisons": (("ReLU, He", "relu", "he"),), "layers": (0, 2, 4),
                           "depth": 4, "width": 16, "n_samples": 8}, (1, 3)),
])
def test_experiment_explorers_structure(builder, kwargs, shape):
    ex = builder(**kwargs)
    _check_structure(ex)
    assert ex.shape == shape
    assert len({f.value for f in ex.frames}) == len(ex.frames)


def test_svg_figure_basics():
    x = np.linspace(-1, 1, 50)
    p = SvgPanel(title="t <&>", xlabel="x").line(x, x**2, label="x^2").bars([0, 1, 2], [1, 2])
    q = SvgPanel(ylog=True).line([1, 2, 3], [1e-3, 1e-1, 1e1])
    svg = svg_figure([p, q], alt="a 'quoted' \"alt\"")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert '"' not in svg                              # single quotes only (compact JSON)
    assert "t &lt;&amp;&gt;" in svg and "aria-label='a &#39;quoted&#39; &quot;alt&quot;'" in svg
    assert "1e-3" in svg and "1e1" in svg              # log ticks
    assert svg == svg_figure([p, q], alt="a 'quoted' \"alt\"")   # deterministic


def test_widget_state_is_the_same_in_every_run():
    """Two fresh processes build byte-identical widget state (stable model ids)."""
    import subprocess
    import sys

    code = ("import json; from ipywidgets.embed import dependency_state; "
            "from minigrad.lab.widgets import maxout_explorer; "
            "ex = maxout_explorer(targets=('square',), ks=(1, 2, 3)); "
            "print(json.dumps(dependency_state([ex.widget]), sort_keys=True))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0]) > 1000
    assert W.explorer.__name__ == "explorer"        # the decorator keeps names and docs
    assert "kernel-free explorer" in W.explorer.__doc__
