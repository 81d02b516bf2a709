"""Admin pages for cohorts: the list, a cohort's members (one at a time or several ticked
at once), renaming, and deleting one made by mistake."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ...auth.access import roles_required
from ...extensions import db
from ...models import Cohort, CohortMember, User
from ...team import people
from ...team.access import cohort_supervisors, cohort_trainees
from ..forms import ActionForm, AddMembersForm, CohortForm, MemberForm
from ..views import bp


@bp.route("/cohorts", methods=["GET", "POST"])
@roles_required("admin")
def cohorts():
    """Every cohort with its size; a form to add one."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = people.create_cohort(db.session, form.name.data, form.description.data or "")
        except people.PeopleError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            return redirect(url_for("admin.cohort", cohort_id=cohort.id))
    # Current trainees: people who left (blocked accounts) are not counted.
    counts = dict(db.session.execute(
        select(CohortMember.cohort_id, func.count()).join(User, User.id == CohortMember.user_id)
        .where(CohortMember.role == "trainee", User.blocked_at.is_(None)).group_by(CohortMember.cohort_id)).all())
    rows = db.session.scalars(select(Cohort).order_by(Cohort.name)).all()
    return render_template("admin/cohorts.html", cohorts=rows, counts=counts, form=form), 422 if form.errors else 200


def _member_form() -> MemberForm:
    form = MemberForm()
    # Blocked people have left the centre: nobody puts them into a cohort.
    form.user.choices = {u.id: f"{u.name} ({u.username})" for u in people.by_name(db.session.scalars(
        select(User).where(User.blocked_at.is_(None))))}
    return form


# What the admin is told after saving a member, by what happened and the role in the cohort.
def _membership_message(outcome: str, role: str, name: str, cohort: str) -> str:
    if outcome == "unchanged":
        return _("%(name)s is in “%(cohort)s” already, with this role; nothing was changed.", name=name, cohort=cohort)
    if outcome == "added":
        if role == "supervisor":
            return _("Added to “%(cohort)s” as a supervisor: %(name)s.", name=name, cohort=cohort)
        return _("Added to “%(cohort)s” as a trainee: %(name)s.", name=name, cohort=cohort)
    if role == "supervisor":
        return _("In “%(cohort)s”, %(name)s is a supervisor now.", name=name, cohort=cohort)
    return _("In “%(cohort)s”, %(name)s is a trainee now.", name=name, cohort=cohort)


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@roles_required("admin")
def cohort(cohort_id: int):
    """A cohort's trainees and supervisors (blocked ones marked); add or change a member,
    or tick several people to add at once (``add_members``)."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    form = _member_form()
    if form.validate_on_submit():
        user = db.session.get(User, form.user.data) or abort(400)
        try:
            outcome = people.set_membership(db.session, group, user, form.role.data, actor=current_user)
        except people.PeopleError as exc:
            form.role.errors = [*form.role.errors, str(exc)]
        else:
            db.session.commit()
            flash(_membership_message(outcome, form.role.data, user.name, group.name), "success")
            return redirect(url_for("admin.cohort", cohort_id=group.id))
    outside = people.non_members(db.session, group)
    return _cohort_page(group, form, _add_members_form(outside), outside)


def _add_members_form(outside: list[User]) -> AddMembersForm:
    """The form for ticking several of ``outside`` (the cohort's ``people.non_members``)."""
    # Prefixed: its fields and token must not share ids with the single-person form's.
    form = AddMembersForm(prefix="add")
    form.people.choices = [(u.id, u.name) for u in outside]
    return form


def _cohort_page(group: Cohort, form: MemberForm, add_form: AddMembersForm, outside: list[User]):
    """The cohort page, its forms as given (with their errors, if any: 422); ``outside`` is
    ``people.non_members(db.session, group)`` as the view loaded it."""
    # The name filter narrows the ticking list only; a ticked person hidden by a new
    # filter is not sent, so nobody is added unseen.
    search = " ".join(request.values.get("q", "").split())[:people.USERNAME_MAX]
    members, assignments = people.cohort_in_use(db.session, group)
    return render_template(
        "admin/cohort.html", cohort=group, form=form, add_form=add_form, search=search,
        candidates=[u for u in outside if people.name_matches(u, search)], deletable=not members and not assignments,
        trainees=cohort_trainees(db.session, group.id, include_blocked=True),
        supervisors=cohort_supervisors(db.session, group.id, include_blocked=True)), \
        422 if form.errors or add_form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/members")
@roles_required("admin")
def add_members(cohort_id: int):
    """Put the people ticked on the cohort page into it, all with one role."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    outside = people.non_members(db.session, group)
    form = _add_members_form(outside)
    if form.validate_on_submit():
        # The form accepts only its choices, so every ticked person is in ``outside``,
        # which is in name order already.
        ticked = set(form.people.data)
        chosen = [u for u in outside if u.id in ticked]
        try:
            added = people.add_members(db.session, group, chosen, form.role.data, actor=current_user)
        except people.PeopleError as exc:
            db.session.rollback()
            # The rollback expired the people loaded above: one query again, rather than
            # one per person as the page reads their names.
            outside = people.non_members(db.session, group)
            form.people.errors = [*form.people.errors, str(exc)]
        else:
            db.session.commit()
            names = ", ".join(u.name for u in added)
            if form.role.data == "supervisor":
                flash(_("Added to “%(cohort)s” as supervisors: %(names)s.", cohort=group.name, names=names), "success")
            else:
                flash(_("Added to “%(cohort)s” as trainees: %(names)s.", cohort=group.name, names=names), "success")
            return redirect(url_for("admin.cohort", cohort_id=group.id))
    return _cohort_page(group, _member_form(), form, outside)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_cohort(cohort_id: int):
    """Rename a cohort or change its description; names stay unique, as for a new one."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    form = CohortForm(obj=group)
    if form.validate_on_submit():
        try:
            people.update_cohort(db.session, group, form.name.data, form.description.data or "")
        except people.PeopleError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("Cohort “%(name)s” saved.", name=group.name), "success")
            return redirect(url_for("admin.cohort", cohort_id=group.id))
    # A refused name never reached ``group``: the heading keeps the saved one.
    return render_template("admin/cohort_edit.html", cohort=group, form=form), \
        422 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/delete", methods=["GET", "POST"])
@roles_required("admin")
def delete_cohort(cohort_id: int):
    """Ask, then delete a cohort nobody is in and nothing was assigned to (one made by
    mistake); for any other, say why it stays."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        name = group.name
        try:
            people.delete_cohort(db.session, group)
        except people.PeopleError as exc:
            flash(str(exc), "error")
            return redirect(url_for("admin.cohort", cohort_id=group.id))
        db.session.commit()
        flash(_("Cohort “%(name)s” deleted.", name=name), "success")
        return redirect(url_for("admin.cohorts"))
    members, assignments = people.cohort_in_use(db.session, group)
    return render_template("admin/cohort_delete.html", cohort=group, form=form, members=members,
                           assignments=assignments)


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
@roles_required("admin")
def remove_member(cohort_id: int, user_id: int):
    """Ask, then take someone out of a cohort (their attempts stay)."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        person = db.session.get(User, user_id)
        people.remove_membership(db.session, group, user_id, actor=current_user)
        db.session.commit()
        if person is not None:
            flash(_("%(name)s is no longer in “%(cohort)s”. Their attempts and results stay.",
                    name=person.name, cohort=group.name), "success")
        return redirect(url_for("admin.cohort", cohort_id=group.id))
    member = db.session.get(CohortMember, (group.id, user_id)) or abort(404)
    person = db.session.get(User, user_id) or abort(404)
    return render_template("admin/remove_member.html", cohort=group, person=person, member=member, form=form)
