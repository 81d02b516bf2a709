"""Manual pages in the app: navigation, practise-this, coverage, search, links from play."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CONTENT_DIR
from trainer.content.toc import load_toc

SECTIONS = [s.number for s in load_toc(CONTENT_DIR).sections]


@pytest.fixture
def logged_in(client, auth):
    auth.login()
    return client


def test_every_page_renders_in_both_languages(logged_in, auth):
    for number in SECTIONS + ["quick-complaints", "glossary"]:
        response = logged_in.get(f"/manual/{number}")
        assert response.status_code == 200, number
        assert 'id="page-title"' in response.get_data(as_text=True)
    token = auth.token("/account/language")
    logged_in.post("/account/language", data={"locale": "en", "csrf_token": token})
    for number in SECTIONS:
        html = logged_in.get(f"/manual/{number}").get_data(as_text=True)
        assert '<article lang="en">' in html, number


def test_english_pages_mark_every_cyrillic_word_with_its_language(logged_in, auth):
    """A screen reader switches voice at lang="uk": no Ukrainian title is read with English rules."""
    token = auth.token("/account/language")
    logged_in.post("/account/language", data={"locale": "en", "csrf_token": token})
    marked = 0
    for number in SECTIONS:
        html = logged_in.get(f"/manual/{number}").get_data(as_text=True)
        article = html[html.index('<article lang="en">'):html.index("</article>")]
        marked += len(re.findall(r'<span lang="(?:uk|ru)">', article))
        unmarked = re.sub(r'<span lang="(?:uk|ru)">[^<]*</span>', "", article)
        assert not re.search(r"[\u0400-\u04ff]", unmarked), (number, re.findall(r"[\u0400-\u04ff]+", unmarked)[:5])
    assert marked >= 20  # the laws and guides the English pages cite by their original titles


def test_page_has_breadcrumbs_neighbours_and_practice(logged_in):
    html = logged_in.get("/manual/5.2.3").get_data(as_text=True)
    assert "5.2.3. Клієнт плаче" in html
    assert 'href="/manual/5.2"' in html and 'href="/manual/5"' in html  # breadcrumbs
    assert 'rel="prev" href="/manual/5.2.2"' in html and 'rel="next" href="/manual/5.2.4"' in html
    assert 'href="/scenarios/crying-client"' in html and "тренує цей розділ" in html
    assert "ще не пройдено" in html


def test_an_overview_lists_its_subsections_once(logged_in):
    # Page 1 describes each subsection in a line with its link: no bare list after it.
    overview = logged_in.get("/manual/1").get_data(as_text=True)
    assert 'href="/manual/1.4"' in overview and 'id="sub"' not in overview
    # Page 5.3 does not link its subsections itself, so the list of them stays.
    parent = logged_in.get("/manual/5.3").get_data(as_text=True)
    listed = parent[parent.index('id="sub"'):parent.index("</section>", parent.index('id="sub"'))]
    assert listed.count("<li>") == 14 and 'href="/manual/5.3.14"' in listed


def test_a_chapter_that_no_scenario_trains_lists_its_subsections_scenarios(logged_in):
    html = logged_in.get("/manual/5.2").get_data(as_text=True)
    practise = html[html.index('id="practise"'):html.index("</section>", html.index('id="practise"'))]
    assert "його підрозділи відпрацьовують такі" in practise
    assert 'href="/scenarios/crying-client"' in practise and 'href="/manual/5.2.3"' in practise
    assert "Поки що жоден сценарій" not in practise
    # A section trained itself keeps its own list, without the subsections' one.
    trained = logged_in.get("/manual/5.2.3").get_data(as_text=True)
    assert "тренує цей розділ" in trained and "його підрозділи відпрацьовують" not in trained
    # A leaf nothing trains still says so.
    assert "Поки що жоден сценарій" in logged_in.get("/manual/7.9").get_data(as_text=True)


def test_practice_list_shows_the_last_result(logged_in):
    from tests.test_play_views import answer, start
    url = start(logged_in)
    answer(logged_in, url, "ignore")
    html = logged_in.get("/manual/2.5").get_data(as_text=True)
    # The outcome in words that follow «ваш останній результат:» (not a second «результат»
    # and a second colon).
    assert "ваш останній результат: <span class=\"outcome-failed\">не пройдено (критична помилка)</span>" in html
    assert "Не пройдено (критична помилка)" not in html


def test_public_guidance_pages_carry_a_notice(logged_in):
    notice = "Це наш виклад, а не власний текст цього розділу посібника"
    assert notice in logged_in.get("/manual/5.2.3").get_data(as_text=True)
    # 6.1 is written from the manual's own section (a seed), with no public source.
    assert notice not in logged_in.get("/manual/6.1").get_data(as_text=True)


def test_stub_links_to_the_public_manual(logged_in, registry, tmp_path):
    # Every page in content/ is a summary now; a centre's import can still bring stubs.
    from trainer.content.pages import parse_page
    stub = parse_page('---\nsection: "7.9"\ntitle: Навчання\nstatus: stub\n---\nКоротко.\n', str(tmp_path / "7.9.md"), "uk", "7.9")
    original = registry.manual.pages[("uk", "7.9")]
    registry.manual.pages[("uk", "7.9")] = stub
    try:
        html = logged_in.get("/manual/7.9").get_data(as_text=True)
        summary = logged_in.get("/manual/7.8").get_data(as_text=True)
    finally:
        registry.manual.pages[("uk", "7.9")] = original
    assert "qala-project-2.gitbook.io" in html and "Читати повний розділ у публічному посібнику" in html
    assert "Читати повний розділ у публічному посібнику" not in summary


def test_unknown_page_is_404(logged_in):
    assert logged_in.get("/manual/9.9.9").status_code == 404


def test_feedback_and_debrief_link_to_pages(logged_in):
    from tests.test_play_views import answer, start
    url = start(logged_in)
    answer(logged_in, url, "greet_and_acknowledge")
    html = logged_in.get(url).get_data(as_text=True)
    attempt_id = url.rsplit("/", 1)[1]
    assert f'href="/manual/2.2?attempt={attempt_id}#page-title"' in html  # names the conversation


BACK = "Повернутися до розмови"


def test_a_page_opened_from_a_conversation_leads_back_to_it(logged_in):
    from tests.test_play_views import answer, start
    url = start(logged_in)
    answer(logged_in, url, "greet_and_acknowledge")
    attempt_id = url.rsplit("/", 1)[1]
    html = logged_in.get(f"/manual/2.2?attempt={attempt_id}").get_data(as_text=True)
    assert html.count(f'<a href="{url}"><span aria-hidden="true">←</span> {BACK}</a>') == 2  # at the top and the end
    assert BACK not in logged_in.get("/manual/2.2").get_data(as_text=True)  # opened any other way: no link


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1e3", "٣", "9" * 40, ""])
def test_an_attempt_that_is_not_a_readable_id_is_ignored(logged_in, value):
    response = logged_in.get("/manual/2.2", query_string={"attempt": value})
    assert response.status_code == 200
    assert BACK not in response.get_data(as_text=True)


def test_someone_elses_or_a_finished_attempt_gets_no_way_back_to_the_conversation(client, auth):
    from tests.test_play_views import answer, start
    auth.login("test.other")
    others = start(client).rsplit("/", 1)[1]
    auth.logout()
    auth.login()
    response = client.get(f"/manual/2.2?attempt={others}")
    assert response.status_code == 200 and BACK not in response.get_data(as_text=True)
    url = start(client)
    answer(client, url, "greet_and_acknowledge")
    answer(client, url, "explain_and_check")  # the last step: the attempt is finished
    mine = url.rsplit("/", 1)[1]
    response = client.get(f"/manual/2.2?attempt={mine}")
    assert response.status_code == 200 and BACK not in response.get_data(as_text=True)
    assert BACK_TO_DEBRIEF in response.get_data(as_text=True)  # a finished one: back to its debrief


BACK_TO_DEBRIEF = "Повернутися до розбору"


def test_a_page_opened_from_a_debrief_leads_back_to_it(client, auth):
    """The debrief's manual links name the attempt, as the play page's do (self-study review,
    finding 17); a finished attempt's way back is its debrief."""
    from tests.test_play_views import answer, start
    auth.login()
    url = start(client)
    answer(client, url, "wait_your_turn")
    answer(client, url, "give_time_estimate")
    attempt_id = url.rsplit("/", 1)[1]
    debrief = client.get(f"{url}/debrief").get_data(as_text=True)
    assert f'href="/manual/2.2?attempt={attempt_id}#page-title"' in debrief
    html = client.get(f"/manual/2.2?attempt={attempt_id}").get_data(as_text=True)
    link = f'<a href="{url}/debrief"><span aria-hidden="true">←</span> {BACK_TO_DEBRIEF}</a>'
    assert html.count(link) == 2  # at the top and the end
    assert BACK not in html
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = client.get(f"/manual/2.2?attempt={attempt_id}").get_data(as_text=True)
    assert f'<a href="{url}/debrief"><span aria-hidden="true">←</span> Back to the debrief</a>' in html


def test_a_set_aside_attempt_gets_no_way_back(client, auth):
    from tests.test_play_views import answer, start
    auth.login()
    url = start(client)
    answer(client, url, "greet_and_acknowledge")
    token = auth.token("/scenarios/example-queue")
    client.post("/scenarios/example-queue/start", data={"csrf_token": token, "restart": "y"})  # sets it aside
    html = client.get(f"/manual/2.2?attempt={url.rsplit('/', 1)[1]}").get_data(as_text=True)
    assert BACK not in html and BACK_TO_DEBRIEF not in html


def test_the_way_back_in_english(logged_in, auth):
    from tests.test_play_views import start
    url = start(logged_in)
    logged_in.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = logged_in.get(f"/manual/2.2?attempt={url.rsplit('/', 1)[1]}").get_data(as_text=True)
    assert f'<a href="{url}"><span aria-hidden="true">←</span> Back to the conversation</a>' in html


def test_every_scenario_reference_resolves_to_a_page(logged_in, registry):
    refs = set().union(*(loaded.scenario.cited_sections() for loaded in registry.current.values()))
    assert "5.2.3" in refs and len(refs) > 30
    for ref in sorted(refs):
        html = logged_in.get(f"/manual/{ref}").get_data(as_text=True)
        assert 'id="page-title"' in html, ref


def test_raw_html_in_a_page_is_text(app, logged_in, registry, tmp_path):
    from trainer.content.pages import parse_page
    page = parse_page('---\nsection: "7.2"\ntitle: Групове мислення\nstatus: stub\n---\n<script>alert(1)</script>\n',
                      str(tmp_path / "7.2.md"), "uk", "7.2")
    original = registry.manual.pages[("uk", "7.2")]
    registry.manual.pages[("uk", "7.2")] = page
    try:
        html = logged_in.get("/manual/7.2").get_data(as_text=True)
    finally:
        registry.manual.pages[("uk", "7.2")] = original
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("role, status", [("trainee", 403), ("supervisor", 200), ("admin", 200)])
def test_coverage_is_for_supervisors_and_admins(client, auth, role, status):
    auth.login(f"test.{role}")
    response = client.get("/manual/coverage")
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Клієнтка плаче" in html and "жодного сценарію" in html


def _index(app, registry) -> None:
    from trainer.extensions import db
    from trainer.search.index import rebuild
    with app.app_context():
        rebuild(db.session, registry.manual, registry.current)
        db.session.commit()


def test_search_page_finds_word_forms(app, logged_in, registry):
    _index(app, registry)
    html = logged_in.get("/manual/search?q=плаче").get_data(as_text=True)
    assert 'href="/scenarios/crying-client"' in html
    assert 'href="/manual/5.2.3"' in html
    assert "Нічого не знайдено" not in html and "search-hint" not in html


def test_search_names_a_results_language_only_when_it_is_not_the_readers(app, logged_in, auth, registry):
    _index(app, registry)
    mine = logged_in.get("/manual/search?q=плаче").get_data(as_text=True)
    assert "(uk)" not in mine and "(українською)" not in mine
    # An English word finds the English texts: in Ukrainian, they say so in a word.
    other = logged_in.get("/manual/search?q=crying").get_data(as_text=True)
    assert "(англійською)" in other and "(en)" not in other
    assert '<span lang="en">' in other  # the title, read out in its language
    logged_in.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    english = logged_in.get("/manual/search?q=плаче").get_data(as_text=True)
    assert "(in Ukrainian)" in english and "(in English)" not in english


def test_a_search_that_finds_nothing_says_what_to_try(app, logged_in, registry):
    _index(app, registry)
    html = logged_in.get("/manual/search?q=зовсімнеіснуючеслово").get_data(as_text=True)
    assert "Нічого не знайдено." in html and "0 результатів" not in html
    hint = re.search(r'<p class="search-hint">(.*?)</p>', html, re.S).group(1)
    assert "менше слів" in hint and '<a href="/manual/">Переглянути зміст посібника</a>' in hint


def test_when_no_result_has_every_word_the_page_says_these_have_some(app, logged_in, registry):
    _index(app, registry)
    html = logged_in.get("/manual/search?q=плаче зовсімнеіснуючеслово").get_data(as_text=True)
    assert "Ніде немає всіх цих слів; у цих результатах є хоча б одне з них." in html
    assert 'href="/scenarios/crying-client"' in html and 'class="search-hint"' in html


def test_the_search_label_has_a_line_of_its_own_and_the_button_stays_by_its_field(logged_in):
    html = logged_in.get("/manual/search").get_data(as_text=True)
    # A block of its own above the box: inline, the long label pushed the button onto a new line.
    # The field and its button share a row of their own, which the stylesheet keeps on one
    # line: side by side in the form, the button wrapped under the field on a phone.
    assert re.search(r'<div><label for="q">[^<]+</label></div>\s*<div class="search-row">\s*'
                     r'<input type="search" id="q"[^>]*>\s*<button type="submit" class="primary">[^<]+</button>\s*</div>',
                     html)
    css = (Path(__file__).parents[1] / "trainer" / "static" / "style.css").read_text(encoding="utf-8")
    row = re.search(r"\.search-row \{([^}]*)\}", css).group(1)
    assert "display: flex" in row and "wrap" not in row


def test_the_search_page_hides_the_headers_second_search_box(logged_in):
    # Two boxes holding the same words, one above the other, on a phone: the page's own,
    # labelled form is the one kept.
    html = logged_in.get("/manual/search?q=плаче").get_data(as_text=True)
    assert '<body class="search-page">' in html and 'class="site-search"' in html
    css = (Path(__file__).parents[1] / "trainer" / "static" / "style.css").read_text(encoding="utf-8")
    assert re.search(r"\.search-page \.site-search \{\s*display: none;", css)
    other = logged_in.get("/manual/").get_data(as_text=True)
    assert "<body>" in other  # elsewhere the header's box is the way to search


# -- English review, finding 5: sources named by what they are, not "seed 003" ---------------------

def _sources(html: str) -> str:
    start = html.index('<p class="muted">', html.index("</div>", html.index('class="prose"')))
    return html[start:html.index("</p>", start)]


def test_the_sources_name_the_manual_sections_a_page_was_written_from(logged_in, auth):
    """«manual excerpt (seed 003)»: the number of a file only the authors had. Seeds 003 and
    002 are the text of sections 1.3.1 and 1.3.1.1, which the line now links to."""
    line = _sources(logged_in.get("/manual/5.3.14").get_data(as_text=True))
    assert re.findall(r'<a href="/manual/([\d.]+)#page-title">посібник \1</a>', line) == ["5.3.14", "1.3.1", "1.3.1.1"]
    assert "seed" not in line and "003" not in line and "уривок" not in line
    token = auth.token("/account/language")
    logged_in.post("/account/language", data={"locale": "en", "csrf_token": token})
    line = _sources(logged_in.get("/manual/5.3.14").get_data(as_text=True))
    assert re.findall(r'<a href="/manual/([\d.]+)#page-title">manual \1</a>', line) == ["5.3.14", "1.3.1", "1.3.1.1"]
    assert "seed" not in line and "excerpt" not in line
    # A section written from its own text names it once; the textbook is named as one.
    assert _sources(logged_in.get("/manual/1.3.1").get_data(as_text=True)).count("manual 1.3.1") == 1
    assert "a social-work textbook, chapter 2.5" in _sources(logged_in.get("/manual/quick-complaints").get_data(as_text=True))


def test_a_seed_without_a_known_source_is_an_excerpt_by_its_number():
    from trainer.content.pages import Source, parse_page
    page = parse_page('---\nsection: "9.9"\ntitle: "T"\nsources:\n  - manual: "1.3.1"\n  - seed: "003"\n'
                      '  - seed: "007"\n  - public: "A law"\n---\nBody\n', "9.9.md", "en", "9.9")
    assert page.cited() == [Source("manual", "1.3.1"), Source("excerpt", "7"), Source("public", "A law")]


# -- the glossary -----------------------------------------------------------------------

def _glossary_terms(lang: str) -> list[str]:
    return re.findall(r"^## (.+)$", (CONTENT_DIR / lang / "glossary.md").read_text(encoding="utf-8"), re.M)


def _english(client, auth) -> None:
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})


def test_the_glossary_shows_every_term_under_a_heading_one_can_link_to(logged_in, auth):
    """Each term is a heading with an id, so that /manual/glossary#… opens at it; in English,
    its Ukrainian part is marked as Ukrainian like every Cyrillic word of an English page."""
    from html import unescape

    from trainer.content.render import slugify
    for lang in ("uk", "en"):
        if lang == "en":
            _english(logged_in, auth)
        html = logged_in.get("/manual/glossary").get_data(as_text=True)
        assert f'<article lang="{lang}">' in html
        shown = {anchor: unescape(re.sub(r"<[^>]+>", "", heading))
                 for anchor, heading in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', html)}
        terms = _glossary_terms(lang)
        assert len(terms) >= 40
        for term in terms:
            assert shown.get(slugify(term)) == term, (lang, term)
    assert '<h2 id="administrative-services-centre-цнап-tsnap">Administrative Services Centre (<span lang="uk">ЦНАП</span>, TsNAP)</h2>' in html
    article = html[html.index('<article lang="en">'):html.index("</article>")]
    # The text, that is: the anchors (id="…-цнап-tsnap") are not read out.
    unmarked = re.sub(r"<[^>]+>", "", re.sub(r'<span lang="uk">[^<]*</span>', "", article))
    assert not re.search(r"[\u0400-\u04ff]", unmarked), re.findall(r"[\u0400-\u04ff]+", unmarked)[:5]


def test_the_glossary_lists_its_terms_after_its_opening_and_a_section_page_does_not(logged_in):
    html = logged_in.get("/manual/glossary").get_data(as_text=True)
    nav = html[html.index('<nav aria-labelledby="contents-h"'):]
    nav = nav[:nav.index("</nav>")]
    anchors = re.findall(r'<li><a href="#([^"]+)">', nav)
    terms = re.findall(r'<h2 id="([^"]+)">', html[html.index("</nav>", html.index('id="contents-h"')):])
    assert anchors == terms[:len(anchors)] and len(anchors) == len(_glossary_terms("uk"))
    assert ">На цій сторінці</h2>" in nav
    # The opening paragraph first, then the list, then the first term.
    assert html.index('<div class="prose"><p>') < html.index('id="contents-h"') < html.index(f'<h2 id="{anchors[0]}">')
    assert 'id="contents-h"' not in logged_in.get("/manual/5.2.4").get_data(as_text=True)


def test_every_link_in_the_glossary_opens_a_page(logged_in):
    html = logged_in.get("/manual/glossary").get_data(as_text=True)
    prose = html[html.index('class="prose"'):html.index("</article>")]
    targets = sorted(set(re.findall(r'href="(/manual/[^"#]+)', prose)))
    assert len(targets) > 30
    for target in targets:
        response = logged_in.get(target)
        assert response.status_code == 200 and 'id="page-title"' in response.get_data(as_text=True), target


def test_the_manual_index_links_the_glossary(logged_in, auth):
    html = logged_in.get("/manual/").get_data(as_text=True)
    assert '<a href="/manual/glossary">Словник: установи, документи й скорочення</a>' in html
    _english(logged_in, auth)
    html = logged_in.get("/manual/").get_data(as_text=True)
    assert '<a href="/manual/glossary">Glossary: institutions, documents and abbreviations</a>' in html


def test_the_search_finds_the_glossary_by_an_abbreviation(app, logged_in, registry):
    _index(app, registry)
    for query in ("ЦНАП", "TsNAP"):
        html = logged_in.get(f"/manual/search?q={query}").get_data(as_text=True)
        assert 'href="/manual/glossary"' in html, query


@pytest.mark.parametrize("key", ["glossary", "quick-complaints"])
def test_a_quick_reference_page_does_not_offer_practice_as_a_section_would(logged_in, key):
    html = logged_in.get(f"/manual/{key}").get_data(as_text=True)
    assert 'id="practise"' not in html and "жоден сценарій не відпрацьовує" not in html
    assert 'id="practise"' in logged_in.get("/manual/5.2.4").get_data(as_text=True)
