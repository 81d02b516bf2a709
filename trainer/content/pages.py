"""Manual pages: Markdown files with YAML front matter, one per section and language.

Our own pages carry front matter (section, title, status, sources). A page imported from
a centre's GitBook export may have none; it is then read as an imported page titled by
its first heading. Problems name the file and the line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

STATUSES = ("summary", "stub", "imported")
# libyaml's loader where PyYAML has it: the pure-Python one took most of a cold start's
# manual load (0.65 s of 0.7 s for 212 front matters, bench/README.md).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_HEADING = re.compile(r"^#\s+(.+)$", re.M)
# A link from one page to another: "5.2.md", "./5.2.md" or "5.2.md#anchor"; the key is the
# file's stem. Rendering turns these into app links; any other link is left alone.
_PAGE_LINK = re.compile(r"^(?:\./)?(?P<key>[\w.\-]+)\.md(?P<anchor>#.*)?$")


def page_link(href: str) -> tuple[str, str] | None:
    """The page key and anchor ("" without one) that ``href`` points to, or None when it is
    not a link to another page."""
    match = _PAGE_LINK.match(href)
    return (match["key"], match["anchor"] or "") if match else None


# The source documents the first pages were written from, cited in front matter as
# "seed: NNN". Four hold the text of one manual section each, so a reader is shown that
# section; the fifth is chapter 2.5 of a social-work textbook (in Russian) on client feedback.
SEED_SECTIONS = {"000": "6.1", "001": "5.2.9", "002": "1.3.1.1", "003": "1.3.1"}
TEXTBOOK_SEEDS = {"004": "2.5"}


@dataclass(frozen=True)
class Source:
    """One source as a page's reader is shown it: ``kind`` is manual (``value`` a section
    number), textbook (a chapter), excerpt (a source document we cannot name) or public
    (a title as written)."""
    kind: str
    value: str


class PageError(ValueError):
    """A page that does not fit; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Page:
    key: str
    lang: str
    title: str
    status: str
    body: str
    path: str
    sources: list[dict] = field(default_factory=list)

    @property
    def from_public_guidance(self) -> bool:
        """Written from public guidance rather than the manual's own text."""
        return any("public" in s for s in self.sources)

    def cited(self) -> list[Source]:
        """The sources in their order, a seed named by what it is (a manual section, each
        section once; the textbook's chapter), never by its file number alone."""
        out: list[Source] = []
        for entry in self.sources:
            if "manual" in entry:
                found = Source("manual", entry["manual"])
            elif "seed" in entry:
                number = entry["seed"]
                if number in SEED_SECTIONS:
                    found = Source("manual", SEED_SECTIONS[number])
                elif number in TEXTBOOK_SEEDS:
                    found = Source("textbook", TEXTBOOK_SEEDS[number])
                else:
                    found = Source("excerpt", number.lstrip("0") or "0")
            elif "public" in entry:
                found = Source("public", entry["public"])
            else:
                continue
            if found not in out:
                out.append(found)
        return out


def parse_page(text: str, path: str, lang: str, key: str) -> Page:
    """Parse one page; ``key`` is the section number (or page name) it must declare."""
    match = _FRONT.match(text)
    if not match:
        heading = _HEADING.search(text)
        title = heading.group(1).strip() if heading else key
        return Page(key, lang, title, "imported", text, path)
    try:
        meta = yaml.load(match.group(1), Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        raise PageError(f"{path}:{line}: the front matter is not valid YAML: quote titles that contain a colon") from None
    if not isinstance(meta, dict):
        raise PageError(f"{path}:2: the front matter must be 'key: value' lines")
    declared = str(meta.get("section", ""))
    if declared != key:
        raise PageError(f"{path}:2: 'section' is {declared!r} but the file is listed as {key!r} in SUMMARY.md: make them match")
    status = meta.get("status", "summary")
    if status not in STATUSES:
        raise PageError(f"{path}:2: status {status!r} must be one of {', '.join(STATUSES)}")
    title = str(meta.get("title") or "").strip()
    if not title:
        raise PageError(f"{path}:2: add a 'title'")
    sources = meta.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise PageError(f"{path}:2: 'sources' must be a list of entries such as '- manual: \"5.2.3\"'")
    body = text[match.end():]
    return Page(key, lang, title, status, body, path, [{k: str(v) for k, v in s.items()} for s in sources])


def read_page(path: Path, lang: str, key: str) -> Page:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PageError(f"{path}:1: save the page as UTF-8 text") from None
    return parse_page(text, str(path), lang, key)
