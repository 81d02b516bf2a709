"""Text from files and people is shown as text: scenario files, manual pages, names, queries."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml

from tests.conftest import CONTENT_DIR, SCENARIO_DIR, Auth, csrf_token, doc_example_source
from tests.hostile import HOSTILE_TEXT, assert_no_active_content, assert_shown_as_text, parse

SCENARIO = "hostile-queue"


def hostile_scenario() -> dict:
    """The doc example with the hostile text in every kind of text a trainee reads."""
    data = yaml.safe_load(doc_example_source())
    bad = {"uk": HOSTILE_TEXT, "en": HOSTILE_TEXT}
    data["id"] = SCENARIO
    data["title"] = data["summary"] = data["content_note"] = bad
    data["sources"].append({"title": HOSTILE_TEXT, "url": "javascript:alert(1)"})
    for field in ("name", "who", "wants", "backstory"):
        data["persona"][field] = bad
    data["state"]["patience"]["label"] = bad
    for cue in data["state"]["patience"]["cues"]:
        cue["text"] = bad
    for node in data["nodes"].values():
        if "client" in node:
            node["client"] = {"says": bad, "does": bad}
        for choice in node.get("choices", []):
            choice["text"] = choice["feedback"] = bad
    for ending in data["endings"].values():
        ending.update(title=bad, debrief=bad, client={"says": bad, "does": bad})
    return data


@pytest.fixture(scope="module")
def hostile_registry(tmp_path_factory):
    from trainer.scenario.registry import Registry

    folder = tmp_path_factory.mktemp("hostile-scenarios")
    shutil.copy(SCENARIO_DIR / "competencies.yaml", folder)
    (folder / f"{SCENARIO}.yaml").write_text(yaml.safe_dump(hostile_scenario(), allow_unicode=True), encoding="utf-8")
    content = tmp_path_factory.mktemp("hostile-content") / "content"
    shutil.copytree(CONTENT_DIR, content)
    page = content / "uk" / "2.5.md"
    page.write_text(page.read_text(encoding="utf-8") + HOSTILE_MARKDOWN, encoding="utf-8")
    registry = Registry(folder, content)
    assert SCENARIO in registry.current, [d.format() for f in registry.library.files for d in f.diagnostics]
    return registry


@pytest.fixture
def hostile_client(app, database, hostile_registry, users):
    """A client of an app serving the hostile library (``app`` empties the tables afterwards)."""
    from trainer.app import create_app
    from trainer.extensions import db

    hostile_app = create_app({**database, "TRAINER_REGISTRY": hostile_registry})
    yield hostile_app.test_client()
    with hostile_app.app_context():
        db.session.remove()
        db.engine.dispose()


def step_of(html: str) -> int:
    return int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_hostile_scenario_texts_are_shown_as_text_through_play_and_debrief(hostile_client, lang):
    client = hostile_client
    assert Auth(client).login().status_code == 302
    if lang == "en":
        token = csrf_token(client.get("/account/language").get_data(as_text=True))
        client.post("/account/language", data={"locale": "en", "csrf_token": token})
    pages = [client.get("/scenarios").get_data(as_text=True)]
    intro = client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True)
    pages.append(intro)
    started = client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": csrf_token(intro)})
    url = started.headers["Location"]
    for choice in ("greet_and_acknowledge", "explain_and_check"):
        html = client.get(url).get_data(as_text=True)
        pages.append(html)
        response = client.post(url + "/answer", data={"csrf_token": csrf_token(html), "step": step_of(html),
                                                      "choice": choice})
        assert response.status_code == 302
    debrief = client.get(url, follow_redirects=True)
    assert debrief.request.path.endswith("/debrief")
    pages.append(debrief.get_data(as_text=True))
    for html in pages:
        assert_shown_as_text(html)
    # The payload was there many times, and every time as text.
    assert "".join(parse(pages[-1]).texts).count(HOSTILE_TEXT) >= 3
    assert "".join(parse(pages[1]).texts).count(HOSTILE_TEXT) >= 5


# -- manual pages ----------------------------------------------------------------------

HOSTILE_MARKDOWN = f"""

## Hostile

Raw HTML: {HOSTILE_TEXT}

<div onclick="alert(1)">block html</div>

[plain](javascript:alert(1)) [upper](JAVASCRIPT:alert(1)) [spaced]( javascript:alert(1) )
[entity](java&#115;cript:alert(1)) [vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD4=)
<javascript:alert(1)> ![img](javascript:alert(1)) [ref][evil]

[evil]: javascript:alert(1)
"""


def test_a_manual_page_with_raw_html_and_script_links_is_inert(hostile_client):
    client = hostile_client
    Auth(client).login()
    response = client.get("/manual/2.5")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hostile" in html
    assert_no_active_content(html)
    text = "".join(parse(html).texts)
    assert "<script>alert(1)</script>" in text  # the raw HTML is shown, not run
    assert '<div onclick="alert(1)">' in text


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java&#115;cript:alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](javascript&colon;alert(1))", "<javascript:alert(1)>",
    "![x](javascript:alert(1))", "[x](vbscript:msgbox(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x][r]\n\n[r]: javascript:alert(1)", "<a href='javascript:alert(1)'>x</a>", "<img src=x onerror=alert(1)>",
    "[x](5.2.4.md#javascript:alert(1))", "[x](javascript:alert(1).md)",
])
def test_the_renderer_neutralises_script_links(markdown):
    from trainer.content.render import Renderer

    html = Renderer(lambda key: f"/manual/{key}").render(markdown)
    assert_no_active_content(html)


def test_ordinary_links_still_work():
    from trainer.content.render import Renderer

    html = Renderer(lambda key: f"/manual/{key}").render("[a](https://example.org/x) [b](5.2.4.md#top)")
    assert '<a href="https://example.org/x">a</a>' in html and '<a href="/manual/5.2.4#top">b</a>' in html


# -- names and queries -----------------------------------------------------------------

def set_display_name(app, user_id, name):
    from trainer.extensions import db
    from trainer.models import User

    with app.app_context():
        db.session.get(User, user_id).display_name = name
        db.session.commit()


def test_a_hostile_display_name_is_text_in_the_nav(client, auth, app, users):
    set_display_name(app, users["trainee"], HOSTILE_TEXT)
    auth.login()
    assert_shown_as_text(client.get("/scenarios").get_data(as_text=True))


def test_a_hostile_display_name_is_text_on_admin_and_supervisor_pages(client, auth, app, users):
    from trainer.extensions import db
    from trainer.models import Cohort, CohortMember

    set_display_name(app, users["trainee"], HOSTILE_TEXT)
    with app.app_context():
        cohort = Cohort(name=HOSTILE_TEXT)
        db.session.add(cohort)
        db.session.flush()
        db.session.add_all([CohortMember(cohort_id=cohort.id, user_id=users["trainee"], role="trainee"),
                            CohortMember(cohort_id=cohort.id, user_id=users["supervisor"], role="supervisor")])
        db.session.commit()
        cohort_id = cohort.id
    pages = {
        "admin": ["/admin/users", f"/admin/users/{users['trainee']}", f"/admin/cohorts/{cohort_id}", "/admin/cohorts"],
        "supervisor": ["/team/", f"/team/cohorts/{cohort_id}", f"/team/trainees/{users['trainee']}"],
    }
    checked = 0
    for role, paths in pages.items():
        auth.login(f"test.{role}")
        for path in paths:
            if not _route_exists(app, path):
                continue  # a page not built yet
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert_shown_as_text(response.get_data(as_text=True))
            checked += 1
        auth.logout()
    assert checked >= 2


def _route_exists(app, path: str) -> bool:
    from werkzeug.exceptions import NotFound

    try:
        app.url_map.bind("localhost").match(path, method="GET")
    except NotFound:
        return False
    return True


def test_a_hostile_search_query_is_text(client, auth):
    auth.login()
    response = client.get("/manual/search", query_string={"q": HOSTILE_TEXT})
    assert response.status_code == 200
    assert_shown_as_text(response.get_data(as_text=True), HOSTILE_TEXT[:200].strip())
