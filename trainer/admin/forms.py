"""Forms for managing accounts and cohorts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..auth.forms import USERNAME_INPUT
from ..formfields import TextArea
from ..team.people import COHORT_NAME_MAX, DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX

ROLE_CHOICES = {"trainee": _l("Trainee"), "supervisor": _l("Supervisor"), "admin": _l("Administrator")}
LOCALE_CHOICES = {"": _l("Default"), "uk": "Українська", "en": "English"}


def options(mapping: dict) -> list[SelectChoice]:
    """Choices with translatable labels (WTForms' dict shorthand only takes plain strings)."""
    return [SelectChoice(str(value), label) for value, label in mapping.items()]


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(min=3, max=USERNAME_MAX)],
                           description=_l("Lower-case Latin letters, digits, dots, hyphens or underscores."),
                           render_kw=USERNAME_INPUT)
    display_name = StringField(_l("Full name"), validators=[Optional(), Length(max=DISPLAY_NAME_MAX)])
    role = SelectField(_l("Role"), choices=options(ROLE_CHOICES), validators=[DataRequired()])
    locale = SelectField(_l("Interface language"), choices=options(LOCALE_CHOICES), validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)],
                             description=_l("At least 8 characters. Leave empty to generate one (new users) "
                                            "or keep the current one (existing users)."),
                             render_kw={"autocomplete": "new-password"})


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=COHORT_NAME_MAX)])
    description = TextArea(_l("Description"), validators=[Optional(), Length(max=2000)])


class MemberForm(FlaskForm):
    user = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    role = SelectField(_l("Role in the cohort"), choices=options({"trainee": _l("Trainee"), "supervisor": _l("Supervisor")}),
                       validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes something (remove a member, block an account): only the CSRF token."""


ACCOUNT_STATES = {"": _l("Everyone"), "active": _l("Active accounts"), "blocked": _l("Blocked accounts")}


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form: nothing changes

    status = SelectField(_l("Show"), choices=options(ACCOUNT_STATES), validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField(_l("Users file (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))],
                     render_kw={"accept": ".csv,.txt,text/csv,text/plain"})
    check = SubmitField(_l("Check the file"))
    run = SubmitField(_l("Import"))
