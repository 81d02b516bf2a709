"""Fixtures for the system tests: databases prepared once per run, gunicorn servers on them."""
from __future__ import annotations

import pytest

from .server import Deployment, GunicornServer, database_for_suite, postgres_database, postgres_server_url


def pytest_configure(config):
    config.addinivalue_line("markers", "system: starts gunicorn servers on loopback (deselect with -m 'not system')")


@pytest.fixture(scope="session")
def scenario_ids(registry):
    """Every playable scenario (the servers load the same folder). Free-text nodes are
    answered through the page's <textarea>, the others by picking a choice."""
    return sorted(registry.current)


@pytest.fixture(scope="session")
def deployment(tmp_path_factory, scenario_dir):
    """One database for the run, prepared by ``trainer init``: a SQLite file, or a database
    of its own on PostgreSQL when the suite runs there. Each test brings its own trainees,
    so their ledgers never overlap."""
    folder = tmp_path_factory.mktemp("system")
    made = Deployment(database_for_suite(folder), folder, scenario_dir)
    yield made
    made.close()


@pytest.fixture(scope="session")
def postgres_deployment(tmp_path_factory, scenario_dir):
    """A database of its own on a reachable PostgreSQL; skipped when there is none."""
    server = postgres_server_url()
    if server is None:
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (or TEST_DATABASE_URL): "
                    "scaling out needs a shared database server")
    folder = tmp_path_factory.mktemp("system-pg")
    made = Deployment(postgres_database(server), folder, scenario_dir)
    yield made
    made.close()


@pytest.fixture(scope="session")
def server(deployment):
    """A gunicorn server (as `trainer serve` serves by default), shared by the
    tests that leave it running; the crash test starts and kills its own."""
    started: GunicornServer = deployment.serve()
    yield started
    started.stop()
