"""What the scenario texts say to and for the trainee (trainee review, findings 3 and 10).

Free-text outcomes. At a free-text node the rubric maps a written answer to one of the
node's choices, and the page shows that choice's fixed feedback next to the list of
elements found and missed. So the feedback must not name an expected element whose
presence the outcome leaves open: «назвіть її почуття» under an outcome an answer that
named her feeling can reach contradicts «Знайдено: Називає її почуття» right below it,
and praise for an element the answer may lack is just as wrong. The rule: an outcome's
feedback may name an expected element only if every answer reaching that outcome has it,
or none has (worked out by trying every combination of found elements, a dismissal
included, through the node's outcome rules). Discouraged elements are not checked: the
harsher outcomes exist to name them ("hits back or says «не до нас»"). The choice's
``text`` is not checked either: it describes the kind of answer, often as "X or Y".

How feedback names an element is not in the YAML, so ``MENTIONS`` lists, for each
expected element of each free-text node, the words that refer to it. Every expected
element must have an entry, each entry must find its own label and no other element's
label, so a new free-text node or element fails here until its words are added.

The trainee's voice. The trainee plays the frontliner, who may be a man or a woman, so
the answers offered and the model answers use no gendered first-person forms («я сама»,
«я пропустила», «самій заповнити») and clients address the frontliner neutrally
(«дитино», not «доню» or «синку»), unless the scenario's summary says whom the trainee
plays («Ви граєте адміністраторку бюро Тетяну» / "You play Tetiana, …").
"""
from __future__ import annotations

import re
from itertools import combinations

import pytest

from trainer.scenario.loader import LoadedScenario
from trainer.scenario.model import FreeText, Scenario
from trainer.scenario.polarity import DISMISSIVE
from trainer.scenario.rubric import Rubric


@pytest.fixture(scope="module")
def library(real_library) -> dict[str, LoadedScenario]:
    return real_library


def _free_text_nodes(library):
    for scenario_id, loaded in sorted(library.items()):
        for node_id, node in loaded.scenario.nodes.items():
            if node.free_text is not None:
                yield (scenario_id, node_id), node


# -- free-text outcome feedback -------------------------------------------------------

# (scenario, node) -> expected element id -> (Ukrainian, English) regex of the words
# that refer to it. Matched case-insensitively against feedback and labels.
MENTIONS: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("crying-client", "quiet_words"): {
        "names_feeling": (r"почутт", r"\bfeeling"),
        "offers_time": (r"\bдає\w* (їй )?час|дайте (їй )?час|час\w* досить|не затриму|не поспіш|\bє час",
                        r"gives? her time|time enough|not holding|no hurry|take (your|her) time|there is time"),
        "permits_tears": (r"без сорому|не соромно|можна плакати|дозвол\w* плак|не треба вибачатися",
                          r"without shame|leave to cry|allowed to cry|no need to apologi|nothing to apologi"),
    },
    ("aggressive-client", "second_wave"): {
        "acknowledges_anger": (r"гнів|почутт|обур", r"anger|feeling|outrage"),
        "sets_limit": (r"меж[аіу]|без крику|умов", r"limit|without shouting|condition|terms"),
        "offers_help": (r"допом|конкретн\w* ді[юя]|крок", r"\bhelp|step|action"),
    },
    ("off-hours-meeting", "one_question"): {
        "acknowledges_worry": (r"тривог|хвилю|почутт", r"worr|anxi|feeling"),
        "kind_boundary": (r"причин|чому не тут|не тут|не зараз", r"reason|why not here|not here|not now"),
        # Not «вихідний день» / "day off": that is the reason, not the day to come.
        "when_where": (r"коли й куди|(?<!вихідний )\bдень|\bдня|місце|вівтор",
                       r"when and where|\bday\b(?! off)|place|tuesday"),
    },
    ("referral-outside-competence", "where_to_go"): {
        "names_office": (r"установ|цнап", r"office|tsnap"),
        "gives_address": (r"адрес(?!н)|вулиц|вікн|поверх", r"address|street|window|floor"),
        "gives_schedule": (r"графік|годин|\bдні\b|днів", r"hours|\bdays\b|schedule"),
        "gives_contact": (r"телефон|контактн|людин\w*, до як", r"phone|contact|person to"),
        "warm_handover": (r"з рук у руки|запиш|папірц|подзвон|дзвінок",
                          r"handover|write (it )?down|\bnote\b|call ahead"),
    },
    ("income-documents", "in_room"): {
        "explains_reason": (r"навіщо|сенс|від доходу", r"\bwhy\b|reason|depends on income"),
        "centre_decides": (r"вирішує центр|центр вирішує|хто вирішу", r"centre decides|who decides|who will decide"),
        "stays_private": (r"сторонн|конфіденц|нікому не", r"nobody else|no one else|confidential|goes no further"),
    },
    ("system-down", "promise"): {
        "own_step": (r"власн\w* крок|що зробите саме ви", r"step of your own|your own step|what you yourself"),
        "set_time": (r"коли саме|конкретн\w* (?:час|годин)", r"exactly when|a set time|what time"),
        "either_way": (r"будь-як|за будь", r"either way|whatever the outcome|whatever happens"),
    },
    ("complaint-front-desk", "written_complaint"): {
        "accepts": (r"прийма|прийня|прийміть", r"welcom|accept"),
        "how_handled": (r"розгля|керівни", r"handle|head of the cent|deal with"),
        "timeline": (r"строк|коли чекати", r"timeline|time frame|by when|when to expect"),
    },
}

OPEN = "open"


def _statuses(free_text: FreeText) -> dict[str, dict[str, str]]:
    """Choice id -> expected element id -> "found" (every answer reaching the choice has
    it), "missing" (none has) or "open"."""
    rubric = Rubric(free_text)
    ids = [e.id for e in free_text.elements] + [DISMISSIVE]
    reached: dict[str, list[set[str]]] = {}
    for size in range(len(ids) + 1):
        for found in combinations(ids, size):
            reached.setdefault(rubric.outcome(set(found))[1], []).append(set(found))
    expected = [e.id for e in free_text.elements if e.kind == "expected"]
    statuses = {}
    for choice, answers in reached.items():
        statuses[choice] = {}
        for element in expected:
            present = {element in answer for answer in answers}
            statuses[choice][element] = OPEN if len(present) == 2 else ("found" if True in present else "missing")
    return statuses


def _open_mentions(text: str, lang: str, statuses: dict[str, str], mentions) -> set[str]:
    """Expected elements ``text`` names although the outcome leaves them open."""
    index = 0 if lang == "uk" else 1
    return {element for element, words in mentions.items()
            if statuses[element] == OPEN and re.search(words[index], text, re.I)}


def test_every_free_text_node_has_its_mention_words(library):
    nodes = dict(_free_text_nodes(library))
    assert set(nodes) == set(MENTIONS)
    for key, node in nodes.items():
        expected = {e.id for e in node.free_text.elements if e.kind == "expected"}
        assert set(MENTIONS[key]) == expected, key


def test_mention_words_find_their_own_label_and_no_other(library):
    for key, node in _free_text_nodes(library):
        labels = {e.id: e.label for e in node.free_text.elements}
        for element, words in MENTIONS[key].items():
            for index, lang in enumerate(("uk", "en")):
                for other, label in labels.items():
                    hit = re.search(words[index], label.get(lang), re.I) is not None
                    assert hit == (other == element), (key, element, other, lang, label.get(lang))


@pytest.mark.parametrize("key", sorted(MENTIONS))
def test_outcome_feedback_names_no_element_the_outcome_leaves_open(library, key):
    scenario_id, node_id = key
    node = library[scenario_id].scenario.nodes[node_id]
    statuses = _statuses(node.free_text)
    for choice in node.choices:
        for lang in ("uk", "en"):
            named = _open_mentions(choice.feedback.get(lang), lang, statuses[choice.id], MENTIONS[key])
            assert not named, (key, choice.id, lang, sorted(named), choice.feedback.get(lang))


def test_the_rule_finds_an_element_only_some_answers_have(library):
    node = library["crying-client"].scenario.nodes["quiet_words"]
    statuses = _statuses(node.free_text)
    # The recommended outcome needs the feeling named and either time or leave to cry.
    assert statuses["qw_heard"] == {"names_feeling": "found", "offers_time": OPEN, "permits_tears": OPEN}
    assert statuses["qw_partly"] == dict.fromkeys(("names_feeling", "offers_time", "permits_tears"), OPEN)


# The advice the review found contradicting the checklist below it (crying-client, v4).
OLD_QW_PARTLY = {
    "uk": "Тепло в словах є, але бракує головного: назвіть її почуття і скажіть, що вона нікого "
          "не затримує (5.2.3, 5.1.2).",
    "en": "There is warmth in your words, but the core is missing: name her feeling and tell "
          "her she is not holding anyone up (5.2.3, 5.1.2).",
}


def test_the_rule_fails_the_old_crying_client_advice(library):
    node = library["crying-client"].scenario.nodes["quiet_words"]
    statuses = _statuses(node.free_text)["qw_partly"]
    mentions = MENTIONS[("crying-client", "quiet_words")]
    for lang, text in OLD_QW_PARTLY.items():
        assert _open_mentions(text, lang, statuses, mentions) == {"names_feeling", "offers_time"}, lang


# -- the trainee's voice --------------------------------------------------------------

_WORD = r"[\w'’ʼ-]"
# Short adjectives and pronouns that give away the speaker's gender after «я».
_GENDERED = ("сама|самій|одна|готова|рада|певна|впевнена|повинна|змушена|зобов'язана|винна|згодна|"
             "вдячна|зайнята|сам|один|готовий|радий|певен|впевнений|повинен|змушений|зобов'язаний|"
             "винен|згоден|вдячний|зайнятий")
# Nouns that end like a feminine past tense («я з села»).
_NOT_VERBS = r"(?!(?:села|школа|стола|діла|тіла|сила|ціла|біла|крила)\b)"
GENDERED_FIRST_PERSON = [
    # «я на прийомі сама», «Я одна», «я не певна»: «я» and a gendered word in its clause.
    re.compile(rf"\bя(?:\s+{_WORD}+){{0,5}}?\s+(?:{_GENDERED})\b", re.I),
    # «я вас покинула», «чи я нічого не пропустила», «я прочитаю вам усе, що записала».
    re.compile(rf"\bя\b(?:(?:\s+|,\s+що\s+){_WORD}+){{0,5}}?(?:\s+|,\s+що\s+){_NOT_VERBS}{_WORD}{{2,}}ла(?:ся|сь)?\b",
               re.I),
    # «сформулювати самій», «самій розстебнути»: the actor of an infinitive.
    re.compile(r"\bсамій\b", re.I),
    # «бо зараз сама вас виведу»: «сама» before a first-person verb.
    re.compile(rf"\bсама\s+(?:(?:вас|вам|їх|його|її|все|усе|це)\s+)?{_WORD}+[ую]\b", re.I),
    # «Зрозуміла: …», «Так, обіцяла, …»: a past tense standing alone at the start.
    re.compile(rf"(?:^|[«\"“]|[.!?…]\s+)(?:Так,\s+)?{_WORD}+ла(?:ся|сь)?(?=[,.:!?…])"),
]
# How clients may address the frontliner only when the scenario says who that is.
GENDERED_ADDRESS = re.compile(r"\b(?:доню|донечко|доцю|дочко|донько|синку|синочку|дівчино|дівчинко|хлопче|"
                              r"панночко)\b", re.I)
DECLARED = {"uk": re.compile(r"\bВи граєте\b"), "en": re.compile(r"\bYou play\b")}


def _gendered(text: str) -> list[str]:
    return [m.group(0) for pattern in GENDERED_FIRST_PERSON for m in pattern.finditer(text)]


def _declares_frontliner(scenario: Scenario) -> bool:
    return all(DECLARED[lang].search(scenario.summary.get(lang) or "") for lang in DECLARED)


def _trainee_lines(scenario: Scenario):
    """(where, Ukrainian text) of what the trainee is offered to say or do, and the
    model answers of free-text nodes (whose choices are outcomes, not lines)."""
    for node_id, node in scenario.nodes.items():
        if node.free_text is not None:
            yield f"{node_id} (model answer)", node.free_text.model_answer.uk
        else:
            for choice in node.choices or []:
                yield choice.id, choice.text.uk


def _client_lines(scenario: Scenario):
    """(where, Ukrainian text) of what clients say and do, and the state cues."""
    for place, items in (("node", scenario.nodes), ("ending", scenario.endings)):
        for item_id, item in items.items():
            for field in ("says", "does"):
                text = getattr(item.client, field, None) if item.client else None
                if text is not None:
                    yield f"{place} {item_id}.{field}", text.uk
    for variable, spec in scenario.state.items():
        for cue in spec.cues:
            yield f"cue {variable}", cue.text.uk


def test_the_trainee_speaks_without_gendered_first_person_forms(library):
    found = [(scenario_id, where, _gendered(text))
             for scenario_id, loaded in sorted(library.items())
             if not _declares_frontliner(loaded.scenario)
             for where, text in _trainee_lines(loaded.scenario) if _gendered(text)]
    assert found == []


def test_clients_address_the_frontliner_neutrally(library):
    found = [(scenario_id, where, GENDERED_ADDRESS.findall(text))
             for scenario_id, loaded in sorted(library.items())
             if not _declares_frontliner(loaded.scenario)
             for where, text in _client_lines(loaded.scenario) if GENDERED_ADDRESS.search(text)]
    assert found == []


# Answers the review found, as they were written, and lines that must stay allowed.
OLD_GENDERED_LINES = [
    "«Доброго ранку всім! Я вас бачу. Сьогодні я на прийомі сама, тож за кілька хвилин коротко підійду»",
    "«Я одна, не розірвуся! Кому не подобається — приходьте завтра.»",
    "«Залиште мені ваші документи — я сама передам їх у ЦНАП, а ви більше нікуди не ходіть.»",
    "«…скажіть, будь ласка, своїми словами, що берете, — перевіримо, чи я нічого не пропустила.»",
    "«Ви мені ще погрожувати будете?! Поставте стілець і геть звідси, бо зараз сама вас виведу!»",
    "«Хвилинку. Спершу я прочитаю вам усе, що записала, від першого рядка до останнього.»",
    "Мовчки заповнити все з документів, а суть звернення сформулювати самій: «Я знаю, що писати.»",
    "«Не кричіть на мене! Я тут ні до чого, я вашої частини в очі не бачила.»",
    "«Зрозуміла: вам треба переоформити облік переселенки.»",
    "«Так, обіцяла, і це була моя помилка. Вибач.»",
    "«Ого, як у вас класно виходить! Ви такий молодець, я б так не змогла!»",
]
NEUTRAL_LINES = [
    "«Ну, ви ж не одна така. Зараз у кожного горе.»",
    "«Чоловіче, зачекайте, будь ласка, за дверима — хай дружина сама зосередиться.»",
    "«Заплатити може тільки сама агрофірма, а змусити її — суд.»",
    "«Хай лежить. Керівниця сама прочитає, якщо захоче.»",
    "«Консультацію ти можеш отримати й сама, а як оформити все інше, з'ясуємо.»",
    "«Ой, добрий день! Вибачте, я бігом — мала вже тягне за руку.»",
    "«Якщо я правильно розумію, вам треба стати на облік переселенки.»",
    "«Я запишу вам адресу, а ви скажете, чи все зрозуміло.»",
    "«Я вам дам адресу — обов'язково запишіться.»",
]


@pytest.mark.parametrize("line", OLD_GENDERED_LINES)
def test_the_voice_rule_catches_the_old_lines(line):
    assert _gendered(line)


@pytest.mark.parametrize("line", NEUTRAL_LINES)
def test_the_voice_rule_leaves_neutral_lines_alone(line):
    assert _gendered(line) == []


def test_a_frontliner_with_a_name_is_announced_in_the_summary(library):
    """A scenario where the trainee introduces themselves by name («Мене звати Ірина»,
    «Я Максим, працюю тут») says in its summary, in both languages, whom the trainee
    plays; then the name's gender is the trainee's role, not a slip."""
    named = re.compile(r"(?:Мене звати|(?:правничої|правової) допомоги,|\b[Яя])\s+([А-ЯІЇЄҐ][а-яіїєґ']+)(?=[,.])")
    announced = set()
    for scenario_id, loaded in sorted(library.items()):
        scenario = loaded.scenario
        names = {m.group(1) for _where, text in _trainee_lines(scenario) for m in named.finditer(text)}
        if names:
            announced.add(scenario_id)
            assert _declares_frontliner(scenario), scenario_id
            for name in names:  # «Тетяну», «Ірину»: the accusative shares the stem
                assert name[:-1] in scenario.summary.uk, (scenario_id, name)
    assert announced == {"busy-queue", "combat-veteran", "hearing-impairment", "no-contact", "no-upper-limbs",
                         "unaccompanied-child"}
