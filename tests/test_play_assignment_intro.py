"""Starting an assignment goes through the scenario's introduction, content note first.

Someone sent a scenario about suicidal thoughts or violence must read the same warning as
someone who picks it from the catalogue, and learn that they can stop at any time, before
the conversation (and an assessment's time limit) starts.
"""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token

SCENARIO = "crying-client"  # has a content note


def _assign(app, users, user: str = "trainee", mode: str = "assessment", time_limit: int | None = 60,
            note: str = "") -> int:
    """An assignment of SCENARIO to one person, as a supervisor makes it; its id."""
    from trainer.extensions import db
    from trainer.models import Assignment

    with app.app_context():
        assignment = Assignment(scenario_id=SCENARIO, user_id=users[user], mode=mode, time_limit=time_limit,
                                note=note, created_by=users["supervisor"])
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


@pytest.fixture
def assigned(app, users):
    return lambda **kw: _assign(app, users, **kw)


def _attempts(app):
    from trainer.extensions import db
    from trainer.models import Attempt
    with app.app_context():
        return db.session.scalars(select(Attempt)).all()


def _warning(app) -> str:
    return app.extensions["trainer_registry"].latest(SCENARIO).scenario.content_note.uk.split()[0]


def test_start_on_my_assignments_leads_to_the_introduction_not_straight_into_the_conversation(
        app, client, auth, assigned):
    assignment_id = assigned()
    auth.login()
    mine = client.get("/assignments").get_data(as_text=True)
    row = re.findall(r"<tr.*?</tr>", mine, re.S)[1]
    # The title and "Start" are links to the introduction; nothing in the row starts an attempt.
    assert row.count(f'href="/assignments/{assignment_id}"') == 2
    assert 'method="post"' not in row
    assert _attempts(app) == []


def test_the_assignments_introduction_warns_first_and_starts_the_assignment(app, client, auth, assigned):
    from trainer.extensions import db
    from trainer.models import Attempt

    assignment_id = assigned(mode="assessment", time_limit=60, note="До наради в понеділок.")
    auth.login()
    response = client.get(f"/assignments/{assignment_id}")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "Попередження про зміст" in page and _warning(app) in page
    assert "Ви можете зупинитися будь-коли" in page
    # What the assignment asks, before anything starts.
    assert "Завдання: Оцінювання" in page and "одна спроба; відгук наприкінці" in page
    assert "60 с на рішення" in page and "До наради в понеділок." in page
    assert page.index("Попередження про зміст") < page.index('class="actions"')
    # Its button starts the assignment, not a self-study attempt; reading it starts nothing.
    assert f'action="/assignments/{assignment_id}/start"' in page
    assert f'action="/scenarios/{SCENARIO}/start"' not in page
    assert _attempts(app) == []

    started = client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(page)})
    assert started.status_code == 302 and re.fullmatch(r"/attempts/\d+", started.headers["Location"])
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert (attempt.assignment_id, attempt.mode, attempt.time_limit) == (assignment_id, "assessment", 60)
    play = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Залишилося часу" in play or "Час на це рішення" in play  # the limit holds

    # Back on the introduction, the attempt is resumed, not started again.
    again = unescape(client.get(f"/assignments/{assignment_id}").get_data(as_text=True))
    assert "Продовжити з місця зупинки" in again and "Почати спочатку" not in again
    client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(again)})
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_a_practice_assignment_says_its_mode_without_the_assessment_terms(app, client, auth, assigned):
    assignment_id = assigned(mode="practice", time_limit=None)
    auth.login()
    page = unescape(client.get(f"/assignments/{assignment_id}").get_data(as_text=True))
    assert "Завдання: Тренування" in page and "одна спроба" not in page
    client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(page)})
    [attempt] = _attempts(app)
    assert (attempt.mode, attempt.time_limit) == ("practice", None)


def test_someone_elses_assignment_is_not_found(app, client, auth, users, assigned):
    others = assigned(user="other", mode="practice", time_limit=None)
    auth.login()
    assert client.get(f"/assignments/{others}").status_code == 404
    assert client.get("/assignments/999999").status_code == 404


def test_a_cancelled_assignment_says_why_it_cannot_start(app, client, auth, assigned):
    from trainer.extensions import db
    from trainer.models import Assignment, utcnow

    assignment_id = assigned(mode="practice", time_limit=None)
    with app.app_context():
        db.session.get(Assignment, assignment_id).cancelled_at = utcnow()
        db.session.commit()
    auth.login()
    response = client.get(f"/assignments/{assignment_id}")
    assert response.status_code == 302 and response.headers["Location"] == "/assignments"
    assert "Це завдання скасовано" in unescape(client.get("/assignments").get_data(as_text=True))
