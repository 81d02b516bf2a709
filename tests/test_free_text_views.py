"""Answering a free-text node in the browser: stored, scored, explained, reviewable."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from tests.conftest import csrf_token

SCENARIO = "crying-client"


def _start(client, scenario=SCENARIO):
    token = csrf_token(client.get(f"/scenarios/{scenario}").get_data(as_text=True))
    return client.post(f"/scenarios/{scenario}/start", data={"csrf_token": token}).headers["Location"]


def _post(client, url, **data):
    html = client.get(url).get_data(as_text=True)
    step = int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))
    return client.post(url + "/answer", data={"csrf_token": csrf_token(html), "step": step, **data})


def _walk_to_free_text(client, url, compiled):
    for node, choice in compiled.analysis.recommended_path:
        if compiled.is_free_text(node):
            return node
        assert _post(client, url, choice=choice).status_code == 302
    raise AssertionError("the recommended path has no free-text node")


def test_written_answer_is_scored_explained_and_stored(app, client, auth):
    from trainer.extensions import db
    from trainer.models import Step
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    url = _start(client)
    node = _walk_to_free_text(client, url, compiled)
    page = unescape(client.get(url).get_data(as_text=True))
    assert compiled.scenario.nodes[node].free_text.prompt.uk.strip()[:40] in page
    assert 'name="text"' in page and 'name="choice"' not in page
    model = compiled.scenario.nodes[node].free_text.model_answer.uk
    assert _post(client, url, text=model).status_code == 302
    after = unescape(client.get(url).get_data(as_text=True))
    assert "Зразкова відповідь" in after and "Знайдено:" in after
    # The answer itself is in the feedback, beside what was found in it.
    feedback = after[after.index('<section class="feedback'):]
    feedback = feedback[:feedback.index("</section>")]
    assert f"Ви написали:</strong> {model}" in feedback
    assert feedback.index("Ви написали:") < feedback.index("Знайдено:")
    with app.app_context():
        step = db.session.scalar(select(Step).where(Step.node_id == node))
        assert step.free_text == model
        assert step.rubric_result["outcome"] == step.choice_id and step.rubric_result["expected_found"]


def test_an_empty_written_answer_is_refused_with_a_message(app, client, auth):
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    url = _start(client)
    _walk_to_free_text(client, url, compiled)
    response = _post(client, url, text="   ")
    assert response.status_code == 422
    assert "Спершу напишіть відповідь" in unescape(response.get_data(as_text=True))


def test_a_forged_choice_at_a_free_text_node_is_refused(app, client, auth):
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    url = _start(client)
    node = _walk_to_free_text(client, url, compiled)
    best = compiled.scenario.nodes[node].choices[0].id
    assert _post(client, url, choice=best).status_code == 422  # no text: the rubric decides, not the form


def test_debrief_credits_the_elements_of_the_written_answer(app, client, auth):
    from trainer.extensions import db
    from trainer.models import Attempt
    from trainer.scenario.engine import PlayState
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    url = _start(client)
    node = _walk_to_free_text(client, url, compiled)
    _post(client, url, text=compiled.scenario.nodes[node].free_text.model_answer.uk)
    best = dict(compiled.analysis.recommended_path)
    attempt_id = int(url.rsplit("/", 1)[1])
    for _ in range(40):
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            if attempt.status == "finished":
                break
            current = PlayState.from_dict(attempt.state).node
        choice = best.get(current) or compiled.scenario.nodes[current].choices[0].id
        assert _post(client, url, choice=choice).status_code == 302
    page = unescape(client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True))
    assert "У вашій письмовій відповіді:" in page


def test_the_rubric_speaks_the_language_switched_to_after_answering(app, client, auth):
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    url = _start(client)
    node = _walk_to_free_text(client, url, compiled)
    free_text = compiled.scenario.nodes[node].free_text
    assert _post(client, url, text=free_text.model_answer.uk).status_code == 302
    client.post("/account/language", data={"locale": "en", "csrf_token": csrf_token(
        client.get("/account/language").get_data(as_text=True))})
    html = client.get(url).get_data(as_text=True)
    page = unescape(html)
    feedback = page[page.index("What your answer contained"):page.index("</blockquote>")]
    assert "A model answer" in feedback and free_text.model_answer.en.strip()[:40] in feedback
    assert free_text.model_answer.uk.strip()[:40] not in feedback
    for element in free_text.elements:
        assert element.label.uk not in feedback
    assert any(element.label.en in feedback for element in free_text.elements)


def test_a_written_answer_is_measured_as_the_browser_measures_it(app, client, auth):
    from trainer.extensions import db
    from trainer.models import Step
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    url = _start(client)
    node = _walk_to_free_text(client, url, compiled)
    too_long = _post(client, url, text="а" * 2001)
    assert too_long.status_code == 422
    assert "Відповідь має містити не більше 2000 символів." in unescape(too_long.get_data(as_text=True))
    typed = "\n".join(["Вам не треба вибачатися."] * 90)[:1990]  # what the browser counts for maxlength
    assert typed.count("\n") > 40
    answered = _post(client, url, text=typed.replace("\n", "\r\n"))  # sent with CRLF: over 2000
    assert answered.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Step.free_text).where(Step.node_id == node)) == typed


def test_the_feedback_says_when_the_right_verb_was_said_of_the_client(app, client, auth):
    """«Подзвоніть їй» leaves the call to her: the warm handover is missing, and the page
    says which words came close and why they did not count."""
    auth.login()
    scenario = "referral-outside-competence"
    compiled = app.extensions["trainer_registry"].latest(scenario)
    url = _start(client, scenario)
    _walk_to_free_text(client, url, compiled)
    assert _post(client, url, text="Вам у ЦНАП на Незалежності, 8. Подзвоніть їй заздалегідь.").status_code == 302
    page = unescape(client.get(url).get_data(as_text=True))
    feedback = page[page.index('<section class="feedback'):]
    feedback = feedback[:feedback.index("</section>")]
    label = feedback.index("Передає «з рук у руки»")
    missing = feedback[feedback.rindex("<li", 0, label):]
    missing = missing[:missing.index("</li>")]
    assert "Бракує:" in missing
    assert "У відповіді є «Подзвоніть», але тут важить, хто саме це робить." in missing
    assert feedback.count("хто саме це робить") == 1
    # The debrief says it again beside the same element, once the conversation is over.
    for _ in range(20):
        response = client.get(url)
        if response.status_code != 200:  # a finished attempt's page leads to its debrief
            break
        choice = re.search(r'name="choice" required type="radio" value="([^"]+)"', response.get_data(as_text=True))
        assert choice, "the rest of the path should be choices"
        assert _post(client, url, choice=choice.group(1)).status_code == 302
    debrief = unescape(client.get(url + "/debrief").get_data(as_text=True))
    assert "У відповіді є «Подзвоніть», але тут важить, хто саме це робить." in debrief
