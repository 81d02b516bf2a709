"""The trainee's side of assignments: the list, the introduction that starts one, the time
limit, self-rating."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import attempts as attempt_service
from ..auth.access import ANY_ROLE, roles_required
from ..extensions import db
from ..team import assignments as assignment_service
from ..team.transcript import record_self_rating
from ..web import local_today, registry
from .forms import StartForm, TimeForm
from .views import assessment_first, bp, intro_page, own_attempt, self_rating_form


@bp.get("/assignments")
@roles_required(*ANY_ROLE)
def assignments():
    """What supervisors asked this person to play, open ones first."""
    rows = assignment_service.assignments_of(db.session, current_user.id, local_today())
    return render_template("play/assignments.html", rows=rows, scenarios=registry().current, form=StartForm())


@bp.get("/assignments/<int:assignment_id>")
@roles_required(*ANY_ROLE)
def assignment_intro(assignment_id: int):
    """What starting an assignment shows first: the scenario's introduction, with its content
    note and the reassurance that one can stop at any time, as the catalogue's way in has
    them, and what the assignment asks. Nothing starts until its button is pressed (the
    time limit counts from then)."""
    assignment = assignment_service.assignment_for_user(db.session, current_user, assignment_id) or abort(404)
    compiled = registry().latest(assignment.scenario_id) or abort(404)
    active = attempt_service.active_attempt(db.session, current_user, assignment.scenario_id, assignment)
    if assignment.cancelled_at is not None and active is None:
        flash(str(assignment_service.CANCELLED_MESSAGE), "error")
        return redirect(url_for("play.assignments"))
    return intro_page(compiled, active, assignment)


@bp.post("/assignments/<int:assignment_id>/start")
@roles_required(*ANY_ROLE)
def start_assignment(assignment_id: int):
    """Start or resume the attempt that answers an assignment."""
    assignment = assignment_service.assignment_for_user(db.session, current_user, assignment_id) or abort(404)
    compiled = registry().latest(assignment.scenario_id) or abort(404)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempt = assignment_service.start(db.session, current_user, assignment, compiled, restart=form.restart.data)
    except assignment_service.AssignmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("play.assignments"))
    except attempt_service.AssessmentOpen:
        return assessment_first(assignment.scenario_id)
    db.session.commit()
    return redirect(url_for("play.play", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/time")
@roles_required(*ANY_ROLE)
def adjust_time(attempt_id: int):
    """Extend the time for the decision on screen, or switch the limit off (WCAG 2.2.1)."""
    attempt, _compiled = own_attempt(attempt_id)
    form = TimeForm()
    if not form.validate_on_submit():
        abort(400)
    if attempt.status != "active":
        return redirect(url_for("play.play", attempt_id=attempt.id))  # it says what became of the attempt
    if not attempt.time_limit or attempt.time_limit_off_at is not None:
        # From an older tab, or after Back: nothing to extend or switch off, and saying
        # the time was extended would be untrue.
        flash(_("This attempt has no time limit.") if not attempt.time_limit
              else _("The time limit is already off for this attempt."), "info")
    elif form.action.data == "extend":
        assignment_service.extend_time(attempt)
        flash(_("You have more time for this decision."), "info")
    else:
        assignment_service.switch_off_time(attempt)
        flash(_("The time limit is off for the rest of this attempt."), "info")
    db.session.commit()
    return redirect(url_for("play.play", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/self-rating")
@roles_required(*ANY_ROLE)
def self_rating(attempt_id: int):
    """The trainee rates their own performance on the competencies the scenario trained."""
    attempt, compiled = own_attempt(attempt_id)
    form = self_rating_form(compiled)
    if not form.validate_on_submit():
        flash(_("Rate each competency from 1 to 5, then send."), "error")
        return redirect(url_for("play.debrief", attempt_id=attempt.id, _anchor="self-rating"))
    try:
        with db.session.begin_nested():
            recorded = record_self_rating(db.session, attempt, {c: getattr(form, c).data for c in compiled.scenario.competencies})
    except IntegrityError:
        recorded = False  # the same form sent twice at once
    db.session.commit()
    flash(_("Thank you: your self-rating is saved.") if recorded else _("You have rated this attempt already."),
          "success" if recorded else "info")
    return redirect(url_for("play.debrief", attempt_id=attempt.id, _anchor="self-rating"))
