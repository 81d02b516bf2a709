"""The rules of play shared by the engine and the analysis.

Keeping them in one place guarantees that what ``trainer validate`` computes over all
paths is exactly what a trainee experiences.
"""
from __future__ import annotations

from collections.abc import Container, Mapping

from .model import Cue, Scenario, StateVar


def initial_state(scenario: Scenario) -> dict[str, int]:
    return {name: var.initial for name, var in scenario.state.items()}


def apply_effects(
    scenario: Scenario, state: Mapping[str, int], effects: Mapping[str, int]
) -> dict[str, int]:
    """New client state after ``effects``, each variable clamped to its range."""
    new = dict(state)
    for name, delta in effects.items():
        var = scenario.state.get(name)
        if var is None:
            continue
        new[name] = max(var.min, min(var.max, new[name] + delta))
    return new


def pick_route(scenario: Scenario, guards: Mapping, node_id: str, state: Mapping[str, int]) -> int | None:
    """Index of the first route rule of ``node_id`` that holds in ``state``."""
    for i, rule in enumerate(scenario.nodes[node_id].route or []):
        if rule.when is None:
            return i
        guard = guards.get((node_id, i))
        if guard is not None and guard(state):
            return i
    return None


def cue_for(var: StateVar, value: int) -> Cue | None:
    """The cue a variable shows at ``value``: the highest ``at_least`` it reaches (of equal
    ones, the last listed), or None below them all."""
    best = None
    for cue in var.cues:
        if value >= cue.at_least and (best is None or cue.at_least >= best.at_least):
            best = cue
    return best


def cues(scenario: Scenario, state: Mapping[str, int], hidden: Container[str] = ()) -> list[tuple[str, object]]:
    """The visible behaviour for each state variable not ``hidden``: (variable, Text) pairs."""
    shown = []
    for name, var in scenario.state.items():
        if name in hidden:
            continue
        best = cue_for(var, state[name])
        if best is not None:
            shown.append((name, best.text))
    return shown
