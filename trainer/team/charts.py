"""Geometry for the small charts drawn as inline SVG (no chart library, no script).

Every chart is paired with a table holding the same numbers; the SVG is decoration for
sighted readers and is hidden from screen readers, which read the table.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

RADAR_RADIUS = 90
# Labels are drawn at this font size (the template writes it on each label, in the
# drawing's units); the width of a character is estimated generously (DejaVu Sans averages
# ~0.6 em, Cyrillic a little more) so that a label never runs off the drawing. The rings
# are kept small beside the labels so that the drawing stays under ~470 units wide: a phone
# (375 px, ~350 px for the drawing) shrinks it by a quarter at most, and the labels still
# read at 12 px; at full size they are as large as the page's text.
LABEL_FONT = 16
LABEL_CHAR_WIDTH = 10.4
LABEL_LINE = 19
LABEL_WRAP = 14  # characters per label line: longer names wrap at spaces and hyphens, never inside a word
_LABEL_AT = 1.12  # labels sit just beyond the axis ends
_MARGIN = 6


@dataclass(frozen=True)
class RadarAxis:
    key: str
    value: float | None
    x: float  # axis end
    y: float
    label_x: float
    label_y: float  # baseline of the label's first line
    anchor: str  # SVG text-anchor, so side labels grow away from the chart
    lines: tuple[str, ...] = ()  # the label, wrapped


@dataclass(frozen=True)
class Radar:
    axes: list[RadarAxis]
    polygon: str  # "x,y x,y …" of the values (missing values drawn at 0)
    rings: list[str]  # polygons at 25/50/75/100 %
    center_x: float
    center_y: float
    line_height: int = LABEL_LINE
    font_size: int = LABEL_FONT

    @property
    def width(self) -> float:
        return 2 * self.center_x

    @property
    def height(self) -> float:
        return 2 * self.center_y


def _unit(i: int, n: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    return math.cos(angle), math.sin(angle)


def _side(dx: float) -> str:
    return "middle" if abs(dx) < 0.05 else ("start" if dx > 0 else "end")


def radar(values: dict[str, float | None], labels: dict[str, str] | None = None) -> Radar:
    """A radar of 0-100 values, one axis per key, first axis pointing up.

    ``labels`` are the axis names as shown (already translated); the drawing is sized so
    that every label fits beside its axis, wrapped onto short lines.
    """
    keys = list(values)
    n = max(len(keys), 3)
    units = [_unit(i, n) for i in range(len(keys))]
    wrapped = {key: tuple(textwrap.wrap((labels or {}).get(key, key), LABEL_WRAP, break_long_words=False)) or (key,) for key in keys}
    # Room around the rings: sideways for the widest side label, up and down for the
    # tallest label above or below.
    reach = RADAR_RADIUS * _LABEL_AT
    half_width, half_height = reach, reach
    for key, (dx, dy) in zip(keys, units):
        text_width = max(len(line) for line in wrapped[key]) * LABEL_CHAR_WIDTH
        text_height = len(wrapped[key]) * LABEL_LINE
        if _side(dx) == "middle":
            half_width = max(half_width, text_width / 2)
            half_height = max(half_height, reach * abs(dy) + text_height + 4)
        else:
            half_width = max(half_width, reach * abs(dx) + text_width)
            half_height = max(half_height, reach * abs(dy) + text_height / 2 + 4)
    cx, cy = round(half_width + _MARGIN, 1), round(half_height + _MARGIN, 1)

    def point(i: int, fraction: float) -> tuple[float, float]:
        dx, dy = units[i]
        return cx + RADAR_RADIUS * fraction * dx, cy + RADAR_RADIUS * fraction * dy

    axes, points = [], []
    for i, key in enumerate(keys):
        x, y = point(i, 1.0)
        lx, ly = point(i, _LABEL_AT)
        anchor = _side(units[i][0])
        lines = wrapped[key]
        # ly becomes the first line's baseline: a label above ends at the axis, one below
        # starts there, one at the side is centred on it.
        if anchor != "middle":
            ly += LABEL_FONT / 3 - (len(lines) - 1) * LABEL_LINE / 2  # a third of the size: half a capital
        elif units[i][1] < 0:
            ly -= 4 + (len(lines) - 1) * LABEL_LINE
        else:
            ly += LABEL_FONT + 1
        axes.append(RadarAxis(key, values[key], round(x, 1), round(y, 1), round(lx, 1), round(ly, 1), anchor, lines))
        px, py = point(i, max(0.0, min(100.0, values[key] or 0.0)) / 100)
        points.append(f"{px:.1f},{py:.1f}")
    rings = [" ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, f) for i in range(len(keys))))
             for f in (0.25, 0.5, 0.75, 1.0)]
    return Radar(axes, " ".join(points), rings, cx, cy)


def heat_class(value: float | None) -> str:
    """A CSS class for a heatmap cell in five bands (text always shows the number too)."""
    if value is None:
        return "heat-none"
    return f"heat-{min(4, int(value // 20))}"
