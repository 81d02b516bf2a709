"""Cookies and request limits, checked on the real response headers."""
from __future__ import annotations

import pytest
from flask_login import login_user

from tests.conftest import csrf_token


def cookie_headers(response) -> dict[str, str]:
    """Set-Cookie headers by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def login_response(client):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": "test.trainee", "password": "test.trainee", "csrf_token": token})


def remember_response(app, user_id):
    """The response of a request that logs in with "remember me", as Flask-Login sends it."""
    from trainer.extensions import db
    from trainer.models import User

    with app.test_request_context("/"):
        login_user(db.session.get(User, user_id), remember=True)
        return app.process_response(app.response_class("ok"))


@pytest.fixture
def app_over_https(database, users, monkeypatch):
    from trainer.app import create_app
    from trainer.extensions import db

    monkeypatch.setenv("TRAINER_HTTPS", "1")
    made = create_app(dict(database))
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def test_session_cookie_is_httponly_and_lax_and_not_secure_over_http(client, users):
    session = cookie_headers(login_response(client))["session"]
    assert {"httponly", "samesite"} <= attributes(session) and "SameSite=Lax" in session
    assert "secure" not in attributes(session)


def test_remember_cookie_is_httponly_and_lax(app, users):
    response = remember_response(app, users["trainee"])
    remember = cookie_headers(response)["remember_token"]
    assert "httponly" in attributes(remember) and "SameSite=Lax" in remember
    assert "secure" not in attributes(remember)


def test_both_cookies_are_secure_when_served_over_https(app_over_https, users):
    client = app_over_https.test_client()
    session = cookie_headers(login_response(client))["session"]
    assert {"secure", "httponly"} <= attributes(session) and "SameSite=Lax" in session
    remember = cookie_headers(remember_response(app_over_https, users["trainee"]))["remember_token"]
    assert {"secure", "httponly"} <= attributes(remember) and "SameSite=Lax" in remember


def test_a_request_body_larger_than_an_import_needs_is_refused(client, app):
    from trainer.uploads import MAX_CSV_BYTES

    limit = app.config["MAX_CONTENT_LENGTH"]
    # A checked users file comes back base64-encoded in one field (4/3 of its size), and a
    # file somewhat over its limit still arrives, for the import page to refuse in its words.
    assert app.config["MAX_FORM_MEMORY_SIZE"] > MAX_CSV_BYTES * 4 / 3 + 1000
    assert 2 * MAX_CSV_BYTES <= limit <= 5 * MAX_CSV_BYTES
    response = client.post("/login", data={"username": "x" * (limit + 1)})
    assert response.status_code == 413
