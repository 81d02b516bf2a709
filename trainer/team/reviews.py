"""Supervisors review written answers: agree with the rubric or override what it found.

A review never replaces an earlier one: every verdict is a new row and the newest counts.
The attempt's stored competency points follow the newest verdict on each of its written
answers, so dashboards and exports reflect the human judgement; the conversation itself
already happened and does not change. After each verdict they are computed again from the
attempt's final state and every written answer's newest verdict, never by adding a
difference to the stored value: two verdicts at the same moment each added theirs to a base
the other had already moved, and the error stayed in every later score.

A written answer can be reviewed before its attempt has ended (it is in the queue from the
moment it is written). Such an attempt has no score rows yet for :func:`rescore` to move,
so finishing it (``trainer.finish``) stores :func:`reviewed_points` from the start: the
verdicts given meanwhile count as if given afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, joinedload

from ..models import Attempt, AttemptScore, FreeTextReview, Step, User
from ..repeats import take_turns
from ..scenario.scoring import percentage
from .access import memberships


def latest_review_ids() -> Select:
    """The id of each reviewed step's newest review: the one that counts."""
    return select(func.max(FreeTextReview.id)).group_by(FreeTextReview.step_id)


# A written answer no supervisor has reviewed yet: what the queue lists first.
_UNREVIEWED = ~exists().where(FreeTextReview.step_id == Step.id)
# A written answer waiting for its first review (``ix_steps_written`` covers the first part).
_WAITING = (Step.free_text.is_not(None), _UNREVIEWED)


def queue(session: Session, users: Select, include_reviewed: bool = False, limit: int = 50) -> list[tuple[Step, Attempt, User, FreeTextReview | None]]:
    """Written answers of ``users``, unreviewed first (newest first within each group)."""
    latest = (select(FreeTextReview).where(FreeTextReview.id.in_(latest_review_ids())).subquery())
    query = (select(Step, Attempt, User, latest.c.id)
             .join(Attempt, Attempt.id == Step.attempt_id).join(User, User.id == Attempt.user_id)
             .outerjoin(latest, latest.c.step_id == Step.id)
             .where(Step.free_text.is_not(None), Attempt.user_id.in_(users)))
    if not include_reviewed:
        query = query.where(_UNREVIEWED)
    rows = session.execute(query.order_by(latest.c.id.is_not(None), Step.id.desc()).limit(limit)).all()
    reviews = {r.id: r for r in session.scalars(select(FreeTextReview).where(
        FreeTextReview.id.in_([rid for *_x, rid in rows if rid is not None])))} if rows else {}
    return [(step, attempt, user, reviews.get(rid)) for step, attempt, user, rid in rows]


def waiting_reviews(session: Session, users: Select) -> int:
    """How many written answers of ``users`` wait for a first review: what ``queue`` lists
    (unreviewed only), counted without a page limit."""
    return session.scalar(
        select(func.count(Step.id)).join(Attempt, Attempt.id == Step.attempt_id)
        .where(Attempt.user_id.in_(users), *_WAITING)) or 0


def waiting_reviews_by_cohort(session: Session, cohort_ids: list[int]) -> dict[int, int]:
    """``waiting_reviews`` of each cohort's trainees, people who have left included, in one
    grouped query; cohorts with nothing waiting are left out."""
    if not cohort_ids:
        return {}
    members = memberships(cohort_ids, include_blocked=True).subquery()
    return dict(session.execute(
        select(members.c.cohort_id, func.count(Step.id))
        .join(Attempt, Attempt.user_id == members.c.user_id).join(Step, Step.attempt_id == Attempt.id)
        .where(*_WAITING).group_by(members.c.cohort_id)).all())


def effective_found(session: Session, step: Step) -> list[str]:
    """The elements that count as found: the newest review's override, else the rubric's."""
    review = session.scalar(select(FreeTextReview).where(FreeTextReview.step_id == step.id)
                            .order_by(FreeTextReview.id.desc()))
    return found_by(step, review)


def found_by(step: Step, review: FreeTextReview | None) -> list[str]:
    """The elements of ``step``'s written answer that count as found with ``review`` (the
    newest verdict on it) taken into account; the rubric's when there is none."""
    if review is None or review.agrees or review.found is None:
        return list((step.rubric_result or {}).get("found", []))
    return list(review.found)


def _points(step: Step, found: list[str]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for element in (step.rubric_result or {}).get("elements", []):
        if element["id"] in found:
            for comp, value in element.get("scores", {}).items():
                totals[comp] = totals.get(comp, 0) + value
    return totals


def review(session: Session, step: Step, reviewer: User, agrees: bool, found: list[str] | None,
           comment: str = "") -> FreeTextReview:
    """Record a verdict and bring the attempt's points in line with the newest verdicts."""
    known = {e["id"] for e in (step.rubric_result or {}).get("elements", [])}
    if not agrees:
        found = [f for f in (found or []) if f in known]
    # One verdict on an attempt at a time: the points below then count every verdict
    # committed before this one.
    take_turns(session, Attempt, step.attempt_id)
    row = FreeTextReview(step_id=step.id, reviewer_id=reviewer.id, agrees=agrees,
                         found=None if agrees else found, comment=comment.strip())
    session.add(row)
    session.flush()
    rescore(session, step.attempt_id)
    return row


def newest_reviews(session: Session, attempt_id: int) -> list[tuple[Step, FreeTextReview]]:
    """Each reviewed written answer of the attempt with its newest verdict (and reviewer)."""
    newest_ids = (latest_review_ids().join(Step, Step.id == FreeTextReview.step_id)
                  .where(Step.attempt_id == attempt_id))
    latest = (select(Step, FreeTextReview).join(FreeTextReview, FreeTextReview.step_id == Step.id)
              .options(joinedload(FreeTextReview.reviewer))
              .where(FreeTextReview.id.in_(newest_ids)).order_by(Step.index))
    return [(step, newest) for step, newest in session.execute(latest).all()]


def reviewed_points(session: Session, attempt_id: int, rubric_points: dict[str, int] | None = None) -> dict[str, int]:
    """The attempt's points per competency with its written answers' newest verdicts.

    The final state holds the points the rubric gave (``rubric_points``, read from the
    stored state when not given); each reviewed answer moves them by what its newest
    verdict found compared with what the rubric found.
    """
    if rubric_points is None:
        state = session.scalar(select(Attempt.state).where(Attempt.id == attempt_id)) or {}
        rubric_points = state.get("scores", {})
    return with_verdicts(rubric_points, newest_reviews(session, attempt_id))


def with_verdicts(rubric_points: dict[str, int], reviewed: list[tuple[Step, FreeTextReview]]) -> dict[str, int]:
    """``rubric_points`` moved by each reviewed answer's verdict (``newest_reviews``)."""
    points = dict(rubric_points)
    for step, newest in reviewed:
        automatic, judged = _points(step, found_by(step, None)), _points(step, found_by(step, newest))
        for comp in set(automatic) | set(judged):
            points[comp] = points.get(comp, 0) + judged.get(comp, 0) - automatic.get(comp, 0)
    return points


def rescore(session: Session, attempt_id: int) -> None:
    """Store :func:`reviewed_points` in the attempt's score rows (a finished attempt has them)."""
    points = reviewed_points(session, attempt_id)
    for score in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)):
        score.points = points.get(score.competency, 0)
        score.percent = float(percentage(score.points, score.max_points) or 0)


@dataclass(frozen=True)
class RubricAgreement:
    scenario_id: str
    node_id: str
    reviewed: int
    agreed: int

    @property
    def share(self) -> float | None:
        return self.agreed / self.reviewed if self.reviewed else None


def rubric_agreement(session: Session, users: Select) -> list[RubricAgreement]:
    """For each rubric (scenario, node): reviewed answers and how often reviewers agreed."""
    agreed = func.sum(func.cast(FreeTextReview.agrees, type_=Step.index.type))
    rows = session.execute(
        select(Attempt.scenario_id, Step.node_id, func.count(), agreed)
        .join(Step, Step.id == FreeTextReview.step_id).join(Attempt, Attempt.id == Step.attempt_id)
        .where(FreeTextReview.id.in_(latest_review_ids()), Attempt.user_id.in_(users))
        .group_by(Attempt.scenario_id, Step.node_id)
        .order_by(Attempt.scenario_id, Step.node_id)).all()
    return [RubricAgreement(s, n, total, int(yes or 0)) for s, n, total, yes in rows]


__all__ = ["RubricAgreement", "effective_found", "found_by", "newest_reviews", "queue", "rescore", "review",
           "reviewed_points", "rubric_agreement", "with_verdicts"]
