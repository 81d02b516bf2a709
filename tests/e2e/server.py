"""A live copy of the app for the browser tests, served from a thread on 127.0.0.1.

The server always uses its own throw-away SQLite file, even when the rest of the suite runs
against PostgreSQL (TEST_DATABASE_URL): the browser tests check what a person sees, not the
database dialect, and the PostgreSQL runs already cover the same views through the test
client.
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from jinja2 import StrictUndefined
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


@dataclass
class LiveServer:
    app: Flask
    url: str
    _server: BaseWSGIServer
    _thread: threading.Thread
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def registry(self):
        return self.app.extensions["trainer_registry"]

    def path(self, endpoint: str, **values) -> str:
        """The app's own path for ``endpoint``, so tests follow routes that move."""
        from flask import url_for

        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def position(self, attempt_id: int):
        """The compiled scenario an attempt plays and the node it waits at."""
        from trainer.extensions import db
        from trainer.models import Attempt
        from trainer.scenario.engine import PlayState

        with self.app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            compiled = self.registry.get(attempt.version.content_hash, attempt.version.source)
            return compiled, PlayState.from_dict(attempt.state).node

    def make_user(self, role: str = "trainee", locale: str | None = None) -> str:
        """A new user of ``role``; its password equals the returned user name.

        A journey takes a user of its own, so that attempts left by other tests never
        change what it sees (resumed attempts, last results).
        """
        from trainer.extensions import db
        from trainer.models import User

        username = f"e2e.{role}.{next(self._numbers)}"
        with self.app.app_context():
            user = User(username=username, role=role, display_name=f"E2E {role}", locale=locale)
            user.set_password(username)
            db.session.add(user)
            db.session.commit()
        return username

    def make_cohort(self, supervisor: str | None, trainees: list[str]) -> int:
        """A cohort supervised by ``supervisor`` (a user name) with ``trainees`` in it."""
        from sqlalchemy import select

        from trainer.extensions import db
        from trainer.models import Cohort, CohortMember, User

        with self.app.app_context():
            cohort = Cohort(name=f"Група {next(self._numbers)}")
            db.session.add(cohort)
            db.session.flush()
            for name, role in [(supervisor, "supervisor")] * bool(supervisor) + [(t, "trainee") for t in trainees]:
                user_id = db.session.scalar(select(User.id).where(User.username == name))
                db.session.add(CohortMember(cohort_id=cohort.id, user_id=user_id, role=role))
            db.session.commit()
            return cohort.id

    def stop(self) -> None:
        from trainer.extensions import db

        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


class _QuietHandler(WSGIRequestHandler):
    """Keeps one log line per request out of the test output; errors are still logged."""

    def log_request(self, code="-", size="-") -> None:
        pass


def _prepare_database(app: Flask) -> None:
    """Migrate from empty and record versions and the search index, as `trainer init` does."""
    from flask_migrate import upgrade

    from trainer.app import MIGRATIONS_DIR
    from trainer.attempts import ensure_version
    from trainer.extensions import db
    from trainer.search.index import rebuild

    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        registry = app.extensions["trainer_registry"]
        for loaded in registry.current.values():
            ensure_version(db.session, loaded)
        rebuild(db.session, registry.manual, registry.current)
        db.session.commit()


def _whole_responses(app: Flask):
    """The app, each response read to its end (and closed) before it is sent.

    Werkzeug's development server does not close a response whose browser went away while
    it was being sent: a static file (the icon, which a browser may drop when it moves on to
    the next page) stays open until garbage collection, and warnings are errors here.
    Gunicorn, which serves the app for real, closes it. The browser tests download nothing
    large, so holding a whole response costs nothing.
    """
    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return serve


def start_live_server(folder: Path, registry) -> LiveServer:
    """Create the app on a new database in ``folder`` and serve it on a free port.

    ``registry`` is the suite's loaded scenario library (the real files plus the docs'
    example) and manual, shared because loading and analysing every scenario takes seconds.
    """
    from trainer.app import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'e2e.db'}",
        "SECRET_KEY": "e2e",
        "TRAINER_REGISTRY": registry,
        "TRAINER_DEFAULT_LOCALE": "uk",
        "BABEL_DEFAULT_LOCALE": "uk",
    }
    app = create_app(config)
    # Not TESTING (the browser should see what a person sees), but a template that reads
    # something missing still fails here as it does in the other tests.
    app.jinja_env.undefined = StrictUndefined
    _prepare_database(app)
    # Port 0: the OS picks a free port, so parallel runs never collide.
    server = make_server("127.0.0.1", 0, _whole_responses(app), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    return LiveServer(app, f"http://127.0.0.1:{server.server_port}", server, thread)
