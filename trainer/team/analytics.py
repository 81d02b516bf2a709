"""Cohort and trainee figures, aggregated in SQL.

The cohort's figures are a few grouped queries whose cost grows with the rows they
aggregate, never a Python loop over attempts or steps, so the pages stay fast with 10,000
trainees and a million recorded steps (bench/dashboard.py measures it). One trainee's
trend by month is the exception: it reads that person's scores and puts them into months
here, because a month ends at midnight on the centre's wall clock (``trainer.clock``),
which SQLite cannot read.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..collation import person_key, title_key
from ..models import Attempt, AttemptScore, SelfRating, SupervisorRating, User
from ..scenario.model import CompetencyFramework
from .access import members_of, users_in_order
from .agreement import cohen_kappa, exact_agreement, kappa_label, percent_to_rating

DOMAINS = ("self_awareness", "self_management", "social_awareness", "relationship_management")


def _month_key(moment, zone: str) -> str:
    """'YYYY-MM' of the month a stored (UTC) timestamp falls in, on the wall clock of ``zone``."""
    return clock.local_date(moment, zone).strftime("%Y-%m")


# -- the cohort dashboard ------------------------------------------------------------

HEATMAP_PAGE = 50


@dataclass
class Heatmap:
    trainees: list[User]
    competencies: list[str]
    cells: dict[tuple[int, str], tuple[float, int]] = field(default_factory=dict)  # (user, comp) → (avg %, n)
    page: int = 1
    pages: int = 1
    total: int = 0

    def cell(self, user_id: int, comp: str) -> tuple[float, int] | None:
        return self.cells.get((user_id, comp))


def heatmap(session: Session, cohort_id: int, competencies: list[str], page: int = 1,
            per_page: int = HEATMAP_PAGE) -> Heatmap:
    """Average score per trainee and competency, one page of trainees at a time."""
    # By name in Ukrainian alphabet order, which the database cannot sort: the names (not the
    # people) of the whole cohort are read and sorted here, then one page of people loaded.
    names = session.execute(select(User.id, User.display_name, User.username)
                            .where(User.id.in_(members_of(cohort_id)))).all()
    total = len(names)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    ids = [i for i, _n, _u in sorted(names, key=lambda row: (person_key(row[1], row[2]), row[0]))
           [(page - 1) * per_page:page * per_page]]
    trainees = users_in_order(session, ids)
    rows = session.execute(
        select(AttemptScore.user_id, AttemptScore.competency, func.avg(AttemptScore.percent), func.count())
        .where(AttemptScore.user_id.in_(ids))
        .group_by(AttemptScore.user_id, AttemptScore.competency)).all() if ids else []
    cells = {(u, c): (float(avg), n) for u, c, avg, n in rows}
    return Heatmap(trainees, competencies, cells, page, pages, total)


@dataclass(frozen=True)
class Played:
    scenario_id: str
    attempts: int  # finished attempts by the cohort's trainees
    people: int  # how many of them finished it at least once


def scenarios_played(session: Session, cohort_id: int, title: Callable[[str], str] = str) -> list[Played]:
    """The scenarios the cohort's trainees finished, the most played first and then by
    ``title`` (a scenario id's title in the reader's language) in alphabet order: the way from
    the cohort's page to each scenario's analytics (where its people chose what, and stopped)."""
    rows = session.execute(
        select(Attempt.scenario_id, func.count(), func.count(Attempt.user_id.distinct()))
        .where(Attempt.user_id.in_(members_of(cohort_id)), Attempt.status == "finished")
        .group_by(Attempt.scenario_id)).all()
    return sorted((Played(*row) for row in rows), key=lambda p: (-p.attempts, title_key(title(p.scenario_id))))


def weakest_competencies(session: Session, cohort_id: int, limit: int = 3) -> list[tuple[str, float, int]]:
    """Competencies with the lowest average score in the cohort: (competency, avg %, attempts)."""
    rows = session.execute(
        select(AttemptScore.competency, func.avg(AttemptScore.percent).label("avg"), func.count())
        .where(AttemptScore.user_id.in_(members_of(cohort_id)))
        .group_by(AttemptScore.competency).order_by("avg").limit(limit)).all()
    return [(c, float(avg), n) for c, avg, n in rows]


CRITICAL_LISTED = 20  # attempts named under each critical error; the count says how many more


@dataclass(frozen=True)
class CriticalAttempt:
    attempt_id: int
    user_id: int
    name: str
    started_at: datetime


@dataclass(frozen=True)
class CriticalError:
    scenario_id: str
    choice_id: str
    count: int
    people: int
    attempts: tuple[CriticalAttempt, ...] = ()  # the newest ones, at most CRITICAL_LISTED


def critical_errors(session: Session, cohort_id: int, listed: int = CRITICAL_LISTED) -> list[CriticalError]:
    """Each critical choice made in the cohort, with how often, by how many people, and the
    newest attempts that made it (who, when) so the supervisor can open their transcripts."""
    where = (Attempt.user_id.in_(members_of(cohort_id)), Attempt.critical_choice.is_not(None))
    rows = session.execute(
        select(Attempt.scenario_id, Attempt.critical_choice, func.count(), func.count(func.distinct(Attempt.user_id)))
        .where(*where)
        .group_by(Attempt.scenario_id, Attempt.critical_choice)
        .order_by(func.count().desc(), Attempt.scenario_id, Attempt.critical_choice)).all()
    ranked = (select(Attempt.id, Attempt.user_id, Attempt.scenario_id, Attempt.critical_choice, Attempt.started_at,
                     func.row_number().over(partition_by=(Attempt.scenario_id, Attempt.critical_choice),
                                            order_by=Attempt.id.desc()).label("rn"))
              .where(*where).subquery())
    named: dict[tuple[str, str], list[CriticalAttempt]] = {}
    for attempt_id, user_id, scenario_id, choice_id, started_at, user in session.execute(
            select(ranked.c.id, ranked.c.user_id, ranked.c.scenario_id, ranked.c.critical_choice, ranked.c.started_at,
                   User)
            .join(User, User.id == ranked.c.user_id).where(ranked.c.rn <= listed).order_by(ranked.c.id.desc())):
        named.setdefault((scenario_id, choice_id), []).append(CriticalAttempt(attempt_id, user_id, user.name, started_at))
    return [CriticalError(s, c, n, p, tuple(named.get((s, c), ()))) for s, c, n, p in rows]


# -- a trainee's emotional-intelligence profile --------------------------------------

@dataclass
class Profile:
    competencies: dict[str, tuple[float, int]]  # comp → (avg %, attempts)
    domains: dict[str, float | None]  # EI domain → 0-100
    calibration: Calibration
    trend: list[tuple[str, dict[str, float | None]]]  # (month, domain → score)


# Self-ratings come in steps of 25 points (1-5), so a gap of up to about 12 is only that
# rounding; beyond CLOSE they are off. BIAS: a lean in one direction worth naming.
CLOSE, BIAS = 15, 10


@dataclass(frozen=True)
class Calibration:
    """How well self-ratings match measured scores; the self-awareness measure."""

    ratings: int
    mean_gap: float | None  # mean |self - measured| in percentage points
    bias: float | None  # mean (self - measured): positive = rates self higher than measured
    attempts: int = 0  # the debriefs those ratings were given on (one rating per competency each)

    @property
    def score(self) -> float | None:
        return None if self.mean_gap is None else max(0.0, 100.0 - self.mean_gap)

    @property
    def reading(self) -> str | None:
        """What the gaps say, in a word: "higher" or "lower" (self-ratings lean one way by more
        than BIAS points), "close" (the mean gap is within CLOSE points), else "scattered":
        far off both ways, which a mean of signed gaps near zero would call close."""
        if self.mean_gap is None or self.bias is None:
            return None
        if abs(self.bias) > BIAS:
            return "higher" if self.bias > 0 else "lower"
        return "close" if self.mean_gap <= CLOSE else "scattered"


def _self_gap():
    # Self-rating placed on the percentage scale (1 → 0 %, 3 → 50 %, 5 → 100 %), minus
    # the measured percentage.
    return (SelfRating.rating - 1) * 25.0 - AttemptScore.percent


def _domain_scores(framework: CompetencyFramework, comps: dict[str, float], self_awareness: float | None):
    out: dict[str, float | None] = {}
    for domain in DOMAINS:
        if domain == "self_awareness":
            out[domain] = self_awareness
            continue
        values = [v for c, v in comps.items() if c in framework.competencies
                  and framework.competencies[c].domain == domain]
        out[domain] = sum(values) / len(values) if values else None
    return out


def profile(session: Session, user_id: int, framework: CompetencyFramework, zone: str = clock.UTC) -> Profile:
    """One trainee's standing by competency and EI domain, calibration, and trend by month in ``zone``."""
    comp_rows = session.execute(
        select(AttemptScore.competency, func.avg(AttemptScore.percent), func.count())
        .where(AttemptScore.user_id == user_id).group_by(AttemptScore.competency)).all()
    competencies = {c: (float(avg), n) for c, avg, n in comp_rows}
    joined = (select(SelfRating).join(AttemptScore, and_(
        AttemptScore.attempt_id == SelfRating.attempt_id, AttemptScore.competency == SelfRating.competency))
        .where(SelfRating.user_id == user_id))
    count, mean_gap, bias, rated = session.execute(
        joined.with_only_columns(func.count(), func.avg(func.abs(_self_gap())), func.avg(_self_gap()),
                                 func.count(func.distinct(SelfRating.attempt_id)))).one()
    calibration = Calibration(count or 0, float(mean_gap) if mean_gap is not None else None,
                              float(bias) if bias is not None else None, rated or 0)
    domains = _domain_scores(framework, {c: v for c, (v, _) in competencies.items()}, calibration.score)

    by_month: dict[str, dict[str, list[float]]] = {}
    for finished_at, comp, percent in session.execute(
            select(AttemptScore.finished_at, AttemptScore.competency, AttemptScore.percent)
            .where(AttemptScore.user_id == user_id)):
        by_month.setdefault(_month_key(finished_at, zone), {}).setdefault(comp, []).append(float(percent))
    gaps: dict[str, list[float]] = {}
    for finished_at, gap in session.execute(joined.with_only_columns(AttemptScore.finished_at, func.abs(_self_gap()))):
        gaps.setdefault(_month_key(finished_at, zone), []).append(float(gap))
    trend = []
    for m in sorted(by_month):
        self_awareness = max(0.0, 100 - fmean(gaps[m])) if m in gaps else None
        trend.append((m, _domain_scores(framework, {c: fmean(v) for c, v in by_month[m].items()}, self_awareness)))
    return Profile(competencies, domains, calibration, trend)


# -- agreement between raters ----------------------------------------------------------

# Fewer shared ratings than this and the page gives the exact agreement only, not a kappa.
KAPPA_MIN_ITEMS = 10


@dataclass(frozen=True)
class Agreement:
    first: str  # "auto" (the automatic score) or a rater's name (display name, else user name)
    second: str
    items: int
    exact: float | None
    kappa: float | None
    first_id: int | None = None  # the raters' user ids (None for the automatic score): names may repeat
    second_id: int | None = None

    @property
    def reading(self) -> str:
        """Landis and Koch's word for the kappa ("moderate"…), for people who do not read kappas."""
        return kappa_label(self.kappa)

    @property
    def enough(self) -> bool:
        """Whether there are enough shared ratings for the kappa to mean something: on two
        or three, one differing mark swings it from "perfect" to "none"."""
        return self.items >= KAPPA_MIN_ITEMS


def rater_agreement(session: Session, cohort_id: int) -> list[Agreement]:
    """Kappa for every pair of raters (supervisors, and the automatic score) on shared items.

    One query returns each rater's newest rating per (attempt, competency) with the
    automatic percentage beside it. Ratings are typed in by people, so there are at most
    a few thousand per cohort and pairing them up in Python is cheap.
    """
    newest = (select(func.max(SupervisorRating.id).label("id"))
              .join(Attempt, Attempt.id == SupervisorRating.attempt_id)
              .where(Attempt.user_id.in_(members_of(cohort_id)))
              .group_by(SupervisorRating.attempt_id, SupervisorRating.competency, SupervisorRating.rater_id)
              .subquery())
    rows = session.execute(
        select(User.id, User.display_name, User.username, SupervisorRating.attempt_id, SupervisorRating.competency,
               SupervisorRating.rating, AttemptScore.percent)
        .join(newest, newest.c.id == SupervisorRating.id)
        .join(User, User.id == SupervisorRating.rater_id)
        .outerjoin(AttemptScore, and_(AttemptScore.attempt_id == SupervisorRating.attempt_id,
                                      AttemptScore.competency == SupervisorRating.competency))).all()
    # Raters are told apart by id (two people may share a name) and shown by name; None
    # stands for the automatic score, which comes first in every pair.
    names: dict[int | None, str] = {None: "auto"}
    by_item: dict[tuple[int, str], dict[int, int]] = {}
    grouped: dict[tuple[int | None, int], list[tuple[int, int]]] = {}
    for rater_id, display_name, username, attempt_id, comp, rating, percent in rows:
        names[rater_id] = display_name or username
        by_item.setdefault((attempt_id, comp), {})[rater_id] = rating
        if percent is not None:
            grouped.setdefault((None, rater_id), []).append((percent_to_rating(percent), rating))

    def order(rater_id: int | None) -> tuple[bool, str, int]:
        return rater_id is not None, names[rater_id].casefold(), rater_id or 0

    for raters in by_item.values():
        ids = sorted(raters, key=order)
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                grouped.setdefault((first, second), []).append((raters[first], raters[second]))
    return [Agreement(names[first], names[second], len(items), exact_agreement(items), cohen_kappa(items),
                      first, second)
            for (first, second), items in sorted(grouped.items(), key=lambda kv: (order(kv[0][0]), order(kv[0][1])))]


__all__ = ["Agreement", "Calibration", "CriticalAttempt", "CriticalError", "DOMAINS", "Heatmap", "Profile", "critical_errors",
           "heatmap", "profile", "rater_agreement", "weakest_competencies"]
