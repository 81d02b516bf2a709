"""Assessments on the supervisor's pages: taken is not passed, and who has practised before starting."""
from __future__ import annotations

from datetime import date
from html import unescape

import pytest

from tests.conftest import Auth
from tests.team.conftest import SCENARIO, play


def _trainee(session, cohort_id, username):
    from trainer.models import CohortMember, User
    person = User(username=username, display_name=username.title(), role="trainee", password_hash="x")
    session.add(person)
    session.flush()
    session.add(CohortMember(cohort_id=cohort_id, user_id=person.id, role="trainee"))
    session.commit()
    return person.id


def _assign(session, world, mode):
    from trainer.models import User
    from trainer.team.assignments import create_assignment
    made = create_assignment(session, session.get(User, world.sup_a), scenario_id=SCENARIO, mode=mode,
                             cohort_id=world.cohort_a)
    session.commit()
    return made.id


@pytest.fixture
def taken(app, ctx):
    """An assessment to cohort A: one person passed it, one failed it with a critical error,
    one has only practised (twice, plus an unfinished try), one has done nothing."""
    from trainer import attempts
    from trainer.models import Attempt, User
    world, session = ctx
    failing = _trainee(session, world.cohort_a, "failing.one")
    rehearsing = _trainee(session, world.cohort_a, "rehearsing.one")
    idle = _trainee(session, world.cohort_a, "idle.one")
    assessment = _assign(session, world, "assessment")
    passed_id = play(app, world.trainee_a, assignment_id=assessment)
    failed_id = play(app, failing, "worst", assignment_id=assessment)
    assert session.get(Attempt, failed_id).outcome == "failed" and session.get(Attempt, failed_id).critical_choice
    assert session.get(Attempt, passed_id).outcome == "good"
    play(app, rehearsing)
    play(app, rehearsing, "worst")
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    attempts.start_or_resume(session, session.get(User, rehearsing), compiled, restart=True)  # unfinished
    session.commit()
    play(app, rehearsing, scenario="hearing-impairment")  # another scenario: no rehearsal of this one
    return {"assessment": assessment, "passed": world.trainee_a, "failed": failing, "rehearsing": rehearsing,
            "idle": idle, "passed_attempt": passed_id, "failed_attempt": failed_id}


# -- #6: passed or not -------------------------------------------------------------------------

def test_cohort_completion_counts_who_passed_an_assessment(ctx, taken):
    from trainer.team.assignments import cohort_completion
    world, session = ctx
    practice = _assign(session, world, "practice")
    rows = {c.assignment.id: c for c in cohort_completion(session, world.cohort_a, date.today())}
    assessed = rows[taken["assessment"]]
    assert (assessed.assigned, assessed.finished, assessed.passed) == (4, 2, 1)
    assert rows[practice].passed is None  # a practice assignment has no pass mark


def test_assignment_people_say_who_passed(ctx, taken):
    from trainer.models import Assignment
    from trainer.team.assignments import assignment_people
    _world, session = ctx
    people = assignment_people(session, session.get(Assignment, taken["assessment"]), date.today())
    assert (people.total, people.finished, people.passed) == (4, 2, 1)
    by_id = {p.user.id: p for p in people.rows}
    assert by_id[taken["passed"]].passed is True
    assert by_id[taken["failed"]].passed is False
    assert by_id[taken["idle"]].passed is None and by_id[taken["rehearsing"]].passed is None


def test_a_practice_assignment_has_no_pass_mark(app, ctx):
    from trainer.models import Assignment
    from trainer.team.assignments import assignment_people
    world, session = ctx
    practice = _assign(session, world, "practice")
    play(app, world.trainee_a, "worst")
    people = assignment_people(session, session.get(Assignment, practice), date.today())
    assert people.passed is None and [p.passed for p in people.rows] == [None]


def test_the_assignment_page_says_completed_and_passed_or_not(client, ctx, taken):
    world, _session = ctx
    Auth(client).login("test.supervisor")
    html = unescape(client.get(f"/team/assignments/{taken['assessment']}?cohort={world.cohort_a}")
                    .get_data(as_text=True))
    people = html[html.index('id="people-h"'):]
    people = people[:people.index("</section>")]
    assert "Завершили 2 із 4; зараховано: 1." in people
    assert "Завершено: не зараховано" in people and "Завершено: зараховано" in people
    assert "Виконано" not in people  # «Виконано» beside «Не зараховано» read as a contradiction
    failed_row = people[people.index("Failing.One"):]
    failed_row = failed_row[:failed_row.index("</tr>")]
    assert "Завершено: не зараховано" in failed_row and "Не пройдено (критична помилка)" in failed_row


def test_one_rule_says_whether_an_assessment_passed():
    # The rule of the xAPI export's `passed`: a good or mixed outcome passes.
    from trainer.team.assignments import assessment_passed
    assert [assessment_passed("assessment", "done", o) for o in ("good", "mixed", "poor", "failed")] == [
        True, True, False, False]
    assert assessment_passed("assessment", "in_progress", None) is None
    assert assessment_passed("assessment", "todo", None) is None
    assert assessment_passed("practice", "done", "good") is None  # practice has no pass mark


def test_a_trainees_assignments_say_whether_the_assessment_passed(ctx, taken):
    from trainer.models import User
    from trainer.team.assignments import assignments_seen_by
    world, session = ctx
    supervisor = session.get(User, world.sup_a)
    practice = _assign(session, world, "practice")

    def seen(user_id):
        return {r.assignment.id: r for r in assignments_seen_by(session, supervisor, user_id, date.today())}
    assert seen(taken["passed"])[taken["assessment"]].passed is True
    assert seen(taken["failed"])[taken["assessment"]].passed is False
    assert seen(taken["idle"])[taken["assessment"]].passed is None
    assert seen(taken["passed"])[practice].passed is None


@pytest.mark.parametrize(("who", "status"), [("passed", "Завершено: зараховано"),
                                             ("failed", "Завершено: не зараховано")])
def test_a_trainees_profile_says_completed_and_passed_or_not(client, ctx, taken, who, status):
    # The profile's list of assignments said «Виконано» for an assessment failed by a critical error.
    Auth(client).login("test.supervisor")
    html = unescape(client.get(f"/team/trainees/{taken[who]}").get_data(as_text=True))
    assigned = html[html.index('id="assigned-h"'):]
    assigned = assigned[:assigned.index("</section>")]
    row = assigned[assigned.index(f'/team/assignments/{taken["assessment"]}"'):]
    row = row[:row.index("</tr>")]
    assert status in row and "Виконано" not in row
    if who == "failed":
        assert f'<strong class="error">{status}</strong>' in row


def test_the_cohort_page_shows_the_passed_count_beside_the_finished_one(client, ctx, taken):
    world, _session = ctx
    Auth(client).login("test.supervisor")
    html = unescape(client.get(f"/team/cohorts/{world.cohort_a}").get_data(as_text=True))
    row = html[html.index(f'/team/assignments/{taken["assessment"]}?cohort={world.cohort_a}#people-h">2 / 4'):]
    row = row[:row.index("</tr>")]
    assert "зараховано: 1" in row


# -- #13: practice by those who have not started ------------------------------------------------

def test_practice_so_far_counts_finished_practice_at_the_scenario(ctx, taken):
    from trainer.models import Assignment
    from trainer.team.assignments import assignment_people, practice_so_far
    _world, session = ctx
    assert practice_so_far(session, [taken["rehearsing"], taken["idle"]], SCENARIO) == {
        taken["rehearsing"]: 2, taken["idle"]: 0}
    assert practice_so_far(session, [], SCENARIO) == {}
    people = assignment_people(session, session.get(Assignment, taken["assessment"]), date.today())
    by_id = {p.user.id: p for p in people.rows}
    assert (by_id[taken["rehearsing"]].status, by_id[taken["rehearsing"]].practice_so_far) == ("todo", 2)
    assert by_id[taken["idle"]].practice_so_far == 0
    # Those who have taken it keep the count before their attempt, not a count "so far".
    assert by_id[taken["passed"]].practice_so_far is None and by_id[taken["passed"]].practice_before == 0


def test_the_assignment_page_shows_practice_so_far_for_those_not_started(client, ctx, taken):
    world, _session = ctx
    Auth(client).login("test.supervisor")
    html = unescape(client.get(f"/team/assignments/{taken['assessment']}?cohort={world.cohort_a}")
                    .get_data(as_text=True))
    row = html[html.index("Rehearsing.One"):]
    row = row[:row.index("</tr>")]
    assert "Не розпочато" in row and "поки що 2" in row
    idle = html[html.index("Idle.One"):]
    assert "поки що 0" in idle[:idle.index("</tr>")]


@pytest.mark.parametrize(("who", "status"), [("passed", "Завершено: зараховано"),
                                             ("failed", "Завершено: не зараховано")])
def test_the_trainees_own_assignments_say_completed_and_passed_or_not(app, client, ctx, taken, who, status):
    """The trainee's list still said «Виконано» beside an assessment failed by a critical error."""
    from trainer.models import User
    _world, session = ctx
    person = session.get(User, taken[who])
    person.set_password("their-password")
    session.commit()
    Auth(client).login(person.username, "their-password")
    html = unescape(client.get("/assignments").get_data(as_text=True))
    row = html[:html.index(f'/attempts/{taken[who + "_attempt"]}/debrief')]
    row = row[row.rindex("<tr"):]
    assert status in row and "Виконано" not in row
    if who == "failed":
        assert f'<strong class="error">{status}</strong>' in row


def test_a_trainees_own_practice_assignment_is_simply_done(app, client, ctx):
    world, session = ctx
    _assign(session, world, "practice")
    play(app, world.trainee_a)
    Auth(client).login("test.trainee")
    html = unescape(client.get("/assignments").get_data(as_text=True))
    assert "Виконано" in html and "зараховано" not in html
