"""Markdown to HTML for manual pages, with raw HTML disabled.

Content is data, not code: ``html=False`` makes any HTML in a page appear as text.
Links between pages (``5.2.4.md``) become app URLs. In a page that is not in Ukrainian,
words in Cyrillic (the original titles of laws and guides an English page cites) are
marked with their language, so a screen reader reads them as Ukrainian (or Russian), not
with English rules (WCAG 3.1.2). Rendered HTML is cached per file and invalidated when the
file's size or modification time changes. A long page (the glossary) gets a list of its
sections (``contents``).
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .pages import page_link

CACHE_SIZE = 512
# A page with more sections than this opens with a list of them (the glossary: one per term).
CONTENTS_FROM = 10
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
# A run of Cyrillic words with what joins them inside a title (spaces, apostrophes, hyphens,
# dashes, commas, digits); it starts and ends on a letter, so quotes and brackets stay outside.
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff](?:[\u0400-\u04ff'’ʼ\-–—,. 0-9]*[\u0400-\u04ff])?")
# Letters Russian has and Ukrainian does not: the manual's sources include one Russian guide.
_RUSSIAN_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")


def slugify(text: str) -> str:
    """Heading anchors that keep Cyrillic letters: 'Що робити' -> 'що-робити'."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return re.sub(r"\s+", "-", text)


def markdown_parser() -> MarkdownIt:
    """The Markdown dialect of the manual's pages (CommonMark with tables and footnotes, raw
    HTML as text), for rendering them and for reading their text into the search index."""
    return (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
            .enable("table").use(footnote_plugin))


class Renderer:
    def __init__(self, page_url: Callable[[str], str]):
        self._page_url = page_url
        self.md = markdown_parser().use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify, permalink=False)
        self.md.core.ruler.push("page_links", self._rewrite_links)
        self.md.core.ruler.push("language_of_parts", _mark_cyrillic)
        self._cache: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def _rewrite_links(self, state) -> None:
        for token in state.tokens:
            for child in token.children or []:
                if child.type == "link_open":
                    href = child.attrGet("href") or ""
                    target = page_link(href)
                    if target:
                        child.attrSet("href", self._page_url(target[0]) + target[1])

    def render(self, text: str, lang: str = "uk") -> str:
        """HTML of a page written in ``lang``."""
        return self.md.render(text, {"lang": lang})

    def render_file(self, path: str, body: str, lang: str = "uk") -> str:
        """Rendered ``body`` of the page at ``path``, from the cache while the file is unchanged."""
        try:
            stat = os.stat(path)
            key = (path, stat.st_mtime_ns, stat.st_size, lang)
        except OSError:
            return self.render(body, lang)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        html = self.render(body, lang)
        with self._lock:
            self._cache[key] = html
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return html


@dataclass(frozen=True)
class Contents:
    """A rendered page cut where its sections begin, so a list of them can stand between its
    opening paragraphs and the first section (``headings`` is empty for a short page, and
    then ``intro`` is the whole page)."""
    intro: Markup
    headings: list[tuple[str, Markup]]  # (anchor, heading as shown, language marks included)
    rest: Markup


def contents(html: str) -> Contents:
    """``html`` (as this module rendered it) with the list of its second-level headings when
    it has more than ``CONTENTS_FROM`` of them; a few headings are seen at a glance."""
    found = [(anchor, Markup(inner)) for anchor, inner in _H2.findall(html)]
    if len(found) <= CONTENTS_FROM:
        return Contents(Markup(html), [], Markup(""))
    first = html.index("<h2 ")
    return Contents(Markup(html[:first]), found, Markup(html[first:]))


def _mark_cyrillic(state) -> None:
    """Wrap Cyrillic runs of a non-Ukrainian page's text in ``<span lang="uk">`` (or "ru")."""
    if state.env.get("lang", "uk") == "uk":
        return
    for token in state.tokens:
        if token.children:
            token.children = [part for child in token.children for part in _split_text(child)]


def _runs(text: str) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, language): None for the page's own language."""
    pieces, last = [], 0
    for match in _CYRILLIC_RUN.finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], None))
        pieces.append((match.group(), "ru" if _RUSSIAN_ONLY.search(match.group()) else "uk"))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], None))
    return pieces


def _split_text(token: Token) -> list[Token]:
    if token.type != "text" or not _CYRILLIC_RUN.search(token.content):
        return [token]
    parts = []
    for piece, lang in _runs(token.content):
        if lang is None:
            parts.append(_text(piece))
        else:  # the piece stays a text token, escaped when rendered like any other
            parts += [_html(f'<span lang="{lang}">'), _text(piece), _html("</span>")]
    return parts


def letter_counts(text: str) -> tuple[int, int]:
    """How many Cyrillic and how many Latin letters ``text`` has: which script it reads in."""
    cyrillic = latin = 0
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif char.isascii() and char.isalpha():
            latin += 1
    return cyrillic, latin


def mark_languages(text: str, page_lang: str) -> Markup:
    """Plain ``text`` of a page in ``page_lang`` as escaped HTML, its Cyrillic runs marked
    as the Markdown body's are (for the front matter's source titles)."""
    if page_lang == "uk":
        return escape(text)
    return Markup("").join(escape(piece) if lang is None else Markup('<span lang="%s">%s</span>') % (lang, piece)
                           for piece, lang in _runs(text))


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _html(content: str) -> Token:
    return Token("html_inline", "", 0, content=content)
