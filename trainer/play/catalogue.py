"""The catalogue: scenarios grouped by manual chapter with the trainee's last result, and the
filters that narrow it (competency, level, the person's status, a few words)."""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import datetime
from typing import get_args

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..collation import title_key
from ..content.toc import Toc
from ..models import Attempt
from ..scenario.loader import LoadedScenario
from ..scenario.model import Difficulty
from ..search.lemmas import lemma_set, lemmatize
from ..study.plan import due_scenario_ids

LEVELS: tuple[str, ...] = get_args(Difficulty)
# "unplayed": never finished; "due": a refresher is due (the rule of trainer.study.plan.refreshers).
STATUSES = ("unplayed", "due")
TEXT_MAX = 100  # a few words; a longer query is cut, not refused


@dataclass
class Entry:
    loaded: LoadedScenario
    last_outcome: str | None = None
    in_progress: bool = False
    due: bool = False  # a refresher of it is due


@dataclass
class Group:
    chapter: str
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the catalogue to; an empty value does not filter."""

    competency: str = ""
    level: str = ""
    status: str = ""
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.competency or self.level or self.status or self.text)


def read_filters(args: Mapping[str, str], competencies: Collection[str]) -> Filters:
    """The filters in a query string; a value that is not one of the choices is ignored, so an
    old or hand-edited link still shows the catalogue."""
    def choice(name: str, allowed: Collection[str]) -> str:
        value = args.get(name) or ""
        return value if value in allowed else ""
    text = " ".join(str(args.get("q") or "").split())[:TEXT_MAX].strip()
    return Filters(choice("competency", competencies), choice("level", LEVELS), choice("status", STATUSES), text)


# Apostrophes typed on different keyboards ("п'ять", "п’ять", "пʼять") are one letter here.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def fold(text: str) -> str:
    """Text as the filter compares it: case and apostrophes folded, spaces collapsed."""
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


def _haystack(loaded: LoadedScenario, lang: str) -> str:
    scenario = loaded.scenario
    persona = scenario.persona
    # The persona's backstory is hidden from the reader, so it is not searched either.
    texts = (scenario.title, scenario.summary, persona.name, persona.who, persona.wants)
    return fold(" ".join(t.get(lang) for t in texts))


def matches(entry: Entry, filters: Filters, lang: str) -> bool:
    """Whether a scenario passes every filter; the text filter wants each of its words in the
    title, summary or persona, in the reader's language."""
    scenario = entry.loaded.scenario
    if filters.competency and filters.competency not in scenario.competencies:
        return False
    if filters.level and scenario.difficulty != filters.level:
        return False
    if filters.status == "unplayed" and entry.last_outcome is not None:
        return False
    if filters.status == "due" and not entry.due:
        return False
    if filters.text:
        haystack = _haystack(entry.loaded, lang)
        found = _lemmas(haystack)
        # A word matches as typed (the start of one, "конфід") or in any of its forms, as the
        # site's search does: «конфіденційності» finds «конфіденційність».
        return all(word in haystack or not found.isdisjoint(lemma_set(word))
                   for word in fold(filters.text).split())
    return True


@lru_cache(maxsize=512)
def _lemmas(haystack: str) -> frozenset[str]:
    """Every lemma of a scenario's searchable text (kept: the same few texts every request)."""
    return frozenset(lemmatize(haystack))


def filter_catalogue(groups: list[Group], filters: Filters, lang: str) -> list[Group]:
    """The groups with only the scenarios that pass ``filters``, in the same order; a chapter
    left empty is left out."""
    if not filters.active:
        return groups
    kept = [replace(g, entries=[e for e in g.entries if matches(e, filters, lang)]) for g in groups]
    return [g for g in kept if g.entries]


def count(groups: list[Group]) -> int:
    return sum(len(g.entries) for g in groups)


def chapter_of(loaded: LoadedScenario, toc: Toc) -> str:
    """The number of the manual's chapter a scenario is filed under (5's sub-chapters apart)."""
    first = loaded.scenario.manual[0]
    section = toc.get(first)
    # Group chapter 5 by its sub-chapter (difficult situations vs non-standard cases).
    parts = first.split(".")
    key = ".".join(parts[:2]) if parts[0] == "5" and len(parts) > 2 else parts[0]
    return key if toc.get(key) else (section.number if section else first)


def by_chapter(scenarios: Mapping[str, LoadedScenario], toc: Toc,
               title: Callable[[str], str] | None = None) -> list[tuple[str, list[str]]]:
    """Scenario ids in the manual's chapters as the catalogue files them (``chapter_of``), the
    chapters in the manual's order and each one's scenarios by ``title`` (a scenario id's
    title in the reader's language) in Ukrainian alphabet order, or without one in the order
    of ``scenarios``."""
    chapters: dict[str, list[str]] = {}
    ids = sorted(scenarios, key=lambda sid: (title_key(title(sid)), sid)) if title else list(scenarios)
    for sid in ids:
        chapters.setdefault(chapter_of(scenarios[sid], toc), []).append(sid)
    return sorted(chapters.items(), key=lambda item: toc.position.get(item[0], len(toc.position)))


def build_catalogue(session: Session, user_id: int, scenarios: dict[str, LoadedScenario], toc: Toc,
                    now: datetime) -> list[Group]:
    """Groups in manual order; three queries whatever the number of scenarios. ``now``, naive
    UTC, marks the scenarios whose refresher is due."""
    latest_finished = (
        select(Attempt.scenario_id, func.max(Attempt.id).label("last_id"))
        .where(Attempt.user_id == user_id, Attempt.status == "finished")
        .group_by(Attempt.scenario_id)
        .subquery()
    )
    outcomes = dict(session.execute(
        select(Attempt.scenario_id, Attempt.outcome).join(latest_finished, Attempt.id == latest_finished.c.last_id)
    ).all())
    active = set(session.scalars(
        select(Attempt.scenario_id).where(Attempt.user_id == user_id, Attempt.status == "active")
    ))
    due = due_scenario_ids(session, user_id, now)
    return [Group(number, [Entry(scenarios[sid], outcomes.get(sid), sid in active, sid in due) for sid in sids])
            for number, sids in by_chapter(scenarios, toc)]
