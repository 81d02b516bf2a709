"""`trainer rubric`: authors test a free-text node's rubric from the command line."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from trainer.cli import main


@pytest.fixture
def cli_env(tmp_path, monkeypatch, scenario_dir):
    monkeypatch.setenv("TRAINER_SCENARIO_DIR", str(scenario_dir))
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path / "instance"))
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_rubric_prints_the_match_as_json(cli_env):
    text = "Не вибачайтеся. Бачу, як вам важко. Ми нікуди не поспішаємо."
    result = run("rubric", "crying-client", "quiet_words", text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["node"] == "quiet_words" and data["answer"] == text and data["lang"] == "uk"
    assert data["outcome"] == "qw_heard"
    assert data["found"] == ["names_feeling", "offers_time", "permits_tears"]
    assert data["score_delta"] == {"empathy": 1, "self_regulation": 1, "respect": 1}
    feeling = next(e for e in data["elements"] if e["id"] == "names_feeling")
    assert feeling["match"]["quote"] == "вам важко" and feeling["label"] == "Називає її почуття"
    assert "Бачу, як вам важко" in result.output  # Ukrainian is printed as is, not escaped


def test_rubric_in_english(cli_env):
    result = run("rubric", "crying-client", "quiet_words", "Calm down, please.", "--lang", "en")
    data = json.loads(result.output)
    assert data["outcome"] == "qw_hushed" and data["discouraged_found"] == ["stop_crying"]
    assert data["model_answer"].startswith("“There's no need to apologise")


def test_rubric_refuses_unknown_scenario_and_nodes(cli_env):
    unknown = run("rubric", "nope", "quiet_words", "так")
    assert unknown.exit_code == 2 and "no playable scenario 'nope'" in unknown.output
    plain = run("rubric", "crying-client", "form_tears", "так")
    assert plain.exit_code == 2
    assert "'form_tears' is not a free-text node" in plain.output and "quiet_words" in plain.output
    missing = run("rubric", "crying-client", "nowhere", "так")
    assert missing.exit_code == 2 and "'nowhere' is not a node" in missing.output


def test_play_scripted_passes_a_free_text_node_by_its_outcome(cli_env):
    result = run("play", "crying-client", "--choices", "ft_pause_acknowledge,pv_quiet_room,qw_heard", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["node"] == "silence" and data["path"][-1] == "qw_heard"
