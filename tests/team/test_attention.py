"""«My team» says per cohort what needs the supervisor: people, open and overdue assignments, answers to review."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from html import unescape

import pytest

from tests.conftest import Auth
from tests.team.conftest import SCENARIO, play
from tests.team.test_reviews import finish_with_text


NOW = datetime.now(timezone.utc).replace(tzinfo=None)  # stored times are naive UTC


def _assign(session, world, cohort_id=None, user_id=None, due_on=None, scenario=SCENARIO):
    from trainer.models import User
    from trainer.team.assignments import create_assignment
    made = create_assignment(session, session.get(User, world.sup_a), scenario_id=scenario, mode="practice",
                             cohort_id=cohort_id, user_id=user_id, due_on=due_on)
    session.commit()
    return made


@pytest.fixture
def busy(app, ctx):
    """Cohort A: two people now and one who left; an overdue assignment nobody has done, one
    everybody has done, one cancelled; two written answers, one of them reviewed, and one
    from the person who left. Cohort B: one written answer."""
    from trainer.models import CohortMember, User, utcnow
    from trainer.team.assignments import cancel_assignment
    from trainer.team.reviews import review
    world, session = ctx
    second = User(username="second.a", role="trainee", password_hash="x")
    gone = User(username="gone.a", role="trainee", password_hash="x")
    session.add_all([second, gone])
    session.flush()
    session.add_all([CohortMember(cohort_id=world.cohort_a, user_id=u.id, role="trainee") for u in (second, gone)])
    session.commit()
    yesterday = date.today() - timedelta(days=1)
    _assign(session, world, cohort_id=world.cohort_a, due_on=yesterday, scenario="busy-queue")  # 2 people late
    _assign(session, world, user_id=world.trainee_a, due_on=yesterday, scenario="hearing-impairment")  # 1 late
    done = _assign(session, world, user_id=second.id, due_on=yesterday)
    play(app, second.id, assignment_id=done.id)
    cancelled = _assign(session, world, cohort_id=world.cohort_a, due_on=yesterday, scenario="crying-client")
    cancel_assignment(session, session.get(User, world.sup_a), cancelled)
    session.commit()
    _attempt, reviewed_step = finish_with_text(app, world.trainee_a)
    finish_with_text(app, world.trainee_a)
    finish_with_text(app, gone.id)
    from trainer.models import Step
    review(session, session.get(Step, reviewed_step), session.get(User, world.sup_a), agrees=True, found=None)
    gone.blocked_at = utcnow()
    session.commit()
    finish_with_text(app, world.trainee_b)
    return world


def test_each_cohort_says_what_needs_attention(ctx, busy):
    from trainer.models import Cohort
    from trainer.team.attention import by_cohort
    world, session = ctx
    a, b = by_cohort(session, [session.get(Cohort, world.cohort_a), session.get(Cohort, world.cohort_b)],
                     date.today(), NOW)
    assert a.cohort.id == world.cohort_a and b.cohort.id == world.cohort_b
    # Two people now (the one who left is not counted); the cancelled and the finished
    # assignments are not open; three people-assignments are late.
    assert (a.people, a.open_assignments, a.overdue) == (2, 2, 3)
    # The reviewed answer is done; the answer of the person who left still waits, as in the queue.
    assert a.to_review == 2 and a.needs_attention
    assert (b.people, b.open_assignments, b.overdue, b.to_review) == (1, 0, 0, 1)
    assert (a.idle, b.idle) == (0, 0)  # everybody played today


def test_the_overdue_figure_agrees_with_the_cohort_page(ctx, busy):
    from trainer.models import Cohort
    from trainer.team.assignments import cohort_completion, overdue_people
    from trainer.team.attention import cohort_attention
    world, session = ctx
    row = cohort_attention(session, session.get(Cohort, world.cohort_a), date.today(), NOW)
    assert row.overdue == sum(c.overdue for c in cohort_completion(session, world.cohort_a, date.today()))
    assert row.overdue == len(overdue_people(session, world.cohort_a, date.today()))


def test_waiting_reviews_counts_what_the_queue_lists(ctx, busy):
    from trainer.team.access import members_of, visible_trainee_ids
    from trainer.team.attention import waiting_reviews
    from trainer.team.reviews import queue
    from trainer.models import User
    world, session = ctx
    for users in (members_of(world.cohort_a, include_blocked=True), members_of(world.cohort_b),
                  visible_trainee_ids(session.get(User, world.sup_a)),
                  visible_trainee_ids(session.get(User, world.admin))):
        assert waiting_reviews(session, users) == len(queue(session, users, limit=1000))
    assert waiting_reviews(session, visible_trainee_ids(session.get(User, world.admin))) == 3


def test_a_quiet_cohort_needs_no_attention(ctx):
    from trainer.models import Cohort
    from trainer.team.attention import cohort_attention
    world, session = ctx
    row = cohort_attention(session, session.get(Cohort, world.cohort_b), date.today(), NOW)
    assert (row.people, row.open_assignments, row.overdue, row.to_review) == (1, 0, 0, 0)
    # Its one trainee has not started a scenario: worth following up, not urgent.
    assert row.idle == 1 and not row.needs_attention


def test_the_grouped_figures_equal_each_cohorts_own(app, ctx, busy):
    """``by_cohort`` counts with grouped queries what ``cohort_attention`` counts one cohort
    at a time; the two must agree on a mix of the cases that decide the figures."""
    from sqlalchemy import select

    from trainer.models import Cohort, CohortMember, User
    from trainer.team.assignments import create_assignment
    from trainer.team.attention import by_cohort, cohort_attention
    world, session = ctx
    yesterday, tomorrow = date.today() - timedelta(days=1), date.today() + timedelta(days=1)
    # Someone who trains in both cohorts, with an assignment of their own in each count, and
    # someone in both who has not practised; one in A who practised long ago.
    both = User(username="both.ab", role="trainee", password_hash="x")
    quiet = User(username="quiet.ab", role="trainee", password_hash="x")
    long_ago = User(username="long.a", role="trainee", password_hash="x")
    session.add_all([both, quiet, long_ago, Cohort(name="Порожня")])
    session.flush()
    session.add_all([CohortMember(cohort_id=c, user_id=u.id, role="trainee")
                     for c in (world.cohort_a, world.cohort_b) for u in (both, quiet)]
                    + [CohortMember(cohort_id=world.cohort_a, user_id=long_ago.id, role="trainee")])
    session.commit()
    _assign(session, world, user_id=both.id, due_on=yesterday, scenario="crying-client")
    # Practice in the catalogue after a practice assignment counts toward it; an assessment
    # is done only by its own attempt.
    _assign(session, world, cohort_id=world.cohort_a, due_on=yesterday, scenario="no-contact")
    play(app, both.id, scenario="no-contact")
    create_assignment(session, session.get(User, world.sup_a), scenario_id=SCENARIO, mode="assessment",
                      cohort_id=world.cohort_a, due_on=yesterday)
    _assign(session, world, cohort_id=world.cohort_a, due_on=tomorrow, scenario="intoxicated-client")
    _assign(session, world, cohort_id=world.cohort_a, scenario="homeless-client")  # no due date
    # Cohort B's own assignment, done there by its trainee.
    theirs = create_assignment(session, session.get(User, world.sup_b), scenario_id=SCENARIO, mode="practice",
                               cohort_id=world.cohort_b, due_on=yesterday)
    session.commit()
    play(app, world.trainee_b, assignment_id=theirs.id)
    from trainer.models import Attempt
    session.get(Attempt, play(app, long_ago.id)).updated_at = NOW - timedelta(days=30)
    session.commit()
    cohorts = list(session.scalars(select(Cohort).order_by(Cohort.id)))
    grouped = by_cohort(session, cohorts, date.today(), NOW)
    one_by_one = [cohort_attention(session, cohort, date.today(), NOW) for cohort in cohorts]
    assert grouped == one_by_one
    # The mix did exercise the figures: open and overdue work in both, an empty cohort.
    a, b, empty = grouped
    # In B: the person in both cohorts owes their own assignment and B's, which B's trainee
    # did; the quiet one owes B's too.
    assert a.overdue > 3 and (b.people, b.open_assignments, b.overdue) == (3, 2, 3)
    assert (a.idle, b.idle) == (2, 1)
    assert (empty.people, empty.open_assignments, empty.overdue, empty.to_review, empty.idle) == (0, 0, 0, 0, 0)


def test_no_cohorts_no_queries(ctx):
    from trainer.team.attention import by_cohort
    _world, session = ctx
    assert by_cohort(session, [], date.today(), NOW) == []


# The page: needs the `index` view to pass `overview` and `to_review` (trainer/team/views.py).

def test_my_team_shows_the_figures_per_cohort(client, busy):
    world = busy
    Auth(client).login("test.supervisor")
    html = unescape(client.get("/team/").get_data(as_text=True))
    card = html[html.index('<li class="card attention">'):]
    card = card[:card.index("</li>")]
    assert f'href="/team/cohorts/{world.cohort_a}"' in card and "Київ-1" in card
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", card))
    shown = {label: re.sub(r"<span class=\"visually-hidden\">.*?</span>|<[^>]+>", "", value)
             for label, value in figures.items()}
    assert shown == {"Слухачі": "2", "Відкриті завдання": "2", "Прострочено": "3", "Хто не практикується": "0",
                     "Відповіді на перевірку": "2"}
    assert "Львів-2" not in html  # another supervisor's cohort
    assert "Письмові відповіді на перевірку (2)" in html  # everyone this supervisor may see


def test_my_team_leads_to_who_is_not_practising(client, world):
    """Cohort A's one trainee has not started: the figure links to the list on the cohort's page."""
    Auth(client).login("test.supervisor")
    html = client.get("/team/").get_data(as_text=True)
    assert re.search(rf'<dt>Хто не практикується</dt><dd><a href="/team/cohorts/{world.cohort_a}#idle-h">1<', html)
    assert "жодного кроку в сценаріях за останні 14 днів" in html

