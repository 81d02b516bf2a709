"""A text sent twice in a row by the same person is stored once.

A resent form, or a second press while a slow page is on its way, arrives as a second
request with the same text. Replies to feedback and comments on a decision are only ever
appended, so each would be stored twice. Before storing, a request takes its turn on the
row the text is added to (an UPDATE that changes nothing: a row lock on PostgreSQL, the
write lock on SQLite), so of two simultaneous requests the second sees the first's row.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

REPEAT_WINDOW = timedelta(seconds=60)


def take_turns(session: Session, model: type, row_id: int) -> None:
    """Hold ``model``'s row ``row_id`` until this transaction ends; others wait for it."""
    session.execute(update(model).where(model.id == row_id).values(id=model.id)
                    .execution_options(synchronize_session=False))


def sent_moments_ago(session: Session, model: type, now: datetime, **same) -> bool:
    """Whether a ``model`` row with these column values was created within
    ``REPEAT_WINDOW`` before ``now``."""
    conditions = [getattr(model, name) == value for name, value in same.items()]
    found = session.scalar(select(model.id).where(*conditions, model.created_at >= now - REPEAT_WINDOW).limit(1))
    return found is not None
