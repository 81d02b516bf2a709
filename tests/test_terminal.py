"""`trainer play` in a terminal: the conversation as text."""
from __future__ import annotations

from trainer.scenario.engine import CompiledScenario
from trainer.terminal import play_interactive


def test_words_of_someone_other_than_the_client_are_given_with_their_name(example_data, load, toc):
    example_data["nodes"]["greeting"]["client"]["speaker"] = {"uk": "Син клієнта", "en": "The client's son"}
    said: list[str] = []
    play_interactive(CompiledScenario(load(example_data)), toc, "en", lambda _prompt, _count: 1, said.append)
    text = "\n".join(said)
    assert "The client's son: “I've been standing here forty minutes!”" in text
    assert "Oleh: “I've been standing here forty minutes!”" not in text
    assert "Oleh: “Thank you for explaining.”" in text  # the others' lines stay the client's, under their name


def test_a_good_ending_after_a_harmful_answer_is_said_to_be_a_mixed_outcome(example_data, load, toc):
    # A calmer Oleh stays after a harmful "wait your turn"; then the recommended answer.
    example_data["state"]["patience"]["initial"] = 3
    example_data["nodes"]["greeting"]["choices"][1]["rating"] = "harmful"
    picks = iter([2, 1])
    said: list[str] = []
    data = play_interactive(CompiledScenario(load(example_data)), toc, "en", lambda _prompt, _count: next(picks), said.append)
    text = "\n".join(said)
    assert (data["ending"], data["outcome"], data["harmful"], data["capped"]) == ("good_end", "mixed", 1, True)
    assert "Outcome: mixed — Oleh waited" in text
    assert "Harmful answers: 1, so the attempt's outcome is mixed although the ending is good" in text


def test_the_clients_reaction_to_an_answer_comes_before_the_next_line(example, toc):
    picks = iter([2, 2])  # "Everyone is waiting…", then "Soon, soon."
    said: list[str] = []
    play_interactive(CompiledScenario(example), toc, "en", lambda _prompt, _count: next(picks), said.append)
    text = "\n".join(said)
    reaction = text.index("Oleh: “I can see the woman in blue all right!”")
    assert text.index("You're after the woman in blue") < reaction < text.index("Oleh: “That's what you always say.”")


def test_the_last_answers_reaction_is_said_before_the_ending(example_data, load, toc):
    example_data["nodes"]["still_angry"]["choices"][1]["reaction"] = {"says": {"uk": "Ну-ну.", "en": "Oh, sure."}}
    picks = iter([2, 2])
    said: list[str] = []
    play_interactive(CompiledScenario(load(example_data)), toc, "en", lambda _prompt, _count: next(picks), said.append)
    text = "\n".join(said)
    assert text.index("Oleh: “Oh, sure.”") < text.index("Outcome:")


def test_typed_and_signed_words_are_given_as_written_and_signed(example_data, load, toc):
    """A deaf client's typed words are not "said": the terminal names them as written or
    signed, as the play page announces them."""
    example_data["nodes"]["greeting"]["client"]["says_via"] = "writing"
    example_data["nodes"]["greeting"]["choices"][1]["reaction"]["says_via"] = "sign"
    compiled = CompiledScenario(load(example_data))
    for lang, typed, signed, spoken in (
            ("en", "Oleh writes: “I've been standing here forty minutes!”",
             "Oleh signs: “I can see the woman in blue all right!”", "Oleh: “That's what you always say.”"),
            ("uk", "Олег пише: «Я вже сорок хвилин тут стою!»",
             "Олег показує жестовою мовою: «Та бачу я ту жінку в синьому!»", "Олег: «Та ви завжди так кажете.»")):
        picks = iter([2, 2])
        said: list[str] = []
        play_interactive(compiled, toc, lang, lambda _prompt, _count: next(picks), said.append)
        text = "\n".join(said)
        assert typed in text and signed in text and spoken in text  # the others stay speech


def test_a_scene_that_comes_first_is_told_before_the_words(example_data, load, toc):
    example_data["nodes"]["greeting"]["client"]["does_first"] = True
    compiled = CompiledScenario(load(example_data))
    said: list[str] = []
    play_interactive(compiled, toc, "en", lambda _prompt, _count: 1, said.append)
    text = "\n".join(said)
    assert text.index("(He speaks loudly and looks back at the queue.)") < text.index("forty minutes!")
    assert text.count("He speaks loudly and looks back at the queue.") == 1
