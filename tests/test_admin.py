"""A broken scenario file is reported on the admin page while the others load."""
from __future__ import annotations

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
    assert "Черга біля стійки" in client.get("/scenarios").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
