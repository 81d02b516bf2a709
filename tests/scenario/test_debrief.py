"""Debrief: percentages against the scenario maximum, contributions, missed choices."""
from trainer.scenario.debrief import build_debrief
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.scoring import percentage


def _play(compiled, choices):
    state, steps = compiled.start(), []
    for choice in choices:
        result = compiled.step(state, choice)
        steps.append((result.node, result.choice))
        state = result.state
    return build_debrief(compiled, steps, state)


def test_percentage_rule():
    assert percentage(3, 4) == 75
    assert percentage(-2, 4) == 0
    assert percentage(5, 4) == 100
    assert percentage(1, 0) is None


def test_debrief_of_a_mixed_path(example):
    compiled = CompiledScenario(example)
    report = _play(compiled, ["wait_your_turn", "give_time_estimate"])
    by_id = {c.id: c for c in report.competencies}
    # Against the scenario maximum (empathy 2, clarity 3), not this path's own maximum.
    assert (by_id["empathy"].total, by_id["empathy"].maximum, by_id["empathy"].percent) == (0, 2, 0)
    assert (by_id["clarity"].total, by_id["clarity"].maximum, by_id["clarity"].percent) == (3, 3, 100)
    assert [(k.choice.id, k.delta) for k in by_id["empathy"].contributions] == [
        ("wait_your_turn", -1), ("give_time_estimate", 1)]
    [missed] = report.missed
    assert (missed.node, missed.chosen.id, missed.recommended.id) == ("greeting", "wait_your_turn", "greet_and_acknowledge")
    assert report.outcome == "good"
    assert (report.harmful, report.capped) == (0, False)  # an ineffective answer does not cap it
    assert report.refs[0] == "2.5" and "2.2" in report.refs


def test_debrief_of_a_good_ending_after_a_harmful_answer(example_data, load):
    example_data["nodes"]["greeting"]["choices"][1]["rating"] = "harmful"
    report = _play(CompiledScenario(load(example_data)), ["wait_your_turn", "give_time_estimate"])
    assert (report.ending, report.outcome) == ("good_end", "mixed")
    assert (report.harmful, report.capped) == (1, True)


def test_debrief_of_a_critical_error(example):
    report = _play(CompiledScenario(example), ["ignore"])
    assert report.outcome == "failed"
    assert (report.harmful, report.capped) == (1, False)  # failed for the critical error, said as such
    assert report.critical.id == "ignore"
