"""Every scenario in scenarios/ is valid, meets the library bar and scores honestly.

Parametrised over the files, so a new scenario is checked by adding it.
"""
from __future__ import annotations

import random

import pytest

from tests.conftest import SCENARIO_DIR
from trainer.scenario.analysis import iter_paths
from trainer.scenario.checks import speaker_prefixed
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_file
from trainer.scenario.quality import MAX_STEPS, bar_problems

FILES = sorted(p for p in SCENARIO_DIR.glob("*.yaml") if p.name != "competencies.yaml")
ENGINE_SAMPLE = 200


def take(compiled, state, choice_id):
    """One step along a path: at a free-text node the path names the rubric's outcome,
    taken without element points (the analysis edges carry the choice's own scores)."""
    return step_result(compiled, state, choice_id).state


def step_result(compiled, state, choice_id):
    if compiled.is_free_text(state.node):
        return compiled.step_outcome(state, choice_id)
    return compiled.step(state, choice_id)


def every_step(compiled):
    """Every step the engine can take, from every state it can reach (by node and
    variables, the inputs of what the page shows; scores aside): (state before, result)."""
    seen, queue = set(), [compiled.start()]
    while queue:
        state = queue.pop()
        key = (state.node, tuple(sorted(state.vars.items())))
        if state.finished or key in seen:
            continue
        seen.add(key)
        for choice in compiled.scenario.nodes[state.node].choices:
            result = step_result(compiled, state, choice.id)
            yield state, result
            queue.append(result.state)


def states_at(compiled, node_id):
    """Every distinct state in which the trainee is asked to answer at ``node_id``."""
    found = {}
    for _before, result in every_step(compiled):
        if result.state.node == node_id:
            found[tuple(sorted(result.state.vars.items()))] = result.state
    start = compiled.start()
    if start.node == node_id:
        found[tuple(sorted(start.vars.items()))] = start
    return list(found.values())


def compile_file(framework, toc, scenario_id):
    return CompiledScenario(load_scenario_file(SCENARIO_DIR / f"{scenario_id}.yaml", framework, toc))


@pytest.fixture(scope="module", params=FILES, ids=[p.stem for p in FILES])
def loaded(request, framework, toc):
    return load_scenario_file(request.param, framework, toc)


def test_passes_the_validator_without_findings(loaded):
    assert loaded.ok
    assert [d.format() for d in loaded.diagnostics] == []


def test_meets_the_library_bar(loaded):
    assert bar_problems(loaded) == []


def test_exhaustive_walk(loaded):
    """Every path ends, is short enough, and a critical choice always means failure."""
    scenario, analysis = loaded.scenario, loaded.analysis
    compiled = CompiledScenario(loaded)
    critical = {c.id for n in scenario.nodes.values() for c in n.choices or [] if c.critical}
    walked = 0
    critical_seen = set()
    for trail, ending in iter_paths(analysis, limit=analysis.path_count + 1):
        walked += 1
        assert 1 <= len(trail) <= MAX_STEPS
        assert ending in scenario.endings
        critical_seen |= {e.choice_id for e in trail} & critical
    assert walked == analysis.path_count
    assert critical_seen == critical, "some critical choice is on no complete path"
    # The engine, which trainees play, agrees with the analysis on a sample of paths.
    rng = random.Random(scenario.id)
    paths = list(iter_paths(analysis, limit=20_000))
    for trail, ending in rng.sample(paths, min(ENGINE_SAMPLE, len(paths))):
        state = compiled.start()
        for edge in trail:
            state = take(compiled, state, edge.choice_id)
        assert state.ending == ending
        expected = {c: sum(e.scores.get(c, 0) for e in trail) for c in scenario.competencies}
        assert state.scores == expected
        harmful = sum(compiled.choices[e.choice_id][1].rating == "harmful" for e in trail)
        assert state.harmful == harmful
        if {e.choice_id for e in trail} & critical:
            assert compiled.outcome(state) == "failed"
        elif harmful and scenario.endings[ending].outcome == "good":
            assert compiled.outcome(state) == "mixed"
        else:
            assert compiled.outcome(state) == scenario.endings[ending].outcome


def test_every_critical_choice_fails_the_attempt(loaded):
    compiled = CompiledScenario(loaded)
    analysis = loaded.analysis
    for trail, _ending in iter_paths(analysis, limit=analysis.path_count + 1):
        chosen = [e.choice_id for e in trail]
        if not any(compiled.choices[c][1].critical for c in chosen):
            continue
        state = compiled.start()
        for choice_id in chosen:
            state = take(compiled, state, choice_id)
        assert compiled.outcome(state) == "failed"
        break  # one engine play per scenario here; the sample above covers more


def test_recommended_path_plays_to_a_good_ending(loaded):
    compiled = CompiledScenario(loaded)
    state = compiled.start()
    for _node, choice_id in loaded.analysis.recommended_path:
        state = take(compiled, state, choice_id)
    assert compiled.outcome(state) == "good"


def test_texts_are_bilingual_and_sources_named(loaded):
    scenario = loaded.scenario
    assert scenario.sources
    assert scenario.persona.backstory.en and scenario.persona.backstory.uk
    # A supervisor reading in English sees the other sources in English: every title is
    # written in both languages (an official title in its own language, with a translation).
    one_language = [s.title for s in scenario.sources if s.title is not None and (isinstance(s.title, str) or not s.title.en)]
    assert not one_language, f"{scenario.id}: give these sources' titles as {{uk: ..., en: ...}}: {one_language}"


def test_openings_do_not_describe_a_client_who_is_not_in_the_conversation_yet(framework, toc):
    """Where the opening scene has the client unaware of the trainee (or someone a cue
    describes elsewhere), the state's cues are hidden there and shown from the next step."""
    hearing = CompiledScenario(load_scenario_file(SCENARIO_DIR / "hearing-impairment.yaml", framework, toc))
    start = hearing.start()
    assert hearing.cues(start) == []
    after = take(hearing, start, hearing.scenario.nodes[start.node].choices[0].id)
    assert {name for name, _text in hearing.cues(after)} == {"trust", "strain"}
    violence = CompiledScenario(load_scenario_file(SCENARIO_DIR / "domestic-violence.yaml", framework, toc))
    # The husband stands at the desk in the opening: only her own cue is shown.
    assert [name for name, _text in violence.cues(violence.start())] == ["trust"]


def test_a_scripted_new_wave_of_anger_is_not_shown_with_a_calm_cue(framework, toc):
    """aggressive-client's second wave comes whatever the trainee said; after the best
    answers the anger is at its "now listens to you" level, which the scene contradicts."""
    angry = CompiledScenario(load_scenario_file(SCENARIO_DIR / "aggressive-client.yaml", framework, toc))
    state = angry.start()
    for _node, choice in angry.analysis.recommended_path:
        if state.node == "second_wave":
            break
        state = take(angry, state, choice)
    assert state.node == "second_wave" and state.vars["anger"] < 4  # calmer than the scene
    assert [name for name, _text in angry.cues(state)] == ["trust"]


@pytest.mark.parametrize(("scenario_id", "node_id", "hidden"), [
    ("aggressive-client", "threat", {"anger", "trust"}),
    ("aggressive-client", "next_steps", {"anger"}),  # "tiredness rather than anger"
    ("aggressive-client", "closing", {"anger"}),  # he apologises for shouting
    ("client-pursuit", "tell_or_wait", {"escalation", "heard"}),  # he is not there
    ("client-pursuit", "head_meeting", {"escalation", "heard"}),
    ("client-pursuit", "after_market", {"escalation", "heard"}),
    ("combat-veteran", "his_decision", {"tension", "trust"}),
    ("complaint-front-desk", "still_boiling", {"anger", "trust"}),
    ("crying-client", "quiet_words", {"distress"}),
    ("crying-client", "back_to_question", {"distress"}),
    ("explaining-confidentiality", "threat_revealed", {"alarm"}),
    ("feedback-request", "end_of_visit", {"patience"}),
    ("frequent-complainer", "colleague_label", {"grievance", "trust"}),
    ("frequent-complainer", "farewell_cold", {"grievance", "trust"}),  # she gets up to leave
    ("hearing-impairment", "neighbour_steps_in", {"trust"}),
    ("helpless-client", "fear_of_cnap", {"confidence"}),
    ("homeless-client", "story", {"shame"}),
    ("intoxicated-client", "grief_surfaces", {"agitation"}),
    ("off-hours-meeting", "shares_fear", {"trust", "pressure"}),
    ("stateless-no-documents", "personal_data", {"fear"}),
    ("unaccompanied-child", "involve_service", {"trust"}),
    ("withdraw-consent", "his_decision", {"trust", "agitation"}),
])
def test_scenes_that_show_the_reaction_themselves_hide_the_cue_they_would_contradict(
        framework, toc, scenario_id, node_id, hidden):
    """Reading every path's scenes beside its cues found these: the scene (or the client's
    absence) says how the client is, whatever came before, and the cue for the variable's
    level, such as "she is no longer sobbing" beside "cannot stop the tears", contradicted
    it. At every state the node is reached in, the cue is not shown."""
    compiled = compile_file(framework, toc, scenario_id)
    at_node = states_at(compiled, node_id)
    assert at_node
    for state in at_node:
        assert not hidden & {name for name, _text in compiled.cues(state)}, state.vars


def test_a_warm_farewell_and_the_good_ending_come_only_after_a_plan_she_can_trust(framework, toc):
    """frequent-complainer's farewell has her apologise for being a nuisance and look you in
    the eye, and its best answer says "expect the call on Monday". It used to follow every
    answer at agree_steps, the harmful ones too, even with her grievance at its highest and her
    trust at nothing, and the good ending ("you fixed the record in front of her") could follow
    "come on Tuesday as usual". Now the warm farewell needs the plan (as_plan_record) and a
    grievance below 4; otherwise she gets up to leave (farewell_cold)."""
    compiled = compile_file(framework, toc, "frequent-complainer")
    warm = states_at(compiled, "farewell")
    assert warm and states_at(compiled, "farewell_cold")
    assert all(s.vars["grievance"] < 4 and s.vars["trust"] >= 2 for s in warm)
    steps = list(every_step(compiled))
    into_farewell = {result.choice for _before, result in steps if result.state.node == "farewell"}
    assert into_farewell == {"as_plan_record"}
    left_without_a_plan = {result.state.node for _before, result in steps
                           if result.choice in ("as_book", "as_tuesday", "as_hide")}
    assert left_without_a_plan == {"farewell_cold"}
    # Every way to the good ending makes the plan; naming it only at the door is a mixed ending.
    endings = {}
    for trail, ending in iter_paths(compiled.analysis):
        endings.setdefault(ending, []).append({edge.choice_id for edge in trail})
    assert endings["good_end"] and all("as_plan_record" in path for path in endings["good_end"])
    assert compiled.scenario.endings["left_with_a_date"].outcome == "mixed"
    assert all("fc_name_and_plan" in path for path in endings["left_with_a_date"])


def test_she_does_not_agree_to_tuesday_and_then_insist_on_an_answer_at_once(framework, toc):
    """off-hours-meeting: after a good limit, "All right, I'm writing it down" (she_nods) was
    followed straight away by "What do I care about Tuesday!" (she_insists) when the pressure
    was still high. A good limit now leads to one or the other, never both."""
    compiled = compile_file(framework, toc, "off-hours-meeting")
    after_limit = [result for _before, result in every_step(compiled) if result.choice == "oq_kind_limit"]
    nodded = [r for r in after_limit if "she_nods" in r.via]
    insisted = [r for r in after_limit if r.state.node == "she_insists"]
    assert nodded and insisted
    assert not [r for r in nodded if r.state.node == "she_insists"]
    assert all(r.state.vars["pressure"] >= 3 for r in insisted)


def test_that_is_not_for_us_ends_with_her_sent_away(framework, toc):
    """crying-client: "go back to the TsNAP, let them sort it out" used to go on to the
    trust route, where it ended in "the application was accepted" (mixed_processed) or in
    her agreeing to sign (gave_up), although she had just been sent elsewhere. Whatever the
    trust, it now ends in its own poor ending."""
    compiled = compile_file(framework, toc, "crying-client")
    sent = [result for _before, result in every_step(compiled) if result.choice == "bq_not_our_business"]
    assert sent
    assert {result.state.ending for result in sent} == {"sent_away"}
    assert compiled.scenario.endings["sent_away"].outcome == "poor"
    into = {result.choice for _before, result in every_step(compiled) if result.state.ending == "sent_away"}
    assert into == {"bq_not_our_business"}


def test_asking_the_head_to_hold_off_the_police_is_not_the_early_stop(framework, toc):
    """client-pursuit's good ending says the community police officer talked to him after
    your joint statement; it followed am_head_only ("ask her not to go to the police yet")
    too. Putting off the police now raises the pressure, so only the way with the police
    (am_head_police) stops it early."""
    compiled = compile_file(framework, toc, "client-pursuit")
    steps = list(every_step(compiled))
    held_off = [result for _before, result in steps if result.choice == "am_head_only"]
    assert held_off and "stopped_late" in {result.state.ending for result in held_off}
    assert "stopped_early" not in {result.state.ending for result in held_off}
    early = {result.choice for _before, result in steps if result.state.ending == "stopped_early"}
    assert early == {"am_head_police"}


def test_a_client_who_voiced_his_complaint_is_not_said_to_have_kept_quiet(framework, toc):
    """feedback-request's poor ending has him say "everything's fine" and says he kept quiet
    about the corridor; a low openness sent him there even after he had dictated the
    corridor complaint at complaint_comment (and it was written down). Every way through that
    comment now ends in feedback_thin or better."""
    compiled = compile_file(framework, toc, "feedback-request")
    endings = {}
    for trail, ending in iter_paths(compiled.analysis):
        endings.setdefault(ending, []).append({edge.choice_id for edge in trail})
    voiced = {"cm_thank_record", "cm_record_silently", "cm_defend_colleague"}
    assert endings["feedback_worthless"]
    assert not [path for path in endings["feedback_worthless"] if path & voiced]
    after_comment = {ending for ending, paths in endings.items() for path in paths if path & voiced}
    assert after_comment == {"honest_feedback", "feedback_thin"}


@pytest.mark.parametrize(("scenario_id", "node_id", "speaker"), [
    ("busy-queue", "queue_erupts", "Чоловік із судовим рішенням"),
    ("busy-queue", "triage", "Літня жінка з палицею"),
    ("busy-queue", "quick_question", "Хлопець із бланком"),
    ("hearing-impairment", "neighbour_steps_in", "Галина, сусідка Оксани"),
    ("intoxicated-client", "next_in_queue", "Жінка з дитиною"),
    ("domestic-violence", "at_the_desk", "Чоловік Ірини"),
])
def test_words_of_other_people_at_the_desk_are_not_given_as_the_clients(framework, toc, scenario_id, node_id, speaker):
    """Someone else speaks at these moments (the queue, a neighbour, the husband): the page
    names them instead of announcing the client's name to a screen reader."""
    scenario = load_scenario_file(SCENARIO_DIR / f"{scenario_id}.yaml", framework, toc).scenario
    line = scenario.nodes[node_id].client
    assert line.speaker is not None and line.speaker.uk == speaker and line.speaker.en
    assert not line.says.uk.startswith(("(", "«")) and not speaker_prefixed(line.says.uk)


def test_delaying_the_ambulance_for_chest_pain_never_counts_as_a_good_outcome(framework, toc):
    """intoxicated-client: "watch him a few minutes, then call" (uw_wait_watch, which even
    earned respect) and "ring his dormitory neighbour" (uw_call_dorm) were ineffective, so a
    trainee who took either could still reach monday_sober as a good outcome, whose debrief
    says "you called the ambulance in time". Chest pain means calling 103 at once (5.2.7):
    both are now harmful, so the good ending counts as mixed after them, and the wait earns
    no points."""
    compiled = compile_file(framework, toc, "intoxicated-client")
    delays = {"uw_wait_watch", "uw_call_dorm"}
    for choice_id in delays:
        choice = compiled.choices[choice_id][1]
        assert choice.rating == "harmful"
        assert all(points < 0 for points in choice.scores.values())
    good_with_delay = mixed_with_delay = 0
    for trail, ending in iter_paths(compiled.analysis):
        chosen = [edge.choice_id for edge in trail]
        if not delays & set(chosen):
            continue
        state = compiled.start()
        for choice_id in chosen:
            state = take(compiled, state, choice_id)
        assert compiled.outcome(state) != "good", chosen
        if ending == "monday_sober":
            good_with_delay += 1
            mixed_with_delay += compiled.outcome(state) == "mixed"
    assert good_with_delay and mixed_with_delay == good_with_delay
