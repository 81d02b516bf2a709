"""crying-client's written answer (quiet_words) scores natural English as it scores Ukrainian.

The English review (finding 1) typed kind answers and was told they asked her not to cry:
the bare phrase "not worry" in stop_crying matched "don't worry about the time", and
everyday English ("difficult", "as much time as you need", "it's alright to cry",
"nothing to be sorry for") found none of the expected elements. Answers that do hush or
hurry her must still be caught, and a kind answer that mentions the form for later, or
fetches water "quickly", is not hurrying her.
"""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIO_DIR
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_file

ALL_THREE = ["names_feeling", "offers_time", "permits_tears"]


@pytest.fixture(scope="module")
def crying(framework, toc):
    return CompiledScenario(load_scenario_file(SCENARIO_DIR / "crying-client.yaml", framework, toc))


@pytest.mark.parametrize(("answer", "lang", "outcome", "found"), [
    # The review's answers, and the Ukrainian equivalent it compared with.
    ("Please do not worry about the time. It is completely understandable that you are upset. "
     "Cry if you need to.", "en", "qw_heard", ALL_THREE),
    ("There's nothing to be sorry for. I can only imagine how painful this is. Take as much time "
     "as you need.", "en", "qw_heard", ALL_THREE),
    ("Вам нема за що вибачатися. Уявляю, як вам боляче. Беріть стільки часу, скільки треба.", "uk",
     "qw_heard", ALL_THREE),
    ("Please don't worry about the queue… You've been through so much. It's alright to cry.", "en",
     "qw_heard", ALL_THREE),
    ("I can see this is really difficult for you. Take all the time you need", "en",
     "qw_heard", ["names_feeling", "offers_time"]),
    ("Бачу, що вам справді важко. Беріть стільки часу, скільки потрібно", "uk",
     "qw_heard", ["names_feeling", "offers_time"]),
    # More everyday English.
    ("It's OK to cry. You've been through so much.", "en", "qw_heard", ["names_feeling", "permits_tears"]),
    ("Don't be sorry. You've lost your home, of course you're upset.", "en",
     "qw_heard", ["names_feeling", "permits_tears"]),
    ("No need to say sorry. This is awful for you. We have plenty of time.", "en", "qw_heard", ALL_THREE),
    ("We can finish the form later, there's no hurry. I can see how hard this is.", "en",
     "qw_heard", ["names_feeling", "offers_time"]),
    ("Let me quickly get you some water. This must be so hard for you.", "en",
     "qw_partly", ["names_feeling"]),
    # Hushing and hurrying are still caught.
    ("Please stop crying.", "en", "qw_hushed", ["stop_crying"]),
    ("Don't cry, calm down.", "en", "qw_hushed", ["stop_crying"]),
    ("Don't worry, don't cry, everything will be fine.", "en", "qw_hushed", ["stop_crying"]),
    ("Come on, no more tears, dry your eyes.", "en", "qw_hushed", ["stop_crying"]),
    ("Don't be upset, let's finish the form.", "en", "qw_hushed", ["stop_crying", "hurries_her"]),
    ("Pull yourself together, people are waiting.", "en", "qw_hushed", ["stop_crying", "hurries_her"]),
    ("Let's go back to the form, shall we?", "en", "qw_hushed", ["hurries_her"]),
    ("Thank you so much for telling me. Let's finish the form quickly.", "en", "qw_hushed", ["hurries_her"]),
])
def test_quiet_words_reads_everyday_answers(crying, answer, lang, outcome, found):
    result = crying.match("quiet_words", answer, lang)
    assert (result["outcome"], result["found"]) == (outcome, found)
