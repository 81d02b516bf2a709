"""The scenario library's quality bar, beyond what makes a file valid.

A valid scenario can still be a poor exercise. The bar: at least five decision points on
the recommended path with at least three choices each; at least three endings covering
good, mixed and poor; the recommended path ends well and scores at least 80% of the
maximum on every competency; the worst path ends poor or failed and scores at most 30%;
no path longer than 30 steps. Percentages use the same rule as the debrief. A free-text
node counts as a decision point with one option per outcome; on the recommended path its
answer is taken at its best (the most element points its outcome allows), on the worst
path at its worst, and its model answer, in each language, must find every expected
element, no discouraged one, and lead to a recommended outcome. Length must not give the
answer away: at no more than a third of the decisions may the recommended option be the
longest one, in either language (reviewers won whole scenarios by clicking the longest).
"""
from __future__ import annotations

from .loader import LoadedScenario
from .rubric import Rubric, outcome_points
from .scoring import percentages

MIN_DECISIONS = 5
MIN_CHOICES = 3
MAX_STEPS = 30
RECOMMENDED_AT_LEAST = 80
WORST_AT_MOST = 30
LONGEST_RECOMMENDED_AT_MOST = 1 / 3  # share of a scenario's choice decisions


def path_totals(loaded: LoadedScenario, path: list[tuple[str, str]], best: bool = True) -> dict[str, int]:
    """Totals along ``path``; free-text outcomes at their best (or worst) element points."""
    choices = {c.id: c for n in loaded.scenario.nodes.values() for c in n.choices or []}
    free = outcome_points(loaded.scenario)
    totals = {c: 0 for c in loaded.scenario.competencies}
    for _node, choice_id in path:
        scores = free[choice_id][0 if best else 1] if choice_id in free else choices[choice_id].scores
        for comp, delta in scores.items():
            totals[comp] = totals.get(comp, 0) + delta
    return totals


def model_answer_problems(loaded: LoadedScenario) -> list[str]:
    """Free-text nodes whose model answer would not itself score well."""
    problems: list[str] = []
    for node_id, node in loaded.scenario.nodes.items():
        if node.free_text is None:
            continue
        rubric = Rubric(node.free_text)
        ratings = {c.id: c.rating for c in node.choices or []}
        for lang in ("uk", "en"):
            result = rubric.match(node.free_text.model_answer.get(lang), lang)
            where = f"the {lang!r} model answer of {node_id!r}"
            if result["expected_missing"]:
                problems.append(f"{where} misses expected elements {', '.join(result['expected_missing'])}: reword it or add phrases")
            if result["discouraged_found"]:
                problems.append(f"{where} contains discouraged elements {', '.join(result['discouraged_found'])}")
            if ratings.get(result["outcome"]) != "recommended":
                problems.append(f"{where} leads to {result['outcome']!r}, which is not a recommended outcome")
    return problems


def longest_recommended(loaded: LoadedScenario, lang: str) -> tuple[list[str], int]:
    """The choice decisions (written answers aside) where a recommended option is longer
    than every other option in ``lang``, and how many choice decisions there are."""
    giveaways: list[str] = []
    decisions = 0
    for node_id, node in loaded.scenario.nodes.items():
        choices = node.choices or []
        if node.free_text is not None or len(choices) < 2:
            continue
        decisions += 1
        recommended = max((len(c.text.get(lang)) for c in choices if c.rating == "recommended"), default=0)
        others = max((len(c.text.get(lang)) for c in choices if c.rating != "recommended"), default=0)
        if recommended > others:
            giveaways.append(node_id)
    return giveaways, decisions


def length_problems(loaded: LoadedScenario) -> list[str]:
    """Where option length gives the recommended answer away."""
    problems: list[str] = []
    for lang in ("uk", "en"):
        giveaways, decisions = longest_recommended(loaded, lang)
        if decisions and len(giveaways) > LONGEST_RECOMMENDED_AT_MOST * decisions:
            problems.append(
                f"in {lang!r} the recommended option is the longest at {len(giveaways)} of {decisions} "
                f"decisions ({', '.join(giveaways)}); at most a third may be: trim what it narrates or "
                "write a fuller, plausible wrong answer")
    return problems


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
    for comp, pct in percentages(path_totals(loaded, analysis.worst_path, best=False), analysis.max_score).items():
        if pct is not None and pct > WORST_AT_MOST:
            problems.append(f"the worst path scores {pct}% on {comp}; at most {WORST_AT_MOST}% is allowed")
    for comp in scenario.competencies:
        if analysis.max_score.get(comp, 0) <= 0:
            problems.append(f"no path earns points on {comp}: give the good choices positive scores")
    problems.extend(model_answer_problems(loaded))
    problems.extend(length_problems(loaded))
    return problems
