"""«More time» and «Switch the time limit off» say what they did, and nothing untrue.

Pressed from an older tab, or after Back, once the limit is off, the button used to say the
time was extended though nothing had changed.
"""
from __future__ import annotations

from html import unescape

from sqlalchemy import select

from tests.conftest import csrf_token

SCENARIO = "crying-client"


def _start_timed(app, client, users) -> str:
    """The trainee's attempt at an assessment with a 60-second limit; its play page's path."""
    from trainer.extensions import db
    from trainer.models import Assignment

    with app.app_context():
        assignment = Assignment(scenario_id=SCENARIO, user_id=users["trainee"], mode="assessment", time_limit=60,
                                created_by=users["supervisor"])
        db.session.add(assignment)
        db.session.commit()
        assignment_id = assignment.id
    intro = client.get(f"/assignments/{assignment_id}/start").get_data(as_text=True)
    started = client.post(f"/assignments/{assignment_id}/start", data={"csrf_token": csrf_token(intro)})
    assert started.status_code == 302
    return started.headers["Location"]


def _press(client, url: str, action: str) -> str:
    """Press a timer button on the play page; the page it leads to."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(url + "/time", data={"csrf_token": token, "action": action})
    assert response.status_code == 302 and response.headers["Location"] == url
    return unescape(client.get(url).get_data(as_text=True))


def _extensions(app) -> tuple[int, int, int | None]:
    from trainer.extensions import db
    from trainer.models import Attempt
    with app.app_context():
        return db.session.execute(
            select(Attempt.decision_extensions, Attempt.time_extensions, Attempt.time_limit_off_at)).one()


def test_more_time_extends_while_the_limit_holds(app, client, auth, users):
    auth.login()
    url = _start_timed(app, client, users)
    assert "Час на це рішення продовжено" in _press(client, url, "extend")
    assert _extensions(app) == (1, 1, None)


def test_more_time_after_the_limit_is_off_says_it_is_off(app, client, auth, users):
    auth.login()
    url = _start_timed(app, client, users)
    assert "вимкнено до кінця" in _press(client, url, "off")
    page = _press(client, url, "extend")  # an older tab still shows the button
    assert "Обмеження часу вже вимкнено для цієї спроби." in page
    assert "продовжено" not in page
    assert _extensions(app) == (0, 0, 0)
    # Switching it off twice says it was off already, too.
    assert "Обмеження часу вже вимкнено для цієї спроби." in _press(client, url, "off")


def test_an_attempt_without_a_limit_says_it_has_none(app, client, auth):
    from tests.test_play_views import start

    auth.login()
    url = start(client)  # practice: no limit
    page = _press(client, url, "extend")
    assert "Ця спроба не має обмеження часу." in page and "продовжено" not in page
    assert _extensions(app) == (0, 0, None)
