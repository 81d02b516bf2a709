"""The cohort page as a supervisor sees it: the whole heatmap at 1280 px, every table's figures on a phone.

At 1280 px the heatmap was 1529 px wide in a 1235-px box, and the last competencies (the
weakest among them) were cut off. At 375 px the assignments table showed three of its six
columns, the due date and the counts needing a sideways swipe nobody was told about.
"""
from __future__ import annotations

from .helpers import login

SCENARIO = "busy-queue"

# Each table: how much wider its content is than the box around it (0 when it fits).
_OVERFLOW = """selector => [...document.querySelectorAll(selector)].map(table => {
  const box = table.closest('.table-scroll') || table.parentElement;
  return Math.max(0, Math.round(table.scrollWidth - box.clientWidth));
})"""


def _cohort_with_an_assignment(server) -> tuple[str, int]:
    from trainer.extensions import db
    from trainer.models import User
    from trainer.team.assignments import create_assignment

    supervisor = server.make_user("supervisor")
    cohort = server.make_cohort(supervisor, [server.make_user("trainee"), server.make_user("trainee")])
    with server.app.app_context():
        creator = db.session.scalar(db.select(User).where(User.username == supervisor))
        create_assignment(db.session, creator, scenario_id=SCENARIO, mode="assessment", cohort_id=cohort)
        db.session.commit()
    return supervisor, cohort


def test_the_whole_heatmap_fits_1280_px_and_tables_fit_a_phone(page, live_server, snap):
    supervisor, cohort = _cohort_with_an_assignment(live_server)
    login(page, supervisor)
    page.goto(live_server.path("team.dashboard", cohort_id=cohort))

    assert page.evaluate(_OVERFLOW, "table.heatmap") == [0]
    last = page.locator("table.heatmap thead th").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 1280
    snap("heatmap-1280")

    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate(_OVERFLOW, "table.stack-narrow") == [0, 0]  # the assignments; who is not practising
    # The due date and the counts are on screen, each named, with no sideways scrolling.
    row = page.locator("#completion-h ~ .table-scroll tbody tr").first
    for label in ("Строк", "Завершили", "Прострочено"):
        cell = row.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, (label, box)
        assert cell.evaluate("td => getComputedStyle(td, '::before').content") == f'"{label}: "'
    idle = page.locator("#idle-h ~ .table-scroll tbody tr").first.locator('td[data-label="Остання практика"]')
    box = idle.bounding_box()
    assert idle.inner_text() == "жодного сценарію ще не розпочато" and box["x"] + box["width"] <= 375
    # The heatmap scrolls in its box, the trainees' names staying at its left edge.
    scroller = page.locator("table.heatmap").locator("xpath=..")
    name = page.locator("table.heatmap tbody th").first
    before = name.bounding_box()["x"]
    scroller.evaluate("box => { box.scrollLeft = 400; }")
    assert abs(name.bounding_box()["x"] - before) < 1
    snap("cohort-375")
