"""A written answer being typed survives a visit to the manual through its "back" link.

The feedback above the text box links to the manual, and the manual page's "Back to the
conversation" link loads the play page anew: the browser does not refill the box then, as it
does on Back, so play.js keeps the draft (trainer/static/play.js).
"""
from __future__ import annotations

import re

from .helpers import login, play_through, recommended, start_scenario, translate

SCENARIO = "crying-client"  # its recommended path asks for a written answer
DRAFTS = "() => Object.keys(sessionStorage).filter(k => k.startsWith('draft:'))"


def _to_the_written_answer(page, live_server) -> str:
    """Play the recommended answers up to the first written one; the play page's URL."""
    start_scenario(page, live_server, SCENARIO)
    while not page.locator("form.answer textarea").count():
        assert play_through(page, live_server, recommended, steps=1, check_live=False) == 1
    return page.url


def test_a_draft_comes_back_after_the_manuals_back_link_and_goes_once_sent(page, live_server):
    login(page, live_server.make_user("trainee"))
    url = _to_the_written_answer(page, live_server)
    attempt_id = int(re.search(r"/attempts/(\d+)", url).group(1))
    draft = "Я вас чую, і ви мене нічим не затримуєте."
    page.click("form.answer textarea")
    page.keyboard.type(draft)

    # To a manual page named by the conversation, and back by its own link (a new page load).
    page.goto(live_server.path("manual.page", key="5.2.3", attempt=attempt_id))
    back = page.get_by_role("link", name=translate(live_server, "Back to the conversation")).first
    with page.expect_navigation():
        back.click()
    assert page.url.split("#")[0] == url.split("#")[0]
    assert page.input_value("form.answer textarea") == draft

    # Sent: the draft is gone, so the next written step starts empty.
    with page.expect_navigation():
        page.click("form.answer button[type=submit]")
    assert page.evaluate(DRAFTS) == []


def test_a_draft_is_kept_per_attempt_and_step(page, live_server):
    login(page, live_server.make_user("trainee"))
    url = _to_the_written_answer(page, live_server)
    page.click("form.answer textarea")
    page.keyboard.type("перша чернетка")
    [key] = page.evaluate(DRAFTS)
    step = page.get_attribute("form.answer input[name=step]", "value")
    assert key == f"draft:{url.split('#')[0].removeprefix(live_server.url)}/answer:{step}"
    assert page.evaluate("k => sessionStorage.getItem(k)", key) == "перша чернетка"
    page.goto(url)  # a new load of the same step: the box is empty, so the draft is put back
    assert page.input_value("form.answer textarea") == "перша чернетка"
