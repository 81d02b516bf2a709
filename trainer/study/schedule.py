"""Spaced repetition of scenarios with the FSRS scheduler (the ``fsrs`` package).

Each person has one card per scenario they finished. Finishing an attempt is a review of
that card: a scenario played well comes back later, one played poorly comes back sooner.
Every finished attempt counts, in practice and in assessment alike, assigned or not:
each is evidence of how well the person handles that situation now.

The result of an attempt becomes an FSRS rating like this (``rating_for``):

| outcome                            | rating |
| ---------------------------------- | ------ |
| ``failed`` (critical error), ``poor`` | Again  |
| ``mixed``                          | Hard   |
| ``good``, overall below 80 %       | Good   |
| ``good``, overall 80 % or more     | Easy   |

"Overall" is the plain average of the attempt's competency percentages. A scenario without
an outcome (should not happen for a finished attempt) counts as Hard.

The scheduler works in whole days: a scenario is not a flash card, so the minute-long
learning steps FSRS uses by default are switched off and every review yields an interval
of at least one day. Fuzzing is off so the schedule is reproducible (and testable), and no
refresher is scheduled more than half a year ahead. With the default FSRS parameters the
first intervals are about 1 day (Again, Hard), 2 days (Good) and 8 days (Easy); repeated
Good reviews then give roughly 11, 46 and 163 days.
"""
from __future__ import annotations

from datetime import datetime, timezone

from fsrs import Card, Rating, Scheduler
from sqlalchemy.orm import Session

from ..models import ReviewCard

EASY_FROM_PERCENT = 80
# Even a scenario handled perfectly comes back twice a year: client-work skills fade.
MAXIMUM_INTERVAL_DAYS = 180

SCHEDULER = Scheduler(
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=MAXIMUM_INTERVAL_DAYS,
    enable_fuzzing=False,
)


def rating_for(outcome: str | None, percent: float | None) -> Rating:
    """The FSRS rating of a finished attempt (see the table in the module docstring)."""
    if outcome in ("failed", "poor"):
        return Rating.Again
    if outcome == "good":
        if percent is not None and percent >= EASY_FROM_PERCENT:
            return Rating.Easy
        return Rating.Good
    return Rating.Hard


def _aware(moment: datetime) -> datetime:
    # The database keeps naive UTC; fsrs insists on aware UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def record_review(session: Session, user_id: int, scenario_id: str, outcome: str | None,
                  percent: float | None, when: datetime) -> ReviewCard:
    """Review the person's card of this scenario at ``when`` and reschedule it.

    ``when`` is the attempt's finishing time, not the wall clock, so the same history always
    gives the same schedule. The caller owns the transaction.
    """
    reviewed_at = _aware(when)
    row = session.get(ReviewCard, (user_id, scenario_id))
    if row is None:
        # A deterministic card id: fsrs would otherwise take the wall clock (and sleep 1 ms).
        card = Card(card_id=int(reviewed_at.timestamp() * 1000), due=reviewed_at)
    else:
        card = Card.from_dict(row.card)
    card, _log = SCHEDULER.review_card(card, rating_for(outcome, percent), review_datetime=reviewed_at)
    if row is None:
        row = ReviewCard(user_id=user_id, scenario_id=scenario_id, card=card.to_dict(),
                         due_at=_naive(card.due), updated_at=_naive(reviewed_at))
        session.add(row)
    else:
        row.card = card.to_dict()
        row.due_at = _naive(card.due)
        row.updated_at = _naive(reviewed_at)
    return row
