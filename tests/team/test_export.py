"""CSV and Excel exports, xAPI statements, and sending them to a Learning Record Store on loopback."""
from __future__ import annotations

import base64
import csv
import io
import json
import threading
import zipfile
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import Auth
from tests.team.conftest import SCENARIO, play

KYIV = "Europe/Kyiv"


@pytest.fixture
def session(app, world):
    from trainer.extensions import db
    with app.app_context():
        yield db.session


def _titles(app, lang="uk"):
    from trainer.extensions import db
    from trainer.team.export import scenario_titles
    return scenario_titles(db.session, app.extensions["trainer_registry"], lang)


def _csv(app, session, kind, users, zone=KYIV):
    from trainer.team.export import export_csv
    return "".join(export_csv(session, kind, users, zone=zone, titles=_titles(app)))


def _rows(app, session, kind, users):
    return list(csv.DictReader(io.StringIO(_csv(app, session, kind, users).removeprefix("\ufeff"))))


def test_csv_exports_attempts_steps_and_scores_of_visible_people_only(app, world, session):
    from trainer.models import Step, User
    from trainer.team.access import visible_trainee_ids
    first = play(app, world.trainee_a)
    play(app, world.trainee_b)
    viewer = session.get(User, world.sup_a)
    users = visible_trainee_ids(viewer)
    attempts = _rows(app, session, "attempts", users)
    assert [(int(r["attempt_id"]), r["username"], r["outcome"]) for r in attempts] == [(first, "test.trainee", "good")]
    steps = _rows(app, session, "steps", users)
    assert len(steps) == session.scalar(select(func.count()).select_from(Step).where(Step.attempt_id == first))
    assert steps[0]["node_id"] and steps[0]["choice_id"]
    scores = _rows(app, session, "scores", users)
    comps = app.extensions["trainer_registry"].latest(SCENARIO).scenario.competencies
    assert sorted(r["competency"] for r in scores) == sorted(comps)
    assert all(0 <= float(r["percent"]) <= 100 for r in scores)


def test_csv_cells_cannot_become_spreadsheet_formulas(session):
    from trainer.team.export import _cell
    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("звичайний текст") == "звичайний текст"


@pytest.mark.parametrize("value", ['\t=HYPERLINK("http://evil.example","click")', "\r=1+2", "＝1+2", "＋1", "－1",
                                   "＠SUM(A1)", "+1", "-1", "@SUM(A1)"])
def test_formulas_behind_a_tab_a_return_or_full_width_signs_are_escaped_too(value):
    from trainer.team.export import _cell
    assert _cell(value) == "'" + value


# -- what a head of centre gets: names, titles, local times, tenths, Excel -----------------

HYPERLINK = '=HYPERLINK("http://evil.example","click")'


def _dress(app, world) -> int:
    """test.trainee's finished attempt with a name, hostile text, times on both sides of the
    switch to winter time in Kyiv (25 October 2026) and long decimals; returns its id."""
    from trainer.extensions import db
    from trainer.models import Attempt, AttemptScore, Step, User
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        session = db.session
        session.get(User, world.trainee_a).display_name = "@Олена Петренко"
        attempt = session.get(Attempt, attempt_id)
        attempt.started_at = datetime(2026, 10, 24, 21, 30, 5)  # 00:30:05 in Kyiv, summer time (+03:00)
        attempt.finished_at = datetime(2026, 10, 25, 21, 30)  # 23:30 in Kyiv, winter time (+02:00)
        step = session.scalars(select(Step).where(Step.attempt_id == attempt_id).order_by(Step.index)).first()
        step.seconds, step.free_text = 12.3456789, HYPERLINK
        step.created_at = datetime(2026, 10, 24, 21, 31)
        for score in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)):
            score.percent, score.finished_at = 200 / 3, attempt.finished_at
        session.commit()
    return attempt_id


@pytest.fixture
def dressed(app, world, session):
    return _dress(app, world)


def _visible(session, world):
    from trainer.models import User
    from trainer.team.access import visible_trainee_ids
    return visible_trainee_ids(session.get(User, world.sup_a))


def _title(app, lang="uk"):
    return app.extensions["trainer_registry"].latest(SCENARIO).scenario.title.get(lang)


def test_csv_starts_with_a_byte_order_mark_and_keeps_its_comma_separated_column_ids(app, world, session, dressed):
    text = _csv(app, session, "attempts", _visible(session, world))
    assert text.startswith("\ufeffattempt_id,")  # Excel reads UTF-8 only after the mark
    header = text.removeprefix("\ufeff").splitlines()[0].split(",")
    # The columns scripts already read keep their places; the new ones come last.
    assert header == ["attempt_id", "username", "scenario_id", "mode", "assignment_id", "status", "outcome", "ending",
                      "critical_choice", "steps", "started_at", "finished_at", "time_limit", "time_extensions",
                      "time_limit_off_at_step", "display_name", "scenario_title"]
    assert "\ufeff" not in text[1:]


def test_csv_times_carry_the_centres_offset_on_both_sides_of_a_clock_change(app, world, session, dressed):
    users = _visible(session, world)
    attempt = _rows(app, session, "attempts", users)[0]
    assert attempt["started_at"] == "2026-10-25T00:30:05+03:00"
    assert attempt["finished_at"] == "2026-10-25T23:30:00+02:00"
    assert _rows(app, session, "steps", users)[0]["created_at"] == "2026-10-25T00:31:00+03:00"
    assert _rows(app, session, "scores", users)[0]["finished_at"] == "2026-10-25T23:30:00+02:00"
    utc = list(csv.DictReader(io.StringIO(_csv(app, session, "attempts", users, zone="UTC").removeprefix("\ufeff"))))
    assert utc[0]["started_at"] == "2026-10-24T21:30:05+00:00"


def test_csv_rounds_seconds_and_percentages_to_a_tenth(app, world, session, dressed):
    users = _visible(session, world)
    assert _rows(app, session, "steps", users)[0]["seconds"] == "12.3"
    assert {r["percent"] for r in _rows(app, session, "scores", users)} == {"66.7"}


def test_csv_names_the_person_and_the_scenario_and_defuses_formulas_in_every_text_cell(app, world, session, dressed):
    users = _visible(session, world)
    for kind in ("attempts", "steps", "scores"):
        row = _rows(app, session, kind, users)[0]
        assert row["display_name"] == "'@Олена Петренко", kind  # a name starting with @ is defused too
        assert row["scenario_title"] == _title(app) == "Черга біля стійки", kind
    assert _rows(app, session, "steps", users)[0]["free_text"] == "'" + HYPERLINK


def test_csv_defuses_a_points_change_that_would_start_like_a_formula():
    from trainer.team.export import TEXT, _cell, _converter
    text = _converter(TEXT, None)({"-x": 1, "empathy": -1})
    assert text == "-x=1;empathy=-1" and _cell(text) == "'-x=1;empathy=-1"


def test_csv_is_sent_in_chunks_as_it_is_read(app, world, session, dressed, monkeypatch):
    from trainer.team import export
    play(app, world.trainee_a)
    monkeypatch.setattr(export, "CHUNK", 2)
    users = _visible(session, world)
    steps = len(_rows(app, session, "steps", users))
    chunks = list(export.export_csv(session, "steps", users, zone=KYIV, titles={}))
    assert steps == 4 and len(chunks) == 3  # two rows each, then what is left (nothing)
    assert chunks[0].startswith("\ufeff") and chunks[0].count("\n") == 3  # the header and two rows


def test_titles_follow_the_language_and_a_retired_scenario_keeps_its_stored_title(app, world, session, example_data,
                                                                               load):
    from trainer import attempts
    example_data["id"] = "retired-queue"
    example_data["title"] = {"uk": "Стара черга", "en": "The old queue"}
    retired = load(example_data, name="retired-queue")
    assert retired.ok
    attempts.ensure_version(session, retired)
    session.commit()
    assert "retired-queue" not in app.extensions["trainer_registry"].current
    uk, en = _titles(app, "uk"), _titles(app, "en")
    assert uk[SCENARIO] == "Черга біля стійки" and en[SCENARIO] == "A queue at the front desk"
    assert uk["retired-queue"] == "Стара черга" and en["retired-queue"] == "The old queue"


def _workbook(app, session, kind, users, lang="uk"):
    """The export as bytes and as a workbook read back by openpyxl."""
    from flask_babel import force_locale

    from trainer.team.export import export_xlsx
    target = io.BytesIO()
    with app.test_request_context(), force_locale(lang):
        export_xlsx(session, kind, users, target, zone=KYIV, titles=_titles(app, lang),
                    registry=app.extensions["trainer_registry"], lang=lang)
    data = target.getvalue()
    return data, load_workbook(io.BytesIO(data))


def _sheet_rows(sheet):
    header, *rows = [list(r) for r in sheet.iter_rows()]
    labels = [c.value for c in header]
    return labels, [dict(zip(labels, r)) for r in rows]


def test_xlsx_has_translated_headings_real_dates_and_numbers(app, world, session, dressed):
    _data, book = _workbook(app, session, "attempts", _visible(session, world))
    assert book.sheetnames == ["Спроби"]
    labels, rows = _sheet_rows(book["Спроби"])
    # The name and the title stand beside the ids they explain.
    assert labels[:5] == ["№ спроби", "Ім'я користувача", "Повне ім'я", "Ідентифікатор сценарію", "Сценарій"]
    row = rows[0]
    started = row[f"Початок ({KYIV})"]
    assert started.data_type == "d" and started.value == datetime(2026, 10, 25, 0, 30, 5)  # Kyiv's wall clock
    assert row[f"Завершено ({KYIV})"].value == datetime(2026, 10, 25, 23, 30)
    assert row["№ спроби"].data_type == "n" and row["№ спроби"].value == dressed
    assert row["Ухвалено рішень"].data_type == "n" and row["Ухвалено рішень"].value == 2
    assert row["Сценарій"].value == "Черга біля стійки" and row["Ім'я користувача"].value == "test.trainee"
    assert book["Спроби"].freeze_panes == "A2"


def test_xlsx_rounds_to_a_tenth_and_follows_the_readers_language(app, world, session, dressed):
    users = _visible(session, world)
    _data, book = _workbook(app, session, "steps", users, lang="en")
    labels, rows = _sheet_rows(book["Steps"])
    assert labels[:5] == ["Attempt no.", "User name", "Full name", "Scenario ID", "Scenario"]
    assert rows[0]["Scenario"].value == "A queue at the front desk"
    assert rows[0]["Time to decide, s"].value == 12.3 and rows[0]["Time to decide, s"].data_type == "n"
    assert rows[0]["After the time limit"].data_type == "b"
    _data, book = _workbook(app, session, "scores", users)
    _labels, rows = _sheet_rows(book["Бали"])
    assert {r["Відсоток"].value for r in rows} == {66.7}


@pytest.mark.parametrize("hostile", [HYPERLINK, "+1", "-1", "@SUM(A1)", "\t=1+2", "＝1+2", "#N/A", "#DIV/0!"])
def test_xlsx_keeps_formula_like_text_as_text(app, world, session, dressed, hostile):
    from trainer.models import Step, User
    session.get(User, world.trainee_a).display_name = hostile
    session.scalars(select(Step).where(Step.attempt_id == dressed, Step.index == 1)).one().free_text = hostile
    session.commit()
    data, book = _workbook(app, session, "steps", _visible(session, world))
    _labels, rows = _sheet_rows(book["Кроки"])
    cells = [rows[0]["Письмова відповідь"], rows[1]["Письмова відповідь"], rows[1]["Повне ім'я"]]
    assert [c.value for c in cells] == [HYPERLINK, hostile, hostile]  # the text exactly, no apostrophe added
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # stored as text, kept text when edited
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml  # no formula, no error cell anywhere


def test_xlsx_replaces_control_characters_it_cannot_store(app, world, session, dressed):
    from trainer.models import Step
    session.scalars(select(Step).where(Step.attempt_id == dressed, Step.index == 1)).one().free_text = "a\x07b\x1bc"  # (PostgreSQL refuses NUL in text)
    session.commit()
    _data, book = _workbook(app, session, "steps", _visible(session, world))
    assert _sheet_rows(book["Кроки"])[1][1]["Письмова відповідь"].value == "a\ufffdb\ufffdc"


def test_xlsx_goes_on_in_another_sheet_past_excels_row_limit(app, world, session, dressed, monkeypatch):
    from trainer.team import export
    play(app, world.trainee_a)
    users = _visible(session, world)
    steps = len(_rows(app, session, "steps", users))
    assert steps == 4
    monkeypatch.setattr(export, "SHEET_ROWS", 3)  # the header and two rows
    _data, book = _workbook(app, session, "steps", users)
    assert book.sheetnames == ["Кроки", "Кроки 2"]
    seen = []
    for sheet in book.worksheets:
        labels, rows = _sheet_rows(sheet)
        assert labels[0] == "№ спроби" and len(rows) == 2
        assert sheet.auto_filter.ref == f"A1:R{len(rows) + 1}"
        seen += [(r["№ спроби"].value, r["№ рішення"].value) for r in rows]
    assert seen == sorted(seen) and len(set(seen)) == steps


def test_xlsx_names_modes_states_outcomes_endings_and_choices_in_the_readers_words(app, world, session):
    """A head of centre filters by «Результат» and reads words the pages use, not codes."""
    from trainer.extensions import db
    from trainer.models import Attempt
    good = play(app, world.trainee_a)
    failed = play(app, world.trainee_a, "worst")
    with app.app_context():
        db.session.get(Attempt, failed).mode = "assessment"
        db.session.commit()
    _data, book = _workbook(app, session, "attempts", _visible(session, world))
    labels, rows = _sheet_rows(book["Спроби"])
    by_id = {r["№ спроби"].value: {k: c.value for k, c in r.items()} for r in rows}
    assert by_id[good]["Режим"] == "Тренування" and by_id[failed]["Режим"] == "Оцінювання"
    assert by_id[good]["Стан"] == "Завершено"
    assert by_id[good]["Результат"] == "Добрий результат"
    assert by_id[failed]["Результат"] == "Не пройдено (критична помилка)"
    # The ending's title and the critical choice's words stand beside their ids.
    assert labels.index("Фінал") == labels.index("Ідентифікатор фіналу") + 1
    assert labels.index("Критичний вибір") == labels.index("Ідентифікатор критичного вибору") + 1
    assert by_id[good]["Ідентифікатор фіналу"] == "good_end" and by_id[good]["Фінал"] == "Олег дочекався"
    assert by_id[failed]["Ідентифікатор критичного вибору"] == "ignore"
    assert by_id[failed]["Критичний вибір"] == "Мовчки продовжити друкувати."
    assert by_id[good]["Критичний вибір"] is None
    assert "№ завдання" in labels  # the pages call an assignment «Завдання»
    _data, book = _workbook(app, session, "attempts", _visible(session, world), lang="en")
    _labels, rows = _sheet_rows(book["Attempts"])
    english = {r["Attempt no."].value: r for r in rows}
    assert english[good]["Mode"].value == "Practice" and english[good]["Status"].value == "Completed"
    assert english[good]["Outcome"].value == "Good outcome" and english[good]["Ending"].value == "Oleh waited"


def test_xlsx_counts_decisions_from_one_and_names_choices_and_competencies(app, world, session):
    from trainer.web import competency_title
    attempt_id = play(app, world.trainee_a)
    users = _visible(session, world)
    _data, book = _workbook(app, session, "steps", users)
    labels, rows = _sheet_rows(book["Кроки"])
    assert "Рішення (лік від 0)" not in labels
    assert [r["№ рішення"].value for r in rows] == [1, 2]  # as every page says «Рішення 1…»
    assert labels.index("Вибір") == labels.index("Ідентифікатор вибору") + 1
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    texts = {c.id: c.text.uk for node in compiled.scenario.nodes.values() for c in node.choices or []}
    assert [r["Вибір"].value for r in rows] == [texts[r["Ідентифікатор вибору"].value] for r in rows]
    with app.test_request_context():
        empathy = competency_title("empathy")
    assert empathy != "empathy"
    first = rows[0]["Зміна балів"].value
    assert "empathy=" not in first and f"{empathy} +" in first
    _data, book = _workbook(app, session, "scores", users)
    _labels, rows = _sheet_rows(book["Бали"])
    assert empathy in {r["Компетентність"].value for r in rows}
    assert all(r["Відсоток"].number_format == '0"%"' and r["Відсоток"].data_type == "n" for r in rows)
    # The CSV keeps the codes and the 0-based count that scripts read.
    steps = _rows(app, session, "steps", users)
    assert [r["index"] for r in steps] == ["0", "1"] and "empathy=" in steps[0]["score_delta"]
    assert {r["competency"] for r in _rows(app, session, "scores", users)} == set(compiled.scenario.competencies)
    assert _rows(app, session, "attempts", users)[0]["mode"] == "practice" and attempt_id


def _sums(rows, column):
    """Points per competency added up over the steps' ``column`` (``a=1;b=-2`` cells)."""
    totals: dict[str, int] = {}
    for row in rows:
        for pair in filter(None, row[column].split(";")):
            comp, value = pair.split("=")
            totals[comp] = totals.get(comp, 0) + int(value)
    return totals


def test_steps_carry_the_reviewed_points_so_they_add_up_to_the_scores(app, world, session):
    """After a supervisor overrides a rubric, the scores move; the steps say by how much."""
    from tests.team.test_reviews import finish_with_text
    from trainer.models import Step, User
    from trainer.team.reviews import review
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    step = session.get(Step, step_id)
    found = step.rubric_result["found"]
    dropped = next(e for e in step.rubric_result["elements"] if e["id"] == found[0] and e["scores"])
    review(session, step, session.get(User, world.sup_a), agrees=False, found=found[1:], comment="не почула")
    session.commit()
    users = _visible(session, world)
    steps = _rows(app, session, "steps", users)
    scores = {r["competency"]: int(r["points"]) for r in _rows(app, session, "scores", users)}
    assert {c: v for c, v in _sums(steps, "reviewed_delta").items() if v} == {c: v for c, v in scores.items() if v}
    assert _sums(steps, "score_delta") != _sums(steps, "reviewed_delta")  # the rubric's points stay as given
    written = next(r for r in steps if r["node_id"] == step.node_id)
    assert (written["reviewed"], written["reviewed_found"]) == ("True", ";".join(found[1:]))
    others = [r for r in steps if r is not written]
    assert all(r["reviewed"] == "" and r["reviewed_delta"] == r["score_delta"] for r in others)
    _data, book = _workbook(app, session, "steps", users)
    _labels, rows = _sheet_rows(book["Кроки"])
    [cells] = [r for r in rows if r["Ідентифікатор вузла"].value == step.node_id]
    assert cells["Перевірено керівником"].value is True
    compiled = app.extensions["trainer_registry"].latest("crying-client")
    labels = {e.id: e.label.uk for e in compiled.scenario.nodes[step.node_id].free_text.elements}
    counted = cells["Зараховані елементи після перевірки"].value or ""
    assert labels[dropped["id"]] not in counted and all(labels[f] in counted for f in found[1:] if f in labels)
    assert cells["Зміна балів з урахуванням перевірки"].value != cells["Зміна балів"].value and attempt_id


def test_an_empty_export_is_a_workbook_with_its_header(app, world, session):
    _data, book = _workbook(app, session, "scores", _visible(session, world))
    labels, rows = _sheet_rows(book["Бали"])
    assert labels[0] == "№ спроби" and rows == []


# -- the routes and the links ---------------------------------------------------------------

def test_xlsx_download_holds_only_the_people_the_supervisor_may_see(app, client, world):
    from trainer.team.export import XLSX_MIMETYPE
    _dress(app, world)
    play(app, world.trainee_b)
    from urllib.parse import unquote

    from trainer import clock
    today = clock.today(app.config["BABEL_DEFAULT_TIMEZONE"]).isoformat()
    Auth(client).login("test.supervisor")
    for path, name in (("/team/export/steps.xlsx", f"trainer-steps-{today}.xlsx"),
                       (f"/team/export/steps.xlsx?cohort={world.cohort_a}", f"trainer-steps-Київ-1-{today}.xlsx")):
        with client.get(path) as response:
            assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
            disposition = response.headers["Content-Disposition"]
            assert disposition.startswith("attachment;")
            assert unquote(disposition.split("filename*=UTF-8''")[-1]) == name or f"filename={name}" in disposition
            book = load_workbook(io.BytesIO(response.get_data()))
        _labels, rows = _sheet_rows(book["Кроки"])
        assert rows and {r["Ім'я користувача"].value for r in rows} == {"test.trainee"}
    with client.get(f"/team/export/steps.xlsx?cohort={world.cohort_b}") as foreign:
        assert foreign.status_code == 404
    with client.get("/team/export/passwords.xlsx") as unknown:
        assert unknown.status_code == 404


def test_xlsx_headings_follow_the_supervisors_language(app, client, world):
    from trainer.extensions import db
    _dress(app, world)
    from trainer.models import User
    with app.app_context():
        db.session.get(User, world.sup_a).locale = "en"
        db.session.commit()
    Auth(client).login("test.supervisor")
    with client.get("/team/export/attempts.xlsx") as response:
        book = load_workbook(io.BytesIO(response.get_data()))
    labels, rows = _sheet_rows(book["Attempts"])
    assert labels[:5] == ["Attempt no.", "User name", "Full name", "Scenario ID", "Scenario"]
    assert rows[0]["Scenario"].value == "A queue at the front desk"
    with client.get("/team/export/attempts.csv") as response:
        assert "A queue at the front desk" in response.get_data(as_text=True)


def test_xlsx_is_refused_to_trainees_and_visitors(client, world):
    assert client.get("/team/export/attempts.xlsx").status_code == 302
    Auth(client).login("test.trainee")
    assert client.get("/team/export/attempts.xlsx").status_code == 403


def test_team_pages_offer_every_export_in_excel_and_csv(client, world):
    Auth(client).login("test.supervisor")
    pages = {"/team/": "", f"/team/cohorts/{world.cohort_a}": f"?cohort={world.cohort_a}"}
    for page, scope in pages.items():
        html = client.get(page).get_data(as_text=True)
        for kind in ("attempts", "steps", "scores"):
            assert f'href="/team/export/{kind}.xlsx{scope}"' in html, (page, kind)
            assert f'href="/team/export/{kind}.csv{scope}"' in html, (page, kind)
        assert f'href="/team/export/xapi.json{scope}"' in html
        assert "Excel — щоб переглядати, сортувати й фільтрувати" in html
        assert "CSV — для інших програм" in html
        assert "Бали враховують перевірку письмових відповідей керівниками" in html


def _statements(app, session, attempt_id):
    from trainer.models import Attempt, AttemptScore, Step
    from trainer.xapi.statements import Builder
    attempt = session.get(Attempt, attempt_id)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    steps = session.scalars(select(Step).where(Step.attempt_id == attempt_id).order_by(Step.index)).all()
    scores = session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)).all()
    return Builder("https://centre.example").attempt_statements(attempt, compiled, steps, scores), steps, scores


def test_xapi_statements_follow_the_spec_shape(app, world, session):
    attempt_id = play(app, world.trainee_a)
    statements, steps, scores = _statements(app, session, attempt_id)
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
    assert verbs == ["answered"] * len(steps) + ["completed", "passed"] + ["scored"] * len(scores)
    answered = statements[0]
    assert answered["object"]["definition"]["interactionType"] == "choice"
    assert answered["result"]["response"] == steps[0].choice_id
    delta = answered["result"]["extensions"]["https://centre.example/xapi/extensions/competency-delta"]
    assert delta == steps[0].score_delta
    assert answered["actor"]["account"] == {"homePage": "https://centre.example", "name": "test.trainee"}
    completed = statements[len(steps)]
    assert 0 <= completed["result"]["score"]["scaled"] <= 1 and completed["result"]["completion"] is True
    assert statements[len(steps) + 1]["result"]["success"] is True
    scored = statements[-1]
    assert scored["object"]["id"].startswith("https://centre.example/competencies/")
    assert len({s["id"] for s in statements}) == len(statements)
    again, _s, _c = _statements(app, session, attempt_id)
    assert [s["id"] for s in again] == [s["id"] for s in statements]  # stable ids: resending is harmless


def test_a_failed_attempt_reports_failed(app, world, session):
    from trainer.models import Attempt
    attempt_id = play(app, world.trainee_a, "worst")
    statements, _steps, _scores = _statements(app, session, attempt_id)
    outcome = session.get(Attempt, attempt_id).outcome
    verdicts = [s for s in statements if s["verb"]["id"].endswith(("passed", "failed"))]
    assert len(verdicts) == 1
    assert verdicts[0]["verb"]["id"].endswith("failed") == (outcome not in ("good", "mixed"))


def test_xapi_scores_keep_raw_between_min_and_max_when_harmful_answers_take_points_below_zero(app, world, session):
    attempt_id = play(app, world.trainee_a, "worst")
    statements, _steps, scores = _statements(app, session, attempt_id)
    assert any(s.points < 0 for s in scores)  # the worst path does go below zero
    lowest = app.extensions["trainer_registry"].latest(SCENARIO).analysis.min_score
    for statement in statements:
        score = statement.get("result", {}).get("score")
        if score is None:
            continue
        assert score["min"] <= score["raw"] <= score["max"]  # xAPI 1.0.3, 4.1.5.1
        assert 0 <= score["scaled"] <= 1
    per_competency = {s["object"]["id"].rsplit("/", 1)[-1]: s["result"]["score"] for s in statements
                      if s["verb"]["id"].endswith("scored")}
    for row in scores:
        assert per_competency[row.competency]["min"] == min(0, lowest[row.competency], row.points)


class _Lrs:
    """A tiny Learning Record Store: records POSTed statements, can fail the first requests."""

    def __init__(self, fail_first: int = 0, status: int = 503):
        self.received: list[dict] = []
        self.auth: list[str] = []
        self.requests = 0
        self.fail_first, self.status = fail_first, status
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                lrs.requests += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                lrs.auth.append(self.headers.get("Authorization", ""))
                assert self.headers["X-Experience-API-Version"] == "1.0.3"
                if lrs.requests <= lrs.fail_first:
                    self.send_response(lrs.status)
                    self.end_headers()
                    return
                statements = json.loads(body)
                lrs.received.extend(statements)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps([s["id"] for s in statements]).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def queued(app, world, session, monkeypatch):
    """A finished attempt with its statements in the outbox (an LRS is configured)."""
    from trainer.models import XapiStatement
    monkeypatch.setenv("TRAINER_LRS_URL", "http://127.0.0.1:9/xapi/")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://centre.example")
    play(app, world.trainee_a)
    count = session.scalar(select(func.count()).select_from(XapiStatement))
    assert count > 3
    return count


def test_finished_attempts_are_queued_only_when_an_lrs_is_configured(app, world, session, monkeypatch):
    from trainer.models import XapiStatement
    monkeypatch.delenv("TRAINER_LRS_URL", raising=False)
    play(app, world.trainee_a)
    assert session.scalar(select(func.count()).select_from(XapiStatement)) == 0


def test_send_retries_then_records_what_was_sent(session, queued):
    from trainer.models import XapiStatement
    from trainer.xapi.outbox import LrsConfig, send_pending
    with _Lrs(fail_first=2) as lrs:
        config = LrsConfig(lrs.url, "key", "s3cret", retries=3, backoff=0)
        report = send_pending(session, config, batch=100, sleep=lambda s: None)
    assert (report.sent, report.failed) == (queued, 0)
    assert len(lrs.received) == queued and lrs.requests == 3
    assert lrs.auth[-1] == "Basic " + base64.b64encode(b"key:s3cret").decode()
    rows = session.scalars(select(XapiStatement)).all()
    assert all(r.sent_at is not None and r.tries == 3 and r.last_error == "" for r in rows)
    with _Lrs() as lrs2:
        assert send_pending(session, LrsConfig(lrs2.url, retries=1), sleep=lambda s: None).sent == 0
        assert lrs2.requests == 0  # nothing is sent twice


def test_send_gives_up_after_the_retries_and_keeps_the_error(session, queued):
    from trainer.models import XapiStatement
    from trainer.xapi.outbox import LrsConfig, send_pending
    with _Lrs(fail_first=99) as lrs:
        report = send_pending(session, LrsConfig(lrs.url, retries=2, backoff=0), sleep=lambda s: None)
    assert (report.sent, report.failed) == (0, queued) and lrs.requests == 2
    rows = session.scalars(select(XapiStatement)).all()
    assert all(r.sent_at is None and "503" in r.last_error for r in rows)


def test_client_errors_are_not_retried(session, queued):
    from trainer.xapi.outbox import LrsConfig, send_pending
    with _Lrs(fail_first=99, status=400) as lrs:
        report = send_pending(session, LrsConfig(lrs.url, retries=5, backoff=0), sleep=lambda s: None)
    assert report.failed == queued and lrs.requests == 1


def test_unreachable_lrs_is_reported(session, queued):
    from trainer.xapi.outbox import LrsConfig, send_pending
    report = send_pending(session, LrsConfig("http://127.0.0.1:9/xapi/", retries=2, backoff=0, timeout=2),
                          sleep=lambda s: None)
    assert report.failed == queued and "cannot reach" in report.errors[0]


def test_an_export_is_named_by_what_whose_and_when(app, client, world):
    """Monthly downloads of one cohort neither overwrite each other nor pile up as "(1)"."""
    from datetime import date
    from urllib.parse import unquote

    from trainer import clock
    from trainer.team.export import file_name
    assert file_name("scores", "Київ 1 / вечірня", date(2026, 11, 23), "csv") == \
        "trainer-scores-Київ-1-вечірня-2026-11-23.csv"
    assert file_name("xapi", None, date(2026, 1, 2), "json") == "trainer-xapi-2026-01-02.json"
    today = clock.today(app.config["BABEL_DEFAULT_TIMEZONE"]).isoformat()
    Auth(client).login("test.supervisor")
    for path, name in ((f"/team/export/attempts.csv?cohort={world.cohort_a}", f"trainer-attempts-Київ-1-{today}.csv"),
                       ("/team/export/xapi.json", f"trainer-xapi-{today}.json")):
        with client.get(path) as response:
            disposition = response.headers["Content-Disposition"]
            # An ASCII name for old browsers: the letters it cannot give are left out.
            assert disposition.startswith('attachment; filename="trainer-') and "--" not in disposition
            assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
