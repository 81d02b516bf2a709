"""kill -9 of the whole server mid-load, then a restart: nothing acknowledged is lost and
every attempt resumes where the database says it is."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .checks import integrity_problems, load_steps, lost_acknowledged
from .server import log_excerpt
from .trainee import Trainee, describe, run_trainees

pytestmark = pytest.mark.system

TRAINEES = 200
STEPS_BEFORE_KILL = 100  # acknowledged steps before the kill: the load is well under way
STEPS_AFTER_RESTART = 100  # and again once the restarted server answers
WAIT_LIMIT = 60  # seconds, for each of those


def _acknowledged(trainees) -> int:
    return sum(len(t.ledger.acknowledged) for t in trainees)


def _wait_for_steps(trainees, count: int) -> None:
    # Progress, not a fixed time: a busy machine must not turn "mid-load" into "before the load".
    deadline = time.monotonic() + WAIT_LIMIT
    while _acknowledged(trainees) < count and time.monotonic() < deadline:
        time.sleep(0.2)


def _resume(trainee: Trainee, attempts: dict[int, dict]) -> list[str]:
    """Open each of the trainee's active attempts and answer one more step."""
    problems = []
    mine = [a for a in trainee.ledger.attempts_started if attempts.get(a, {}).get("status") == "active"]
    for attempt_id in sorted(mine):
        page = trainee.page(attempt_id)
        expected = attempts[attempt_id]["step_count"]
        if page is None:
            problems.append(f"{trainee.username}: attempt {attempt_id} has no answer form")
        elif page.step != expected:
            problems.append(f"{trainee.username}: attempt {attempt_id} shows step {page.step}, database has {expected}")
        elif not trainee.answer(attempt_id, page):
            problems.append(f"{trainee.username}: attempt {attempt_id} step {page.step} not accepted after restart")
    trainee.close()
    return problems


def test_sigkill_mid_load_loses_nothing_acknowledged(deployment, scenario_ids):
    server = deployment.serve()
    names = deployment.trainees(TRAINEES, prefix="crash")
    # Clients keep retrying refused connections while the server is down, as people press reload.
    trainees = [Trainee([server.port], name, scenario_ids, seed=1000 + n, think=(0.0, 0.2), retry_for=90)
                for n, name in enumerate(names)]
    stop = threading.Event()
    load = threading.Thread(target=run_trainees, args=(trainees, 300, stop), daemon=True)
    load.start()

    _wait_for_steps(trainees, STEPS_BEFORE_KILL)
    workers = server.worker_pids()
    server.kill()  # SIGKILL to the master and all workers: no shutdown code runs
    at_kill = _acknowledged(trainees)
    server.start()  # same port and database, as a supervisor (systemd) would restart it
    assert workers and not (set(workers) & set(server.worker_pids()))
    restarted = _acknowledged(trainees)
    _wait_for_steps(trainees, restarted + STEPS_AFTER_RESTART)
    stop.set()
    load.join(timeout=120)
    assert not load.is_alive(), "trainees did not stop"

    report = describe(trainees)
    assert at_kill >= STEPS_BEFORE_KILL and _acknowledged(trainees) > restarted, f"the kill was not mid-load: {report}"
    assert sum(t.ledger.connection_errors for t in trainees) > 0, "no request saw the server die"
    errors = [e for t in trainees for e in t.ledger.server_errors]
    assert errors == [], f"{len(errors)} server errors, first: {errors[:3]}; {report}\n" + log_excerpt(server)
    unexpected = [f"{t.username}: {u}" for t in trainees for u in t.ledger.unexpected]
    assert unexpected == [], f"{unexpected[:5]}; {report}"

    attempts, steps = load_steps(deployment.database.url)
    assert lost_acknowledged(trainees, steps) == []
    assert integrity_problems(attempts, steps) == []

    with ThreadPoolExecutor(max_workers=16) as pool:
        problems = [p for found in pool.map(lambda t: _resume(t, attempts), trainees) for p in found]
    assert problems == []
    server.stop()
    resumed, after = load_steps(deployment.database.url)
    assert integrity_problems(resumed, after) == []
    assert lost_acknowledged(trainees, after) == []
    print(f"\ncrash: {at_kill} steps acknowledged before the kill; {report}")
