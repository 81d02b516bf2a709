"""Every form that changes something is sent once, however often its button is pressed.

The server is made slow (each POST is held for a moment before it reaches it), so a second
press lands while the first request is on its way, as it does when an import hashes a
hundred passwords.
"""
from __future__ import annotations

import time

from .helpers import login, translate

HOLD_SECONDS = 1.0

# Press the form's button, wait, press it again; report what the page shows meanwhile.
PRESS_TWICE = """async (selector) => {
  const button = document.querySelector(selector);
  button.focus();
  button.click();
  await new Promise(resolve => setTimeout(resolve, 200));
  button.click();
  const status = document.querySelector("body > div.visually-hidden[role=status]");
  return {busy: button.form.getAttribute("aria-busy"), disabled: button.getAttribute("aria-disabled"),
          focused: document.activeElement === button, status: status ? status.textContent : null};
}"""


def _press_twice(page, url_glob: str, selector: str) -> tuple[list[str], dict]:
    """Press the button twice while the server is slow; every request body sent, and the
    state of the page between the presses."""
    sent: list[str] = []

    def slow_server(route):
        if route.request.method == "POST":
            sent.append(route.request.post_data or "")
            time.sleep(HOLD_SECONDS)
        route.continue_()

    page.route(url_glob, slow_server)
    try:
        with page.expect_navigation():
            state = page.evaluate(PRESS_TWICE, selector)
    finally:
        page.unroute(url_glob)
    return sent, state


def test_a_second_press_is_held_back_and_the_pressed_buttons_value_is_sent(page, live_server):
    page.goto(live_server.path("auth.login"))
    sent, state = _press_twice(page, "**/language", ".visitor-language button")
    assert len(sent) == 1, sent
    assert "locale=en" in sent[0]  # the pressed button's name and value travel with the form
    # Busy, announced, and the button keeps the keyboard focus (it is not disabled).
    assert state == {"busy": "true", "disabled": "true", "focused": True,
                     "status": translate(live_server, "Sending…")}
    assert page.locator("html").get_attribute("lang") == "en"


def test_import_pressed_twice_imports_once_and_shows_the_passwords(page, live_server):
    admin = live_server.make_user("admin")
    login(page, admin)
    page.goto(live_server.path("admin.import_users"))
    page.set_input_files("#file", files=[{"name": "team.csv", "mimeType": "text/csv",
                                          "buffer": b"username,role\ne2e.twice.a,trainee\ne2e.twice.b,trainee\n"}])
    with page.expect_navigation():
        page.get_by_role("button", name=translate(live_server, "Check the file")).click()
    sent, _state = _press_twice(page, "**/admin/users/import", "form input[name=confirm] ~ button")
    assert len(sent) == 1 and "confirm=1" in sent[0]
    assert page.inner_text("h2").strip() == translate(live_server, "Imported")
    assert page.locator("main code").count() == 2  # both generated passwords, shown once
