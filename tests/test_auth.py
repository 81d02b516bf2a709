"""Login, logout, roles, CSRF and the language choice."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token

SCENARIO = "example-queue"
# Said on the login page after a form was sent without a session (review: robustness #1).
SESSION_ENDED_UK = "Ваш сеанс завершився, і щойно надіслане не збережено"
WRONG_UK = "Неправильне ім"


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
    page = response.get_data(as_text=True)
    # «Невірний» means "unfaithful" in careful Ukrainian; a wrong password is «неправильний».
    assert "Неправильне ім" in page and "Невірн" not in page
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
    # The visitor's pick stays after logging in (tests/test_i18n.py: also over the account's).
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


# -- a form sent after the session has ended (robustness review, finding 1) --------------------

def _started_attempt(client) -> str:
    token = csrf_token(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    return client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token}).headers["Location"]


def _steps(app) -> int:
    from trainer.extensions import db
    from trainer.models import Step
    with app.app_context():
        return db.session.scalar(select(func.count(Step.id)))


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/login", location
    return parse_qs(parts.query)["next"][0]


@pytest.mark.parametrize("referrer", [True, False])
def test_an_answer_sent_after_logging_out_elsewhere_says_so_and_comes_back_to_the_form(client, auth, app, referrer):
    auth.login()
    url = _started_attempt(client)
    token = auth.token(url)  # the play page as the first tab has it
    auth.logout()  # in another tab of the same browser
    headers = {"Referer": f"http://localhost{url}"} if referrer else {}
    response = client.post(url + "/answer", data={"csrf_token": token, "step": 0, "choice": "wait_your_turn"},
                           headers=headers)
    assert response.status_code == 302
    # Back to the page with the form (named by the browser, or the page above the form's
    # address), never to the answer's address, which only takes POST.
    assert _next_of(response.headers["Location"]) == url
    login = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert SESSION_ENDED_UK in login and "скопіюйте текст" in login
    assert _steps(app) == 0
    token = csrf_token(login)
    back = client.post(response.headers["Location"], data={
        "username": "test.trainee", "password": "test.trainee", "csrf_token": token})
    assert back.status_code == 302 and back.headers["Location"] == url
    assert client.get(url).status_code == 200


def test_a_form_sent_without_any_session_cookie_gets_the_same_answer_not_a_400(client, auth, app):
    """The cookie went with the browser session: the CSRF token has nothing to match."""
    auth.login()
    url = _started_attempt(client)
    token = auth.token(url)
    fresh = app.test_client()  # a browser that kept the page but not the cookie
    response = fresh.post(url + "/answer", data={"csrf_token": token, "step": 0, "choice": "wait_your_turn"},
                          headers={"Referer": f"http://localhost{url}"})
    assert response.status_code == 302 and _next_of(response.headers["Location"]) == url
    assert SESSION_ENDED_UK in unescape(fresh.get(response.headers["Location"]).get_data(as_text=True))
    assert _steps(app) == 0


def test_a_logged_in_persons_bad_token_still_gets_the_400_page(client, auth):
    auth.login()
    url = _started_attempt(client)
    response = client.post(url + "/answer", data={"csrf_token": "forged", "step": 0, "choice": "wait_your_turn"})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Можливо, форма застаріла" in html and SESSION_ENDED_UK not in html


def test_a_login_form_without_its_token_is_still_a_400(client, users):
    """The login form itself is public: nobody was logged out, so nothing to say about it."""
    response = client.post("/login", data={"username": "test.trainee", "password": "test.trainee"})
    assert response.status_code == 400 and SESSION_ENDED_UK not in unescape(response.get_data(as_text=True))


def test_a_form_from_another_site_does_not_set_where_to_come_back(client, auth):
    auth.login()
    url = _started_attempt(client)
    token = auth.token(url)
    auth.logout()
    response = client.post(url + "/answer", data={"csrf_token": token, "step": 0},
                           headers={"Referer": "http://evil.example/attempts/1"})
    assert _next_of(response.headers["Location"]) == url  # the form's own page, from its address


def test_logging_out_in_a_stale_tab_says_logged_out(client, auth):
    auth.login()
    token = auth.token()
    auth.logout()
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    login = client.get("/login").get_data(as_text=True)
    assert "Ви вийшли" in login and SESSION_ENDED_UK not in unescape(login)


@pytest.mark.parametrize("target, expected", [
    ("/history", "/history"),
    ("/scenarios?page=2", "/scenarios?page=2"),
    ("/attempts/1/answer", "/"),       # POST only: a 405 after logging in
    ("/scenarios/example-queue/start", "/"),
    ("/no/such/page", "/"),
    ("/\\evil.example/", "/"),         # a browser reads the backslash as a slash
    ("/\t/evil.example/", "/"),
    ("//evil.example/", "/"),
    ("https://evil.example/history", "/"),
])
def test_after_logging_in_only_a_page_opens(client, users, target, expected):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", query_string={"next": target}, data={
        "username": "test.trainee", "password": "test.trainee", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == expected
