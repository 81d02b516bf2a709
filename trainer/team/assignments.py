"""Assignments: a supervisor asks a cohort or one person to play a scenario by a date.

Practice mode shows feedback after every choice and allows retries. Assessment mode keeps
feedback until the end and allows one attempt, optionally with a time limit per decision
that the trainee may extend or switch off (WCAG 2.2.1, Timing Adjustable); the attempt
records that they did, so the supervisor reads the result with that in mind.

What counts as done: an assessment only through its own attempt (it has a time limit and
one try). A practice assignment also counts any finished practice attempt at its scenario
started while it was open (after it was created, before any cancellation), so a trainee who
plays the scenario from the catalogue has done what was asked; the trainee's list and the
supervisor's figures both use ``_answers`` and agree.

A supervisor who may see an assignment (its cohort, or the person it names) may change its
due date, note and time limit, and its mode until someone has started it, and may cancel it.
A cancelled assignment leaves the trainees' lists and cannot be started; it stays in the
database, with the attempts made under it, and supervisors see it as cancelled.

Done is not passed: an assessment whose attempt failed (a critical error) or ended poorly has
been taken, and counts as done, but not as passed. Passing is what the xAPI statements
report as ``passed`` (``trainer.passing``: a good or mixed outcome, and the overall score
reaching the assignment's pass mark when it has one), so the supervisor's pages and the
Learning Record Store agree; supervisors see both figures for assessments. Like the mode, the
pass mark may change only while nobody has started the assignment.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, literal, or_, select, union, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ..attempts import start_or_resume
from ..collation import person_key
from ..models import MODES, Assignment, Attempt, Cohort, CohortMember, User, utcnow
from ..scenario.engine import CompiledScenario
from ..passing import MAX_PASS_MARK, MIN_PASS_MARK, PASS_MARK_SLACK, PASSING_OUTCOMES, passes
from ..study.scores import overall_by_attempt, overall_of
from .access import (can_see_cohort, can_see_user, members_of, memberships, supervised_cohort_ids,
                     users_in_order)

MIN_TIME_LIMIT = 20  # seconds; shorter limits are unfair to anyone reading slowly
MAX_TIME_LIMIT = 3600
TIME_LIMIT_RANGE = _l("The time limit must be between %(low)s and %(high)s seconds.",
                      low=MIN_TIME_LIMIT, high=MAX_TIME_LIMIT)
PASS_MARK_RANGE = _l("The pass mark must be a whole number from %(low)s to %(high)s.",
                     low=MIN_PASS_MARK, high=MAX_PASS_MARK)
# Said by ``start`` and by the trainee's introduction page (trainer.play.assigned).
CANCELLED_MESSAGE = _l("This assignment has been cancelled, so it can no longer be started. "
                       "Attempts you made under it are kept.")


class AssignmentError(ValueError):
    """A request that cannot be honoured; the message says what to change."""


def create_assignment(session: Session, creator: User, *, scenario_id: str, mode: str,
                      cohort_id: int | None = None, user_id: int | None = None,
                      due_on: date | None = None, time_limit: int | None = None, note: str = "",
                      pass_mark: int | None = None) -> Assignment:
    if (cohort_id is None) == (user_id is None):
        raise AssignmentError(_l("Choose either a cohort or one person."))
    if mode not in MODES:
        raise AssignmentError(_l("Choose practice or assessment."))
    if cohort_id is not None and not can_see_cohort(session, creator, cohort_id):
        raise AssignmentError(_l("You can assign only to cohorts you supervise."))
    if user_id is not None and (user_id == creator.id or not can_see_user(session, creator, user_id)):
        raise AssignmentError(_l("You can assign only to trainees in your cohorts."))
    _check_time_limit(mode, time_limit)
    _check_pass_mark(mode, pass_mark)
    # The same form sent twice (Back and submit again, a reload of the POST) would give the
    # trainees the same task twice. A repeat with another due date is a new task, so allowed.
    same = session.scalar(select(Assignment.id).where(
        Assignment.scenario_id == scenario_id, Assignment.mode == mode, Assignment.cancelled_at.is_(None),
        Assignment.cohort_id.is_not_distinct_from(cohort_id), Assignment.user_id.is_not_distinct_from(user_id),
        Assignment.due_on.is_not_distinct_from(due_on)).limit(1))
    if same is not None:
        raise AssignmentError(_l("This scenario is already assigned to them in this mode with the same due date "
                                 "(assignment no. %(number)s). Open it from the cohort's page to change it, "
                                 "or choose another due date for a new one.", number=same))
    row = Assignment(scenario_id=scenario_id, mode=mode, cohort_id=cohort_id, user_id=user_id,
                     due_on=due_on, time_limit=time_limit, pass_mark=pass_mark, note=note.strip(),
                     created_by=creator.id)
    session.add(row)
    session.flush()
    return row


def _check_time_limit(mode: str, time_limit: int | None) -> None:
    if time_limit is not None:
        if mode != "assessment":
            raise AssignmentError(_l("A time limit applies only to assessments; leave it empty for practice."))
        if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
            raise AssignmentError(TIME_LIMIT_RANGE)


def _check_pass_mark(mode: str, pass_mark: int | None) -> None:
    if pass_mark is not None:
        if mode != "assessment":
            raise AssignmentError(_l("A pass mark applies only to assessments; leave it empty for practice."))
        if not MIN_PASS_MARK <= pass_mark <= MAX_PASS_MARK:
            raise AssignmentError(PASS_MARK_RANGE)


# -- changing and cancelling -------------------------------------------------------------

def can_manage(session: Session, viewer: User, assignment: Assignment) -> bool:
    """Whether ``viewer`` may see and change ``assignment``: they supervise its cohort, or
    may see the one person it names (an admin may see everyone)."""
    if assignment.cohort_id is not None:
        return can_see_cohort(session, viewer, assignment.cohort_id)
    return assignment.user_id != viewer.id and can_see_user(session, viewer, assignment.user_id)


def managed_assignment(session: Session, viewer: User, assignment_id: int) -> Assignment | None:
    """The assignment, if ``viewer`` may manage it; None for another cohort's or a missing one."""
    assignment = session.get(Assignment, assignment_id)
    return assignment if assignment is not None and can_manage(session, viewer, assignment) else None


def home_cohort(session: Session, viewer: User, assignment: Assignment, wanted: int | None = None) -> Cohort | None:
    """The cohort whose pages lead back from an assignment: ``wanted`` when the viewer
    supervises it, else the assignment's cohort, else a supervised cohort the person it
    names trains in (None when there is none)."""
    if wanted is not None and can_see_cohort(session, viewer, wanted):
        return session.get(Cohort, wanted)
    if assignment.cohort_id is not None:
        return assignment.cohort
    return session.scalar(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == assignment.user_id, CohortMember.role == "trainee",
               Cohort.id.in_(supervised_cohort_ids(viewer)))
        .order_by(Cohort.name).limit(1))


def _assignees(assignment: Assignment):
    """The ids of the people an assignment asks, as a subquery: its cohort's trainees, or its one person."""
    if assignment.cohort_id is not None:
        return members_of(assignment.cohort_id)
    return select(literal(assignment.user_id))


def is_started(session: Session, assignment: Assignment) -> bool:
    """Whether anyone has begun it: an attempt made under it (in any state), or, for
    practice, a finished practice attempt of one of its people that counts toward it."""
    if session.scalar(select(Attempt.id).where(Attempt.assignment_id == assignment.id).limit(1)) is not None:
        return True
    if assignment.mode != "practice":
        return False
    return session.scalar(select(Attempt.id).where(
        Attempt.user_id.in_(_assignees(assignment)), Attempt.status == "finished",
        _answers_one(assignment.id)).limit(1)) is not None


def update_assignment(session: Session, editor: User, assignment: Assignment, *, mode: str,
                      due_on: date | None, time_limit: int | None, note: str,
                      pass_mark: int | None = None) -> None:
    """Change an open assignment's due date, note and time limit, and its mode and pass mark
    while nobody has started it. A new time limit applies to attempts started from now on:
    each attempt keeps the limit it started with."""
    if not can_manage(session, editor, assignment):
        raise AssignmentError(_l("You can change only assignments of the cohorts you supervise."))
    if assignment.cancelled_at is not None:
        raise AssignmentError(_l("This assignment has been cancelled; it can no longer be changed."))
    if mode not in MODES:
        raise AssignmentError(_l("Choose practice or assessment."))
    _check_time_limit(mode, time_limit)
    _check_pass_mark(mode, pass_mark)
    if mode != assignment.mode or pass_mark != assignment.pass_mark:
        started = AssignmentError(
            _l("Someone has already started this assignment, so its mode can no longer change.")
            if mode != assignment.mode else
            _l("Someone has already started this assignment, so its pass mark can no longer change."))
        if is_started(session, assignment):
            raise started
        # A conditional UPDATE: a start that got in since the check above keeps both as they were.
        changed = session.execute(
            update(Assignment).where(Assignment.id == assignment.id, Assignment.mode == assignment.mode,
                                     Assignment.pass_mark.is_not_distinct_from(assignment.pass_mark),
                                     ~exists().where(Attempt.assignment_id == assignment.id))
            .values(mode=mode, pass_mark=pass_mark).execution_options(synchronize_session=False)).rowcount
        session.expire(assignment, ["mode", "pass_mark"])
        if not changed:
            raise started
    assignment.due_on = due_on
    assignment.time_limit = time_limit
    assignment.note = note.strip()


def cancel_assignment(session: Session, editor: User, assignment: Assignment) -> bool:
    """Cancel it; False when it was cancelled already (the first cancellation's time stays)."""
    if not can_manage(session, editor, assignment):
        raise AssignmentError(_l("You can change only assignments of the cohorts you supervise."))
    done = session.execute(
        update(Assignment).where(Assignment.id == assignment.id, Assignment.cancelled_at.is_(None))
        .values(cancelled_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    session.expire(assignment, ["cancelled_at"])
    return bool(done)


# -- what counts toward an assignment --------------------------------------------------------

def _practice_elsewhere():
    """An attempt outside a practice assignment that counts toward it (correlated on
    ``Assignment``): practice at its scenario, started while it was open."""
    return and_(Assignment.mode == "practice", Attempt.scenario_id == Assignment.scenario_id,
                Attempt.mode == "practice", Attempt.started_at >= Assignment.created_at,
                or_(Assignment.cancelled_at.is_(None), Attempt.started_at < Assignment.cancelled_at))


def _answers():
    """An attempt that answers the assignment (correlated on ``Assignment``): its own, or for
    practice, another practice attempt at its scenario played while it was open."""
    return or_(Attempt.assignment_id == Assignment.id, _practice_elsewhere())


def _answers_one(assignment_id: int):
    """``_answers`` for one assignment, as a condition on ``Attempt`` (correlated on it)."""
    return exists().where(Assignment.id == assignment_id, _answers())


def _past_due(assignment: Assignment, today: date) -> bool:
    """Open and past its due date (a cancelled assignment is never overdue)."""
    return assignment.cancelled_at is None and assignment.due_on is not None and assignment.due_on < today


def _for_user(user_id: int):
    """Assignments addressed to the user directly or to a cohort they train in."""
    return or_(
        Assignment.user_id == user_id,
        Assignment.cohort_id.in_(select(CohortMember.cohort_id).where(
            CohortMember.user_id == user_id, CohortMember.role == "trainee")),
    )


def assignment_for_user(session: Session, user: User, assignment_id: int) -> Assignment | None:
    """An assignment addressed to ``user`` (cancelled ones too: starting one says why it cannot)."""
    return session.scalar(select(Assignment).where(Assignment.id == assignment_id, _for_user(user.id)))


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: Assignment
    status: str  # todo | in_progress | done
    overdue: bool
    attempt_id: int | None  # the newest finished attempt that counts, else the one in progress
    practice_before: int | None = None  # assessments, for supervisors: see ``practice_before``
    passed: bool | None = None  # a taken assessment: see ``assessment_passed``

    @property
    def cancelled(self) -> bool:
        return self.assignment.cancelled_at is not None

    @property
    def state(self) -> str:
        """What a supervisor reads: cancelled, overdue, or the status."""
        return "cancelled" if self.cancelled else "overdue" if self.overdue else self.status


def assessment_passed(mode: str, status: str, outcome: str | None, overall: float | None = None,
                      pass_mark: int | None = None) -> bool | None:
    """Whether an assignment's finished attempt passed it: for an assessment that was taken,
    ``passing.passes`` with its ``overall`` score and the assignment's ``pass_mark``; None for
    practice or an assessment not taken yet, which pass nothing."""
    return passes(outcome, overall, pass_mark) if mode == "assessment" and status == "done" else None


@dataclass(frozen=True)
class Verdict:
    """How a finished assessment attempt stands against its assignment's rule."""
    passed: bool
    pass_mark: int | None  # the assignment's, in %; None when the outcome alone decides


def assessment_verdict(session: Session, attempt: Attempt) -> Verdict | None:
    """Whether a finished attempt passed its assessment, with the pass mark it was judged
    by (the debrief says both); None for practice or an attempt not finished."""
    if attempt.mode != "assessment" or attempt.status != "finished":
        return None
    pass_mark = session.scalar(select(Assignment.pass_mark).where(Assignment.id == attempt.assignment_id)) \
        if attempt.assignment_id is not None else None
    overall = overall_of(session, [attempt.id]).get(attempt.id)
    return Verdict(passes(attempt.outcome, overall, pass_mark), pass_mark)


def _statuses(session: Session, user_id: int, where, today: date) -> list[AssignmentStatus]:
    finished = (select(func.max(Attempt.id)).where(Attempt.user_id == user_id, Attempt.status == "finished", _answers())
                .correlate(Assignment).scalar_subquery())
    active = (select(func.max(Attempt.id)).where(
        Attempt.assignment_id == Assignment.id, Attempt.user_id == user_id, Attempt.status == "active")
        .correlate(Assignment).scalar_subquery())
    rows = session.execute(select(Assignment, finished, active).where(where)).all()
    # A taken assessment is passed or not, for the trainee as for supervisors.
    taken = [done_id for assignment, done_id, _active in rows if assignment.mode == "assessment" and done_id]
    outcomes = dict(session.execute(
        select(Attempt.id, Attempt.outcome).where(Attempt.id.in_(taken))).all()) if taken else {}
    overall = overall_of(session, taken)
    out = []
    for assignment, done_id, active_id in rows:
        status = "done" if done_id else "in_progress" if active_id else "todo"
        overdue = status != "done" and _past_due(assignment, today)
        out.append(AssignmentStatus(assignment, status, overdue, done_id or active_id,
                                    passed=assessment_passed(assignment.mode, status, outcomes.get(done_id),
                                                             overall.get(done_id), assignment.pass_mark)))
    far = date.max
    out.sort(key=lambda s: (s.cancelled, s.status == "done", s.assignment.due_on or far, s.assignment.id))
    return out


def assignments_of(session: Session, user_id: int, today: date) -> list[AssignmentStatus]:
    """The user's open (not cancelled) assignments with where they stand, open ones first, by due date."""
    return _statuses(session, user_id, and_(_for_user(user_id), Assignment.cancelled_at.is_(None)), today)


def assignments_seen_by(session: Session, viewer: User, user_id: int, today: date) -> list[AssignmentStatus]:
    """A trainee's assignments as a supervisor sees them: those naming the trainee and those
    of the trainee's cohorts that ``viewer`` supervises, cancelled ones included (last);
    assessments carry the number of practice attempts finished before them."""
    trainee_cohorts = select(CohortMember.cohort_id).where(CohortMember.user_id == user_id,
                                                           CohortMember.role == "trainee")
    where = or_(Assignment.user_id == user_id,
                and_(Assignment.cohort_id.in_(trainee_cohorts), Assignment.cohort_id.in_(supervised_cohort_ids(viewer))))
    rows = _statuses(session, user_id, where, today)
    counts = practice_before(session, [r.attempt_id for r in rows if r.assignment.mode == "assessment" and r.attempt_id])
    return [replace(r, practice_before=counts.get(r.attempt_id)) for r in rows]


def practice_before(session: Session, attempt_ids: list[int]) -> dict[int, int]:
    """For each assessment attempt among ``attempt_ids``: how many practice attempts at the
    same scenario its person finished before starting it (rehearsal is allowed, and the
    supervisor reads the result knowing it)."""
    if not attempt_ids:
        return {}
    assessed, practice = aliased(Attempt), aliased(Attempt)
    rows = session.execute(
        select(assessed.id, func.count(practice.id))
        .outerjoin(practice, and_(practice.user_id == assessed.user_id, practice.scenario_id == assessed.scenario_id,
                                  practice.mode == "practice", practice.status == "finished",
                                  practice.finished_at <= assessed.started_at))
        .where(assessed.id.in_(attempt_ids), assessed.mode == "assessment")
        .group_by(assessed.id)).all()
    return {attempt_id: n for attempt_id, n in rows}


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
    if assignment.cancelled_at is not None:
        # An attempt begun before the cancellation may be finished (the home page offers
        # it too); nothing new starts under a cancelled assignment.
        begun = None if restart else session.scalar(select(Attempt).where(
            Attempt.user_id == user.id, Attempt.assignment_id == assignment.id, Attempt.status == "active"))
        if begun is not None:
            return begun
        raise AssignmentError(CANCELLED_MESSAGE)
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
    passed: int | None = None  # assessments only: how many of ``finished`` passed


def _passed_counts(session: Session, assessment_ids: list[int], members) -> dict[int, int]:
    """Per assessment: the distinct people among ``members`` whose own attempt at it passed
    (``passing.passes``, in SQL: the outcome, and the overall score against a pass mark)."""
    if not assessment_ids:
        return {}
    taken = (select(Attempt.id).where(Attempt.assignment_id.in_(assessment_ids), Attempt.status == "finished",
                                      Attempt.outcome.in_(PASSING_OUTCOMES), Attempt.user_id.in_(members)))
    overall = overall_by_attempt(attempt_ids=taken)
    return dict(session.execute(
        select(Attempt.assignment_id, func.count(func.distinct(Attempt.user_id)))
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .outerjoin(overall, overall.c.attempt_id == Attempt.id)
        .where(Attempt.id.in_(taken),
               or_(Assignment.pass_mark.is_(None), overall.c.overall >= Assignment.pass_mark - PASS_MARK_SLACK))
        .group_by(Attempt.assignment_id)).all())


def _finishers(ids: list[int], members):
    """(assignment, person) for each cohort member who has done each of the assignments."""
    own = select(Attempt.assignment_id.label("assignment_id"), Attempt.user_id.label("user_id")).where(
        Attempt.assignment_id.in_(ids), Attempt.status == "finished", Attempt.user_id.in_(members))
    elsewhere = (select(Assignment.id, Attempt.user_id)
                 .join(Attempt, and_(_practice_elsewhere(),
                                     or_(Assignment.user_id.is_(None), Assignment.user_id == Attempt.user_id)))
                 .where(Assignment.id.in_(ids), Attempt.status == "finished", Attempt.user_id.in_(members)))
    return union(own, elsewhere).subquery()  # UNION drops the pairs both count


def cohort_completion(session: Session, cohort_id: int, today: date) -> list[Completion]:
    """For each assignment to the cohort or one of its trainees: how many have done it.

    Open assignments come first by due date, cancelled ones last; a cancelled one is
    never overdue."""
    members = members_of(cohort_id)
    assignments = list(session.scalars(select(Assignment).where(or_(
        Assignment.cohort_id == cohort_id, Assignment.user_id.in_(members)))
        .order_by(Assignment.cancelled_at.is_not(None), Assignment.due_on, Assignment.id)))
    if not assignments:
        return []
    # One grouped query: per assignment, the distinct cohort members who have done it.
    pairs = _finishers([a.id for a in assignments], members)
    done = dict(session.execute(select(pairs.c.assignment_id, func.count()).group_by(pairs.c.assignment_id)).all())
    size = session.scalar(select(func.count()).select_from(members.subquery())) or 0
    assessed = [a.id for a in assignments if a.mode == "assessment"]
    passed = _passed_counts(session, assessed, members)
    out = []
    for a in assignments:
        assigned = size if a.cohort_id == cohort_id else 1
        finished = done.get(a.id, 0)
        late = _past_due(a, today)
        out.append(Completion(a, assigned, finished, assigned - finished if late else 0,
                              passed.get(a.id, 0) if a.mode == "assessment" else None))
    return out


@dataclass(frozen=True)
class OpenWork:
    """A cohort's open assignments and overdue (person, assignment) pairs, as ``cohort_completion`` counts them."""
    open_assignments: int = 0
    overdue: int = 0


def open_work_by_cohort(session: Session, cohort_ids: list[int], today: date) -> dict[int, OpenWork]:
    """``cohort_completion``'s open and overdue figures for many cohorts in one grouped query.

    «My team» shows them for every cohort a person sees (all of them for an admin); one
    ``cohort_completion`` per cohort made that page four queries a cohort. Each row here is
    one (cohort, assignment, trainee) the assignment names: the cohort's assignments for its
    people now, and a person's own assignments in each cohort they train in, as
    ``cohort_completion`` lists them. Cohorts with nothing open are left out.
    """
    if not cohort_ids:
        return {}
    members = memberships(cohort_ids).subquery()
    done = exists().where(Attempt.user_id == members.c.user_id, Attempt.status == "finished", _answers())
    rows = session.execute(
        select(members.c.cohort_id, Assignment.id, Assignment.due_on, func.count(), func.count().filter(done))
        .join(Assignment, or_(Assignment.cohort_id == members.c.cohort_id, Assignment.user_id == members.c.user_id))
        .where(Assignment.cancelled_at.is_(None))
        .group_by(members.c.cohort_id, Assignment.id, Assignment.due_on))
    out: dict[int, OpenWork] = {}
    for cohort_id, _assignment_id, due_on, assigned, finished in rows:
        if finished >= assigned:
            continue
        late = assigned - finished if due_on is not None and due_on < today else 0
        work = out.get(cohort_id, OpenWork())
        out[cohort_id] = OpenWork(work.open_assignments + 1, work.overdue + late)
    return out


def overdue_people(session: Session, cohort_id: int, today: date) -> list[tuple[User, Assignment]]:
    """Cohort trainees with an open assignment past its due date and not done."""
    members = members_of(cohort_id)
    finished = exists().where(and_(Attempt.user_id == User.id, Attempt.status == "finished", _answers()))
    rows = session.execute(
        select(User, Assignment)
        .join(Assignment, or_(
            and_(Assignment.cohort_id == cohort_id, User.id.in_(members)),
            Assignment.user_id == User.id))
        .where(User.id.in_(members), Assignment.cancelled_at.is_(None), Assignment.due_on < today, ~finished)
        .order_by(Assignment.due_on, User.username)).all()
    return [(u, a) for u, a in rows]


# -- one assignment, person by person --------------------------------------------------------

PEOPLE_PAGE = 100


@dataclass(frozen=True)
class PersonStatus:
    user: User
    status: str  # todo | in_progress | done
    overdue: bool
    attempt: Attempt | None  # the newest finished attempt that counts, else the one in progress
    practice_before: int | None  # for an assessment's attempt: see ``practice_before``
    # Assessments only. Whether the finished attempt passed (None until it is finished), and
    # for someone who has not started it, the practice attempts at its scenario finished so
    # far: who has prepared, before anyone has a ``practice_before``.
    passed: bool | None = None
    practice_so_far: int | None = None

    @property
    def state(self) -> str:
        return "overdue" if self.overdue else self.status


@dataclass
class AssignmentPeople:
    rows: list[PersonStatus]
    total: int
    finished: int
    page: int = 1
    pages: int = 1
    passed: int | None = None  # assessments only: how many of ``finished`` passed


def practice_so_far(session: Session, user_ids: list[int], scenario_id: str) -> dict[int, int]:
    """For each of ``user_ids``: the practice attempts at ``scenario_id`` they have finished
    (0 for none), counted as ``practice_before`` counts them, only without an end."""
    if not user_ids:
        return {}
    counts = dict(session.execute(
        select(Attempt.user_id, func.count())
        .where(Attempt.user_id.in_(user_ids), Attempt.scenario_id == scenario_id, Attempt.mode == "practice",
               Attempt.status == "finished")
        .group_by(Attempt.user_id)).all())
    return {user_id: counts.get(user_id, 0) for user_id in user_ids}


def assignment_people(session: Session, assignment: Assignment, today: date, page: int = 1,
                      per_page: int = PEOPLE_PAGE) -> AssignmentPeople:
    """Who has done an assignment and who has not, one page at a time, those not done first."""
    assignees = _assignees(assignment)
    done = (select(Attempt.user_id.label("user_id"), func.max(Attempt.id).label("attempt_id"))
            .where(Attempt.user_id.in_(assignees), Attempt.status == "finished", _answers_one(assignment.id))
            .group_by(Attempt.user_id).subquery())
    # Not done first, then by name in Ukrainian alphabet order, which the database cannot sort:
    # every assignee's name is read and sorted here, then one page of people loaded.
    names = session.execute(
        select(User.id, User.display_name, User.username, done.c.attempt_id)
        .outerjoin(done, done.c.user_id == User.id).where(User.id.in_(assignees))).all()
    total, finished = len(names), sum(1 for row in names if row.attempt_id is not None)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    shown = sorted(names, key=lambda row: (row.attempt_id is not None, person_key(row.display_name, row.username),
                                           row.id))[(page - 1) * per_page:page * per_page]
    ids = [row.id for row in shown]
    rows = list(zip(users_in_order(session, ids), (row.attempt_id for row in shown)))
    active = dict(session.execute(
        select(Attempt.user_id, func.max(Attempt.id))
        .where(Attempt.assignment_id == assignment.id, Attempt.status == "active", Attempt.user_id.in_(ids))
        .group_by(Attempt.user_id)).all()) if ids else {}
    wanted = [i for _user, i in rows if i] + list(active.values())
    attempts = {a.id: a for a in session.scalars(select(Attempt).where(Attempt.id.in_(wanted)))} if wanted else {}
    assessed = assignment.mode == "assessment"
    counts = practice_before(session, wanted) if assessed else {}
    overall = overall_of(session, [i for _user, i in rows if i]) if assessed else {}
    untouched = [user.id for user, done_id in rows if not done_id and user.id not in active]
    so_far = practice_so_far(session, untouched, assignment.scenario_id) if assessed else {}
    late = _past_due(assignment, today)
    out = []
    for user, done_id in rows:
        attempt_id = done_id or active.get(user.id)
        status = "done" if done_id else "in_progress" if attempt_id else "todo"
        attempt = attempts.get(attempt_id)
        out.append(PersonStatus(user, status, late and status != "done", attempt, counts.get(attempt_id),
                                assessment_passed(assignment.mode, status, attempt.outcome if attempt else None,
                                                  overall.get(attempt_id), assignment.pass_mark),
                                so_far.get(user.id)))
    passed_total = _passed_counts(session, [assignment.id], assignees).get(assignment.id, 0) if assessed else None
    return AssignmentPeople(out, total, finished, page, pages, passed_total)


__all__ = ["AssignmentError", "AssignmentPeople", "AssignmentStatus", "Completion", "OpenWork", "PersonStatus",
           "Verdict", "assessment_passed", "assessment_verdict", "assignment_for_user", "assignment_people",
           "assignments_of", "assignments_seen_by", "can_manage", "cancel_assignment", "cohort_completion",
           "create_assignment", "extend_time", "home_cohort", "is_started", "managed_assignment", "overdue_people",
           "practice_before", "practice_so_far", "start", "switch_off_time", "update_assignment"]
