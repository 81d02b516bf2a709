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
from ..models import SearchDocument
from ..scenario.checks import iter_texts
from ..scenario.loader import LoadedScenario
from .lemmas import lemmatize, query_terms

# Link targets first, so "[5.2.3](5.2.3.md)" keeps only its text.
_MARKUP = re.compile(r"\]\([^)]*\)|[#*_`>|\[\]]")


@dataclass
class Hit:
    kind: str
    key: str
    lang: str
    title: str
    excerpt: str


def _plain(markdown: str) -> str:
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", markdown)).strip()


def documents(manual: Manual, scenarios: dict[str, LoadedScenario]):
    """(kind, key, lang, title, body) for every page and every scenario in each language."""
    for (lang, key), page in manual.pages.items():
        yield "page", key, lang, page.title, _plain(page.body)
    for scenario_id, loaded in scenarios.items():
        scenario = loaded.scenario
        for lang in ("uk", "en"):
            parts = [t.get(lang) for _path, t in iter_texts(scenario)]
            yield "scenario", scenario_id, lang, scenario.title.get(lang), " ".join(parts)


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


def search(session: Session, query: str, limit: int = 30) -> list[Hit]:
    """Documents that contain every word of ``query`` in some form, best first."""
    groups = [g for g in query_terms(query) if g]
    if not groups:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = " AND ".join("(" + " OR ".join(f'"{t}"' for t in g) + ")" for g in groups)
        rows = session.execute(text(
            "SELECT d.kind, d.key, d.lang, d.title, d.body FROM search_fts f "
            "JOIN search_documents d ON d.id = f.rowid WHERE search_fts MATCH :q "
            "ORDER BY bm25(search_fts) LIMIT :n"), {"q": match, "n": limit}).all()
    else:
        tsquery = " & ".join("(" + " | ".join(t.replace("'", "''") for t in g) + ")" for g in groups)
        rows = session.execute(text(
            "SELECT kind, key, lang, title, body FROM search_documents "
            "WHERE to_tsvector('simple', lemmas) @@ to_tsquery('simple', :q) "
            "ORDER BY ts_rank(to_tsvector('simple', lemmas), to_tsquery('simple', :q)) DESC LIMIT :n"),
            {"q": tsquery, "n": limit}).all()
    return [Hit(kind, key, lang, title, _excerpt(body, groups)) for kind, key, lang, title, body in rows]


def _excerpt(body: str, groups: list[tuple[str, ...]], width: int = 220) -> str:
    """A window of the text around the first word whose lemma matches the query."""
    wanted = {t for g in groups for t in g}
    for match in re.finditer(r"[\w'’ʼ-]+", body):
        if wanted & set(lemmatize(match.group(0))):
            start = max(0, match.start() - width // 3)
            snippet = body[start:start + width]
            return ("…" if start else "") + snippet + ("…" if start + width < len(body) else "")
    return body[:width] + ("…" if len(body) > width else "")
