"""The author's review of a scenario (`trainer review`): what the structure and numbers hide."""
from __future__ import annotations

import pytest

from trainer.scenario.review import review_markdown


def both(loaded, toc) -> tuple[str, str]:
    """The review in English and in Ukrainian."""
    return review_markdown(loaded, toc, "en"), review_markdown(loaded, toc, "uk")


def test_review_names_the_cues_a_node_hides(example_data, load, toc):
    example_data["nodes"]["greeting"]["hide_cues"] = ["patience"]
    english, ukrainian = both(load(example_data), toc)
    greeting = english.split("### `greeting`")[1].split("####")[0]
    assert "- State cues not shown here: `patience`" in greeting
    assert "- Ознаки стану тут не показано: `patience`" in ukrainian
    assert english.count("State cues not shown here") == 1


def test_review_names_who_speaks_when_it_is_not_the_client(example_data, load, toc):
    example_data["nodes"]["greeting"]["client"]["speaker"] = {"uk": "Син клієнта", "en": "The client's son"}
    text = review_markdown(load(example_data), toc, "en")
    assert "- Says (The client's son): «I've been standing here forty minutes!»" in text


def test_review_counts_the_good_ending_paths_that_a_harmful_answer_makes_mixed(example_data, load, toc):
    clean = review_markdown(load(example_data), toc, "en")
    assert "harmful answer" not in clean.split("## Endings")[1]
    example_data["nodes"]["greeting"]["choices"][1]["rating"] = "harmful"  # wait_your_turn
    english, ukrainian = both(load(example_data), toc)
    endings = english.split("## Endings")[1]
    good = next(line for line in endings.splitlines() if line.startswith("### `good_end`"))
    total = int(good.split("(")[1].split(";")[0])
    # Every path to good_end starts with one of the two non-ignoring greetings, so half of them
    # go through the now harmful wait_your_turn.
    assert good.endswith(f"({total}; {total // 2} of them with a harmful answer, which the trainee sees as a mixed outcome)")
    assert "з них " + str(total // 2) + " зі шкідливою відповіддю" in ukrainian
    assert "harmful answer" not in next(line for line in endings.splitlines() if line.startswith("### `mixed_end`"))


def test_review_says_written_or_signed_words_are_written_or_signed(example_data, load, toc):
    example_data["nodes"]["greeting"]["client"]["says_via"] = "writing"
    example_data["nodes"]["still_angry"]["client"]["says_via"] = "sign"
    english, ukrainian = both(load(example_data), toc)
    assert "- Writes: «I've been standing here forty minutes!»" in english
    assert "- Signs: «That's what you always say.»" in english
    assert "- Пише: «Я вже сорок хвилин тут стою!»" in ukrainian
    assert "- Показує жестовою мовою: «Та ви завжди так кажете.»" in ukrainian
    assert "- Says: «All right. So what do I do?»" in english  # the other lines are still speech


def test_review_shows_a_choices_reaction_and_an_endings_line(example_data, load, toc):
    """The example's wait_your_turn has a reaction and walked_out a closing line: a reviewer
    reads what the client answers to each option and how each ending looks."""
    english, ukrainian = both(load(example_data), toc)
    wait = english.split("#### `wait_your_turn`")[1].split("####")[0]
    assert "- The client's reaction to this answer:\n  - Says: «I can see the woman in blue all right!»" in wait
    assert "- Реакція клієнта на цю відповідь:\n  - Каже: «Та бачу я ту жінку в синьому!»" in ukrainian
    assert english.count("The client's reaction to this answer") == 1
    walked = english.split("### `walked_out`")[1]
    assert walked.index("- Does: He waved his hand and walked out.") < walked.index("He left without help")


@pytest.mark.parametrize("first", [False, True])
def test_review_gives_the_scene_where_the_page_does(example_data, load, toc, first):
    example_data["nodes"]["greeting"]["client"]["does_first"] = first
    english = review_markdown(load(example_data), toc, "en")
    scene = english.index("- Does: He speaks loudly and looks back at the queue.")
    assert (scene < english.index("- Says: «I've been standing here forty minutes!»")) is first
