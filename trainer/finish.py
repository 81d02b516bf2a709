"""What happens in the database when an attempt reaches its ending.

Called inside the transaction that records the final step, so the attempt, its score rows
and everything derived from them (spaced-repetition schedule, xAPI outbox) commit or roll
back together: a finished attempt can never lack its scores.

The points stored are the ones supervisors' verdicts on its written answers give
(``team.reviews``): a written answer can be reviewed while the attempt is still going on,
and a verdict given then must count as much as one given after the end.
"""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from . import settings
from .models import Attempt, AttemptScore, Step, utcnow
from .scenario.engine import CompiledScenario, PlayState
from .scenario.scoring import competencies_tested, percentage
from .study.schedule import record_review
from .study.scores import overall_score
from .team.reviews import reviewed_points
from .xapi.outbox import queue_attempt


def record_finish(session: Session, attempt: Attempt, compiled: CompiledScenario, state: PlayState) -> None:
    """Store the per-competency results of a finished attempt and reschedule its refresher."""
    maxima = compiled.analysis.max_score
    finished = attempt.finished_at or utcnow()
    # Only a scenario with written answers can have verdicts: the others skip the query.
    totals = reviewed_points(session, attempt.id, state.scores) if compiled.rubrics else state.scores
    # A competency no visited decision could change gets no row: a 0 % for it would only say
    # the conversation ended before it came up, and would pull averages down for nothing.
    visited = session.scalars(select(Step.node_id).where(Step.attempt_id == attempt.id))
    tested = competencies_tested(compiled.scenario, visited)
    rows = []
    for comp in compiled.scenario.competencies:
        maximum = maxima.get(comp, 0)
        if maximum <= 0 or comp not in tested:
            continue
        points = totals.get(comp, 0)
        rows.append({
            "attempt_id": attempt.id, "competency": comp, "user_id": attempt.user_id,
            "scenario_id": attempt.scenario_id, "points": points, "max_points": maximum,
            "percent": float(percentage(points, maximum) or 0), "finished_at": finished,
        })
    if rows:
        # One Core INSERT for all of them: as ORM objects they were flushed one by one by
        # the autoflush of the review card's SELECT, a sixteenth of a finishing answer.
        session.execute(insert(AttemptScore.__table__), rows)
    # Overall = plain average of the competency percentages, as the history page shows it.
    overall = overall_score(row["percent"] for row in rows)
    record_review(session, attempt.user_id, attempt.scenario_id, attempt.outcome, overall, finished)
    if settings.env("TRAINER_LRS_URL"):
        session.flush()
        queue_attempt(session, attempt, compiled, settings.value("TRAINER_BASE_URL"))
