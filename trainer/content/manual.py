"""The manual as the app reads it: table of contents plus pages in each language."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .pages import Page, PageError, page_link, read_page
from .toc import LANGUAGES, Section, Toc, load_toc

# Pages outside the numbered sections, read in each language like them: the complaints
# quick reference and the glossary of institutions, documents and abbreviations.
QUICK_PAGES = ("quick-complaints", "glossary")

# Where a Markdown link points: the target of [text](target).
_LINK_TARGET = re.compile(r"\]\(([^()\s]+)\)")


@dataclass
class Manual:
    toc: Toc
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def page(self, key: str, lang: str) -> Page | None:
        """The page in ``lang``, or the Ukrainian one when it is not translated."""
        return self.pages.get((lang, key)) or self.pages.get(("uk", key))

    def children(self, number: str) -> list[Section]:
        return [s for s in self.toc.sections if s.parent == number]

    def subsections_to_list(self, number: str, lang: str) -> list[Section]:
        """The subsections for the list under a page: none when the page's own text links
        every one already (an overview gives each a line of its own; a bare list of their
        titles after it would only repeat it)."""
        children = self.children(number)
        page = self.page(number, lang)
        if not children or page is None:
            return children
        linked = {found[0] for target in _LINK_TARGET.findall(page.body) if (found := page_link(target))}
        stems = [PurePosixPath(self.toc.page_path(c.number, page.lang) or "").stem for c in children]
        return [] if all(stem in linked for stem in stems) else children

    def breadcrumbs(self, number: str) -> list[Section]:
        trail = []
        section = self.toc.get(number)
        while section is not None and section.parent:
            section = self.toc.get(section.parent)
            if section is not None:
                trail.insert(0, section)
        return trail

    def neighbours(self, number: str) -> tuple[Section | None, Section | None]:
        order = self.toc.sections
        index = self.toc.position.get(number)
        if index is None:
            return None, None
        return (order[index - 1] if index > 0 else None,
                order[index + 1] if index + 1 < len(order) else None)


def load_manual(content_dir: Path) -> Manual:
    """Read every page listed in the table of contents; list problems, never raise for a page."""
    toc = load_toc(content_dir)
    manual = Manual(toc)
    for lang in LANGUAGES:
        folder = content_dir / lang
        entries = [(s.number, toc.page_path(s.number, lang)) for s in toc.sections]
        entries += [(key, f"{key}.md") for key in QUICK_PAGES]
        for key, rel in entries:
            path = folder / rel
            if not path.is_file():
                manual.problems.append(f"{path}: missing page for {key}")
                continue
            try:
                manual.pages[(lang, key)] = read_page(path, lang, key)
            except PageError as exc:
                manual.problems.append(str(exc))
    return manual
