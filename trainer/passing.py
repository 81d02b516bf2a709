"""What passes an assessment: a good or mixed outcome and, when its supervisor set one, a
pass mark on the overall score.

The outcome rule (``PASSING_OUTCOMES``) is the one the xAPI statements report: a poor
ending or a critical error does not pass. An assignment may add a pass mark, a whole
percentage: the attempt's overall score (the plain average of its competency
percentages, ``study.scores``) must then reach it as the pages show it, rounded to a whole
number, so 69.6 % passes a mark of 70 and 69.4 % does not (``PASS_MARK_SLACK``). Without
a pass mark the outcome alone decides, as it did before pass marks existed.

Plain Python, no Flask.
"""
from __future__ import annotations

PASSING_OUTCOMES = ("good", "mixed")
MIN_PASS_MARK, MAX_PASS_MARK = 1, 100
# An overall score passes a mark it reaches once rounded to a whole number (the same
# comparison is made in SQL, ``team.assignments``, so pages and counts agree).
PASS_MARK_SLACK = 0.5


def passes(outcome: str | None, overall: float | None = None, pass_mark: int | None = None) -> bool:
    """Whether a finished attempt with ``outcome`` and ``overall`` score (None when it has
    no scores) passes an assessment whose pass mark is ``pass_mark`` (None: none set)."""
    if outcome not in PASSING_OUTCOMES:
        return False
    if pass_mark is None:
        return True
    return overall is not None and overall >= pass_mark - PASS_MARK_SLACK
