"""A new colleague's first login in a browser: an admin adds the account and passes on the
generated password; the colleague logs in with it, is asked for a password of their own
before anything else, chooses one with the keyboard, and lands where they were going. The
admin's page then shows the password as chosen."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .artifacts import artifact_path
from .helpers import assert_focus_visible, heading, login, sign_in, tab_to

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHOSEN = "лелеки повертаються навесні"


def _type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    assert_focus_visible(page)
    page.keyboard.type(text)


def test_a_new_colleague_replaces_the_password_an_admin_gave_them(page, live_server, browser, snap):
    sign_in(page, live_server, "admin")
    page.goto(live_server.path("admin.new_user"))
    page.fill("#username", "o.tkachenko")
    page.fill("#display_name", "Оксана Ткаченко")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    shown = page.locator(".flash").inner_text()
    password = re.search(r"\(показано лише зараз\): (\S+)", shown).group(1)

    context = browser.new_context(base_url=live_server.url)
    try:
        colleague = context.new_page()
        colleague.goto(live_server.path("play.catalogue"))  # a link someone sent them
        colleague.fill("#username", "o.tkachenko")
        colleague.fill("#password", password)
        with colleague.expect_navigation():
            colleague.press("#password", "Enter")
        assert colleague.url.endswith("/account/password?next=/scenarios")
        assert heading(colleague) == "Ваш пароль"
        assert "установив адміністратор центру" in colleague.locator("main").inner_text()
        _type_into(colleague, "#current", password)
        _type_into(colleague, "#new", CHOSEN)
        _type_into(colleague, "#repeat", CHOSEN)
        with colleague.expect_navigation():
            colleague.keyboard.press("Enter")
        assert colleague.url.endswith("/scenarios")
        assert "Ваш власний пароль збережено: відтепер входьте з ним." in colleague.locator(".flash").inner_text()
        colleague.screenshot(path=str(artifact_path("test_password-first-login-done")), full_page=True)
    finally:
        context.close()

    page.goto(live_server.path("admin.users"))
    with page.expect_navigation():
        page.locator("main a", has_text="o.tkachenko").first.click()
    assert "ще не обрала власного пароля" not in page.locator("main").inner_text()
    snap("admin-after")


def test_the_chosen_password_is_the_one_that_logs_in(page, live_server):
    """After choosing one, the old password no longer opens the account."""
    name = live_server.make_user("trainee")
    login(page, name)
    page.goto(live_server.path("auth.password"))
    _type_into(page, "#current", name)
    _type_into(page, "#new", CHOSEN)
    _type_into(page, "#repeat", CHOSEN)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.context.clear_cookies()
    page.goto("/login")
    page.fill("#username", name)
    page.fill("#password", name)
    with page.expect_navigation():
        page.press("#password", "Enter")
    assert "/login" in page.url
    login(page, name, CHOSEN)
