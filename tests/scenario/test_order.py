"""The order of a node's options for one attempt (trainer.scenario.order)."""
from __future__ import annotations

from collections import Counter

from trainer.scenario.order import option_order

IDS = ["recommended", "acceptable", "ineffective", "harmful"]


def test_the_order_is_a_permutation_fixed_by_the_attempt_and_the_node():
    assert sorted(option_order(7, "greeting", IDS)) == sorted(IDS)
    assert option_order(7, "greeting", IDS) == option_order(7, "greeting", list(IDS))
    assert len({tuple(option_order(7, node, IDS)) for node in ("a", "b", "c", "d", "e", "f")}) > 1
    assert IDS == ["recommended", "acceptable", "ineffective", "harmful"]  # the caller's list is left alone


def test_the_first_option_is_spread_evenly_over_attempts():
    firsts = Counter(option_order(attempt, "greeting", IDS)[0] for attempt in range(4000))
    assert set(firsts) == set(IDS)
    assert all(800 < n < 1200 for n in firsts.values()), firsts  # about 1,000 each


def test_the_order_does_not_depend_on_the_process():
    # A string seed is hashed with SHA-512, so every app server offers the same order; this
    # pins one draw, which would change if the seed started depending on PYTHONHASHSEED.
    import subprocess
    import sys
    code = "from trainer.scenario.order import option_order; print(option_order(42, 'n', ['a','b','c','d']))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    assert runs == {str(option_order(42, "n", ["a", "b", "c", "d"])) + "\n"}
