"""The typed scenario format (trainer/scenario/model.py): fields an author may leave out."""
from __future__ import annotations

import pytest

from trainer.scenario.model import ClientLine, Text, json_schema


def test_a_line_is_speech_unless_it_says_otherwise(example):
    """Every file written before `says_via` keeps its meaning: the words are said aloud."""
    assert ClientLine(says=Text(uk="Добрий день.")).says_via == "speech"
    assert example.scenario.nodes["greeting"].client.says_via == "speech"


@pytest.mark.parametrize("via", ["speech", "writing", "sign"])
def test_a_line_may_be_typed_or_signed(example_data, load, via):
    example_data["nodes"]["greeting"]["client"]["says_via"] = via
    example_data["nodes"]["greeting"]["choices"][1]["reaction"]["says_via"] = via
    loaded = load(example_data)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    greeting = loaded.scenario.nodes["greeting"]
    assert greeting.client.says_via == via and greeting.choices[1].reaction.says_via == via


def test_an_unknown_way_of_saying_is_refused_with_its_place(example_data, load):
    example_data["nodes"]["greeting"]["client"]["says_via"] = "phone"
    loaded = load(example_data)
    assert not loaded.ok
    [diag] = [d for d in loaded.diagnostics if d.code == "SC001"]
    assert "says_via" in diag.format()


def test_the_schema_offers_the_three_ways_to_editors():
    line = json_schema()["$defs"]["ClientLine"]["properties"]["says_via"]
    assert line["enum"] == ["speech", "writing", "sign"] and line["default"] == "speech"


def test_the_hearing_impairment_client_types_and_signs_and_never_speaks(real_library):
    """Oksana is deaf: each of her lines, and each reaction of hers, is typed or signed; only
    her neighbour speaks aloud."""
    scenario = real_library["hearing-impairment"].scenario
    lines = [node.client for node in scenario.nodes.values() if node.client and node.client.says]
    lines += [c.reaction for node in scenario.nodes.values() for c in node.choices or []
              if c.reaction and c.reaction.says]
    hers = [line for line in lines if line.speaker is None]
    assert hers and all(line.says_via in ("writing", "sign") for line in hers)
    assert {line.says_via for line in hers} == {"writing", "sign"}
    assert all(line.says_via == "speech" for line in lines if line.speaker is not None)
