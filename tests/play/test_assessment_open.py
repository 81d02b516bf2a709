"""While someone's assessment of a scenario is open, practice of that scenario waits.

Practice shows each answer's feedback at once, so a practice attempt played beside the
assessment would give its answers away (found by playing: the scenario's page offered
Start during the assessment)."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from tests.conftest import add_assignment, csrf_token

SCENARIO = "example-queue"


def _assign(app, users, mode: str = "assessment") -> int:
    return add_assignment(app, SCENARIO, users["trainee"], users["supervisor"], mode)


def _post(client, page_url: str, action: str, **data):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **data})


def _steps(app) -> int:
    from trainer.extensions import db
    from trainer.models import Step
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Step))


def test_practice_waits_for_an_open_assessment_and_says_why(app, client, auth, users):
    auth.login()
    practice = _post(client, f"/scenarios/{SCENARIO}", f"/scenarios/{SCENARIO}/start")
    practice_url = practice.headers["Location"]
    assessment_id = _assign(app, users)
    started = _post(client, f"/assignments/{assessment_id}", f"/assignments/{assessment_id}/start")
    assessment_url = started.headers["Location"]
    assert assessment_url != practice_url

    # The scenario's page offers the assessment, not Start or the practice attempt.
    page = unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    assert "Ви проходите оцінювання за цим сценарієм" in page
    assert f'href="/assignments/{assessment_id}">Продовжити оцінювання</a>' in page
    assert f'action="/scenarios/{SCENARIO}/start"' not in page
    assert "Ваша тренувальна спроба чекає там, де ви зупинилися." in page  # there is one

    # The practice attempt takes no answer (the page itself only shows feedback given before
    # the assessment began), and no attempt starts again; it waits where it was.
    assert client.get(practice_url).status_code == 200
    for response in (client.post(f"{practice_url}/answer", data={
                         "csrf_token": csrf_token(client.get(assessment_url).get_data(as_text=True)),
                         "step": "0", "choice": "greet_and_acknowledge"}),
                     _post(client, f"/scenarios/{SCENARIO}", f"/scenarios/{SCENARIO}/start", restart="y")):
        # To the box that says why, and no notice above it saying the same again.
        assert response.status_code == 302 and response.headers["Location"] == f"/scenarios/{SCENARIO}#assessing-h"
    assert _steps(app) == 0
    shown = unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    assert 'class="flash' not in shown and shown.count("підказало б відповіді для оцінювання") == 1

    # The assessment plays on; once it is over, the practice attempt resumes where it stopped.
    assert client.get(assessment_url).status_code == 200
    from trainer.extensions import db
    from trainer.models import Attempt
    with app.app_context():
        db.session.get(Attempt, int(assessment_url.rsplit("/", 1)[1])).status = "finished"
        db.session.commit()
    assert client.get(practice_url).status_code == 200
    page = unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    assert "Продовжити з місця зупинки" in page and "Ви проходите оцінювання" not in page


def test_a_practice_assignment_waits_too_and_other_scenarios_do_not(app, client, auth, users):
    assessment_id, practice_id = _assign(app, users), _assign(app, users, mode="practice")
    auth.login()
    _post(client, f"/assignments/{assessment_id}", f"/assignments/{assessment_id}/start")
    page = unescape(client.get(f"/assignments/{practice_id}").get_data(as_text=True))
    assert "Ви проходите оцінювання за цим сценарієм" in page
    assert f'action="/assignments/{practice_id}/start"' not in page
    refused = _post(client, f"/assignments/{assessment_id}", f"/assignments/{practice_id}/start")
    assert refused.headers["Location"] == f"/scenarios/{SCENARIO}#assessing-h"
    # No practice attempt of this person's waits, so the page does not say one does.
    assert "Ваша тренувальна спроба чекає" not in unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    other = unescape(client.get("/scenarios/crying-client").get_data(as_text=True))
    assert "Ви проходите оцінювання" not in other
    assert re.search(r'action="/scenarios/crying-client/start"', other)
