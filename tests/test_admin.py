"""A broken scenario file is reported on the admin page while the others load."""
from __future__ import annotations

import re
import shutil

from tests.conftest import CONTENT_DIR, SCENARIO_DIR, doc_example_source
from trainer.scenario.registry import Registry


def test_broken_file_is_reported_and_the_rest_load(tmp_path, database, users):
    from trainer.app import create_app
    from trainer.extensions import db

    shutil.copy(SCENARIO_DIR / "competencies.yaml", tmp_path)
    (tmp_path / "example-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\nversion: [oops\n", encoding="utf-8")
    registry = Registry(tmp_path, CONTENT_DIR)
    assert list(registry.current) == ["example-queue"]
    app = create_app({**database, "TRAINER_REGISTRY": registry})
    client = app.test_client()
    from tests.conftest import Auth
    auth = Auth(client)
    auth.login("test.admin")
    html = client.get("/admin/scenarios").get_data(as_text=True)
    assert "broken.yaml" in html and "SC001" in html and "не завантажено" in html
    assert "Завантажено 1 з 2" in html
    # Files are named inside the scenarios folder: the server's paths are nobody's business.
    assert str(tmp_path) not in html
    assert '<th scope="row"><code>broken.yaml</code></th>' in html
    # The page speaks Ukrainian; the validator's own words are marked as English.
    assert "Проблеми (опис англійською)" in html and "Валідатор описує кожну проблему англійською" in html
    problem = re.search(r'<li><code>SC001</code> <strong class="error">помилка</strong>, рядок \d+: '
                        r'<span lang="en">([^<]+)</span></li>', html)
    assert problem, html
    assert "Черга біля стійки" in client.get("/scenarios").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_framework_problems_and_file_names_in_messages_are_relative(tmp_path, database, users):
    """A duplicate id names the other file, and a broken framework its file: inside the folder."""
    from tests.conftest import Auth
    from trainer.app import create_app
    from trainer.extensions import db

    (tmp_path / "competencies.yaml").write_text("competencies: [oops\n", encoding="utf-8")
    (tmp_path / "a-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    (tmp_path / "b-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    app = create_app({**database, "TRAINER_REGISTRY": Registry(tmp_path, CONTENT_DIR)})
    client = app.test_client()
    Auth(client).login("test.admin")
    html = client.get("/admin/scenarios").get_data(as_text=True)
    assert str(tmp_path) not in html
    assert "<h2>Рамка компетентностей</h2>" in html or "<h2>Рамка компетенцій</h2>" in html
    assert "<p><code>competencies.yaml</code></p>" in html
    assert "is already used by a-queue.yaml" in html.replace("&#39;", "'")
    with app.app_context():
        db.engine.dispose()
