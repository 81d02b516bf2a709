"""Lay a scenario out as a graph for the analytics page: nodes in columns by depth.

Plain geometry, no drawing library: columns are the shortest number of decisions from
the start, rows keep the file's order, and the template draws the result as inline SVG.
Each box is labelled with the node's own words (what the client says, the writing task, or
the ending's title), cut to two short lines; the node's id is only the fallback.
"""
from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass

from ..scenario.model import Scenario, Text

BOX_W, BOX_H = 150, 40
COL_GAP, ROW_GAP = 120, 44
FAN = 14  # vertical distance between the edges (and labels) leaving one node
MARGIN = 20


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
    boxes = {}
    for col, items in sorted(columns.items()):
        for row, item in enumerate(items):
            kind = "node" if item in scenario.nodes else "ending"
            boxes[item] = Box(item, kind, MARGIN + col * (BOX_W + COL_GAP), MARGIN + row * (BOX_H + ROW_GAP))
    edges = []
    for node_id in scenario.nodes:
        targets = _targets(scenario, node_id)
        for i, (choice, target) in enumerate(targets):
            a, b = boxes[node_id], boxes[target]
            # Fan the edges leaving one node apart so their labels do not overlap.
            spread = (i - (len(targets) - 1) / 2) * FAN
            x1, y1 = a.x + BOX_W, a.cy + spread
            if b.x > a.x:
                x2, y2 = b.x, b.cy
                mid = (x1 + x2) / 2
                # Run level for a short stretch first, where the label sits, then curve away.
                path = (f"M{x1:.0f},{y1:.0f} L{x1 + 50:.0f},{y1:.0f} "
                        f"C{mid + 25:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}")
                lx, ly = x1 + 4, y1 - 3
            else:
                # A step back or sideways: loop under the boxes.
                x2, y2 = b.cx, b.y + BOX_H
                low = max(a.y, b.y) + BOX_H + ROW_GAP * 0.8 + abs(spread)
                path = f"M{x1:.0f},{y1:.0f} C{x1 + 40:.0f},{low:.0f} {x2:.0f},{low:.0f} {x2:.0f},{y2:.0f}"
                lx, ly = (x1 + x2) / 2, low + 12
            edges.append(Edge(node_id, target, choice, path, int(lx), int(ly)))
    width = max((b.x for b in boxes.values()), default=0) + BOX_W + MARGIN + 40
    height = max((b.y for b in boxes.values()), default=0) + BOX_H + MARGIN + ROW_GAP * 2
    return Layout(boxes, edges, int(width), int(height))
