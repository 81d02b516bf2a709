"""The project's own Ukrainian says «правнича допомога», the law's term since 2023.

Law No. 3022-IX of 10.04.2023 renamed the Law «Про безоплатну правову допомогу» to «Про
безоплатну правничу допомогу», and the aid with it. The manual predates that and says
«правова». The project's own text (scenario lines and feedback, manual summaries) uses the
current term. The old one may appear only where it is quoted: the manual's own titles (the
table of contents and each page's ``title``), source descriptions (a document's title or
issuer as it was), a mention of the former name ("до 2023 року …", «колишня назва»), and treaties «про
правову допомогу», which is a different thing (mutual legal assistance).
"""
from __future__ import annotations

import re

from tests.conftest import CONTENT_DIR, ROOT
from trainer.content.pages import read_page
from trainer.scenario.checks import iter_texts

OLD_TERM = re.compile(r"(?<![А-Яа-яІіЇїЄєҐґ'])правов\w*\s+(?:\w+\s+)?допомог\w*", re.IGNORECASE)
QUOTED = re.compile(r"2023|колишн|договор\w* про правову допомогу", re.IGNORECASE)


def old_term_uses(text: str) -> list[str]:
    """Sentences of ``text`` that use the old term outside the quoted uses."""
    found = []
    for sentence in re.split(r"(?<=[.!?»])\s+|\n", text):
        if OLD_TERM.search(sentence) and not QUOTED.search(sentence):
            found.append(sentence.strip())
    return found


def test_the_rule_finds_the_old_term_and_spares_the_quoted_uses():
    assert old_term_uses("Безоплатну вторинну правову допомогу надає центр.")
    assert old_term_uses("Бюро правової допомоги, добрий день.")
    assert not old_term_uses("Бюро правничої допомоги, добрий день.")
    assert not old_term_uses("Закон «Про безоплатну правничу допомогу» (до 2023 року — «Про безоплатну правову допомогу»).")
    assert not old_term_uses("Перелік міжнародних договорів про правову допомогу наведено в додатку.")
    assert not old_term_uses("Потребує іншої, неправової допомоги.")


def test_scenarios_use_the_current_term(real_library):
    offending = {}
    for scenario_id, loaded in sorted(real_library.items()):
        uses = [use for path, text in iter_texts(loaded.scenario) if path[0] != "sources"
                for use in old_term_uses(text.uk)]
        if uses:
            offending[scenario_id] = uses
    assert not offending, offending


def test_manual_summaries_use_the_current_term():
    offending = {}
    for path in sorted((CONTENT_DIR / "uk").glob("*.md")):
        if path.name == "SUMMARY.md":  # the manual's own table of contents
            continue
        uses = old_term_uses(read_page(path, "uk", path.stem).body)
        if uses:
            offending[path.name] = uses
    assert not offending, offending


def test_the_interface_uses_the_current_term():
    files = [ROOT / "trainer" / "translations" / "uk" / "LC_MESSAGES" / "messages.po",
             *sorted((ROOT / "templates").rglob("*.html"))]
    offending = {path.name: uses for path in files if (uses := old_term_uses(path.read_text(encoding="utf-8")))}
    assert not offending, offending
