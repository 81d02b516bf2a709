"""Page files: front matter checked with file and line; every section has its pages."""
import pytest

from tests.conftest import CONTENT_DIR
from trainer.content.manual import load_manual
from trainer.content.pages import PageError, parse_page


def test_front_matter_is_read():
    page = parse_page("---\nsection: \"5.2.3\"\ntitle: Клієнт плаче\nstatus: summary\nsources:\n  - public: WHO PFA\n---\nТекст\n",
                      "5.2.3.md", "uk", "5.2.3")
    assert (page.title, page.status, page.body) == ("Клієнт плаче", "summary", "Текст\n")
    assert page.from_public_guidance


def test_page_without_front_matter_is_an_imported_page():
    page = parse_page("# 5.2.3. Клієнт плаче\n\nТекст", "x.md", "uk", "5.2.3")
    assert page.status == "imported" and page.title == "5.2.3. Клієнт плаче"


@pytest.mark.parametrize("text, fragment", [
    ("---\nsection: \"5.2.4\"\ntitle: X\n---\n", "is '5.2.4' but the file is listed as '5.2.3'"),
    ("---\nsection: \"5.2.3\"\ntitle: X\nstatus: draft\n---\n", "status 'draft'"),
    ("---\nsection: \"5.2.3\"\n---\n", "add a 'title'"),
    ("---\nsection: \"5.2.3\"\ntitle: a: b: c\n---\n", "not valid YAML"),
])
def test_bad_front_matter_names_the_file(text, fragment):
    with pytest.raises(PageError, match=fragment) as info:
        parse_page(text, "content/uk/5.2.3.md", "uk", "5.2.3")
    assert str(info.value).startswith("content/uk/5.2.3.md:")


def test_every_section_has_a_page_in_both_languages():
    manual = load_manual(CONTENT_DIR)
    assert manual.problems == []
    for section in manual.toc.sections:
        for lang in ("uk", "en"):
            page = manual.pages[(lang, section.number)]
            assert page.status in ("summary", "stub")
            assert page.title == section.title(lang), (lang, section.number)
    assert manual.page("quick-complaints", "en").status == "summary"


def test_trained_sections_have_full_summaries(registry):
    manual = load_manual(CONTENT_DIR)
    trained = {ref for loaded in registry.current.values() for ref in loaded.scenario.manual}
    for number in trained | {"1.3.1", "1.3.1.1", "5.2.9", "6.1"}:
        for lang in ("uk", "en"):
            page = manual.pages[(lang, number)]
            assert page.status == "summary", (lang, number)
            assert len(page.body.split()) > 150, (lang, number)


def test_public_guidance_pages_say_so(registry):
    manual = load_manual(CONTENT_DIR)
    for (lang, key), page in manual.pages.items():
        if page.from_public_guidance:
            marker = "**Джерело.**" if lang == "uk" else "**Source.**"
            assert marker in page.body, (lang, key)


def test_english_pages_name_laws_and_guides_in_english():
    """An English reader gets a title they can read ("the Law of Ukraine “On Free Legal
    Aid”"); the original may follow it, as the sources list gives both. A Ukrainian phrase of
    several words in «…» in the text itself is a title left untranslated."""
    import re

    untranslated = re.compile(r"«[^»]*[А-ЯҐЄІЇа-яґєії]+(?:\s+[^»\s]+){2,}[^»]*»")
    manual = load_manual(CONTENT_DIR)
    found = {key: untranslated.findall(page.body) for (lang, key), page in manual.pages.items() if lang == "en"}
    assert {key: titles for key, titles in found.items() if titles} == {}


# -- the glossary -----------------------------------------------------------------------

def _glossary(manual, lang: str) -> list[tuple[str, str]]:
    """(term, explanation) of each entry of the glossary in ``lang``: a level-2 heading and
    the text under it."""
    import re

    parts = re.split(r"^## (.+)\n", manual.pages[(lang, "glossary")].body, flags=re.M)
    return list(zip(parts[1::2], (text.strip() for text in parts[2::2])))


def _links(text: str) -> list[str]:
    import re

    return re.findall(r"\]\(([^)]*)\)", text)


def test_the_glossary_is_a_page_in_both_languages_with_the_same_entries():
    """The English entries are the Ukrainian ones: as many, with the same abbreviations in
    their headings and the same manual sections linked from them."""
    import re
    from collections import Counter

    manual = load_manual(CONTENT_DIR)
    assert manual.problems == []
    uk, en = _glossary(manual, "uk"), _glossary(manual, "en")
    assert manual.page("glossary", "uk").status == manual.page("glossary", "en").status == "summary"
    assert len(uk) == len(en) >= 40
    assert all(explanation for _term, explanation in uk + en)

    def abbreviations(entries):
        return {a for term, _ in entries for a in re.findall(r"(?<!\w)[А-ЯҐЄІЇ]{2,}(?!\w)", term)}

    assert {"ЦНАП", "ВПО", "УБД", "ТЦК", "ДМС", "ПФУ", "БППД", "БВПД", "КІАС"} <= abbreviations(uk)
    assert abbreviations(uk) == abbreviations(en)
    # An English term gives the Ukrainian one in brackets: "Administrative Services Centre (ЦНАП, TsNAP)".
    assert [term for term, _ in en if not re.search(r"\([^)]*[а-яґєіїА-ЯҐЄІЇ]", term)] == []
    assert "Administrative Services Centre (ЦНАП, TsNAP)" in dict(en)
    assert Counter(tuple(sorted(_links(text))) for _, text in uk) == Counter(tuple(sorted(_links(text))) for _, text in en)


def test_the_glossary_is_in_alphabetical_order():
    from trainer.collation import title_key

    manual = load_manual(CONTENT_DIR)
    uk = [term for term, _ in _glossary(manual, "uk")]
    en = [term for term, _ in _glossary(manual, "en")]
    assert uk == sorted(uk, key=title_key)
    assert en == sorted(en, key=str.casefold)


def test_every_link_in_the_glossary_names_the_section_it_opens():
    """Links in the manual's style, ``[5.3.3](5.3.3.md)``: each to a section of the table of
    contents (or another page of the manual), its text the section's number."""
    import re

    manual = load_manual(CONTENT_DIR)
    sections = {s.number for s in manual.toc.sections}
    for lang in ("uk", "en"):
        body = manual.pages[(lang, "glossary")].body
        links = re.findall(r"\[([^\]]*)\]\(([^)]*)\)", body)
        assert len(links) > 60, lang
        for text, target in links:
            key = target.removesuffix(".md")
            assert target.endswith(".md") and text == key and key in sections, (lang, text, target)
