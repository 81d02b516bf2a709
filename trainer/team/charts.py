"""Geometry for the small charts drawn as inline SVG (no chart library, no script).

Every chart is paired with a table holding the same numbers; the SVG is decoration for
sighted readers and is hidden from screen readers, which read the table.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

RADAR_SIZE = 380
RADAR_RADIUS = 100


@dataclass(frozen=True)
class RadarAxis:
    key: str
    value: float | None
    x: float  # axis end
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor, so side labels grow away from the chart


@dataclass(frozen=True)
class Radar:
    axes: list[RadarAxis]
    polygon: str  # "x,y x,y …" of the values (missing values drawn at 0)
    rings: list[str]  # polygons at 25/50/75/100 %
    size: int = RADAR_SIZE
    center: float = RADAR_SIZE / 2


def _point(i: int, n: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    c = RADAR_SIZE / 2
    return c + RADAR_RADIUS * fraction * math.cos(angle), c + RADAR_RADIUS * fraction * math.sin(angle)


def radar(values: dict[str, float | None]) -> Radar:
    """A radar of 0-100 values, one axis per key, first axis pointing up."""
    keys = list(values)
    n = max(len(keys), 3)
    axes, points = [], []
    for i, key in enumerate(keys):
        x, y = _point(i, n, 1.0)
        lx, ly = _point(i, n, 1.12)
        anchor = "middle" if abs(lx - RADAR_SIZE / 2) < 5 else ("start" if lx > RADAR_SIZE / 2 else "end")
        ly += 4 if abs(lx - RADAR_SIZE / 2) >= 5 else (-4 if ly < RADAR_SIZE / 2 else 12)
        axes.append(RadarAxis(key, values[key], round(x, 1), round(y, 1), round(lx, 1), round(ly, 1), anchor))
        px, py = _point(i, n, max(0.0, min(100.0, values[key] or 0.0)) / 100)
        points.append(f"{px:.1f},{py:.1f}")
    rings = [" ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, n, f) for i in range(len(keys))))
             for f in (0.25, 0.5, 0.75, 1.0)]
    return Radar(axes, " ".join(points), rings)


def heat_class(value: float | None) -> str:
    """A CSS class for a heatmap cell in five bands (text always shows the number too)."""
    if value is None:
        return "heat-none"
    return f"heat-{min(4, int(value // 20))}"
