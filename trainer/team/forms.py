"""Forms on the supervisors' pages and the trainee's own judgement of an attempt."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..admin.forms import options
from ..formfields import DateInput, TextArea
from ..web import local_today
from ..passing import MAX_PASS_MARK, MIN_PASS_MARK
from .assignments import MAX_TIME_LIMIT, MIN_TIME_LIMIT, PASS_MARK_RANGE, TIME_LIMIT_RANGE

RATING_CHOICES = {"1": "1", "2": "2", "3": "3", "4": "4", "5": "5"}


def not_before_today(form, field) -> None:
    # A date the assignment already has may stay when it is edited, even once it has passed.
    if field.data is not None and field.data < local_today() and field.data != getattr(form, "kept_due_on", None):
        raise ValidationError(_l("That date has passed; pick today or a later date."))


class AssignmentFields(FlaskForm):
    """What an assignment asks: the mode, due date, time limit, pass mark and note (set again
    when edited)."""

    kept_due_on = None  # the due date an edited assignment has (see ``not_before_today``)

    mode = RadioField(_l("Mode"), validators=[DataRequired()], default="practice", choices=options({
        "practice": _l("Practice: feedback after each choice, retries allowed"),
        "assessment": _l("Assessment: feedback only at the end, one attempt"),
    }))
    due_on = DateInput(_l("Due date"), validators=[Optional(), not_before_today])
    time_limit = IntegerField(
        _l("Time limit per decision, in seconds (assessment only)"), validators=[
            Optional(), NumberRange(MIN_TIME_LIMIT, MAX_TIME_LIMIT, message=TIME_LIMIT_RANGE)],
        description=_l("Optional. Trainees can always extend the limit or switch it off; you will see when they do."))
    pass_mark = IntegerField(
        _l("Pass mark: the overall score in per cent (assessment only)"), validators=[
            Optional(), NumberRange(MIN_PASS_MARK, MAX_PASS_MARK, message=PASS_MARK_RANGE)],
        description=_l("Optional. Without it an assessment passes with a good or mixed outcome; with it, the "
                       "overall score must reach it too."))
    note = TextArea(_l("Note to the trainees"), validators=[
        Optional(), Length(max=1000, message=_l("Keep the note to at most %(max)d characters."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The calendar offers no past day; the validator says why if one is typed anyway.
        self.due_on.render_kw = {**self.due_on.render_kw, "min": local_today().isoformat()}


class AssignForm(AssignmentFields):
    scenario = SelectField(_l("Scenario"), validators=[DataRequired()])
    target = SelectField(_l("Who"), validators=[DataRequired()],
                         description=_l("The whole cohort, or one trainee in it."))


class EditAssignmentForm(AssignmentFields):
    """Change an assignment; the view fills it from the assignment and removes the mode once
    someone has started it."""

    def __init__(self, assignment, *args, **kwargs):
        super().__init__(*args, obj=assignment, **kwargs)
        self.kept_due_on = assignment.due_on
        if assignment.due_on is not None and assignment.due_on < local_today():
            # The calendar must still offer the date the assignment has.
            self.due_on.render_kw = {**self.due_on.render_kw, "min": assignment.due_on.isoformat()}


class ConfirmForm(FlaskForm):
    """A button that confirms an action (cancelling an assignment): the CSRF token only."""


class CommentForm(FlaskForm):
    # A step's index in its attempt; bounded so that a forged number never reaches the
    # database, which fails on a number beyond its column's range.
    step = IntegerField(validators=[InputRequired(), NumberRange(0, 10_000)])
    body = TextArea(_l("Comment"), validators=[
        DataRequired(message=_l("Write the comment first, then press Add comment.")),
        Length(max=4000, message=_l("Keep the comment to at most %(max)d characters."))])


class RatingForm(FlaskForm):
    """One 1-5 rating per competency; the fields are added per scenario by ``rating_form``."""


def rating_form(competencies: list[tuple[str, str]], prefix: str = "rate", optional: bool = False,
                given: dict[str, int] | None = None) -> FlaskForm:
    """A form with a 1-5 radio group for each (id, title) competency.

    ``optional`` lets some groups stay empty (no ``required`` in the page either, which
    would stop the browser from sending a partial rating); ``given`` marks the ratings the
    person gave before, so rating again starts from them.
    """

    class _Form(RatingForm):
        pass

    for comp_id, title in competencies:
        validators = [Optional()] if optional else [DataRequired(message=_l("Rate each competency from 1 to 5."))]
        setattr(_Form, comp_id, RadioField(title, choices=RATING_CHOICES, validators=validators))
    known = {comp_id for comp_id, _title in competencies}
    return _Form(prefix=prefix, data={c: str(v) for c, v in (given or {}).items() if c in known})


class CompareForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form: nothing changes

    cohort = SelectField(_l("Group A"), validators=[Optional()])
    start = DateInput(_l("From"), validators=[Optional()])
    end = DateInput(_l("To"), validators=[Optional()])
    b_cohort = SelectField(_l("Group B"), validators=[Optional()])
    b_start = DateInput(_l("From"), validators=[Optional()])
    b_end = DateInput(_l("To"), validators=[Optional()])

    def validate_end(self, field):
        _in_order(self.start, field)

    def validate_b_end(self, field):
        _in_order(self.b_start, field)

    def validate(self, extra_validators=None) -> bool:
        """Validate, then drop each date that was refused, and both dates of a reversed
        range: the page shows the figures without them next to the message, never
        figures for dates nobody meant."""
        ok = super().validate(extra_validators)
        for start, end in ((self.start, self.end), (self.b_start, self.b_end)):
            if start.data and end.data and end.data < start.data:
                start.data = end.data = None
            for date_field in (start, end):
                if date_field.errors:
                    date_field.data = None
        return ok


def _in_order(start, end) -> None:
    if start.data and end.data and not start.errors and not end.errors and end.data < start.data:
        raise ValidationError(_l("“To” is before “From”; swap them."))
