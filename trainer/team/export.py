"""Exports of attempts, steps and scores: CSV for other programs, an Excel workbook for people.

Both read one query in chunks (``yield_per``), so exporting a large centre never holds
every row in memory: the CSV is streamed a chunk of lines at a time, and the workbook is
written by openpyxl's write-only mode, row by row, into a file the caller provides (the
view uses a temporary file and sends it).

Both have the same columns. The CSV is for scripts: stable column ids as its header, comma
separated, the columns it always had in their places (new ones go last), UTF-8 with a byte
order mark (without one, Excel reads UTF-8 Cyrillic as mojibake). The workbook is for
reading: a header in the reader's language, the person's name and the scenario's title
next to their ids, and real numbers and dates. Times are the centre's (``TRAINER_TIMEZONE``):
in the CSV as ISO 8601 with the UTC offset, in the workbook as the wall clock (Excel dates
carry no zone, so the header names it). Text that a spreadsheet could run as a formula is
defused in both.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO, TYPE_CHECKING

import pytz
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..models import Attempt, AttemptScore, ScenarioVersion, Step, User

if TYPE_CHECKING:
    from ..scenario.registry import Registry

KINDS = ("attempts", "steps", "scores")
CHUNK = 1000
BOM = "\ufeff"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's rows per sheet; a longer export goes on in another sheet with the header again.
SHEET_ROWS = 1_048_576
# OWASP's list for CSV injection (a tab or carriage return may precede a formula), and the
# full-width signs, which some spreadsheet programs read as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# Column types: text, a value written as stored (a number or a truth value), a number
# rounded to a tenth, a time.
TEXT, VALUE, ROUNDED, TIME = "text", "value", "rounded", "time"
SHEET_TITLES = {"attempts": _l("Attempts"), "steps": _l("Steps"), "scores": _l("Scores")}


@dataclass(frozen=True)
class Column:
    id: str  # the CSV header: never renamed, scripts read it
    label: object  # the workbook's header (a lazy translation)
    type: str = TEXT
    width: int = 14  # characters, in the workbook


COLUMNS = {c.id: c for c in (
    Column("attempt_id", _l("Attempt no."), VALUE, 10),
    Column("username", _l("User name"), TEXT, 16),
    Column("display_name", _l("Full name"), TEXT, 26),
    Column("scenario_id", _l("Scenario ID"), TEXT, 20),
    Column("scenario_title", _l("Scenario"), TEXT, 36),
    Column("mode", _l("Mode"), TEXT, 11),
    Column("assignment_id", _l("Assignment no."), VALUE, 10),
    Column("status", _l("Status"), TEXT, 10),
    Column("outcome", _l("Outcome"), TEXT, 10),
    Column("ending", _l("Ending"), TEXT, 18),
    Column("critical_choice", _l("Critical choice"), TEXT, 18),
    Column("steps", _l("Decisions made"), VALUE, 10),
    Column("started_at", _l("Started"), TIME, 20),
    Column("finished_at", _l("Finished at"), TIME, 20),
    Column("time_limit", _l("Time limit per decision, s"), VALUE, 12),
    Column("time_extensions", _l("Time extensions"), VALUE, 12),
    Column("time_limit_off_at_step", _l("Time limit switched off at decision (from 0)"), VALUE, 14),
    Column("index", _l("Decision (from 0)"), VALUE, 10),
    Column("node_id", _l("Node ID"), TEXT, 20),
    Column("choice_id", _l("Choice ID"), TEXT, 20),
    Column("score_delta", _l("Points changed"), TEXT, 26),
    Column("seconds", _l("Time to decide, s"), ROUNDED, 12),
    Column("late", _l("After the time limit"), VALUE, 10),
    Column("extensions", _l("Time extensions asked"), VALUE, 12),
    Column("free_text", _l("Written answer"), TEXT, 50),
    Column("created_at", _l("Answered at"), TIME, 20),
    Column("competency", _l("Competency"), TEXT, 24),
    Column("points", _l("Points"), VALUE, 8),
    Column("max_points", _l("Maximum points"), VALUE, 10),
    Column("percent", _l("Percent"), ROUNDED, 9),
)}
# Where the workbook puts the two columns the CSV adds at its end: beside their ids.
_BESIDE = {"display_name": "username", "scenario_title": "scenario_id"}


def _query(kind: str, users: Select) -> tuple[list[str], Select]:
    """The export's columns in CSV order and the query for them; ``scenario_title`` is not
    selected but looked up from ``scenario_id``."""
    if kind == "attempts":
        header = ["attempt_id", "username", "scenario_id", "mode", "assignment_id", "status", "outcome", "ending",
                  "critical_choice", "steps", "started_at", "finished_at", "time_limit", "time_extensions",
                  "time_limit_off_at_step", "display_name", "scenario_title"]
        query = (select(Attempt.id, User.username, Attempt.scenario_id, Attempt.mode, Attempt.assignment_id,
                        Attempt.status, Attempt.outcome, Attempt.ending, Attempt.critical_choice, Attempt.step_count,
                        Attempt.started_at, Attempt.finished_at, Attempt.time_limit, Attempt.time_extensions,
                        Attempt.time_limit_off_at, User.display_name)
                 .join(User, User.id == Attempt.user_id).where(Attempt.user_id.in_(users)).order_by(Attempt.id))
    elif kind == "steps":
        header = ["attempt_id", "username", "scenario_id", "index", "node_id", "choice_id", "score_delta", "seconds",
                  "late", "extensions", "free_text", "created_at", "display_name", "scenario_title"]
        query = (select(Step.attempt_id, User.username, Attempt.scenario_id, Step.index, Step.node_id, Step.choice_id,
                        Step.score_delta, Step.seconds, Step.late, Step.extensions, Step.free_text, Step.created_at,
                        User.display_name)
                 .join(Attempt, Attempt.id == Step.attempt_id).join(User, User.id == Attempt.user_id)
                 .where(Attempt.user_id.in_(users)).order_by(Step.attempt_id, Step.index))
    elif kind == "scores":
        header = ["attempt_id", "username", "scenario_id", "competency", "points", "max_points", "percent",
                  "finished_at", "display_name", "scenario_title"]
        query = (select(AttemptScore.attempt_id, User.username, AttemptScore.scenario_id, AttemptScore.competency,
                        AttemptScore.points, AttemptScore.max_points, AttemptScore.percent, AttemptScore.finished_at,
                        User.display_name)
                 .join(User, User.id == AttemptScore.user_id).where(AttemptScore.user_id.in_(users))
                 .order_by(AttemptScore.attempt_id, AttemptScore.competency))
    else:
        raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    return header, query


def scenario_titles(session: Session, registry: Registry, lang: str) -> dict[str, str]:
    """Every scenario's title in ``lang`` (Ukrainian where it has no English): from the
    library, or for a scenario no longer in it, from its newest stored version."""
    titles = {sid: loaded.scenario.title.get(lang) for sid, loaded in registry.current.items()}
    newest = (select(ScenarioVersion.scenario_id, func.max(ScenarioVersion.version).label("version"))
              .where(ScenarioVersion.scenario_id.not_in(list(titles))).group_by(ScenarioVersion.scenario_id)
              .subquery())
    gone = session.scalars(select(ScenarioVersion).join(
        newest, (ScenarioVersion.scenario_id == newest.c.scenario_id) & (ScenarioVersion.version == newest.c.version)))
    for version in gone:
        compiled = registry.played(version)
        titles[version.scenario_id] = compiled.scenario.title.get(lang) if compiled is not None else ""
    return titles


def _converter(column_type: str, zone) -> Callable[[object], object]:
    if column_type == TIME:
        return lambda v: pytz.utc.localize(v).astimezone(zone) if v is not None else None
    if column_type == ROUNDED:
        return lambda v: round(v, 1) if v is not None else None
    if column_type == TEXT:
        return lambda v: ";".join(f"{k}={n}" for k, n in sorted(v.items())) if isinstance(v, dict) else v
    return lambda v: v


def _table(session: Session, kind: str, users: Select, zone: str,
           titles: Mapping[str, str]) -> tuple[list[str], Iterator[list]]:
    """The column ids (CSV order) and the rows as values: times aware in ``zone``, seconds
    and percentages rounded to a tenth, points changes as ``competency=delta`` text."""
    header, query = _query(kind, users)
    tz = pytz.timezone(zone)
    scenario_at = header.index("scenario_id")
    converters = [_converter(COLUMNS[c].type, tz) for c in header[:-1]]

    def rows() -> Iterator[list]:
        for row in session.execute(query.execution_options(yield_per=CHUNK)):
            values = [convert(v) for convert, v in zip(converters, row)]
            values.append(titles.get(row[scenario_at], ""))
            yield values
    return header, rows()


def defused(text: str) -> str:
    # Spreadsheet programs run cells starting with these as formulas.
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _cell(value) -> object:
    """One CSV cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, str):
        return defused(value)
    return value


def export_csv(session: Session, kind: str, users: Select, *, zone: str,
               titles: Mapping[str, str]) -> Iterator[str]:
    """The CSV text of one export, a chunk of lines at a time, the byte order mark first."""
    header, rows = _table(session, kind, users, zone, titles)
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for i, row in enumerate(rows):
        writer.writerow([_cell(v) for v in row])
        if i % CHUNK == CHUNK - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _people_order(header: list[str]) -> list[int]:
    """Positions of the CSV columns in the workbook's order (names and titles beside ids)."""
    order = [c for c in header if c not in _BESIDE]
    for column, beside in _BESIDE.items():
        if column in header:
            order.insert(order.index(beside) + 1, column)
    return [header.index(c) for c in order]


def _xlsx_value(sheet, value) -> object:
    """One workbook cell: a number, a date, a truth value, or text stored as text."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # the centre's wall clock; the header names the zone
    if not isinstance(value, str):
        return value
    # Control characters are not allowed in the file's XML; show where one was.
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if value[:1] in FORMULA_STARTS or value[:1] == "#":
        # openpyxl would write "=…" as a formula and "#N/A" as an error: keep them text,
        # with Excel's own apostrophe prefix, which keeps the cell text even when edited.
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def export_xlsx(session: Session, kind: str, users: Select, target: IO[bytes], *, zone: str,
                titles: Mapping[str, str]) -> None:
    """Write one export as an Excel workbook into ``target`` (a binary file), row by row."""
    header, rows = _table(session, kind, users, zone, titles)
    order = _people_order(header)
    columns = [COLUMNS[header[i]] for i in order]
    labels = [f"{c.label} ({zone})" if c.type == TIME else str(c.label) for c in columns]
    workbook = Workbook(write_only=True)
    title = str(SHEET_TITLES[kind])
    last_column = get_column_letter(len(columns))
    sheets: list = []

    def new_sheet():
        sheet = workbook.create_sheet(title if not sheets else f"{title} {len(sheets) + 1}")
        # Widths and the frozen header must be set before the first row is written.
        for number, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        cells = []
        for label in labels:
            cell = WriteOnlyCell(sheet, label)
            cell.data_type, cell.font = "s", bold
            cells.append(cell)
        sheet.append(cells)
        sheets.append(sheet)
        return sheet

    sheet = new_sheet()
    written = 1
    for row in rows:
        if written == SHEET_ROWS:
            sheet.auto_filter.ref = f"A1:{last_column}{written}"
            sheet = new_sheet()
            written = 1
        sheet.append([_xlsx_value(sheet, row[i]) for i in order])
        written += 1
    sheet.auto_filter.ref = f"A1:{last_column}{written}"
    workbook.save(target)
