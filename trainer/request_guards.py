"""Requests refused before any view runs: ids no column holds, NUL bytes, undecodable queries.

Each of these reached the database or the request parser and ended in a 500 (fuzz review,
findings 4, 5 and 10):

- an id in a URL beyond what an id column holds (PostgreSQL's ``integer`` stops at 2^31 - 1,
  SQLite's at 2^63 - 1) made the driver raise instead of finding nothing;
- PostgreSQL refuses text containing NUL (0x00), and SQLite stored it and carried it into
  the CSV exports;
- a query string that is not UTF-8 made every read of ``request.args`` raise.

So every ``<int:...>`` route matches only ids up to ``MAX_ID`` (a larger one is a 404, as an
id that does not exist is), and a request with NUL in its path, query or form, or a query
that is not UTF-8, gets a 400 page that says what to change.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from .errors import refuse

# The largest value of PostgreSQL's `integer`, the type of every id column; SQLite holds more,
# but the same URL must mean the same on both.
MAX_ID = 2**31 - 1

NUL_MESSAGE = _l("What you sent contains a null character (NUL), which comes with text pasted from another "
                 "program or a damaged file, or with a damaged link. Type the text again, or open the page "
                 "from the site's menus, and try once more.")
NOT_UTF8_MESSAGE = _l("The address contains characters that are not valid text (not UTF-8). Open the page "
                      "from the site's menus or links instead of typing or pasting this address.")


def as_id(value: str) -> int | None:
    """``value`` as an id, when it is one: at most as many ASCII digits as ``MAX_ID`` has,
    and no larger (for ids that come in a query or a form rather than in the path).

    ASCII only: ``str.isdigit()`` is also true of '²', which ``int()`` refuses, and of '١',
    which it reads as 1. The length is checked first: ``int()`` of thousands of digits is
    slow, then refused."""
    if value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID)) and int(value) <= MAX_ID:
        return int(value)
    return None


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: ASCII digits up to ``MAX_ID``.

    Werkzeug's own reads any Unicode digit (``\\d``; ``int("١")`` is 1) and has no upper bound.
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def refuse_unreadable_input() -> None:
    """400 for a query string that is not UTF-8, or NUL anywhere in the path, query or form."""
    try:
        args = request.args
    except UnicodeDecodeError:
        refuse(400, NOT_UTF8_MESSAGE)
    if "\x00" in request.path:
        refuse(400, NUL_MESSAGE)
    # The form is parsed here rather than later by the CSRF check or the view: the same parse,
    # only earlier (a body over the size limit is refused here with the 413 page).
    for values in (args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                refuse(400, NUL_MESSAGE)
    for upload in request.files.values():
        if "\x00" in (upload.filename or ""):
            refuse(400, NUL_MESSAGE)


def init_app(app: Flask) -> None:
    """Register the id converter and the input check; call before any blueprint and before
    anything else that reads the request (CSRF, login), so this check runs first."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unreadable_input)
