"""Forms for logging in, choosing the language and choosing one's own password."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .passwords import MAX_LENGTH, MIN_LENGTH, Problem

# User names are lower case: a phone keyboard must not capitalise, correct or mark them.
# (Login matches them case-insensitively anyway; see auth/throttle.py.)
USERNAME_INPUT = {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}

# The interface languages, each named in itself, as language pickers do.
LOCALE_CHOICES = {"uk": "Українська", "en": "English"}
# The same languages as a sentence names them ("Server default (Ukrainian)").
LANGUAGE_NAMES = {"uk": _l("Ukrainian"), "en": _l("English")}


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autofocus": True, **USERNAME_INPUT})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class LanguageForm(FlaskForm):
    locale = RadioField(_l("Language of the interface and scenarios"), choices=LOCALE_CHOICES,
                        validators=[DataRequired()])


# What each refusal of a chosen password says (auth/passwords.py decides which apply).
PASSWORD_PROBLEMS = {
    Problem.TOO_SHORT: lazy_ngettext(
        "Make it at least %(num)d character long: several words together are easy to remember and hard to guess.",
        "Make it at least %(num)d characters long: several words together are easy to remember and hard to guess.",
        MIN_LENGTH),
    Problem.TOO_LONG: lazy_ngettext("Make it at most %(num)d character long.", "Make it at most %(num)d characters long.",
                                    MAX_LENGTH),
    Problem.HAS_NAME: _l("Leave your user name and your name out of it: they are the first things someone would try."),
    Problem.TOO_SIMPLE: _l("This one is among the first that are tried (a common word, a row of the keyboard, or "
                           "a few characters repeated). Choose something less obvious."),
}


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
                            render_kw={"autocomplete": "current-password"})
    # No Length(min) here: the length is one of the rules auth/passwords.py checks and
    # explains together; a second message from WTForms would say the same thing worse.
    new = PasswordField(_l("New password"), validators=[DataRequired()],
                        description=lazy_ngettext(
                            "At least %(num)d character, without your user name or your names. Several words "
                            "together are the easiest to remember; digits and symbols are welcome but not required.",
                            "At least %(num)d characters, without your user name or your names. Several words "
                            "together are the easiest to remember; digits and symbols are welcome but not required.",
                            MIN_LENGTH),
                        render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("The new password again"),
                           validators=[DataRequired(), EqualTo("new", _l("The two new passwords differ. Type the "
                                                                         "same one in both fields."))],
                           render_kw={"autocomplete": "new-password"})
