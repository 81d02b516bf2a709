"""The admin's people and cohort pages added after the admin review (findings 4-6, 9, 10, 21)
in a browser: axe-core finds nothing serious, each page reflows at 320 px, and a filter's
button lines up with the field it belongs to.

These pages are listed here rather than in test_accessibility.py's ``PAGES``; they could
move there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .helpers import assert_reflows, axe_check, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .server import LiveServer


def _user_id(server: LiveServer, name: str) -> int:
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import User

    with server.app.app_context():
        return db.session.execute(select(User.id).where(User.username == name)).scalar_one()


def _empty_cohort(server: LiveServer) -> int:
    return server.make_cohort(None, [])


def _account_in_a_cohort(server: LiveServer) -> str:
    name = server.make_user("trainee")
    server.make_cohort(None, [name])
    return server.path("admin.edit_user", user_id=_user_id(server, name))


def _account_with_history(server: LiveServer) -> str:
    """An account whose page lists a few things done to it (team/account_log.py)."""
    from trainer.extensions import db
    from trainer.models import User, utcnow
    from trainer.team import account_log

    user_id = _user_id(server, server.make_user("trainee"))
    with server.app.app_context():
        person = db.session.get(User, user_id)
        account_log.record(db.session, person, "created", None, utcnow(), role="trainee")
        account_log.record(db.session, person, "renamed", None, utcnow(), before="", after="Оксана Довгоназвана-Тимошенко")
        account_log.record(db.session, person, "password_chosen", person, utcnow())
        db.session.commit()
    return server.path("admin.edit_user", user_id=user_id)


def _open(page: Page, server: LiveServer, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)


PAGES = {
    # The confirmation before blocking an account.
    "admin-block-user": lambda s: s.path("admin.block_user", user_id=_user_id(s, s.make_user("trainee"))),
    # A cohort's name and description.
    "admin-cohort-edit": lambda s: s.path("admin.edit_cohort", cohort_id=s.make_cohort(None, [s.make_user("trainee")])),
    # Deleting: the question for an empty cohort, and why one with people stays.
    "admin-cohort-delete": lambda s: s.path("admin.delete_cohort", cohort_id=_empty_cohort(s)),
    "admin-cohort-delete-refused": lambda s: s.path("admin.delete_cohort",
                                                    cohort_id=s.make_cohort(None, [s.make_user("trainee")])),
    # The cohort page with its list of people to tick, narrowed by name.
    "admin-cohort-add-several": lambda s: s.path("admin.cohort", cohort_id=_empty_cohort(s)) + "?q=e2e",
    # An account with its cohorts and the button for a new password.
    "admin-user-cohorts": lambda s: _account_in_a_cohort(s),
    "admin-users-search": lambda s: s.path("admin.users") + "?q=e2e&status=active",
    # An account's page with its history, a table under the form.
    "admin-user-history": lambda s: _account_with_history(s),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_new_admin_pages_pass_axe_and_reflow(page, live_server, name):
    sign_in(page, live_server, "admin")
    _open(page, live_server, PAGES[name](live_server))
    assert page.get_attribute("html", "lang") == "uk"
    axe_check(page, name)
    assert_reflows(page, name)
    axe_check(page, f"{name}-320px")


def test_ticking_nobody_is_explained_at_the_list(page, live_server):
    """The error for an empty tick list sits in the fieldset and is read with it."""
    sign_in(page, live_server, "admin")
    live_server.make_user("trainee")
    _open(page, live_server, live_server.path("admin.cohort", cohort_id=_empty_cohort(live_server)))
    with page.expect_navigation():
        page.click("form[action$='/members'] button[type=submit]")
    error = page.locator("fieldset.checklist .error")
    assert error.is_visible()
    assert page.get_attribute("fieldset.checklist", "aria-describedby") == error.get_attribute("id")
    axe_check(page, "admin-cohort-add-several-error")


@pytest.mark.parametrize("path", ["/admin/users", "/admin/cohorts/{cohort}"])
def test_a_filters_button_lines_up_with_its_field(page, live_server, path):
    """Review finding 21: «Показати» sat a field's margin lower than the select beside it."""
    sign_in(page, live_server, "admin")
    live_server.make_user("trainee")
    _open(page, live_server, path.format(cohort=_empty_cohort(live_server)))
    form = page.locator("form.filters").first
    field_bottom = form.locator("input, select").last.bounding_box()
    button = form.locator("button").bounding_box()
    assert abs((field_bottom["y"] + field_bottom["height"]) - (button["y"] + button["height"])) <= 1, \
        (field_bottom, button)


def test_an_accounts_history_takes_the_pages_width_and_its_dates_one_line(page, live_server):
    """Found by using it: squeezed into the form's 28rem column, each date wrapped to three lines."""
    sign_in(page, live_server, "admin")
    _open(page, live_server, _account_with_history(live_server))
    form = page.locator("main section.narrow").first.bounding_box()
    table = page.locator("section[aria-labelledby=history-h] table").bounding_box()
    assert table["width"] > form["width"] * 1.5, (form, table)
    # The "when" of each event on one line: its text makes one line box.
    lines = page.eval_on_selector_all(
        "section[aria-labelledby=history-h] tbody tr > :first-child",
        "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c); "
        "return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })")
    assert lines and set(lines) == {1}, lines
