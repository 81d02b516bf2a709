"""Assignments: who may assign what, where each stands, assessment rules and timing."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.team.conftest import SCENARIO, account, play

LONG = "hearing-impairment"  # more than three decisions, no free-text node


def test_supervisor_assigns_to_own_cohort_only(ctx):
    from trainer.team.assignments import AssignmentError, create_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    made = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    assert made.id
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_b)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", user_id=world.trainee_b)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice")


def test_the_same_assignment_sent_twice_is_refused_but_a_repeat_with_a_new_date_is_not(app, ctx):
    """Back and submit again must not give the trainees the same task twice."""
    from trainer.models import Assignment
    from trainer.team.assignments import AssignmentError, cancel_assignment, create_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    due = date(2030, 5, 1)
    first = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a, due_on=due)
    with pytest.raises(AssignmentError) as refused:
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a, due_on=due)
    with app.test_request_context():
        assert f"(завдання № {first.id})" in str(refused.value)
    undated = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    with pytest.raises(AssignmentError):  # no due date twice is the same task too
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    # Another date, mode or person is another task; a cancelled one no longer counts.
    create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a, due_on=due + timedelta(days=30))
    create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a, due_on=due)
    create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", user_id=world.trainee_a, due_on=due)
    cancel_assignment(session, sup, undated)
    create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    assert session.scalar(select(func.count(Assignment.id))) == 6


def test_time_limit_only_for_assessments_and_within_bounds(ctx):
    from trainer.team.assignments import AssignmentError, create_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a, time_limit=60)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a, time_limit=5)
    ok = create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a, time_limit=60)
    assert ok.time_limit == 60


def test_assignment_status_moves_from_todo_to_done(app, ctx):
    from trainer.team.assignments import assignments_of, create_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a,
                          due_on=date.today() - timedelta(days=1))
    session.commit()
    [row] = assignments_of(session, world.trainee_a, date.today())
    assert (row.status, row.overdue) == ("todo", True)
    assert assignments_of(session, world.trainee_b, date.today()) == []  # other cohort
    play(app, world.trainee_a, assignment_id=a.id)
    [row] = assignments_of(session, world.trainee_a, date.today())
    assert (row.status, row.overdue) == ("done", False)


def test_assessment_allows_one_attempt_and_resumes_it(app, ctx):
    from trainer.team.assignments import AssignmentError, create_assignment, start
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a, time_limit=30)
    session.commit()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    trainee = account(session, world.trainee_a)
    first = start(session, trainee, a, compiled)
    again = start(session, trainee, a, compiled, restart=True)
    assert first.id == again.id and first.mode == "assessment" and first.time_limit == 30
    session.commit()
    play_id = play(app, world.trainee_a, assignment_id=a.id)  # plays the resumed attempt to the end
    assert play_id == first.id
    with pytest.raises(AssignmentError):
        start(session, trainee, a, compiled)


def test_self_study_never_sets_aside_an_assessment(app, ctx):
    from trainer import attempts
    from trainer.team.assignments import create_assignment, start
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    trainee = account(session, world.trainee_a)
    practice = attempts.start_or_resume(session, trainee, compiled)
    assessment = start(session, trainee, a, compiled)
    assert practice.id != assessment.id
    # "Start again" in self-study waits for the open assessment (attempts.open_assessment)
    # rather than touching either attempt.
    with pytest.raises(attempts.AssessmentOpen):
        attempts.start_or_resume(session, trainee, compiled, restart=True)
    session.commit()
    session.refresh(assessment)
    session.refresh(practice)
    assert assessment.status == practice.status == "active"


def test_late_answers_and_time_adjustments_are_recorded(app, ctx):
    from trainer import attempts
    from trainer.models import Step
    from trainer.team.assignments import create_assignment, extend_time, start, switch_off_time
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=LONG, mode="assessment", cohort_id=world.cohort_a, time_limit=20)
    compiled = app.extensions["trainer_registry"].latest(LONG)
    assert len(compiled.analysis.recommended_path) > 3
    attempt = start(session, account(session, world.trainee_a), a, compiled)
    session.commit()
    path = compiled.analysis.recommended_path
    # Decision 1: shown 50 s ago, extended twice (60 s allowed) → on time.
    attempt.updated_at -= timedelta(seconds=50)
    extend_time(attempt)
    extend_time(attempt)
    session.commit()
    assert attempts.time_allowed(attempt) == 60
    assert attempts.answer(session, attempt, compiled, 0, path[0][1]).recorded
    session.commit()
    # Decision 2: shown 25 s ago with 20 s allowed → late.
    session.refresh(attempt)
    attempt.updated_at -= timedelta(seconds=25)
    session.commit()
    assert attempts.answer(session, attempt, compiled, 1, path[1][1]).recorded
    session.commit()
    # Switched off: no limit for the rest.
    session.refresh(attempt)
    switch_off_time(attempt)
    attempt.updated_at -= timedelta(seconds=500)
    session.commit()
    assert attempts.time_allowed(attempt) is None
    assert attempts.answer(session, attempt, compiled, 2, path[2][1]).recorded
    session.commit()
    steps = session.scalars(select(Step).where(Step.attempt_id == attempt.id).order_by(Step.index)).all()
    assert [(s.late, s.extensions) for s in steps[:3]] == [(False, 2), (True, 0), (False, 0)]
    assert steps[0].seconds >= 50
    session.refresh(attempt)
    assert (attempt.time_extensions, attempt.time_limit_off_at) == (2, 2)


def test_cohort_completion_counts_finishers_and_overdue(app, ctx):
    from trainer.models import CohortMember, User
    from trainer.team.assignments import cohort_completion, create_assignment, overdue_people
    world, session = ctx
    extra = User(username="extra.a", role="trainee", password_hash="x")
    session.add(extra)
    session.flush()
    session.add(CohortMember(cohort_id=world.cohort_a, user_id=extra.id, role="trainee"))
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a,
                          due_on=date.today() - timedelta(days=2))
    session.commit()
    play(app, world.trainee_a, assignment_id=a.id)
    play(app, world.trainee_b)  # another cohort, no assignment: not counted
    [row] = cohort_completion(session, world.cohort_a, date.today())
    assert (row.assigned, row.finished, row.overdue) == (2, 1, 1)
    late = overdue_people(session, world.cohort_a, date.today())
    assert [(u.username, x.id) for u, x in late] == [("extra.a", a.id)]


# -- races: two starts of one assessment, several "more time" clicks --------------------------

def test_two_starts_of_an_assessment_at_once_make_one_attempt(app, ctx, make_app, monkeypatch):
    from tests.conftest import run_at_once
    from tests.test_attempts import racing_lookups
    from trainer import attempts
    from trainer.models import Assignment, Attempt, User
    from trainer.team.assignments import AssignmentError, create_assignment, start
    world, session = ctx
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                          cohort_id=world.cohort_a)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    attempts.version_id(session, compiled.loaded)
    session.commit()
    assignment_id = a.id  # read here: the threads must not load it through this session
    racing_lookups(monkeypatch, 2)

    def click(other):
        return start(other, other.get(User, world.trainee_a), other.get(Assignment, assignment_id), compiled).id

    ids, errors = run_at_once(make_app, click)
    assert errors == [] and len(ids) == 2 and ids[0] == ids[1]
    monkeypatch.undo()
    play(app, world.trainee_a, assignment_id=a.id)  # plays that one attempt to the end
    with pytest.raises(AssignmentError):
        start(session, account(session, world.trainee_a), a, compiled)
    rows = session.execute(select(Attempt.id, Attempt.status).where(Attempt.assignment_id == a.id)).all()
    assert [tuple(r) for r in rows] == [(ids[0], "finished")]


def test_an_assessment_finished_in_another_tab_meanwhile_is_reported(app, ctx, make_app, monkeypatch):
    """Between the check that the assessment is untaken and the insert, another tab finished
    it: the database refuses the second attempt, and the trainee is told why."""
    from sqlalchemy import update

    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import Assignment, Attempt, User
    from trainer.team import assignments
    from trainer.team.assignments import AssignmentError, create_assignment
    world, session = ctx
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                          cohort_id=world.cohort_a)
    session.commit()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    real = assignments.start_or_resume

    def finished_elsewhere_first(*args, **kwargs):
        with make_app().app_context():
            other = attempts.start_or_resume(db.session, db.session.get(User, world.trainee_a), compiled,
                                             assignment=db.session.get(Assignment, a.id))
            db.session.execute(update(Attempt).where(Attempt.id == other.id).values(status="finished"))
            db.session.commit()
        return real(*args, **kwargs)

    monkeypatch.setattr(assignments, "start_or_resume", finished_elsewhere_first)
    with pytest.raises(AssignmentError):
        assignments.start(session, account(session, world.trainee_a), a, compiled)
    session.rollback()
    assert session.scalar(select(func.count(Attempt.id)).where(Attempt.assignment_id == a.id)) == 1


def test_more_time_clicks_at_once_all_count(app, ctx, make_app):
    """Each click adds its own extension in the database: several at once lost all but one."""
    import threading

    from trainer.extensions import db
    from trainer.models import Attempt
    from trainer.team.assignments import create_assignment, extend_time, start
    world, session = ctx
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                          cohort_id=world.cohort_a, time_limit=90)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    attempt_id = start(session, account(session, world.trainee_a), a, compiled).id
    session.commit()
    clicks = 6
    server = make_app()
    barrier = threading.Barrier(clicks, timeout=20)
    errors = []

    def click():
        with server.app_context():
            try:
                attempt = db.session.get(Attempt, attempt_id)
                assert attempt.time_extensions == 0  # loaded before any click is saved
                barrier.wait()
                extend_time(attempt)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion
                db.session.rollback()
                errors.append(exc)

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    attempt = session.get(Attempt, attempt_id)
    session.refresh(attempt)
    assert (attempt.time_extensions, attempt.decision_extensions) == (clicks, clicks)
    assert attempt.time_limit * (1 + attempt.decision_extensions) == 90 * 7


def test_more_time_changes_nothing_without_a_running_limit(app, ctx):
    from trainer.models import Attempt
    from trainer.team.assignments import create_assignment, extend_time, start, switch_off_time
    world, session = ctx
    sup, trainee = account(session, world.sup_a), account(session, world.trainee_a)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    practice = start(session, trainee, create_assignment(session, sup, scenario_id=SCENARIO, mode="practice",
                                                         cohort_id=world.cohort_a), compiled)
    timed = start(session, trainee, create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment",
                                                      cohort_id=world.cohort_a, time_limit=60), compiled)
    switch_off_time(timed)
    session.commit()
    for attempt in (practice, timed):
        extend_time(attempt)
        session.commit()
        assert (attempt.time_extensions, attempt.decision_extensions) == (0, 0)
    timed.time_limit_off_at = None
    timed.status = "finished"
    session.commit()
    extend_time(timed)
    session.commit()
    assert session.get(Attempt, timed.id).time_extensions == 0


# -- practice from the catalogue counts; assessments only through their own attempt ------------

def _extra_trainee(session, cohort_id, username="extra.a"):
    from trainer.models import CohortMember, User
    extra = User(username=username, role="trainee", password_hash="x")
    session.add(extra)
    session.flush()
    session.add(CohortMember(cohort_id=cohort_id, user_id=extra.id, role="trainee"))
    session.commit()
    return extra.id


def test_practice_from_the_catalogue_counts_toward_a_practice_assignment(app, ctx):
    from trainer.team.assignments import (assignment_people, assignments_of, cohort_completion, create_assignment,
                                          overdue_people)
    world, session = ctx
    yesterday = date.today() - timedelta(days=1)
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="practice",
                          cohort_id=world.cohort_a, due_on=yesterday)
    session.commit()
    practised = play(app, world.trainee_a)  # from the catalogue: no assignment
    [row] = assignments_of(session, world.trainee_a, date.today())
    assert (row.status, row.overdue, row.attempt_id) == ("done", False, practised)
    [completion] = cohort_completion(session, world.cohort_a, date.today())
    assert (completion.assigned, completion.finished, completion.overdue) == (1, 1, 0)
    assert overdue_people(session, world.cohort_a, date.today()) == []
    people = assignment_people(session, session.get(type(a), a.id), date.today())
    assert [(p.user.id, p.status, p.attempt.id) for p in people.rows] == [(world.trainee_a, "done", practised)]


def test_practice_before_the_assignment_or_at_another_scenario_does_not_count(app, ctx):
    from trainer.team.assignments import assignments_of, cohort_completion, create_assignment
    world, session = ctx
    play(app, world.trainee_a)  # before the assignment exists
    play(app, world.trainee_a, scenario=LONG)  # another scenario
    create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="practice",
                      cohort_id=world.cohort_a)
    session.commit()
    [row] = assignments_of(session, world.trainee_a, date.today())
    assert row.status == "todo"
    assert cohort_completion(session, world.cohort_a, date.today())[0].finished == 0


def test_an_assessment_counts_only_through_its_own_attempt(app, ctx):
    from trainer.team.assignments import assignments_of, cohort_completion, create_assignment
    world, session = ctx
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                          cohort_id=world.cohort_a)
    session.commit()
    play(app, world.trainee_a)  # practice from the catalogue: a rehearsal, not the assessment
    [row] = assignments_of(session, world.trainee_a, date.today())
    assert row.status == "todo"
    assert cohort_completion(session, world.cohort_a, date.today())[0].finished == 0
    own = play(app, world.trainee_a, assignment_id=a.id)
    [row] = assignments_of(session, world.trainee_a, date.today())
    assert (row.status, row.attempt_id) == ("done", own)
    assert cohort_completion(session, world.cohort_a, date.today())[0].finished == 1


def test_someone_elses_practice_does_not_count_toward_a_personal_assignment(app, ctx):
    from trainer.team.assignments import cohort_completion, create_assignment
    world, session = ctx
    extra = _extra_trainee(session, world.cohort_a)
    create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="practice",
                      user_id=world.trainee_a)
    session.commit()
    play(app, extra)
    [row] = cohort_completion(session, world.cohort_a, date.today())
    assert (row.assigned, row.finished) == (1, 0)
    play(app, world.trainee_a)
    assert cohort_completion(session, world.cohort_a, date.today())[0].finished == 1


def test_a_person_counts_once_whether_they_practised_inside_or_outside_the_assignment(app, ctx):
    from trainer.team.assignments import cohort_completion, create_assignment
    world, session = ctx
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="practice",
                          cohort_id=world.cohort_a)
    session.commit()
    play(app, world.trainee_a, assignment_id=a.id)
    play(app, world.trainee_a)
    assert cohort_completion(session, world.cohort_a, date.today())[0].finished == 1


# -- rehearsal before an assessment ---------------------------------------------------------

def test_practice_before_counts_finished_practice_before_the_assessment_started(app, ctx):
    from trainer import attempts
    from trainer.team.assignments import assignments_seen_by, create_assignment, practice_before
    world, session = ctx
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    play(app, world.trainee_a)
    play(app, world.trainee_a)
    attempts.start_or_resume(session, account(session, world.trainee_a), compiled, restart=True)  # unfinished
    session.commit()
    play(app, world.trainee_b)  # someone else's practice
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                          cohort_id=world.cohort_a)
    session.commit()
    assessment = play(app, world.trainee_a, assignment_id=a.id)
    play(app, world.trainee_a)  # after the assessment: not a rehearsal
    practice = play(app, world.trainee_a)
    assert practice_before(session, [assessment, practice]) == {assessment: 2}
    [row] = assignments_seen_by(session, account(session, world.sup_a), world.trainee_a, date.today())
    assert (row.attempt_id, row.practice_before) == (assessment, 2)


# -- changing and cancelling -----------------------------------------------------------------

def test_a_supervisor_changes_due_date_note_and_time_limit(app, ctx):
    from trainer.team.assignments import create_assignment, update_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a,
                          time_limit=60)
    session.commit()
    due = date.today() + timedelta(days=3)
    update_assignment(session, sup, a, mode="assessment", due_on=due, time_limit=120, note="  Before Friday  ")
    session.commit()
    session.refresh(a)
    assert (a.due_on, a.time_limit, a.note, a.mode) == (due, 120, "Before Friday", "assessment")
    update_assignment(session, sup, a, mode="practice", due_on=None, time_limit=None, note="")
    session.commit()
    session.refresh(a)
    assert (a.mode, a.due_on, a.time_limit) == ("practice", None, None)


def test_changes_are_refused_when_they_break_a_rule(app, ctx):
    from trainer.team.assignments import AssignmentError, create_assignment, update_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    session.commit()
    with pytest.raises(AssignmentError):  # a time limit on practice
        update_assignment(session, sup, a, mode="practice", due_on=None, time_limit=60, note="")
    with pytest.raises(AssignmentError):  # another cohort's supervisor
        update_assignment(session, account(session, world.sup_b), a, mode="practice", due_on=None, time_limit=None,
                          note="mine now")
    session.rollback()
    session.refresh(a)
    assert (a.time_limit, a.note) == (None, "")


@pytest.mark.parametrize("how", ["own attempt", "practice from the catalogue"])
def test_the_mode_stays_once_someone_has_started(app, ctx, how):
    from trainer.team.assignments import AssignmentError, create_assignment, is_started, update_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    session.commit()
    assert not is_started(session, a)
    play(app, world.trainee_a, assignment_id=a.id if how == "own attempt" else None)
    assert is_started(session, a)
    with pytest.raises(AssignmentError):
        update_assignment(session, sup, a, mode="assessment", due_on=None, time_limit=None, note="")
    session.rollback()
    session.refresh(a)
    assert a.mode == "practice"
    update_assignment(session, sup, a, mode="practice", due_on=None, time_limit=None, note="still fine")
    session.commit()
    assert session.get(type(a), a.id).note == "still fine"


def test_a_mode_change_racing_a_start_keeps_the_mode(app, ctx, monkeypatch):
    """Nobody had started when the check ran, but a start got in before the UPDATE."""
    from trainer.team import assignments
    world, session = ctx
    sup = account(session, world.sup_a)
    a = assignments.create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    session.commit()
    play(app, world.trainee_a, assignment_id=a.id)
    monkeypatch.setattr(assignments, "is_started", lambda *_args: False)
    with pytest.raises(assignments.AssignmentError):
        assignments.update_assignment(session, sup, a, mode="assessment", due_on=None, time_limit=None, note="")
    session.rollback()
    assert session.get(type(a), a.id).mode == "practice"


def test_a_cancelled_assignment_leaves_the_trainees_list_and_keeps_its_attempts(app, ctx):
    from trainer.models import Attempt
    from trainer.team.assignments import (AssignmentError, assignments_of, assignments_seen_by, cancel_assignment,
                                          cohort_completion, create_assignment, overdue_people, start,
                                          update_assignment)
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a,
                          due_on=date.today() - timedelta(days=1))
    session.commit()
    made = play(app, world.trainee_a, assignment_id=a.id)
    _extra_trainee(session, world.cohort_a)
    assert cancel_assignment(session, sup, a) is True
    session.commit()
    when = a.cancelled_at
    assert when is not None
    assert cancel_assignment(session, sup, a) is False  # a second press keeps the first time
    session.commit()
    assert a.cancelled_at == when
    assert assignments_of(session, world.trainee_a, date.today()) == []
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    with pytest.raises(AssignmentError):
        start(session, account(session, world.trainee_a), a, compiled)
    with pytest.raises(AssignmentError):
        update_assignment(session, sup, a, mode="practice", due_on=None, time_limit=None, note="")
    [row] = cohort_completion(session, world.cohort_a, date.today())
    assert (row.assignment.cancelled_at, row.finished, row.overdue) == (when, 1, 0)
    assert overdue_people(session, world.cohort_a, date.today()) == []
    assert session.get(Attempt, made).assignment_id == a.id
    [seen] = assignments_seen_by(session, sup, world.trainee_a, date.today())
    assert (seen.state, seen.status, seen.attempt_id) == ("cancelled", "done", made)


def test_an_attempt_begun_before_the_cancellation_can_be_finished(app, ctx):
    from trainer.models import Attempt
    from trainer.team.assignments import AssignmentError, cancel_assignment, create_assignment, start
    world, session = ctx
    sup = account(session, world.sup_a)
    trainee = account(session, world.trainee_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    session.commit()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    begun = start(session, trainee, a, compiled)
    session.commit()
    assert cancel_assignment(session, sup, a) is True
    session.commit()
    # Resuming lands on the attempt already under way; starting over is refused.
    assert start(session, trainee, a, compiled).id == begun.id
    with pytest.raises(AssignmentError):
        start(session, trainee, a, compiled, restart=True)
    assert session.get(Attempt, begun.id).status == "active"


def test_practice_after_a_cancellation_does_not_count(app, ctx):
    from trainer.team.assignments import assignment_people, cancel_assignment, create_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    cancel_assignment(session, sup, a)
    session.commit()
    play(app, world.trainee_a)
    assert assignment_people(session, a, date.today()).finished == 0


def test_only_supervisors_of_its_cohort_or_person_manage_an_assignment(app, ctx):
    from trainer.team.assignments import (AssignmentError, cancel_assignment, create_assignment, home_cohort,
                                          managed_assignment)
    world, session = ctx
    sup_a, sup_b, admin = (account(session, i) for i in (world.sup_a, world.sup_b, world.admin))
    cohort_wide = create_assignment(session, sup_a, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    personal = create_assignment(session, sup_a, scenario_id=SCENARIO, mode="practice", user_id=world.trainee_a)
    session.commit()
    for a in (cohort_wide, personal):
        assert managed_assignment(session, sup_a, a.id) is a
        assert managed_assignment(session, admin, a.id) is a
        assert managed_assignment(session, sup_b, a.id) is None
        assert managed_assignment(session, account(session, world.trainee_a), a.id) is None
        assert home_cohort(session, sup_a, a).id == world.cohort_a
        assert home_cohort(session, sup_a, a, wanted=world.cohort_b).id == world.cohort_a  # not theirs
    assert managed_assignment(session, sup_a, 999_999) is None
    with pytest.raises(AssignmentError):
        cancel_assignment(session, sup_b, cohort_wide)
    assert cohort_wide.cancelled_at is None


def test_a_supervisor_sees_a_trainees_assignments_only_from_their_own_cohorts(app, ctx):
    from trainer.models import CohortMember
    from trainer.team.assignments import assignments_seen_by, create_assignment
    world, session = ctx
    session.add(CohortMember(cohort_id=world.cohort_b, user_id=world.trainee_a, role="trainee"))
    mine = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="practice",
                             cohort_id=world.cohort_a, due_on=date.today() - timedelta(days=1))
    personal = create_assignment(session, account(session, world.sup_b), scenario_id=LONG, mode="assessment",
                                 user_id=world.trainee_a)
    theirs = create_assignment(session, account(session, world.sup_b), scenario_id=SCENARIO, mode="practice",
                               cohort_id=world.cohort_b)
    session.commit()
    seen = assignments_seen_by(session, account(session, world.sup_a), world.trainee_a, date.today())
    assert {(r.assignment.id, r.state) for r in seen} == {(mine.id, "overdue"), (personal.id, "todo")}
    seen_by_b = assignments_seen_by(session, account(session, world.sup_b), world.trainee_a, date.today())
    assert {r.assignment.id for r in seen_by_b} == {personal.id, theirs.id}


def test_assignment_people_lists_those_not_done_first_a_page_at_a_time(app, ctx):
    from trainer.team.assignments import assignment_people, create_assignment, start
    world, session = ctx
    extras = [_extra_trainee(session, world.cohort_a, f"extra.{n}") for n in range(3)]
    a = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="practice",
                          cohort_id=world.cohort_a, due_on=date.today() - timedelta(days=1))
    session.commit()
    play(app, world.trainee_a, assignment_id=a.id)
    play(app, extras[0])
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    active = start(session, account(session, extras[1]), a, compiled).id
    session.commit()
    everyone = assignment_people(session, a, date.today())
    assert (everyone.total, everyone.finished, everyone.pages) == (4, 2, 1)
    states = [(p.user.username, p.state) for p in everyone.rows]
    assert states[:2] == [("extra.1", "overdue"), ("extra.2", "overdue")]
    assert sorted(states[2:]) == [("extra.0", "done"), ("test.trainee", "done")]
    assert everyone.rows[0].attempt.id == active and everyone.rows[1].attempt is None
    second = assignment_people(session, a, date.today(), page=2, per_page=3)
    assert (second.page, second.pages, len(second.rows)) == (2, 2, 1)
    assert second.rows[0].status == "done"
