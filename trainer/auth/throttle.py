"""Login throttling: too many failed logins for a user name close the door for it for a while.

Every failure is a row in ``login_failures``, so all app servers sharing the database see
the same count; nothing is kept in a process. The window slides: a user name is refused
while ``user_limit`` or more of its failures are younger than the window, and opens again
when the oldest of those grows older. Refused attempts are not recorded (the password is
not even checked), so waiting always helps. Failures for names that do not exist count the
same way, so the answers never reveal which accounts exist. An administrator who sets a
new password or lifts the lock clears the name's failures (``clear_failures``).

The address limit does not refuse a right password. A legal-aid centre usually sits behind
one address, where a training day of new accounts mistyping their passwords used to shut
out the whole office, people who had not failed at all included. So past
``address_limit`` the password is still checked: a right one logs in, a wrong one is
counted (against its name too) and answered with a note that the network is throttled.

What that costs against guessing: from one address, someone can now try ``user_limit``
passwords on every user name they know per window (password spraying), where before
they had ``address_limit`` tries in all. The per-name limit is what bounds guessing now,
and it bounds it from every address together, which the address limit never did (a
second address had a fresh allowance). Generated passwords are 14 characters from 55
symbols, far beyond reach at 5 guesses per 15 minutes; chosen ones are at least 8. A
refusal that kept a whole office out was the worse trade for these centres.

Plain SQLAlchemy, no Flask: the view passes the session, the policy and the clock.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
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

    @classmethod
    def from_config(cls, config: Mapping) -> Policy:
        """The policy the app's settings give (TRAINER_LOGIN_*)."""
        return cls(user_limit=int(config["TRAINER_LOGIN_USER_LIMIT"]),
                   address_limit=int(config["TRAINER_LOGIN_ADDRESS_LIMIT"]),
                   window=timedelta(minutes=float(config["TRAINER_LOGIN_WINDOW_MINUTES"])))


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


def _still_closed(reopens: datetime | None, now: datetime) -> datetime | None:
    return reopens if reopens is not None and reopens > now else None


def name_locked_until(session: Session, policy: Policy, username: str, now: datetime) -> datetime | None:
    """When logins with ``username`` are allowed again, or None if they are now."""
    return _still_closed(_reopens_at(session, LoginFailure.username, throttle_key(username), policy.user_limit,
                                     now - policy.window, policy.window), now)


def address_throttled_until(session: Session, policy: Policy, address: str, now: datetime) -> datetime | None:
    """Until when ``address`` is over its limit, or None if it is not."""
    return _still_closed(_reopens_at(session, LoginFailure.address, address[:ADDRESS_LENGTH], policy.address_limit,
                                     now - policy.window, policy.window), now)


def failures_left(session: Session, policy: Policy, username: str, now: datetime) -> int | None:
    """How many more failures ``username`` may have before it is locked (None: no limit)."""
    if policy.user_limit <= 0:
        return None
    counted = session.scalar(select(func.count(LoginFailure.id)).where(
        LoginFailure.username == throttle_key(username), LoginFailure.created_at > now - policy.window))
    return max(0, policy.user_limit - counted)


def record_failure(session: Session, policy: Policy, username: str, address: str, now: datetime) -> None:
    """Count a failed login and forget failures too old to matter any more."""
    session.add(LoginFailure(username=throttle_key(username), address=address[:ADDRESS_LENGTH], created_at=now))
    _prune(session, policy, now)


def record_success(session: Session, policy: Policy, username: str, now: datetime) -> None:
    """A successful login clears that user name's failures (not the address's)."""
    clear_failures(session, policy, username, now)


def clear_failures(session: Session, policy: Policy, username: str, now: datetime) -> None:
    """Forget ``username``'s failures, which lifts its lock: after a successful login, or
    when an administrator sets a new password or lifts the lock. The addresses' counts of
    other names' failures stay."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == throttle_key(username)))
    _prune(session, policy, now)


def lift_lock(session: Session, config: Mapping, username: str, now: datetime) -> bool:
    """Forget ``username``'s failures when an account is given a way in (a new password, a
    new account under a name someone tried, an unblocked account), under the policy the app's
    settings give (``config``); whether they had locked it."""
    policy = Policy.from_config(config)
    locked = name_locked_until(session, policy, username, now) is not None
    clear_failures(session, policy, username, now)
    return locked


def lift_locks(session: Session, config: Mapping, usernames: Iterable[str], now: datetime) -> None:
    """Forget the failures of every name in ``usernames`` at once (one DELETE, one prune):
    ``lift_lock`` for many accounts, such as those a CSV import creates."""
    keys = {throttle_key(name) for name in usernames}
    if not keys:
        return
    session.execute(delete(LoginFailure).where(LoginFailure.username.in_(keys)))
    _prune(session, Policy.from_config(config), now)


def _prune(session: Session, policy: Policy, now: datetime) -> None:
    # Opportunistic: failures are rare, so cleaning up on each keeps the table tiny
    # without a scheduled job.
    session.execute(delete(LoginFailure).where(LoginFailure.created_at <= now - policy.window))


@dataclass(frozen=True)
class LoginResult:
    """The user when the password matched; ``retry_after`` when the user name is locked
    (the password was not checked); ``blocked`` when the password matched an account an
    admin has blocked.

    After a wrong password: ``failures_left``, how many more the name may have before it
    is locked (0: this failure locked it, for ``locked_for``; None: no limit), and
    ``address_throttled``, whether the address was over its limit."""

    user: User | None = None
    retry_after: timedelta | None = None
    blocked: bool = False
    failures_left: int | None = None
    address_throttled: bool = False
    locked_for: timedelta | None = None


def authenticate(session: Session, policy: Policy, username: str, password: str, address: str,
                 now: datetime, *, logging_in: bool = True) -> LoginResult:
    """Check a login under the throttling policy and record its outcome (the caller commits):
    a success is the user's last login unless ``logging_in`` is false (a password checked
    again by someone logged in already, as when they change it)."""
    until = name_locked_until(session, policy, username, now)
    if until is not None:
        return LoginResult(retry_after=until - now)
    # Stored names are lower case (team.people.create_user), and a phone keyboard may well
    # have capitalised the first letter.
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if not _password_matches(user, password):
        # Past its limit an address still gets a right password in (see the module's
        # docstring); a wrong one is told that the network is throttled.
        address_throttled = address_throttled_until(session, policy, address, now) is not None
        record_failure(session, policy, username, address, now)
        left = failures_left(session, policy, username, now)
        locked = name_locked_until(session, policy, username, now) if left == 0 else None
        return LoginResult(failures_left=left, address_throttled=address_throttled,
                           locked_for=locked - now if locked is not None else None)
    if user.blocked_at is not None:
        # Said only after the right password, so it reveals nothing to someone guessing.
        return LoginResult(blocked=True)
    record_success(session, policy, username, now)
    if logging_in:
        user.last_login_at = now
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
