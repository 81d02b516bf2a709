"""Who may see what: login everywhere but the login page and static files, roles per view.

A form sent after the session has ended (logged out in another tab, the cookie gone with
the browser session) cannot be saved. Its sender is told so, in words, and after logging
in comes back to the page the form was on, not to the form's address: that one only takes
POST, and a GET of it would answer 405.
"""
from __future__ import annotations

import hmac
import time
from functools import wraps
from urllib.parse import urlsplit, urlunsplit

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select
from werkzeug.exceptions import HTTPException

from ..extensions import db, login_manager
from ..models import User
from .passwords import session_fingerprint

PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.visitor_language", "static", "healthz"})
# What someone with a temporary password may open before choosing their own.
TEMPORARY_PASSWORD_ENDPOINTS = frozenset({"auth.password", "auth.logout", "auth.language"})


# Built once: every request loads its user, and session.get() builds this SELECT anew each time.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # "<id>:<fingerprint>" (User.get_id). A session without the fingerprint, or with one of a
    # password since changed, belongs to no one any more.
    user_id, _sep, fingerprint = session_id.partition(":")
    if not user_id.isdigit() or not fingerprint:
        return None
    user = db.session.execute(_USER_BY_ID, {"user_id": int(user_id)}).scalar_one_or_none()
    if user is None:
        return None
    if user.blocked_at is not None:
        # Blocked while logged in: the session ends at this request (see require_login).
        g.ended_session = "blocked"
        return None
    if not hmac.compare_digest(fingerprint, session_fingerprint(current_app.secret_key, user.password_hash)):
        # The password changed (here, on another device, or by an administrator) after this
        # session logged in: it ends at this request too.
        g.ended_session = "password"
        return None
    return user


def blocked_message() -> str:
    return _("This account is blocked. To use it again, contact your centre's administrator.")


def require_login():
    """Send anonymous visitors to the login page, except for public endpoints, and someone
    whose password an administrator set to the page where they choose their own."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return send_to_login()
    if _idle_too_long():
        g.ended_session = "idle"
        return send_to_login()
    if current_user.password_temporary and request.endpoint not in TEMPORARY_PASSWORD_ENDPOINTS:
        return send_to_password_page()
    return None


# The session key of when this login last made a request, in whole minutes since the epoch
# (the signed cookie holds it, so every app server sees the same; nothing is kept here).
SEEN = "seen"


def minutes_now() -> int:
    return int(time.time() // 60)


def mark_seen() -> None:
    """Note a request of this login; the cookie is rewritten at most once a minute for it."""
    now = minutes_now()
    if session.get(SEEN) != now:
        session[SEEN] = now


def _idle_too_long() -> bool:
    """Whether this login has gone ``TRAINER_SESSION_IDLE_MINUTES`` without a request (a
    front-desk computer left with someone's login open); otherwise note this request."""
    limit = current_app.config["TRAINER_SESSION_IDLE_MINUTES"]
    if not limit:
        return False
    seen = session.get(SEEN)
    if isinstance(seen, int) and minutes_now() - seen >= limit:
        return True
    mark_seen()
    return False


def send_to_password_page():
    """The page for choosing one's own password, coming back afterwards to the page asked for
    (after a form, to the page the form was on: nothing was sent before the password page
    came, so nothing is lost)."""
    if request.method in ("GET", "HEAD"):
        target = _own_address()
        back = target if page_endpoint(target) is not None else None
    else:
        back = form_page()
    return redirect(url_for("auth.password", next=back))


def send_to_login():
    """The login page for someone not logged in (any more). After a GET it comes back to
    that page; after a form was sent, it says the form was not saved and comes back to the
    page the form was on (also what the CSRF error handler answers an anonymous sender)."""
    # Blocked: nothing to come back to. A changed password: like any ended session, after a
    # form it also says the form was not saved and where to find it again.
    if _log_out_ended_session() == "blocked" or request.method in ("GET", "HEAD"):
        return login_manager.unauthorized()
    if request.endpoint == "auth.logout":
        # Logged out in another tab, then here: nothing was lost.
        flash(_("You have logged out."), "info")
        return redirect(url_for("auth.login"))
    flash(_("Your session has ended, and what you just sent was not saved. If you had written something, first go "
            "back in the browser and copy it; then log in again and send it once more."), "error")
    return redirect(url_for("auth.login", next=form_page()))


def _log_out_ended_session() -> str | None:
    """Log out a session that ended at this request, saying why; the reason ("blocked" or
    "password") or None. Said here, not in the user loader: the message's language is chosen
    by asking who is logged in, which the loader is still finding out."""
    why = g.pop("ended_session", None)
    if why is None:
        return None
    logout_user()
    session.pop(SEEN, None)
    if why == "blocked":
        flash(blocked_message(), "error")
    elif why == "idle":
        flash(_("You were logged out because this login had not been used for a long time, so that nobody else "
                "could go on in your name at this computer. Log in again: an unfinished scenario waits where you "
                "left it."), "info")
    else:
        flash(_("Your password has been changed since you logged in here, so you have been logged out. "
                "Log in with the new password."), "error")
    return why


def page_endpoint(target: str | None) -> str | None:
    """The endpoint a GET of ``target`` opens, when it is a path on this site (with its
    query); None for another site, an address only a form's POST takes, or no page."""
    # A backslash or a control character counts as a slash or nothing to a browser
    # ("/\\evil.example"), so such a path is nobody's page here.
    if not target or not target.startswith("/") or target.startswith("//") or not target.isprintable() \
            or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    path, root = parts.path, request.script_root
    if root:
        if path != root and not path.startswith(root + "/"):
            return None
        path = path[len(root):] or "/"
    try:
        endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(path, method="GET")
    except HTTPException:  # not found, POST only, or a redirect to another spelling
        return None
    return endpoint


def _own_address() -> str:
    """This request's path and query, as a link back to it would give them."""
    return request.script_root + request.full_path.rstrip("?")


def form_page() -> str:
    """Where to come back to after a form sent without a session: the page it was sent
    from when the browser names it (same site, opened by GET), else the nearest GET page
    above the form's address (/attempts/32/answer → /attempts/32), else the home page."""
    referrer = urlsplit(request.referrer or "")
    if f"{referrer.scheme}://{referrer.netloc}/" == request.host_url:
        target = urlunsplit(("", "", referrer.path, referrer.query, ""))
        if page_endpoint(target) not in (None, "auth.login"):
            return target
    # The form's own address first: some forms post to the page that shows them.
    candidates = [_own_address()]
    path = request.path
    while path.count("/") > 1:
        path = path.rsplit("/", 1)[0]
        candidates.append(request.script_root + path)
    for target in candidates:
        if page_endpoint(target) not in (None, "auth.login"):
            return target
    return url_for("study.home")


def roles_required(*roles: str):
    """Allow the view only to users with one of ``roles`` (403 otherwise)."""
    def decorator(view):
        view.allowed_roles = frozenset(roles)

        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return send_to_login()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


ANY_ROLE = ("trainee", "supervisor", "admin")
