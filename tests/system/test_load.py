"""200 trainees play at once for a minute against gunicorn: no 5xx, nothing acknowledged is lost."""
from __future__ import annotations

import pytest

from .checks import integrity_problems, load_steps, lost_acknowledged
from .server import log_excerpt, log_problems
from .trainee import Trainee, describe, run_trainees

pytestmark = pytest.mark.system

TRAINEES = 200
SECONDS = 60


def test_200_trainees_for_a_minute(deployment, server, scenario_ids):
    names = deployment.trainees(TRAINEES, prefix="load")
    trainees = [Trainee([server.port], name, scenario_ids, seed=n, think=(0.0, 0.2))
                for n, name in enumerate(names)]

    run_trainees(trainees, SECONDS)

    report = describe(trainees)
    errors = [e for t in trainees for e in t.ledger.server_errors]
    assert errors == [], f"{len(errors)} server errors, first: {errors[:3]}; {report}\n" + log_excerpt(server)
    unexpected = [f"{t.username}: {u}" for t in trainees for u in t.ledger.unexpected]
    assert unexpected == [], f"{unexpected[:5]}; {report}"
    assert log_problems(server) == [], server.log_tail()
    # Every trainee really played: the load was 200 concurrent sessions, not a few.
    idle = [t.username for t in trainees if not t.ledger.acknowledged]
    assert idle == [], f"{len(idle)} trainees had no step acknowledged; {report}"

    attempts, steps = load_steps(deployment.database.url)
    assert lost_acknowledged(trainees, steps) == []
    assert integrity_problems(attempts, steps) == []
    print(f"\nload: {TRAINEES} trainees × {SECONDS} s on {deployment.database.dialect}: {report}")
