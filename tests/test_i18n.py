"""The Ukrainian catalog covers every interface string."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "trainer" / "translations" / "uk" / "LC_MESSAGES" / "messages.po"


def test_every_ui_string_has_a_ukrainian_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg", "-k", "_l", "-k",
         "lazy_gettext", "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = {m.id: m.string for m in read_po(f) if m.id}
    missing = sorted((w for w in wanted if not catalog.get(w) or not all(catalog.get(w))), key=str)
    assert missing == [], "translate these in messages.po (make i18n-extract):\n" + "\n".join(map(str, missing))


def test_catalog_is_compiled(app):
    assert (ROOT / "trainer" / "translations" / "uk" / "LC_MESSAGES" / "messages.mo").exists()
