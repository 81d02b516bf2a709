"""Reading a person's stored scores the same way everywhere: an attempt's overall score, and
competencies in the framework's order.

"Overall" is the plain average of an attempt's competency percentages, the rule the history,
the spaced-repetition schedule and the comparison of tries all use. Pages list competencies
in the framework's order (``scenarios/competencies.yaml``), so two lists can be read side by
side; one the framework does not know goes last, by id.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import AttemptScore

V = TypeVar("V")


def overall_score(percents: Iterable[float]) -> float | None:
    """An attempt's overall score from its competency percentages (None without any)."""
    found = list(percents)
    return sum(found) / len(found) if found else None


def overall_by_attempt(user_id: int | None = None, attempt_ids=None):
    """A subquery of attempts with their overall score (``attempt_id``, ``overall``): those of
    ``user_id``, or those among ``attempt_ids`` (a list or a select of ids)."""
    where = AttemptScore.user_id == user_id if user_id is not None else AttemptScore.attempt_id.in_(attempt_ids)
    return (
        select(AttemptScore.attempt_id, func.avg(AttemptScore.percent).label("overall"))
        .where(where)
        .group_by(AttemptScore.attempt_id)
        .subquery()
    )


def scores_by_attempt(session: Session, ids: Collection[int]) -> dict[int, dict[str, float]]:
    """The stored competency percentages of the attempts ``ids``, ``{attempt_id: {competency:
    percent}}``. An attempt with no score rows is absent; no query is made when ``ids`` is empty."""
    scores: dict[int, dict[str, float]] = {}
    if not ids:
        return scores
    for attempt_id, comp, percent in session.execute(
        select(AttemptScore.attempt_id, AttemptScore.competency, AttemptScore.percent)
        .where(AttemptScore.attempt_id.in_(list(ids)))
    ):
        scores.setdefault(attempt_id, {})[comp] = float(percent)
    return scores


def overall_of(session: Session, ids: Collection[int]) -> dict[int, float]:
    """The overall score of each of the attempts ``ids`` that has scores (the plain average of
    its competency percentages, as ``overall_by_attempt`` computes it in SQL)."""
    return {attempt_id: overall_score(found.values()) for attempt_id, found in scores_by_attempt(session, ids).items()}


def framework_key(order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key putting competency ids in the framework's ``order``, unknown ones after, by id."""
    rank = {comp: i for i, comp in enumerate(order)}
    return lambda comp: (rank.get(comp, len(rank)), comp)


def framework_order(competencies: Iterable[str], order: Sequence[str]) -> list[str]:
    """``competencies`` in the framework's ``order``; any it does not know after them, by id."""
    return sorted(competencies, key=framework_key(order))


def in_framework_order(by_competency: Mapping[str, V], order: Sequence[str]) -> dict[str, V]:
    """``by_competency`` (points or percentages) with its keys in the framework's ``order``."""
    return {comp: by_competency[comp] for comp in framework_order(by_competency, order)}
