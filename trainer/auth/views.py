"""Log in, log out and pick the interface language."""
from __future__ import annotations

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from ..app import select_locale
from ..extensions import db
from ..models import utcnow
from .access import ANY_ROLE, blocked_message, roles_required
from .forms import LanguageForm, LoginForm
from .throttle import Policy, authenticate

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect a freshly logged-in user to another site.
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
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
            flash(_("Wrong user name or password. Check both and try again."), "error")
        else:
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _policy() -> Policy:
    config = current_app.config
    return Policy(user_limit=int(config["TRAINER_LOGIN_USER_LIMIT"]),
                  address_limit=int(config["TRAINER_LOGIN_ADDRESS_LIMIT"]),
                  window=timedelta(minutes=float(config["TRAINER_LOGIN_WINDOW_MINUTES"])))


def _blocked(form: LoginForm):
    """403 with the login form: the password was right, but the account is blocked."""
    flash(blocked_message(), "error")
    return render_template("auth/login.html", form=form), 403


def _refused(form: LoginForm, retry_after: timedelta):
    """429 with the login form and when to try again; the password was not checked."""
    seconds = max(1, math.ceil(retry_after.total_seconds()))
    minutes = math.ceil(seconds / 60)
    flash(ngettext("Too many unsuccessful attempts to log in. Try again in %(num)d minute.",
                   "Too many unsuccessful attempts to log in. Try again in %(num)d minutes.", minutes), "error")
    response = make_response(render_template("auth/login.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
@roles_required(*ANY_ROLE)
def logout():
    """Log out."""
    logout_user()
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
    session["locale"] = form.locale.data
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account/language", methods=["GET", "POST"])
@roles_required(*ANY_ROLE)
def language():
    """Choose the interface and scenario language."""
    form = LanguageForm(locale=current_user.locale or session.get("locale") or "uk")
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        # In the language just chosen: the next page, where the message shows, speaks it.
        with force_locale(form.locale.data):
            flash(_("Language saved."), "info")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/language.html", form=form)
