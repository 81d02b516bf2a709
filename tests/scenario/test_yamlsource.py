"""The fast YAML path (build from the node tree, lines on demand) agrees with the exact one.

``load_located`` is what the loader uses; ``load_located_exact`` is PyYAML's constructor
plus a line map of every value, as the validator worked before it was made fast. Both must
give the same data, duplicate keys and lines, and so the same diagnostics.
"""
from __future__ import annotations

import pytest

from tests.conftest import data_paths, doc_example_source
from trainer.scenario import loader
from trainer.scenario.yamlsource import YamlSyntaxError, load_located, load_located_exact

BASE = doc_example_source()

MUTATIONS = {
    "as written": lambda s: s,
    "duplicate top-level key": lambda s: s + "version: 2\n",
    "duplicate node id": lambda s: s.replace("\nnodes:\n", "\nnodes:\n  greeting:\n    client: {says: {uk: а, en: a}}\n", 1),
    "duplicate key inside a choice": lambda s: s.replace("        rating: recommended", "        rating: recommended\n        rating: harmful", 1),
    "type error": lambda s: s.replace("version: 1", "version: one", 1),
    "type error deep down": lambda s: s.replace("rating: recommended", "rating: splendid", 1),
    "unknown field": lambda s: s.replace("duration_minutes: 5", "duration_minutes: 5\ncolour: red", 1),
    "yes read as a truth value": lambda s: s.replace("en: A queue at the front desk", "en: yes", 1),
    "explicit text tag": lambda s: s.replace("en: A queue at the front desk", "en: !!str yes", 1),
    "anchor and alias": lambda s: s.replace("title:\n", "title: &title\n", 1).replace("summary:\n  uk:", "summary: *title\nsummary_old:\n  uk:", 1),
    "merge key": lambda s: s.replace("title:\n  uk:", "title:\n  <<: {en: x}\n  uk:", 1),
    "number keys": lambda s: s.replace("duration_minutes: 5", "duration_minutes: 5\n1: a\n'1': b", 1),
    "timestamp": lambda s: s.replace("version: 1", "version: 2024-01-02", 1),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_fast_and_exact_parses_agree(name):
    text = MUTATIONS[name](BASE)
    fast, exact = load_located(text), load_located_exact(text)
    assert fast.data == exact.data
    assert fast.duplicates == exact.duplicates
    asked = list(data_paths(exact.data)) + list(exact.lines)
    asked += [p + (extra,) for p in exact.lines for extra in ("missing", 99, -1)]
    assert [fast.line_of(p) for p in asked] == [exact.line_of(p) for p in asked]


def test_the_fast_path_builds_plain_files_itself_and_leaves_the_rest_to_pyyaml():
    assert load_located(BASE).tree is not None
    merged = load_located(MUTATIONS["merge key"](BASE))
    assert merged.tree is None and merged.lines  # PyYAML's constructor and the full line map


def test_duplicates_are_found_with_both_lines():
    text = MUTATIONS["duplicate key inside a choice"](BASE)
    [(path, first, again)] = load_located(text).duplicates
    lines = text.splitlines()
    assert path[-1] == "rating" and again == first + 1
    assert lines[first - 1].split("#")[0].strip() == "rating: recommended"
    assert lines[again - 1].split("#")[0].strip() == "rating: harmful"


@pytest.mark.parametrize("text", ["id: [x\n", "a: b\n  c: d\n", "a: *nowhere\n"])
def test_syntax_errors_are_reported_alike(text):
    with pytest.raises(YamlSyntaxError) as fast:
        load_located(text)
    with pytest.raises(YamlSyntaxError) as exact:
        load_located_exact(text)
    assert (str(fast.value), fast.value.line) == (str(exact.value), exact.value.line)
    assert fast.value.line is not None


@pytest.mark.parametrize("name", ["duplicate node id", "duplicate key inside a choice", "type error",
                                  "type error deep down", "unknown field", "yes read as a truth value"])
def test_scenario_diagnostics_name_the_same_lines_on_both_paths(name, load, monkeypatch):
    text = MUTATIONS[name](BASE)
    fast = [(d.code, d.line, d.message) for d in load(text).diagnostics]
    monkeypatch.setattr(loader, "load_located", load_located_exact)
    exact = [(d.code, d.line, d.message) for d in load(text).diagnostics]
    assert fast == exact
    assert fast and all(line for _code, line, _message in fast)
