"""Every form that changes something needs its own session's CSRF token.

The routes are read from the app's URL map, so a POST route added later is covered
without touching this file.
"""
from __future__ import annotations

import pytest
from flask_wtf.csrf import CSRFError
from werkzeug.routing import IntegerConverter

from tests.conftest import Auth, csrf_token

REFUSED = "refused: CSRF"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def unsafe_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if rule.methods & UNSAFE), key=lambda r: r.rule)


def placeholder_url(app, rule) -> str:
    """A URL for ``rule``; the token is checked before the view runs, so ids need not exist."""
    values = {name: 999_999 if isinstance(conv, IntegerConverter) else "example-queue"
              for name, conv in rule._converters.items()}
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values)


def role_for(app, endpoint) -> str | None:
    """A role allowed to use the endpoint, or None for public endpoints."""
    roles = getattr(app.view_functions[endpoint], "allowed_roles", None)
    if not roles:
        return None
    return sorted(roles, key=("trainee", "supervisor", "admin").index)[0]


@pytest.fixture
def marked_app(app):
    # Answer CSRF refusals with a marker, so a 400 for another reason cannot pass for one.
    app.register_error_handler(CSRFError, lambda error: (f"{REFUSED}: {error.description}", 400))
    # A view that fails after the token was accepted has passed the check this file is about.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_there_are_post_routes_to_check(app):
    endpoints = {rule.endpoint for rule in unsafe_rules(app)}
    assert {"auth.login", "auth.logout", "play.start", "play.answer"} <= endpoints


def test_every_post_route_refuses_a_missing_or_foreign_token(marked_app, users):
    app = marked_app
    problems = []
    for rule in unsafe_rules(app):
        method = sorted(rule.methods & UNSAFE)[0]
        url = placeholder_url(app, rule)
        role = role_for(app, rule.endpoint)
        client = app.test_client()
        if role:
            assert Auth(client).login(f"test.{role}").status_code == 302
        other = app.test_client()
        foreign = csrf_token(other.get("/login").get_data(as_text=True))
        own = Auth(client).token("/" if role else "/login")
        for label, data in (("no token", {}), ("another session's token", {"csrf_token": foreign}),
                            ("a forged token", {"csrf_token": own[:-4] + "AAAA"})):
            response = client.open(url, method=method, data=data)
            body = response.get_data(as_text=True)
            if response.status_code != 400 or REFUSED not in body:
                problems.append(f"{method} {rule.rule} ({rule.endpoint}) as {role or 'anonymous'} with {label}: "
                                f"{response.status_code}")
        # Positive control: with its own token the same request gets past the CSRF check.
        response = client.open(url, method=method, data={"csrf_token": own})
        if REFUSED in response.get_data(as_text=True):
            problems.append(f"{method} {rule.rule}: refused even with a valid token (test set-up is wrong)")
    assert problems == [], "\n".join(problems)


def test_no_view_or_blueprint_is_exempt_from_csrf(app):
    csrf = app.extensions["csrf"]
    assert not csrf._exempt_views and not csrf._exempt_blueprints


def test_a_form_sent_without_a_session_leads_to_the_login_and_back_to_a_page(app, users):
    """Someone whose session has ended (the cookie gone, so no token can match) is not
    refused with a 400: they are sent to log in, told that the form was not saved, and
    come back to a page a GET opens, never to a form's address (a 405)."""
    from urllib.parse import parse_qs, urlsplit

    adapter = app.url_map.bind("localhost")
    problems = []
    for rule in unsafe_rules(app):
        if role_for(app, rule.endpoint) is None or rule.endpoint == "auth.logout":
            continue  # public forms (the login itself): nobody was logged out; logout: test_auth.py
        url = placeholder_url(app, rule)
        client = app.test_client()
        response = client.open(url, method=sorted(rule.methods & UNSAFE)[0], data={})
        location = urlsplit(response.headers.get("Location", ""))
        if response.status_code != 302 or location.path != "/login":
            problems.append(f"{rule.rule}: {response.status_code} {location.geturl()}")
            continue
        back = parse_qs(location.query).get("next", ["(none)"])[0]
        try:
            adapter.match(urlsplit(back).path, method="GET")
        except Exception as exc:  # noqa: BLE001 - reported below
            problems.append(f"{rule.rule}: comes back to {back} ({type(exc).__name__})")
        if "Ваш сеанс завершився" not in client.get("/login").get_data(as_text=True):
            problems.append(f"{rule.rule}: the login page does not say the form was not saved")
    assert problems == [], "\n".join(problems)
