"""Who in a cohort is not practising, in order, and how the cohort's page shows it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import Auth
from tests.team.conftest import play


@pytest.fixture
def cohort(app, world):
    """Cohort A, with test.trainee and four more: one who practised yesterday, one 20 days ago,
    one 40 days ago, one given a password they have not used, and one who left (blocked)."""
    from trainer.extensions import db
    from trainer.models import Attempt, CohortMember, User, utcnow

    now = utcnow()
    with app.app_context():
        people = {}
        for name, full in (("fresh", "Вікторія Свіжа"), ("mid", "Марко Середній"), ("old", "Ольга Давня"),
                           ("new", "Назар Новий"), ("gone", "Галина Пішла")):
            person = User(username=name, display_name=full, role="trainee", password_hash="x",
                          password_temporary=name == "new")
            db.session.add(person)
            db.session.flush()
            db.session.add(CohortMember(cohort_id=world.cohort_a, user_id=person.id, role="trainee"))
            people[name] = person.id
        db.session.commit()
        played = {days: play(app, people[name]) for name, days in (("fresh", 1), ("mid", 20), ("old", 40), ("gone", 90))}
        for days, attempt_id in played.items():
            db.session.get(Attempt, attempt_id).updated_at = now - timedelta(days=days)
        db.session.get(User, people["gone"]).blocked_at = now
        db.session.get(User, people["mid"]).last_login_at = now - timedelta(days=3)
        db.session.commit()
    return world, people, now


def test_the_idle_come_never_started_first_then_the_longest_idle(app, cohort):
    from trainer.extensions import db
    from trainer.team.participation import not_practising
    world, people, now = cohort
    with app.app_context():
        idle = not_practising(db.session, world.cohort_a, now)
        # Nobody who practised in the last 14 days, nobody who left; those who never started
        # by name, as the heatmap orders them (a name not given, test.trainee's, first).
        assert [i.user.username for i in idle.people] == ["test.trainee", "new", "old", "mid"]
        assert idle.total == 4 and idle.days == 14
        assert [i.days for i in idle.people] == [None, None, 40, 20]
        assert [i.not_logged_in_yet for i in idle.people] == [False, True, False, False]

        shorter = not_practising(db.session, world.cohort_a, now, days=30, listed=2)
        assert [i.user.username for i in shorter.people] == ["test.trainee", "new"] and shorter.total == 3
        assert not_practising(db.session, world.cohort_a, now - timedelta(days=60)).total == 2


def test_a_person_who_played_is_not_called_new_even_without_a_recorded_login(app, cohort):
    from trainer.extensions import db
    from trainer.models import User
    from trainer.team.participation import not_practising
    world, people, now = cohort
    with app.app_context():
        db.session.get(User, people["old"]).password_temporary = True  # an admin gave a new password
        db.session.commit()
        old = next(i for i in not_practising(db.session, world.cohort_a, now).people if i.user.id == people["old"])
        assert not old.not_logged_in_yet


def test_the_cohort_page_lists_who_is_not_practising(app, client, cohort):
    world, people, _now = cohort
    Auth(client).login("test.supervisor")
    html = client.get(f"/team/cohorts/{world.cohort_a}", headers={"Accept-Language": "uk"}).get_data(as_text=True)
    section = html.split('id="idle-h"')[1].split("</section>")[0]
    assert section.index("test.trainee") < section.index("Назар Новий") < section.index("Ольга Давня") \
        < section.index("Марко Середній")
    assert "Вікторія Свіжа" not in section and "Галина Пішла" not in section
    assert "входу ще не було: виданий пароль не використано" in section
    assert "40 днів тому" in section and "20 днів тому" in section
    assert section.count("жодного сценарію ще не розпочато") == 2
    assert f'href="/team/trainees/{people["old"]}"' in section


def test_the_cohort_page_says_when_everyone_practised(app, client, world):
    play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    html = client.get(f"/team/cohorts/{world.cohort_a}").get_data(as_text=True)
    section = html.split('id="idle-h"')[1].split("</section>")[0]
    assert "Усі слухачі групи практикувалися за цей час." in section and "<table" not in section


def test_days_ago_are_counted_in_dates_on_the_centres_clock(app, world):
    """Last practice at 23:00 Kyiv time on 8 November; read at 01:30 Kyiv time on 23 November:
    15 days ago, as the dates say, though only 14 days and 2½ hours have passed (and UTC's
    dates, 8 and 22 November, say 14)."""
    from datetime import datetime

    from trainer.extensions import db
    from trainer.models import Attempt
    from trainer.team.participation import not_practising
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        db.session.get(Attempt, attempt_id).updated_at = datetime(2026, 11, 8, 21, 0)
        db.session.commit()
        now = datetime(2026, 11, 22, 23, 30)
        assert [i.days for i in not_practising(db.session, world.cohort_a, now, "Europe/Kyiv").people] == [15]
        assert [i.days for i in not_practising(db.session, world.cohort_a, now).people] == [14]
