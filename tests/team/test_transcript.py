"""Supervisors' comments on a transcript: stored once, on a decision the attempt has."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.team.conftest import play

NOW = datetime(2026, 3, 12, 15, 42)


def _comments(app) -> int:
    from trainer.extensions import db
    from trainer.models import StepComment
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StepComment))


def test_the_same_comment_within_a_minute_is_stored_once(app, world):
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        attempt, author = db.session.get(Attempt, attempt_id), db.session.get(User, world.sup_a)
        assert add_comment(db.session, attempt, 0, author, "Добре", NOW) is not None
        assert add_comment(db.session, attempt, 0, author, " Добре ", NOW + timedelta(seconds=59)) is None
        assert add_comment(db.session, attempt, 0, author, "Добре", NOW + timedelta(seconds=61)) is not None
        assert add_comment(db.session, attempt, 1, author, "Добре", NOW) is not None  # another decision
        db.session.commit()
    assert _comments(app) == 3


def test_a_comment_needs_a_decision_of_the_attempt_and_some_text(app, world):
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import CommentError, add_comment
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        attempt, author = db.session.get(Attempt, attempt_id), db.session.get(User, world.sup_a)
        with pytest.raises(CommentError):
            add_comment(db.session, attempt, 999, author, "Добре", NOW)
        with pytest.raises(CommentError):
            add_comment(db.session, attempt, 0, author, "   ", NOW)


def test_simultaneous_identical_comments_are_stored_once(app, world, make_app):
    from trainer.models import Attempt, User, utcnow
    from tests.conftest import run_at_once
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a)
    barrier = threading.Barrier(2)

    def send(session):
        attempt, author = session.get(Attempt, attempt_id), session.get(User, world.sup_a)
        barrier.wait()
        return add_comment(session, attempt, 0, author, "Добре", utcnow()) is not None

    stored, errors = run_at_once(make_app, send)  # two app servers on one database
    assert not errors and sorted(stored) == [False, True], errors
    assert _comments(app) == 1


# -- what the trainee reads of it on the debrief ---------------------------------------------

def _debrief_html(client, attempt_id: int, who: str = "test.trainee") -> tuple[int, str]:
    from html import unescape

    from tests.conftest import Auth
    Auth(client).login(who)
    response = client.get(f"/attempts/{attempt_id}/debrief")
    return response.status_code, unescape(response.get_data(as_text=True))


def _decision(html: str, n: int) -> str:
    """The box of decision ``n`` (1-based) on the debrief."""
    start = html.index(f'id="decision-{n}"')
    return html[start:html.index("</li>", html.index("</details>", start))]


def test_the_trainee_reads_supervisors_comments_beside_the_decision(app, client, world):
    """Comments on a decision reached only the transcript; the trainee who made it never
    saw them. They are text, dated in the centre's zone, and only on the owner's debrief."""
    from trainer.extensions import db
    from trainer.models import Attempt, Step, StepComment, User
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a, ["wait_your_turn", "give_time_estimate"])
    stored = datetime(2026, 1, 15, 22, 30, 5)  # 00:30 on the 16th in Kyiv
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        add_comment(db.session, attempt, 1, db.session.get(User, world.sup_a), "<b>Спершу</b> вислухайте", stored)
        db.session.commit()
        steps = db.session.scalar(select(func.count()).select_from(Step).where(Step.attempt_id == attempt_id))
    status, html = _debrief_html(client, attempt_id)
    assert status == 200 and steps >= 2
    second = _decision(html, 2)
    assert "<details open>" in second and "test.supervisor" in second
    assert "16 січ. 2026\u202fр., 00:30" in second and "22:30" not in second
    raw = client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True)
    assert "&lt;b&gt;Спершу&lt;/b&gt; вислухайте" in raw and "<b>Спершу</b>" not in raw  # text, not markup
    assert "test.supervisor" not in _decision(html, 1) and "<details open>" not in _decision(html, 1)
    assert 'href="#steps"' in html  # the result says there are notes to read below
    # Nobody else reads them on a debrief: another trainee's URL is a 404.
    client.post("/logout", data={"csrf_token": csrf(client)})
    assert _debrief_html(client, attempt_id, "test.other")[0] == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StepComment)) == 1


def csrf(client) -> str:
    from tests.conftest import csrf_token
    return csrf_token(client.get("/").get_data(as_text=True))


def test_the_trainee_reads_the_verdict_on_a_written_answer_and_its_points(app, client, world):
    from tests.team.test_reviews import SCENARIO, finish_with_text
    from trainer.extensions import db
    from trainer.models import AttemptScore, Step, User
    from trainer.team.reviews import review
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        dropped = step.rubric_result["found"][0]
        review(db.session, step, db.session.get(User, world.sup_a), agrees=False,
               found=step.rubric_result["found"][1:], comment="Почуття не назване прямо.")
        db.session.commit()
        index = step.index
        node = app.extensions["trainer_registry"].latest(SCENARIO).scenario.nodes[step.node_id]
        label = next(e.label.uk for e in node.free_text.elements if e.id == dropped)
        stored = {s.competency: s for s in db.session.scalars(
            select(AttemptScore).where(AttemptScore.attempt_id == attempt_id))}
    status, html = _debrief_html(client, attempt_id)
    assert status == 200
    box = _decision(html, index + 1)
    assert "<details open>" in box and "test.supervisor" in box and "Почуття не назване прямо." in box
    assert f"Бракує:</strong>\n              {label}" in box  # the list follows the verdict
    # The scores on the page are the stored ones, which follow the verdict too.
    for score in stored.values():
        assert f"({score.points} / {score.max_points})" in html


def test_the_supervisors_own_rating_is_headed_without_a_tautology(app, client, world):
    """«Ваша власна оцінка» said "your own" twice; «Ваша оцінка» says it once."""
    from tests.conftest import Auth
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    html = client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True)
    assert "<h3>Ваша оцінка</h3>" in html and "власна оцінка" not in html
