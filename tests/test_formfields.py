"""Shared form fields: text areas count line breaks as the browser does; dates have our messages."""
from __future__ import annotations

import importlib
import inspect
from datetime import date

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from trainer.formfields import DateInput, TextArea, one_char_line_breaks

FORMS_MODULES = ("trainer.admin.forms", "trainer.auth.forms", "trainer.feedback.forms", "trainer.play.forms",
                 "trainer.team.forms")


def test_line_breaks_become_one_character():
    assert one_char_line_breaks("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert one_char_line_breaks("") == "" and one_char_line_breaks(None) is None


@pytest.mark.parametrize("module_name", FORMS_MODULES)
def test_every_text_area_counts_line_breaks_as_the_browser_does(module_name):
    """A plain TextAreaField would measure CRLF as two characters and refuse a text the
    browser's maxlength allowed."""
    module = importlib.import_module(module_name)
    plain = [f"{name}.{attr}" for name, form in inspect.getmembers(module, inspect.isclass)
             if issubclass(form, FlaskForm) and form.__module__ == module_name
             for attr, unbound in vars(form).items()
             if getattr(unbound, "field_class", None) is not None
             and issubclass(unbound.field_class, TextAreaField) and not issubclass(unbound.field_class, TextArea)]
    assert plain == [], "use trainer.formfields.TextArea"


def test_a_text_area_validates_the_text_as_typed(app):
    class Form(FlaskForm):
        class Meta:
            csrf = False
        body = TextArea(validators=[Length(max=5)])

    with app.test_request_context():
        form = Form(MultiDict({"body": "ab\r\ncd"}))
        assert form.validate() and form.body.data == "ab\ncd"


@pytest.mark.parametrize("raw, data, error", [
    ("2000-01-01", date(2000, 1, 1), None),
    ("2100-12-31", date(2100, 12, 31), None),
    ("1999-12-31", None, "Вкажіть дату між 2000 і 2100 роками."),
    ("0001-01-01", None, "Вкажіть дату між 2000 і 2100 роками."),
    ("31.12.2025", None, "Недійсна дата; виберіть дату в календарі (рррр-мм-дд)."),
    ("", None, None),
])
def test_a_date_is_one_from_the_calendar_between_2000_and_2100(app, raw, data, error):
    class Form(FlaskForm):
        class Meta:
            csrf = False
        day = DateInput(validators=[Optional()])

    with app.test_request_context(headers={"Accept-Language": "uk"}):
        form = Form(MultiDict({"day": raw}))
        form.validate()
        assert form.day.errors == ([error] if error else [])
        if not error:
            assert form.day.data == data
        assert 'min="2000-01-01"' in form.day() and 'max="2100-12-31"' in form.day()
