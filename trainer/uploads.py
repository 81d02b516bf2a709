"""Checks for files people bring into the app: their type, size and encoding.

The manual import calls ``check_upload`` before reading a file. The answer is a list of
errors, each naming the file, empty when the file may be read. The users CSV import reads
more encodings than UTF-8 (Excel's UTF-16 "Unicode Text") and checks its file itself
(``team.people_import.decode_csv``), sharing ``binary_kind`` and the size limit from here. No
Flask here: the caller decides how to show the errors (a command's output or a form).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

# Byte signatures of binary formats people pick by mistake (a spreadsheet for a CSV, a PDF
# or a Word document for a page); a .csv or .md name does not make them text.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx, .docx or .zip file)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (.xls or .doc)",
    b"%PDF": "a PDF document",
    b"\x7fELF": "a program",
    b"MZ": "a Windows program",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}


# The users import's largest CSV: the request limits (app.request_limits) are set from it.
MAX_CSV_BYTES = 1_000_000


def megabytes(count: float) -> int:
    """``count`` megabytes in bytes (decimal, as file managers show them)."""
    return int(count * 1_000_000)


def in_megabytes(size: int) -> str:
    """``size`` bytes as a number of megabytes, as messages give it: 1, 3, 1.5."""
    return f"{size / 1_000_000:g}"


def describe_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` starts like (in English), or None for what may be text."""
    return next((label for magic, label in _BINARY_SIGNATURES.items() if data.startswith(magic)), None)


def check_upload(filename: str, data: bytes, allowed_ext: Iterable[str], max_bytes: int,
                 allow_empty: bool = False) -> list[str]:
    """Problems that stop ``data`` (uploaded as ``filename``) from being read as text.

    ``allowed_ext`` are extensions with the dot (``{".csv"}``), compared case-blind. The
    text must be UTF-8 (a byte-order mark is allowed) and contain no NUL bytes. Errors
    start with ``filename`` as given, so a path names the file in an import.
    """
    name = filename.strip() or "the file"
    allowed = sorted({ext.lower() for ext in allowed_ext})
    errors = []
    suffix = PurePath(name).suffix.lower()
    if suffix not in allowed:
        wanted = " or ".join(allowed)
        errors.append(f"{name}: only {wanted} files can be imported, not {suffix or 'a file without an extension'}")
    if len(data) > max_bytes:
        errors.append(f"{name}: {describe_size(len(data))} is larger than the {describe_size(max_bytes)} allowed")
    if not allow_empty and not data.strip():
        errors.append(f"{name}: the file is empty")
    kind = binary_kind(data)
    if kind is not None:
        errors.append(f"{name}: this is {kind}, not text: save it as {' or '.join(allowed)} (UTF-8) and import that")
        return errors
    if b"\x00" in data:
        errors.append(f"{name}: contains binary data (NUL bytes), not text")
        return errors
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(f"{name}:{line}: not UTF-8 text: save it as UTF-8")
    return errors
