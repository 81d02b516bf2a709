"""aggressive-client's written answer (second_wave) hears everyday ways of acknowledging anger.

A review typed ordinary Ukrainian answers, «Я розумію вашу злість…», «Бачу, що ви дуже
розсерджені, і вас можна зрозуміти…», «Я бачу, як вам боляче і прикро…», and each was told
it had not acknowledged his anger: the element knew «ви обурені» and «ви злитеся» but not
the noun «злість», the stem «серд-», «вас можна зрозуміти» or «прикро» on its own. The
element now knows those and their English equivalents. Answers that deny or do not name the
feeling must still miss it.
"""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIO_DIR
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_file

ELEMENT = "acknowledges_anger"


@pytest.fixture(scope="module")
def angry(framework, toc):
    return CompiledScenario(load_scenario_file(SCENARIO_DIR / "aggressive-client.yaml", framework, toc))


@pytest.mark.parametrize(("answer", "lang"), [
    # The review's answers, as typed.
    ("Я розумію вашу злість…", "uk"),
    ("Бачу, що ви дуже розсерджені, і вас можна зрозуміти…", "uk"),
    ("Я бачу, як вам боляче і прикро…", "uk"),
    # The same stems in other everyday forms.
    ("Ваша злість зрозуміла, вас можна зрозуміти.", "uk"),
    ("Ви на нас сердитеся, і я це розумію.", "uk"),
    ("Вас це обурює, і недарма.", "uk"),
    ("Можна вас зрозуміти: півтора року по кабінетах.", "uk"),
    ("Прикро, що так вийшло.", "uk"),
    # English equivalents.
    ("I understand your anger…", "en"),
    ("I can see you're very annoyed, and that's understandable…", "en"),
    ("I can see how much this hurts…", "en"),
    ("You have every right to be frustrated.", "en"),
    ("I can see why you feel this way.", "en"),
])
def test_everyday_acknowledgements_count(angry, answer, lang):
    result = angry.match("second_wave", answer, lang)
    assert ELEMENT in result["expected_found"], result["found"]


@pytest.mark.parametrize(("answer", "lang"), [
    ("Я не розумію вашу злість. Говоріть спокійно.", "uk"),
    ("Вас не можна зрозуміти. Говоріть спокійно.", "uk"),
    ("Нема чого злитися, говоріть спокійно.", "uk"),
    ("Мені не прикро. Говоріть тихіше.", "uk"),
    ("Мене обурює ваш тон. Говоріть тихіше.", "uk"),
    ("Не кричіть, я вам допоможу.", "uk"),
    ("Заспокойтеся, будь ласка.", "uk"),
    ("I don't understand your anger. Talk calmly.", "en"),
    ("Calm down and lower your voice.", "en"),
    ("Let's look at your file.", "en"),
])
def test_answers_that_do_not_acknowledge_it_still_miss_it(angry, answer, lang):
    result = angry.match("second_wave", answer, lang)
    assert ELEMENT not in result["found"], result["found"]


@pytest.mark.parametrize(("answer", "lang"), [
    ("Бачу, що ви дуже розсерджені, і вас можна зрозуміти. Давайте без крику.", "uk"),
    ("Я розумію вашу злість. Говоріть спокійно, і я допоможу.", "uk"),
    ("Я бачу, як вам боляче і прикро. Поговорімо спокійно.", "uk"),
    ("I understand your anger. Let's talk without shouting.", "en"),
])
def test_with_a_calm_limit_they_reach_the_recommended_outcome(angry, answer, lang):
    assert angry.match("second_wave", answer, lang)["outcome"] == "sw_limit_heard"
