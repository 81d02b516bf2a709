"""How people play one scenario: choices made at each node, time taken, where they stop.

Filters select whose attempts count (a cohort, everyone visible to the viewer) and when
they started, so two cohorts or two periods can be compared side by side.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..models import Attempt, Step


@dataclass(frozen=True)
class Filter:
    users: Select  # a subquery of user ids
    start: date | None = None
    end: date | None = None  # inclusive
    zone: str = clock.UTC  # whose calendar the dates are on: the centre's (TRAINER_TIMEZONE)


@dataclass
class ScenarioStats:
    attempts: int = 0
    finished: int = 0
    choices: dict[tuple[str, str], int] = field(default_factory=dict)  # (node, choice) → count
    at_node: dict[str, int] = field(default_factory=dict)  # answers given at a node
    median_seconds: dict[str, float] = field(default_factory=dict)
    stopped_at: dict[str, int] = field(default_factory=dict)  # unfinished attempts by current node

    def share(self, node: str, choice: str) -> float | None:
        total = self.at_node.get(node, 0)
        return self.choices.get((node, choice), 0) / total if total else None


def _midnight(day: date, zone: str) -> datetime | None:
    """When ``day`` begins in ``zone``; None when that is beyond what a timestamp can hold
    (year 1 or 9999), where the bound leaves out no attempt."""
    try:
        return clock.utc_midnight(day, zone)
    except OverflowError:
        return None


def _attempts(scenario_id: str, flt: Filter):
    conditions = [Attempt.scenario_id == scenario_id, Attempt.user_id.in_(flt.users)]
    start = _midnight(flt.start, flt.zone) if flt.start is not None else None
    if start is not None:
        conditions.append(Attempt.started_at >= start)
    end = _midnight(flt.end + timedelta(days=1), flt.zone) if flt.end is not None and flt.end < date.max else None
    if end is not None:
        conditions.append(Attempt.started_at < end)
    return and_(*conditions)


def scenario_stats(session: Session, scenario_id: str, flt: Filter) -> ScenarioStats:
    where = _attempts(scenario_id, flt)
    stats = ScenarioStats()
    stats.attempts, stats.finished = session.execute(
        select(func.count(), func.count(Attempt.finished_at)).where(where)).one()
    for node, choice, n in session.execute(
            select(Step.node_id, Step.choice_id, func.count()).join(Attempt, Attempt.id == Step.attempt_id)
            .where(where).group_by(Step.node_id, Step.choice_id)).all():
        stats.choices[(node, choice)] = n
        stats.at_node[node] = stats.at_node.get(node, 0) + n
    stats.median_seconds = _medians(session, where)
    current = Attempt.state["node"].as_string()
    stats.stopped_at = dict(session.execute(
        select(current, func.count()).where(where, Attempt.status != "finished").group_by(current)).all())
    return stats


def _medians(session: Session, where) -> dict[str, float]:
    """Median decision time per node, with window functions both SQLite and PostgreSQL have."""
    ranked = (select(
        Step.node_id.label("node"), Step.seconds.label("seconds"),
        func.row_number().over(partition_by=Step.node_id, order_by=Step.seconds).label("rn"),
        func.count().over(partition_by=Step.node_id).label("cnt"))
        .join(Attempt, Attempt.id == Step.attempt_id)
        .where(where, Step.seconds.is_not(None))).subquery()
    # The middle row, or the mean of the two middle rows when the count is even.
    middle = and_(ranked.c.rn >= (ranked.c.cnt + 1) // 2, ranked.c.rn <= (ranked.c.cnt + 2) // 2)
    rows = session.execute(select(ranked.c.node, func.avg(ranked.c.seconds)).where(middle)
                           .group_by(ranked.c.node)).all()
    return {node: float(value) for node, value in rows}
