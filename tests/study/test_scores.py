"""Reading stored scores: an attempt's overall score is the plain average of its competencies."""
from __future__ import annotations

from datetime import datetime

from tests.study.factory import attempt
from trainer.extensions import db
from trainer.study.scores import overall_of

NOW = datetime(2025, 3, 12, 12, 0)


def test_overall_of_averages_each_attempts_competencies_and_skips_unscored_ones(app, users):
    with app.app_context():
        s = db.session
        scored = attempt(s, users["trainee"], "busy-queue", NOW, "good", {"empathy": 60, "respect": 90})
        other = attempt(s, users["other"], "busy-queue", NOW, "poor", {"empathy": 20})
        unscored = attempt(s, users["trainee"], "crying-client", NOW, status="active")
        s.commit()
        assert overall_of(s, [scored.id, other.id, unscored.id]) == {scored.id: 75.0, other.id: 20.0}
        assert overall_of(s, []) == {}
