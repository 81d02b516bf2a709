"""Loading files: the framework is validated like scenarios; bad files never stop the rest."""
from __future__ import annotations

import shutil

from tests.conftest import SCENARIO_DIR, doc_example_source
from trainer.scenario.loader import load_framework, load_library


def test_framework_errors_name_the_line(tmp_path, toc):
    path = tmp_path / "competencies.yaml"
    text = (SCENARIO_DIR / "competencies.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("domain: social_awareness", "domain: telepathy", 1), encoding="utf-8")
    framework, diagnostics = load_framework(path, toc)
    assert framework is None
    [diag] = diagnostics
    assert diag.code == "SC001" and diag.line and "domain" in diag.message


def test_framework_sections_must_exist(tmp_path, toc):
    path = tmp_path / "competencies.yaml"
    text = (SCENARIO_DIR / "competencies.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace('manual: ["5.1.2", "5.1.3"]', 'manual: ["5.1.2", "9.1"]', 1), encoding="utf-8")
    _framework, diagnostics = load_framework(path, toc)
    assert [d.code for d in diagnostics] == ["SC008"]


def test_every_competency_has_an_ei_domain(framework):
    domains = {c.domain for c in framework.competencies.values()}
    assert domains == {"social_awareness", "relationship_management", "self_management"}
    assert set(framework.competencies) >= {"empathy", "respect", "accessibility", "clarity", "autonomy",
                                           "confidentiality", "feedback", "self_regulation", "boundaries"}


def test_library_loads_good_files_beside_broken_ones(tmp_path, toc):
    shutil.copy(SCENARIO_DIR / "competencies.yaml", tmp_path)
    (tmp_path / "example-queue.yaml").write_text(doc_example_source(), encoding="utf-8")
    (tmp_path / "bad-yaml.yaml").write_text("id: x\n  nodes: [\n", encoding="utf-8")
    (tmp_path / "latin1.yaml").write_bytes("id: é".encode("latin-1"))
    (tmp_path / "zz-copy.yaml").write_text(doc_example_source(), encoding="utf-8")
    library = load_library(tmp_path, toc)
    assert list(library.scenarios) == ["example-queue"]
    broken = {f.path.split("/")[-1]: f for f in library.broken}
    assert set(broken) == {"bad-yaml.yaml", "latin1.yaml", "zz-copy.yaml"}
    assert "UTF-8" in broken["latin1.yaml"].diagnostics[0].message
    assert any(d.code == "SC006" for d in broken["zz-copy.yaml"].diagnostics)
