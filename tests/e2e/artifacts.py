"""Where the browser tests keep screenshots and axe reports (tests/artifacts, git-ignored)."""
from __future__ import annotations

import re
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def artifact_path(name: str, suffix: str = ".png") -> Path:
    """A file in tests/artifacts named after ``name`` (a test's name), safe on any file system."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / (re.sub(r"[^\w.-]+", "-", name).strip("-") + suffix)
