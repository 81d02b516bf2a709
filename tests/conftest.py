"""Shared fixtures: the real manual and framework, a database per session, app, client."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from trainer.content.toc import load_toc
from trainer.scenario.loader import LoadedScenario, load_framework, load_library, load_scenario_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
CONTENT_DIR = ROOT / "content"
DOCS = ROOT / "docs"


def doc_example_source() -> str:
    """The complete annotated example in docs/scenario-format.md."""
    doc = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", doc, re.S)[0]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    from trainer.models import User
    User.password_method = "pbkdf2:sha256:1000"


@pytest.fixture(scope="session")
def toc():
    return load_toc(CONTENT_DIR)


@pytest.fixture(scope="module")
def real_library(toc) -> dict[str, LoadedScenario]:
    """Every scenario in scenarios/, by id; the library must load without a broken file."""
    loaded = load_library(SCENARIO_DIR, toc)
    assert not loaded.broken, [d.format() for f in loaded.broken for d in f.errors]
    return loaded.scenarios


@pytest.fixture(scope="session")
def framework(toc):
    framework, diagnostics = load_framework(SCENARIO_DIR / "competencies.yaml", toc)
    assert framework is not None, [d.format() for d in diagnostics]
    return framework


@pytest.fixture
def example_data():
    """The doc example as a dict, to mutate in tests."""
    return yaml.safe_load(doc_example_source())


@pytest.fixture
def load(framework, toc):
    """Load scenario text or data the way the app does."""
    def _load(source, name="example-queue"):
        if not isinstance(source, str):
            source = yaml.safe_dump(source, allow_unicode=True, sort_keys=False)
        return load_scenario_text(source, f"{name}.yaml", framework, toc, file_stem=name)
    return _load


@pytest.fixture
def example(load):
    loaded = load(doc_example_source())
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    return loaded


def doc_free_text_block() -> dict:
    """The worked rubric example in docs/rubrics.md (a ``free_text`` block)."""
    doc = (DOCS / "rubrics.md").read_text(encoding="utf-8")
    return yaml.safe_load(re.findall(r"```yaml\n(.*?)```", doc, re.S)[0])["free_text"]


@pytest.fixture
def free_text_data(example_data):
    """The doc example with the rubric example making ``still_angry`` a free-text node."""
    example_data["nodes"]["still_angry"]["free_text"] = doc_free_text_block()
    return example_data


# -- database and app ----------------------------------------------------------------

def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory):
    """The real library plus the doc example, which view tests play."""
    import shutil

    folder = tmp_path_factory.mktemp("scenarios")
    for path in SCENARIO_DIR.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "example-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def registry(scenario_dir):
    from trainer.scenario.registry import Registry
    return Registry(scenario_dir, CONTENT_DIR)


@pytest.fixture(scope="session")
def database(tmp_path_factory, registry):
    """A database migrated from empty once per session; tables are emptied per test."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from trainer.app import MIGRATIONS_DIR, create_app
    from trainer.extensions import db

    url = _database_url(tmp_path_factory)
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TRAINER_REGISTRY": registry}
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=MIGRATIONS_DIR)
    yield config
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database):
    from trainer.app import create_app
    from trainer.extensions import db

    app = create_app(dict(database))
    yield app
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            for name in tables:
                conn.exec_driver_sql(f"DELETE FROM {name}")
            if db.engine.dialect.name == "sqlite":
                conn.exec_driver_sql("DELETE FROM search_fts")
        db.engine.dispose()


@pytest.fixture
def make_app(database):
    """Further app instances on the same database (as a restart or a second server)."""
    from trainer.app import create_app
    from trainer.extensions import db

    made = []

    def _make():
        instance = create_app(dict(database))
        made.append(instance)
        return instance
    yield _make
    for instance in made:
        with instance.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    """One user per role; the password equals the user name."""
    from trainer.extensions import db
    from trainer.models import User

    with app.app_context():
        made = {}
        for role in ("trainee", "supervisor", "admin"):
            user = User(username=f"test.{role}", role=role)
            user.set_password(f"test.{role}")
            db.session.add(user)
            made[role] = user
        other = User(username="test.other", role="trainee")
        other.set_password("test.other")
        db.session.add(other)
        db.session.commit()
        return {role: user.id for role, user in {**made, "other": other}.items()}


def data_paths(value, prefix: tuple = ()):
    """Every path in parsed YAML data, the root first, in document order."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from data_paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from data_paths(item, prefix + (index,))


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username="test.trainee", password=None):
        page = self.client.get("/login")
        token = csrf_token(page.get_data(as_text=True))
        return self.client.post("/login", data={"username": username, "password": password or username,
                                                "csrf_token": token})

    def token(self, path="/"):
        return csrf_token(self.client.get(path).get_data(as_text=True))

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token()})


def add_person(client, username: str, *, role: str = "trainee", display_name: str = "", password: str = ""):
    """An admin's ``client`` adds an account on the «Add a person» page (an empty password is
    generated)."""
    page = client.get("/admin/users/new").get_data(as_text=True)
    return client.post("/admin/users/new", data={"csrf_token": csrf_token(page), "username": username, "role": role,
                                                 "display_name": display_name, "locale": "", "password": password})


def add_assignment(app, scenario_id: str, user_id: int, created_by: int, mode: str = "practice", **fields) -> int:
    """An assignment of ``scenario_id`` to one person, stored as a supervisor's would be; its id."""
    from trainer.extensions import db
    from trainer.models import Assignment

    with app.app_context():
        assignment = Assignment(scenario_id=scenario_id, user_id=user_id, mode=mode, created_by=created_by, **fields)
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def import_people(client, csv: bytes):
    """An admin's ``client`` imports ``csv`` as the import page is used: checked, then
    confirmed; the confirmation's response."""
    import io

    page = client.get("/admin/users/import").get_data(as_text=True)
    checked = client.post("/admin/users/import", data={"csrf_token": csrf_token(page), "check": "1",
                                                       "file": (io.BytesIO(csv), "team.csv")},
                          content_type="multipart/form-data").get_data(as_text=True)
    content = re.search(r'name="content" value="([^"]+)"', checked).group(1)
    return client.post("/admin/users/import", data={"csrf_token": csrf_token(checked), "content": content,
                                                    "confirm": "1"})


@pytest.fixture
def auth(client, users):
    return Auth(client)


def run_at_once(make_app, work, parties: int = 2) -> tuple[list, list]:
    """Run ``work(session)`` in ``parties`` threads, each an app server of its own on the
    shared database, each committing its own transaction; their results and errors."""
    import threading

    from trainer.extensions import db as _db
    apps = [make_app() for _ in range(parties)]
    results, errors = [], []

    def run(server):
        with server.app_context():
            try:
                results.append(work(_db.session))
                _db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion
                _db.session.rollback()
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(server,)) for server in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
