"""The shared checks for imported files: type, size, encoding, each error naming the file."""
from __future__ import annotations

import pytest

from trainer.uploads import check_upload, describe_size, megabytes

CSV = {".csv"}


def test_a_plain_utf8_csv_passes():
    assert check_upload("users.csv", "username,name\nolena,Олена\n".encode(), CSV, 1000) == []


def test_extension_is_compared_case_blind_and_a_bom_is_fine():
    assert check_upload("USERS.CSV", "\ufeffusername\nolena\n".encode("utf-8"), CSV, 1000) == []


@pytest.mark.parametrize("filename, data, fragment", [
    ("users.xlsx", b"username\n", "only .csv files can be imported, not .xlsx"),
    ("users", b"username\n", "not a file without an extension"),
    ("users.csv", b"x" * 1001, "is larger than the 1 kB allowed"),
    ("users.csv", b"  \n", "the file is empty"),
    ("users.csv", b"PK\x03\x04rest-of-a-spreadsheet", "ZIP archive (an .xlsx"),
    ("users.csv", b"%PDF-1.7 ...", "a PDF document"),
    ("users.csv", b"\x7fELF\x02\x01", "a program"),
    ("users.csv", b"name\nolena\x00x\n", "NUL bytes"),
    ("users.csv", "username\nолена\n".encode("cp1251"), "users.csv:2: not UTF-8 text"),
])
def test_each_problem_is_named_with_the_file(filename, data, fragment):
    errors = check_upload(filename, data, CSV, 1000)
    assert any(fragment in e for e in errors), errors
    assert all(e.startswith(filename) for e in errors)


def test_a_path_is_kept_so_imports_name_the_file():
    errors = check_upload("export/part/1.md", b"\xff\xfe", {".md"}, 1000)
    assert errors == ["export/part/1.md:1: not UTF-8 text: save it as UTF-8"]


def test_sizes_read_like_a_file_manager():
    assert megabytes(1) == 1_000_000 and megabytes(0.5) == 500_000
    assert describe_size(2_500_000) == "2.5 MB" and describe_size(1200) == "1 kB" and describe_size(10) == "1 kB"


def test_binary_kind_names_a_spreadsheet_and_lets_text_pass():
    from trainer.uploads import binary_kind
    assert binary_kind(b"PK\x03\x04rest") == "a ZIP archive (an .xlsx, .docx or .zip file)"
    assert binary_kind("username\n".encode("utf-16")) is None  # UTF-16 text is for the reader to judge
