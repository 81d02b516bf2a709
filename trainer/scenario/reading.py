"""How a written answer is read before it is scored: its words, their polarity, dismissals.

An answer is split into tokens (each with its lemmas, so «плачете» meets «плакати», and
the clause and the stretch of speech it belongs to). A phrase of a rubric is found when
each of its words appears in that order, with at most ``MAX_GAP`` other words between two
neighbours.

Person counts in Ukrainian, which drops the pronoun: a phrase's verb in a personal form
keeps its person, so «запишу» meets «запишемо» and «можу записати», not «запишіть» or
«можете записати». Who is to act is often the whole point of an element.

Polarity counts: a phrase that starts with a negator («не поспішаю», "no rush") is found
only in negated text, every other phrase only in text that is not negated. A negator
negates what follows it in its clause up to the word it bears on (pronouns, auxiliaries
and particles in between are passed over: «я не буду вас поспішати»), a verb of thinking
or perceiving carries the negation into the clause it introduces («не думаю, що вам
важко»), and «не можу не…» cancels out. Text is also negated by a negator between two
matched words.

Dismissal: a frame such as «мені байдуже» or "not my problem" marks its stretch of speech
(its sentence, up to a contrast such as «але»); the rubric (``trainer.scenario.rubric``)
cancels empathy found there. The word lists live in ``trainer.scenario.polarity``.

Pure Python, no Flask. Lemmas come from ``trainer.search.lemmas`` (cached per word) and
are computed on the first match, so loading scenarios never needs the dictionaries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import polarity
from .polarity import CLAUSE_WORDS, NEGATOR_LEMMAS, NEGATORS, TRANSPARENT, TRANSPARENT_LEMMAS

MAX_GAP = 2  # other words allowed between two neighbouring words of a phrase
NEG_REACH = 6  # words a negation may pass over (transparent ones) before it gives out
GOVERNOR_REACH = 3  # words back from an infinitive to the modal verb that gives its person

_TOKEN = re.compile(r"[\w'’ʼ‘`-]+", re.U)
_CLAUSE_BREAK = re.compile(r"[.,;:!?…—–()\[\]]|\s-\s")
_SENTENCE_BREAK = re.compile(r"[.;!?…\n]")
_CYRILLIC = re.compile(r"[а-яіїєґ]")
_LATIN = re.compile(r"[a-z]")
# Latin letters that look like Cyrillic ones, typed by mistake inside Ukrainian words.
_LOOKALIKES = str.maketrans("aceiopxyï", "асеіорхуї")
_NT_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}


@dataclass(frozen=True)
class Token:
    """One word of an answer: normalised form, lemmas (with a verb's persons, see
    ``_token_keys``), where it is, which clause and which stretch (a sentence, or the part
    of one up to a contrast such as «але»)."""

    word: str
    lemmas: frozenset[str]
    start: int
    end: int
    clause: int
    stretch: int = 0


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


def _person_key(lemma: str, person: str) -> str:
    return f"{lemma}@{person}"


@lru_cache(maxsize=100_000)
def _token_keys(word: str) -> frozenset[str]:
    """What an answer's word offers a phrase: its lemmas, and for a verb each reading's
    person as ``lemma@person``. A form without person (an infinitive, the past tense) is
    offered in every person; ``_govern`` narrows an infinitive after «можу», «можете»…"""
    if word.isdigit():
        return frozenset((word,))
    from ..search.lemmas import PERSONS, verb_forms

    keys = set(_lemmas(word))
    for lemma, form in verb_forms(word):
        keys.update(_person_key(lemma, p) for p in ((form,) if form in PERSONS else PERSONS))
    return frozenset(keys)


def _phrase_keys(word: str) -> frozenset[str]:
    """What a phrase's word asks for: its lemmas, except that a finite verb keeps its
    person («запишу» asks for «записати» in the first person: «запишемо», «я можу
    записати», never «запишіть» or «можете записати»)."""
    from ..search.lemmas import PERSONS, verb_forms

    forms = verb_forms(word)
    finite = {lemma for lemma, form in forms if form in PERSONS} - {
        lemma for lemma, form in forms if form not in PERSONS}
    keys = {key for key in _lemmas(word) if key not in finite}
    keys.update(_person_key(lemma, form) for lemma, form in forms if lemma in finite)
    return frozenset(keys)


def _govern(tokens: list[Token]) -> list[Token]:
    """An infinitive takes the person of a modal verb just before it in its clause
    (``polarity.GOVERNORS``): «можу записати» is the speaker's act, «можете записати» the
    listener's. Other infinitives («треба записати») stay in every person."""
    from ..search.lemmas import INFINITIVE, PERSONS, verb_forms

    governed = list(tokens)
    for i, token in enumerate(tokens):
        infinitives = {lemma for lemma, form in verb_forms(token.word) if form == INFINITIVE}
        if not infinitives:
            continue
        for j in range(i - 1, max(-1, i - 1 - GOVERNOR_REACH), -1):
            if tokens[j].clause != token.clause:
                break
            persons = {form for lemma, form in verb_forms(tokens[j].word)
                       if form in PERSONS and lemma in polarity.GOVERNORS}
            if persons:
                unwanted = {_person_key(lemma, p) for lemma in infinitives for p in PERSONS if p not in persons}
                governed[i] = replace(token, lemmas=token.lemmas - unwanted)
                break
    return governed


def tokenize(text: str) -> list[Token]:
    """The answer's words with their lemmas, character spans, clause and stretch numbers."""
    tokens: list[Token] = []
    clause = stretch = 0
    last_end = 0
    for match in _TOKEN.finditer(text):
        found = _normalise(match.group(0))
        for i, word in enumerate(found):
            gap = text[last_end:match.start()] if i == 0 else ""
            if tokens and (_CLAUSE_BREAK.search(gap) or word in CLAUSE_WORDS):
                clause += 1
            if tokens and (_SENTENCE_BREAK.search(gap) or word in polarity.CONTRASTS):
                stretch += 1
            tokens.append(Token(word, _token_keys(word), match.start(), match.end(), clause, stretch))
        if found:  # a lone hyphen is no word, so " - " stays in the gap as a break
            last_end = match.end()
    return _govern(tokens)


def phrase_words(phrase: str) -> list[str]:
    """The matching words of a phrase (empty when it has none)."""
    return [w for raw in _TOKEN.findall(phrase) for w in _normalise(raw)]


def _is_negator(word: str, lemmas: frozenset[str]) -> bool:
    return word in NEGATORS or bool(lemmas & NEGATOR_LEMMAS)


def _transparent(token: Token) -> bool:
    return token.word in TRANSPARENT or bool(token.lemmas & TRANSPARENT_LEMMAS)


def _possibility(token: Token) -> bool:
    return token.word in polarity.POSSIBILITY or bool(token.lemmas & polarity.POSSIBILITY)


@dataclass(frozen=True)
class Phrase:
    text: str
    words: tuple[frozenset[str], ...]
    negated: bool
    # The words by lemma alone, when a verb among them keeps its person: a match of these
    # only is reported (reason "person"), so an author or a trainee sees why «подзвоніть
    # їй» did not count for «подзвоню їй».
    any_person: tuple[frozenset[str], ...] | None = None


def compile_phrase(text: str) -> Phrase | None:
    found = phrase_words(text)
    lead = 0
    while lead < len(found) and _is_negator(found[lead], _lemmas(found[lead])):
        lead += 1
    if lead == len(found):  # only negators ("ні"): match them as plain words
        lead = 0
    content = found[lead:]
    if not content:
        return None
    words = tuple(_phrase_keys(w) for w in content)
    plain = tuple(_lemmas(w) for w in content)
    return Phrase(text, words, lead > 0, None if plain == words else plain)


@dataclass(frozen=True)
class Reading:
    """An answer's words with what negates what (see ``trainer.scenario.polarity``)."""

    tokens: list[Token]
    negators: list[bool]  # the word negates (a cancelled or interjected «не», «ні» does not)
    negated: list[bool]  # the word is in the scope of a negator


def _negators(tokens: list[Token]) -> list[bool]:
    flags = [_is_negator(t.word, t.lemmas) for t in tokens]
    count = len(tokens)

    def same_clause(i: int, j: int) -> bool:
        return 0 <= i < count and 0 <= j < count and tokens[i].clause == tokens[j].clause

    for i, token in enumerate(tokens):
        if not flags[i]:
            continue
        opens = i == 0 or not same_clause(i - 1, i)
        before_subject = same_clause(i, i + 1) and tokens[i + 1].word in polarity.SUBJECT_PRONOUNS
        if token.word in polarity.INTERJECTIONS and opens and before_subject:
            flags[i] = False  # «Ні я вас розумію»: an answer, not a negation
        elif token.word == "не" and same_clause(i - 1, i) and tokens[i - 1].word in polarity.QUESTION_PARTICLES:
            flags[i] = False  # «Чи не хочете води?»: an offer
        elif (token.word == "not" and before_subject and same_clause(i - 1, i)
              and tokens[i - 1].word in polarity.AUXILIARIES):
            flags[i] = False  # "Why don't you take your time?": a suggestion
        elif same_clause(i, i + 1) and flags[i + 1] and (token.word, tokens[i + 1].word) in polarity.CANCELLING_PAIRS:
            flags[i] = flags[i + 1] = False  # «не без», "not without"
        elif token.word in ("не", "not") and same_clause(i, i + 1) and _possibility(tokens[i + 1]):
            # «не можу (з вами) не погодитися»: the second «не» cancels the first.
            for k in range(i + 2, min(count, i + 5)):
                if not same_clause(i, k):
                    break
                if flags[k] and tokens[k].word in ("не", "not"):
                    flags[i] = flags[k] = False
                    break
                if not _transparent(tokens[k]):
                    break
        elif (token.word == "not" and same_clause(i - 1, i + 1) and _possibility(tokens[i - 1])
              and flags[i + 1] and tokens[i + 1].word == "not"):
            flags[i] = flags[i + 1] = False  # "can't not", "couldn't not"
    return flags


def _scopes(tokens: list[Token], negators: list[bool]) -> list[bool]:
    """Which words a negator reaches: the transparent words after it and its head; a
    verb of thinking or perceiving as head carries on (``polarity.RAISING``)."""
    negated = [False] * len(tokens)
    for i, is_negator in enumerate(negators):
        if not is_negator:
            continue
        j = i + 1
        while j < len(tokens) and j - i <= NEG_REACH and tokens[j].clause == tokens[i].clause:
            negated[j] = True
            if negators[j] or _transparent(tokens[j]):
                j += 1
                continue
            if tokens[j].lemmas & polarity.RAISING:
                _raise(tokens, negated, j)
            break
    return negated


def _raise(tokens: list[Token], negated: list[bool], head: int) -> None:
    clause = tokens[head].clause
    k = head + 1
    while k < len(tokens) and tokens[k].clause == clause:
        negated[k] = True
        k += 1
    if k < len(tokens) and tokens[k].word in polarity.COMPLEMENTISERS and tokens[k].stretch == tokens[head].stretch:
        following = tokens[k].clause
        while k < len(tokens) and tokens[k].clause == following:
            negated[k] = True
            k += 1


def read(text: str) -> Reading:
    """Tokenise ``text`` and work out its negation."""
    tokens = tokenize(text)
    negators = _negators(tokens)
    return Reading(tokens, negators, _scopes(tokens, negators))


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


def _is_negated(reading: Reading, positions: list[int]) -> bool:
    """Whether a match is negated: its first word is in a negator's scope, or a negator
    stands between its words."""
    matched = set(positions)
    return reading.negated[positions[0]] or any(
        reading.negators[j] for j in range(positions[0] + 1, positions[-1]) if j not in matched)


def _occurrences(phrase: Phrase, reading: Reading, words: tuple[frozenset[str], ...] | None = None):
    """Every occurrence of ``phrase`` (one per first word), with whether its polarity fits;
    ``words`` reads it with other keys (``Phrase.any_person``)."""
    words = words or phrase.words
    for i, token in enumerate(reading.tokens):
        if not token.lemmas & words[0]:
            continue
        positions = _extend(reading.tokens, words, 1, [i])
        if positions is not None:
            yield positions, _is_negated(reading, positions) == phrase.negated


def find(phrase: Phrase, reading: Reading, dismissed: frozenset[int] = frozenset(), other_person: bool = True):
    """The first occurrence of ``phrase`` that counts, and those skipped with the reason:
    the wrong polarity, a dismissal in the same stretch (``dismissed`` stretches), or, when
    none counts and ``other_person`` asks, the phrase's words in another person (the first
    such occurrence)."""
    skipped: list[tuple[list[int], str]] = []
    for positions, fits in _occurrences(phrase, reading):
        if not fits:
            skipped.append((positions, "negation"))
        elif any(reading.tokens[p].stretch in dismissed for p in positions):
            skipped.append((positions, "dismissal"))
        else:
            return positions, skipped
    if other_person and phrase.any_person is not None:
        for positions, fits in _occurrences(phrase, reading, phrase.any_person):
            if fits and not any(reading.tokens[p].stretch in dismissed for p in positions):
                skipped.append((positions, "person"))
                break
    return None, skipped


@lru_cache(maxsize=1)
def _dismissal_phrases() -> tuple[tuple[Phrase, ...], tuple[Phrase, ...]]:
    """The dismissive frames and their exceptions, compiled once (they need the dictionaries)."""
    def compiled(lists: dict[str, tuple[str, ...]]) -> tuple[Phrase, ...]:
        phrases = (compile_phrase(t) for texts in lists.values() for t in texts)
        return tuple(p for p in phrases if p is not None)

    return compiled(polarity.DISMISSIVE_FRAMES), compiled(polarity.DISMISSAL_EXCEPTIONS)


def _starts_at(phrase: Phrase, tokens: list[Token], index: int) -> bool:
    return bool(tokens[index].lemmas & phrase.words[0]) and _extend(tokens, phrase.words, 1, [index]) is not None


def dismissals(reading: Reading) -> list[tuple[list[int], str]]:
    """Dismissive frames in the answer, in order: (positions, the frame as written)."""
    frames, exceptions = _dismissal_phrases()
    tokens = reading.tokens
    found: dict[int, tuple[list[int], str]] = {}
    for frame in frames:
        for positions, fits in _occurrences(frame, reading):
            after = positions[-1] + 1
            benign = after < len(tokens) and tokens[after].stretch == tokens[positions[-1]].stretch and any(
                _starts_at(e, tokens, after) for e in exceptions)
            if fits and not benign:
                found.setdefault(positions[0], (positions, frame.text))
    return [found[start] for start in sorted(found)]


def quote(text: str, tokens: list[Token], positions: list[int]) -> dict:
    start, end = tokens[positions[0]].start, tokens[positions[-1]].end
    words = list(dict.fromkeys(text[tokens[p].start:tokens[p].end] for p in positions))
    return {"words": words, "span": [start, end], "quote": text[start:end]}
