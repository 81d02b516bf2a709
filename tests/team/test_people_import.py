"""The all-or-nothing users CSV import (trainer.team.people_import)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


GOOD = """username,display_name,role,cohort,locale,password
o.koval,Олена Коваль,trainee,Київ-1,uk,
p.bondar,Петро Бондар,supervisor,Київ-1,,longpassword
""".encode()


def test_dry_run_reports_every_bad_row_and_writes_nothing(session):
    from trainer.models import User
    from trainer.team.people_import import plan_import
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
    from trainer.team.people_import import plan_import
    plan = plan_import(session, b"login,role,shoe_size\nx,trainee,42\n")
    messages = " ".join(str(p.message) for p in plan.problems)
    assert "username" in messages and "shoe_size" in messages
    assert all(p.line == 1 for p in plan.problems)


def test_clean_file_imports_users_cohorts_and_memberships(session):
    from trainer.models import Cohort, CohortMember, User
    from trainer.team.people import PeopleError
    from trainer.team.people_import import plan_import, run_import
    plan = plan_import(session, GOOD)
    assert plan.ok and plan.new_cohorts == ["Київ-1"]
    created = run_import(session, plan, actor=None)
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
        run_import(session, again, actor=None)


ROWS = "username{sep}display_name{sep}role\r\nn.shevchenko{sep}Наталія Шевченко{sep}trainee\r\n"


@pytest.mark.parametrize("encoding, sep", [
    ("utf-8", ","),  # CSV UTF-8 without a byte-order mark
    ("utf-8-sig", ";"),  # Excel's "CSV UTF-8" under a Ukrainian locale: a BOM and semicolons
    ("utf-16", "\t"),  # Excel's "Unicode Text" («Текст Юнікод»): UTF-16 LE with a BOM, tabs
    ("utf-16-be", "\t"),  # the same, big-endian, BOM written by hand below
])
def test_utf8_and_utf16_with_any_of_the_three_separators_are_read(session, encoding, sep):
    from trainer.team.people_import import plan_import
    data = ROWS.format(sep=sep).encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    plan = plan_import(session, data)
    assert plan.ok, [str(p.message) for p in plan.problems]
    assert plan.rows[0]["display_name"] == "Наталія Шевченко" and plan.rows[0]["role"] == "trainee"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "koi8-u"])
def test_legacy_code_pages_are_refused_with_how_to_save_the_file(session, encoding):
    """Read as the wrong code page they give nonsense names without a word; refuse them."""
    from trainer.team.people import PeopleError
    from trainer.team.people_import import plan_import
    with pytest.raises(PeopleError) as refused:
        plan_import(session, "username,display_name,role\no.demchenko,Олена Демченко,trainee\n".encode(encoding))
    message = str(refused.value)
    assert "не в кодуванні UTF-8 чи UTF-16" in message
    assert "«Файл → Зберегти як», тип файлу «CSV UTF-8»" in message


def test_utf16_without_a_byte_order_mark_and_spreadsheets_are_refused(session):
    from trainer.team.people import PeopleError
    from trainer.team.people_import import plan_import
    with pytest.raises(PeopleError, match="CSV UTF-8"):
        plan_import(session, ROWS.format(sep="\t").encode("utf-16-le"))  # no BOM: NUL bytes in "UTF-8"
    with pytest.raises(PeopleError, match="електронна таблиця"):
        plan_import(session, b"PK\x03\x04" + b"\x00" * 20)  # an .xlsx saved under a .csv name


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b" \r\n\r\n", "\n".encode("utf-16")])
def test_an_empty_file_says_it_is_empty_and_what_it_should_hold(session, data):
    from trainer.team.people import PeopleError
    from trainer.team.people_import import plan_import
    with pytest.raises(PeopleError) as refused:
        plan_import(session, data)
    assert str(refused.value).startswith("Файл порожній. Його перший рядок має містити назви стовпців")


def test_the_separator_is_the_one_the_header_uses():
    from trainer.team.people_import import separator
    assert separator("username,display_name,role") == ","
    assert separator("username;display_name;role") == ";"
    assert separator("username\tdisplay_name\trole") == "\t"
    assert separator("username") == ","


def test_role_names_as_the_interface_shows_them_are_accepted(app, session):
    """The role column takes the labels of the account form, in either language and any case."""
    from flask_babel import force_locale

    from trainer.admin.forms import ROLE_CHOICES
    from trainer.team.people_import import plan_import
    with force_locale("uk"):
        uk = {role: str(label) for role, label in ROLE_CHOICES.items()}
    with force_locale("en"):
        en = {role: str(label) for role, label in ROLE_CHOICES.items()}
    assert uk == {"trainee": "Слухач", "supervisor": "Керівник", "admin": "Адміністратор"}
    given = [(uk["trainee"].upper(), "trainee"), (uk["supervisor"].lower(), "supervisor"), (uk["admin"], "admin"),
             (en["admin"], "admin"), ("Supervisor", "supervisor"), ("слухачка", "trainee"), ("TRAINEE", "trainee")]
    lines = [f"fz.role{i},{name}" for i, (name, _role) in enumerate(given)]
    plan = plan_import(session, ("username,role\n" + "\n".join(lines) + "\n").encode())
    assert plan.ok, [str(p.message) for p in plan.problems]
    assert [row["role"] for row in plan.rows] == [role for _name, role in given]
    wrong = plan_import(session, "username,role\nfz.x,Начальник\n".encode())
    message = str(wrong.problems[0].message)
    assert "role «Начальник»" in message and "Слухач, Керівник, Адміністратор" in message


def test_formula_like_values_still_end_up_only_as_text(session):
    """A name that a spreadsheet would run stays a plain value in the plan (escaping is for
    the files the app writes, see test_credentials_csv_...)."""
    from trainer.team.people_import import plan_import
    plan = plan_import(session, "username;display_name;role\nfz.f;=1+2;слухач\n".encode("utf-8-sig"))
    assert plan.ok and plan.rows[0]["display_name"] == "=1+2"


def test_an_import_hashes_its_passwords_in_one_batch(session, monkeypatch):
    from trainer.team import people_import
    batches = []
    real = people_import.hash_passwords
    monkeypatch.setattr(people_import, "hash_passwords",
                        lambda passwords: batches.append(list(passwords)) or real(passwords))
    created = people_import.run_import(session, people_import.plan_import(session, GOOD), actor=None)
    assert len(batches) == 1 and len(batches[0]) == 2 and "longpassword" in batches[0]
    assert all(user.check_password(password or "longpassword") for user, password in created)


def _problems(plan) -> dict[int, str]:
    found: dict[int, str] = {}
    for p in plan.problems:
        found[p.line] = (found.get(p.line, "") + " " + str(p.message)).strip()
    return found


def test_cohorts_spelled_with_other_capitals_are_reported_before_the_import(session):
    from trainer.models import Cohort
    from trainer.team.people import create_cohort
    from trainer.team.people_import import plan_import
    create_cohort(session, "Київ-1")
    plan = plan_import(session, "username,role,cohort\nfz.a,trainee,Нова група\nfz.b,trainee,нова група\n"
                                "fz.c,trainee,Нова група\nfz.d,trainee,київ-1\n".encode())
    problems = _problems(plan)
    # The import would have failed on the second spelling (cohort names are unique in any case).
    assert list(problems) == [3]
    assert "«нова група»" in problems[3] and "«Нова група»" in problems[3] and "рядку 2" in problems[3]
    assert problems[3].startswith("cohort «нова група»") and "напишіть назву однаково" in problems[3]
    assert plan.new_cohorts == ["Нова група"]
    # An existing cohort written in other capitals is that cohort, not a new one.
    assert plan.rows[3]["cohort"] == "Київ-1"
    assert _count(session, Cohort) == 1


def test_cohorts_in_one_spelling_import_cleanly(session):
    from trainer.models import Cohort, CohortMember
    from trainer.team.people import create_cohort
    from trainer.team.people_import import plan_import, run_import
    create_cohort(session, "Київ-1")
    plan = plan_import(session, "username,role,cohort\nfz.a,trainee,Нова група\nfz.b,trainee,Нова група\n"
                                "fz.c,trainee,КИЇВ-1\n".encode())
    assert plan.ok
    run_import(session, plan, actor=None)
    assert sorted(session.scalars(select(Cohort.name))) == ["Київ-1", "Нова група"]
    assert _count(session, CohortMember) == 3


def test_overlong_names_and_passwords_are_reported_with_their_lines(session):
    from trainer.models import User
    from trainer.team.people_import import plan_import
    rows = ["username,display_name,role,cohort,password",
            f"fz.long,{'Я' * 121},trainee,,",
            f"fz.group,Ім’я,trainee,{'Г' * 121},",
            f"fz.pass,Ім’я,trainee,,{'p' * 201}",
            "fz.short,Ім’я,trainee,,short",
            f"fz.edge,{'Я' * 120},trainee,{'Г' * 120},{'p' * 200}"]
    plan = plan_import(session, "\n".join(rows).encode())
    problems = _problems(plan)
    assert sorted(problems) == [2, 3, 4, 5]  # the values at the limits (line 6) are fine
    assert "display_name: понад 120 символів (121); скоротіть" in problems[2]
    assert "cohort: понад 120 символів (121); скоротіть" in problems[3]
    assert "password: понад 200 символів" in problems[4]
    assert "password: менше ніж 8 символів" in problems[5]
    assert _count(session, User) == 4  # the test users only


def test_a_repeated_column_is_reported_with_its_line_and_columns(session):
    from trainer.team.people_import import plan_import
    plan = plan_import(session, b"username,Username,role\nfz.a,fz.b,trainee\n")
    assert not plan.ok and not plan.rows
    problems = _problems(plan)
    assert list(problems) == [1]
    assert "стовпець username повторюється (стовпці 1, 2); залиште один із них" in problems[1]


def test_already_imported_means_every_account_in_the_file_exists(session):
    from trainer.team.people import create_user
    from trainer.team.people_import import already_imported, plan_import
    plan = plan_import(session, b"username,role\nfz.a,trainee\nfz.b,trainee\n")
    assert not already_imported(session, plan)
    create_user(session, username="fz.a", role="trainee", actor=None)
    assert not already_imported(session, plan)  # one of two: a clash, not the same import
    create_user(session, username="fz.b", role="trainee", actor=None)
    assert already_imported(session, plan)


@pytest.mark.parametrize("header", [
    "Логін;ПІБ;Роль;Група;Мова;Пароль",
    "ім'я користувача;повне ім'я;роль;група;мова;пароль",
    "ІМ’Я КОРИСТУВАЧА;Повне ІМʼЯ;РОЛЬ;група;Мова;Пароль",  # any capitals, either apostrophe
    "  Логін ;Ім'я;роль ;Група;мова;пароль",  # stray spaces; «ім'я» alone is the full name
    "username;display_name;role;cohort;locale;password",
])
def test_ukrainian_column_names_are_accepted(session, header):
    from trainer.team.people_import import plan_import
    data = f"{header}\nA.Hdr;Анна Гнатюк;Слухач;Київ-1;uk;long-password\n".encode("utf-8-sig")
    plan = plan_import(session, data)
    assert plan.ok, [str(p.message) for p in plan.problems]
    row = plan.rows[0]
    assert (row["username"], row["display_name"], row["role"], row["cohort"], row["locale"], row["password"]) == \
        ("a.hdr", "Анна Гнатюк", "trainee", "Київ-1", "uk", "long-password")


def test_every_ukrainian_name_maps_to_its_column():
    from trainer.team.people_import import COLUMNS, HEADER_ALIASES, HEADERS, header_key
    assert set(HEADER_ALIASES) == set(COLUMNS)
    assert HEADER_ALIASES["username"] == ("ім'я користувача", "логін")
    assert HEADER_ALIASES["display_name"] == ("повне ім'я", "ПІБ", "ім'я")
    for column, names in HEADER_ALIASES.items():
        for name in names:
            for apostrophe in "'’ʼ":
                assert HEADERS[header_key(name.replace("'", apostrophe).upper())] == column
    assert header_key("login") not in HEADERS  # only the English ids and the Ukrainian names


def test_row_messages_name_the_columns_and_quote_the_values_as_the_file_writes_them(session):
    from trainer.team.people_import import plan_import
    data = ("Логін;Повне імʼя;Роль;Мова;Пароль;Група\n"
            "Bad Name;Анна;Начальник;DE;short;\n"
            "Test.Trainee;Борис;слухач;;;\n"
            "ok.one;Віра;слухач;;;\n"
            "OK.One;Галина;слухач;;;" + "Г" * 121 + "\n").encode()
    problems = _problems(plan_import(session, data))
    assert sorted(problems) == [2, 3, 5]
    assert "Логін «Bad Name»: використайте 3–80" in problems[2]
    assert "Роль «Начальник»: вкажіть trainee" in problems[2]
    assert "Мова «DE»: вкажіть uk, en" in problems[2]
    assert "Пароль: менше ніж 8 символів" in problems[2]
    assert problems[3] == "Логін «Test.Trainee»: такий обліковий запис уже існує"
    assert "Логін «OK.One» повторює рядок 4" in problems[5]
    assert "Група: понад 120 символів (121)" in problems[5]


def test_a_username_is_quoted_as_written_not_lower_cased(session):
    """The message shows the cell as it is in the file, so the admin can search for it."""
    from trainer.team.people_import import plan_import
    problems = _problems(plan_import(session, b"username,role\nBad Name,trainee\nTEST.ADMIN,admin\n"))
    assert problems[2].startswith("username «Bad Name»: ") and "bad name" not in problems[2]
    assert problems[3] == "username «TEST.ADMIN»: такий обліковий запис уже існує"


def test_header_messages_name_the_columns_as_the_file_does(session):
    from trainer.team.people_import import plan_import
    problems = _problems(plan_import(session, "ПІБ;Посада;Роль\nАнна;Соцпрацівниця;Слухач\n".encode()))
    assert list(problems) == [1]
    assert "бракує стовпців: username / ім'я користувача / логін;" in problems[1]
    assert "невідомі стовпці: Посада;" in problems[1]  # as written, not lower-cased
    assert "role / роль" in problems[1] and "display_name / повне ім'я / ПІБ / ім'я" in problems[1]


def test_two_names_for_one_column_are_reported_as_the_file_spells_them(session):
    from trainer.team.people_import import plan_import
    problems = _problems(plan_import(session, "username;Логін;роль\nfz.a;fz.b;слухач\n".encode()))
    assert list(problems) == [1]
    assert "стовпці username, Логін означають одне й те саме, username (стовпці 1, 2); залиште один із них" \
        in problems[1]


@pytest.mark.parametrize("data", [b"username,role\n", b"username,role", b"username,role\n\n,\n \n"])
def test_a_header_only_file_is_reported_without_a_line_number(session, data):
    """There is no line of people to point at: the problem is the file's, not line 2's."""
    from trainer.team.people_import import plan_import
    plan = plan_import(session, data)
    assert not plan.ok and [p.line for p in plan.problems] == [None]
    assert str(plan.problems[0].message) == ("У файлі є лише рядок заголовка, а людей немає: додайте під ним "
                                             "по рядку на кожну людину.")


def test_the_header_line_is_counted_after_blank_lines_before_it(session):
    from trainer.team.people_import import plan_import
    plan = plan_import(session, b"\n\nusername,role,shoe_size\nfz.a,trainee,42\n")
    assert {p.line for p in plan.problems} == {3}


def test_credentials_csv_is_utf8_with_a_bom_and_escapes_formulas():
    import csv
    import io

    from trainer.team.people_import import credentials_csv
    data = credentials_csv(["Ім'я користувача", "Повне ім'я", "Роль", "Пароль"],
                           [["o.koval", "Олена Коваль", "Слухач", "abcDEF234xyz"],
                            ["x.bad", "=HYPERLINK(\"http://evil\")", "Слухач", "pqrSTU567mnb"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Ім'я користувача", "Повне ім'я", "Роль", "Пароль"]
    assert rows[1] == ["o.koval", "Олена Коваль", "Слухач", "abcDEF234xyz"]
    assert rows[2][1] == "'=HYPERLINK(\"http://evil\")"


def test_the_language_column_takes_ua_and_the_languages_names(session):
    """"ua" is what a Ukrainian admin types for Ukrainian (the country's code), or the name."""
    from trainer.team.people_import import plan_import
    rows = "username;role;мова\nl.one;слухач;UA\nl.two;слухач;Українська\nl.three;слухач;English\nl.four;слухач;de\n"
    plan = plan_import(session, rows.encode("utf-8-sig"))
    assert [r["locale"] for r in plan.rows] == ["uk", "uk", "en", "de"]
    assert [p.line for p in plan.problems] == [5] and "uk, en" in str(plan.problems[0].message)
