"""The Ukrainian catalog covers every interface string."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
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


def _ukrainian_texts() -> dict[str, str]:
    """Every Ukrainian translation in the catalogue (plural forms joined), by msgid."""
    with PO.open("rb") as f:
        return {str(m.id): " ".join(m.string) if isinstance(m.string, (list, tuple)) else m.string
                for m in read_po(f) if m.id and m.string}


def test_one_apostrophe_in_ukrainian_text():
    """The catalogue and the scenario files write the apostrophe as ' (ім'я), not ’ or ʼ: one
    character, so a search or a test for a word finds it however the page was written."""
    others = {msgid: text for msgid, text in _ukrainian_texts().items()
              if re.search(r"[а-яіїєґ][’ʼ`][а-яіїєґ]", text, re.I)}
    assert others == {}


def test_one_name_for_each_thing():
    """Named competencies are «компетентність» (a person's ability; «компетенція» is a body's
    remit), the practice mode is «тренування», and a deadline is «строк»."""
    texts = _ukrainian_texts()
    for msgid, text in texts.items():
        # «до компетенції центру» (its remit) is another word; «терміново» (urgently) too.
        assert not re.search(r"(?<!до )компетенці", text, re.I), msgid
        assert not re.search(r"\bтермін(у|ом|і)?\b", text, re.I), msgid
        assert "учасник" not in text, msgid  # trainees are «слухачі» everywhere
    assert texts["Practice"] == "Тренування"
    assert texts["Competency"] == "Компетентність"
    assert texts["due %(date)s"] == "строк: %(date)s"


def test_the_level_agrees_with_its_label():
    """«Рівень: поглиблений», not «Складність: Поглиблений» (a feminine noun, a masculine
    adjective, and a capital after the colon)."""
    texts = _ukrainian_texts()
    assert texts["Difficulty:"] == "Рівень:"
    assert [texts[level] for level in ("Introductory", "Intermediate", "Advanced")] == [
        "початковий", "середній", "поглиблений"]


def test_templates_format_decimals_for_the_readers_language():
    """A decimal number is written with Babel's decimalformat (3,5 in Ukrainian, 3.5 in
    English), never with Python's %-formatting or round(n), which always print a point."""
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""["']%\.\d+f["']|round\(\s*[1-9]""", line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


@pytest.mark.parametrize(("lang", "expected"), [("uk", "3,5 · 0,62 · 12"), ("en", "3.5 · 0.62 · 12")])
def test_decimalformat_writes_the_readers_decimal_sign(app, lang, expected):
    from flask import render_template_string, session
    with app.test_request_context("/"):
        session["locale"] = lang
        rendered = render_template_string(
            '{{ 3.46 | decimalformat("0.0") }} · {{ 0.6249 | decimalformat("0.00") }} · {{ 12.0 | decimalformat("0.#") }}')
    assert rendered == expected


def test_the_time_limit_message_says_what_to_enter():
    texts = _ukrainian_texts()
    assert texts["The time limit must be between %(low)s and %(high)s seconds."] == \
        "Укажіть час на одне рішення від %(low)s до %(high)s секунд."
