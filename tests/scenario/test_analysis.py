"""The graph search agrees with an independent brute-force walk of the scenario."""
from __future__ import annotations

import re

from trainer.scenario.analysis import iter_paths


def brute_force(scenario):
    """Every complete path by direct simulation, written without the trainer's helpers."""
    names = list(scenario.state)

    def clamp(state, effects):
        new = dict(state)
        for k, v in effects.items():
            var = scenario.state[k]
            new[k] = min(var.max, max(var.min, new[k] + v))
        return new

    def holds(expr, state):
        # Test-only evaluation: substitute values and let Python compare.
        text = re.sub(r"[a-z_]+", lambda m: m.group(0) if m.group(0) in ("and", "or", "not") else str(state[m.group(0)]), expr)
        return eval(text)  # noqa: S307 - trusted test input

    def settle(target, state):
        while target in scenario.nodes and scenario.nodes[target].route:
            for rule in scenario.nodes[target].route:
                if rule.when is None or holds(rule.when, state):
                    target = rule.next
                    break
        return target

    results = []

    def walk(node, state, totals, path):
        if node in scenario.endings:
            results.append((tuple(path), node, dict(totals)))
            return
        for choice in scenario.nodes[node].choices:
            new_state = clamp(state, choice.effects)
            new_totals = {c: totals.get(c, 0) + choice.scores.get(c, 0) for c in scenario.competencies}
            walk(settle(choice.next, new_state), new_state, new_totals, path + [choice.id])

    start_state = {n: scenario.state[n].initial for n in names}
    walk(settle(scenario.start, start_state), start_state, {c: 0 for c in scenario.competencies}, [])
    return results


def test_bounds_and_counts_match_brute_force(example):
    analysis = example.analysis
    paths = brute_force(example.scenario)
    assert analysis.path_count == len(paths) == 7
    for comp in example.scenario.competencies:
        assert analysis.max_score[comp] == max(t[comp] for _p, _e, t in paths)
        assert analysis.min_score[comp] == min(t[comp] for _p, _e, t in paths)
    assert analysis.longest == max(len(p) for p, _e, _t in paths)
    walked = {(tuple(e.choice_id for e in trail), end) for trail, end in iter_paths(analysis)}
    assert walked == {(p, e) for p, e, _t in paths}


def test_recommended_and_worst_paths(example):
    analysis = example.analysis
    assert [c for _n, c in analysis.recommended_path] == ["greet_and_acknowledge", "explain_and_check"]
    assert analysis.recommended_ending == "good_end"
    assert [c for _n, c in analysis.worst_path] == ["ignore"]
    assert analysis.worst_ending == "walked_out"


def test_same_choice_lands_differently_by_state(example_data, load):
    # Start more patient: "wait your turn" now leads to explain_order instead of still_angry.
    example_data["state"]["patience"]["initial"] = 3
    loaded = load(example_data)
    edges = loaded.analysis.edges[loaded.analysis.start]
    dest = {e.choice_id: e.dest[0] for e in edges}
    assert dest["wait_your_turn"] == "explain_order"


def test_remaining_follows_the_recommended_continuation(example):
    analysis = example.analysis
    # "ignore" would end at once, but the progress estimate follows the recommended answers.
    assert analysis.recommended_remaining(analysis.start) == 2


def test_unseen_cues_match_what_the_engine_shows_on_every_path(registry):
    """SC027 against an independent walk: every path of every library scenario played
    through the engine (a written answer's node takes each of its outcomes in turn), and
    the cues its decisions show collected. Every declared cue is shown somewhere, and the
    validator reports none as never shown; the planted cases are in test_checks."""
    from trainer.scenario.engine import CompiledScenario, PlayState

    for scenario_id, loaded in sorted(registry.current.items()):
        compiled = CompiledScenario(loaded)
        shown: set[tuple[str, str]] = set()
        seen: set[tuple] = set()  # a position repeats along many paths: walk it once

        def visit(state: PlayState) -> None:
            key = (state.node, tuple(sorted(state.vars.items())), state.finished)
            if key in seen:
                return
            seen.add(key)
            if state.finished:
                return
            shown.update((name, text.uk) for name, text in compiled.cues(state))
            take = compiled.step_outcome if compiled.is_free_text(state.node) else compiled.step
            for choice in compiled.scenario.nodes[state.node].choices or []:
                visit(take(state, choice.id).state)

        visit(compiled.start())
        declared = {(name, cue.text.uk) for name, var in compiled.scenario.state.items() for cue in var.cues}
        assert declared == shown, (scenario_id, declared - shown)
        assert not [d for d in loaded.diagnostics if d.code == "SC027"], scenario_id


def test_a_route_that_loops_in_one_state_and_matches_nothing_in_another_gets_both_findings(example_data, load):
    """check_mood loops through `bounce` when patience is high and matches no rule when it is
    low. Both findings are reported whichever state the search meets first; the report of one
    used to silence the other (found by test_properties' random graphs)."""
    example_data["nodes"]["check_mood"]["route"] = [{"when": "patience >= 2", "next": "bounce"}]
    example_data["nodes"]["bounce"] = {"route": [{"next": "check_mood"}]}
    for order in (1, -1):
        data = dict(example_data)
        greeting = dict(data["nodes"]["greeting"], choices=data["nodes"]["greeting"]["choices"][::order])
        data["nodes"] = dict(data["nodes"], greeting=greeting)
        codes = [d.code for d in load(data).diagnostics]
        assert "SC015" in codes and "SC004" in codes, (order, codes)
