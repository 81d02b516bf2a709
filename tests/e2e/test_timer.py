"""An assessment's time limit on the play page: the time left stays in view while the
options are scrolled to, and the last 20 seconds are shown, not only announced; after
"More time" the keyboard starts just before the options (found by playing: the countdown
scrolled away, the warning was for screen readers only, and focus went back to the top)."""
from __future__ import annotations

import re

from .helpers import describe_focus, focused_matches, login, press_and_wait, tab_to, translate

SCENARIO = "crying-client"  # long enough to scroll on a phone


def _timed_assessment(server, trainee: str, seconds: int) -> int:
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Assignment, User

    with server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == trainee))
        assignment = Assignment(scenario_id=SCENARIO, user_id=user_id, mode="assessment", time_limit=seconds,
                                created_by=user_id)
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def test_the_time_left_stays_in_view_warns_visibly_and_more_time_keeps_the_keyboard_at_the_options(
        page, live_server):
    trainee = live_server.make_user("trainee")
    assignment_id = _timed_assessment(live_server, trainee, 20)
    page.set_viewport_size({"width": 375, "height": 700})  # the page fixture restores it
    login(page, trainee)
    page.goto(live_server.path("play.assignment_intro", assignment_id=assignment_id))
    page.locator("form[action$='/start'] button.primary").click()
    page.wait_for_url("**/attempts/*")
    timer = page.locator("section.timer")
    # 20 seconds from the start: within the warning, which shows on the box too.
    page.wait_for_function("() => document.querySelector('section.timer').classList.contains('timer-low')")
    page.locator("form.answer button[type=submit]").scroll_into_view_if_needed()
    assert page.evaluate("() => window.scrollY") > 0
    box = timer.bounding_box()
    assert box is not None and 0 <= box["y"] <= 1, f"the timer scrolled out of view: {box}"
    # The warning says the seconds actually left (the page may open with fewer than 20).
    warning = page.locator("#timer-live").text_content()
    assert re.match(r"^[^0-9]*(1?[0-9]|20) с\. Натисніть «Більше часу»", warning), warning
    # "More time" with the keyboard: the next page starts focus just before the options.
    tab_to(page, "section.timer button[value=extend]", backwards=True)
    press_and_wait(page)
    assert focused_matches(page, "form.answer fieldset, form.answer textarea"), describe_focus(page)
    assert not page.evaluate("() => document.querySelector('section.timer').classList.contains('timer-low')")


def test_the_note_that_more_time_was_given_goes_when_the_time_is_up(page, live_server):
    """Found by playing: «You have more time» stayed on screen beside «The time is up»."""
    trainee = live_server.make_user("trainee")
    assignment_id = _timed_assessment(live_server, trainee, 20)
    login(page, trainee)
    page.goto(live_server.path("play.assignment_intro", assignment_id=assignment_id))
    page.locator("form[action$='/start'] button.primary").click()
    page.wait_for_url("**/attempts/*")
    # The decision began 34 s ago: with the extension pressed now, 6 of its 40 s are left.
    _run_out(live_server, int(page.url.rsplit("/", 1)[1]), seconds=34)
    with page.expect_navigation():
        page.locator("section.timer button[value=extend]").click()
    extended = translate(live_server, "You have more time for this decision.")
    assert page.locator(".flashes .flash", has_text=extended).count() == 1
    page.wait_for_function("() => document.getElementById('timer-text').textContent === "
                           "document.querySelector('section.timer').dataset.upText", timeout=15000)
    assert page.locator(".flashes .flash", has_text=extended).count() == 0
    # Up, and still marked so after the page is loaded again.
    page.reload()
    assert "timer-low" in (page.locator("section.timer").get_attribute("class") or "")


def _run_out(server, attempt_id: int, seconds: int) -> None:
    """Move the decision on screen ``seconds`` into the past."""
    from datetime import timedelta

    from trainer.extensions import db
    from trainer.models import Attempt

    with server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.updated_at -= timedelta(seconds=seconds)
        db.session.commit()
