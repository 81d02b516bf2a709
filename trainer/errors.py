"""Error pages in the site's layout and the reader's language, with a way back."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

PAGES = {
    400: (_l("The request could not be understood"), _l("The form may be out of date. Go back, reload the page and try again.")),
    403: (_l("This page is not for your role"), _l("Ask an administrator if you think you should see it.")),
    404: (_l("Page not found"), _l("The address may be mistyped, or the page is not available to you.")),
    410: (_l("This version is no longer available"), _l("The scenario file this attempt was played on has gone; start the scenario again.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"), _l("Nothing you entered was lost. Try again in a minute; if it keeps happening, tell an administrator.")),
}


def register_error_pages(app: Flask) -> None:
    def handle(error: HTTPException):
        title, message = PAGES.get(error.code, (error.name, error.description))
        return render_template("errors/error.html", title=title, message=message), error.code

    for code in PAGES:
        if code in (429,):
            continue  # the login view renders its own page with the time to wait
        app.register_error_handler(code, handle)
