"""English scenario text reads as English (English review, findings 8, 10, 11, 15, 16, 19).

Typography: an ellipsis is one character, and a client's line, which the page wraps in
“…”, quotes with single marks inside, so quotes never nest. Wording: phrases carried over
word for word from Ukrainian that say something else in English stay out.
"""
from __future__ import annotations

import pytest
import yaml

from tests.conftest import SCENARIO_DIR

# Files whose English has been checked for typography; add a file once it is clean.
CHECKED = ["aggressive-client", "busy-queue", "crying-client", "domestic-violence", "off-hours-meeting",
           "unaccompanied-child", "withdraw-consent"]

LITERAL = {
    "aggressive-client": ["Threatening the police", "already programmed", "war and moves"],
    "crying-client": ["Had she a plan", "The papers burning", "house was shelled"],
    "domestic-violence": ["woman lawyer", "At the wish of", "Out loud —", "Really —"],
    "off-hours-meeting": ["Share her feelings", "shared her feelings", "read it half aloud", "passed on that"],
    "unaccompanied-child": ["gran's guardianship", "grandmother's guardianship", "informal \"you\"",
                            "speak to you informally", "from the doorway", "in a targeted way"],
    "withdraw-consent": ["records of the help already given the centre", "gangsters!..", "led someone"],
}


def _data(scenario_id):
    return yaml.safe_load((SCENARIO_DIR / f"{scenario_id}.yaml").read_text(encoding="utf-8"))


def _english(node, path=()):
    """Every English text with the keys that lead to it."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "en" and isinstance(value, str):
                yield path, value
            else:
                yield from _english(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _english(value, (*path, i))


@pytest.mark.parametrize("scenario_id", CHECKED)
def test_one_character_ellipsis(scenario_id):
    assert [p for p, text in _english(_data(scenario_id)) if "..." in text] == []


@pytest.mark.parametrize("scenario_id", CHECKED)
def test_client_lines_do_not_nest_double_quotes(scenario_id):
    lines = [(p, text) for p, text in _english(_data(scenario_id)) if p and p[-1] == "says"]
    assert lines
    assert [p for p, text in lines if any(mark in text for mark in '"“”')] == []


def test_scenario_titles_use_curly_quotes():
    titles = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")).get("title", {}).get("en", "")
              for path in SCENARIO_DIR.glob("*.yaml") if path.name != "competencies.yaml"}
    assert {stem: title for stem, title in titles.items() if '"' in title} == {}


@pytest.mark.parametrize("scenario_id", sorted(LITERAL))
def test_no_word_for_word_phrases(scenario_id):
    english = " ".join(text for _p, text in _english(_data(scenario_id)))
    assert [phrase for phrase in LITERAL[scenario_id] if phrase in english] == []


def test_autonomy_competency_has_an_idiomatic_name():
    framework = yaml.safe_load((SCENARIO_DIR / "competencies.yaml").read_text(encoding="utf-8"))
    assert framework["competencies"]["autonomy"]["title"]["en"] == "Client autonomy and empowerment"
