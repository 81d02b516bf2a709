"""Cohort and trainee figures, aggregated in SQL.

Every function here runs a few grouped queries whose cost grows with the rows they
aggregate, never a Python loop over attempts or steps, so the pages stay fast with
10,000 trainees and a million recorded steps (bench/dashboard.py measures it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from ..models import Attempt, AttemptScore, CohortMember, SelfRating, SupervisorRating, User
from ..scenario.model import CompetencyFramework
from .agreement import cohen_kappa, exact_agreement, percent_to_rating

DOMAINS = ("self_awareness", "self_management", "social_awareness", "relationship_management")


def month_of(column, dialect: str):
    """'YYYY-MM' of a timestamp column, in the database's own dialect."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def members_of(cohort_id: int) -> Select:
    return select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id, CohortMember.role == "trainee")


# -- the cohort dashboard ------------------------------------------------------------

@dataclass
class Heatmap:
    trainees: list[User]
    competencies: list[str]
    cells: dict[tuple[int, str], tuple[float, int]] = field(default_factory=dict)  # (user, comp) → (avg %, n)

    def cell(self, user_id: int, comp: str) -> tuple[float, int] | None:
        return self.cells.get((user_id, comp))


def heatmap(session: Session, cohort_id: int, competencies: list[str]) -> Heatmap:
    trainees = list(session.scalars(select(User).where(User.id.in_(members_of(cohort_id)))
                                    .order_by(User.display_name, User.username)))
    rows = session.execute(
        select(AttemptScore.user_id, AttemptScore.competency, func.avg(AttemptScore.percent), func.count())
        .where(AttemptScore.user_id.in_(members_of(cohort_id)))
        .group_by(AttemptScore.user_id, AttemptScore.competency)).all()
    cells = {(u, c): (float(avg), n) for u, c, avg, n in rows}
    return Heatmap(trainees, competencies, cells)


def weakest_competencies(session: Session, cohort_id: int, limit: int = 3) -> list[tuple[str, float, int]]:
    """Competencies with the lowest average score in the cohort: (competency, avg %, attempts)."""
    rows = session.execute(
        select(AttemptScore.competency, func.avg(AttemptScore.percent).label("avg"), func.count())
        .where(AttemptScore.user_id.in_(members_of(cohort_id)))
        .group_by(AttemptScore.competency).order_by("avg").limit(limit)).all()
    return [(c, float(avg), n) for c, avg, n in rows]


@dataclass(frozen=True)
class CriticalError:
    scenario_id: str
    choice_id: str
    count: int
    people: int


def critical_errors(session: Session, cohort_id: int) -> list[CriticalError]:
    rows = session.execute(
        select(Attempt.scenario_id, Attempt.critical_choice, func.count(), func.count(func.distinct(Attempt.user_id)))
        .where(Attempt.user_id.in_(members_of(cohort_id)), Attempt.critical_choice.is_not(None))
        .group_by(Attempt.scenario_id, Attempt.critical_choice)
        .order_by(func.count().desc())).all()
    return [CriticalError(s, c, n, p) for s, c, n, p in rows]


# -- a trainee's emotional-intelligence profile --------------------------------------

@dataclass
class Profile:
    competencies: dict[str, tuple[float, int]]  # comp → (avg %, attempts)
    domains: dict[str, float | None]  # EI domain → 0-100
    calibration: Calibration
    trend: list[tuple[str, dict[str, float | None]]]  # (month, domain → score)


@dataclass(frozen=True)
class Calibration:
    """How well self-ratings match measured scores; the self-awareness measure."""

    ratings: int
    mean_gap: float | None  # mean |self - measured| in percentage points
    bias: float | None  # mean (self - measured): positive = rates self higher than measured

    @property
    def score(self) -> float | None:
        return None if self.mean_gap is None else max(0.0, 100.0 - self.mean_gap)


def rating_to_percent(rating: int) -> float:
    """A 1-5 self-rating on the percentage scale: 1 → 0 %, 3 → 50 %, 5 → 100 %."""
    return (rating - 1) * 25.0


def _self_gap():
    # Self-rating placed on the percentage scale, minus the measured percentage.
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


def profile(session: Session, user_id: int, framework: CompetencyFramework) -> Profile:
    dialect = session.get_bind().dialect.name
    comp_rows = session.execute(
        select(AttemptScore.competency, func.avg(AttemptScore.percent), func.count())
        .where(AttemptScore.user_id == user_id).group_by(AttemptScore.competency)).all()
    competencies = {c: (float(avg), n) for c, avg, n in comp_rows}
    joined = (select(SelfRating).join(AttemptScore, and_(
        AttemptScore.attempt_id == SelfRating.attempt_id, AttemptScore.competency == SelfRating.competency))
        .where(SelfRating.user_id == user_id))
    count, mean_gap, bias = session.execute(
        joined.with_only_columns(func.count(), func.avg(func.abs(_self_gap())), func.avg(_self_gap()))).one()
    calibration = Calibration(count or 0, float(mean_gap) if mean_gap is not None else None,
                              float(bias) if bias is not None else None)
    domains = _domain_scores(framework, {c: v for c, (v, _) in competencies.items()}, calibration.score)

    month = month_of(AttemptScore.finished_at, dialect)
    monthly = session.execute(
        select(month.label("m"), AttemptScore.competency, func.avg(AttemptScore.percent))
        .where(AttemptScore.user_id == user_id).group_by("m", AttemptScore.competency).order_by("m")).all()
    rating_month = month_of(AttemptScore.finished_at, dialect)
    monthly_gap = dict(session.execute(
        joined.with_only_columns(rating_month.label("m"), func.avg(func.abs(_self_gap())))
        .group_by("m")).all())
    by_month: dict[str, dict[str, float]] = {}
    for m, comp, avg in monthly:
        by_month.setdefault(m, {})[comp] = float(avg)
    trend = []
    for m in sorted(by_month):
        gap = monthly_gap.get(m)
        trend.append((m, _domain_scores(framework, by_month[m], None if gap is None else max(0.0, 100 - float(gap)))))
    return Profile(competencies, domains, calibration, trend)


# -- agreement between raters ----------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    first: str  # "auto" or a rater's user name
    second: str
    items: int
    exact: float | None
    kappa: float | None


def _latest_ratings(user_ids: Select) -> Select:
    """Each rater's newest rating per (attempt, competency), for attempts of ``user_ids``."""
    newest = (select(func.max(SupervisorRating.id))
              .join(Attempt, Attempt.id == SupervisorRating.attempt_id)
              .where(Attempt.user_id.in_(user_ids))
              .group_by(SupervisorRating.attempt_id, SupervisorRating.competency, SupervisorRating.rater_id))
    return select(SupervisorRating.rater_id, SupervisorRating.attempt_id, SupervisorRating.competency,
                  SupervisorRating.rating).where(SupervisorRating.id.in_(newest))


def rater_agreement(session: Session, cohort_id: int) -> list[Agreement]:
    """Kappa for every pair of raters (supervisors, and the automatic score) on shared items."""
    latest = _latest_ratings(members_of(cohort_id)).subquery()
    auto = session.execute(
        select(latest.c.rater_id, latest.c.rating, AttemptScore.percent)
        .join(AttemptScore, and_(AttemptScore.attempt_id == latest.c.attempt_id,
                                 AttemptScore.competency == latest.c.competency))).all()
    other = latest.alias("other")
    pairs = session.execute(
        select(latest.c.rater_id, other.c.rater_id, latest.c.rating, other.c.rating)
        .join(other, and_(other.c.attempt_id == latest.c.attempt_id, other.c.competency == latest.c.competency,
                          other.c.rater_id > latest.c.rater_id))).all()
    names = dict(session.execute(select(User.id, User.username).where(
        User.id.in_({r for r, *_ in auto} | {a for a, *_ in pairs} | {b for _, b, *_ in pairs}))).all())
    grouped: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for rater, rating, percent in auto:
        grouped.setdefault(("auto", names[rater]), []).append((percent_to_rating(percent), rating))
    for a, b, ra, rb in pairs:
        grouped.setdefault((names[a], names[b]), []).append((ra, rb))
    return [Agreement(first, second, len(items), exact_agreement(items), cohen_kappa(items))
            for (first, second), items in sorted(grouped.items())]


def outcome_counts(session: Session, cohort_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Attempt.outcome, func.count()).where(Attempt.user_id.in_(members_of(cohort_id)),
                                                    Attempt.status == "finished")
        .group_by(Attempt.outcome)).all()
    return {o: n for o, n in rows}


__all__ = ["Agreement", "Calibration", "CriticalError", "DOMAINS", "Heatmap", "Profile", "critical_errors",
           "heatmap", "month_of", "outcome_counts", "profile", "rater_agreement", "rating_to_percent",
           "weakest_competencies"]
