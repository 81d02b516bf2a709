"""Replace our manual pages with a centre's own GitBook export, or refuse and say why.

The export must have a ``SUMMARY.md`` whose numbered entries point at Markdown files that
exist, are UTF-8 and not too large, and it must keep every section a scenario cites.
Unnumbered entries (preface, appendices) are reported and skipped. Only Markdown (``.md``)
files are imported: every one is checked for size and encoding (``trainer.uploads``), the
total is limited too, and other files (images, scripts, anything else) are named in a note
and left behind. Nothing changes unless the whole tree fits; then the language folder is
swapped in one rename, the previous one is kept beside it, and pages outside the table of
contents (such as the quick reference) are carried over. An export whose pages are mostly
not in the chosen language's script is imported, with a note saying so.
"""
from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..uploads import check_upload, describe_size
from .manual import QUICK_PAGES
from .pages import PageError, read_page
from .render import letter_counts
from .toc import TocError, _ENTRY, _NUMBERED

MAX_PAGE_BYTES = 1_000_000  # defaults of TRAINER_IMPORT_MAX_FILE_MB and …_TOTAL_MB
MAX_TOTAL_BYTES = 50_000_000
MAX_PAGES = 2_000
MAX_FILES = 20_000  # files of any kind in the export; a bigger tree is not a manual
PAGE_EXTENSIONS = {".md"}


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: int = 0
    backup: Path | None = None
    files: list[Path] = field(default_factory=list)  # the Markdown files to copy, relative to the root

    @property
    def ok(self) -> bool:
        return not self.errors


def _find_summary(source: Path, lang: str) -> Path | None:
    for candidate in (source / "SUMMARY.md", source / lang / "SUMMARY.md"):
        if candidate.is_file():
            return candidate
    return None


def check_export(source: Path, required_sections: set[str], lang: str = "uk", max_file_bytes: int = MAX_PAGE_BYTES,
                 max_total_bytes: int = MAX_TOTAL_BYTES) -> tuple[ImportReport, Path | None]:
    """Check an export without changing anything."""
    report = ImportReport()
    summary = _find_summary(source, lang)
    if summary is None:
        report.errors.append(f"{source}: no SUMMARY.md (GitBook's table of contents) at the top or in {lang}/")
        return report, None
    root = summary.parent
    seen: set[str] = set()
    letters = _Letters()
    checked = _check_files(root, report, max_file_bytes, max_total_bytes)
    if summary.resolve() not in checked:
        return report, None  # SUMMARY.md itself is too large or not text: already reported
    lines = summary.read_text(encoding="utf-8-sig").splitlines()
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
        elif page not in checked:
            continue  # too large or not text: reported by _check_files
        else:
            try:
                letters.add(read_page(page, lang, number).body)
            except PageError as exc:
                report.errors.append(str(exc))
            else:
                report.pages += 1
    if len(seen) > MAX_PAGES:
        report.errors.append(f"{summary}: more than {MAX_PAGES} sections")
    missing = sorted(required_sections - seen, key=lambda n: [int(p) for p in n.split(".")])
    if missing:
        report.errors.append(f"{summary}: sections cited by scenarios are missing: {', '.join(missing)}")
    report.files = sorted(path.relative_to(root.resolve()) for path in checked)
    note = letters.mismatch(lang)
    if note:
        report.notes.append(f"{summary.parent}: {note}")
    return report, root


class _Letters:
    """Counts Cyrillic and Latin letters in the pages' prose, to notice an export imported
    under the wrong language (an English manual shown as the Ukrainian one)."""

    # Link targets, addresses and code are Latin in either language: leave them out.
    _NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>]*>|https?://\S+|`[^`]*`")

    def __init__(self) -> None:
        self.cyrillic = self.latin = 0

    def add(self, text: str) -> None:
        cyrillic, latin = letter_counts(self._NOT_PROSE.sub(" ", text))
        self.cyrillic += cyrillic
        self.latin += latin

    def mismatch(self, lang: str) -> str | None:
        """A note when most letters are not in ``lang``'s script; None when they are."""
        total = self.cyrillic + self.latin
        if not total:
            return None
        share = round(100 * self.cyrillic / total)
        if lang == "uk" and self.latin > self.cyrillic:
            return (f"--lang uk, but the pages look English (only {share}% of their letters are Cyrillic); "
                    "if this is the English manual, import it with --lang en")
        if lang == "en" and self.cyrillic > self.latin:
            return (f"--lang en, but the pages look Ukrainian ({share}% of their letters are Cyrillic); "
                    "if this is the Ukrainian manual, import it with --lang uk")
        return None


def _check_files(root: Path, report: ImportReport, max_file_bytes: int, max_total_bytes: int) -> set[Path]:
    """Check every file under ``root``; return the resolved Markdown files fit to import."""
    fit: set[Path] = set()
    ignored: list[str] = []
    total = 0
    base = root.resolve()
    for count, path in enumerate(sorted(root.rglob("*"))):
        if count >= MAX_FILES:
            report.errors.append(f"{root}: more than {MAX_FILES} files: this is not a manual export")
            break
        rel = path.relative_to(root)
        if ".git" in rel.parts or path.is_dir():
            continue
        resolved = path.resolve()
        if base not in resolved.parents:
            report.errors.append(f"{root / rel}: a link that points outside the export")
            continue
        if path.suffix.lower() not in PAGE_EXTENSIONS:
            ignored.append(str(rel))
            continue
        size = resolved.stat().st_size
        total += size
        if size > max_file_bytes:
            # Never read a file that is too large: the size alone refuses it.
            report.errors.append(f"{root / rel}: {describe_size(size)} is larger than the {describe_size(max_file_bytes)} allowed for one file")
            continue
        problems = check_upload(str(root / rel), resolved.read_bytes(), PAGE_EXTENSIONS, max_file_bytes, allow_empty=True)
        report.errors.extend(problems)
        if not problems:
            fit.add(resolved)
    if total > max_total_bytes:
        report.errors.append(f"{root}: the Markdown files add up to {describe_size(total)}, more than the {describe_size(max_total_bytes)} allowed for one import")
    if ignored:
        shown = ", ".join(ignored[:5]) + (f" and {len(ignored) - 5} more" if len(ignored) > 5 else "")
        report.notes.append(f"{root}: {len(ignored)} file(s) that are not Markdown pages are not imported: {shown}")
    return fit


def import_export(source: Path, content_dir: Path, required_sections: set[str], lang: str = "uk",
                  max_file_bytes: int = MAX_PAGE_BYTES, max_total_bytes: int = MAX_TOTAL_BYTES) -> ImportReport:
    """Check, then replace ``content_dir/lang`` with the export; refuse on any error."""
    report, root = check_export(source, required_sections, lang, max_file_bytes, max_total_bytes)
    if not report.ok or root is None:
        return report
    target = content_dir / lang
    staging = content_dir / f".import-{lang}-{int(time.time())}"
    for rel in report.files:
        # Only the checked Markdown files, copied as plain files (never as links).
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root.resolve() / rel, staging / rel)
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
