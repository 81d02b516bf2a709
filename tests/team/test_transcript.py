"""Supervisors' comments on a transcript: stored once, on a decision the attempt has."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.team.conftest import play

NOW = datetime(2026, 3, 12, 15, 42)


def _comments(app) -> int:
    from trainer.extensions import db
    from trainer.models import StepComment
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StepComment))


def test_the_same_comment_within_a_minute_is_stored_once(app, world):
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        attempt, author = db.session.get(Attempt, attempt_id), db.session.get(User, world.sup_a)
        assert add_comment(db.session, attempt, 0, author, "Добре", NOW) is not None
        assert add_comment(db.session, attempt, 0, author, " Добре ", NOW + timedelta(seconds=59)) is None
        assert add_comment(db.session, attempt, 0, author, "Добре", NOW + timedelta(seconds=61)) is not None
        assert add_comment(db.session, attempt, 1, author, "Добре", NOW) is not None  # another decision
        db.session.commit()
    assert _comments(app) == 3


def test_a_comment_needs_a_decision_of_the_attempt_and_some_text(app, world):
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import CommentError, add_comment
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        attempt, author = db.session.get(Attempt, attempt_id), db.session.get(User, world.sup_a)
        with pytest.raises(CommentError):
            add_comment(db.session, attempt, 999, author, "Добре", NOW)
        with pytest.raises(CommentError):
            add_comment(db.session, attempt, 0, author, "   ", NOW)


def test_simultaneous_identical_comments_are_stored_once(app, world, make_app):
    from trainer.models import Attempt, User, utcnow
    from tests.conftest import run_at_once
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a)
    barrier = threading.Barrier(2)

    def send(session):
        attempt, author = session.get(Attempt, attempt_id), session.get(User, world.sup_a)
        barrier.wait()
        return add_comment(session, attempt, 0, author, "Добре", utcnow()) is not None

    stored, errors = run_at_once(make_app, send)  # two app servers on one database
    assert not errors and sorted(stored) == [False, True], errors
    assert _comments(app) == 1
