"""The supervisors' pages and the trainee's side of assignments, as users reach them."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import Auth, csrf_token
from tests.team.conftest import SCENARIO, play


def _page(client, url):
    response = client.get(url)
    return response, unescape(response.get_data(as_text=True))


def _assign(client, cohort_id, **fields):
    html = client.get(f"/team/cohorts/{cohort_id}/assign").get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "scenario": SCENARIO, "target": "cohort", "mode": "practice", **fields}
    return client.post(f"/team/cohorts/{cohort_id}/assign", data=data)


def _set_due(app, due_on):
    """Move every assignment's due date: the form refuses a past one, time does not."""
    from sqlalchemy import update

    from trainer.extensions import db
    from trainer.models import Assignment
    with app.app_context():
        db.session.execute(update(Assignment).values(due_on=due_on))
        db.session.commit()


# -- who sees what ---------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [("test.trainee", 403), ("test.supervisor", 200), ("sup.b", 404),
                                         ("test.admin", 200)])
def test_cohort_dashboard_by_role(client, world, who, status):
    Auth(client).login(who)
    assert client.get(f"/team/cohorts/{world.cohort_a}").status_code == status


def test_supervisor_cannot_reach_another_cohorts_trainee_by_url(app, client, world):
    attempt_b = play(app, world.trainee_b)
    Auth(client).login("test.supervisor")
    assert client.get(f"/team/trainees/{world.trainee_b}").status_code == 404
    assert client.get(f"/team/attempts/{attempt_b}").status_code == 404
    assert client.get(f"/team/cohorts/{world.cohort_b}/assign").status_code == 404
    assert client.get(f"/team/trainees/{world.trainee_a}").status_code == 200
    # The exports of supervisor A do not contain trainee B.
    csv_text = client.get("/team/export/attempts.csv").get_data(as_text=True)
    assert "test.other" not in csv_text
    assert "test.other" not in client.get(f"/team/export/attempts.csv?cohort={world.cohort_b}").get_data(as_text=True)


def test_trainee_sees_only_their_own_profile(client, world):
    Auth(client).login("test.trainee")
    assert client.get("/profile").status_code == 200
    assert client.get(f"/team/trainees/{world.trainee_a}").status_code == 403
    assert client.get("/team/export/attempts.csv").status_code == 403


def test_dashboard_names_a_critical_error_by_the_choice_as_worded(app, client, world):
    # It showed the choice's id (`tr_everyone_stands`): the template looked for the choices on
    # the loaded file instead of the compiled scenario.
    from markupsafe import escape

    from trainer.extensions import db
    from trainer.models import Attempt
    attempt_id = play(app, world.trainee_a, "worst")
    with app.app_context():
        choice = db.session.get(Attempt, attempt_id).critical_choice
    assert choice, f"{SCENARIO}'s worst path makes no critical error"
    wording = app.extensions["trainer_registry"].latest(SCENARIO).choices[choice][1].text.uk
    Auth(client).login("test.supervisor")
    page = client.get(f"/team/cohorts/{world.cohort_a}").get_data(as_text=True)
    section = page[page.index('id="crit-h"'):]
    section = section[:section.index("</section>")]
    assert str(escape(wording))[:60] in section
    assert f"<code>{choice}</code>" not in section


def test_admin_sees_every_cohort(client, world):
    Auth(client).login("test.admin")
    _r, html = _page(client, "/team/")
    assert "Київ-1" in html and "Львів-2" in html
    Auth(client).logout()
    Auth(client).login("test.supervisor")
    _r, html = _page(client, "/team/")
    assert "Київ-1" in html and "Львів-2" not in html


# -- assignments end to end -------------------------------------------------------------

def _play_all(client, attempt_url, compiled):
    for _node, choice in compiled.analysis.recommended_path:
        html = client.get(attempt_url).get_data(as_text=True)
        step = int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))
        r = client.post(attempt_url + "/answer", data={"csrf_token": csrf_token(html), "step": step, "choice": choice})
        assert r.status_code == 302


def test_assessment_hides_feedback_allows_one_attempt_and_records_time_changes(app, client, world):
    from trainer.extensions import db
    from trainer.models import Attempt
    auth = Auth(client)
    auth.login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="assessment", time_limit="60", due_on="2030-01-31").status_code == 302
    _r, dashboard = _page(client, f"/team/cohorts/{world.cohort_a}")
    assert "31 січня 2030" in dashboard and "2030-01-31" not in dashboard
    auth.logout()
    auth.login("test.trainee")
    _r, html = _page(client, "/assignments")
    assert "Оцінювання" in html and "31 січня 2030" in html  # the date in the reader's language
    assignment_id = re.search(r'/assignments/(\d+)"', html).group(1)
    r = client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(html)})
    url = r.headers["Location"]
    _r, page = _page(client, url)
    assert "Час на це рішення" in page or "Залишилося часу" in page
    token = csrf_token(page)
    client.post(url + "/time", data={"csrf_token": token, "action": "extend"})
    client.post(url + "/time", data={"csrf_token": token, "action": "off"})
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    first_node, first_choice = compiled.analysis.recommended_path[0]
    html = client.get(url).get_data(as_text=True)
    client.post(url + "/answer", data={"csrf_token": csrf_token(html), "step": 0, "choice": first_choice})
    _r, after = _page(client, url)
    assert "Про вашу останню відповідь" not in after  # no feedback during an assessment
    assert "Час на це рішення" not in after  # the limit is off
    for i, (_node, choice) in enumerate(compiled.analysis.recommended_path[1:], start=1):
        html = client.get(url).get_data(as_text=True)
        client.post(url + "/answer", data={"csrf_token": csrf_token(html), "step": i, "choice": choice})
    assert client.get(url).status_code == 302  # finished → debrief
    # One attempt only.
    html = client.get("/assignments").get_data(as_text=True)
    r = client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(html)}, follow_redirects=True)
    assert "одну спробу" in unescape(r.get_data(as_text=True))
    with app.app_context():
        attempts = db.session.scalars(select(Attempt).where(Attempt.assignment_id == int(assignment_id))).all()
        assert len(attempts) == 1
        assert (attempts[0].time_extensions, attempts[0].time_limit_off_at) == (1, 0)
    auth.logout()
    auth.login("test.supervisor")
    _r, transcript = _page(client, f"/team/attempts/{attempts[0].id}")
    # Said without a gendered verb ("слухач вимкнув" made every trainee a man).
    assert "більше часу запитано 1 раз; обмеження вимкнено перед рішенням 1" in transcript
    assert "Обрана відповідь:" in transcript and "Стан після цього кроку:" in transcript
    assert "Слухач обрав" not in transcript and "вимкнув" not in transcript
    _r, dash = _page(client, f"/team/cohorts/{world.cohort_a}")
    assert "1 / 1" in dash


def test_practice_assignment_allows_retries_and_shows_feedback(app, client, world):
    auth = Auth(client)
    auth.login("test.supervisor")
    _assign(client, world.cohort_a, mode="practice")
    auth.logout()
    auth.login("test.trainee")
    html = client.get("/assignments").get_data(as_text=True)
    assignment_id = re.search(r'/assignments/(\d+)"', html).group(1)
    url = client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(html)}).headers["Location"]
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    _play_all(client, url, compiled)
    html = client.get("/assignments").get_data(as_text=True)
    again = client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(html), "restart": "y"})
    assert again.headers["Location"] != url
    html = client.get(again.headers["Location"]).get_data(as_text=True)
    step = int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))
    client.post(again.headers["Location"] + "/answer", data={
        "csrf_token": csrf_token(html), "step": step, "choice": compiled.analysis.recommended_path[0][1]})
    assert "Про вашу останню відповідь" in unescape(client.get(again.headers["Location"]).get_data(as_text=True))


def test_assign_form_rejects_a_time_limit_on_practice_with_a_clear_message(client, world):
    Auth(client).login("test.supervisor")
    r = _assign(client, world.cohort_a, mode="practice", time_limit="60")
    assert r.status_code == 422
    assert "лише для оцінювання" in unescape(r.get_data(as_text=True))


@pytest.mark.parametrize("seconds", ["5", "4000"])
def test_assign_form_says_what_time_limit_it_accepts(client, world, seconds):
    # The form's range check speaks first; it must not fall back to WTForms' generic wording.
    Auth(client).login("test.supervisor")
    r = _assign(client, world.cohort_a, mode="assessment", time_limit=seconds)
    assert r.status_code == 422
    assert "Укажіть час на одне рішення від 20 до 3600 секунд." in unescape(r.get_data(as_text=True))


# -- transcripts, ratings, self-rating ---------------------------------------------------

def test_supervisor_comments_and_rates_and_the_dashboard_shows_agreement(app, client, world):
    from trainer.extensions import db
    from trainer.models import StepComment, SupervisorRating
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    response, html = _page(client, f"/team/attempts/{attempt_id}")
    assert response.status_code == 200 and "Рішення 1" in html
    token = csrf_token(html)
    r = client.post(f"/team/attempts/{attempt_id}/comments", data={"csrf_token": token, "step": 0,
                                                                   "body": "Добре <b>назвали</b> почуття"})
    assert r.status_code == 302
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    ratings = {f"rate-{c}": "4" for c in compiled.scenario.competencies}
    r = client.post(f"/team/attempts/{attempt_id}/ratings", data={"csrf_token": token, **ratings})
    assert r.status_code == 302
    _r, html = _page(client, f"/team/attempts/{attempt_id}")
    raw = client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True)
    assert "Добре &lt;b&gt;назвали&lt;/b&gt; почуття" in raw  # comments are text, never markup
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StepComment)) == 1
        assert db.session.scalar(select(func.count()).select_from(SupervisorRating)) == len(compiled.scenario.competencies)
    _r, dash = _page(client, f"/team/cohorts/{world.cohort_a}")
    assert "Узгодженість оцінювачів" in dash and "автоматична оцінка" in dash
    # On a handful of shared ratings a kappa would swing on one mark: it waits for ten.
    assert "поки ні: потрібно щонайменше 10 спільних оцінок" in dash
    for _more in range(-(-10 // len(compiled.scenario.competencies))):  # enough attempts for ten ratings
        more = play(app, world.trainee_a)
        token = csrf_token(_page(client, f"/team/attempts/{more}")[1])
        client.post(f"/team/attempts/{more}/ratings", data={"csrf_token": token, **ratings})
    _r, dash = _page(client, f"/team/cohorts/{world.cohort_a}")
    assert "поки ні: потрібно" not in dash
    # Every kappa is shown with its usual reading, or said to be undefined.
    # A decimal comma in Ukrainian.
    kappas = re.findall(r"<td(?: data-label=\"[^\"]*\")?>(-?\d,\d\d \([^)]+\)|не визначено)</td>", dash)
    assert kappas and all("(" in k and not re.search(r"\([a-z_]+\)", k) or k == "не визначено" for k in kappas)


def test_a_transcript_says_which_ending_and_why_a_good_one_counts_as_mixed(app, client, world):
    capped = play(app, world.trainee_a, scenario="helpless-client", path=[
        "ask_what_done", "should_have_come", "offer_paths", "smallest_step", "told_you_so",
        "arrange_everything", "his_choice_with_facts", "next_please"])
    recommended = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    _r, html = _page(client, f"/team/attempts/{capped}")
    assert ("Неоднозначний результат: Перший крок — його власний (добре завершення, але 2 шкідливі "
            "відповіді роблять результат неоднозначним)") in html
    _r, html = _page(client, f"/team/attempts/{recommended}")
    assert "Добрий результат: Олег дочекався</dd>" in html


def test_empty_comment_is_refused(app, client, world):
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    token = csrf_token(client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True))
    r = client.post(f"/team/attempts/{attempt_id}/comments", data={"csrf_token": token, "step": 0, "body": ""})
    assert r.status_code == 422


def test_trainee_rates_themselves_once_after_a_scenario(app, client, world):
    from trainer.extensions import db
    from trainer.models import SelfRating
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.trainee")
    _r, html = _page(client, f"/attempts/{attempt_id}/debrief")
    assert "Як ви впоралися" in html
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    data = {"csrf_token": csrf_token(html), **{f"self-{c}": "3" for c in compiled.scenario.competencies}}
    assert client.post(f"/attempts/{attempt_id}/self-rating", data=data).status_code == 302
    client.post(f"/attempts/{attempt_id}/self-rating", data={**data, **{f"self-{c}": "5" for c in compiled.scenario.competencies}})
    with app.app_context():
        ratings = db.session.scalars(select(SelfRating.rating)).all()
    assert ratings == [3] * len(compiled.scenario.competencies)
    _r, profile = _page(client, "/profile")
    assert "самооцін" in profile.lower()
    # Counted by debriefs rated, with the ratings themselves in brackets.
    count = len(compiled.scenario.competencies)
    assert f"Самооцінку дано після 1 сценарію ({count} оцін" in profile
    # On a phone the score must not sit behind the domain column: it comes right after the name.
    table = profile.split('id="comp-h"')[1].split("</thead>")[0]
    assert table.index("Середній бал") < table.index("Спроби") < table.index("Сфера")
    assert "таблиці «Сфери»" in profile and "поруч із діаграмою" not in profile
    Auth(client).logout()
    Auth(client).login("test.other")
    assert client.post(f"/attempts/{attempt_id}/self-rating", data=data).status_code in (400, 404)


# -- analytics and exports ------------------------------------------------------------------

def test_scenario_analytics_shows_counts_on_the_graph_and_compares_groups(app, client, world):
    play(app, world.trainee_a)
    play(app, world.trainee_a, "worst")
    Auth(client).login("test.admin")
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    response, html = _page(client, f"/team/scenarios/{SCENARIO}?cohort={world.cohort_a}&b_cohort={world.cohort_b}")
    assert response.status_code == 200
    assert "<svg" in html and 'class="edge-label"' in html
    first_node = compiled.analysis.recommended_path[0][0]
    assert f'id="node-{first_node}"' in html
    assert "A: Київ-1" in html and "B: Львів-2" in html


def test_exports_download_as_csv_and_xapi_json(app, client, world):
    play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    r = client.get(f"/team/export/scores.csv?cohort={world.cohort_a}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.get_data(as_text=True).splitlines()[0].startswith("\ufeffattempt_id,username,scenario_id,competency")
    r = client.get("/team/export/xapi.json")
    statements = json.loads(r.get_data(as_text=True))
    assert statements and {s["verb"]["id"].rsplit("/", 1)[-1] for s in statements} >= {"answered", "completed", "scored"}
    assert client.get("/team/export/passwords.csv").status_code == 404


# -- admin: people and cohorts ----------------------------------------------------------------

def test_admin_creates_a_user_and_a_cohort_and_adds_them(app, client, users):
    from trainer.extensions import db
    from trainer.models import CohortMember, User
    Auth(client).login("test.admin")
    html = client.get("/admin/users/new").get_data(as_text=True)
    r = client.post("/admin/users/new", data={"csrf_token": csrf_token(html), "username": "n.new", "role": "trainee",
                                              "display_name": "Нова Людина", "locale": "", "password": ""})
    assert r.status_code == 302
    flashes = unescape(client.get("/admin/users").get_data(as_text=True))
    assert "n.new" in flashes and "Нова Людина" in flashes
    bad = client.post("/admin/users/new", data={"csrf_token": csrf_token(html), "username": "N!", "role": "trainee"})
    assert bad.status_code == 422
    html = client.get("/admin/cohorts").get_data(as_text=True)
    r = client.post("/admin/cohorts", data={"csrf_token": csrf_token(html), "name": "Харків", "description": ""})
    cohort_url = r.headers["Location"]
    with app.app_context():
        new_id = db.session.scalar(select(User.id).where(User.username == "n.new"))
    html = client.get(cohort_url).get_data(as_text=True)
    r = client.post(cohort_url, data={"csrf_token": csrf_token(html), "user": new_id, "role": "trainee"})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CohortMember.role).where(CohortMember.user_id == new_id)) == "trainee"
    html = client.get(cohort_url).get_data(as_text=True)
    r = client.post(f"{cohort_url}/members/{new_id}/remove", data={"csrf_token": csrf_token(html)})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CohortMember)) == 0
        assert db.session.get(User, new_id) is not None  # removing from a cohort keeps the account


def test_csv_import_checks_first_then_imports_on_confirmation(app, client, users):
    import io
    from trainer.extensions import db
    from trainer.models import User
    Auth(client).login("test.admin")
    html = client.get("/admin/users/import").get_data(as_text=True)
    bad = "username,role\nok.person,trainee\nBAD NAME,trainee\nx.y,boss\n".encode()
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(html), "check": "1",
                                                 "file": (io.BytesIO(bad), "team.csv")},
                    content_type="multipart/form-data")
    page = unescape(r.get_data(as_text=True))
    assert r.status_code == 422 and "Рядок 3" in page and "Рядок 4" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "ok.person")) == 0
    good = "username,display_name,role\nok.person,Гарна Людина,trainee\n".encode()
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(html), "check": "1",
                                                 "file": (io.BytesIO(good), "team.csv")},
                    content_type="multipart/form-data")
    page = r.get_data(as_text=True)
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "ok.person")) == 0
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "content": content, "confirm": "1"})
    assert r.status_code == 200 and "ok.person" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.display_name).where(User.username == "ok.person")) == "Гарна Людина"


def test_csv_import_refuses_other_file_types(client, users):
    import io
    Auth(client).login("test.admin")
    html = client.get("/admin/users/import").get_data(as_text=True)
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(html), "check": "1",
                                                 "file": (io.BytesIO(b"\x89PNG\x00\x00"), "photo.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "CSV" in r.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/users", "/admin/cohorts", "/admin/users/import", "/admin/users/new"])
def test_people_pages_are_for_admins_only(client, users, url):
    Auth(client).login("test.supervisor")
    assert client.get(url).status_code == 403


def test_home_page_lists_open_assignments(app, client, world):
    from datetime import date
    auth = Auth(client)
    auth.login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    _set_due(app, date(2020, 1, 1))
    auth.logout()
    auth.login("test.trainee")
    _r, html = _page(client, "/")
    assert "Черга біля стійки" in html and "прострочено" in html
    auth.logout()
    auth.login("test.other")
    _r, html = _page(client, "/")
    assert "Зараз у вас немає призначених завдань." in html  # another cohort's assignment is not theirs


@pytest.mark.parametrize(("zone", "overdue"), [("Etc/GMT+12", False), ("Etc/GMT-14", True)])
def test_overdue_is_judged_by_the_centres_calendar(make_app, world, monkeypatch, zone, overdue):
    """Due "today" at UTC-12 is already past at UTC+14, whatever the hour: the two clocks never
    share a date. So the same assignment is overdue in one centre and not in the other."""
    from trainer import clock

    monkeypatch.setenv("TRAINER_TIMEZONE", zone)
    app = make_app()
    client = app.test_client()
    auth = Auth(client)
    auth.login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice", due_on=clock.today(zone).isoformat()).status_code == 302
    _set_due(app, clock.today("Etc/GMT+12"))
    _r, dashboard = _page(client, f"/team/cohorts/{world.cohort_a}")
    overdue_list = re.search(r"<h3>Прострочено</h3>", dashboard)
    assert bool(overdue_list) is overdue
    auth.logout()
    auth.login("test.trainee")
    _r, assignments = _page(client, "/assignments")
    _r, home = _page(client, "/")
    assert ('class="overdue"' in assignments) is overdue
    assert ("прострочено" in home) is overdue


def _checked_import(client, data: bytes) -> str:
    """Check a users file; the confirmation page (with the file carried in it)."""
    import io
    html = client.get("/admin/users/import").get_data(as_text=True)
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(html), "check": "1",
                                                 "file": (io.BytesIO(data), "team.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 200, unescape(r.get_data(as_text=True))
    return r.get_data(as_text=True)


def _confirm(client, page: str):
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    return client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "content": content, "confirm": "1"})


TWICE = "Ці облікові записи вже існують: цей файл щойно імпортовано (кнопку «Імпортувати» натиснули двічі?)"
NEW_PASSWORDS = "відкрийте його обліковий запис на сторінці «Люди», заповніть поле «Пароль» і збережіть"


def test_import_confirmed_twice_says_the_accounts_exist_and_where_to_set_passwords(app, client, users):
    from trainer.extensions import db
    from trainer.models import User
    Auth(client).login("test.admin")
    page = _checked_import(client, "username,role,cohort\nfz.a,trainee,Нова\nfz.b,trainee,Нова\n".encode())
    first = _confirm(client, page)
    assert first.status_code == 200 and "<code>" in first.get_data(as_text=True)  # the generated passwords
    second = _confirm(client, page)  # the same confirmation once more: a second press, a resent form
    text = unescape(second.get_data(as_text=True))
    assert second.status_code == 409
    assert TWICE in text and NEW_PASSWORDS in text and 'href="/admin/users"' in text
    assert 'name="confirm"' not in text  # nothing invites a third press
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username.like("fz.%"))) == 2


@pytest.mark.parametrize("failure", ["taken", "integrity"])
def test_import_racing_its_own_second_press_is_rolled_back_and_explained(app, client, users, make_app,
                                                                         monkeypatch, failure):
    """The second press was checked before the first one committed; its own run then fails."""
    from sqlalchemy.exc import IntegrityError

    from trainer.extensions import db
    from trainer.models import Cohort, User
    from trainer.team import people_import
    Auth(client).login("test.admin")
    data = "username,role,cohort\nfz.a,trainee,Нова\nfz.b,trainee,Нова\n".encode()
    page = _checked_import(client, data)
    real = people_import.run_import

    def first_press_commits_meanwhile(session, plan, *, actor):
        with make_app().app_context():  # the first press, on another connection
            real(db.session, people_import.plan_import(db.session, data), actor=None)
            db.session.commit()
        if failure == "integrity":
            raise IntegrityError("INSERT INTO users", {}, Exception("duplicate key value violates unique constraint"))
        return real(session, plan, actor=actor)

    monkeypatch.setattr(people_import, "run_import", first_press_commits_meanwhile)
    second = _confirm(client, page)
    text = unescape(second.get_data(as_text=True))
    assert second.status_code == 409 and TWICE in text and NEW_PASSWORDS in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username.like("fz.%"))) == 2
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 1


def test_import_clashing_with_other_new_accounts_names_the_problem(app, client, users, make_app, monkeypatch):
    from trainer.extensions import db
    from trainer.models import User
    from trainer.team import people, people_import
    Auth(client).login("test.admin")
    page = _checked_import(client, b"username,role\nfz.a,trainee\nfz.b,trainee\n")
    real = people_import.run_import

    def someone_else_creates_one(session, plan, *, actor):
        with make_app().app_context():
            people.create_user(db.session, username="fz.b", role="trainee", actor=None)
            db.session.commit()
        return real(session, plan, actor=actor)

    monkeypatch.setattr(people_import, "run_import", someone_else_creates_one)
    r = _confirm(client, page)
    text = unescape(r.get_data(as_text=True))
    assert r.status_code == 422
    assert "«fz.b» уже зайняте" in text and "Нічого не імпортовано; перевірте файл ще раз." in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "fz.a")) == 0


# -- text areas, comments, dates -------------------------------------------------------------

def test_a_refused_comment_comes_back_in_its_box_with_the_reason(app, client, world):
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    token = csrf_token(client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True))
    long = "Назвіть почуття. " * 240  # 4080 characters
    r = client.post(f"/team/attempts/{attempt_id}/comments", data={"csrf_token": token, "step": 1, "body": long})
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 422
    box = html[html.index('id="step-1"'):html.index('id="step-2"') if 'id="step-2"' in html else None]
    assert "<details class=\"comment-form screen-only\" open>" in box
    assert "Коментар має містити не більше 4000 символів." in box
    assert long.strip() in box and 'aria-invalid="true"' in box and "autofocus" in box
    assert f'action="/team/attempts/{attempt_id}/comments#step-1"' in box  # the page opens at that decision
    # The hint that the trainee reads the comment stays tied to the box, next to the error.
    assert "Слухач побачить його на сторінці розбору цієї спроби" in box
    assert 'aria-describedby="comment-1-hint comment-1-error"' in box
    blank = client.post(f"/team/attempts/{attempt_id}/comments", data={"csrf_token": token, "step": 0, "body": "   "})
    assert blank.status_code == 422
    assert "Спершу напишіть коментар, потім натисніть «Додати коментар»." in unescape(blank.get_data(as_text=True))


def test_a_comment_counts_a_line_break_as_one_character_as_the_browser_does(app, client, world):
    from trainer.extensions import db
    from trainer.models import StepComment
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    token = csrf_token(client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True))
    typed = "\n".join(["к" * 52] * 76)[:4000]  # what the browser counts for maxlength
    body = typed.replace("\n", "\r\n")  # what it sends: 4075 characters
    r = client.post(f"/team/attempts/{attempt_id}/comments", data={"csrf_token": token, "step": 0, "body": body})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(StepComment.body)) == typed


def test_the_same_comment_sent_twice_is_stored_once(app, client, world):
    from trainer.extensions import db
    from trainer.models import StepComment
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    token = csrf_token(client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True))
    data = {"csrf_token": token, "step": 0, "body": "Добре назвали почуття"}
    assert client.post(f"/team/attempts/{attempt_id}/comments", data=data).status_code == 302
    again = client.post(f"/team/attempts/{attempt_id}/comments", data=data, follow_redirects=True)
    assert "Цей коментар щойно вже збережено; він зберігається один раз." in unescape(again.get_data(as_text=True))
    client.post(f"/team/attempts/{attempt_id}/comments", data={**data, "step": 1})  # another decision: its own
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StepComment)) == 2


def test_a_comment_on_a_decision_the_attempt_lacks_is_explained(app, client, world):
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    token = csrf_token(client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True))
    r = client.post(f"/team/attempts/{attempt_id}/comments", data={"csrf_token": token, "step": 999, "body": "x"})
    assert r.status_code == 422
    assert "Такого рішення в цій спробі немає; оновіть сторінку" in unescape(r.get_data(as_text=True))


@pytest.mark.parametrize("query, field, message", [
    ("end=9999-12-31", "end", "Вкажіть дату між 2000 і 2100 роками."),
    ("start=0001-01-01", "start", "Вкажіть дату між 2000 і 2100 роками."),
    ("b_start=0001-01-01", "b_start", "Вкажіть дату між 2000 і 2100 роками."),
    ("b_end=9999-12-31", "b_end", "Вкажіть дату між 2000 і 2100 роками."),
    ("start=31.12.2025", "start", "Недійсна дата; виберіть дату в календарі (рррр-мм-дд)."),
    ("start=2026-12-01&end=2026-01-01", "end", "Дата «До» раніша за «Від»; поміняйте їх місцями."),
    ("b_start=2026-12-01&b_end=2026-01-01", "b_end", "Дата «До» раніша за «Від»; поміняйте їх місцями."),
])
def test_scenario_analytics_explains_dates_it_cannot_use(app, client, world, query, field, message):
    play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    response, html = _page(client, f"/team/scenarios/{SCENARIO}?{query}")
    assert response.status_code == 200
    assert f'<p class="error" id="{field}-error">{message}</p>' in html
    # The refused date is left out, not applied: group A still counts the attempt.
    assert re.search(r"<th scope=\"row\">A: [^<]+</th><td>1</td>", html)


def test_scenario_analytics_dates_at_the_ends_of_the_range_are_used(app, client, world):
    play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    response, html = _page(client, f"/team/scenarios/{SCENARIO}?start=2000-01-01&end=2100-12-31")
    assert response.status_code == 200 and 'class="error"' not in html
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html


def test_an_assignment_cannot_be_due_before_today(app, client, world):
    from datetime import timedelta

    from trainer.extensions import db
    from trainer.models import Assignment
    Auth(client).login("test.supervisor")
    with app.test_request_context():
        from trainer.web import local_today
        today = local_today()
    for due, message in [((today - timedelta(days=1)).isoformat(), "Ця дата вже минула; виберіть сьогоднішню або пізнішу дату."),
                         ("0001-01-01", "Ця дата вже минула; виберіть сьогоднішню або пізнішу дату."),
                         ("9999-12-31", "Вкажіть дату між 2000 і 2100 роками."),
                         ("31.12.2030", "Недійсна дата; виберіть дату в календарі (рррр-мм-дд).")]:
        r = _assign(client, world.cohort_a, due_on=due)
        html = unescape(r.get_data(as_text=True))
        assert r.status_code == 422 and f'<p class="error" id="due_on-error">{message}</p>' in html, due
    assert f'min="{today.isoformat()}"' in html
    assert _assign(client, world.cohort_a, due_on=today.isoformat()).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Assignment.due_on)).all() == [today]


def test_a_review_comment_keeps_all_the_browser_let_through(app, client, world):
    from tests.team.test_reviews import finish_with_text
    from trainer.extensions import db
    from trainer.models import FreeTextReview
    _attempt, step_id = finish_with_text(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    html = client.get("/team/reviews").get_data(as_text=True)
    typed = "\n".join(["Гарно назвали почуття."] * 100)[:2000]  # maxlength="2000" in the browser's count
    r = client.post(f"/team/reviews/{step_id}", data={"csrf_token": csrf_token(html), "verdict": "agree",
                                                      "comment": typed.replace("\n", "\r\n")})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(FreeTextReview.comment)) == typed  # not cut short by the CRs


def test_the_only_admin_cannot_take_their_own_admin_role_away(app, client, users):
    from trainer.extensions import db
    from trainer.models import User
    Auth(client).login("test.admin")
    url = f"/admin/users/{users['admin']}"
    html = client.get(url).get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), "username": "test.admin", "display_name": "Адмін", "role": "trainee",
            "locale": ""}
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert "єдиний адміністратор" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, users["admin"]).role == "admin"
        assert db.session.get(User, users["admin"]).display_name != "Адмін"  # nothing else saved either
    assert client.get("/admin/users").status_code == 200  # still an admin

    # With a second admin, the role can be handed over.
    with app.app_context():
        db.session.get(User, users["supervisor"]).role = "admin"
        db.session.commit()
    assert client.post(url, data=form).status_code == 302
    with app.app_context():
        assert db.session.get(User, users["admin"]).role == "trainee"


# -- one assignment: who has done it, changing it, cancelling it ----------------------------------

def _assignment_id(app) -> int:
    from trainer.extensions import db
    from trainer.models import Assignment
    with app.app_context():
        return db.session.scalar(select(func.max(Assignment.id)))


def _section(html: str, heading_id: str) -> str:
    part = html[html.index(f'id="{heading_id}"'):]
    return part[:part.index("</section>")]


def test_completion_links_to_who_has_done_it_and_who_has_not(app, client, world):
    from trainer.extensions import db
    from trainer.models import CohortMember, User
    with app.app_context():
        late = User(username="late.one", display_name="Запізнілий Слухач", role="trainee", password_hash="x")
        db.session.add(late)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=world.cohort_a, user_id=late.id, role="trainee"))
        db.session.commit()
        late_id = late.id
    Auth(client).login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    assignment_id = _assignment_id(app)
    attempt_id = play(app, world.trainee_a)  # from the catalogue: counts toward practice
    dash = client.get(f"/team/cohorts/{world.cohort_a}").get_data(as_text=True)
    assert f'<a href="/team/assignments/{assignment_id}?cohort={world.cohort_a}#people-h">1 / 2' in dash
    response, page = _page(client, f"/team/assignments/{assignment_id}?cohort={world.cohort_a}")
    assert response.status_code == 200
    people = _section(page, "people-h")
    assert "Виконали 1 із 2." in people
    # Who has not done it comes first, each with a link to their page; the done one links to the attempt.
    assert people.index("Запізнілий Слухач") < people.index("test.trainee")
    assert f'href="/team/trainees/{late_id}"' in people and f'href="/team/trainees/{world.trainee_a}"' in people
    assert f'href="/team/attempts/{attempt_id}"' in people and "пройдено зі списку сценаріїв" in people
    assert f'href="/team/cohorts/{world.cohort_a}"' in page  # the way back


def test_a_supervisor_changes_an_assignment_and_the_trainee_sees_it(app, client, world):
    from datetime import date
    auth = Auth(client)
    auth.login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice", note="Стара примітка").status_code == 302
    assignment_id = _assignment_id(app)
    _set_due(app, date(2020, 1, 1))  # overdue now: an unchanged past date may stay when editing
    url = f"/team/assignments/{assignment_id}/edit?cohort={world.cohort_a}"
    html = client.get(url).get_data(as_text=True)
    assert 'value="2020-01-01"' in html and 'name="mode"' in html
    r = client.post(url, data={"csrf_token": csrf_token(html), "mode": "assessment", "due_on": "2020-01-01",
                               "time_limit": "90", "note": "Нова примітка"})
    assert r.status_code == 302 and r.headers["Location"].startswith(f"/team/assignments/{assignment_id}")
    r = client.post(url, data={"csrf_token": csrf_token(html), "mode": "assessment", "due_on": "2020-01-02",
                               "note": ""})
    assert r.status_code == 422 and "Ця дата вже минула" in unescape(r.get_data(as_text=True))
    _r, page = _page(client, f"/team/assignments/{assignment_id}")
    assert "Нова примітка" in page and "Оцінювання" in page and "90" in page
    auth.logout()
    auth.login("test.trainee")
    _r, mine = _page(client, "/assignments")
    assert "Нова примітка" in mine and "Стара примітка" not in mine and "Оцінювання" in mine


def test_the_mode_cannot_be_changed_once_someone_has_started(app, client, world):
    from trainer.extensions import db
    from trainer.models import Assignment
    Auth(client).login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    assignment_id = _assignment_id(app)
    play(app, world.trainee_a, assignment_id=assignment_id)
    url = f"/team/assignments/{assignment_id}/edit"
    _r, html = _page(client, url)
    assert 'name="mode"' not in html and 'name="time_limit"' not in html
    assert "Це завдання вже хтось розпочав, тому його режим змінити не можна" in html
    r = client.post(url, data={"csrf_token": csrf_token(html), "mode": "assessment", "note": "Ще раз, будь ласка"})
    assert r.status_code == 302
    with app.app_context():
        changed = db.session.get(Assignment, assignment_id)
        assert (changed.mode, changed.note) == ("practice", "Ще раз, будь ласка")


def test_cancelling_asks_first_then_hides_the_assignment_from_trainees(app, client, world):
    from trainer.extensions import db
    from trainer.models import Assignment, Attempt
    auth = Auth(client)
    auth.login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    assignment_id = _assignment_id(app)
    attempt_id = play(app, world.trainee_a, assignment_id=assignment_id)
    # The trainee has the list open before the cancellation.
    trainee = app.test_client()
    Auth(trainee).login("test.trainee")
    open_list = trainee.get("/assignments").get_data(as_text=True)
    assert f"/assignments/{assignment_id}/start" in open_list
    # Asking to cancel changes nothing yet; a GET never cancels.
    _r, confirm = _page(client, f"/team/assignments/{assignment_id}/cancel")
    assert "Скасувати завдання?" in confirm and "Виконали 1 із 1." in confirm
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).cancelled_at is None
    r = client.post(f"/team/assignments/{assignment_id}/cancel", data={"csrf_token": csrf_token(confirm)})
    assert r.status_code == 302
    _r, page = _page(client, r.headers["Location"])
    assert "Це завдання скасовано" in page and "Змінити завдання" not in page
    # The banner says it all; a message above it repeated the same words.
    assert page.count("Слухачі його більше не бачать") == 1 and "Завдання скасовано." not in page
    assert f'href="/team/attempts/{attempt_id}"' in page  # its results stay
    _r, dash = _page(client, f"/team/cohorts/{world.cohort_a}")
    assert "скасовано " in _section(dash, "completion-h")
    # The page the trainee had open: starting is refused, with the reason.
    r = trainee.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(open_list), "restart": "y"})
    assert r.status_code == 302 and r.headers["Location"] == "/assignments"
    _r, mine = _page(trainee, "/assignments")
    assert "Це завдання скасовано, тож розпочати його вже не можна" in mine
    assert f"/assignments/{assignment_id}/start" not in mine
    assert "Черга біля стійки" not in _section(_page(trainee, "/")[1], "assignments")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).assignment_id == assignment_id
        assert db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.assignment_id == assignment_id)) == 1
    # Cancelled assignments are not edited; a second cancel says it was done already.
    r = client.get(f"/team/assignments/{assignment_id}/edit")
    assert r.status_code == 302
    r = client.post(f"/team/assignments/{assignment_id}/cancel", data={"csrf_token": csrf_token(confirm)},
                    follow_redirects=True)
    assert "Це завдання вже було скасовано." in unescape(r.get_data(as_text=True))


def test_another_cohorts_supervisor_cannot_see_change_or_cancel_an_assignment(app, client, world):
    from trainer.extensions import db
    from trainer.models import Assignment
    auth = Auth(client)
    auth.login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    assignment_id = _assignment_id(app)
    auth.logout()
    auth.login("sup.b")
    token = auth.token()
    for method, path in (("GET", ""), ("GET", "/edit"), ("POST", "/edit"), ("GET", "/cancel"), ("POST", "/cancel")):
        r = client.open(f"/team/assignments/{assignment_id}{path}", method=method,
                        data={"csrf_token": token, "mode": "assessment", "note": "x"} if method == "POST" else None)
        assert r.status_code == 404, (method, path)
    with app.app_context():
        untouched = db.session.get(Assignment, assignment_id)
        assert (untouched.mode, untouched.note, untouched.cancelled_at) == ("practice", "", None)


def test_the_trainee_page_lists_their_assignments_with_status(app, client, world):
    from datetime import date
    Auth(client).login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    assert _assign(client, world.cohort_a, mode="assessment", scenario="hearing-impairment").status_code == 302
    assessment_id = _assignment_id(app)
    _set_due(app, date(2020, 1, 1))
    assert _assign(client, world.cohort_a, mode="practice", scenario="crying-client").status_code == 302
    cancelled_id = _assignment_id(app)
    client.post(f"/team/assignments/{cancelled_id}/cancel", data={"csrf_token": Auth(client).token()})
    play(app, world.trainee_a)
    play(app, world.trainee_a, scenario="hearing-impairment")
    taken = play(app, world.trainee_a, scenario="hearing-impairment", assignment_id=assessment_id)
    response, html = _page(client, f"/team/trainees/{world.trainee_a}")
    assert response.status_code == 200
    section = _section(html, "assigned-h")
    rows = re.findall(r"<tr.*?</tr>", section, re.S)[1:]
    statuses = {re.search(r'href="/team/assignments/(\d+)"', r).group(1): re.sub(r"<[^>]+>", "", re.split(r"<td[^>]*>", r)[3]).strip()
                for r in rows}
    assert len(statuses) == 3
    assert statuses[str(cancelled_id)].startswith("Скасовано")
    assert statuses[str(assessment_id)] == "Завершено: зараховано"  # an assessment passes or not; practice is done
    assert [s for k, s in statuses.items() if k not in (str(cancelled_id), str(assessment_id))] == ["Виконано"]
    assert f'href="/team/attempts/{taken}"' in section
    assert "Завершених тренувальних спроб до цього оцінювання: 1" in section
    _r, transcript = _page(client, f"/team/attempts/{taken}")
    assert "Завершених тренувальних спроб до цього оцінювання: 1" in transcript


def test_the_trainee_page_says_overdue_and_not_started(app, client, world):
    from datetime import date
    Auth(client).login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    _set_due(app, date(2020, 1, 1))
    assert _assign(client, world.cohort_a, mode="practice", scenario="crying-client").status_code == 302
    section = _section(_page(client, f"/team/trainees/{world.trainee_a}")[1], "assigned-h")
    assert "Прострочено" in section and "Не розпочато" in section
    # The trainee's own profile has no such list: their assignments are on «Мої завдання».
    Auth(client).logout()
    Auth(client).login("test.trainee")
    assert 'id="assigned-h"' not in client.get("/profile").get_data(as_text=True)


def test_the_dashboard_names_who_made_a_critical_error_and_links_the_transcript(app, client, world):
    from markupsafe import escape

    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        db.session.get(User, world.trainee_a).display_name = "Олена Критична"
        db.session.commit()
    attempt_id = play(app, world.trainee_a, "worst")
    Auth(client).login("test.supervisor")
    section = _section(client.get(f"/team/cohorts/{world.cohort_a}").get_data(as_text=True), "crit-h")
    assert str(escape("Олена Критична")) in section
    assert f'href="/team/trainees/{world.trainee_a}"' in section
    assert f'href="/team/attempts/{attempt_id}"' in section
    assert f'href="/team/scenarios/{SCENARIO}?cohort={world.cohort_a}"' in section


def test_scenario_analytics_names_nodes_by_their_words_and_says_answers_are_counted(app, client, world):
    from markupsafe import escape
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    first = compiled.scenario.start
    says = compiled.scenario.nodes[first].client.says.uk
    play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    raw = client.get(f"/team/scenarios/{SCENARIO}").get_data(as_text=True)
    graph = raw[raw.index("<svg"):raw.index("</svg>")]
    box_text = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", graph)
    assert first not in box_text and str(escape(says.split()[0])) in box_text[0]
    heading = re.search(rf'<h3 id="node-{first}">(.*?)</h3>', raw, re.S).group(1)
    # A supervisor reads the words only; the node's id means something to an admin, who
    # keeps the scenario files, and follows the words for them.
    assert str(escape(says[:20])) in heading and first not in heading and "<code>" not in heading
    html = unescape(raw)
    assert "скільки людей" not in html
    assert "Рахуються відповіді, а не люди" in html
    Auth(client).logout()
    Auth(client).login("test.admin")
    raw = client.get(f"/team/scenarios/{SCENARIO}").get_data(as_text=True)
    heading = re.search(rf'<h3 id="node-{first}">(.*?)</h3>', raw, re.S).group(1)
    assert heading.index(str(escape(says[:20]))) < heading.index(f"<code>{first}</code>")


def test_practice_from_the_catalogue_is_done_on_both_sides(app, client, world):
    """The trainee's list and the supervisor's figures agree: both count the catalogue attempt."""
    auth = Auth(client)
    auth.login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice").status_code == 302
    assert _assign(client, world.cohort_a, mode="assessment").status_code == 302
    practised = play(app, world.trainee_a)  # from the catalogue
    completion = _section(_page(client, f"/team/cohorts/{world.cohort_a}")[1], "completion-h")
    assert [re.sub(r"\s+", " ", m) for m in re.findall(r"(\d / \d)<span", completion)] == ["1 / 1", "0 / 1"]
    auth.logout()
    auth.login("test.trainee")
    _r, mine = _page(client, "/assignments")
    rows = re.findall(r"<tr.*?</tr>", mine, re.S)[1:]
    assert len(rows) == 2
    assessment, practice = rows  # open ones first
    assert "Тренування" in practice and "Виконано" in practice and f"/attempts/{practised}/debrief" in practice
    assert "Оцінювання" in assessment and "Не розпочато" in assessment


def test_hostile_names_and_notes_are_text_on_the_assignment_pages(app, client, world):
    from tests.hostile import HOSTILE_TEXT, assert_shown_as_text
    from trainer.extensions import db
    from trainer.models import Assignment, User
    with app.app_context():
        db.session.get(User, world.trainee_a).display_name = HOSTILE_TEXT
        db.session.commit()
    Auth(client).login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="practice", note=HOSTILE_TEXT).status_code == 302
    assignment_id = _assignment_id(app)
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).note == HOSTILE_TEXT
    play(app, world.trainee_a, "worst", assignment_id=assignment_id)
    for path in (f"/team/assignments/{assignment_id}", f"/team/assignments/{assignment_id}/edit",
                 f"/team/assignments/{assignment_id}/cancel", f"/team/cohorts/{world.cohort_a}",
                 f"/team/trainees/{world.trainee_a}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_shown_as_text(response.get_data(as_text=True))


def test_a_started_assessment_keeps_its_mode_but_its_time_limit_can_change(app, client, world):
    from trainer.extensions import db
    from trainer.models import Assignment, Attempt
    Auth(client).login("test.supervisor")
    assert _assign(client, world.cohort_a, mode="assessment", time_limit="60").status_code == 302
    assignment_id = _assignment_id(app)
    taken = play(app, world.trainee_a, assignment_id=assignment_id)
    url = f"/team/assignments/{assignment_id}/edit"
    _r, html = _page(client, url)
    assert 'name="mode"' not in html and 'name="time_limit"' in html
    hint = re.search(r'<p class="hint" id="time_limit-hint">(.*?)</p>', html, re.S).group(1)
    assert "діятиме для спроб, розпочатих відтепер" in hint
    assert client.post(url, data={"csrf_token": csrf_token(html), "time_limit": "120"}).status_code == 302
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).time_limit == 120
        assert db.session.get(Attempt, taken).time_limit == 60  # the attempt keeps the limit it began with


# -- orders and labels that read right in Ukrainian ---------------------------------------------

def test_the_assign_form_lists_scenarios_by_chapter_in_alphabet_order_whatever_the_quotes(app, client, world):
    """Sorting by the raw title put every title that opens with « before «Без даху…»; and 45
    titles in one list were hard to scan, so they come in the manual's chapters, as the
    catalogue files them, each chapter in alphabet order."""
    from trainer.collation import title_key
    Auth(client).login("test.supervisor")
    html = client.get(f"/team/cohorts/{world.cohort_a}/assign").get_data(as_text=True)
    select_ = html[html.index('<select id="scenario"'):]
    select_ = select_[:select_.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select_, re.S)
    assert len(groups) > 3 and not re.search(r"</optgroup>\s*<option", select_)  # every option in a chapter
    labels = [unescape(label) for label, _options in groups]
    toc = app.extensions["trainer_registry"].toc
    numbers = [label.split()[0].rstrip(".") for label in labels]  # «5.2. Складні ситуації»
    assert [toc.position[n] for n in numbers] == sorted(toc.position[n] for n in numbers), labels
    every = []
    for _label, options in groups:
        titles = [unescape(t) for t in re.findall(r"<option[^>]*>([^<]*)</option>", options)]
        assert [title_key(t)[0] for t in titles] == sorted(title_key(t)[0] for t in titles), titles
        every += titles
    assert len(every) == len(app.extensions["trainer_registry"].current) and any(t.startswith("«") for t in every)
    # A link naming a scenario still picks it in the list.
    picked = client.get(f"/team/cohorts/{world.cohort_a}/assign?scenario={SCENARIO}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{SCENARIO}"|<option value="{SCENARIO}" selected', picked)


def test_compared_groups_are_named_with_their_dates(app, client, world):
    """One cohort over two periods read «A: Київ-1 … / B: Київ-1 …»: which was which?"""
    from datetime import date

    from babel.dates import format_date
    play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    cohort = world.cohort_a
    _r, html = _page(client, f"/team/scenarios/{SCENARIO}?cohort={cohort}&end=2026-10-31&b_cohort={cohort}"
                             "&b_start=2026-11-01")
    end, start = (format_date(date(2026, m, d), "d MMMM y", locale="uk") for m, d in ((10, 31), (11, 1)))
    assert f'<th scope="row">A: Київ-1, до {end}</th>' in html
    assert f'<th scope="row">B: Київ-1, з {start}</th>' in html
    _r, html = _page(client, f"/team/scenarios/{SCENARIO}?cohort={cohort}&start=2026-01-01&end=2026-01-31")
    first, last = (format_date(date(2026, 1, d), "d MMMM y", locale="uk") for d in (1, 31))
    assert f'<th scope="row">A: Київ-1, {first} – {last}</th>' in html


def test_figures_for_a_refused_date_range_say_the_dates_are_not_applied(app, client, world):
    """A reversed range showed the field's error, and below it everyone's figures for all
    dates under the bare group name, as if the filter had worked."""
    play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    _r, html = _page(client, f"/team/scenarios/{SCENARIO}?cohort={world.cohort_a}&start=2026-12-01&end=2026-11-01")
    assert '<p class="error" id="end-error">' in html
    assert '<th scope="row">A: Київ-1: усі дати (фільтр дат не застосовано)</th>' in html
    # A refused date of group B alone still shows B, said to be over all dates.
    _r, html = _page(client, f"/team/scenarios/{SCENARIO}?b_start=0001-01-01")
    assert re.search(r'<th scope="row">B: [^<]+: усі дати \(фільтр дат не застосовано\)</th>', html)


def test_the_assign_form_sent_again_says_it_is_assigned_already(app, client, world):
    """Back and submit again: the supervisor is told, the trainees get the task once."""
    from sqlalchemy import func, select

    from trainer.extensions import db
    from trainer.models import Assignment
    Auth(client).login("test.supervisor")
    assert _assign(client, world.cohort_a, note="До наради").status_code == 302
    again = _assign(client, world.cohort_a, note="До наради")
    assert again.status_code == 422
    assert "Цей сценарій уже призначено їм у цьому режимі з тим самим строком" in unescape(again.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id))) == 1


def test_a_supervisor_sees_when_a_trainee_last_logged_in(app, client, world):
    """On the trainee's page, not on the trainee's own profile."""
    Auth(client).login("test.supervisor")
    before = unescape(client.get(f"/team/trainees/{world.trainee_a}").get_data(as_text=True))
    assert "Останній вхід: не зафіксовано" in before
    trainee = app.test_client()
    Auth(trainee).login("test.trainee")
    after = unescape(client.get(f"/team/trainees/{world.trainee_a}").get_data(as_text=True))
    assert "Останній вхід: не зафіксовано" not in after and re.search(r"Останній вхід: \d+ \w+ 20\d\d", after)
    assert "Останній вхід" not in unescape(trainee.get("/profile").get_data(as_text=True))


def test_the_profile_calls_self_ratings_off_both_ways_scattered_not_close(app, client, world):
    """Rated 5 on some competencies and 1 on others, all measured at 50 %: the signed gaps
    cancel out, but a 50-point gap is not "close" (found by playing)."""
    from trainer.extensions import db
    from trainer.models import AttemptScore, SelfRating
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        scores = db.session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)).all()
        assert len(scores) >= 2
        for n, s in enumerate(scores):
            s.percent = 50.0
            db.session.add(SelfRating(attempt_id=attempt_id, competency=s.competency, user_id=world.trainee_a,
                                      rating=5 if n % 2 == 0 else 1))
        if len(scores) % 2:  # an odd count: one more low rating would lean; make the last one even out
            db.session.delete(db.session.scalars(select(SelfRating).where(
                SelfRating.competency == scores[-1].competency)).one())
        db.session.commit()
    Auth(client).login("test.trainee")
    _r, profile = _page(client, "/profile")
    assert "Самооцінки далекі від виміряних результатів в обидва боки" in profile
    assert "близька до виміряного" not in profile


def test_the_cohort_page_leads_to_the_analytics_of_every_scenario_it_played(app, client, world):
    """Found by playing: a scenario's analytics were reached only from an open assignment or
    a critical error, so most scenarios' analytics could be opened only by typing the address."""
    play(app, world.trainee_a)
    play(app, world.trainee_a, scenario="busy-queue")
    Auth(client).login("test.supervisor")
    _r, html = _page(client, f"/team/cohorts/{world.cohort_a}")
    section = html[html.index('id="played-h"'):]
    section = section[:section.index("</section>")]
    for scenario_id in (SCENARIO, "busy-queue"):
        assert f'href="/team/scenarios/{scenario_id}?cohort={world.cohort_a}"' in section
    assert client.get(f"/team/scenarios/busy-queue?cohort={world.cohort_a}").status_code == 200


def test_a_recent_attempt_on_the_profile_gives_its_score_and_extensions(app, client, world):
    """The result was a word without its score; a single extension read "extended 1 time"."""
    from trainer.extensions import db
    from trainer.models import Attempt, AttemptScore
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        scores = db.session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)).all()
        for n, s in enumerate(scores):
            s.percent = 60.0 if n % 2 == 0 else 80.0
        expected = round(sum(s.percent for s in scores) / len(scores))
        attempt = db.session.get(Attempt, attempt_id)
        attempt.time_limit, attempt.time_extensions = 90, 1
        db.session.commit()
    Auth(client).login("test.supervisor")
    _r, html = _page(client, f"/team/trainees/{world.trainee_a}")
    row = html[html.index('id="att-h"'):]
    row = row[row.index("<tbody>"):]
    row = row[:row.index("</tr>")]
    assert re.search(rf"результат, {expected}%</td>", row), row
    assert "продовжено 1 раз" in row
    client.post("/account/language", data={"locale": "en", "csrf_token": Auth(client).token("/account/language")})
    _r, html = _page(client, f"/team/trainees/{world.trainee_a}")
    assert "90 s, extended once" in html and "1 time" not in html
