"""What needs a supervisor's attention, cohort by cohort: the summary on «My team».

Per cohort: how many people train in it now, its open assignments (not cancelled, and not
yet done by everyone they name), how many of those are past their due date for someone,
how many people are not practising, and how many written answers wait for a first review.
``cohort_attention`` takes the figures from the queries of the pages they lead to
(``assignments.cohort_completion`` and ``participation.not_practising`` for the cohort's
page, ``reviews.waiting_reviews`` for the review queue); ``by_cohort`` counts
the same things for many cohorts with one grouped query per figure (an admin sees every
cohort of the centre, and four queries a cohort made that page take a second at 200
cohorts), and the tests hold the two to the same answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Cohort
from .access import members_of, memberships
from .assignments import OpenWork, cohort_completion, open_work_by_cohort
from .participation import idle_by_cohort, not_practising
from .reviews import waiting_reviews, waiting_reviews_by_cohort


@dataclass(frozen=True)
class CohortAttention:
    cohort: Cohort
    people: int  # trainees now in it (blocked accounts left out, as on the cohort's page)
    open_assignments: int
    overdue: int  # (person, assignment) pairs past the due date and not done: the page's «Overdue» column summed
    to_review: int  # written answers of its trainees with no review yet
    idle: int  # trainees with no step lately (participation.IDLE_DAYS): followed up, not urgent

    @property
    def needs_attention(self) -> bool:
        return bool(self.overdue or self.to_review)


def cohort_attention(session: Session, cohort: Cohort, today: date, now: datetime) -> CohortAttention:
    completion = [c for c in cohort_completion(session, cohort.id, today) if c.assignment.cancelled_at is None]
    people = session.scalar(select(func.count()).select_from(members_of(cohort.id).subquery())) or 0
    # The queue shows everyone the supervisor may see, people who have left included, so
    # their answers are counted here too.
    return CohortAttention(
        cohort=cohort, people=people,
        open_assignments=sum(1 for c in completion if c.finished < c.assigned),
        overdue=sum(c.overdue for c in completion),
        to_review=waiting_reviews(session, members_of(cohort.id, include_blocked=True)),
        idle=not_practising(session, cohort.id, now, listed=0).total)


def by_cohort(session: Session, cohorts: list[Cohort], today: date, now: datetime) -> list[CohortAttention]:
    """``cohort_attention`` for each of ``cohorts``, in the order given, in four queries."""
    ids = [cohort.id for cohort in cohorts]
    if not ids:
        return []
    members = memberships(ids).subquery()
    people = dict(session.execute(select(members.c.cohort_id, func.count()).group_by(members.c.cohort_id)).all())
    work = open_work_by_cohort(session, ids, today)
    waiting = waiting_reviews_by_cohort(session, ids)
    idle = idle_by_cohort(session, ids, now)
    out = []
    for cohort in cohorts:
        open_work = work.get(cohort.id, OpenWork())
        out.append(CohortAttention(cohort=cohort, people=people.get(cohort.id, 0),
                                   open_assignments=open_work.open_assignments, overdue=open_work.overdue,
                                   to_review=waiting.get(cohort.id, 0), idle=idle.get(cohort.id, 0)))
    return out


__all__ = ["CohortAttention", "by_cohort", "cohort_attention", "waiting_reviews"]
