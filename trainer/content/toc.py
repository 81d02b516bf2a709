"""The manual's table of contents, read from GitBook ``SUMMARY.md`` files.

The manual is published with GitBook, so ``content/`` follows GitBook's layout: a
``LANGS.md`` at the top and one folder per language, each with a ``SUMMARY.md`` that lists
the sections in order as nested Markdown links. Section numbers (``5.2.3``) are the keys
scenarios cite; the Ukrainian tree is authoritative, the English one translates titles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("uk", "en")
PUBLIC_MANUAL_URL = "https://qala-project-2.gitbook.io/robota-z-kl-ntami-pos-bnik/"

_ENTRY = re.compile(r"^(?P<indent>\s*)[*-]\s+\[(?P<label>[^\]]+)\]\((?P<path>[^)]*)\)\s*$")
_NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<title>.+)$")


class TocError(ValueError):
    """A SUMMARY.md entry that does not fit; names the file and line."""


@dataclass(frozen=True)
class Section:
    number: str
    titles: dict[str, str]
    path: str
    depth: int
    line: int

    @property
    def parent(self) -> str | None:
        return self.number.rsplit(".", 1)[0] if "." in self.number else None

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["uk"]

    def label(self, lang: str) -> str:
        return f"{self.number}. {self.title(lang)}"


def parse_summary(text: str, source: str) -> list[tuple[str, str, str, int, int]]:
    """Entries of one SUMMARY.md as (number, title, path, depth, line)."""
    entries = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _ENTRY.match(raw)
        if not match:
            raise TocError(
                f"{source}:{lineno}: expected a list entry like '* [5.2.3. Title](5.2.3.md)'"
            )
        numbered = _NUMBERED.match(match["label"].strip())
        if not numbered:
            raise TocError(
                f"{source}:{lineno}: the title must start with its section number, "
                f"e.g. '5.2.3. …' (found {match['label']!r})"
            )
        depth = len(match["indent"].replace("\t", "  ")) // 2
        entries.append(
            (numbered["number"], numbered["title"].strip(), match["path"], depth, lineno)
        )
    return entries


class Toc:
    """Sections in manual order, with titles in every language present."""

    def __init__(self, sections: list[Section], paths: dict[str, dict[str, str]] | None = None):
        self.sections = sections
        self.by_number = {s.number: s for s in sections}
        self.position = {s.number: i for i, s in enumerate(sections)}  # manual order, for sorting
        # Page file per language and section: an imported tree names its files its own way.
        self.paths = paths or {"uk": {s.number: s.path for s in sections}}

    def page_path(self, number: str, lang: str) -> str | None:
        return self.paths.get(lang, {}).get(number) or self.paths["uk"].get(number)

    def __contains__(self, number: str) -> bool:
        return number in self.by_number

    def get(self, number: str) -> Section | None:
        return self.by_number.get(number)

    def label(self, number: str, lang: str) -> str:
        section = self.by_number.get(number)
        return section.label(lang) if section else number


def load_toc(content_dir: Path) -> Toc:
    """Read ``uk/SUMMARY.md`` (required) and ``en/SUMMARY.md`` (titles, optional)."""
    uk_path = content_dir / "uk" / "SUMMARY.md"
    if not uk_path.is_file():
        raise TocError(f"{uk_path}: missing; the manual's table of contents is required")
    uk_entries = parse_summary(uk_path.read_text(encoding="utf-8"), str(uk_path))
    seen: dict[str, int] = {}
    for number, _title, _path, _depth, line in uk_entries:
        if number in seen:
            raise TocError(f"{uk_path}:{line}: section {number} is listed twice (first at line {seen[number]})")
        seen[number] = line
    translated: dict[str, str] = {}
    paths = {"uk": {number: path for number, _t, path, _d, _l in uk_entries}, "en": {}}
    en_path = content_dir / "en" / "SUMMARY.md"
    if en_path.is_file():
        for number, title, page, _d, _l in parse_summary(en_path.read_text(encoding="utf-8"), str(en_path)):
            translated[number] = title
            paths["en"][number] = page
    sections = [
        Section(
            number=number,
            titles={"uk": title, **({"en": translated[number]} if number in translated else {})},
            path=path,
            depth=depth,
            line=line,
        )
        for number, title, path, depth, line in uk_entries
    ]
    return Toc(sections, paths)
