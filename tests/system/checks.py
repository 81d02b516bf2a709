"""What the database must say after a run: checked with SQLAlchemy, not through the app."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import create_engine, select

from trainer.models import Attempt, Step

from .trainee import Trainee


def load_steps(database_url: str) -> tuple[dict[int, dict], dict[tuple[int, int], list[str]]]:
    """Attempts by id (status, step_count) and the choice ids stored per (attempt, index)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            attempts = {row.id: {"status": row.status, "step_count": row.step_count, "user_id": row.user_id}
                        for row in conn.execute(select(Attempt.id, Attempt.status, Attempt.step_count,
                                                       Attempt.user_id))}
            steps: dict[tuple[int, int], list[str]] = defaultdict(list)
            for row in conn.execute(select(Step.attempt_id, Step.index, Step.choice_id)):
                steps[(row.attempt_id, row.index)].append(row.choice_id)
    finally:
        engine.dispose()
    return attempts, dict(steps)


def integrity_problems(attempts: dict[int, dict], steps: dict[tuple[int, int], list[str]]) -> list[str]:
    """Each attempt's steps are exactly 0..step_count-1, each stored once."""
    problems = []
    per_attempt: dict[int, list[int]] = defaultdict(list)
    for (attempt_id, index), choices in steps.items():
        per_attempt[attempt_id].append(index)
        if len(choices) != 1:
            problems.append(f"attempt {attempt_id} step {index} stored {len(choices)} times")
    for attempt_id, row in attempts.items():
        indices = sorted(per_attempt.get(attempt_id, []))
        if indices != list(range(row["step_count"])):
            problems.append(f"attempt {attempt_id}: step_count {row['step_count']} but steps {indices}")
    return problems


def lost_acknowledged(trainees: list[Trainee], steps: dict[tuple[int, int], list[str]]) -> list[str]:
    """Acknowledged steps missing from the database, or stored with another choice."""
    lost = []
    for trainee in trainees:
        for attempt_id, index, choice in trainee.ledger.acknowledged:
            stored = steps.get((attempt_id, index))
            if stored is None or len(stored) != 1 or choice not in (None, stored[0]):
                lost.append(f"{trainee.username}: attempt {attempt_id} step {index} {choice!r} -> stored {stored}")
    return lost
