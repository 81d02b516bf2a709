"""The manual's table of contents names every section distinctly, in both languages.

The manual's own contents truncate some long titles, and 3.4.2.1 and 3.4.2.8 were cut to
the same words, so the index showed two identical entries (English review, finding 22).
"""
from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import CONTENT_DIR
from trainer.content.toc import load_toc


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_no_two_sections_share_a_title(lang):
    titles = Counter(section.title(lang) for section in load_toc(CONTENT_DIR).sections)
    assert [title for title, count in titles.items() if count > 1] == []


def test_english_titles_close_their_quotes():
    """A law's name in an English title is quoted whole: “On Refugees…” read as the law's
    full name, with the closing quote after the ellipsis."""
    for section in load_toc(CONTENT_DIR).sections:
        title = section.title("en")
        assert '"' not in title, section.number
        assert title.count("“") == title.count("”"), section.number
        assert "…”" not in title, section.number
