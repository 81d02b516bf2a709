"""The scenario library's quality bar, beyond what makes a file valid.

A valid scenario can still be a poor exercise. The bar: at least five decision points on
the recommended path with at least three choices each; at least three endings covering
good, mixed and poor; the recommended path ends well and scores at least 80% of the
maximum on every competency; the worst path ends poor or failed and scores at most 30%;
no path longer than 30 steps. Percentages use the same rule as the debrief.
"""
from __future__ import annotations

from .loader import LoadedScenario
from .scoring import percentages

MIN_DECISIONS = 5
MIN_CHOICES = 3
MAX_STEPS = 30
RECOMMENDED_AT_LEAST = 80
WORST_AT_MOST = 30


def path_totals(loaded: LoadedScenario, path: list[tuple[str, str]]) -> dict[str, int]:
    choices = {c.id: c for n in loaded.scenario.nodes.values() for c in n.choices or []}
    totals = {c: 0 for c in loaded.scenario.competencies}
    for _node, choice_id in path:
        for comp, delta in choices[choice_id].scores.items():
            totals[comp] = totals.get(comp, 0) + delta
    return totals


def bar_problems(loaded: LoadedScenario) -> list[str]:
    """What keeps a loaded scenario below the library bar (empty when it meets it)."""
    scenario, analysis = loaded.scenario, loaded.analysis
    if scenario is None or analysis is None or not analysis.bounded or analysis.start is None:
        return ["the scenario must load without errors first"]
    problems: list[str] = []
    rec = analysis.recommended_path
    if len(rec) < MIN_DECISIONS:
        problems.append(f"the recommended path has {len(rec)} decision points; at least {MIN_DECISIONS} are needed")
    for node_id, _choice in rec:
        count = len(scenario.nodes[node_id].choices or [])
        if count < MIN_CHOICES:
            problems.append(f"node {node_id!r} on the recommended path offers {count} choices; at least {MIN_CHOICES} are needed")
    outcomes = {e.outcome for e in scenario.endings.values()}
    for needed in ("good", "mixed", "poor"):
        if needed not in outcomes and not (needed == "poor" and "failed" in outcomes):
            problems.append(f"no {needed!r} ending: add one")
    if analysis.longest > MAX_STEPS:
        problems.append(f"the longest path has {analysis.longest} steps; at most {MAX_STEPS} are allowed")
    rec_end = scenario.endings.get(analysis.recommended_ending or "")
    if rec_end is None or rec_end.outcome != "good":
        problems.append(f"the recommended path ends in {analysis.recommended_ending!r}, which is not a good ending")
    for comp, pct in percentages(path_totals(loaded, rec), analysis.max_score).items():
        if pct is not None and pct < RECOMMENDED_AT_LEAST:
            problems.append(f"the recommended path scores {pct}% on {comp}; at least {RECOMMENDED_AT_LEAST}% is needed")
    worst_end = scenario.endings.get(analysis.worst_ending or "")
    if worst_end is None or worst_end.outcome not in ("poor", "failed"):
        problems.append(f"the worst path ends in {analysis.worst_ending!r}, which is not a poor or failed ending")
    for comp, pct in percentages(path_totals(loaded, analysis.worst_path), analysis.max_score).items():
        if pct is not None and pct > WORST_AT_MOST:
            problems.append(f"the worst path scores {pct}% on {comp}; at most {WORST_AT_MOST}% is allowed")
    for comp in scenario.competencies:
        if analysis.max_score.get(comp, 0) <= 0:
            problems.append(f"no path earns points on {comp}: give the good choices positive scores")
    return problems
