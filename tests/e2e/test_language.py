"""The language a visitor picks on the login page, in the browser (English review, finding 2):
it stays after logging in, over the account's, and the way back is named in both languages."""
from __future__ import annotations

from .helpers import normalized


def test_english_picked_on_the_login_page_stays_after_logging_in_and_can_be_saved(page, live_server):
    username = live_server.make_user("trainee", locale="uk")  # an admin saved Ukrainian
    page.goto(live_server.path("auth.login"))
    with page.expect_navigation():
        page.click(".visitor-language button[lang=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    page.fill("#username", username)
    page.fill("#password", username)
    with page.expect_navigation():
        page.press("#password", "Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    note = normalized(page.inner_text(".flashes"))
    assert "You picked this language on the login page" in note and "is Ukrainian" in note
    # The header's link is named in both languages, each part in its own language.
    link = page.locator(".site-header .account a").first
    assert normalized(link.inner_text()) == "Language · Мова"
    assert link.locator("span[lang=uk]").inner_text() == "Мова"
    with page.expect_navigation():
        page.get_by_role("link", name="Save this language in my account").click()
    assert page.locator("input[value=en]").is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Language saved." in page.inner_text(".flashes")
    # Saved: after logging out (the login page speaks the default again) and back in, English.
    with page.expect_navigation():
        page.click(".site-header .account button")
    assert page.locator("html").get_attribute("lang") == "uk"
    page.fill("#username", username)
    page.fill("#password", username)
    with page.expect_navigation():
        page.press("#password", "Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".flashes").count() == 0
