"""Load results kept between starts: a hit equals a fresh load, and any change is a miss."""
from __future__ import annotations

import logging
import shutil

import pytest

from tests.conftest import CONTENT_DIR, SCENARIO_DIR, doc_example_source
from trainer.content.toc import Toc
from trainer.scenario import loadcache
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import LoadedScenario, load_library
from trainer.scenario.registry import Registry

# Guards on routes, a free-text rubric (its own guards), and a broken file.
REAL = ("off-hours-meeting.yaml", "crying-client.yaml")


@pytest.fixture
def folder(tmp_path):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    for name in (*REAL, "competencies.yaml"):
        shutil.copy(SCENARIO_DIR / name, scenarios / name)
    (scenarios / "example-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    (scenarios / "bad-yaml.yaml").write_text("id: x\n  nodes: [\n", encoding="utf-8")
    return scenarios


def _states(loaded: LoadedScenario) -> list[dict[str, int]]:
    state = loaded.scenario.state
    return [{name: value for name in state} for value in range(-1, 7)] + [
        {name: (i * 3 + k) % 6 for i, name in enumerate(state)} for k in range(6)]


def assert_same(cached: LoadedScenario, fresh: LoadedScenario) -> None:
    assert (cached.path, cached.content_hash, cached.source) == (fresh.path, fresh.content_hash, fresh.source)
    assert cached.scenario == fresh.scenario
    assert cached.diagnostics == fresh.diagnostics
    assert cached.analysis == fresh.analysis
    assert cached.guards.keys() == fresh.guards.keys()
    for key, guard in fresh.guards.items():
        assert cached.guards[key].source == guard.source
        assert [bool(cached.guards[key](s)) for s in _states(fresh)] == [bool(guard(s)) for s in _states(fresh)]


def _count_loads(monkeypatch) -> list[str]:
    """The paths loaded in full from now on (a miss is stored, a hit is not)."""
    loaded: list[str] = []
    store = loadcache.LoadCache.put
    monkeypatch.setattr(loadcache.LoadCache, "put",
                        lambda self, path, digest, result: (loaded.append(path), store(self, path, digest, result)))
    return loaded


def test_a_second_load_reads_every_file_from_the_cache_and_equals_a_fresh_load(folder, tmp_path, toc, monkeypatch):
    cache = tmp_path / "cache"
    first = load_library(folder, toc, cache_dir=cache)
    entries = sorted(p.name for p in cache.iterdir())
    assert len(entries) == 4 and all(p.endswith(".pickle") for p in entries)
    loaded_in_full = _count_loads(monkeypatch)
    again = load_library(folder, toc, cache_dir=cache)
    assert loaded_in_full == []
    fresh = load_library(folder, toc)
    assert [f.path for f in again.files] == [f.path for f in fresh.files]
    for cached, loaded in zip(again.files, fresh.files):
        assert_same(cached, loaded)
    assert list(again.scenarios) == list(first.scenarios) == list(fresh.scenarios)
    assert [f.path.split("/")[-1] for f in again.broken] == ["bad-yaml.yaml"]
    assert sorted(p.name for p in cache.iterdir()) == entries


def test_only_an_edited_file_is_loaded_again(folder, tmp_path, toc, monkeypatch):
    cache = tmp_path / "cache"
    load_library(folder, toc, cache_dir=cache)
    path = folder / "example-queue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("version: 1", "version: 7", 1), encoding="utf-8")
    analysed = _count_loads(monkeypatch)
    library = load_library(folder, toc, cache_dir=cache)
    assert [p.split("/")[-1] for p in analysed] == ["example-queue.yaml"]
    assert library.scenarios["example-queue"].scenario.version == 7
    # The entry for the old text is gone, not left to pile up.
    assert len([p for p in cache.iterdir() if p.name.startswith("example-queue-")]) == 1


@pytest.mark.parametrize("change", ["framework", "manual", "code"])
def test_a_change_to_what_loading_depends_on_loads_every_file_again(folder, tmp_path, toc, monkeypatch, change):
    cache = tmp_path / "cache"
    load_library(folder, toc, cache_dir=cache)
    if change == "framework":
        text = (SCENARIO_DIR / "competencies.yaml").read_text(encoding="utf-8")
        (folder / "competencies.yaml").write_text(text.replace('manual: ["5.1.2", "5.1.3"]', 'manual: ["5.1.2"]', 1),
                                                  encoding="utf-8")
    elif change == "manual":
        toc = Toc([s for s in toc.sections if s.number != "5.2.9"])
    else:
        monkeypatch.setattr(loadcache, "_code_digest", lambda: "another loader")
    loaded = _count_loads(monkeypatch)
    library = load_library(folder, toc, cache_dir=cache)
    assert len(loaded) == 4
    if change == "manual":  # the file that cites the removed section now says so: no stale "ok"
        off_hours = next(f for f in library.files if f.path.endswith("off-hours-meeting.yaml"))
        assert not off_hours.ok and any(d.code == "SC008" and "5.2.9" in d.message for d in off_hours.diagnostics)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", None])
def test_an_unreadable_entry_is_a_miss_and_is_written_again(folder, tmp_path, toc, damage, caplog):
    cache = tmp_path / "cache"
    load_library(folder, toc, cache_dir=cache)
    [entry] = [p for p in cache.iterdir() if p.name.startswith("crying-client-")]
    if damage is None:  # cut short, as by a full disk before the rename existed
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    else:
        entry.write_bytes(damage)
    with caplog.at_level(logging.INFO, logger="trainer.scenario.loadcache"):
        library = load_library(folder, toc, cache_dir=cache)
    crying = library.scenarios["crying-client"]
    assert_same(crying, next(f for f in load_library(folder, toc).files if f.path == crying.path))
    assert "unreadable" in caplog.text
    reread = loadcache.LoadCache(cache, library.framework, toc)
    assert reread.get(crying.path, crying.content_hash) is not None


def test_a_folder_that_cannot_be_written_is_reported_once_and_loading_goes_on(folder, tmp_path, toc, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="trainer.scenario.loadcache"):
        library = load_library(folder, toc, cache_dir=blocked / "cache")
    assert list(library.scenarios) == ["crying-client", "example-queue", "off-hours-meeting"]
    assert caplog.text.count("cannot keep scenario load results") == 1


def test_cleaning_one_file_leaves_a_file_whose_name_starts_the_same(folder, tmp_path, toc):
    shutil.copy(folder / "example-queue.yaml", folder / "example.yaml")
    cache = tmp_path / "cache"
    load_library(folder, toc, cache_dir=cache)
    path = folder / "example.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load_library(folder, toc, cache_dir=cache)
    names = sorted(p.name.rsplit("-", 1)[0] for p in cache.iterdir())
    assert names == ["bad-yaml", "crying-client", "example", "example-queue", "off-hours-meeting"]


def test_a_registry_from_the_cache_plays_as_one_loaded_fresh(folder, tmp_path):
    cache = tmp_path / "cache"
    Registry(folder, CONTENT_DIR, cache)
    cached, fresh = Registry(folder, CONTENT_DIR, cache), Registry(folder, CONTENT_DIR)
    for sid in fresh.current:
        machines = cached.latest(sid), fresh.latest(sid)
        assert isinstance(machines[0], CompiledScenario)
        assert machines[0].content_hash == machines[1].content_hash
        assert machines[0].loaded.analysis.summary() == machines[1].loaded.analysis.summary()
        # The recommended path plays to the same ending and totals on both.
        plays = []
        for machine in machines:
            state = machine.start()
            for _node, choice in machine.loaded.analysis.recommended_path:
                step = machine.step_outcome if machine.is_free_text(state.node) else machine.step
                state = step(state, choice).state
            plays.append((state.ending, machine.outcome(state), state.as_dict()))
        assert plays[0] == plays[1] and plays[0][0] == fresh.current[sid].analysis.recommended_ending


def test_servers_starting_together_never_read_half_an_entry(folder, tmp_path, toc):
    # Several gunicorn workers start at once and each writes what it loaded: every read
    # sees a whole entry or none, and no temporary file is left behind.
    from concurrent.futures import ThreadPoolExecutor

    library = load_library(folder, toc)
    loaded = next(f for f in library.files if f.path.endswith("crying-client.yaml"))
    cache = tmp_path / "cache"
    framework = library.framework

    def start(_):
        mine = loadcache.LoadCache(cache, framework, toc)
        seen = []
        for _ in range(15):
            mine.put(loaded.path, loaded.content_hash, loaded)
            got = mine.get(loaded.path, loaded.content_hash)
            seen.append(got is not None and got.analysis == loaded.analysis)
        return seen

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = [ok for seen in pool.map(start, range(6)) for ok in seen]
    assert all(results) and len(results) == 90
    assert [p.suffix for p in cache.iterdir()] == [".pickle"]
