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
    assert _plain("Див. [5.2.3](5.2.3.md) і **це** (так)") == "Див. 5.2.3 і це (так)"
