"""Hostile and careless requests get the app's own 4xx pages, never a 500 (trainer.request_guards).

The fuzz review's cases (findings 4, 5 and 10), through the test client: ids beyond what an
id column holds, digits that are not ASCII, NUL bytes, query strings that are not UTF-8.
Under ``TESTING`` an unhandled exception fails the test itself, so a 500 shows up as the
exception that caused it. Run them on PostgreSQL too (TEST_DATABASE_URL): it is the
database that refused NUL and ids past 2^31 - 1.
"""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import Auth, csrf_token
from tests.team.conftest import SCENARIO, play, world  # noqa: F401  (world is a fixture)
from trainer.request_guards import MAX_ID

# As URL text: 5,000 digits are more than int() reads (4,300) by default.
HUGE_IDS = [str(MAX_ID + 1), str(2**63), str(10**20), "9" * 5000]


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _int_routes(app) -> list[tuple[str, list[str]]]:
    """Every route with an ``<int:...>`` part, as (rule, methods)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule:
            routes.append((rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})))
    return routes


# -- ids out of range (fuzz review, finding 4) -------------------------------------------------

def test_every_int_route_answers_404_for_an_id_no_column_can_hold(app, client, world):  # noqa: F811
    Auth(client).login("test.admin")
    token = Auth(client).token("/team/")
    routes = _int_routes(app)
    assert len(routes) >= 19
    for rule, methods in routes:
        for huge in HUGE_IDS:
            url = re.sub(r"<int:\w+>", huge, rule)
            for method in methods:
                response = client.open(url, method=method, data={"csrf_token": token, "step": "0", "body": "x"})
                assert response.status_code == 404, (method, url, response.status_code)
    assert "Сторінку не знайдено" in _text(client.get(f"/attempts/{2**63}"))


def test_the_largest_id_is_still_a_route(app, client, users):
    Auth(client).login("test.trainee")
    # Within range, so the view runs and says the attempt is not there.
    assert client.get(f"/attempts/{MAX_ID}").status_code == 404
    with app.test_request_context():
        from flask import url_for
        assert url_for("play.play", attempt_id=MAX_ID) == f"/attempts/{MAX_ID}"


@pytest.mark.parametrize("zero", ["\u0660", "\u06f0", "\u0966", "\uff10"])
def test_an_id_in_digits_that_are_not_ascii_is_not_found(app, client, users, zero):
    # Python's \d and int() read Arabic-Indic, Devanagari and full-width digits as numbers:
    # /attempts/<attempt id in those digits>/debrief was the attempt's debrief.
    attempt_id = play(app, users["trainee"])
    spelled = "".join(chr(ord(zero) + int(d)) for d in str(attempt_id))
    assert int(spelled) == attempt_id
    Auth(client).login("test.trainee")
    assert client.get(f"/attempts/{attempt_id}/debrief").status_code == 200
    assert client.get(f"/attempts/{spelled}/debrief").status_code == 404


def test_a_comment_on_a_step_number_no_column_can_hold_is_refused(app, client, world):  # noqa: F811
    from trainer.extensions import db
    from trainer.models import StepComment
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    token = csrf_token(client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True))
    for step in (str(10**20), str(2**31), "-1", "10001"):
        response = client.post(f"/team/attempts/{attempt_id}/comments", data={"csrf_token": token, "step": step, "body": "x"})
        assert response.status_code == 422, step
    assert client.post(f"/team/attempts/{attempt_id}/comments",
                       data={"csrf_token": token, "step": "0", "body": "ok"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StepComment)) == 1


@pytest.mark.parametrize("value", ["99999999999999999999", str(2**31), "²", "١", "0" * 12 + "1", "-1", "abc"])
@pytest.mark.parametrize("path", ["/team/export/attempts.csv", "/team/export/steps.csv", "/team/export/scores.csv",
                                  "/team/export/xapi.json"])
def test_an_export_for_a_cohort_that_is_not_yours_says_so(client, world, path, value):  # noqa: F811
    # Before, an unknown cohort number exported everyone the supervisor sees, as if the
    # filter had not been asked for.
    Auth(client).login("test.supervisor")
    response = client.get(f"{path}?cohort={value}")
    assert response.status_code == 404
    assert "Серед ваших груп немає групи з таким номером" in _text(response)


def test_an_export_of_another_supervisors_cohort_is_refused_the_same_way(client, world):  # noqa: F811
    Auth(client).login("test.supervisor")
    foreign = client.get(f"/team/export/attempts.csv?cohort={world.cohort_b}")
    assert foreign.status_code == 404 and "Серед ваших груп немає групи з таким номером" in _text(foreign)
    # Streamed responses are closed here: one left to the garbage collector ends its request
    # context in the middle of a later test.
    with client.get(f"/team/export/attempts.csv?cohort={world.cohort_a}") as own:
        assert own.status_code == 200 and own.mimetype == "text/csv"
    with client.get("/team/export/attempts.csv?cohort=") as everyone:
        assert everyone.status_code == 200  # no filter: everyone


@pytest.mark.parametrize("field", ["cohort", "b_cohort"])
@pytest.mark.parametrize("value", ["99999999999999999999", "²", "١"])
def test_scenario_analytics_marks_a_cohort_that_is_not_one_and_shows_everyone(client, world, field, value):  # noqa: F811
    # As for an unknown cohort number: the filter names the problem, the numbers are
    # everyone's and say so.
    Auth(client).login("test.supervisor")
    response = client.get(f"/team/scenarios/{SCENARIO}?{field}={value}")
    html = _text(response)
    assert response.status_code == 200
    assert f'<p class="error" id="{field}-error">' in html
    assert "Усі, ким ви керуєте" in html


@pytest.mark.parametrize("path", ["/history?page=99999999999999999999", "/history?page=²"])
def test_a_page_number_too_large_is_not_an_error(client, users, path):
    Auth(client).login("test.trainee")
    assert client.get(path).status_code == 200


def test_a_dashboard_page_number_too_large_is_not_an_error(client, world):  # noqa: F811
    Auth(client).login("test.supervisor")
    assert client.get(f"/team/cohorts/{world.cohort_a}?page=99999999999999999999").status_code == 200


def test_a_move_on_a_step_number_no_column_can_hold_is_not_an_error(app, client, users):
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        compiled = app.extensions["trainer_registry"].latest(SCENARIO)
        attempt = attempts.start_or_resume(db.session, db.session.get(User, users["trainee"]), compiled)
        db.session.commit()
        attempt_id, first_choice = attempt.id, compiled.analysis.recommended_path[0][1]
    Auth(client).login("test.trainee")
    token = Auth(client).token(f"/attempts/{attempt_id}")
    response = client.post(f"/attempts/{attempt_id}/answer",
                           data={"csrf_token": token, "step": str(10**20), "choice": first_choice})
    assert response.status_code in (302, 303)


# -- NUL bytes (fuzz review, finding 5) --------------------------------------------------------

NUL_PAGE = "Надіслане містить нульовий символ"


def _nul_cases(app, world):  # noqa: F811
    """(who, page for the token, method, url, form) for the fuzz review's NUL requests."""
    finished = play(app, world.trainee_a)
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        compiled = app.extensions["trainer_registry"].latest(SCENARIO)
        active = attempts.start_or_resume(db.session, db.session.get(User, world.trainee_a), compiled, restart=True)
        db.session.commit()
        active = active.id
    first = app.extensions["trainer_registry"].latest(SCENARIO).analysis.recommended_path[0][1]
    return [
        (None, "/login", "POST", "/login", {"username": "test.trainee\x00", "password": "x"}),
        ("test.trainee", f"/attempts/{active}", "POST", f"/attempts/{active}/answer", {"step": "0", "choice": first + "\x00"}),
        ("test.trainee", f"/attempts/{finished}/debrief", "POST", f"/feedback/attempts/{finished}",
         {"usefulness": "4", "realism": "4", "comment": "a\x00b"}),
        ("test.supervisor", f"/team/cohorts/{world.cohort_a}/assign", "POST", f"/team/cohorts/{world.cohort_a}/assign",
         {"scenario": SCENARIO, "target": "cohort", "mode": "practice", "note": "a\x00b"}),
        ("test.supervisor", f"/team/attempts/{finished}", "POST", f"/team/attempts/{finished}/comments",
         {"step": "0", "body": "a\x00b"}),
        ("test.admin", "/admin/cohorts", "POST", "/admin/cohorts", {"name": "Група\x00", "description": ""}),
        ("test.admin", "/admin/users/new", "POST", "/admin/users/new",
         {"username": "n.nul", "role": "trainee", "display_name": "Ім\x00я", "locale": "", "password": ""}),
        ("test.admin", "/", "POST", "/admin/users/new", {"username": "n.nul\x00", "role": "trainee"}),
        ("test.supervisor", "/", "GET", "/feedback/scenarios/example-queue%00", None),
        ("test.trainee", "/", "GET", "/manual/search?q=a%00b", None),
        ("test.trainee", "/", "GET", "/history?page=1&x%00=1", None),
    ]


def test_nul_anywhere_in_a_request_is_refused_with_a_page_that_says_what_to_do(app, world):  # noqa: F811
    from trainer.extensions import db
    from trainer.models import Assignment, Cohort, SurveyResponse, StepComment, User
    for who, token_page, method, url, form in _nul_cases(app, world):
        client = app.test_client()
        if who:
            Auth(client).login(who)
        token = csrf_token(client.get(token_page).get_data(as_text=True))
        data = None if form is None else {"csrf_token": token, **form}
        response = client.open(url, method=method, data=data)
        assert response.status_code == 400, (url, response.status_code)
        html = _text(response)
        assert NUL_PAGE in html and 'id="main"' in html, url
    with app.app_context():
        counts = [db.session.scalar(select(func.count()).select_from(model))
                  for model in (Assignment, SurveyResponse, StepComment)]
        assert counts == [0, 0, 0]
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 2  # the world's two
        assert db.session.scalar(select(User.id).where(User.username.like("n.nul%"))) is None


def test_the_nul_page_is_in_english_for_english_readers(client, users):
    Auth(client).login("test.trainee")
    client.post("/account/language", data={"locale": "en", "csrf_token": Auth(client).token("/account/language")})
    response = client.get("/manual/search?q=%00")
    assert response.status_code == 400
    assert "contains a null character (NUL)" in _text(response)


def test_an_uploaded_file_whose_name_has_nul_is_refused(client, users):
    import io
    Auth(client).login("test.admin")
    token = Auth(client).token("/admin/users/import")
    response = client.post("/admin/users/import", content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(b"username,role\nn.a,trainee\n"), "a\x00.csv")})
    assert response.status_code == 400 and NUL_PAGE in _text(response)


# -- query strings that are not UTF-8 (fuzz review, finding 10) --------------------------------

NOT_UTF8_PAGE = "Адреса містить символи, що не є коректним текстом"


@pytest.mark.parametrize("path, query", [("/manual/search", "q=\xff"), ("/history", "page=\xff"), ("/", "by=\xff"),
                                         ("/manual/search", "q=%D0\xd0")])
def test_a_query_that_is_not_utf8_gets_the_400_page(client, users, path, query):
    # QUERY_STRING as a WSGI server passes the raw bytes: one character per byte.
    Auth(client).login("test.trainee")
    response = client.get(path, environ_overrides={"QUERY_STRING": query})
    assert response.status_code == 400
    html = _text(response)
    assert NOT_UTF8_PAGE in html and "(test.trainee)</button>" in html


def test_a_visitor_with_a_query_that_is_not_utf8_gets_the_400_page(client):
    response = client.get("/login", environ_overrides={"QUERY_STRING": "next=\xff"})
    assert response.status_code == 400
    html = _text(response)
    assert NOT_UTF8_PAGE in html and 'name="next" value="/login"' in html


def test_percent_encoded_bytes_that_are_not_utf8_are_still_just_text(client, users):
    # Werkzeug keeps them percent-encoded: a search for them finds nothing, no error.
    Auth(client).login("test.trainee")
    assert client.get("/manual/search?q=%FF").status_code == 200
