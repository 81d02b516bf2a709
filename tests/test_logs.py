"""No password or secret reaches the logs, in the test app at DEBUG or under `trainer serve`."""
from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import csrf_token
from tests.system.server import DIE_WITH_PARENT

TRAINER = Path(sys.executable).with_name("trainer")


def secret(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex}"


@pytest.fixture
def known_user(app):
    """A user with a password that cannot appear in a log by chance."""
    from trainer.extensions import db
    from trainer.models import User

    password = secret("Pa55word")
    with app.app_context():
        user = User(username="log.checker", role="trainee")
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
    return "log.checker", password


def test_logging_in_at_debug_logs_no_password_or_key(database, app, known_user, caplog):
    from trainer.app import create_app
    from trainer.extensions import db

    key = secret("key")
    logged_app = create_app({**database, "SECRET_KEY": key})
    client = logged_app.test_client()
    username, password = known_user
    wrong = secret("wrong")
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "werkzeug", "flask_wtf", "trainer"):
        caplog.set_level(logging.DEBUG, logger=name)  # the migrations' logging config quietens some
    for attempt in (wrong, password):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"username": username, "password": attempt, "csrf_token": token})
    assert client.get("/scenarios").status_code == 200  # the right password worked
    # Choosing a new password: a wrong current one, then the right one.
    chosen = secret("chosen")
    for current in (wrong, password):
        token = csrf_token(client.get("/account/password").get_data(as_text=True))
        client.post("/account/password", data={"current": current, "new": chosen, "repeat": chosen,
                                               "csrf_token": token})
    assert client.get("/scenarios").status_code == 200
    with logged_app.app_context():
        from trainer.models import User
        assert db.session.query(User).filter_by(username=username).one().check_password(chosen)
    client.post("/login", data={"username": username, "password": wrong})  # no token: logged refusal
    with logged_app.app_context():
        db.session.remove()
        db.engine.dispose()
    text = caplog.text
    # The logs were on: SQL was logged, its values hidden.
    assert "login_failures" in text and "hide_parameters" in text
    for value in (password, wrong, key, chosen):
        assert value not in text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.mark.skipif(not TRAINER.exists(), reason="the trainer command is not installed")
def test_trainer_serve_logs_no_password_or_secret(database, app, known_user, scenario_dir, tmp_path):
    username, password = known_user
    wrong = secret("wrong")
    key, lrs = secret("key"), secret("lrs")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": key,
           "TRAINER_LRS_PASSWORD": lrs, "TRAINER_SCENARIO_DIR": str(scenario_dir),
           "TRAINER_INSTANCE_DIR": str(tmp_path), "GUNICORN_CMD_ARGS": "--log-level debug"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([*DIE_WITH_PARENT, str(TRAINER), "serve", "--port", str(port), "--workers", "1",
                                   "--threads", "2"],
                                  env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base + "/login")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        statuses = []
        for attempt in (wrong, password):
            page = opener.open(base + "/login", timeout=10).read().decode()
            body = urllib.parse.urlencode({"username": username, "password": attempt,
                                           "csrf_token": csrf_token(page)}).encode()
            with opener.open(base + "/login", data=body, timeout=10) as response:
                statuses.append(response.geturl())
        assert statuses[-1].rstrip("/").endswith(("/scenarios", str(port)))  # logged in, redirected
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    text = log.read_text()
    assert re.search(r'"POST /login HTTP/1\.1" 302', text), text[-2000:]  # the access log was written
    for value in (password, wrong, key, lrs):
        assert value not in text


@pytest.mark.skipif(not TRAINER.exists(), reason="the trainer command is not installed")
def test_the_gunicorn_configuration_holds_no_secret(tmp_path, scenario_dir):
    key, lrs = secret("key"), secret("lrs")
    env = {**os.environ, "SECRET_KEY": key, "TRAINER_LRS_PASSWORD": lrs, "TRAINER_INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "TRAINER_SCENARIO_DIR": str(scenario_dir),
           "GUNICORN_CMD_ARGS": "--check-config --print-config"}
    result = subprocess.run([str(TRAINER), "serve", "--port", str(_free_port())], env=env, capture_output=True,
                            text=True, timeout=120)
    output = result.stdout + result.stderr
    assert "accesslog" in output and "trainer.wsgi:app" in output  # the configuration was printed
    assert key not in output and lrs not in output
