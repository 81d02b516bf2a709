"""Words a frontliner searches by that the text says another way.

Dictionary forms do not link a word to its relatives («агресивний» / «агресія») or to the
word a page uses for the same people («нечуюча» / «глуха»), so a search for the one missed
the page about the other. Each group below is one idea; a query word from a group matches
any word of it. Groups stay narrow on purpose: a broad one («гнів» with «крик») would fill
every result list with the same pages.
"""
from __future__ import annotations

from functools import lru_cache

GROUPS: tuple[tuple[str, ...], ...] = (
    ("агресія", "агресивний", "агресивність", "агресивно"),
    ("глухий", "глуха", "глухота", "нечуючий", "нечуюча", "жестовий"),
    ("неписьменний", "неграмотний", "неписьменність"),
    ("плакати", "плач", "сльоза"),
    ("кричати", "крик"),
    ("п'яний", "нетверезий", "сп'яніння"),
    ("безхатній", "бездомний", "безпритульний", "безхатченко"),
    ("переселенець", "переселенка", "впо"),
    ("скарга", "скаржитися"),
    ("конфіденційність", "конфіденційний"),
    ("aggression", "aggressive", "aggressively"),
    ("deaf", "deafness"),
    ("drunk", "intoxicated", "intoxication"),
    ("homeless", "homelessness"),
    ("cry", "crying", "tears"),
    ("complaint", "complain"),
)


@lru_cache(maxsize=1)
def _by_lemma() -> dict[str, tuple[str, ...]]:
    from .lemmas import lemma_set  # the analyser loads on first use, not at import
    table: dict[str, tuple[str, ...]] = {}
    for group in GROUPS:
        lemmas = tuple(dict.fromkeys(lemma for word in group for lemma in lemma_set(word)))
        for lemma in lemmas:
            table[lemma] = lemmas
    return table


def related(lemmas: tuple[str, ...]) -> tuple[str, ...]:
    """``lemmas`` followed by the lemmas of every synonym group one of them belongs to."""
    table = _by_lemma()
    extra = [other for lemma in lemmas for other in table.get(lemma, ())]
    return tuple(dict.fromkeys([*lemmas, *extra]))
