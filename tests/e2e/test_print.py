"""Pages printed (or saved as PDF) for a file or a supervision meeting: the page's own content,
with no menus or forms, folded boxes open, and tables at their whole width."""
from __future__ import annotations

from contextlib import contextmanager

from .helpers import login, play_through, recommended, start_scenario

SCENARIO = "busy-queue"

# A selector's elements: how many there are and how many are rendered (checkVisibility: not
# hidden, not inside a closed <details>).
_SHOWN = """selector => { const all = [...document.querySelectorAll(selector)];
  return [all.length, all.filter(e => e.checkVisibility()).length]; }"""


@contextmanager
def _on_paper(page, snap, name: str):
    """The page as printed, checked for what no printed page shows; the tab is back on
    screen afterwards (the next test shares it)."""
    page.emulate_media(media="print")
    try:
        assert page.evaluate(_SHOWN, ".site-menu")[1] == 0
        assert page.evaluate(_SHOWN, "main form")[1] == 0 and page.evaluate(_SHOWN, "main button")[1] == 0
        assert page.evaluate(_SHOWN, ".screen-only")[1] == 0
        # No scrolling box cuts a table short on paper.
        clipped = page.evaluate("""() => [...document.querySelectorAll('.table-scroll')]
          .filter(box => getComputedStyle(box).overflowX !== 'visible').length""")
        assert clipped == 0
        snap(f"print-{name}")
        assert page.pdf()[:5] == b"%PDF-"
        yield
    finally:
        page.emulate_media(media="screen")


def test_a_debrief_and_its_transcript_print_without_the_screens_controls(page, live_server, snap):
    supervisor = live_server.make_user("supervisor")
    trainee = live_server.make_user("trainee")
    live_server.make_cohort(supervisor, [trainee])
    login(page, trainee)
    start_scenario(page, live_server, SCENARIO)
    play_through(page, live_server, recommended, check_live=False)
    assert "/debrief" in page.url
    attempt = page.url.split("/attempts/")[1].split("/")[0]

    # On screen the decisions are folded and the self-rating form is offered.
    count, shown = page.evaluate(_SHOWN, ".debrief-steps details > :not(summary)")
    assert count > 0 and shown < count
    assert page.evaluate(_SHOWN, ".self-rating form")[1] == 1
    with _on_paper(page, snap, "debrief"):
        # Every decision is open; the invitation to rate is left out with its form.
        assert page.evaluate(_SHOWN, ".debrief-steps details > :not(summary)") == [count, count]
        assert page.evaluate(_SHOWN, ".self-rating")[1] == 0
    page.context.clear_cookies()

    login(page, supervisor)
    page.goto(live_server.path("team.attempt_transcript", attempt_id=int(attempt)))
    assert page.evaluate(_SHOWN, ".comment-form")[1] > 0  # on screen, a comment box per decision
    with _on_paper(page, snap, "transcript"):
        assert page.evaluate(_SHOWN, ".comment-form")[1] == 0
        # The ratings table stays; the form to add one's own does not.
        assert page.locator("#ratings ~ .table-scroll table").is_visible()
        assert not page.locator("form.ratings").is_visible()
