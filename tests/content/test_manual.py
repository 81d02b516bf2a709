"""The manual as the app reads it: which subsections a page lists under itself."""
from __future__ import annotations

import pytest

from trainer.content.manual import Manual
from trainer.content.pages import Page
from trainer.content.toc import Section, Toc

SECTIONS = [Section(n, {"uk": f"Розділ {n}", "en": f"Section {n}"}, f"{n}.md", n.count(".") + 1, i + 1)
            for i, n in enumerate(["5", "5.1", "5.2", "5.3"])]


def _manual(body_uk: str, body_en: str | None = None) -> Manual:
    manual = Manual(Toc(SECTIONS))
    manual.pages[("uk", "5")] = Page("5", "uk", "Розділ 5", "summary", body_uk, "uk/5.md")
    if body_en is not None:
        manual.pages[("en", "5")] = Page("5", "en", "Section 5", "summary", body_en, "en/5.md")
    return manual


@pytest.mark.parametrize("body", [
    "- [5.1](5.1.md) — one\n- [5.2](5.2.md) — two\n- [5.3](5.3.md#top) — three\n",
    "See [the first](5.1.md), [the second](./5.2.md) and [the third](5.3.md).",
])
def test_an_overview_that_links_every_subsection_gets_no_second_list(body):
    assert _manual(body).subsections_to_list("5", "uk") == []


@pytest.mark.parametrize("body", [
    "No links at all.",
    "- [5.1](5.1.md) — one\n- [5.2](5.2.md) — two\n",  # 5.3 is missing: the full list stays
    "Mentions 5.1, 5.2 and 5.3 without linking them.",
    "[5.1](5.1.md) [5.2](5.2.md) [5.3](https://example.org/5.3.md.html)",
])
def test_a_page_that_does_not_link_every_subsection_keeps_the_full_list(body):
    assert [s.number for s in _manual(body).subsections_to_list("5", "uk")] == ["5.1", "5.2", "5.3"]


def test_each_language_is_judged_by_its_own_page():
    manual = _manual("No links.", "[5.1](5.1.md) [5.2](5.2.md) [5.3](5.3.md)")
    assert manual.subsections_to_list("5", "en") == []
    assert len(manual.subsections_to_list("5", "uk")) == 3
    # Without an English page, the Ukrainian one (which the reader is shown) decides.
    assert len(_manual("No links.").subsections_to_list("5", "en")) == 3


def test_a_leaf_has_no_subsections_to_list():
    assert _manual("[5.1](5.1.md)").subsections_to_list("5.1", "uk") == []


def test_neighbours_are_the_sections_before_and_after_in_the_manuals_order():
    manual = Manual(Toc(SECTIONS))
    number = lambda pair: tuple(s.number if s else None for s in pair)  # noqa: E731
    assert number(manual.neighbours("5")) == (None, "5.1")
    assert number(manual.neighbours("5.2")) == ("5.1", "5.3")
    assert number(manual.neighbours("5.3")) == ("5.2", None)
    assert manual.neighbours("glossary") == (None, None)
