"""Assignments: who may assign what, where each stands, assessment rules and timing."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.team.conftest import SCENARIO, play

LONG = "hearing-impairment"  # more than three decisions, no free-text node


@pytest.fixture
def ctx(app, world):
    from trainer.extensions import db
    with app.app_context():
        yield world, db.session


def _user(session, user_id):
    from trainer.models import User
    return session.get(User, user_id)


def test_supervisor_assigns_to_own_cohort_only(ctx):
    from trainer.team.assignments import AssignmentError, create_assignment
    world, session = ctx
    sup = _user(session, world.sup_a)
    made = create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
    assert made.id
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_b)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", user_id=world.trainee_b)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice")


def test_time_limit_only_for_assessments_and_within_bounds(ctx):
    from trainer.team.assignments import AssignmentError, create_assignment
    world, session = ctx
    sup = _user(session, world.sup_a)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a, time_limit=60)
    with pytest.raises(AssignmentError):
        create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a, time_limit=5)
    ok = create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a, time_limit=60)
    assert ok.time_limit == 60


def test_assignment_status_moves_from_todo_to_done(app, ctx):
    from trainer.team.assignments import assignments_of, create_assignment
    world, session = ctx
    sup = _user(session, world.sup_a)
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
    sup = _user(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a, time_limit=30)
    session.commit()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    trainee = _user(session, world.trainee_a)
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
    sup = _user(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    trainee = _user(session, world.trainee_a)
    assessment = start(session, trainee, a, compiled)
    practice = attempts.start_or_resume(session, trainee, compiled, restart=True)
    session.commit()
    assert practice.id != assessment.id
    session.refresh(assessment)
    assert assessment.status == "active"


def test_late_answers_and_time_adjustments_are_recorded(app, ctx):
    from trainer import attempts
    from trainer.models import Step
    from trainer.team.assignments import create_assignment, extend_time, start, switch_off_time
    world, session = ctx
    sup = _user(session, world.sup_a)
    a = create_assignment(session, sup, scenario_id=LONG, mode="assessment", cohort_id=world.cohort_a, time_limit=20)
    compiled = app.extensions["trainer_registry"].latest(LONG)
    assert len(compiled.analysis.recommended_path) > 3
    attempt = start(session, _user(session, world.trainee_a), a, compiled)
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
    sup = _user(session, world.sup_a)
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
    a = create_assignment(session, _user(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
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
        start(session, _user(session, world.trainee_a), a, compiled)
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
    a = create_assignment(session, _user(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
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
        assignments.start(session, _user(session, world.trainee_a), a, compiled)
    session.rollback()
    assert session.scalar(select(func.count(Attempt.id)).where(Attempt.assignment_id == a.id)) == 1


def test_more_time_clicks_at_once_all_count(app, ctx, make_app):
    """Each click adds its own extension in the database: several at once lost all but one."""
    import threading

    from trainer.extensions import db
    from trainer.models import Attempt
    from trainer.team.assignments import create_assignment, extend_time, start
    world, session = ctx
    a = create_assignment(session, _user(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                          cohort_id=world.cohort_a, time_limit=90)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    attempt_id = start(session, _user(session, world.trainee_a), a, compiled).id
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
    sup, trainee = _user(session, world.sup_a), _user(session, world.trainee_a)
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
