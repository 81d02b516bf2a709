"""Competency percentages, the one rule used everywhere a score is shown.

A percentage is the total against the highest total any path through the scenario can
reach (from the graph search), floored at zero. Measuring against the visited path's
own maximum would make a short poor path look as good as a long excellent one. A
competency the conversation never put to the test is left out rather than scored 0 %
(``competencies_tested``).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Scenario


def percentage(total: int, maximum: int) -> int | None:
    """Whole-number percentage, or None when the competency cannot be scored."""
    if maximum <= 0:
        return None
    return max(0, min(100, round(100 * total / maximum)))


def percentages(totals: Mapping[str, int], maxima: Mapping[str, int]) -> dict[str, int | None]:
    return {comp: percentage(totals.get(comp, 0), maxima.get(comp, 0)) for comp in maxima}


def competencies_tested(scenario: Scenario, node_ids: Iterable[str]) -> set[str]:
    """The competencies some answer at one of ``node_ids`` could change: what a conversation
    that visited those decisions put to the test.

    A competency outside this set was never in play (the conversation ended before it came
    up), so its 0 % says nothing about the trainee: the debrief shows it as not tested, and
    no score row is stored for it, so averages, the weakest competency and the profile
    leave it out. The ending's outcome still tells how the conversation went.
    """
    tested: set[str] = set()
    for node_id in node_ids:
        node = scenario.nodes.get(node_id)
        if node is None:
            continue
        for choice in node.choices or []:
            tested.update(comp for comp, delta in choice.scores.items() if delta)
        if node.free_text is not None:
            for element in node.free_text.elements:
                tested.update(comp for comp, delta in element.scores.items() if delta)
    return tested
