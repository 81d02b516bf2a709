"""Admin pages for accounts, cohorts and the users CSV import."""
from __future__ import annotations

import base64
import binascii

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth import throttle
from ..auth.access import roles_required
from ..extensions import db
from ..models import Cohort, CohortMember, User, utcnow
from ..team import people
from ..team.access import cohort_supervisors, cohort_trainees
from ..uploads import MAX_CSV_BYTES, in_megabytes
from ..web import ROLE_LABELS
from .forms import (ACCOUNT_STATES, ActionForm, AddMembersForm, CohortForm, EditUserForm, ImportForm, MemberForm,
                    UserFilterForm, UserForm)
from .views import bp


@bp.get("/users")
@roles_required("admin")
def users():
    """Every account with its cohorts; blocked ones marked, and filters to show either kind
    and the people whose user name or full name contains a text."""
    status = request.args.get("status", "")
    if status not in ACCOUNT_STATES:
        status = ""
    search = " ".join(request.args.get("q", "").split())[:people.USERNAME_MAX]
    query = select(User).order_by(User.username)
    if status == "active":
        query = query.where(User.blocked_at.is_(None))
    elif status == "blocked":
        query = query.where(User.blocked_at.is_not(None))
    rows = db.session.execute(query).scalars().all()
    if search:
        # Compared in Python: SQLite's lower() only folds ASCII, and full names are Ukrainian.
        rows = [u for u in rows if people.name_matches(u, search)]
    memberships = {}
    for user_id, name, role in db.session.execute(
            select(CohortMember.user_id, Cohort.name, CohortMember.role).join(Cohort)).all():
        memberships.setdefault(user_id, []).append((name, role))
    return render_template("admin/users.html", users=rows, memberships=memberships,
                           filter_form=UserFilterForm(status=status, q=search), status=status, search=search)


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
            # Failed logins with this name, by someone who tried it before the account
            # existed, must not lock the new person out of their first login.
            _lift_login_lock(user)
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
    """Change an account's full name, role, language or password (its user name stays); a
    new password also lifts a login lock (too many wrong passwords for the name), which the
    page shows while it lasts, beside the person's cohorts."""
    user = db.session.get(User, user_id) or abort(404)
    policy = throttle.Policy.from_config(current_app.config)
    form = EditUserForm(obj=user)
    if request.method == "GET":
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        try:
            left = people.change_role(db.session, user, form.role.data)
        except people.PeopleError as exc:
            form.role.errors = [*form.role.errors, str(exc)]
        else:
            user.display_name = (form.display_name.data or "").strip()
            user.locale = form.locale.data or None
            lifted = False
            if form.password.data:
                user.set_password(form.password.data)
                # The person is given the new password to log in with now, not in 15 minutes.
                lifted = _lift_login_lock(user)
            db.session.commit()
            if lifted:
                flash(_("The new password also lifted the login lock on %(name)s.", name=user.username), "success")
            if left:
                flash(_("Account %(name)s saved. A trainee cannot supervise a cohort, so this person no longer "
                        "supervises: %(cohorts)s. To keep them in a cohort as a trainee, add them on its page.",
                        name=user.username, cohorts=", ".join(left)), "success")
            else:
                flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    lockout = throttle.name_locked_until(db.session, policy, user.username, utcnow())
    cohorts = db.session.execute(
        select(Cohort, CohortMember.role).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id).order_by(Cohort.name)).all()
    return render_template("admin/user_form.html", form=form, user=user, lockout=lockout, cohorts=cohorts), \
        422 if form.errors else 200


@bp.post("/users/<int:user_id>/password")
@roles_required("admin")
def generate_password(user_id: int):
    """Give an account a new generated password, shown to the admin once, as a new account's
    is; the old one stops working, and a login lock on the name is lifted."""
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = people.generate_password()
    user.set_password(password)
    _lift_login_lock(user)
    db.session.commit()
    flash(_("New password for %(name)s, shown only now: %(password)s", name=user.username, password=password),
          "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _lift_login_lock(user: User) -> bool:
    """Forget the failed logins with ``user``'s name; whether they had locked it."""
    policy, now = throttle.Policy.from_config(current_app.config), utcnow()
    locked = throttle.name_locked_until(db.session, policy, user.username, now) is not None
    throttle.clear_failures(db.session, policy, user.username, now)
    return locked


@bp.route("/users/<int:user_id>/block", methods=["GET", "POST"])
@roles_required("admin")
def block_user(user_id: int):
    """Ask, then block an account (the person left): no more logins, and a session they
    have open ends; their records stay."""
    user = db.session.get(User, user_id) or abort(404)
    form = ActionForm()
    if request.method == "GET":
        if user.blocked_at is not None:
            return redirect(url_for("admin.edit_user", user_id=user.id))
        return render_template("admin/block_user.html", person=user, form=form)
    if not form.validate_on_submit():
        abort(400)
    try:
        people.block_user(db.session, user, utcnow())
    except people.PeopleError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Account %(name)s is blocked: it can no longer be used to log in. Its attempts, results and "
                "comments stay.", name=user.username), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/unblock")
@roles_required("admin")
def unblock_user(user_id: int):
    """Let a blocked person log in again; also lifts a login lock (too many wrong passwords),
    which is the button's only work for an account that is not blocked."""
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    unblocked = people.unblock_user(user)
    lifted = _lift_login_lock(user)
    db.session.commit()
    if unblocked:
        flash(_("Account %(name)s is unblocked: it can be used to log in again.", name=user.username), "success")
    elif lifted:
        flash(_("The login lock on %(name)s is lifted: they can log in again now.", name=user.username), "success")
    else:
        # A page left open while the lock ran out, or another admin lifted it.
        flash(_("Logging in with %(name)s was not locked (any more); nothing needed lifting.", name=user.username),
              "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


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
        return None, _("“%(name)s” is not a CSV file. %(how)s", name=upload.filename, how=people.SAVE_AS_CSV_UTF8)
    data = upload.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        return None, _("The file is larger than %(size)s MB; split it into smaller files.", size=in_megabytes(MAX_CSV_BYTES))
    # Its encoding and contents are people.plan_import's to check (UTF-16 has NUL bytes).
    return data, None


def _credentials_url(created: list[tuple[User, str | None]]) -> str | None:
    """The generated passwords as a CSV file in a data: URL, for a download link on the page.

    The file is built into the page the passwords are shown on, so the server stores no
    plaintext password and has no URL that would give them out again."""
    rows = [[user.username, user.display_name, str(ROLE_LABELS[user.role]), password]
            for user, password in created if password]
    if not rows:
        return None
    header = [_("User name"), _("Full name"), _("Role"), _("Password")]
    decimal_comma = get_locale().number_symbols["latn"]["decimal"] == ","
    data = people.credentials_csv(header, rows, delimiter=";" if decimal_comma else ",")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")


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
                           credentials_url=_credentials_url(created) if created else None,
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
    # Current trainees: people who left (blocked accounts) are not counted.
    counts = dict(db.session.execute(
        select(CohortMember.cohort_id, func.count()).join(User, User.id == CohortMember.user_id)
        .where(CohortMember.role == "trainee", User.blocked_at.is_(None)).group_by(CohortMember.cohort_id)).all())
    rows = db.session.scalars(select(Cohort).order_by(Cohort.name)).all()
    return render_template("admin/cohorts.html", cohorts=rows, counts=counts, form=form), 422 if form.errors else 200


def _member_form() -> MemberForm:
    form = MemberForm()
    # Blocked people have left the centre: nobody puts them into a cohort.
    form.user.choices = {u.id: f"{u.name} ({u.username})" for u in db.session.scalars(
        select(User).where(User.blocked_at.is_(None)).order_by(User.display_name, User.username))}
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
            outcome = people.set_membership(db.session, group, user, form.role.data)
        except people.PeopleError as exc:
            form.role.errors = [*form.role.errors, str(exc)]
        else:
            db.session.commit()
            flash(_membership_message(outcome, form.role.data, user.name, group.name), "success")
            return redirect(url_for("admin.cohort", cohort_id=group.id))
    return _cohort_page(group, form, _add_members_form(group))


def _add_members_form(group: Cohort) -> AddMembersForm:
    # Prefixed: its fields and token must not share ids with the single-person form's.
    form = AddMembersForm(prefix="add")
    form.people.choices = [(u.id, u.name) for u in people.non_members(db.session, group)]
    return form


def _cohort_page(group: Cohort, form: MemberForm, add_form: AddMembersForm):
    """The cohort page, its forms as given (with their errors, if any: 422)."""
    # The name filter narrows the ticking list only; a ticked person hidden by a new
    # filter is not sent, so nobody is added unseen.
    search = " ".join(request.values.get("q", "").split())[:people.USERNAME_MAX]
    members, assignments = people.cohort_in_use(db.session, group)
    return render_template(
        "admin/cohort.html", cohort=group, form=form, add_form=add_form, search=search,
        candidates=people.non_members(db.session, group, search), deletable=not members and not assignments,
        trainees=cohort_trainees(db.session, group.id, include_blocked=True),
        supervisors=cohort_supervisors(db.session, group.id, include_blocked=True)), \
        422 if form.errors or add_form.errors else 200


@bp.post("/cohorts/<int:cohort_id>/members")
@roles_required("admin")
def add_members(cohort_id: int):
    """Put the people ticked on the cohort page into it, all with one role."""
    group = db.session.get(Cohort, cohort_id) or abort(404)
    form = _add_members_form(group)
    if form.validate_on_submit():
        chosen = people.by_name(db.session.scalars(select(User).where(User.id.in_(form.people.data))))
        try:
            added = people.add_members(db.session, group, chosen, form.role.data)
        except people.PeopleError as exc:
            db.session.rollback()
            form.people.errors = [*form.people.errors, str(exc)]
        else:
            db.session.commit()
            names = ", ".join(u.name for u in added)
            if form.role.data == "supervisor":
                flash(_("Added to “%(cohort)s” as supervisors: %(names)s.", cohort=group.name, names=names), "success")
            else:
                flash(_("Added to “%(cohort)s” as trainees: %(names)s.", cohort=group.name, names=names), "success")
            return redirect(url_for("admin.cohort", cohort_id=group.id))
    return _cohort_page(group, _member_form(), form)


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
        people.remove_membership(db.session, group, user_id)
        db.session.commit()
        if person is not None:
            flash(_("%(name)s is no longer in “%(cohort)s”. Their attempts and results stay.",
                    name=person.name, cohort=group.name), "success")
        return redirect(url_for("admin.cohort", cohort_id=group.id))
    member = db.session.get(CohortMember, (group.id, user_id)) or abort(404)
    person = db.session.get(User, user_id) or abort(404)
    return render_template("admin/remove_member.html", cohort=group, person=person, member=member, form=form)
