"""Settings read from the environment: here, where scenario load results are kept."""
from __future__ import annotations

import shutil

from tests.conftest import CONTENT_DIR, SCENARIO_DIR, doc_example_source
from trainer import settings


def test_the_scenario_cache_is_in_the_instance_folder_unless_moved_or_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("TRAINER_SCENARIO_CACHE", raising=False)
    assert settings.scenario_cache_dir() == tmp_path / "instance" / "scenario-cache"
    monkeypatch.setenv("TRAINER_SCENARIO_CACHE", str(tmp_path / "elsewhere"))
    assert settings.scenario_cache_dir() == tmp_path / "elsewhere"
    for off in ("off", "OFF"):
        monkeypatch.setenv("TRAINER_SCENARIO_CACHE", off)
        assert settings.scenario_cache_dir() is None


def test_the_app_keeps_load_results_where_the_setting_says(monkeypatch, tmp_path):
    from trainer.app import create_app

    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    shutil.copy(SCENARIO_DIR / "competencies.yaml", scenarios)
    (scenarios / "example-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("TRAINER_SCENARIO_DIR", str(scenarios))
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(CONTENT_DIR))
    monkeypatch.setenv("TRAINER_SCENARIO_CACHE", "off")
    app = create_app({"TESTING": True})
    assert list(app.extensions["trainer_registry"].current) == ["example-queue"]
    assert not (tmp_path / "instance" / "scenario-cache").exists()
    monkeypatch.delenv("TRAINER_SCENARIO_CACHE")
    create_app({"TESTING": True})
    [entry] = (tmp_path / "instance" / "scenario-cache").iterdir()
    assert entry.name.startswith("example-queue-") and entry.suffix == ".pickle"
