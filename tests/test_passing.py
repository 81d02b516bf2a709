"""What passes an assessment: the outcome, and a pass mark on the overall score when set."""
from __future__ import annotations

import pytest

from trainer.passing import passes


@pytest.mark.parametrize(("outcome", "overall", "pass_mark", "passed"), [
    ("good", 10.0, None, True),  # no pass mark: the outcome alone decides, as before
    ("mixed", None, None, True),
    ("poor", 95.0, None, False),
    ("failed", 100.0, 50, False),  # a critical error fails whatever the score
    ("good", 70.0, 70, True),
    ("good", 69.6, 70, True),  # shown as 70 %: what the page shows is what counts
    ("mixed", 69.4, 70, False),  # shown as 69 %
    ("good", None, 70, False),  # no scores to reach the mark with
    ("good", 100.0, 100, True),
])
def test_passes(outcome, overall, pass_mark, passed):
    assert passes(outcome, overall, pass_mark) is passed
