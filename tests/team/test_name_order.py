"""People are listed by name in Ukrainian alphabet order everywhere a supervisor or admin
picks or reads them: the database's order put Ірина and Євген before Андрій (found by
playing: «Ірина Демко» above «Демо Слухачка» on the cohort page)."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from tests.conftest import Auth
from tests.team.conftest import SCENARIO, play

# In alphabet order; created in reverse, so that neither insertion nor code-point order passes.
NAMES = ["Андрій Бойко", "Ґанна Ґудзь", "Дмитро Гай", "Євген Ярош", "Ірина Демко"]
# test.trainee has no full name: its user name, in Latin letters, comes before Cyrillic.
EXPECTED = ["test.trainee", *NAMES]


@pytest.fixture
def named(app, world):
    from trainer.extensions import db
    from trainer.models import CohortMember, User
    with app.app_context():
        for n, name in enumerate(reversed(NAMES)):
            person = User(username=f"p{n}", display_name=name, role="trainee", password_hash="x")
            db.session.add(person)
            db.session.flush()
            db.session.add(CohortMember(cohort_id=world.cohort_a, user_id=person.id, role="trainee"))
        db.session.commit()
    return world


def test_the_domain_lists_people_in_alphabet_order(app, named):
    from trainer.extensions import db
    from trainer.models import Assignment, User, utcnow
    from trainer.team import access, analytics, assignments, participation
    with app.app_context():
        assert [u.name for u in access.cohort_trainees(db.session, named.cohort_a)] == EXPECTED
        pages = [analytics.heatmap(db.session, named.cohort_a, ["empathy"], page=p, per_page=4) for p in (1, 2)]
        assert [u.name for h in pages for u in h.trainees] == EXPECTED and pages[0].total == 6
        idle = participation.not_practising(db.session, named.cohort_a, utcnow())
        assert [i.user.name for i in idle.people] == EXPECTED
        assert [i.user.name for i in participation.not_practising(db.session, named.cohort_a, utcnow(),
                                                                   listed=2).people] == EXPECTED[:2]
        supervisor = db.session.get(User, named.sup_a)
        assignment = assignments.create_assignment(db.session, supervisor, scenario_id=SCENARIO, mode="practice",
                                                   cohort_id=named.cohort_a)
        db.session.commit()
        assignment_id = assignment.id
        done = db.session.scalar(select(User.id).where(User.display_name == "Дмитро Гай"))
    play(app, done, assignment_id=assignment_id)
    with app.app_context():
        # Not done first, each part by name; each page holds its share of that order.
        assignment = db.session.get(Assignment, assignment_id)
        seen = [p.user.name for page in (1, 2) for p in
                assignments.assignment_people(db.session, assignment, utcnow().date(), page=page, per_page=4).rows]
        assert seen == [n for n in EXPECTED if n != "Дмитро Гай"] + ["Дмитро Гай"]
        first = assignments.assignment_people(db.session, assignment, utcnow().date(), per_page=4)
        assert first.total == 6 and first.finished == 1


def _names_in(html: str, names=EXPECTED) -> list[str]:
    """The names of ``names`` in the order they first appear in ``html``."""
    text = unescape(html)
    return sorted((n for n in names if n in text), key=text.index)


def test_the_pages_list_people_in_alphabet_order(app, client, named):
    Auth(client).login("test.supervisor")
    dashboard = client.get(f"/team/cohorts/{named.cohort_a}").get_data(as_text=True)
    heatmap = dashboard[dashboard.index('id="heatmap'):] if 'id="heatmap' in dashboard else dashboard
    assert _names_in(heatmap, NAMES) == NAMES
    assign = client.get(f"/team/cohorts/{named.cohort_a}/assign").get_data(as_text=True)
    options = re.findall(r'<option value="user:\d+"[^>]*>([^<]*)</option>', unescape(assign))
    assert options == EXPECTED
    Auth(client).logout()
    Auth(client).login("test.admin")
    admin = unescape(client.get(f"/admin/cohorts/{named.cohort_a}").get_data(as_text=True))
    picker = re.search(r'<select[^>]*name="user".*?</select>', admin, re.S).group(0)
    assert _names_in(picker, NAMES) == NAMES
