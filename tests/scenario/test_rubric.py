"""The rubric matcher: word forms, order and window, negation, outcomes, bounds."""
from __future__ import annotations

import pytest

from tests.conftest import doc_free_text_block
from trainer.scenario.guards import GuardError
from trainer.scenario.model import FreeText
from trainer.scenario.reading import tokenize
from trainer.scenario.rubric import MAX_ENUMERATED, Rubric, in_another_person, outcome_table


def free_text(phrases: dict[str, list[str]], outcomes=None, scores=None, kinds=None) -> FreeText:
    """A rubric with one element per entry of ``phrases`` (Ukrainian and English mixed)."""
    elements = [
        {"id": eid, "kind": (kinds or {}).get(eid, "expected"), "label": {"uk": eid, "en": eid},
         "phrases": {"uk": list(found)}, "scores": (scores or {}).get(eid, {}),
         "feedback": {"uk": f"про {eid}", "en": f"about {eid}"}}
        for eid, found in phrases.items()
    ]
    return FreeText.model_validate({
        "prompt": {"uk": "Що скажете?", "en": "What do you say?"},
        "model_answer": {"uk": "Зразок.", "en": "A model."},
        "elements": elements,
        "outcomes": outcomes or [{"choice": "fallback"}],
    })


def found(phrases, text, lang="uk"):
    return Rubric(free_text(phrases)).match(text, lang)["found"]


@pytest.mark.parametrize("phrase, text", [
    ("плакати", "Ви плачете, і це нормально."),
    ("плачете", "Вона плакала весь ранок."),
    ("хвилина", "Це займе п'ятнадцять хвилин."),
    ("адреса", "Запишіть адресу, будь ласка."),
    ("worry", "I can see you are worried."),
    ("hour", "The office hours are on the door."),
])
def test_any_word_form_matches(phrase, text):
    assert found({"e": [phrase]}, text) == ["e"]


def test_unrelated_words_do_not_match():
    assert found({"e": ["плакати"]}, "Ви сміялися, і це нормально.") == []


@pytest.mark.parametrize("text, plain, negated", [
    ("Я не поспішаю.", [], ["e"]),
    ("Я поспішаю.", ["e"], []),
    ("Я не буду вас поспішати.", [], ["e"]),  # three words back is still negated
    ("Я не знаю, але поспішаю.", ["e"], []),  # the comma and «але» start a new clause
    ("Не знаю чи поспішаю.", ["e"], []),  # «чи» starts a new clause
    ("Я поспішаю не до вас.", ["e"], []),  # a negator after the match does not count
])
def test_negation_both_ways(text, plain, negated):
    assert found({"e": ["поспішаю"]}, text) == plain
    assert found({"e": ["не поспішаю"]}, text) == negated


def test_negation_in_english_opens_contractions():
    assert found({"e": ["rush"]}, "I don't rush anyone.") == []
    assert found({"e": ["not rush"]}, "I don't rush anyone.") == ["e"]
    assert found({"e": ["not rush"]}, "We won't rush you.") == ["e"]
    assert found({"e": ["no hurry"]}, "We are in no hurry at all.") == ["e"]
    assert found({"e": ["hurry"]}, "We are in no hurry at all.") == []


def test_negator_inside_a_phrase_is_an_ordinary_word():
    assert found({"e": ["це не до нас"]}, "Ну, це не до нас, ідіть далі.") == ["e"]
    assert found({"e": ["це не до нас"]}, "Це якраз до нас.") == []


def test_negator_between_matched_words_negates():
    assert found({"e": ["прийти завтра"]}, "Можна прийти завтра.") == ["e"]
    assert found({"e": ["прийти завтра"]}, "Можна прийти не завтра.") == []


def test_words_must_come_in_order_within_the_window():
    phrases = {"e": ["розумію вас"]}
    assert found(phrases, "Я розумію вас.") == ["e"]
    assert found(phrases, "Я так добре розумію вас.") == ["e"]
    assert found(phrases, "Розумію, чесно кажучи, вас.") == ["e"]  # two words between
    assert found(phrases, "Розумію, чесно кажучи, саме вас.") == []  # three words between
    assert found(phrases, "Вас я розумію.") == []  # wrong order


def test_apostrophes_case_and_lookalike_letters():
    assert found({"e": ["пам'ять"]}, "ПАМ’ЯТЬ підводить") == ["e"]
    assert found({"e": ["м'яко"]}, "Скажіть мʼяко.") == ["e"]
    # A Latin "o" and "i" typed inside a Ukrainian word are read as Cyrillic.
    assert found({"e": ["розуміти"]}, "Я вас рoзумiю.") == ["e"]


def test_phrases_of_both_languages_are_tried():
    rubric = Rubric(free_text({"e": ["розумію"]}))
    result = rubric.match("Я вас розумію.", "en")
    assert result["found"] == ["e"] and result["lang"] == "en"
    assert result["elements"][0]["feedback"] == "about e"  # texts follow the language


def test_match_reports_words_span_and_skipped_occurrences():
    text = "Я не поспішаю. Але ви, мабуть, поспішаєте?"
    result = Rubric(free_text({"hurry": ["поспішати"]})).match(text)
    element = result["elements"][0]
    start, end = element["match"]["span"]
    assert text[start:end] == element["match"]["quote"] == "поспішаєте"
    assert element["match"]["words"] == ["поспішаєте"] and element["match"]["phrase"] == "поспішати"
    negated = Rubric(free_text({"calm": ["не поспішати"]})).match("Ви поспішаєте.")["elements"][0]
    assert negated["found"] is False
    assert [s["quote"] for s in negated["skipped"]] == ["поспішаєте"]


def test_tokens_keep_clauses_and_digits():
    tokens = tokenize("Прийдіть о 9:30, будь ласка")
    assert [t.word for t in tokens] == ["прийдіть", "о", "9", "30", "будь", "ласка"]
    assert tokens[3].clause < tokens[4].clause


# -- outcome rules and points: the worked example of docs/rubrics.md ----------------

@pytest.fixture(scope="module")
def doc_rubric():
    return Rubric(FreeText.model_validate(doc_free_text_block()))


@pytest.mark.parametrize("text, outcome, found, delta", [
    ("Розумію, ви довго чекаєте. Перед вами двоє, хвилин десять.", "give_time_estimate",
     ["acknowledges_wait", "gives_estimate"], {"empathy": 1, "clarity": 1}),
    ("Скоро, скоро, зачекайте.", "promise_soon", ["vague_promise"], {"clarity": -1}),
    ("Я не винна, що вас тут стільки.", "argue", ["blames"], {"empathy": -1}),
    ("Я не розумію, чого ви кричите", "promise_soon", [], {}),
    ("It's not my fault there are so many of you.", "argue", ["blames"], {"empathy": -1}),
])
def test_worked_example_of_the_docs(doc_rubric, text, outcome, found, delta):
    result = doc_rubric.match(text)
    assert (result["outcome"], result["found"], result["score_delta"]) == (outcome, found, delta)


def test_result_lists_elements_by_kind_and_feedback(doc_rubric):
    result = doc_rubric.match("Скоро, скоро. Ваша черга через п'ять хвилин.", "en")
    assert result["expected_found"] == ["gives_estimate"]
    assert result["expected_missing"] == ["acknowledges_wait", "asks_his_need"]
    assert result["discouraged_found"] == ["vague_promise"]
    # A vague promise blocks the recommended outcome even with an estimate.
    assert result["outcome"] == "promise_soon" and result["rule"] == 2
    shown = {f["id"]: f["found"] for f in result["feedback"]}
    assert shown == {"acknowledges_wait": False, "gives_estimate": True, "asks_his_need": False,
                     "vague_promise": True}  # discouraged elements only when found
    assert result["model_answer"].startswith("“I understand")
    assert set(result) >= {"lang", "answer", "outcome", "rule", "found", "expected_found",
                           "expected_missing", "discouraged_found", "score_delta", "feedback",
                           "elements", "model_answer"}


def test_counts_are_available_to_outcome_rules():
    rubric = Rubric(free_text(
        {"a": ["перше"], "b": ["друге"], "x": ["погане"]}, kinds={"x": "discouraged"},
        outcomes=[{"when": "count_discouraged >= 1", "choice": "bad"},
                  {"when": "count_expected >= 2", "choice": "good"}, {"choice": "some"}]))
    assert rubric.match("перше і друге")["outcome"] == "good"
    assert rubric.match("перше")["outcome"] == "some"
    assert rubric.match("перше, друге, погане")["outcome"] == "bad"


def test_a_rubric_with_an_unreadable_rule_is_refused():
    with pytest.raises(GuardError):
        Rubric(free_text({"a": ["так"]}, outcomes=[{"when": "nope", "choice": "x"}, {"choice": "y"}]))


def test_outcome_table_tries_every_combination():
    table = outcome_table(FreeText.model_validate(doc_free_text_block()))
    assert table.exact and table.reachable == {"argue", "give_time_estimate", "promise_soon"}
    # give_time_estimate needs the estimate and one of the two empathy elements, and can
    # have neither a vague promise nor blame: so empathy is 1 or 2, clarity always 1.
    assert table.best["give_time_estimate"] == {"clarity": 1, "empathy": 2}
    assert table.worst["give_time_estimate"] == {"clarity": 1, "empathy": 1}
    assert table.worst["argue"] == {"clarity": -1, "empathy": -1}
    assert table.best["promise_soon"] == {"clarity": 1, "empathy": 2}


def test_outcome_table_falls_back_to_sums_for_big_rubrics():
    count = MAX_ENUMERATED + 1
    big = free_text({f"e{i}": [f"слово{i}"] for i in range(count)},
                    scores={f"e{i}": {"empathy": 1 if i % 2 else -1} for i in range(count)},
                    outcomes=[{"when": "e0", "choice": "first"}, {"choice": "other"}])
    table = outcome_table(big)
    assert not table.exact and table.reachable == {"first", "other"}
    assert table.best["other"] == {"empathy": count // 2}
    assert table.worst["other"] == {"empathy": -(count - count // 2)}


def test_a_stored_result_reads_in_another_language(free_text_data, load):
    from trainer.scenario.rubric import Rubric, in_language
    loaded = load(free_text_data)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    free_text = loaded.scenario.nodes["still_angry"].free_text
    result = Rubric(free_text).match(free_text.model_answer.uk, "uk")
    result["elements"].append({"id": "gone", "kind": "expected", "label": "Стара мітка", "found": False,
                               "feedback": "Старий відгук"})
    result["feedback"].append({"id": "gone", "kind": "expected", "found": False, "text": "Старий відгук"})
    english = in_language(result, free_text, "en")
    by_id = {e.id: e for e in free_text.elements}
    for stored in english["elements"][:-1]:
        assert stored["label"] == by_id[stored["id"]].label.en
        assert stored["feedback"] == by_id[stored["id"]].feedback.en
    for stored in english["feedback"][:-1]:
        assert stored["text"] == by_id[stored["id"]].feedback.en
    assert english["model_answer"] == free_text.model_answer.en
    # What the rubric no longer has keeps its stored words; the verdict is untouched.
    assert english["elements"][-1]["label"] == "Стара мітка" and english["feedback"][-1]["text"] == "Старий відгук"
    assert {k: english[k] for k in ("found", "outcome", "answer", "lang")} == \
           {k: result[k] for k in ("found", "outcome", "answer", "lang")}
    assert result["model_answer"] == free_text.model_answer.uk  # the stored result is not changed


def test_in_another_person_lists_missed_elements_found_only_in_another_person():
    rubric = Rubric(free_text({"call": ["подзвоню їй"], "note": ["запишу"], "time": ["маємо час"]}))
    result = rubric.match("Подзвоніть їй самі. Запишу вам адресу.", "uk")
    assert result["found"] == ["note"]
    assert in_another_person(result) == {"call": "Подзвоніть їй"}
    assert in_another_person({**result, "found": ["note", "call"]}) == {}  # a review counted it
    assert in_another_person(None) == {}
