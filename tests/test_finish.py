"""Finishing an attempt: score rows only for the competencies the conversation put to the test."""
from __future__ import annotations

from sqlalchemy import select

from trainer import attempts
from trainer.extensions import db
from trainer.models import AttemptScore, User
from trainer.scenario.engine import CompiledScenario


def _without_clarity_at_the_greeting(example_data):
    for choice in example_data["nodes"]["greeting"]["choices"]:
        (choice.get("scores") or {}).pop("clarity", None)
    return example_data


def _rows(app, attempt_id):
    with app.app_context():
        return {s.competency: s.percent for s in db.session.scalars(
            select(AttemptScore).where(AttemptScore.attempt_id == attempt_id))}


def _walk_out(app, users, compiled) -> int:
    """The trainee's attempt at the example, ended at once by ignoring the client (the
    attempt started on the registered version, the answer played on ``compiled``)."""
    registered = app.extensions["trainer_registry"].latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        attempt = attempts.start_or_resume(db.session, user, registered)
        assert attempts.answer(db.session, attempt, compiled, 0, "ignore").recorded
        db.session.commit()
        return attempt.id


def test_a_competency_no_visited_decision_could_change_gets_no_row(app, users, example_data, load):
    # The same scenario with clarity left out of the greeting: walking out there ends the
    # conversation before clarity ever came up.
    compiled = CompiledScenario(load(_without_clarity_at_the_greeting(example_data)))
    assert _rows(app, _walk_out(app, users, compiled)) == {"empathy": 0.0}


def test_every_competency_a_visited_decision_could_change_gets_a_row(app, users):
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    # The greeting could change both, so both are scored, clarity at 0 %.
    assert _rows(app, _walk_out(app, users, compiled)) == {"empathy": 0.0, "clarity": 0.0}
