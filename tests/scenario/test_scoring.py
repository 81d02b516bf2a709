"""Which competencies a conversation put to the test (``scoring.competencies_tested``)."""
from trainer.scenario.scoring import competencies_tested


def test_the_competencies_any_answer_at_a_visited_node_could_change(example):
    scenario = example.scenario
    assert competencies_tested(scenario, ["greeting"]) == {"empathy", "clarity"}
    assert competencies_tested(scenario, ["explain_order"]) == {"clarity"}  # no answer there scores empathy
    assert competencies_tested(scenario, []) == set()


def test_nodes_without_answers_and_unknown_nodes_add_nothing(example):
    assert competencies_tested(example.scenario, ["check_mood", "no_such_node"]) == set()


def test_a_written_answers_elements_count(free_text_data, load):
    loaded = load(free_text_data)
    node = loaded.scenario.nodes["still_angry"]
    from_elements = {comp for e in node.free_text.elements for comp, delta in e.scores.items() if delta}
    assert from_elements and from_elements <= competencies_tested(loaded.scenario, ["still_angry"])
