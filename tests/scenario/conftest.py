"""Fixtures for the scenario tests: the real library, loaded once per module that asks."""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIO_DIR
from trainer.scenario.loader import LoadedScenario, load_library


@pytest.fixture(scope="module")
def real_library(toc) -> dict[str, LoadedScenario]:
    """Every scenario in scenarios/, by id; the library must load without a broken file."""
    loaded = load_library(SCENARIO_DIR, toc)
    assert not loaded.broken, [d.format() for f in loaded.broken for d in f.errors]
    return loaded.scenarios
