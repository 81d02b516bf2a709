"""Accounts and cohorts: creating and changing them, with their history."""
from __future__ import annotations

import pytest
from sqlalchemy import select


def test_membership_roles_follow_account_roles(session, users):
    from trainer.models import User
    from trainer.team.people import PeopleError, create_cohort, set_membership
    cohort = create_cohort(session, "Одеса")
    with pytest.raises(PeopleError):
        set_membership(session, cohort, session.get(User, users["trainee"]), "supervisor", actor=None)
    with pytest.raises(PeopleError):
        create_cohort(session, "одеса")  # names are unique regardless of case


def test_a_new_full_name_is_in_the_history_and_an_unchanged_one_is_not(session, users):
    from trainer.models import AccountEvent, User
    from trainer.team.people import rename
    person, admin = session.get(User, users["trainee"]), session.get(User, users["admin"])
    assert rename(session, person, "  Ольга Бондар ", actor=admin) and person.display_name == "Ольга Бондар"
    assert not rename(session, person, "Ольга Бондар", actor=admin)
    events = session.scalars(select(AccountEvent).where(AccountEvent.user_id == person.id)).all()
    assert [(e.action, e.detail, e.actor_id) for e in events] == [
        ("renamed", {"before": "", "after": "Ольга Бондар"}, admin.id)]


def test_passwords_are_hashed_on_every_core_in_order(monkeypatch):
    import threading

    from trainer import settings
    from trainer.models import User
    from trainer.team.people import hash_passwords
    threads = set()
    real = User.hash_password.__func__
    barrier = threading.Barrier(2, timeout=10)

    def hashing(cls, password):
        threads.add(threading.current_thread().name)
        barrier.wait()  # two hashes at once, or the test times out
        return real(cls, password)

    monkeypatch.setattr(settings, "cores", lambda: 2)
    monkeypatch.setattr(User, "hash_password", classmethod(hashing))
    passwords = [f"password-{n}" for n in range(6)]
    hashed = hash_passwords(passwords)
    assert len(threads) == 2 and all(name.startswith("hash") for name in threads)
    assert [User(password_hash=h).check_password(p) for h, p in zip(hashed, passwords)] == [True] * 6
    assert User(password_hash=hashed[0]).check_password(passwords[1]) is False


def test_accounts_and_cohorts_refuse_names_longer_than_their_columns(session):
    from trainer.team.people import PeopleError, create_cohort, create_user
    with pytest.raises(PeopleError, match="120"):
        create_user(session, username="fz.long", role="trainee", actor=None, display_name="Я" * 121)
    with pytest.raises(PeopleError, match="120"):
        create_cohort(session, "Г" * 121)


def test_generated_passwords_are_long_and_avoid_look_alike_characters():
    from trainer.team.people import generate_password
    passwords = {generate_password() for _ in range(300)}
    assert len(passwords) == 300
    assert all(len(p) >= 12 for p in passwords)
    used = set("".join(passwords))
    assert not used & set("0Oo1lIi")
    assert used <= set("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    assert len(used) > 40  # the whole alphabet is drawn on, not a few characters


def test_a_blocked_trainee_leaves_current_lists_but_not_history(app, world):
    from datetime import datetime

    from trainer.extensions import db
    from trainer.models import User
    from trainer.team import access
    from trainer.team.people import block_user, unblock_user

    with app.app_context():
        def ids(query):
            return set(db.session.scalars(query))
        trainee = db.session.get(User, world.trainee_a)
        assert block_user(db.session, trainee, datetime(2026, 3, 1), actor=None) is True
        assert block_user(db.session, trainee, datetime(2026, 3, 2), actor=None) is False  # already blocked: kept as it was
        db.session.commit()
        assert trainee.blocked_at == datetime(2026, 3, 1)
        assert ids(access.members_of(world.cohort_a)) == set()
        assert ids(access.members_of(world.cohort_a, include_blocked=True)) == {world.trainee_a}
        assert access.cohort_trainees(db.session, world.cohort_a) == []
        assert [u.id for u in access.cohort_trainees(db.session, world.cohort_a, include_blocked=True)] == [world.trainee_a]
        supervisor = db.session.get(User, world.sup_a)
        # Their supervisor still reads their history.
        assert access.can_see_user(db.session, supervisor, world.trainee_a)
        assert world.trainee_a in ids(access.visible_trainee_ids(supervisor))
        assert unblock_user(db.session, trainee, datetime(2026, 3, 3), actor=None) is True and \
            unblock_user(db.session, trainee, datetime(2026, 3, 3), actor=None) is False
        db.session.commit()
        assert ids(access.members_of(world.cohort_a)) == {world.trainee_a}


def test_the_last_active_admin_cannot_be_blocked_or_demoted(app, users):
    from datetime import datetime

    from trainer.extensions import db
    from trainer.models import User
    from trainer.team.people import PeopleError, block_user, change_role

    with app.test_request_context():
        admin = db.session.get(User, users["admin"])
        with pytest.raises(PeopleError, match="єдиний активний адміністратор"):
            block_user(db.session, admin, datetime(2026, 3, 1), actor=None)
        second = db.session.get(User, users["supervisor"])
        second.role = "admin"
        db.session.flush()
        block_user(db.session, second, datetime(2026, 3, 1), actor=None)  # another admin may go while one stays active
        # The blocked admin does not count: the active one is still the last.
        with pytest.raises(PeopleError):
            block_user(db.session, admin, datetime(2026, 3, 1), actor=None)
        with pytest.raises(PeopleError, match="єдиний адміністратор"):
            change_role(db.session, admin, "trainee", actor=None)
        assert admin.blocked_at is None and admin.role == "admin"
        change_role(db.session, admin, "trainee", actor=None, keep_an_admin=False)  # the command line's way back
        assert admin.role == "trainee"


def test_a_supervisor_made_a_trainee_leaves_the_cohorts_they_supervised(app, world):
    from trainer.extensions import db
    from trainer.models import Cohort, CohortMember, User
    from trainer.team.people import change_role, set_membership

    with app.test_request_context():
        supervisor = db.session.get(User, world.sup_a)
        set_membership(db.session, db.session.get(Cohort, world.cohort_b), supervisor, "supervisor", actor=None)
        extra = Cohort(name="Одеса")
        db.session.add(extra)
        db.session.flush()
        set_membership(db.session, extra, supervisor, "trainee", actor=None)  # a supervisor may also train
        assert change_role(db.session, supervisor, "admin", actor=None) == []  # an admin may still supervise
        left = change_role(db.session, supervisor, "trainee", actor=None)
        db.session.commit()
        assert left == ["Київ-1", "Львів-2"]
        roles = dict(db.session.execute(select(CohortMember.cohort_id, CohortMember.role)
                                        .where(CohortMember.user_id == world.sup_a)).all())
        assert roles == {extra.id: "trainee"}


def test_set_membership_says_what_it_did_and_refuses_blocked_people(app, world):
    from datetime import datetime

    from trainer.extensions import db
    from trainer.models import Cohort, User
    from trainer.team.people import PeopleError, block_user, set_membership

    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        other = db.session.get(User, world.trainee_b)
        assert set_membership(db.session, cohort, other, "trainee", actor=None) == "added"
        assert set_membership(db.session, cohort, other, "trainee", actor=None) == "unchanged"
        supervisor_b = db.session.get(User, world.sup_b)
        assert set_membership(db.session, cohort, supervisor_b, "trainee", actor=None) == "added"
        assert set_membership(db.session, cohort, supervisor_b, "supervisor", actor=None) == "changed"
        block_user(db.session, other, datetime(2026, 3, 1), actor=None)
        with pytest.raises(PeopleError, match="заблоковано"):
            set_membership(db.session, cohort, other, "trainee", actor=None)


def test_a_cohort_is_renamed_and_described_and_names_stay_unique(session):
    from trainer.team.people import PeopleError, create_cohort, update_cohort
    typo, other = create_cohort(session, "Киів-1"), create_cohort(session, "Львів-2")
    assert update_cohort(session, typo, "  Київ-1 ", " Ранкова зміна ") is True
    assert (typo.name, typo.description) == ("Київ-1", "Ранкова зміна")
    assert update_cohort(session, typo, "Київ-1", "Ранкова зміна") is False
    assert update_cohort(session, typo, "КИЇВ-1", "Ранкова зміна") is True  # its own name, other capitals
    with pytest.raises(PeopleError, match="вже існує|уже існує"):
        update_cohort(session, other, "київ-1", "")
    with pytest.raises(PeopleError):
        update_cohort(session, other, "   ", "")
    assert other.name == "Львів-2"


def test_only_a_cohort_with_no_members_and_no_assignments_is_deleted(session, users):
    from trainer.models import Assignment, Cohort, CohortMember
    from trainer.team.people import PeopleError, create_cohort, delete_cohort
    empty, with_member, assigned = (create_cohort(session, name) for name in ("Порожня", "З людьми", "Із завданням"))
    session.add(CohortMember(cohort_id=with_member.id, user_id=users["trainee"], role="trainee"))
    session.add(Assignment(scenario_id="example-queue", cohort_id=assigned.id, created_by=users["supervisor"]))
    session.flush()
    delete_cohort(session, empty)
    session.flush()
    assert session.get(Cohort, empty.id) is None
    with pytest.raises(PeopleError, match="ще є люди"):
        delete_cohort(session, with_member)
    with pytest.raises(PeopleError, match="призначали сценарії"):
        delete_cohort(session, assigned)
    session.flush()
    assert session.get(Cohort, with_member.id) is not None and session.get(Cohort, assigned.id) is not None
    assert session.get(CohortMember, (with_member.id, users["trainee"])) is not None


def test_several_people_join_a_cohort_at_once_all_or_nothing(session, users):
    from trainer.models import CohortMember, User, utcnow
    from trainer.team.people import PeopleError, add_members, create_cohort, non_members
    cohort = create_cohort(session, "Нова")
    trainee, other, supervisor = (session.get(User, users[r]) for r in ("trainee", "other", "supervisor"))
    other.display_name = "Олена Коваль"
    outside = {u.username for u in non_members(session, cohort)}
    assert {"test.trainee", "test.other", "test.supervisor", "test.admin"} <= outside
    assert [u.username for u in non_members(session, cohort, "  КОВАЛЬ ")] == ["test.other"]
    assert [u.username for u in non_members(session, cohort, "trainee")] == ["test.trainee"]

    with pytest.raises(PeopleError, match="test.trainee"):  # a trainee cannot supervise
        add_members(session, cohort, [supervisor, trainee], "supervisor", actor=None)
    assert session.get(CohortMember, (cohort.id, supervisor.id)) is None  # nothing half-done

    added = add_members(session, cohort, [trainee, other], "trainee", actor=None)
    session.flush()
    assert {u.username for u in added} == {"test.trainee", "test.other"}
    assert {u.username for u in non_members(session, cohort)}.isdisjoint({"test.trainee", "test.other"})
    assert add_members(session, cohort, [trainee], "trainee", actor=None) == []  # already in, with that role

    supervisor.blocked_at = utcnow()
    assert "test.supervisor" not in {u.username for u in non_members(session, cohort)}
    with pytest.raises(PeopleError, match="заблоковано"):
        add_members(session, cohort, [supervisor], "trainee", actor=None)
