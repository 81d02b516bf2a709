"""The documentation stays honest: settings, commands, codes, schema and the example."""
from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import DOCS, ROOT
from trainer.cli import main
from trainer.scenario.diagnostics import CODES
from trainer.scenario.model import json_schema
from trainer.settings import SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README, setting.name


def test_every_cli_command_is_in_the_readme():
    for name in main.commands:
        assert f"trainer {name}" in README, name


def test_every_diagnostic_code_is_documented():
    text = (DOCS / "validator.md").read_text(encoding="utf-8")
    for code, (severity, _title) in CODES.items():
        assert f"## {code}:" in text and f"| {code} | {severity} |" in text


def test_committed_schema_matches_the_model():
    committed = json.loads((DOCS / "scenario.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `trainer schema --output docs/scenario.schema.json`"


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Scenario"


def test_doc_example_is_valid(example):
    assert example.ok and example.diagnostics == []


def test_dependencies_are_listed_in_the_readme():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        name = requirement.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip()
        assert name.lower() in README.lower(), name
