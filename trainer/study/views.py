"""The home page (what to do next) and the history of every attempt."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from ..auth.access import ANY_ROLE, roles_required
from ..extensions import db
from ..feedback.service import reply_count
from ..models import utcnow
from ..team import access
from ..team.assignments import assignments_of
from ..web import competency_order, local_today, registry, time_zone, tr
from . import plan

bp = Blueprint("study", __name__)


def assignments_due(user) -> list | None:
    """The person's open assignments for the home page, or None when not tracked.

    Items have ``title``, ``due_on`` (a date or None), ``mode`` ("practice" | "assessment"),
    ``overdue`` and ``url`` (the assignment's introduction, whose button starts or resumes it).
    """
    current = registry().current
    items = []
    for row in assignments_of(db.session, user.id, local_today()):
        if row.status == "done":
            continue
        compiled = current.get(row.assignment.scenario_id)
        items.append(SimpleNamespace(
            title=tr(compiled.scenario.title) if compiled else row.assignment.scenario_id,
            due_on=row.assignment.due_on, mode=row.assignment.mode, overdue=row.overdue,
            url=url_for("play.assignment_intro", assignment_id=row.assignment.id)))
    return items


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
    home_plan = plan.home_plan(db.session, current_user.id, utcnow(), reg.current, known, by, time_zone())
    return render_template("study/home.html", plan=home_plan, scenarios=reg.current, strong_from=plan.STRONG_FROM_PERCENT,
                           assignments=assignments_due(current_user),
                           # A supervisor's home is theirs to practise on too; one line leads to the team.
                           cohorts=access.supervised_count(db.session, current_user),
                           replies=reply_count(db.session, current_user.id))


@bp.get("/history")
@roles_required(*ANY_ROLE)
def history():
    """Every attempt, newest first, with scores and a way back to its debrief; with
    ``?scenario=``, that scenario's attempts only."""
    scenario_id = request.args.get("scenario", "").strip()[:64] or None
    page = plan.history(db.session, current_user.id, request.args.get("page", 1, type=int),
                        order=competency_order(), scenario_id=scenario_id)
    return render_template("study/history.html", history=page, scenarios=registry().current, scenario_id=scenario_id)
