"""Admin pages."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.access import roles_required
from ..web import registry

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/scenarios")
@roles_required("admin")
def scenarios():
    """List every scenario file with its problems, broken ones first."""
    library = registry().library
    files = sorted(library.files, key=lambda f: (f.ok, f.path))
    return render_template("admin/scenarios.html", files=files, library=library)
