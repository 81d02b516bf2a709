"""A person's tries at one scenario, and how a finished attempt compares with the one before.

Someone replaying a scenario wants to know whether they did better than last time. Both
come from the stored score rows (``AttemptScore``), which follow supervisors' verdicts on
written answers, so the figures match the history and the profile. A competency the
conversation never reached has no row (``trainer.finish``), so it is compared only when
both attempts scored it: a "change" from "not tested" would say nothing.

Plain SQLAlchemy over a Session, no Flask: the views only show what these return.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..models import Attempt
from .scores import framework_order, overall_by_attempt, overall_score, scores_by_attempt

OWN_ATTEMPTS_LIMIT = 5


@dataclass(frozen=True)
class Try:
    """One finished attempt at a scenario, as a list of tries shows it."""

    attempt_id: int
    finished_at: datetime
    mode: str
    outcome: str | None
    overall: float | None  # the plain average of its competency percentages


@dataclass
class OwnTries:
    tries: list[Try]
    more: bool  # whether older finished attempts exist beyond ``tries``


def _tries(user_id: int, scenario_id: str):
    """The person's finished attempts at a scenario as ``Try`` columns, newest first."""
    overall = overall_by_attempt(user_id)
    return (
        select(Attempt.id, Attempt.finished_at, Attempt.mode, Attempt.outcome, overall.c.overall)
        .outerjoin(overall, overall.c.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id, Attempt.scenario_id == scenario_id, Attempt.status == "finished")
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
    )


def _try(row) -> Try:
    return Try(row[0], row[1], row[2], row[3], None if row[4] is None else float(row[4]))


def own_tries(session: Session, user_id: int, scenario_id: str, limit: int = OWN_ATTEMPTS_LIMIT) -> OwnTries:
    """The person's finished attempts at a scenario, newest first, at most ``limit``."""
    tries = [_try(row) for row in session.execute(_tries(user_id, scenario_id).limit(limit + 1))]
    return OwnTries(tries[:limit], len(tries) > limit)


@dataclass(frozen=True)
class CompetencyChange:
    competency: str
    before: float
    now: float

    @property
    def delta(self) -> int:
        """The change in whole percentage points, as the page rounds both figures."""
        return round(self.now) - round(self.before)


@dataclass
class Comparison:
    """A finished attempt against the same person's previous finished one at the scenario."""

    previous: Try
    overall: float | None  # this attempt's
    competencies: list[CompetencyChange] = field(default_factory=list)  # scored in both, framework order

    @property
    def delta(self) -> int | None:
        if self.overall is None or self.previous.overall is None:
            return None
        return round(self.overall) - round(self.previous.overall)


def compare_with_previous(session: Session, attempt: Attempt, order: Sequence[str] = ()) -> Comparison | None:
    """How ``attempt`` (finished) compares with the person's finished attempt at the same
    scenario just before it; None when it is their first. Competencies in the framework's
    ``order``, only those both attempts scored."""
    if attempt.finished_at is None:
        return None
    earlier = or_(Attempt.finished_at < attempt.finished_at,
                  and_(Attempt.finished_at == attempt.finished_at, Attempt.id < attempt.id))
    found = session.execute(
        _tries(attempt.user_id, attempt.scenario_id).where(Attempt.id != attempt.id, earlier).limit(1)
    ).one_or_none()
    if found is None:
        return None
    previous = _try(found)
    scores = scores_by_attempt(session, [previous.attempt_id, attempt.id])
    before, now = scores.get(previous.attempt_id, {}), scores.get(attempt.id, {})
    both = framework_order(set(before) & set(now), order)
    current = overall_score(now.values())
    return Comparison(previous, current, [CompetencyChange(comp, before[comp], now[comp]) for comp in both])
