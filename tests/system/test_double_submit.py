"""Two submissions of the same step at the same moment, to the real server: one step row."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from .checks import integrity_problems, load_steps, lost_acknowledged
from .trainee import Trainee

pytestmark = pytest.mark.system

TRAINEES = 8
ROUNDS = 6  # per trainee: 48 races in all


def _race(trainee: Trainee, twin: Trainee) -> list[dict]:
    """Post every step twice at once (two connections, one session); what each side saw."""
    rounds = []
    while len(rounds) < ROUNDS:
        page = trainee.current_page()
        if page is None:
            continue
        attempt = trainee.attempt  # the winner's last answer may end the attempt (and clear it)
        twin.cookie = trainee.cookie
        # Two different answers when the step offers them: the stored one must be the winner's.
        first = page.choices[0] if page.choices else None
        second = page.choices[-1] if page.choices else None
        barrier = threading.Barrier(2)
        results: dict[str, bool] = {}

        def submit(side: Trainee, choice, key):
            barrier.wait(timeout=30)
            results[key] = side.answer(attempt, page, choice)

        threads = [threading.Thread(target=submit, args=(trainee, first, "a")),
                   threading.Thread(target=submit, args=(twin, second, "b"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        rounds.append({"attempt": attempt, "step": page.step, **results})
    trainee.close()
    twin.close()
    return rounds


def test_simultaneous_double_submissions_record_each_step_once(deployment, server, scenario_ids):
    names = deployment.trainees(TRAINEES, prefix="double")
    pairs = []
    for n, name in enumerate(names):
        trainee = Trainee([server.port], name, scenario_ids, seed=2000 + n)
        trainee.login()
        pairs.append((trainee, Trainee([server.port], name, scenario_ids)))

    with ThreadPoolExecutor(max_workers=TRAINEES) as pool:
        rounds = [r for found in pool.map(lambda pair: _race(*pair), pairs) for r in found]

    everyone = [t for pair in pairs for t in pair]
    assert [e for t in everyone for e in t.ledger.server_errors] == []
    assert [u for t in everyone for u in t.ledger.unexpected] == []
    assert len(rounds) == TRAINEES * ROUNDS
    # Exactly one of each pair was acknowledged, the other told "already recorded".
    assert [r for r in rounds if sorted([r["a"], r["b"]]) != [False, True]] == []
    attempts, steps = load_steps(deployment.database.url)
    assert integrity_problems(attempts, steps) == []
    # The stored step is the acknowledged side's answer, not the other one.
    assert lost_acknowledged(everyone, steps) == []
