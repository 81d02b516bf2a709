"""Parsing in two processes gives what one process gives, or declines and leaves it to one.

Each check compares ``yamlsplit.load_split`` with ``yamlsource``'s whole-text parse: the
same data in the same order, and the same line for every path (and for paths that are
not there). Where the split cannot vouch for the result it must answer None.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import data_paths, doc_example_source
from tests.scenario.generated import layered_scenario
from tests.scenario.test_yamlsource import MUTATIONS
from trainer.scenario import yamlsplit
from trainer.scenario.yamlsource import YamlSyntaxError, _load_whole, load_located, two_processes

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if p.name != "competencies.yaml")
BASE = doc_example_source()


@pytest.fixture(autouse=True)
def _alone(monkeypatch):
    # Other tests in the same run may leave a live server's thread behind; the split is
    # checked here as it runs in the command, which has no other threads.
    monkeypatch.setattr(yamlsplit, "other_threads", lambda: False)


def split(text: str):
    return yamlsplit.load_split(text, _load_whole, min_chars=0)


def assert_same(text: str) -> None:
    whole, parts = _load_whole(text), split(text)
    assert parts is not None, "the text was not split"
    assert parts.data == whole.data
    assert list(parts.data) == list(whole.data) and list(parts.data["nodes"]) == list(whole.data["nodes"])
    assert parts.duplicates == whole.duplicates == []
    asked = list(data_paths(whole.data))
    asked += [p + (extra,) for p in asked[::7] for extra in ("missing", 99)]
    assert [parts.line_of(p) for p in asked] == [whole.line_of(p) for p in asked]


def layered(nodes: int, width: int = 10, late_problem: bool = False) -> str:
    """The benchmark's kind of scenario as YAML, texts shared through one anchor."""
    source = yaml.safe_dump(layered_scenario(nodes, width), allow_unicode=True, sort_keys=False)
    if late_problem:  # an English text missing near the end: its diagnostic's line is in the second part
        where = source.rindex("    feedback: *id001")
        source = source[:where] + "    feedback: {uk: т}" + source[where + len("    feedback: *id001"):]
    return source


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_library_scenario_splits_to_the_same_data_and_lines(path):
    assert_same(path.read_text(encoding="utf-8"))


def test_a_big_generated_file_with_shared_anchors_splits_the_same():
    assert_same(layered(400))


@pytest.mark.parametrize("name", ["as written", "type error", "type error deep down", "unknown field",
                                  "yes read as a truth value", "explicit text tag"])
def test_the_documented_example_and_its_variants_split_the_same(name):
    assert_same(MUTATIONS[name](BASE))


def _cut_at(text: str, line: str) -> str:
    """``text`` with ``line`` put where the split will cut (the entry halving the block)."""
    body, cut, _entries = yamlsplit.split_point(text)
    return text[:cut] + line + text[cut:]


DECLINED = {
    "no nodes block": lambda: "id: x\nversion: 1\n",
    "nodes in flow style": lambda: "id: x\nnodes: {a: {client: 1}, b: {client: 2}}\n",
    "nodes as a list": lambda: "id: x\nnodes:\n  - a\n  - b\n",
    "one node": lambda: "id: x\nnodes:\n  a:\n    client: 1\n",
    "two nodes blocks": lambda: layered(40) + "nodes:\n  x: 1\n  y: 2\n",
    "anchor in the first entries": lambda: layered(40).replace("  n_0_1:\n", "  n_0_1: &early\n", 1),
    "node id on both sides of the cut": lambda: _cut_at(layered(40), "  n_0_0:\n    client: {}\n"),
    "repeated key in one part": lambda: layered(40).replace("    client:", "    client: {}\n    client:", 1),
    "syntax error in the second part": lambda: layered(40).replace("good:", "good: [", 1),
    "a flow value spanning lines at entry indentation": lambda: _cut_at(layered(40), "  x: {a: 1,\n").replace("  x: {a: 1,\n", "  x: {a: 1,\n  b: 2}\n", 1),
    "merge key": lambda: layered(40).replace("    client:", "    <<: {extra: 1}\n    client:", 1),
    # YAML that yamltree leaves to PyYAML's constructor: one process parses it as before.
    "timestamp": lambda: MUTATIONS["timestamp"](BASE),
    "number keys": lambda: MUTATIONS["number keys"](BASE),
    "top-level key after the block repeats one before it": lambda: layered(40) + "id: again\n",
}


@pytest.mark.parametrize("name", DECLINED)
def test_what_the_split_cannot_vouch_for_is_left_to_one_process(name):
    text = DECLINED[name]()
    assert split(text) is None
    with two_processes():
        try:
            together = load_located(text)
        except YamlSyntaxError as exc:
            with pytest.raises(YamlSyntaxError, match=str(exc).replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
                _load_whole(text)
        else:
            whole = _load_whole(text)
            assert together.data == whole.data and together.duplicates == whole.duplicates


def test_other_threads_or_a_small_text_keep_it_in_one_process(monkeypatch):
    text = layered(40)
    monkeypatch.setattr(yamlsplit, "other_threads", lambda: True)
    assert split(text) is None
    monkeypatch.setattr(yamlsplit, "other_threads", lambda: False)
    assert yamlsplit.load_split(text, _load_whole) is None  # far below SPLIT_FROM_CHARS
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        monkeypatch.undo()
        assert yamlsplit.other_threads()
    finally:
        stop.set()
        thread.join()


def test_the_forked_process_is_waited_for(monkeypatch):
    forked = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid
    monkeypatch.setattr(os, "fork", fork)
    assert split(layered(40)) is not None
    assert split(DECLINED["syntax error in the second part"]()) is None
    assert len(forked) == 2
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no process left behind


def test_validate_prints_the_same_with_one_or_two_processes(tmp_path, monkeypatch):
    from trainer.cli import main as cli
    path = tmp_path / "big.yaml"
    path.write_text(layered(400, late_problem=True), encoding="utf-8")
    calls = []
    real = yamlsplit.load_split

    def counted(text, parse, **options):
        located = real(text, parse, min_chars=0)
        calls.append(located is not None)
        return located
    monkeypatch.setattr(yamlsplit, "load_split", counted)
    two = CliRunner().invoke(cli, ["validate", "--json", str(path)])
    assert calls and calls[-1], "the big file was not split"
    monkeypatch.setattr(yamlsplit, "load_split", lambda *args, **options: None)
    one = CliRunner().invoke(cli, ["validate", "--json", str(path)])
    assert (two.exit_code, two.output) == (one.exit_code, one.output)
    found = json.loads(two.output)["files"][0]["diagnostics"]
    late = [d for d in found if d["code"] == "SC011"]
    body, cut, _ = yamlsplit.split_point(path.read_text(encoding="utf-8"))
    cut_line = path.read_text(encoding="utf-8").count("\n", 0, cut) + 1
    assert late and all(d["line"] > cut_line for d in late)  # lines from the second part, shifted back
