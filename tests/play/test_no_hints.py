"""Practice "without hints": a self-study attempt the trainee chose to play with no feedback
until the debrief. It stays practice; only what is shown during play changes."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from tests.conftest import csrf_token

SCENARIO = "example-queue"
FEEDBACK_BOX = "Про вашу останню відповідь"


def _intro(client) -> str:
    return unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))


def _start(client, **data) -> str:
    token = csrf_token(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    response = client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token, **data})
    assert response.status_code == 302
    return response.headers["Location"]


def _answer(client, url, **data):
    html = client.get(url).get_data(as_text=True)
    step = int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))
    return client.post(url + "/answer", data={"csrf_token": csrf_token(html), "step": step, **data})


def _attempt(app, url):
    from trainer.extensions import db
    from trainer.models import Attempt

    with app.app_context():
        attempt = db.session.get(Attempt, int(url.rsplit("/", 1)[1]))
        return attempt.mode, attempt.feedback_at_end, attempt.status


def _checkbox(html: str) -> str:
    return re.search(r'<input[^>]*name="feedback_at_end"[^>]*>', html).group(0)


def test_the_intro_offers_the_choice_labelled_and_unticked(client, auth):
    auth.login()
    html = _intro(client)
    box = _checkbox(html)
    assert 'type="checkbox"' in box and "checked" not in box and 'aria-describedby="feedback-at-end-hint"' in box
    assert '<label for="feedback_at_end">Без підказок: розбір лише наприкінці</label>' in html
    assert 'id="feedback-at-end-hint"' in html
    # The choice belongs to the Start form.
    form = html[html.rindex("<form", 0, html.index(box)):html.index("</form>", html.index(box))]
    assert f'action="/scenarios/{SCENARIO}/start"' in form and "Почати" in form


def test_the_choice_reads_in_english(client, auth):
    auth.login()
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    assert '<label for="feedback_at_end">No hints: feedback only at the end</label>' in html


def test_starting_without_hints_stores_it_on_a_practice_attempt(app, client, auth):
    auth.login()
    url = _start(client, feedback_at_end="y")
    assert _attempt(app, url) == ("practice", True, "active")


def test_starting_without_the_choice_is_the_usual_practice(app, client, auth):
    auth.login()
    url = _start(client)
    assert _attempt(app, url) == ("practice", False, "active")


def test_no_feedback_box_after_an_answer_without_hints_but_the_same_debrief(app, client, auth):
    auth.login()
    url = _start(client, feedback_at_end="y")
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Без підказок: відгук і бали ви побачите наприкінці." in page
    assert _answer(client, url, choice="greet_and_acknowledge").status_code == 302
    page = unescape(client.get(url).get_data(as_text=True))
    assert FEEDBACK_BOX not in page and 'class="feedback' not in page
    assert "Добре. То що мені робити?" in page  # the conversation goes on
    response = _answer(client, url, choice="explain_and_check")
    assert response.headers["Location"] == url + "/debrief"
    debrief = unescape(client.get(url + "/debrief").get_data(as_text=True))
    assert "Олег дочекався" in debrief and "100%" in debrief
    assert "Посібник 2.5. Керування чергою" in debrief
    # Every decision in its box, with its rating and what it was rated for.
    boxes = re.findall(r'<li id="decision-(\d+)" class="step rating-(\w+)">', debrief)
    assert boxes == [("1", "recommended"), ("2", "recommended")]
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    explanation = compiled.choices["greet_and_acknowledge"][1].feedback.uk
    assert explanation.strip()[:40] in debrief
    # The debrief's button starts the next attempt with the same choice, which can be changed.
    assert "checked" in _checkbox(debrief)


def test_a_normal_attempt_still_shows_the_feedback_box(app, client, auth):
    auth.login()
    url = _start(client)
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Без підказок" not in page.split("<h1")[1].split("</form>")[0]
    _answer(client, url, choice="greet_and_acknowledge")
    page = unescape(client.get(url).get_data(as_text=True))
    assert f"{FEEDBACK_BOX}: рекомендовано" in page
    _answer(client, url, choice="explain_and_check")
    assert "checked" not in _checkbox(unescape(client.get(url + "/debrief").get_data(as_text=True)))


def test_no_rubric_details_after_a_written_answer_without_hints(app, client, auth):
    from trainer.extensions import db
    from trainer.models import Step

    scenario = "crying-client"
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(scenario)
    token = csrf_token(client.get(f"/scenarios/{scenario}").get_data(as_text=True))
    url = client.post(f"/scenarios/{scenario}/start",
                      data={"csrf_token": token, "feedback_at_end": "y"}).headers["Location"]
    for node, choice in compiled.analysis.recommended_path:
        if compiled.is_free_text(node):
            break
        assert _answer(client, url, choice=choice).status_code == 302
    model = compiled.scenario.nodes[node].free_text.model_answer.uk
    assert _answer(client, url, text=model).status_code == 302
    after = unescape(client.get(url).get_data(as_text=True))
    assert "Зразкова відповідь" not in after and "Знайдено:" not in after and FEEDBACK_BOX not in after
    with app.app_context():  # scored and stored as usual, for the debrief
        step = db.session.scalar(select(Step).where(Step.node_id == node))
        assert step.free_text == model and step.rubric_result["expected_found"]


def test_resuming_keeps_the_attempts_choice(app, client, auth):
    auth.login()
    url = _start(client, feedback_at_end="y")
    _answer(client, url, choice="wait_your_turn")
    intro = _intro(client)
    assert "Цю спробу ви проходите без підказок." in intro
    # "Continue" sends no choice: the attempt keeps its own.
    assert _start(client) == url
    assert _attempt(app, url) == ("practice", True, "active")
    assert FEEDBACK_BOX not in unescape(client.get(url).get_data(as_text=True))


def test_start_again_offers_the_same_choice_and_keeps_it_unless_changed(app, client, auth):
    auth.login()
    first = _start(client, feedback_at_end="y")
    _answer(client, first, choice="wait_your_turn")
    intro = _intro(client)
    box = _checkbox(intro)
    assert "checked" in box
    # The ticked box is in the "Start again" form, which sends restart.
    form = intro[intro.rindex("<form", 0, intro.index(box)):intro.index("</form>", intro.index(box))]
    assert 'name="restart" value="y"' in form and "Почати спочатку" in form
    second = _start(client, restart="y", feedback_at_end="y")
    assert second != first
    assert _attempt(app, first)[2] == "abandoned"
    assert _attempt(app, second) == ("practice", True, "active")
    # Unticked, the next restart is the usual practice.
    _answer(client, second, choice="wait_your_turn")
    third = _start(client, restart="y")
    assert _attempt(app, third) == ("practice", False, "active")


def test_start_again_before_any_answer_takes_the_new_choice(app, client, auth):
    """An attempt with no answer yet is reused by "Start again"; it takes the choice sent."""
    auth.login()
    url = _start(client)
    assert _start(client, restart="y", feedback_at_end="y") == url
    assert _attempt(app, url) == ("practice", True, "active")


def test_an_assignment_never_takes_the_choice(app, users):
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import Assignment, User

    with app.app_context():
        compiled = app.extensions["trainer_registry"].latest(SCENARIO)
        user = db.session.get(User, users["trainee"])
        assignment = Assignment(scenario_id=SCENARIO, user_id=user.id, mode="practice",
                                created_by=users["supervisor"])
        db.session.add(assignment)
        db.session.flush()
        attempt = attempts.start_or_resume(db.session, user, compiled, assignment=assignment, feedback_at_end=True)
        assert attempt.mode == "practice" and not attempt.feedback_at_end and not attempt.feedback_deferred


def test_the_rule_defers_feedback_for_assessments_and_no_hints_only():
    from trainer.models import Attempt

    assert Attempt(mode="assessment", feedback_at_end=False).feedback_deferred
    assert Attempt(mode="practice", feedback_at_end=True).feedback_deferred
    assert not Attempt(mode="practice", feedback_at_end=False).feedback_deferred


def test_the_transcript_notes_no_hints(app, client, auth, users):
    from trainer.extensions import db
    from trainer.models import Attempt

    auth.login()
    url = _start(client, feedback_at_end="y")
    _answer(client, url, choice="wait_your_turn")
    plain = _start(client, restart="y")
    attempt_id = int(url.rsplit("/", 1)[1])
    client.post("/logout", data={"csrf_token": auth.token()})
    auth.login("test.admin")
    html = unescape(client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True))
    mode = re.search(r"<dt>Режим</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert mode.startswith("Тренування · без підказок")
    html = unescape(client.get(f"/team/attempts/{int(plain.rsplit('/', 1)[1])}").get_data(as_text=True))
    assert "без підказок" not in re.search(r"<dt>Режим</dt><dd>(.*?)</dd>", html, re.S).group(1)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).feedback_at_end
