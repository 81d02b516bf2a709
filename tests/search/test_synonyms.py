"""A query word reaches the words a page uses for the same idea."""
from trainer.search.lemmas import lemma_set, query_terms
from trainer.search.synonyms import GROUPS, related


def _group(word):
    [group] = query_terms(word)
    return set(group)


def test_a_word_reaches_its_relatives_and_the_pages_wording():
    assert set(lemma_set("агресія")) <= _group("агресивний")
    assert {"нечуючий", "глухота"} <= _group("глуха")
    assert set(lemma_set("глуха")) <= _group("нечуюча")
    assert "aggression" in _group("aggressive")


def test_a_word_outside_every_group_is_left_as_it_is():
    assert _group("пенсія") == set(lemma_set("пенсія"))
    assert related(("пенсія",)) == ("пенсія",)


def test_groups_stay_apart():
    assert not _group("агресивний") & _group("глуха")
    assert len({w for g in GROUPS for w in g}) == sum(len(g) for g in GROUPS)  # no word in two groups
