"""Build and query the search index in the database's own full-text engine.

SQLite uses an FTS5 table, PostgreSQL a GIN index over ``to_tsvector('simple', …)``; both
are fed lemmas rather than raw text, so the engine only has to match whole words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from ..content.manual import Manual
from ..content.render import markdown_parser
from ..models import SearchDocument
from ..scenario.checks import iter_texts
from ..scenario.loader import LoadedScenario
from .lemmas import lemmatize, query_terms

# Parsed as the manual's pages are rendered (tables, footnotes), so an excerpt holds what the
# reader sees: no link targets, emphasis marks or list markers, and no gaps where they were.
_MARKDOWN = markdown_parser()
_WORDS, _BREAKS = ("text", "code_inline"), ("softbreak", "hardbreak")
_SENTENCE_END = tuple(".!?…:;")
_CLOSING = "»”\")"


@dataclass
class Hit:
    kind: str
    key: str
    lang: str
    title: str
    excerpt: str


def _plain(markdown: str) -> str:
    """The text of a Markdown page as a reader sees it, on one line; a heading or list item
    that does not end a sentence gets a full stop, so it does not run into the next one."""
    blocks = []
    for token in _MARKDOWN.parse(markdown):
        if token.type == "inline":
            blocks.append("".join(child.content if child.type in _WORDS else " " if child.type in _BREAKS else ""
                                  for child in token.children or ()))
    return re.sub(r"\s+", " ", _sentences(blocks))


def _sentences(texts) -> str:
    """Texts joined so that a title or label does not run into the next sentence."""
    parts = [t.strip() for t in texts if t and t.strip()]
    # «…?» ends a sentence; «заспокойтеся» at the end of a list item does not.
    return " ".join(part if part.rstrip(_CLOSING).endswith(_SENTENCE_END) else part + "." for part in parts)


# What a trainee never reads is not searched either, or its words would show in excerpts: the
# client's hidden backstory, and the authors' sources (supervisors see those on the scenario's
# page; trainees see only its manual sections).
UNREAD = (("persona", "backstory"), ("sources",))


def documents(manual: Manual, scenarios: dict[str, LoadedScenario]):
    """(kind, key, lang, title, body) for every page and every scenario in each language."""
    for (lang, key), page in manual.pages.items():
        yield "page", key, lang, page.title, _plain(page.body)
    for scenario_id, loaded in scenarios.items():
        scenario = loaded.scenario
        for lang in ("uk", "en"):
            parts = [t.get(lang) for path, t in iter_texts(scenario)
                     if not any(path[:len(part)] == part for part in UNREAD)]
            yield "scenario", scenario_id, lang, scenario.title.get(lang), _sentences(parts)


def rebuild(session: Session, manual: Manual, scenarios: dict[str, LoadedScenario]) -> int:
    """Replace the whole index; the caller commits."""
    dialect = session.get_bind().dialect.name
    session.execute(delete(SearchDocument))
    if dialect == "sqlite":
        session.execute(text("DELETE FROM search_fts"))
    count = 0
    for kind, key, lang, title, body in documents(manual, scenarios):
        # The title goes in twice so that a match there ranks above one in the body.
        doc = SearchDocument(kind=kind, key=key, lang=lang, title=title, body=body[:20000],
                             lemmas=" ".join(lemmatize(title + " " + title + " " + body)))
        session.add(doc)
        session.flush()
        if dialect == "sqlite":
            session.execute(text("INSERT INTO search_fts(rowid, lemmas) VALUES (:id, :lemmas)"),
                            {"id": doc.id, "lemmas": doc.lemmas})
        count += 1
    return count


class Results(list):
    """Hits, best first; ``every_word`` is False when no document had every word of the
    query and these are the documents with any of them instead (the page says so)."""

    every_word = True


def search(session: Session, query: str, limit: int = 30) -> Results:
    """Documents that contain every word of ``query`` in some form, best first; when none
    does and the query has several words, those that contain any of them.

    One misspelt or unknown word would otherwise empty the list, though the rest of the
    query finds plenty.
    """
    groups = [g for g in query_terms(query) if g]
    if not groups:
        return Results()
    found = Results(_matching(session, groups, every=True, limit=limit))
    if not found and len(groups) > 1:
        found = Results(_matching(session, groups, every=False, limit=limit))
        found.every_word = False
    return found


def _matching(session: Session, groups: list[tuple[str, ...]], every: bool, limit: int) -> list[Hit]:
    """Documents with every group (``every``) or any group of alternative lemmas, best first."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = (" AND " if every else " OR ").join("(" + " OR ".join(f'"{t}"' for t in g) + ")" for g in groups)
        rows = session.execute(text(
            "SELECT d.kind, d.key, d.lang, d.title, d.body FROM search_fts f "
            "JOIN search_documents d ON d.id = f.rowid WHERE search_fts MATCH :q "
            "ORDER BY bm25(search_fts) LIMIT :n"), {"q": match, "n": limit}).all()
    else:
        tsquery = (" & " if every else " | ").join(
            "(" + " | ".join(t.replace("'", "''") for t in g) + ")" for g in groups)
        rows = session.execute(text(
            "SELECT kind, key, lang, title, body FROM search_documents "
            "WHERE to_tsvector('simple', lemmas) @@ to_tsquery('simple', :q) "
            "ORDER BY ts_rank(to_tsvector('simple', lemmas), to_tsquery('simple', :q)) DESC LIMIT :n"),
            {"q": tsquery, "n": limit}).all()
    return [Hit(kind, key, lang, title, _excerpt(body, groups)) for kind, key, lang, title, body in rows]


def _excerpt(body: str, groups: list[tuple[str, ...]], width: int = 220) -> str:
    """A window of the text around the first word whose lemma matches the query, cut
    between words."""
    wanted = {t for g in groups for t in g}
    first = next((m for m in re.finditer(r"[\w'’ʼ-]+", body) if wanted & set(lemmatize(m.group(0)))), None)
    start, keep = (0, 0) if first is None else (max(0, first.start() - width // 3), first.end())
    if start:
        space = body.find(" ", start, first.start())
        start = space + 1 if space != -1 else start
    end = start + width
    if end < len(body):
        space = body.rfind(" ", max(start, keep), end)
        end = space if space != -1 else end
    return ("…" if start else "") + body[start:end] + ("…" if end < len(body) else "")
