"""The trivial /healthz route: public, plain "ok", and no database work."""
from __future__ import annotations

from sqlalchemy import event

from trainer.extensions import db


def test_healthz_answers_ok_without_login_or_database(app, client):
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        statements.append(1)

    # A load balancer or the benchmark sends no cookie: nothing may reach the database.
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert statements == []
