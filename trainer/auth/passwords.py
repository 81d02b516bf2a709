"""What a password a person chooses for themselves must be, and the fingerprint that ties
a session to the password it was logged in with.

A password an administrator sets (a new account, a CSV import, «New password») is
temporary: the administrator has seen it, so its owner chooses their own at the next login
(``User.password_temporary``, enforced in ``auth/access.py``). The rules below follow NIST
SP 800-63B in spirit: length over composition, no forced mixing of digits and symbols,
which people meet with «Password1!», and a refusal of what is guessed first (the person's
own name, one character repeated, a keyboard or alphabet run, the first words everybody
tries). A long phrase of several words passes and is the easiest to remember.

Plain Python, no Flask: the form turns each problem into words.
"""
from __future__ import annotations

import enum
import hashlib
import hmac
import re

MIN_LENGTH = 10
MAX_LENGTH = 200  # the forms' limit; scrypt hashes any length, a megabyte would only cost time

# Runs a person types without thinking: keyboard rows (Latin and Ukrainian layouts), the
# alphabets and the digits. A password that is a piece of one, forwards or backwards, is
# guessed in the first thousand tries.
_RUNS = (
    "1234567890" * 3, "1234567890-=", "!@#$%^&*()_+",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
    "йцукенгшщзхїфівапролджєячсмитьбю",
    "йцукенгшщзхї", "фівапролджє", "ячсмитьбю",
    "abcdefghijklmnopqrstuvwxyz",
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
)
# The first words tried against any account (with digits or symbols after them, which the
# check strips): the word "password" in the languages of these centres, the app's own
# words, and a keyboard row.
_FIRST_GUESSES = frozenset({
    "password", "passw0rd", "пароль", "parol", "gfhjkm", "qwerty", "йцукен", "admin", "administrator", "адмін",
    "user", "login", "welcome", "letmein", "iloveyou", "trainer", "тренажер", "frontline", "бпд", "bpd",
    "ukraine", "україна", "slavaukraini", "славаукраїні", "kyiv", "київ",
})
_TRAILING_DIGITS_AND_SIGNS = re.compile(r"[\W\d_]+$")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


class Problem(enum.Enum):
    """Why a chosen password is refused; the form says each in words."""
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    HAS_NAME = "has_name"
    TOO_SIMPLE = "too_simple"


def problems(password: str, *, username: str, display_name: str = "") -> list[Problem]:
    """What is wrong with ``password`` as the own password of the account ``username``
    (full name ``display_name``); empty when it may be used."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(Problem.TOO_SHORT)
    if len(password) > MAX_LENGTH:
        found.append(Problem.TOO_LONG)
    folded = password.casefold()
    if _has_name(folded, username, display_name):
        found.append(Problem.HAS_NAME)
    if _too_simple(folded):
        found.append(Problem.TOO_SIMPLE)
    return found


def _has_name(folded: str, username: str, display_name: str) -> bool:
    # The user name whole (it is on the screen and in every list), and each part of the full
    # name long enough not to be a chance match (a surname, not «Іра» inside a longer word).
    names = [username.casefold()] if len(username) >= 3 else []
    names += [part for part in _NOT_LETTERS.split(display_name.casefold()) if len(part) >= 4]
    return any(name in folded for name in names)


def _too_simple(folded: str) -> bool:
    if len(set(folded)) < 4:  # «aaaaaaaaaa», «ababababab», «1212121212»
        return True
    if _TRAILING_DIGITS_AND_SIGNS.sub("", folded) in _FIRST_GUESSES:
        return True
    return any(folded in run or folded[::-1] in run for run in _RUNS)


def session_fingerprint(secret_key: str | bytes, password_hash: str) -> str:
    """A short mark of ``password_hash``, kept in the session beside the user's id, so a new
    password ends every session logged in with the old one (``auth/access.py``).

    Keyed with the app's secret: the session cookie can be read by whoever holds it, and a
    bare hash of the password hash would let them test guesses offline; this one cannot be
    computed without the secret."""
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:20]
