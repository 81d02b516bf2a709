"""Endings say only what every path to them did (content review: honest endings).

combat-veteran reached good_plan after as many as five ineffective or harmful answers,
among them the very ones its debrief praises (the plan, the decision, the support). Two
hidden variables now route those paths: ``plan_missed`` (a miss at the documents, his
decision or the support) leads to plan_unsteady, and ``missteps`` (two misses anywhere)
to came_despite, even when the end went well.

The mixed endings of aggressive-client and no-legal-basis stated things some paths to them
contradict: "Viktor has an appointment" after a hotline number only, "on Thursday" when
nobody named a day, "you did not answer aggression with aggression" after a counter-attack,
"booked in" after a stack of leaflets. The texts were rewritten, and no-legal-basis's one
mixed ending was split by its flags into three.

A second look found three leftovers. combat-veteran's walked_out said he left "without
having filed an application" on paths that had already reached his papers, so the low-trust
exit after the papers has its own poor ending, stayed_unconvinced. no-legal-basis's good_end
was reached after the sneer scam_ridicule; the hidden flag ``ridiculed`` now sends those paths
to the mixed ending truth_with_a_sneer. aggressive-client's c_rapport said "see you on
Thursday" after n_hotline, which books no day; its words no longer depend on a booking.

A third look found three more. no-legal-basis reached good_end after the harmful "you have
to leave" about the hostel; the hidden flag ``told_to_leave`` now sends that path to the mixed
ending took_your_word, which names the verdict. Its need_unheard said "the conversation kept
his trust" on paths with the sneer about his age; it now claims nothing about trust.
combat-veteran's f_not_ours said "the lawyer will tell you everything on Thursday" after
h_promise_win, which books no day; its words no longer name one.

A fourth look found two more. aggressive-client reached good_end ("you listened without
arguing ... did not threaten him") after b_attack, «Не кричіть на мене!…», at the door; it now
sets the hidden flag ``slipped``, so those paths end in halfway_end, which names it. And
no-legal-basis reached good_end ("you heard the real need, a roof over his head") after
«це не до нас» about the hostel, and after two ineffective answers; the hidden flag
``hostel_brushed`` and the hidden counter ``missteps`` now send those paths to the mixed
ending heard_the_long_way.
"""
from __future__ import annotations

import re

import pytest

from tests.scenario.walks import recommended, replaced
from trainer.scenario.analysis import iter_paths
from trainer.scenario.engine import CompiledScenario
from trainer.terminal import play_scripted

SCENARIOS = ("combat-veteran", "aggressive-client", "no-legal-basis")
MISSES = {"ineffective", "harmful"}


@pytest.fixture(scope="module")
def compiled(compile_real) -> dict[str, CompiledScenario]:
    return {scenario_id: compile_real(scenario_id) for scenario_id in SCENARIOS}


@pytest.fixture(scope="module")
def paths(compiled) -> dict[str, dict[str, list[list[str]]]]:
    """Every path of each scenario as its choice ids, by ending."""
    found: dict[str, dict[str, list[list[str]]]] = {}
    for scenario_id, play in compiled.items():
        by_ending = found.setdefault(scenario_id, {})
        for trail, ending in iter_paths(play.analysis):
            by_ending.setdefault(ending, []).append([edge.choice_id for edge in trail])
    return found


def misses(play: CompiledScenario, path: list[str]) -> list[str]:
    return [choice for choice in path if play.choices[choice][1].rating in MISSES]


def ending_text(play: CompiledScenario, ending_id: str, lang: str = "uk") -> str:
    """An ending's title, client lines and debrief in one language, on one line."""
    ending = play.scenario.endings[ending_id]
    parts = [ending.title.get(lang), ending.debrief.get(lang)]
    if ending.client:
        parts += [t.get(lang) for t in (ending.client.says, ending.client.does) if t]
    return " ".join(" ".join(part.split()) for part in parts if part)


def walk(play: CompiledScenario, path: list[str]) -> tuple[str, str]:
    data = play_scripted(play, path)
    return data["ending"], data["outcome"]


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_recommended_answers_still_reach_the_good_ending(compiled, scenario_id):
    play = compiled[scenario_id]
    good = {"combat-veteran": "good_plan", "aggressive-client": "good_end", "no-legal-basis": "good_end"}
    assert walk(play, recommended(play)) == (good[scenario_id], "good")


# -- combat-veteran: the good ending only after the plan it praises -------------------------

VETERAN_PLAN = {"d_structure", "h_options_his_choice", "f_offer_info"}  # what good_plan praises


@pytest.mark.parametrize(("slips", "ending"), [
    # A path the review found in good_plan: four misses before the documents.
    (["a_docs_first", "s_calm_down", "o_argue", "n_keep_going", "w_offer_options", "d_structure",
      "h_options_his_choice", "f_offer_info"], "came_despite"),
    # Two misses before the plan, the plan itself as recommended.
    (dict(a_seat_choice="a_hero_thanks", n_name_and_wait="n_keep_going"), "came_despite"),
    # One miss at a decision good_plan praises.
    (dict(d_structure="d_jargon"), "plan_unsteady"),
    (dict(h_options_his_choice="h_promise_win"), "plan_unsteady"),
    (dict(h_options_his_choice="h_call_wife"), "plan_unsteady"),
    (dict(f_offer_info="f_brother"), "plan_unsteady"),
    (dict(f_offer_info="f_not_ours"), "plan_unsteady"),
], ids=["review", "greeting_and_noise", "jargon", "promise_win", "call_wife", "brother", "not_ours"])
def test_veteran_lapses_lead_to_a_mixed_ending(compiled, slips, ending):
    play = compiled["combat-veteran"]
    path = slips if isinstance(slips, list) else replaced(recommended(play), **slips)
    assert misses(play, path)
    assert walk(play, path) == (ending, "mixed")


@pytest.mark.parametrize("swap", [dict(a_seat_choice="a_hero_thanks"), dict(s_listen_summarise="s_pity"),
                                  dict(n_name_and_wait="n_keep_going")],
                         ids=["hero_thanks", "pity", "keep_going"])
def test_veteran_one_miss_before_the_plan_still_allows_the_good_ending(compiled, swap):
    play = compiled["combat-veteran"]
    assert walk(play, replaced(recommended(play), **swap)) == ("good_plan", "good")


def test_veteran_endings_claim_only_what_their_paths_did(compiled, paths):
    play, found = compiled["combat-veteran"], paths["combat-veteran"]
    # good_plan: "three clear steps ... left the decision to him ... support contacts as a choice"
    for path in found["good_plan"]:
        assert VETERAN_PLAN <= set(path) and len(misses(play, path)) <= 1, path
    # came_despite: the same end, "but before that, at least two of your answers ... hurt him"
    for path in found["came_despite"]:
        assert VETERAN_PLAN <= set(path) and len(misses(play, path)) >= 2, path
    # plan_unsteady: "at least one of your answers in those last minutes ... worked against him"
    for path in found["plan_unsteady"]:
        assert not VETERAN_PLAN <= set(path), path
    # partial: "one or more of your answers reminded him ..."; it names no day and no filed
    # application, since some paths to it booked nothing.
    for path in found["partial"]:
        assert misses(play, path), path
    assert [path for path in found["partial"] if not {"d_structure", "h_options_his_choice"} & set(path)]
    for lang, stale in (("uk", ["четвер", "Заява прийнята"]), ("en", ["Thursday", "application is in"])):
        text = ending_text(play, "partial", lang)
        assert not [phrase for phrase in stale if phrase in text]


def test_veteran_good_debrief_praises_the_plan_and_nothing_a_single_miss_skips(compiled):
    uk = ending_text(compiled["combat-veteran"], "good_plan")
    for praised in ("три зрозумілі кроки", "лишили рішення за ним", "контакти підтримки як вибір"):
        assert praised in uk
    # One miss at the greeting, the story or the noise still reaches it.
    for unclaimed in ("без жалю", "пафос", "вибором місця", "пауз"):
        assert unclaimed not in uk


# -- aggressive-client: mixed endings true on every path ------------------------------------

AGGRESSIVE_SLIPS = {"b_attack", "v_interrupt_facts", "v_defend_colleague", "sw_brushed", "sw_provoked", "f_take_copy",
                    "f_jargon", "r_give_in", "r_police_ultimatum"}


@pytest.mark.parametrize(("path", "ending", "stale"), [
    # A promise, then only the hotline number: nobody ever named Thursday.
    (["b_acknowledge", "v_promise", "sw_limit_heard", "p_room_safe", "r_positive_limit", "f_summarise",
      "n_hotline", "c_overshare", "a_push_on"], "false_hope", ["четвер", "Thursday", "пішов спокійним"]),
    # The hotline number, no appointment, and a lecture at the end.
    (["b_acknowledge", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_positive_limit", "f_summarise",
      "n_hotline", "c_lecture", "a_record_pause"], "mixed_end", ["має запис", "із датою", "has an appointment"]),
    # Two stages missed, not one.
    (["b_acknowledge", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_give_in", "f_jargon", "n_plan",
      "c_rapport", "a_record_pause"], "halfway_end", ["одного з етапів", "one of the stages", "that one step"]),
    # "Don't shout at me!" at the door: the stages were not all passed. It ended in
    # unrecorded_end, "the conversation went well"; the attack is a stage gone wrong now.
    (["b_attack", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_positive_limit", "f_summarise", "n_plan",
      "c_rapport", "a_push_on"], "halfway_end", ["пройшли етапи ескалації", "took Viktor through the stages",
                                                 "Розмова з Віктором вдалася"]),
    # Aggression answered with aggression before the threat.
    (["b_acknowledge", "v_listen_reflect", "sw_provoked", "p_room_safe", "t_pause_offer"], "pause_end",
     ["не відповіли агресією на агресію", "did not answer aggression with aggression"]),
    (["b_acknowledge", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_police_ultimatum", "t_pause_offer"],
     "pause_end", ["не відповіли агресією на агресію", "did not answer aggression with aggression"]),
], ids=["false_hope_no_thursday", "mixed_no_appointment", "halfway_two_stages", "unrecorded_after_attack",
        "pause_after_provoking", "pause_after_police_threat"])
def test_aggressive_mixed_endings_say_nothing_the_path_contradicts(compiled, path, ending, stale):
    play = compiled["aggressive-client"]
    assert walk(play, path) == (ending, "mixed")
    text = ending_text(play, ending, "uk") + " " + ending_text(play, ending, "en")
    assert not [phrase for phrase in stale if phrase in text]


def test_aggressive_mixed_endings_claim_only_what_their_paths_did(compiled, paths):
    play, found = compiled["aggressive-client"], paths["aggressive-client"]
    # unrecorded_end: "you let him have his say, neither gave in ... nor threatened him,
    # explained the letter in plain words and promised nothing; ... you called the next person"
    for path in found["unrecorded_end"]:
        assert {"v_listen_reflect", "f_summarise", "a_push_on"} <= set(path), path
        assert not set(path) & (AGGRESSIVE_SLIPS | {"v_promise", "n_guarantee"}), path
    # halfway_end: "at one stage of the escalation at least, you and he missed each other"
    for path in found["halfway_end"]:
        assert set(path) & AGGRESSIVE_SLIPS, path
    assert [path for path in found["halfway_end"] if len(set(path) & AGGRESSIVE_SLIPS) >= 2]
    # false_hope: "you promised him the money"
    for path in found["false_hope"]:
        assert set(path) & {"v_promise", "n_guarantee"}, path
    # mixed_end: "it never came to threats"; "at one or more steps your answer added nothing"
    for path in found["mixed_end"]:
        assert not [choice for choice in path if choice.startswith("t_")], path
        assert misses(play, path), path
    # pause_end: "you did not meet the threat itself with aggression"
    for path in found["pause_end"]:
        assert path[-1] == "t_pause_offer", path


# -- no-legal-basis: one mixed ending per thing that was missing ----------------------------

HEARD = {"story_reflect_both", "missed_catch"}  # the eviction taken up
TOLD = {"truth_honest_options", "scam_facts_choice"}  # the Register is free, no guarantee


@pytest.mark.parametrize(("path", "ending"), [
    # The eviction passed by twice; the Register explained honestly. It ended in mixed_end,
    # "he heard ... where to go".
    (["demand_invite_story", "story_sympathy", "truth_honest_options", "scam_facts_choice", "missed_refer",
      "plan_options_choice"], "need_unheard"),
    # The eviction heard and the Register explained, but "you have to leave" cost the trust.
    (["demand_not_ours", "story_reflect_both", "truth_honest_options", "scam_facts_choice", "housing_must_leave",
      "plan_options_choice"], "little_trust"),
    # The eviction heard, the Register never explained, and leaflets instead of a booking.
    (["demand_invite_story", "story_reflect_both", "truth_no_only", "scam_forbid", "housing_check_and_refer",
      "plan_leaflets"], "mixed_end"),
], ids=["need_unheard", "little_trust", "register_untold"])
def test_no_legal_basis_each_shortfall_has_its_own_mixed_ending(compiled, path, ending):
    assert walk(compiled["no-legal-basis"], path) == (ending, "mixed")


def test_no_legal_basis_mixed_endings_claim_only_what_their_paths_did(compiled, paths):
    play, found = compiled["no-legal-basis"], paths["no-legal-basis"]
    # little_trust: "the eviction came up, and you told him honestly that ... is free"
    for path in found["little_trust"]:
        assert set(path) & HEARD and set(path) & TOLD, path
    # mixed_end: "the eviction did come up ... nobody told him plainly that ... is free"
    for path in found["mixed_end"]:
        assert set(path) & HEARD and not set(path) & TOLD, path
    # need_unheard: "you did not respond to it then ... you did not stop to ask what had happened"
    for path in found["need_unheard"]:
        assert not set(path) & HEARD and set(path) & {"missed_refer", "missed_ignore"}, path
    # No mixed ending says he was booked in: some paths end with leaflets or jargon.
    for ending in ("little_trust", "mixed_end", "need_unheard"):
        assert [path for path in found[ending] if set(path) & {"plan_leaflets", "plan_jargon"}]
        text = ending_text(play, ending, "uk") + " " + ending_text(play, ending, "en")
        assert "Записаний" not in text and "Booked in" not in text


@pytest.mark.parametrize(("scenario_id", "ending"), [
    ("combat-veteran", "plan_unsteady"), ("combat-veteran", "came_despite"), ("combat-veteran", "partial"),
    ("aggressive-client", "halfway_end"), ("aggressive-client", "mixed_end"), ("aggressive-client", "false_hope"),
    ("no-legal-basis", "little_trust"), ("no-legal-basis", "mixed_end"), ("no-legal-basis", "need_unheard"),
])
def test_rewritten_mixed_endings_are_bilingual_and_cite_the_manual(compiled, scenario_id, ending):
    item = compiled[scenario_id].scenario.endings[ending]
    assert item.outcome == "mixed" and item.refs
    for text in (item.debrief.uk, item.debrief.en):
        assert "(" + ", ".join(item.refs) + ")" in " ".join(text.split())
    assert item.title.uk and item.title.en


# -- leftovers of the first pass --------------------------------------------------------------

def node_choices(play: CompiledScenario, node_id: str) -> set[str]:
    return {choice.id for choice in play.scenario.nodes[node_id].choices or []}


@pytest.mark.parametrize("path", [
    # Trust fell too low to keep him, but his papers were sorted into three steps first.
    ["a_docs_first", "s_listen_summarise", "n_keep_going", "d_structure", "h_call_wife", "f_brother"],
    ["a_seat_choice", "s_listen_summarise", "n_name_and_wait", "d_read_aloud", "h_promise_win", "f_must_psych"],
], ids=["structured_papers", "papers_read_aloud"])
def test_veteran_low_trust_after_his_papers_is_not_walked_out(compiled, path):
    assert walk(compiled["combat-veteran"], path) == ("stayed_unconvinced", "poor")


def test_veteran_walked_out_only_before_his_papers(compiled, paths):
    play, found = compiled["combat-veteran"], paths["combat-veteran"]
    papers = node_choices(play, "documents")
    # walked_out: "leaves without having filed an application": he never got to his papers.
    for path in found["walked_out"]:
        assert not papers & set(path), path
    assert "заяви" in ending_text(play, "walked_out", "uk")
    assert "application" in ending_text(play, "walked_out", "en")
    # stayed_unconvinced: "you got as far as his papers, his question and his sleepless nights;
    # several of your answers along the way missed him or hurt him". It says nothing either way
    # about an application, since some of its paths filled one in and some did not.
    for path in found["stayed_unconvinced"]:
        assert papers & set(path) and node_choices(play, "support") & set(path), path
        assert len(misses(play, path)) >= 2, path
    assert [path for path in found["stayed_unconvinced"] if "d_structure" in path]
    assert [path for path in found["stayed_unconvinced"] if "d_structure" not in path]
    for lang, word in (("uk", "заяв"), ("en", "application")):
        assert word not in ending_text(play, "stayed_unconvinced", lang)


@pytest.mark.parametrize("path", [
    # The recommended way with a sneer instead of the facts about the "lawyer": it reached
    # good_end, whose client "won't pay him for now" and left "trusting the centre".
    ["demand_invite_story", "story_reflect_both", "truth_honest_options", "scam_ridicule",
     "housing_check_and_refer", "plan_options_choice"],
    ["demand_invite_story", "story_sympathy", "truth_honest_options", "scam_ridicule", "missed_catch",
     "plan_options_choice"],
    # The same sneer on a path that already ended in little_trust.
    ["demand_not_ours", "story_reflect_both", "truth_honest_options", "scam_ridicule", "housing_must_leave",
     "plan_jargon"],
], ids=["recommended_but_sneer", "late_catch_and_sneer", "little_trust_and_sneer"])
def test_no_legal_basis_ridicule_leads_to_its_own_mixed_ending(compiled, path):
    assert walk(compiled["no-legal-basis"], path) == ("truth_with_a_sneer", "mixed")


def test_no_legal_basis_good_ending_only_after_what_it_praises(compiled, paths):
    play, found = compiled["no-legal-basis"], paths["no-legal-basis"]
    # good_end: "you heard the real need ... and said honestly ... the Register is free and
    # nobody can guarantee a payment"; he leaves trusting you and decides about the "lawyer".
    for path in found["good_end"]:
        assert set(path) & HEARD and set(path) & TOLD and "scam_ridicule" not in path, path
    # truth_with_a_sneer: the eviction came up, the truth about The Hague was told, then the sneer.
    for path in found["truth_with_a_sneer"]:
        assert set(path) & HEARD and "truth_honest_options" in path and "scam_ridicule" in path, path
    for ending in ("little_trust", "mixed_end", "need_unheard"):
        assert not [path for path in found[ending] if "scam_ridicule" in path and set(path) & HEARD
                    and "truth_honest_options" in path], ending
    uk, en = ending_text(play, "truth_with_a_sneer", "uk"), ending_text(play, "truth_with_a_sneer", "en")
    assert "вік" in uk and "age" in en  # it names what went wrong


# A day of the week in any case form; «четверо» (four people) is not one.
WEEKDAY = re.compile(r"\b(?:понеділ\w*|вівтор\w*|середу|середи|четвер|четверга|четвергу|четвергом|п'ятниц\w*|"
                     r"субот\w*|неділ\w*|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def shown_at(play: CompiledScenario, node_id: str) -> list[str]:
    """Every text a trainee may read at a node: the client, each answer and its feedback."""
    node = play.scenario.nodes[node_id]
    texts = [t for t in (node.client.says, node.client.does) if t] if node.client else []
    for choice in node.choices or []:
        texts += [choice.text, choice.feedback]
    return [text.get(lang) for text in texts for lang in ("uk", "en")]


def test_aggressive_rapport_after_the_hotline_names_no_day(compiled):
    play = compiled["aggressive-client"]
    path = ["b_acknowledge", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_positive_limit", "f_summarise",
            "n_hotline", "c_rapport", "a_record_pause"]
    walk(play, path)  # a real path: the hotline number, then the recommended reply to his apology
    _node, rapport = play.choices["c_rapport"]
    for text in (rapport.text, rapport.feedback):
        assert not WEEKDAY.search(text.uk + " " + text.en), text.en


def test_aggressive_nothing_after_the_hotline_names_a_day(compiled, paths):
    play, found = compiled["aggressive-client"], paths["aggressive-client"]
    walked = 0
    for ending, by_path in found.items():
        for path in by_path:
            if "n_hotline" not in path:
                continue
            walked += 1
            after = path[path.index("n_hotline") + 1:]
            texts = [text for choice in after for text in shown_at(play, play.choices[choice][0])]
            texts += [ending_text(play, ending, "uk"), ending_text(play, ending, "en")]
            assert not [text for text in texts if WEEKDAY.search(text)], (path, ending)
    assert walked


@pytest.mark.parametrize(("scenario_id", "ending", "outcome"), [
    ("combat-veteran", "stayed_unconvinced", "poor"), ("no-legal-basis", "truth_with_a_sneer", "mixed"),
])
def test_new_endings_are_bilingual_and_cite_the_manual(compiled, scenario_id, ending, outcome):
    item = compiled[scenario_id].scenario.endings[ending]
    assert item.outcome == outcome and item.refs
    for text in (item.debrief.uk, item.debrief.en):
        assert "(" + ", ".join(item.refs) + ")" in " ".join(text.split())
    assert item.title.uk and item.title.en


# -- third look: a harmful verdict in the good ending, a trust claim after a sneer, a day ------

HARMFUL = "harmful"


@pytest.mark.parametrize("path", [
    # The recommended way with "you have to leave" at the hostel: it reached good_end, whose
    # debrief says he was heard and left trusting the centre with the facts to decide.
    ["demand_invite_story", "story_reflect_both", "truth_honest_options", "scam_facts_choice",
     "housing_must_leave", "plan_options_choice"],
], ids=["recommended_but_must_leave"])
def test_no_legal_basis_must_leave_is_kept_from_the_good_ending(compiled, path):
    assert walk(compiled["no-legal-basis"], path) == ("took_your_word", "mixed")


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_no_harmful_answer_on_any_path_to_a_good_ending(compiled, paths, scenario_id):
    play = compiled[scenario_id]
    good = [ending for ending, item in play.scenario.endings.items() if item.outcome == "good"]
    assert good
    for ending in good:
        for path in paths[scenario_id].get(ending, []):
            assert not [c for c in path if play.choices[c][1].rating == HARMFUL], (ending, path)


def test_no_legal_basis_took_your_word_claims_only_what_its_paths_did(compiled, paths):
    play, found = compiled["no-legal-basis"], paths["no-legal-basis"]
    # took_your_word: "you heard about the eviction and told him honestly ... but on the hostel
    # you gave a legal verdict on the spot"; "he left trusting the centre".
    assert found["took_your_word"]
    for path in found["took_your_word"]:
        assert "housing_must_leave" in path and set(path) & HEARD and set(path) & TOLD, path
        assert "scam_ridicule" not in path, path
    uk, en = ending_text(play, "took_your_word", "uk"), ending_text(play, "took_your_word", "en")
    assert "треба звільняти" in uk and "you have to leave" in en  # it names the verdict


@pytest.mark.parametrize("path", [
    # The sneer about his age, then only an address for the hostel: trust stayed at 2 or more,
    # and need_unheard said "the conversation kept his trust".
    ["demand_invite_story", "story_sympathy", "truth_honest_options", "scam_ridicule", "missed_refer",
     "plan_options_choice"],
], ids=["sneer_then_address"])
def test_no_legal_basis_need_unheard_after_a_sneer_claims_no_kept_trust(compiled, path):
    play = compiled["no-legal-basis"]
    assert walk(play, path) == ("need_unheard", "mixed")
    for lang, claim in (("uk", "втримала його довіру"), ("en", "kept his trust")):
        assert claim not in ending_text(play, "need_unheard", lang)


def test_no_legal_basis_need_unheard_says_nothing_about_trust_kept(compiled, paths):
    play, found = compiled["no-legal-basis"], paths["no-legal-basis"]
    # Some paths to it carry the sneer, so it claims neither kept nor lost trust.
    assert [path for path in found["need_unheard"] if "scam_ridicule" in path]
    assert [path for path in found["need_unheard"] if "scam_ridicule" not in path]
    for lang, word in (("uk", "довір"), ("en", "trust")):
        assert word not in ending_text(play, "need_unheard", lang)


def test_veteran_not_ours_after_a_promise_names_no_day(compiled):
    play = compiled["combat-veteran"]
    path = replaced(recommended(play), h_options_his_choice="h_promise_win", f_offer_info="f_not_ours")
    walk(play, path)  # a real path: nobody offered Thursday, then "not our department"
    _node, not_ours = play.choices["f_not_ours"]
    for text in (not_ours.text, not_ours.feedback):
        assert not WEEKDAY.search(text.uk + " " + text.en), text.en


def test_veteran_no_day_is_named_unless_one_was_offered(compiled, paths):
    play, found = compiled["combat-veteran"], paths["combat-veteran"]
    offers_day = "h_options_his_choice"  # "Shall I book you for Thursday at ten?"
    assert WEEKDAY.search(play.choices[offers_day][1].text.en)
    walked = 0
    for ending, by_path in found.items():
        for path in by_path:
            decided = [choice for choice in path if choice in node_choices(play, "his_decision")]
            if not decided or decided[0] == offers_day:
                continue
            walked += 1
            after = path[path.index(decided[0]) + 1:]
            texts = [text for choice in after for text in shown_at(play, play.choices[choice][0])]
            texts += [ending_text(play, ending, "uk"), ending_text(play, ending, "en")]
            assert not [text for text in texts if WEEKDAY.search(text)], (path, ending)
    assert walked


@pytest.mark.parametrize(("scenario_id", "ending", "outcome"), [("no-legal-basis", "took_your_word", "mixed")])
def test_third_look_endings_are_bilingual_and_cite_the_manual(compiled, scenario_id, ending, outcome):
    test_new_endings_are_bilingual_and_cite_the_manual(compiled, scenario_id, ending, outcome)


# -- fourth look: an attack at the door, a brushed-off hostel, two misses ------------------

@pytest.mark.parametrize("path", [
    # The recommended way after «Не кричіть на мене!» at the door: it reached good_end, whose
    # debrief says "you listened without arguing ... did not threaten him".
    ["b_attack", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_positive_limit", "f_summarise", "n_plan",
     "c_rapport", "a_record_pause"],
    ["b_attack", "v_listen_reflect", "sw_limit_heard", "p_room_safe", "r_call_colleague", "f_summarise", "n_hotline",
     "c_rapport", "a_record_pause"],
], ids=["recommended_but_attack", "attack_then_acceptable"])
def test_aggressive_attack_at_the_door_leads_to_halfway(compiled, path):
    assert walk(compiled["aggressive-client"], path) == ("halfway_end", "mixed")


def test_aggressive_good_and_unrecorded_endings_never_follow_the_attack(compiled, paths):
    found = paths["aggressive-client"]
    assert [path for path in found["halfway_end"] if "b_attack" in path]
    for ending in ("good_end", "unrecorded_end"):
        assert not [path for path in found[ending] if "b_attack" in path], ending


def test_aggressive_halfway_names_the_attack_and_reads_as_a_sentence(compiled):
    play = compiled["aggressive-client"]
    ending = play.scenario.endings["halfway_end"]
    assert ending.title.uk == "Спокійніше, але не всі етапи пройдено"
    uk, en = ending_text(play, "halfway_end", "uk"), ending_text(play, "halfway_end", "en")
    assert "на перший крик відповіли нападом" in uk and "first outburst with an attack" in en
    assert "сьогодні цього вистачило" in uk and "цього разу цього" not in uk


NO_LEGAL_MISSES = {"demand_not_ours", "story_back_to_hague", "story_overshare", "truth_vague", "scam_your_business",
                   "housing_not_ours", "plan_leaflets", "plan_jargon"}


@pytest.mark.parametrize("path", [
    # «Це не до нас» about the hostel on the otherwise recommended way: it reached good_end,
    # "you heard the real need, a roof over his head".
    ["demand_invite_story", "story_reflect_both", "truth_honest_options", "scam_facts_choice", "housing_not_ours",
     "plan_options_choice"],
    ["demand_invite_story", "story_reflect_both", "truth_honest_options", "scam_forbid", "housing_not_ours",
     "plan_options_choice"],
    # Two ineffective answers on the way, each of them alone allowed.
    ["demand_not_ours", "story_reflect_both", "truth_vague", "scam_facts_choice", "housing_check_and_refer",
     "plan_options_choice"],
    ["demand_invite_story", "story_back_to_hague", "truth_honest_options", "scam_facts_choice", "missed_catch",
     "plan_leaflets"],
], ids=["hostel_not_ours", "hostel_not_ours_and_forbid", "not_ours_and_vague", "back_to_hague_and_leaflets"])
def test_no_legal_basis_brushed_hostel_or_two_misses_leave_the_good_ending(compiled, path):
    assert walk(compiled["no-legal-basis"], path) == ("heard_the_long_way", "mixed")


@pytest.mark.parametrize("swap", [dict(demand_invite_story="demand_not_ours"),
                                  dict(story_reflect_both="story_back_to_hague", housing_check_and_refer="missed_catch"),
                                  dict(plan_options_choice="plan_leaflets")],
                         ids=["not_ours_at_the_door", "late_catch", "leaflets"])
def test_no_legal_basis_one_miss_elsewhere_still_allows_the_good_ending(compiled, swap):
    play = compiled["no-legal-basis"]
    path = [swap.get(choice, choice) for choice in recommended(play)]
    assert walk(play, path) == ("good_end", "good")


def test_no_legal_basis_good_and_long_way_endings_claim_only_what_their_paths_did(compiled, paths):
    play, found = compiled["no-legal-basis"], paths["no-legal-basis"]
    # good_end: "you heard the real need, a roof over his head" and answered it here.
    for path in found["good_end"]:
        assert "housing_not_ours" not in path and len(set(path) & NO_LEGAL_MISSES) <= 1, path
    # heard_the_long_way: the eviction came up and the Register was told honestly, but "at one
    # or more steps your answer passed him by or sent him elsewhere".
    assert found["heard_the_long_way"]
    for path in found["heard_the_long_way"]:
        assert set(path) & HEARD and set(path) & TOLD, path
        assert "housing_not_ours" in path or len(set(path) & NO_LEGAL_MISSES) >= 2, path
        assert not set(path) & {"scam_ridicule", "housing_must_leave"}, path
    # Some of its paths booked nothing and some never had the hostel answered here, so it claims
    # neither.
    assert [path for path in found["heard_the_long_way"] if "housing_not_ours" in path]
    assert [path for path in found["heard_the_long_way"] if "plan_leaflets" in path]
    text = ending_text(play, "heard_the_long_way", "uk") + " " + ending_text(play, "heard_the_long_way", "en")
    for stale in ("Записаний", "Booked in", "юрист перевірить", "the lawyer will check"):
        assert stale not in text


def test_fourth_look_endings_are_bilingual_and_cite_the_manual(compiled):
    test_new_endings_are_bilingual_and_cite_the_manual(compiled, "no-legal-basis", "heard_the_long_way", "mixed")
