"""What a person should practise next, how they progress, and what they did: the queries.

Every aggregate (averages, counts) is computed by the database with GROUP BY, so the home
page costs a handful of queries whatever the history's length. Progress by week or month is
the exception: it is one query for the window's attempts, put into weeks or months here,
because which week an attempt belongs to is a matter of the centre's wall clock
(``trainer.clock``), which SQLite cannot read. Plain SQLAlchemy over a Session, no Flask:
the views only choose what to show.

"Overall" score of an attempt is the plain average of its competency percentages, the same
rule the spaced-repetition schedule uses (``trainer.study.schedule``).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..models import Attempt, AttemptScore, ReviewCard
from ..scenario.loader import LoadedScenario
from .schedule import EASY_FROM_PERCENT
from .scores import framework_key, in_framework_order, overall_by_attempt, scores_by_attempt

DIFFICULTY_ORDER = {"introductory": 0, "intermediate": 1, "advanced": 2}
UPCOMING_LIMIT = 5
HISTORY_PAGE_SIZE = 50


# -- refreshers (spaced repetition) ------------------------------------------------------

@dataclass(frozen=True)
class Refresher:
    scenario_id: str
    due_at: datetime
    last_played: datetime | None
    last_outcome: str | None
    last_percent: float | None
    last_attempt_id: int | None = None  # the latest finished attempt, whose debrief says what went wrong
    # That attempt's lowest competency scores, lowest first (``weakest_of``): what to work on.
    weakest: tuple[tuple[str, float], ...] = ()


def _refresher_query(user_id: int, playable: Collection[str] | None):
    latest = (
        select(Attempt.scenario_id, func.max(Attempt.id).label("last_id"))
        .where(Attempt.user_id == user_id, Attempt.status == "finished")
        .group_by(Attempt.scenario_id)
        .subquery()
    )
    overall = overall_by_attempt(user_id)
    query = (
        select(ReviewCard.scenario_id, ReviewCard.due_at, Attempt.finished_at, Attempt.outcome, overall.c.overall,
               Attempt.id)
        .select_from(ReviewCard)
        .outerjoin(latest, latest.c.scenario_id == ReviewCard.scenario_id)
        .outerjoin(Attempt, Attempt.id == latest.c.last_id)
        .outerjoin(overall, overall.c.attempt_id == Attempt.id)
        .where(ReviewCard.user_id == user_id)
    )
    if playable is not None:
        # A scenario removed from the library cannot be replayed, so it is not offered.
        query = query.where(ReviewCard.scenario_id.in_(list(playable)))
    return query


# A refresher names its last attempt's lowest competency, and the next lowest too when that
# one is also below the "handled well" line: more would not say what to work on first.
WEAKEST_SHOWN = 2


def weakest_of(scores: Mapping[str, float], order: Sequence[str] = (), strong_from: float = EASY_FROM_PERCENT,
               limit: int = WEAKEST_SHOWN) -> tuple[tuple[str, float], ...]:
    """An attempt's lowest competency scores, lowest first (ties in the framework's
    ``order``): the lowest always, the next ones only while below ``strong_from``."""
    in_order = framework_key(order)
    ranked = sorted(scores.items(), key=lambda item: (item[1], *in_order(item[0])))
    return tuple(item for i, item in enumerate(ranked[:limit]) if i == 0 or item[1] < strong_from)


def _due_by(now: datetime):
    """A refresher is due once its card's date has come."""
    return ReviewCard.due_at <= now


def due_scenario_ids(session: Session, user_id: int, now: datetime) -> set[str]:
    """The scenarios whose refresher is due by ``now`` (naive UTC), as ``refreshers`` counts them."""
    return set(session.scalars(select(ReviewCard.scenario_id).where(ReviewCard.user_id == user_id, _due_by(now))))


def refreshers(session: Session, user_id: int, now: datetime, playable: Collection[str] | None = None,
               upcoming_limit: int = UPCOMING_LIMIT,
               order: Sequence[str] = ()) -> tuple[list[Refresher], list[Refresher]]:
    """Refreshers due by ``now`` (most overdue first) and the next few coming up, each with
    its last attempt and that attempt's weakest competencies (one more query for all)."""
    base = _refresher_query(user_id, playable)
    due = session.execute(
        base.where(_due_by(now)).order_by(ReviewCard.due_at, ReviewCard.scenario_id)
    ).all()
    upcoming = session.execute(
        base.where(~_due_by(now)).order_by(ReviewCard.due_at, ReviewCard.scenario_id).limit(upcoming_limit)
    ).all()
    last_ids = [row[5] for row in (*due, *upcoming) if row[5] is not None]
    scores = scores_by_attempt(session, last_ids)

    def made(row) -> Refresher:
        return Refresher(*row, weakest=weakest_of(scores.get(row[5], {}), order))
    return [made(row) for row in due], [made(row) for row in upcoming]


# -- weakest competency and what trains it ---------------------------------------------------

@dataclass(frozen=True)
class Standing:
    competency: str
    average: float
    attempts: int


def competency_standings(session: Session, user_id: int, known: Collection[str] | None = None) -> list[Standing]:
    """Each competency the person was scored on: average percent and attempts, weakest first."""
    average = func.avg(AttemptScore.percent)
    query = (
        select(AttemptScore.competency, average, func.count(AttemptScore.attempt_id))
        .where(AttemptScore.user_id == user_id)
        .group_by(AttemptScore.competency)
        .order_by(average, AttemptScore.competency)
    )
    if known is not None:
        query = query.where(AttemptScore.competency.in_(list(known)))
    return [Standing(comp, float(avg), int(count)) for comp, avg, count in session.execute(query)]


# A competency averaging this much or more is handled well: the same line as an "Easy"
# review in the spaced-repetition schedule. Below it, the lowest one is the person's focus.
STRONG_FROM_PERCENT = EASY_FROM_PERCENT


@dataclass(frozen=True)
class Focus:
    """What the home page suggests working on, and why (``kind``):

    - ``weakest``: the lowest average is below STRONG_FROM_PERCENT; ``competency`` is it.
    - ``untried``: every practised competency is strong; ``competency`` is one of the
      framework's that no attempt has scored yet (and that a scenario trains).
    - ``lowest``: every competency is practised and strong; ``competency`` is the lowest.

    ``lowest`` (the standing) is the person's lowest-scoring competency in every case.
    """

    kind: str
    competency: str
    lowest: Standing


def focus(standings: list[Standing], known: Collection[str] | None,
          scenarios: Mapping[str, LoadedScenario]) -> Focus | None:
    """The focus for someone with these standings (weakest first); None before any score.

    A weak spot is always the focus. Without one, calling the best result "your weakest"
    would mislead, so a competency not practised yet comes next, in the framework's order.
    """
    if not standings:
        return None
    lowest = standings[0]
    if lowest.average < STRONG_FROM_PERCENT:
        return Focus("weakest", lowest.competency, lowest)
    practised = {s.competency for s in standings}
    trained = {c for loaded in scenarios.values() for c in loaded.scenario.competencies}
    untried = [c for c in (known or ()) if c not in practised and c in trained]
    if untried:
        return Focus("untried", untried[0], lowest)
    return Focus("lowest", lowest.competency, lowest)


def _section_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split(".") if part.isdigit())


def _level(loaded: LoadedScenario) -> int:
    return DIFFICULTY_ORDER.get(loaded.scenario.difficulty, len(DIFFICULTY_ORDER))


def _starting_order(loaded: LoadedScenario) -> tuple:
    scenario = loaded.scenario
    # Section by section, so that of two scenarios on the same first section the one whose
    # next section comes earlier goes first (2.2 then 2.3, the first conversation, before
    # 2.2 then 2.5, the queue).
    sections = tuple(_section_key(section) for section in scenario.manual)
    return (_level(loaded), sections, scenario.id)


def starting_scenario(scenarios: Mapping[str, LoadedScenario]) -> str | None:
    """Where a newcomer should start: the easiest scenario, earliest in the manual."""
    if not scenarios:
        return None
    return min(scenarios.values(), key=_starting_order).scenario.id


@dataclass(frozen=True)
class Suggestion:
    scenario_id: str
    last_percent: float | None  # on the competency in question; None when never played


def scenario_for(session: Session, user_id: int, competency: str,
                 scenarios: Mapping[str, LoadedScenario]) -> Suggestion | None:
    """A scenario that trains ``competency`` and the person has not mastered.

    One they never finished comes first: the easiest one at or above the hardest level
    they have already finished (someone through an advanced scenario is not sent back to
    an introductory one while a harder one is left), else the easiest. When they have
    played every one, the one where their latest result on that competency is lowest.
    """
    candidates = {sid: loaded for sid, loaded in scenarios.items() if competency in loaded.scenario.competencies}
    if not candidates:
        return None
    latest = (
        select(AttemptScore.scenario_id, func.max(AttemptScore.attempt_id).label("last_id"))
        .where(AttemptScore.user_id == user_id, AttemptScore.competency == competency)
        .group_by(AttemptScore.scenario_id)
        .subquery()
    )
    last_percent = dict(session.execute(
        select(AttemptScore.scenario_id, AttemptScore.percent)
        .join(latest, and_(AttemptScore.attempt_id == latest.c.last_id, AttemptScore.competency == competency))
    ).all())
    unplayed = [loaded for sid, loaded in candidates.items() if sid not in last_percent]
    if unplayed:
        finished = session.scalars(select(AttemptScore.scenario_id).where(AttemptScore.user_id == user_id).distinct())
        level = max((_level(scenarios[sid]) for sid in finished if sid in scenarios), default=0)
        at_level = [loaded for loaded in unplayed if _level(loaded) >= level]
        return Suggestion(min(at_level or unplayed, key=_starting_order).scenario.id, None)
    chosen = min(candidates.values(), key=lambda loaded: (last_percent[loaded.scenario.id], _starting_order(loaded)))
    return Suggestion(chosen.scenario.id, float(last_percent[chosen.scenario.id]))


# -- progress over time ----------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: date
    attempts: int
    average: float | None  # average overall percent of the period's attempts


def _period_starts(by: str, today: date, count: int) -> list[date]:
    if by == "week":
        monday = clock.week_start(today)
        return [monday - timedelta(weeks=n) for n in reversed(range(count))]
    starts = []
    year, month = today.year, today.month
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def progress(session: Session, user_id: int, now: datetime, by: str = "week", count: int = 12,
             zone: str = clock.UTC) -> list[Period]:
    """Finished attempts and their average overall score per week or month, oldest first.

    The last ``count`` periods up to ``now`` (naive UTC), as weeks (Monday to Sunday) or
    months on the wall clock of ``zone``; periods without attempts are included (with no
    average) so a chart of them shows the gaps.
    """
    if by not in ("week", "month"):
        raise ValueError(f"progress by {by!r}: use 'week' or 'month'")
    starts = _period_starts(by, clock.local_date(now, zone), count)
    period_of = clock.week_start if by == "week" else clock.month_start
    overall = overall_by_attempt(user_id)
    rows = session.execute(
        select(Attempt.finished_at, overall.c.overall)
        .select_from(Attempt)
        .outerjoin(overall, overall.c.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id, Attempt.status == "finished",
               Attempt.finished_at >= clock.utc_midnight(starts[0], zone), Attempt.finished_at <= now)
    ).all()
    counts: dict[date, int] = {}
    scores: dict[date, list[float]] = {}
    for finished_at, value in rows:
        start = period_of(clock.local_date(finished_at, zone))
        counts[start] = counts.get(start, 0) + 1
        if value is not None:  # an attempt with nothing scorable counts, but has no score to average
            scores.setdefault(start, []).append(float(value))
    return [Period(start, counts.get(start, 0), fmean(scores[start]) if start in scores else None)
            for start in starts]


def since_first(periods: list[Period]) -> list[Period]:
    """The periods from the first with an attempt on: a newcomer's home should not open with
    weeks before they began. Gaps after it stay, since they are part of the story."""
    first = next((i for i, p in enumerate(periods) if p.attempts), len(periods))
    return periods[first:]


# -- history -----------------------------------------------------------------------------------

@dataclass
class HistoryRow:
    attempt_id: int
    scenario_id: str
    mode: str
    status: str
    outcome: str | None
    started_at: datetime
    finished_at: datetime | None
    overall: float | None
    competencies: dict[str, float] = field(default_factory=dict)


@dataclass
class HistoryPage:
    rows: list[HistoryRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def history(session: Session, user_id: int, page: int = 1, per_page: int = HISTORY_PAGE_SIZE,
            order: Sequence[str] = (), scenario_id: str | None = None) -> HistoryPage:
    """Every attempt of the person (at ``scenario_id`` only, when given), newest first, one
    page of them with their scores in the competencies' ``order`` (the framework's; others
    after them by id).

    An attempt set aside before its first answer holds nothing to look back at, so it is
    left out (and out of the count)."""
    shown = (Attempt.user_id == user_id) & ~((Attempt.status == "abandoned") & (Attempt.step_count == 0))
    if scenario_id is not None:
        shown = shown & (Attempt.scenario_id == scenario_id)
    total = session.scalar(select(func.count(Attempt.id)).where(shown)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    overall = overall_by_attempt(user_id)
    found = session.execute(
        select(Attempt.id, Attempt.scenario_id, Attempt.mode, Attempt.status, Attempt.outcome,
               Attempt.started_at, Attempt.finished_at, overall.c.overall)
        .outerjoin(overall, overall.c.attempt_id == Attempt.id)
        .where(shown)
        .order_by(Attempt.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    rows = [HistoryRow(*row[:7], overall=None if row[7] is None else float(row[7])) for row in found]
    scores = scores_by_attempt(session, [row.attempt_id for row in rows])
    for row in rows:
        row.competencies = in_framework_order(scores.get(row.attempt_id, {}), order)
    return HistoryPage(rows, page, per_page, total)


# -- unfinished attempts -----------------------------------------------------------------------

@dataclass(frozen=True)
class Unfinished:
    attempt_id: int
    scenario_id: str
    mode: str
    answers: int  # decisions recorded so far
    last_active: datetime


def unfinished(session: Session, user_id: int) -> list[Unfinished]:
    """The person's unfinished attempts, the one they touched last first (self-study and
    assignments alike: each has its own attempt)."""
    found = session.execute(
        select(Attempt.id, Attempt.scenario_id, Attempt.mode, Attempt.step_count, Attempt.updated_at)
        .where(Attempt.user_id == user_id, Attempt.status == "active")
        .order_by(Attempt.updated_at.desc(), Attempt.id.desc())
    ).all()
    return [Unfinished(*row) for row in found]


# -- the home page in one call -------------------------------------------------------------

@dataclass
class HomePlan:
    due: list[Refresher]
    upcoming: list[Refresher]
    focus: Focus | None
    suggestion: Suggestion | None  # a scenario that trains the focus competency
    start_here: str | None  # a newcomer's first scenario (only before any scored attempt)
    progress: list[Period]
    progress_by: str
    unfinished: list[Unfinished] = field(default_factory=list)  # shown first: the quickest way back


def home_plan(session: Session, user_id: int, now: datetime, scenarios: Mapping[str, LoadedScenario],
              competencies: Collection[str] | None, by: str = "week", zone: str = clock.UTC) -> HomePlan:
    """Everything the home page says about what to do next, for one person at ``now``
    (naive UTC); weeks and months follow the wall clock of ``zone``."""
    due, upcoming = refreshers(session, user_id, now, scenarios.keys(), order=list(competencies or ()))
    chosen = focus(competency_standings(session, user_id, competencies), competencies, scenarios)
    suggestion = scenario_for(session, user_id, chosen.competency, scenarios) if chosen else None
    start_here = starting_scenario(scenarios) if chosen is None else None
    return HomePlan(due, upcoming, chosen, suggestion, start_here, since_first(progress(session, user_id, now, by, zone=zone)), by,
                    unfinished(session, user_id))
