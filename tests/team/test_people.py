"""Accounts, cohorts and the all-or-nothing users CSV import."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select


@pytest.fixture
def session(app, users):
    from trainer.extensions import db
    # A request context: problem messages are lazy translations rendered for a reader.
    with app.test_request_context():
        yield db.session


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


GOOD = """username,display_name,role,cohort,locale,password
o.koval,Олена Коваль,trainee,Київ-1,uk,
p.bondar,Петро Бондар,supervisor,Київ-1,,longpassword
""".encode()


def test_dry_run_reports_every_bad_row_and_writes_nothing(session):
    from trainer.models import User
    from trainer.team.people import plan_import
    bad = """username,display_name,role,cohort
ok.one,Перший,trainee,
X,Bad name,trainee,
test.trainee,Exists,trainee,
ok.one,Repeat,trainee,
ok.two,Wrong role,boss,
""".encode()
    before = _count(session, User)
    plan = plan_import(session, bad)
    assert not plan.ok
    lines = sorted(p.line for p in plan.problems)
    assert lines == [3, 4, 5, 6]
    text = " ".join(str(p.message) for p in plan.problems)
    assert "test.trainee" in text and "повторює рядок 2" in text and "boss" in text
    assert _count(session, User) == before


def test_header_problems_name_the_columns(session):
    from trainer.team.people import plan_import
    plan = plan_import(session, b"login,role,shoe_size\nx,trainee,42\n")
    messages = " ".join(str(p.message) for p in plan.problems)
    assert "username" in messages and "shoe_size" in messages
    assert all(p.line == 1 for p in plan.problems)


def test_clean_file_imports_users_cohorts_and_memberships(session):
    from trainer.models import Cohort, CohortMember, User
    from trainer.team.people import PeopleError, plan_import, run_import
    plan = plan_import(session, GOOD)
    assert plan.ok and plan.new_cohorts == ["Київ-1"]
    created = run_import(session, plan)
    session.commit()
    by_name = {u.username: pw for u, pw in created}
    assert by_name["p.bondar"] is None and len(by_name["o.koval"]) >= 10  # generated, shown once
    olena = session.scalar(select(User).where(User.username == "o.koval"))
    assert olena.display_name == "Олена Коваль" and olena.locale == "uk" and olena.check_password(by_name["o.koval"])
    cohort = session.scalar(select(Cohort).where(Cohort.name == "Київ-1"))
    roles = dict(session.execute(select(User.username, CohortMember.role).join(CohortMember)
                                 .where(CohortMember.cohort_id == cohort.id)).all())
    assert roles == {"o.koval": "trainee", "p.bondar": "supervisor"}
    again = plan_import(session, GOOD)  # the same file twice: every row now exists
    assert not again.ok and len(again.problems) == 2
    with pytest.raises(PeopleError):
        run_import(session, again)


def test_semicolons_and_windows_1251_are_understood(session):
    from trainer.team.people import plan_import
    data = "username;display_name;role\nn.shevchenko;Наталія Шевченко;trainee\n".encode("cp1251")
    plan = plan_import(session, data)
    assert plan.ok and plan.rows[0]["display_name"] == "Наталія Шевченко"


def test_membership_roles_follow_account_roles(session, users):
    from trainer.models import User
    from trainer.team.people import PeopleError, create_cohort, set_membership
    cohort = create_cohort(session, "Одеса")
    with pytest.raises(PeopleError):
        set_membership(session, cohort, session.get(User, users["trainee"]), "supervisor")
    with pytest.raises(PeopleError):
        create_cohort(session, "одеса")  # names are unique regardless of case


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


def test_an_import_hashes_its_passwords_in_one_batch(session, monkeypatch):
    from trainer.team import people
    batches = []
    real = people.hash_passwords
    monkeypatch.setattr(people, "hash_passwords", lambda passwords: batches.append(list(passwords)) or real(passwords))
    created = people.run_import(session, people.plan_import(session, GOOD))
    assert len(batches) == 1 and len(batches[0]) == 2 and "longpassword" in batches[0]
    assert all(user.check_password(password or "longpassword") for user, password in created)


def _problems(plan) -> dict[int, str]:
    found: dict[int, str] = {}
    for p in plan.problems:
        found[p.line] = (found.get(p.line, "") + " " + str(p.message)).strip()
    return found


def test_cohorts_spelled_with_other_capitals_are_reported_before_the_import(session):
    from trainer.models import Cohort
    from trainer.team.people import create_cohort, plan_import
    create_cohort(session, "Київ-1")
    plan = plan_import(session, "username,role,cohort\nfz.a,trainee,Нова група\nfz.b,trainee,нова група\n"
                                "fz.c,trainee,Нова група\nfz.d,trainee,київ-1\n".encode())
    problems = _problems(plan)
    # The import would have failed on the second spelling (cohort names are unique in any case).
    assert list(problems) == [3]
    assert "«нова група»" in problems[3] and "«Нова група»" in problems[3] and "рядку 2" in problems[3]
    assert "напишіть її однаково" in problems[3]
    assert plan.new_cohorts == ["Нова група"]
    # An existing cohort written in other capitals is that cohort, not a new one.
    assert plan.rows[3]["cohort"] == "Київ-1"
    assert _count(session, Cohort) == 1


def test_cohorts_in_one_spelling_import_cleanly(session):
    from trainer.models import Cohort, CohortMember
    from trainer.team.people import create_cohort, plan_import, run_import
    create_cohort(session, "Київ-1")
    plan = plan_import(session, "username,role,cohort\nfz.a,trainee,Нова група\nfz.b,trainee,Нова група\n"
                                "fz.c,trainee,КИЇВ-1\n".encode())
    assert plan.ok
    run_import(session, plan)
    assert sorted(session.scalars(select(Cohort.name))) == ["Київ-1", "Нова група"]
    assert _count(session, CohortMember) == 3


def test_overlong_names_and_passwords_are_reported_with_their_lines(session):
    from trainer.models import User
    from trainer.team.people import plan_import
    rows = ["username,display_name,role,cohort,password",
            f"fz.long,{'Я' * 121},trainee,,",
            f"fz.group,Ім’я,trainee,{'Г' * 121},",
            f"fz.pass,Ім’я,trainee,,{'p' * 201}",
            "fz.short,Ім’я,trainee,,short",
            f"fz.edge,{'Я' * 120},trainee,{'Г' * 120},{'p' * 200}"]
    plan = plan_import(session, "\n".join(rows).encode())
    problems = _problems(plan)
    assert sorted(problems) == [2, 3, 4, 5]  # the values at the limits (line 6) are fine
    assert "повне ім’я (display_name) довше за 120 символів (121); скоротіть його" in problems[2]
    assert "назва групи (cohort) довша за 120 символів (121); скоротіть її" in problems[3]
    assert "пароль довший за 200 символів" in problems[4]
    assert "пароль коротший за 8 символів" in problems[5]
    assert _count(session, User) == 4  # the test users only


def test_accounts_and_cohorts_refuse_names_longer_than_their_columns(session):
    from trainer.team.people import PeopleError, create_cohort, create_user
    with pytest.raises(PeopleError, match="120"):
        create_user(session, username="fz.long", role="trainee", display_name="Я" * 121)
    with pytest.raises(PeopleError, match="120"):
        create_cohort(session, "Г" * 121)


def test_a_repeated_column_is_reported_with_its_line_and_columns(session):
    from trainer.team.people import plan_import
    plan = plan_import(session, b"username,Username,role\nfz.a,fz.b,trainee\n")
    assert not plan.ok and not plan.rows
    problems = _problems(plan)
    assert list(problems) == [1]
    assert "стовпець username повторюється (стовпці 1, 2); залиште один із них" in problems[1]


def test_already_imported_means_every_account_in_the_file_exists(session):
    from trainer.team.people import already_imported, create_user, plan_import
    plan = plan_import(session, b"username,role\nfz.a,trainee\nfz.b,trainee\n")
    assert not already_imported(session, plan)
    create_user(session, username="fz.a", role="trainee")
    assert not already_imported(session, plan)  # one of two: a clash, not the same import
    create_user(session, username="fz.b", role="trainee")
    assert already_imported(session, plan)
