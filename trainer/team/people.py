"""Accounts and cohorts: create and change them; an account's changes go into its history.

Messages are lazy translatable strings: they show in the reader's language. Importing
many accounts from a CSV file is ``people_import``'s.
"""
from __future__ import annotations

import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import settings
from ..auth import throttle
from ..collation import person_key
from . import account_log
from ..models import ROLES, Assignment, Cohort, CohortMember, User, utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
# The columns' lengths, and the account form's password limits, which the import shares.
USERNAME_MAX = User.__table__.c.username.type.length
DISPLAY_NAME_MAX = User.__table__.c.display_name.type.length
COHORT_NAME_MAX = Cohort.__table__.c.name.type.length
PASSWORD_MIN, PASSWORD_MAX = 8, 200


class PeopleError(ValueError):
    """A change that cannot be made; the message says what to fix."""


def check_username(username: str) -> str | None:
    if not USERNAME.match(username):
        return _l("use 3–80 lower-case Latin letters, digits, dots, hyphens or underscores, "
                  "starting with a letter or digit")
    return None


# Generated passwords are read off a screen or a printout and typed in by hand, so the
# alphabet leaves out characters that look alike in common fonts (0 O o, 1 l I i).
# 14 characters of 55 carry about 81 bits, more than ``token_urlsafe(9)``'s 72.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GENERATED_PASSWORD_LENGTH = 14


def generate_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(GENERATED_PASSWORD_LENGTH))


def hash_passwords(passwords: list[str]) -> list[str]:
    """Each password's hash, in order, computed on every core at once.

    scrypt is meant to be slow, about a tenth of a second a password, and it lets other
    threads run while it works: hashed one after another, an import of 500 people kept the
    admin waiting about a minute.
    """
    if len(passwords) < 2:
        return [User.hash_password(p) for p in passwords]
    with ThreadPoolExecutor(max_workers=min(len(passwords), settings.cores()), thread_name_prefix="hash") as pool:
        return list(pool.map(User.hash_password, passwords))


def create_user(session: Session, *, username: str, role: str, actor: User | None, display_name: str = "",
                locale: str | None = None, password: str | None = None, password_hash: str | None = None,
                imported: bool = False) -> tuple[User, str]:
    """A new account, in its history as created (``imported``: by a CSV import) by ``actor``
    (None: the command line); returns it with its password (generated when none is given).

    Whoever creates an account (an admin, the command line) has seen its password, so it is
    temporary: the person chooses their own at the first login.
    ``password_hash``, when given, is ``password``'s hash computed beforehand (see
    ``hash_passwords``)."""
    username = username.strip().lower()
    problem = check_username(username)
    if problem:
        raise PeopleError(_l("User name “%(name)s”: %(problem)s.", name=username, problem=problem))
    if role not in ROLES:
        raise PeopleError(_l("Role must be one of %(roles)s.", roles=", ".join(ROLES)))
    if len(display_name.strip()) > DISPLAY_NAME_MAX:
        raise PeopleError(_l("The full name is longer than %(n)s characters; shorten it.", n=DISPLAY_NAME_MAX))
    if session.scalar(select(User.id).where(func.lower(User.username) == username)) is not None:
        raise PeopleError(_l("User name “%(name)s” is taken.", name=username))
    password = password or generate_password()
    now = utcnow()
    user = User(username=username, display_name=display_name.strip(), role=role, locale=locale or None, created_at=now)
    if password_hash is None:
        user.set_password(password, temporary=True)
    else:
        user.password_hash, user.password_temporary = password_hash, True
    session.add(user)
    session.flush()
    account_log.record(session, user, "imported" if imported else "created", actor, now, role=role)
    return user, password


def rename(session: Session, user: User, display_name: str, *, actor: User | None) -> bool:
    """Set ``user``'s full name (stripped); whether it changed (and then the account's history
    has the name before and after, and who changed it)."""
    name = display_name.strip()
    if name == user.display_name:
        return False
    account_log.record(session, user, "renamed", actor, utcnow(), before=user.display_name, after=name)
    user.display_name = name
    return True


def give_password(session: Session, user: User, password: str, *, actor: User | None, generated: bool) -> None:
    """A password set for ``user`` by an admin (``actor``; None: the command line), in the
    account's history. It is temporary, replaced at the person's next login, unless the admin
    set their own (they chose it). The sessions logged in with the old one end (User.get_id)."""
    user.set_password(password, temporary=actor is None or actor.id != user.id)
    account_log.record(session, user, "password_given", actor, utcnow(), generated=generated)


def lift_login_lock(session: Session, config, user: User, now: datetime, *, actor: User | None) -> bool:
    """Forget the failed logins with ``user``'s name (``config``: the app's settings); whether
    they had locked it, and then the account's history says who lifted it."""
    lifted = throttle.lift_lock(session, config, user.username, now)
    if lifted:
        account_log.record(session, user, "lock_lifted", actor, now)
    return lifted


def active_admins(session: Session, besides: User | None = None) -> int:
    """How many unblocked admins there are, ``besides`` left out."""
    query = select(func.count()).select_from(User).where(User.role == "admin", User.blocked_at.is_(None))
    if besides is not None:
        query = query.where(User.id != besides.id)
    return session.scalar(query) or 0


def _is_last_active_admin(session: Session, user: User) -> bool:
    return user.role == "admin" and user.blocked_at is None and not active_admins(session, besides=user)


def change_role(session: Session, user: User, role: str, *, actor: User | None, keep_an_admin: bool = True) -> list[str]:
    """Give ``user`` another role (a change goes into the account's history as done by
    ``actor``; None: the command line); returns the names of the cohorts they no longer supervise.

    Unless ``keep_an_admin`` is false (``trainer user role``, the way back), the last active
    admin keeps the role: nobody could manage people in the app otherwise. A trainee cannot
    supervise a cohort, so someone who becomes a trainee leaves the cohorts they supervised
    (their own attempts and the comments and ratings they gave stay); the admin is told which,
    and can add them back as a trainee where that is wanted.
    """
    if role not in ROLES:
        raise PeopleError(_l("Role must be one of %(roles)s.", roles=", ".join(ROLES)))
    if keep_an_admin and role != "admin" and _is_last_active_admin(session, user):
        raise PeopleError(_l("%(name)s is the only admin; give someone else the admin role first, or "
                             "nobody will be able to manage people and groups.", name=user.username))
    if role != user.role:
        # Before the cohorts left: the history, newest first, then shows the cause below them.
        account_log.record(session, user, "role", actor, utcnow(), before=user.role, after=role)
    user.role = role
    left: list[str] = []
    if role == "trainee":
        memberships = session.execute(
            select(CohortMember, Cohort.name).join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(CohortMember.user_id == user.id, CohortMember.role == "supervisor")
            .order_by(Cohort.name)).all()
        for member, name in memberships:
            session.delete(member)
            account_log.record(session, user, "left", actor, utcnow(), cohort=name)
            left.append(name)
    return left


def block_user(session: Session, user: User, now: datetime, *, actor: User | None) -> bool:
    """Block ``user`` (they left the centre): they can no longer log in, a session they have
    stops at its next request, and supervisors no longer count them among current people.
    Everything they did stays. Returns whether anything changed (and then the account's
    history says ``actor`` did it; None: the command line)."""
    if user.blocked_at is not None:
        return False
    if _is_last_active_admin(session, user):
        raise PeopleError(_l("%(name)s is the only active admin and cannot be blocked; give someone else the "
                             "admin role first.", name=user.username))
    user.blocked_at = now
    account_log.record(session, user, "blocked", actor, now)
    return True


def unblock_user(session: Session, user: User, now: datetime, *, actor: User | None) -> bool:
    """Let a blocked person log in again, with their cohorts and history as they were;
    whether they were blocked (and then the account's history says ``actor`` unblocked them)."""
    if user.blocked_at is None:
        return False
    user.blocked_at = None
    account_log.record(session, user, "unblocked", actor, now)
    return True


def set_membership(session: Session, cohort: Cohort, user: User, role: str, *, actor: User | None) -> str:
    """Put ``user`` into ``cohort`` with ``role``; returns what happened: "added",
    "changed" (their role in the cohort) or "unchanged". A change goes into the account's
    history as done by ``actor``, with the cohort's name as it is now."""
    if role not in ("trainee", "supervisor"):
        raise PeopleError(_l("A cohort member is a trainee or a supervisor."))
    if role == "supervisor" and user.role not in ("supervisor", "admin"):
        raise PeopleError(_l("%(name)s has the trainee role; give them the supervisor role first.", name=user.username))
    if user.blocked_at is not None:
        raise PeopleError(_l("The account %(name)s is blocked; unblock it first.", name=user.username))
    member = session.get(CohortMember, (cohort.id, user.id))
    if member is None:
        session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role=role))
        account_log.record(session, user, "joined", actor, utcnow(), cohort=cohort.name, role=role)
        return "added"
    if member.role == role:
        return "unchanged"
    account_log.record(session, user, "cohort_role", actor, utcnow(), cohort=cohort.name, before=member.role,
                       after=role)
    member.role = role
    return "changed"


def remove_membership(session: Session, cohort: Cohort, user_id: int, *, actor: User | None) -> bool:
    """Take someone out of ``cohort`` (their attempts stay); whether they were in it (and
    then the account's history says ``actor`` did it)."""
    member = session.get(CohortMember, (cohort.id, user_id))
    if member is None:
        return False
    session.delete(member)
    account_log.record(session, session.get(User, user_id), "left", actor, utcnow(), cohort=cohort.name)
    return True


def _cohort_name(session: Session, name: str, cohort_id: int | None = None) -> str:
    """``name`` stripped, once it is fit for a cohort other than ``cohort_id``'s."""
    name = name.strip()
    if not name:
        raise PeopleError(_l("Give the cohort a name."))
    if len(name) > COHORT_NAME_MAX:
        raise PeopleError(_l("The cohort name is longer than %(n)s characters; shorten it.", n=COHORT_NAME_MAX))
    # Compared in Python: SQLite's lower() only folds ASCII, and cohort names are Ukrainian.
    others = session.scalars(select(Cohort.name).where(Cohort.id != cohort_id) if cohort_id else select(Cohort.name))
    if name.casefold() in {n.casefold() for n in others}:
        raise PeopleError(_l("A cohort called “%(name)s” exists already.", name=name))
    return name


def create_cohort(session: Session, name: str, description: str = "") -> Cohort:
    cohort = Cohort(name=_cohort_name(session, name), description=description.strip())
    session.add(cohort)
    session.flush()
    return cohort


def update_cohort(session: Session, cohort: Cohort, name: str, description: str) -> bool:
    """Rename ``cohort`` and set its description (a typo in an imported file's cohort column
    made a cohort of its own); returns whether anything changed. Names stay unique whatever
    their capitals, as for a new cohort; a cohort may change the capitals of its own name."""
    name, description = _cohort_name(session, name, cohort.id), description.strip()
    if (name, description) == (cohort.name, cohort.description or ""):
        return False
    cohort.name, cohort.description = name, description
    return True


def cohort_in_use(session: Session, cohort: Cohort) -> tuple[int, int]:
    """How many members (blocked ones included) and assignments ``cohort`` has."""
    members = session.scalar(select(func.count()).select_from(CohortMember)
                             .where(CohortMember.cohort_id == cohort.id)) or 0
    assignments = session.scalar(select(func.count()).select_from(Assignment)
                                 .where(Assignment.cohort_id == cohort.id)) or 0
    return members, assignments


def delete_cohort(session: Session, cohort: Cohort) -> None:
    """Delete a cohort nobody is in and nothing was assigned to: one made by mistake.

    A cohort with members or assignments stays: its assignments hold attempts, and the
    dashboards and exports name it."""
    members, assignments = cohort_in_use(session, cohort)
    if members:
        raise PeopleError(_l("“%(name)s” still has members; remove them first.", name=cohort.name))
    if assignments:
        raise PeopleError(_l("Scenarios were assigned to “%(name)s”, so it stays with their history and cannot be "
                             "deleted.", name=cohort.name))
    session.delete(cohort)


def by_name(users) -> list[User]:
    """``users`` in the order a reader looks for them: by the name shown (the full name, or
    the user name without one), in Ukrainian alphabet order."""
    return sorted(users, key=lambda u: person_key(u.display_name, u.username))


def non_members(session: Session, cohort: Cohort, search: str = "") -> list[User]:
    """Active people not in ``cohort``, by name; with ``search``, only those whose user name
    or full name contains it (any capitals; compared in Python, see ``_cohort_name``)."""
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
    people = by_name(session.scalars(select(User).where(User.blocked_at.is_(None), User.id.not_in(members))))
    return [u for u in people if name_matches(u, search)]


def name_matches(user: User, search: str) -> bool:
    """Whether ``user``'s user name or full name contains ``search``, whatever its capitals
    and runs of spaces (an empty search matches everyone)."""
    needle = " ".join(search.casefold().split())
    return needle in user.username.casefold() or needle in " ".join(user.display_name.casefold().split())


def add_members(session: Session, cohort: Cohort, users: list[User], role: str, *, actor: User) -> list[User]:
    """Put several people into ``cohort`` with ``role`` at once; returns those who were not
    in it with that role. All or nothing: one who cannot have the role (a trainee as a
    supervisor, a blocked account) stops the lot, and the message names them."""
    unfit = [u.username for u in users if u.blocked_at is not None
             or (role == "supervisor" and u.role not in ("supervisor", "admin"))]
    if unfit:
        if role == "supervisor":
            raise PeopleError(_l("Only people with the supervisor or admin role, and not blocked, can supervise a "
                                 "cohort: %(names)s.", names=", ".join(unfit)))
        raise PeopleError(_l("These accounts are blocked; unblock them first: %(names)s.", names=", ".join(unfit)))
    return [u for u in users if set_membership(session, cohort, u, role, actor=actor) != "unchanged"]
