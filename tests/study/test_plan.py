"""The self-study queries: refreshers, weakest competency, suggestions, progress, history."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.study.factory import attempt
from trainer.extensions import db
from trainer.models import ReviewCard
from trainer.study import plan

NOW = datetime(2025, 3, 12, 12, 0)  # a Wednesday


def card(session, user_id, scenario_id, due_at):
    session.add(ReviewCard(user_id=user_id, scenario_id=scenario_id, card={}, due_at=due_at, updated_at=NOW))


# -- refreshers --------------------------------------------------------------------------

def test_refreshers_split_due_and_upcoming_with_the_last_result(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", NOW - timedelta(days=9), "poor", {"empathy": 20, "clarity": 40})
        attempt(s, me, "busy-queue", NOW - timedelta(days=3), "mixed", {"empathy": 50, "clarity": 70})
        attempt(s, me, "busy-queue", NOW - timedelta(days=1), status="active")  # not a result
        attempt(s, me, "crying-client", NOW - timedelta(days=20), "good", {"empathy": 90})
        attempt(s, me, "no-contact", NOW - timedelta(days=2), "good", {"empathy": 80})
        card(s, me, "busy-queue", NOW - timedelta(hours=1))
        card(s, me, "crying-client", NOW - timedelta(days=2))
        card(s, me, "no-contact", NOW + timedelta(days=4))
        card(s, users["other"], "hearing-impairment", NOW - timedelta(days=1))  # someone else's
        s.commit()
        due, upcoming = plan.refreshers(s, me, NOW)
    assert [r.scenario_id for r in due] == ["crying-client", "busy-queue"]  # most overdue first
    busy = due[1]
    assert busy.last_outcome == "mixed" and busy.last_percent == pytest.approx(60)
    assert busy.last_played == NOW - timedelta(days=3)
    assert [r.scenario_id for r in upcoming] == ["no-contact"]
    assert upcoming[0].due_at == NOW + timedelta(days=4)


def test_refreshers_leave_out_scenarios_no_longer_in_the_library(app, users):
    me = users["trainee"]
    with app.app_context():
        card(db.session, me, "busy-queue", NOW - timedelta(days=1))
        card(db.session, me, "retired-scenario", NOW - timedelta(days=1))
        db.session.commit()
        due, _ = plan.refreshers(db.session, me, NOW, playable={"busy-queue", "crying-client"})
    assert [r.scenario_id for r in due] == ["busy-queue"]
    assert due[0].last_played is None and due[0].last_percent is None


# -- weakest competency and suggestions -------------------------------------------------------

def test_weakest_competency_is_the_lowest_average(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", NOW, "good", {"empathy": 90, "clarity": 40})
        attempt(s, me, "crying-client", NOW, "mixed", {"empathy": 30, "clarity": 80, "respect": 70})
        attempt(s, users["other"], "busy-queue", NOW, "poor", {"respect": 0})  # not mine
        s.commit()
        standings = plan.competency_standings(s, me)
        only_known = plan.competency_standings(s, me, known={"respect", "empathy"})
    assert [(x.competency, x.average, x.attempts) for x in standings] == [
        ("clarity", 60, 2), ("empathy", 60, 2), ("respect", 70, 1)]  # weakest first, ties broken by name
    assert [x.competency for x in only_known] == ["empathy", "respect"]


def test_no_weakest_competency_before_any_scored_attempt(app, users):
    with app.app_context():
        assert plan.competency_standings(db.session, users["trainee"]) == []


def test_focus_is_a_weak_spot_then_an_untried_competency_then_the_lowest(registry):
    S = plan.Standing
    known = ["empathy", "clarity", "accessibility", "no_scenario_trains_this"]
    library = registry.current
    weak = [S("clarity", 79.5, 2), S("empathy", 95, 3)]
    assert plan.focus(weak, known, library) == plan.Focus("weakest", "clarity", weak[0])
    strong = [S("clarity", 80, 2), S("empathy", 100, 1)]
    # Both practised ones are strong: the first untried one in the framework's order that a
    # scenario trains (not one that no scenario could help with).
    assert plan.focus(strong, known, library) == plan.Focus("untried", "accessibility", strong[0])
    everything = [S("accessibility", 85, 1), *strong]
    assert plan.focus(everything, known[:3], library) == plan.Focus("lowest", "accessibility", everything[0])
    assert plan.focus(strong, None, library).kind == "lowest"
    assert plan.focus([], known, library) is None


def test_newcomer_starts_with_the_easiest_scenario_earliest_in_the_manual(registry):
    chosen = registry.current[plan.starting_scenario(registry.current)].scenario
    assert chosen.difficulty == "introductory"
    introductory = [x.scenario for x in registry.current.values() if x.scenario.difficulty == "introductory"]
    assert len(introductory) >= 2

    def sections(scenario):
        return [tuple(map(int, section.split("."))) for section in scenario.manual]

    assert all(sections(chosen) <= sections(x) for x in introductory)
    assert plan.starting_scenario({}) is None


def test_suggestion_prefers_a_scenario_never_played(app, users, registry):
    me = users["trainee"]
    trains_clarity = sorted(sid for sid, x in registry.current.items() if "clarity" in x.scenario.competencies)
    with app.app_context():
        attempt(db.session, me, "busy-queue", NOW, "good", {"clarity": 30})
        db.session.commit()
        suggestion = plan.scenario_for(db.session, me, "clarity", registry.current)
    assert suggestion.scenario_id in trains_clarity and suggestion.scenario_id != "busy-queue"
    assert suggestion.last_percent is None


def test_suggestion_does_not_send_someone_back_below_the_level_they_have_finished(app, users, registry):
    # Finished an advanced scenario weak on clarity: the next unplayed one that trains clarity
    # is an advanced one, not the introductory queue (an experienced reviewer's complaint).
    me = users["trainee"]
    with app.app_context():
        attempt(db.session, me, "aggressive-client", NOW, "mixed", {"clarity": 30})
        db.session.commit()
        suggestion = plan.scenario_for(db.session, me, "clarity", registry.current)
    assert registry.current[suggestion.scenario_id].scenario.difficulty == "advanced"
    assert suggestion.scenario_id != "aggressive-client" and suggestion.last_percent is None


def test_suggestion_falls_back_to_the_easiest_when_nothing_unplayed_is_at_that_level(app, users, registry):
    me = users["trainee"]
    scenarios = {sid: registry.current[sid] for sid in ("aggressive-client", "busy-queue", "hearing-impairment")}
    with app.app_context():
        attempt(db.session, me, "aggressive-client", NOW, "mixed", {"clarity": 30})
        db.session.commit()
        suggestion = plan.scenario_for(db.session, me, "clarity", scenarios)
    assert suggestion.scenario_id == "busy-queue"  # introductory, earliest in the manual


def test_suggestion_when_all_were_played_is_the_lowest_latest_result(app, users, registry):
    me = users["trainee"]
    scenarios = {sid: registry.current[sid] for sid in ("busy-queue", "crying-client", "hearing-impairment")}
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", NOW - timedelta(days=5), "poor", {"empathy": 10})
        attempt(s, me, "busy-queue", NOW - timedelta(days=1), "good", {"empathy": 95})  # improved since
        attempt(s, me, "crying-client", NOW, "mixed", {"empathy": 50})
        attempt(s, me, "hearing-impairment", NOW, "good", {"empathy": 70})
        s.commit()
        suggestion = plan.scenario_for(s, me, "empathy", scenarios)
        none = plan.scenario_for(s, me, "no-such-competency", scenarios)
    assert suggestion == plan.Suggestion("crying-client", 50.0)
    assert none is None


def test_home_plan_for_a_newcomer_and_for_a_player(app, users, registry):
    me = users["trainee"]
    with app.app_context():
        fresh = plan.home_plan(db.session, me, NOW, registry.current, None)
        attempt(db.session, me, "busy-queue", NOW - timedelta(days=1), "mixed", {"clarity": 40, "empathy": 70})
        db.session.commit()
        played = plan.home_plan(db.session, me, NOW, registry.current, None, by="month")
    assert fresh.start_here == "system-down" and fresh.focus is None and fresh.suggestion is None
    assert played.start_here is None and played.focus.lowest.competency == "clarity"
    assert played.focus == plan.Focus("weakest", "clarity", played.focus.lowest)
    assert "clarity" in registry.current[played.suggestion.scenario_id].scenario.competencies
    assert played.progress_by == "month" and played.progress[-1].attempts == 1


# -- progress ----------------------------------------------------------------------------------

def test_progress_by_week_groups_monday_to_sunday_and_averages_attempts(app, users):
    me = users["trainee"]
    monday, sunday = datetime(2025, 3, 10, 0, 5), datetime(2025, 3, 16, 23, 50)
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", monday, "good", {"empathy": 100, "clarity": 80})  # overall 90
        attempt(s, me, "busy-queue", datetime(2025, 3, 12, 9), "poor", {"empathy": 30})  # overall 30
        attempt(s, me, "crying-client", datetime(2025, 3, 9, 23, 59), "mixed", {"empathy": 50})  # previous week
        attempt(s, me, "crying-client", datetime(2025, 2, 17, 10), "good", {"empathy": 70})
        attempt(s, me, "crying-client", datetime(2025, 3, 11, 10), status="abandoned")
        attempt(s, users["other"], "busy-queue", monday, "poor", {"empathy": 0})
        s.commit()
        weeks = plan.progress(s, me, datetime(2025, 3, 16, 23, 55), by="week", count=4)
    assert [w.start for w in weeks] == [date(2025, 2, 17), date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10)]
    assert [w.attempts for w in weeks] == [1, 0, 1, 2]  # Sunday 9 March 23:59 is the week of 3 March
    assert weeks[-1].average == pytest.approx(60)  # (90 + 30) / 2: each attempt counts once
    assert weeks[1].average is None and weeks[0].average == pytest.approx(70)
    assert sunday > monday  # the Sunday of the same week is still in it:
    with app.app_context():
        attempt(db.session, me, "busy-queue", sunday, "good", {"empathy": 60})
        db.session.commit()
        again = plan.progress(db.session, me, datetime(2025, 3, 16, 23, 55), by="week", count=1)
    assert again == [plan.Period(date(2025, 3, 10), 3, pytest.approx(60))]


def test_progress_by_month_counts_attempts_without_scores(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", datetime(2025, 1, 31, 23), "good", {"empathy": 40})
        attempt(s, me, "busy-queue", datetime(2025, 3, 1, 0, 30), "good", {"empathy": 80})
        attempt(s, me, "busy-queue", datetime(2025, 3, 11), "good", {})  # nothing scorable
        s.commit()
        months = plan.progress(s, me, NOW, by="month", count=3)
    assert months == [plan.Period(date(2025, 1, 1), 1, pytest.approx(40)), plan.Period(date(2025, 2, 1), 0, None),
                      plan.Period(date(2025, 3, 1), 2, pytest.approx(80))]


def test_progress_follows_the_centres_wall_clock(app, users):
    """Sunday 9 March 22:30 UTC is Monday 00:30 in Kyiv; 28 February 22:30 UTC is 1 March."""
    me = users["trainee"]
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", datetime(2025, 3, 9, 22, 30), "good", {"empathy": 40})
        attempt(s, me, "busy-queue", datetime(2025, 2, 28, 22, 30), "good", {"empathy": 80})
        s.commit()
        now = datetime(2025, 3, 16, 22, 30)  # already Monday 17 March in Kyiv
        utc_weeks = plan.progress(s, me, now, by="week", count=2)
        kyiv_weeks = plan.progress(s, me, now, by="week", count=3, zone="Europe/Kyiv")
        kyiv_months = plan.progress(s, me, now, by="month", count=2, zone="Europe/Kyiv")
        utc_months = plan.progress(s, me, now, by="month", count=2)
    assert utc_weeks == [plan.Period(date(2025, 3, 3), 1, pytest.approx(40)), plan.Period(date(2025, 3, 10), 0, None)]
    assert kyiv_weeks == [plan.Period(date(2025, 3, 3), 0, None), plan.Period(date(2025, 3, 10), 1, pytest.approx(40)),
                          plan.Period(date(2025, 3, 17), 0, None)]
    assert kyiv_months == [plan.Period(date(2025, 2, 1), 0, None), plan.Period(date(2025, 3, 1), 2, pytest.approx(60))]
    assert utc_months == [plan.Period(date(2025, 2, 1), 1, pytest.approx(80)), plan.Period(date(2025, 3, 1), 1, pytest.approx(40))]


def test_progress_refuses_an_unknown_period(app, users):
    with app.app_context(), pytest.raises(ValueError):
        plan.progress(db.session, users["trainee"], NOW, by="day")


# -- history ----------------------------------------------------------------------------------

def test_history_lists_every_attempt_newest_first_with_scores(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        old = attempt(s, me, "busy-queue", NOW - timedelta(days=3), "mixed", {"empathy": 40, "clarity": 60})
        gone = attempt(s, me, "busy-queue", NOW - timedelta(days=2), status="abandoned", mode="assessment")
        now = attempt(s, me, "crying-client", NOW, status="active")
        attempt(s, users["other"], "busy-queue", NOW, "good", {"empathy": 100})
        s.commit()
        ids = (old.id, gone.id, now.id)
        page = plan.history(s, me)
    assert [r.attempt_id for r in page.rows] == list(reversed(ids))
    assert [r.status for r in page.rows] == ["active", "abandoned", "finished"]
    assert page.rows[1].mode == "assessment"
    finished = page.rows[2]
    assert finished.outcome == "mixed" and finished.overall == pytest.approx(50)
    assert finished.competencies == {"clarity": 60, "empathy": 40}
    assert page.rows[0].overall is None and page.rows[0].competencies == {}
    assert page.total == 3 and page.pages == 1


def test_history_leaves_out_attempts_set_aside_before_any_answer(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        kept = attempt(s, me, "busy-queue", NOW - timedelta(days=1), status="abandoned")  # one answer
        empty = attempt(s, me, "busy-queue", NOW, status="abandoned")
        empty.step_count = 0
        s.commit()
        page = plan.history(s, me)
        assert [r.attempt_id for r in page.rows] == [kept.id] and page.total == 1


def test_history_lists_competencies_in_the_frameworks_order(app, users):
    me = users["trainee"]
    with app.app_context():
        attempt(db.session, me, "busy-queue", NOW, "good", {"empathy": 40, "clarity": 60, "boundaries": 70})
        db.session.commit()
        page = plan.history(db.session, me, order=["empathy", "clarity"])
    # The framework's order first, then any it does not name, by id: not the ids' alphabet.
    assert list(page.rows[0].competencies) == ["empathy", "clarity", "boundaries"]


def test_history_is_paginated(app, users):
    me = users["trainee"]
    with app.app_context():
        for n in range(7):
            attempt(db.session, me, "busy-queue", NOW + timedelta(minutes=n), "good", {"empathy": n})
        db.session.commit()
        first = plan.history(db.session, me, page=1, per_page=3)
        last = plan.history(db.session, me, page=3, per_page=3)
        beyond = plan.history(db.session, me, page=99, per_page=3)
    assert first.pages == 3 and first.total == 7
    assert [r.competencies["empathy"] for r in first.rows] == [6, 5, 4]
    assert [r.competencies["empathy"] for r in last.rows] == [0]
    assert beyond.page == 3  # clamped to the last page


def test_history_of_a_newcomer_is_empty(app, users):
    with app.app_context():
        page = plan.history(db.session, users["trainee"], page=0)
    assert page.rows == [] and page.page == 1 and page.pages == 1


# -- unfinished attempts ------------------------------------------------------------------

def test_unfinished_attempts_are_the_persons_own_the_latest_first(app, users):
    me = users["trainee"]
    with app.app_context():
        s = db.session
        older = attempt(s, me, "busy-queue", NOW - timedelta(days=2), status="active")
        newer = attempt(s, me, "crying-client", NOW - timedelta(hours=1), status="active", mode="assessment")
        attempt(s, me, "busy-queue", NOW, "good", {"empathy": 90})  # finished
        attempt(s, me, "domestic-violence", NOW, status="abandoned")  # set aside
        attempt(s, users["other"], "busy-queue", NOW, status="active")  # someone else's
        s.commit()
        ids = (newer.id, older.id)
        found = plan.unfinished(s, me)
        home = plan.home_plan(s, me, NOW, {}, None)
    assert [(u.attempt_id, u.scenario_id, u.mode, u.answers) for u in found] == [
        (ids[0], "crying-client", "assessment", 1), (ids[1], "busy-queue", "practice", 1)]
    assert found[0].last_active == NOW - timedelta(hours=1)
    assert home.unfinished == found


def test_a_newcomer_has_nothing_unfinished(app, users):
    with app.app_context():
        assert plan.unfinished(db.session, users["trainee"]) == []


def test_home_progress_starts_at_the_first_period_with_an_attempt():
    empty, busy, quiet = (plan.Period(date(2025, 3, d), n, None) for d, n in ((3, 0), (10, 2), (17, 0)))
    assert plan.since_first([empty, busy, quiet]) == [busy, quiet]  # the gap after it stays
    assert plan.since_first([empty]) == []


def test_a_refresher_names_its_last_attempt_and_that_attempts_weakest_competencies(app, users):
    me = users["trainee"]
    order = ["empathy", "respect", "accessibility", "clarity"]
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", NOW - timedelta(days=9), "poor", {"empathy": 5, "clarity": 5})  # older
        last = attempt(s, me, "busy-queue", NOW - timedelta(days=3), "mixed",
                       {"clarity": 45, "empathy": 45, "accessibility": 20, "respect": 90})
        attempt(s, me, "crying-client", NOW - timedelta(days=4), "good", {"empathy": 95, "clarity": 85})
        card(s, me, "busy-queue", NOW - timedelta(hours=1))
        card(s, me, "crying-client", NOW - timedelta(days=1))
        s.commit()
        last_id = last.id
        due, _upcoming = plan.refreshers(s, me, NOW, order=order)
    busy = next(r for r in due if r.scenario_id == "busy-queue")
    assert busy.last_attempt_id == last_id
    # The two lowest, lowest first; a tie goes in the framework's order.
    assert busy.weakest == (("accessibility", 20.0), ("empathy", 45.0))
    # Nothing under the "handled well" line: only the lowest, as what to look at first.
    crying = next(r for r in due if r.scenario_id == "crying-client")
    assert crying.weakest == (("clarity", 85.0),)


def test_weakest_of_an_attempt_without_scores_is_nothing():
    assert plan.weakest_of({}) == ()
