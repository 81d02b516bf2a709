"""The home page (what to do next) and the history of every attempt."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..auth.access import ANY_ROLE, roles_required
from ..extensions import db
from ..feedback.service import reply_count
from ..models import utcnow
from ..web import registry
from . import plan

bp = Blueprint("study", __name__)


def assignments_due(user) -> list | None:
    """The person's open assignments for the home page, or None when not tracked.

    Hook for trainer/team/assignments.py: return items with ``title``, ``due_on`` (a date or
    None), ``mode`` ("practice" | "assessment") and ``url``; the home page lists them.
    """
    return None


@bp.get("/")
@roles_required(*ANY_ROLE)
def home():
    """What to do next: refreshers due, the weakest competency, assignments, progress."""
    reg = registry()
    by = request.args.get("by", "week")
    if by not in ("week", "month"):
        by = "week"
    framework = reg.library.framework
    known = list(framework.competencies) if framework else None
    home_plan = plan.home_plan(db.session, current_user.id, utcnow(), reg.current, known, by)
    return render_template("study/home.html", plan=home_plan, scenarios=reg.current,
                           assignments=assignments_due(current_user),
                           replies=reply_count(db.session, current_user.id))


@bp.get("/history")
@roles_required(*ANY_ROLE)
def history():
    """Every attempt, newest first, with scores and a way back to its debrief."""
    page = plan.history(db.session, current_user.id, request.args.get("page", 1, type=int))
    return render_template("study/history.html", history=page, scenarios=registry().current)
