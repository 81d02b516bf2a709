"""A person changes their own password: the current one checked under the login throttle,
the new one under the rules of ``passwords``.

Plain SQLAlchemy, no Flask: the view passes the session, the policy and the clock, and
commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..models import User
from ..team import account_log
from . import passwords, throttle


@dataclass(frozen=True)
class PasswordChange:
    """What came of a request to change one's password. ``saved`` when it was changed;
    otherwise why not: ``retry_after`` when the user name is locked (nothing was checked),
    ``wrong_current`` (with the login throttle's ``failures_left`` and ``locked_for``), and
    the ``problems`` of the new one, ``same`` when it is the current one."""

    saved: bool = False
    retry_after: timedelta | None = None
    wrong_current: bool = False
    failures_left: int | None = None
    locked_for: timedelta | None = None
    problems: list[passwords.Problem] = field(default_factory=list)
    same: bool = False


def new_password_problems(user: User, new: str) -> list[passwords.Problem]:
    """What is wrong with ``new`` as ``user``'s own password (nothing checked in the database)."""
    return passwords.problems(new, username=user.username, display_name=user.display_name)


def change_own_password(session: Session, policy: throttle.Policy, user: User, current: str, new: str,
                        address: str, now: datetime) -> PasswordChange:
    """Give ``user`` the password ``new`` they chose, if ``current`` is theirs and ``new`` may
    be used; the caller commits (a wrong current password is counted as a failed login)."""
    # A wrong current password counts against the name as a failed login does: a session
    # left open on a shared computer must not become a way to guess the password.
    checked = throttle.authenticate(session, policy, user.username, current, address, now, logging_in=False)
    if checked.retry_after is not None:
        return PasswordChange(retry_after=checked.retry_after)
    problems = new_password_problems(user, new)
    wrong = checked.user is None
    same = not wrong and new == current
    if wrong or problems or same:
        return PasswordChange(wrong_current=wrong, failures_left=checked.failures_left if wrong else None,
                              locked_for=checked.locked_for, problems=problems, same=same)
    user.set_password(new, temporary=False)
    account_log.record(session, user, "password_chosen", user, now)
    return PasswordChange(saved=True)
