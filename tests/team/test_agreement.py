"""Cohen's kappa and the banding of automatic scores."""
from __future__ import annotations

import pytest

from trainer.team.agreement import cohen_kappa, exact_agreement, kappa_label, percent_to_rating


def test_kappa_of_perfect_agreement_is_one():
    assert cohen_kappa([(1, 1), (2, 2), (5, 5), (3, 3)]) == pytest.approx(1.0)


def test_kappa_matches_a_worked_example():
    # 50 items, yes/no: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # p_o = 0.7, p_e = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
    pairs = [(1, 1)] * 20 + [(1, 2)] * 5 + [(2, 1)] * 10 + [(2, 2)] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert exact_agreement(pairs) == pytest.approx(0.7)
    assert kappa_label(0.4) == "fair"


def test_kappa_below_chance_is_negative():
    assert cohen_kappa([(1, 2), (2, 1), (1, 2), (2, 1)]) == pytest.approx(-1.0)


def test_kappa_is_undefined_without_data_or_variation():
    assert cohen_kappa([]) is None
    assert cohen_kappa([(3, 3), (3, 3)]) is None
    assert kappa_label(None) == "undefined"


@pytest.mark.parametrize("percent, rating", [(0, 1), (19.9, 1), (20, 2), (55, 3), (79, 4), (80, 5), (100, 5), (-5, 1)])
def test_percent_bands_into_five_ratings(percent, rating):
    assert percent_to_rating(percent) == rating
