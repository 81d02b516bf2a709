"""A trainee's journey in a real browser, with the keyboard only after logging in."""
from __future__ import annotations

from .helpers import (activate, assert_focus_visible, heading, login, play_through, recommended,
                      start_scenario, tab_to, translate, use_skip_link)

# Its recommended path has a point that asks for a written answer, so typing is covered too.
SCENARIO = "crying-client"


def test_trainee_plays_a_scenario_by_keyboard_and_reads_the_manual(page, live_server, snap):
    compiled = live_server.registry.latest(SCENARIO)
    title = compiled.scenario.title.get("uk")
    login(page, live_server.make_user("trainee"))

    # The catalogue, reached from the main menu.
    use_skip_link(page)
    activate(page, f"nav a[href='{live_server.path('manual.index')}']")
    activate(page, f"nav a[href='{live_server.path('play.catalogue')}']")
    assert heading(page) == translate(live_server, "Scenarios")

    # The scenario's introduction, then the first step.
    use_skip_link(page)
    activate(page, f"main a[href='{live_server.path('play.intro', scenario_id=SCENARIO)}']")
    assert heading(page) == title
    activate(page, "form[action$='/start'] button.primary")
    assert heading(page) == title
    snap("play-first-step")

    written = []

    def on_step(n: int) -> None:
        if page.locator("form.answer textarea").count():
            written.append(n)
            snap("play-written-answer")
    answers = play_through(page, live_server, recommended, on_step=on_step)
    assert answers >= 3 and written, (answers, written)
    assert "/debrief" in page.url
    assert heading(page) == f"{translate(live_server, 'Debrief')}: {title}"
    assert "outcome-good" in (page.get_attribute("section.outcome", "class") or "")
    snap("debrief")

    # From the debrief's reading list to the manual page it names.
    tab_to(page, "section[aria-labelledby='read'] a[href^='/manual/']")
    assert_focus_visible(page)
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    # The link names the attempt too, so the manual page leads back to the debrief.
    number = href.removeprefix("/manual/").split("#")[0].split("?")[0]
    assert "?attempt=" in href
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/manual/{number}*")
    manual_page = live_server.registry.manual.page(number, "uk")
    assert heading(page) == f"{number}. {manual_page.title}"
    assert page.locator("a", has_text="Повернутися до розбору").count() >= 1


def test_resuming_keeps_the_keyboard_path(page, live_server):
    """Leaving mid-scenario and coming back lands on the same step, still playable by keys."""
    login(page, live_server.make_user("trainee"))
    start_scenario(page, live_server, SCENARIO)
    assert play_through(page, live_server, recommended, steps=1) == 1
    progress = page.get_attribute("progress", "value")
    page.goto(live_server.path("play.intro", scenario_id=SCENARIO))
    activate(page, "form[action$='/start'] button.primary")
    assert page.get_attribute("progress", "value") == progress
    assert play_through(page, live_server, recommended, steps=1) == 1


def test_after_an_answer_focus_starts_at_its_feedback_a_few_tabs_from_the_options(page, live_server):
    """The page loads anew after each answer; focus must not go back to the top of it."""
    login(page, live_server.make_user("trainee"))
    start_scenario(page, live_server, SCENARIO)
    assert play_through(page, live_server, recommended, steps=1) == 1
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('section.feedback')")
    presses = 0
    while not page.evaluate("() => document.activeElement.matches('form.answer input, form.answer textarea')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 6, "the options are more than six Tabs from the feedback"

