"""Dates on the centre's wall clock.

The database keeps naive UTC timestamps (``models.utcnow``). What people mean by "today",
"overdue", "this week" or "March" is the date in the centre's time zone
(``TRAINER_TIMEZONE``): for Kyiv, a timestamp of 22:30 UTC on the last day of a month is
already the next month. Everything here takes the zone by its IANA name, so domain code
and its tests need no application.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytz

UTC = "UTC"


def local_time(moment: datetime, zone: str) -> datetime:
    """A stored (naive UTC) timestamp as the wall-clock time in ``zone`` (naive)."""
    return pytz.utc.localize(moment).astimezone(pytz.timezone(zone)).replace(tzinfo=None)


def local_date(moment: datetime, zone: str) -> date:
    """The date in ``zone`` at a stored (naive UTC) timestamp."""
    return local_time(moment, zone).date()


def today(zone: str, now: datetime | None = None) -> date:
    """The date in ``zone`` now (or at ``now``, naive UTC)."""
    return local_date(now or datetime.now(pytz.utc).replace(tzinfo=None), zone)


def utc_midnight(day: date, zone: str) -> datetime:
    """The stored (naive UTC) timestamp at which ``day`` begins in ``zone``."""
    # localize(), not replace(tzinfo=): pytz zones need it to choose the offset in force
    # that day, summer or winter.
    start = pytz.timezone(zone).localize(datetime.combine(day, time()))
    return start.astimezone(pytz.utc).replace(tzinfo=None)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)
