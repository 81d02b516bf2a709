"""The xAPI outbox: statements are stored with the attempt, then sent in batches.

Queuing happens in the transaction that finishes the attempt, so a statement exists if
and only if the attempt finished; sending happens later (``trainer xapi send``, e.g. from
cron), so a slow or absent LRS never slows a trainee down. Each row records its tries,
the last error and when it was sent: that is the record of what went out.
"""
from __future__ import annotations

import base64
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Assignment, Attempt, AttemptScore, Step, XapiStatement, utcnow
from ..scenario.engine import CompiledScenario
from .statements import XAPI_VERSION, Builder

log = logging.getLogger(__name__)


def attempt_statements(session: Session, attempt: Attempt, compiled: CompiledScenario, base_url: str) -> list[dict]:
    """Every statement of a finished attempt, read from its stored steps and scores, and an
    assessment's pass mark from its assignment."""
    steps = session.scalars(select(Step).where(Step.attempt_id == attempt.id).order_by(Step.index)).all()
    scores = session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id)
                             .order_by(AttemptScore.competency)).all()
    pass_mark = session.scalar(select(Assignment.pass_mark).where(Assignment.id == attempt.assignment_id)) \
        if attempt.mode == "assessment" and attempt.assignment_id is not None else None
    return Builder(base_url).attempt_statements(attempt, compiled, steps, scores, pass_mark)


def queue_attempt(session: Session, attempt: Attempt, compiled: CompiledScenario, base_url: str) -> int:
    """Store the statements of a finished attempt for sending; returns how many were new."""
    known = set(session.scalars(select(XapiStatement.statement_id).where(XapiStatement.attempt_id == attempt.id)))
    added = 0
    for statement in attempt_statements(session, attempt, compiled, base_url):
        if statement["id"] in known:
            continue
        verb = statement["verb"]["id"].rsplit("/", 1)[-1]
        session.add(XapiStatement(statement_id=statement["id"], attempt_id=attempt.id, verb=verb, body=statement))
        added += 1
    return added


@dataclass(frozen=True)
class LrsConfig:
    url: str
    username: str = ""
    password: str = ""
    retries: int = 3
    timeout: float = 10.0
    backoff: float = 1.0  # seconds before the first retry, doubled after each


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    batches: int = 0
    errors: list[str] | None = None


class LrsError(Exception):
    def __init__(self, message: str, retry: bool):
        super().__init__(message)
        self.retry = retry


def _post(config: LrsConfig, statements: list[dict]) -> None:
    request = urllib.request.Request(
        config.url.rstrip("/") + "/statements", data=json.dumps(statements).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION})
    if config.username or config.password:
        token = base64.b64encode(f"{config.username}:{config.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        exc.close()  # the error carries the open response; leaving it open leaks the socket
        # 5xx and 429 are the LRS's trouble and may pass; other 4xx need someone to look.
        raise LrsError(f"LRS answered {exc.code} {exc.reason}", retry=exc.code >= 500 or exc.code == 429) from None
    except (urllib.error.URLError, OSError) as exc:
        raise LrsError(f"cannot reach the LRS: {getattr(exc, 'reason', exc)}", retry=True) from None


def send_pending(session: Session, config: LrsConfig, batch: int = 50, sleep=time.sleep) -> SendReport:
    """Send unsent statements oldest first, committing after each batch."""
    report = SendReport(errors=[])
    last_id = 0
    while True:
        rows = list(session.scalars(select(XapiStatement).where(
            XapiStatement.sent_at.is_(None), XapiStatement.id > last_id).order_by(XapiStatement.id).limit(batch)))
        if not rows:
            break
        last_id = rows[-1].id
        report.batches += 1
        error = None
        for attempt_no in range(max(1, config.retries)):
            for row in rows:
                row.tries += 1
            try:
                _post(config, [row.body for row in rows])
                error = None
                break
            except LrsError as exc:
                error = exc
                log.warning("xAPI batch of %d failed (try %d): %s", len(rows), attempt_no + 1, exc)
                if not exc.retry:
                    break
                if attempt_no + 1 < config.retries:
                    sleep(config.backoff * 2 ** attempt_no)
        now = utcnow()
        for row in rows:
            if error is None:
                row.sent_at, row.last_error = now, ""
            else:
                row.last_error = str(error)
        if error is None:
            report.sent += len(rows)
        else:
            report.failed += len(rows)
            report.errors.append(str(error))
        session.commit()
    return report
