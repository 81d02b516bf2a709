"""Lay a scenario out as a graph for the analytics page: nodes in columns by depth.

Plain geometry, no drawing library: columns are the shortest number of decisions from
the start, rows keep the file's order, and the template draws the result as inline SVG.
Each box is labelled with the node's own words (what the client says, the writing task, or
the ending's title), cut to two short lines; the node's id is only the fallback.

Every edge, forward or back, starts level beside its node, fanned apart from its siblings,
and carries its count label there. Labels therefore only meet the labels of nodes in the
same column, and the rows of a column are spaced so that the fans of neighbours clear each
other: a node with many choices gets more room, a column of small nodes stays compact.
"""
from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass

from ..scenario.model import Scenario, Text

BOX_W, BOX_H = 150, 40
# Edge labels are drawn at LABEL_FONT px (the template sets it on each label; the boxes keep
# the graph's 11 px). A label is at most "100 (100%) / 100": under 125 px at that size, so
# it fits in COL_GAP, beside the node it leaves.
LABEL_FONT = 13
LABEL_RISE = 3  # a label's baseline sits this far above its edge
COL_GAP, ROW_GAP = 130, 44  # ROW_GAP: the least room between two boxes (a "stopped" note fits)
FAN = LABEL_FONT + 6  # vertical distance between the edges (and labels) leaving one node
CLEAR = 6  # the least room between the fans of two neighbouring nodes
MARGIN = 20
LEVEL = 50  # an edge runs level this far beside its node, under its label, before it curves


@dataclass(frozen=True)
class Box:
    id: str
    kind: str  # node | ending
    x: int
    y: int

    @property
    def cx(self) -> int:
        return self.x + BOX_W // 2

    @property
    def cy(self) -> int:
        return self.y + BOX_H // 2


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    choice: str | None  # None for an automatic route
    path: str  # SVG path data
    label_x: int
    label_y: int


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    edges: list[Edge]
    width: int
    height: int
    box_w: int = BOX_W
    box_h: int = BOX_H
    label_font: int = LABEL_FONT

    def edge_label(self, edge: Edge, a, b=None) -> str | None:
        """The template's label for ``edge`` (see :func:`edge_label`)."""
        return edge_label(edge, a, b)


def edge_label(edge: Edge, a, b=None) -> str | None:
    """What an edge's label says: how often group ``a`` took the choice and its share of the
    answers there, then group ``b``'s count ("3 (50%) / 1"). None for an automatic route, and
    for a choice nobody in either group took: a column of "0" labels only hides the counts
    that matter (the tables below the graph still list every choice)."""
    if edge.choice is None:
        return None
    key = (edge.source, edge.choice)
    count_a, count_b = a.choices.get(key, 0), b.choices.get(key, 0) if b is not None else 0
    if not count_a and not count_b:
        return None
    share = a.share(*key)
    text = f"{count_a} ({round(share * 100)}%)" if share is not None and count_a else str(count_a)
    return f"{text} / {count_b}" if b is not None else text


BOX_LINE_CHARS = 22  # what fits in a box at the graph's 11 px font
BOX_LINES = 2


def node_text(scenario: Scenario, item_id: str) -> Text | None:
    """The words a reader knows a node or ending by: the ending's title, else what the client
    says there, the writing task, or what the client does; None for a silent routing node."""
    if item_id in scenario.endings:
        return scenario.endings[item_id].title
    node = scenario.nodes.get(item_id)
    if node is None:
        return None
    client = node.client
    for text in (client.says if client else None, node.free_text.prompt if node.free_text else None,
                 client.does if client else None):
        if text is not None:
            return text
    return None


def box_lines(text: str, width: int = BOX_LINE_CHARS, lines: int = BOX_LINES) -> tuple[str, ...]:
    """``text`` wrapped into at most ``lines`` lines of ``width`` characters, "…" where it is cut."""
    return tuple(textwrap.wrap(" ".join(text.split()), width, max_lines=lines, placeholder=" …",
                               break_long_words=True, break_on_hyphens=False))


def _targets(scenario: Scenario, node_id: str) -> list[tuple[str | None, str]]:
    node = scenario.nodes[node_id]
    out: list[tuple[str | None, str]] = [(c.id, c.next) for c in node.choices or []]
    out += [(None, r.next) for r in node.route or []]
    return out


def _reach(edges: int) -> tuple[float, float]:
    """How far a node's fan of ``edges`` edges and their labels reach above its box's top
    and below its bottom (0 when the fan stays within the box)."""
    half = (edges - 1) / 2 * FAN if edges else 0
    above = max(0.0, half + LABEL_RISE + LABEL_FONT - BOX_H / 2)
    below = max(0.0, half - BOX_H / 2)
    return above, below


def layout(scenario: Scenario) -> Layout:
    depth = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        current = queue.popleft()
        if current not in scenario.nodes:
            continue
        for _choice, target in _targets(scenario, current):
            if target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    # Anything unreachable (the validator warns about it) still gets drawn, in a last column.
    last = max(depth.values(), default=0) + 1
    order = list(scenario.nodes) + list(scenario.endings)
    columns: dict[int, list[str]] = {}
    for item in order:
        columns.setdefault(depth.get(item, last), []).append(item)
    fans = {item: len(_targets(scenario, item)) if item in scenario.nodes else 0 for item in order}
    boxes = {}
    for col, items in sorted(columns.items()):
        y, below = MARGIN + _reach(fans[items[0]])[0], 0.0
        for row, item in enumerate(items):
            above, next_below = _reach(fans[item])
            if row:
                y += BOX_H + max(ROW_GAP, below + above + CLEAR)
            below = next_below
            kind = "node" if item in scenario.nodes else "ending"
            boxes[item] = Box(item, kind, MARGIN + col * (BOX_W + COL_GAP), int(round(y)))
    edges = []
    bottom = max((b.y for b in boxes.values()), default=0) + BOX_H
    for node_id in scenario.nodes:
        targets = _targets(scenario, node_id)
        for i, (choice, target) in enumerate(targets):
            a, b = boxes[node_id], boxes[target]
            # Fan the edges leaving one node apart so their labels do not overlap.
            spread = (i - (len(targets) - 1) / 2) * FAN
            x1, y1 = a.x + BOX_W, round(a.cy + spread)
            if b.x > a.x:
                x2, y2 = b.x, b.cy
                mid = (x1 + LEVEL + x2) / 2
                path = (f"M{x1:.0f},{y1:.0f} L{x1 + LEVEL:.0f},{y1:.0f} "
                        f"C{mid + 25:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}")
            else:
                # A step back or sideways: level first as the others, then a loop under the
                # boxes of both, each edge a little lower than the one before.
                x2, y2 = b.cx, b.y + BOX_H
                low = max(a.y, b.y) + BOX_H + ROW_GAP * 0.6 + i * 6
                path = (f"M{x1:.0f},{y1:.0f} L{x1 + LEVEL:.0f},{y1:.0f} "
                        f"C{x1 + LEVEL + 40:.0f},{low:.0f} {x2:.0f},{low:.0f} {x2:.0f},{y2:.0f}")
                bottom = max(bottom, int(low))
            edges.append(Edge(node_id, target, choice, path, int(x1 + 4), int(y1 - LABEL_RISE)))
    width = max((b.x for b in boxes.values()), default=0) + BOX_W + MARGIN + 40
    height = bottom + MARGIN + ROW_GAP
    return Layout(boxes, edges, int(width), int(height))
