"""Shared form fields: text areas count line breaks as the browser does; dates have our messages."""
from __future__ import annotations

import importlib
import inspect
from datetime import date

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

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


# -- nothing visible is no text (robustness review, finding 10) ------------------------------

INVISIBLE = ["\u200b\u200b", "\ufeff", "\u200b \u200c\n\u200d\u2060", "\u00ad\u200e\u200f", "\u3164", " \u00a0\u2800 "]


def _text_forms():
    class Required(FlaskForm):
        class Meta:
            csrf = False
        body = TextArea(validators=[DataRequired(message="write something"), Length(max=50)])

    class Optional_(FlaskForm):
        class Meta:
            csrf = False
        body = TextArea(validators=[Optional(), Length(max=50)])
    return Required, Optional_


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_text_area_of_invisible_characters_holds_no_text(app, text):
    required, optional = _text_forms()
    with app.test_request_context():
        form = required(MultiDict({"body": text}))
        assert not form.validate() and form.body.errors == ["write something"]
        form = optional(MultiDict({"body": text}))
        assert form.validate() and form.body.data == ""


@pytest.mark.parametrize("text", ["a\u200b", "👩\u200d👩\u200d👧", "\u200bТак\u200b", "Ні\u00ad"])
def test_visible_text_keeps_its_invisible_characters(app, text):
    required, _optional = _text_forms()
    with app.test_request_context():
        form = required(MultiDict({"body": text}))
        assert form.validate() and form.body.data == text


def test_a_written_answer_of_zero_width_spaces_is_refused(app):
    """The review's case: "\\u200b\\u200b" was recorded and scored as an answer."""
    from trainer.play.forms import WrittenAnswerForm
    with app.test_request_context(headers={"Accept-Language": "uk"}):
        form = WrittenAnswerForm(MultiDict({"step": "0", "text": "\u200b\u200b"}), meta={"csrf": False})
        assert not form.validate() and form.text.errors


# -- the limit is said (robustness review, finding 9) -------------------------------------

def test_a_text_area_with_a_limit_says_it_and_carries_the_counters_words(app):
    from flask_babel import force_locale

    class Form(FlaskForm):
        class Meta:
            csrf = False
        body = TextArea(validators=[Length(max=2000)], render_kw={"rows": 3})
        own = TextArea(validators=[Length(max=21)], description="Keep it short.")
        free = TextArea()

    with app.test_request_context():
        form = Form()
        with force_locale("uk"):
            assert str(form.body.description) == "До 2000 символів."
            assert 'data-chars-left="Залишилося символів: %(left)s"' in form.body()
            assert 'maxlength="2000"' in form.body() and 'rows="3"' in form.body()
        with force_locale("en"):
            assert str(form.body.description) == "Up to 2000 characters."
        assert form.own.description == "Keep it short."  # a field's own description stays
        assert str(form.free.description) == "" and "data-chars-left" not in form.free()


def test_the_written_answer_and_the_survey_comment_say_their_limits(app):
    from trainer.admin.forms import CohortForm
    from trainer.feedback.forms import SurveyForm
    from trainer.play.forms import WrittenAnswerForm
    with app.test_request_context():
        for field, limit in ((WrittenAnswerForm(meta={"csrf": False}).text, 2000),
                             (SurveyForm(meta={"csrf": False}).comment, 2000),
                             (CohortForm(meta={"csrf": False}).description, 2000)):
            assert str(field.description) == f"До {limit} символів."
            assert f'maxlength="{limit}"' in field() and "data-chars-left" in field()
