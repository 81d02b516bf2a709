"""Content rules across the scenario library and the manual that a content review found
broken once: each test states the rule and checks every file, so a new scenario or an edit
that breaks it again fails here rather than in front of a trainee.

The rules: one name for the eRecovery programme; model answers give no personal number and
no legal rule the manual leaves to the lawyer; an acceptable answer that on its own rules
out the good ending says so; stock lines are not reused between scenarios; model answers
use the synthetic imperative («пройдімо», not «давайте пройдемо»); the manual says
«компетентність» for a person's ability and writes the apostrophe as '.
"""
from __future__ import annotations

import itertools
import re

import pytest
import yaml

from tests.conftest import CONTENT_DIR, SCENARIO_DIR
from trainer.scenario.engine import CompiledScenario, PlayState
from trainer.scenario.loader import LoadedScenario
from trainer.scenario.model import Scenario


@pytest.fixture(scope="module")
def library(real_library) -> dict[str, LoadedScenario]:
    return real_library


def _english_texts(value):
    """Every English text of parsed YAML data, in document order (persona first)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "en" and isinstance(item, str):
                yield item
            else:
                yield from _english_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _english_texts(item)


def _model_answers(scenario: Scenario):
    """(where, uk, en) of every answer the trainee is shown as the way to do it: the
    recommended choices and the free-text nodes' model answers."""
    for node_id, node in scenario.nodes.items():
        if node.free_text:
            answer = node.free_text.model_answer
            yield f"{node_id} (model answer)", answer.uk, answer.en or ""
        else:
            for choice in node.choices or []:
                if choice.rating == "recommended":
                    yield choice.id, choice.text.uk, choice.text.en or ""


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text.lower().replace("’", "'"))


def _runs(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


# -- one name for the programme -------------------------------------------------------

def test_erecovery_is_introduced_as_evidnovlennia(library):
    """English texts call the programme "eVidnovlennia (eRecovery)" the first time and
    "eVidnovlennia" after that; "eRecovery" never stands alone as a second name."""
    for scenario_id, loaded in library.items():
        english = "\n".join(_english_texts(yaml.safe_load(loaded.source)))
        names = list(re.finditer(r"eVidnovlennia|eRecovery", english))
        if not names:
            continue
        assert english.startswith("eVidnovlennia (eRecovery)", names[0].start()), scenario_id
        for m in re.finditer("eRecovery", english):
            assert english[:m.start()].endswith("eVidnovlennia ("), (scenario_id, english[m.start() - 40:m.end()])


# -- what a model answer may say ------------------------------------------------------

PERSONAL_NUMBER = re.compile(
    r"\bмі[йю] (?:особист\w+ |власн\w+ )?(?:номер|мобільн\w*)|\bmy (?:own |personal )?(?:number|mobile)\b", re.I)
# "I don't give my own number to anyone" is the boundary itself, not an offer.
REFUSED = re.compile(r"\bне\b|n't\b|\bnever\b|\bnot\b", re.I)


def _offers_personal_number(text: str) -> bool:
    return any(not REFUSED.search(text[max(0, m.start() - 25):m.start()])
               for m in PERSONAL_NUMBER.finditer(text))


def test_no_model_answer_hands_out_a_personal_number(library):
    """A personal number is the boundary the off-hours and pursuit scenarios train against
    (5.2.9), so no model answer may offer one; the bureau's work number is the way."""
    found = [(sid, where) for sid, loaded in library.items()
             for where, uk, en in _model_answers(loaded.scenario)
             if _offers_personal_number(uk) or _offers_personal_number(en)]
    assert found == []


def test_the_number_rule_tells_an_offer_from_a_refusal():
    assert _offers_personal_number("«Розумію. Ось моє ім'я і мій номер. О 16:00 я сама вам наберу.»")
    assert _offers_personal_number("Here's my name and my number.")
    assert not _offers_personal_number("I don't give my own number to anyone: that's how we work.")
    assert not _offers_personal_number("Ось моє ім'я і робочий номер бюро.")


def test_the_child_is_not_told_an_age_rule_at_the_front_desk(library):
    """How a fifteen-year-old's matter is arranged without an adult is for the lawyer and
    the head to decide (5.3.9): the front desk states no age threshold and leaves it to
    the lawyer."""
    scenario = library["unaccompanied-child"].scenario
    threshold = re.compile(r"чотирнадцят|шістнадцят|\b1[468]\s*рок|fourteen|sixteen|\bfrom 1[468]\b", re.I)
    for where, uk, en in _model_answers(scenario):
        assert not threshold.search(uk) and not threshold.search(en), where
    explain = next(c for n in scenario.nodes.values() for c in n.choices or [] if c.id == "lp_explain_rights")
    assert explain.rating == "recommended"
    assert "юрист" in explain.text.uk and "lawyer" in explain.text.en


# -- acceptable answers that close the good ending ------------------------------------

# Acceptable answers that, with every other answer recommended, still end short of a good
# ending. Their feedback must say so, or the trainee sees «Прийнятно» and then a mixed
# ending without knowing which step cost it.
DOOR_CLOSERS = {
    ("busy-queue", "sc_wait_here"),
    ("client-pursuit", "tw_tell_colleague"),
    ("client-pursuit", "am_head_only"),
    ("domestic-violence", "ask_him_out_to_focus"),
    ("domestic-violence", "just_the_payments"),
    ("feedback-request", "ng_take_home"),
    ("frequent-complainer", "as_book"),
    ("referral-outside-competence", "c_name_only"),
    ("referral-outside-competence", "e_docs_fast"),
    ("unaccompanied-child", "sv_police_instead"),
}
# Known exceptions (none now): an answer listed here is not checked for its consequence.
NOT_YET_TOLD: set[tuple[str, str]] = set()
# The consequence is the feedback's last sentence and says what can no longer happen.
CLOSED = {"uk": re.compile(r"\b[ву]же не\b"), "en": re.compile(r"\bno longer\b")}


def _recommended_except(compiled: CompiledScenario, choice_id: str) -> tuple[list[str], PlayState]:
    """Play the recommended answer everywhere, except ``choice_id`` wherever it is offered."""
    state, path = compiled.start(), []
    while not state.finished:
        node = compiled.scenario.nodes[state.node]
        ids = [c.id for c in node.choices]
        pick = choice_id if choice_id in ids else next(c.id for c in node.choices if c.rating == "recommended")
        step = compiled.step_outcome if compiled.is_free_text(state.node) else compiled.step
        state = step(state, pick).state
        path.append(pick)
    return path, state


def _last_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?…])\s+", text.strip())[-1]


def test_an_acceptable_answer_that_closes_the_good_ending_says_so(library):
    closers = set()
    for scenario_id, loaded in library.items():
        compiled = CompiledScenario(loaded)
        for node in compiled.scenario.nodes.values():
            for choice in node.choices or []:
                if choice.rating != "acceptable":
                    continue
                path, state = _recommended_except(compiled, choice.id)
                if choice.id in path and compiled.outcome(state) != "good":
                    closers.add((scenario_id, choice.id))
                    if (scenario_id, choice.id) in NOT_YET_TOLD:
                        continue
                    for lang, pattern in CLOSED.items():
                        last = _last_sentence(choice.feedback.get(lang))
                        assert pattern.search(last), (scenario_id, choice.id, lang, last)
    # Both ways: a listed answer that no longer closes the door would now be told a
    # consequence that is not true.
    assert closers - NOT_YET_TOLD == DOOR_CLOSERS


# -- stock lines ----------------------------------------------------------------------

def _lines(scenario: Scenario):
    """(kind, where, Ukrainian text) of everything the client says ("client") and every
    answer offered to the trainee ("answer")."""
    for node_id, node in scenario.nodes.items():
        if node.client and node.client.says:
            yield "client", node_id, node.client.says.uk
        for choice in node.choices or []:
            yield "answer", choice.id, choice.text.uk
    for ending_id, ending in scenario.endings.items():
        if ending.client and ending.client.says:
            yield "client", ending_id, ending.client.says.uk


def test_good_endings_close_with_their_own_words(library):
    """A client's parting thanks is theirs: no two scenarios' good endings share a run of
    three words (the stock «дякую, шо по-людськи» once closed half the library)."""
    closing = {}
    for scenario_id, loaded in library.items():
        for ending_id, ending in loaded.scenario.endings.items():
            if ending.outcome == "good" and ending.client and ending.client.says:
                closing[(scenario_id, ending_id)] = _runs(ending.client.says.uk)
    shared = [(a, b, sorted(closing[a] & closing[b])) for a, b in itertools.combinations(closing, 2)
              if a[0] != b[0] and closing[a] & closing[b]]
    assert shared == []


# Lines the review found repeated between scenarios and that were rewritten: each must stay
# its own, sharing no run of three words with a line of the same kind (the client's words,
# or an answer offered) in another scenario.
REWRITTEN = {
    ("crying-client", "pv_own_story"),  # was «у мене брат теж на фронті, я ночами не сплю»
    ("crying-client", "good_heard"),  # was «…а ви по-людськи»
    ("withdraw-consent", "withdrawn_properly"),  # was «Дякую, шо по-людськи»
    ("withdraw-consent", "left_distrustful"),  # was «Та ну вас»
    ("intoxicated-client", "left_angry"),  # was «Та ну вас…»
    ("intoxicated-client", "outburst"),  # was «Та ви всі однакові!»
}


def test_rewritten_stock_lines_stay_distinct(library):
    lines = {sid: {where: (kind, text) for kind, where, text in _lines(loaded.scenario)}
             for sid, loaded in library.items()}
    for scenario_id, where in REWRITTEN:
        kind, text = lines[scenario_id][where]
        own = _runs(text)
        for other_id, other in lines.items():
            if other_id == scenario_id:
                continue
            for other_where, (other_kind, other_text) in other.items():
                if other_kind == kind:
                    assert not own & _runs(other_text), (scenario_id, where, other_id, other_where)


# -- register of model answers --------------------------------------------------------

# «давайте» + a verb in the first person plural («давайте пройдемо»), possibly with one
# word between («давайте поки відкладемо»). «Давайте я прочитаю…» is another construction.
DAVAITE_WE = re.compile(r"\bдавайте\s+(?!я\b)(?:\w+\s+)?[\w']+(?:емо|имо|ємо|їмо)(?:ся)?\b", re.I)


def test_model_answers_use_the_synthetic_imperative(library):
    """Model answers serve as models: «Пройдімо», «Відкладімо», «Домовмося». Clients and the
    other answers keep «давайте», because that is how people talk."""
    found = [(sid, where, DAVAITE_WE.search(uk).group(0)) for sid, loaded in library.items()
             for where, uk, _en in _model_answers(loaded.scenario) if DAVAITE_WE.search(uk)]
    assert found == []


def test_the_imperative_rule_sees_the_old_wording():
    assert DAVAITE_WE.search("«Давайте поки відкладемо папери.»")
    assert DAVAITE_WE.search("Давайте домовимося, як з вами безпечно зв'язуватися")
    assert not DAVAITE_WE.search("«Давайте я прочитаю запитання вголос»")
    assert not DAVAITE_WE.search("«Відкладімо поки папери.»")


# -- the manual -----------------------------------------------------------------------

def _manual_bodies(lang: str):
    for path in sorted((CONTENT_DIR / lang).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        yield path.name, body


def test_the_manual_calls_a_persons_ability_competentnist():
    """«Компетенція» is a body's remit («до компетенції центру»); a person's ability is
    «компетентність», as in the interface. Titles keep the manual's own wording."""
    for name, body in _manual_bodies("uk"):
        if name == "SUMMARY.md":
            continue
        for m in re.finditer(r"компетенці\w*", body, re.I):
            around = body[max(0, m.start() - 40):m.end() + 40]
            assert re.search(r"центр|орган|бюро|територі", around), (name, around)


def test_the_manual_writes_the_apostrophe_as_in_the_interface():
    """One apostrophe, ', as in the interface and the scenarios, so that a word is written
    one way everywhere (search reads ’ and ʼ as ' too)."""
    for lang in ("uk", "en"):
        for path in sorted((CONTENT_DIR / lang).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"[а-яіїєґ][’ʼ][а-яіїєґ]", text, re.I), path.name


def test_no_stray_combining_marks_in_the_manual_or_the_scenarios():
    """A combining stroke (U+0336) after a space stood in for a dash in a section title; a
    combining mark belongs only after a letter (as in «й» written decomposed)."""
    import unicodedata
    files = sorted(CONTENT_DIR.rglob("*.md")) + sorted(SCENARIO_DIR.glob("*.yaml"))
    stray = [(path.name, i) for path in files for i, (before, ch) in
             enumerate(itertools.pairwise(" " + path.read_text(encoding="utf-8")))
             if unicodedata.category(ch) == "Mn" and not before.isalpha()]
    assert stray == []
