"""The admin pages: a broken scenario file is reported while the others load; accounts'
passwords and login locks."""
from __future__ import annotations

import re
import shutil
from html import unescape

import pytest

from tests.conftest import CONTENT_DIR, SCENARIO_DIR, Auth, csrf_token, doc_example_source
from trainer.scenario.registry import Registry


def test_broken_file_is_reported_and_the_rest_load(tmp_path, database, users):
    from trainer.app import create_app
    from trainer.extensions import db

    shutil.copy(SCENARIO_DIR / "competencies.yaml", tmp_path)
    (tmp_path / "example-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\nversion: [oops\n", encoding="utf-8")
    registry = Registry(tmp_path, CONTENT_DIR)
    assert list(registry.current) == ["example-queue"]
    app = create_app({**database, "TRAINER_REGISTRY": registry})
    client = app.test_client()
    from tests.conftest import Auth
    auth = Auth(client)
    auth.login("test.admin")
    html = client.get("/admin/scenarios").get_data(as_text=True)
    assert "broken.yaml" in html and "SC001" in html and "не завантажено" in html
    assert "Завантажено 1 з 2" in html
    # Files are named inside the scenarios folder: the server's paths are nobody's business.
    assert str(tmp_path) not in html
    assert '<th scope="row"><code>broken.yaml</code></th>' in html
    # The page speaks Ukrainian; the validator's own words are marked as English.
    assert "Проблеми (опис англійською)" in html and "Валідатор описує кожну проблему англійською" in html
    problem = re.search(r'<li><code>SC001</code> <strong class="error">помилка</strong>, рядок \d+: '
                        r'<span lang="en">([^<]+)</span></li>', html)
    assert problem, html
    assert "Черга біля стійки" in client.get("/scenarios").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_framework_problems_and_file_names_in_messages_are_relative(tmp_path, database, users):
    """A duplicate id names the other file, and a broken framework its file: inside the folder."""
    from tests.conftest import Auth
    from trainer.app import create_app
    from trainer.extensions import db

    (tmp_path / "competencies.yaml").write_text("competencies: [oops\n", encoding="utf-8")
    (tmp_path / "a-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    (tmp_path / "b-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    app = create_app({**database, "TRAINER_REGISTRY": Registry(tmp_path, CONTENT_DIR)})
    client = app.test_client()
    Auth(client).login("test.admin")
    html = client.get("/admin/scenarios").get_data(as_text=True)
    assert str(tmp_path) not in html
    assert "<h2>Рамка компетентностей</h2>" in html or "<h2>Рамка компетенцій</h2>" in html
    assert "<p><code>competencies.yaml</code></p>" in html
    assert "is already used by a-queue.yaml" in html.replace("&#39;", "'")
    with app.app_context():
        db.engine.dispose()


# -- accounts: passwords and login locks (robustness review, findings 2 and 7) ---------------

def _admin(app):
    client = app.test_client()
    assert Auth(client).login("test.admin").status_code == 302
    return client


def _save_user(client, user_id, **changes):
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    data = {"username": "test.supervisor", "display_name": "", "role": "supervisor", "locale": "",
            "password": "", "csrf_token": csrf_token(page), **changes}
    response = client.post(f"/admin/users/{user_id}", data=data)
    return response, unescape(response.get_data(as_text=True))


def _lock_out(app, username="test.supervisor"):
    """Five wrong passwords for the name, from a browser of its own."""
    guesser = Auth(app.test_client())
    for _ in range(5):
        assert guesser.login(username, password="wrong password").status_code == 200
    assert guesser.login(username).status_code == 429


def _logs_in(app, username, password) -> int:
    person = app.test_client()
    person.environ_base["REMOTE_ADDR"] = "10.2.3.4"  # another address: the name's lock is what counts
    return Auth(person).login(username, password).status_code


@pytest.mark.parametrize("password, message", [
    (" " * 8, "Пароль не може складатися лише з пробілів."),
    ("\t  \u00a0   ", "Пароль не може складатися лише з пробілів."),
    (" secret-words-1", "Пароль не може починатися або закінчуватися пробілом"),
    ("secret-words-1 ", "Пароль не може починатися або закінчуватися пробілом"),
])
def test_an_admin_cannot_set_a_password_nobody_can_type(app, users, password, message):
    client = _admin(app)
    token = csrf_token(client.get("/admin/users/new").get_data(as_text=True))
    created = client.post("/admin/users/new", data={"username": "pw.ws", "role": "trainee", "locale": "",
                                                    "password": password, "csrf_token": token})
    assert created.status_code == 422 and message in unescape(created.get_data(as_text=True))
    assert _logs_in(app, "pw.ws", password) == 200  # no such account: the login form's answer
    changed, html = _save_user(client, users["supervisor"], password=password)
    assert changed.status_code == 422 and message in html
    assert _logs_in(app, "test.supervisor", "test.supervisor") == 302  # the old password stands


def test_a_password_with_spaces_inside_is_fine(app, users):
    client = _admin(app)
    response, _html = _save_user(client, users["supervisor"], password="three good words")
    assert response.status_code == 302
    assert _logs_in(app, "test.supervisor", "three good words") == 302


def test_a_new_password_from_an_admin_lifts_the_login_lock(app, users):
    _lock_out(app)
    client = _admin(app)
    response, _html = _save_user(client, users["supervisor"], password="a-new-password-1")
    assert response.status_code == 302
    flashes = unescape(client.get("/admin/users").get_data(as_text=True))
    assert "Новий пароль також зняв блокування входу для test.supervisor." in flashes
    assert _logs_in(app, "test.supervisor", "a-new-password-1") == 302


def test_the_admin_sees_a_login_lock_and_lifts_it(app, users):
    client = _admin(app)
    url = f"/admin/users/{users['supervisor']}"
    assert "Вхід заблоковано до" not in unescape(client.get(url).get_data(as_text=True))
    _lock_out(app)
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Вхід заблоковано до" in page and "Зняти блокування входу" in page
    lift = re.search(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf_token" '
                     r'value="[^"]+">\s*<button type="submit">Зняти блокування входу</button>', page)
    assert lift and lift.group(1) == f"{url}/unblock"
    assert client.post(lift.group(1)).status_code == 400  # a button that changes something: CSRF
    response = client.post(lift.group(1), data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.headers["Location"] == url
    after = unescape(client.get(url).get_data(as_text=True))
    assert "Блокування входу для test.supervisor знято" in after and "Вхід заблоковано до" not in after
    assert _logs_in(app, "test.supervisor", "test.supervisor") == 302
    # Pressed again from a page left open: nothing to lift, and it says so.
    client.post(lift.group(1), data={"csrf_token": csrf_token(page)})
    assert "не заблоковано" in unescape(client.get(url).get_data(as_text=True))


def test_unblocking_an_account_also_lifts_its_login_lock(app, users):
    from trainer.extensions import db
    from trainer.models import User, utcnow
    _lock_out(app)
    with app.app_context():
        db.session.get(User, users["supervisor"]).blocked_at = utcnow()
        db.session.commit()
    client = _admin(app)
    url = f"/admin/users/{users['supervisor']}"
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Зняти блокування входу" not in page  # blocked: unblocking is the one button
    client.post(f"{url}/unblock", data={"csrf_token": csrf_token(page)})
    assert _logs_in(app, "test.supervisor", "test.supervisor") == 302


# -- accounts: the edit form, generated passwords, the language choice (admin review 4, 8, 19) ----

def test_the_admin_generates_a_new_password_shown_once(app, users):
    _lock_out(app)
    client = _admin(app)
    url = f"/admin/users/{users['supervisor']}"
    page = unescape(client.get(url).get_data(as_text=True))
    button = re.search(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf_token" '
                       r'value="[^"]+">\s*<button type="submit">Згенерувати новий пароль</button>', page)
    assert button and button.group(1) == f"{url}/password"
    assert client.post(button.group(1)).status_code == 400  # it changes something: CSRF
    response = client.post(button.group(1), data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.headers["Location"] == url
    shown = unescape(client.get(url).get_data(as_text=True))
    password = re.search(r"Новий пароль для test\.supervisor \(показано лише зараз\): (\S+)</p>", shown).group(1)
    assert len(password) == 14
    assert password not in unescape(client.get(url).get_data(as_text=True))  # once
    assert _logs_in(app, "test.supervisor", "test.supervisor") == 200  # the old one no longer works
    assert _logs_in(app, "test.supervisor", password) == 302  # and the login lock is lifted


def test_the_edit_form_shows_the_user_name_as_text_and_its_own_password_hint(app, users):
    client = _admin(app)
    edit = unescape(client.get(f"/admin/users/{users['supervisor']}").get_data(as_text=True))
    assert 'name="username"' not in edit
    assert "<dd><strong>test.supervisor</strong> <span class=\"muted\">Ім'я користувача змінити не можна.</span>" in edit
    assert "Малі латинські" not in edit  # the create form's hint for typing a user name
    password = re.search(r'<input [^>]*name="password"[^>]*>', edit).group(0)
    assert 'type="text"' in password and 'autocomplete="off"' in password and 'value=""' in password
    assert "Новий пароль" in edit and "щоб не змінювати чинний пароль" in edit and "згенерувати" not in edit.split(
        'id="password-hint"')[1].split("</p>")[0]
    new = unescape(client.get("/admin/users/new").get_data(as_text=True))
    assert re.search(r'<input [^>]*name="username"', new)
    hint = re.search(r'<p class="hint" id="password-hint">([^<]+)</p>', new).group(1)
    assert "щоб згенерувати пароль" in hint and "чинний" not in hint
    assert 'type="text"' in re.search(r'<input [^>]*name="password"[^>]*>', new).group(0)
    # A user name sent anyway (an old form, a crafted request) changes nothing.
    response, _html = _save_user(client, users["supervisor"], username="someone.else", display_name="Нове Ім'я")
    assert response.status_code == 302
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        user = db.session.get(User, users["supervisor"])
        assert (user.username, user.display_name) == ("test.supervisor", "Нове Ім'я")


def test_the_default_language_choice_says_which_language_it_is(app, users):
    client = _admin(app)
    for url in ("/admin/users/new", f"/admin/users/{users['trainee']}"):
        page = unescape(client.get(url).get_data(as_text=True))
        assert '<option selected value="">Як на сервері (українська)</option>' in page
        assert "Типова" not in page
    app.config["BABEL_DEFAULT_LOCALE"] = "en"  # TRAINER_DEFAULT_LOCALE=en: the admin reads English too
    page = unescape(client.get("/admin/users/new").get_data(as_text=True))
    assert '<option selected value="">Server default (English)</option>' in page


def test_a_new_account_is_not_locked_by_failures_before_it_existed(app, users):
    _lock_out(app, "new.person")  # someone tried the name before the account was made
    client = _admin(app)
    token = csrf_token(client.get("/admin/users/new").get_data(as_text=True))
    created = client.post("/admin/users/new", data={"username": "new.person", "role": "trainee", "locale": "",
                                                    "password": "a-good-password", "csrf_token": token})
    assert created.status_code == 302
    assert _logs_in(app, "new.person", "a-good-password") == 302


def test_people_shows_each_persons_last_login_and_a_password_not_yet_replaced(app, users):
    """The last successful login is recorded (not a wrong one, not a password change) and shown
    in the list and on the account's page; an account without one says none was recorded."""
    from trainer.extensions import db
    from trainer.models import User

    assert _logs_in(app, "test.trainee", "wrong password") == 200
    with app.app_context():
        assert db.session.get(User, users["trainee"]).last_login_at is None
        db.session.get(User, users["other"]).set_password("given-by-admin-1", temporary=True)
        db.session.commit()
    assert _logs_in(app, "test.trainee", "test.trainee") == 302
    with app.app_context():
        logged = db.session.get(User, users["trainee"]).last_login_at
    assert logged is not None
    client = _admin(app)
    rows = {re.search(r">([a-z.]+)</a></th>", row).group(1): row for row in re.findall(
        r"<tr>\s*<th scope=\"row\">.*?</tr>", unescape(client.get("/admin/users").get_data(as_text=True)), re.S)}
    assert "не зафіксовано" not in rows["test.trainee"] and "не зафіксовано" in rows["test.supervisor"]
    assert "(пароль видано, ще не замінено)" in rows["test.other"]
    assert "ще не замінено" not in rows["test.trainee"]
    page = unescape(client.get(f"/admin/users/{users['trainee']}").get_data(as_text=True))
    shown = re.search(r"<dt>Останній вхід</dt>\s*<dd>([^<]+)</dd>", page).group(1)
    assert str(logged.year) in shown and "не зафіксовано" not in shown
    assert re.search(r"<dt>Останній вхід</dt>\s*<dd>не зафіксовано</dd>",
                     unescape(client.get(f"/admin/users/{users['other']}").get_data(as_text=True)))
