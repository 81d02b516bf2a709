"""Shared steps for browser journeys: log in, move with the keyboard, play, run axe.

A new journey should read as a short list of these steps. Everything after the login is
done with the keyboard (Tab, Shift+Tab, Enter, Space, arrow keys): a journey that works
this way works for people who cannot use a mouse.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from .artifacts import artifact_path

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from trainer.scenario.model import Choice

    from .server import LiveServer

BLOCKING_IMPACTS = ("serious", "critical")
MAX_TABS = 150


# -- logging in and reading the page ------------------------------------------------------

def login(page: Page, username: str, password: str | None = None) -> None:
    """Log in through the form (the one step allowed to fill fields directly)."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password or username)
    with page.expect_navigation() as navigation:
        page.press("#password", "Enter")
    assert navigation.value is None or navigation.value.ok, f"login answered {navigation.value.status}"
    assert "/login" not in page.url, f"login as {username} failed: still on {page.url}"


_SESSIONS: dict[tuple[str, str, str | None], list] = {}


def sign_in(page: Page, server: LiveServer, role: str, lang: str | None = None) -> None:
    """Be logged in as the shared user of ``role`` (and language) for this run.

    The first call logs in through the form; later ones reuse its session cookie, which
    saves a login per page checked. Tests that need a user of their own call ``login``.
    """
    key = (server.url, role, lang)
    if key not in _SESSIONS:
        login(page, server.make_user(role, locale=lang))
        _SESSIONS[key] = page.context.cookies()
    else:
        page.context.add_cookies(_SESSIONS[key])


def translate(server: LiveServer, msgid: str, lang: str = "uk") -> str:
    """An interface string as the app shows it in ``lang``."""
    from flask_babel import force_locale, gettext

    with server.app.test_request_context(), force_locale(lang):
        return gettext(msgid)


def heading(page: Page) -> str:
    return page.inner_text("h1").strip()


def normalized(text: str) -> str:
    return " ".join(text.split())


# -- keyboard -----------------------------------------------------------------------------

def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def describe_focus(page: Page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return e ? e.outerHTML.slice(0, 160) : 'nothing'; }""")


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = MAX_TABS) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``; return the presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return presses
    raise AssertionError(f"{selector!r} never got focus in {limit} presses of {key}")


def press_and_wait(page: Page, key: str = "Enter") -> None:
    """Press ``key`` on the focused element and wait for the page it opens, which must load."""
    with page.expect_navigation() as navigation:
        page.keyboard.press(key)
    response = navigation.value
    assert response is None or response.ok, f"{key} led to {response.status} at {response.url}"


def activate(page: Page, selector: str) -> None:
    """Reach ``selector`` with Tab, check its focus is visible, and press Enter on it."""
    tab_to(page, selector)
    assert_focus_visible(page)
    press_and_wait(page)


def assert_focus_visible(page: Page) -> None:
    """The focused element shows a focus indicator (an outline or a ring)."""
    style = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {visible: e.matches(':focus-visible'), outline: s.outlineStyle,
                width: parseFloat(s.outlineWidth) || 0, shadow: s.boxShadow}; }""")
    where = describe_focus(page)
    assert style["visible"], f"focus is not :focus-visible on {where}"
    has_outline = style["outline"] != "none" and style["width"] > 0
    assert has_outline or style["shadow"] != "none", f"no visible focus indicator on {where}: {style}"


def use_skip_link(page: Page) -> None:
    """The skip link is the first thing Tab reaches, shows on focus and moves focus to main."""
    page.keyboard.press("Tab")
    assert focused_matches(page, "a.skip-link[href='#main']"), \
        f"the first tabbable element is not the skip link but {describe_focus(page)}"
    assert_focus_visible(page)
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"the focused skip link is off screen: {box}"
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main"), f"the skip link moved focus to {describe_focus(page)}"


# -- playing ------------------------------------------------------------------------------

Pick = Callable[[Sequence["Choice"]], int]


def recommended(choices: Sequence[Choice]) -> int:
    """The first recommended option (every decision has one)."""
    return next(i for i, c in enumerate(choices) if c.rating == "recommended")


def last_option(choices: Sequence[Choice]) -> int:
    return len(choices) - 1


def live_client_text(page: Page) -> str:
    """What the live region announces once play.js has copied the client's words into it."""
    live = page.locator("#client-live")
    assert live.get_attribute("aria-live") == "polite"
    page.wait_for_function("() => document.getElementById('client-live').textContent.trim() !== ''")
    return normalized(live.text_content() or "")


def assert_live_region_has_latest_line(page: Page) -> None:
    announced = live_client_text(page)
    current = normalized(page.locator("#client-current").text_content() or "")
    assert announced == current, f"live region {announced!r} differs from the client's words {current!r}"
    lines = page.locator("#client-current p").all_text_contents()
    assert lines, "the client says and does nothing at this step"
    assert normalized(lines[-1]) in announced, f"latest client line {lines[-1]!r} not announced"


def _submit_answer(page: Page) -> None:
    # The Answer button is the next stop after the options or the text box.
    assert tab_to(page, "form.answer button[type=submit]", limit=1) == 1, describe_focus(page)
    assert_focus_visible(page)
    press_and_wait(page)


def start_from_focus(page: Page) -> None:
    """After an answer play.js puts focus on its feedback, a few Tabs from the options; with no
    feedback to read (a first step, no hints, an assessment) just before the options or on the
    text box, without scrolling the client's words away. After a refused answer the keyboard
    path starts at the skip link."""
    if page.locator("form.answer .error").count():
        use_skip_link(page)
    elif page.locator("section.feedback").count():
        assert focused_matches(page, "section.feedback"), describe_focus(page)
    else:
        assert focused_matches(page, "form.answer fieldset, form.answer textarea"), describe_focus(page)
        assert page.evaluate("() => window.scrollY") == 0, "focusing the options scrolled the page"
        assert_focus_visible(page)  # a bar beside the options: an outline would cross their question


def answer_with_keyboard(page: Page, index: int, count: int) -> None:
    """Choose option ``index`` of ``count`` with Tab, Space or arrow keys, then press Answer."""
    start_from_focus(page)
    presses = tab_to(page, "form.answer input[type=radio][name=choice]")
    if page.locator("section.feedback").count() == 0:
        assert presses == 1, f"{presses} Tabs from where focus started to the options"
    # Tab enters a group with nothing checked at its first option; arrows move and check.
    assert page.evaluate("() => document.activeElement === document.querySelector('form.answer input[name=choice]')"), \
        f"Tab entered the options at {describe_focus(page)}, not the first option"
    assert_focus_visible(page)
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    radios = page.locator("form.answer input[name=choice]")
    assert radios.count() == count
    assert radios.nth(index).is_checked(), f"option {index} is not checked after the keys"
    # Going back from the Answer button lands on the chosen option, not the first one.
    tab_to(page, "form.answer button[type=submit]", limit=1)
    tab_to(page, "form.answer input[name=choice]:checked", backwards=True, limit=1)
    _submit_answer(page)


def write_with_keyboard(page: Page, text: str) -> None:
    """Type a written answer into the answer form's text box, then press Answer."""
    start_from_focus(page)
    if not focused_matches(page, "form.answer textarea"):
        tab_to(page, "form.answer textarea")
    assert_focus_visible(page)
    page.keyboard.type(text)
    _submit_answer(page)


def play_through(page: Page, server: LiveServer, pick: Pick = recommended, *,
                 steps: int | None = None, on_step: Callable[[int], None] | None = None,
                 check_live: bool = True) -> int:
    """Answer decisions with the keyboard until the debrief (or ``steps`` answers).

    Options are chosen by ``pick``; a point that asks for a written answer gets the
    scenario's model answer. Before each answer the live region must announce the
    client's latest line (unless ``check_live`` is off: play.js fills it after a delay that
    a test only setting up a page need not wait for). Returns the number of answers given.
    """
    answered = 0
    while "/debrief" not in page.url and (steps is None or answered < steps):
        match = re.search(r"/attempts/(\d+)$", page.url.split("?")[0].split("#")[0])
        assert match, f"expected the play page, got {page.url}"
        compiled, node = server.position(int(match.group(1)))
        if check_live:
            assert_live_region_has_latest_line(page)
        if on_step:
            on_step(answered)
        if compiled.is_free_text(node):
            lang = page.get_attribute("html", "lang") or "uk"
            write_with_keyboard(page, compiled.scenario.nodes[node].free_text.model_answer.get(lang))
        else:
            ids = page.eval_on_selector_all("form.answer input[name=choice]", "els => els.map(e => e.value)")
            answer_with_keyboard(page, pick([compiled.choices[i][1] for i in ids]), len(ids))
        answered += 1
        assert answered <= 40, "the scenario does not end"
    return answered


def start_scenario(page: Page, server: LiveServer, scenario_id: str) -> None:
    """Open a scenario's introduction and start (or continue) it with the keyboard."""
    page.goto(server.path("play.intro", scenario_id=scenario_id))
    activate(page, "form[action$='/start'] button.primary")
    assert "/attempts/" in page.url, page.url


# -- accessibility --------------------------------------------------------------------------

@cache
def _axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
    return "\n".join(lines)


# Elements that stick out past the right edge of the window, leaving out those inside a box
# that scrolls or clips on its own (a wide table in its scroll region is allowed).
_STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let up = el.parentElement, contained = false;
    for (; up; up = up.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(up).overflowX)) { contained = true; break; }
    }
    if (!contained) found.push(`${el.tagName.toLowerCase()}.${el.className} to ${Math.round(box.right)} px: ${(el.textContent || "").trim().slice(0, 50)}`);
  }
  return {scroll: document.documentElement.scrollWidth, width, found: found.slice(0, 8)};
}"""


def assert_reflows(page: Page, name: str, width: int = 320) -> None:
    """At ``width`` CSS pixels (a phone, or 1280 px zoomed to 400 %) the page needs no sideways scrolling.

    WCAG 1.4.10: only a wide table or graph may scroll, inside its own focusable box.
    """
    page.set_viewport_size({"width": width, "height": 800})
    result = page.evaluate(_STICKING_OUT)
    if result["scroll"] > result["width"]:
        page.screenshot(path=str(artifact_path(f"reflow-{name}", ".png")), full_page=True)
    assert result["scroll"] <= result["width"], (
        f"{name} ({page.url}) is {result['scroll']} px wide at {width} px:\n" + "\n".join(result["found"]))


def axe_check(page: Page, name: str) -> Counter:
    """Run axe-core on the page; fail on serious or critical violations.

    Every result is kept in tests/artifacts/axe-<name>.json; returns the counts by impact.
    """
    results = _axe().run(page).response
    violations = results["violations"]
    counts = Counter(v["impact"] for v in violations)
    artifact_path(f"axe-{name}", ".json").write_text(json.dumps(
        {"page": name, "url": page.url, "axe": results.get("testEngine", {}).get("version"),
         "counts": counts, "violations": violations}, ensure_ascii=False, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe found serious or critical problems on {name} ({page.url}):\n" + \
        format_violations(blocking)
    return counts
