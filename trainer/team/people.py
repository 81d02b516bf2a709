"""Accounts and cohorts: create, change, and import users from a CSV file.

Messages are lazy translatable strings: they show in the reader's language.
The CSV import is all or nothing. A dry run checks every row and reports every problem
with its line number; nothing is written until the whole file is clean, so a half-imported
team never has to be cleaned up by hand.
"""
from __future__ import annotations

import csv
import io
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import settings
from ..models import ROLES, Cohort, CohortMember, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
# The columns' lengths, and the account form's password limits, which the import shares.
USERNAME_MAX = User.__table__.c.username.type.length
DISPLAY_NAME_MAX = User.__table__.c.display_name.type.length
COHORT_NAME_MAX = Cohort.__table__.c.name.type.length
PASSWORD_MIN, PASSWORD_MAX = 8, 200
COLUMNS = ("username", "display_name", "role", "cohort", "locale", "password")
REQUIRED = ("username", "role")
LOCALES = ("", "uk", "en")
MAX_ROWS = 5000


class PeopleError(ValueError):
    """A change that cannot be made; the message says what to fix."""


def check_username(username: str) -> str | None:
    if not USERNAME.match(username):
        return _l("use 3–80 lower-case Latin letters, digits, dots, hyphens or underscores, "
                  "starting with a letter or digit")
    return None


def generate_password() -> str:
    return secrets.token_urlsafe(9)


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


def create_user(session: Session, *, username: str, role: str, display_name: str = "", locale: str | None = None,
                password: str | None = None, password_hash: str | None = None) -> tuple[User, str]:
    """A new account; returns it with its password (generated when none is given).

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
    user = User(username=username, display_name=display_name.strip(), role=role, locale=locale or None)
    if password_hash is None:
        user.set_password(password)
    else:
        user.password_hash = password_hash
    session.add(user)
    session.flush()
    return user, password


def change_role(session: Session, user: User, role: str) -> None:
    """Give ``user`` another role, unless that would leave the centre without an admin:
    nobody could then manage people in the app (``trainer user role`` is the way back)."""
    if role not in ROLES:
        raise PeopleError(_l("Role must be one of %(roles)s.", roles=", ".join(ROLES)))
    if user.role == "admin" and role != "admin":
        others = session.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.id != user.id))
        if not others:
            raise PeopleError(_l("%(name)s is the only admin; give someone else the admin role first, or "
                                 "nobody will be able to manage people and groups.", name=user.username))
    user.role = role


def set_membership(session: Session, cohort: Cohort, user: User, role: str) -> None:
    if role not in ("trainee", "supervisor"):
        raise PeopleError(_l("A cohort member is a trainee or a supervisor."))
    if role == "supervisor" and user.role not in ("supervisor", "admin"):
        raise PeopleError(_l("%(name)s has the trainee role; give them the supervisor role first.", name=user.username))
    member = session.get(CohortMember, (cohort.id, user.id))
    if member is None:
        session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role=role))
    else:
        member.role = role


def remove_membership(session: Session, cohort: Cohort, user_id: int) -> None:
    member = session.get(CohortMember, (cohort.id, user_id))
    if member is not None:
        session.delete(member)


def create_cohort(session: Session, name: str, description: str = "") -> Cohort:
    name = name.strip()
    if not name:
        raise PeopleError(_l("Give the cohort a name."))
    if len(name) > COHORT_NAME_MAX:
        raise PeopleError(_l("The cohort name is longer than %(n)s characters; shorten it.", n=COHORT_NAME_MAX))
    # Compared in Python: SQLite's lower() only folds ASCII, and cohort names are Ukrainian.
    if name.casefold() in {n.casefold() for n in session.scalars(select(Cohort.name))}:
        raise PeopleError(_l("A cohort called “%(name)s” exists already.", name=name))
    cohort = Cohort(name=name, description=description.strip())
    session.add(cohort)
    session.flush()
    return cohort


# -- CSV import --------------------------------------------------------------------

@dataclass(frozen=True)
class RowProblem:
    line: int
    message: object  # a lazy translatable string


@dataclass
class ImportPlan:
    rows: list[dict] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    new_cohorts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        # Excel in Ukraine still saves CSV as Windows-1251 unless told otherwise.
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PeopleError(_l("The file is neither UTF-8 nor Windows-1251 text; save it as CSV UTF-8."))


def plan_import(session: Session, data: bytes) -> ImportPlan:
    """Check a users CSV; every problem is reported with its line, nothing is written."""
    plan = ImportPlan()
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    # csv.DictReader keeps only the last of two columns with one name: say so, never guess.
    repeated = sorted({h for h in header if header.count(h) > 1}, key=header.index)
    for name in repeated:
        plan.problems.append(RowProblem(1, _l("column %(name)s appears more than once (columns %(columns)s); "
                                              "keep one of them", name=name or "“”",
                                              columns=", ".join(str(i + 1) for i, h in enumerate(header) if h == name))))
    if missing or unknown or repeated:
        if missing:
            plan.problems.append(RowProblem(1, _l("missing column(s): %(missing)s; the header may name %(columns)s "
                                                  "(only username and role are required)",
                                                  missing=", ".join(missing), columns=", ".join(COLUMNS))))
        if unknown:
            plan.problems.append(RowProblem(1, _l("unknown column(s): %(unknown)s; allowed: %(columns)s",
                                                  unknown=", ".join(unknown), columns=", ".join(COLUMNS))))
        return plan
    existing = {u.lower() for u in session.scalars(select(User.username))}
    # Compared by casefold(), as create_cohort compares: SQLite's lower() only folds ASCII.
    cohorts = {c.casefold(): c for c in session.scalars(select(Cohort.name))}
    new_cohorts: dict[str, tuple[int, str]] = {}  # folded name → the line that first named it, and how
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if len(plan.rows) >= MAX_ROWS:
            plan.problems.append(RowProblem(line, _l("more than %(n)s rows; split the file", n=MAX_ROWS)))
            break
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            plan.problems.append(RowProblem(line, _l("more values than columns; check the separators and quotes")))
            continue
        if not any(row.values()):
            continue
        username = row.get("username", "").lower()
        problem = check_username(username)
        if problem:
            plan.problems.append(RowProblem(line, _l("username “%(name)s”: %(problem)s", name=username, problem=problem)))
        elif username in existing:
            plan.problems.append(RowProblem(line, _l("username “%(name)s” exists already", name=username)))
        elif username in seen:
            plan.problems.append(RowProblem(line, _l("username “%(name)s” repeats line %(line)s", name=username,
                                                     line=seen[username])))
        seen.setdefault(username, line)
        role = row.get("role", "").lower()
        if role not in ROLES:
            plan.problems.append(RowProblem(line, _l("role “%(role)s”: use one of %(roles)s", role=role,
                                                     roles=", ".join(ROLES))))
        locale = row.get("locale", "").lower()
        if locale not in LOCALES:
            plan.problems.append(RowProblem(line, _l("locale “%(locale)s”: use uk, en or leave it empty", locale=locale)))
        display_name = row.get("display_name", "")
        if len(display_name) > DISPLAY_NAME_MAX:
            plan.problems.append(RowProblem(line, _l("display_name is longer than %(n)s characters (%(length)s); "
                                                     "shorten it", n=DISPLAY_NAME_MAX, length=len(display_name))))
        password = row.get("password", "")
        if password and len(password) < PASSWORD_MIN:
            plan.problems.append(RowProblem(line, _l("password shorter than %(n)s characters; leave it empty to "
                                                     "generate one", n=PASSWORD_MIN)))
        elif len(password) > PASSWORD_MAX:
            plan.problems.append(RowProblem(line, _l("password longer than %(n)s characters; shorten it or leave it "
                                                     "empty to generate one", n=PASSWORD_MAX)))
        cohort = row.get("cohort", "")
        folded = cohort.casefold()
        if len(cohort) > COHORT_NAME_MAX:
            plan.problems.append(RowProblem(line, _l("cohort is longer than %(n)s characters (%(length)s); shorten it",
                                                     n=COHORT_NAME_MAX, length=len(cohort))))
        elif folded in cohorts:
            cohort = cohorts[folded]  # the existing cohort, however the file capitalised it
        elif folded in new_cohorts:
            first_line, first = new_cohorts[folded]
            if cohort != first:
                # Cohort names are unique regardless of case: these would be one cohort.
                plan.problems.append(RowProblem(line, _l(
                    "cohort “%(name)s” differs from “%(first)s” on line %(line)s only in capital letters; write "
                    "it the same way on both lines", name=cohort, first=first, line=first_line)))
        elif cohort:
            new_cohorts[folded] = (line, cohort)
            plan.new_cohorts.append(cohort)
        plan.rows.append({"line": line, "username": username, "display_name": display_name,
                          "role": role, "locale": locale, "cohort": cohort, "password": password})
    if not plan.rows and not plan.problems:
        plan.problems.append(RowProblem(2, _l("the file has a header but no users")))
    return plan


def already_imported(session: Session, plan: ImportPlan) -> bool:
    """Whether every account the file names exists: it was imported a moment ago (a second
    press of Import, a resent form), not a file with problems."""
    names = {row["username"] for row in plan.rows}
    if not names:
        return False
    found = session.scalar(select(func.count()).select_from(User).where(User.username.in_(names)))
    return found == len(names)


def run_import(session: Session, plan: ImportPlan) -> list[tuple[User, str | None]]:
    """Create every planned user; returns each with the password generated for it, if any."""
    if not plan.ok:
        raise PeopleError(_l("The file has problems; fix them and check it again before importing."))
    cohorts = {c.name.casefold(): c for c in session.scalars(select(Cohort))}
    for name in plan.new_cohorts:
        cohorts[name.casefold()] = create_cohort(session, name)
    created = []
    passwords = [row["password"] or generate_password() for row in plan.rows]
    for row, password, hashed in zip(plan.rows, passwords, hash_passwords(passwords)):
        user, password = create_user(session, username=row["username"], role=row["role"],
                                     display_name=row["display_name"], locale=row["locale"] or None,
                                     password=password, password_hash=hashed)
        if row["cohort"]:
            member_role = "supervisor" if row["role"] in ("supervisor", "admin") else "trainee"
            set_membership(session, cohorts[row["cohort"].casefold()], user, member_role)
        created.append((user, None if row["password"] else password))
    return created
