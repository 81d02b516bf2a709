"""Markdown to HTML for manual pages, with raw HTML disabled.

Content is data, not code: ``html=False`` makes any HTML in a page appear as text.
Links between pages (``5.2.4.md``) become app URLs. Rendered HTML is cached per file and
invalidated when the file's size or modification time changes.
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

_PAGE_LINK = re.compile(r"^(?:\./)?(?P<key>[\w.\-]+)\.md(?P<anchor>#.*)?$")
CACHE_SIZE = 512


def slugify(text: str) -> str:
    """Heading anchors that keep Cyrillic letters: 'Що робити' -> 'що-робити'."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return re.sub(r"\s+", "-", text)


class Renderer:
    def __init__(self, page_url: Callable[[str], str]):
        self._page_url = page_url
        self.md = (
            MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
            .enable("table")
            .use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify, permalink=False)
            .use(footnote_plugin)
        )
        self.md.core.ruler.push("page_links", self._rewrite_links)
        self._cache: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def _rewrite_links(self, state) -> None:
        for token in state.tokens:
            for child in token.children or []:
                if child.type == "link_open":
                    href = child.attrGet("href") or ""
                    match = _PAGE_LINK.match(href)
                    if match:
                        child.attrSet("href", self._page_url(match["key"]) + (match["anchor"] or ""))

    def render(self, text: str) -> str:
        return self.md.render(text)

    def render_file(self, path: str, body: str) -> str:
        """Rendered ``body`` of the page at ``path``, from the cache while the file is unchanged."""
        try:
            stat = os.stat(path)
            key = (path, stat.st_mtime_ns, stat.st_size)
        except OSError:
            return self.render(body)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        html = self.render(body)
        with self._lock:
            self._cache[key] = html
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return html
