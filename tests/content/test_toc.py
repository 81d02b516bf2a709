"""The manual's table of contents as the trainer reads it."""
import pytest

from trainer.content.toc import TocError, load_toc, parse_summary


def test_sections_in_order_with_both_languages(toc):
    numbers = [s.number for s in toc.sections]
    assert numbers[:3] == ["1", "1.1", "1.2"]
    assert "5.2.3" in toc and "6.1" in toc and "9.9" not in toc
    section = toc.get("5.2.3")
    assert section.title("uk") == "Клієнт плаче"
    assert section.title("en") == "The client is crying"
    assert section.parent == "5.2" and section.depth == 2


def test_bad_entry_names_file_and_line():
    with pytest.raises(TocError, match=r"SUMMARY.md:3: the title must start with its section number"):
        parse_summary("# Зміст\n\n* [Вступ](intro.md)\n", "SUMMARY.md")


def test_duplicate_section_is_refused(tmp_path):
    (tmp_path / "uk").mkdir()
    (tmp_path / "uk" / "SUMMARY.md").write_text("* [1. А](1.md)\n* [1. Б](1b.md)\n", encoding="utf-8")
    with pytest.raises(TocError, match="listed twice"):
        load_toc(tmp_path)
