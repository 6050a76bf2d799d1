"""The book's overview table (minigrad.lab.tables) lists every catalog entry, and the
properties it shows are the ones minigrad.activations.properties computes."""

import re

import numpy as np
import pytest

from minigrad.activations import entries, lookup, properties
from minigrad.lab import tables

ALL = entries()
ELEMENTWISE = [e for e in ALL if e.elementwise]


@pytest.fixture(scope="module")
def markdown():
    return tables.overview_markdown(sparklines=False)


def _rows(markdown):
    """The list-table's rows, each a list of cell strings (header first)."""
    body = markdown.split("\n\n", 1)[1].rsplit("```", 1)[0]
    rows = []
    for block in body.strip().split("\n* - ")[0:]:
        block = block.removeprefix("* - ")
        rows.append([c.strip() for c in block.split("\n  - ")])
    return rows


def test_every_catalog_entry_has_exactly_one_row(markdown):
    rows = _rows(markdown)[1:]
    names = [re.search(r"`([a-z0-9_]+)`", r[0]).group(1) for r in rows]
    assert names == [e.name for e in ALL]          # all of them, in catalog order, once


def test_a_missing_entry_is_noticed():
    md = tables.overview_markdown(entries=ALL[1:], sparklines=False)
    names = [re.search(r"`([a-z0-9_]+)`", r[0]).group(1) for r in _rows(md)[1:]]
    assert ALL[0].name not in names


PROPS = slice(1, 1 + len(tables.PROPERTY_COLUMNS))      # property cells (no sparkline column)


def test_header_and_row_widths(markdown):
    rows = _rows(markdown)
    header = rows[0]
    assert header[0] == "Name"
    assert header[PROPS] == [h for _, h in tables.PROPERTY_COLUMNS]
    assert header[-2:] == ["Formula", "Reference"]
    assert all(len(r) == len(header) for r in rows)
    with_plots = _rows(tables.overview_markdown(entries=ALL[:2]))[0]
    assert with_plots[:2] == ["Name", "f and f′"]


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=lambda e: e.name)
def test_properties_come_from_properties_module(entry, markdown):
    row = next(r for r in _rows(markdown)[1:] if f"`{entry.name}`" in r[0])
    p = properties.properties(entry)
    shown = dict(zip([k for k, _ in tables.PROPERTY_COLUMNS], row[PROPS]))
    assert shown == tables.format_properties(p)
    assert shown["range"] == p.range_text()
    assert shown["smooth"] == ("yes" if p.smooth else "no")
    assert shown["zero_centred"] == ("yes" if p.zero_centred else "no")
    assert shown["monotonic"] == (p.monotonic or "no")
    assert (shown["saturating"] == "no") == (p.saturates == "none")


def test_formula_and_reference_come_from_the_entry(markdown):
    for entry, row in zip(ALL, _rows(markdown)[1:]):
        for part in tables.split_latex(" ".join(entry.latex.split())):
            assert f"$\\small {part}$" in row[-2]
        if entry.reference:
            assert row[-1] == f"{{cite:p}}`{entry.reference}`"
        else:
            assert row[-1] == "—"


def test_non_elementwise_entries_show_no_properties(markdown):
    for entry in ALL:
        if not entry.elementwise:
            row = next(r for r in _rows(markdown)[1:] if f"`{entry.name}`" in r[0])
            assert set(row[PROPS]) == {tables.NOT_ELEMENTWISE}


def test_references_are_in_the_bibliography():
    import pathlib

    bib = "".join(p.read_text(encoding="utf-8")
                  for p in pathlib.Path(__file__).parents[1].glob("book/bib/*.bib"))
    keys = set(re.findall(r"@\w+\{([^,\s]+),", bib))
    missing = sorted({e.reference for e in ALL if e.reference} - keys)
    assert not missing, f"catalog references without a BibTeX entry: {missing}"


def test_no_bibtex_key_is_defined_twice():
    import collections
    import pathlib

    counts = collections.Counter()
    for path in pathlib.Path(__file__).parents[1].glob("book/bib/*.bib"):
        counts.update(re.findall(r"^@\w+\{([^,\s]+),", path.read_text(encoding="utf-8"), re.MULTILINE))
    assert not [k for k, n in counts.items() if n > 1], "keys in more than one .bib file"


def test_sparklines_are_pngs_with_alt_text():
    md = tables.overview_markdown(entries=[lookup("relu"), lookup("softmax")])
    assert md.count('<img src="data:image/png;base64,') == 1      # softmax has no curve
    assert 'alt="Rectified linear unit (ReLU) (solid) and its derivative' in md


def test_gallery_draws_every_elementwise_entry():
    fig = tables.gallery()
    names = {t.get_text() for t in fig.axes[0].texts}
    assert {e.name for e in ELEMENTWISE} <= names
    assert not any(e.name in names for e in ALL if not e.elementwise)


def test_derivative_check_sigmoid():
    err = tables.derivative_check("sigmoid", np.linspace(-5, 5, 11),
                                  primitive=lambda v: 1 / (1 + (-v).exp()))
    assert max(err["value"], err["tensor"], err["primitive"]) < 1e-12
    assert err["finite_difference"] < 1e-8


def test_split_latex_keeps_nested_separators():
    assert tables.split_latex(r"f(x) = x \quad (\text{note})") == ["f(x) = x", r"(\text{note})"]
    nested = r"f(x) = \left(a \quad b\right) + \begin{cases} 1 \quad & x \end{cases}"
    assert tables.split_latex(nested) == [nested]


def test_glue_outside_ipython_is_a_no_op():
    assert tables.glue("x", np.float64(0.5)) is None


def test_train_classifier_is_seeded():
    from minigrad import data

    X, y = data.make_moons(n_samples=60, noise=0.1, seed=0)
    a = tables.train_classifier(X, y, hidden=(4,), activation="tanh", steps=20, seed=3)
    b = tables.train_classifier(X, y, hidden=(4,), activation="tanh", steps=20, seed=3)
    assert np.array_equal(a["loss"], b["loss"])
    assert a["loss"][-1] < a["loss"][0]


def test_source_table_rows_match_the_catalog_except_the_garbled_ones():
    gaps = tables.source_table_check()
    assert {n for n, g in gaps.items() if not g < 1e-12} == {"softsign", "selu"}
    assert gaps["selu"] < 1e-5                      # the source's rounded constants
    assert gaps["softsign"] == np.inf               # x / (1 + x): the lost |x|


def test_graph_layout_puts_every_edge_left_to_right():
    from minigrad import Value
    from minigrad.lab.graphviz_mpl import draw_graph, graph_layout

    a, b = Value(2.0), Value(-3.0)
    d = a * b + a ** 2
    f = (d * 0.5).tanh() + d.relu()
    f.backward()
    value_xy, op_xy = graph_layout(f)
    assert set(op_xy) == {v for v in value_xy if v._prev}
    for v, (x, _) in value_xy.items():
        for p in v._prev:
            assert value_xy[p][0] < op_xy[v][0] < x          # parent -> op -> value
    fig = draw_graph(f, labels={a: "a", b: "b", f: "f"})
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("grad" in t and "$\\bf{a}$" in t for t in texts)
    assert {"*", "+", "tanh", "relu"} <= set(texts)


def test_ratio_text_is_coarse():
    assert tables.ratio_text(12.0) == "more than three times"
    assert tables.ratio_text(2.4) == "more than twice"
    assert tables.ratio_text(2.4, at_least=(2.0,)) == "more than twice"
    assert tables.ratio_text(1.2) == "less than 1.5 times"


def test_speed_table_rows_and_plot():
    rows = tables.speed_table(["relu", "sigmoid"], n=1000, number=1, repeat=1)
    assert [r["name"] for r in rows] == ["relu", "sigmoid"]
    assert rows[0]["numpy_vs_relu"] == 1.0 and rows[1]["numpy_us"] > 0
    fig = tables.plot_speed(rows)
    assert len(fig.axes[0].patches) == 4
