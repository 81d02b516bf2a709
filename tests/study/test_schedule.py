"""Spaced repetition: results become FSRS ratings, good results come back later."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fsrs import Card, Rating
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import ReviewCard, User
from trainer.study.schedule import rating_for, record_review

T0 = datetime(2025, 3, 3, 9, 30)


@pytest.mark.parametrize("outcome, percent, rating", [
    ("failed", 95, Rating.Again),
    ("poor", 60, Rating.Again),
    ("mixed", 90, Rating.Hard),
    ("good", 79.9, Rating.Good),
    ("good", None, Rating.Good),
    ("good", 80, Rating.Easy),
    ("good", 100, Rating.Easy),
    (None, 50, Rating.Hard),
])
def test_result_to_rating(outcome, percent, rating):
    assert rating_for(outcome, percent) == rating


def _due(app, user_id, scenario_id):
    with app.app_context():
        return db.session.get(ReviewCard, (user_id, scenario_id)).due_at


def test_good_result_comes_back_later_than_a_poor_one(app, users):
    with app.app_context():
        good = record_review(db.session, users["trainee"], "busy-queue", "good", 95, T0)
        poor = record_review(db.session, users["trainee"], "crying-client", "poor", 30, T0)
        mixed = record_review(db.session, users["trainee"], "no-contact", "mixed", 60, T0)
        db.session.commit()
        assert poor.due_at <= mixed.due_at < good.due_at
        assert poor.due_at - T0 >= timedelta(days=1)  # whole days, never minutes
        assert good.due_at - T0 >= timedelta(days=5)


def test_repeated_good_reviews_space_out(app, users):
    with app.app_context():
        when = T0
        intervals = []
        for _ in range(4):
            row = record_review(db.session, users["trainee"], "busy-queue", "good", 70, when)
            intervals.append(row.due_at - when)
            when = row.due_at  # played again exactly when it came back
        db.session.commit()
    assert intervals == sorted(intervals) and len(set(intervals)) == 4, intervals
    assert intervals[-1] > timedelta(days=30)


def test_no_refresher_is_scheduled_more_than_half_a_year_ahead(app, users):
    with app.app_context():
        when, intervals = T0, []
        for _ in range(5):
            row = record_review(db.session, users["trainee"], "busy-queue", "good", 100, when)
            intervals.append(row.due_at - when)
            when = row.due_at
        db.session.commit()
    assert max(intervals) == intervals[-1] == timedelta(days=180)


def test_a_poor_result_after_good_ones_brings_it_back_sooner(app, users):
    with app.app_context():
        first = record_review(db.session, users["trainee"], "busy-queue", "good", 90, T0)
        played = first.due_at
        second_good = record_review(db.session, users["other"], "busy-queue", "good", 90, T0)
        record_review(db.session, users["other"], "busy-queue", "good", 90, played)
        again = record_review(db.session, users["trainee"], "busy-queue", "failed", 20, played)
        db.session.commit()
        assert again.due_at - played < second_good.due_at - T0


def test_schedule_is_deterministic(app, users):
    """Same results at the same times give the same card, whoever and whenever runs it."""
    history = [("good", 85, T0), ("mixed", 55, T0 + timedelta(days=9)), ("good", 70, T0 + timedelta(days=11))]
    with app.app_context():
        for user in ("trainee", "other"):
            for outcome, percent, when in history:
                record_review(db.session, users[user], "busy-queue", outcome, percent, when)
        db.session.commit()
        cards = db.session.scalars(select(ReviewCard).order_by(ReviewCard.user_id)).all()
        assert len(cards) == 2
        assert cards[0].card == cards[1].card and cards[0].due_at == cards[1].due_at
        assert cards[0].updated_at == T0 + timedelta(days=11)


def test_card_is_stored_as_fsrs_json_and_due_at_matches_it(app, users):
    with app.app_context():
        record_review(db.session, users["trainee"], "busy-queue", "good", 90, T0)
        db.session.commit()
        db.session.expire_all()
        row = db.session.get(ReviewCard, (users["trainee"], "busy-queue"))
        card = Card.from_dict(row.card)
        assert row.due_at.tzinfo is None  # naive UTC, like every other timestamp in the database
        assert card.due.replace(tzinfo=None) == row.due_at
        assert card.last_review.replace(tzinfo=None) == T0


def test_finishing_an_attempt_schedules_its_refresher(app, users, registry):
    """The finish hook reviews the card inside the final step's transaction."""
    from trainer import attempts

    compiled = registry.latest("example-queue")
    with app.app_context():
        user = db.session.get(User, users["trainee"])
        attempt = attempts.start_or_resume(db.session, user, compiled)
        attempts.answer(db.session, attempt, compiled, 0, "greet_and_acknowledge")
        assert db.session.get(ReviewCard, (user.id, "example-queue")) is None  # not finished yet
        attempts.answer(db.session, attempt, compiled, 1, "explain_and_check")
        db.session.commit()
        db.session.expire_all()
        card = db.session.get(ReviewCard, (user.id, "example-queue"))
        attempt = db.session.get(type(attempt), attempt.id)
        assert attempt.outcome == "good"
        assert card is not None and card.updated_at == attempt.finished_at
        # 100% and a good outcome is an Easy review: the longest first interval.
        assert card.due_at - attempt.finished_at >= timedelta(days=5)
