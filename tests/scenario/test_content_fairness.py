"""Endings and ratings fit what the trainee actually did (content review, findings 1-3, 6-10, 12).

A good ending's debrief says "you did X": every way to that ending must have done X. The
paths the review played are replayed here through the engine (``play_scripted``), and the
claims are checked over every path the analysis finds.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import SCENARIO_DIR
from tests.scenario.walks import replaced
from trainer.scenario.analysis import iter_paths
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_file
from trainer.terminal import play_scripted

FIXED = ("off-hours-meeting", "aggressive-client", "no-legal-basis", "frequent-complainer",
         "complaint-front-desk", "combat-veteran")
GOOD = {"off-hours-meeting": "tuesday_visit", "aggressive-client": "good_end", "no-legal-basis": "good_end",
        "frequent-complainer": "good_end", "complaint-front-desk": "trust_restored",
        "combat-veteran": "good_plan"}


@pytest.fixture(scope="module")
def library(framework, toc):
    loaded = {}
    for scenario_id in FIXED:
        item = load_scenario_file(SCENARIO_DIR / f"{scenario_id}.yaml", framework, toc)
        assert item.ok, [d.format() for d in item.diagnostics]
        loaded[scenario_id] = item
    return loaded


def compiled(library, scenario_id) -> CompiledScenario:
    return CompiledScenario(library[scenario_id])


def recommended(library, scenario_id) -> list[str]:
    return [choice for _node, choice in library[scenario_id].analysis.recommended_path]


def paths_to(library, scenario_id, ending) -> list[set[str]]:
    found = [{edge.choice_id for edge in trail}
             for trail, end in iter_paths(library[scenario_id].analysis) if end == ending]
    assert found, ending
    return found


def choice(library, scenario_id, choice_id):
    return compiled(library, scenario_id).choices[choice_id][1]


def ending_text(library, scenario_id, ending_id) -> str:
    ending = library[scenario_id].scenario.endings[ending_id]
    parts = [ending.debrief.uk, ending.title.uk]
    if ending.client:
        parts += [t.uk for t in (ending.client.says, ending.client.does) if t]
    return " ".join(parts)


@pytest.mark.parametrize("scenario_id", FIXED)
def test_the_recommended_answers_still_reach_the_good_ending(library, scenario_id):
    data = play_scripted(compiled(library, scenario_id), recommended(library, scenario_id))
    assert (data["ending"], data["outcome"]) == (GOOD[scenario_id], "good")


# -- 1. off-hours-meeting ------------------------------------------------------------------

OFF_HOURS_SLIPS = {"mg_advise_here", "sh_consult_to_make_up", "pr_give_personal", "oq_advice_on_run",
                   "ph_read_aloud", "ph_forward_viber", "sf_long_chat"}


def test_off_hours_reading_her_letter_aloud_and_working_the_evening_is_not_the_good_ending(library):
    """The review's path: the refusal read half aloud at the market, "they'll definitely pay"
    and an evening messaging the lawyer. It ended in tuesday_visit, whose debrief says you gave
    nothing away in front of the neighbour and rested on your day off."""
    path = ["mg_warm_invite", "na_no_cases_outside", "pr_centre_contacts", "oq_kind_limit",
            "ph_read_aloud", "sf_everything_fine", "we_work_evening"]
    data = play_scripted(compiled(library, "off-hours-meeting"), path)
    assert data["ending"] == "blurred_line" and data["outcome"] == "mixed"
    assert data["percent"]["confidentiality"] == 0


@pytest.mark.parametrize(("slip", "at"), [("ph_read_aloud", "ph_bring_tuesday"),
                                          ("pr_give_personal", "pr_centre_contacts"),
                                          ("sf_long_chat", "sf_acknowledge")])
def test_off_hours_one_slip_of_the_line_leads_to_the_blurred_line(library, slip, at):
    path = replaced(recommended(library, "off-hours-meeting"), **{at: slip})
    assert play_scripted(compiled(library, "off-hours-meeting"), path)["ending"] == "blurred_line"


def test_off_hours_an_evening_of_work_after_a_good_market_is_its_own_mixed_ending(library):
    path = replaced(recommended(library, "off-hours-meeting"), we_note_and_rest="we_work_evening")
    data = play_scripted(compiled(library, "off-hours-meeting"), path)
    assert (data["ending"], data["outcome"]) == ("tired_tuesday", "mixed")
    # Talking it over with the family, without her name, is rest too.
    path = replaced(recommended(library, "off-hours-meeting"), we_note_and_rest="we_tell_family")
    assert play_scripted(compiled(library, "off-hours-meeting"), path)["ending"] == "tuesday_visit"


def test_off_hours_every_way_to_the_good_ending_did_what_its_debrief_says(library):
    for path in paths_to(library, "off-hours-meeting", "tuesday_visit"):
        assert not path & OFF_HOURS_SLIPS, path & OFF_HOURS_SLIPS
        assert path & {"we_note_and_rest", "we_tell_family"}
    for path in paths_to(library, "off-hours-meeting", "tired_tuesday"):
        assert "we_work_evening" in path and not path & OFF_HOURS_SLIPS
    debrief = ending_text(library, "off-hours-meeting", "came_uneasy")
    assert "Межу ви втримали" not in debrief  # reached after slips too


def test_off_hours_calm_down_stays_harmful_and_says_why_it_is_worse_here(library):
    calm = choice(library, "off-hours-meeting", "sf_calm_down")
    assert calm.rating == "harmful"
    assert "Тамар" in calm.feedback.uk and "ринку" in calm.feedback.uk
    assert "Tamara" in calm.feedback.en and "market" in calm.feedback.en


# -- 1. aggressive-client ------------------------------------------------------------------

def test_aggressive_client_pushing_on_without_a_record_is_not_the_good_ending(library):
    """The review's path ended in good_end ("afterwards you recorded the incident") after
    a_push_on, which records nothing, and f_take_copy, which sums up nothing."""
    path = ["b_acknowledge", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_positive_limit",
            "f_take_copy", "n_plan", "c_overshare", "a_push_on"]
    data = play_scripted(compiled(library, "aggressive-client"), path)
    assert data["ending"] == "halfway_end" and data["outcome"] == "mixed"


def test_aggressive_client_each_claim_of_the_good_debrief_is_routed(library):
    best = recommended(library, "aggressive-client")
    play = compiled(library, "aggressive-client")
    assert play_scripted(play, replaced(best, a_record_pause="a_push_on"))["ending"] == "unrecorded_end"
    assert play_scripted(play, replaced(best, v_listen_reflect="v_promise"))["ending"] == "false_hope"
    assert play_scripted(play, replaced(best, f_summarise="f_jargon"))["ending"] == "halfway_end"
    assert play_scripted(play, replaced(best, r_positive_limit="r_give_in"))["ending"] == "halfway_end"
    for path in paths_to(library, "aggressive-client", "good_end"):
        assert {"a_record_pause", "v_listen_reflect", "f_summarise"} <= path
        assert not path & {"r_give_in", "r_police_ultimatum", "sw_brushed", "sw_provoked", "v_promise",
                           "f_take_copy", "f_jargon", "n_guarantee"}
    # The good ending no longer promises "Thursday at ten": n_hotline (acceptable) books nothing.
    assert any("n_hotline" in path for path in paths_to(library, "aggressive-client", "good_end"))
    assert "четвер" not in ending_text(library, "aggressive-client", "good_end")


# -- 2. no-legal-basis ---------------------------------------------------------------------

def test_no_legal_basis_acceptable_answers_that_find_the_eviction_are_not_need_missed(library):
    path = ["demand_register_first", "story_reflect_both", "truth_no_only", "scam_forbid",
            "housing_refer_address", "plan_decided_for_him"]
    data = play_scripted(compiled(library, "no-legal-basis"), path)
    assert data["ending"] != "poor_end"
    assert (data["ending"], data["outcome"]) == ("mixed_end", "mixed")


def test_no_legal_basis_a_bare_honest_no_costs_points_not_trust(library):
    play = compiled(library, "no-legal-basis")
    state = play.start()
    for choice_id in ("demand_invite_story", "story_reflect_both"):
        state = play.step(state, choice_id).state
    after = play.step(state, "truth_no_only").state
    assert after.vars["trust"] == state.vars["trust"]
    assert choice(library, "no-legal-basis", "truth_no_only").scores == {"clarity": 1}


def test_no_legal_basis_need_missed_only_when_it_was(library):
    heard = {"story_reflect_both", "missed_catch"}
    for path in paths_to(library, "no-legal-basis", "poor_end"):
        assert not path & heard
    for path in paths_to(library, "no-legal-basis", "good_end"):
        assert path & heard and path & {"truth_honest_options", "scam_facts_choice"}


def test_no_legal_basis_own_family_story_is_ineffective_but_still_costs_trust(library):
    story = choice(library, "no-legal-basis", "story_overshare")
    assert story.rating == "ineffective" and story.scores == {"empathy": -1}
    assert story.effects["trust"] == -1
    # Finding 10: the feedback no longer switches from «людина» to «його» in one thought.
    assert "слухати його" not in story.feedback.uk and "слухати людину" in story.feedback.uk


# -- 1. the other good endings: no claim a path to them contradicts -------------------------

def test_complaint_good_ending_needs_the_case_booked_today(library):
    best = recommended(library, "complaint-front-desk")
    data = play_scripted(compiled(library, "complaint-front-desk"),
                         replaced(best, book_today_and_explain="wait_for_oksana",
                                  check_and_invite_review="call_her_tomorrow"))
    assert data["ending"] == "partly_restored"
    for path in paths_to(library, "complaint-front-desk", "trust_restored"):
        # book_after_all: booked after all, once she asks whether anyone will see her today
        assert path & {"book_today_and_explain", "book_without_explaining", "book_after_all"}
        assert "keep_and_fix_process" in path


@pytest.mark.parametrize(("scenario_id", "ending", "claims", "contradicted_by"), [
    # "you thanked her ... admitted two real mistakes ... explained the limits honestly"
    ("frequent-complainer", "good_end", ["Ви сприйняли скаргу як інформацію: подякували"],
     {"ar_form", "cf_gotcha", "cd_police"}),
    # "you thanked her, explained how it helps ... gathered the facts"
    ("complaint-front-desk", "trust_restored", ["Ви пройшли весь шлях", "Наступного ранку ви телефонуєте"],
     {"calm_down", "we_are_busy", "fill_form_again"}),
    # "without pity or grand words, with a choice of seat": one miss before the documents
    # still reaches good_plan (misses at the plan itself are routed away, see
    # test_content_honest_endings.py), so its debrief praises only the plan
    ("combat-veteran", "good_plan", ["Ви говорили з Богданом", "без жалю", "пафос", "вибором місця"],
     {"s_pity", "a_hero_thanks", "n_ptsd_label"}),
])
def test_good_debriefs_no_longer_claim_steps_some_paths_skip(library, scenario_id, ending, claims,
                                                             contradicted_by):
    """These endings are still reached after the answers named here, so their debriefs now
    say what every path did and describe the rest as the recommended way."""
    reached = set().union(*paths_to(library, scenario_id, ending))
    assert contradicted_by <= reached
    text = ending_text(library, scenario_id, ending)
    assert not [claim for claim in claims if claim in text]


# -- 3, 6-10, 12: ratings, wording, citations ----------------------------------------------

def test_own_worries_as_sympathy_are_rated_alike_and_cite_active_listening(library):
    for scenario_id, choice_id in [("no-legal-basis", "story_overshare"), ("aggressive-client", "c_overshare"),
                                   ("frequent-complainer", "fw_overshare"), ("combat-veteran", "f_brother")]:
        assert choice(library, scenario_id, choice_id).rating == "ineffective", choice_id
    for scenario_id, choice_id in [("aggressive-client", "c_overshare"), ("frequent-complainer", "fw_overshare")]:
        item = choice(library, scenario_id, choice_id)
        assert "2.3" in item.refs and "5.2.9" not in item.refs
        assert "2.3" in item.feedback.uk and "5.2.9" not in item.feedback.uk
    reassure = choice(library, "frequent-complainer", "l_reassure")
    assert "2.3" in reassure.refs and "(2.3," in reassure.feedback.uk and "(2.3," in reassure.feedback.en


def test_the_recommended_answer_gives_a_work_number_not_a_personal_one(library):
    own = choice(library, "complaint-front-desk", "own_name_and_callback")
    assert own.rating == "recommended"
    assert "мій номер" not in own.text.uk and "my number" not in own.text.en
    assert "робочого телефону" in own.text.uk and "work" in own.text.en


@pytest.mark.parametrize("scenario_id", ["off-hours-meeting", "aggressive-client"])
def test_the_programme_is_eVidnovlennia_with_eRecovery_only_at_first_mention(scenario_id):
    text = (SCENARIO_DIR / f"{scenario_id}.yaml").read_text(encoding="utf-8")
    mentions = re.findall(r"eVidnovlennia(?: \(eRecovery\))?|eRecovery", text)
    assert mentions and mentions[0] == "eVidnovlennia (eRecovery)", mentions
    assert all(m == "eVidnovlennia" for m in mentions[1:]), mentions


def test_stock_lines_are_varied(library):
    complaint = library["complaint-front-desk"].scenario
    assert "однакові" not in complaint.nodes["still_boiling"].client.says.uk
    assert "по-людськи" not in complaint.nodes["she_writes"].client.says.uk
    assert "по-людськи" not in library["combat-veteran"].scenario.endings["good_plan"].client.says.uk
    assert "по-людськи" not in library["aggressive-client"].scenario.endings["false_hope"].client.says.uk
    # The over-sharing distractor is no longer "my husband/brother at the front, I can't sleep".
    overshare = choice(library, "frequent-complainer", "fw_overshare").text.uk
    assert "воює" not in overshare and "фронт" not in overshare


@pytest.mark.parametrize(("scenario_id", "choice_id", "imperative"), [
    ("frequent-complainer", "ar_thank", "Розберімо по черзі"),
    ("frequent-complainer", "as_plan_record", "Зробімо так"),
    ("no-legal-basis", "housing_check_and_refer", "Почнімо з цього"),
], ids=["ar_thank", "as_plan_record", "housing_check_and_refer"])
def test_model_answers_use_the_synthetic_imperative(library, scenario_id, choice_id, imperative):
    item = choice(library, scenario_id, choice_id)
    assert item.rating == "recommended"
    assert imperative in item.text.uk and "Давайте" not in item.text.uk
