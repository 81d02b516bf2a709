"""An assessment's pass mark: set, shown and kept by its supervisor, applied everywhere a
pass is read (the trainee's list and debrief, the supervisor's pages and counts, xAPI)."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select, update

from tests.conftest import Auth, csrf_token
from tests.team.conftest import SCENARIO, account, play


def _set_overall(session, attempt_id: int, percent: float) -> None:
    from trainer.models import AttemptScore
    session.execute(update(AttemptScore).where(AttemptScore.attempt_id == attempt_id).values(percent=percent))
    session.commit()


def _assessment(session, world, pass_mark):
    from trainer.team.assignments import create_assignment
    made = create_assignment(session, account(session, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                             cohort_id=world.cohort_a, pass_mark=pass_mark)
    session.commit()
    return made


def test_a_pass_mark_is_for_assessments_and_a_whole_percentage(app, ctx):
    from trainer.team.assignments import AssignmentError, create_assignment, update_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    with pytest.raises(AssignmentError) as refused:
        create_assignment(session, sup, scenario_id=SCENARIO, mode="practice", cohort_id=world.cohort_a, pass_mark=60)
    with app.test_request_context():
        assert "Поріг зарахування діє лише для оцінювання" in str(refused.value)
    for wrong in (0, 101):
        with pytest.raises(AssignmentError):
            create_assignment(session, sup, scenario_id=SCENARIO, mode="assessment", cohort_id=world.cohort_a,
                              pass_mark=wrong)
    made = _assessment(session, world, 60)
    assert made.pass_mark == 60
    update_assignment(session, sup, made, mode="assessment", due_on=None, time_limit=None, note="", pass_mark=75)
    session.commit()
    assert session.get(type(made), made.id).pass_mark == 75


def test_the_pass_mark_stays_once_someone_has_started(app, ctx):
    from trainer.team.assignments import AssignmentError, update_assignment
    world, session = ctx
    sup = account(session, world.sup_a)
    made = _assessment(session, world, 60)
    play(app, world.trainee_a, assignment_id=made.id)
    with pytest.raises(AssignmentError) as refused:
        update_assignment(session, sup, made, mode="assessment", due_on=None, time_limit=None, note="", pass_mark=90)
    with app.test_request_context():
        assert "поріг зарахування змінити не можна" in str(refused.value)
    session.rollback()
    assert session.get(type(made), made.id).pass_mark == 60
    update_assignment(session, sup, made, mode="assessment", due_on=None, time_limit=None, note="kept", pass_mark=60)
    session.commit()


@pytest.mark.parametrize(("overall", "passed"), [(59.4, False), (59.6, True), (85.0, True)])
def test_every_reading_of_a_pass_applies_the_mark(app, ctx, overall, passed):
    """The trainee's list, the supervisor's list of people, the cohort's count, the debrief's
    verdict and the xAPI statement agree on one attempt against a mark of 60."""
    from trainer.models import Attempt
    from trainer.team.assignments import (assessment_verdict, assignment_people, assignments_of,
                                          cohort_completion)
    from trainer.web import local_today
    from trainer.xapi.outbox import attempt_statements
    world, session = ctx
    made = _assessment(session, world, 60)
    attempt_id = play(app, world.trainee_a, assignment_id=made.id)  # the recommended path: a good outcome
    _set_overall(session, attempt_id, overall)
    with app.test_request_context():
        today = local_today()
    mine = next(s for s in assignments_of(session, world.trainee_a, today) if s.assignment.id == made.id)
    assert (mine.status, mine.passed) == ("done", passed)
    people = assignment_people(session, made, today)
    assert people.passed == int(passed)
    assert [p.passed for p in people.rows if p.user.id == world.trainee_a] == [passed]
    count = next(c for c in cohort_completion(session, world.cohort_a, today) if c.assignment.id == made.id)
    assert (count.finished, count.passed) == (1, int(passed))
    attempt = session.get(Attempt, attempt_id)
    verdict = assessment_verdict(session, attempt)
    assert (verdict.passed, verdict.pass_mark) == (passed, 60)
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    verbs = {s["verb"]["id"].rsplit("/", 1)[-1] for s in attempt_statements(session, attempt, compiled, "http://x")}
    assert ("passed" in verbs, "failed" in verbs) == (passed, not passed)


def test_without_a_pass_mark_the_outcome_alone_decides(app, ctx):
    from trainer.models import Attempt
    from trainer.team.assignments import assessment_verdict
    world, session = ctx
    made = _assessment(session, world, None)
    attempt_id = play(app, world.trainee_a, assignment_id=made.id)
    _set_overall(session, attempt_id, 5.0)
    verdict = assessment_verdict(session, session.get(Attempt, attempt_id))
    assert (verdict.passed, verdict.pass_mark) == (True, None)
    practice = play(app, world.trainee_a)
    assert assessment_verdict(session, session.get(Attempt, practice)) is None


# -- as the supervisor and the trainee use it ---------------------------------------------

def test_a_supervisor_sets_it_when_assigning_and_the_trainee_reads_it(app, client, world):
    from trainer.extensions import db
    from trainer.models import Assignment
    Auth(client).login("test.supervisor")
    form = client.get(f"/team/cohorts/{world.cohort_a}/assign").get_data(as_text=True)
    assert 'name="pass_mark"' in form
    data = {"csrf_token": csrf_token(form), "scenario": SCENARIO, "target": "cohort", "mode": "practice",
            "pass_mark": "70"}
    refused = client.post(f"/team/cohorts/{world.cohort_a}/assign", data=data)
    assert refused.status_code == 422
    assert "Поріг зарахування діє лише для оцінювання" in unescape(refused.get_data(as_text=True))
    assert client.post(f"/team/cohorts/{world.cohort_a}/assign",
                       data={**data, "mode": "assessment"}).status_code == 302
    with app.app_context():
        made = db.session.scalar(select(Assignment).where(Assignment.scenario_id == SCENARIO))
        assert (made.mode, made.pass_mark) == ("assessment", 70)
        made_id = made.id
    page = unescape(client.get(f"/team/assignments/{made_id}").get_data(as_text=True))
    assert "добрий або неоднозначний результат і загальний бал не нижче 70%" in page
    Auth(client).logout()
    Auth(client).login("test.trainee")
    listed = unescape(client.get("/assignments").get_data(as_text=True))
    assert "для зарахування: добрий або неоднозначний результат і загальний бал не нижче 70%" in listed
    intro = unescape(client.get(f"/assignments/{made_id}").get_data(as_text=True))
    assert "для зарахування: добрий або неоднозначний результат і загальний бал не нижче 70%" in intro


def test_the_debrief_states_the_pass_mark_it_applied(app, client, world):
    from trainer.extensions import db
    with app.app_context():
        made = _assessment(db.session, world, 70)
        made_id = made.id
    attempt_id = play(app, world.trainee_a, assignment_id=made_id)
    with app.app_context():
        _set_overall(db.session, attempt_id, 40.0)
    Auth(client).login("test.trainee")
    html = unescape(client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True))
    result = re.search(r'<p class="assessment-result">(.*?)</p>', html, re.S).group(1)
    assert "Оцінювання не зараховано." in result
    assert "загального балу не нижче 70%" in result


def test_the_edit_form_keeps_the_pass_mark_once_started(app, client, world):
    from trainer.extensions import db
    with app.app_context():
        made_id = _assessment(db.session, world, 65).id
    Auth(client).login("test.supervisor")
    form = client.get(f"/team/assignments/{made_id}/edit").get_data(as_text=True)
    assert 'name="pass_mark"' in form and 'value="65"' in form
    play(app, world.trainee_a, assignment_id=made_id)
    form = unescape(client.get(f"/team/assignments/{made_id}/edit").get_data(as_text=True))
    assert 'name="pass_mark"' not in form
    assert "поріг зарахування змінити не можна" in form and "загальний бал 65%" in form
