"""Importing a centre's GitBook export: refuse what does not fit, change nothing then."""
from pathlib import Path

import pytest

from trainer.content.importer import check_export, import_export
from trainer.content.manual import load_manual


def make_export(root: Path, sections=("1", "5.2.3"), extra=""):
    root.mkdir(parents=True, exist_ok=True)
    lines = ["# Зміст", "", "* [Передмова](README.md)"]
    for number in sections:
        rel = f"part/{number.replace('.', '-')}-page.md"
        lines.append(f"* [{number}. Розділ {number}]({rel})")
        (root / "part").mkdir(exist_ok=True)
        (root / rel).write_text(f"# {number}. Розділ {number}\n\nТекст центру про {number}.\n", encoding="utf-8")
    (root / "README.md").write_text("# Передмова\n", encoding="utf-8")
    (root / "SUMMARY.md").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    (folder / "uk").mkdir(parents=True)
    (folder / "uk" / "SUMMARY.md").write_text("* [1. Наш](1.md)\n* [5.2.3. Наш](5.2.3.md)\n", encoding="utf-8")
    for n in ("1", "5.2.3"):
        (folder / "uk" / f"{n}.md").write_text(f"---\nsection: \"{n}\"\ntitle: Наш\nstatus: stub\n---\nНаш текст\n", encoding="utf-8")
    (folder / "uk" / "quick-complaints.md").write_text("---\nsection: quick-complaints\ntitle: П\n---\nП\n", encoding="utf-8")
    return folder


def test_a_fitting_export_replaces_the_pages(tmp_path, content):
    export = make_export(tmp_path / "export")
    report = import_export(export, content, {"5.2.3"})
    assert report.ok and report.pages == 2
    assert any("has no section number" in n for n in report.notes)
    manual = load_manual(content)
    page = manual.page("5.2.3", "uk")
    assert page.status == "imported" and "Текст центру" in page.body
    assert manual.page("quick-complaints", "uk") is not None  # carried over
    assert (report.backup / "5.2.3.md").read_text(encoding="utf-8").endswith("Наш текст\n")


@pytest.mark.parametrize("breakage, fragment", [
    (lambda root: (root / "part" / "5-2-3-page.md").unlink(), "does not exist"),
    (lambda root: (root / "SUMMARY.md").unlink(), "no SUMMARY.md"),
    (lambda root: (root / "part" / "5-2-3-page.md").write_bytes(b"\xff\xfe bad"), "UTF-8"),
    (lambda root: (root / "part" / "5-2-3-page.md").write_text("x" * 1_100_000), "larger than"),
])
def test_a_broken_export_is_refused_and_nothing_changes(tmp_path, content, breakage, fragment):
    export = make_export(tmp_path / "export")
    breakage(export)
    before = {p.name: p.read_bytes() for p in (content / "uk").iterdir()}
    report = import_export(export, content, {"5.2.3"})
    assert not report.ok and any(fragment in e for e in report.errors), report.errors
    assert {p.name: p.read_bytes() for p in (content / "uk").iterdir()} == before


def test_missing_cited_section_is_refused(tmp_path, content):
    export = make_export(tmp_path / "export", sections=("1",))
    report, _root = check_export(export, {"5.2.3"})
    assert any("cited by scenarios are missing: 5.2.3" in e for e in report.errors)


def test_links_outside_the_export_are_refused(tmp_path, content):
    export = make_export(tmp_path / "export", extra="* [9. Чужий](../../etc/passwd.md)\n")
    report, _root = check_export(export, set())
    assert any("outside the export" in e for e in report.errors)


def _english_export(root: Path) -> Path:
    make_export(root)
    for page in (root / "part").iterdir():
        number = page.stem.split("-page")[0].replace("-", ".")
        page.write_text(f"# {number}. Section {number}\n\nOur centre's own text about [the client](https://example.org/клієнт).\n",
                        encoding="utf-8")
    return root


def test_an_english_export_checked_as_ukrainian_gets_a_note(tmp_path):
    export = _english_export(tmp_path / "export")
    report, _root = check_export(export, {"5.2.3"}, "uk")
    assert report.ok  # a note, not a refusal: a centre may keep an English manual
    [note] = [n for n in report.notes if "--lang" in n]
    assert "--lang uk, but the pages look English" in note and "import it with --lang en" in note
    english, _root = check_export(export, {"5.2.3"}, "en")
    assert not any("--lang" in n for n in english.notes)


def test_a_ukrainian_export_checked_as_english_gets_a_note(tmp_path):
    export = make_export(tmp_path / "export")
    # Addresses, link targets and code are Latin in either language: they do not count.
    (export / "part" / "1-page.md").write_text(
        "# 1. Розділ\n\nДив. [порадник](https://legalaid.gov.ua/very/long/latin/address/of/the/page) і `trainer index`.\n",
        encoding="utf-8")
    report, _root = check_export(export, {"5.2.3"}, "en")
    assert any("--lang en, but the pages look Ukrainian" in n for n in report.notes), report.notes
    ukrainian, _root = check_export(export, {"5.2.3"}, "uk")
    assert not any("--lang" in n for n in ukrainian.notes)
