"""The registry as the app sees it: which scenarios practise a section or its subsections."""
from __future__ import annotations


def test_a_chapter_lists_the_scenarios_that_train_its_subsections(registry):
    below = registry.practice_below("5.2")
    ids = [loaded.scenario.id for loaded, _ in below]
    assert "crying-client" in ids and "aggressive-client" in ids
    for loaded, numbers in below:
        # Each names exactly the subsections of 5.2 it trains, in manual order.
        trained = sorted((n for n in loaded.scenario.manual if n.startswith("5.2.")), key=lambda n: [int(p) for p in n.split(".")])
        assert numbers == trained and numbers
    # Grouped by the first subsection each trains, in manual order.
    firsts = [[int(p) for p in numbers[0].split(".")] for _, numbers in below]
    assert firsts == sorted(firsts) and len(set(map(tuple, firsts))) > 3
    # A scenario that trains nothing under 5.2 is not listed.
    for loaded in registry.current.values():
        if not any(n.startswith("5.2.") for n in loaded.scenario.manual):
            assert loaded.scenario.id not in ids


def test_a_prefix_is_a_subsection_not_a_longer_number(registry):
    # Scenarios train 5.3.10-5.3.14, which are not subsections of 5.3.1.
    assert any(n.startswith("5.3.1") and n != "5.3.1" for l in registry.current.values() for n in l.scenario.manual)
    assert registry.practice_below("5.3.1") == []
    assert registry.practice_below("7.9") == []
