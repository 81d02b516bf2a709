"""The library health page says it shows the files as loaded at start, and which scenario
files and manual pages changed since."""
from __future__ import annotations

import os
import shutil
from datetime import datetime

import pytest

from tests.conftest import CONTENT_DIR, SCENARIO_DIR, Auth, doc_example_source
from trainer.scenario.registry import Registry

WARNING = "Файли сценаріїв змінилися після запуску сервера."
MANUAL_WARNING = "Сторінки посібника змінилися після запуску сервера."


@pytest.fixture
def library(tmp_path, database, users):
    """A scenarios folder of two files, a copy of the manual (``tmp_path / "content"``), an
    app that loaded them, and an admin's client."""
    from trainer.app import create_app
    from trainer.extensions import db

    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(SCENARIO_DIR / "competencies.yaml", folder)
    (folder / "example-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    (folder / "second-queue.yaml").write_text(doc_example_source().replace("id: example-queue", "id: second-queue", 1),
                                              encoding="utf-8")
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    registry = Registry(folder, content)
    registry.loaded_at = datetime(2026, 11, 22, 4, 24)  # UTC: 06:24 in Kyiv
    app = create_app({**database, "TRAINER_REGISTRY": registry, "BABEL_DEFAULT_TIMEZONE": "Europe/Kyiv"})
    client = app.test_client()
    Auth(client).login("test.admin")
    yield folder, lambda: client.get("/admin/scenarios").get_data(as_text=True), app
    with app.app_context():
        db.engine.dispose()


def test_the_page_says_it_shows_the_library_as_loaded_at_the_start(library):
    _folder, page, _app = library
    html = page()
    assert "Ця сторінка показує бібліотеку такою, якою сервер завантажив її під час запуску" in html
    assert "під час запуску (22 листопада 2026" in html and "06:24)" in html  # the start, on the centre's clock
    assert "Завантажено 2 з 2" in html
    assert WARNING not in html and MANUAL_WARNING not in html


def test_files_added_changed_or_removed_since_the_start_are_named(library):
    folder, page, _app = library
    (folder / "broken-one.yaml").write_text("id: broken-one\nversion: [oops\n", encoding="utf-8")
    (folder / "bad-yaml.yaml").write_text(": : :\n", encoding="utf-8")
    edited = folder / "example-queue.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (folder / "second-queue.yaml").unlink()
    html = page()
    assert WARNING in html
    assert "Нові: <code>bad-yaml.yaml</code>, <code>broken-one.yaml</code>" in html
    assert "Змінені: <code>example-queue.yaml</code>" in html
    assert "Вилучені: <code>second-queue.yaml</code>" in html
    assert "<code>trainer validate</code>" in html
    assert MANUAL_WARNING not in html
    # The rest of the page still shows what was loaded: the new files are not in its table.
    assert "Завантажено 2 з 2" in html and "<th scope=\"row\"><code>broken-one.yaml</code></th>" not in html


def test_a_file_saved_again_with_the_same_size_counts_as_changed(library):
    """An edit that keeps the size (a digit changed) shows in the modification time."""
    folder, page, _app = library
    path = folder / "competencies.yaml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    html = page()
    assert WARNING in html and "Змінені: <code>competencies.yaml</code>" in html
    assert "Нові:" not in html and "Вилучені:" not in html


def test_the_page_in_english(library):
    from trainer.extensions import db
    from trainer.models import User

    folder, page, app = library
    with app.app_context():
        db.session.scalar(db.select(User).filter_by(username="test.admin")).locale = "en"
        db.session.commit()
    (folder / "new-one.yaml").write_text("id: new-one\n", encoding="utf-8")
    (folder.parent / "content" / "en" / "1.1.md").unlink()
    html = page()
    assert "This page shows the library as the server loaded it when it started (22 Nov 2026, 06:24" in html
    assert "The scenario files have changed since the server started." in html
    assert "New: <code>new-one.yaml</code>" in html
    assert "The manual's pages have changed since the server started." in html
    assert "Removed: <code>en/1.1.md</code>" in html


def test_manual_pages_added_changed_or_removed_since_the_start_are_named(library, tmp_path):
    """The manual is read at the start too: its Markdown files, subfolders included, are
    named from the content folder, and only its own warning shows."""
    _folder, page, _app = library
    content = tmp_path / "content"
    (content / "uk" / "new-page.md").write_text("# Нова сторінка\n", encoding="utf-8")
    (content / "uk" / "extra").mkdir()
    (content / "uk" / "extra" / "notes.md").write_text("# Нотатки\n", encoding="utf-8")
    edited = content / "en" / "1.1.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    summary = content / "uk" / "SUMMARY.md"  # same size, later time: an edit that kept the length
    stat = summary.stat()
    os.utime(summary, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    (content / "en" / "6.2.md").unlink()
    html = page()
    assert MANUAL_WARNING in html and WARNING not in html
    assert "Нові: <code>uk/extra/notes.md</code>, <code>uk/new-page.md</code>" in html
    assert "Змінені: <code>en/1.1.md</code>, <code>uk/SUMMARY.md</code>" in html
    assert "Вилучені: <code>en/6.2.md</code>" in html
    assert "<code>trainer index</code>" in html


def test_files_beside_the_manual_pages_are_not_counted(library, tmp_path):
    """Only Markdown files in the language folders are the manual: not a picture, not the
    GitBook language list, not hidden folders (a git checkout, an import's backup)."""
    _folder, page, _app = library
    content = tmp_path / "content"
    (content / "uk" / "picture.png").write_bytes(b"\x89PNG")
    (content / "uk" / ".git").mkdir()
    (content / "uk" / ".git" / "notes.md").write_text("x\n", encoding="utf-8")
    (content / ".uk-before-import-1").mkdir()
    (content / ".uk-before-import-1" / "5.2.md").write_text("x\n", encoding="utf-8")
    (content / "LANGS.md").write_text("* [English](en/)\n", encoding="utf-8")
    assert MANUAL_WARNING not in page()


def test_a_long_list_of_changed_pages_is_cut_short(library, tmp_path):
    """An import rewrites every page: the warning names ten of them and counts the rest."""
    _folder, page, _app = library
    for n in range(12):
        (tmp_path / "content" / "uk" / f"new-{n:02}.md").write_text("x\n", encoding="utf-8")
    html = page()
    assert "<code>uk/new-09.md</code> і ще 2</li>" in html and "new-10.md" not in html
