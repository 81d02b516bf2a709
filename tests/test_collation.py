"""The title sort key: the Ukrainian alphabet, without quotes, apostrophes or case."""
from __future__ import annotations

import pytest

from trainer.collation import title_key


@pytest.mark.parametrize("titles", [
    ["Гроші", "Ґанок", "Дім"],  # ґ follows г, not я
    ["Ефір", "Єдність", "Жнива"],
    ["Иній", "Ірпінь", "Їжак", "Йод"],
    ["«Заберіть мої дані»", "Зробіть", "«Я сам підпишу»"],  # quotes do not count
    ["Пам'ять", "Пасіка"],  # nor does the apostrophe
    ["а", "Б", "в"],  # nor case
])
def test_titles_sort_in_ukrainian_alphabet_order(titles):
    assert sorted(reversed(titles), key=title_key) == titles


def test_titles_sort_by_the_ukrainian_alphabet_ignoring_case_and_opening_quotes():
    titles = ["Я окуляри забула", "«Заберіть мене звідси»", "Їжа на вечір", "Ґанок", "є питання", "Без даху",
              "Відмова", "Іграшка", "\"Жорстка\" розмова", "A queue at the front desk"]
    ordered = sorted(titles, key=title_key)
    # Latin first; then а б в г ґ д е є ж з и і ї … я, whatever the code points say.
    assert ordered == ["A queue at the front desk", "Без даху", "Відмова", "Ґанок", "є питання", "\"Жорстка\" розмова",
                       "«Заберіть мене звідси»", "Іграшка", "Їжа на вечір", "Я окуляри забула"]
