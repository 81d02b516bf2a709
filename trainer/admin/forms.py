"""Forms for managing accounts and cohorts."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SearchField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from ..auth.forms import LANGUAGE_NAMES, LOCALE_CHOICES, USERNAME_INPUT
from ..formfields import TextArea
from ..team.people import COHORT_NAME_MAX, DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX

ROLE_CHOICES = {"trainee": _l("Trainee"), "supervisor": _l("Supervisor"), "admin": _l("Administrator")}


def options(mapping: dict) -> list[SelectChoice]:
    """Choices with translatable labels (WTForms' dict shorthand only takes plain strings)."""
    return [SelectChoice(str(value), label) for value, label in mapping.items()]


def locale_options(default: str) -> list[SelectChoice]:
    """The account language choices; the first, no language of its own, says which language
    that means (TRAINER_DEFAULT_LOCALE), so the admin need not guess what "default" is."""
    server = _l("Server default (%(language)s)", language=LANGUAGE_NAMES.get(default, default))
    return [SelectChoice("", server), *options(LOCALE_CHOICES)]


def readable_password(_form, field) -> None:
    """A password someone can be told: not only spaces, and no space at either end.

    Spaces nobody sees when a password is read out or printed; an account whose password
    was eight spaces could never log in, since the login form takes that for no password."""
    value = field.data or ""
    if not value.strip():
        raise StopValidation(_l("A password cannot be only spaces."))
    if value != value.strip():
        raise StopValidation(_l("A password cannot begin or end with a space: nobody sees it when the password "
                                "is read out or written down."))


# The password is typed into a visible text field: the admin makes it up to pass it on, and
# a typo they cannot see would lock the person out. Nothing for a browser to save or fill.
PASSWORD_INPUT = {"autocomplete": "off", "autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
# strip_whitespace=False: Optional would otherwise wave a password of spaces through
# unchecked, and the view would set it.
PASSWORD_CHECKS = [Optional(strip_whitespace=False), readable_password, Length(min=PASSWORD_MIN, max=PASSWORD_MAX)]


class AccountForm(FlaskForm):
    """What the create and edit forms share; the language choices name the server's."""

    display_name = StringField(_l("Full name"), validators=[Optional(), Length(max=DISPLAY_NAME_MAX)])
    role = SelectField(_l("Role"), choices=options(ROLE_CHOICES), validators=[DataRequired()])
    locale = SelectField(_l("Language of the interface and scenarios"), validators=[Optional()], default="",
                         description=_l("The person can change it after logging in, under “Language”."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = locale_options(current_app.config["BABEL_DEFAULT_LOCALE"])


class UserForm(AccountForm):
    """A new account."""

    username = StringField(_l("User name"), validators=[DataRequired(), Length(min=3, max=USERNAME_MAX)],
                           description=_l("Lower-case Latin letters, digits, dots, hyphens or underscores."),
                           render_kw=USERNAME_INPUT)
    password = StringField(_l("Password"), validators=PASSWORD_CHECKS,
                           description=_l("At least 8 characters, shown as you type. Leave empty to generate one; "
                                          "it is shown once, after saving. The person replaces it with a password "
                                          "of their own when they first log in."),
                           render_kw=PASSWORD_INPUT)


class EditUserForm(AccountForm):
    """An existing account: the user name is shown, not edited (it cannot change)."""

    password = StringField(_l("New password"), validators=PASSWORD_CHECKS,
                           description=_l("At least 8 characters, shown as you type. Leave empty to keep the "
                                          "current password. A new one ends the person's open sessions, and they "
                                          "replace it with a password of their own when they next log in."),
                           render_kw=PASSWORD_INPUT)


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=COHORT_NAME_MAX)])
    description = TextArea(_l("Description"), validators=[Optional(), Length(max=2000)])


class MemberForm(FlaskForm):
    user = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    role = SelectField(_l("Role in the cohort"), choices=options({"trainee": _l("Trainee"), "supervisor": _l("Supervisor")}),
                       validators=[DataRequired()])


class AddMembersForm(FlaskForm):
    """Several people into a cohort at once; the view lists the people who are not in it."""

    people = SelectMultipleField(_l("People not in the cohort"), coerce=int,
                                 validators=[DataRequired(_l("Tick at least one person."))])
    role = SelectField(_l("Role in the cohort"), choices=options({"trainee": _l("Trainee"), "supervisor": _l("Supervisor")}),
                       validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes something (remove a member, block an account): only the CSRF token."""


ACCOUNT_STATES = {"": _l("Everyone"), "active": _l("Active accounts"),
                  # After an import: who has not yet logged in and chosen their own password.
                  "temporary": _l("Still using a given password"), "blocked": _l("Blocked accounts")}


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form: nothing changes

    status = SelectField(_l("Show"), choices=options(ACCOUNT_STATES), validators=[Optional()])
    q = SearchField(_l("Name contains"), validators=[Optional(), Length(max=USERNAME_MAX)],
                    render_kw={"maxlength": USERNAME_MAX})


class ImportForm(FlaskForm):
    file = FileField(_l("Users file (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))],
                     render_kw={"accept": ".csv,.txt,text/csv,text/plain"})
    check = SubmitField(_l("Check the file"))
    run = SubmitField(_l("Import"))
