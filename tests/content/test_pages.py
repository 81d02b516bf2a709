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
