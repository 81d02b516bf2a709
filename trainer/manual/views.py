"""Manual pages, the coverage table and search."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.access import ANY_ROLE, roles_required
from ..content.render import Renderer, contents
from ..extensions import db
from ..models import Attempt
from ..request_guards import as_id
from ..search.index import search as run_search
from ..web import lang, registry

bp = Blueprint("manual", __name__, url_prefix="/manual")


def renderer() -> Renderer:
    found = current_app.extensions.get("trainer_renderer")
    if found is None:
        found = current_app.extensions["trainer_renderer"] = Renderer(lambda key: url_for("manual.page", key=key))
    return found


def last_outcomes(scenario_ids: list[str]) -> dict[str, str]:
    """The current user's latest finished outcome per scenario, in one query."""
    if not scenario_ids:
        return {}
    latest = (select(Attempt.scenario_id, func.max(Attempt.id).label("last_id"))
              .where(Attempt.user_id == current_user.id, Attempt.status == "finished",
                     Attempt.scenario_id.in_(scenario_ids))
              .group_by(Attempt.scenario_id).subquery())
    return dict(db.session.execute(
        select(Attempt.scenario_id, Attempt.outcome).join(latest, Attempt.id == latest.c.last_id)).all())


@dataclass(frozen=True)
class WayBack:
    """The attempt a manual page was opened from, and whether it is over (back to its
    debrief) or not (back to the conversation)."""

    attempt_id: int
    finished: bool


def way_back() -> WayBack | None:
    """The attempt a page was opened from (``?attempt=`` on the manual links of the play
    page and the debrief), when it is the reader's own and unfinished or finished; anything
    else is ignored, never an error: the link only offers a way back."""
    try:
        value = request.args.get("attempt", "")
    except UnicodeDecodeError:
        return None
    attempt_id = as_id(value) if value else None
    if attempt_id is None:
        return None
    status = db.session.scalar(select(Attempt.status).where(
        Attempt.id == attempt_id, Attempt.user_id == current_user.id, Attempt.status.in_(("active", "finished"))))
    return None if status is None else WayBack(attempt_id, status == "finished")


@bp.get("/")
@roles_required(*ANY_ROLE)
def index():
    """The manual's table of contents."""
    manual = registry().manual
    return render_template("manual/index.html", sections=manual.toc.sections, manual=manual)


@bp.get("/<key>")
@roles_required(*ANY_ROLE)
def page(key: str):
    """One section: its page, where it sits, and the scenarios that practise it."""
    reg = registry()
    manual = reg.manual
    page = manual.page(key, lang())
    if page is None:
        abort(404)
    section = manual.toc.get(key)
    practice = reg.practice_for(key) if section else []
    # Only when nothing practises the section itself: then its subsections' scenarios.
    practice_below = reg.practice_below(key) if section and not practice else []
    outcomes = last_outcomes([loaded.scenario.id for loaded, _ in practice + practice_below])
    previous, following = manual.neighbours(key) if section else (None, None)
    return render_template(
        "manual/page.html", page=page, section=section,
        body=contents(renderer().render_file(page.path, page.body, page.lang)),
        breadcrumbs=manual.breadcrumbs(key) if section else [], children=manual.subsections_to_list(key, lang()) if section else [],
        previous=previous, following=following, practice=practice, practice_below=practice_below, outcomes=outcomes,
        public_url=current_app.config["TRAINER_MANUAL_URL"], back_to=way_back(),
    )


@bp.get("/coverage")
@roles_required("supervisor", "admin")
def coverage():
    """Manual sections against the scenarios that train or cite them."""
    reg = registry()
    rows = []
    for section in reg.toc.sections:
        practice = reg.practice_for(section.number)
        rows.append((section, [l for l, t in practice if t], [l for l, t in practice if not t]))
    return render_template("manual/coverage.html", rows=rows)


@bp.get("/search")
@roles_required(*ANY_ROLE)
def search():
    """Search the manual and the scenarios, with word forms handled."""
    query = (request.args.get("q") or "").strip()[:200]
    hits = run_search(db.session, query) if query else []
    return render_template("manual/search.html", query=query, hits=hits)
