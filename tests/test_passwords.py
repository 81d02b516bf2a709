"""The rules for a password a person chooses, and the session's mark of a password (no app)."""
from __future__ import annotations

import hashlib

import pytest

from trainer.auth.passwords import MAX_LENGTH, MIN_LENGTH, Problem, problems, session_fingerprint


def check(password: str, username: str = "o.koval", display_name: str = "Олена Коваль") -> list[Problem]:
    return problems(password, username=username, display_name=display_name)


@pytest.mark.parametrize("password", [
    "вишня цвіте у квітні",         # a phrase of words, the easiest kind to remember
    "Kavun-na-bazari-17",
    "tram 7 to Podil",               # spaces count as characters
    "x" * 3 + "yzw" + "q" * 4,       # ten characters, four different ones: at the edge, allowed
])
def test_a_long_enough_password_of_ones_own_passes(password):
    assert check(password) == []


def test_the_length_has_a_floor_and_a_ceiling():
    assert MIN_LENGTH == 10
    assert check("ab3$Kq9!z") == [Problem.TOO_SHORT]        # nine characters
    assert check("ab3$Kq9!zW") == []                        # ten
    assert check("слово " * 34) == [Problem.TOO_LONG]       # 204 characters
    assert len("слово " * 34) > MAX_LENGTH


@pytest.mark.parametrize("password", [
    "o.koval-spring-2026",      # the user name
    "O.KOVAL forever",          # in any case
    "моя прекрасна коваль",     # a part of the full name
    "ОленаСонячна",
])
def test_the_own_name_is_refused(password):
    assert Problem.HAS_NAME in check(password)


def test_a_short_part_of_the_name_is_no_match_by_chance():
    # «Іра» is inside «вигадка», «віра», «гіра»…: only parts of four letters and more count.
    assert problems("віра в добро завжди", username="ira", display_name="Іра Лі") == []


@pytest.mark.parametrize("password", [
    "aaaaaaaaaaaa",           # one character
    "ababababab",             # two, repeated
    "1212121212",
    "1234567890",             # the digits
    "0987654321",             # backwards
    "qwertyuiop",             # a keyboard row
    "asdfghjkl;'",
    "йцукенгшщз",             # the Ukrainian layout's row
    "ЙЦУКЕНГШЩЗХЇ",
    "abcdefghijk",            # the alphabet
    "абвгґдеєжз",
    "Password123!",           # the first words tried, with digits and signs after them
    "пароль2026!!",
    "qwerty123456",
    "slavaukraini1991",
])
def test_what_is_tried_first_is_refused(password):
    assert check(password) == [Problem.TOO_SIMPLE]


def test_every_problem_is_reported_at_once():
    assert check("коваль1") == [Problem.TOO_SHORT, Problem.HAS_NAME]
    assert check("пароль") == [Problem.TOO_SHORT, Problem.TOO_SIMPLE]
    assert check("o.koval", username="o.koval") == [Problem.TOO_SHORT, Problem.HAS_NAME]


def test_generated_passwords_pass():
    from trainer.team.people import generate_password

    assert all(check(generate_password()) == [] for _ in range(200))


def test_the_fingerprint_needs_the_secret_and_follows_the_password_hash():
    mark = session_fingerprint("key-1", "scrypt:32768:8:1$salt$hash")
    assert mark == session_fingerprint(b"key-1", "scrypt:32768:8:1$salt$hash")  # stable, str or bytes key
    assert len(mark) == 20
    assert mark != session_fingerprint("key-2", "scrypt:32768:8:1$salt$hash")
    assert mark != session_fingerprint("key-1", "scrypt:32768:8:1$salt$other")
    # Not a bare hash of the password hash, which anyone reading the cookie could test guesses against.
    assert mark not in hashlib.sha256(b"scrypt:32768:8:1$salt$hash").hexdigest()
