"""Form fields every area uses: text areas measured as the browser measures them, and dates.

A browser counts a line break in a text area as one character for ``maxlength`` but sends it
as CRLF, two characters; without normalising, a text the browser accepted could be refused
for being too long. A text area holding nothing visible (white space, or zero-width
characters that come along with text pasted from messengers or word processors) holds no
text: it is read as empty, so a required one is refused and an optional one stays empty.
A text area's limit is said in its description, and its attributes carry the words
forms.js needs for the counter it adds. Dates get our own messages: WTForms' Ukrainian one
for a bad date is misspelt and names no format, and years such as 1 or 9999 overflow the
date arithmetic behind filters and due dates.
"""
from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from wtforms import DateField, TextAreaField
from wtforms.validators import Length, ValidationError

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def one_char_line_breaks(value: str | None) -> str | None:
    """``value`` with CRLF and lone CR as LF: one character per line break, as the browser counted."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# Characters that show nothing yet are neither white space nor of the "format" category
# (Cf: zero-width space and joiners, the byte-order mark, direction marks, soft hyphen):
# the combining grapheme joiner, Hangul and Khmer fillers, the blank Braille pattern.
SHOWS_NOTHING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def shows_nothing(value: str) -> bool:
    """Whether ``value`` would look empty: only white space and characters with no glyph."""
    return all(ch.isspace() or ch in SHOWS_NOTHING or unicodedata.category(ch) == "Cf" for ch in value)


def nothing_visible_as_empty(value: str | None) -> str | None:
    """"" for a text that shows nothing, so that it counts as no text. A text with visible
    characters keeps its invisible ones: a zero-width joiner holds an emoji together."""
    return "" if value and shows_nothing(value) else value


def max_length(validators) -> int | None:
    return next((v.max for v in validators or () if isinstance(v, Length) and v.max != -1), None)


def limit_hint(limit: int) -> str:
    # Called lazily, in the reader's language; a named ngettext() call, so that
    # `pybabel extract` finds the message (it does not know lazy_ngettext).
    return ngettext("Up to %(num)d character.", "Up to %(num)d characters.", limit)


class TextArea(TextAreaField):
    """A text area whose line breaks are one character each, and whose text counts as
    empty when nothing in it is visible, before any validator runs. With a maximum length,
    its description says the limit unless it has one of its own."""

    def __init__(self, label=None, validators=None, filters=(), **kwargs):
        limit = max_length(validators)
        if limit is not None:
            if not kwargs.get("description"):
                kwargs["description"] = LazyString(limit_hint, limit)
            # For the counter forms.js adds; "%(left)s" is its to fill in.
            kwargs["render_kw"] = {"data-chars-left": _l("Characters left: %(left)s"),
                                   **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, filters=(one_char_line_breaks, nothing_visible_as_empty, *filters),
                         **kwargs)


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
