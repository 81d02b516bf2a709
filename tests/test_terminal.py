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
