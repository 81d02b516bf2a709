"""A dismissive written answer: the play page names the brush-off, in the reader's language."""
from __future__ import annotations

from html import unescape

from tests.conftest import csrf_token
from tests.test_free_text_views import SCENARIO, _post, _start, _walk_to_free_text
from trainer.scenario.polarity import DISMISSIVE_TEXT


def _feedback(client, url) -> str:
    page = unescape(client.get(url).get_data(as_text=True))
    return " ".join(page[page.index('class="rubric"'):page.index("</blockquote>")].split())


def test_a_dismissive_answer_is_named_and_follows_the_language(app, client, auth):
    auth.login()
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    url = _start(client)
    _walk_to_free_text(client, url, compiled)
    assert _post(client, url, text="Мені байдуже, що вам важко.").status_code == 302
    feedback = _feedback(client, url)
    assert "Краще уникати, але знайдено:" in feedback
    assert DISMISSIVE_TEXT["label"]["uk"] in feedback and DISMISSIVE_TEXT["feedback"]["uk"][:40] in feedback
    assert "Бракує:</strong> Називає її почуття" in feedback  # the named feeling was waved away
    client.post("/account/language", data={"locale": "en", "csrf_token": csrf_token(
        client.get("/account/language").get_data(as_text=True))})
    english = _feedback(client, url)
    assert DISMISSIVE_TEXT["label"]["en"] in english and DISMISSIVE_TEXT["label"]["uk"] not in english
