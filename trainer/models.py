"""Database models: users, the scenario versions played, attempts and their steps.

Steps are append-only: each is written in the same transaction that moves its attempt
forward, and ``(attempt_id, index)`` is unique so a step can never be recorded twice.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db

ROLES = ("trainee", "supervisor", "admin")


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

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=self.password_method)

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
    source: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_user_scenario_status", "user_id", "scenario_id", "status"),)

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

    user: Mapped[User] = relationship()
    version: Mapped[ScenarioVersion] = relationship()
    steps: Mapped[list[Step]] = relationship(order_by="Step.index", back_populates="attempt")


class Step(db.Model):
    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("attempt_id", "index", name="uq_steps_attempt_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    index: Mapped[int]
    node_id: Mapped[str] = mapped_column(String(64))
    choice_id: Mapped[str] = mapped_column(String(64))
    via: Mapped[list] = mapped_column(JSON, default=list)
    score_delta: Mapped[dict] = mapped_column(JSON, default=dict)
    state_after: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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
