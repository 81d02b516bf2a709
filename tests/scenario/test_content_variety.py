"""The clients' lives vary across the library: a trainer reading the scenarios one after
another should not meet the same family story again and again (content review).

The rules: no two backstories name the same person other than their own client (a son
Андрій once did all the paperwork, Дія included, in one scenario, and another scenario's
scammers claimed to hold a missing son Андрій, named there without "son" beside him); only
a few clients have a relative at war (a son at the front once stood behind a third of the
library); and a scenario whose client's backstory has no relative at war does not give them
one in the client's words, the endings or the content note either, so a rewritten backstory
cannot leave its old story behind.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pytest

from trainer.scenario.loader import LoadedScenario
from trainer.scenario.model import Scenario

# War stories stay where they carry the scenario: a son at the front (aggressive-client), a
# son missing in action (crying-client, withdraw-consent). frequent-complainer's son is now a
# doctor in Kyiv and off-hours-meeting's lives in Ireland. A new story of a relative at war
# should replace one of these three rather than add a fourth.
AT_WAR_AT_MOST = 3

# A relative in any case form: «син», «сина», «синові»; «доньку», «брата», «онук»...
RELATIVE = {
    "uk": re.compile(r"\b(?:син|сина|синові|сину|сином|доньк\w*|донька|дочк\w*|брат|брата|братові|"
                     r"братом|сестр\w*|чоловік|чоловіка|чоловікові|онук\w*|онучк\w*|зят\w*|"
                     r"невістк\w*|племінни\w*)\b", re.I),
    "en": re.compile(r"\b(?:sons?|daughters?|brothers?|sisters?|husband|grand(?:son|daughter)s?|"
                     r"son-in-law|nephew|niece)\b", re.I),
}
AT_WAR = {
    "uk": re.compile(r"служить|служив|\b[ву] армі|\b[ву] війську|на фронті|\bна війні|воює|воював|"
                     r"мобілізува|мобілізован|військов|бригад|зник\w* безвісти|\bу полоні", re.I),
    "en": re.compile(r"\bserving\b|\bin the army\b|\bat the front\b|\bat war\b|mobili[sz]ed|"
                     r"\bmilitary\b|\bbrigade\b|missing in action|\bcaptivity\b", re.I),
}
# «син Андрій», «донька Лариса», «чоловік Сергій»: a relative followed by a first name.
NAMED = re.compile(r"(?i:" + RELATIVE["uk"].pattern + r")[\s,—-]+([А-ЯІЇЄҐ][а-яіїєґ'’]+)")


@pytest.fixture(scope="module")
def library(real_library) -> dict[str, LoadedScenario]:
    return real_library


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?…;:])\s+", text.strip())


def named_relatives(scenario: Scenario) -> set[str]:
    """First names of the client's relatives as the backstory names them."""
    return {m.group(1) for m in NAMED.finditer(scenario.persona.backstory.uk)}


# A capitalised word inside a sentence, not just after an opening quote or bracket (where
# «Там на дверях усе написано» starts a sentence of its own).
_PROPER = re.compile(r"(?<![«\"“„(])\b[А-ЯІЇЄҐ][а-яіїєґ'’]+")
# Case endings of Ukrainian first names, longest first by position; at least two letters
# stay, so «Дія», «Дії» and «Дію» all keep «ді».
_CASE_ENDING = re.compile(r"(?<=\w\w)(?:ієві|ієм|ові|еві|єві|ою|ею|єю|ом|ем|єм|ій|ія|ію|ії|"
                          r"а|я|у|ю|і|ї|и|е|є|о|й)$")
# Stems of capitalised words the backstories share that are places and services, not
# people: clients displaced from Олешки, a relative in Польща, an application through «Дія».
NOT_A_PERSON = re.compile(r"ді|олешк\w*|польщ\w*|україн\w*")


def name_stem(word: str) -> str:
    """A proper name without its case ending: «Андрій», «Андрія», «Андрієві», «Андрієм» and
    «Андрію» all give «андр»; «Оксана», «Оксани», «Оксаною» give «оксан»."""
    return _CASE_ENDING.sub("", word.lower())


def proper_names(text: str) -> dict[str, set[str]]:
    """The capitalised words inside the sentences of ``text``, by stem (the first word of a
    sentence is capitalised whatever it is)."""
    found = defaultdict(set)
    for sentence in _sentences(text):
        for match in _PROPER.finditer(sentence):
            if match.start() > 0:
                found[name_stem(match.group())].add(match.group())
    return found


def others_named(scenario: Scenario) -> dict[str, set[str]]:
    """The people the backstory names besides its own client, by stem, with the forms used:
    a relative, a neighbour, a consultant, whether or not «син» or «сусідка» stands beside
    the name."""
    persona = scenario.persona
    own = {name_stem(word) for word in re.findall(r"\w[\w'’]*", persona.name.uk)}
    return {stem: forms for stem, forms in proper_names(persona.backstory.uk).items()
            if stem not in own and not NOT_A_PERSON.fullmatch(stem)}


# Enough of the official transliteration to find a named relative in the English text.
_LATIN = dict(zip("абвгґдезиіїйклмнопрстуфь'", "abvhgdezyiiiklmnoprstuf  ")) | {
    "є": "ie", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "iu", "я": "ia"}


def _latin(name: str) -> str:
    """A Ukrainian name's stem in English letters: «Андрій» is found as «Andri…»."""
    return "".join(_LATIN.get(ch, ch) for ch in name[:-1].lower()).replace(" ", "").capitalize()


def _tells_of_a_relative_at_war(text: str, lang: str, names: set[str]) -> bool:
    """Whether one sentence of ``text`` speaks of a relative (by kind, or by a name from the
    backstory in any case: «Андрія мобілізували») and of war service together."""
    stems = [name[:-1] for name in names] if lang == "uk" else [_latin(name) for name in names]
    for sentence in _sentences(text):
        relative = RELATIVE[lang].search(sentence) or any(stem in sentence for stem in stems)
        if relative and AT_WAR[lang].search(sentence):
            return True
    return False


def has_a_relative_at_war(scenario: Scenario) -> bool:
    """The client's backstory, in either language, gives them a relative at war."""
    names = named_relatives(scenario)
    backstory = scenario.persona.backstory
    return any(_tells_of_a_relative_at_war(getattr(backstory, lang) or "", lang, names) for lang in ("uk", "en"))


def _told_elsewhere(scenario: Scenario):
    """(where, lang, text) of what the trainee sees of the client's life outside the
    backstory: the content note and everything the client says and does."""
    if scenario.content_note:
        yield "content_note", "uk", scenario.content_note.uk
        yield "content_note", "en", scenario.content_note.en or ""
    lines = [(node_id, node.client) for node_id, node in scenario.nodes.items()]
    lines += [(ending_id, ending.client) for ending_id, ending in scenario.endings.items()]
    for where, client in lines:
        if client is None or client.speaker is not None:
            continue
        for part in (client.says, client.does):
            if part is not None:
                yield where, "uk", part.uk
                yield where, "en", part.en or ""


# -- the rules ------------------------------------------------------------------------

def test_no_two_backstories_name_the_same_person(library):
    """The relative who did the paperwork, the missing son the scammers speak of, or anyone
    else a backstory names besides its client, belongs to one story only, in any case form.
    A place or a service two backstories share belongs in NOT_A_PERSON."""
    where = defaultdict(set)
    for scenario_id, loaded in library.items():
        for stem, forms in others_named(loaded.scenario).items():
            where[stem].add((scenario_id, "/".join(sorted(forms))))
    shared = {stem: sorted(found) for stem, found in where.items() if len(found) > 1}
    assert shared == {}


def test_only_a_few_clients_have_a_relative_at_war(library):
    at_war = sorted(sid for sid, loaded in library.items() if has_a_relative_at_war(loaded.scenario))
    assert len(at_war) <= AT_WAR_AT_MOST, at_war


def test_a_relative_at_war_is_not_left_outside_the_backstory(library):
    """Where the backstory gives no relative at war, nothing the client says or does, no
    ending and no content note says otherwise (in either language)."""
    found = []
    for scenario_id, loaded in library.items():
        scenario = loaded.scenario
        if has_a_relative_at_war(scenario):
            continue
        names = named_relatives(scenario)
        found += [(scenario_id, where, lang, text) for where, lang, text in _told_elsewhere(scenario)
                  if _tells_of_a_relative_at_war(text, lang, names)]
    assert found == []


# -- the rules see what they are meant to ---------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Усе син робив, а він тепер на фронті.", "uk"),
    ("Син служить, і коли він зможе прийти з нею — невідомо.", "uk"),
    ("Син, який потім читав їй листи, з двадцять другого року в армії й дзвонить рідко.", "uk"),
    ("Син воює, вона живе сама.", "uk"),
    ("Her son is serving in the army, and there is no knowing when he could come with her.", "en"),
    ("The conversation mentions her son serving in the army.", "en"),
])
def test_the_rule_sees_a_relative_at_war(text, lang):
    assert _tells_of_a_relative_at_war(text, lang, set())


def test_the_rule_follows_a_named_relative():
    names = {"Андрій"}
    assert _tells_of_a_relative_at_war("Андрія мобілізували у 2023-му.", "uk", names)
    assert _tells_of_a_relative_at_war("Andrii was mobilised in 2023.", "en", names)


@pytest.mark.parametrize("text, lang", [
    ("Син уже третій рік на заробітках у Чехії й дзвонить рідко.", "uk"),
    ("Мобілізований навесні 2022-го, влітку 2024-го отримав поранення.", "uk"),  # the client himself
    ("Чоловік із черги знизує плечима.", "uk"),
    ("Her son works in Lviv and is home only once every few months.", "en"),
    ("У сценарії йдеться про зруйнований війною дім.", "uk"),
])
def test_the_rule_leaves_other_lives_alone(text, lang):
    assert not _tells_of_a_relative_at_war(text, lang, set())


@pytest.mark.parametrize("forms", [
    ["Андрій", "Андрія", "Андрієві", "Андрієм", "Андрію"],
    ["Оксана", "Оксани", "Оксані", "Оксану", "Оксаною", "Оксано"],
    ["Роман", "Романа", "Романові", "Романом"],
    ["Тарас", "Тараса", "Тарасові", "Тарасом"],
    ["Дія", "Дії", "Дію"],
])
def test_a_name_keeps_its_stem_in_every_case(forms):
    assert len({name_stem(form) for form in forms}) == 1, [name_stem(form) for form in forms]


def test_a_person_is_found_without_a_relative_beside_the_name():
    """withdraw-consent's missing son, named only where the scammers speak of him, was
    crying-client's «син Андрій»."""
    crying = "Усі папери в родині завжди робив син Андрій — він і в Дії все вмів. Андрія мобілізували."
    withdraw = ("Учора ввечері невідомий подзвонив і сказав, що Андрій живий, у полоні. "
                "Дзвонар знав номер бригади й місце, де син зник.")
    assert not NAMED.search(withdraw)
    assert set(proper_names(crying)) & set(proper_names(withdraw)) == {"андр"}


def test_the_first_word_of_a_sentence_is_not_a_name():
    text = "Торік восени юрист центру допоміг. Учора ввечері невідомий подзвонив: «Там усе є»."
    assert proper_names(text) == {}


def test_named_relatives_are_read_from_the_backstory():
    assert NAMED.search("після її смерті торік — син Андрій.").group(1) == "Андрій"
    assert NAMED.search("Ще у двадцять другому донька Лариса поставила батькові Дію").group(1) == "Лариса"
    assert NAMED.search("Син Андрій усе робив.").group(1) == "Андрій"
    assert not NAMED.search("Син, який потім читав їй листи")
