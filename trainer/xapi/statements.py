"""Turn a finished attempt into xAPI statements.

Per choice an ``answered`` statement (a ``choice`` interaction, the competency changes in
``result.extensions``); per attempt ``completed`` and ``passed`` or ``failed`` with a scaled
score; per competency a ``scored`` statement. Statement ids are UUIDs derived from the
attempt, so building the same attempt twice gives the same ids and an LRS that already
has a statement simply accepts it again.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from ..models import Attempt, AttemptScore, Step
from ..passing import passes
from ..scenario.engine import CompiledScenario
from ..scenario.model import Text
from ..study.scores import overall_score

XAPI_VERSION = "1.0.3"
NAMESPACE = uuid.UUID("5d0f8a1e-52a4-4c0e-9f59-6b7a4a2c9e11")
VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "scored": "http://adlnet.gov/expapi/verbs/scored",
}
VERB_UK = {"answered": "відповів", "completed": "завершив", "passed": "склав", "failed": "не склав",
           "scored": "отримав оцінку"}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"


def lang_map(text: Text | None) -> dict[str, str]:
    if text is None:
        return {}
    out = {"uk-UA": text.uk}
    if text.en:
        out["en-US"] = text.en
    return out


def _timestamp(moment: datetime | None) -> str:
    return (moment or datetime(1970, 1, 1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def statement_id(attempt_id: int, *parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([str(attempt_id), *parts])))


class Builder:
    """Statements for attempts of one installation (``base_url`` roots every activity id)."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")

    def ext(self, name: str) -> str:
        return f"{self.base}/xapi/extensions/{name}"

    def actor(self, attempt: Attempt) -> dict:
        # An account on this installation, not an e-mail: trainees are known by user name only.
        return {"objectType": "Agent", "name": attempt.user.name,
                "account": {"homePage": self.base, "name": attempt.user.username}}

    def scenario_activity(self, compiled: CompiledScenario) -> dict:
        scenario = compiled.scenario
        return {"objectType": "Activity", "id": f"{self.base}/scenarios/{scenario.id}",
                "definition": {"type": SIMULATION, "name": lang_map(scenario.title),
                               "description": lang_map(scenario.summary)}}

    def _verb(self, name: str) -> dict:
        return {"id": VERBS[name], "display": {"en-US": name, "uk-UA": VERB_UK[name]}}

    def _context(self, attempt: Attempt, compiled: CompiledScenario) -> dict:
        return {
            "registration": statement_id(attempt.id, "registration"),
            "contextActivities": {"parent": [{"objectType": "Activity",
                                              "id": f"{self.base}/scenarios/{compiled.scenario.id}"}]},
            "extensions": {self.ext("attempt"): attempt.id, self.ext("mode"): attempt.mode,
                           self.ext("scenario-version"): compiled.scenario.version},
        }

    def answered(self, attempt: Attempt, compiled: CompiledScenario, step: Step) -> dict:
        node = compiled.scenario.nodes[step.node_id]
        choices = node.choices or []
        recommended = [c.id for c in choices if c.rating == "recommended"]
        chosen = next((c for c in choices if c.id == step.choice_id), None)
        result: dict = {
            "response": step.choice_id,
            "extensions": {self.ext("competency-delta"): dict(step.score_delta or {})},
        }
        if chosen is not None:
            result["success"] = chosen.rating in ("recommended", "acceptable")
            result["extensions"][self.ext("rating")] = chosen.rating
        if step.seconds is not None:
            result["duration"] = f"PT{step.seconds:.1f}S"
        if step.free_text is not None:
            result["extensions"][self.ext("free-text")] = step.free_text
        definition = {
            "type": INTERACTION, "interactionType": "choice",
            "name": {"en-US": f"{compiled.scenario.id} / {step.node_id}"},
            "choices": [{"id": c.id, "description": lang_map(c.text)} for c in choices],
        }
        if node.client is not None and node.client.says is not None:
            definition["description"] = lang_map(node.client.says)
        if recommended:
            definition["correctResponsesPattern"] = recommended
        return {
            "id": statement_id(attempt.id, "answered", str(step.index)),
            "actor": self.actor(attempt), "verb": self._verb("answered"),
            "object": {"objectType": "Activity",
                       "id": f"{self.base}/scenarios/{compiled.scenario.id}/nodes/{step.node_id}",
                       "definition": definition},
            "result": result, "context": self._context(attempt, compiled),
            "timestamp": _timestamp(step.created_at), "version": XAPI_VERSION,
        }

    def attempt_statements(self, attempt: Attempt, compiled: CompiledScenario, steps: Iterable[Step],
                           scores: Iterable[AttemptScore], pass_mark: int | None = None) -> list[dict]:
        """Every statement of a finished attempt, in the order things happened; "passed" or
        "failed" by ``passing.passes``, with an assessment's ``pass_mark``."""
        out = [self.answered(attempt, compiled, step) for step in steps]
        scores = list(scores)
        points = sum(s.points for s in scores)
        maximum = sum(s.max_points for s in scores)
        scaled = max(0.0, min(1.0, points / maximum)) if maximum > 0 else 0.0
        lowest = compiled.analysis.min_score
        score = _score(scaled, points, sum(min(0, lowest.get(s.competency, 0)) for s in scores), maximum)
        passed = passes(attempt.outcome, overall_score(s.percent for s in scores), pass_mark)
        when = _timestamp(attempt.finished_at)
        common = {"actor": self.actor(attempt), "object": self.scenario_activity(compiled),
                  "context": self._context(attempt, compiled), "timestamp": when, "version": XAPI_VERSION}
        extensions = {self.ext("outcome"): attempt.outcome, self.ext("ending"): attempt.ending,
                      self.ext("critical-choice"): attempt.critical_choice}
        out.append({"id": statement_id(attempt.id, "completed"), "verb": self._verb("completed"),
                    "result": {"completion": True, "score": score, "extensions": extensions}, **common})
        verdict = "passed" if passed else "failed"
        out.append({"id": statement_id(attempt.id, verdict), "verb": self._verb(verdict),
                    "result": {"success": passed, "completion": True, "score": score}, **common})
        for s in scores:
            out.append({
                "id": statement_id(attempt.id, "scored", s.competency),
                "actor": self.actor(attempt), "verb": self._verb("scored"),
                "object": {"objectType": "Activity", "id": f"{self.base}/competencies/{s.competency}",
                           "definition": {"type": OBJECTIVE, "name": {"en-US": s.competency}}},
                "result": {"score": _score(s.percent / 100, s.points, min(0, lowest.get(s.competency, 0)),
                                           s.max_points)},
                "context": self._context(attempt, compiled), "timestamp": when, "version": XAPI_VERSION,
            })
        return out


def _score(scaled: float, raw: int, lowest: int, highest: int) -> dict:
    """An xAPI score object. Harmful answers take points below zero, and xAPI requires
    min <= raw <= max, so min is the scenario's lowest reachable total (an LRS rejects a
    statement whose raw is below its min, and a rejected statement is never resent)."""
    return {"scaled": round(scaled, 4), "raw": raw, "min": min(lowest, raw), "max": max(highest, raw)}
