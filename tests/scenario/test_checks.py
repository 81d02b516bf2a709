"""Each diagnostic code is raised by the problem it names, with a line to look at."""
from __future__ import annotations

import copy

import pytest

from trainer.scenario.diagnostics import CODES


def codes(loaded):
    return {d.code for d in loaded.diagnostics}


def _choice(data, node, index=0):
    return data["nodes"][node]["choices"][index]


def mutate_sc001(d):
    d["colour"] = "red"


def mutate_sc002(d):
    _choice(d, "greeting")["next"] = "nowhere"


def mutate_sc003(d):
    d["nodes"]["orphan"] = copy.deepcopy(d["nodes"]["explain_order"])
    for i, c in enumerate(d["nodes"]["orphan"]["choices"]):
        c["id"] = f"orphan_{i}"


def mutate_sc004(d):
    d["nodes"]["check_mood"]["route"] = [{"when": "patience >= 2", "next": "explain_order"}]


def mutate_sc005(d):
    d["nodes"]["loop_a"] = {"client": {"says": {"uk": "а", "en": "a"}}, "choices": [
        {"id": f"la_{i}", "text": {"uk": "т", "en": "t"}, "rating": "recommended",
         "feedback": {"uk": "ф", "en": "f"}, "next": "loop_b"} for i in range(1)]}
    d["nodes"]["loop_b"] = {"client": {"says": {"uk": "б", "en": "b"}}, "choices": [
        {"id": "lb_0", "text": {"uk": "т", "en": "t"}, "rating": "recommended",
         "feedback": {"uk": "ф", "en": "f"}, "next": "loop_a"}]}
    _choice(d, "explain_order", 2)["next"] = "loop_a"


def mutate_sc006(d):
    _choice(d, "still_angry", 1)["id"] = "give_time_estimate"


def mutate_sc007(d):
    _choice(d, "greeting")["scores"]["telepathy"] = 1


def mutate_sc008(d):
    d["manual"].append("9.9.9")


def mutate_sc009(d):
    del _choice(d, "greeting", 1)["feedback"]


def mutate_sc010(d):
    _choice(d, "explain_order")["rating"] = "acceptable"


def mutate_sc011(d):
    del d["summary"]["en"]


def mutate_sc012(d):
    d["state"]["mood"] = {"label": {"uk": "Настрій", "en": "Mood"}, "initial": 2}


def mutate_sc013(d):
    d["nodes"]["check_mood"]["route"][0]["when"] = "patience >= 3"


def mutate_sc014(d):
    d["endings"]["lonely_end"] = copy.deepcopy(d["endings"]["mixed_end"])


def mutate_sc015(d):
    _choice(d, "explain_order", 2)["next"] = "explain_order"


def mutate_sc016(d):
    d["competencies"].append("respect")


def mutate_sc017(d):
    d["state"]["patience"]["initial"] = 9


def mutate_sc018(d):
    _choice(d, "greeting")["effects"]["anger"] = 1


def mutate_sc020(d):
    _choice(d, "greeting", 1)["id"] = "trigger"


def _free_text(d):
    from tests.conftest import doc_free_text_block

    d["nodes"]["still_angry"]["free_text"] = doc_free_text_block()
    return d["nodes"]["still_angry"]["free_text"]


def mutate_sc021(d):
    _free_text(d)["outcomes"][0]["choice"] = "explain_and_check"


def mutate_sc022(d):
    _free_text(d)["outcomes"] = [{"when": "blames", "choice": "argue"}, {"choice": "give_time_estimate"}]


def mutate_sc023(d):
    _free_text(d)["elements"][0]["phrases"]["en"] = []


def mutate_sc024(d):
    d["nodes"]["entry"] = {"route": [{"next": "good_end"}]}
    d["start"] = "entry"


def mutate_sc025(d):
    d["nodes"]["greeting"]["client"]["says"]["uk"] = "«Я вже сорок хвилин тут стою!»"


def mutate_sc026(d):
    d["nodes"]["greeting"]["client"]["says"]["en"] = "(writes on a sheet) I've been standing here forty minutes!"


def mutate_sc027(d):
    # Patience is 0, 1 or 2 at the decisions; a cue from 3 could only show at an ending.
    d["state"]["patience"]["cues"].append({"at_least": 3, "text": {"uk": "Він усміхається.", "en": "He smiles."}})


def mutate_sc028(d):
    d["nodes"]["greeting"]["choices"][0]["feedback"]["en"] = 'Saying "I see you" eases tension (2.2).'


MUTATIONS = {name[len("mutate_"):].upper(): fn for name, fn in globals().items() if name.startswith("mutate_")}


@pytest.mark.parametrize("code", sorted(set(CODES) - {"SC019"}))
def test_each_code_is_raised_with_a_line(code, example_data, load):
    MUTATIONS[code](example_data)
    loaded = load(example_data)
    found = [d for d in loaded.diagnostics if d.code == code]
    assert found, f"{code} not raised; got {[d.format() for d in loaded.diagnostics]}"
    assert all(d.line for d in found), [d.format() for d in found]
    assert loaded.ok is (CODES[code][0] == "warning" and not any(d.severity == "error" for d in loaded.diagnostics))


def test_quoted_client_words_are_named_in_each_language_and_where_they_are(example_data, load):
    endings = example_data["endings"]
    ending_id, ending = next((k, v) for k, v in endings.items() if v.get("client"))
    ending["client"]["says"]["en"] = "“Thank you for explaining.”"
    example_data["nodes"]["greeting"]["client"]["says"]["uk"] = "«Я вже сорок хвилин тут стою!»"
    loaded = load(example_data)
    found = sorted(d.message for d in loaded.diagnostics if d.code == "SC025")
    assert found == [
        f"example-queue.endings.{ending_id}.client.says.en is wrapped in “”: remove them, the page puts the "
        "client's words in quotation marks itself",
        "example-queue.nodes.greeting.client.says.uk is wrapped in «»: remove them, the page puts the client's "
        "words in quotation marks itself",
    ], found
    assert loaded.ok  # a warning: the scenario is still offered


@pytest.mark.parametrize(("text", "quoted"), [
    ("«Що тут написано?»", True),
    ("“What does it say?”", True),
    ('"Plain quotes."', True),
    ("«Та ви всі однакові! А ви мені — «почекайте»!»", True),  # a quotation inside the words
    ("«Так», — каже вона. — «Ні»", False),  # two quotations that start and end it
    ("Він каже: «Ні»", False),
    ("«Ні", False),
    ("«", False),
    ("", False),
])
def test_quoted_whole_tells_wrapping_marks_from_quotations_inside(text, quoted):
    from trainer.scenario.checks import quoted_whole

    assert quoted_whole(text) is quoted


def test_hidden_cues_must_name_a_state_variable(example_data, load):
    example_data["nodes"]["greeting"]["hide_cues"] = ["patience", "anger"]
    loaded = load(example_data)
    [found] = [d for d in loaded.diagnostics if d.code == "SC018"]
    assert found.message == "node 'greeting' hides the cues of 'anger', which is not declared under 'state'"
    assert found.line and not loaded.ok


def test_a_cue_no_decision_shows_is_named_with_the_values_seen(example_data, load):
    mutate_sc027(example_data)
    [found] = [d for d in load(example_data).diagnostics if d.code == "SC027"]
    assert found.message.startswith("the cue of 'patience' from 3 ('Він усміхається.') is never shown: "
                                    "at the nodes that show 'patience', it is only ever 0, 1, 2: ")
    assert found.severity == "warning"


def test_a_cue_hidden_wherever_its_values_occur_is_never_shown(example_data, load):
    # The calm-to-tense cue (from 0) fits patience 0 and 1: at the opening (1) and at
    # still_angry (0 or 1). Hidden at both, it is never seen; hidden at one, it still is.
    example_data["nodes"]["greeting"]["hide_cues"] = ["patience"]
    assert "SC027" not in codes(load(example_data))
    example_data["nodes"]["still_angry"]["hide_cues"] = ["patience"]
    [found] = [d for d in load(example_data).diagnostics if d.code == "SC027"]
    assert "from 0" in found.message and "it is only ever 2:" in found.message


def test_a_cue_shadowed_by_another_at_the_same_level_is_never_shown(example_data, load):
    cues = example_data["state"]["patience"]["cues"]
    cues.append({"at_least": 2, "text": {"uk": "Він кивнув.", "en": "He nodded."}})
    [found] = [d for d in load(example_data).diagnostics if d.code == "SC027"]
    assert "from 2 ('Він трохи розслабився.')" in found.message  # the later one of the two wins


@pytest.mark.parametrize(("words", "kind"), [
    ("(пише на аркуші) Я стою тут сорок хвилин!", "a note in brackets"),
    ("Літня жінка тихо: «Доню, мені б тільки спитати... Я постою, нічого.»", "a name and a colon before quoted words"),
    ("Чоловік із черги, голосно: \"Скільки можна!\"", "a name and a colon before quoted words"),
])
def test_a_stage_direction_or_a_speakers_name_in_the_words_is_named(example_data, load, words, kind):
    example_data["nodes"]["greeting"]["client"]["says"]["uk"] = words
    [found] = [d for d in load(example_data).diagnostics if d.code == "SC026"]
    assert found.message.startswith(f"example-queue.nodes.greeting.client.says.uk starts with {kind}: keep only "
                                    "the words, name someone other than the client under 'speaker'")
    assert found.line


@pytest.mark.parametrize("words", [
    "У ТЦК кажуть: «пишіть у частину», а частина мовчить.",  # a quotation inside what he says
    "Я вже тричі казав. Відповідь одна: «чекайте».",
    "«Так»: от і вся їхня відповідь.",
])
def test_quoting_someone_inside_the_words_is_not_a_speakers_name(example_data, load, words):
    example_data["nodes"]["greeting"]["client"]["says"]["uk"] = words
    assert "SC026" not in codes(load(example_data))


def test_file_name_must_match_id(example_data, load):
    loaded = load(example_data, name="other-name")
    assert "SC019" in codes(loaded)


def test_clean_example_has_no_diagnostics(example):
    assert example.diagnostics == []


def test_yaml_syntax_error_names_the_line(load):
    loaded = load("id: x\nversion: 1\ntitle: {uk: [unclosed\n")
    [diag] = loaded.diagnostics
    assert diag.code == "SC001" and diag.line == 4 or diag.line == 3
    assert "YAML syntax" in diag.message


def test_comma_split_text_gets_a_specific_hint(load):
    source = "id: example-queue\ntitle: {uk: Так, звісно, en: Yes}\nsummary: {uk: а, en: No}\n"
    loaded = load(source)
    messages = " ".join(d.message for d in loaded.diagnostics)
    assert "split at a comma" in messages and "double quotes" in messages


def test_missing_field_says_what_to_add(example_data, load):
    del example_data["persona"]
    loaded = load(example_data)
    assert any("missing field 'persona'" in d.message for d in loaded.diagnostics)


def test_duplicate_yaml_key_is_reported(load):
    from tests.conftest import doc_example_source

    source = doc_example_source().replace("  still_angry:\n", "  explain_order:\n    client: {says: {uk: а, en: a}}\n  still_angry:\n", 1)
    loaded = load(source)
    dup = [d for d in loaded.diagnostics if d.code == "SC006"]
    assert dup and "appears twice" in dup[0].message


def test_bad_guard_is_reported_at_its_line(example_data, load):
    example_data["nodes"]["check_mood"]["route"][0]["when"] = "patience >= 2 or __import__('os')"
    loaded = load(example_data)
    [diag] = [d for d in loaded.diagnostics if d.code == "SC001"]
    assert diag.line and "only state variables" in diag.message


def test_yes_no_read_as_booleans_get_a_hint(load):
    loaded = load("id: example-queue\nsummary: {uk: Так, en: No}\n")
    assert any("yes-or-no value" in d.message for d in loaded.diagnostics)


def test_missing_translation_names_the_stable_text_id(example_data, load):
    del example_data["nodes"]["still_angry"]["choices"][1]["feedback"]["en"]
    loaded = load(example_data)
    [diag] = [d for d in loaded.diagnostics if d.code == "SC011"]
    assert "example-queue.nodes.still_angry.choices.promise_soon.feedback" in diag.message


def test_straight_quotes_are_named_with_the_marks_each_language_uses(example_data, load):
    mutate_sc028(example_data)
    example_data["summary"]["uk"] = 'Відвідувач каже "знову черга".'
    loaded = load(example_data)
    found = sorted(d.message for d in loaded.diagnostics if d.code == "SC028")
    assert found == [
        'example-queue.nodes.greeting.choices.greet_and_acknowledge.feedback.en quotes with ": write “…”, '
        "as the rest of the English text does",
        'example-queue.summary.uk quotes with ": write «…», as the rest of the Ukrainian text does',
    ], found
    example_data["summary"]["uk"] = "Відвідувач каже «знову черга»."
    example_data["nodes"]["greeting"]["choices"][0]["feedback"]["en"] = "Saying “I see you” eases tension (2.2)."
    assert not [d for d in load(example_data).diagnostics if d.code == "SC028"]
