"""The attempt service: exactly-once steps even when two submissions race, and one active
attempt even when two starts race."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import run_at_once
from trainer import attempts
from trainer.extensions import db
from trainer.models import Attempt, Step, User


def test_concurrent_submissions_of_one_step_record_it_once(app, users, make_app):
    registry = app.extensions["trainer_registry"]
    compiled = registry.latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        attempt_id = attempts.start_or_resume(db.session, user, compiled).id
        db.session.commit()
    apps = [make_app(), make_app()]  # two app servers on one database
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(server, choice):
        with server.app_context():
            try:
                attempt = db.session.get(Attempt, attempt_id)
                barrier.wait()
                result = attempts.answer(db.session, attempt, compiled, 0, choice)
                db.session.commit()
                results.append(result.recorded)
            except Exception as exc:  # noqa: BLE001 - a lock timeout counts as "not recorded"
                db.session.rollback()
                errors.append(exc)
                results.append(False)

    threads = [threading.Thread(target=submit, args=(server, choice))
               for server, choice in zip(apps, ["greet_and_acknowledge", "wait_your_turn"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True], errors
    with app.app_context():
        assert db.session.scalar(select(func.count(Step.id))) == 1
        attempt = db.session.get(Attempt, attempt_id)
        step = db.session.scalar(select(Step))
        assert attempt.step_count == 1
        assert attempt.state["node"] == compiled.step(compiled.start(), step.choice_id).state.node


def test_stale_and_finished_answers_change_nothing(app, users):
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        attempt = attempts.start_or_resume(db.session, user, compiled)
        assert attempts.answer(db.session, attempt, compiled, 0, "ignore").recorded
        db.session.commit()
        assert attempt.status == "finished" and attempt.outcome == "failed"
        again = attempts.answer(db.session, attempt, compiled, 1, "greet_and_acknowledge")
        assert (again.recorded, again.reason) == (False, "finished")
        assert db.session.scalar(select(func.count(Step.id))) == 1


def test_start_or_resume_returns_the_unfinished_attempt(app, users):
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        first = attempts.start_or_resume(db.session, user, compiled)
        db.session.commit()
        assert attempts.start_or_resume(db.session, user, compiled).id == first.id
        assert attempts.answer(db.session, first, compiled, 0, "greet_and_acknowledge").recorded
        db.session.commit()
        fresh = attempts.start_or_resume(db.session, user, compiled, restart=True)
        db.session.commit()
        assert fresh.id != first.id and db.session.get(Attempt, first.id).status == "abandoned"


def test_starting_again_before_any_answer_goes_on_with_the_same_attempt(app, users):
    """A second "start again" (Back and the button again, a slow network) must not leave
    empty set-aside attempts in the history."""
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        first = attempts.start_or_resume(db.session, user, compiled)
        db.session.commit()
        for _ in range(3):
            assert attempts.start_or_resume(db.session, user, compiled, restart=True).id == first.id
            db.session.commit()
        assert db.session.scalar(select(func.count(Attempt.id))) == 1
        assert db.session.get(Attempt, first.id).status == "active"


# -- one active attempt: two starts at the same moment ---------------------------------------

def racing_lookups(monkeypatch, parties: int) -> None:
    """Make each of ``parties`` threads look for an unfinished attempt before any of them
    starts one: the race of two clicks on "start", every time rather than now and then."""
    barrier = threading.Barrier(parties, timeout=20)
    waited = threading.local()
    real = attempts.active_attempt

    def look_then_wait(*args, **kwargs):
        found = real(*args, **kwargs)
        if not getattr(waited, "done", False):  # the first look only: the loser looks again
            waited.done = True
            barrier.wait()
        return found

    monkeypatch.setattr(attempts, "active_attempt", look_then_wait)


def _active(user_id: int) -> list[int]:
    return list(db.session.scalars(select(Attempt.id).where(
        Attempt.user_id == user_id, Attempt.status == "active").order_by(Attempt.id)))


def test_two_starts_at_once_land_on_one_attempt(app, users, make_app, monkeypatch):
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        attempts.version_id(db.session, compiled.loaded)  # stored once beforehand: only the attempts race
        db.session.commit()
    racing_lookups(monkeypatch, 2)

    def start(session):
        return attempts.start_or_resume(session, session.get(User, users["trainee"]), compiled).id

    ids, errors = run_at_once(make_app, start)
    assert errors == [] and len(ids) == 2
    assert ids[0] == ids[1]  # the second click resumes the attempt the first one started
    with app.app_context():
        assert _active(users["trainee"]) == [ids[0]]
        assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_two_restarts_at_once_set_aside_the_old_attempt_and_start_one(app, users, make_app, monkeypatch):
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        played = attempts.start_or_resume(db.session, db.session.get(User, users["trainee"]), compiled)
        assert attempts.answer(db.session, played, compiled, 0, "greet_and_acknowledge").recorded
        old = played.id
        db.session.commit()
    racing_lookups(monkeypatch, 2)

    def restart(session):
        return attempts.start_or_resume(session, session.get(User, users["trainee"]), compiled, restart=True).id

    ids, errors = run_at_once(make_app, restart)
    assert errors == [] and len(ids) == 2 and ids[0] == ids[1] != old
    with app.app_context():
        assert _active(users["trainee"]) == [ids[0]]
        statuses = dict(db.session.execute(select(Attempt.id, Attempt.status)).all())
        assert statuses == {old: "abandoned", ids[0]: "active"}


def test_the_database_allows_one_active_attempt_per_scenario(app, users):
    """The rule holds whoever writes: a second active row is refused, for self-study and
    per assignment, while set-aside and finished attempts may be many."""
    from trainer.models import Assignment

    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        first = attempts.start_or_resume(db.session, user, compiled)
        db.session.commit()
        assignment = Assignment(scenario_id="example-queue", user_id=user.id, mode="practice",
                                created_by=users["supervisor"])
        db.session.add(assignment)
        db.session.commit()
        assigned = attempts.start_or_resume(db.session, user, compiled, assignment=assignment)
        db.session.commit()
        for assignment_id in (None, assignment.id):
            copy = Attempt(user_id=user.id, scenario_version_id=first.scenario_version_id, scenario_id="example-queue",
                           status="active", state=first.state, assignment_id=assignment_id)
            db.session.add(copy)
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()
        for status in ("abandoned", "finished", "abandoned"):
            db.session.add(Attempt(user_id=user.id, scenario_version_id=first.scenario_version_id,
                                   scenario_id="example-queue", status=status, state=first.state))
        db.session.commit()
        assert _active(user.id) == [first.id, assigned.id]


def test_a_refused_start_without_a_winner_is_not_hidden(app, users, monkeypatch):
    """Only a lost race is answered with the winner's attempt: when the index refuses the
    insert and no active attempt is there to resume, the error propagates."""
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        attempts.start_or_resume(db.session, user, compiled)
        db.session.commit()
        monkeypatch.setattr(attempts, "active_attempt", lambda *args, **kwargs: None)
        with pytest.raises(IntegrityError):
            attempts.start_or_resume(db.session, user, compiled)
        db.session.rollback()


def test_practice_waits_while_an_assessment_of_the_scenario_is_open(app, users):
    """Practice shows each answer's feedback, so it cannot start while the same person's
    assessment of that scenario is unfinished; it can again once the assessment is over."""
    from trainer.models import Assignment
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        practice = attempts.start_or_resume(db.session, user, compiled)  # practising before is allowed
        assessment_of = Assignment(scenario_id="example-queue", user_id=user.id, mode="assessment",
                                   created_by=users["supervisor"])
        practice_of = Assignment(scenario_id="example-queue", user_id=user.id, mode="practice",
                                 created_by=users["supervisor"])
        db.session.add_all([assessment_of, practice_of])
        db.session.flush()
        assert attempts.open_assessment(db.session, user.id, "example-queue") is None
        assessment = attempts.start_or_resume(db.session, user, compiled, assignment=assessment_of)
        assert attempts.open_assessment(db.session, user.id, "example-queue") is assessment
        assert attempts.open_assessment(db.session, users["other"], "example-queue") is None
        for kwargs in ({}, {"restart": True}, {"assignment": practice_of}):
            with pytest.raises(attempts.AssessmentOpen) as refused:
                attempts.start_or_resume(db.session, user, compiled, **kwargs)
            assert refused.value.assessment is assessment
        assert practice.status == "active"  # waiting, not set aside
        # The assessment itself resumes as ever.
        assert attempts.start_or_resume(db.session, user, compiled, assignment=assessment_of) is assessment
        assessment.status = "finished"
        db.session.flush()
        assert attempts.start_or_resume(db.session, user, compiled) is practice
        db.session.rollback()
