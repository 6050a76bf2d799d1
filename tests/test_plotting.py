"""minigrad.lab.plotting: the book style, and plots that show what the catalog computes."""

import io
import types

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from minigrad.activations import entries, lookup
from minigrad.lab import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def test_book_style_has_an_opaque_white_background():
    plotting.use_book_style()
    rc = matplotlib.rcParams
    assert matplotlib.colors.to_rgba(rc["figure.facecolor"]) == (1.0, 1.0, 1.0, 1.0)
    assert matplotlib.colors.to_rgba(rc["savefig.facecolor"]) == (1.0, 1.0, 1.0, 1.0)
    assert rc["savefig.transparent"] is False


def test_png_is_opaque_white_behind_the_axes():
    fig, ax = plotting.new_figure(width=2, height=1.5)
    ax.plot([0, 1], [0, 1])
    png = plotting.figure_to_png(fig, dpi=50)
    image = matplotlib.image.imread(io.BytesIO(png))
    corner = image[0, 0]
    assert corner[:3].tolist() == [1.0, 1.0, 1.0]
    assert image.shape[2] == 3 or corner[3] == 1.0       # no transparency
    assert plotting.figure_to_png(plotting.new_figure(width=2, height=1.5)[0], dpi=50) == \
        plotting.figure_to_png(plotting.new_figure(width=2, height=1.5)[0], dpi=50)


def test_new_figure_shapes():
    fig, ax = plotting.new_figure()
    assert hasattr(ax, "plot")
    assert tuple(fig.get_size_inches()) == (6.0, 3.2)
    fig, axes = plotting.new_figure(2, 3, width=9, height=5)
    assert axes.shape == (2, 3)


ELEMENTWISE = [e for e in entries() if getattr(e, "elementwise", True)]


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=lambda e: e.name)
def test_plot_activation_draws_the_catalog_function_and_derivative(entry):
    fig = plotting.plot_activation(entry)
    ax = fig.axes[0]
    f_line, df_line = [line for line in ax.get_lines() if line.get_label().startswith("$f")]
    x, y = f_line.get_data()
    keep = ~np.isnan(np.asarray(x, dtype=float))
    x, y = np.asarray(x)[keep], np.asarray(y)[keep]
    params = {p.name: p.default for p in entry.params}
    np.testing.assert_allclose(y, entry.forward(x, **params), rtol=1e-12, atol=1e-12)
    dx, dy = (np.asarray(a, dtype=float) for a in df_line.get_data())
    keep = ~np.isnan(dx)
    expected = np.broadcast_to(entry.derivative(dx[keep], entry.forward(dx[keep], **params),
                                                **params), dx[keep].shape)
    np.testing.assert_allclose(dy[keep], expected, rtol=1e-12, atol=1e-12)
    assert ax.get_title() == entry.title
    assert ax.get_xlim() == (-5.0, 5.0)


def test_plot_activation_by_name_with_params_and_axes():
    fig, axes = plotting.new_figure(1, 2)
    out = plotting.plot_activation("elu", params={"alpha": 0.5}, ax=axes[1], derivative=False,
                                   xlim=(-3, 2))
    assert out is fig
    lines = [line for line in axes[1].get_lines() if line.get_label().startswith("$f")]
    assert len(lines) == 1                                   # no derivative
    _x, y = lines[0].get_data()
    assert y[0] == pytest.approx(0.5 * np.expm1(-3.0))
    assert "alpha = 0.5" in axes[1].get_title()
    assert axes[0].get_lines() == []


def test_non_elementwise_entries_are_refused_clearly():
    others = [e for e in entries() if not getattr(e, "elementwise", True)]
    for entry in others:
        with pytest.raises(TypeError, match="not elementwise"):
            plotting.plot_activation(entry)


def test_unknown_parameter_is_an_error():
    with pytest.raises(ValueError, match="no parameter 'beta'"):
        plotting.plot_activation("elu", params={"beta": 1.0})


def test_relu_derivative_has_no_vertical_segment_at_zero():
    fig = plotting.plot_activation(lookup("relu"))
    df = next(line for line in fig.axes[0].get_lines() if line.get_label() == "$f'(x)$")
    _x, y = (np.asarray(a, dtype=float) for a in df.get_data())
    assert np.isnan(y).sum() == 1                            # one break, at the kink
    finite = ~np.isnan(y)
    assert set(np.unique(y[finite])) == {0.0, 1.0}
    # no drawn segment joins 0 and 1
    segments = np.abs(np.diff(y))
    assert not np.any(segments[~np.isnan(segments)] > 0.5)


def test_break_at_jumps_leaves_smooth_curves_alone():
    x = np.linspace(-1, 1, 11)
    bx, by = plotting.break_at_jumps(x, x**2, kinks=(0.0,))
    assert bx is not None and len(bx) == len(x) and not np.isnan(by).any()


def test_duck_typed_entry():
    entry = types.SimpleNamespace(name="cube", title="Cube", params=(),
                                  forward=lambda x: x**3, derivative=lambda x, y: 3 * x**2)
    fig = plotting.plot_activation(entry, xlim=(-1, 1))
    assert fig.axes[0].get_title() == "Cube"


def test_import_minigrad_stays_numpy_only():
    import subprocess
    import sys

    code = ("import sys, minigrad, minigrad.lab.plotting, minigrad.lab.widgets; "
            "bad = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
