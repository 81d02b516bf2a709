"""Every form that changes something is sent once, however often its button is pressed; a
text area with a limit counts its characters.

The server is made slow (each POST is held for a moment before it reaches it), so a second
press lands while the first request is on its way, as it does when an import hashes a
hundred passwords.
"""
from __future__ import annotations

import time

from .helpers import login, play_through, recommended, sign_in, start_scenario, translate

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


# A text area's counter (robustness review, finding 9): what the page shows and says.
COUNTER = """(id) => {
  const area = document.getElementById(id);
  const ids = (area.getAttribute("aria-describedby") || "").split(" ");
  const count = document.getElementById(id + "-count");
  const live = count && count.nextElementSibling;
  return {described: ids, count: count ? count.textContent : null,
          live: live ? live.textContent : null, role: live ? live.getAttribute("role") : null,
          format: [0, 100, 1900, 2000].map(n => new Intl.NumberFormat(document.documentElement.lang).format(n))};
}"""


def test_a_text_area_with_a_limit_counts_and_speaks_only_near_it(page, live_server):
    sign_in(page, live_server, "admin")
    page.goto(live_server.path("admin.cohorts"))
    state = page.evaluate(COUNTER, "description")
    zero, hundred, nineteen_hundred, limit = state["format"]
    # The limit is said without the script too (the hint), and the count is part of the description.
    assert state["described"] == ["description-hint", "description-count"]
    assert page.inner_text("#description-hint").strip() == "До 2000 символів."
    assert state["count"] == f"{zero} / {limit}" and state["live"] == "" and state["role"] == "status"
    page.fill("#description", "а" * 1500)
    state = page.evaluate(COUNTER, "description")
    assert state["live"] == ""  # far from the limit: nothing is announced
    page.fill("#description", "а" * 1900)
    state = page.evaluate(COUNTER, "description")
    assert state["count"] == f"{nineteen_hundred} / {limit}"
    assert state["live"] == f"Залишилося символів: {hundred}"
    page.fill("#description", "а" * 10)
    assert page.evaluate(COUNTER, "description")["live"] == ""


def test_the_written_answers_counter_counts_a_draft_put_back(page, live_server):
    """play.js puts a kept draft back without an input event; the count must include it."""
    login(page, live_server.make_user("trainee"))
    start_scenario(page, live_server, "crying-client")  # its recommended path asks for a written answer
    while not page.locator("form.answer textarea").count():
        assert play_through(page, live_server, recommended, steps=1, check_live=False) == 1
    page.click("form.answer textarea")
    page.keyboard.type("Я вас чую.")
    assert page.evaluate(COUNTER, "text")["count"].startswith("10 / ")
    page.goto(page.url)  # a new load: the box comes back empty and play.js refills it
    assert page.input_value("#text") == "Я вас чую."
    state = page.evaluate(COUNTER, "text")
    assert state["count"] == f"10 / {state['format'][3]}" and "text-count" in state["described"]
