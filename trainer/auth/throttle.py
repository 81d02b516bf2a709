"""Login throttling: too many failed logins for a user name or from an address close the door for a while.

Every failure is a row in ``login_failures``, so all app servers sharing the database see
the same count; nothing is kept in a process. The window slides: a user name is refused
while ``user_limit`` or more of its failures are younger than the window, and opens again
when the oldest of those grows older. Refused attempts are not recorded (the password is
not even checked), so waiting always helps. Failures for names that do not exist count the
same way, so the answers never reveal which accounts exist.

Plain SQLAlchemy, no Flask: the view passes the session, the policy and the clock.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import LoginFailure, User

USERNAME_LENGTH = 80  # the column's length
ADDRESS_LENGTH = 64


@dataclass(frozen=True)
class Policy:
    user_limit: int = 5
    address_limit: int = 20
    window: timedelta = timedelta(minutes=15)


def throttle_key(username: str) -> str:
    """The name failures are counted under: case and surrounding spaces do not make a new name."""
    return username.strip().lower()[:USERNAME_LENGTH]


def _reopens_at(session: Session, column, value: str, limit: int, since: datetime, window: timedelta) -> datetime | None:
    if limit <= 0:
        return None  # 0 switches this limit off
    # The limit-th newest failure in the window: the door reopens when it leaves the window.
    oldest_blocking = session.scalar(
        select(LoginFailure.created_at)
        .where(column == value, LoginFailure.created_at > since)
        .order_by(LoginFailure.created_at.desc())
        .offset(limit - 1).limit(1)
    )
    return oldest_blocking + window if oldest_blocking is not None else None


def blocked_until(session: Session, policy: Policy, username: str, address: str, now: datetime) -> datetime | None:
    """When logins for ``username`` from ``address`` are allowed again, or None if they are now."""
    since = now - policy.window
    times = [
        _reopens_at(session, LoginFailure.username, throttle_key(username), policy.user_limit, since, policy.window),
        _reopens_at(session, LoginFailure.address, address[:ADDRESS_LENGTH], policy.address_limit, since, policy.window),
    ]
    found = [t for t in times if t is not None and t > now]
    return max(found) if found else None


def record_failure(session: Session, policy: Policy, username: str, address: str, now: datetime) -> None:
    """Count a failed login and forget failures too old to matter any more."""
    session.add(LoginFailure(username=throttle_key(username), address=address[:ADDRESS_LENGTH], created_at=now))
    _prune(session, policy, now)


def record_success(session: Session, policy: Policy, username: str, now: datetime) -> None:
    """A successful login clears that user name's failures (not the address's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == throttle_key(username)))
    _prune(session, policy, now)


def _prune(session: Session, policy: Policy, now: datetime) -> None:
    # Opportunistic: failures are rare, so cleaning up on each keeps the table tiny
    # without a scheduled job.
    session.execute(delete(LoginFailure).where(LoginFailure.created_at <= now - policy.window))


@dataclass(frozen=True)
class LoginResult:
    """The user when the password matched; ``retry_after`` when the door is closed;
    ``blocked`` when the password matched an account an admin has blocked."""

    user: User | None = None
    retry_after: timedelta | None = None
    blocked: bool = False


def authenticate(session: Session, policy: Policy, username: str, password: str, address: str,
                 now: datetime) -> LoginResult:
    """Check a login under the throttling policy and record its outcome (the caller commits)."""
    until = blocked_until(session, policy, username, address, now)
    if until is not None:
        return LoginResult(retry_after=until - now)
    # Stored names are lower case (team.people.create_user), and a phone keyboard may well
    # have capitalised the first letter.
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if not _password_matches(user, password):
        record_failure(session, policy, username, address, now)
        return LoginResult()
    if user.blocked_at is not None:
        # Said only after the right password, so it reveals nothing to someone guessing.
        return LoginResult(blocked=True)
    record_success(session, policy, username, now)
    return LoginResult(user=user)


_DUMMY_HASHES: dict[str, str] = {}


def _password_matches(user: User | None, password: str) -> bool:
    if user is not None:
        return user.check_password(password)
    # Hash anyway, so an unknown name takes as long as a wrong password (no user enumeration).
    method = User.password_method
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False
