"""CSV exports of attempts, steps and scores, streamed row by row.

Each export is one query read in chunks (``yield_per``), so exporting a large centre
neither loads every row into memory nor holds the whole file before the first byte.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..models import Attempt, AttemptScore, Step, User

KINDS = ("attempts", "steps", "scores")
CHUNK = 1000
# OWASP's list for CSV injection (a tab or carriage return may precede a formula), and the
# full-width signs, which some spreadsheet programs read as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def _queries(kind: str, users: Select):
    if kind == "attempts":
        header = ["attempt_id", "username", "scenario_id", "mode", "assignment_id", "status", "outcome", "ending",
                  "critical_choice", "steps", "started_at", "finished_at", "time_limit", "time_extensions",
                  "time_limit_off_at_step"]
        query = (select(Attempt.id, User.username, Attempt.scenario_id, Attempt.mode, Attempt.assignment_id,
                        Attempt.status, Attempt.outcome, Attempt.ending, Attempt.critical_choice, Attempt.step_count,
                        Attempt.started_at, Attempt.finished_at, Attempt.time_limit, Attempt.time_extensions,
                        Attempt.time_limit_off_at)
                 .join(User, User.id == Attempt.user_id).where(Attempt.user_id.in_(users)).order_by(Attempt.id))
    elif kind == "steps":
        header = ["attempt_id", "username", "scenario_id", "index", "node_id", "choice_id", "score_delta", "seconds",
                  "late", "extensions", "free_text", "created_at"]
        query = (select(Step.attempt_id, User.username, Attempt.scenario_id, Step.index, Step.node_id, Step.choice_id,
                        Step.score_delta, Step.seconds, Step.late, Step.extensions, Step.free_text, Step.created_at)
                 .join(Attempt, Attempt.id == Step.attempt_id).join(User, User.id == Attempt.user_id)
                 .where(Attempt.user_id.in_(users)).order_by(Step.attempt_id, Step.index))
    elif kind == "scores":
        header = ["attempt_id", "username", "scenario_id", "competency", "points", "max_points", "percent",
                  "finished_at"]
        query = (select(AttemptScore.attempt_id, User.username, AttemptScore.scenario_id, AttemptScore.competency,
                        AttemptScore.points, AttemptScore.max_points, AttemptScore.percent, AttemptScore.finished_at)
                 .join(User, User.id == AttemptScore.user_id).where(AttemptScore.user_id.in_(users))
                 .order_by(AttemptScore.attempt_id, AttemptScore.competency))
    else:
        raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    return header, query


def _cell(value) -> object:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return _iso(value)
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in sorted(value.items()))
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        # Spreadsheet programs run cells starting with these as formulas.
        return "'" + value
    return value


def export_csv(session: Session, kind: str, users: Select) -> Iterator[str]:
    """The CSV text of one export, a chunk of lines at a time."""
    header, query = _queries(kind, users)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for i, row in enumerate(session.execute(query.execution_options(yield_per=CHUNK))):
        writer.writerow([_cell(v) for v in row])
        if i % CHUNK == CHUNK - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
