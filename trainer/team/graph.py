"""Lay a scenario out as a graph for the analytics page: nodes in columns by depth.

Plain geometry, no drawing library: columns are the shortest number of decisions from
the start, rows keep the file's order, and the template draws the result as inline SVG.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ..scenario.model import Scenario

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
