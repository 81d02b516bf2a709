"""Supervisors' pages: cohorts, assignments, dashboards, profiles, transcripts, exports.

Every view asks ``access`` whether the viewer may see the cohort, person or attempt it
names and answers 404 when not, so another cohort's data cannot be reached by URL.
"""
from __future__ import annotations

import json
import re
import tempfile
from functools import partial
from urllib.parse import quote

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request, send_file,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from .. import settings
from ..auth.access import ANY_ROLE, roles_required
from ..errors import refuse
from ..extensions import db
from ..formfields import one_char_line_breaks
from ..models import Assignment, Attempt, Cohort, Step, User, utcnow
from ..request_guards import as_id
from ..web import (DOMAIN_LABELS, competency_order, competency_titles, format_date, lang, local_today, registry,
                   rubric_for_reader, section_label, time_zone, tr)
from ..play.catalogue import by_chapter
from ..study.scores import overall_of
from ..xapi.outbox import attempt_statements
from . import access, analytics, assignments, attention, export, participation, reviews, transcript
from .charts import heat_class, radar
from .forms import AssignForm, CommentForm, CompareForm, ConfirmForm, EditAssignmentForm, rating_form
from .graph import box_lines, layout, node_text
from .scenario_stats import Filter, scenario_stats

bp = Blueprint("team", __name__)
SUPERVISORS = ("supervisor", "admin")


def _cohort_or_404(cohort_id: int) -> Cohort:
    if not access.can_see_cohort(db.session, current_user, cohort_id):
        abort(404)
    return db.session.get(Cohort, cohort_id)


def _attempt_or_404(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not access.can_see_user(db.session, current_user, attempt.user_id):
        abort(404)
    return attempt


@bp.get("/team/")
@roles_required(*SUPERVISORS)
def index():
    """The cohorts this supervisor looks after, each with what needs their attention."""
    cohorts = access.visible_cohorts(db.session, current_user)
    return render_template(
        "team/index.html", overview=attention.by_cohort(db.session, cohorts, local_today(), utcnow()),
        idle_days=participation.IDLE_DAYS,
        to_review=reviews.waiting_reviews(db.session, access.visible_trainee_ids(current_user)))


@bp.get("/team/cohorts/<int:cohort_id>")
@roles_required(*SUPERVISORS)
def dashboard(cohort_id: int):
    """Completion, who is not practising, the trainee × competency heatmap, critical errors,
    weak spots, agreement."""
    cohort = _cohort_or_404(cohort_id)
    today = local_today()
    comps = competency_order()
    critical = analytics.critical_errors(db.session, cohort.id)
    titles = _titles()
    return render_template(
        "team/dashboard.html", cohort=cohort, competencies=comps,
        completion=assignments.cohort_completion(db.session, cohort.id, today),
        overdue=assignments.overdue_people(db.session, cohort.id, today),
        idle=participation.not_practising(db.session, cohort.id, utcnow(), time_zone()),
        heat=analytics.heatmap(db.session, cohort.id, comps, page=request.args.get("page", 1, type=int)),
        heat_class=heat_class,
        weakest=analytics.weakest_competencies(db.session, cohort.id),
        critical=critical, played=analytics.scenarios_played(db.session, cohort.id,
                                                                      lambda sid: titles.get(sid, sid)),
        choice_texts=_choice_texts((e.scenario_id, e.choice_id) for e in critical),
        agreement=analytics.rater_agreement(db.session, cohort.id), kappa_min_items=analytics.KAPPA_MIN_ITEMS,
        scenarios=registry().current,
    )


def _titles() -> dict[str, str]:
    """Each scenario of the library's title in the reader's language, by id."""
    return {sid: tr(c.scenario.title) for sid, c in registry().current.items()}


def _choice_texts(keys) -> dict[tuple[str, str], str]:
    """The current wording of each (scenario, choice id); a choice no longer in it is left out."""
    texts = {}
    for scenario_id, choice_id in keys:
        compiled = registry().latest(scenario_id)
        found = compiled.choices.get(choice_id) if compiled else None
        if found is not None:
            texts[(scenario_id, choice_id)] = tr(found[1].text)
    return texts


def _assign_form(cohort: Cohort) -> AssignForm:
    form = AssignForm()
    # In the manual's chapters, as the catalogue files them: 45 titles in one list were hard to scan.
    titles = _titles()
    form.scenario.choices = {section_label(number): [(sid, titles[sid]) for sid in sids]
                             for number, sids in by_chapter(registry().current, registry().toc, titles.__getitem__)}
    targets = {"cohort": _("The whole cohort: %(name)s", name=cohort.name)}
    targets.update({f"user:{u.id}": u.name for u in access.cohort_trainees(db.session, cohort.id)})
    form.target.choices = targets
    return form


@bp.route("/team/cohorts/<int:cohort_id>/assign", methods=["GET", "POST"])
@roles_required(*SUPERVISORS)
def assign(cohort_id: int):
    """Assign a scenario to the cohort or one of its trainees."""
    cohort = _cohort_or_404(cohort_id)
    form = _assign_form(cohort)
    if request.method == "GET" and request.args.get("scenario") in registry().current:
        form.scenario.data = request.args["scenario"]
    if form.validate_on_submit():
        target = form.target.data
        try:
            assignments.create_assignment(
                db.session, current_user, scenario_id=form.scenario.data, mode=form.mode.data,
                cohort_id=cohort.id if target == "cohort" else None,
                user_id=int(target.split(":", 1)[1]) if target.startswith("user:") else None,
                due_on=form.due_on.data, time_limit=form.time_limit.data, pass_mark=form.pass_mark.data,
                note=form.note.data or "")
        except assignments.AssignmentError as exc:
            form.mode.errors = [*form.mode.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Assigned."), "success")
            return redirect(url_for("team.dashboard", cohort_id=cohort.id))
    return render_template("team/assign.html", cohort=cohort, form=form), 422 if form.errors else 200


def _assignment_or_404(assignment_id: int) -> tuple[Assignment, Cohort | None]:
    """An assignment the viewer may manage (404 otherwise), and the cohort its pages lead back to."""
    assignment = assignments.managed_assignment(db.session, current_user, assignment_id) or abort(404)
    wanted = as_id(request.args.get("cohort", ""))
    return assignment, assignments.home_cohort(db.session, current_user, assignment, wanted)


@bp.get("/team/assignments/<int:assignment_id>")
@roles_required(*SUPERVISORS)
def assignment(assignment_id: int):
    """One assignment: who has done it and who has not, and ways to change or cancel it."""
    found, cohort = _assignment_or_404(assignment_id)
    people = assignments.assignment_people(db.session, found, local_today(), page=request.args.get("page", 1, type=int))
    return render_template("team/assignment.html", assignment=found, cohort=cohort, people=people,
                           scenario=registry().current.get(found.scenario_id))


@bp.route("/team/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@roles_required(*SUPERVISORS)
def edit_assignment(assignment_id: int):
    """Change the due date, note and time limit, and the mode and pass mark while nobody has
    started it."""
    found, cohort = _assignment_or_404(assignment_id)
    back = url_for("team.assignment", assignment_id=found.id, cohort=cohort.id if cohort else None)
    if found.cancelled_at is not None:
        flash(_("This assignment has been cancelled; it can no longer be changed."), "error")
        return redirect(back)
    started = assignments.is_started(db.session, found)
    form = EditAssignmentForm(found)
    if started:
        del form.mode  # shown as text, with the reason
        del form.pass_mark  # likewise: the attempts made were judged by it
        if found.mode != "assessment":
            del form.time_limit
        else:
            form.time_limit.description = " ".join((str(form.time_limit.description), _(
                "A changed time limit applies to attempts started from now on; an attempt already started "
                "keeps the limit it began with.")))
    if form.validate_on_submit():
        try:
            assignments.update_assignment(
                db.session, current_user, found, mode=found.mode if started else form.mode.data,
                due_on=form.due_on.data, time_limit=form.time_limit.data if form.time_limit is not None else None,
                pass_mark=found.pass_mark if started else form.pass_mark.data, note=form.note.data or "")
        except assignments.AssignmentError as exc:
            # Nothing was changed; the form comes back as sent, with the reason above it.
            db.session.rollback()
            problem = str(exc)
        else:
            db.session.commit()
            flash(_("The assignment is changed."), "success")
            return redirect(back)
    else:
        problem = None
    return render_template("team/assignment_edit.html", assignment=found, cohort=cohort, form=form,
                           started=started, problem=problem, scenario=registry().current.get(found.scenario_id)), \
        422 if form.errors or problem else 200


@bp.route("/team/assignments/<int:assignment_id>/cancel", methods=["GET", "POST"])
@roles_required(*SUPERVISORS)
def cancel_assignment(assignment_id: int):
    """Ask to confirm, then cancel: trainees no longer see it; its attempts and results stay."""
    found, cohort = _assignment_or_404(assignment_id)
    back = url_for("team.assignment", assignment_id=found.id, cohort=cohort.id if cohort else None)
    if request.method == "GET":
        if found.cancelled_at is not None:
            return redirect(back)
        people = assignments.assignment_people(db.session, found, local_today(), per_page=1)
        return render_template("team/assignment_cancel.html", assignment=found, cohort=cohort, people=people,
                               scenario=registry().current.get(found.scenario_id), form=ConfirmForm())
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if assignments.cancel_assignment(db.session, current_user, found):
        # No message: the assignment's page opens with a banner that says all of it.
        db.session.commit()
    else:
        flash(_("This assignment had been cancelled already."), "info")
    return redirect(back)


def _profile_page(user: User, own: bool):
    framework = registry().library.framework
    prof = analytics.profile(db.session, user.id, framework, time_zone())
    domains_chart = radar({d: prof.domains[d] for d in analytics.DOMAINS},
                          {d: str(DOMAIN_LABELS[d]) for d in analytics.DOMAINS})
    recent = db.session.execute(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.id.desc()).limit(30)).scalars().all()
    titles = _titles()
    # A supervisor also sees the trainee's assignments, and how much each assessment was rehearsed.
    assigned = None if own else assignments.assignments_seen_by(db.session, current_user, user.id, local_today())
    rehearsed = {} if own else assignments.practice_before(db.session, [a.id for a in recent if a.mode == "assessment"])
    return render_template("team/profile.html", person=user, profile=prof, chart=domains_chart,
                           domains=analytics.DOMAINS, attempts=recent, titles=titles, own=own,
                           overall=overall_of(db.session, [a.id for a in recent]),
                           framework=framework, assigned=assigned, rehearsed=rehearsed)


@bp.get("/team/trainees/<int:user_id>")
@roles_required(*SUPERVISORS)
def trainee(user_id: int):
    """A trainee's emotional-intelligence profile, trend and attempts."""
    if not access.can_see_user(db.session, current_user, user_id):
        abort(404)
    return _profile_page(db.session.get(User, user_id), False)


@bp.get("/profile")
@roles_required(*ANY_ROLE)
def my_profile():
    """The signed-in person's own profile."""
    return _profile_page(current_user, True)


def _transcript_page(attempt: Attempt, status: int = 200, rate_form=None, comment_form=None):
    compiled = registry().played(attempt.version)
    if compiled is None:
        abort(410)
    comps = competency_titles(compiled)
    t = transcript.build_transcript(db.session, attempt, compiled, competency_order())
    rehearsed = assignments.practice_before(db.session, [attempt.id]).get(attempt.id)
    # A written answer's elements as its newest review counts them, as the debrief shows them.
    rubrics = {e.step.id: transcript.as_reviewed(result, e.step, e.review) for e in t.entries
               if (result := rubric_for_reader(compiled, e.step.node_id, e.step.rubric_result))}
    mine = t.ratings.get(current_user.id)
    return render_template(
        "team/transcript.html", attempt=attempt, compiled=compiled, scenario=compiled.scenario, rehearsed=rehearsed,
        t=t, rubrics=rubrics, comment_form=comment_form, competencies=comps,
        # Some competencies may stay unrated (the rating view accepts that); the form starts
        # from the viewer's newest ratings.
        rate_form=rate_form or rating_form(comps, optional=True, given=mine.marks if mine else None),
    ), status


@bp.get("/team/attempts/<int:attempt_id>")
@roles_required(*SUPERVISORS)
def attempt_transcript(attempt_id: int):
    """Every step of an attempt with time, choice, feedback and the client's state."""
    return _transcript_page(_attempt_or_404(attempt_id))


def _say_not_in_attempt() -> None:
    flash(_("That decision is not in this attempt; reload the page and comment again."), "error")


@bp.post("/team/attempts/<int:attempt_id>/comments")
@roles_required(*SUPERVISORS)
def comment(attempt_id: int):
    """Comment on one step; a refused comment comes back in its box with the reason."""
    attempt = _attempt_or_404(attempt_id)
    form = CommentForm()
    if not form.validate_on_submit():
        if form.step.errors:
            _say_not_in_attempt()
        return _transcript_page(attempt, 422, comment_form=form)
    try:
        added = transcript.add_comment(db.session, attempt, form.step.data, current_user, form.body.data)
    except transcript.CommentError:
        _say_not_in_attempt()
        return _transcript_page(attempt, 422, comment_form=form)
    if added is None:
        db.session.rollback()
        flash(_("This comment was already saved a moment ago; it is kept once."), "info")
    else:
        db.session.commit()
    return redirect(url_for("team.attempt_transcript", attempt_id=attempt.id, _anchor=f"step-{form.step.data}"))


@bp.post("/team/attempts/<int:attempt_id>/ratings")
@roles_required(*SUPERVISORS)
def rate(attempt_id: int):
    """The supervisor's own 1-5 rating per competency, kept apart from the automatic score."""
    attempt = _attempt_or_404(attempt_id)
    compiled = registry().played(attempt.version) or abort(410)
    comps = competency_titles(compiled)
    form = rating_form(comps, optional=True)
    values = {c: getattr(form, c).data for c, _t in comps} if form.validate_on_submit() else {}
    if not any(values.values()):
        flash(_("Choose at least one rating."), "error")
        return _transcript_page(attempt, 422, rate_form=form)
    transcript.rate_attempt(db.session, attempt, current_user, values)
    db.session.commit()
    flash(_("Your ratings are saved."), "success")
    return redirect(url_for("team.attempt_transcript", attempt_id=attempt.id, _anchor="ratings"))


def _group(value: str | None, refuse_unknown: bool = True) -> tuple[str, object]:
    """A filter's group of people: a cohort the viewer supervises, or everyone they may see.

    No value means everyone. A value that is not one of the viewer's cohorts is a 404 that
    says so (an export must not quietly hold everyone instead), unless ``refuse_unknown`` is
    false: the analytics form marks the field itself and labels the numbers as everyone's.
    """
    number = as_id(value) if value else None
    if number is not None and access.can_see_cohort(db.session, current_user, number):
        cohort = db.session.get(Cohort, number)
        return cohort.name, access.members_of(cohort.id, include_blocked=True)  # history keeps people who left
    if value and refuse_unknown:
        refuse(404, _l("None of your cohorts has this number. Download the export from the cohort's page "
                       "under “My team”, or from “My team” itself for everyone you supervise."))
    return _("Everyone you supervise"), access.visible_trainee_ids(current_user)


def _period_label(group: str, start, end) -> str:
    """A compared group's name with its dates, so that one cohort over two periods reads as
    two groups; a refused date range says the figures are for all dates."""
    if start.errors or end.errors:
        return _("%(group)s: all dates (the date filter is not applied)", group=group)
    if start.data and end.data:
        return _("%(group)s, %(start)s – %(end)s", group=group,
                 start=format_date(start.data), end=format_date(end.data))
    if start.data:
        return _("%(group)s, from %(start)s", group=group, start=format_date(start.data))
    if end.data:
        return _("%(group)s, until %(end)s", group=group, end=format_date(end.data))
    return group


@bp.get("/team/scenarios/<scenario_id>")
@roles_required(*SUPERVISORS)
def scenario_analytics(scenario_id: str):
    """Choices per node on the scenario's graph, time per decision, drop-off; A/B comparison."""
    compiled = registry().latest(scenario_id) or abort(404)
    form = CompareForm(request.args)
    cohorts = {str(c.id): c.name for c in access.visible_cohorts(db.session, current_user)}
    form.cohort.choices = {"": _("Everyone you supervise"), **cohorts}
    form.b_cohort.choices = {"": _("No comparison"), **cohorts}
    form.validate()
    label_a, users_a = _group(form.cohort.data, refuse_unknown=False)
    label_a = _period_label(label_a, form.start, form.end)
    stats_a = scenario_stats(db.session, scenario_id, Filter(users_a, form.start.data, form.end.data, time_zone()))
    stats_b = label_b = None
    if form.b_cohort.data or form.b_start.data or form.b_end.data or form.b_start.errors or form.b_end.errors:
        label_b, users_b = _group(form.b_cohort.data, refuse_unknown=False)
        label_b = _period_label(label_b, form.b_start, form.b_end)
        stats_b = scenario_stats(db.session, scenario_id, Filter(users_b, form.b_start.data, form.b_end.data, time_zone()))
    texts = {item: tr(text) for item in (*compiled.scenario.nodes, *compiled.scenario.endings)
             if (text := node_text(compiled.scenario, item)) is not None}
    return render_template("team/scenario.html", compiled=compiled, scenario=compiled.scenario, form=form,
                           graph=layout(compiled.scenario), a=stats_a, b=stats_b, label_a=label_a, label_b=label_b,
                           texts=texts, box_lines={item: box_lines(text) for item, text in texts.items()},
                           # Node ids mean something to whoever keeps the scenario files, not to supervisors.
                           show_ids=current_user.role == "admin")


def _export_request(kind: str) -> tuple[object, dict, str]:
    """The people an export holds (404 for an unknown kind or someone else's cohort), the
    centre's time zone and the scenario titles in the reader's language to write it with, and
    what names its file given the extension (``export.file_name``)."""
    if kind not in export.KINDS:
        abort(404)
    label, users = _group(request.args.get("cohort"))
    name = partial(export.file_name, kind, label if request.args.get("cohort") else None, local_today())
    return users, {"zone": time_zone(), "titles": export.scenario_titles(db.session, registry(), lang())}, name


def _attachment(name: str) -> str:
    """A Content-Disposition for ``name``: an ASCII fallback, and the name itself (a cohort's
    Cyrillic letters) as RFC 6266 gives it to browsers."""
    fallback = re.sub(r"-{2,}", "-", name.encode("ascii", "ignore").decode())
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@bp.get("/team/export/<kind>.csv")
@roles_required(*SUPERVISORS)
def export_csv(kind: str):
    """Attempts, steps or scores of the people the viewer may see (or one cohort) as CSV,
    for other programs; streamed as it is read."""
    users, how, name = _export_request(kind)
    body = export.export_csv(db.session, kind, users, **how)
    return Response(stream_with_context(body), mimetype="text/csv",
                    headers={"Content-Disposition": _attachment(name("csv"))})


@bp.get("/team/export/<kind>.xlsx")
@roles_required(*SUPERVISORS)
def export_xlsx(kind: str):
    """The same export as an Excel workbook, for reading. A workbook is a zip archive that
    is complete only at its end, so it is written to a temporary file (gone once sent)."""
    users, how, name = _export_request(kind)
    target = tempfile.TemporaryFile()
    try:
        export.export_xlsx(db.session, kind, users, target, registry=registry(), lang=lang(), **how)
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return send_file(target, mimetype=export.XLSX_MIMETYPE, as_attachment=True,
                     download_name=name("xlsx"))


@bp.get("/team/export/xapi.json")
@roles_required(*SUPERVISORS)
def export_xapi():
    """xAPI statements of finished attempts as a JSON array."""
    label, users = _group(request.args.get("cohort"))
    base_url = settings.value("TRAINER_BASE_URL")
    name = export.file_name("xapi", label if request.args.get("cohort") else None, local_today(), "json")

    def generate():
        yield "["
        first = True
        query = (select(Attempt).where(Attempt.user_id.in_(users), Attempt.status == "finished")
                 .order_by(Attempt.id).execution_options(yield_per=200))
        for attempt in db.session.scalars(query):
            compiled = registry().played(attempt.version)
            if compiled is None:
                continue
            for statement in attempt_statements(db.session, attempt, compiled, base_url):
                yield ("" if first else ",") + json.dumps(statement, ensure_ascii=False)
                first = False
        yield "]"
    return Response(stream_with_context(generate()), mimetype="application/json",
                    headers={"Content-Disposition": _attachment(name)})


@bp.get("/team/reviews")
@roles_required(*SUPERVISORS)
def review_queue():
    """Written answers waiting for a supervisor's verdict, and how often each rubric was right."""
    users = access.visible_trainee_ids(current_user)
    show_all = request.args.get("all") == "1"
    items = reviews.queue(db.session, users, include_reviewed=show_all)
    prompts, results = {}, {}
    for step, attempt, _user, _review in items:
        compiled = registry().played(attempt.version)
        node = compiled.scenario.nodes.get(step.node_id) if compiled else None
        prompts[step.id] = tr(node.free_text.prompt) if node is not None and node.free_text else ""
        # The stored result keeps the language the answer was written under.
        results[step.id] = rubric_for_reader(compiled, step.node_id, step.rubric_result)
    titles = _titles()
    agreement = reviews.rubric_agreement(db.session, users)
    return render_template("team/reviews.html", items=items, prompts=prompts, results=results, titles=titles,
                           show_all=show_all, agreement=agreement,
                           questions={(a.scenario_id, a.node_id): _question(a.scenario_id, a.node_id)
                                      for a in agreement})


def _question(scenario_id: str, node_id: str) -> str | None:
    """What a written answer's node asks (or, failing that, what the client says there) in
    the reader's language; None for a node the scenario no longer has."""
    compiled = registry().latest(scenario_id)
    node = compiled.scenario.nodes.get(node_id) if compiled else None
    if node is None:
        return None
    text = node.free_text.prompt if node.free_text else node_text(compiled.scenario, node_id)
    return tr(text) if text is not None else None


@bp.post("/team/reviews/<int:step_id>")
@roles_required(*SUPERVISORS)
def review_answer(step_id: int):
    """Agree with the rubric's verdict on a written answer, or say which elements are really there."""
    step = db.session.get(Step, step_id)
    if step is None or step.free_text is None:
        abort(404)
    _attempt_or_404(step.attempt_id)
    verdict = request.form.get("verdict")
    if verdict not in ("agree", "override"):
        abort(400)
    reviews.review(db.session, step, current_user, verdict == "agree", request.form.getlist("found"),
                   one_char_line_breaks(request.form.get("comment", ""))[:2000])
    db.session.commit()
    flash(_("Your review is saved."), "success")
    return redirect(url_for("team.review_queue", all=request.args.get("all")))
