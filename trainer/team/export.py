"""Exports of attempts, steps and scores: CSV for other programs, an Excel workbook for people.

Both read one query in chunks (``yield_per``), so exporting a large centre never holds
every row in memory: the CSV is streamed a chunk of lines at a time, and the workbook is
written by openpyxl's write-only mode, row by row, into a file the caller provides (the
view uses a temporary file and sends it).

The CSV is for scripts: stable column ids as its header, comma separated, the columns it
always had in their places (new ones go last), codes as stored (``practice``, ``good``,
``empathy``), decisions counted from 0, UTF-8 with a byte order mark (without one, Excel
reads UTF-8 Cyrillic as mojibake). The workbook is for reading: a header in the reader's
language, the person's name, the scenario's title, the ending's title and the choice's words
next to their ids, modes, states, outcomes and competencies as the pages name them,
decisions counted from 1, and real numbers and dates. Times are the centre's
(``TRAINER_TIMEZONE``): in the CSV as ISO 8601 with the UTC offset, in the workbook as the
wall clock (Excel dates carry no zone, so the header names it). Text that a spreadsheet
could run as a formula is defused in both.

Points follow supervisors' reviews of written answers. The scores hold the reviewed points
(``reviews.rescore``); a step keeps the points the rubric gave when it was answered
(``score_delta``) and, beside them, the points that count after the newest review
(``reviewed_delta``), so the steps of an attempt add up to its scores.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
import re
from datetime import date, datetime
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

from ..models import Attempt, AttemptScore, FreeTextReview, ScenarioVersion, Step, User
from ..web import MODE_LABELS, OUTCOME_LABELS, STATUS_LABELS
from .reviews import found_by, latest_review_ids, with_verdicts

if TYPE_CHECKING:
    from ..scenario.registry import Registry

KINDS = ("attempts", "steps", "scores")


def file_name(kind: str, cohort: str | None, day: date, extension: str) -> str:
    """An export's file name: what it holds, whose (a cohort's name; none for everyone the
    reader supervises) and the day it was made, so that monthly downloads neither overwrite
    each other nor pile up as "(1)", "(2)". Letters of any script stay; anything a file
    system or a header could trip on becomes a hyphen."""
    whose = "-".join(re.findall(r"\w+", cohort or ""))
    return "-".join(part for part in ("trainer", kind, whose, day.isoformat()) if part) + "." + extension
CHUNK = 1000
BOM = "\ufeff"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's rows per sheet; a longer export goes on in another sheet with the header again.
SHEET_ROWS = 1_048_576
# OWASP's list for CSV injection (a tab or carriage return may precede a formula), and the
# full-width signs, which some spreadsheet programs read as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# Column types: text, a value written as stored (a number or a truth value), a number
# rounded to a tenth, a time, a percentage (rounded to a tenth; shown with "%" in the workbook).
TEXT, VALUE, ROUNDED, TIME, PERCENT = "text", "value", "rounded", "time", "percent"
PERCENT_FORMAT = '0"%"'  # the pages show whole percentages; the cell keeps the tenth
SHEET_TITLES = {"attempts": _l("Attempts"), "steps": _l("Steps"), "scores": _l("Scores")}
# An attempt's state as the pages put it (STATUS_LABELS are an assignment's).
ATTEMPT_STATES = {"active": STATUS_LABELS["in_progress"], "finished": _l("Completed"), "abandoned": _l("Set aside")}


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
    Column("mode", _l("Mode"), TEXT, 13),
    Column("assignment_id", _l("Assignment no."), VALUE, 10),
    Column("status", _l("Status"), TEXT, 12),
    Column("outcome", _l("Outcome"), TEXT, 24),
    Column("ending", _l("Ending ID"), TEXT, 18),
    Column("ending_title", _l("Ending"), TEXT, 30),
    Column("critical_choice", _l("Critical choice ID"), TEXT, 18),
    Column("critical_choice_text", _l("Critical choice"), TEXT, 40),
    Column("steps", _l("Decisions made"), VALUE, 10),
    Column("started_at", _l("Started"), TIME, 20),
    Column("finished_at", _l("Finished at"), TIME, 20),
    Column("time_limit", _l("Time limit per decision, s"), VALUE, 12),
    Column("time_extensions", _l("Time extensions"), VALUE, 12),
    Column("time_limit_off_at_step", _l("Time limit switched off at decision no."), VALUE, 14),
    Column("index", _l("Decision no."), VALUE, 10),
    Column("node_id", _l("Node ID"), TEXT, 20),
    Column("choice_id", _l("Choice ID"), TEXT, 20),
    Column("choice_text", _l("Choice"), TEXT, 40),
    Column("score_delta", _l("Points changed"), TEXT, 30),
    Column("seconds", _l("Time to decide, s"), ROUNDED, 12),
    Column("late", _l("After the time limit"), VALUE, 10),
    Column("extensions", _l("Time extensions asked"), VALUE, 12),
    Column("free_text", _l("Written answer"), TEXT, 50),
    Column("created_at", _l("Answered at"), TIME, 20),
    Column("reviewed", _l("Reviewed by a supervisor"), VALUE, 12),
    Column("reviewed_found", _l("Elements counted after review"), TEXT, 36),
    Column("reviewed_delta", _l("Points changed, with reviews"), TEXT, 30),
    Column("competency", _l("Competency"), TEXT, 30),
    Column("points", _l("Points"), VALUE, 8),
    Column("max_points", _l("Maximum points"), VALUE, 10),
    Column("percent", _l("Percent"), PERCENT, 9),
)}
# Where the workbook puts a column the CSV adds at its end (a name, a title), or that only
# the workbook has (the words of an ending or a choice): beside the id it explains.
_BESIDE = {"display_name": "username", "scenario_title": "scenario_id", "ending_title": "ending",
           "critical_choice_text": "critical_choice", "choice_text": "choice_id"}
_WORKBOOK_ONLY = ("ending_title", "critical_choice_text", "choice_text")
# Columns the CSV computes rather than selects.
_DERIVED = ("scenario_title", "reviewed", "reviewed_found", "reviewed_delta")


def _newest_verdicts():
    """The newest review of each reviewed step (as ``reviews``: the newest counts)."""
    return (select(FreeTextReview.step_id, FreeTextReview.agrees, FreeTextReview.found)
            .where(FreeTextReview.id.in_(latest_review_ids())).subquery())


def _query(kind: str, users: Select) -> tuple[list[str], list[str], Select]:
    """The export's columns in CSV order, the names of the hidden values after them, and the
    query: it selects the CSV's columns but the ``_DERIVED`` ones, then the hidden values."""
    if kind == "attempts":
        header = ["attempt_id", "username", "scenario_id", "mode", "assignment_id", "status", "outcome", "ending",
                  "critical_choice", "steps", "started_at", "finished_at", "time_limit", "time_extensions",
                  "time_limit_off_at_step", "display_name", "scenario_title"]
        hidden = ["version"]
        query = (select(Attempt.id, User.username, Attempt.scenario_id, Attempt.mode, Attempt.assignment_id,
                        Attempt.status, Attempt.outcome, Attempt.ending, Attempt.critical_choice, Attempt.step_count,
                        Attempt.started_at, Attempt.finished_at, Attempt.time_limit, Attempt.time_extensions,
                        Attempt.time_limit_off_at, User.display_name, Attempt.scenario_version_id)
                 .join(User, User.id == Attempt.user_id).where(Attempt.user_id.in_(users)).order_by(Attempt.id))
    elif kind == "steps":
        header = ["attempt_id", "username", "scenario_id", "index", "node_id", "choice_id", "score_delta", "seconds",
                  "late", "extensions", "free_text", "created_at", "display_name", "scenario_title",
                  "reviewed", "reviewed_found", "reviewed_delta"]
        hidden = ["version", "rubric_result", "agrees", "found"]
        verdict = _newest_verdicts()
        query = (select(Step.attempt_id, User.username, Attempt.scenario_id, Step.index, Step.node_id, Step.choice_id,
                        Step.score_delta, Step.seconds, Step.late, Step.extensions, Step.free_text, Step.created_at,
                        User.display_name, Attempt.scenario_version_id, Step.rubric_result, verdict.c.agrees,
                        verdict.c.found)
                 .join(Attempt, Attempt.id == Step.attempt_id).join(User, User.id == Attempt.user_id)
                 .outerjoin(verdict, verdict.c.step_id == Step.id)
                 .where(Attempt.user_id.in_(users)).order_by(Step.attempt_id, Step.index))
    elif kind == "scores":
        header = ["attempt_id", "username", "scenario_id", "competency", "points", "max_points", "percent",
                  "finished_at", "display_name", "scenario_title"]
        hidden = []
        query = (select(AttemptScore.attempt_id, User.username, AttemptScore.scenario_id, AttemptScore.competency,
                        AttemptScore.points, AttemptScore.max_points, AttemptScore.percent, AttemptScore.finished_at,
                        User.display_name)
                 .join(User, User.id == AttemptScore.user_id).where(AttemptScore.user_id.in_(users))
                 .order_by(AttemptScore.attempt_id, AttemptScore.competency))
    else:
        raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    return header, hidden, query


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
    """How a stored value becomes a CSV value (see ``_text`` for points and lists)."""
    if column_type == TIME:
        return lambda v: pytz.utc.localize(v).astimezone(zone) if v is not None else None
    if column_type in (ROUNDED, PERCENT):
        return lambda v: round(v, 1) if v is not None else None
    if column_type == TEXT:
        return _text
    return lambda v: v


def _text(value: object) -> object:
    """Points as ``competency=delta`` pairs and lists as ``a;b``, in a stable order."""
    if isinstance(value, dict):
        return ";".join(f"{k}={n}" for k, n in sorted(value.items()))
    if isinstance(value, list):
        return ";".join(value)
    return value


def _reviewed(score_delta: dict, rubric_result: dict | None, agrees: bool | None,
              found: list | None) -> tuple[bool | None, list | None, dict]:
    """A step's (reviewed, elements that count, points that count). A step without a written
    answer has no review: its points count as given."""
    if rubric_result is None:
        return None, None, score_delta
    verdict = None if agrees is None else _Verdict(agrees, found)
    answer = _Answer(rubric_result)
    if verdict is None:
        return False, found_by(answer, None), score_delta
    points = with_verdicts(score_delta, [(answer, verdict)])
    return True, found_by(answer, verdict), {c: v for c, v in points.items() if v}


@dataclass(frozen=True)
class _Answer:
    """What ``reviews`` reads of a step: its stored rubric result."""
    rubric_result: dict


@dataclass(frozen=True)
class _Verdict:
    """What ``reviews`` reads of a review: the verdict."""
    agrees: bool
    found: list | None


def _table(session: Session, kind: str, users: Select, zone: str,
           titles: Mapping[str, str]) -> tuple[list[str], list[str], Iterator[list]]:
    """The column ids (CSV order), the hidden values' names, and the rows: the CSV's values
    (times aware in ``zone``, seconds and percentages rounded to a tenth, points and lists
    as stored) followed by the hidden ones."""
    header, hidden, query = _query(kind, users)
    tz = pytz.timezone(zone)
    selected = [c for c in header if c not in _DERIVED]
    # Points and lists stay as stored here: the CSV and the workbook write them differently.
    converters = [(lambda v: v) if COLUMNS[c].type == TEXT else _converter(COLUMNS[c].type, tz) for c in selected]
    scenario_at = selected.index("scenario_id")
    delta_at = selected.index("score_delta") if kind == "steps" else None
    width = len(selected)

    def rows() -> Iterator[list]:
        for row in session.execute(query.execution_options(yield_per=CHUNK)):
            values = [convert(v) for convert, v in zip(converters, row)]
            values.append(titles.get(row[scenario_at], ""))
            extra = list(row[width:])
            if delta_at is not None:
                _version, rubric_result, agrees, found = extra
                values.extend(_reviewed(row[delta_at] or {}, rubric_result, agrees, found))
            yield values + extra
    return header, hidden, rows()


def defused(text: str) -> str:
    # Spreadsheet programs run cells starting with these as formulas.
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _cell(value) -> object:
    """One CSV cell."""
    value = _text(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, str):
        return defused(value)
    return value


# Columns that hold points or lists, written as text by ``_text``.
_COMPOSITE = ("score_delta", "reviewed_found", "reviewed_delta")


def _csv_writer(column: str) -> Callable[[object], object]:
    """``_cell`` for one column, doing only what its type needs (a million rows add up)."""
    kind = COLUMNS[column].type
    if column in _COMPOSITE:
        return _cell
    if kind == TEXT:
        return lambda v: "" if v is None else defused(v)
    if kind == TIME:
        return lambda v: "" if v is None else v.isoformat(timespec="seconds")
    return lambda v: "" if v is None else v


def export_csv(session: Session, kind: str, users: Select, *, zone: str,
               titles: Mapping[str, str]) -> Iterator[str]:
    """The CSV text of one export, a chunk of lines at a time, the byte order mark first."""
    header, _hidden, rows = _table(session, kind, users, zone, titles)
    writers = [_csv_writer(c) for c in header]
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for i, row in enumerate(rows):
        writer.writerow([write(v) for write, v in zip(writers, row)])
        if i % CHUNK == CHUNK - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _workbook_columns(header: list[str]) -> list[str]:
    """The workbook's columns: the CSV's and its own, names, titles and words beside ids."""
    own = [c for c in _WORKBOOK_ONLY if _BESIDE[c] in header]
    order = [c for c in header if c not in _BESIDE]
    for column, beside in _BESIDE.items():
        if column in header or column in own:
            order.insert(order.index(beside) + 1, column)
    return order


@dataclass
class _Reading:
    """The reader's words for what the database stores as codes and ids."""

    modes: dict[str, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    competencies: dict[str, str] = field(default_factory=dict)
    # By (scenario version id, id): what an id meant in the version the attempt was played on.
    endings: dict[tuple[int, str], str] = field(default_factory=dict)
    choices: dict[tuple[int, str], str] = field(default_factory=dict)
    elements: dict[tuple[int, str, str], str] = field(default_factory=dict)  # (version, node, element)

    def points(self, delta: dict | None) -> str | None:
        """``{"empathy": 2}`` as "Емпатія +2", competencies in the CSV's order."""
        if not delta:
            return None
        return "; ".join(f"{self.competencies.get(c, c)} {n:+d}" for c, n in sorted(delta.items()))


def _reading(session: Session, users: Select, registry: Registry | None, lang: str, versions: bool) -> _Reading:
    """The labels (translated now, once, in the request's language) and, when ``versions``,
    the words of every scenario version the exported attempts were played on: a few versions,
    however many rows."""
    reading = _Reading({k: str(v) for k, v in MODE_LABELS.items()}, {k: str(v) for k, v in ATTEMPT_STATES.items()},
                       {k: str(v) for k, v in OUTCOME_LABELS.items()})
    if registry is None:
        return reading
    framework = registry.library.framework
    if framework is not None:
        reading.competencies = {c: comp.title.get(lang) for c, comp in framework.competencies.items()}
    if not versions:
        return reading
    played = select(Attempt.scenario_version_id).where(Attempt.user_id.in_(users)).distinct()
    for version in session.scalars(select(ScenarioVersion).where(ScenarioVersion.id.in_(played))):
        compiled = registry.played(version)
        if compiled is None:
            continue
        scenario = compiled.scenario
        for ending_id, ending in scenario.endings.items():
            reading.endings[version.id, ending_id] = ending.title.get(lang)
        for node_id, node in scenario.nodes.items():
            for choice in node.choices or []:
                reading.choices[version.id, choice.id] = choice.text.get(lang)
            for element in node.free_text.elements if node.free_text else []:
                reading.elements[version.id, node_id, element.id] = element.label.get(lang)
    return reading


def _getters(columns: list[str], names: list[str], reading: _Reading) -> list[Callable[[list], object]]:
    """For each workbook column, how to read its cell from a row of ``_table`` (whose
    values are ``names``): codes as words, decisions counted from 1."""
    at = {name: i for i, name in enumerate(names)}
    version = at.get("version")
    words = {"mode": reading.modes, "status": reading.states, "outcome": reading.outcomes,
             "competency": reading.competencies}
    # A workbook-only column: the words for the id in another column, in the attempt's version.
    in_version = {"ending_title": ("ending", reading.endings),
                  "critical_choice_text": ("critical_choice", reading.choices),
                  "choice_text": ("choice_id", reading.choices)}

    def getter(column: str) -> Callable[[list], object]:
        if column in in_version:
            i, found = at[in_version[column][0]], in_version[column][1]
            return lambda row: found.get((row[version], row[i])) if row[i] is not None else None
        i = at[column]
        if column in words:
            known = words[column]
            return lambda row: known.get(row[i], row[i])
        if column in ("index", "time_limit_off_at_step"):
            return lambda row: row[i] + 1 if row[i] is not None else None
        if column in ("score_delta", "reviewed_delta"):
            return lambda row: reading.points(row[i])
        if column == "reviewed_found":
            return lambda row: _element_labels(row, i, at["node_id"], version, at["rubric_result"], reading)
        return lambda row: _text(row[i])
    return [getter(c) for c in columns]


def _element_labels(row: list, found_at: int, node_at: int, version_at: int, result_at: int,
                    reading: _Reading) -> str | None:
    """The elements that count, by their labels: the version's in the reader's language, else
    the stored result's (the language the answer was written in, and the dismissal, which
    no rubric lists), else the id."""
    found = row[found_at]
    if not found:
        return None
    stored = {e["id"]: e.get("label") for e in (row[result_at] or {}).get("elements", [])}
    return "; ".join(reading.elements.get((row[version_at], row[node_at], e)) or stored.get(e) or e for e in found)


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


def _percent_cell(sheet, value) -> object:
    """A percentage (0–100) that Excel shows with a "%" sign and still sorts as a number."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = PERCENT_FORMAT
    return cell


def export_xlsx(session: Session, kind: str, users: Select, target: IO[bytes], *, zone: str,
                titles: Mapping[str, str], registry: Registry | None = None, lang: str = "uk") -> None:
    """Write one export as an Excel workbook into ``target`` (a binary file), row by row.

    With the library (``registry``), endings, choices and competencies are named in ``lang``;
    without it they keep their ids."""
    header, hidden, rows = _table(session, kind, users, zone, titles)
    ids = _workbook_columns(header)
    columns = [COLUMNS[c] for c in ids]
    getters = _getters(ids, header + hidden, _reading(session, users, registry, lang, versions=kind != "scores"))
    percent_at = {i for i, c in enumerate(columns) if c.type == PERCENT}
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
        sheet.append([_percent_cell(sheet, get(row)) if i in percent_at else _xlsx_value(sheet, get(row))
                      for i, get in enumerate(getters)])
        written += 1
    sheet.auto_filter.ref = f"A1:{last_column}{written}"
    workbook.save(target)
