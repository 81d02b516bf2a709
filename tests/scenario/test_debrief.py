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


def test_each_step_is_reported_with_the_recommended_choice(example):
    compiled = CompiledScenario(example)
    report = _play(compiled, ["wait_your_turn", "give_time_estimate"])
    assert [(s.index, s.node, s.chosen.id, s.recommended.id, s.was_recommended) for s in report.steps] == [
        (0, "greeting", "wait_your_turn", "greet_and_acknowledge", False),
        (1, report.steps[1].node, "give_time_estimate", report.steps[1].recommended.id, True)]
    assert all(s.answer is None and s.found is None for s in report.steps)  # no written answers here


def test_overall_is_the_average_of_the_competency_percentages(example):
    report = _play(CompiledScenario(example), ["wait_your_turn", "give_time_estimate"])
    assert report.overall == (0 + 100) / 2  # empathy 0 %, clarity 100 %, as the history averages them


def test_given_totals_replace_the_final_states(example):
    """The debrief shows the stored points, which follow supervisors' verdicts."""
    compiled = CompiledScenario(example)
    state, steps = compiled.start(), []
    for choice in ["wait_your_turn", "give_time_estimate"]:
        result = compiled.step(state, choice)
        steps.append((result.node, result.choice))
        state = result.state
    report = build_debrief(compiled, steps, state, totals={"empathy": 1})
    by_id = {c.id: c for c in report.competencies}
    assert (by_id["empathy"].total, by_id["empathy"].percent) == (1, 50)
    assert by_id["clarity"].total == state.scores["clarity"]  # not given: the state's


def test_the_recommended_answers_benchmark_shows_where_they_stay_under_100(example_data, load):
    """A perfect play-through scored under 100 % (crying-client: 89 % on empathy) when the best
    total on a competency comes from a way that gives up a recommended answer. The debrief
    keeps the percentage (history and analytics use it) and says what the recommended
    answers reach."""
    # Waiting (ineffective) now earns more clarity than greeting: the best clarity total, 4,
    # is reached only by giving up the recommended first answer.
    example_data["nodes"]["greeting"]["choices"][1]["scores"] = {"empathy": -1, "clarity": 2}
    compiled = CompiledScenario(load(example_data))
    report = _play(compiled, [choice for _node, choice in compiled.analysis.recommended_path])
    assert not report.missed
    by_id = {c.id: c for c in report.competencies}
    assert (by_id["clarity"].total, by_id["clarity"].maximum, by_id["clarity"].percent) == (3, 4, 75)
    assert by_id["clarity"].benchmark == 75 and by_id["empathy"].benchmark == 100
    assert report.recommended_falls_short


def test_no_benchmark_note_when_the_recommended_answers_reach_100(example):
    report = _play(CompiledScenario(example), ["greet_and_acknowledge", "explain_and_check"])
    assert {c.benchmark for c in report.competencies} == {100}
    assert not report.recommended_falls_short


def test_a_written_answer_step_carries_the_answer_and_the_elements_that_count(free_text_data, load):
    compiled = CompiledScenario(load(free_text_data))
    first = compiled.step(compiled.start(), "wait_your_turn")
    text = compiled.scenario.nodes["still_angry"].free_text.model_answer.uk
    second = compiled.step_text(first.state, text)
    steps = [(first.node, first.choice), (second.node, second.choice)]
    found = second.rubric["found"]
    assert found
    report = build_debrief(compiled, steps, second.state, {1: {**second.rubric, "found": found[1:]}})
    written = report.steps[1]
    assert (written.answer, written.found, written.node) == (text, found[1:], "still_angry")
    assert report.steps[0].answer is None


def test_a_competency_the_conversation_never_reached_is_not_tested(example_data, load):
    for choice in example_data["nodes"]["greeting"]["choices"]:
        (choice.get("scores") or {}).pop("clarity", None)
    report = _play(CompiledScenario(load(example_data)), ["ignore"])  # walks out at the greeting
    by_id = {c.id: c for c in report.competencies}
    assert (by_id["clarity"].tested, by_id["clarity"].percent) == (False, None)
    assert (by_id["empathy"].tested, by_id["empathy"].percent) == (True, 0)
    assert report.overall == 0  # empathy alone: clarity's would-be 0 % is not averaged in


def test_a_reached_competency_scores_even_when_the_choice_made_gave_it_nothing(example):
    report = _play(CompiledScenario(example), ["ignore"])  # "ignore" scores empathy only
    by_id = {c.id: c for c in report.competencies}
    assert (by_id["clarity"].tested, by_id["clarity"].percent) == (True, 0)


def test_a_written_answer_step_names_what_was_said_in_another_person(free_text_data, load):
    """«Розумієте, …» has the verb of «розумію», said of the client: the debrief quotes it
    beside the missed element, unless a review counts the element as found."""
    compiled = CompiledScenario(load(free_text_data))
    first = compiled.step(compiled.start(), "wait_your_turn")
    second = compiled.step_text(first.state, "Розумієте, перед вами ще двоє людей.")
    steps = [(first.node, first.choice), (second.node, second.choice)]
    assert "acknowledges_wait" not in second.rubric["found"]
    report = build_debrief(compiled, steps, second.state, {1: second.rubric})
    assert report.steps[1].other_person == {"acknowledges_wait": "Розумієте"}
    reviewed = {**second.rubric, "found": [*second.rubric["found"], "acknowledges_wait"]}
    assert build_debrief(compiled, steps, second.state, {1: reviewed}).steps[1].other_person == {}
