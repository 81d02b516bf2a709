"""Log in, log out, pick the interface language and choose one's own password."""
from __future__ import annotations

import math
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from ..app import LOCALES, SESSION_CHOICE, select_locale
from ..extensions import db
from ..models import utcnow
from .access import ANY_ROLE, SEEN, blocked_message, mark_seen, page_endpoint, roles_required
from .account import PasswordChange, change_own_password, new_password_problems
from .forms import LANGUAGE_NAMES, PASSWORD_PROBLEMS, LanguageForm, LoginForm, PasswordForm
from .throttle import LoginResult, Policy, authenticate

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only a page of this site that a GET opens: never another site, and never a form's
    # address, which only takes POST and would greet a freshly logged-in person with a 405.
    if page_endpoint(target) is not None:
        return target
    return url_for("study.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("study.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(db.session, _policy(), form.username.data, form.password.data,
                              request.remote_addr or "unknown", utcnow())
        db.session.commit()
        if result.retry_after is not None:
            return _refused(form, result.retry_after)
        if result.blocked:
            return _blocked(form)
        if result.user is None:
            return _wrong(form, result)
        login_user(result.user)
        mark_seen()  # a new login's idle time starts now, whatever an earlier one left in the cookie
        target = _safe_next(request.args.get("next"))
        _offer_to_save_the_picked_language(result.user, target)
        return redirect(target)
    return render_template("auth/login.html", form=form)


def _offer_to_save_the_picked_language(user, target: str) -> None:
    """A language picked on the login page stays after logging in (trainer/app.py); when the
    account has another, a note says so and offers to save the picked one."""
    picked = _unsaved_pick(user)
    if picked is None:
        return
    with force_locale(picked):
        note = _("You picked this language on the login page, so it stays until you log out; "
                 "the language saved in your account is %(saved)s.", saved=LANGUAGE_NAMES[user.locale])
        link = Markup('<a href="%s">%s</a>') % (url_for("auth.language", next=target),
                                                _("Save this language in my account"))
        flash(Markup("%s %s") % (note, link), "info")


def _unsaved_pick(user) -> str | None:
    """The language picked on the login page when it differs from ``user``'s saved one
    (both of them languages the app speaks); otherwise None."""
    picked = session.get(SESSION_CHOICE)
    if picked not in LOCALES or user.locale not in LOCALES or user.locale == picked:
        return None
    return picked


def _policy() -> Policy:
    return Policy.from_config(current_app.config)


def _minutes(span: timedelta) -> int:
    return math.ceil(max(1, math.ceil(span.total_seconds())) / 60)


def _wrong(form: LoginForm, result: LoginResult):
    """The login form again after a wrong password, with what the next failures would do."""
    flash(_("Wrong user name or password. Check both and try again."), "error")
    if result.failures_left == 1:
        # The last try before the lock: said for unknown names as well, which count alike.
        flash(ngettext("One more unsuccessful attempt will lock logging in with this user name for up to "
                       "%(num)d minute. If you are not sure of the password, ask your centre's administrator.",
                       "One more unsuccessful attempt will lock logging in with this user name for up to "
                       "%(num)d minutes. If you are not sure of the password, ask your centre's administrator.",
                       _minutes(_policy().window)), "error")
    elif result.locked_for is not None:
        flash(_lock_message(result.locked_for), "error")
    if result.address_throttled:
        # 429 for scripts and the access log; a person reads that the right password works.
        flash(_("Many unsuccessful logins have come from your network lately (an office often shares one "
                "address). The right user name and password still let you in; if you do not remember them, "
                "ask your centre's administrator."), "error")
        return render_template("auth/login.html", form=form), 429
    return render_template("auth/login.html", form=form)


def _lock_message(retry_after: timedelta) -> str:
    return ngettext("Too many unsuccessful attempts to log in with this user name. Try again in %(num)d minute, "
                    "or ask your centre's administrator to lift the lock.",
                    "Too many unsuccessful attempts to log in with this user name. Try again in %(num)d minutes, "
                    "or ask your centre's administrator to lift the lock.", _minutes(retry_after))


def _blocked(form: LoginForm):
    """403 with the login form: the password was right, but the account is blocked."""
    flash(blocked_message(), "error")
    return render_template("auth/login.html", form=form), 403


def _refused(form: LoginForm, retry_after: timedelta):
    """429 with the login form and when to try again; the password was not checked."""
    seconds = max(1, math.ceil(retry_after.total_seconds()))
    flash(_lock_message(retry_after), "error")
    response = make_response(render_template("auth/login.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
@roles_required(*ANY_ROLE)
def logout():
    """Log out."""
    logout_user()
    # A language picked on the login page lasts until here; the next login page, perhaps
    # another person's, speaks the default again.
    session.pop(SESSION_CHOICE, None)
    session.pop(SEEN, None)
    # In the language of the login page it shows on, which no longer knows the person's.
    with force_locale(select_locale()):
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def visitor_language():
    """A visitor's interface language (the login page's), kept in their session."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session[SESSION_CHOICE] = form.locale.data
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account/language", methods=["GET", "POST"])
@roles_required(*ANY_ROLE)
def language():
    """Choose the interface and scenario language."""
    form = LanguageForm(locale=select_locale())  # the one in use, which Save keeps
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        session.pop(SESSION_CHOICE, None)  # the account's language rules again
        # In the language just chosen: the next page, where the message shows, speaks it.
        with force_locale(form.locale.data):
            flash(_("Language saved."), "info")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/language.html", form=form,
                           saved=LANGUAGE_NAMES[current_user.locale] if _unsaved_pick(current_user) else None)


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*ANY_ROLE)
def password():
    """Choose one's own password: at will, and before anything else after an administrator
    set one (auth/access.py sends the person here)."""
    form = PasswordForm()
    first = current_user.password_temporary  # someone else set the one it replaces
    if first:
        form.current.label.text = _("The password you were given")
    if form.validate_on_submit():
        change = change_own_password(db.session, _policy(), current_user, form.current.data, form.new.data,
                                     request.remote_addr or "unknown", utcnow())
        db.session.commit()
        if change.saved:
            # The session holds a mark of the password (User.get_id): renewed here, so this
            # device stays logged in while every other session ends at its next request.
            login_user(current_user._get_current_object())
            flash(_("Your own password is saved: from now on, log in with it.") if first else
                  _("Your new password is saved. Wherever else you were logged in, log in again with it."), "success")
            return redirect(_safe_next(request.args.get("next")))
        if change.retry_after is not None:
            flash(_lock_message(change.retry_after), "error")
            return _password_page(form, 429)
        _explain_refusal(form, change)
    elif form.is_submitted() and form.new.data:
        # A field left empty or the repeat mistyped: the new one's own problems are said now
        # too, rather than after the person has typed both again.
        _explain_refusal(form, PasswordChange(problems=new_password_problems(current_user, form.new.data)))
    return _password_page(form, 422 if form.errors else 200)


def _password_page(form: PasswordForm, status: int):
    return render_template("auth/password.html", form=form, temporary=current_user.password_temporary), status


def _explain_refusal(form: PasswordForm, change: PasswordChange) -> None:
    """Put why the password was not changed beside the fields it concerns."""
    if change.wrong_current:
        errors = [_("This is not your current password. If you do not remember it, ask your centre's "
                    "administrator for a new one.")]
        if change.failures_left == 1:
            errors.append(ngettext("One more wrong try will lock logging in with your user name for up to %(num)d "
                                   "minute.", "One more wrong try will lock logging in with your user name for up "
                                   "to %(num)d minutes.", _minutes(_policy().window)))
        elif change.locked_for is not None:
            errors.append(_lock_message(change.locked_for))
        form.current.errors = [*form.current.errors, *errors]
    new_errors = [str(PASSWORD_PROBLEMS[problem]) for problem in change.problems]
    if change.same:
        new_errors.append(_("This is the password you have now. Choose a new one."))
    if new_errors:
        form.new.errors = [*form.new.errors, *new_errors]
