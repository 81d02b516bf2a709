"""The library bar's length rule: the recommended option must not stand out by its length."""
from trainer.scenario.quality import length_problems, longest_recommended


def _set_lengths(data, recommended_longest: set[str]):
    """Make the recommended option the longest at the named nodes and the shortest elsewhere."""
    for node_id, node in data["nodes"].items():
        for choice in node.get("choices") or []:
            long = (choice["rating"] == "recommended") == (node_id in recommended_longest)
            words = "слово " * (30 if long else 5)
            choice["text"] = {"uk": words.strip(), "en": ("word " * (30 if long else 5)).strip()}
    return data


def _decisions(data):
    return [n for n, node in data["nodes"].items() if len(node.get("choices") or []) >= 2]


def test_the_longest_recommended_option_at_every_decision_is_below_the_bar(example_data, load):
    decisions = _decisions(example_data)
    loaded = load(_set_lengths(example_data, set(decisions)))
    giveaways, count = longest_recommended(loaded, "uk")
    assert (sorted(giveaways), count) == (sorted(decisions), len(decisions))
    problems = length_problems(loaded)
    assert len(problems) == 2 and "'uk'" in problems[0] and "'en'" in problems[1]
    assert all(node in problems[0] for node in decisions)


def test_a_third_of_the_decisions_or_fewer_is_within_the_bar(example_data, load):
    decisions = _decisions(example_data)
    loaded = load(_set_lengths(example_data, set(decisions[: len(decisions) // 3])))
    assert len(longest_recommended(loaded, "uk")[0]) == len(decisions) // 3
    assert length_problems(loaded) == []


def test_more_than_a_third_is_below_the_bar(example_data, load):
    decisions = _decisions(example_data)
    over = len(decisions) // 3 + 1
    problems = length_problems(load(_set_lengths(example_data, set(decisions[:over]))))
    assert problems and "at most a third" in problems[0]


def test_a_tie_does_not_give_the_answer_away(example_data, load):
    for node in example_data["nodes"].values():
        for choice in node.get("choices") or []:
            choice["text"] = {"uk": "однакові слова", "en": "equal words"}
    loaded = load(example_data)
    assert longest_recommended(loaded, "en")[0] == []
    assert length_problems(loaded) == []


def test_each_language_is_checked_on_its_own(example_data, load):
    decisions = _decisions(example_data)
    data = _set_lengths(example_data, set())
    for node_id in decisions:  # long recommended options in English only
        for choice in data["nodes"][node_id]["choices"]:
            if choice["rating"] == "recommended":
                choice["text"]["en"] = "word " * 40
    problems = length_problems(load(data))
    assert len(problems) == 1 and problems[0].startswith("in 'en'")
