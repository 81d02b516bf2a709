"""complaint-front-desk says nothing about an appointment on a path where none was booked
(content review).

After the put-offs at fix_it ("wait for Oksana", wait_for_oksana, or gossip about her,
gossip_about_oksana) nothing is booked for today, yet the conversation went on through
check_satisfied («о пів на третю — то я встигну», the card with the time in her hands) and
still_doubtful (the card she will not take, "I'll ring you to check you were seen"). Those
paths now go to nothing_booked, where she asks whether anyone will see her today: the trainee
can book her after all (book_after_all), promise a call (call_her_tomorrow) or send her away.

walked_out_angry ("the client left with nothing") was also the ending after a booking, when
she did not believe the card (still_doubtful → dont_believe_then). The walk-outs now pass
walks_out, which sends a booked client to left_the_card.

Every path the analysis finds is walked, as in test_content_put_off.py and
test_content_missteps.py.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from tests.conftest import SCENARIO_DIR
from trainer.scenario.analysis import iter_paths
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.model import Ending, Node
from trainer.terminal import play_scripted

SCENARIO = "complaint-front-desk"
PUTTING_OFF = {"wait_for_oksana", "gossip_about_oksana"}

# What only a booking makes true: her time today (half past two), the card with it, being
# seen today, thanking the lawyer, "someone got on with it".
CLAIMS_AN_APPOINTMENT = {
    "uk": re.compile(r"пів на третю|встигну|картк|вас прийняли|на прийом\b|заходить до юрист|"
                     r"подякувати юрист|[ув]зявся за діло", re.I),
    "en": re.compile(r"half past two|I'll make it|\bcards?\b|appointment card|her appointment|"
                     r"you were seen|go(?:es)? in to see|thank the lawyer|got on with it", re.I),
}


@pytest.fixture(scope="module")
def play(compile_real) -> CompiledScenario:
    return compile_real(SCENARIO)


def booking_choices(play: CompiledScenario) -> set[str]:
    return {choice_id for choice_id, (_node, choice) in play.choices.items() if choice.effects.get("booked", 0) > 0}


@pytest.fixture(scope="module")
def walked(play) -> dict:
    """Every path: what was read while nothing was booked, and the endings by whether the
    path booked her."""
    booking = booking_choices(play)
    read_unbooked: set[str] = set()  # nodes and endings ("@id") seen with nothing booked
    endings: dict[str, list[list[str]]] = {}
    for trail, ending in iter_paths(play.analysis):
        booked = False
        for edge in trail:
            if not booked:
                read_unbooked.add(edge.node_id)
            booked = booked or edge.choice_id in booking
            if not booked:
                read_unbooked.update(edge.via)
        if not booked:
            read_unbooked.add("@" + ending)
        endings.setdefault(ending, []).append([edge.choice_id for edge in trail])
    return {"read_unbooked": read_unbooked, "endings": endings, "booking": booking}


def node_texts(node: Node, skip: set[str]) -> Iterator[tuple[str, str]]:
    """(lang, text) of what the trainee reads at a node, but for the choices in ``skip``
    (an offer to book her is not a claim that she is booked)."""
    parts = []
    if node.client:
        parts += [node.client.says, node.client.does]
    if node.free_text:
        parts += [node.free_text.prompt, node.free_text.model_answer]
        parts += [t for element in node.free_text.elements for t in (element.label, element.feedback)]
    for choice in node.choices or []:
        if choice.id not in skip:
            parts += [choice.text, choice.feedback]
    for part in parts:
        if part is not None:
            yield "uk", " ".join(part.uk.split())
            yield "en", " ".join((part.en or "").split())


def ending_texts(ending: Ending) -> Iterator[tuple[str, str]]:
    parts = [ending.title, ending.debrief]
    if ending.client:
        parts += [ending.client.says, ending.client.does]
    for part in parts:
        if part is not None:
            yield "uk", " ".join(part.uk.split())
            yield "en", " ".join((part.en or "").split())


def claims(texts) -> list[str]:
    return [text for lang, text in texts if CLAIMS_AN_APPOINTMENT[lang].search(text)]


def test_nothing_read_without_a_booking_speaks_of_an_appointment(play, walked):
    scenario = play.scenario
    found = {}
    for place in sorted(walked["read_unbooked"]):
        if place.startswith("@"):
            said = claims(ending_texts(scenario.endings[place[1:]]))
        else:
            said = claims(node_texts(scenario.nodes[place], walked["booking"]))
        if said:
            found[place] = said
    assert found == {}
    # The walk sees the places a put-off leads to, and the nodes that speak of her time are
    # read only after a booking.
    assert {"nothing_booked", "written_complaint", "book_entry", "@partly_restored",
            "@walked_out_angry"} <= walked["read_unbooked"]
    assert not {"check_satisfied", "still_doubtful", "she_writes"} & walked["read_unbooked"]
    assert claims(node_texts(scenario.nodes["check_satisfied"], set()))
    assert claims(node_texts(scenario.nodes["still_doubtful"], set()))


@pytest.mark.parametrize("put_off", sorted(PUTTING_OFF))
def test_a_put_off_leads_to_her_question_not_to_her_time(play, put_off):
    before = ["thank_and_listen", "explain_and_apologise_i", "act_now", "ask_and_read_back", put_off]
    data = play_scripted(play, before)
    assert data["node"] == "nothing_booked"
    node = play.scenario.nodes["nothing_booked"]
    assert claims(node_texts(node, {"book_after_all"})) == []
    # Her deadline, not a time: she has less than a month and asks about today.
    assert "менш ніж за місяць" in node.client.says.uk and "less than a month" in node.client.says.en


def test_the_trainee_can_still_book_her_or_offer_something_honest(play):
    node = play.scenario.nodes["nothing_booked"]
    choices = {choice.id: choice for choice in node.choices}
    assert {choice.rating for choice in choices.values()} >= {"recommended", "ineffective", "harmful"}
    # The recommended answer books her today after all; the promise of a call does not.
    book = choices["book_after_all"]
    assert book.rating == "recommended" and book.effects.get("booked") == 1
    assert "14:30" in book.text.uk and "2:30" in book.text.en
    call = choices["call_her_tomorrow"]
    assert "booked" not in call.effects and call.next == "written_complaint"
    # Rated and fed back like the rest of the file: both languages, the manual cited by
    # section number at the end of the feedback.
    for choice in choices.values():
        assert choice.refs, choice.id
        cited = "(" + ", ".join(choice.refs) + ")."
        for text in (choice.feedback.uk, choice.feedback.en):
            assert " ".join(text.split()).endswith(cited), (choice.id, text)
        assert choice.text.en and choice.feedback.en


@pytest.mark.parametrize(("at_the_question", "ending"), [
    ("book_after_all", "trust_restored"),  # one miss only: she is booked after all
    ("call_her_tomorrow", "partly_restored"),
    ("wait_like_everyone", "walked_out_angry"),
])
def test_what_each_answer_to_her_question_leads_to(play, at_the_question, ending):
    path = ["thank_and_listen", "explain_and_apologise_i", "act_now", "ask_and_read_back",
            "wait_for_oksana", at_the_question]
    if at_the_question == "book_after_all":
        path += ["check_and_invite_review"]
    if ending != "walked_out_angry":
        path += ["wc_accepted", "keep_and_fix_process"]
    data = play_scripted(play, path)
    assert data["ending"] == ending


def test_walked_out_angry_only_when_she_left_with_nothing(play, walked):
    booking, endings = walked["booking"], walked["endings"]
    angry = play.scenario.endings["walked_out_angry"]
    assert "ні з чим" in angry.title.uk and "with nothing" in angry.title.en
    assert endings["walked_out_angry"]
    assert [path for path in endings["walked_out_angry"] if set(path) & booking] == []
    # The walk-out after a booking has its own ending, which says she had a time.
    assert endings["left_the_card"]
    assert all(set(path) & booking for path in endings["left_the_card"])
    card = play.scenario.endings["left_the_card"]
    assert card.outcome == "poor"
    assert "ні з чим" not in card.title.uk and "with nothing" not in card.title.en
    assert "14:30" in card.debrief.uk and "2:30" in card.debrief.en
    for text in (card.debrief.uk, card.debrief.en):
        assert "(" + ", ".join(card.refs) + ")" in " ".join(text.split())


def test_the_review_walk_out_after_a_booking(play):
    """Booked without a word of explanation, then "don't believe me if you don't want to":
    it ended in walked_out_angry, "the client left with nothing"."""
    path = ["thank_and_listen", "we_are_busy", "overpromise", "search_silently", "book_without_explaining",
            "dont_believe_then"]
    data = play_scripted(play, path)
    assert (data["ending"], data["outcome"]) == ("left_the_card", "poor")


def test_the_rule_sees_the_old_texts():
    for lang, text in [
        ("uk", "Ну... о пів на третю — то я встигну. Подивимося."),
        ("en", "Well... half past two — I'll make it. We'll see."),
        ("uk", "Вона крутить у руках картку з часом прийому."),
        ("en", "She turns the appointment card over in her hands."),
        ("uk", "О 16:00 я вам наберу й перепитаю, чи вас прийняли."),
        ("en", "At 4 pm I'll ring you myself to check you were seen."),
        ("uk", "За тиждень Надія Федорівна приходить подякувати юристці"),
        ("en", "A week later Nadiia Fedorivna comes in to thank the lawyer"),
        ("uk", "Що хоч хтось тут вислухав до кінця й узявся за діло."),
    ]:
        assert CLAIMS_AN_APPOINTMENT[lang].search(text), text
    # What a path without a booking may say: a lawyer was free, she has no time.
    for lang, text in [
        ("uk", "Вона пішла, так і не записана до юриста, хоча юристка була вільна о 14:30."),
        ("en", "She left without a time to see a lawyer, although a lawyer was free at 2:30."),
        ("en", "I was promised a call within three days and an appointment with a lawyer."),
    ]:
        assert not CLAIMS_AN_APPOINTMENT[lang].search(text), text


# -- one English name for the complaints book --------------------------------------------

BOOK_NAMES = re.compile(r"complaints(?: and suggestions)? book|book of reviews|reviews book|feedback book|"
                        r"book for feedback(?: and suggestions)?|suggestions book", re.I)


def _english(value) -> Iterator[str]:
    """Every English text of parsed YAML data, in document order."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "en" and isinstance(item, str):
                yield item
            else:
                yield from _english(item)
    elif isinstance(value, list):
        for item in value:
            yield from _english(item)


@pytest.mark.parametrize("scenario_id", [SCENARIO, "frequent-complainer"])
def test_the_complaints_book_has_one_english_name(scenario_id):
    data = yaml.safe_load((SCENARIO_DIR / f"{scenario_id}.yaml").read_text(encoding="utf-8"))
    names = [m.group(0).lower() for text in _english(data) for m in BOOK_NAMES.finditer(" ".join(text.split()))]
    assert names
    # "the complaints and suggestions book" may introduce it; after that, "complaints book".
    assert set(names[1:]) <= {"complaints book"}, names
    assert names[0] in {"complaints book", "complaints and suggestions book"}, names
