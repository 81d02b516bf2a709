"""Forms for starting an attempt and answering a step."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SearchField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from ..admin.forms import options
from ..formfields import TextArea
from .catalogue import TEXT_MAX


class StartForm(FlaskForm):
    restart = BooleanField(default=False, widget=HiddenInput())
    # Self-study only: a practice attempt whose feedback waits for the debrief, as an
    # assessment's does (Attempt.feedback_at_end). Off by default, for beginners.
    feedback_at_end = BooleanField(_l("No hints: feedback only at the end"), default=False)


class CatalogueFilterForm(FlaskForm):
    """The catalogue's filters: sent with GET, so a filtered list is a link that can be shared
    and that the back button returns to. The view reads the values (trainer.play.catalogue
    .read_filters) and fills the lists' choices; this form only draws the fields."""

    class Meta:
        csrf = False  # nothing changes

    q = SearchField(_l("Words in the title, summary or about the client"), render_kw={"maxlength": TEXT_MAX})
    competency = SelectField(_l("Competency"), choices=[])
    level = SelectField(_l("Level"), choices=[])
    status = SelectField(_l("Show"), choices=options({
        "": _l("All scenarios"), "unplayed": _l("Not played yet"), "due": _l("Refreshers due")}))


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
