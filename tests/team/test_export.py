"""CSV exports, xAPI statements, and sending them to a Learning Record Store on loopback."""
from __future__ import annotations

import base64
import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from tests.team.conftest import SCENARIO, play


@pytest.fixture
def session(app, world):
    from trainer.extensions import db
    with app.app_context():
        yield db.session


def _rows(session, kind, users):
    from trainer.team.export import export_csv
    return list(csv.DictReader(io.StringIO("".join(export_csv(session, kind, users)))))


def test_csv_exports_attempts_steps_and_scores_of_visible_people_only(app, world, session):
    from trainer.models import Step, User
    from trainer.team.access import visible_trainee_ids
    first = play(app, world.trainee_a)
    play(app, world.trainee_b)
    viewer = session.get(User, world.sup_a)
    users = visible_trainee_ids(viewer)
    attempts = _rows(session, "attempts", users)
    assert [(int(r["attempt_id"]), r["username"], r["outcome"]) for r in attempts] == [(first, "test.trainee", "good")]
    steps = _rows(session, "steps", users)
    assert len(steps) == session.scalar(select(func.count()).select_from(Step).where(Step.attempt_id == first))
    assert steps[0]["node_id"] and steps[0]["choice_id"]
    scores = _rows(session, "scores", users)
    comps = app.extensions["trainer_registry"].latest(SCENARIO).scenario.competencies
    assert sorted(r["competency"] for r in scores) == sorted(comps)
    assert all(0 <= float(r["percent"]) <= 100 for r in scores)


def test_csv_cells_cannot_become_spreadsheet_formulas(session):
    from trainer.team.export import _cell
    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("звичайний текст") == "звичайний текст"


@pytest.mark.parametrize("value", ['\t=HYPERLINK("http://evil.example","click")', "\r=1+2", "＝1+2", "＋1", "－1",
                                   "＠SUM(A1)", "+1", "-1", "@SUM(A1)"])
def test_formulas_behind_a_tab_a_return_or_full_width_signs_are_escaped_too(value):
    from trainer.team.export import _cell
    assert _cell(value) == "'" + value


def _statements(app, session, attempt_id):
    from trainer.models import Attempt, AttemptScore, Step
    from trainer.xapi.statements import Builder
    attempt = session.get(Attempt, attempt_id)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    steps = session.scalars(select(Step).where(Step.attempt_id == attempt_id).order_by(Step.index)).all()
    scores = session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)).all()
    return Builder("https://centre.example").attempt_statements(attempt, compiled, steps, scores), steps, scores


def test_xapi_statements_follow_the_spec_shape(app, world, session):
    attempt_id = play(app, world.trainee_a)
    statements, steps, scores = _statements(app, session, attempt_id)
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
    assert verbs == ["answered"] * len(steps) + ["completed", "passed"] + ["scored"] * len(scores)
    answered = statements[0]
    assert answered["object"]["definition"]["interactionType"] == "choice"
    assert answered["result"]["response"] == steps[0].choice_id
    delta = answered["result"]["extensions"]["https://centre.example/xapi/extensions/competency-delta"]
    assert delta == steps[0].score_delta
    assert answered["actor"]["account"] == {"homePage": "https://centre.example", "name": "test.trainee"}
    completed = statements[len(steps)]
    assert 0 <= completed["result"]["score"]["scaled"] <= 1 and completed["result"]["completion"] is True
    assert statements[len(steps) + 1]["result"]["success"] is True
    scored = statements[-1]
    assert scored["object"]["id"].startswith("https://centre.example/competencies/")
    assert len({s["id"] for s in statements}) == len(statements)
    again, _s, _c = _statements(app, session, attempt_id)
    assert [s["id"] for s in again] == [s["id"] for s in statements]  # stable ids: resending is harmless


def test_a_failed_attempt_reports_failed(app, world, session):
    from trainer.models import Attempt
    attempt_id = play(app, world.trainee_a, "worst")
    statements, _steps, _scores = _statements(app, session, attempt_id)
    outcome = session.get(Attempt, attempt_id).outcome
    verdicts = [s for s in statements if s["verb"]["id"].endswith(("passed", "failed"))]
    assert len(verdicts) == 1
    assert verdicts[0]["verb"]["id"].endswith("failed") == (outcome not in ("good", "mixed"))


def test_xapi_scores_keep_raw_between_min_and_max_when_harmful_answers_take_points_below_zero(app, world, session):
    attempt_id = play(app, world.trainee_a, "worst")
    statements, _steps, scores = _statements(app, session, attempt_id)
    assert any(s.points < 0 for s in scores)  # the worst path does go below zero
    lowest = app.extensions["trainer_registry"].latest(SCENARIO).analysis.min_score
    for statement in statements:
        score = statement.get("result", {}).get("score")
        if score is None:
            continue
        assert score["min"] <= score["raw"] <= score["max"]  # xAPI 1.0.3, 4.1.5.1
        assert 0 <= score["scaled"] <= 1
    per_competency = {s["object"]["id"].rsplit("/", 1)[-1]: s["result"]["score"] for s in statements
                      if s["verb"]["id"].endswith("scored")}
    for row in scores:
        assert per_competency[row.competency]["min"] == min(0, lowest[row.competency], row.points)


class _Lrs:
    """A tiny Learning Record Store: records POSTed statements, can fail the first requests."""

    def __init__(self, fail_first: int = 0, status: int = 503):
        self.received: list[dict] = []
        self.auth: list[str] = []
        self.requests = 0
        self.fail_first, self.status = fail_first, status
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                lrs.requests += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                lrs.auth.append(self.headers.get("Authorization", ""))
                assert self.headers["X-Experience-API-Version"] == "1.0.3"
                if lrs.requests <= lrs.fail_first:
                    self.send_response(lrs.status)
                    self.end_headers()
                    return
                statements = json.loads(body)
                lrs.received.extend(statements)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps([s["id"] for s in statements]).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def queued(app, world, session, monkeypatch):
    """A finished attempt with its statements in the outbox (an LRS is configured)."""
    from trainer.models import XapiStatement
    monkeypatch.setenv("TRAINER_LRS_URL", "http://127.0.0.1:9/xapi/")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://centre.example")
    play(app, world.trainee_a)
    count = session.scalar(select(func.count()).select_from(XapiStatement))
    assert count > 3
    return count


def test_finished_attempts_are_queued_only_when_an_lrs_is_configured(app, world, session, monkeypatch):
    from trainer.models import XapiStatement
    monkeypatch.delenv("TRAINER_LRS_URL", raising=False)
    play(app, world.trainee_a)
    assert session.scalar(select(func.count()).select_from(XapiStatement)) == 0


def test_send_retries_then_records_what_was_sent(session, queued):
    from trainer.models import XapiStatement
    from trainer.xapi.outbox import LrsConfig, send_pending
    with _Lrs(fail_first=2) as lrs:
        config = LrsConfig(lrs.url, "key", "s3cret", retries=3, backoff=0)
        report = send_pending(session, config, batch=100, sleep=lambda s: None)
    assert (report.sent, report.failed) == (queued, 0)
    assert len(lrs.received) == queued and lrs.requests == 3
    assert lrs.auth[-1] == "Basic " + base64.b64encode(b"key:s3cret").decode()
    rows = session.scalars(select(XapiStatement)).all()
    assert all(r.sent_at is not None and r.tries == 3 and r.last_error == "" for r in rows)
    with _Lrs() as lrs2:
        assert send_pending(session, LrsConfig(lrs2.url, retries=1), sleep=lambda s: None).sent == 0
        assert lrs2.requests == 0  # nothing is sent twice


def test_send_gives_up_after_the_retries_and_keeps_the_error(session, queued):
    from trainer.models import XapiStatement
    from trainer.xapi.outbox import LrsConfig, send_pending
    with _Lrs(fail_first=99) as lrs:
        report = send_pending(session, LrsConfig(lrs.url, retries=2, backoff=0), sleep=lambda s: None)
    assert (report.sent, report.failed) == (0, queued) and lrs.requests == 2
    rows = session.scalars(select(XapiStatement)).all()
    assert all(r.sent_at is None and "503" in r.last_error for r in rows)


def test_client_errors_are_not_retried(session, queued):
    from trainer.xapi.outbox import LrsConfig, send_pending
    with _Lrs(fail_first=99, status=400) as lrs:
        report = send_pending(session, LrsConfig(lrs.url, retries=5, backoff=0), sleep=lambda s: None)
    assert report.failed == queued and lrs.requests == 1


def test_unreachable_lrs_is_reported(session, queued):
    from trainer.xapi.outbox import LrsConfig, send_pending
    report = send_pending(session, LrsConfig("http://127.0.0.1:9/xapi/", retries=2, backoff=0, timeout=2),
                          sleep=lambda s: None)
    assert report.failed == queued and "cannot reach" in report.errors[0]
