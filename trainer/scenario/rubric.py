"""Score a written answer against a free-text node's rubric.

A rubric lists elements an answer should contain (``expected``) or should avoid
(``discouraged``), each written as a few short phrases. A phrase is found when each of
its words appears in the answer in some form (their lemmas meet, so «плачете» finds
«плакати»), in the phrase's order, with at most ``MAX_GAP`` other words between two
neighbours.

Polarity counts: a phrase that starts with a negator («не поспішаю», "no rush") is found
only in negated text, every other phrase only in text that is not negated. Text is
negated when a negator stands at most ``NEG_WINDOW`` words before the first matched word
within the same clause (punctuation and words such as «але», «що», "but" start a new
clause), or between two matched words. So «я не поспішаю» matches «не поспішаю» and not
«поспішаю», and «я поспішаю» the other way round.

The first outcome rule whose condition holds over the found elements names the choice
the answer amounts to. Phrases of both languages are tried on every answer (a Ukrainian
phrase cannot match English words), so an answer written in Ukrainian under the English
interface is still understood; ``lang`` picks the language of the labels and feedback.

Pure Python, no Flask. Lemmas come from ``trainer.search.lemmas`` (cached per word) and
are computed on the first match, so loading scenarios never needs the dictionaries.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from itertools import combinations

from .guards import Guard, GuardError, parse_guard
from .model import FreeText, RubricElement, Scenario

MAX_GAP = 2  # other words allowed between two neighbouring words of a phrase
NEG_WINDOW = 3  # words before a match searched for a negator («не буду вас поспішати»)
MAX_ANSWER_CHARS = 2000  # longer answers are refused by the engine
MAX_ENUMERATED = 12  # up to this many elements, outcome bounds are exact (2**n answers)
COUNTS = ("count_expected", "count_discouraged")

NEGATORS = frozenset({
    "не", "ні", "ані", "ніколи", "немає", "нема", "без", "ніхто", "ніщо", "нічого", "нікому",
    "нікого", "ніде", "нікуди",
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without",
})
# A negator before one of these belongs to the previous clause: «не знаю, але допоможу».
CLAUSE_WORDS = frozenset({
    "але", "а", "проте", "однак", "зате", "що", "щоб", "бо", "тому", "чи", "і", "й", "та",
    "якщо", "коли", "but", "and", "that", "because", "so", "or", "whether", "if", "when",
    "though", "although",
})

_TOKEN = re.compile(r"[\w'’ʼ‘`-]+", re.U)
_CLAUSE_BREAK = re.compile(r"[.,;:!?…—–()\[\]]|\s-\s")
_CYRILLIC = re.compile(r"[а-яіїєґ]")
_LATIN = re.compile(r"[a-z]")
# Latin letters that look like Cyrillic ones, typed by mistake inside Ukrainian words.
_LOOKALIKES = str.maketrans("aceiopxyï", "асеіорхуї")
_NT_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}


@dataclass(frozen=True)
class Token:
    """One word of an answer: normalised form, lemmas, where it is, which clause."""

    word: str
    lemmas: frozenset[str]
    start: int
    end: int
    clause: int


def _normalise(raw: str) -> list[str]:
    """One raw word as matching words: lower case, one apostrophe, no lookalikes."""
    word = raw.lower()
    for mark in "’ʼ‘`":
        word = word.replace(mark, "'")
    word = word.strip("-'")
    if not word:
        return []
    if _CYRILLIC.search(word) and _LATIN.search(word):
        word = word.translate(_LOOKALIKES)
    if word == "cannot":
        return ["can", "not"]
    if word.endswith("n't") and not _CYRILLIC.search(word):
        stem = word[:-3]
        return [w for w in (_NT_STEMS.get(stem, stem), "not") if w]
    return [word]


def _lemmas(word: str) -> frozenset[str]:
    if word.isdigit():
        return frozenset((word,))
    from ..search.lemmas import lemma_set

    return frozenset(lemma_set(word)) | {word}


def tokenize(text: str) -> list[Token]:
    """The answer's words with their lemmas, character spans and clause numbers."""
    tokens: list[Token] = []
    clause = 0
    last_end = 0
    for match in _TOKEN.finditer(text):
        found = _normalise(match.group(0))
        for i, word in enumerate(found):
            gap = _CLAUSE_BREAK.search(text, last_end, match.start()) if i == 0 else None
            if tokens and (gap or word in CLAUSE_WORDS):
                clause += 1
            tokens.append(Token(word, _lemmas(word), match.start(), match.end(), clause))
        if found:  # a lone hyphen is no word, so " - " stays in the gap as a break
            last_end = match.end()
    return tokens


def phrase_words(phrase: str) -> list[str]:
    """The matching words of a phrase (empty when it has none)."""
    return [w for raw in _TOKEN.findall(phrase) for w in _normalise(raw)]


@dataclass(frozen=True)
class _Phrase:
    text: str
    words: tuple[frozenset[str], ...]
    negated: bool


def _compile_phrase(text: str) -> _Phrase | None:
    found = phrase_words(text)
    lead = 0
    while lead < len(found) and found[lead] in NEGATORS:
        lead += 1
    if lead == len(found):  # only negators ("ні"): match them as plain words
        lead = 0
    content = found[lead:]
    if not content:
        return None
    return _Phrase(text, tuple(_lemmas(w) for w in content), lead > 0)


def _extend(tokens: list[Token], words, index: int, positions: list[int]) -> list[int] | None:
    if index == len(words):
        return positions
    last = positions[-1]
    for j in range(last + 1, min(len(tokens), last + 2 + MAX_GAP)):
        if tokens[j].lemmas & words[index]:
            found = _extend(tokens, words, index + 1, positions + [j])
            if found is not None:
                return found
    return None


def _is_negated(tokens: list[Token], positions: list[int]) -> bool:
    first = positions[0]
    clause = tokens[first].clause
    for j in range(first - 1, max(-1, first - 1 - NEG_WINDOW), -1):
        if tokens[j].clause != clause:
            break
        if tokens[j].word in NEGATORS:
            return True
    matched = set(positions)
    return any(tokens[j].word in NEGATORS for j in range(first + 1, positions[-1]) if j not in matched)


def _find(phrase: _Phrase, tokens: list[Token]) -> tuple[list[int] | None, list[list[int]]]:
    """The first occurrence of ``phrase`` with the right polarity, and those skipped."""
    skipped: list[list[int]] = []
    for i, token in enumerate(tokens):
        if not token.lemmas & phrase.words[0]:
            continue
        positions = _extend(tokens, phrase.words, 1, [i])
        if positions is None:
            continue
        if _is_negated(tokens, positions) == phrase.negated:
            return positions, skipped
        skipped.append(positions)
    return None, skipped


def _quote(text: str, tokens: list[Token], positions: list[int]) -> dict:
    start, end = tokens[positions[0]].start, tokens[positions[-1]].end
    words = list(dict.fromkeys(text[tokens[p].start:tokens[p].end] for p in positions))
    return {"words": words, "span": [start, end], "quote": text[start:end]}


def outcome_variables(free_text: FreeText) -> frozenset[str]:
    """The names an outcome condition may use."""
    return frozenset(e.id for e in free_text.elements) | frozenset(COUNTS)


def parse_outcome(source: str, free_text: FreeText) -> Guard:
    """Parse one outcome condition; raises GuardError with advice for the author."""
    return parse_guard(source, outcome_variables(free_text),
                       noun=("an element of this node's rubric", "element ids"),
                       example="'names_feeling and not calm_down' or 'count_expected >= 2'")


def _values(elements: list[RubricElement], found: set[str]) -> dict[str, int]:
    values = {e.id: int(e.id in found) for e in elements}
    values["count_expected"] = sum(1 for e in elements if e.kind == "expected" and e.id in found)
    values["count_discouraged"] = sum(1 for e in elements if e.kind == "discouraged" and e.id in found)
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


class Rubric:
    """One node's rubric, ready to score answers; immutable and shared between threads."""

    def __init__(self, free_text: FreeText):
        self.free_text = free_text
        self.elements = list(free_text.elements)
        self._rules = _parsed_rules(free_text)
        if len(self._rules) != len(free_text.outcomes):
            raise GuardError("an outcome condition cannot be read: run `trainer validate`")
        self._phrases: dict[str, list[_Phrase]] | None = None
        self._lock = threading.Lock()

    def _compiled(self) -> dict[str, list[_Phrase]]:
        # Built on first use so that loading scenarios does not load the dictionaries.
        with self._lock:
            if self._phrases is None:
                self._phrases = {}
                for element in self.elements:
                    texts = list(element.phrases.uk) + list(element.phrases.en)
                    compiled = (_compile_phrase(t) for t in texts)
                    self._phrases[element.id] = [p for p in compiled if p is not None]
            return self._phrases

    def outcome(self, found: set[str]) -> tuple[int, str]:
        """(rule index, choice id) for a set of found element ids."""
        picked = _pick(self._rules, _values(self.elements, found))
        if picked is None:  # the validator requires a fallback rule
            raise GuardError("no outcome rule applies: add a last rule without 'when'")
        return picked

    def match(self, text: str, lang: str = "uk") -> dict:
        """Score ``text``; a JSON-friendly result (see docs/rubrics.md for every key)."""
        phrases = self._compiled()
        tokens = tokenize(text)
        elements = []
        found: set[str] = set()
        delta: dict[str, int] = {}
        for element in self.elements:
            hit = None
            skipped = []
            for phrase in phrases[element.id]:
                positions, missed = _find(phrase, tokens)
                skipped += [dict(_quote(text, tokens, p), phrase=phrase.text) for p in missed]
                if positions is not None:
                    hit = dict(_quote(text, tokens, positions), phrase=phrase.text)
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
    new one. An element the rubric no longer has keeps its stored text.
    """
    by_id = {element.id: element for element in free_text.elements}

    def element(stored: dict) -> dict:
        found = by_id.get(stored["id"])
        return stored if found is None else {**stored, "label": found.label.get(lang), "feedback": found.feedback.get(lang)}

    def feedback(stored: dict) -> dict:
        found = by_id.get(stored["id"])
        return stored if found is None else {**stored, "text": found.feedback.get(lang)}

    return {**result, "elements": [element(e) for e in result.get("elements", [])],
            "feedback": [feedback(f) for f in result.get("feedback", [])],
            "model_answer": free_text.model_answer.get(lang)}


# -- what any answer can lead to (for the validator and the score bounds) ------------

@dataclass
class OutcomeTable:
    """For one free-text node: choices some answer reaches, and their element points."""

    reachable: set[str]
    best: dict[str, dict[str, int]]  # choice id -> competency -> most element points
    worst: dict[str, dict[str, int]]  # choice id -> competency -> fewest element points
    exact: bool  # False when there were too many elements to try every combination


def outcome_table(free_text: FreeText) -> OutcomeTable:
    """Try every combination of found elements (up to ``MAX_ENUMERATED`` elements).

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
            picked = _pick(rules, _values(elements, {e.id for e in subset}))
            if picked is None:
                continue
            choice = picked[1]
            points = {c: sum(e.scores.get(c, 0) for e in subset) for c in comps}
            if choice not in table.reachable:
                table.reachable.add(choice)
                table.best[choice] = dict(points)
                table.worst[choice] = dict(points)
                continue
            best, worst = table.best[choice], table.worst[choice]
            for c, value in points.items():
                best[c] = max(best[c], value)
                worst[c] = min(worst[c], value)
    return table


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
