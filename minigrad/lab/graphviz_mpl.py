"""Draw the computation graph behind a :class:`~minigrad.Value` with matplotlib only.

micrograd draws its graphs with the graphviz binary; the book cannot count on that
binary being installed, so this module lays the graph out itself (left to right, one
column per depth) and draws it with matplotlib::

    from minigrad import Value
    from minigrad.lab.graphviz_mpl import draw_graph
    a, b = Value(2.0), Value(-3.0)
    c = a * b + b
    c.backward()
    fig = draw_graph(c, labels={a: "a", b: "b", c: "c"})

Every value is a box showing its label, ``data`` and ``grad``; every operation is a
small circle between its inputs and its result, as in micrograd's ``draw_dot``.
matplotlib is imported inside the functions.
"""

from __future__ import annotations

__all__ = ["draw_graph", "graph_layout"]


def _nodes_and_depths(root):
    """All Values behind ``root`` (parents first) and each one's column: the longest path
    from a leaf for computed values, one before the first consumer for leaves."""
    order = root._topo() if hasattr(root, "_topo") else _topo(root)
    depth = {}
    for v in order:
        depth[v] = 1 + max((depth[p] for p in v._prev), default=-1)
    # a leaf sits just before its first consumer, so its edges do not cross other columns
    first_use = {}
    for v in order:
        for p in v._prev:
            first_use[p] = min(first_use.get(p, depth[v]), depth[v])
    for v in order:
        if not v._prev and v in first_use:
            depth[v] = first_use[v] - 1
    return order, depth


def _topo(root):
    """Iterative topological sort for any micrograd-like object with ``_prev``."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, expanded = stack.pop()
        if expanded:
            order.append(v)
        elif v not in seen:
            seen.add(v)
            stack.append((v, True))
            stack.extend((p, False) for p in v._prev if p not in seen)
    return order


def graph_layout(root):
    """Positions for drawing: ``{value: (x, y)}``, ``{value: (x, y)}`` of each op circle.

    A value of depth d sits in column 2d; the op that made it sits in column 2d - 1.
    Within a column, nodes are ordered by the mean height of their parents
    (a barycentre sweep), which keeps most edges from crossing.
    """
    order, depth = _nodes_and_depths(root)
    columns: dict[int, list] = {}
    for v in order:
        columns.setdefault(depth[v], []).append(v)
    consumers: dict = {v: [] for v in order}
    for v in order:
        for p in v._prev:
            consumers[p].append(v)

    def place(col):
        n = len(col)
        for i, v in enumerate(col):
            ypos[v] = (n - 1) / 2.0 - i

    ypos: dict = {}
    for d in sorted(columns):          # forward sweep: follow the parents
        if d > 0:
            columns[d].sort(key=lambda v: -_mean(ypos[p] for p in v._prev))
        place(columns[d])
    for d in sorted(columns, reverse=True)[1:]:   # backward sweep: follow the consumers
        columns[d].sort(key=lambda v: -_mean(ypos[c] for c in consumers[v]))
        place(columns[d])
    for d in sorted(columns)[1:]:      # and forward once more
        columns[d].sort(key=lambda v: -_mean(ypos[p] for p in v._prev))
        place(columns[d])
    value_xy = {v: (2.0 * depth[v], ypos[v]) for v in order}
    op_xy = {v: (2.0 * depth[v] - 1.0, ypos[v]) for v in order if v._prev}
    return value_xy, op_xy


def _mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _fmt(x):
    return f"{x:.4g}"


def draw_graph(root, labels: dict | None = None, ax=None, show_grad: bool = True,
               width: float | None = None, height: float | None = None):
    """Draw the graph ending at ``root``; returns the matplotlib Figure.

    ``labels`` maps Values to names shown in their boxes (``{a: "a"}``); unnamed inner
    values show only their numbers. ``show_grad=False`` hides the gradients (before
    ``backward()`` they are all 0).
    """
    import matplotlib.pyplot as plt

    from .plotting import COLORS, use_book_style

    use_book_style()
    labels = labels or {}
    value_xy, op_xy = graph_layout(root)
    ncols = max(x for x, _ in value_xy.values()) + 1
    nrows = max(len([1 for x, _ in value_xy.values() if x == c]) for c in
                {x for x, _ in value_xy.values()})
    if ax is None:
        fig, ax = plt.subplots(figsize=(width or max(4.0, 1.25 * ncols),
                                        height or max(1.6, 1.1 * nrows)))
        fig.set_facecolor("white")
    else:
        fig = ax.figure
    edge = {"arrowstyle": "-|>", "color": COLORS["muted"], "lw": 1.0, "shrinkA": 0, "shrinkB": 0}
    for v, (x, y) in value_xy.items():
        if not v._prev:
            continue
        ox, oy = op_xy[v]
        for p in v._prev:
            px, py = value_xy[p]
            ax.annotate("", xy=(ox - 0.22, oy), xytext=(px + 0.42, py), arrowprops=edge)
        ax.annotate("", xy=(x - 0.42, y), xytext=(ox + 0.22, oy), arrowprops=edge)
        ax.text(ox, oy, v._op, ha="center", va="center", fontsize=13,
                bbox={"boxstyle": "circle,pad=0.3", "fc": "#fdf3e7", "ec": COLORS["df"]})
    for v, (x, y) in value_xy.items():
        lines = []
        if v in labels:
            lines.append(rf"$\bf{{{labels[v]}}}$")
        lines.append(f"data {_fmt(v.data)}")
        if show_grad:
            lines.append(f"grad {_fmt(v.grad)}")
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=12,
                bbox={"boxstyle": "round,pad=0.35", "fc": "#e8f1f8", "ec": COLORS["f"]})
    xs = [x for x, _ in value_xy.values()]
    ys = [y for _, y in value_xy.values()]
    ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_axis_off()
    return fig
