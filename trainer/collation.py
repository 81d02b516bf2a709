"""Sorting titles the way a Ukrainian reader expects, without ICU.

Code-point order puts і, ї, є and ґ after я (and would mix in Russian letters), and a title
that opens with «…» would file before every letter. The key maps each Ukrainian letter to
its place in the alphabet (in the private-use range, so Latin titles still come first),
folds case, and leaves out quotes and apostrophes: «Заберіть…» files under З, «пам'ять»
next to «память» would.
"""
from __future__ import annotations

UK_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_UK_ORDER = {ord(letter): chr(0xE000 + place) for place, letter in enumerate(UK_ALPHABET)}
_NOT_SORTED = str.maketrans("", "", "«»\"'`“”„‘’ʼ")


def title_key(title: str) -> tuple[str, str]:
    """A sort key for ``title``: quotes and apostrophes ignored, case folded, Ukrainian
    letters in alphabet order; the title itself breaks ties."""
    folded = " ".join(title.translate(_NOT_SORTED).split()).casefold()
    return folded.translate(_UK_ORDER), title


def person_key(display_name: str | None, username: str) -> tuple[tuple[str, str], str]:
    """A sort key for a person as pages name them: by the full name, or the user name without
    one, in Ukrainian alphabet order (Ірина after Дмитро, not before Андрій as the database's
    order has it); the user name breaks ties."""
    return title_key(display_name or username), username
