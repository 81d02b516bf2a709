"""Assignments: a supervisor asks a cohort or one person to play a scenario by a date.

Practice mode shows feedback after every choice and allows retries. Assessment mode keeps
feedback until the end and allows one attempt, optionally with a time limit per decision
that the trainee may extend or switch off (WCAG 2.2.1, Timing Adjustable); the attempt
records that they did, so the supervisor reads the result with that in mind.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..attempts import start_or_resume
from ..models import MODES, Assignment, Attempt, CohortMember, User
from ..scenario.engine import CompiledScenario
from .access import can_see_cohort, can_see_user, members_of

MIN_TIME_LIMIT = 20  # seconds; shorter limits are unfair to anyone reading slowly
MAX_TIME_LIMIT = 3600


class AssignmentError(ValueError):
    """A request that cannot be honoured; the message says what to change."""


def create_assignment(session: Session, creator: User, *, scenario_id: str, mode: str,
                      cohort_id: int | None = None, user_id: int | None = None,
                      due_on: date | None = None, time_limit: int | None = None, note: str = "") -> Assignment:
    if (cohort_id is None) == (user_id is None):
        raise AssignmentError(_l("Choose either a cohort or one person."))
    if mode not in MODES:
        raise AssignmentError(_l("Choose practice or assessment."))
    if cohort_id is not None and not can_see_cohort(session, creator, cohort_id):
        raise AssignmentError(_l("You can assign only to cohorts you supervise."))
    if user_id is not None and (user_id == creator.id or not can_see_user(session, creator, user_id)):
        raise AssignmentError(_l("You can assign only to trainees in your cohorts."))
    if time_limit is not None:
        if mode != "assessment":
            raise AssignmentError(_l("A time limit applies only to assessments; leave it empty for practice."))
        if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
            raise AssignmentError(_l("The time limit must be between %(low)s and %(high)s seconds.", low=MIN_TIME_LIMIT, high=MAX_TIME_LIMIT))
    row = Assignment(scenario_id=scenario_id, mode=mode, cohort_id=cohort_id, user_id=user_id,
                     due_on=due_on, time_limit=time_limit, note=note.strip(), created_by=creator.id)
    session.add(row)
    session.flush()
    return row


def _for_user(user_id: int):
    """Assignments addressed to the user directly or to a cohort they train in."""
    return or_(
        Assignment.user_id == user_id,
        Assignment.cohort_id.in_(select(CohortMember.cohort_id).where(
            CohortMember.user_id == user_id, CohortMember.role == "trainee")),
    )


def assignment_for_user(session: Session, user: User, assignment_id: int) -> Assignment | None:
    return session.scalar(select(Assignment).where(Assignment.id == assignment_id, _for_user(user.id)))


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: Assignment
    status: str  # todo | in_progress | done
    overdue: bool
    attempt_id: int | None


def assignments_of(session: Session, user_id: int, today: date) -> list[AssignmentStatus]:
    """The user's assignments with where they stand, open ones first, by due date."""
    finished = (select(func.max(Attempt.id)).where(
        Attempt.assignment_id == Assignment.id, Attempt.user_id == user_id, Attempt.status == "finished")
        .correlate(Assignment).scalar_subquery())
    active = (select(func.max(Attempt.id)).where(
        Attempt.assignment_id == Assignment.id, Attempt.user_id == user_id, Attempt.status == "active")
        .correlate(Assignment).scalar_subquery())
    rows = session.execute(select(Assignment, finished, active).where(_for_user(user_id))).all()
    out = []
    for assignment, done_id, active_id in rows:
        status = "done" if done_id else "in_progress" if active_id else "todo"
        overdue = status != "done" and assignment.due_on is not None and assignment.due_on < today
        out.append(AssignmentStatus(assignment, status, overdue, done_id or active_id))
    far = date.max
    out.sort(key=lambda s: (s.status == "done", s.assignment.due_on or far, s.assignment.id))
    return out


def _refuse_if_taken(session: Session, user: User, assignment: Assignment) -> None:
    taken = session.scalar(select(Attempt).where(
        Attempt.assignment_id == assignment.id, Attempt.user_id == user.id).order_by(Attempt.id.desc()))
    # An unfinished one is resumed: start_or_resume never restarts an assessment.
    if taken is not None and taken.status != "active":
        raise AssignmentError(_l("This assessment allows one attempt, and you have taken it."))


def start(session: Session, user: User, assignment: Assignment, compiled: CompiledScenario,
          restart: bool = False) -> Attempt:
    """Start or resume the user's attempt for an assignment; assessments allow one attempt.

    Two starts at once land on the same attempt (see ``start_or_resume``); the database
    refuses a second attempt at an assessment (models.Attempt), which is reported here.
    """
    if assignment.mode == "assessment":
        _refuse_if_taken(session, user, assignment)
    try:
        return start_or_resume(session, user, compiled, restart=restart, assignment=assignment)
    except IntegrityError:
        # The one attempt was finished in another tab between the check above and the
        # insert: say so rather than fail.
        if assignment.mode == "assessment":
            _refuse_if_taken(session, user, assignment)
        raise


def extend_time(attempt: Attempt) -> None:
    """Give the decision on screen another full time limit.

    One UPDATE adds one in the database: adding to the values this request loaded lost
    extensions when the button was pressed several times at once.
    """
    session = Session.object_session(attempt)
    session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == "active", Attempt.time_limit > 0,
               Attempt.time_limit_off_at.is_(None))
        .values(decision_extensions=Attempt.decision_extensions + 1, time_extensions=Attempt.time_extensions + 1)
        .execution_options(synchronize_session=False))
    # Read back on next use: the counts may include other requests' extensions.
    session.expire(attempt, ["decision_extensions", "time_extensions"])


def switch_off_time(attempt: Attempt) -> None:
    """Remove the time limit for the rest of this attempt."""
    if attempt.time_limit and attempt.time_limit_off_at is None and attempt.status == "active":
        attempt.time_limit_off_at = attempt.step_count


@dataclass(frozen=True)
class Completion:
    assignment: Assignment
    assigned: int
    finished: int
    overdue: int


def cohort_completion(session: Session, cohort_id: int, today: date) -> list[Completion]:
    """For each assignment to the cohort or one of its trainees: how many have finished it."""
    members = members_of(cohort_id)
    assignments = list(session.scalars(select(Assignment).where(or_(
        Assignment.cohort_id == cohort_id, Assignment.user_id.in_(members))).order_by(Assignment.due_on, Assignment.id)))
    if not assignments:
        return []
    # One grouped query: per assignment, the distinct cohort members who finished it.
    done = dict(session.execute(
        select(Attempt.assignment_id, func.count(func.distinct(Attempt.user_id)))
        .where(Attempt.assignment_id.in_([a.id for a in assignments]), Attempt.status == "finished",
               Attempt.user_id.in_(members))
        .group_by(Attempt.assignment_id)).all())
    size = session.scalar(select(func.count()).select_from(members.subquery())) or 0
    out = []
    for a in assignments:
        assigned = size if a.cohort_id == cohort_id else 1
        finished = done.get(a.id, 0)
        overdue = assigned - finished if a.due_on is not None and a.due_on < today else 0
        out.append(Completion(a, assigned, finished, overdue))
    return out


def overdue_people(session: Session, cohort_id: int, today: date) -> list[tuple[User, Assignment]]:
    """Cohort trainees with an assignment past its due date and not finished."""
    members = members_of(cohort_id)
    finished = exists().where(and_(Attempt.assignment_id == Assignment.id, Attempt.user_id == User.id,
                                   Attempt.status == "finished"))
    rows = session.execute(
        select(User, Assignment)
        .join(Assignment, or_(
            and_(Assignment.cohort_id == cohort_id, User.id.in_(members)),
            Assignment.user_id == User.id))
        .where(User.id.in_(members), Assignment.due_on < today, ~finished)
        .order_by(Assignment.due_on, User.username)).all()
    return [(u, a) for u, a in rows]


__all__ = ["AssignmentError", "AssignmentStatus", "Completion", "assignment_for_user", "assignments_of",
           "cohort_completion", "create_assignment", "extend_time", "overdue_people", "start", "switch_off_time"]
