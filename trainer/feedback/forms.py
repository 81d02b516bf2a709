"""The post-scenario survey and the author's reply, as WTForms forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..formfields import TextArea
from .service import COMMENT_MAX, FACES, REPLY_MAX

# Shown as faces (templates/feedback/_macros.html); the words are what a screen reader
# announces for each face.
USEFULNESS_LABELS = (_l("Not useful at all"), _l("Of little use"), _l("Somewhat useful"), _l("Useful"),
                     _l("Very useful"))
REALISM_LABELS = (_l("Not true to life at all"), _l("Hardly true to life"), _l("Partly true to life"),
                  _l("Mostly true to life"), _l("Completely true to life"))


def _face_field(label, labels) -> RadioField:
    choices = [SelectChoice(str(value), text) for value, text in zip(FACES, labels)]
    # Both questions are optional: no "Not a valid choice" when one is left unanswered.
    return RadioField(label, choices=choices, coerce=int, validate_choice=False,
                      validators=[Optional(), AnyOf(FACES, message=_l("Pick one of the five faces."))])


class SurveyForm(FlaskForm):
    usefulness = _face_field(_l("How useful was this scenario for your work?"), USEFULNESS_LABELS)
    realism = _face_field(_l("How true to life was the client?"), REALISM_LABELS)
    comment = TextArea(_l("Comment (optional)"), validators=[
        Optional(), Length(max=COMMENT_MAX, message=_l("Keep the comment to at most %(max)d characters."))])
    anonymous = BooleanField(_l("Send anonymously"))


class ReplyForm(FlaskForm):
    body = TextArea(_l("Your reply"), validators=[
        DataRequired(message=_l("Write a reply first.")),
        Length(max=REPLY_MAX, message=_l("Keep the reply to at most %(max)d characters."))])


class AddressedForm(FlaskForm):
    """Only the CSRF token: marking addressed is a POST with nothing else to say."""
