"""Changing one's own password (trainer/auth/account.py), with the database but no request."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from trainer.auth.account import change_own_password
from trainer.auth.passwords import Problem
from trainer.auth.throttle import Policy, failures_left

NOW = datetime(2026, 11, 23, 9, 0)
POLICY = Policy(user_limit=3, address_limit=20, window=timedelta(minutes=15))
CHOSEN = "вишня цвіте у квітні"


@pytest.fixture
def session(app, users):
    from trainer.extensions import db

    with app.app_context():
        yield db.session


@pytest.fixture
def trainee(session, users):
    from trainer.models import User

    user = session.get(User, users["trainee"])
    user.password_temporary = True  # as an administrator left it
    session.commit()
    return user


def change(session, user, current, new, now=NOW):
    return change_own_password(session, POLICY, user, current, new, "10.0.0.1", now)


def test_the_right_current_password_and_an_acceptable_new_one_change_it(session, trainee):
    old_hash = trainee.password_hash
    result = change(session, trainee, "test.trainee", CHOSEN)
    session.commit()
    assert result.saved and not result.problems and not result.wrong_current
    assert trainee.password_hash != old_hash
    assert trainee.check_password(CHOSEN) and not trainee.check_password("test.trainee")
    assert trainee.password_temporary is False  # chosen by the person now


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_login(session, trainee):
    old_hash = trainee.password_hash
    result = change(session, trainee, "not the password", CHOSEN)
    session.commit()
    assert not result.saved and result.wrong_current
    assert result.failures_left == 2 == failures_left(session, POLICY, "test.trainee", NOW)
    assert trainee.password_hash == old_hash and trainee.password_temporary


def test_the_last_wrong_try_locks_the_name_and_then_even_the_right_one_is_not_checked(session, trainee):
    for left in (2, 1):
        assert change(session, trainee, "wrong", CHOSEN).failures_left == left
    locking = change(session, trainee, "wrong", CHOSEN)
    assert locking.failures_left == 0 and locking.locked_for == timedelta(minutes=15)
    session.commit()
    refused = change(session, trainee, "test.trainee", CHOSEN, now=NOW + timedelta(minutes=1))
    assert refused.retry_after == timedelta(minutes=14) and not refused.saved
    assert not trainee.check_password(CHOSEN)
    later = change(session, trainee, "test.trainee", CHOSEN, now=NOW + timedelta(minutes=16))
    assert later.saved


def test_the_new_passwords_problems_come_with_a_wrong_current_one(session, trainee):
    result = change(session, trainee, "wrong", "qwerty")
    assert result.wrong_current and result.problems == [Problem.TOO_SHORT, Problem.TOO_SIMPLE]


def test_a_bad_new_password_after_the_right_current_one_changes_nothing(session, trainee):
    old_hash = trainee.password_hash
    result = change(session, trainee, "test.trainee", "my test.trainee account")
    assert not result.saved and not result.wrong_current and result.problems == [Problem.HAS_NAME]
    assert trainee.password_hash == old_hash
    # A right current password clears the name's failures, as a successful login does.
    assert failures_left(session, POLICY, "test.trainee", NOW) == 3


def test_the_current_password_again_is_not_a_new_one(session, trainee):
    trainee.set_password(CHOSEN)
    result = change(session, trainee, CHOSEN, CHOSEN)
    assert result.same and not result.saved and not result.problems


def test_changing_the_password_is_not_a_login(session, trainee):
    assert trainee.last_login_at is None
    assert change(session, trainee, "test.trainee", CHOSEN).saved
    assert trainee.last_login_at is None
