"""Good endings that a good finish alone does not earn (content review: fair endings).

frequent-complainer and complaint-front-desk reached their good endings ("she left trusting
you", "she trusts the centre again") after as many as seven ineffective or harmful answers,
because the plan or the booking near the end raised trust far enough. Each scenario now
counts those answers in a hidden ``missteps`` variable, and two of them lead to a mixed
ending that says what was done at the end and what the answers on the way cost.
"""
from __future__ import annotations

import pytest

from tests.scenario.walks import recommended, replaced
from trainer.scenario.analysis import iter_paths
from trainer.scenario.engine import CompiledScenario
from trainer.terminal import play_scripted

GOOD = {"frequent-complainer": "good_end", "complaint-front-desk": "trust_restored"}
SORE = {"frequent-complainer": "plan_but_sore", "complaint-front-desk": "case_saved_trust_not"}
MISSES = {"ineffective", "harmful"}


@pytest.fixture(scope="module")
def compiled(compile_real) -> dict[str, CompiledScenario]:
    return {scenario_id: compile_real(scenario_id) for scenario_id in GOOD}


def misses(play: CompiledScenario, path) -> list[str]:
    return [choice for choice in path if play.choices[choice][1].rating in MISSES]


def paths_by_ending(play: CompiledScenario) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    for trail, ending in iter_paths(play.analysis):
        found.setdefault(ending, []).append([edge.choice_id for edge in trail])
    return found


@pytest.mark.parametrize("scenario_id", list(GOOD))
def test_the_recommended_answers_still_reach_the_good_ending(compiled, scenario_id):
    data = play_scripted(compiled[scenario_id], recommended(compiled[scenario_id]))
    assert (data["ending"], data["outcome"]) == (GOOD[scenario_id], "good")


FREQUENT_COMPLAINER_SLIPS = [
    # The review's path: seven misses, then the plan and a good enough trust. It ended in
    # good_end, "Halyna Petrivna left trusting you".
    ["s_hide", "ar_form", "e_calm", "l_reassure", "cl_ignore", "cf_own_mistake", "cd_police",
     "as_plan_record", "fw_overshare"],
    # The recommended path with two answers swapped for ineffective ones.
    dict(l_reflect="l_reassure", cd_explain="cd_police"),
    dict(cl_reaffirm="cl_rebuke", fw_thank="fw_overshare"),
    # The form instead of a conversation (she turns to leave, then stays) and "there, you
    # see, your copy is right here".
    ["s_prepare", "ar_form", "e_welcome_complaint", "l_reflect", "cl_reaffirm", "cf_gotcha",
     "cd_explain", "as_plan_record", "fw_thank"],
]
COMPLAINT_SLIPS = [
    # The review's path: four misses between the thanks and the booking.
    ["thank_and_listen", "we_are_busy", "leave_number", "silent_typing", "fill_form_again",
     "book_today_and_explain", "just_goodbye", "wc_accepted", "keep_and_fix_process"],
    dict(ask_and_read_back="fill_form_again", check_and_invite_review="just_goodbye"),
    dict(explain_and_apologise_i="we_are_busy", wc_accepted="wc_vague"),
]


@pytest.mark.parametrize(("scenario_id", "slips"),
                         [("frequent-complainer", s) for s in FREQUENT_COMPLAINER_SLIPS]
                         + [("complaint-front-desk", s) for s in COMPLAINT_SLIPS])
def test_two_or_more_misses_do_not_end_in_the_good_ending(compiled, scenario_id, slips):
    play = compiled[scenario_id]
    path = slips if isinstance(slips, list) else replaced(recommended(play), **slips)
    assert len(misses(play, path)) >= 2
    data = play_scripted(play, path)
    assert data["ending"] != GOOD[scenario_id]
    assert (data["ending"], data["outcome"]) == (SORE[scenario_id], "mixed")


def test_the_psychologist_remark_alone_ends_short_of_the_good_ending(compiled):
    play = compiled["frequent-complainer"]
    path = replaced(recommended(play), fw_thank="fw_psych")
    assert misses(play, path) == ["fw_psych"]
    data = play_scripted(play, path)
    assert (data["ending"], data["outcome"]) == ("plan_but_sore", "mixed")


@pytest.mark.parametrize(("scenario_id", "swap"), [
    ("frequent-complainer", dict(cd_explain="cd_police")),
    ("frequent-complainer", dict(fw_thank="fw_overshare")),
    ("complaint-front-desk", dict(check_and_invite_review="just_goodbye")),
])
def test_one_miss_alone_still_allows_the_good_ending(compiled, scenario_id, swap):
    play = compiled[scenario_id]
    data = play_scripted(play, replaced(recommended(play), **swap))
    assert (data["ending"], data["outcome"]) == (GOOD[scenario_id], "good")


def test_frequent_complainer_endings_claim_only_what_their_paths_did(compiled):
    play = compiled["frequent-complainer"]
    paths = paths_by_ending(play)
    for path in paths["good_end"]:
        assert "as_plan_record" in path and len(misses(play, path)) <= 1, path
    # plan_but_sore: "you fixed the record, logged the complaint, gave a date and your
    # number ... at least two of your answers passed her by, or one openly hurt her" (the
    # psychologist remark at the farewell counts as two).
    assert paths["plan_but_sore"]
    for path in paths["plan_but_sore"]:
        assert "as_plan_record" in path and (len(misses(play, path)) >= 2 or "fw_psych" in path), path
    # Her warm «Дякую, дитино» never follows the psychologist remark.
    assert not [path for path in paths["good_end"] if "fw_psych" in path]
    # mixed_end says she has no date, name or checked number: never after the plan.
    assert paths["mixed_end"]
    assert not [path for path in paths["mixed_end"] if "as_plan_record" in path]


def test_complaint_endings_claim_only_what_their_paths_did(compiled):
    play = compiled["complaint-front-desk"]
    paths = paths_by_ending(play)
    booked = {"book_today_and_explain", "book_without_explaining", "book_after_all"}
    for path in paths["trust_restored"]:
        assert set(path) & booked and "keep_and_fix_process" in path, path
        assert len(misses(play, path)) <= 1, path
    # case_saved_trust_not: "booked the same day, the review stayed, you went to fix the
    # process ... at least two of your answers sounded like excuses or passed her by".
    assert paths["case_saved_trust_not"]
    for path in paths["case_saved_trust_not"]:
        assert set(path) & booked and "keep_and_fix_process" in path, path
        assert len(misses(play, path)) >= 2, path


@pytest.mark.parametrize("scenario_id", list(GOOD))
def test_the_new_mixed_ending_is_bilingual_and_cites_the_manual(compiled, scenario_id):
    ending = compiled[scenario_id].scenario.endings[SORE[scenario_id]]
    assert ending.outcome == "mixed"
    assert ending.refs
    for text in (ending.debrief.uk, ending.debrief.en):
        assert "(" + ", ".join(ending.refs) + ")" in " ".join(text.split())
    # It does not repeat the good ending's claim of regained trust.
    assert "довіряючи вам" not in ending.debrief.uk and "знову довіряє" not in ending.debrief.uk
