"""The author's review of a scenario (`trainer review`): what the structure and numbers hide."""
from __future__ import annotations

from trainer.scenario.review import review_markdown


def test_review_names_the_cues_a_node_hides(example_data, load, toc):
    example_data["nodes"]["greeting"]["hide_cues"] = ["patience"]
    loaded = load(example_data)
    english, ukrainian = review_markdown(loaded, toc, "en"), review_markdown(loaded, toc, "uk")
    greeting = english.split("### `greeting`")[1].split("####")[0]
    assert "- State cues not shown here: `patience`" in greeting
    assert "- Ознаки стану тут не показано: `patience`" in ukrainian
    assert english.count("State cues not shown here") == 1


def test_review_names_who_speaks_when_it_is_not_the_client(example_data, load, toc):
    example_data["nodes"]["greeting"]["client"]["speaker"] = {"uk": "Син клієнта", "en": "The client's son"}
    text = review_markdown(load(example_data), toc, "en")
    assert "- Says (The client's son): «I've been standing here forty minutes!»" in text
