"""Who in a cohort is not practising: the list a supervisor follows up.

A trainee counts as not practising when none of their attempts moved in the last
``IDLE_DAYS`` days (an attempt's ``updated_at`` is its last step, or its start). Those who
never started one come first, then those idle longest. With each person the page shows their
last login, so a supervisor onboarding a new cohort tells someone who has not yet used the
password they were given from someone who logs in and does not play.

Two queries, each grouping only the cohort's own people's attempts (how many, then the
first ``LISTED`` of them), so the dashboard stays fast in a large centre (bench/dashboard.py);
``idle_by_cohort`` counts the same people for many cohorts at once, for «My team».
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..collation import person_key
from ..models import Attempt, User
from .access import members_of, memberships, users_in_order

IDLE_DAYS = 14
LISTED = 50


@dataclass(frozen=True)
class Idle:
    user: User
    last_practice: datetime | None  # UTC; None: never started a scenario
    days: int | None  # calendar days since ``last_practice`` on the centre's clock

    @property
    def not_logged_in_yet(self) -> bool:
        """The password someone gave them is still unused: never logged in with it.

        Only a temporary password says so for certain; an account from before logins were
        recorded (migration 0009) has none recorded either, and is not called new."""
        return self.user.last_login_at is None and self.user.password_temporary and self.last_practice is None


@dataclass(frozen=True)
class Idleness:
    people: list[Idle]  # the first ``LISTED`` of them
    total: int  # everyone not practising, listed or not
    days: int


def _last_practice(people) -> Select:
    """(user_id, at): the latest ``updated_at`` of each of ``people``'s attempts."""
    return (select(Attempt.user_id, func.max(Attempt.updated_at).label("at"))
            .where(Attempt.user_id.in_(people)).group_by(Attempt.user_id))


def _idle(last, now: datetime, days: int):
    return (last.c.at.is_(None)) | (last.c.at < now - timedelta(days=days))


def not_practising(session: Session, cohort_id: int, now: datetime, zone: str = clock.UTC, days: int = IDLE_DAYS,
                   listed: int = LISTED) -> Idleness:
    """The cohort's trainees with no step in the last ``days`` days as of ``now`` (UTC):
    never started first, then the longest idle, then by name. How long ago each last
    practised is counted in dates on the wall clock of ``zone`` (the centre's), as the page
    shows the date: "3 November (20 days ago)" on 23 November, whatever the hour."""
    members = members_of(cohort_id)
    last = _last_practice(members).subquery()
    # Sorted here, by name in Ukrainian alphabet order, which the database cannot sort; only
    # the listed people are loaded.
    idle = (select(User.id, User.display_name, User.username, last.c.at)
            .outerjoin(last, last.c.user_id == User.id).where(User.id.in_(members), _idle(last, now, days)))
    names = session.execute(idle).all() if listed else ()
    total = len(names) if listed else session.scalar(select(func.count()).select_from(idle.subquery())) or 0
    shown = sorted(names, key=lambda row: (row.at is not None, row.at or now,
                                           person_key(row.display_name, row.username), row.id))[:listed]
    rows = list(zip(users_in_order(session, [row.id for row in shown]), (row.at for row in shown)))
    today = clock.local_date(now, zone)
    return Idleness([Idle(user, at, (today - clock.local_date(at, zone)).days if at else None) for user, at in rows],
                    total, days)


def idle_by_cohort(session: Session, cohort_ids: list[int], now: datetime, days: int = IDLE_DAYS) -> dict[int, int]:
    """cohort id → how many of its trainees ``not_practising`` counts (cohorts with none left out)."""
    members = memberships(cohort_ids).subquery()
    last = _last_practice(select(members.c.user_id)).subquery()
    return dict(session.execute(
        select(members.c.cohort_id, func.count()).outerjoin(last, last.c.user_id == members.c.user_id)
        .where(_idle(last, now, days)).group_by(members.c.cohort_id)).all())
