"""Importing accounts from a users CSV file, all or nothing.

A dry run (``plan_import``) checks every row and reports every problem with its line
number; nothing is written until the whole file is clean, so a half-imported team never
has to be cleaned up by hand. ``run_import`` then creates the accounts and cohorts through
``people``, so each account's history says it was imported and by whom. Messages are lazy
translatable strings: they show in the reader's language.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ROLES, Cohort, User
from ..uploads import binary_kind
from .export import defused
from .people import (COHORT_NAME_MAX, DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, PeopleError, check_username,
                     create_cohort, create_user, generate_password, hash_passwords, set_membership)

COLUMNS = ("username", "display_name", "role", "cohort", "locale", "password")
REQUIRED = ("username", "role")
# The Ukrainian names a header may give each column instead of the English one, as an admin
# writes them; compared as header_key() folds them. templates/admin/import.html lists them.
HEADER_ALIASES = {
    "username": ("ім'я користувача", "логін"),
    "display_name": ("повне ім'я", "ПІБ", "ім'я"),
    "role": ("роль",),
    "cohort": ("група",),
    "locale": ("мова",),
    "password": ("пароль",),
}
LOCALES = ("", "uk", "en")
# What people write in the language column besides the codes: "ua" is the country's code,
# and the languages' names in either language.
LOCALE_NAMES = {"ua": "uk", "українська": "uk", "ukrainian": "uk", "англійська": "en", "english": "en"}
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowProblem:
    line: int | None  # None: a problem of the file as a whole, not of one of its lines
    message: object  # a lazy translatable string


@dataclass
class ImportPlan:
    rows: list[dict] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    new_cohorts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


# What to do with a file that cannot be read, in the words of the menus people see.
SAVE_AS_CSV_UTF8 = _l("In Excel choose File → Save As, pick the file type “CSV UTF-8” and choose the saved file "
                      "here.")
# The role column takes the ids and the names the interface shows (either language,
# any capitals, and the feminine forms people write in Ukrainian).
ROLE_NAMES = {
    "trainee": "trainee", "слухач": "trainee", "слухачка": "trainee",
    "supervisor": "supervisor", "керівник": "supervisor", "керівниця": "supervisor",
    "admin": "admin", "administrator": "admin", "адміністратор": "admin", "адміністраторка": "admin",
}
SEPARATORS = (",", ";", "\t")
# Ukrainian keyboards and word processors type the apostrophe in ім'я as any of these.
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})


def header_key(name: str) -> str:
    """A header cell as it is compared: capitals, runs of spaces and the kind of
    apostrophe do not matter."""
    return " ".join(name.translate(APOSTROPHES).casefold().split())


# Every accepted header, folded, to the column it names.
HEADERS = {header_key(name): column for column in COLUMNS for name in (column, *HEADER_ALIASES[column])}


def column_names(column: str) -> str:
    """A column's English name and its Ukrainian ones, for a message: "role / роль"."""
    return " / ".join((column, *HEADER_ALIASES[column]))


def decode_csv(data: bytes) -> str:
    """The text of an uploaded users file.

    UTF-8 (with or without a byte-order mark) and UTF-16 with one (Excel's "Unicode Text")
    are read; anything else is refused with how to save the file. Guessing a legacy code
    page would turn names into nonsense without a word (KOI8-R read as Windows-1251 does),
    and the wrong names would then become accounts.
    """
    if binary_kind(data) is not None:
        raise PeopleError(_l("This is a spreadsheet or another binary file, not CSV text. %(how)s",
                             how=SAVE_AS_CSV_UTF8))
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PeopleError(_l("The file is not UTF-8 or UTF-16 text (perhaps Windows-1251 or KOI8-R), so its "
                             "letters cannot be read reliably. %(how)s", how=SAVE_AS_CSV_UTF8)) from None
    if "\x00" in text:  # UTF-16 or UTF-32 without a byte-order mark
        raise PeopleError(_l("The file is not UTF-8 or UTF-16 text, so its letters cannot be read reliably. %(how)s",
                             how=SAVE_AS_CSV_UTF8))
    if not text.strip():
        raise PeopleError(_l("The file is empty. Its first line names the columns (at least username and role), "
                             "and each further line is one person."))
    return text


def separator(header: str) -> str:
    """The header line's separator: the one it uses most of comma, semicolon (Excel's
    under a Ukrainian locale) and tab ("Unicode Text"); a comma for a one-column header."""
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def header_problems(names: list[str]) -> list:
    """What is wrong with a header whose cells are ``names`` (as the file writes them).

    Messages name the columns as the file does: an admin looks for «Логін» in the file,
    not for username."""
    problems = []
    positions: dict[str, list[int]] = {}
    for number, name in enumerate(names, start=1):
        column = HEADERS.get(header_key(name))
        if column:
            positions.setdefault(column, []).append(number)
    # Reading by column, only the last of two columns for one thing would count: say so, never guess.
    for column, numbers in positions.items():
        if len(numbers) < 2:
            continue
        spellings = list(dict.fromkeys(names[n - 1] for n in numbers))
        where = ", ".join(map(str, numbers))
        if len({header_key(s) for s in spellings}) == 1:
            problems.append(_l("column %(name)s appears more than once (columns %(columns)s); keep one of them",
                               name=spellings[0], columns=where))
        else:
            problems.append(_l("columns %(names)s all mean %(column)s (columns %(columns)s); keep one of them",
                               names=", ".join(spellings), column=column, columns=where))
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        problems.append(_l("missing column(s): %(missing)s; the header may name %(columns)s (only username and "
                           "role are required)", missing=", ".join(column_names(c) for c in missing),
                           columns=", ".join(COLUMNS)))
    unknown = list(dict.fromkeys(name or "“”" for name in names if header_key(name) not in HEADERS))
    if unknown:
        problems.append(_l("unknown column(s): %(unknown)s; allowed: %(columns)s", unknown=", ".join(unknown),
                           columns=", ".join(column_names(c) for c in COLUMNS)))
    return problems


def plan_import(session: Session, data: bytes) -> ImportPlan:
    """Check a users CSV; every problem is reported with its line, nothing is written.

    The header may name the columns in English or in Ukrainian (HEADER_ALIASES). Raises
    PeopleError when the file cannot be read as text at all."""
    plan = ImportPlan()
    text = decode_csv(data)
    first = next(line for line in text.splitlines() if line.strip())
    reader = csv.reader(io.StringIO(text), delimiter=separator(first))
    names = [cell.strip() for cell in next((cells for cells in reader if not _blank(cells)), [])]
    header_line = reader.line_num
    problems = header_problems(names)
    if problems:
        plan.problems.extend(RowProblem(header_line, message) for message in problems)
        return plan
    columns = [HEADERS[header_key(name)] for name in names]
    label = dict(zip(columns, names))  # each column as the file names it, for the messages
    existing = {u.lower() for u in session.scalars(select(User.username))}
    # Compared by casefold(), as create_cohort compares: SQLite's lower() only folds ASCII.
    cohorts = {c.casefold(): c for c in session.scalars(select(Cohort.name))}
    new_cohorts: dict[str, tuple[int, str]] = {}  # folded name → the line that first named it, and how
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not cells:
            continue
        if len(plan.rows) >= MAX_ROWS:
            plan.problems.append(RowProblem(line, _l("more than %(n)s rows; split the file", n=MAX_ROWS)))
            break
        if len(cells) > len(columns):
            plan.problems.append(RowProblem(line, _l("more values than columns; check the separators and quotes")))
            continue
        if _blank(cells):
            continue
        row = {column: cell.strip() for column, cell in zip(columns, cells)}
        # Messages quote each value as the file writes it, so it can be found there.
        given_username = row.get("username", "")
        username = given_username.lower()
        problem = check_username(username)
        if problem:
            plan.problems.append(RowProblem(line, _l("%(column)s “%(value)s”: %(problem)s", column=label["username"],
                                                     value=given_username, problem=problem)))
        elif username in existing:
            plan.problems.append(RowProblem(line, _l("%(column)s “%(value)s”: this account exists already",
                                                     column=label["username"], value=given_username)))
        elif username in seen:
            plan.problems.append(RowProblem(line, _l("%(column)s “%(value)s” repeats line %(line)s",
                                                     column=label["username"], value=given_username,
                                                     line=seen[username])))
        seen.setdefault(username, line)
        given_role = row.get("role", "")
        role = ROLE_NAMES.get(given_role.casefold(), given_role.lower())
        if role not in ROLES:
            plan.problems.append(RowProblem(line, _l("%(column)s “%(value)s”: use trainee, supervisor or admin, or a "
                                                     "role name as the app shows it (Trainee, Supervisor, "
                                                     "Administrator; Слухач, Керівник, Адміністратор)",
                                                     column=label["role"], value=given_role)))
        given_locale = row.get("locale", "")
        locale = LOCALE_NAMES.get(given_locale.casefold(), given_locale.lower())
        if locale not in LOCALES:
            plan.problems.append(RowProblem(line, _l("%(column)s “%(value)s”: use uk, en or leave it empty",
                                                     column=label["locale"], value=given_locale)))
        display_name = row.get("display_name", "")
        if len(display_name) > DISPLAY_NAME_MAX:
            plan.problems.append(RowProblem(line, _l("%(column)s: more than %(n)s characters (%(length)s); shorten "
                                                     "it", column=label["display_name"], n=DISPLAY_NAME_MAX,
                                                     length=len(display_name))))
        password = row.get("password", "")
        if password and len(password) < PASSWORD_MIN:
            plan.problems.append(RowProblem(line, _l("%(column)s: fewer than %(n)s characters; leave it empty to "
                                                     "generate a password", column=label["password"], n=PASSWORD_MIN)))
        elif len(password) > PASSWORD_MAX:
            plan.problems.append(RowProblem(line, _l("%(column)s: more than %(n)s characters; shorten it or leave it "
                                                     "empty to generate a password", column=label["password"],
                                                     n=PASSWORD_MAX)))
        cohort = row.get("cohort", "")
        folded = cohort.casefold()
        if len(cohort) > COHORT_NAME_MAX:
            plan.problems.append(RowProblem(line, _l("%(column)s: more than %(n)s characters (%(length)s); shorten "
                                                     "it", column=label["cohort"], n=COHORT_NAME_MAX,
                                                     length=len(cohort))))
        elif folded in cohorts:
            cohort = cohorts[folded]  # the existing cohort, however the file capitalised it
        elif folded in new_cohorts:
            first_line, first = new_cohorts[folded]
            if cohort != first:
                # Cohort names are unique regardless of case: these would be one cohort.
                plan.problems.append(RowProblem(line, _l(
                    "%(column)s “%(value)s” differs from “%(first)s” on line %(line)s only in capital letters; "
                    "write it the same way on both lines", column=label["cohort"], value=cohort, first=first,
                    line=first_line)))
        elif cohort:
            new_cohorts[folded] = (line, cohort)
            plan.new_cohorts.append(cohort)
        plan.rows.append({"line": line, "username": username, "display_name": display_name,
                          "role": role, "locale": locale, "cohort": cohort, "password": password})
    if not plan.rows and not plan.problems:
        # Of the file, not of a line: there is no line of people to point at.
        plan.problems.append(RowProblem(None, _l("The file has only a header line and no people: add a line "
                                                 "for each person under it.")))
    return plan


def already_imported(session: Session, plan: ImportPlan) -> bool:
    """Whether every account the file names exists: it was imported a moment ago (a second
    press of Import, a resent form), not a file with problems."""
    names = {row["username"] for row in plan.rows}
    if not names:
        return False
    found = session.scalar(select(func.count()).select_from(User).where(User.username.in_(names)))
    return found == len(names)


def run_import(session: Session, plan: ImportPlan, *, actor: User) -> list[tuple[User, str | None]]:
    """Create every planned user (imported by ``actor``); returns each with the password
    generated for it, if any."""
    if not plan.ok:
        raise PeopleError(_l("The file has problems; fix them and check it again before importing."))
    cohorts = {c.name.casefold(): c for c in session.scalars(select(Cohort))}
    for name in plan.new_cohorts:
        cohorts[name.casefold()] = create_cohort(session, name)
    created = []
    passwords = [row["password"] or generate_password() for row in plan.rows]
    for row, password, hashed in zip(plan.rows, passwords, hash_passwords(passwords)):
        user, password = create_user(session, username=row["username"], role=row["role"], actor=actor,
                                     display_name=row["display_name"], locale=row["locale"] or None,
                                     password=password, password_hash=hashed, imported=True)
        if row["cohort"]:
            member_role = "supervisor" if row["role"] in ("supervisor", "admin") else "trainee"
            set_membership(session, cohorts[row["cohort"].casefold()], user, member_role, actor=actor)
        created.append((user, None if row["password"] else password))
    return created


def credentials_csv(header: list[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    """A CSV file of new accounts and their generated passwords, to hand out.

    UTF-8 with a byte-order mark, so Excel shows Cyrillic names right; a cell that a
    spreadsheet would run as a formula (a display name starting with "=") is escaped, as
    the exports escape theirs. ``delimiter`` is ";" for a person whose spreadsheet writes
    decimals with a comma (Excel in Ukrainian splits columns at ";" and would put a
    comma-separated file in one column); the users import reads either.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([defused(cell) for cell in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
