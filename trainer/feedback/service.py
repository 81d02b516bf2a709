"""Survey responses and replies in the database. Plain SQLAlchemy; callers commit.

Rules kept here:
- One named response per attempt (``attempt_id`` is unique); a second one is refused.
- An anonymous response stores the scenario, the answers and the month only: no user, no
  attempt, no day or time (``created_on`` holds the month's first day; the column cannot
  be empty, and the month still tells an author whether the feedback predates a revision
  of the scenario). Because nothing links it back, the database cannot tell whether
  an attempt already sent one; the view keeps a note in the trainee's own signed session
  cookie to stop an obvious resend, and accepts that a determined trainee could send two.
- Anonymous responses are never listed by when they arrived: their order among
  themselves or beside named ones (whose dates are shown) would date them more finely
  than the month. They are listed apart, by month and then by their content.
- Who reads what (``readable_by``): an admin reads everything; a supervisor reads the
  named responses of the people they supervise (``team.access``) and their own, and every
  anonymous one, which belongs to the scenario rather than to anyone.
- Nothing is deleted: replies are appended, and "addressed" is set once and stays.
- A reply is stored once: the same text from the same author on the same response within
  a minute (``trainer.repeats``) is a resent form or a second press, not a second reply.
- A named response's replies are shown to its author; anonymous responses cannot be routed
  back, so their replies are shown with them to everyone on the scenario's page (the form
  says so before the trainee chooses to be anonymous).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..collation import title_key
from ..models import Attempt, SurveyReply, SurveyResponse, User
from ..repeats import sent_moments_ago, take_turns
from ..team.access import visible_trainee_ids

FACES = (1, 2, 3, 4, 5)
COMMENT_MAX = 2000
REPLY_MAX = 4000


class SurveyError(ValueError):
    """The answer cannot be stored (unfinished attempt, empty or out-of-range answer)."""


@dataclass(frozen=True)
class SurveyAnswer:
    usefulness: int | None
    realism: int | None
    comment: str
    anonymous: bool

    @property
    def empty(self) -> bool:
        return self.usefulness is None and self.realism is None and not self.comment.strip()


def named_response(session: Session, attempt_id: int) -> SurveyResponse | None:
    """The named response sent after this attempt, with its replies."""
    return session.scalar(
        select(SurveyResponse).options(selectinload(SurveyResponse.replies).selectinload(SurveyReply.author))
        .where(SurveyResponse.attempt_id == attempt_id)
    )


def sent_month(day: date) -> date:
    """What an anonymous response keeps of the day it was sent: its month (as the first day)."""
    return day.replace(day=1)


def readable_by(viewer: User) -> ColumnElement[bool]:
    """The condition on responses ``viewer`` may read (see the module's rules)."""
    if viewer.role == "admin":
        return true()
    return or_(SurveyResponse.user_id.is_(None), SurveyResponse.user_id == viewer.id,
               SurveyResponse.user_id.in_(visible_trainee_ids(viewer)))


# Anonymous responses in an order that says nothing finer than the month about when each
# arrived (never by id, which grows with time): newest month first, then by their content.
_ANONYMOUS_ORDER = (SurveyResponse.created_on.desc(), SurveyResponse.comment, SurveyResponse.usefulness,
                    SurveyResponse.realism)


def submit(session: Session, attempt: Attempt, answer: SurveyAnswer, today: date) -> SurveyResponse | None:
    """Store the survey sent after ``attempt``; None when a named one was already sent."""
    if attempt.status != "finished":
        raise SurveyError("only a finished attempt can be rated")
    if answer.empty:
        raise SurveyError("nothing was answered")
    for value in (answer.usefulness, answer.realism):
        if value is not None and value not in FACES:
            raise SurveyError(f"{value} is not on the five-face scale")
    if named_response(session, attempt.id) is not None:
        return None
    row = SurveyResponse(
        scenario_id=attempt.scenario_id, usefulness=answer.usefulness, realism=answer.realism,
        comment=answer.comment.strip()[:COMMENT_MAX],
        created_on=sent_month(today) if answer.anonymous else today,
    )
    if not answer.anonymous:
        row.user_id = attempt.user_id
        row.attempt_id = attempt.id
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None  # the same named survey sent twice at once: the first one counts
    return row


def reply(session: Session, response: SurveyResponse, author_id: int, body: str, now: datetime) -> SurveyReply | None:
    """Append an author's reply to a response; None when they sent the same one moments ago."""
    text = body.strip()[:REPLY_MAX]
    if not text:
        raise SurveyError("an empty reply")
    take_turns(session, SurveyResponse, response.id)
    if sent_moments_ago(session, SurveyReply, now, response_id=response.id, author_id=author_id, body=text):
        return None
    row = SurveyReply(response_id=response.id, author_id=author_id, body=text, created_at=now)
    session.add(row)
    session.flush()
    return row


def mark_addressed(session: Session, response: SurveyResponse, by: int, now: datetime) -> bool:
    """Mark a response addressed; False when it already was (the first marking stays)."""
    if response.addressed_at is not None:
        return False
    response.addressed_at = now
    response.addressed_by = by
    session.flush()
    return True


@dataclass(frozen=True)
class ScenarioFeedback:
    scenario_id: str
    responses: int
    usefulness: float | None
    realism: float | None
    unaddressed: int


def scenario_summaries(session: Session, readable: ColumnElement[bool]) -> dict[str, ScenarioFeedback]:
    """Per scenario: number of responses, average answers, how many still need attention,
    over the ``readable`` responses only (the reader's figures match the list they read)."""
    rows = session.execute(
        select(SurveyResponse.scenario_id, func.count(SurveyResponse.id),
               func.avg(SurveyResponse.usefulness), func.avg(SurveyResponse.realism),
               func.sum(case((SurveyResponse.addressed_at.is_(None), 1), else_=0)))
        .where(readable)
        .group_by(SurveyResponse.scenario_id)
    ).all()
    return {sid: ScenarioFeedback(sid, int(n), None if u is None else float(u), None if r is None else float(r),
                                  int(open_ or 0))
            for sid, n, u, r, open_ in rows}


def index_order(scenario_ids: list[str], summaries: Mapping[str, ScenarioFeedback],
                titles: Mapping[str, str]) -> list[tuple[str, ScenarioFeedback | None]]:
    """The feedback index's rows: the scenarios with most unaddressed responses first, then
    most responses, then by title (``titles``, as the reader sees them; the id when missing)."""
    def key(sid: str) -> tuple:
        found = summaries.get(sid)
        return (-(found.unaddressed if found else 0), -(found.responses if found else 0),
                title_key(titles.get(sid, sid)))
    return [(sid, summaries.get(sid)) for sid in sorted(scenario_ids, key=key)]


def _with_replies():
    return (select(SurveyResponse)
            .options(selectinload(SurveyResponse.replies).selectinload(SurveyReply.author),
                     selectinload(SurveyResponse.user)))


def named_responses_for(session: Session, scenario_id: str, readable: ColumnElement[bool]) -> list[SurveyResponse]:
    """The ``readable`` named responses about a scenario, unaddressed first, newest first within each."""
    return list(session.scalars(
        _with_replies().where(SurveyResponse.scenario_id == scenario_id, SurveyResponse.user_id.is_not(None), readable)
        .order_by(SurveyResponse.addressed_at.is_not(None), SurveyResponse.id.desc())
    ))


def anonymous_responses_for(session: Session, scenario_id: str) -> list[SurveyResponse]:
    """The anonymous responses about a scenario, unaddressed first, then as ``_ANONYMOUS_ORDER``."""
    return list(session.scalars(
        _with_replies().where(SurveyResponse.scenario_id == scenario_id, SurveyResponse.user_id.is_(None))
        .order_by(SurveyResponse.addressed_at.is_not(None), *_ANONYMOUS_ORDER)
    ))


def responses_of(session: Session, user_id: int) -> list[SurveyResponse]:
    """A person's named responses with the replies to them, newest first."""
    return list(session.scalars(
        _with_replies().where(SurveyResponse.user_id == user_id).order_by(SurveyResponse.id.desc())
    ))


def reply_count(session: Session, user_id: int) -> int:
    """How many replies authors wrote to this person's named responses."""
    return session.scalar(
        select(func.count(SurveyReply.id)).join(SurveyResponse, SurveyReply.response_id == SurveyResponse.id)
        .where(SurveyResponse.user_id == user_id)
    ) or 0


def public_replies(session: Session, scenario_id: str) -> list[SurveyResponse]:
    """Anonymous responses about a scenario that authors answered, newest month first."""
    answered = select(SurveyReply.response_id)
    return list(session.scalars(
        _with_replies().where(SurveyResponse.scenario_id == scenario_id, SurveyResponse.user_id.is_(None),
                              SurveyResponse.id.in_(answered))
        .order_by(*_ANONYMOUS_ORDER)
    ))
