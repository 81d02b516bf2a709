"""Static checks of a parsed scenario: ids, targets, references, translations.

These need only the file itself plus the competency framework and the manual's table of
contents. Checks that depend on how the conversation can unfold (reachability, loops,
guards that never fire) live in ``analysis``.
"""
from __future__ import annotations

import re
from collections.abc import Container, Iterator
from functools import cache
from typing import get_args

from pydantic import BaseModel

from .diagnostics import Reporter
from .guards import GuardError, parse_guard
from .model import Node, Scenario, Text
from .rubric import RESERVED, outcome_table, parse_outcome, phrase_words

RESERVED_IDS = frozenset({"trigger", "state", "node", "machine"})
RESERVED_PREFIXES = ("is_", "may_", "to_")


def iter_texts(obj: object, path: tuple = ()) -> Iterator[tuple[tuple, Text]]:
    """Every ``Text`` in a model with its data path (its stable text id)."""
    found: list[tuple[tuple, Text]] = []
    _collect_texts(obj, path, found)
    return iter(found)


def _collect_texts(obj: object, path: tuple, found: list) -> None:
    # A list, not nested generators: a big scenario has ~10^5 texts, and every item
    # would otherwise climb back through each level of ``yield from``. Dispatch is on the
    # exact type: models are pydantic classes, whose isinstance checks go through ABCMeta.
    kind = type(obj)
    if kind is Text:
        found.append((path, obj))
    elif kind is dict:
        for key, value in obj.items():
            _collect_texts(value, path + (key,), found)
    elif kind is list:
        for index, value in enumerate(obj):
            _collect_texts(value, path + (index,), found)
    else:
        for name in _text_fields(kind):  # nothing for text, numbers and other leaves
            _collect_texts(getattr(obj, name), path + (name,), found)


@cache
def _text_fields(kind: type) -> tuple[str, ...]:
    """The fields of a model class whose type can hold a model (so a ``Text``), in order;
    none for any other class."""
    if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
        return ()
    return tuple(name for name, info in kind.model_fields.items() if _holds_model(info.annotation))


def _holds_model(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in get_args(annotation))


def text_id(scenario_id: str, path: tuple, scenario: Scenario | None = None) -> str:
    """A stable id for a text: choices and rubric elements are named by their id, not
    their position."""
    parts: list[str] = [scenario_id]
    for i, part in enumerate(path):
        if isinstance(part, int) and scenario is not None and path[i - 1] == "choices":
            choice = scenario.nodes[path[i - 2]].choices[part]  # type: ignore[index]
            parts.append(choice.id)
        elif isinstance(part, int) and scenario is not None and path[i - 1] == "elements":
            element = scenario.nodes[path[i - 3]].free_text.elements[part]  # type: ignore[union-attr]
            parts.append(element.id)
        else:
            parts.append(str(part))
    return ".".join(parts)


def check_scenario(
    scenario: Scenario,
    report: Reporter,
    competencies: Container[str],
    sections: Container[str],
    file_stem: str | None = None,
) -> dict:
    """Run the static checks; return the parsed guards keyed by (node, rule index)."""
    if file_stem is not None and file_stem != scenario.id:
        report.add("SC019", ("id",), f"the id is {scenario.id!r} but the file is {file_stem!r}.yaml: rename one so they match")

    _check_state(scenario, report)
    _check_ids(scenario, report)
    _check_targets(scenario, report)
    _check_competencies(scenario, report, competencies)
    _check_sections(scenario, report, sections)
    _check_choices(scenario, report)
    for node_id, node in scenario.nodes.items():
        if node.free_text is not None:
            _check_free_text(scenario, node_id, node, report)
    for path, text in iter_texts(scenario):
        if not (text.en or "").strip():
            report.add("SC011", path + ("en",), f"add the English text for {text_id(scenario.id, path, scenario)}")
        for lang, marks in (("uk", "«…»"), ("en", "“…”")):
            if '"' in (getattr(text, lang) or ""):
                report.add("SC028", path + (lang,), f"{text_id(scenario.id, path, scenario)}.{lang} quotes with \": "
                           f"write {marks}, as the rest of the {'Ukrainian' if lang == 'uk' else 'English'} text does")
        if path[-1] == "says":
            for lang in ("uk", "en"):
                words = (getattr(text, lang) or "").strip()
                if quoted_whole(words):
                    report.add("SC025", path + (lang,),
                               f"{text_id(scenario.id, path, scenario)}.{lang} is wrapped in {words[0]}{words[-1]}: "
                               "remove them, the page puts the client's words in quotation marks itself")
                elif kind := stage_direction(words):
                    report.add("SC026", path + (lang,),
                               f"{text_id(scenario.id, path, scenario)}.{lang} starts with {kind}: keep only "
                               "the words, name someone other than the client under 'speaker' and put what they do "
                               "under 'does'")
    return _parse_guards(scenario, report)


QUOTES = {"«": "»", "“": "”", '"': '"'}
_SPEAKER_PREFIX = re.compile(r"^[^\s«“\":.!?()\[\]][^«“\":.!?]{0,48}:\s*(?=[«“\"])")


def stage_direction(text: str) -> str | None:
    """What in the words belongs elsewhere (SC026): "a note in brackets", "a name and a colon
    before quoted words", or None."""
    if text.startswith(("(", "[")):
        return "a note in brackets"
    return "a name and a colon before quoted words" if speaker_prefixed(text) else None


def speaker_prefixed(text: str) -> bool:
    """Whether the text is written like a script line, a few words and a colon before words
    quoted to the end: "Літня жінка тихо: «Доню, я постою»". Words that merely quote someone
    and go on ("Кажуть: «пишіть у частину», а частина мовчить") are not."""
    found = _SPEAKER_PREFIX.match(text)
    return found is not None and quoted_whole(text[found.end():])


def quoted_whole(text: str) -> bool:
    """Whether one pair of quotation marks encloses the whole text («…», “…”, "…"); not
    «a» … «b», two quotations that happen to start and end it."""
    if len(text) < 2 or text[0] not in QUOTES or text[-1] != QUOTES[text[0]]:
        return False
    opening, closing = text[0], QUOTES[text[0]]
    if opening == closing:
        return opening not in text[1:-1]
    depth = 0
    for index, char in enumerate(text):
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index == len(text) - 1
    return False


def _check_state(scenario: Scenario, report: Reporter) -> None:
    for name, var in scenario.state.items():
        path = ("state", name)
        if var.min > var.max:
            report.add("SC017", path, f"state {name!r}: min {var.min} is above max {var.max}")
        elif not var.min <= var.initial <= var.max:
            report.add("SC017", path + ("initial",), f"state {name!r}: initial {var.initial} is outside {var.min}..{var.max}")
        for i, cue in enumerate(var.cues):
            if not var.min <= cue.at_least <= var.max:
                report.add("SC017", path + ("cues", i), f"state {name!r}: cue at_least {cue.at_least} is outside {var.min}..{var.max}")


def _check_ids(scenario: Scenario, report: Reporter) -> None:
    for ending_id in scenario.endings:
        if ending_id in scenario.nodes:
            report.add("SC006", ("endings", ending_id), f"{ending_id!r} is both a node and an ending: rename one")
    seen: dict[str, tuple] = {}
    for node_id, node in scenario.nodes.items():
        for i, choice in enumerate(node.choices or []):
            path = ("nodes", node_id, "choices", i, "id")
            if choice.id in seen:
                report.add("SC006", path, f"choice id {choice.id!r} is already used in node {seen[choice.id][1]!r}: choice ids must be unique in the scenario")
            else:
                seen[choice.id] = path
            if choice.id in RESERVED_IDS or choice.id.startswith(RESERVED_PREFIXES):
                report.add("SC020", path, f"choice id {choice.id!r} is reserved by the engine: pick another name")
    for state_id in list(scenario.nodes) + list(scenario.endings):
        if state_id in RESERVED_IDS:
            report.add("SC020", ("nodes", state_id), f"{state_id!r} is reserved by the engine: pick another name")


def _check_targets(scenario: Scenario, report: Reporter) -> None:
    targets = set(scenario.nodes) | set(scenario.endings)
    if scenario.start not in scenario.nodes:
        report.add("SC002", ("start",), f"start {scenario.start!r} is not a node: name one of the nodes")
    for node_id, node in scenario.nodes.items():
        base = ("nodes", node_id)
        if node.choices is not None and node.route is not None:
            report.add("SC001", base, f"node {node_id!r} has both choices and a route: keep one")
        if not node.choices and not node.route:
            report.add("SC004", base, f"node {node_id!r} has no choices and no route: add choices, a route, or make it an ending")
        for i, choice in enumerate(node.choices or []):
            if choice.next not in targets:
                report.add("SC002", base + ("choices", i, "next"), f"choice {choice.id!r} goes to {choice.next!r}, which is neither a node nor an ending")
        for i, rule in enumerate(node.route or []):
            if rule.next not in targets:
                report.add("SC002", base + ("route", i, "next"), f"route of {node_id!r} goes to {rule.next!r}, which is neither a node nor an ending")
            if rule.next == node_id:
                report.add("SC005", base + ("route", i, "next"), f"route of {node_id!r} goes to itself: point it at another node")


def _check_competencies(scenario: Scenario, report: Reporter, known: Container[str]) -> None:
    declared = set(scenario.competencies)
    for i, comp in enumerate(scenario.competencies):
        if comp not in known:
            report.add("SC007", ("competencies", i), f"competency {comp!r} is not in the competency framework (scenarios/competencies.yaml)")
    scored: set[str] = set()
    for node_id, node in scenario.nodes.items():
        for i, choice in enumerate(node.choices or []):
            for comp in choice.scores:
                scored.add(comp)
                if comp not in declared:
                    report.add("SC007", ("nodes", node_id, "choices", i, "scores", comp), f"choice {choice.id!r} scores {comp!r}, which the scenario does not declare under 'competencies'")
        for i, element in enumerate(node.free_text.elements if node.free_text else []):
            for comp in element.scores:
                scored.add(comp)
                if comp not in declared:
                    report.add("SC007", ("nodes", node_id, "free_text", "elements", i, "scores", comp), f"rubric element {element.id!r} scores {comp!r}, which the scenario does not declare under 'competencies'")
    for i, comp in enumerate(scenario.competencies):
        if comp not in scored:
            report.add("SC016", ("competencies", i), f"competency {comp!r} is declared but no choice scores it: score it or remove it")


def _check_sections(scenario: Scenario, report: Reporter, sections: Container[str]) -> None:
    def check(path: tuple, refs: list[str]) -> None:
        for i, ref in enumerate(refs):
            if ref not in sections:
                report.add("SC008", path + (i,), f"manual section {ref!r} is not in the table of contents (content/uk/SUMMARY.md)")

    check(("manual",), scenario.manual)
    for i, source in enumerate(scenario.sources):
        if source.manual and source.manual not in sections:
            report.add("SC008", ("sources", i), f"manual section {source.manual!r} is not in the table of contents")
        if not source.manual and not source.title:
            report.add("SC001", ("sources", i), "a source needs 'manual' (a section number) or 'title' (a public source)")
    for node_id, node in scenario.nodes.items():
        for i, choice in enumerate(node.choices or []):
            check(("nodes", node_id, "choices", i, "refs"), choice.refs)
        for i, element in enumerate(node.free_text.elements if node.free_text else []):
            check(("nodes", node_id, "free_text", "elements", i, "refs"), element.refs)
    for ending_id, ending in scenario.endings.items():
        check(("endings", ending_id, "refs"), ending.refs)


def _check_choices(scenario: Scenario, report: Reporter) -> None:
    variables = set(scenario.state)
    for node_id, node in scenario.nodes.items():
        choices = node.choices or []
        base = ("nodes", node_id)
        if choices and not any(c.rating == "recommended" for c in choices):
            report.add("SC010", base + ("choices",), f"node {node_id!r} has no recommended choice: add the choice a skilled frontliner would make")
        for i, choice in enumerate(choices):
            if choice.feedback is None:
                report.add("SC009", base + ("choices", i), f"choice {choice.id!r} has no feedback: say why it works or not")
            for var in choice.effects:
                if var not in variables:
                    report.add("SC018", base + ("choices", i, "effects", var), f"choice {choice.id!r} changes {var!r}, which is not declared under 'state'")
        for i, var in enumerate(node.hide_cues):
            if var not in variables:
                report.add("SC018", base + ("hide_cues", i), f"node {node_id!r} hides the cues of {var!r}, which is not declared under 'state'")


def _check_free_text(scenario: Scenario, node_id: str, node: Node, report: Reporter) -> None:
    """The rubric of a free-text node: elements, phrases and outcome rules."""
    free_text = node.free_text
    assert free_text is not None
    base = ("nodes", node_id, "free_text")
    if node.route is not None:
        report.add("SC021", base, f"node {node_id!r} has free_text and a route: a free-text node needs choices (its possible outcomes), not a route")
    seen: set[str] = set()
    for i, element in enumerate(free_text.elements):
        path = base + ("elements", i)
        if element.id in seen:
            report.add("SC006", path + ("id",), f"rubric element id {element.id!r} is used twice in node {node_id!r}: element ids must be unique in the node")
        seen.add(element.id)
        if element.id in RESERVED:
            report.add("SC020", path + ("id",), f"rubric element id {element.id!r} is reserved for outcome conditions: pick another name")
        wanted = ("uk", "en") if scenario.title.en else ("uk",)
        for lang in wanted:
            phrases = getattr(element.phrases, lang)
            if not phrases:
                report.add("SC023", path + ("phrases",), f"rubric element {element.id!r} has no {lang!r} phrases: add a few ways of saying it")
            for j, phrase in enumerate(phrases):
                if not phrase_words(phrase):
                    report.add("SC023", path + ("phrases", lang, j), f"rubric element {element.id!r}: the phrase {phrase!r} has no words")
    choice_ids = {c.id for c in node.choices or []}
    rules = free_text.outcomes
    broken = False
    for i, rule in enumerate(rules):
        path = base + ("outcomes", i)
        if rule.choice not in choice_ids:
            broken = True
            report.add("SC021", path + ("choice",), f"outcome {rule.choice!r} is not a choice of node {node_id!r}: outcomes name choices of their own node")
        if rule.when is None:
            if i != len(rules) - 1:
                broken = True
                report.add("SC021", path, f"outcomes of {node_id!r}: only the last rule may omit 'when' (it is the fallback)")
            continue
        try:
            parse_outcome(rule.when, free_text)
        except GuardError as exc:
            broken = True
            report.add("SC021", path + ("when",), str(exc))
    if rules and rules[-1].when is not None:
        broken = True
        report.add("SC021", base + ("outcomes", len(rules) - 1), f"outcomes of {node_id!r} need a last rule without 'when' (the fallback for any other answer)")
    if broken:
        return
    reachable = outcome_table(free_text).reachable
    for i, choice in enumerate(node.choices or []):
        if choice.id not in reachable:
            report.add("SC022", ("nodes", node_id, "choices", i), f"no answer can lead to {choice.id!r}: name it in an outcome rule whose condition can hold, or remove it")


def _parse_guards(scenario: Scenario, report: Reporter) -> dict:
    variables = frozenset(scenario.state)
    guards = {}
    for node_id, node in scenario.nodes.items():
        rules = node.route or []
        for i, rule in enumerate(rules):
            path = ("nodes", node_id, "route", i)
            if rule.when is None:
                if i != len(rules) - 1:
                    report.add("SC001", path, f"route of {node_id!r}: only the last rule may omit 'when' (it is the fallback)")
                continue
            try:
                guards[(node_id, i)] = parse_guard(rule.when, variables)
            except GuardError as exc:
                report.add("SC001", path + ("when",), str(exc))
    return guards
