"""Paths through a compiled scenario for the content tests: the recommended one, and one with
some choices swapped for others at the same step."""
from __future__ import annotations

from trainer.scenario.engine import CompiledScenario


def recommended(play: CompiledScenario) -> list[str]:
    """The choice ids of the recommended path."""
    return [choice for _node, choice in play.analysis.recommended_path]


def replaced(path: list[str], **swaps: str) -> list[str]:
    """The path with some choices swapped for others at the same step."""
    assert set(swaps) <= set(path), swaps
    return [swaps.get(choice, choice) for choice in path]
