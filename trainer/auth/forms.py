"""Forms for logging in and choosing the language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Length

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
