"""axe-core on every kind of page: no serious or critical violations; every page reflows at 320 px.

To check a new page, add one ``PageKind`` to ``PAGES``: who looks at it and how they get
there (a path, or a function that gets there the way a person would).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from .helpers import (assert_focus_visible, assert_reflows, axe_check, last_option, login, normalized, play_through,
                      recommended, sign_in, start_scenario, tab_to, translate)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .server import LiveServer

SCENARIO = "crying-client"
Opener = Callable[["Page", "LiveServer"], None]


@dataclass(frozen=True)
class PageKind:
    name: str
    role: str | None  # who is logged in; None: nobody
    open: Opener
    # The language the page must declare; None for werkzeug's plain error pages, which are
    # English whatever the user chose and only need to declare some language.
    lang: str | None = "uk"


def visit(endpoint: str, status: int = 200, query: str = "", **values) -> Opener:
    """Open the page at ``endpoint`` and check the status it answers with."""
    def _open(page: Page, server: LiveServer) -> None:
        response = page.goto(server.path(endpoint, **values) + query)
        assert response is not None and response.status == status, (endpoint, response and response.status)
    return _open


def visit_path(path: str, status: int) -> Opener:
    def _open(page: Page, server: LiveServer) -> None:
        response = page.goto(path)
        assert response is not None and response.status == status, (path, response and response.status)
    return _open


def failed_login(page: Page, server: LiveServer) -> None:
    page.goto(server.path("auth.login"))
    page.fill("#username", "nobody")
    page.fill("#password", "wrong")
    with page.expect_navigation():
        page.press("#password", "Enter")
    assert page.locator(".flash").count() == 1


def refused_password(page: Page, server: LiveServer) -> None:
    """The password page after a refusal: errors beside two of the fields."""
    page.goto(server.path("auth.password"))
    page.fill("#current", "not the password")
    page.fill("#new", "qwerty")
    page.fill("#repeat", "qwerty")
    with page.expect_navigation():
        page.press("#repeat", "Enter")
    assert page.locator("p.error").count() == 2


def mid_scenario(page: Page, server: LiveServer) -> None:
    """The play page after one answer: feedback, history and the next decision."""
    start_scenario(page, server, SCENARIO)
    play_through(page, server, recommended, steps=1, check_live=False)
    assert "/debrief" not in page.url, "the scenario ended after one answer"


def written_answer(page: Page, server: LiveServer) -> None:
    """The play page where the client's words ask for a written answer."""
    start_scenario(page, server, SCENARIO)
    while not page.locator("form.answer textarea").count():
        assert play_through(page, server, recommended, steps=1, check_live=False) == 1
        assert "/debrief" not in page.url, f"{SCENARIO}'s recommended path asks for no written answer"


def debrief(page: Page, server: LiveServer) -> None:
    """A debrief with missed answers (the last option each time)."""
    start_scenario(page, server, SCENARIO)
    play_through(page, server, last_option, check_live=False)
    assert "/debrief" in page.url


def cohort_page(endpoint: str) -> Opener:
    """A page of a fresh cohort with one trainee, seen by an admin (who sees every cohort)."""
    def _open(page: Page, server: LiveServer) -> None:
        cohort = server.make_cohort(None, [server.make_user("trainee")])
        response = page.goto(server.path(endpoint, cohort_id=cohort))
        assert response is not None and response.status == 200, (endpoint, response and response.status)
    return _open


def trainee_profile(page: Page, server: LiveServer) -> None:
    """A trainee's profile as an admin sees it (the radar, the competency and attempt tables)."""
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import User

    name = server.make_user("trainee")
    with server.app.app_context():
        user_id = db.session.execute(select(User.id).where(User.username == name)).scalar_one()
    response = page.goto(server.path("team.trainee", user_id=user_id))
    assert response is not None and response.status == 200, response and response.status


def _user_id(server: LiveServer, name: str) -> int:
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import User

    with server.app.app_context():
        return db.session.execute(select(User.id).where(User.username == name)).scalar_one()


def assignment_page(endpoint: str) -> Opener:
    """A page of an assessment given to a fresh cohort (its own page, editing, cancelling)."""
    def _open(page: Page, server: LiveServer) -> None:
        from trainer.extensions import db
        from trainer.models import Assignment

        cohort = server.make_cohort(None, [server.make_user("trainee")])
        with server.app.app_context():
            assignment = Assignment(scenario_id=SCENARIO, cohort_id=cohort, mode="assessment", time_limit=60,
                                    note="Перед співбесідою", created_by=_user_id(server, server.make_user("admin")))
            db.session.add(assignment)
            db.session.commit()
            assignment_id = assignment.id
        response = page.goto(server.path(endpoint, assignment_id=assignment_id))
        assert response is not None and response.status == 200, (endpoint, response and response.status)
    return _open


def assignment_intro(page: Page, server: LiveServer) -> None:
    """What «Start» on My assignments opens: the scenario's introduction with its content
    note and what the assessment asks (mode, time limit, note), before anything starts.

    The assignment is a fresh trainee's own, so that trainee logs in here.
    """
    from trainer.extensions import db
    from trainer.models import Assignment

    trainee = server.make_user("trainee")
    with server.app.app_context():
        assignment = Assignment(scenario_id=SCENARIO, user_id=_user_id(server, trainee), mode="assessment",
                                time_limit=60, note="Перед співбесідою",
                                created_by=_user_id(server, server.make_user("supervisor")))
        db.session.add(assignment)
        db.session.commit()
        assignment_id = assignment.id
    page.context.clear_cookies()  # out of the shared trainee's session, into this one's
    login(page, trainee)
    response = page.goto(server.path("play.assignment_intro", assignment_id=assignment_id))
    assert response is not None and response.status == 200, response and response.status
    assert page.locator(f"form[action$='/assignments/{assignment_id}/start']").count()


def admin_user(page: Page, server: LiveServer) -> None:
    """An account's page as an admin sees it: details, role, blocking."""
    response = page.goto(server.path("admin.edit_user", user_id=_user_id(server, server.make_user("trainee"))))
    assert response is not None and response.status == 200, response and response.status


def remove_member(page: Page, server: LiveServer) -> None:
    """The question before a member leaves a cohort."""
    trainee = server.make_user("trainee")
    cohort = server.make_cohort(None, [trainee])
    response = page.goto(server.path("admin.remove_member", cohort_id=cohort, user_id=_user_id(server, trainee)))
    assert response is not None and response.status == 200, response and response.status


def home_with_unfinished(page: Page, server: LiveServer) -> None:
    """The home page while an attempt waits to be continued."""
    start_scenario(page, server, SCENARIO)
    page.goto(server.path("study.home"))
    assert page.locator("form[action*='/attempts/'], a[href*='/attempts/']").count()


def manual_from_conversation(page: Page, server: LiveServer) -> None:
    """A manual page opened from a conversation, with its way back."""
    start_scenario(page, server, SCENARIO)
    attempt_id = int(page.url.rstrip("/").split("/attempts/")[1].split("/")[0].split("?")[0])
    page.goto(server.path("manual.page", key="1.1", attempt=attempt_id))
    assert page.locator(f"a[href$='/attempts/{attempt_id}']").count()


PAGES = [
    PageKind("login", None, visit("auth.login")),
    PageKind("login-failed", None, failed_login),
    PageKind("catalogue", "trainee", visit("play.catalogue")),
    PageKind("scenario-intro", "trainee", visit("play.intro", scenario_id=SCENARIO)),
    PageKind("play", "trainee", mid_scenario),
    PageKind("play-en", "trainee", mid_scenario, lang="en"),
    # Played by the supervisor: an attempt of its own, apart from the trainee's above.
    PageKind("play-written", "supervisor", written_answer),
    PageKind("debrief", "trainee", debrief),
    PageKind("manual-index", "trainee", visit("manual.index")),
    PageKind("manual-page", "trainee", visit("manual.page", key="1.1")),
    PageKind("manual-page-en", "trainee", visit("manual.page", key="1.1"), lang="en"),
    PageKind("manual-glossary", "trainee", visit("manual.page", key="glossary")),  # its list of terms
    PageKind("manual-search", "trainee", visit("manual.search", query="?q=плаче")),
    # No page has both words: the results for either, labelled so, and what to try instead.
    PageKind("manual-search-any-word", "trainee", visit("manual.search", query="?q=плаче+зовсімнеіснуючеслово")),
    PageKind("manual-coverage", "supervisor", visit("manual.coverage")),
    PageKind("admin-scenarios", "admin", visit("admin.scenarios")),
    PageKind("language", "trainee", visit("auth.language")),
    PageKind("password", "trainee", visit("auth.password")),
    PageKind("password-refused", "trainee", refused_password),
    PageKind("not-found", "trainee", visit_path("/no-such-page", 404)),
    PageKind("forbidden", "trainee", visit("admin.scenarios", status=403)),
    PageKind("home", "trainee", visit("study.home")),
    PageKind("history", "trainee", visit("study.history")),
    PageKind("assignments", "trainee", visit("play.assignments")),
    PageKind("assignment-intro", "trainee", assignment_intro),
    PageKind("my-profile", "trainee", visit("team.my_profile")),
    PageKind("feedback-mine", "trainee", visit("feedback.mine")),
    PageKind("feedback-index", "admin", visit("feedback.index")),
    PageKind("team-index", "supervisor", visit("team.index")),
    PageKind("team-reviews", "supervisor", visit("team.review_queue")),
    PageKind("team-dashboard", "admin", cohort_page("team.dashboard")),
    PageKind("team-assign", "admin", cohort_page("team.assign")),
    PageKind("team-trainee", "admin", trainee_profile),
    PageKind("team-scenario", "admin", visit("team.scenario_analytics", scenario_id=SCENARIO)),
    PageKind("admin-users", "admin", visit("admin.users")),
    PageKind("admin-user-new", "admin", visit("admin.new_user")),
    PageKind("admin-import", "admin", visit("admin.import_users")),
    PageKind("admin-cohorts", "admin", visit("admin.cohorts")),
    PageKind("admin-cohort", "admin", cohort_page("admin.cohort")),
    PageKind("admin-user", "admin", admin_user),
    PageKind("admin-remove-member", "admin", remove_member),
    PageKind("team-assignment", "admin", assignment_page("team.assignment")),
    PageKind("team-assignment-edit", "admin", assignment_page("team.edit_assignment")),
    PageKind("team-assignment-cancel", "admin", assignment_page("team.cancel_assignment")),
    PageKind("home-unfinished", "trainee", home_with_unfinished),
    PageKind("manual-from-conversation", "trainee", manual_from_conversation),
]


@pytest.mark.parametrize("kind", PAGES, ids=lambda kind: kind.name)
def test_page_passes_axe_and_reflows(page, live_server, kind):
    if kind.role:
        sign_in(page, live_server, kind.role, kind.lang)
    kind.open(page, live_server)
    declared = page.get_attribute("html", "lang")
    assert declared == kind.lang if kind.lang else declared
    axe_check(page, kind.name)
    # The same page on a phone (or zoomed to 400 %): no sideways scrolling, and what does
    # scroll there (a wide table) must still be reachable with the keyboard.
    assert_reflows(page, kind.name)
    axe_check(page, f"{kind.name}-320px")


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_a_phone_shows_a_compact_header(page, live_server, lang):
    """At 360 px the header is the brand and a «Меню» button (self-study review, finding 10:
    with the search box, the account links and two rows of menus it took about 190 px of a
    375-px phone, so the client's next words began below the fold). The button, reached with
    Tab, opens the search box, the account's links (language and password on one line) and every menu; from
    600 px there is no button and everything shows as before."""
    sign_in(page, live_server, "supervisor", lang)  # the longest menus: learning and team
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.path("study.home"))
    height = page.eval_on_selector(".site-header", "header => header.getBoundingClientRect().height")
    assert height < 80, height
    folded = page.locator(".site-header nav a, .site-header .account a, .site-header .account button, #site-q")
    assert folded.count() == 13 and not any(item.is_visible() for item in folded.all())
    menu = page.locator(".site-menu > summary")
    assert normalized(menu.inner_text()) == translate(live_server, "Menu", lang)
    tab_to(page, "a.skip-link", limit=1)  # still the first stop, then the brand and the button
    tab_to(page, ".site-menu > summary", limit=2)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert all(item.is_visible() for item in folded.all())
    tops = page.eval_on_selector_all(".site-header .account > li", "items => items.map(i => i.getBoundingClientRect().top)")
    # The language and the password side by side; logging out, with the person's name, may go under them.
    assert len(tops) == 3 and abs(tops[0] - tops[1]) < 1 and tops[2] >= tops[0], tops
    axe_check(page, f"header-menu-open-{lang}")
    page.keyboard.press("Enter")  # closed again: from 600 px that makes no difference
    assert not folded.first.is_visible()
    page.set_viewport_size({"width": 600, "height": 740})
    assert not menu.is_visible() and all(item.is_visible() for item in folded.all())


def test_the_header_menu_opens_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740},
                                  java_script_enabled=False)
    try:
        tab = context.new_page()
        login(tab, live_server.make_user("trainee"))
        history = tab.locator(f".site-header nav a[href='{live_server.path('study.history')}']")
        assert not history.is_visible()
        tab.click(".site-menu > summary")
        assert history.is_visible() and tab.locator("#site-q").is_visible()
    finally:
        context.close()
