"""Error pages in the site's layout and the reader's language, with a way back.

Every handler first rolls back the database session: after a failed write the session
refuses all queries until then, and the page's header reads the person's name and role
from the database. A 500 page that cannot be rendered even so (the database is down)
falls back to a fixed page in both languages rather than to the server's bare one.

A form whose CSRF token fails because the session has ended (the cookie went with the
browser session, so the token has nothing to match) is not a bad request of its sender's
making: someone who is not logged in gets the login page and the words that their form
was not saved, as for a form sent after logging out (auth/access.py). A logged-in person
whose token fails gets the 400 page: their session is there, so the form is stale.
"""
from __future__ import annotations

from typing import NoReturn

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, default_exceptions

from .extensions import db
from .uploads import MAX_CSV_BYTES, in_megabytes

PAGES = {
    400: (_l("The request could not be understood"), _l("The form may be out of date. Go back, reload the page and try again.")),
    403: (_l("This page is not for your role"), _l("Ask an administrator if you think you should see it.")),
    404: (_l("Page not found"), _l("The address may be mistyped, or the page is not available to you.")),
    405: (_l("This address is not opened this way"),
          _l("It belongs to a button or form on the site, not to a link or bookmark. Go back and use the button on the page.")),
    409: (_l("This no longer fits what the page showed"),
          _l("What you sent does not fit the current state (for example, a survey of an attempt that is not "
             "finished, or something someone else has just changed). Go back, reload the page and try again.")),
    410: (_l("This version is no longer available"), _l("The scenario file this attempt was played on has gone; start the scenario again.")),
    413: (_l("Too large to send"),
          _l("The file or text is larger than the %(size)s MB the site accepts. Split the file into smaller ones or "
             "shorten the text, then send it again.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Try again in a minute; if it keeps happening, tell an administrator. If you were writing "
             "something, check whether it was saved.")),
}

# A 413 on the users import: the file was far over the import's own limit, which the import
# page names for files nearer to it; say the same limit here.
IMPORT_TOO_LARGE = _l("The file is larger than %(size)s MB; split it into smaller files and import each one.")

# The 500 page when even the layout fails: no database, no template, no translation.
BARE_500 = """<!doctype html>
<html lang="uk"><head><meta charset="utf-8"><title>Помилка · Error</title></head>
<body><main>
<h1>Щось пішло не так з нашого боку</h1>
<p>Спробуйте ще раз за хвилину; якщо це повторюється, повідомте адміністратора.
Якщо ви щось писали, перевірте, чи це збереглося.</p>
<h1 lang="en">Something went wrong on our side</h1>
<p lang="en">Try again in a minute; if it keeps happening, tell an administrator.
If you were writing something, check whether it was saved.</p>
<p><a href="{home}">Головна сторінка · Home page</a></p>
</main></body></html>
"""


def refuse(code: int, message) -> NoReturn:
    """Abort with ``code``'s error page, saying ``message`` (what to change) instead of the general text."""
    error = default_exceptions[code]()
    error.page_message = message
    raise error


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the page must still be shown; the log keeps the cause)
        current_app.logger.exception("Rolling back the session before an error page failed")


def _message(error: HTTPException, default) -> str:
    told = getattr(error, "page_message", None)
    if told is not None:
        return told
    if error.code == 413:
        if request.endpoint == "admin.import_users":
            return str(IMPORT_TOO_LARGE) % {"size": in_megabytes(MAX_CSV_BYTES)}
        return str(default) % {"size": in_megabytes(current_app.config["MAX_CONTENT_LENGTH"])}
    return default


def register_error_pages(app: Flask) -> None:
    def handle(error: HTTPException):
        _rollback()
        title, message = PAGES.get(error.code, (error.name, error.description))
        page = render_template("errors/error.html", title=title, message=_message(error, message))
        # A 405 names the methods that do work (HTTP requires it; Werkzeug's page had it).
        allowed = getattr(error, "valid_methods", None)
        return page, error.code, {"Allow": ", ".join(allowed)} if allowed else {}

    def handle_server_error(error: HTTPException):
        try:
            return handle(error)
        except Exception:  # noqa: BLE001  (anything but the server's bare page; the log keeps the cause)
            current_app.logger.exception("The error page itself failed; sent the fixed one")
            page = BARE_500.replace("{home}", escape(request.script_root + "/"))
            return page, 500, {"Content-Type": "text/html; charset=utf-8"}

    def handle_csrf_error(error: CSRFError):
        from .auth.access import PUBLIC_ENDPOINTS, send_to_login
        if request.endpoint not in (None, *PUBLIC_ENDPOINTS) and not current_user.is_authenticated:
            return send_to_login()
        return handle(error)

    app.register_error_handler(CSRFError, handle_csrf_error)
    for code in PAGES:
        if code in (429,):
            continue  # the login view renders its own page with the time to wait
        app.register_error_handler(code, handle_server_error if code == 500 else handle)
