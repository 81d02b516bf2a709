"""complaint-front-desk's endings claim a lawyer's appointment only after one was booked
(content review).

At fix_it the trainee can book her with the free lawyer for today, or put her off: "wait for
Oksana, she's back on Monday" (wait_for_oksana), or gossip about Oksana and arrange nothing
(gossip_about_oksana). partly_restored used to open with «Вона пішла на прийом» ("she went to
her appointment") on both kinds of path. The hidden ``booked`` flag now splits them:
booked_but_wary keeps that text for the booked paths, and partly_restored says that nobody
took up her case today.

The put-offs now lead to nothing_booked, where she asks whether anyone will see her today: the
trainee can still book her (book_after_all), or promise a call (call_her_tomorrow) and leave
her without a time, which ends in partly_restored.
"""
from __future__ import annotations

import re

import pytest

from tests.scenario.walks import recommended
from trainer.scenario.analysis import iter_paths
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.model import Ending
from trainer.terminal import play_scripted

SCENARIO = "complaint-front-desk"
BOOKING = {"book_today_and_explain", "book_without_explaining", "book_after_all"}
PUTTING_OFF = ["wait_for_oksana", "gossip_about_oksana"]

# What an ending says when she was seen, or is sure to be seen, by a lawyer.
SEEN_BY_A_LAWYER = {
    "uk": re.compile(r"на прийом|до юрист\w* (?:вона )?потрапить|записали до юрист|заходить до юрист|"
                     r"юрист\w* допомогла|вас прийняли", re.I),
    "en": re.compile(r"her appointment|will get to a lawyer|booked with the lawyer|was booked|"
                     r"go(?:es)? in to see the lawyer|lawyer helped her", re.I),
}


@pytest.fixture(scope="module")
def play(compile_real) -> CompiledScenario:
    return compile_real(SCENARIO)


def ending_texts(ending: Ending):
    """(lang, text) of everything the trainee reads in an ending."""
    parts = [ending.title, ending.debrief]
    if ending.client is not None:
        parts += [ending.client.says, ending.client.does]
    for part in parts:
        if part is not None:
            yield "uk", part.uk
            yield "en", part.en or ""


def claims_a_lawyer_saw_her(ending: Ending) -> list[str]:
    return [text for lang, text in ending_texts(ending) if SEEN_BY_A_LAWYER[lang].search(" ".join(text.split()))]


@pytest.mark.parametrize("put_off", PUTTING_OFF)
def test_the_recommended_path_with_her_put_off_ends_without_an_appointment(play, put_off):
    swaps = {"book_today_and_explain": put_off, "check_and_invite_review": "call_her_tomorrow"}
    path = [swaps.get(choice, choice) for choice in recommended(play)]
    assert put_off in path
    data = play_scripted(play, path)
    assert (data["ending"], data["outcome"]) == ("partly_restored", "mixed")
    ending = play.scenario.endings[data["ending"]]
    assert claims_a_lawyer_saw_her(ending) == []
    # It says what did happen: her case was not taken up today.
    assert "ніхто не взяв" in ending.debrief.uk and "nobody took up" in ending.debrief.en


def test_the_walk_that_used_to_claim_an_appointment(play):
    """The path the review played: the thanks, the apology and the facts, then "wait for
    Oksana"; it ended in «Вона пішла на прийом». Its check_and_invite_review ("half past two,
    I'll make it") is no longer offered without a booking; the call promised instead books
    nothing either."""
    path = ["thank_and_listen", "explain_and_apologise_i", "act_now", "ask_and_read_back",
            "wait_for_oksana", "call_her_tomorrow", "wc_accepted", "keep_and_fix_process"]
    data = play_scripted(play, path)
    ending = play.scenario.endings[data["ending"]]
    assert "прийом" not in ending.client.does.uk and "appointment" not in ending.client.does.en
    assert claims_a_lawyer_saw_her(ending) == []


def test_an_ending_that_claims_an_appointment_is_reached_only_after_a_booking(play):
    claiming = {ending_id for ending_id, ending in play.scenario.endings.items()
                if claims_a_lawyer_saw_her(ending)}
    unbooked_endings = set()
    for trail, ending in iter_paths(play.analysis):
        if not {edge.choice_id for edge in trail} & BOOKING:
            unbooked_endings.add(ending)
    assert "partly_restored" in unbooked_endings
    assert unbooked_endings & claiming == set()
    # The rule sees the endings that do claim one.
    assert {"trust_restored", "case_saved_trust_not", "booked_but_wary"} <= claiming


def test_the_booked_paths_keep_their_ending(play):
    """A booked case that leaves her wary still says she went to her appointment."""
    path = ["thank_and_listen", "short_sorry", "act_now", "search_silently", "book_without_explaining",
            "survey_form", "wc_partial", "keep_and_fix_process"]
    data = play_scripted(play, path)
    assert (data["ending"], data["outcome"]) == ("booked_but_wary", "mixed")
    assert claims_a_lawyer_saw_her(play.scenario.endings["booked_but_wary"])


def test_the_rule_sees_the_old_text():
    assert SEEN_BY_A_LAWYER["uk"].search("Вона пішла на прийом, але насторожена.")
    assert SEEN_BY_A_LAWYER["en"].search("She went to her appointment, but she is wary.")
    assert not SEEN_BY_A_LAWYER["en"].search("She left without a time to see a lawyer.")
