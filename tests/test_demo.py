"""The demo history: attempts played in the centre's working hours, the same whenever made."""
from __future__ import annotations

from datetime import time

from sqlalchemy import select

from trainer import clock, demo
from trainer.extensions import db
from trainer.models import Attempt, SelfRating, Step


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _local_history(zone: str) -> list[list]:
    """Each demo attempt as the centre's wall clock reads it: its start, its decisions, its
    end and the trainee's self-ratings."""
    history = []
    for attempt in db.session.scalars(select(Attempt).order_by(Attempt.id)):
        steps = db.session.scalars(select(Step.created_at).where(Step.attempt_id == attempt.id).order_by(Step.index))
        rated = db.session.scalars(select(SelfRating.created_at).where(SelfRating.attempt_id == attempt.id))
        moments = [attempt.started_at, *steps, attempt.finished_at, *rated]
        history.append([clock.local_time(m, zone) for m in moments if m is not None])
    return history


def test_demo_attempts_are_played_on_weekdays_between_nine_and_six(app, registry):
    """Two zones twelve hours apart: a history placed by the time `trainer demo` ran
    (a night in one of them) cannot pass in both."""
    zones = ("Etc/GMT-2", "Etc/GMT+10")
    histories = []
    with app.app_context():
        for zone in zones:
            _empty_tables()  # a fresh demo each time
            assert demo.seed(db.session, registry, zone)
            db.session.commit()
            histories.append(_local_history(zone))
    for history in histories:
        assert len(history) >= 5
        for moments in history:
            assert all(m.weekday() < 5 and time(9) <= m.time() <= time(18) for m in moments), moments
    # Only the seeded random numbers decide the hours: both runs read the same on their clocks.
    assert [[m.time() for m in moments] for moments in histories[0]] == \
           [[m.time() for m in moments] for moments in histories[1]]
