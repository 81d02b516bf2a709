"""Comparing a person's tries at a scenario: the list of tries and the previous attempt."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.study.factory import attempt
from trainer.extensions import db
from trainer.study.compare import compare_with_previous, framework_order, own_tries

NOW = datetime(2025, 3, 12, 12, 0)
ORDER = ["empathy", "respect", "accessibility", "clarity", "autonomy", "confidentiality", "feedback",
         "self_regulation", "boundaries"]


def test_a_first_attempt_has_nothing_to_compare_with(app, users):
    with app.app_context():
        s = db.session
        first = attempt(s, users["trainee"], "busy-queue", NOW, "poor", {"empathy": 20})
        attempt(s, users["other"], "busy-queue", NOW - timedelta(days=1), "good", {"empathy": 90})  # someone else's
        attempt(s, users["trainee"], "crying-client", NOW - timedelta(days=1), "good", {"empathy": 90})  # another scenario
        s.commit()
        assert compare_with_previous(s, first, ORDER) is None


def test_a_replay_is_compared_with_the_attempt_just_before_it_on_competencies_both_scored(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", NOW - timedelta(days=9), "good", {"empathy": 100})  # older still
        before = attempt(s, me, "busy-queue", NOW - timedelta(days=2), "poor",
                         {"self_regulation": 20, "empathy": 40, "clarity": 48})
        attempt(s, me, "busy-queue", NOW - timedelta(days=1), status="active")  # not finished: no result
        now = attempt(s, me, "busy-queue", NOW, "good",
                      {"self_regulation": 90, "empathy": 100, "boundaries": 86})  # clarity not reached
        later = attempt(s, me, "busy-queue", NOW + timedelta(days=1), "good", {"empathy": 100})
        s.commit()
        found = compare_with_previous(s, now, ORDER)
        assert found.previous.attempt_id == before.id and found.previous.outcome == "poor"
        assert found.previous.overall == pytest.approx(36)
        assert found.overall == pytest.approx(92)
        assert found.delta == 56
        # Framework order, not the order of the rows; clarity and boundaries were scored in one only.
        assert [(c.competency, c.before, c.now, c.delta) for c in found.competencies] == [
            ("empathy", 40, 100, 60), ("self_regulation", 20, 90, 70)]
        # Viewed later, an attempt is still compared with the one before it, not the newest.
        assert compare_with_previous(s, later, ORDER).previous.attempt_id == now.id


def test_own_tries_are_the_finished_ones_newest_first_and_say_when_there_are_more(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        made = [attempt(s, me, "busy-queue", NOW + timedelta(days=n), "mixed", {"empathy": 10 * n}) for n in range(7)]
        attempt(s, me, "busy-queue", NOW + timedelta(days=8), status="active")
        attempt(s, users["other"], "busy-queue", NOW + timedelta(days=9), "good", {"empathy": 100})
        s.commit()
        found = own_tries(s, me, "busy-queue", limit=5)
        assert [t.attempt_id for t in found.tries] == [a.id for a in reversed(made)][:5]
        assert found.tries[0].overall == pytest.approx(60) and found.more
        assert not own_tries(s, me, "busy-queue", limit=7).more
        assert own_tries(s, me, "crying-client").tries == []


def test_framework_order_puts_unknown_competencies_last():
    assert framework_order(["zeta", "clarity", "empathy"], ORDER) == ["empathy", "clarity", "zeta"]
