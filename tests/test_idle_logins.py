"""A login that has not been used for ``TRAINER_SESSION_IDLE_MINUTES`` ends at its next request
(trainer/auth/access.py): the time of the last request is in the signed cookie."""
from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import Auth, csrf_token
from trainer.auth import access

IDLE_UK = "Ви вийшли із системи, бо нею довго не користувалися"
LIMIT = 480


@pytest.fixture
def clock(monkeypatch):
    """The minutes the app reads as now; move ``clock.now`` to let time pass."""
    class Clock:
        now = 29_000_000  # minutes since 1970: late 2025

    monkeypatch.setattr(access, "minutes_now", lambda: Clock.now)
    return Clock


def _steps(app) -> int:
    from trainer.extensions import db
    from trainer.models import Step
    with app.app_context():
        return db.session.scalar(select(func.count(Step.id)))


def test_the_default_is_a_working_day(app):
    assert app.config["TRAINER_SESSION_IDLE_MINUTES"] == LIMIT


def test_a_login_used_now_and_then_goes_on_and_one_left_alone_ends(client, auth, clock):
    auth.login()
    for _ in range(3):  # a request every seven hours and more keeps it going
        clock.now += LIMIT - 1
        assert client.get("/history").status_code == 200
    clock.now += LIMIT
    ended = client.get("/history")
    assert ended.status_code == 302 and ended.headers["Location"] == "/login?next=%2Fhistory"
    assert IDLE_UK in unescape(client.get("/login").get_data(as_text=True))
    assert client.get("/history").status_code == 302  # logged out, not just sent away once
    auth.login()
    assert client.get("/history").status_code == 200


def test_an_answer_sent_after_the_limit_is_not_recorded_and_says_so(app, client, auth, clock):
    auth.login()
    page = client.get("/scenarios/example-queue").get_data(as_text=True)
    started = client.post("/scenarios/example-queue/start", data={"csrf_token": csrf_token(page)})
    play = started.headers["Location"]
    token = csrf_token(client.get(play).get_data(as_text=True))
    clock.now += LIMIT
    sent = client.post(f"{play}/answer", data={"csrf_token": token, "choice": "greet_and_acknowledge", "index": 0},
                       headers={"Referer": f"http://localhost{play}"})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/login?next={play}"
    login_page = unescape(client.get("/login").get_data(as_text=True))
    assert IDLE_UK in login_page and "щойно надіслане не збережено" in login_page
    assert _steps(app) == 0
    Auth(client).login()
    assert client.get(play).status_code == 200  # the attempt waits where it was


def test_the_cookie_is_rewritten_at_most_once_a_minute(client, auth, clock):
    auth.login()
    client.get("/history")
    assert "Set-Cookie" not in client.get("/history").headers  # the same minute: nothing to write
    clock.now += 1
    assert "Set-Cookie" in client.get("/history").headers


def test_a_new_login_starts_its_own_idle_time(client, auth, clock):
    """Logging in on a browser whose cookie still holds an old login's time does not end at once."""
    auth.login()
    with client.session_transaction() as session:
        session[access.SEEN] = clock.now - 10 * LIMIT
        session.pop("_user_id")  # the browser closed, the cookie's other keys stayed
    clock.now += 1
    auth.login()
    assert client.get("/history").status_code == 200


def test_logging_out_forgets_the_time(client, auth, clock):
    auth.login()
    auth.logout()
    with client.session_transaction() as session:
        assert access.SEEN not in session


def test_zero_keeps_a_login_until_the_browser_closes(app, client, auth, clock):
    app.config["TRAINER_SESSION_IDLE_MINUTES"] = 0
    auth.login()
    clock.now += 100 * LIMIT
    assert client.get("/history").status_code == 200


def test_public_pages_do_not_end_or_extend_a_login(client, auth, clock):
    auth.login()
    client.get("/history")
    clock.now += LIMIT - 1
    assert client.get("/healthz").status_code == 200
    clock.now += 1
    assert client.get("/history").status_code == 302
