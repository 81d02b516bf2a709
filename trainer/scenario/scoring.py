"""Competency percentages, the one rule used everywhere a score is shown.

A percentage is the total against the highest total any path through the scenario can
reach (from the graph search), floored at zero. Measuring against the visited path's
own maximum would make a short poor path look as good as a long excellent one.
"""
from __future__ import annotations

from collections.abc import Mapping


def percentage(total: int, maximum: int) -> int | None:
    """Whole-number percentage, or None when the competency cannot be scored."""
    if maximum <= 0:
        return None
    return max(0, min(100, round(100 * total / maximum)))


def percentages(totals: Mapping[str, int], maxima: Mapping[str, int]) -> dict[str, int | None]:
    return {comp: percentage(totals.get(comp, 0), maxima.get(comp, 0)) for comp in maxima}
