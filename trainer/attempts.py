"""Attempts in the database: start or resume, record a step exactly once, rebuild.

Callers own the transaction: these functions add and flush, the view commits. A step
names the index it answers; a stale or repeated submission (double click, resent form,
back button) changes nothing and is reported as such.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .finish import record_finish
from .models import Assignment, Attempt, ScenarioVersion, Step, User, utcnow
from .scenario.engine import CompiledScenario, PlayError, PlayState, StepResult
from .scenario.loader import LoadedScenario


def _by_hash(column, loaded: LoadedScenario):
    return select(column).where(ScenarioVersion.content_hash == loaded.content_hash)


def _store_version(session: Session, loaded: LoadedScenario) -> ScenarioVersion:
    """Insert the row for this scenario text; if another app server stored it a moment ago, that one."""
    row = ScenarioVersion(
        scenario_id=loaded.scenario.id, version=loaded.scenario.version,
        content_hash=loaded.content_hash, source=loaded.source,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return session.scalar(_by_hash(ScenarioVersion, loaded))
    return row


def ensure_version(session: Session, loaded: LoadedScenario) -> ScenarioVersion:
    """The stored row for this exact scenario text, created on first use."""
    found = session.scalar(_by_hash(ScenarioVersion, loaded))
    return found if found is not None else _store_version(session, loaded)


def version_id(session: Session, loaded: LoadedScenario) -> int:
    """The id of the stored row for this scenario text (created on first use).

    Only the id is read: starting an attempt needs no ``ScenarioVersion`` object.
    """
    found = session.scalar(_by_hash(ScenarioVersion.id, loaded))
    return found if found is not None else _store_version(session, loaded).id


def active_attempt(session: Session, user: User, scenario_id: str, assignment: Assignment | None = None) -> Attempt | None:
    """The unfinished attempt at this scenario, in self-study or for ``assignment``.

    Self-study and each assignment keep separate attempts, so practising a scenario can
    never set aside an assessment of the same scenario.
    """
    assignment_id = assignment.id if assignment is not None else None
    return session.scalar(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.scenario_id == scenario_id, Attempt.status == "active",
               Attempt.assignment_id.is_(None) if assignment_id is None else Attempt.assignment_id == assignment_id)
        .order_by(Attempt.id.desc())
    )


class AssessmentOpen(Exception):
    """Practice refused: ``assessment``, an unfinished assessment of the same scenario, is
    to be finished first."""

    def __init__(self, assessment: Attempt):
        super().__init__(assessment.id)
        self.assessment = assessment


def open_assessment(session: Session, user_id: int, scenario_id: str) -> Attempt | None:
    """The user's unfinished assessment of this scenario, if any.

    While it is open no other attempt at the scenario starts or goes on: practice shows
    each answer's feedback as it is given, which would give the assessment's answers away.
    Practising before starting it, and reading earlier debriefs, stay open."""
    return session.scalar(select(Attempt).where(
        Attempt.user_id == user_id, Attempt.scenario_id == scenario_id, Attempt.status == "active",
        Attempt.mode == "assessment").limit(1))


def start_or_resume(session: Session, user: User, compiled: CompiledScenario, restart: bool = False,
                    assignment: Assignment | None = None, feedback_at_end: bool = False) -> Attempt:
    """The user's unfinished attempt at this scenario, or a new one.

    ``feedback_at_end`` is the trainee's "no hints" choice for a new self-study attempt
    (``Attempt.feedback_at_end``); resuming keeps the attempt's own, and an assignment's
    attempt never takes it (its mode decides).

    Two starts at the same moment (a second click, another tab) both find no unfinished
    attempt and both insert one; the database's unique indexes (models.Attempt) let only
    one in, and the other request resumes that one, so both land on the same attempt.
    The same holds for two "start again" clicks at once: both set aside the old attempt,
    one new attempt is made. A second click that arrives after the first one's attempt was
    saved finds that attempt without answers and goes on with it.

    Raises ``AssessmentOpen`` for practice while the user's assessment of the scenario is
    unfinished (see ``open_assessment``).
    """
    if assignment is None or assignment.mode != "assessment":
        assessment = open_assessment(session, user.id, compiled.scenario.id)
        if assessment is not None:
            raise AssessmentOpen(assessment)
    feedback_at_end = bool(feedback_at_end) and assignment is None
    current = active_attempt(session, user, compiled.scenario.id, assignment)
    # An assessment allows one attempt: "start again" resumes it instead of setting it aside.
    if current is not None and (not restart or current.mode == "assessment"):
        return current
    # An attempt with no answer yet is already at the start: "start again" (a second click,
    # Back and the button again) goes on with it rather than leaving an empty one behind,
    # unless the scenario has a new version since it began.
    scenario_version_id = version_id(session, compiled.loaded)
    if current is not None and current.step_count == 0 and current.scenario_version_id == scenario_version_id:
        current.feedback_at_end = feedback_at_end  # nothing shown yet: the new choice holds
        return current
    if current is not None:
        current.status = "abandoned"
        current.updated_at = utcnow()
    state = compiled.start()
    attempt = Attempt(
        user_id=user.id, scenario_version_id=scenario_version_id, scenario_id=compiled.scenario.id,
        status="active", state=state.as_dict(), step_count=0,
        assignment_id=assignment.id if assignment is not None else None,
        mode=assignment.mode if assignment is not None else "practice",
        time_limit=assignment.time_limit if assignment is not None and assignment.mode == "assessment" else None,
        feedback_at_end=feedback_at_end,
    )
    try:
        # begin_nested flushes the setting aside first, so it never meets the new attempt
        # in the unique index; only the insert is undone if another request won.
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:
        won = active_attempt(session, user, compiled.scenario.id, assignment)
        if won is None:
            raise  # not a race with another start: let the caller see what it was
        return won
    return attempt


# Built once at import: constructing these statements cost more CPU than running them. Plain
# Core statements on the tables: the ORM's unit of work and bulk-update paths cost about a
# fifth of an answer request for the same SQL.
_ATTEMPTS, _STEPS = Attempt.__table__, Step.__table__
_ADVANCE = update(_ATTEMPTS).where(
    _ATTEMPTS.c.id == bindparam("attempt_id"), _ATTEMPTS.c.step_count == bindparam("expected_step"),
    _ATTEMPTS.c.status == "active",
)
_INSERT_STEP = insert(_STEPS)


@dataclass
class Answer:
    recorded: bool
    result: StepResult | None = None
    reason: str = ""


def answer(session: Session, attempt: Attempt, compiled: CompiledScenario, expected_step: int,
           choice_id: str | None = None, text: str | None = None, lang: str = "uk") -> Answer:
    """Record a choice (or, at a free-text node, a written answer) as step ``expected_step``,
    exactly once.

    A stale or repeated answer writes nothing. A step already stored at this index while
    the attempt still expects it (which the conditional UPDATE rules out) would raise
    IntegrityError, and the caller's transaction is then to be rolled back, as the request's
    teardown does.
    """
    if attempt.status != "active":
        return Answer(False, reason="finished")
    if expected_step != attempt.step_count:
        return Answer(False, reason="stale")
    state = PlayState.from_dict(attempt.state)
    # PlayError propagates: an invalid choice, or an empty or overlong written answer.
    if compiled.is_free_text(state.node):
        result = compiled.step_text(state, text or "", lang)
    else:
        result = compiled.step(state, choice_id or "")
    new = result.state
    now = utcnow()
    seconds = max(0.0, (now - attempt.updated_at).total_seconds())
    values = {
        "state": new.as_dict(), "step_count": expected_step + 1, "updated_at": now,
        "decision_extensions": 0,
    }
    if new.finished:
        values.update(status="finished", outcome=compiled.outcome(new), ending=new.ending,
                      critical_choice=new.critical, finished_at=now)
    # The step_count condition makes a concurrent second submission a no-op: it changes no
    # row, and nothing else is written. (PostgreSQL makes the second UPDATE wait for the
    # first to commit and then finds the condition false; SQLite lets one writer in at a time.)
    changed = session.execute(_ADVANCE, {"attempt_id": attempt.id, "expected_step": expected_step, **values}).rowcount
    if changed != 1:
        session.expire(attempt)
        return Answer(False, reason="stale")
    session.execute(_INSERT_STEP, {
        "attempt_id": attempt.id, "index": expected_step, "node_id": result.node, "choice_id": result.choice,
        "via": list(result.via), "score_delta": result.score_delta, "state_after": values["state"],
        "created_at": now, "seconds": seconds, "late": is_late(attempt, seconds),
        "extensions": attempt.decision_extensions,
        "free_text": text if result.rubric is not None else None, "rubric_result": result.rubric,
    })
    # The loaded attempt takes the values just written, as if read back (no SELECT, nothing
    # marked changed); its steps, if loaded, lack the new one and are read again when used.
    for key, value in values.items():
        set_committed_value(attempt, key, value)
    session.expire(attempt, ["steps"])
    if new.finished:
        record_finish(session, attempt, compiled, new)
    return Answer(True, result=result)


def time_allowed(attempt: Attempt) -> int | None:
    """Seconds allowed for the decision on screen, or None when there is no limit."""
    if not attempt.time_limit or attempt.time_limit_off_at is not None:
        return None
    return attempt.time_limit * (1 + attempt.decision_extensions)


def time_left(attempt: Attempt) -> int | None:
    """Whole seconds left for the decision on screen (0 once it is late), or None without a limit."""
    allowed = time_allowed(attempt)
    if allowed is None:
        return None
    return max(0, round(allowed - (utcnow() - attempt.updated_at).total_seconds()))


def is_late(attempt: Attempt, seconds: float) -> bool:
    allowed = time_allowed(attempt)
    return allowed is not None and seconds > allowed


_CONVERSATION = (
    select(_STEPS.c.node_id, _STEPS.c.choice_id, _STEPS.c.via, _STEPS.c.free_text, _STEPS.c.rubric_result)
    .where(_STEPS.c.attempt_id == bindparam("attempt_id")).order_by(_STEPS.c.index)
)


def conversation(session: Session, attempt_id: int) -> list:
    """The steps as a play page shows them, oldest first: rows with only the columns it reads.

    Loading whole Step objects decoded each step's state and score JSON for nothing, and a
    long conversation made that a large part of the page.
    """
    return session.execute(_CONVERSATION, {"attempt_id": attempt_id}).all()


def step_pairs(attempt: Attempt) -> list[tuple[str, str]]:
    return [(s.node_id, s.choice_id) for s in attempt.steps]


__all__ = ["Answer", "AssessmentOpen", "PlayError", "active_attempt", "answer", "conversation", "ensure_version",
           "open_assessment", "start_or_resume", "step_pairs", "version_id"]
