"""Saturating and non-saturating families (section 5.11 of the source), from the catalog.

:func:`family_rows` computes, for each elementwise entry, its saturation on each side and
the slope far out on each side (with :func:`minigrad.activations.properties.properties`
and the entry's derivative), and :func:`saturation_class` sorts it into one of four
classes by which sides saturate. :func:`markdown_table` formats rows as a Markdown table.
Nothing here is typed by hand: change an entry and the table changes.

Example
-------
>>> rows = family_rows(["sigmoid", "relu", "leaky_relu"])
>>> [r["class"] for r in rows]
['both sides', 'left only', 'neither side']
"""

from __future__ import annotations

import numpy as np

__all__ = ["CLASSES", "family_rows", "markdown_table", "saturation_class"]

#: the four classes, in table order
CLASSES = ("both sides", "left only", "right only", "neither side")


def saturation_class(props) -> str:
    """'both sides', 'left only', 'right only' or 'neither side' for a Properties record."""
    left, right = props.saturates_left is not None, props.saturates_right is not None
    return {(True, True): "both sides", (True, False): "left only",
            (False, True): "right only"}.get((left, right), "neither side")


def family_rows(names=None, far=20.0) -> list:
    """One dict per activation (all elementwise catalog entries when ``names`` is None):
    ``name``, ``title``, ``catalog_family`` (the entry's ``family`` label), ``left`` and
    ``right`` (``'hard'``, ``'soft'`` or ``'no'``), ``slope_left`` / ``slope_right``
    (|f'(-far)|, |f'(far)|), ``range`` and ``class``."""
    from ...activations import entries, lookup
    from ...activations.properties import properties
    from ._common import derivative

    chosen = entries(elementwise=True) if names is None else [lookup(n) for n in names]
    rows = []
    for e in chosen:
        p = properties(e)
        with np.errstate(all="ignore"):
            d = np.abs(np.asarray(derivative(e.name)(np.array([-far, far])), float))
        rows.append({"name": e.name, "title": e.title, "catalog_family": e.family,
                     "left": p.saturates_left or "no", "right": p.saturates_right or "no",
                     "slope_left": float(d[0]), "slope_right": float(d[1]),
                     "range": p.range_text(3), "class": saturation_class(p)})
    return rows


def markdown_table(rows, columns=(("name", "activation"), ("class", "saturates on"),
                                  ("left", "left"), ("right", "right"),
                                  ("slope_left", "slope at -20"), ("slope_right", "slope at 20"),
                                  ("range", "range"))) -> str:
    """A Markdown table of ``rows`` (floats shown with 2 significant digits)."""
    def cell(v):
        if isinstance(v, float):
            return f"{v:.2g}"
        return str(v).replace("|", "\\|")
    head = "| " + " | ".join(cell(h) for _, h in columns) + " |"
    rule = "|" + "---|" * len(columns)
    body = ["| " + " | ".join(cell(r[k]) for k, _ in columns) + " |" for r in rows]
    return "\n".join([head, rule, *body])
