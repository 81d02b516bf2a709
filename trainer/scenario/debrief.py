"""The debrief: what the trainee did, what it earned, and what to read.

Built from the recorded steps only, so it can be rebuilt at any time from the database
(for the trainee, a supervisor or an export) against the version that was played.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .engine import CompiledScenario, PlayState
from .model import Choice, RubricElement
from .scoring import percentage


@dataclass
class Contribution:
    node: str
    choice: Choice
    delta: int
    # Set when the points came from a rubric element found in a written answer.
    element: RubricElement | None = None


@dataclass
class CompetencyResult:
    id: str
    total: int
    maximum: int
    percent: int | None
    contributions: list[Contribution] = field(default_factory=list)


@dataclass
class Missed:
    """A node where the trainee chose something other than the recommended choice."""

    node: str
    chosen: Choice
    recommended: Choice


@dataclass
class Debrief:
    outcome: str
    ending: str
    critical: Choice | None
    competencies: list[CompetencyResult]
    missed: list[Missed]
    refs: list[str]
    # How many answers were harmful, and whether that is what kept a good ending from
    # being a good outcome (the page then says so: the ending's summary describes the
    # recommended way to it, not the trainee's).
    harmful: int = 0
    capped: bool = False


def build_debrief(compiled: CompiledScenario, steps: list[tuple[str, str]], state: PlayState,
                  rubrics: Mapping[int, dict] | None = None) -> Debrief:
    """Debrief of a finished attempt from its (node, choice) steps.

    ``rubrics`` maps a step's index to the rubric result of its written answer, so the
    points of the elements found show as contributions too (the totals always include
    them, as they come from ``state``).
    """
    scenario = compiled.scenario
    results = {
        comp: CompetencyResult(comp, state.scores.get(comp, 0), compiled.analysis.max_score.get(comp, 0), None)
        for comp in scenario.competencies
    }
    missed: list[Missed] = []
    refs: list[str] = []
    for index, (node_id, choice_id) in enumerate(steps):
        _node, choice = compiled.choices[choice_id]
        for comp, delta in choice.scores.items():
            if delta and comp in results:
                results[comp].contributions.append(Contribution(node_id, choice, delta))
        free_text = scenario.nodes[node_id].free_text
        rubric = (rubrics or {}).get(index)
        if free_text is not None and rubric:
            found = set(rubric.get("found", []))
            for element in free_text.elements:
                if element.id not in found:
                    continue
                for comp, delta in element.scores.items():
                    if delta and comp in results:
                        results[comp].contributions.append(Contribution(node_id, choice, delta, element))
        if choice.rating != "recommended":
            best = next(c for c in scenario.nodes[node_id].choices or [] if c.rating == "recommended")
            missed.append(Missed(node_id, choice, best))
            refs.extend(best.refs)
    for result in results.values():
        result.percent = percentage(result.total, result.maximum)
    ending = scenario.endings[state.ending]  # type: ignore[index]
    critical = compiled.choices[state.critical][1] if state.critical else None
    refs = list(dict.fromkeys(list(ending.refs) + refs + list(scenario.manual)))
    return Debrief(
        outcome=compiled.outcome(state) or ending.outcome,
        ending=state.ending or "",
        critical=critical,
        competencies=list(results.values()),
        missed=missed,
        refs=refs,
        harmful=state.harmful,
        capped=compiled.capped(state),
    )
