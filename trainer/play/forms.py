"""Forms for starting an attempt and answering a step."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from ..admin.forms import options
from ..formfields import TextArea


class StartForm(FlaskForm):
    restart = BooleanField(default=False, widget=HiddenInput())


class _PlayForm(FlaskForm):
    class Meta:
        # CSRFProtect has already checked the token of every POST before the view runs; a
        # second check in the form, and a token field to build, were 5% of an answer.
        csrf = False


class AnswerForm(_PlayForm):
    # The step this answer belongs to: a resent form for an older step is recognised.
    step = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    choice = RadioField(_l("What do you say or do?"), choices=[],
                        validators=[DataRequired(message=_l("Pick one of the options, then press Answer."))])


class TimeForm(FlaskForm):
    action = RadioField(choices=options({"extend": _l("More time"), "off": _l("Switch the time limit off")}),
                        validators=[DataRequired()])


class WrittenAnswerForm(_PlayForm):
    """A free-text node: the trainee writes what they would say."""

    step = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    # The page labels the field with the node's own prompt (templates/play/play.html).
    text = TextArea(_l("Your answer"), validators=[
        DataRequired(message=_l("Write your answer first, then press Answer.")),
        Length(max=2000, message=_l("Keep the answer to at most %(max)d characters."))],
        render_kw={"rows": 5, "maxlength": 2000, "spellcheck": "true"})
