"""The attempt service: exactly-once steps even when two submissions race."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

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
        fresh = attempts.start_or_resume(db.session, user, compiled, restart=True)
        db.session.commit()
        assert fresh.id != first.id and db.session.get(Attempt, first.id).status == "abandoned"
