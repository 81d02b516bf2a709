"""Each account's history (trainer/team/account_log.py): recorded where things are done to an
account, listed newest first on the admin's page of it, with who did each."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from click.testing import CliRunner

from tests.conftest import Auth, add_person, csrf_token, import_people
from trainer.team import account_log

T = datetime(2026, 11, 23, 9, 0)


def _history_rows(client, user_id) -> list[tuple[str, str]]:
    """(what, who) of each line of the account's history, newest first."""
    page = unescape(client.get(f"/admin/users/{user_id}").get_data(as_text=True))
    table = page.split('id="history-h"')[1].split("</section>")[0]
    return [(re.sub(r"\s+", " ", what).strip(), re.sub(r"<[^>]+>", "", who).strip()) for what, who in re.findall(
        r"<tr>\s*<td[^>]*>[^<]*</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", table, re.S)]


def _admin(app):
    client = app.test_client()
    Auth(client).login("test.admin")
    return client


def test_events_are_listed_newest_first_with_who_did_them(app, users):
    from trainer.extensions import db
    from trainer.models import User

    with app.app_context():
        person, admin = db.session.get(User, users["trainee"]), db.session.get(User, users["admin"])
        account_log.record(db.session, person, "blocked", admin, T)
        account_log.record(db.session, person, "unblocked", None, T + timedelta(minutes=5))
        account_log.record(db.session, person, "password_chosen", person, T + timedelta(minutes=5))
        db.session.commit()
        entries = account_log.history(db.session, person)
    assert [(e.action, e.actor_name) for e in entries] == [
        ("password_chosen", "test.trainee"),  # the same minute: the later one first
        ("unblocked", None),                  # the command line
        ("blocked", "test.admin")]


def test_an_unknown_action_is_refused_rather_than_stored(app, users):
    from trainer.extensions import db
    from trainer.models import User

    with app.app_context(), pytest.raises(ValueError, match="unknown account action"):
        account_log.record(db.session, db.session.get(User, users["trainee"]), "deleted", None, T)


def test_what_an_admin_does_to_an_account_is_in_its_history(app, users):
    from tests.test_admin import _lock_out
    client = _admin(app)
    url = f"/admin/users/{users['supervisor']}"
    assert "Ще нічого не записано" in unescape(client.get(url).get_data(as_text=True))
    page = client.get(url).get_data(as_text=True)
    client.post(url, data={"display_name": "Ольга Бондар", "role": "trainee", "locale": "", "password": "",
                           "csrf_token": csrf_token(page)})
    client.post(f"{url}/password", data={"csrf_token": csrf_token(page)})
    client.post(url, data={"display_name": "Ольга Бондар", "role": "trainee", "locale": "",
                           "password": "typed-by-admin-1", "csrf_token": csrf_token(page)})
    _lock_out(app)
    client.post(f"{url}/unblock", data={"csrf_token": csrf_token(page)})  # lifts the login lock
    client.post(f"{url}/block", data={"csrf_token": csrf_token(page)})
    client.post(f"{url}/unblock", data={"csrf_token": csrf_token(page)})
    assert _history_rows(client, users["supervisor"]) == [
        ("Обліковий запис розблоковано", "test.admin"),
        ("Обліковий запис заблоковано", "test.admin"),
        ("Блокування входу знято", "test.admin"),
        ("Адміністратор увів новий пароль", "test.admin"),
        ("Згенеровано новий пароль", "test.admin"),
        ("Повне ім'я змінено: «—» → «Ольга Бондар»", "test.admin"),
        ("Роль змінено: керівник → слухач", "test.admin"),
    ]


def test_new_imported_and_self_managed_accounts_have_their_history(app, users):
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import User
    client = _admin(app)
    add_person(client, "o.koval", password="given-by-admin-1")
    import_people(client, b"username,role\na.hdr,supervisor\n")
    person = app.test_client()
    Auth(person).login("o.koval", "given-by-admin-1")
    token = csrf_token(person.get("/account/password").get_data(as_text=True))
    person.post("/account/password", data={"csrf_token": token, "current": "given-by-admin-1",
                                           "new": "вишня цвіте у квітні", "repeat": "вишня цвіте у квітні"})
    with app.app_context():
        ids = dict(db.session.execute(select(User.username, User.id)).all())
    assert _history_rows(client, ids["o.koval"]) == [("Обрано власний пароль", "o.koval"),
                                                     ("Обліковий запис створено (роль: слухач)", "test.admin")]
    assert _history_rows(client, ids["a.hdr"]) == [("Обліковий запис створено імпортом CSV (роль: керівник)",
                                                     "test.admin")]


def test_cohort_membership_changes_are_in_the_history(app, users):
    """Put into a cohort (one at a time, several at once, by an import), a role in it changed,
    taken out, and leaving the cohorts one supervised on becoming a trainee: each with the
    cohort's name as it was and who did it."""
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Cohort, User
    client = _admin(app)
    cohorts_page = client.get("/admin/cohorts").get_data(as_text=True)
    client.post("/admin/cohorts", data={"name": "Київ-1", "description": "", "csrf_token": csrf_token(cohorts_page)})
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Київ-1")).id
    url = f"/admin/cohorts/{cohort}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    client.post(url, data={"user": users["supervisor"], "role": "trainee", "csrf_token": token})
    client.post(url, data={"user": users["supervisor"], "role": "supervisor", "csrf_token": token})
    added = client.post(f"{url}/members", data={"add-people": [users["trainee"], users["other"]],
                                                "add-role": "trainee", "add-csrf_token": token})
    assert added.status_code == 302
    client.post(f"{url}/members/{users['other']}/remove", data={"csrf_token": token})
    import_people(client, "username,role,cohort\nnew.one,trainee,Київ-1\n".encode("utf-8"))
    person = f"/admin/users/{users['supervisor']}"
    client.post(person, data={"display_name": "", "role": "trainee", "locale": "", "password": "",
                              "csrf_token": token})
    with app.app_context():
        new_one = db.session.scalar(select(User.id).where(User.username == "new.one"))
    assert _history_rows(client, users["supervisor"]) == [
        ("Вилучено з групи «Київ-1»", "test.admin"),
        ("Роль змінено: керівник → слухач", "test.admin"),
        ("У групі «Київ-1» змінено роль: слухач → керівник", "test.admin"),
        ("Додано до групи «Київ-1» з роллю слухача", "test.admin"),
    ]
    assert _history_rows(client, users["other"]) == [("Вилучено з групи «Київ-1»", "test.admin"),
                                                     ("Додано до групи «Київ-1» з роллю слухача", "test.admin")]
    assert _history_rows(client, users["trainee"]) == [("Додано до групи «Київ-1» з роллю слухача", "test.admin")]
    assert _history_rows(client, new_one) == [
        ("Додано до групи «Київ-1» з роллю слухача", "test.admin"),
        ("Обліковий запис створено імпортом CSV (роль: слухач)", "test.admin")]


def test_the_command_line_is_named_as_the_one_who_did_it(tmp_path, monkeypatch, scenario_dir):
    """`trainer user …` on a database of its own (SQLite in the instance folder, as the
    command line's own tests use), then the admin's page of the account read from it."""
    from trainer.app import create_app
    from trainer.cli import main as trainer_cli
    from trainer.extensions import db
    from trainer.models import User
    monkeypatch.setenv("TRAINER_SCENARIO_DIR", str(scenario_dir))
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    runner = CliRunner()
    for args in (["init"], ["user", "create", "head.admin", "--role", "admin"], ["user", "create", "o.koval"],
                 ["user", "role", "o.koval", "supervisor"], ["user", "password", "o.koval"],
                 ["user", "block", "o.koval"], ["user", "unblock", "o.koval"]):
        result = runner.invoke(trainer_cli, args)
        assert result.exit_code == 0, result.output
    app = create_app({"WTF_CSRF_ENABLED": False})
    try:
        with app.app_context():
            db.session.query(User).filter_by(username="head.admin").one().set_password("head.admin")
            db.session.commit()
            person = db.session.query(User).filter_by(username="o.koval").one().id
            assert db.session.get(User, person).password_temporary
        client = app.test_client()
        client.post("/login", data={"username": "head.admin", "password": "head.admin"})
        assert _history_rows(client, person) == [
            ("Обліковий запис розблоковано", "командний рядок"),
            ("Обліковий запис заблоковано", "командний рядок"),
            ("Згенеровано новий пароль", "командний рядок"),
            ("Роль змінено: слухач → керівник", "командний рядок"),
            ("Обліковий запис створено (роль: слухач)", "командний рядок"),
        ]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
