"""The debrief: what the trainee did, what it earned, and what to read.

Built from the recorded steps only, so it can be rebuilt at any time from the database
(for the trainee, a supervisor or an export) against the version that was played.

A percentage is measured against the best total any way through the scenario reaches on
that competency alone (``scoring``). The ways differ in what they favour, so on some
competencies even the recommended answer at every step stays under 100 %: each result
also carries what the recommended answers reach (``benchmark``), for the page to put
beside the trainee's score. The rule itself is not changed for the debrief: the stored
scores, the history, the supervisors' analytics and the exports all use it, and a
percentage measured against the path played would make a short poor path look as good
as a long excellent one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .engine import CompiledScenario, PlayState
from .model import Choice, RubricElement
from .quality import path_totals
from .rubric import in_another_person
from .scoring import competencies_tested, percentage, percentages


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
    # What the recommended answer at every step scores here (a written answer at its best).
    benchmark: int | None = None
    # False when no decision the conversation reached could change it: no percent then.
    tested: bool = True


@dataclass
class Missed:
    """A node where the trainee chose something other than the recommended choice."""

    node: str
    chosen: Choice
    recommended: Choice


@dataclass
class StepReport:
    """One decision as the debrief tells it: what was chosen, and what was recommended."""

    index: int
    node: str
    chosen: Choice  # at a free-text node: the outcome the written answer amounted to
    recommended: Choice
    answer: str | None = None  # the written answer, at a free-text node
    found: list[str] | None = None  # its rubric elements that count as found
    # Expected elements missed only for a verb's person, with the answer's words for them.
    other_person: dict[str, str] = field(default_factory=dict)

    @property
    def was_recommended(self) -> bool:
        return self.chosen.rating == "recommended"


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
    steps: list[StepReport] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        """The plain average of the competency percentages, as the history shows an attempt."""
        scored = [c.percent for c in self.competencies if c.percent is not None]
        return sum(scored) / len(scored) if scored else None

    @property
    def recommended_falls_short(self) -> bool:
        """Whether the recommended answers stay under 100 % on some competency."""
        return any(c.benchmark is not None and c.benchmark < 100 for c in self.competencies)


def build_debrief(compiled: CompiledScenario, steps: list[tuple[str, str]], state: PlayState,
                  rubrics: Mapping[int, dict] | None = None, totals: Mapping[str, int] | None = None) -> Debrief:
    """Debrief of a finished attempt from its (node, choice) steps.

    ``rubrics`` maps a step's index to the rubric result of its written answer, so the
    points of the elements found show as contributions too. ``totals`` are the points
    that count (the stored ones, which follow supervisors' verdicts on written answers);
    without them, the final state's. A caller passing verdicts' totals passes rubric
    results whose ``found`` follows the same verdicts.
    """
    scenario = compiled.scenario
    points = state.scores if totals is None else {**state.scores, **totals}
    maxima = compiled.analysis.max_score
    benchmarks = percentages(path_totals(compiled.loaded, compiled.analysis.recommended_path), maxima)
    results = {
        comp: CompetencyResult(comp, points.get(comp, 0), maxima.get(comp, 0), None,
                               benchmark=benchmarks.get(comp))
        for comp in scenario.competencies
    }
    missed: list[Missed] = []
    refs: list[str] = []
    reports: list[StepReport] = []
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
        best = next(c for c in scenario.nodes[node_id].choices or [] if c.rating == "recommended")
        if choice.rating != "recommended":
            missed.append(Missed(node_id, choice, best))
            refs.extend(best.refs)
        written = rubric if free_text is not None and rubric else None
        reports.append(StepReport(index, node_id, choice, best,
                                  answer=written.get("answer") if written else None,
                                  found=list(written.get("found", [])) if written else None,
                                  other_person=in_another_person(written)))
    tested = competencies_tested(scenario, [node_id for node_id, _choice in steps])
    for result in results.values():
        result.tested = result.id in tested
        result.percent = percentage(result.total, result.maximum) if result.tested else None
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
        steps=reports,
    )
