"""Two app servers on one PostgreSQL, each trainee's requests alternating between them:
how a centre scales out. Attempts play through; nothing is lost or doubled."""
from __future__ import annotations

import re
import threading
import time

import pytest

from .checks import integrity_problems, load_steps, lost_acknowledged
from .trainee import Trainee, describe

pytestmark = pytest.mark.system

TRAINEES = 10
ATTEMPTS_EACH = 2
TIME_LIMIT = 120  # seconds: a bound, not an expectation


def _play_through(trainee: Trainee, deadline: float) -> None:
    """Log in and play until ATTEMPTS_EACH attempts have reached their debrief."""
    trainee.login()
    while len(trainee.ledger.attempts_finished) < ATTEMPTS_EACH and time.monotonic() < deadline:
        trainee.play_once()
    trainee.close()


def _answers_served(log: str) -> int:
    return len(re.findall(r'"POST /attempts/\d+/answer HTTP/1\.1" 302', log))


def test_two_servers_share_one_database(postgres_deployment, scenario_ids):
    # Started together: the second server's workers import the app while the first's do.
    servers = postgres_deployment.serve_together(2)
    names = postgres_deployment.trainees(TRAINEES, prefix="scale")
    ports = [s.port for s in servers]
    # Each trainee starts on a different server, then alternates request by request.
    trainees = [Trainee(ports[n % 2:] + ports[:n % 2], name, scenario_ids, seed=3000 + n)
                for n, name in enumerate(names)]
    deadline = time.monotonic() + TIME_LIMIT
    threads = [threading.Thread(target=_play_through, args=(t, deadline), daemon=True) for t in trainees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT + 30)
    for server in servers:
        server.stop()

    report = describe(trainees)
    assert [e for t in trainees for e in t.ledger.server_errors] == [], report
    assert [u for t in trainees for u in t.ledger.unexpected] == [], report
    assert all(len(t.ledger.attempts_finished) >= ATTEMPTS_EACH for t in trainees), report
    # Both servers did real work: answers were recorded through each of them.
    assert all(_answers_served(s.log_path.read_text()) > 0 for s in servers)

    attempts, steps = load_steps(postgres_deployment.database.url)
    assert lost_acknowledged(trainees, steps) == []
    assert integrity_problems(attempts, steps) == []
    # Nothing lost or doubled: every step of a finished attempt is one the trainee saw accepted.
    for trainee in trainees:
        acknowledged = {}
        for attempt_id, index, _choice in trainee.ledger.acknowledged:
            acknowledged.setdefault(attempt_id, []).append(index)
        for attempt_id in trainee.ledger.attempts_finished:
            assert attempts[attempt_id]["status"] == "finished"
            assert sorted(acknowledged[attempt_id]) == list(range(attempts[attempt_id]["step_count"]))
