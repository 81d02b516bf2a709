"""Fixtures for the scenario tests: scenarios of the real library compiled one by one
(the whole library, ``real_library``, is in tests/conftest.py)."""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIO_DIR


@pytest.fixture(scope="module")
def compile_real(framework, toc):
    """Compile scenarios of the real library by id, each loaded once from its own file (which
    must load cleanly): for tests that walk one scenario's paths."""
    from trainer.scenario.engine import CompiledScenario
    from trainer.scenario.loader import load_scenario_file

    compiled: dict[str, CompiledScenario] = {}

    def compile_(scenario_id: str) -> CompiledScenario:
        if scenario_id not in compiled:
            item = load_scenario_file(SCENARIO_DIR / f"{scenario_id}.yaml", framework, toc)
            assert item.ok, [d.format() for d in item.diagnostics]
            compiled[scenario_id] = CompiledScenario(item)
        return compiled[scenario_id]
    return compile_
