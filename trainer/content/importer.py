"""Replace our manual pages with a centre's own GitBook export, or refuse and say why.

The export must have a ``SUMMARY.md`` whose numbered entries point at Markdown files that
exist, are UTF-8 and not too large, and it must keep every section a scenario cites.
Unnumbered entries (preface, appendices) and unlisted files are reported and skipped.
Nothing changes unless the whole tree fits; then the language folder is swapped in one
rename, the previous one is kept beside it, and pages outside the table of contents
(such as the quick reference) are carried over.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .manual import QUICK_PAGES
from .pages import PageError, read_page
from .toc import TocError, _ENTRY, _NUMBERED

MAX_PAGE_BYTES = 1_000_000
MAX_PAGES = 2_000


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: int = 0
    backup: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _find_summary(source: Path, lang: str) -> Path | None:
    for candidate in (source / "SUMMARY.md", source / lang / "SUMMARY.md"):
        if candidate.is_file():
            return candidate
    return None


def check_export(source: Path, required_sections: set[str], lang: str = "uk") -> tuple[ImportReport, Path | None]:
    """Check an export without changing anything."""
    report = ImportReport()
    summary = _find_summary(source, lang)
    if summary is None:
        report.errors.append(f"{source}: no SUMMARY.md (GitBook's table of contents) at the top or in {lang}/")
        return report, None
    root = summary.parent
    seen: set[str] = set()
    try:
        lines = summary.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        report.errors.append(f"{summary}: not UTF-8 text")
        return report, None
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        entry = _ENTRY.match(raw)
        if not entry:
            report.notes.append(f"{summary}:{lineno}: not a link entry, skipped")
            continue
        numbered = _NUMBERED.match(entry["label"].strip())
        if not numbered:
            report.notes.append(f"{summary}:{lineno}: {entry['label']!r} has no section number, skipped")
            continue
        number, rel = numbered["number"], entry["path"].split("#")[0]
        if number in seen:
            report.errors.append(f"{summary}:{lineno}: section {number} is listed twice")
            continue
        seen.add(number)
        page = (root / rel).resolve()
        if root.resolve() not in page.parents:
            report.errors.append(f"{summary}:{lineno}: {rel} points outside the export")
        elif page.suffix.lower() != ".md":
            report.errors.append(f"{summary}:{lineno}: {rel} is not a Markdown (.md) file")
        elif not page.is_file():
            report.errors.append(f"{summary}:{lineno}: {rel} does not exist")
        elif page.stat().st_size > MAX_PAGE_BYTES:
            report.errors.append(f"{summary}:{lineno}: {rel} is larger than {MAX_PAGE_BYTES // 1000} kB")
        else:
            try:
                read_page(page, lang, number)
            except PageError as exc:
                report.errors.append(str(exc))
            else:
                report.pages += 1
    if len(seen) > MAX_PAGES:
        report.errors.append(f"{summary}: more than {MAX_PAGES} sections")
    missing = sorted(required_sections - seen, key=lambda n: [int(p) for p in n.split(".")])
    if missing:
        report.errors.append(f"{summary}: sections cited by scenarios are missing: {', '.join(missing)}")
    return report, root


def import_export(source: Path, content_dir: Path, required_sections: set[str], lang: str = "uk") -> ImportReport:
    """Check, then replace ``content_dir/lang`` with the export; refuse on any error."""
    report, root = check_export(source, required_sections, lang)
    if not report.ok or root is None:
        return report
    target = content_dir / lang
    staging = content_dir / f".import-{lang}-{int(time.time())}"
    shutil.copytree(root, staging, ignore=shutil.ignore_patterns(".git", "*.png", "*.jpg", "*.gif", "*.svg"))
    _keep_numbered_entries(staging / "SUMMARY.md")
    for key in QUICK_PAGES:
        ours = target / f"{key}.md"
        if ours.is_file() and not (staging / f"{key}.md").exists():
            shutil.copy2(ours, staging / f"{key}.md")
    if target.exists():
        report.backup = content_dir / f".{lang}-before-import-{int(time.time())}"
        target.rename(report.backup)
    staging.rename(target)
    return report


def _keep_numbered_entries(summary: Path) -> None:
    """Our table of contents lists numbered sections only; keep the export's original beside it."""
    original = summary.read_text(encoding="utf-8")
    summary.with_name("SUMMARY.original.md").write_text(original, encoding="utf-8")
    kept = []
    for raw in original.splitlines():
        entry = _ENTRY.match(raw)
        if raw.lstrip().startswith("#") or (entry and _NUMBERED.match(entry["label"].strip())):
            kept.append(raw)
    summary.write_text("\n".join(kept) + "\n", encoding="utf-8")


__all__ = ["ImportReport", "TocError", "check_export", "import_export"]
