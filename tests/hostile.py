"""Hostile text and a checker that a page shows it as text and runs none of it.

Use it for any text that people or files put into the app (scenario texts, manual pages,
names, free-text answers, comments):

    assert_shown_as_text(client.get(url).get_data(as_text=True), HOSTILE_TEXT)

The page is parsed as a browser would tokenise it, so the check does not depend on how
the escaping is spelled (``&lt;`` or ``&#60;``).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
JS_LINK = '<a href="javascript:alert(1)">link</a>'

# Every trick at once, as one text that must come back unchanged.
HOSTILE_TEXT = f"{SCRIPT} {ATTRIBUTE_BREAKOUT} {TEMPLATE} {JS_LINK}"

# Schemes that run code or smuggle a document when followed or loaded.
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.values: list[str] = []
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.values.append(value)
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            # Browsers ignore whitespace and control characters inside a scheme.
            squeezed = re.sub(r"[\x00-\x20]", "", value)
            if name in _URL_ATTRIBUTES and _BAD_SCHEME.match(squeezed):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append("a <script> that is not one of ours")
            self._in_script = True
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}> element")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]!r}")
        self.texts.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def assert_no_active_content(html: str) -> None:
    """Nothing on the page runs script: no foreign scripts, handlers or script URLs."""
    problems = parse(html).problems
    assert problems == [], "active content on the page:\n" + "\n".join(problems)


def assert_shown_as_text(html: str, payload: str = HOSTILE_TEXT) -> None:
    """``payload`` reaches the reader as the same characters, and nothing on the page runs it."""
    page = parse(html)
    assert page.problems == [], "active content on the page:\n" + "\n".join(page.problems)
    text = "".join(page.texts)
    assert payload in text or payload in page.values, f"{payload!r} is not on the page as text"
