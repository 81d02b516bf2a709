"""Login, logout, roles, CSRF and the language choice."""
from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token


def test_login_page_is_public_and_ukrainian_by_default(client):
    page = client.get("/login")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="uk">' in html
    assert "Увійти" in html  # the Ukrainian catalog is compiled and used


@pytest.mark.parametrize("path", ["/", "/scenarios/example-queue", "/admin/scenarios", "/account/language"])
def test_everything_else_requires_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_static_files_are_public(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    response.close()


def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_with_a_clear_message(client, auth):
    response = auth.login(password="nope")
    assert response.status_code == 200
    assert "Невірне ім" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_user_names_match_whatever_the_capitals(client, auth):
    """Names are stored in lower case; a phone keyboard capitalises the first letter."""
    response = auth.login("Test.Trainee", password="test.trainee")
    assert response.status_code == 302 and client.get("/").status_code == 200
    auth.logout()
    assert auth.login(" TEST.TRAINEE ", password="test.trainee").status_code == 302
    auth.logout()
    assert auth.login("TEST.TRAINEE", password="TEST.TRAINEE").status_code == 200  # the password's case counts


def test_user_name_fields_are_not_capitalised_or_corrected(client, auth):
    def username_input(path):
        return re.search(r'<input[^>]*id="username"[^>]*>', client.get(path).get_data(as_text=True)).group(0)

    expected = ('autocapitalize="none"', 'autocorrect="off"', 'spellcheck="false"')
    assert all(attr in username_input("/login") for attr in expected)
    auth.login("test.admin")
    assert all(attr in username_input("/admin/users/new") for attr in expected)


def test_login_without_csrf_token_is_rejected(client, users):
    response = client.post("/login", data={"username": "test.trainee", "password": "test.trainee"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_logout_requires_post_with_csrf(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_next_parameter_cannot_leave_the_site(client, users):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=//evil.example/", data={
        "username": "test.trainee", "password": "test.trainee", "csrf_token": token})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("role, status", [("trainee", 403), ("supervisor", 403), ("admin", 200)])
def test_admin_page_is_for_admins_only(client, auth, role, status):
    auth.login(f"test.{role}")
    assert client.get("/admin/scenarios").status_code == status


def test_every_view_declares_its_roles(app):
    from trainer.auth.access import PUBLIC_ENDPOINTS
    public = {"auth.login", "auth.visitor_language", "static", "healthz"}
    assert PUBLIC_ENDPOINTS == public  # a new public route is a decision, made in both places
    for endpoint, view in app.view_functions.items():
        if endpoint in public:
            continue
        assert getattr(view, "allowed_roles", None), f"{endpoint} has no role check"


def test_language_switch_is_per_user(client, auth):
    auth.login()
    token = auth.token("/account/language")
    response = client.post("/account/language", data={"locale": "en", "csrf_token": token})
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Scenarios" in html
    assert "Language saved." in html and "Мову збережено" not in html  # said in the new language
    token = auth.token("/account/language")
    client.post("/account/language", data={"locale": "uk", "csrf_token": token})
    assert "Мову збережено." in client.get("/").get_data(as_text=True)
    client.post("/account/language", data={"locale": "en", "csrf_token": token})
    auth.logout()
    # The login page speaks the default language, and so does the message on it.
    login = client.get("/login").get_data(as_text=True)
    assert '<html lang="uk">' in login and "Ви вийшли" in login and "logged out" not in login
    auth.login("test.other")
    assert '<html lang="uk">' in client.get("/").get_data(as_text=True)


def test_a_visitor_can_read_the_login_page_in_english_and_back(client, users):
    login = client.get("/login?next=/history").get_data(as_text=True)
    assert '<html lang="uk">' in login
    assert '<button type="submit" name="locale" value="en" class="link-button" lang="en">English</button>' in login
    token = csrf_token(login)
    response = client.post("/language", data={"locale": "en", "next": "/login?next=/history", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/history"
    english = client.get("/login?next=/history").get_data(as_text=True)
    assert '<html lang="en">' in english and ">Log in<" in english and 'lang="uk">Українська</button>' in english
    assert 'name="next" value="/login?next=/history"' in english
    # Logging in keeps the person's own choice first; without one, the visitor's stays.
    client.post("/login?next=/history", data={"username": "test.trainee", "password": "test.trainee",
                                                "csrf_token": token})
    assert '<html lang="en">' in client.get("/history").get_data(as_text=True)
    # Nothing but the two languages, and never a redirect to another site.
    assert client.post("/language", data={"locale": "de", "csrf_token": token}).status_code == 400
    away = client.post("/language", data={"locale": "uk", "next": "//evil.example/", "csrf_token": token})
    assert away.headers["Location"] == "/"
    assert client.post("/language", data={"locale": "uk"}).status_code == 400  # no CSRF token


def test_session_cookie_flags(client, users):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "test.trainee", "password": "test.trainee", "csrf_token": token})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_blocked_account_is_refused_after_the_password_check_and_counts_no_failure(app, users):
    from datetime import datetime

    from sqlalchemy import func, select

    from trainer.auth.throttle import Policy, authenticate
    from trainer.extensions import db
    from trainer.models import LoginFailure, User

    now = datetime(2026, 3, 1, 12)
    with app.app_context():
        db.session.get(User, users["trainee"]).blocked_at = now
        db.session.commit()
        result = authenticate(db.session, Policy(), "test.trainee", "test.trainee", "10.0.0.1", now)
        assert result.blocked and result.user is None
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0
        wrong = authenticate(db.session, Policy(), "test.trainee", "wrong", "10.0.0.1", now)
        assert not wrong.blocked and wrong.user is None  # a wrong password says nothing about the block
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1


def test_a_blocked_session_shows_the_message_in_the_login_pages_language(app, client, auth, users):
    from trainer.extensions import db
    from trainer.models import User, utcnow

    auth.login("test.trainee")
    with app.app_context():
        db.session.get(User, users["trainee"]).blocked_at = utcnow()
        db.session.commit()
    response = client.get("/history")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login = client.get("/login").get_data(as_text=True)
    assert '<html lang="uk">' in login and "Цей обліковий запис заблоковано." in login
