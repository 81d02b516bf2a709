"""Attempts with scores written straight into the database, for tests of the queries.

Playing through the views is slow and gives one kind of result; these rows let a test
state exactly which attempts, outcomes, percentages and dates a person has.
"""
from __future__ import annotations

from datetime import datetime

from trainer.models import Attempt, AttemptScore, ScenarioVersion


def version(session, scenario_id: str) -> ScenarioVersion:
    found = session.query(ScenarioVersion).filter_by(content_hash=f"test-{scenario_id}").one_or_none()
    if found is None:
        found = ScenarioVersion(scenario_id=scenario_id, version=1, content_hash=f"test-{scenario_id}",
                                source=f"id: {scenario_id}\n")
        session.add(found)
        session.flush()
    return found


def attempt(session, user_id: int, scenario_id: str, when: datetime, outcome: str | None = "good",
            scores: dict[str, float] | None = None, status: str = "finished", mode: str = "practice") -> Attempt:
    """One attempt; ``scores`` maps competency → percent (points are percent / 10 of 10)."""
    row = Attempt(user_id=user_id, scenario_version_id=version(session, scenario_id).id, scenario_id=scenario_id,
                  status=status, state={}, step_count=1, outcome=outcome if status == "finished" else None,
                  started_at=when, updated_at=when, finished_at=when if status == "finished" else None, mode=mode)
    session.add(row)
    session.flush()
    for comp, percent in (scores or {}).items():
        session.add(AttemptScore(attempt_id=row.id, competency=comp, user_id=user_id, scenario_id=scenario_id,
                                 points=round(percent / 10), max_points=10, percent=float(percent), finished_at=when))
    session.flush()
    return row


def play_example_well(client) -> str:
    """Play the doc example through the views to its good ending; returns the attempt's URL.

    Uses the session-wide CSRF token from the scenario page and the known step numbers, so
    it does not depend on how the play page looks.
    """
    from tests.conftest import csrf_token

    token = csrf_token(client.get("/scenarios/example-queue").get_data(as_text=True))
    url = client.post("/scenarios/example-queue/start", data={"csrf_token": token}).headers["Location"]
    for step, choice in enumerate(("greet_and_acknowledge", "explain_and_check")):
        response = client.post(url + "/answer", data={"csrf_token": token, "step": step, "choice": choice})
        assert response.status_code == 302
    return url
