"""The users import page as an admin sees it (templates/admin/import.html): the column
names it accepts, how problems of the whole file are shown, and the step after a check."""
from __future__ import annotations

import io
import re
from html import unescape

import pytest
from sqlalchemy import select

from tests.conftest import Auth, csrf_token


def _set_locale(app, username: str, locale: str) -> None:
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        db.session.execute(select(User).where(User.username == username)).scalar_one().locale = locale
        db.session.commit()


def _check(client, data: bytes):
    html = client.get("/admin/users/import").get_data(as_text=True)
    return client.post("/admin/users/import", data={"csrf_token": csrf_token(html), "check": "1",
                                                    "file": (io.BytesIO(data), "team.csv")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("locale", ["uk", "en"])
def test_the_page_lists_every_ukrainian_column_name_next_to_the_english_one(app, client, users, locale):
    from trainer.team.people_import import COLUMNS, HEADER_ALIASES
    _set_locale(app, "test.admin", locale)
    Auth(client).login("test.admin")
    page = unescape(client.get("/admin/users/import").get_data(as_text=True))
    table = page.split('<caption id="cap-admin-import-columns">')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row"><code lang="en">([a-z_]+)</code></th><td><span lang="uk">([^<]+)</span></td>',
                      table)
    assert rows == [(column, ", ".join(HEADER_ALIASES[column])) for column in COLUMNS]
    heading = {"uk": "Стовпці файлу", "en": "Columns of the file"}[locale]
    assert table.startswith(heading)


def test_a_file_with_ukrainian_headers_is_checked_and_imported(app, client, users):
    from trainer.extensions import db
    from trainer.models import User
    Auth(client).login("test.admin")
    r = _check(client, "Логін;ПІБ;Роль\r\na.hdr;Анна Гнатюк;Слухач\r\n".encode("utf-8-sig"))
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Анна Гнатюк" in page
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "content": content, "confirm": "1"})
    assert r.status_code == 200
    # The passwords are handed to people, who are known by name: the name is beside each.
    row = re.search(r"<tr><th scope=\"row\">a\.hdr</th>.*?</tr>", r.get_data(as_text=True), re.S).group(0)
    assert "<td>Анна Гнатюк</td>" in row and "<code>" in row
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "a.hdr"))
        assert user.display_name == "Анна Гнатюк" and user.role == "trainee"


def test_the_english_page_names_the_column_as_the_file_does(app, client, users):
    _set_locale(app, "test.admin", "en")
    Auth(client).login("test.admin")
    r = _check(client, "Логін;Роль\nBad Name;Слухач\n".encode())
    page = unescape(r.get_data(as_text=True))
    assert r.status_code == 422
    assert "<li>Line 2: Логін “Bad Name”: use 3–80 lower-case Latin letters" in page


def test_a_header_only_file_is_reported_without_a_line(client, users):
    Auth(client).login("test.admin")
    r = _check(client, b"username,role\r\n")
    page = unescape(r.get_data(as_text=True))
    assert r.status_code == 422
    items = re.findall(r"<li>(.*?)</li>", page.split('class="error-summary"')[1].split("</ul>")[0], re.S)
    assert items == ["У файлі є лише рядок заголовка, а людей немає: додайте під ним по рядку на кожну людину."]


def _forms(page: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", page, re.S)


def test_after_a_clean_check_choosing_another_file_is_a_step_of_its_own(client, users):
    """The import button and the upload field are two forms under two headings, so the
    import cannot be read as importing whatever file is chosen below it."""
    Auth(client).login("test.admin")
    page = unescape(_check(client, b"username,role\nfz.a,trainee\n").get_data(as_text=True))
    confirm, upload = [f for f in _forms(page) if 'name="confirm"' in f or 'type="file"' in f]
    assert 'name="confirm"' in confirm and 'class="actions"' in confirm and 'type="file"' not in confirm
    assert 'type="file"' in upload and 'name="confirm"' not in upload
    between = page[page.index(confirm) + len(confirm):page.index(upload)]
    assert '<section aria-labelledby="another-h">' in between
    assert '<h2 id="another-h">Або перевірте інший файл</h2>' in between
    assert "Кнопка імпорту вище імпортує вже перевірений файл." in between


def test_after_a_failed_check_the_upload_asks_for_the_corrected_file(client, users):
    Auth(client).login("test.admin")
    page = unescape(_check(client, b"username,role\nfz.a,boss\n").get_data(as_text=True))
    assert '<h2 id="another-h">Перевірте виправлений файл</h2>' in page
    assert "Або перевірте інший файл" not in page


def test_before_any_check_the_upload_has_no_second_heading(client, users):
    Auth(client).login("test.admin")
    page = unescape(client.get("/admin/users/import").get_data(as_text=True))
    assert 'id="another-h"' not in page and 'type="file"' in page


# -- English review: finding 4 (a plural) and accounts made by the import start unlocked ----------

def _import(client, data: bytes) -> str:
    """Check ``data`` and confirm it; the page after the import."""
    page = _check(client, data).get_data(as_text=True)
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    done = client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "content": content, "confirm": "1"})
    assert done.status_code == 200
    return unescape(done.get_data(as_text=True))


@pytest.mark.parametrize(("locale", "rows", "said"), [
    ("en", ["a.one"], "1 account imported."),
    ("en", ["a.one", "a.two"], "2 accounts imported."),
    ("uk", ["a.one"], "Імпортовано 1 обліковий запис."),
    ("uk", ["a.one", "a.two"], "Імпортовано 2 облікові записи."),
])
def test_the_import_counts_the_accounts_with_the_right_plural(app, client, users, locale, rows, said):
    """It said «1 accounts imported.»."""
    _set_locale(app, "test.admin", locale)
    Auth(client).login("test.admin")
    page = _import(client, ("username,role\r\n" + "".join(f"{name},trainee\r\n" for name in rows)).encode())
    assert said in page


def test_an_imported_account_is_not_locked_by_failures_before_it_existed(app, client, users):
    """As an account created on its own page (tests/test_admin.py): someone tried the name
    before the import made it, and the new person could not log in for a quarter of an hour."""
    guesser = Auth(app.test_client())
    for _ in range(5):
        guesser.login("new.person", password="wrong password")
    assert guesser.login("new.person", password="a-good-password").status_code == 429  # locked
    Auth(client).login("test.admin")
    _import(client, b"username,role,password\r\nnew.person,trainee,a-good-password\r\n")
    person = app.test_client()
    person.environ_base["REMOTE_ADDR"] = "10.2.3.4"  # another address: the name's lock is what counts
    assert Auth(person).login("new.person", "a-good-password").status_code == 302
