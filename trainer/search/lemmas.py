"""Reduce words to dictionary forms so that «плаче» finds «плакати».

Cyrillic words go through pymorphy3's Ukrainian dictionary, Latin ones through simplemma's
English data. A word can have several readings («плакати» is the verb "to cry" and the
plural of "poster"), so every reading's lemma is kept: indexing and querying both use the
full set, and a match on any reading counts.

``verb_forms`` adds what a lemma loses for the rubric matcher: the grammatical person of
a Ukrainian finite verb, so that «запишу» (I will write) can be told from «запишіть» (write
it down yourself).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from .synonyms import related

_WORD = re.compile(r"[\w'’ʼ-]+", re.U)
_CYRILLIC = re.compile(r"[а-яіїєґА-ЯІЇЄҐ]")
_lock = threading.Lock()
_morph = None
PERSONS = ("1per", "2per", "3per")
INFINITIVE = "infn"


def _analyzer():
    global _morph
    with _lock:
        if _morph is None:
            import pymorphy3
            _morph = pymorphy3.MorphAnalyzer(lang="uk")
    return _morph


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes normalised, hyphens and digits kept inside words."""
    found = []
    for raw in _WORD.findall(text.lower()):
        word = raw.replace("’", "'").replace("ʼ", "'").strip("-'")
        if word and not word.isdigit():
            found.append(word)
    return found


@lru_cache(maxsize=200_000)
def _readings(word: str) -> tuple[tuple[str, str | None, str], ...]:
    """(lemma, part of speech, verb form) of a Cyrillic word's four likeliest readings: the
    dictionary is consulted once per word for both ``lemma_set`` and ``verb_forms``."""
    found = []
    for parse in _analyzer().parse(word)[:4]:
        tag = parse.tag
        pos = str(tag.POS) if tag.POS else None  # plain strings: the tag's own compare strictly
        form = str(tag.person or (INFINITIVE if "infn" in tag else "")) if pos in ("VERB", "INFN") else ""
        found.append((parse.normal_form, pos, form))
    return tuple(found)


@lru_cache(maxsize=200_000)
def lemma_set(word: str) -> tuple[str, ...]:
    """Every lemma of one lower-case word, most likely first."""
    if _CYRILLIC.search(word):
        forms = []
        for lemma, _pos, _form in _readings(word):
            if lemma not in forms:
                forms.append(lemma)
        return tuple(forms) or (word,)
    import simplemma
    lemma = simplemma.lemmatize(word, lang="en").lower()
    return (lemma,) if lemma == word else (lemma, word)


@lru_cache(maxsize=200_000)
def verb_forms(word: str) -> tuple[tuple[str, str], ...]:
    """(lemma, form) for each verb reading of a lower-case Ukrainian word, among the
    readings ``lemma_set`` keeps. The form is a person from ``PERSONS`` for a finite verb
    («запишу», «запишіть», «чекатиме»), ``INFINITIVE`` for an infinitive, and "" for a form
    without person (the past tense). Empty for English words and words with no verb reading.
    A short infinitive that is also a finite form of its verb («подзвонить») is the finite form."""
    if not _CYRILLIC.search(word):
        return ()
    found: list[tuple[str, str]] = []
    for lemma, pos, form in _readings(word):
        if pos in ("VERB", "INFN") and (lemma, form) not in found:
            found.append((lemma, form))
    # «подзвонить», «зробить» also read as the short, colloquial infinitive; written, they
    # are nearly always the third person («юристка вам подзвонить»), so that reading goes.
    finite = {lemma for lemma, form in found if form in PERSONS}
    return tuple((lemma, form) for lemma, form in found if not (form == INFINITIVE and lemma in finite))


def lemmatize(text: str) -> list[str]:
    """All lemmas of all words in ``text``, in order (for indexing)."""
    out: list[str] = []
    for word in words(text):
        out.extend(lemma_set(word))
    return out


def query_terms(text: str) -> list[tuple[str, ...]]:
    """For a query: one group of alternative lemmas per word (any may match), a word's
    synonyms (``synonyms``) among them."""
    return [tuple(_safe(l) for l in related(lemma_set(word)) if _safe(l)) for word in words(text)]


def _safe(term: str) -> str:
    # Only letters, digits and inner apostrophes/hyphens reach the full-text engines.
    return re.sub(r"[^\w'-]", "", term)
