"""Choosing "no hints" on a scenario's introduction with the keyboard only."""
from __future__ import annotations

from .helpers import (answer_with_keyboard, assert_focus_visible, login, press_and_wait, recommended, tab_to,
                      translate, use_skip_link)

SCENARIO = "example-queue"


def test_no_hints_is_chosen_by_keyboard_and_hides_the_feedback_box(page, live_server):
    login(page, live_server.make_user("trainee"))
    page.goto(live_server.path("play.intro", scenario_id=SCENARIO))
    use_skip_link(page)
    tab_to(page, "form[action$='/start'] input[type=checkbox][name=feedback_at_end]")
    assert_focus_visible(page)
    box = page.locator("input[name=feedback_at_end]")
    assert not box.is_checked()
    page.keyboard.press("Space")
    assert box.is_checked()
    # Its label names it for assistive technology.
    assert page.get_by_label(translate(live_server, "No hints: feedback only at the end")).is_checked()
    tab_to(page, "form[action$='/start'] button.primary", limit=3)
    assert_focus_visible(page)
    press_and_wait(page)
    assert "/attempts/" in page.url, page.url
    assert page.locator("p.mode-note").inner_text() == translate(
        live_server, "No hints: you will see feedback and scores at the end.")
    compiled = live_server.registry.latest(SCENARIO)
    ids = page.eval_on_selector_all("form.answer input[name=choice]", "els => els.map(e => e.value)")
    answer_with_keyboard(page, recommended([compiled.choices[i][1] for i in ids]), len(ids))
    assert "/attempts/" in page.url and "/debrief" not in page.url
    assert page.locator("section.feedback").count() == 0
