"""The supervisor's tables on a phone and the heatmap at 1280 px, as far as the HTML and CSS decide.

A table marked ``stack-narrow`` becomes one block per row below 40rem, each cell named by
its ``data-label`` (as the trainee's «Мої завдання» does); a cell without one would show a
bare value. The heatmap keeps its columns, with the competency names set vertically and
the trainees' names in view. tests/e2e/test_supervisor_layout.py measures the result in Chromium.
"""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import ROOT, Auth
from tests.team.conftest import SCENARIO, play


def _section(html: str, heading_id: str) -> str:
    part = html[html.index(f'id="{heading_id}"'):]
    return part[:part.index("</section>")]


def _tables(html: str) -> list[str]:
    return re.findall(r"<table[^>]*>.*?</table>", html, re.S)


def _assert_stacks(table: str) -> None:
    """Marked to stack, every data cell labelled, the label a column heading of the table."""
    assert 'class="stack-narrow"' in table[:table.index(">")], table[:200]
    headings = [unescape(re.sub(r"<[^>]+>", "", h)).strip()
                for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)]
    cells = re.findall(r"<td[^>]*>", table)
    assert cells, "no data cells to check"
    for cell in cells:
        label = re.search(r'data-label="([^"]+)"', cell)
        assert label, f"a cell without data-label: {cell}"
        assert unescape(label.group(1)) in headings, (label.group(1), headings)


@pytest.fixture
def filled(app, client, world):
    """Cohort A with a practice and an assessment assignment, a critical error, and a supervisor's rating."""
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team import transcript
    from trainer.team.assignments import create_assignment
    with app.app_context():
        sup = db.session.get(User, world.sup_a)
        practice = create_assignment(db.session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a)
        assessment = create_assignment(db.session, sup, scenario_id=SCENARIO, mode="assessment",
                                       cohort_id=world.cohort_a)
        db.session.commit()
        ids = practice.id, assessment.id
    failed = play(app, world.trainee_a, "worst", assignment_id=ids[1])
    with app.app_context():
        attempt = db.session.get(Attempt, failed)
        assert attempt.critical_choice
        comps = app.extensions["trainer_registry"].latest(SCENARIO).scenario.competencies
        transcript.rate_attempt(db.session, attempt, db.session.get(User, world.sup_a), {c: 3 for c in comps})
        db.session.commit()
    Auth(client).login("test.supervisor")
    return world, ids


def test_the_cohort_pages_tables_stack_on_a_phone(client, filled):
    world, _ids = filled
    html = client.get(f"/team/cohorts/{world.cohort_a}").get_data(as_text=True)
    for heading in ("completion-h", "crit-h", "played-h", "agree-h"):
        [table] = _tables(_section(html, heading))
        _assert_stacks(table)


def test_the_assignment_pages_table_stacks_on_a_phone(client, filled):
    world, (practice, assessment) = filled
    for assignment_id in (practice, assessment):
        html = client.get(f"/team/assignments/{assignment_id}?cohort={world.cohort_a}").get_data(as_text=True)
        [table] = _tables(_section(html, "people-h"))
        _assert_stacks(table)


def test_the_heatmap_keeps_its_columns_with_full_names_set_vertically(app, client, filled):
    world, _ids = filled
    html = client.get(f"/team/cohorts/{world.cohort_a}").get_data(as_text=True)
    [table] = _tables(_section(html, "heat-h"))
    assert "stack-narrow" not in table  # a matrix is read across: it scrolls instead
    framework = app.extensions["trainer_registry"].library.framework
    names = re.findall(r'<th scope="col" class="competency"><span>([^<]+)</span></th>', table)
    # Every competency, by its whole name: nothing to decode from an abbreviation.
    assert [unescape(n) for n in names] == [c.title.uk for c in framework.competencies.values()]


def test_the_style_sheet_sets_the_heatmap_names_vertically_and_keeps_the_trainees_in_view():
    css = (ROOT / "trainer" / "static" / "style.css").read_text(encoding="utf-8")
    rule = re.search(r"\.heatmap th\.competency span \{([^}]*)\}", css)
    assert rule and "writing-mode: vertical-rl" in rule.group(1) and "max-height" in rule.group(1)
    sticky = re.search(r"\.heatmap th\[scope=row\][^{]*\{([^}]*)\}", css)
    assert sticky and "position: sticky" in sticky.group(1) and "left: 0" in sticky.group(1)
    # The stacking rules the supervisor's tables rely on live under the phone breakpoint.
    narrow = css[css.index("table.stack-narrow thead"):]
    assert "td[data-label]::before" in narrow[:narrow.index("}\n}")]


def test_the_profiles_tables_stack_on_a_phone_and_an_unfinished_attempt_leads_back_to_it(app, client, filled):
    """Found by playing at 375 px: the profile's score, trend and attempt columns were cut off
    at the screen's edge, and an attempt in progress had no way back into it."""
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import User
    world, _ids = filled
    html = client.get(f"/team/trainees/{world.trainee_a}").get_data(as_text=True)
    for heading in ("comp-h", "trend-h", "att-h"):
        [table] = _tables(_section(html, heading))
        _assert_stacks(table)
    with app.app_context():
        compiled = app.extensions["trainer_registry"].latest(SCENARIO)
        active = attempts.start_or_resume(db.session, db.session.get(User, world.trainee_a), compiled)
        db.session.commit()
        active_id = active.id
    Auth(client).logout()
    Auth(client).login("test.trainee")
    own = client.get("/profile").get_data(as_text=True)
    [table] = _tables(_section(own, "att-h"))
    _assert_stacks(table)
    assert f'href="/attempts/{active_id}"' in table
