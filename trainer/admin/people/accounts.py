"""Admin pages for accounts: the list, creating and editing one, generated passwords,
blocking and unblocking, and lifting a login lock (too many wrong passwords for a name)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from ...auth import throttle
from ...auth.access import roles_required
from ...extensions import db
from ...models import Cohort, CohortMember, User, utcnow
from ...team import account_log, people
from ..forms import ACCOUNT_STATES, ActionForm, EditUserForm, UserFilterForm, UserForm
from ..views import bp


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
    elif status == "temporary":
        query = query.where(User.blocked_at.is_(None), User.password_temporary.is_(True))
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
                db.session, username=form.username.data, role=form.role.data, actor=current_user,
                display_name=form.display_name.data or "", locale=form.locale.data or None,
                password=form.password.data or None)
        except people.PeopleError as exc:
            form.username.errors = [*form.username.errors, str(exc)]
        else:
            # Failed logins with this name, by someone who tried it before the account
            # existed, must not lock the new person out of their first login.
            lift_login_lock(user)
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
            left = people.change_role(db.session, user, form.role.data, actor=current_user)
        except people.PeopleError as exc:
            form.role.errors = [*form.role.errors, str(exc)]
        else:
            people.rename(db.session, user, form.display_name.data or "", actor=current_user)
            user.locale = form.locale.data or None
            lifted = False
            if form.password.data:
                people.give_password(db.session, user, form.password.data, actor=current_user, generated=False)
                # The person is given the new password to log in with now, not in 15 minutes.
                lifted = lift_login_lock(user)
            db.session.commit()
            _stay_logged_in_if_own(user)
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
    return render_template("admin/user_form.html", form=form, user=user, lockout=lockout, cohorts=cohorts,
                           history=account_log.history(db.session, user)), \
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
    people.give_password(db.session, user, password, actor=current_user, generated=True)
    lift_login_lock(user)
    db.session.commit()
    _stay_logged_in_if_own(user)
    flash(_("New password for %(name)s, shown only now: %(password)s", name=user.username, password=password),
          "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _stay_logged_in_if_own(user: User) -> None:
    # A new password ends the sessions logged in with the old one (User.get_id); the admin
    # who gave their own account one is renewed here rather than sent to the login page.
    if user.id == current_user.id:
        login_user(user)


def lift_login_lock(user: User) -> bool:
    """Forget the failed logins with ``user``'s name; whether they had locked it."""
    return people.lift_login_lock(db.session, current_app.config, user, utcnow(), actor=current_user)


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
        people.block_user(db.session, user, utcnow(), actor=current_user)
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
    unblocked = people.unblock_user(db.session, user, utcnow(), actor=current_user)
    lifted = lift_login_lock(user)
    db.session.commit()
    if unblocked:
        flash(_("Account %(name)s is unblocked: it can be used to log in again.", name=user.username), "success")
    elif lifted:
        flash(_("The login lock on %(name)s is lifted: they can log in again now.", name=user.username), "success")
    else:
        # A page left open while the lock ran out, or another admin lifted it.
        flash(_("%(name)s is not locked out now, so there was nothing to lift.", name=user.username),
              "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))
