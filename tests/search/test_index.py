"""Search through the database's full-text engine (SQLite FTS5 or PostgreSQL)."""
from trainer.extensions import db
from trainer.search.index import rebuild, search


def test_word_forms_find_pages_and_scenarios(app, registry):
    with app.app_context():
        count = rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
        assert count >= len(registry.current) * 2
        hits = search(db.session, "плаче")
        keys = {(h.kind, h.key) for h in hits}
        assert ("scenario", "crying-client") in keys
        english = search(db.session, "crying")
        assert ("scenario", "crying-client") in {(h.kind, h.key) for h in english}
        assert search(db.session, "зовсімнеіснуючеслово") == []
        # Query syntax of the engines is never passed through: this is just words.
        assert isinstance(search(db.session, '"; DROP TABLE users; -- NEAR( *'), list)
        assert db.session.execute(db.text("SELECT count(*) FROM users")).scalar() == 0


def test_every_query_word_must_match(app, registry):
    with app.app_context():
        rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
        both = {h.key for h in search(db.session, "плаче переселенка")}
        one = {h.key for h in search(db.session, "плаче")}
        assert both <= one


def test_excerpts_drop_markdown_link_targets():
    from trainer.search.index import _plain
    assert _plain("Див. [5.2.3](5.2.3.md) і **це** (так)") == "Див. 5.2.3 і це (так)."


def test_excerpts_read_as_the_page_does():
    from trainer.search.index import _plain
    # No gaps where links were, no list markers or footnote marks; a heading or list item
    # ends with a full stop instead of running into the next sentence.
    page = ("# Клієнт плаче\n\nДайте час ([5.2.3](5.2.3.md), [5.2.6](5.2.6.md)).\n\n"
            "- Казати «заспокойтеся»\n- Поспішати\n\nТекст[^1] і `код`.\n\n[^1]: Примітка.")
    assert _plain(page) == ("Клієнт плаче. Дайте час (5.2.3, 5.2.6). Казати «заспокойтеся». Поспішати. "
                            "Текст і код. Примітка.")


def test_a_scenarios_title_does_not_run_into_its_summary(registry):
    from trainer.search.index import documents
    bodies = {(kind, key, lang): body for kind, key, lang, _title, body in documents(registry.manual, registry.current)}
    body = bodies[("scenario", "example-queue", "uk")]
    title = registry.current["example-queue"].scenario.title.uk
    assert body.startswith(title.rstrip(".") + ". ")


def test_an_excerpt_is_cut_between_words_around_the_first_match():
    from trainer.search.index import _excerpt
    from trainer.search.lemmas import query_terms
    body = ("Перше речення про щось зовсім інше, довге й нудне, щоб вікно почалося посеред слова. "
            "Часто людина плаче несподівано для себе, посеред бланка, і соромиться цього. ") * 3
    excerpt = _excerpt(body, query_terms("плакати"), 120)
    assert excerpt.startswith("…") and excerpt.endswith("…") and "плаче" in excerpt
    inner = excerpt.strip("…")
    assert f" {inner} " in f" {body} "  # whole words at both ends
    assert len(inner) <= 120
    nothing = _excerpt(body, query_terms("нічого"), 60)
    assert nothing.endswith("…") and body.startswith(nothing.rstrip("…") + " ")
    assert _excerpt("коротко", query_terms("нічого")) == "коротко"


def test_when_no_document_has_every_word_any_word_will_do_and_says_so(app, registry):
    with app.app_context():
        rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
        exact = search(db.session, "плаче")
        assert exact and exact.every_word
        # One misspelt word no longer empties the list: what the other word finds comes back.
        broadened = search(db.session, "плаче зовсімнеіснуючеслово")
        assert not broadened.every_word
        assert {h.key for h in broadened} == {h.key for h in exact}
        # A single word that finds nothing has nothing to fall back on.
        nothing = search(db.session, "зовсімнеіснуючеслово")
        assert nothing == [] and nothing.every_word


def test_the_words_people_search_by_reach_the_pages_that_say_it_otherwise(app, registry):
    # An experienced frontliner's searches that used to miss: the aggression page and
    # scenario by «агресивний», the Deaf client by «нечуюча».
    with app.app_context():
        rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
        aggressive = {(h.kind, h.key) for h in search(db.session, "агресивний", limit=50)}
        assert ("scenario", "aggressive-client") in aggressive
        deaf = {(h.kind, h.key) for h in search(db.session, "нечуюча", limit=50)}
        assert ("scenario", "hearing-impairment") in deaf


def test_the_glossary_is_found_by_the_abbreviations_it_explains(app, registry):
    """A reader who meets «ЦНАП» or "TsNAP" in a scenario finds the glossary in their language."""
    with app.app_context():
        rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
        for query, lang in (("ЦНАП", "uk"), ("TsNAP", "en"), ("УБД", "uk"), ("фронтлайнер", "uk"),
                            ("KIAS", "en"), ("eVidnovlennia", "en")):
            found = {(h.kind, h.key, h.lang) for h in search(db.session, query, limit=100)}
            assert ("page", "glossary", lang) in found, query


def test_what_a_trainee_never_reads_is_not_searched(registry):
    """The client's backstory and the authors' sources stay out of the index: their words
    showed in trainees' excerpts («…у довіднику ситуацій проєкту, 5.2.4»), found by playing."""
    from trainer.search.index import documents
    bodies = {(kind, key, lang): body for kind, key, lang, _title, body in documents(registry.manual, registry.current)}
    for scenario_id, loaded in registry.current.items():
        scenario = loaded.scenario
        for lang in ("uk", "en"):
            body = bodies[("scenario", scenario_id, lang)]
            assert scenario.persona.backstory.get(lang) not in body
            for source in scenario.sources:
                if source.title and len(source.title.get(lang)) > 20:
                    assert source.title.get(lang) not in body, (scenario_id, source.title.get(lang))
            assert scenario.summary.get(lang) in body  # what is read is still searched
