"""The debrief: what the trainee did, what it earned, and what to read.

Built from the recorded steps only, so it can be rebuilt at any time from the database
(for the trainee, a supervisor or an export) against the version that was played.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .engine import CompiledScenario, PlayState
from .model import Choice
from .scoring import percentage


@dataclass
class Contribution:
    node: str
    choice: Choice
    delta: int


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


def build_debrief(compiled: CompiledScenario, steps: list[tuple[str, str]], state: PlayState) -> Debrief:
    """Debrief of a finished attempt from its (node, choice) steps."""
    scenario = compiled.scenario
    results = {
        comp: CompetencyResult(comp, state.scores.get(comp, 0), compiled.analysis.max_score.get(comp, 0), None)
        for comp in scenario.competencies
    }
    missed: list[Missed] = []
    refs: list[str] = []
    for node_id, choice_id in steps:
        _node, choice = compiled.choices[choice_id]
        for comp, delta in choice.scores.items():
            if delta and comp in results:
                results[comp].contributions.append(Contribution(node_id, choice, delta))
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
    )
