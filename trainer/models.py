"""Database models: people and cohorts, assignments, attempts and their steps, and the
judgements added to them (self-ratings, supervisor ratings, comments, reviews, feedback).

Steps are append-only: each is written in the same transaction that moves its attempt
forward, and ``(attempt_id, index)`` is unique so a step can never be recorded twice.
Nothing a person wrote (comments, ratings, overrides, survey answers) is ever deleted;
a changed judgement is a new row, and the newest one counts.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .auth.passwords import session_fingerprint
from .extensions import db

ROLES = ("trainee", "supervisor", "admin")
MODES = ("practice", "assessment")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # werkzeug's default (scrypt); tests lower it because hashing dominates their run time.
    password_method = "scrypt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="trainee")
    locale: Mapped[str | None] = mapped_column(String(8), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when an admin blocks the account; the person's records stay (migration 0005).
    blocked_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set by an administrator, who has seen it: the person chooses their own at the next
    # login (auth/passwords.py; migration 0009).
    password_temporary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The last successful login (UTC): admins see who has not logged in yet, or for how long.
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)

    def set_password(self, password: str, *, temporary: bool = False) -> None:
        """A new password; ``temporary`` when someone else (an administrator) set it."""
        self.password_hash = self.hash_password(password)
        self.password_temporary = temporary

    def get_id(self) -> str:
        # What the session keeps (Flask-Login): the id and a keyed mark of the password hash,
        # so a new password, whoever set it, ends the sessions logged in with the old one
        # (auth/access.py reads it back).
        return f"{self.id}:{session_fingerprint(current_app.secret_key, self.password_hash)}"

    @classmethod
    def hash_password(cls, password: str) -> str:
        return generate_password_hash(password, method=cls.password_method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        return self.display_name or self.username


class ScenarioVersion(db.Model):
    """The exact text of a scenario as played, so old transcripts stay readable."""

    __tablename__ = "scenario_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The whole scenario file (40–120 kB): read only when a version has to be compiled,
    # never by the queries that merely find an attempt's version or its hash.
    source: Mapped[str] = mapped_column(Text, deferred=True)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


def _partial(condition: str) -> dict:
    """The WHERE of a partial index, the same on SQLite and PostgreSQL."""
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


class Attempt(db.Model):
    __tablename__ = "attempts"
    # Two clicks on "start" (or two tabs) at the same moment each found no unfinished
    # attempt and each started one: these indexes make the second insert fail, and
    # ``attempts.start_or_resume`` then resumes the attempt that won. A NULL assignment
    # never equals another, hence one index for self-study and one for assignments.
    __table_args__ = (
        Index("ix_attempts_user_scenario_status", "user_id", "scenario_id", "status"),
        Index("uq_attempts_active_self_study", "user_id", "scenario_id", unique=True,
              **_partial("status = 'active' AND assignment_id IS NULL")),
        Index("uq_attempts_active_assigned", "user_id", "scenario_id", "assignment_id", unique=True,
              **_partial("status = 'active' AND assignment_id IS NOT NULL")),
        # An assessment allows one attempt. The app never sets one aside; only migration
        # 0004 did, to the extra attempts that duplicate starts had already made.
        Index("uq_attempts_one_assessment", "user_id", "assignment_id", unique=True,
              **_partial("mode = 'assessment' AND status != 'abandoned' AND assignment_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    scenario_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | finished | abandoned
    state: Mapped[dict] = mapped_column(JSON)
    step_count: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    ending: Mapped[str | None] = mapped_column(String(64), default=None)
    critical_choice: Mapped[str | None] = mapped_column(String(64), default=None)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when the attempt answers an assignment; assessment hides feedback until the end.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True, default=None)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    # Per-decision time limit in seconds (assessment only); the trainee may extend it or
    # switch it off (WCAG 2.2.1) and the supervisor sees how often they did.
    time_limit: Mapped[int | None] = mapped_column(default=None)
    time_extensions: Mapped[int] = mapped_column(default=0)  # in the whole attempt
    decision_extensions: Mapped[int] = mapped_column(default=0)  # for the decision on screen
    time_limit_off_at: Mapped[int | None] = mapped_column(default=None)  # step index when switched off
    # A self-study attempt the trainee chose to play "without hints": it stays practice, but
    # like an assessment it shows no feedback until the debrief (migration 0007).
    feedback_at_end: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship()
    version: Mapped[ScenarioVersion] = relationship()
    steps: Mapped[list[Step]] = relationship(order_by="Step.index", back_populates="attempt")

    @property
    def feedback_deferred(self) -> bool:
        """Feedback waits for the debrief: in an assessment, and in practice played without hints."""
        return self.mode == "assessment" or bool(self.feedback_at_end)


_WRITTEN = text("free_text IS NOT NULL")  # a step that holds a written answer


class Step(db.Model):
    __tablename__ = "steps"
    __table_args__ = (
        UniqueConstraint("attempt_id", "index", name="uq_steps_attempt_index"),
        # Written answers are a small share of all steps: the review queue and the counts of
        # answers waiting for review read them through this index instead of every step.
        Index("ix_steps_written", "attempt_id", sqlite_where=_WRITTEN, postgresql_where=_WRITTEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    index: Mapped[int]
    node_id: Mapped[str] = mapped_column(String(64))
    choice_id: Mapped[str] = mapped_column(String(64))
    via: Mapped[list] = mapped_column(JSON, default=list)
    score_delta: Mapped[dict] = mapped_column(JSON, default=dict)
    state_after: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Seconds from the moment the node was shown (previous step or start) to this answer.
    seconds: Mapped[float | None] = mapped_column(Float, default=None)
    # Answered after the decision's time limit ran out (assessment with a limit only).
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    extensions: Mapped[int] = mapped_column(default=0)  # time extensions asked for this decision
    # Free-text answers: what the trainee wrote and what the rubric found in it.
    free_text: Mapped[str | None] = mapped_column(Text, default=None)
    rubric_result: Mapped[dict | None] = mapped_column(JSON, default=None)

    attempt: Mapped[Attempt] = relationship(back_populates="steps")


class SearchDocument(db.Model):
    """One searchable page or scenario in one language; ``lemmas`` feeds the full-text index."""

    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    lemmas: Mapped[str] = mapped_column(Text)


class Cohort(db.Model):
    """A team trained together, e.g. the front desk of one centre."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[CohortMember]] = relationship(back_populates="cohort", cascade="all, delete-orphan")


class CohortMember(db.Model):
    """A person in a cohort, either as a trainee or as one of its supervisors."""

    __tablename__ = "cohort_members"
    __table_args__ = (Index("ix_cohort_members_user", "user_id", "role"),)

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="trainee")  # trainee | supervisor

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Assignment(db.Model):
    """A scenario a supervisor asked a cohort or one person to play, by a date, in a mode."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(64), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True, default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    due_on: Mapped[date | None] = mapped_column(default=None)
    time_limit: Mapped[int | None] = mapped_column(default=None)
    # An assessment's pass mark on the overall score, in % (trainer/passing.py; migration 0010).
    pass_mark: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a supervisor cancels it; attempts made under it keep their link (migration 0005).
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)

    cohort: Mapped[Cohort | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class AttemptScore(db.Model):
    """An attempt's final score on one competency, kept in rows so dashboards aggregate in SQL."""

    __tablename__ = "attempt_scores"
    __table_args__ = (Index("ix_attempt_scores_user_comp", "user_id", "competency"),)

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    scenario_id: Mapped[str] = mapped_column(String(64))
    points: Mapped[int]
    max_points: Mapped[int]
    percent: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)


class SelfRating(db.Model):
    """How the trainee rated their own performance on a competency after an attempt (1-5)."""

    __tablename__ = "self_ratings"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rating: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SupervisorRating(db.Model):
    """A supervisor's own 1-5 rating of an attempt on a competency, apart from the automatic score."""

    __tablename__ = "supervisor_ratings"
    __table_args__ = (Index("ix_supervisor_ratings_attempt", "attempt_id", "competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rater: Mapped[User] = relationship()


class StepComment(db.Model):
    __tablename__ = "step_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class FreeTextReview(db.Model):
    """A supervisor's verdict on an automatically scored free-text answer."""

    __tablename__ = "free_text_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agrees: Mapped[bool] = mapped_column(Boolean)
    # The element ids the reviewer judges present, when they disagree with the rubric.
    found: Mapped[list | None] = mapped_column(JSON, default=None)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reviewer: Mapped[User] = relationship()


class ReviewCard(db.Model):
    """The spaced-repetition card of one scenario for one person (an ``fsrs`` card as JSON)."""

    __tablename__ = "review_cards"
    __table_args__ = (Index("ix_review_cards_user_due", "user_id", "due_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    card: Mapped[dict] = mapped_column(JSON)
    due_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyResponse(db.Model):
    """A trainee's opinion of a scenario. Anonymous answers keep no user, attempt or time of day."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"), unique=True, default=None)
    usefulness: Mapped[int | None] = mapped_column(default=None)  # 1-5 faces
    realism: Mapped[int | None] = mapped_column(default=None)  # 1-5 faces
    comment: Mapped[str] = mapped_column(Text, default="")
    created_on: Mapped[date]
    addressed_at: Mapped[datetime | None] = mapped_column(default=None)
    addressed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    replies: Mapped[list[SurveyReply]] = relationship(order_by="SurveyReply.id", back_populates="response")


class SurveyReply(db.Model):
    __tablename__ = "survey_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[SurveyResponse] = relationship(back_populates="replies")
    author: Mapped[User] = relationship()


class XapiStatement(db.Model):
    """An xAPI statement waiting to be, or already, sent to the Learning Record Store (an outbox)."""

    __tablename__ = "xapi_statements"
    __table_args__ = (Index("ix_xapi_statements_pending", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    verb: Mapped[str] = mapped_column(String(32))
    body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


class LoginFailure(db.Model):
    """A failed sign-in, kept in the database so throttling holds across app servers."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_user_time", "username", "created_at"),
                      Index("ix_login_failures_addr_time", "address", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccountEvent(db.Model):
    """Something done to an account, by whom and when: created or imported, a password given
    by an administrator or chosen by its owner, a role or name changed, blocked, unblocked, a
    login lock lifted, put into a cohort, given another role in one, taken out of one.
    Append-only, like the rest of the records (team/account_log.py)."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Who did it; None for the command line (`trainer user …`), run by whoever runs the server.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    action: Mapped[str] = mapped_column(String(32))
    # What changed, where the action alone does not say: a role's before and after, say.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
