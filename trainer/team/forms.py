"""Forms on the supervisors' pages and the trainee's own judgement of an attempt."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..admin.forms import options

RATING_CHOICES = {"1": "1", "2": "2", "3": "3", "4": "4", "5": "5"}


class AssignForm(FlaskForm):
    scenario = SelectField(_l("Scenario"), validators=[DataRequired()])
    target = SelectField(_l("Who"), validators=[DataRequired()],
                         description=_l("The whole cohort, or one trainee in it."))
    mode = RadioField(_l("Mode"), validators=[DataRequired()], default="practice", choices=options({
        "practice": _l("Practice: feedback after each choice, retries allowed"),
        "assessment": _l("Assessment: feedback only at the end, one attempt"),
    }))
    due_on = DateField(_l("Due date"), validators=[Optional()])
    time_limit = IntegerField(
        _l("Time limit per decision, in seconds (assessment only)"), validators=[Optional(), NumberRange(20, 3600)],
        description=_l("Optional. Trainees can always extend the limit or switch it off; you will see when they do."))
    note = TextAreaField(_l("Note to the trainees"), validators=[Optional(), Length(max=1000)])


class CommentForm(FlaskForm):
    step = IntegerField(validators=[InputRequired()])
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=4000)])


class RatingForm(FlaskForm):
    """One 1-5 rating per competency; the fields are added per scenario by ``rating_form``."""


def rating_form(competencies: list[tuple[str, str]], prefix: str = "rate", optional: bool = False) -> FlaskForm:
    """A form with a 1-5 radio group for each (id, title) competency."""

    class _Form(RatingForm):
        pass

    for comp_id, title in competencies:
        validators = [Optional()] if optional else [DataRequired(message=_l("Rate each competency from 1 to 5."))]
        setattr(_Form, comp_id, RadioField(title, choices=RATING_CHOICES, validators=validators))
    return _Form(prefix=prefix)


class CompareForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form: nothing changes

    cohort = SelectField(_l("Group A"), validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    b_cohort = SelectField(_l("Group B"), validators=[Optional()])
    b_start = DateField(_l("From"), validators=[Optional()])
    b_end = DateField(_l("To"), validators=[Optional()])
