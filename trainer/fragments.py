"""Rendered HTML kept per app: pieces that only templates, translations and fixed data decide.

A play page is mostly the same few pieces for everyone: the site header of a role in a
language, and the client's lines of a scenario version in a language. Rendering them through
Jinja on every request was most of the page's template time (macro calls, `url_for`,
translated strings). Their inputs never change while the app runs (a scenario version's text
is fixed by its hash; templates and catalogs are read at start), so each is rendered once and
reused. Nothing a person or the database can change goes into a cached piece: the values that
vary per request are filled in afterwards (see ``Holes``), so every app server builds the
same pieces and none of them holds state another server would need.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping

from markupsafe import Markup, escape

# A control character that no template, translation or URL contains and that escaping keeps
# as it is: it marks where a per-request value goes in a rendered piece.
_MARK = "\x1f"
_HOLE = re.compile(f"{_MARK}(\\w+){_MARK}")


class FragmentCache:
    """Rendered pieces by key, built on first use; cleared whole when it reaches ``limit``.

    Keys are bounded by the library (versions × languages × nodes), so the limit only guards
    against a pathological number of versions; rebuilding after a clear costs one render each.
    Concurrent first uses may both render: the results are equal, and the last one stays.
    """

    def __init__(self, limit: int = 20_000):
        self._store: dict[Hashable, object] = {}
        self._limit = limit

    def get(self, key: Hashable, render: Callable[[], object]):
        try:
            return self._store[key]
        except KeyError:
            pass
        value = render()
        if len(self._store) >= self._limit:
            self._store.clear()
        self._store[key] = value
        return value

    def __len__(self) -> int:
        return len(self._store)


class Holes:
    """A piece rendered with markers in place of its per-request values, split at them.

    ``Holes.marker("name")`` is what the template is given for ``name``; ``fill`` puts the
    request's values (escaped, unless already Markup) where the markers were.
    """

    def __init__(self, rendered: str):
        self._parts = _HOLE.split(str(rendered))  # static, hole name, static, hole name, ..., static

    @staticmethod
    def marker(name: str) -> Markup:
        return Markup(f"{_MARK}{name}{_MARK}")

    @property
    def names(self) -> set[str]:
        return set(self._parts[1::2])

    def fill(self, values: Mapping[str, object]) -> Markup:
        parts = list(self._parts)
        parts[1::2] = [escape(values[name]) for name in self._parts[1::2]]
        return Markup("".join(parts))
