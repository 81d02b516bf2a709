"""Who may see what: login everywhere but the login page and static files, roles per view."""
from __future__ import annotations

from functools import wraps

from flask import abort, flash, g, request
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select

from ..extensions import db, login_manager
from ..models import User

PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.visitor_language", "static", "healthz"})


# Built once: every request loads its user, and session.get() builds this SELECT anew each time.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.execute(_USER_BY_ID, {"user_id": int(user_id)}).scalar_one_or_none()
    if user is not None and user.blocked_at is not None:
        # Blocked while logged in: the session ends at this request (see require_login).
        g.blocked_session = True
        return None
    return user


def blocked_message() -> str:
    return _("This account is blocked. To use it again, contact your centre's administrator.")


def require_login():
    """Send anonymous visitors to the login page, except for public endpoints."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        _end_blocked_session()
        return login_manager.unauthorized()
    return None


def _end_blocked_session() -> None:
    if g.pop("blocked_session", False):
        logout_user()
        flash(blocked_message(), "error")


def roles_required(*roles: str):
    """Allow the view only to users with one of ``roles`` (403 otherwise)."""
    def decorator(view):
        view.allowed_roles = frozenset(roles)

        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


ANY_ROLE = ("trainee", "supervisor", "admin")
