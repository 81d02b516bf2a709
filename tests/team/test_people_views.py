"""The admin's people pages as an admin uses them: blocking, cohort members, the import's
files and the download of generated passwords (trainer/admin/people.py)."""
from __future__ import annotations

import base64
import csv
import io
import re
from html import unescape

import pytest
from sqlalchemy import select

from tests.conftest import Auth, csrf_token
from tests.team.conftest import play


def _page(client, url):
    response = client.get(url)
    return response, unescape(response.get_data(as_text=True))


def _post(client, url, page_url=None, **data):
    html = client.get(page_url or url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(html), **data})


def _flashes(client, url="/admin/users") -> str:
    html = unescape(client.get(url).get_data(as_text=True))
    return " ".join(re.findall(r'<p class="flash[^"]*">(.*?)</p>', html, re.S))


def _blocked_at(app, user_id):
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        return db.session.get(User, user_id).blocked_at


# -- blocking ------------------------------------------------------------------------

BLOCKED = "Цей обліковий запис заблоковано. Щоб знову ним користуватися, зверніться до адміністратора свого центру."


def test_an_admin_blocks_an_account_and_its_open_session_ends_at_the_next_request(app, world):
    trainee = app.test_client()
    assert Auth(trainee).login("test.trainee").status_code == 302
    assert trainee.get("/").status_code == 200
    admin = app.test_client()
    Auth(admin).login("test.admin")
    url = f"/admin/users/{world.trainee_a}"
    _r, page = _page(admin, url)
    assert "Заблокувати обліковий запис" in page
    r = _post(admin, f"{url}/block", page_url=url)
    assert r.status_code == 302 and r.headers["Location"] == url
    assert _blocked_at(app, world.trainee_a) is not None
    _r, page = _page(admin, url)
    assert "Обліковий запис test.trainee заблоковано" in page and "Розблокувати обліковий запис" in page

    # The trainee's next request finds the session ended, and says why.
    r = trainee.get("/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert BLOCKED in _flashes(trainee, "/login")
    assert "_user_id" not in _session(app, trainee)  # logged out, not just refused once
    assert trainee.get("/").status_code == 302

    r = _post(admin, f"{url}/unblock", page_url=url)
    assert r.status_code == 302 and _blocked_at(app, world.trainee_a) is None
    assert Auth(trainee).login("test.trainee").status_code == 302


def _session(app, client) -> dict:
    """The signed session cookie's contents."""
    cookie = client.get_cookie("session")
    serializer = app.session_interface.get_signing_serializer(app)
    return dict(serializer.loads(cookie.value))


def test_a_blocked_person_is_told_so_only_after_the_right_password(app, client, world):
    from trainer.extensions import db
    from trainer.models import User, utcnow
    with app.app_context():
        db.session.get(User, world.trainee_a).blocked_at = utcnow()
        db.session.commit()
    auth = Auth(client)
    wrong = auth.login("test.trainee", password="not-the-password")
    assert wrong.status_code == 200
    text = unescape(wrong.get_data(as_text=True))
    assert "Невірне ім" in text and "заблоковано" not in text  # a guesser learns nothing
    right = auth.login("test.trainee")
    assert right.status_code == 403
    assert BLOCKED in unescape(right.get_data(as_text=True))
    assert client.get("/").status_code == 302


def test_the_last_active_admin_cannot_block_themselves(app, client, world):
    Auth(client).login("test.admin")
    url = f"/admin/users/{world.admin}"
    r = _post(client, f"{url}/block", page_url=url)
    assert r.status_code == 302
    assert "test.admin — єдиний активний адміністратор" in _flashes(client, url)
    assert _blocked_at(app, world.admin) is None
    assert client.get("/admin/users").status_code == 200


def test_the_people_list_marks_blocked_accounts_and_filters_them(app, client, world):
    from trainer.extensions import db
    from trainer.models import User, utcnow
    with app.app_context():
        db.session.get(User, world.trainee_b).blocked_at = utcnow()
        db.session.commit()
    Auth(client).login("test.admin")

    def names(status=None):
        _r, html = _page(client, "/admin/users" + (f"?status={status}" if status is not None else ""))
        rows = re.findall(r'<tr>\s*<th scope="row"><a [^>]*>([^<]+)</a></th>(.*?)</tr>', html, re.S)
        return {name: ("Заблоковано" in rest) for name, rest in rows}

    everyone = names()
    assert everyone["test.other"] is True and everyone["test.trainee"] is False
    assert names("blocked") == {"test.other": True}
    assert "test.other" not in names("active") and "test.trainee" in names("active")
    assert names("nonsense") == everyone
    _r, html = _page(client, "/admin/users?status=blocked")
    assert '<option selected value="blocked">Заблоковані облікові записи</option>' in html


def test_blocked_trainees_leave_the_dashboard_and_targets_but_stay_in_exports(app, client, world):
    from trainer.extensions import db
    from trainer.models import User, utcnow
    play(app, world.trainee_a)
    with app.app_context():
        db.session.get(User, world.trainee_a).display_name = "Тарас Пішов"
        db.session.get(User, world.trainee_a).blocked_at = utcnow()
        db.session.commit()
    Auth(client).login("test.supervisor")
    _r, assign = _page(client, f"/team/cohorts/{world.cohort_a}/assign")
    assert "Тарас Пішов" not in assign
    _r, dashboard = _page(client, f"/team/cohorts/{world.cohort_a}")
    assert "Тарас Пішов" not in dashboard
    export = client.get(f"/team/export/attempts.csv?cohort={world.cohort_a}").get_data(as_text=True)
    assert "test.trainee" in export  # their history stays
    r, profile = _page(client, f"/team/trainees/{world.trainee_a}")
    assert r.status_code == 200 and "Тарас Пішов" in profile


# -- cohort members ------------------------------------------------------------------

def test_removing_a_member_asks_first_and_reads_well(app, client, world):
    from trainer.extensions import db
    from trainer.models import CohortMember, User
    with app.app_context():
        db.session.get(User, world.trainee_a).display_name = "Олена Демченко"
        db.session.commit()
    Auth(client).login("test.admin")
    cohort_url = f"/admin/cohorts/{world.cohort_a}"
    remove_url = f"{cohort_url}/members/{world.trainee_a}/remove"
    _r, page = _page(client, cohort_url)
    link = re.search(rf'<a href="{remove_url}"\s+aria-label="([^"]+)">([^<]+)</a>', page)
    assert link and link.groups() == ("Вилучити з групи: Олена Демченко", "Вилучити з групи")
    assert "Вилучити Олена" not in page
    assert f'action="{remove_url}"' not in page  # one click does not remove anyone

    r, confirm = _page(client, remove_url)
    assert r.status_code == 200
    assert "Олена Демченко" in confirm and "Київ-1" in confirm and "Слухач" in confirm
    assert re.search(r'<form method="post">.*<button type="submit" class="primary">Вилучити з групи</button>', confirm, re.S)
    assert f'href="{cohort_url}">Скасувати</a>' in confirm
    with app.app_context():
        assert db.session.get(CohortMember, (world.cohort_a, world.trainee_a)) is not None  # asking changed nothing

    r = client.post(remove_url, data={"csrf_token": csrf_token(confirm)})
    assert r.status_code == 302 and r.headers["Location"] == cohort_url
    assert "Олена Демченко більше не в групі «Київ-1». Спроби й результати цієї людини збережено." in _flashes(
        client, cohort_url)
    with app.app_context():
        assert db.session.get(CohortMember, (world.cohort_a, world.trainee_a)) is None
    assert client.get(remove_url).status_code == 404  # no longer a member: nothing to confirm
    assert client.post(remove_url, data={}).status_code == 400  # no CSRF token


def test_adding_a_member_says_who_joined_with_which_role(app, client, world):
    Auth(client).login("test.admin")
    url = f"/admin/cohorts/{world.cohort_a}"
    assert _post(client, url, user=world.sup_b, role="trainee").status_code == 302
    assert _flashes(client, url) == "До групи «Київ-1» додано: sup.b, роль — слухач."
    _post(client, url, user=world.sup_b, role="supervisor")
    assert _flashes(client, url) == "У групі «Київ-1» змінено роль: sup.b тепер керівник."
    _post(client, url, user=world.sup_b, role="supervisor")
    assert _flashes(client, url) == "sup.b вже в групі «Київ-1» із цією роллю; нічого не змінено."


def test_blocked_people_are_marked_on_the_cohort_page_and_cannot_be_added(app, client, world):
    from trainer.extensions import db
    from trainer.models import User, utcnow
    with app.app_context():
        db.session.get(User, world.trainee_a).blocked_at = utcnow()
        db.session.get(User, world.trainee_b).blocked_at = utcnow()
        db.session.commit()
    Auth(client).login("test.admin")
    url = f"/admin/cohorts/{world.cohort_a}"
    _r, page = _page(client, url)
    assert re.search(r'test\.trainee\)</span>\s*<span class="badge">заблоковано</span>', page)
    options = re.search(r'<select[^>]*id="user"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert "test.other" not in options and "test.trainee" not in options and "sup.b" in options
    assert _post(client, url, user=world.trainee_b, role="trainee").status_code == 422
    _r, cohorts = _page(client, "/admin/cohorts")
    assert re.search(rf'<a href="{url}">Київ-1</a></th><td>0</td>', cohorts)  # current trainees only


def test_demoting_a_supervisor_tells_the_admin_which_cohorts_they_left(app, client, world):
    from trainer.extensions import db
    from trainer.models import CohortMember
    Auth(client).login("test.admin")
    url = f"/admin/users/{world.sup_a}"
    r = _post(client, url, username="test.supervisor", display_name="", role="trainee", locale="")
    assert r.status_code == 302
    assert ("Обліковий запис test.supervisor збережено. Слухач не може керувати групою, тому ця людина більше не "
            "керує групами: Київ-1.") in _flashes(client)
    with app.app_context():
        assert db.session.get(CohortMember, (world.cohort_a, world.sup_a)) is None
    _r, cohort = _page(client, f"/admin/cohorts/{world.cohort_a}")
    supervisors = cohort.split("<h2>Керівники</h2>")[1].split("<h2>")[0]
    assert "test.supervisor" not in supervisors


# -- the users import ------------------------------------------------------------------

def _check(client, data: bytes, name: str = "team.csv"):
    html = client.get("/admin/users/import").get_data(as_text=True)
    return client.post("/admin/users/import", data={"csrf_token": csrf_token(html), "check": "1",
                                                    "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_excel_unicode_text_is_checked_and_imported(app, client, users):
    from trainer.extensions import db
    from trainer.models import User
    Auth(client).login("test.admin")
    data = "username\tdisplay_name\trole\r\nn.shevchenko\tНаталія Шевченко\tСлухач\r\n".encode("utf-16")
    r = _check(client, data, "team.txt")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Наталія Шевченко" in page
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "content": content, "confirm": "1"})
    assert r.status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "n.shevchenko"))
        assert user.display_name == "Наталія Шевченко" and user.role == "trainee"


@pytest.mark.parametrize("data, fragment", [
    (b"", "Файл порожній."),
    ("username,role\nо.коваль,trainee\n".encode("cp1251"), "В Excel виберіть «Файл → Зберегти як», тип файлу «CSV UTF-8»"),
])
def test_unreadable_or_empty_files_are_refused_with_what_to_do(client, users, data, fragment):
    Auth(client).login("test.admin")
    r = _check(client, data)
    assert r.status_code == 422 and fragment in unescape(r.get_data(as_text=True))


def test_the_generated_passwords_can_be_downloaded_once_as_csv(app, client, users):
    Auth(client).login("test.admin")
    data = "username,display_name,role,password\nfz.a,Олена Коваль,trainee,\nfz.b,=Формула,supervisor,\n" \
           "fz.c,Своя Людина,trainee,own-password-1\n"
    page = _check(client, data.encode()).get_data(as_text=True)
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "content": content, "confirm": "1"})
    html = r.get_data(as_text=True)
    shown = dict(re.findall(r'<th scope="row">([^<]+)</th><td>[^<]*</td><td><code>([^<]+)</code>', html))
    assert set(shown) == {"fz.a", "fz.b"}
    link = re.search(r'<a class="button" href="data:text/csv;charset=utf-8;base64,([^"]+)" '
                     r'download="trainer-passwords.csv">Завантажити згенеровані паролі \(CSV\)</a>', html)
    assert link, html
    file = base64.b64decode(link.group(1))
    assert file.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(file.decode("utf-8-sig"))))
    assert rows[0] == ["Ім'я користувача", "Повне ім'я", "Роль", "Пароль"]
    assert rows[1:] == [["fz.a", "Олена Коваль", "Слухач", shown["fz.a"]],
                        ["fz.b", "'=Формула", "Керівник", shown["fz.b"]]]  # the file's own password is not in it
    assert "own-password-1" not in html
