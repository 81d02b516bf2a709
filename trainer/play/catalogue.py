"""The catalogue: scenarios grouped by manual chapter with the trainee's last result."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..content.toc import Toc
from ..models import Attempt
from ..scenario.loader import LoadedScenario


@dataclass
class Entry:
    loaded: LoadedScenario
    last_outcome: str | None = None
    in_progress: bool = False


@dataclass
class Group:
    chapter: str
    entries: list[Entry] = field(default_factory=list)


def _chapter(loaded: LoadedScenario, toc: Toc) -> str:
    first = loaded.scenario.manual[0]
    section = toc.get(first)
    # Group chapter 5 by its sub-chapter (difficult situations vs non-standard cases).
    parts = first.split(".")
    key = ".".join(parts[:2]) if parts[0] == "5" and len(parts) > 2 else parts[0]
    return key if toc.get(key) else (section.number if section else first)


def build_catalogue(session: Session, user_id: int, scenarios: dict[str, LoadedScenario], toc: Toc) -> list[Group]:
    """Groups in manual order; two queries whatever the number of scenarios."""
    latest_finished = (
        select(Attempt.scenario_id, func.max(Attempt.id).label("last_id"))
        .where(Attempt.user_id == user_id, Attempt.status == "finished")
        .group_by(Attempt.scenario_id)
        .subquery()
    )
    outcomes = dict(session.execute(
        select(Attempt.scenario_id, Attempt.outcome).join(latest_finished, Attempt.id == latest_finished.c.last_id)
    ).all())
    active = set(session.scalars(
        select(Attempt.scenario_id).where(Attempt.user_id == user_id, Attempt.status == "active")
    ))
    groups: dict[str, Group] = {}
    for scenario_id, loaded in scenarios.items():
        key = _chapter(loaded, toc)
        groups.setdefault(key, Group(key)).entries.append(
            Entry(loaded, outcomes.get(scenario_id), scenario_id in active)
        )
    order = {s.number: i for i, s in enumerate(toc.sections)}
    return sorted(groups.values(), key=lambda g: order.get(g.chapter, len(order)))
