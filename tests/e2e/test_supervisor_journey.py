"""A supervisor assigns a scenario, a trainee plays it, the supervisor sees the result."""
from __future__ import annotations

from .helpers import axe_check, login, normalized, play_through, recommended, translate

SCENARIO = "busy-queue"


def test_supervisor_assigns_and_sees_the_result(page, live_server, snap):
    supervisor = live_server.make_user("supervisor")
    trainee = live_server.make_user("trainee")
    cohort = live_server.make_cohort(supervisor, [trainee])
    title = live_server.registry.latest(SCENARIO).scenario.title.uk

    login(page, supervisor)
    page.goto(live_server.path("team.index"))
    page.get_by_role("link", name="Група").first.click()
    page.get_by_role("link", name=translate(live_server, "Assign a scenario")).click()
    page.select_option("#scenario", SCENARIO)
    page.check("#mode-0")  # practice
    page.fill("#due_on", "2031-01-31")
    snap("assign-form")
    with page.expect_navigation():
        page.get_by_role("button", name=translate(live_server, "Assign")).click()
    assert f"/team/cohorts/{cohort}" in page.url
    assert "0 / 1" in normalized(page.inner_text("main"))
    page.context.clear_cookies()

    login(page, trainee)
    page.goto(live_server.path("play.assignments"))
    assert title in page.inner_text("main")
    # "Start" leads to the scenario's introduction (its content note first), whose button starts it.
    with page.expect_navigation():
        page.get_by_role("link", name=translate(live_server, "Start")).click()
    assert page.inner_text("h1").strip() == title
    with page.expect_navigation():
        page.get_by_role("button", name=translate(live_server, "Start")).click()
    play_through(page, live_server, recommended, check_live=False)
    assert "/debrief" in page.url
    snap("trainee-debrief")
    page.context.clear_cookies()

    login(page, supervisor)
    page.goto(live_server.path("team.dashboard", cohort_id=cohort))
    main = normalized(page.inner_text("main"))
    assert "1 / 1" in main
    snap("dashboard-after")
    axe_check(page, "team-dashboard")
    page.get_by_role("link", name="E2E trainee").first.click()
    assert translate(live_server, "Emotional-intelligence profile") in page.inner_text("h1")
    axe_check(page, "team-profile")
    page.get_by_role("link", name=title).first.click()
    assert translate(live_server, "Transcript") in page.inner_text("h1")
    snap("transcript")
    axe_check(page, "team-transcript")
    page.goto(live_server.path("team.scenario_analytics", scenario_id=SCENARIO) + f"?cohort={cohort}")
    assert page.locator("svg.graph").count() == 1
    snap("scenario-analytics")
    axe_check(page, "team-scenario-analytics")
