"""The rubric matcher reads polarity: how far a negation reaches, and dismissive frames."""
from __future__ import annotations

import pytest

from tests.scenario.test_rubric import found, free_text
from trainer.scenario import polarity
from trainer.scenario.polarity import DISMISSIVE
from trainer.scenario.reading import dismissals, read
from trainer.scenario.rubric import Rubric, in_language, outcome_table

# -- how far a negation reaches ------------------------------------------------------


@pytest.mark.parametrize("phrase, text", [
    ("допомогти", "Я нічим не можу вам допомогти."),  # «нічим» (ніщо) and «не» agree
    ("допомогти", "Я не буду вам допомагати."),
    ("допомогти", "Я ніколи в житті вам не допоможу."),
    ("help", "I'm not going to be able to help you."),  # five words passed over
    ("help", "I can't help you."),
    ("розуміти", "Я не дуже добре розумію вас."),
])
def test_a_negation_passes_over_auxiliaries_pronouns_and_particles(phrase, text):
    assert found({"e": [phrase]}, text) == []


@pytest.mark.parametrize("phrase, text", [
    ("розуміти", "Не треба плакати я вас розумію"),  # typed without a comma
    ("розуміти", "Не плачте я розумію"),
    ("допомогти", "Без проблем допоможу."),  # «без» bears on «проблем»
    ("help", "No worries, I can help."),
    ("розуміти", "Я не тільки розумію вас, а й допоможу."),
])
def test_a_negation_stops_at_the_word_it_bears_on(phrase, text):
    assert found({"e": [phrase]}, text) == ["e"]


@pytest.mark.parametrize("text, says", [
    ("Я розумію, що ви відчуваєте.", True),
    ("Я не розумію, що ви відчуваєте.", False),
    ("Не думаю, що ви відчуваєте щось погане.", False),
    ("I understand what you feel.", True),
    ("I don't see what you feel.", False),
])
def test_a_negated_verb_of_thinking_denies_the_clause_it_introduces(text, says):
    assert found({"e": ["що ви відчуваєте", "what you feel"]}, text) == (["e"] if says else [])


def test_a_denial_is_not_read_into_knowing_or_imagining():
    # «Не знаю, чи…» keeps its old reading (tests/scenario/test_rubric.py), and "I can't
    # imagine how hard this is" is sympathy, not a denial.
    assert found({"e": ["як вам важко"]}, "Я навіть не можу уявити, як вам важко.") == ["e"]
    assert found({"e": ["how hard"]}, "I can't imagine how hard this is.") == ["e"]
    assert found({"e": ["you're upset"]}, "I don't think you're upset.") == []


@pytest.mark.parametrize("phrase, text", [
    ("погодитися", "Не можу не погодитися з вами."),
    ("погодитися", "Не можу з вами не погодитися."),
    ("визнати", "Не можна не визнати, що вам важко."),
    ("agree", "I can't not agree with you."),
    ("підстава", "Не без підстав, звісно."),
    ("reason", "Not without reason."),
])
def test_double_negation_cancels_out(phrase, text):
    assert found({"e": [phrase]}, text) == ["e"]
    assert found({"e": [("not " if phrase.isascii() else "не ") + phrase]}, text) == []


@pytest.mark.parametrize("phrase, text", [
    ("хотіти води", "Чи не хочете води?"),
    ("take your time", "Why don't you take your time?"),
    ("розуміти", "Ні я вас розумію"),  # «ні» answering a question, comma forgotten
])
def test_questions_and_answers_with_a_negator_are_not_negations(phrase, text):
    assert found({"e": [phrase]}, text) == ["e"]


def test_a_rubric_phrase_with_its_own_negation_still_matches():
    # «не хвилюйтеся» may be fine or not: the rubric says so by writing the negation.
    assert found({"e": ["не хвилюйтеся"]}, "Не хвилюйтеся, у нас є час.") == ["e"]
    assert found({"e": ["хвилюйтеся"]}, "Не хвилюйтеся, у нас є час.") == []
    assert found({"e": ["не допомагати"]}, "Я не буду вам допомагати.") == ["e"]


# -- dismissive frames ----------------------------------------------------------------

FEELING = {"feeling": ["вам важко", "hard for you"], "time": ["є час", "take your time"],
           "place": ["у вівторок", "on Tuesday"]}
SCORES = {"feeling": {"empathy": 1}, "time": {"self_regulation": 1}, "place": {"respect": 1}}


def scored(text, lang="uk", outcomes=None):
    rubric = Rubric(free_text(FEELING, outcomes=outcomes, scores=SCORES))
    return rubric.match(text, lang)


@pytest.mark.parametrize("text, feeling", [
    ("Мені байдуже, що вам важко.", False),
    ("Мені все одно, як вам важко.", False),
    ("Це не моя справа, що вам важко.", False),
    ("Що вам важко — не мої проблеми.", False),  # the frame after the empathy counts too
    ("I don't care that it's hard for you.", False),
    ("It's not my problem that this is hard for you.", False),
    ("Мені не байдуже, що вам важко.", True),  # "I do care" is no dismissal
    ("Мені байдуже, хто винен, але я бачу, як вам важко.", True),  # «але» ends its reach
    ("Мені байдуже. Я бачу, як вам важко.", True),  # so does the end of the sentence
    ("I couldn't care less about the form, but I see this is hard for you.", True),
])
def test_a_dismissal_cancels_empathy_in_its_stretch(text, feeling):
    result = scored(text)
    assert ("feeling" in result["found"]) is feeling, result["elements"]


def test_a_dismissal_leaves_facts_found_and_is_reported_as_harmful():
    result = scored("Мені байдуже, що вам важко, приходьте у вівторок.", "en")
    assert result["found"] == ["place", DISMISSIVE]
    assert result["discouraged_found"] == [DISMISSIVE] and result["expected_missing"] == ["feeling", "time"]
    element = result["elements"][-1]
    assert element["match"]["quote"] == "Мені байдуже" and element["match"]["phrase"] == "мені байдуже"
    assert element["label"] == polarity.DISMISSIVE_TEXT["label"]["en"] and element["scores"] == {}
    assert {"id": DISMISSIVE, "kind": "discouraged", "found": True,
            "text": polarity.DISMISSIVE_TEXT["feedback"]["en"]} in result["feedback"]
    assert result["score_delta"] == {"respect": 1}  # no points of its own
    feeling = result["elements"][0]
    assert [(s["quote"], s["reason"]) for s in feeling["skipped"]] == [("вам важко", "dismissal")]


def test_an_answer_without_a_dismissal_has_no_dismissive_element():
    result = scored("Бачу, як вам важко. У нас є час.")
    assert result["found"] == ["feeling", "time"]
    assert [e["id"] for e in result["elements"]] == ["feeling", "time", "place"]


@pytest.mark.parametrize("text", [
    "Мені все одно треба дописати бланк, але я бачу, як вам важко.",  # «все одно» = still
    "Мені все одно, скільки це триватиме: я бачу, як вам важко.",
    "Мені байдуже, хто винен, я бачу, як вам важко.",
    "I don't care how long it takes, I can see this is hard for you.",
])
def test_a_frame_in_its_everyday_sense_is_no_dismissal(text):
    result = scored(text)
    assert result["found"] == ["feeling"], result["elements"]


def test_outcome_rules_can_name_the_dismissal_and_count_it():
    outcomes = [{"when": "dismissive", "choice": "cold"},
                {"when": "count_discouraged >= 1", "choice": "never"},
                {"when": "feeling", "choice": "warm"}, {"choice": "flat"}]
    assert scored("Бачу, як вам важко.", outcomes=outcomes)["outcome"] == "warm"
    assert scored("Мені байдуже. Бачу, як вам важко.", outcomes=outcomes)["outcome"] == "cold"
    counting = [{"when": "count_discouraged >= 1", "choice": "cold"}, {"choice": "flat"}]
    assert scored("Not my problem.", outcomes=counting)["outcome"] == "cold"
    assert scored("No problem.", outcomes=counting)["outcome"] == "flat"


def test_outcome_table_tries_answers_with_and_without_a_dismissal():
    table = outcome_table(free_text(FEELING, scores=SCORES, outcomes=[
        {"when": "dismissive", "choice": "cold"}, {"when": "feeling", "choice": "warm"}, {"choice": "flat"}]))
    assert table.reachable == {"cold", "warm", "flat"}
    # A dismissive answer may still name the feeling in another sentence.
    assert table.best["cold"] == {"empathy": 1, "respect": 1, "self_regulation": 1}
    assert table.worst["cold"] == {"empathy": 0, "respect": 0, "self_regulation": 0}


def test_dismissals_lists_every_frame_in_order():
    reading = read("Мені байдуже. І взагалі, це не моя справа, I don't care.")
    assert [frame for _positions, frame in dismissals(reading)] == ["мені байдуже", "не моя справа", "not care"]


def test_the_dismissal_reads_in_the_reader_language():
    free = free_text(FEELING, scores=SCORES)
    result = Rubric(free).match("Мені байдуже, що вам важко.", "uk")
    english = in_language(result, free, "en")
    assert english["elements"][-1]["label"] == polarity.DISMISSIVE_TEXT["label"]["en"]
    assert english["feedback"][-1]["text"] == polarity.DISMISSIVE_TEXT["feedback"]["en"]
    assert result["elements"][-1]["label"] == polarity.DISMISSIVE_TEXT["label"]["uk"]


def test_dismissive_is_a_reserved_element_id(free_text_data, load):
    free_text_data["nodes"]["still_angry"]["free_text"]["elements"][0]["id"] = DISMISSIVE
    loaded = load(free_text_data)
    assert any(d.code == "SC020" and "'dismissive' is reserved" in d.message for d in loaded.diagnostics)


def test_the_word_lists_are_lower_case_and_every_frame_has_words():
    from trainer.scenario.reading import phrase_words

    words = (polarity.NEGATORS | polarity.TRANSPARENT | polarity.RAISING | polarity.COMPLEMENTISERS
             | polarity.CONTRASTS)
    assert all(w == w.lower() for w in words)
    for texts in (*polarity.DISMISSIVE_FRAMES.values(), *polarity.DISMISSAL_EXCEPTIONS.values()):
        assert all(phrase_words(t) for t in texts)
