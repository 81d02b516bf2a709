"""Admin pages."""
from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Blueprint, render_template

from ..auth.access import roles_required
from ..scenario.diagnostics import Diagnostic
from ..web import registry

bp = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True)
class Problem:
    """A diagnostic as the library page shows it: the message names files relative to the
    scenarios folder (the server's absolute paths mean nothing to an admin, and need not
    be shown)."""

    code: str
    severity: str
    line: int | None
    message: str


@dataclass(frozen=True)
class FileRow:
    path: str
    ok: bool
    problems: list[Problem]


def _relative(text: str, folder: str) -> str:
    if not folder:
        return text
    return text.replace(folder + os.sep, "")


def _problems(diagnostics: list[Diagnostic], folder: str) -> list[Problem]:
    return [Problem(d.code, d.severity, d.line, _relative(d.message, folder)) for d in diagnostics]


@bp.get("/scenarios")
@roles_required("admin")
def scenarios():
    """List every scenario file with its problems, broken ones first, as this server loaded
    them at its start, and say which scenario files and manual pages have changed since."""
    loaded_by = registry()
    library = loaded_by.library
    folder = library.folder
    files = [FileRow(_relative(f.path, folder), f.ok, _problems(f.diagnostics, folder))
             for f in sorted(library.files, key=lambda f: (f.ok, f.path))]
    framework = [(_relative(d.file, folder), p)
                 for d, p in zip(library.framework_diagnostics, _problems(library.framework_diagnostics, folder))]
    return render_template("admin/scenarios.html", files=files, framework=framework,
                           loaded=len(library.scenarios), loaded_at=loaded_by.loaded_at,
                           changes=loaded_by.changes_since_load(),
                           manual_changes=loaded_by.manual_changes_since_load())
