"""Score a written answer against a free-text node's rubric.

A rubric lists elements an answer should contain (``expected``) or should avoid
(``discouraged``), each written as a few short phrases. How an answer's words are found,
with their polarity («я не поспішаю» matches «не поспішаю», not «поспішаю») and the
dismissals that cancel empathy in their sentence, is ``trainer.scenario.reading``. A
dismissal is reported as the built-in discouraged element ``dismissive``, which outcome
conditions may name.

The first outcome rule whose condition holds over the found elements names the choice
the answer amounts to. Phrases of both languages are tried on every answer (a Ukrainian
phrase cannot match English words), so an answer written in Ukrainian under the English
interface is still understood; ``lang`` picks the language of the labels and feedback.

Pure Python, no Flask.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import combinations

from . import polarity
from .guards import Guard, GuardError, parse_guard
from .model import FreeText, RubricElement, Scenario
from .polarity import DISMISSIVE, DISMISSIVE_TEXT
from .reading import Phrase, compile_phrase, dismissals, find, phrase_words, quote, read

MAX_ANSWER_CHARS = 2000  # longer answers are refused by the engine
MAX_ENUMERATED = 12  # up to this many elements, outcome bounds are exact (2**n answers)
COUNTS = ("count_expected", "count_discouraged")
# Names outcome conditions use besides element ids: the counts and the dismissal.
RESERVED = (*COUNTS, DISMISSIVE)

__all__ = ["MAX_ANSWER_CHARS", "MAX_ENUMERATED", "RESERVED", "Rubric", "in_another_person", "in_language",
           "outcome_points", "outcome_table", "parse_outcome", "phrase_words"]


def outcome_variables(free_text: FreeText) -> frozenset[str]:
    """The names an outcome condition may use."""
    return frozenset(e.id for e in free_text.elements) | frozenset(RESERVED)


def parse_outcome(source: str, free_text: FreeText) -> Guard:
    """Parse one outcome condition; raises GuardError with advice for the author."""
    return parse_guard(source, outcome_variables(free_text),
                       noun=("an element of this node's rubric", "element ids"),
                       example="'names_feeling and not calm_down' or 'count_expected >= 2'")


def _values(elements: list[RubricElement], found: set[str]) -> dict[str, int]:
    values = {e.id: int(e.id in found) for e in elements}
    values[DISMISSIVE] = int(DISMISSIVE in found)
    values["count_expected"] = sum(1 for e in elements if e.kind == "expected" and e.id in found)
    values["count_discouraged"] = (sum(1 for e in elements if e.kind == "discouraged" and e.id in found)
                                   + values[DISMISSIVE])
    return values


def _parsed_rules(free_text: FreeText) -> list[tuple[int, Guard | None, str]]:
    """(index, guard or None for the fallback, choice); unreadable rules are left out."""
    rules = []
    for i, rule in enumerate(free_text.outcomes):
        if rule.when is None:
            rules.append((i, None, rule.choice))
            continue
        try:
            rules.append((i, parse_outcome(rule.when, free_text), rule.choice))
        except GuardError:
            continue
    return rules


def _pick(rules, values: dict[str, int]) -> tuple[int, str] | None:
    for index, guard, choice in rules:
        if guard is None or guard(values):
            return index, choice
    return None


def _dismissible(element: RubricElement) -> bool:
    """An expected element a dismissal in the same stretch cancels (it earns empathy)."""
    return element.kind == "expected" and any(
        points > 0 for comp, points in element.scores.items() if comp in polarity.DISMISSAL_CANCELS)


def _localised(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts["en"]


class Rubric:
    """One node's rubric, ready to score answers; immutable and shared between threads."""

    def __init__(self, free_text: FreeText):
        self.free_text = free_text
        self.elements = list(free_text.elements)
        self._rules = _parsed_rules(free_text)
        if len(self._rules) != len(free_text.outcomes):
            raise GuardError("an outcome condition cannot be read: run `trainer validate`")
        self._phrases: dict[str, list[Phrase]] | None = None
        self._lock = threading.Lock()

    def _compiled(self) -> dict[str, list[Phrase]]:
        # Built on first use so that loading scenarios does not load the dictionaries.
        with self._lock:
            if self._phrases is None:
                self._phrases = {}
                for element in self.elements:
                    texts = list(element.phrases.uk) + list(element.phrases.en)
                    compiled = (compile_phrase(t) for t in texts)
                    self._phrases[element.id] = [p for p in compiled if p is not None]
            return self._phrases

    def outcome(self, found: set[str]) -> tuple[int, str]:
        """(rule index, choice id) for a set of found element ids (and ``dismissive``)."""
        picked = _pick(self._rules, _values(self.elements, found))
        if picked is None:  # the validator requires a fallback rule
            raise GuardError("no outcome rule applies: add a last rule without 'when'")
        return picked

    def match(self, text: str, lang: str = "uk") -> dict:
        """Score ``text``; a JSON-friendly result (see docs/rubrics.md for every key)."""
        phrases = self._compiled()
        reading = read(text)
        tokens = reading.tokens
        brush_offs = dismissals(reading)
        dismissed = frozenset(tokens[p[0]].stretch for p, _frame in brush_offs)
        elements = []
        found: set[str] = set()
        delta: dict[str, int] = {}
        for element in self.elements:
            hit = None
            skipped = []
            avoid = dismissed if _dismissible(element) else frozenset()
            for phrase in phrases[element.id]:
                # Words in another person are reported for a missed expected element only
                # (``in_another_person``): a discouraged one has nothing to explain.
                positions, missed = find(phrase, reading, avoid, other_person=element.kind == "expected")
                skipped += [dict(quote(text, tokens, p), phrase=phrase.text, reason=why) for p, why in missed]
                if positions is not None:
                    hit = dict(quote(text, tokens, positions), phrase=phrase.text)
                    break
            if hit is not None:
                found.add(element.id)
                for comp, points in element.scores.items():
                    delta[comp] = delta.get(comp, 0) + points
            elements.append({
                "id": element.id,
                "kind": element.kind,
                "label": element.label.get(lang),
                "found": hit is not None,
                "match": hit,
                "skipped": [] if hit is not None else skipped,
                "scores": dict(element.scores),
                "feedback": element.feedback.get(lang),
                "refs": list(element.refs),
            })
        if brush_offs:
            found.add(DISMISSIVE)
            positions, frame = brush_offs[0]
            elements.append({
                "id": DISMISSIVE,
                "kind": "discouraged",
                "label": _localised(DISMISSIVE_TEXT["label"], lang),
                "found": True,
                "match": dict(quote(text, tokens, positions), phrase=frame),
                "skipped": [],
                "scores": {},
                "feedback": _localised(DISMISSIVE_TEXT["feedback"], lang),
                "refs": [],
            })
        rule, choice = self.outcome(found)
        expected = [e for e in elements if e["kind"] == "expected"]
        discouraged = [e for e in elements if e["kind"] == "discouraged"]
        return {
            "lang": lang,
            "answer": text,
            "outcome": choice,
            "rule": rule,
            "found": [e["id"] for e in elements if e["found"]],
            "expected_found": [e["id"] for e in expected if e["found"]],
            "expected_missing": [e["id"] for e in expected if not e["found"]],
            "discouraged_found": [e["id"] for e in discouraged if e["found"]],
            "score_delta": {c: v for c, v in delta.items() if v},
            "feedback": [
                {"id": e["id"], "kind": e["kind"], "found": e["found"], "text": e["feedback"]}
                for e in elements if e["kind"] == "expected" or e["found"]
            ],
            "elements": elements,
            "model_answer": self.free_text.model_answer.get(lang),
        }


def in_language(result: dict, free_text: FreeText, lang: str) -> dict:
    """A stored result with the scenario's own wording in ``lang``.

    A result keeps the element labels, feedback and model answer of the language the answer
    was written in. Someone who switches the interface language mid-attempt reads them in the
    new one. An element the rubric no longer has keeps its stored text; the dismissal, which
    no rubric lists, reads in ``lang`` too.
    """
    by_id = {element.id: element for element in free_text.elements}
    dismissal = DISMISSIVE not in by_id

    def element(stored: dict) -> dict:
        if dismissal and stored["id"] == DISMISSIVE:
            return {**stored, "label": _localised(DISMISSIVE_TEXT["label"], lang),
                    "feedback": _localised(DISMISSIVE_TEXT["feedback"], lang)}
        found = by_id.get(stored["id"])
        return stored if found is None else {**stored, "label": found.label.get(lang), "feedback": found.feedback.get(lang)}

    def feedback(stored: dict) -> dict:
        if dismissal and stored["id"] == DISMISSIVE:
            return {**stored, "text": _localised(DISMISSIVE_TEXT["feedback"], lang)}
        found = by_id.get(stored["id"])
        return stored if found is None else {**stored, "text": found.feedback.get(lang)}

    return {**result, "elements": [element(e) for e in result.get("elements", [])],
            "feedback": [feedback(f) for f in result.get("feedback", [])],
            "model_answer": free_text.model_answer.get(lang)}


def in_another_person(result: dict | None) -> dict[str, str]:
    """For each expected element a stored result missed only because its verb was in
    another person (a ``skipped`` occurrence with the reason "person"), the answer's words:
    «Подзвоніть їй» for a phrase «подзвоню їй». Results stored before persons were read
    have none; an element a supervisor's review counts as found (in ``found``) has none."""
    result = result or {}
    counted = set(result.get("found", []))
    found = {}
    for element in result.get("elements", []):
        if element.get("kind") != "expected" or element.get("found") or element.get("id") in counted:
            continue
        quoted = next((s["quote"] for s in element.get("skipped", []) if s.get("reason") == "person"), None)
        if quoted:
            found[element["id"]] = quoted
    return found


# -- what any answer can lead to (for the validator and the score bounds) ------------

@dataclass
class OutcomeTable:
    """For one free-text node: choices some answer reaches, and their element points."""

    reachable: set[str]
    best: dict[str, dict[str, int]]  # choice id -> competency -> most element points
    worst: dict[str, dict[str, int]]  # choice id -> competency -> fewest element points
    exact: bool  # False when there were too many elements to try every combination


def outcome_table(free_text: FreeText) -> OutcomeTable:
    """Try every combination of found elements (up to ``MAX_ENUMERATED`` elements), each
    with and without a dismissal (which has no points but may steer the outcome).

    Phrases are not consulted: any combination is assumed possible, so the points are
    bounds an actual answer stays within. Beyond the limit, the bounds are the sums of
    all positive and all negative points and every named choice counts as reachable.
    """
    elements = list({e.id: e for e in free_text.elements}.values())
    comps = sorted({c for e in elements for c in e.scores})
    rules = _parsed_rules(free_text)
    table = OutcomeTable(set(), {}, {}, exact=len(elements) <= MAX_ENUMERATED)
    if not table.exact:
        for _i, _guard, choice in rules:
            table.reachable.add(choice)
            table.best[choice] = {c: sum(max(0, e.scores.get(c, 0)) for e in elements) for c in comps}
            table.worst[choice] = {c: sum(min(0, e.scores.get(c, 0)) for e in elements) for c in comps}
        return table
    for size in range(len(elements) + 1):
        for subset in combinations(elements, size):
            ids = {e.id for e in subset}
            points = {c: sum(e.scores.get(c, 0) for e in subset) for c in comps}
            for found in (ids, ids | {DISMISSIVE}):
                picked = _pick(rules, _values(elements, found))
                if picked is not None:
                    _record(table, picked[1], points)
    return table


def _record(table: OutcomeTable, choice: str, points: dict[str, int]) -> None:
    if choice not in table.reachable:
        table.reachable.add(choice)
        table.best[choice] = dict(points)
        table.worst[choice] = dict(points)
        return
    best, worst = table.best[choice], table.worst[choice]
    for c, value in points.items():
        best[c] = max(best[c], value)
        worst[c] = min(worst[c], value)


def outcome_points(scenario: Scenario) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """Outcome choice id → (total scores at best, at worst): the choice's own scores
    plus the most and the fewest element points an answer reaching it can earn."""
    points = {}
    for node in scenario.nodes.values():
        if node.free_text is None:
            continue
        table = outcome_table(node.free_text)
        for choice in node.choices or []:
            best = dict(choice.scores)
            worst = dict(choice.scores)
            for comp, value in table.best.get(choice.id, {}).items():
                best[comp] = best.get(comp, 0) + value
            for comp, value in table.worst.get(choice.id, {}).items():
                worst[comp] = worst.get(comp, 0) + value
            points[choice.id] = (best, worst)
    return points
