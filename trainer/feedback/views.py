"""Feedback views: the trainee's survey after an attempt, their replies, the authors' pages.

Authors are the admins (they maintain the scenario library): they reply and mark feedback
addressed. Supervisors read, but do not answer, the named feedback of the people they
supervise and all anonymous feedback (``service.readable_by``). Nothing can be deleted.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import ANY_ROLE, roles_required
from ..extensions import db
from ..models import Attempt, SurveyResponse, utcnow
from ..web import local_today, registry, tr
from . import service
from .forms import AddressedForm, ReplyForm, SurveyForm

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

AUTHORS = ("admin",)
READERS = ("supervisor", "admin")
# Attempts whose anonymous survey this browser sent: kept only in the trainee's signed
# session cookie, never in the database, so the stored answer stays unlinked.
ANONYMOUS_SENT_KEY = "anonymous_surveys"
ANONYMOUS_SENT_KEEP = 50


@dataclass
class SurveyPanel:
    """What templates/feedback/_survey.html needs on the debrief page."""

    attempt_id: int
    form: SurveyForm | None  # None once the attempt's survey was sent
    response: SurveyResponse | None  # the named response with its replies
    sent_anonymously: bool


def _anonymous_sent() -> list[int]:
    return list(session.get(ANONYMOUS_SENT_KEY, []))


def survey_panel(attempt: Attempt) -> SurveyPanel:
    """The survey block for a finished attempt's debrief (called by play.debrief)."""
    response = service.named_response(db.session, attempt.id)
    anonymous = attempt.id in _anonymous_sent()
    form = None if response is not None or anonymous else SurveyForm()
    return SurveyPanel(attempt.id, form, response, anonymous)


def _own_finished_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    if attempt.status != "finished":
        abort(409)
    return attempt


@bp.post("/attempts/<int:attempt_id>")
@roles_required(*ANY_ROLE)
def submit(attempt_id: int):
    """Store the survey sent from an attempt's debrief."""
    attempt = _own_finished_attempt(attempt_id)
    debrief = url_for("play.debrief", attempt_id=attempt.id, _anchor="survey")
    form = SurveyForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(" ".join(str(e) for f in form for e in f.errors), "error")
        return redirect(debrief)
    answer = service.SurveyAnswer(form.usefulness.data, form.realism.data, form.comment.data or "",
                                  bool(form.anonymous.data))
    if answer.empty:
        flash(_("Pick a face or write a comment before sending."), "error")
        return redirect(debrief)
    sent = _anonymous_sent()
    if answer.anonymous and attempt.id in sent:
        flash(_("You already sent feedback on this attempt."), "info")
        return redirect(debrief)
    stored = service.submit(db.session, attempt, answer, local_today())
    if stored is None:
        flash(_("You already sent feedback on this attempt."), "info")
        return redirect(debrief)
    db.session.commit()
    if answer.anonymous:
        session[ANONYMOUS_SENT_KEY] = (sent + [attempt.id])[-ANONYMOUS_SENT_KEEP:]
    flash(_("Thank you for your feedback."), "info")
    return redirect(debrief)


@bp.get("/mine")
@roles_required(*ANY_ROLE)
def mine():
    """The trainee's named feedback and the authors' replies to it."""
    responses = service.responses_of(db.session, current_user.id)
    return render_template("feedback/mine.html", responses=responses, scenarios=registry().current)


@bp.get("/")
@roles_required(*READERS)
def index():
    """Every scenario with its feedback figures, the ones needing attention first."""
    summaries = service.scenario_summaries(db.session, service.readable_by(current_user))
    current = registry().current
    ids = list(current) + [sid for sid in summaries if sid not in current]
    titles = {sid: tr(loaded.scenario.title) for sid, loaded in current.items()}
    rows = service.index_order(ids, summaries, titles)
    return render_template("feedback/index.html", rows=rows, scenarios=current)


@bp.get("/scenarios/<scenario_id>")
@roles_required(*READERS)
def scenario(scenario_id: str):
    """The feedback on one scenario the reader may read, named and anonymous apart, with
    reply and mark-addressed forms for authors."""
    readable = service.readable_by(current_user)
    named = service.named_responses_for(db.session, scenario_id, readable)
    anonymous = service.anonymous_responses_for(db.session, scenario_id)
    loaded = registry().current.get(scenario_id)
    if loaded is None and not named and not anonymous:
        abort(404)
    summary = service.scenario_summaries(db.session, readable).get(scenario_id)
    return render_template("feedback/scenario.html", scenario_id=scenario_id, loaded=loaded,
                           named=named, anonymous=anonymous, summary=summary,
                           can_reply=current_user.role in AUTHORS)


def _response(response_id: int) -> SurveyResponse:
    found = db.session.get(SurveyResponse, response_id)
    if found is None:
        abort(404)
    return found


@bp.post("/responses/<int:response_id>/reply")
@roles_required(*AUTHORS)
def reply(response_id: int):
    """Append an author's reply; the trainee sees it (or everyone, if it was anonymous)."""
    response = _response(response_id)
    back = url_for("feedback.scenario", scenario_id=response.scenario_id, _anchor=f"response-{response.id}")
    form = ReplyForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(" ".join(str(e) for e in form.body.errors), "error")
        return redirect(back)
    if service.reply(db.session, response, current_user.id, form.body.data, utcnow()) is None:
        db.session.rollback()
        flash(_("This reply was already sent a moment ago; it is saved once."), "info")
        return redirect(back)
    db.session.commit()
    flash(_("Reply sent."), "info")
    return redirect(back)


@bp.post("/responses/<int:response_id>/addressed")
@roles_required(*AUTHORS)
def addressed(response_id: int):
    """Mark a response addressed (for good: it is not undone)."""
    response = _response(response_id)
    if not AddressedForm().validate_on_submit():
        abort(400)
    service.mark_addressed(db.session, response, current_user.id, utcnow())
    db.session.commit()
    flash(_("Marked as addressed."), "info")
    return redirect(url_for("feedback.scenario", scenario_id=response.scenario_id, _anchor=f"response-{response.id}"))
