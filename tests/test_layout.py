"""The site header: rendered once per language and role, the same as rendering it each time."""
from __future__ import annotations

import html
import re

import pytest
from flask import current_app, g, session

from trainer import layout
from trainer.extensions import db
from trainer.models import User

from tests.conftest import ROOT

HOSTILE_NAME = '<script>alert("x")</script> & Co'


def _header(html: str) -> str:
    return re.search(r'<header class="site-header">(.*?)</header>', html, re.S).group(1)


def _direct(app, role, lang, choosing_password=False, **values) -> str:
    """The header template rendered with the real values, no cache and no holes."""
    with app.test_request_context("/"):
        session["locale"] = g.lang = lang  # g.lang: what the app sets before each view, lang() reads
        return app.jinja_env.get_template("_site_header.html").render(
            role=role, choosing_password=choosing_password, **values)


@pytest.mark.parametrize("role", ["trainee", "supervisor", "admin"])
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_cached_header_is_what_the_template_renders(app, client, auth, users, role, lang):
    with app.app_context():
        user = db.session.get(User, users[role])
        user.display_name, user.locale = HOSTILE_NAME, lang
        db.session.commit()
    auth.login(f"test.{role}")
    for _ in range(2):  # the first render fills the cache, the second reads it
        html = client.get("/history").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        expected = _direct(app, role, lang, name=HOSTILE_NAME, csrf=token, search="",
                           language_url="/account/language?next=/history")
        assert _header(html).strip() == expected.strip()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    assert ("Team and administration" in html or "Команда й адміністрування" in html) == (role != "trainee")


def test_someone_choosing_their_own_password_gets_the_header_without_menus(app, client, auth, users):
    with app.app_context():
        db.session.get(User, users["supervisor"]).password_temporary = True
        db.session.commit()
    auth.login("test.supervisor")
    for _ in range(2):  # the first render fills the cache, the second reads it
        html = client.get("/account/password").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        expected = _direct(app, "supervisor", "uk", choosing_password=True, name="test.supervisor", csrf=token,
                           search="", language_url="/account/language?next=/account/password")
        assert _header(html).strip() == expected.strip()
    assert "<nav" not in _header(html) and ">Пароль<" in _header(html)


def test_each_language_and_role_is_rendered_once(app, client, auth, monkeypatch):
    renders = []
    real = layout._render
    monkeypatch.setattr(layout, "_render", lambda role, choosing: renders.append(role) or real(role, choosing))
    auth.login("test.trainee")
    assert renders == [None]  # the login page's header, for a visitor
    renders.clear()
    for path in ("/", "/history", "/scenarios", "/history"):
        assert client.get(path).status_code == 200
    assert renders == ["trainee"]
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    english = client.get("/history").get_data(as_text=True)
    assert renders == ["trainee", "trainee"]
    assert ">Log out (" in english and ">History<" in english
    auth.logout()
    auth.login("test.supervisor")
    client.get("/history")
    assert [r for r in renders if r is not None] == ["trainee", "trainee", "supervisor"]


def test_the_per_request_parts_follow_the_request(client, auth):
    auth.login("test.trainee")
    html = client.get("/manual/search?q=%3Cчерга%3E").get_data(as_text=True)
    header = _header(html)
    assert 'value="&lt;черга&gt;"' in header
    assert 'href="/account/language?next=/manual/search"' in header
    other = _header(client.get("/history").get_data(as_text=True))
    assert 'id="site-q" name="q" value=""' in other
    assert "(test.trainee)</button>" in other


def test_a_visitor_sees_the_brand_the_other_language_and_no_menus(client, app):
    first = client.get("/login").get_data(as_text=True)
    header = _header(first)
    assert 'class="brand"' in header and 'lang="en">English</button>' in header
    assert "<nav" not in header and "Log out" not in header and "Вийти" not in header
    assert "<details" not in header  # nothing to fold: the brand and one button fit a phone
    assert 'name="next" value="/login"' in header
    # The visitor's own token in each request, not the one cached with the piece.
    assert re.search(r'name="csrf_token" value="([^"]+)"', header).group(1) == \
        re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', first).group(1)
    other = client.application.test_client()
    assert 'name="next" value="/login?next=/history"' in _header(other.get("/login?next=/history").get_data(as_text=True))
    with app.app_context():
        assert ("site_header", "uk", None, False, "") in current_app.extensions["trainer_fragments"]._store


def test_both_search_boxes_take_at_most_the_200_characters_searched(client, auth):
    # The search reads 200 characters; a much longer query made the address too long for the
    # server, which answered with its bare "Bad Request" (fuzz review, finding 16).
    auth.login("test.trainee")
    page = client.get("/manual/search?q=" + "я" * 300).get_data(as_text=True)
    assert re.search(r'<input type="search" id="site-q" name="q" value="[^"]*" maxlength="200"', page)
    field = re.search(r'<input type="search" id="q" name="q" value="([^"]*)" maxlength="200">', page)
    assert field and len(html.unescape(field.group(1))) == 200


def test_every_page_names_the_apps_own_icon(client, auth):
    """A small SVG served by the app itself: no request to anywhere else, no 404 for /favicon.ico."""
    for path in ("/login",):
        html = client.get(path).get_data(as_text=True)
        assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in html
    auth.login()
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in client.get("/").get_data(as_text=True)
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    body = icon.get_data(as_text=True)
    assert body.startswith("<svg") and 'viewBox="0 0 32 32"' in body
    assert "http" not in body.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere
    icon.close()


@pytest.mark.parametrize("lang, people, cohorts", [("uk", "Люди", "Групи"), ("en", "People", "Cohorts")])
def test_an_admins_menu_links_cohorts_beside_people(app, client, auth, users, lang, people, cohorts):
    # Admin review, finding 9: cohorts were reachable only through a button on «Люди».
    with app.app_context():
        for role in ("admin", "supervisor"):
            db.session.get(User, users[role]).locale = lang
        db.session.commit()
    auth.login("test.admin")
    tools = re.search(r'<nav aria-label="[^"]+" class="tools">(.*?)</nav>', _header(
        client.get("/history").get_data(as_text=True)), re.S).group(1)
    assert re.search(f'<li><a href="/admin/users">{people}</a></li>\\s*<li><a href="/admin/cohorts">{cohorts}</a></li>', tools)
    auth.logout()
    auth.login("test.supervisor")
    assert 'href="/admin/cohorts"' not in _header(client.get("/history").get_data(as_text=True))


# -- the header on a phone (self-study review, finding 10) ---------------------------------
# At 375 px the search box, the account links and two rows of menus took about 190 px, so
# the client's next words started below the fold after every answer.

@pytest.mark.parametrize("role", ["trainee", "supervisor"])
@pytest.mark.parametrize("lang, menu", [("uk", "Меню"), ("en", "Menu")])
def test_everything_after_the_brand_folds_into_one_disclosure(app, client, auth, users, role, lang, menu):
    with app.app_context():
        db.session.get(User, users[role]).locale = lang
        db.session.commit()
    auth.login(f"test.{role}")
    header = _header(client.get("/history").get_data(as_text=True))
    folds = re.findall(r'<details class="site-menu">\s*<summary>(.*?)</summary>(.*?)</details>', header, re.S)
    assert len(folds) == 1, header
    summary, folded = folds[0]
    # A native disclosure: it opens without JavaScript and its state is the browser's to tell.
    assert re.sub(r"<[^>]+>", "", summary).strip() == menu and "aria-expanded" not in header
    assert '<span class="menu-icon" aria-hidden="true"></span>' in summary
    before, after = header.split('<details class="site-menu">')
    assert 'class="brand"' in before and "<form" not in before and "<nav" not in before
    assert "<nav" not in after.split("</details>")[1]
    # The search box, both account links (each name in its own language) and every menu.
    assert 'role="search"' in folded and 'class="account"' in folded and 'action="/logout"' in folded
    assert '<span lang="uk">Мова</span>' in folded and '<span lang="en">Language</span>' in folded
    assert folded.count("<nav ") == (2 if role == "supervisor" else 1)
    assert folded.index('role="search"') < folded.index('class="account"') < folded.index("<nav ")


def _blocks(css: str, prelude: str) -> list[str]:
    """The bodies of every block that opens with ``prelude`` (nested braces counted)."""
    bodies, start = [], css.find(prelude)
    while start != -1:
        opening = css.index("{", start)
        depth, end = 1, opening + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        bodies.append(css[opening + 1:end - 1])
        start = css.find(prelude, end)
    return bodies


def _declarations(css: str, selector: str) -> str:
    found = re.search(r"(?:^|[};])\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", css, re.M)
    assert found, f"no rule for {selector!r}"
    return found.group(1)


def test_the_style_sheet_shows_the_menu_button_only_below_600_px():
    css = (ROOT / "trainer" / "static" / "style.css").read_text(encoding="utf-8")
    [menu] = [b for b in _blocks(css, "@supports selector(::details-content)") if ".site-menu" in b]
    assert "display: contents" in _declarations(menu, ".site-menu")
    [phone] = _blocks(menu, "@media (width < 37.5em)")
    assert "display: none" in _declarations(phone, ".site-menu:not([open])::details-content")
    assert "flex-basis: 100%" in _declarations(phone, ".site-menu::details-content")
    [wide] = _blocks(menu, "@media (width >= 37.5em)")
    assert "display: none" in _declarations(wide, ".site-menu > summary")
    shown = _declarations(wide, ".site-menu::details-content")
    assert "display: contents" in shown and "content-visibility: visible" in shown
    assert "flex-basis: 100%" in _declarations(wide, ".site-menu .menus")  # the menus keep their own line
    # Outside that block the summary looks like a button on every width (and stays one
    # where the details' content cannot be styled).
    outside = css.replace(menu, "")
    assert "cursor: pointer" in _declarations(outside, ".site-menu > summary")
    assert "display: none" in _declarations(outside, ".site-menu > summary::-webkit-details-marker")
