"""Free-text nodes end to end in the domain: validation, bounds, engine, debrief, review.

The fixtures turn the annotated example's ``still_angry`` node into a free-text node with
the worked rubric of docs/rubrics.md.
"""
from __future__ import annotations

import pytest

from trainer.scenario.debrief import build_debrief
from trainer.scenario.engine import CompiledScenario, PlayError
from trainer.scenario.review import review_markdown
from trainer.terminal import play_interactive, play_scripted

GOOD = "Розумію, ви довго чекаєте. Перед вами двоє, хвилин десять. О котрій ваш автобус?"


@pytest.fixture
def free(free_text_data, load):
    loaded = load(free_text_data)
    assert loaded.ok and loaded.diagnostics == [], [d.format() for d in loaded.diagnostics]
    return loaded


@pytest.fixture
def compiled(free):
    return CompiledScenario(free)


def at_still_angry(compiled):
    state = compiled.step(compiled.start(), "wait_your_turn").state
    assert state.node == "still_angry"
    return state


def problems(data, load, code):
    loaded = load(data)
    return [d for d in loaded.diagnostics if d.code == code]


def rubric(data):
    return data["nodes"]["still_angry"]["free_text"]


# -- validation ---------------------------------------------------------------------

def test_unknown_element_in_a_condition_is_an_error_at_its_line(free_text_data, load):
    rubric(free_text_data)["outcomes"][1]["when"] = "gives_estimate and smiles"
    [diag] = problems(free_text_data, load, "SC021")
    assert diag.line and "'smiles' is not an element of this node's rubric" in diag.message
    assert "acknowledges_wait" in diag.message  # the message lists the elements


def test_unreadable_condition_and_misplaced_fallback(free_text_data, load):
    outcomes = rubric(free_text_data)["outcomes"]
    outcomes[0]["when"] = "blames ="
    del outcomes[1]["when"]
    messages = " ".join(d.message for d in problems(free_text_data, load, "SC021"))
    assert "cannot read the condition" in messages and "only the last rule may omit" in messages


def test_missing_fallback(free_text_data, load):
    rubric(free_text_data)["outcomes"][-1]["when"] = "vague_promise"
    [diag] = problems(free_text_data, load, "SC021")
    assert "need a last rule without 'when'" in diag.message


def test_free_text_with_a_route_is_refused(free_text_data, load):
    free_text_data["nodes"]["check_mood"]["free_text"] = rubric(free_text_data)
    assert any("free_text and a route" in d.message for d in problems(free_text_data, load, "SC021"))


def test_outcome_shadowed_by_earlier_rules_is_never_chosen(free_text_data, load):
    rubric(free_text_data)["outcomes"].insert(0, {"when": "not blames", "choice": "promise_soon"})
    [diag] = problems(free_text_data, load, "SC022")
    assert "'give_time_estimate'" in diag.message and diag.line


def test_phrase_problems(free_text_data, load):
    elements = rubric(free_text_data)["elements"]
    elements[0]["phrases"]["uk"] = []
    elements[1]["phrases"]["en"].append("…!")
    messages = [d.message for d in problems(free_text_data, load, "SC023")]
    assert any("no 'uk' phrases" in m for m in messages)
    assert any("'…!' has no words" in m for m in messages)


def test_element_ids_unique_and_not_reserved(free_text_data, load):
    elements = rubric(free_text_data)["elements"]
    elements[1]["id"] = "acknowledges_wait"
    elements[2]["id"] = "count_expected"
    assert problems(free_text_data, load, "SC006")
    assert problems(free_text_data, load, "SC020")


def test_element_scores_refs_and_translations_are_checked(free_text_data, load):
    element = rubric(free_text_data)["elements"][0]
    element["scores"]["telepathy"] = 1
    element["refs"].append("9.9.9")
    del element["label"]["en"]
    loaded = load(free_text_data)
    codes = {d.code for d in loaded.diagnostics}
    assert {"SC007", "SC008", "SC011"} <= codes
    [missing] = [d for d in loaded.diagnostics if d.code == "SC011"]
    assert "example-queue.nodes.still_angry.free_text.elements.acknowledges_wait.label" in missing.message


def test_element_scores_count_as_scoring_a_competency(free_text_data, load):
    free_text_data["competencies"].append("respect")
    assert problems(free_text_data, load, "SC016")
    rubric(free_text_data)["elements"][0]["scores"]["respect"] = 1
    assert not problems(free_text_data, load, "SC016")


def test_element_refs_are_cited(free):
    rubric_refs = {r for e in free.scenario.nodes["still_angry"].free_text.elements for r in e.refs}
    assert rubric_refs <= free.scenario.cited_sections()


# -- bounds --------------------------------------------------------------------------

def test_bounds_include_element_points(free, example):
    # Without the rubric: empathy -3..2, clarity 0..3 (see tests/test_cli.py).
    assert example.analysis.summary()["bounds"] == {"empathy": {"min": -3, "max": 2},
                                                    "clarity": {"min": 0, "max": 3}}
    # wait_your_turn (empathy -1, clarity +1) then give_time_estimate (+1, +2) with both
    # empathy elements (+2) and the estimate (+1): clarity 4; argue (-2) with blames (-1)
    # after wait_your_turn: empathy -4; promise_soon (-1) with a vague promise (-1) and
    # wait_your_turn's +1: clarity -1.
    assert free.analysis.summary()["bounds"] == {"empathy": {"min": -4, "max": 2},
                                                 "clarity": {"min": -1, "max": 4}}


def test_percentages_stay_within_bounds(compiled):
    state = at_still_angry(compiled)
    result = compiled.step_text(state, GOOD)
    assert result.state.scores == {"empathy": 2, "clarity": 4}
    assert result.state.scores["clarity"] == compiled.analysis.max_score["clarity"]


# -- engine --------------------------------------------------------------------------

def test_is_free_text(compiled):
    assert compiled.is_free_text("still_angry") and not compiled.is_free_text("greeting")


def test_step_refuses_a_free_text_node(compiled):
    with pytest.raises(PlayError, match="written answer"):
        compiled.step(at_still_angry(compiled), "give_time_estimate")


def test_step_text_matches_steps_and_adds_element_points(compiled):
    state = at_still_angry(compiled)
    result = compiled.step_text(state, GOOD)
    assert result.choice == "give_time_estimate" and result.state.ending == "good_end"
    assert result.rubric["found"] == ["acknowledges_wait", "gives_estimate", "asks_his_need"]
    assert result.rubric["node"] == "still_angry"
    # The choice's own scores (empathy +1, clarity +2) plus the elements' (+2, +1).
    assert result.score_delta == {"empathy": 3, "clarity": 3}
    assert result.state.scores == {"empathy": 2, "clarity": 4}  # after wait_your_turn's -1, +1


def test_poor_answer_takes_another_outcome(compiled):
    result = compiled.step_text(at_still_angry(compiled), "Я не винна, що вас багато!")
    assert result.choice == "argue" and result.state.ending == "walked_out"
    assert result.score_delta == {"empathy": -3}


def test_step_text_refuses_empty_long_and_wrong_places(compiled):
    state = at_still_angry(compiled)
    with pytest.raises(PlayError, match="write an answer"):
        compiled.step_text(state, "   ")
    with pytest.raises(PlayError, match="longer than"):
        compiled.step_text(state, "так " * 600)
    with pytest.raises(PlayError, match="not a free-text node"):
        compiled.step_text(compiled.start(), GOOD)
    finished = compiled.step_text(state, GOOD).state
    with pytest.raises(PlayError, match="finished"):
        compiled.step_text(finished, GOOD)


def test_step_outcome_is_only_for_free_text_nodes(compiled):
    with pytest.raises(PlayError, match="use step"):
        compiled.step_outcome(compiled.start(), "greet_and_acknowledge")
    with pytest.raises(PlayError, match="not a choice"):
        compiled.step_outcome(at_still_angry(compiled), "explain_and_check")
    result = compiled.step_outcome(at_still_angry(compiled), "promise_soon", {"clarity": -1})
    assert result.state.ending == "mixed_end" and result.score_delta == {"clarity": -2}


def test_match_without_stepping(compiled):
    assert compiled.match("still_angry", "Скоро!")["outcome"] == "promise_soon"
    with pytest.raises(PlayError):
        compiled.match("greeting", "Добрий день")


# -- debrief, review, terminal -------------------------------------------------------

def test_debrief_shows_element_points_as_contributions(compiled):
    first = compiled.step(compiled.start(), "wait_your_turn")
    second = compiled.step_text(first.state, GOOD)
    steps = [(first.node, first.choice), (second.node, second.choice)]
    plain = build_debrief(compiled, steps, second.state)
    detailed = build_debrief(compiled, steps, second.state, {1: second.rubric})
    [clarity] = [c for c in detailed.competencies if c.id == "clarity"]
    assert clarity.total == 4 and sum(k.delta for k in clarity.contributions) == 4
    assert [k.element.id for k in clarity.contributions if k.element] == ["gives_estimate"]
    [plain_clarity] = [c for c in plain.competencies if c.id == "clarity"]
    assert plain_clarity.total == 4 and sum(k.delta for k in plain_clarity.contributions) == 3


def test_review_lists_the_rubric(free, toc):
    text = review_markdown(free, toc, "en")
    assert "Written answer: the choices below are its possible outcomes" in text
    assert "`acknowledges_wait` (expected, empathy +1): Acknowledges the long wait" in text
    assert "Outcome by rubric: `blames` → `argue`" in text


def test_scripted_play_names_the_outcome(compiled):
    data = play_scripted(compiled, ["wait_your_turn", "give_time_estimate"])
    assert data["ending"] == "good_end" and data["path"] == ["wait_your_turn", "give_time_estimate"]


def test_interactive_play_asks_for_a_written_answer(compiled, toc):
    said: list[str] = []
    answers = iter(["", GOOD])  # an empty answer is refused and asked again
    data = play_interactive(compiled, toc, "uk", lambda _prompt, _count: 2, said.append,
                            lambda _prompt: next(answers))
    text = "\n".join(said)
    assert data["ending"] == "good_end" and data["scores"] == {"empathy": 2, "clarity": 4}
    assert "Що ви скажете Олегові?" in text and "write an answer first" in text
    assert "+ Визнає довге очікування (є у відповіді)" in text
    assert "Приклад відповіді: «Розумію, ви вже довго чекаєте." in text
