"""off-hours-meeting's written answer (one_question) recognises a boundary said in everyday words.

The English review (finding 1) wrote "I'd rather not talk about your case here in the market
with people around" and kind_boundary was missed: the only phrase for it was "not here", and
in English the two words seldom stand within two words of each other. The Ukrainian rubric
had the same gap («Я б не хотіла говорити про вашу справу тут…»). Declining to talk there,
the place, the people around and privacy now count in both languages; answers that set no
boundary still do not find it.
"""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIO_DIR
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_file


@pytest.fixture(scope="module")
def market(framework, toc):
    return CompiledScenario(load_scenario_file(SCENARIO_DIR / "off-hours-meeting.yaml", framework, toc))


def _kind_boundary(market, answer, lang):
    return "kind_boundary" in market.match("one_question", answer, lang)["found"]


@pytest.mark.parametrize(("answer", "lang"), [
    # The review's answer.
    ("I'd rather not talk about your case here in the market with people around", "en"),
    ("I can't talk about this here.", "en"),
    ("I can't discuss your case here, there are too many people around.", "en"),
    ("This isn't the right place to talk about your case.", "en"),
    ("The market is no place for this, Zinaida Pavlivna.", "en"),
    ("Let's not go into it here, Zinaida Pavlivna.", "en"),
    ("I don't want to discuss it here, with everyone listening.", "en"),
    ("I'd prefer not to discuss your case at the market.", "en"),
    ("I'm sorry, it's not something I can answer here.", "en"),
    ("I'm not able to answer that here at the market.", "en"),
    ("I'm afraid I can't look at it here.", "en"),
    ("I can't advise you here.", "en"),
    ("We shouldn't talk about your case in front of people.", "en"),
    ("Your case is confidential, so let's talk about it in private.", "en"),
    ("I can't give you an answer without looking at your papers.", "en"),
    ("It's my day off today and I don't have your file with me.", "en"),
    ("I'm off duty today.", "en"),
    ("I'm sorry, I really have to rush off now.", "en"),
    # The same gap in Ukrainian.
    ("Я б не хотіла говорити про вашу справу тут, на ринку, при людях.", "uk"),
    ("Тут не місце для такої розмови.", "uk"),
    ("Давайте не будемо обговорювати це тут.", "uk"),
    ("Не можу зараз про це говорити.", "uk"),
    ("Про вашу справу я поза центром не говорю.", "uk"),
    ("Мені не хотілося б обговорювати вашу справу при сторонніх.", "uk"),
    ("Не хочу вам щось наплутати, не бачивши документів.", "uk"),
    ("Вибачте, мені треба бігти.", "uk"),
])
def test_everyday_boundaries_are_recognised(market, answer, lang):
    assert _kind_boundary(market, answer, lang)


@pytest.mark.parametrize(("answer", "lang"), [
    ("Don't worry, it'll all be fine. See you on Tuesday.", "en"),
    ("Let's not worry too much. Come to the bureau on Tuesday at ten.", "en"),
    ("You'd better not miss the deadline, so come on Tuesday.", "en"),
    ("Of course we can talk here, it's no trouble.", "en"),
    ("I don't mind talking here at all.", "en"),
    ("Tell me the details, nobody's listening.", "en"),
    ("Take your time, I'm not rushing you.", "en"),
    ("I'm not in a hurry, tell me everything.", "en"),
    ("Don't talk to Tamara about your case. Come on Tuesday.", "en"),
    ("Let's sit on that bench and go through your papers now.", "en"),
    # "have to go" used to be found in advice to go somewhere.
    ("You have to go to court right away.", "en"),
    ("You need to go to the TsNAP about it.", "en"),
    ("Та не хвилюйтеся, все буде добре. У вівторок побачимося.", "uk"),
    ("Краще не хвилюйтеся, приходьте у вівторок.", "uk"),
    ("Мені не хотілося б вас засмучувати, але строк справді місяць.", "uk"),
    ("Давайте сядемо тут і все розберемо.", "uk"),
])
def test_answers_without_a_boundary_do_not_find_one(market, answer, lang):
    assert not _kind_boundary(market, answer, lang)


@pytest.mark.parametrize(("answer", "outcome"), [
    ("I understand how worrying this is, but I'd rather not talk about your case here with "
     "people around. Come to the bureau on Tuesday at ten.", "oq_kind_limit"),
    ("I know waiting is hard. This isn't the place to go into it; the lawyer will see you on "
     "Tuesday at ten at the bureau.", "oq_kind_limit"),
    # A refusal to talk here does not excuse advice given on the spot.
    ("I can't talk about it here, but you should appeal right away.", "oq_advice_on_run"),
    ("Come during office hours, I'd rather not talk about it here.", "oq_rebuffed"),
])
def test_boundary_with_day_and_place_leads_to_the_kind_limit(market, answer, outcome):
    assert market.match("one_question", answer, "en")["outcome"] == outcome


def test_evening_note_names_the_client_by_her_initials(market):
    """The note to yourself once kept the initials of the client's former name (Г. П.)."""
    texts = market.choices["we_note_and_rest"][1].text
    assert "З. П." in texts.get("uk") and "Z. P." in texts.get("en")
