"""A phrase's finite verb keeps its person: who is to act is read, not only which verb."""
from __future__ import annotations

import pytest

from tests.scenario.test_rubric import found
from trainer.scenario.reading import read


@pytest.mark.parametrize("phrase, text", [
    ("зателефоную", "Зателефоную заздалегідь, щоб на вас чекали."),
    ("запишу", "Давайте запишемо адресу разом."),  # the first person plural
    ("запишу", "Я можу вам зараз записати адресу."),  # «можу» gives the infinitive its person
    ("допоможу", "Я спробую вам допомогти."),
    ("зателефоную", "Я вже зателефонувала їй."),  # the past tense has no person
    ("запишу", "Треба записати адресу."),  # nobody named: the infinitive stays open
    ("не поспішайте", "Можете не поспішати."),
    ("записати", "Запишіть адресу."),  # an infinitive in a phrase matches every person
])
def test_the_same_person_or_none_matches(phrase, text):
    assert found({"e": [phrase]}, text) == ["e"]


@pytest.mark.parametrize("phrase, text", [
    ("запишу", "Запишіть адресу."),
    ("подзвоню їй", "Подзвоніть їй самі."),
    ("запишу", "Можете записати адресу."),  # the listener is to write
    ("розумію", "Розумієте, у нас черга."),
    ("вона вас чекатиме", "Ви її чекатимете?"),
    ("не плачу", "Не плачте."),
])
def test_another_person_does_not_match(phrase, text):
    assert found({"e": [phrase]}, text) == []


def test_a_dismissive_frame_keeps_its_person():
    # «Не перебільшуйте» waves the client off; «я не перебільшую» is about oneself.
    assert found({"e": ["адреса"]}, "Не перебільшуйте.") == ["dismissive"]
    assert found({"e": ["адреса"]}, "Я не перебільшую, це справді важливо.") == []


def test_a_verb_that_hands_the_act_on_gives_no_person():
    # «прошу вас зателефонувати»: the caller is the listener, so «прошу» gives no person
    # and the infinitive stays open, as it was before persons were read.
    assert found({"e": ["зателефоную"]}, "Прошу вас зателефонувати.") == ["e"]


def test_only_the_infinitive_near_a_modal_is_narrowed():
    tokens = read("Можете, якщо хочете, записати.").tokens
    infinitive = tokens[-1]
    assert "записати@1per" in infinitive.lemmas  # the comma ends «можете»'s clause
    tokens = read("Можете записати.").tokens
    assert "записати@1per" not in tokens[-1].lemmas
    assert {"записати", "записати@2per"} <= tokens[-1].lemmas


def test_english_is_read_as_before():
    assert found({"e": ["I'll call"]}, "I'll call her now.") == ["e"]
    assert [t.lemmas for t in read("Call her yourself.").tokens if t.word == "call"][0] == {"call"}


def test_a_match_in_another_person_is_reported_as_skipped():
    from trainer.scenario.reading import compile_phrase, find

    text = "Подзвоніть їй заздалегідь. Я не подзвоню."
    positions, skipped = find(compile_phrase("подзвоню їй"), read(text))
    assert positions is None
    assert [(reason, [read(text).tokens[p].word for p in at]) for at, reason in skipped] == [
        ("person", ["подзвоніть", "їй"])]
    # A phrase with no personal verb has nothing to report in another person.
    assert compile_phrase("подзвонити їй").any_person is None
    # Found in the right person, nothing is skipped for person.
    assert find(compile_phrase("подзвоню"), read("Подзвоніть. Я подзвоню."))[1] == []


def test_someone_elses_call_is_not_ones_own():
    assert found({"e": ["подзвоню"]}, "Юристка вам подзвонить о першій.") == []
    assert found({"e": ["подзвоню"]}, "Подзвоню вам о першій.") == ["e"]
