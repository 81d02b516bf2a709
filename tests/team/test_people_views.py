"""The admin's people pages as an admin uses them: blocking, cohort members, the import's
files and the download of generated passwords (trainer/admin/people/)."""
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
    assert "Неправильне ім" in text and "заблоковано" not in text  # a guesser learns nothing
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


def test_the_people_list_shows_who_has_not_yet_replaced_a_given_password(app, client, world):
    """After an import, an admin sees who has not yet logged in and chosen their own password;
    a blocked account is not waited for."""
    from trainer.extensions import db
    from trainer.models import User, utcnow
    with app.app_context():
        db.session.get(User, world.trainee_a).password_temporary = True
        other = db.session.get(User, world.trainee_b)
        other.password_temporary, other.blocked_at = True, utcnow()
        db.session.commit()
    Auth(client).login("test.admin")
    _r, html = _page(client, "/admin/users?status=temporary")
    rows = re.findall(r'<tr>\s*<th scope="row"><a [^>]*>([^<]+)</a></th>', html)
    assert rows == ["test.trainee"]
    assert '<option selected value="temporary">Досі з виданим паролем</option>' in html
    with app.app_context():
        db.session.get(User, world.trainee_a).password_temporary = False
        db.session.commit()
    _r, html = _page(client, "/admin/users?status=temporary")
    assert "Усі вже обрали власний пароль." in html


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
    shown = dict(re.findall(r'<th scope="row">([^<]+)</th><td>[^<]*</td><td>[^<]*</td><td><code>([^<]+)</code>', html))
    assert set(shown) == {"fz.a", "fz.b"}
    link = re.search(r'<a class="button" href="data:text/csv;charset=utf-8;base64,([^"]+)" '
                     r'download="trainer-passwords-\d{4}-\d\d-\d\d.csv">Завантажити згенеровані паролі \(CSV\)</a>', html)
    assert link, html
    file = base64.b64decode(link.group(1))
    assert file.startswith(b"\xef\xbb\xbf")
    # Semicolons: Excel in Ukrainian (decimal comma) splits columns there, not at commas.
    assert file.decode("utf-8-sig").splitlines()[0] == "Ім'я користувача;Повне ім'я;Роль;Пароль"
    rows = list(csv.reader(io.StringIO(file.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ім'я користувача", "Повне ім'я", "Роль", "Пароль"]
    assert rows[1:] == [["fz.a", "Олена Коваль", "Слухач", shown["fz.a"]],
                        ["fz.b", "'=Формула", "Керівник", shown["fz.b"]]]  # the file's own password is not in it
    assert "own-password-1" not in html


def _passwords_file(client, data: bytes) -> str:
    page = _check(client, data).get_data(as_text=True)
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    r = client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "content": content, "confirm": "1"})
    link = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', r.get_data(as_text=True))
    return base64.b64decode(link.group(1)).decode("utf-8-sig")


def test_an_english_admin_gets_a_comma_separated_passwords_file(app, client, users):
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        db.session.execute(select(User).where(User.username == "test.admin")).scalar_one().locale = "en"
        db.session.commit()
    Auth(client).login("test.admin")
    text = _passwords_file(client, b"username,display_name,role,password\nen.a,Olena Koval,trainee,\n")
    assert text.splitlines()[0] == "User name,Full name,Role,Password"
    assert list(csv.reader(io.StringIO(text)))[1][:3] == ["en.a", "Olena Koval", "Trainee"]



# -- admin review: blocking asks first; cohorts renamed, deleted, filled in bulk; cohorts on the
# account page (findings 5, 6, 9, 10) -------------------------------------------------------------

def test_blocking_asks_first(app, client, world):
    Auth(client).login("test.admin")
    url = f"/admin/users/{world.trainee_a}"
    _r, page = _page(client, url)
    assert f'action="{url}/block"' not in page  # one click does not block anyone
    assert f'<a class="button" href="{url}/block">Заблокувати обліковий запис</a>' in page
    r, confirm = _page(client, f"{url}/block")
    assert r.status_code == 200 and "<h1>Заблокувати обліковий запис</h1>" in confirm
    assert "test.trainee" in confirm and "сеанс завершиться, щойно вона відкриє іншу сторінку" in confirm
    assert re.search(r'<form method="post">.*<button type="submit" class="primary">Заблокувати обліковий запис'
                     r'</button>\s*<a href="' + url + '">Скасувати</a>', confirm, re.S)
    assert _blocked_at(app, world.trainee_a) is None  # asking changed nothing
    r = client.post(f"{url}/block", data={"csrf_token": csrf_token(confirm)})
    assert r.status_code == 302 and _blocked_at(app, world.trainee_a) is not None
    r = client.get(f"{url}/block")  # blocked already: nothing to ask
    assert r.status_code == 302 and r.headers["Location"] == url


def test_the_account_page_links_the_persons_cohorts(app, client, world):
    Auth(client).login("test.admin")
    _r, page = _page(client, f"/admin/users/{world.sup_a}")
    cohorts = page.split('<h2 id="cohorts-h">Групи</h2>')[1].split("</section>")[0]
    # The role in lower case, as the People list writes it («Київ-1 (керівник)»).
    assert f'<a href="/admin/cohorts/{world.cohort_a}">Київ-1</a> <span class="muted">(керівник)</span>' in cohorts
    assert "Львів-2" not in cohorts
    _r, page = _page(client, f"/admin/users/{world.admin}")
    assert "Не входить до жодної групи." in page and 'href="/admin/cohorts">Усі групи</a>' in page
    # And back: the cohort page links each member's account.
    _r, cohort = _page(client, f"/admin/cohorts/{world.cohort_a}")
    assert f'<a href="/admin/users/{world.trainee_a}">test.trainee</a>' in cohort


def _ticks(page: str) -> dict[str, str]:
    """The people offered for ticking on a cohort page: user name (or full name) → value."""
    box = re.search(r'<fieldset class="checklist"[^>]*>(.*?)</fieldset>', page, re.S)
    return {} if box is None else {
        label.split(" <span")[0].strip(): value for value, label in re.findall(
            r'<input type="checkbox" name="add-people" value="(\d+)" id="person-\d+"[^>]*>\s*<label [^>]*>(.*?)</label>',
            box.group(1), re.S)}


def test_several_people_are_added_to_a_cohort_at_once(app, client, world):
    from trainer.extensions import db
    from trainer.models import CohortMember, User
    with app.app_context():
        db.session.get(User, world.trainee_b).display_name = "Олена Коваль"
        db.session.commit()
    Auth(client).login("test.admin")
    url = f"/admin/cohorts/{world.cohort_a}"
    _r, page = _page(client, url)
    assert "<legend>Люди, яких немає в групі</legend>" in page
    offered = _ticks(page)
    assert set(offered) == {"Олена Коваль", "sup.b", "test.admin"}  # members are not offered
    _r, narrowed = _page(client, f"{url}?q=+коваль")
    assert set(_ticks(narrowed)) == {"Олена Коваль"}
    assert "містить «коваль»" in narrowed

    none = client.post(f"{url}/members", data={"add-csrf_token": csrf_token(page), "add-role": "trainee"})
    text = unescape(none.get_data(as_text=True))
    assert none.status_code == 422 and '<p class="error" id="add-people-error">Позначте хоча б одну людину.</p>' in text
    assert '<fieldset class="checklist" aria-describedby="add-people-error">' in text

    r = client.post(f"{url}/members", data={"add-csrf_token": csrf_token(page), "add-role": "trainee",
                                            "add-people": [offered["Олена Коваль"], offered["sup.b"]]})
    assert r.status_code == 302 and r.headers["Location"] == url
    assert _flashes(client, url) == "До групи «Київ-1» додано з роллю слухача: sup.b, Олена Коваль."  # by name
    with app.app_context():
        roles = {m.user_id: m.role for m in db.session.scalars(
            select(CohortMember).where(CohortMember.cohort_id == world.cohort_a))}
    assert roles[world.trainee_b] == roles[world.sup_b] == "trainee"
    # Supervisors need the role: a trainee among them stops the lot, and says who.
    with app.app_context():
        db.session.add(User(username="t.new", role="trainee", password_hash="x"))
        db.session.commit()
    _r, page = _page(client, url)
    offered = _ticks(page)
    r = client.post(f"{url}/members", data={"add-csrf_token": csrf_token(page), "add-role": "supervisor",
                                            "add-people": [offered["t.new"], offered["test.admin"]]})
    assert r.status_code == 422 and "t.new" in unescape(r.get_data(as_text=True)).split('id="add-people-error">')[1]
    with app.app_context():
        assert db.session.get(CohortMember, (world.cohort_a, world.admin)) is None


def test_a_cohort_is_renamed_with_the_unique_name_check(app, client, world):
    Auth(client).login("test.admin")
    url = f"/admin/cohorts/{world.cohort_a}"
    _r, page = _page(client, url)
    assert f'href="{url}/edit">Змінити назву чи опис</a>' in page
    _r, form = _page(client, f"{url}/edit")
    assert 'value="Київ-1"' in form
    taken = client.post(f"{url}/edit", data={"csrf_token": csrf_token(form), "name": "львів-2", "description": ""})
    assert taken.status_code == 422 and "Група з назвою «львів-2» уже існує." in unescape(taken.get_data(as_text=True))
    r = client.post(f"{url}/edit", data={"csrf_token": csrf_token(form), "name": " Київ-центр ",
                                         "description": "Рецепція, ранкова зміна"})
    assert r.status_code == 302 and r.headers["Location"] == url
    _r, page = _page(client, url)
    assert "<h1>Київ-центр</h1>" in page and "Рецепція, ранкова зміна" in page
    assert "Групу «Київ-центр» збережено." in page
    _r, listing = _page(client, "/admin/cohorts")
    assert "Київ-центр" in listing and "Київ-1" not in listing


def test_only_an_empty_cohort_is_deleted_after_asking(app, client, world):
    from trainer.extensions import db
    from trainer.models import Assignment, Cohort
    Auth(client).login("test.admin")
    used = f"/admin/cohorts/{world.cohort_a}"
    _r, page = _page(client, used)
    assert f'{used}/delete"' not in page  # members: no button to delete it
    r, why = _page(client, f"{used}/delete")
    assert r.status_code == 200 and "Цю групу видалити не можна" in why and "У групі 2 людини" in why
    assert 'type="submit"' not in why.split("<main")[1]
    r = client.post(f"{used}/delete", data={"csrf_token": csrf_token(why)})
    assert r.status_code == 302 and "ще є люди" in _flashes(client, used)

    with app.app_context():
        empty, assigned = Cohort(name="Помилкова"), Cohort(name="Колишня")
        db.session.add_all([empty, assigned])
        db.session.flush()
        db.session.add(Assignment(scenario_id="example-queue", cohort_id=assigned.id, created_by=world.sup_a))
        db.session.commit()
        empty_id, assigned_id = empty.id, assigned.id
    _r, why = _page(client, f"/admin/cohorts/{assigned_id}/delete")
    assert "Групі призначено 1 сценарій" in why
    url = f"/admin/cohorts/{empty_id}"
    _r, page = _page(client, url)
    assert f'<a class="button" href="{url}/delete">Видалити групу</a>' in page
    r, confirm = _page(client, f"{url}/delete")
    assert re.search(r'<form method="post">.*<button type="submit" class="primary">Видалити групу</button>',
                     confirm, re.S)
    with app.app_context():
        assert db.session.get(Cohort, empty_id) is not None  # asking changed nothing
    assert client.post(f"{url}/delete", data={}).status_code == 400  # no CSRF token
    r = client.post(f"{url}/delete", data={"csrf_token": csrf_token(confirm)})
    assert r.status_code == 302 and r.headers["Location"] == "/admin/cohorts"
    assert "Групу «Помилкова» видалено." in _flashes(client, "/admin/cohorts")
    with app.app_context():
        assert db.session.get(Cohort, empty_id) is None and db.session.get(Cohort, assigned_id) is not None


def test_the_people_list_filters_by_name(app, client, world):
    from trainer.extensions import db
    from trainer.models import User
    with app.app_context():
        db.session.get(User, world.trainee_b).display_name = "Олена  Коваль"
        db.session.commit()
    Auth(client).login("test.admin")

    def names(query):
        _r, html = _page(client, "/admin/users?" + query)
        return set(re.findall(r'<tr>\s*<th scope="row"><a [^>]*>([^<]+)</a></th>', html)), html

    assert names("q=олена+КОВАЛЬ")[0] == {"test.other"}  # full name, any capitals and spaces
    assert names("q=SUP")[0] == {"test.supervisor", "sup.b"}
    found, html = names("q=sup&status=blocked")
    assert found == set() and "Немає нікого, чиє ім'я користувача або повне ім'я містить «sup»." in html
    assert re.search(r'<input [^>]*id="q"[^>]*type="search"[^>]*value="sup"', html) or \
        re.search(r'<input [^>]*value="sup"[^>]*>', html)


def test_after_a_refused_ticking_each_form_still_goes_to_its_own_address(app, client, world):
    Auth(client).login("test.admin")
    url = f"/admin/cohorts/{world.cohort_a}"
    r = _post(client, f"{url}/members", page_url=url, **{"add-role": "trainee"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f'<form method="post" action="{url}" novalidate>' in page  # one person, or a new role
    assert f'<form method="post" action="{url}/members" novalidate>' in page
