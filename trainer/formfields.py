"""Form fields every area uses: text areas measured as the browser measures them, and dates.

A browser counts a line break in a text area as one character for ``maxlength`` but sends it
as CRLF, two characters; without normalising, a text the browser accepted could be refused
for being too long. Dates get our own messages: WTForms' Ukrainian one for a bad date is
misspelt and names no format, and years such as 1 or 9999 overflow the date arithmetic
behind filters and due dates.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, TextAreaField
from wtforms.validators import ValidationError

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def one_char_line_breaks(value: str | None) -> str | None:
    """``value`` with CRLF and lone CR as LF: one character per line break, as the browser counted."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class TextArea(TextAreaField):
    """A text area whose line breaks are one character each before any validator runs."""

    def __init__(self, label=None, validators=None, filters=(), **kwargs):
        super().__init__(label, validators, filters=(one_char_line_breaks, *filters), **kwargs)


class DateInput(DateField):
    """A date picked in the browser's calendar, between ``EARLIEST`` and ``LATEST``."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("Not a valid date; pick one in the calendar (yyyy-mm-dd)."))
        render_kw = {"min": EARLIEST.isoformat(), "max": LATEST.isoformat(), **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, [*(validators or ()), in_range], render_kw=render_kw, **kwargs)


def in_range(_form, field) -> None:
    # After the field's own validators: a date one of them refused needs no second message.
    if field.data is not None and not field.errors and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Enter a date between %(first)s and %(last)s.", first=EARLIEST.year, last=LATEST.year))
