"""hearing-impairment's ending for the personal number is true only after a kind conversation.

on_your_number says the request is registered and that her only problem is now depending on
your private number. A path that first sighed about Oksana to a colleague (repeat_sigh) and
then gave the personal number still ended there, silent about the moment that cost her trust.
The route after the personal number now sends paths with an earlier miss to
number_and_misses, which names both, and low-trust paths to lost_trust.
"""
from __future__ import annotations

import pytest

from tests.scenario.walks import recommended, replaced
from trainer.scenario.analysis import iter_paths
from trainer.terminal import play_scripted


@pytest.fixture(scope="module")
def play(compile_real):
    return compile_real("hearing-impairment")


def repeat_choice(play) -> str:
    """The recommended answer at the node that offers repeat_sigh."""
    node = play.choices["repeat_sigh"][0]
    return next(choice for at, choice in play.analysis.recommended_path if at == node)


def test_the_personal_number_after_a_kind_conversation_ends_on_your_number(play):
    data = play_scripted(play, replaced(recommended(play), close_contact_options="close_personal_number"))
    assert (data["ending"], data["outcome"]) == ("on_your_number", "mixed")


def test_the_sigh_then_the_personal_number_names_both(play):
    path = replaced(recommended(play), close_contact_options="close_personal_number", **{repeat_choice(play): "repeat_sigh"})
    data = play_scripted(play, path)
    assert (data["ending"], data["outcome"]) == ("number_and_misses", "mixed")


def test_every_path_to_on_your_number_is_free_of_misses(play):
    """No path that reaches the personal-number ending has an ineffective or harmful answer
    before the personal number itself."""
    reached = 0
    for trail, ending in iter_paths(play.analysis, limit=10**6):
        if ending != "on_your_number":
            continue
        reached += 1
        before = [edge.choice_id for edge in trail if edge.choice_id != "close_personal_number"]
        misses = [c for c in before if play.choices[c][1].rating in {"ineffective", "harmful"}]
        assert not misses, misses
    assert reached
