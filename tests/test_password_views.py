"""Choosing one's own password (``/account/password``): the page, its refusals, the sessions a
new password ends, and the temporary password an administrator gives, which every page asks
to replace first."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import Auth, add_person, csrf_token, import_people

CHOSEN = "вишня цвіте у квітні"
ENDED_UK = "Відколи ви ввійшли тут, ваш пароль змінили, тож сеанс завершено. Увійдіть із новим паролем."
TEMPORARY_UK = "Ваш чинний пароль установив адміністратор центру"


def _page(client, path="/account/password") -> str:
    return unescape(client.get(path).get_data(as_text=True))


def _change(client, current, new, repeat=None, path="/account/password"):
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "current": current, "new": new,
                                   "repeat": new if repeat is None else repeat})


def _logs_in(app, username, password) -> bool:
    client = app.test_client()
    return Auth(client).login(username, password).status_code == 302


def _user(app, user_id):
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _make_temporary(app, user_id, password="given-by-admin-1"):
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        db.session.get(User, user_id).set_password(password, temporary=True)
        db.session.commit()


def test_the_page_is_linked_from_every_page_and_asks_for_the_current_password_and_the_new_one_twice(client, auth):
    auth.login()
    home = _page(client, "/")
    assert re.search(r'<a href="/account/password">Пароль</a>', home)
    page = _page(client)
    assert "<h1>Ваш пароль</h1>" in page and TEMPORARY_UK not in page
    fields = {name: re.search(rf'<input [^>]*name="{name}"[^>]*>', page).group(0)
              for name in ("current", "new", "repeat")}
    assert all('type="password"' in tag for tag in fields.values())
    # Password managers fill the current one and offer to make the new one.
    assert 'autocomplete="current-password"' in fields["current"]
    assert 'autocomplete="new-password"' in fields["new"] and 'autocomplete="new-password"' in fields["repeat"]
    # The rules are said before typing, tied to the field.
    assert 'aria-describedby="new-hint"' in fields["new"]
    assert '<p class="hint" id="new-hint">Щонайменше 10 символів, без вашого імені користувача та ваших імен.' in page
    for label in ("Чинний пароль", "Новий пароль", "Новий пароль ще раз"):
        assert f">{label}</label>" in page


def test_a_new_password_replaces_the_old_one_and_this_device_stays_logged_in(app, client, auth, users):
    auth.login()
    response = _change(client, "test.trainee", CHOSEN)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = _page(client, "/")
    assert "Новий пароль збережено." in home  # logged in still, and told
    assert _logs_in(app, "test.trainee", CHOSEN) and not _logs_in(app, "test.trainee", "test.trainee")


def test_a_new_password_ends_the_other_sessions_with_a_word_why(app, client, auth, users):
    other = app.test_client()
    Auth(other).login("test.trainee")
    assert other.get("/history").status_code == 200
    auth.login()
    assert _change(client, "test.trainee", CHOSEN).status_code == 302
    ended = other.get("/history")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")
    assert ENDED_UK in _page(other, "/login")
    assert client.get("/history").status_code == 200  # the device it was changed on goes on


def test_refusals_are_said_beside_their_fields_and_change_nothing(app, client, auth, users):
    before = _user(app, users["trainee"]).password_hash
    auth.login()
    cases = [
        (("wrong password", CHOSEN), "current", "Це не ваш чинний пароль."),
        (("test.trainee", "short one"), "new", "Пароль має бути щонайменше з 10 символів"),
        (("test.trainee", "test.trainee is me"), "new", "Не вживайте в паролі свого імені користувача"),
        (("test.trainee", "qwertyuiop"), "new", "Такий пароль пробують серед перших"),
        (("test.trainee", "test.trainee"), "new", "Не вживайте"),  # also the current one, which has the name
        (("test.trainee", CHOSEN, CHOSEN + "!"), "repeat", "Два нові паролі різняться."),
    ]
    for args, field, message in cases:
        response = _change(client, *args)
        page = unescape(response.get_data(as_text=True))
        assert response.status_code == 422, args
        error = re.search(rf'<p class="error" id="{field}-error">([^<]+)</p>', page)
        assert error and message in error.group(1), (args, page)
        tag = re.search(rf'<input [^>]*name="{field}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag and f"{field}-error" in tag
        # What was typed is not sent back into the page.
        assert not any(f'value="{value}"' in page for value in args)
    assert _user(app, users["trainee"]).password_hash == before


def test_a_mistyped_repeat_does_not_hide_what_is_wrong_with_the_new_one(app, client, auth, users):
    auth.login()
    page = unescape(_change(client, "not the password", "qwerty123", "qwerty12").get_data(as_text=True))
    assert "Два нові паролі різняться." in re.search(r'id="repeat-error">([^<]+)<', page).group(1)
    assert "Такий пароль пробують серед перших" in re.search(r'id="new-error">([^<]+)<', page).group(1)
    # The current password is checked only with a complete form: not counted, not judged yet.
    from tests.test_throttle import failures
    assert failures(app, "test.trainee") == 0 and 'id="current-error"' not in page


def test_the_same_password_again_is_refused(app, client, auth, users):
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        db.session.get(User, users["trainee"]).set_password(CHOSEN)
        db.session.commit()
    auth.login("test.trainee", CHOSEN)
    page = unescape(_change(client, CHOSEN, CHOSEN).get_data(as_text=True))
    assert "Це ваш чинний пароль. Оберіть інший." in page


def test_wrong_current_passwords_lock_the_name_as_wrong_logins_do(app, client, auth, users):
    auth.login()
    for _ in range(3):
        assert _change(client, "wrong password", CHOSEN).status_code == 422
    warned = unescape(_change(client, "wrong password", CHOSEN).get_data(as_text=True))
    assert "Ще одна помилка, і вхід з вашим ім'ям користувача буде заблоковано на строк до 15 хвилин." in warned
    locking = unescape(_change(client, "wrong password", CHOSEN).get_data(as_text=True))
    assert "Забагато невдалих спроб увійти з цим ім'ям користувача." in locking
    refused = _change(client, "test.trainee", CHOSEN)  # now even the right one waits
    assert refused.status_code == 429 and "Забагато невдалих спроб" in unescape(refused.get_data(as_text=True))
    assert not _logs_in(app, "test.trainee", "test.trainee")  # the login form is locked too
    assert client.get("/history").status_code == 200  # but this session goes on


def test_the_page_speaks_english_to_an_english_reader(app, client, auth, users):
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        db.session.get(User, users["trainee"]).locale = "en"
        db.session.commit()
    auth.login()
    page = unescape(_change(client, "test.trainee", "short").get_data(as_text=True))
    assert "<h1>Your password</h1>" in page and "Make it at least 10 characters long" in page


# -- a temporary password: set by an administrator ----------------------------------------------

def test_a_temporary_password_is_replaced_before_anything_else(app, client, users):
    from trainer.extensions import db
    from trainer.models import Step
    _make_temporary(app, users["trainee"])
    assert Auth(client).login("test.trainee", "given-by-admin-1").status_code == 302
    asked = client.get("/scenarios?level=basic")
    assert asked.status_code == 302 and asked.headers["Location"] == "/account/password?next=/scenarios?level%3Dbasic"
    page = _page(client, asked.headers["Location"])
    assert TEMPORARY_UK in page
    assert ">Пароль, який вам видали</label>" in page and "Чинний пароль" not in page
    # The header offers only what stays open: no menus, no search (each would lead back here).
    header = page.split('<header class="site-header">')[1].split("</header>")[0]
    assert 'href="/account/language?next=' in header and 'href="/account/password"' in header
    assert 'action="/logout"' in header
    assert "Головне меню" not in header and 'href="/scenarios"' not in header and 'role="search"' not in header
    # A form from before (a page left open) is not acted on: nothing is recorded.
    token = csrf_token(page)
    sent = client.post("/scenarios/example-queue/start", data={"csrf_token": token})
    assert sent.status_code == 302 and sent.headers["Location"].startswith("/account/password?next=")
    with app.app_context():
        assert db.session.scalar(select(func.count(Step.id))) == 0
    # The language and logging out stay open.
    assert client.get("/account/language").status_code == 200
    saved = _change(client, "given-by-admin-1", CHOSEN, path=asked.headers["Location"])
    assert saved.status_code == 302 and saved.headers["Location"] == "/scenarios?level=basic"
    after = client.get("/scenarios")
    assert after.status_code == 200
    # A first password of one's own: nothing about other sessions, which there were none of.
    assert "Ваш власний пароль збережено: відтепер входьте з ним." in unescape(after.get_data(as_text=True))
    assert "В інших браузерах" not in unescape(after.get_data(as_text=True))
    header = after.get_data(as_text=True).split('<header class="site-header">')[1].split("</header>")[0]
    assert "Головне меню" in header and 'href="/scenarios"' in header and 'role="search"' in header
    assert _user(app, users["trainee"]).password_temporary is False


def test_a_password_the_admin_gives_ends_the_persons_sessions_and_is_temporary(app, users):
    person = app.test_client()
    Auth(person).login("test.trainee")
    admin = app.test_client()
    Auth(admin).login("test.admin")
    edit = f"/admin/users/{users['trainee']}"
    page = unescape(admin.get(edit).get_data(as_text=True))
    assert "ще не обрала власного пароля" not in page
    admin.post(f"{edit}/password", data={"csrf_token": csrf_token(page)})
    shown = unescape(admin.get(edit).get_data(as_text=True))
    password = re.search(r"Новий пароль для test\.trainee \(показано лише зараз\): (\S+)</p>", shown).group(1)
    assert "ще не обрала власного пароля" in shown  # the admin sees it is not chosen yet
    ended = person.get("/history")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")
    Auth(person).login("test.trainee", password)
    assert person.get("/history").headers["Location"].startswith("/account/password")
    assert _change(person, password, CHOSEN).status_code == 302
    assert "ще не обрала власного пароля" not in unescape(admin.get(edit).get_data(as_text=True))


def test_an_admin_who_sets_their_own_password_keeps_it_and_stays_logged_in(app, client, users):
    Auth(client).login("test.admin")
    edit = f"/admin/users/{users['admin']}"
    page = unescape(client.get(edit).get_data(as_text=True))
    client.post(f"{edit}/password", data={"csrf_token": csrf_token(page)})
    assert client.get("/admin/users").status_code == 200  # neither logged out nor sent to choose one
    assert _user(app, users["admin"]).password_temporary is False


def test_new_and_imported_accounts_start_with_a_temporary_password(app, client, users):
    from trainer.extensions import db
    from trainer.models import User
    Auth(client).login("test.admin")
    add_person(client, "o.koval", display_name="Олена Коваль")
    done = import_people(client, b"username,role\na.hdr,trainee\n")
    assert "замінить отриманий пароль власним" in unescape(done.get_data(as_text=True))
    with app.app_context():
        made = {u.username: u.password_temporary for u in db.session.scalars(
            select(User).where(User.username.in_(["o.koval", "a.hdr"])))}
    assert made == {"o.koval": True, "a.hdr": True}


def test_a_session_from_before_the_fingerprint_is_no_longer_anyones(app, client, users):
    Auth(client).login("test.trainee")
    with client.session_transaction() as session:
        assert session["_user_id"].startswith(f"{users['trainee']}:")
        session["_user_id"] = str(users["trainee"])  # as an older version wrote it
    response = client.get("/history")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ["/account/password"])
def test_the_page_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_an_answer_sent_from_a_session_the_new_password_ended_is_not_lost_silently(app, client, auth, users):
    """After a password change elsewhere, a form sent from the old session says why it ended,
    that what was sent was not saved, and leads back to the page it was on."""
    other = app.test_client()
    Auth(other).login("test.trainee")
    token = csrf_token(other.get("/scenarios/example-queue").get_data(as_text=True))
    auth.login()
    assert _change(client, "test.trainee", CHOSEN).status_code == 302
    sent = other.post("/scenarios/example-queue/start", data={"csrf_token": token},
                      headers={"Referer": "http://localhost/scenarios/example-queue"})
    assert sent.status_code == 302
    assert sent.headers["Location"] == "/login?next=/scenarios/example-queue"
    page = _page(other, "/login")
    assert ENDED_UK in page and "щойно надіслане не збережено" in page
