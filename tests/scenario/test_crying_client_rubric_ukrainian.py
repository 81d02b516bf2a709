"""crying-client's written answer (quiet_words): reassurance about the time is not hushing.

Nina Stepanivna apologises for holding up the queue. «Будь ласка, не хвилюйтеся про час»
answers exactly that, yet the bare «не хвилюйтеся» in stop_crying scored it as asking her
not to cry, and the bare «швиденько» in hurries_her scored «я швиденько принесу вам води»
as rushing her. Whatever finds «Не хвилюйтеся.» also finds «Не хвилюйтеся про час.» (a
phrase cannot look at the words after it), so stop_crying keeps only the forms about her
feelings; the time reassurance counts as offers_time, as "don't worry about the time" does
in English. Hushing and hurrying are still caught.
"""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIO_DIR
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_file

ALL_THREE = ["names_feeling", "offers_time", "permits_tears"]
FEELING_TIME = ["names_feeling", "offers_time"]

CASES = [
    # Reassurance about the time, the queue, holding people up: gives her time.
    ("Будь ласка, не хвилюйтеся про час.", "uk", "qw_partly", ["offers_time"]),
    ("Please don't worry about the time.", "en", "qw_partly", ["offers_time"]),
    ("Не хвилюйтеся за чергу, бачу, як вам важко.", "uk", "qw_heard", FEELING_TIME),
    ("Don't worry about the queue, I can see how hard this is for you.", "en", "qw_heard", FEELING_TIME),
    ("Не переживайте, що затримуєте, вам зараз дуже тяжко.", "uk", "qw_heard", FEELING_TIME),
    ("Don't worry that you're holding me up, this is so hard for you.", "en", "qw_heard", FEELING_TIME),
    ("Не турбуйтеся щодо часу, я бачу, як вам тяжко.", "uk", "qw_heard", FEELING_TIME),
    ("Не хвилюйтеся за людей, вони почекають. Вам зараз важко.", "uk", "qw_heard", FEELING_TIME),
    ("Не переймайтеся через людей у черзі.", "uk", "qw_partly", ["offers_time"]),
    ("Не зважайте на чергу, вам зараз важко.", "uk", "qw_heard", FEELING_TIME),
    ("Never mind the queue, this is so hard for you.", "en", "qw_heard", FEELING_TIME),
    # «Не думайте про час» negates «час»: the bare «нема часу» used to read it as hurrying.
    ("Не думайте про час, я поруч.", "uk", "qw_partly", ["offers_time", "permits_tears"]),
    ("Don't think about the time, I'm here.", "en", "qw_partly", ["offers_time", "permits_tears"]),
    ("Вибачатися не треба. Не хвилюйтеся про час. Бачу, як вам боляче.", "uk", "qw_heard", ALL_THREE),
    ("Ми маємо час, не поспішайте.", "uk", "qw_partly", ["offers_time"]),
    # Fetching water «швиденько» is no hurry.
    ("Я швиденько принесу вам води. Бачу, як вам важко.", "uk", "qw_partly", ["names_feeling"]),
    ("I'll quickly get you some water. I can see how hard this is for you.", "en",
     "qw_partly", ["names_feeling"]),
    ("Посидьте, я зараз швиденько принесу води. Вам нема за що вибачатися.", "uk",
     "qw_partly", ["permits_tears"]),
    # Hushing is still caught.
    ("Не хвилюйтеся, не плачте.", "uk", "qw_hushed", ["stop_crying"]),
    ("Don't worry, don't cry.", "en", "qw_hushed", ["stop_crying"]),
    ("Заспокойтеся.", "uk", "qw_hushed", ["stop_crying"]),
    ("Не треба плакати.", "uk", "qw_hushed", ["stop_crying"]),
    ("Та не переживайте ви так.", "uk", "qw_hushed", ["stop_crying"]),
    ("Не хвилюйтеся так сильно, ми все вирішимо.", "uk", "qw_hushed", ["stop_crying"]),
    ("Don't worry so much, it'll be fine.", "en", "qw_hushed", ["stop_crying"]),
    ("Не треба так хвилюватися.", "uk", "qw_hushed", ["stop_crying"]),
    ("Не засмучуйтеся, будь ласка.", "uk", "qw_hushed", ["stop_crying"]),
    ("Візьміть себе в руки, люди чекають.", "uk", "qw_hushed", ["stop_crying", "hurries_her"]),
    # Hurrying is still caught.
    ("Давайте швиденько допишемо.", "uk", "qw_hushed", ["hurries_her"]),
    ("Let's quickly finish the form.", "en", "qw_hushed", ["hurries_her"]),
    ("Треба швидше.", "uk", "qw_hushed", ["hurries_her"]),
    ("We need to hurry.", "en", "qw_hushed", ["hurries_her"]),
    ("Давайте швидше, будь ласка.", "uk", "qw_hushed", ["hurries_her"]),
    ("Швидше, будь ласка.", "uk", "qw_hushed", ["hurries_her"]),
    ("Ну годі, швиденько закінчимо бланк.", "uk", "qw_hushed", ["hurries_her"]),
    ("Поквапмося, небагато лишилося.", "uk", "qw_hushed", ["hurries_her"]),
    ("У мене немає часу, давайте далі.", "uk", "qw_hushed", ["hurries_her"]),
    ("Часу немає, дописуймо.", "uk", "qw_hushed", ["hurries_her"]),
    ("I have no time for this.", "en", "qw_hushed", ["hurries_her"]),
]


@pytest.fixture(scope="module")
def crying(framework, toc):
    return CompiledScenario(load_scenario_file(SCENARIO_DIR / "crying-client.yaml", framework, toc))


@pytest.mark.parametrize(("answer", "lang", "outcome", "found"), CASES)
def test_time_reassurance_is_not_hushing_and_hushing_is_caught(crying, answer, lang, outcome, found):
    result = crying.match("quiet_words", answer, lang)
    assert (result["outcome"], result["found"]) == (outcome, found)


def test_the_ending_that_asks_what_the_point_is_ends_with_a_question_mark(crying):
    title = crying.scenario.endings["gave_up"].title
    assert title.uk.endswith("?»") and title.en.endswith("?”")
