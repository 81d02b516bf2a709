"""unaccompanied-child: the good ending only for paths that did what it praises.

safe_tonight ("you were honest about the limits of secrecy ... no labels") was reached on 112
of the 113 paths with a miss, up to four of them, among them 50 paths with the harmful
sec_promise ("it'll be our secret"), because several misses cost no trust. The existing flag
``promised`` now sends those paths to safe_after_broken_promise, and the hidden counter
``missteps`` (two misses, or the harmful reproach hs_blame alone) or the hidden flag
``labelled`` (sv_over_her_head) to safe_after_stumbles. One ineffective answer elsewhere still
allows the good ending, so its debrief no longer praises the tone of every answer.
"""
from __future__ import annotations

import pytest

from tests.scenario.walks import replaced
from trainer.scenario.analysis import iter_paths
from trainer.scenario.engine import CompiledScenario
from trainer.terminal import play_scripted

MISSES = {"ineffective", "harmful"}
RECOMMENDED = ["ad_welcome", "hs_reflect", "sec_honest_limits", "dg_take_seriously", "sv_explain_together",
               "lp_explain_rights"]


@pytest.fixture(scope="module")
def play(compile_real) -> CompiledScenario:
    return compile_real("unaccompanied-child")


@pytest.fixture(scope="module")
def paths(play) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    for trail, ending in iter_paths(play.analysis):
        found.setdefault(ending, []).append([edge.choice_id for edge in trail])
    return found


def misses(play: CompiledScenario, path: list[str]) -> list[str]:
    return [choice for choice in path if play.choices[choice][1].rating in MISSES]


def walk(play: CompiledScenario, path: list[str]) -> tuple[str, str]:
    data = play_scripted(play, path)
    return data["ending"], data["outcome"]


def test_the_recommended_answers_still_reach_the_good_ending(play):
    assert [choice for _node, choice in play.analysis.recommended_path] == RECOMMENDED
    assert walk(play, RECOMMENDED) == ("safe_tonight", "good")


@pytest.mark.parametrize("path", [
    # The recommended way, but "it'll be our secret", then owning the broken promise.
    ["ad_welcome", "hs_reflect", "sec_promise", "dg_take_seriously", "bp_own_it", "sv_explain_together",
     "lp_explain_rights"],
    # The same, with the call made behind her back, then owned up to (service_called).
    ["ad_welcome", "hs_reflect", "sec_promise", "dg_take_seriously", "bp_behind_back", "sc_own_call",
     "lp_explain_rights"],
    # Four misses, the promise among them; trust too low for the secret, so her safety is
    # asked about first.
    ["ad_baby_talk", "hs_all_fine", "sec_promise", "hb_gentle_check", "dg_take_seriously", "bp_own_it",
     "sv_explain_together", "lp_overpromise"],
], ids=["promise_owned", "promise_behind_back", "four_misses"])
def test_the_secrecy_promise_leads_to_the_broken_promise_ending(play, path):
    assert "sec_promise" in path
    assert walk(play, path) == ("safe_after_broken_promise", "mixed")


def test_a_call_made_behind_her_back_is_not_offered_again(play, paths):
    # After bp_behind_back the service has been called: no path goes on to involve_service,
    # whose answers offer to call it, and the denial of the call loses her.
    behind = [path for ending_paths in paths.values() for path in ending_paths if "bp_behind_back" in path]
    assert behind
    offers = {c.id for c in play.scenario.nodes["involve_service"].choices}
    for path in behind:
        assert path[path.index("bp_behind_back") + 1] in {"sc_own_call", "sc_for_your_good", "sc_deny"}, path
        assert not offers & set(path), path
    assert walk(play, ["ad_welcome", "hs_reflect", "sec_promise", "dg_take_seriously", "bp_behind_back",
                       "sc_deny"]) == ("ran_off", "poor")


@pytest.mark.parametrize("swaps", [
    dict(ad_welcome="ad_baby_talk", lp_explain_rights="lp_overpromise"),
    dict(hs_reflect="hs_code_lecture", lp_explain_rights="lp_too_young"),
    dict(hs_reflect="hs_all_fine", dg_take_seriously="dg_interrogate"),
    dict(sec_honest_limits="sec_dont_tell_me", lp_explain_rights="lp_overpromise"),
    dict(hs_reflect="hs_all_fine", lp_explain_rights="lp_overpromise"),
    # The story told to the service over her head, with labels.
    dict(sv_explain_together="sv_over_her_head"),
], ids=["baby_talk_overpromise", "lecture_too_young", "all_fine_interrogate", "dont_tell_me_overpromise",
        "all_fine_overpromise", "over_her_head"])
def test_stumbles_on_the_way_lead_to_the_mixed_ending(play, swaps):
    path = replaced(RECOMMENDED, **swaps)
    assert len(misses(play, path)) == len(swaps)
    assert walk(play, path) == ("safe_after_stumbles", "mixed")


@pytest.mark.parametrize("safety_check", ["hb_gentle_check", "hb_pressure"])
def test_the_harmful_reproach_alone_leads_to_the_mixed_ending(play, safety_check):
    # hs_blame costs trust, so she holds back her secret and is asked about her safety.
    path = ["ad_welcome", "hs_blame", "sec_honest_limits", safety_check, "dg_take_seriously", "sv_explain_together",
            "lp_explain_rights"]
    assert walk(play, path) == ("safe_after_stumbles", "mixed")


@pytest.mark.parametrize("swap", [dict(ad_welcome="ad_baby_talk"), dict(hs_reflect="hs_code_lecture"),
                                  dict(sec_honest_limits="sec_dont_tell_me"), dict(dg_take_seriously="dg_panic"),
                                  dict(lp_explain_rights="lp_overpromise")],
                         ids=["baby_talk", "lecture", "dont_tell_me", "panic", "overpromise"])
def test_one_ineffective_answer_still_allows_the_good_ending(play, swap):
    assert walk(play, replaced(RECOMMENDED, **swap)) == ("safe_tonight", "good")


def test_endings_claim_only_what_their_paths_did(play, paths):
    # safe_tonight: no secrecy promised, the service brought in with her and without labels,
    # and at most one ineffective answer, none harmful.
    assert paths["safe_tonight"]
    for path in paths["safe_tonight"]:
        assert "sv_explain_together" in path and not {"sec_promise", "sv_over_her_head"} & set(path), path
        assert len(misses(play, path)) <= 1, path
        assert not [c for c in path if play.choices[c][1].rating == "harmful"], path
    # safe_after_broken_promise: "you promised her total secrecy ... had to break that promise"
    assert paths["safe_after_broken_promise"]
    for path in paths["safe_after_broken_promise"]:
        assert "sec_promise" in path and set(path) & {"bp_own_it", "bp_behind_back"}, path
    # safe_after_stumbles: the reproach, two or more misses, or the labels.
    assert paths["safe_after_stumbles"]
    for path in paths["safe_after_stumbles"]:
        assert "sec_promise" not in path, path
        assert "hs_blame" in path or "sv_over_her_head" in path or len(misses(play, path)) >= 2, path


def test_the_good_debrief_praises_nothing_a_single_miss_skips(play):
    ending = play.scenario.endings["safe_tonight"]
    uk, en = " ".join(ending.debrief.uk.split()), " ".join(ending.debrief.en.split())
    assert "не пообіцяли їй таємниці, якої не змогли б дотримати" in uk
    assert "did not promise her a secrecy you could not keep" in en
    for stale in ("поважно і простою мовою", "respectfully and in plain language"):
        assert stale not in uk + en


@pytest.mark.parametrize("ending_id", ["safe_after_broken_promise", "safe_after_stumbles"])
def test_the_new_endings_are_bilingual_and_cite_the_manual(play, ending_id):
    ending = play.scenario.endings[ending_id]
    assert ending.outcome == "mixed" and ending.refs
    assert ending.title.uk and ending.title.en
    for text in (ending.debrief.uk, ending.debrief.en):
        assert "(" + ", ".join(ending.refs) + ")" in " ".join(text.split())
    # Neither claims the good ending's praise.
    assert "без ярликів" not in ending.debrief.uk and "no labels" not in ending.debrief.en


def test_the_hidden_variables_show_no_cues(play):
    for name in ("missteps", "labelled", "promised"):
        assert not play.scenario.state[name].cues, name
