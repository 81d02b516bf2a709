"""Agreement between two raters: Cohen's kappa on 1-5 ratings.

The automatic score joins in as a rater by banding its percentage into the same five
steps, so a supervisor can see whether their judgement and the scoring rules line up.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

CATEGORIES = (1, 2, 3, 4, 5)


def percent_to_rating(percent: float) -> int:
    """0-19 % → 1, 20-39 → 2, 40-59 → 3, 60-79 → 4, 80-100 → 5."""
    return min(5, 1 + int(max(0.0, percent) // 20))


def cohen_kappa(pairs: Iterable[tuple[int, int]]) -> float | None:
    """Unweighted Cohen's kappa of paired ratings; None when it is undefined.

    Undefined means no pairs, or both raters used one and the same category throughout
    (expected agreement is 1, so chance explains everything and kappa has no value).
    """
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    left = Counter(a for a, _ in pairs)
    right = Counter(b for _, b in pairs)
    expected = sum(left[c] * right[c] for c in set(left) | set(right)) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def exact_agreement(pairs: Iterable[tuple[int, int]]) -> float | None:
    pairs = list(pairs)
    if not pairs:
        return None
    return sum(1 for a, b in pairs if a == b) / len(pairs)


def kappa_label(kappa: float | None) -> str:
    """Landis and Koch's conventional reading of a kappa value."""
    if kappa is None:
        return "undefined"
    if kappa < 0:
        return "poor"
    for limit, label in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if kappa <= limit:
            return label
    return "almost_perfect"
