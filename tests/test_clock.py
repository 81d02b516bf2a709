"""Dates on the centre's wall clock, from stored UTC timestamps."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from trainer import clock

KYIV = "Europe/Kyiv"


@pytest.mark.parametrize(("stored", "expected"), [
    (datetime(2026, 11, 30, 21, 59), date(2026, 11, 30)),  # 23:59 in Kyiv (UTC+2 in winter)
    (datetime(2026, 11, 30, 22, 0), date(2026, 12, 1)),  # midnight in Kyiv: already December
    (datetime(2026, 6, 30, 20, 59), date(2026, 6, 30)),  # 23:59 in summer (UTC+3)
    (datetime(2026, 6, 30, 21, 0), date(2026, 7, 1)),
])
def test_a_stored_time_falls_on_the_date_kyiv_sees(stored, expected):
    assert clock.local_date(stored, KYIV) == expected
    assert clock.local_date(stored, clock.UTC) == stored.date()


def test_today_is_the_date_in_the_zone_at_that_moment():
    late_evening_utc = datetime(2026, 11, 21, 23, 30)
    assert clock.today(KYIV, late_evening_utc) == date(2026, 11, 22)
    assert clock.today(clock.UTC, late_evening_utc) == date(2026, 11, 21)
    # Without a moment it is now: the far ends of the world's clocks never share a date.
    assert clock.today("Etc/GMT-14") > clock.today("Etc/GMT+12")


def test_a_local_midnight_is_stored_as_the_utc_moment_it_happens():
    assert clock.utc_midnight(date(2026, 1, 15), KYIV) == datetime(2026, 1, 14, 22, 0)
    assert clock.utc_midnight(date(2026, 7, 15), KYIV) == datetime(2026, 7, 14, 21, 0)  # summer time
    assert clock.utc_midnight(date(2026, 7, 15), clock.UTC) == datetime(2026, 7, 15, 0, 0)
    day = date(2026, 3, 29)  # the night the clocks go forward: midnight itself is unaffected
    assert clock.local_date(clock.utc_midnight(day, KYIV), KYIV) == day


def test_weeks_start_on_monday_and_months_on_the_first():
    assert clock.week_start(date(2026, 11, 22)) == date(2026, 11, 16)  # a Sunday
    assert clock.week_start(date(2026, 11, 16)) == date(2026, 11, 16)
    assert clock.month_start(date(2026, 11, 22)) == date(2026, 11, 1)
