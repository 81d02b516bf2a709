"""Views for playing a scenario: each validates, calls one domain function, commits."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import and_, bindparam, exists, select
from sqlalchemy.orm import aliased

from .. import attempts as attempt_service
from ..auth.access import ANY_ROLE, roles_required
from ..content.render import letter_counts, mark_languages
from ..extensions import db
from ..feedback import service as feedback_service
from ..feedback.views import survey_panel
from ..models import Assignment, Attempt, ScenarioVersion, utcnow
from ..scenario.engine import CompiledScenario, PlayError, PlayState
from ..scenario.model import Scenario, Source
from ..scenario.order import option_order
from ..scenario.rubric import in_another_person
from ..study.compare import compare_with_previous, own_tries
from ..study.scores import framework_key, framework_order
from ..team.assignments import assessment_verdict
from ..team.forms import rating_form
from ..team.transcript import self_ratings, trainee_debrief
from ..web import (DIFFICULTY_LABELS, competency_order, competency_title, lang, manual_url, registry, rubric_for_reader,
                   tr)
from . import catalogue as catalogue_service
from . import pieces
from .forms import AnswerForm, CatalogueFilterForm, StartForm, WrittenAnswerForm

bp = Blueprint("play", __name__)


# Built once, not per request: building the statement cost more CPU than running it. The
# version's hash comes in the same statement: it is all a compiled version needs, and loading
# the version as an object too was a third of the statement's cost.
_OWN_ATTEMPT = (
    select(Attempt, ScenarioVersion.content_hash)
    .join(ScenarioVersion, Attempt.scenario_version_id == ScenarioVersion.id)
    .where(Attempt.id == bindparam("attempt_id"))
)
# An answer's statement also says whether a practice attempt waits for its player's open
# assessment of the scenario (attempts.open_assessment). Only an answer asks: it is what would
# show an answer's feedback, and the column costs a twentieth of a step pair (callgrind), so
# the play page, which shows only feedback given before the assessment began, does without.
_ASSESSMENT = aliased(Attempt)
_OWN_ATTEMPT_TO_ANSWER = _OWN_ATTEMPT.add_columns(
    and_(Attempt.mode != "assessment", exists().where(
        _ASSESSMENT.user_id == Attempt.user_id, _ASSESSMENT.scenario_id == Attempt.scenario_id,
        _ASSESSMENT.status == "active", _ASSESSMENT.mode == "assessment")))


def _own(attempt_id: int, statement=_OWN_ATTEMPT) -> tuple[Attempt, CompiledScenario, bool]:
    """``own_attempt``, and (read with ``_OWN_ATTEMPT_TO_ANSWER``) whether the attempt is
    practice waiting for an open assessment."""
    found = db.session.execute(statement, {"attempt_id": attempt_id}).one_or_none()
    if found is None or found[0].user_id != current_user.id:
        abort(404)
    attempt, content_hash, *waits = found
    compiled = registry().played_hash(content_hash, lambda: attempt.version.source)
    if compiled is None:
        abort(410)
    return attempt, compiled, bool(waits and waits[0])


def own_attempt(attempt_id: int) -> tuple[Attempt, CompiledScenario]:
    """The current user's attempt (404 for anyone else's) and the scenario it is played on.

    One statement reads the attempt and its version's hash; the version itself (the stored
    scenario text) is read only when that version is not compiled yet.
    """
    attempt, compiled, _waits = _own(attempt_id)
    return attempt, compiled


@bp.get("/scenarios")
@roles_required(*ANY_ROLE)
def catalogue():
    """List the scenarios by manual chapter, narrowed by the query string's filters."""
    reg = registry()
    competencies = competency_order()
    filters = catalogue_service.read_filters(request.args, competencies)
    groups = catalogue_service.build_catalogue(db.session, current_user.id, reg.current, reg.toc, utcnow())
    shown = catalogue_service.filter_catalogue(groups, filters, lang())
    form = CatalogueFilterForm(q=filters.text, competency=filters.competency, level=filters.level, status=filters.status)
    form.competency.choices = [("", _("All competencies"))] + [(c, competency_title(c)) for c in competencies]
    form.level.choices = [("", _("Any level"))] + [(d, DIFFICULTY_LABELS[d]) for d in catalogue_service.LEVELS]
    return render_template("play/catalogue.html", groups=shown, filters=filters, form=form,
                           found=catalogue_service.count(shown), total=len(reg.current))


def manual_sections(scenario: Scenario) -> list[str]:
    """The manual sections a scenario trains, then those its advice comes from, each once."""
    found = dict.fromkeys(scenario.manual)
    found.update(dict.fromkeys(s.manual for s in scenario.sources if s.manual))
    return list(found)


def source_title(source: Source) -> Markup:
    """A source's title in the reader's language (or its address when it has none), its
    language marked for screen readers: mostly Latin letters reads as English."""
    title = source.title_in(lang()) or source.url or ""
    if lang() == "en":
        return mark_languages(title, "en")
    cyrillic, latin = letter_counts(title)
    if latin > cyrillic:
        return Markup('<span lang="en">%s</span>') % mark_languages(title, "en")
    return escape(title)


@bp.get("/scenarios/<scenario_id>")
@roles_required(*ANY_ROLE)
def intro(scenario_id: str):
    """Introduce a scenario: the client, what it trains, the content note.

    The sources other than the manual are the authors' notes on where the advice comes
    from, in both languages: supervisors and admins see them, trainees see the manual's
    sections only.
    """
    compiled = registry().latest(scenario_id)
    if compiled is None:
        abort(404)
    return intro_page(compiled, attempt_service.active_attempt(db.session, current_user, scenario_id))


def intro_page(compiled: CompiledScenario, active: Attempt | None, assignment: Assignment | None = None):
    """The scenario's introduction; with ``assignment``, what it asks (mode, time limit) too,
    and its Start button starts the assignment's attempt (trainer/play/assigned.py)."""
    scenario = compiled.scenario
    # Practice waits while an assessment of this scenario is open (attempts.open_assessment).
    assessing = (None if assignment is not None and assignment.mode == "assessment"
                 else attempt_service.open_assessment(db.session, current_user.id, scenario.id))
    other_sources = ([s for s in scenario.sources if not s.manual and (s.title or s.url)]
                     if current_user.role in ("supervisor", "admin") else [])
    return render_template("play/intro.html", compiled=compiled, scenario=scenario,
                           active=active, sections=manual_sections(scenario),
                           # "Start again" offers the unfinished attempt's own choice again.
                           form=StartForm(feedback_at_end=bool(active and active.feedback_at_end)),
                           trains=framework_order(scenario.competencies, competency_order()),
                           other_sources=other_sources, source_title=source_title, assignment=assignment,
                           assessing=assessing,
                           public_feedback=feedback_service.public_replies(db.session, scenario.id),
                           own=own_tries(db.session, current_user.id, scenario.id))


@bp.post("/scenarios/<scenario_id>/start")
@roles_required(*ANY_ROLE)
def start(scenario_id: str):
    """Start a new attempt, or resume the unfinished one."""
    compiled = registry().latest(scenario_id)
    if compiled is None:
        abort(404)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        attempt_id = attempt_service.start_or_resume(db.session, current_user, compiled, restart=form.restart.data,
                                                     feedback_at_end=form.feedback_at_end.data).id
    except attempt_service.AssessmentOpen:
        return assessment_first(scenario_id)
    # The id is read before the commit: after it, reading the expired attempt selects it again.
    db.session.commit()
    return redirect(url_for("play.play", attempt_id=attempt_id))


def assessment_first(scenario_id: str):
    """Back to the scenario's introduction, whose box offers the open assessment and says why
    practice waits (a notice above it would only say the same again)."""
    return redirect(url_for("play.intro", scenario_id=scenario_id, _anchor="assessing-h"))


def _answer_form(compiled: CompiledScenario, state: PlayState, attempt_id: int) -> AnswerForm | WrittenAnswerForm:
    if not state.finished and compiled.is_free_text(state.node):
        return WrittenAnswerForm()
    form = AnswerForm()
    if state.finished:
        return form
    node = compiled.scenario.nodes[state.node]
    text = {c.id: c.text for c in node.choices or []}
    form.choice.choices = {cid: tr(text[cid]) for cid in option_order(attempt_id, state.node, list(text))}
    return form


def _unanswered_choice(form) -> bool:
    # A form sent back with an error keeps the trainee's pick checked: rendered for them alone.
    return isinstance(form, AnswerForm) and form.choice.data is None


def _play_page(attempt: Attempt, compiled: CompiledScenario, form, status: int = 200):
    state = PlayState.from_dict(attempt.state)
    steps = attempt_service.conversation(db.session, attempt.id)
    last = steps[-1] if steps else None
    history = []
    for step in steps:
        _node, choice = compiled.choices[step.choice_id]
        # The client's reaction to an answer follows it in the history; the last answer's
        # opens what the client says now.
        reaction = choice.reaction is not None and step is not last
        history.append({"client": pieces.client_lines(compiled, (step.node_id,), each_in_div=True),
                        "choice": choice, "text": step.free_text,
                        "reaction": pieces.client_lines(compiled, (), True, step.choice_id) if reaction else None})
    current_client = pieces.client_lines(compiled, (*(last.via if last else ()), state.node),
                                         after=last.choice_id if last else None)
    last_choice = compiled.choices[last.choice_id][1] if last else None
    remaining = compiled.remaining(state)
    form.step.data = attempt.step_count
    # In the reader's language, even if they switched it after writing the answer.
    last_rubric = rubric_for_reader(compiled, last.node_id, last.rubric_result) if last is not None else None
    if attempt.feedback_deferred:
        last_choice = last_rubric = None  # assessment or "no hints": feedback waits for the debrief
    return render_template(
        "play/play.html", attempt=attempt, compiled=compiled, scenario=compiled.scenario,
        state=state, history=history, current_client=current_client, cues=compiled.cues(state),
        choice_options=pieces.choice_options(compiled, state.node, form.choice.choices) if _unanswered_choice(form) else None,
        last_choice=last_choice, last_rubric=last_rubric, form=form, progress_value=state.step,
        last_text=last.free_text if last_rubric else None,
        other_person=in_another_person(last_rubric),
        last_feedback=pieces.choice_feedback(compiled, last_choice, attempt.id) if last_choice else None,
        free_text=compiled.scenario.nodes[state.node].free_text if compiled.is_free_text(state.node) else None,
        time_left=attempt_service.time_left(attempt),
        progress_max=state.step + remaining,
    ), status


@bp.get("/attempts/<int:attempt_id>")
@roles_required(*ANY_ROLE)
def play(attempt_id: int):
    """Show the conversation at the attempt's current step."""
    attempt, compiled = own_attempt(attempt_id)
    if attempt.status == "finished":
        return redirect(url_for("play.debrief", attempt_id=attempt.id))
    if attempt.status != "active":
        flash(_("This attempt was set aside when you started again."), "info")
        return redirect(url_for("play.intro", scenario_id=attempt.scenario_id))
    state = PlayState.from_dict(attempt.state)
    return _play_page(attempt, compiled, _answer_form(compiled, state, attempt.id))


def _say_already_recorded() -> None:
    flash(_("An answer to that step was already recorded (a second press, or another tab); "
            "here is where the conversation is now."), "info")


def _answer_to_set_aside(attempt: Attempt):
    """An answer sent from a tab whose attempt was set aside (the trainee started again in
    another one): nothing is recorded, and the message says so, not that it was already
    recorded. The introduction offers the new attempt."""
    flash(_("This attempt was set aside because you started again, perhaps in another tab; "
            "your answer was not recorded. Continue with the new attempt."), "info")
    return redirect(url_for("play.intro", scenario_id=attempt.scenario_id))


@bp.post("/attempts/<int:attempt_id>/answer")
@roles_required(*ANY_ROLE)
def answer(attempt_id: int):
    """Record the trainee's choice for the step it names, once."""
    attempt, compiled, waits = _own(attempt_id, _OWN_ATTEMPT_TO_ANSWER)
    if attempt.status == "abandoned":
        return _answer_to_set_aside(attempt)
    if attempt.status == "active" and waits:
        return assessment_first(attempt.scenario_id)  # nothing recorded: the practice attempt waits
    state = PlayState.from_dict(attempt.state)
    form = _answer_form(compiled, state, attempt.id)
    if state.finished or form.step.data not in (None, attempt.step_count):
        # A resent or double-clicked form for a step that is already recorded.
        _say_already_recorded()
        return redirect(url_for("play.play", attempt_id=attempt.id))
    if not form.validate_on_submit():
        return _play_page(attempt, compiled, form, status=422)
    try:
        if isinstance(form, WrittenAnswerForm):
            result = attempt_service.answer(db.session, attempt, compiled, form.step.data, text=form.text.data,
                                            lang=lang())
        else:
            result = attempt_service.answer(db.session, attempt, compiled, form.step.data, form.choice.data)
    except PlayError:
        if isinstance(form, WrittenAnswerForm):
            form.text.errors = [*form.text.errors, _("Write your answer first, then press Answer.")]
            return _play_page(attempt, compiled, form, status=422)
        abort(400)
    db.session.commit()
    if not result.recorded:
        # Set aside between reading the attempt and writing the answer: reading the status
        # after the commit selects it again, which only this rare path pays for.
        if attempt.status == "abandoned":
            return _answer_to_set_aside(attempt)
        _say_already_recorded()
    elif result.result.state.finished:
        # Straight to the debrief: the play page would only redirect there.
        return redirect(url_for("play.debrief", attempt_id=attempt_id))
    # attempt_id, not attempt.id: the commit expired the attempt, and reading it would select it again.
    return redirect(url_for("play.play", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/debrief")
@roles_required(*ANY_ROLE)
def debrief(attempt_id: int):
    """Show the outcome, the scores, each decision with what supervisors said about it
    (only the attempt's own trainee gets here), and what to read."""
    attempt, compiled = own_attempt(attempt_id)
    if attempt.status != "finished":
        return redirect(url_for("play.play", attempt_id=attempt.id))
    built = trainee_debrief(db.session, attempt, compiled)
    report = built.report
    in_order = framework_key(competency_order())
    report.competencies.sort(key=lambda c: in_order(c.id))
    ending = compiled.scenario.endings[report.ending]
    last = report.steps[-1].chosen.id if report.steps else None
    return render_template("play/debrief.html", attempt=attempt, compiled=compiled,
                           scenario=compiled.scenario, report=report, notes=built.notes, ending=ending, late=built.late,
                           verdict=assessment_verdict(db.session, attempt),
                           closing=pieces.client_lines(compiled, (report.ending,), after=last),
                           # "Practise again" offers this attempt's "no hints" choice again.
                           start_form=StartForm(restart=True, feedback_at_end=attempt.feedback_at_end),
                           survey=survey_panel(attempt),
                           self_form=self_rating_form(compiled), self_rated=self_ratings(db.session, attempt.id),
                           compared=compare_with_previous(db.session, attempt, competency_order()),
                           # Its manual links name the attempt, so the page leads back to the debrief.
                           manual_link=partial(manual_url, attempt=attempt.id))


def self_rating_form(compiled: CompiledScenario):
    """The 1-5 scales of the competencies the scenario scores, in the framework's order."""
    ordered = framework_order(compiled.scenario.competencies, competency_order())
    return rating_form([(comp, competency_title(comp)) for comp in ordered], prefix="self")

