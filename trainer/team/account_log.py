"""Each account's history: what was done to it, by whom and when (``AccountEvent``).

Recorded in the same transaction as the change, by the functions that make it (``team.people``
for what admins and ``trainer user`` do, ``auth.account`` for one's own password). Rows are
never changed or deleted. The admin's page of an account lists them, newest first.

Plain SQLAlchemy, no Flask: callers pass the session, the actor (None for the command line)
and the clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..models import AccountEvent, User

# Every action an event may name; the account's page says each in words.
ACTIONS = ("created", "imported", "password_given", "password_chosen", "role", "renamed", "blocked", "unblocked",
           "lock_lifted", "joined", "cohort_role", "left")
SHOWN = 50  # events on an account's page; the oldest beyond them stay in the database


def record(session: Session, user: User, action: str, actor: User | None, now: datetime, **detail) -> AccountEvent:
    """Add an event to ``user``'s history (the caller commits with the change itself)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown account action {action!r}; add it to ACTIONS")
    event = AccountEvent(user_id=user.id, actor_id=actor.id if actor is not None else None, action=action,
                         detail=detail, created_at=now)
    session.add(event)
    return event


@dataclass(frozen=True)
class Entry:
    """One line of an account's history: the event and who did it (None: the command line)."""
    action: str
    detail: dict
    at: datetime
    actor_name: str | None


def history(session: Session, user: User, limit: int = SHOWN) -> list[Entry]:
    """``user``'s events, newest first, with the name of whoever did each."""
    actor = aliased(User)
    rows = session.execute(
        select(AccountEvent, actor.username).outerjoin(actor, actor.id == AccountEvent.actor_id)
        .where(AccountEvent.user_id == user.id).order_by(AccountEvent.created_at.desc(), AccountEvent.id.desc())
        .limit(limit)).all()
    return [Entry(event.action, event.detail or {}, event.created_at, name) for event, name in rows]
