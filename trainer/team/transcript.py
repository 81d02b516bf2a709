"""An attempt as a supervisor reads it, and the judgements they add to it.

Supervisor comments and ratings are stored apart from the automatic scores and are
never overwritten: a new rating is a new row, and the newest per rater counts. A comment
is stored once: the same text by the same author on the same step within
a minute (``trainer.repeats``) is a resent form or a second press.

The trainee reads what supervisors said about their decisions on the attempt's debrief
(:func:`trainee_debrief`): each step's comments, and the newest verdict on a written
answer, whose elements and points the debrief then follows. The supervisor's transcript
follows that verdict in the same way (:func:`as_reviewed`), so both read alike.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..models import (Attempt, AttemptScore, FreeTextReview, SelfRating, Step, StepComment, SupervisorRating,
                      User, utcnow)
from ..scenario.debrief import Debrief, build_debrief
from ..scenario.engine import CompiledScenario, PlayState
from ..repeats import sent_moments_ago, take_turns
from ..scenario.model import Choice, ClientLine
from ..study.scores import in_framework_order
from .reviews import found_by, newest_reviews, with_verdicts


@dataclass
class Entry:
    step: Step
    client: list[ClientLine]
    choice: Choice | None
    state: dict[str, int]
    comments: list[StepComment] = field(default_factory=list)
    review: FreeTextReview | None = None  # the newest verdict on a written answer, with its reviewer
    points: dict[str, int] = field(default_factory=dict)  # the step's points, after that verdict


@dataclass
class Rater:
    """One supervisor's newest rating per competency, under the name people know them by."""

    name: str
    marks: dict[str, int]


@dataclass
class Transcript:
    attempt: Attempt
    entries: list[Entry]
    scores: dict[str, AttemptScore]
    self_ratings: dict[str, int]
    ratings: dict[int, Rater]  # by the rater's user id: two people may share a name
    harmful: int = 0  # harmful answers, as the play state counted them
    capped: bool = False  # they made a good ending count as mixed (CompiledScenario.capped)


def build_transcript(session: Session, attempt: Attempt, compiled: CompiledScenario,
                     order: Sequence[str] = ()) -> Transcript:
    """The attempt's steps with what supervisors added; each step's points list competencies
    in the framework's ``order`` (the stored points keep whatever order the database gives)."""
    steps = list(session.scalars(select(Step).where(Step.attempt_id == attempt.id).order_by(Step.index)))
    comments: dict[int, list[StepComment]] = {}
    if steps:
        for c in session.scalars(select(StepComment).where(StepComment.step_id.in_([s.id for s in steps]))
                                 .order_by(StepComment.id)):
            comments.setdefault(c.step_id, []).append(c)
    verdicts = {step.id: review for step, review in newest_reviews(session, attempt.id)} if steps else {}
    entries = []
    for s in steps:
        _node, choice = compiled.choices.get(s.choice_id, (None, None))
        review = verdicts.get(s.id)
        entries.append(Entry(s, compiled.client_lines([s.node_id]), choice,
                             dict((s.state_after or {}).get("vars", {})), comments.get(s.id, []),
                             review, in_framework_order(_step_points(s, review), order)))
    scores = {r.competency: r for r in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id))}
    state = PlayState.from_dict(attempt.state)
    return Transcript(attempt, entries, scores, self_ratings(session, attempt.id), supervisor_ratings(session, attempt.id),
                      state.harmful, compiled.capped(state))


def _step_points(step: Step, review: FreeTextReview | None) -> dict[str, int]:
    """The step's points with the verdict on its written answer, as the stored scores count
    them; a competency the verdict leaves at no change is not listed unless the step had it."""
    given = dict(step.score_delta or {})
    if review is None:
        return given
    moved = with_verdicts(given, [(step, review)])
    return {comp: value for comp, value in moved.items() if value or comp in given}


def as_reviewed(result: dict, step: Step, review: FreeTextReview | None) -> dict:
    """A rubric result (as ``rubric_for_reader`` gives it) with each element marked ``found``
    as the newest verdict counts it; ``rubric_found`` keeps what the rubric itself found."""
    found = set(found_by(step, review))
    return {**result, "found": [e["id"] for e in result.get("elements", []) if e["id"] in found],
            "elements": [{**e, "found": e["id"] in found, "rubric_found": bool(e.get("found"))}
                         for e in result.get("elements", [])]}


@dataclass
class StepNotes:
    """What supervisors said about one decision, as its trainee reads it."""

    comments: list[StepComment] = field(default_factory=list)  # oldest first, with their authors
    review: FreeTextReview | None = None  # the newest verdict on a written answer, with its reviewer


@dataclass
class TraineeDebrief:
    report: Debrief
    notes: dict[int, StepNotes]  # by step index; only the steps someone commented on or reviewed
    late: frozenset[int] = frozenset()  # the indexes of the steps answered after the time limit


def trainee_debrief(session: Session, attempt: Attempt, compiled: CompiledScenario) -> TraineeDebrief:
    """A finished attempt's debrief with what supervisors said about it.

    A written answer's newest verdict decides which of its elements count, in the points
    the debrief lists and in the totals, as it does in the stored scores.
    """
    steps = list(attempt.steps)
    notes: dict[int, StepNotes] = {}
    index_of = {s.id: s.index for s in steps}
    if steps:
        for comment in session.scalars(select(StepComment).options(joinedload(StepComment.author))
                                       .where(StepComment.step_id.in_(list(index_of))).order_by(StepComment.id)):
            notes.setdefault(index_of[comment.step_id], StepNotes()).comments.append(comment)
    reviewed = newest_reviews(session, attempt.id) if compiled.rubrics else []
    verdicts = {step.id: review for step, review in reviewed}
    for step, review in reviewed:
        notes.setdefault(step.index, StepNotes()).review = review
    rubrics = {s.index: {**s.rubric_result, "found": found_by(s, verdicts.get(s.id))} for s in steps if s.rubric_result}
    state = PlayState.from_dict(attempt.state)
    report = build_debrief(compiled, [(s.node_id, s.choice_id) for s in steps], state, rubrics,
                           with_verdicts(state.scores, reviewed))
    return TraineeDebrief(report, notes, frozenset(s.index for s in steps if s.late))


def self_ratings(session: Session, attempt_id: int) -> dict[str, int]:
    """The trainee's own 1-5 rating per competency for an attempt (empty until given)."""
    rows = session.scalars(select(SelfRating).where(SelfRating.attempt_id == attempt_id))
    return {r.competency: r.rating for r in rows}


def supervisor_ratings(session: Session, attempt_id: int) -> dict[int, Rater]:
    """Each rater's newest rating per competency, by rater id, in the order of their names."""
    newest = (select(func.max(SupervisorRating.id)).where(SupervisorRating.attempt_id == attempt_id)
              .group_by(SupervisorRating.rater_id, SupervisorRating.competency))
    out: dict[int, Rater] = {}
    for rater_id, display_name, username, comp, rating in session.execute(
            select(User.id, User.display_name, User.username, SupervisorRating.competency, SupervisorRating.rating)
            .join(User, User.id == SupervisorRating.rater_id).where(SupervisorRating.id.in_(newest))).all():
        out.setdefault(rater_id, Rater(display_name or username, {})).marks[comp] = rating
    return dict(sorted(out.items(), key=lambda item: (item[1].name.casefold(), item[0])))


class CommentError(ValueError):
    """The comment cannot be stored: no such decision in the attempt, or nothing written."""


def add_comment(session: Session, attempt: Attempt, step_index: int, author: User, body: str,
                now: datetime | None = None) -> StepComment | None:
    """Comment on the attempt's decision ``step_index``; None when the author left the same
    comment there moments ago (nothing new is stored)."""
    step = session.scalar(select(Step).where(Step.attempt_id == attempt.id, Step.index == step_index))
    text = body.strip()
    if step is None:
        raise CommentError(f"attempt {attempt.id} has no decision {step_index}")
    if not text:
        raise CommentError("an empty comment")
    now = now or utcnow()
    take_turns(session, Step, step.id)
    if sent_moments_ago(session, StepComment, now, step_id=step.id, author_id=author.id, body=text):
        return None
    comment = StepComment(step_id=step.id, author_id=author.id, body=text, created_at=now)
    session.add(comment)
    session.flush()
    return comment


def rate_attempt(session: Session, attempt: Attempt, rater: User, ratings: dict[str, int]) -> int:
    """Store the rater's 1-5 ratings; returns how many were stored."""
    stored = 0
    for comp, value in ratings.items():
        if value is None:
            continue
        value = int(value)
        if not 1 <= value <= 5:
            raise ValueError(f"rating for {comp} must be 1-5")
        session.add(SupervisorRating(attempt_id=attempt.id, rater_id=rater.id, competency=comp, rating=value))
        stored += 1
    return stored


def record_self_rating(session: Session, attempt: Attempt, ratings: dict[str, int]) -> bool:
    """The trainee's own 1-5 ratings after an attempt; given once, like an answer."""
    if attempt.status != "finished":
        return False
    if session.scalar(select(SelfRating.attempt_id).where(SelfRating.attempt_id == attempt.id)) is not None:
        return False
    for comp, value in ratings.items():
        session.add(SelfRating(attempt_id=attempt.id, competency=comp, user_id=attempt.user_id, rating=int(value)))
    return True
