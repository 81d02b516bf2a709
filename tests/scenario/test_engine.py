"""The transitions-based engine: steps, routes, scores, critical errors, reuse."""
from __future__ import annotations

import threading

import pytest

from trainer.scenario.engine import CompiledScenario, PlayError, PlayState


@pytest.fixture
def compiled(example):
    return CompiledScenario(example)


def play(compiled, choices):
    state = compiled.start()
    results = []
    for choice in choices:
        result = compiled.step(state, choice)
        results.append(result)
        state = result.state
    return state, results


def test_machine_is_built_from_the_scenario(compiled):
    machine = compiled.machine
    assert set(machine.states) == {"greeting", "check_mood", "still_angry", "explain_order",
                                   "good_end", "mixed_end", "walked_out"}
    assert "greet_and_acknowledge" in machine.events and "_route" in machine.events
    assert_blank(compiled)  # no attempt is kept inside the machine


def test_recommended_play(compiled):
    state, results = play(compiled, ["greet_and_acknowledge", "explain_and_check"])
    assert results[0].via == ("check_mood",)
    assert results[0].state.node == "explain_order"
    assert state.ending == "good_end" and compiled.outcome(state) == "good"
    assert state.scores == {"empathy": 2, "clarity": 3}
    assert state.vars == {"patience": 2}


def test_state_is_clamped_and_changes_the_route(compiled):
    state, results = play(compiled, ["wait_your_turn"])
    assert state.vars == {"patience": 0}
    assert state.node == "still_angry"


def test_critical_choice_fails_whatever_the_ending(compiled):
    state, _ = play(compiled, ["ignore"])
    assert state.critical == "ignore"
    assert compiled.outcome(state) == "failed"


def test_a_harmful_answer_keeps_a_good_ending_from_being_a_good_outcome(example_data, load):
    """A calmer Oleh stays after a harmful "wait your turn" and the recommended answer gets
    him to the good ending: the client left well, but the attempt's outcome is mixed."""
    example_data["state"]["patience"]["initial"] = 3
    example_data["nodes"]["greeting"]["choices"][1]["rating"] = "harmful"
    compiled = CompiledScenario(load(example_data))
    state, results = play(compiled, ["wait_your_turn", "explain_and_check"])
    assert [r.state.harmful for r in results] == [1, 1]
    assert state.ending == "good_end" and compiled.scenario.endings["good_end"].outcome == "good"
    assert compiled.outcome(state) == "mixed"
    # A mixed or poor ending stays what it is, and the count survives a resume.
    mixed, _ = play(compiled, ["wait_your_turn", "hand_leaflet"])
    assert compiled.outcome(mixed) == "mixed"
    assert PlayState.from_dict(state.as_dict()).harmful == 1
    # A state saved before the count existed counts none: its stored outcome stays good.
    old = state.as_dict()
    del old["harmful"]
    assert compiled.outcome(PlayState.from_dict(old)) == "good"


def test_invalid_steps_are_refused(compiled):
    state = compiled.start()
    with pytest.raises(PlayError):
        compiled.step(state, "explain_and_check")  # exists, but not at this node
    with pytest.raises(PlayError):
        compiled.step(state, "no_such_choice")
    finished, _ = play(compiled, ["ignore"])
    with pytest.raises(PlayError):
        compiled.step(finished, "greet_and_acknowledge")


def test_state_round_trips_for_resume(compiled):
    state, _ = play(compiled, ["wait_your_turn"])
    again = PlayState.from_dict(state.as_dict())
    assert compiled.step(again, "give_time_estimate").state.ending == "good_end"


def test_one_machine_serves_concurrent_attempts(compiled):
    errors = []

    def worker(choices, expected):
        try:
            for _ in range(50):
                state, _ = play(compiled, choices)
                assert state.ending == expected
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(["greet_and_acknowledge", "hand_leaflet"], "mixed_end")),
               threading.Thread(target=worker, args=(["wait_your_turn", "argue"], "walked_out"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert_blank(compiled)


def assert_blank(compiled):
    """The machine drives one scratch model, blank between steps."""
    (model,) = compiled.machine.models
    assert (model.vars, model.scores, model.via, model.node) == ({}, {}, [], compiled.scenario.start)


def test_cues_show_behaviour_not_numbers(compiled):
    start = compiled.start()
    [(name, text)] = compiled.cues(start)
    assert name == "patience" and "годинник" in text.uk
    state, _ = play(compiled, ["greet_and_acknowledge"])
    [(_, calmer)] = compiled.cues(state)
    assert "розслабився" in calmer.uk


def test_a_node_can_hide_cues_that_do_not_fit_the_moment(example_data, load):
    # The opening node: the client has not looked at the trainee yet.
    example_data["nodes"]["greeting"]["hide_cues"] = ["patience"]
    loaded = load(example_data)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    compiled = CompiledScenario(loaded)
    assert compiled.cues(compiled.start()) == []
    state = compiled.step(compiled.start(), "greet_and_acknowledge").state
    [(name, calmer)] = compiled.cues(state)  # the next node shows them again
    assert name == "patience" and "розслабився" in calmer.uk


def test_broken_scenario_cannot_be_compiled(example_data, load):
    example_data["start"] = "nowhere"
    with pytest.raises(PlayError):
        CompiledScenario(load(example_data))


def test_a_choices_reaction_comes_before_the_next_nodes_line(compiled):
    # The doc example's wait_your_turn has a reaction: he answers that very remark first.
    reaction = compiled.choices["wait_your_turn"][1].reaction
    assert reaction is not None and reaction.says.uk == "Та бачу я ту жінку в синьому!"
    lines = compiled.client_lines(["still_angry"], after="wait_your_turn")
    assert lines[0] is reaction and lines[1] is compiled.scenario.nodes["still_angry"].client
    # A choice without one, or none at all, leaves the node's line alone.
    assert compiled.client_lines(["still_angry"], after="greet_and_acknowledge") == [
        compiled.scenario.nodes["still_angry"].client]
    assert compiled.client_lines(["still_angry"]) == compiled.client_lines(["still_angry"], after=None)


def test_a_reaction_needs_its_english_like_every_text(example_data, load):
    choice = example_data["nodes"]["greeting"]["choices"][1]
    choice["reaction"] = {"says": {"uk": "Та бачу я!"}}
    loaded = load(example_data)
    assert any(d.code == "SC011" and "reaction" in d.message for d in loaded.diagnostics)
