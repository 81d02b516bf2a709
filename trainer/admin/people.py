"""Admin pages for accounts, cohorts and the users CSV import."""
from __future__ import annotations

import base64
import binascii

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.access import roles_required
from ..extensions import db
from ..models import Cohort, CohortMember, User
from ..team import people
from ..team.access import cohort_supervisors, cohort_trainees
from ..uploads import MAX_CSV_BYTES, in_megabytes
from .forms import CohortForm, ImportForm, MemberForm, RemoveMemberForm, UserForm
from .views import bp


@bp.get("/users")
@roles_required("admin")
def users():
    """Every account with its cohorts."""
    rows = db.session.execute(select(User).order_by(User.username)).scalars().all()
    memberships = {}
    for user_id, name, role in db.session.execute(
            select(CohortMember.user_id, Cohort.name, CohortMember.role).join(Cohort)).all():
        memberships.setdefault(user_id, []).append((name, role))
    return render_template("admin/users.html", users=rows, memberships=memberships)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user():
    """Create one account."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            user, password = people.create_user(
                db.session, username=form.username.data, role=form.role.data, display_name=form.display_name.data or "",
                locale=form.locale.data or None, password=form.password.data or None)
        except people.PeopleError as exc:
            form.username.errors = [*form.username.errors, str(exc)]
        else:
            db.session.commit()
            if not form.password.data:
                flash(_("Account %(name)s created. Its password, shown only now: %(password)s",
                        name=user.username, password=password), "success")
            else:
                flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int):
    """Change an account's name, role, language or password."""
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        if form.username.data.strip().lower() != user.username:
            form.username.errors = [*form.username.errors, _("User names cannot be changed; create a new account.")]
        else:
            try:
                people.change_role(db.session, user, form.role.data)
            except people.PeopleError as exc:
                form.role.errors = [*form.role.errors, str(exc)]
            else:
                user.display_name = (form.display_name.data or "").strip()
                user.locale = form.locale.data or None
                if form.password.data:
                    user.set_password(form.password.data)
                db.session.commit()
                flash(_("Account %(name)s saved.", name=user.username), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user), 422 if form.errors else 200


def _csv_from_request(form: ImportForm) -> tuple[bytes | None, str | None]:
    """The CSV bytes: a fresh upload, or the checked file carried in the confirmation form."""
    carried = request.form.get("content")
    if carried:
        try:
            return base64.b64decode(carried, validate=True), None
        except (binascii.Error, ValueError):
            return None, _("The checked file was damaged in transit; choose it again.")
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return None, _("Choose a CSV file.")
    if not upload.filename.lower().endswith((".csv", ".txt")):
        return None, _("“%(name)s” is not a CSV file; save the sheet as CSV (comma-separated) and choose it again.",
                       name=upload.filename)
    data = upload.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        return None, _("The file is larger than %(size)s MB; split it into smaller files.", size=in_megabytes(MAX_CSV_BYTES))
    if b"\x00" in data:
        return None, _("“%(name)s” is not a text file; save the sheet as CSV and choose it again.", name=upload.filename)
    return data, None


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required("admin")
def import_users():
    """Check a users CSV (dry run), then import it only when every row is clean."""
    form = ImportForm()
    plan = created = content = None
    if request.method == "POST":
        # CSRFProtect has checked the token already; the file is checked here by hand
        # because a confirmed import carries it in a hidden field instead of an upload.
        data, error = _csv_from_request(form)
        if error:
            form.file.errors = [error]
        else:
            try:
                plan = people.plan_import(db.session, data)
            except people.PeopleError as exc:
                form.file.errors = [str(exc)]
        confirmed = request.form.get("confirm") == "1"
        if confirmed and plan is not None and people.already_imported(db.session, plan):
            return _imported_twice(form)
        if plan is not None and plan.ok and confirmed:
            try:
                created = people.run_import(db.session, plan)
                db.session.commit()
            except (people.PeopleError, IntegrityError) as exc:
                # The check passed, but the accounts were created since: most likely by this
                # same import, pressed twice while the first press was hashing passwords.
                db.session.rollback()
                if people.already_imported(db.session, plan):
                    return _imported_twice(form)
                form.file.errors = [_("%(problem)s Nothing was imported; check the file again.",
                                      problem=_problem(exc))]
                plan = created = None
            else:
                flash(_("%(n)s accounts imported.", n=len(created)), "success")
        elif plan is not None and plan.ok:
            content = base64.b64encode(data).decode()
    status = 422 if form.file.errors or (plan is not None and not plan.ok) else 200
    return render_template("admin/import.html", form=form, plan=plan, created=created, content=content,
                           imported_twice=False), status


def _imported_twice(form: ImportForm):
    """409: the confirmed file's accounts exist already, so its generated passwords went to
    the press that created them; say where to set new ones."""
    return render_template("admin/import.html", form=form, plan=None, created=None, content=None,
                           imported_twice=True), 409


def _problem(exc: Exception) -> str:
    if isinstance(exc, people.PeopleError):
        return str(exc)
    return _("Another change to the same people or cohorts was saved at the same moment.")


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
    counts = dict(db.session.execute(select(CohortMember.cohort_id, func.count()).where(
        CohortMember.role == "trainee").group_by(CohortMember.cohort_id)).all())
    rows = db.session.scalars(select(Cohort).order_by(Cohort.name)).all()
    return render_template("admin/cohorts.html", cohorts=rows, counts=counts, form=form), 422 if form.errors else 200


def _member_form() -> MemberForm:
    form = MemberForm()
    form.user.choices = {u.id: f"{u.name} ({u.username})" for u in
                         db.session.scalars(select(User).order_by(User.display_name, User.username))}
    return form


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@roles_required("admin")
def cohort(cohort_id: int):
    """A cohort's trainees and supervisors; add or change a member."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    form = _member_form()
    if form.validate_on_submit():
        user = db.session.get(User, form.user.data) or abort(400)
        try:
            people.set_membership(db.session, group, user, form.role.data)
        except people.PeopleError as exc:
            form.role.errors = [*form.role.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("%(name)s is in %(cohort)s now.", name=user.name, cohort=group.name), "success")
            return redirect(url_for("admin.cohort", cohort_id=group.id))
    return render_template("admin/cohort.html", cohort=group, form=form, remove_form=RemoveMemberForm(),
                           trainees=cohort_trainees(db.session, group.id),
                           supervisors=cohort_supervisors(db.session, group.id)), 422 if form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@roles_required("admin")
def remove_member(cohort_id: int, user_id: int):
    """Take someone out of a cohort (their attempts stay)."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    if not RemoveMemberForm().validate_on_submit():
        abort(400)
    people.remove_membership(db.session, group, user_id)
    db.session.commit()
    return redirect(url_for("admin.cohort", cohort_id=group.id))
