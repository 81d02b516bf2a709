"""What a manual import takes from an export: Markdown pages only, within the size limits."""
from __future__ import annotations

import os

import pytest

from tests.content.test_importer import content, make_export  # noqa: F401  (fixture)
from trainer.content.importer import check_export, import_export


def test_only_markdown_is_copied_and_the_rest_is_named(tmp_path, content):  # noqa: F811
    export = make_export(tmp_path / "export")
    (export / "part" / "evil.js").write_text("alert(1)")
    (export / "part" / "page.html").write_text("<script>alert(1)</script>")
    (export / "cover.png").write_bytes(b"\x89PNG....")
    (export / "run.sh").write_text("rm -rf /")
    report = import_export(export, content, {"5.2.3"})
    assert report.ok, report.errors
    note = next(n for n in report.notes if "not Markdown pages" in n)
    assert "4 file(s)" in note and "part/evil.js" in note and "run.sh" in note
    copied = {p.relative_to(content / "uk").as_posix() for p in (content / "uk").rglob("*") if p.is_file()}
    assert not any(name.endswith((".js", ".html", ".png", ".sh")) for name in copied), copied
    assert "part/5-2-3-page.md" in copied and "SUMMARY.md" in copied


def test_an_unlisted_page_that_is_too_large_is_refused_by_name(tmp_path, content):  # noqa: F811
    export = make_export(tmp_path / "export")
    (export / "notes.md").write_bytes(b"x" * 2000)
    report, _root = check_export(export, {"5.2.3"}, max_file_bytes=1000)
    assert any("notes.md: 2 kB is larger than the 1 kB allowed for one file" in e for e in report.errors), report.errors


def test_the_total_size_is_limited(tmp_path, content):  # noqa: F811
    export = make_export(tmp_path / "export")
    for i in range(5):
        (export / f"extra-{i}.md").write_text("слово " * 100, encoding="utf-8")
    report, _root = check_export(export, {"5.2.3"}, max_file_bytes=10_000, max_total_bytes=3_000)
    assert any("add up to" in e and "more than the 3 kB allowed for one import" in e for e in report.errors), report.errors


def test_a_binary_file_named_md_is_refused(tmp_path, content):  # noqa: F811
    export = make_export(tmp_path / "export")
    (export / "part" / "5-2-3-page.md").write_bytes(b"%PDF-1.4 binary")
    report = import_export(export, content, {"5.2.3"})
    assert not report.ok
    assert any("5-2-3-page.md: this is a PDF document, not text" in e for e in report.errors), report.errors


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_out_of_the_export_is_refused_and_never_copied(tmp_path, content):  # noqa: F811
    secret = tmp_path / "secret.md"
    secret.write_text("the server's secret", encoding="utf-8")
    export = make_export(tmp_path / "export")
    (export / "stolen.md").symlink_to(secret)
    report = import_export(export, content, {"5.2.3"})
    assert not report.ok and any("stolen.md: a link that points outside the export" in e for e in report.errors)
    assert not any("secret" in p.read_text(encoding="utf-8") for p in (content / "uk").rglob("*.md"))


def test_the_cli_reads_the_size_settings(cli_runner_env, tmp_path):
    from click.testing import CliRunner

    from trainer.cli import main

    export = make_export(tmp_path / "export")
    (export / "big.md").write_text("x" * 3000)
    result = CliRunner().invoke(main, ["content", "import", str(export), "--check"],
                                env={**cli_runner_env, "TRAINER_IMPORT_MAX_FILE_MB": "0.002"})
    assert result.exit_code == 1
    assert "big.md: 3 kB is larger than the 2 kB allowed for one file" in result.output


@pytest.fixture
def cli_runner_env(scenario_dir):
    from tests.conftest import CONTENT_DIR
    return {"TRAINER_SCENARIO_DIR": str(scenario_dir), "TRAINER_CONTENT_DIR": str(CONTENT_DIR)}
