"""Temporary ad-hoc check of the survey by keyboard (deleted after the run)."""
from .helpers import axe_check, play_through, recommended, sign_in, start_scenario

def test_h6_survey(page, live_server):
    sign_in(page, live_server, "trainee", "uk")
    start_scenario(page, live_server, "feedback-request")
    play_through(page, live_server, recommended, check_live=False)
    page.focus("#usefulness-0")
    page.keyboard.press("ArrowRight"); page.keyboard.press("ArrowRight"); page.keyboard.press("ArrowRight")
    assert page.is_checked("#usefulness-3")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # realism: first radio checked by arrow
    page.locator("#survey").screenshot(path="/tmp/h6_survey.png")
    page.keyboard.press("Tab"); page.keyboard.type("Коментар")
    page.keyboard.press("Tab"); page.keyboard.press("Space")
    assert page.is_checked("#anonymous")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Ви надіслали анонімний відгук" in page.content()
    axe_check(page, "h6-survey-sent")
