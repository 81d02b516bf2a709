"""Dashboard figures, the EI profile, rater agreement and scenario statistics, from SQL."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.team.conftest import SCENARIO, play


@pytest.fixture
def session(app, world):
    from trainer.extensions import db
    with app.app_context():
        yield db.session


def test_heatmap_and_weakest_competencies_cover_only_the_cohort(app, world, session):
    from trainer.team.analytics import heatmap, weakest_competencies
    play(app, world.trainee_a, "recommended")
    play(app, world.trainee_a, "worst")
    play(app, world.trainee_b, "worst")  # other cohort
    comps = app.extensions["trainer_registry"].latest(SCENARIO).scenario.competencies
    heat = heatmap(session, world.cohort_a, list(comps))
    assert [u.id for u in heat.trainees] == [world.trainee_a]
    for comp in comps:
        avg, n = heat.cell(world.trainee_a, comp)
        assert n == 2 and 0 <= avg <= 100
    assert heat.cell(world.trainee_b, comps[0]) is None
    weakest = weakest_competencies(session, world.cohort_a)
    averages = [avg for _c, avg, _n in weakest]
    assert averages == sorted(averages)


def test_critical_errors_are_counted_per_choice(app, world, session):
    from trainer.models import Attempt
    from trainer.team.analytics import critical_errors
    attempt_id = play(app, world.trainee_a, "worst")
    critical = session.scalar(select(Attempt.critical_choice).where(Attempt.id == attempt_id))
    errors = critical_errors(session, world.cohort_a)
    if critical is None:
        assert errors == []
    else:
        assert [(e.choice_id, e.count, e.people) for e in errors] == [(critical, 1, 1)]
    assert critical_errors(session, world.cohort_b) == []


def test_profile_domains_calibration_and_trend(app, world, session):
    from trainer.models import AttemptScore, SelfRating
    from trainer.team.analytics import profile
    framework = app.extensions["trainer_registry"].library.framework
    good = play(app, world.trainee_a, "recommended")
    scores = session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == good)).all()
    # Rate 5 (= 100 %) on every competency: the gap is 100 - measured.
    for s in scores:
        session.add(SelfRating(attempt_id=good, competency=s.competency, user_id=world.trainee_a, rating=5))
    session.commit()
    prof = profile(session, world.trainee_a, framework)
    expected_gap = sum(100 - s.percent for s in scores) / len(scores)
    assert prof.calibration.ratings == len(scores)
    assert prof.calibration.attempts == 1  # one debrief rated, whatever its number of competencies
    assert prof.calibration.mean_gap == pytest.approx(expected_gap)
    assert prof.calibration.bias == pytest.approx(expected_gap)
    assert prof.domains["self_awareness"] == pytest.approx(100 - expected_gap)
    for s in scores:
        domain = framework.competencies[s.competency].domain
        assert prof.domains[domain] is not None
    assert len(prof.trend) == 1 and prof.trend[0][0] == scores[0].finished_at.strftime("%Y-%m")


def test_trend_has_one_row_per_month(app, world, session):
    from trainer.models import AttemptScore
    from trainer.team.analytics import profile
    first = play(app, world.trainee_a, "worst")
    play(app, world.trainee_a, "recommended")
    # Moved back in Python: SQLite has no date arithmetic on a stored timestamp.
    for row in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == first)):
        row.finished_at -= timedelta(days=62)
    session.commit()
    prof = profile(session, world.trainee_a, app.extensions["trainer_registry"].library.framework)
    months = [m for m, _v in prof.trend]
    assert len(months) == 2 and months == sorted(months)


def test_trend_months_end_at_midnight_in_the_centre(app, world, session):
    """A score stored at 22:30 UTC on 31 January is from 00:30 on 1 February in Kyiv."""
    from datetime import datetime

    from trainer.models import AttemptScore, SelfRating
    from trainer.team.analytics import profile
    framework = app.extensions["trainer_registry"].library.framework
    attempt_id = play(app, world.trainee_a, "recommended")
    scores = session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)).all()
    for row in scores:
        row.finished_at = datetime(2026, 1, 31, 22, 30)
        session.add(SelfRating(attempt_id=attempt_id, competency=row.competency, user_id=world.trainee_a, rating=5))
    session.commit()
    in_utc = profile(session, world.trainee_a, framework)
    in_kyiv = profile(session, world.trainee_a, framework, "Europe/Kyiv")
    assert [m for m, _v in in_utc.trend] == ["2026-01"]
    assert [m for m, _v in in_kyiv.trend] == ["2026-02"]
    # The month's figures are the same attempt's, with the self-ratings' calibration in it.
    assert in_kyiv.trend[0][1] == in_utc.trend[0][1]
    assert in_kyiv.trend[0][1]["self_awareness"] == pytest.approx(in_kyiv.domains["self_awareness"])


def test_rater_agreement_pairs_supervisors_and_the_automatic_score(app, world, session, users):
    from trainer.models import AttemptScore, SupervisorRating
    from trainer.team.agreement import percent_to_rating
    from trainer.team.analytics import rater_agreement
    ids = [play(app, world.trainee_a, p) for p in ("recommended", "worst")]
    rows = session.scalars(select(AttemptScore).where(AttemptScore.attempt_id.in_(ids))).all()
    for s in rows:
        auto = percent_to_rating(s.percent)
        session.add(SupervisorRating(attempt_id=s.attempt_id, rater_id=world.sup_a, competency=s.competency, rating=1))
        # A later rating replaces the first for the kappa: supervisor A agrees with the score.
        session.add(SupervisorRating(attempt_id=s.attempt_id, rater_id=world.sup_a, competency=s.competency, rating=auto))
        session.add(SupervisorRating(attempt_id=s.attempt_id, rater_id=world.admin, competency=s.competency, rating=auto))
    session.commit()
    found = {(a.first, a.second): a for a in rater_agreement(session, world.cohort_a)}
    assert set(found) == {("auto", "test.supervisor"), ("auto", "test.admin"), ("test.admin", "test.supervisor")}
    pair = found[("auto", "test.supervisor")]
    assert pair.items == len(rows) and pair.exact == 1.0
    assert pair.kappa == pytest.approx(1.0) and pair.reading == "almost_perfect"
    assert rater_agreement(session, world.cohort_b) == []


def test_rater_agreement_names_raters_by_name_and_keeps_namesakes_apart(app, world, session, users):
    """The dashboard named raters by log-in name («demo.supervisor»); by name, two people
    called the same must still be two raters."""
    from trainer.models import AttemptScore, SupervisorRating, User
    from trainer.team.analytics import rater_agreement
    attempt_id = play(app, world.trainee_a)
    for user_id in (world.sup_a, world.admin):
        session.get(User, user_id).display_name = "Олена Коваль"
    for s in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)):
        session.add(SupervisorRating(attempt_id=attempt_id, rater_id=world.sup_a, competency=s.competency, rating=1))
        session.add(SupervisorRating(attempt_id=attempt_id, rater_id=world.admin, competency=s.competency, rating=5))
    session.commit()
    found = rater_agreement(session, world.cohort_a)
    assert {(a.first, a.second) for a in found} == {("auto", "Олена Коваль"), ("Олена Коваль", "Олена Коваль")}
    assert sorted((a.first_id, a.second_id) for a in found if a.first_id is None) == [
        (None, min(world.sup_a, world.admin)), (None, max(world.sup_a, world.admin))]
    [pair] = [a for a in found if a.first_id is not None]
    assert {pair.first_id, pair.second_id} == {world.sup_a, world.admin} and pair.exact == 0.0


def test_scenario_stats_count_choices_medians_and_stops(app, world, session):
    from trainer import attempts
    from trainer.models import Step, User
    from trainer.team.access import members_of
    from trainer.team.scenario_stats import Filter, scenario_stats
    a1 = play(app, world.trainee_a, "recommended")
    play(app, world.trainee_a, "worst")
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    first_node, good = compiled.analysis.recommended_path[0]
    _n, bad = compiled.analysis.worst_path[0]
    # Known decision times at the first node: 10 s and 30 s → median 20.
    steps = session.scalars(select(Step).where(Step.node_id == first_node, Step.index == 0)).all()
    for step, seconds in zip(steps, (10.0, 30.0)):
        step.seconds = seconds
    # One attempt left unfinished at the start.
    attempts.start_or_resume(session, session.get(User, world.trainee_a), compiled, restart=True)
    session.commit()
    stats = scenario_stats(session, SCENARIO, Filter(members_of(world.cohort_a)))
    assert (stats.attempts, stats.finished) == (3, 2)
    assert stats.at_node[first_node] == 2
    assert stats.share(first_node, good) == pytest.approx(0.5 if good != bad else 1.0)
    assert stats.median_seconds[first_node] == pytest.approx(20.0)
    assert stats.stopped_at == {compiled.start().node: 1}
    other = scenario_stats(session, SCENARIO, Filter(members_of(world.cohort_b)))
    assert other.attempts == 0 and other.choices == {}
    assert a1


def test_median_of_an_odd_count_is_the_middle_value(app, world, session):
    from trainer.models import Step
    from trainer.team.access import members_of
    from trainer.team.scenario_stats import Filter, scenario_stats
    for _ in range(3):
        play(app, world.trainee_a, "recommended")
    compiled = app.extensions["trainer_registry"].latest(SCENARIO)
    node = compiled.analysis.recommended_path[0][0]
    steps = session.scalars(select(Step).where(Step.node_id == node, Step.index == 0)).all()
    for step, seconds in zip(steps, (5.0, 100.0, 7.0)):
        step.seconds = seconds
    session.commit()
    stats = scenario_stats(session, SCENARIO, Filter(members_of(world.cohort_a)))
    assert stats.median_seconds[node] == pytest.approx(7.0)


def test_date_range_filters_attempts(app, world, session):
    from datetime import date
    from trainer.team.access import members_of
    from trainer.team.scenario_stats import Filter, scenario_stats
    play(app, world.trainee_a)
    today = date.today()
    assert scenario_stats(session, SCENARIO, Filter(members_of(world.cohort_a), today, today)).attempts == 1
    old = Filter(members_of(world.cohort_a), today - timedelta(days=30), today - timedelta(days=1))
    assert scenario_stats(session, SCENARIO, old).attempts == 0


@pytest.mark.parametrize("zone", ["Europe/Kyiv", "America/New_York", "UTC"])
def test_dates_at_the_ends_of_the_calendar_bound_nothing(app, world, session, zone):
    """Year 1 and 31 December 9999 begin before and after any timestamp: no bound, no overflow."""
    from datetime import date
    from trainer.team.access import members_of
    from trainer.team.scenario_stats import Filter, scenario_stats
    play(app, world.trainee_a)
    members = members_of(world.cohort_a)
    for start, end in [(date.min, None), (None, date.max), (date.min, date.max), (date(1, 1, 2), date(9999, 12, 30))]:
        assert scenario_stats(session, SCENARIO, Filter(members, start, end, zone)).attempts == 1, (start, end)


def test_date_range_is_on_the_centres_calendar(app, world, session):
    """An attempt started at 22:30 UTC on 9 March was started on 10 March in Kyiv."""
    from datetime import date, datetime

    from trainer.models import Attempt
    from trainer.team.access import members_of
    from trainer.team.scenario_stats import Filter, scenario_stats
    attempt_id = play(app, world.trainee_a)
    session.get(Attempt, attempt_id).started_at = datetime(2026, 3, 9, 22, 30)
    session.commit()
    members = members_of(world.cohort_a)
    tenth, ninth = date(2026, 3, 10), date(2026, 3, 9)
    assert scenario_stats(session, SCENARIO, Filter(members, tenth, tenth, "Europe/Kyiv")).attempts == 1
    assert scenario_stats(session, SCENARIO, Filter(members, ninth, ninth, "Europe/Kyiv")).attempts == 0
    assert scenario_stats(session, SCENARIO, Filter(members, ninth, ninth)).attempts == 1  # in UTC
    assert scenario_stats(session, SCENARIO, Filter(members, tenth, None, "Europe/Kyiv")).attempts == 1
    assert scenario_stats(session, SCENARIO, Filter(members, None, ninth, "Europe/Kyiv")).attempts == 0


def test_heatmap_pages_through_a_large_cohort(app, world, session):
    from trainer.models import CohortMember, User
    from trainer.team.analytics import heatmap
    for i in range(7):
        user = User(username=f"bulk.{i:02d}", role="trainee", password_hash="x")
        session.add(user)
        session.flush()
        session.add(CohortMember(cohort_id=world.cohort_a, user_id=user.id, role="trainee"))
    session.commit()
    first = heatmap(session, world.cohort_a, ["empathy"], page=1, per_page=3)
    last = heatmap(session, world.cohort_a, ["empathy"], page=99, per_page=3)
    assert (first.total, first.pages, len(first.trainees)) == (8, 3, 3)
    assert (last.page, len(last.trainees)) == (3, 2)
    seen = [u.id for p in (1, 2, 3) for u in heatmap(session, world.cohort_a, ["empathy"], page=p, per_page=3).trainees]
    assert len(set(seen)) == 8


def test_radar_axes_point_away_from_the_centre_and_values_scale():
    from trainer.team.charts import RADAR_RADIUS, heat_class, radar
    chart = radar({"a": 100.0, "b": 50.0, "c": None, "d": 0.0})
    first = chart.polygon.split()[0].split(",")
    assert (float(first[0]), float(first[1])) == pytest.approx((chart.center_x, chart.center_y - RADAR_RADIUS))  # 100 up
    second = chart.polygon.split()[1].split(",")
    assert float(second[0]) == pytest.approx(chart.center_x + RADAR_RADIUS / 2)  # 50 half way to the right
    assert [a.anchor for a in chart.axes] == ["middle", "start", "middle", "end"]
    assert (heat_class(None), heat_class(0), heat_class(59.9), heat_class(100)) == ("heat-none", "heat-0", "heat-2", "heat-4")


def _label_box(chart, axis):
    """The box a label's lines take, with the same generous character width as the layout."""
    from trainer.team.charts import LABEL_CHAR_WIDTH, LABEL_FONT
    width = max(len(line) for line in axis.lines) * LABEL_CHAR_WIDTH
    left = {"start": axis.label_x, "end": axis.label_x - width, "middle": axis.label_x - width / 2}[axis.anchor]
    top = axis.label_y - LABEL_FONT
    bottom = axis.label_y + (len(axis.lines) - 1) * chart.line_height + 3  # descenders
    return left, top, left + width, bottom


@pytest.mark.parametrize("language", ["uk", "en"])
def test_radar_labels_fit_inside_the_drawing_and_clear_the_rings(app, language):
    # The side labels ("Управління стосунками") used to run off a fixed 380-px square.
    from flask_babel import force_locale

    from trainer.team.analytics import DOMAINS
    from trainer.team.charts import RADAR_RADIUS, radar
    from trainer.web import DOMAIN_LABELS
    with app.test_request_context(), force_locale(language):
        labels = {d: str(DOMAIN_LABELS[d]) for d in DOMAINS}
    chart = radar({d: 50.0 for d in DOMAINS}, labels)
    for axis in chart.axes:
        assert " ".join(axis.lines).replace("- ", "-") == labels[axis.key]  # wrapped, not cut
        left, top, right, bottom = _label_box(chart, axis)
        assert 0 <= left and right <= chart.width and 0 <= top and bottom <= chart.height, axis
        # and no label sits on the rings
        ring = (chart.center_x - RADAR_RADIUS, chart.center_y - RADAR_RADIUS,
                chart.center_x + RADAR_RADIUS, chart.center_y + RADAR_RADIUS)
        overlaps = left < ring[2] and right > ring[0] and top < ring[3] and bottom > ring[1]
        assert not overlaps, axis
    assert any(len(axis.lines) > 1 for axis in chart.axes)  # long names wrap


def test_profile_page_draws_each_label_line(client, auth):
    auth.login("test.trainee")
    html = client.get("/profile").get_data(as_text=True)
    assert re.search(r'<svg viewBox="0 0 [\d.]+ [\d.]+"', html)
    assert '<tspan x="' in html and '">Управління</tspan><tspan' in html


# A phone 375 px wide leaves about 348 px for the drawing, which shrinks to fit.
PHONE_DRAWING = 348


@pytest.mark.parametrize("language", ["uk", "en"])
def test_radar_labels_read_at_full_size_and_on_a_phone(app, language):
    # The labels were 11 units in a drawing a phone shrank: about 8 px on the screen.
    from flask_babel import force_locale

    from trainer.team.analytics import DOMAINS
    from trainer.team.charts import radar
    from trainer.web import DOMAIN_LABELS
    with app.test_request_context(), force_locale(language):
        chart = radar({d: 50.0 for d in DOMAINS}, {d: str(DOMAIN_LABELS[d]) for d in DOMAINS})
    assert chart.font_size >= 14  # at full size (a wide screen), as large as the page's small print or more
    assert chart.font_size * min(1.0, PHONE_DRAWING / chart.width) >= 12, (chart.font_size, chart.width)


def test_profile_page_writes_the_label_size_on_each_label(client, auth):
    # On the label itself, in the drawing's units: a font size from the stylesheet would
    # override it, and the layout that keeps the labels inside the drawing would not know.
    from pathlib import Path

    from trainer.team.charts import LABEL_FONT
    auth.login("test.trainee")
    html = client.get("/profile").get_data(as_text=True)
    assert html.count(f'font-size="{LABEL_FONT}" class="radar-label"') == 4
    css = (Path(__file__).parents[2] / "trainer" / "static" / "style.css").read_text(encoding="utf-8")
    rule = re.search(r"\.radar-label \{([^}]*)\}", css).group(1)
    assert "font-size" not in rule


def test_ones_own_profile_is_headed_as_the_menu_names_it(client, auth, world):
    # The menu says «Мій профіль»; the page said «Профіль емоційного інтелекту».
    auth.login("test.trainee")
    html = client.get("/profile").get_data(as_text=True)
    assert ">Мій профіль<" in html  # the menu
    assert "<h1>Мій профіль: емоційний інтелект</h1>" in html
    assert "<title>Мій профіль: емоційний інтелект · " in html
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = client.get("/profile").get_data(as_text=True)
    assert ">My profile<" in html and "<h1>My profile: emotional intelligence</h1>" in html
    assert "<title>My profile: emotional intelligence · " in html
    # A supervisor reads a trainee's profile under the trainee's name.
    client.post("/logout", data={"csrf_token": auth.token("/")})
    auth.login("test.supervisor")
    html = client.get(f"/team/trainees/{world.trainee_a}").get_data(as_text=True)
    assert re.search(r"<h1>Профіль емоційного інтелекту: [^<]+</h1>", html) and "Мій профіль:" not in html


def test_graph_layout_places_every_node_and_edge(app):
    from trainer.team.graph import layout
    scenario = app.extensions["trainer_registry"].latest("hearing-impairment").scenario
    graph = layout(scenario)
    assert set(graph.boxes) == set(scenario.nodes) | set(scenario.endings)
    choices = {c.id for n in scenario.nodes.values() for c in n.choices or []}
    assert {e.choice for e in graph.edges if e.choice} == choices
    start = graph.boxes[scenario.start]
    assert all(b.x >= start.x for b in graph.boxes.values())  # the start is in the first column
    assert len({(b.x, b.y) for b in graph.boxes.values()}) == len(graph.boxes)  # no two boxes overlap
    assert all(0 <= e.label_x <= graph.width and 0 <= e.label_y <= graph.height for e in graph.edges)


def test_critical_errors_name_the_newest_attempts_and_who_made_them(app, world, session):
    from trainer.models import Attempt, User
    from trainer.team.analytics import critical_errors
    first = play(app, world.trainee_a, "worst")
    critical = session.scalar(select(Attempt.critical_choice).where(Attempt.id == first))
    assert critical, f"{SCENARIO}'s worst path makes no critical error"
    later = [play(app, world.trainee_a, "worst") for _ in range(2)]
    play(app, world.trainee_b, "worst")  # other cohort
    session.get(User, world.trainee_a).display_name = "Олена"
    session.commit()
    [error] = critical_errors(session, world.cohort_a)
    assert (error.count, error.people) == (3, 1)
    assert [(a.attempt_id, a.user_id, a.name) for a in error.attempts] == [
        (later[1], world.trainee_a, "Олена"), (later[0], world.trainee_a, "Олена"), (first, world.trainee_a, "Олена")]
    [capped] = critical_errors(session, world.cohort_a, listed=2)
    assert capped.count == 3 and [a.attempt_id for a in capped.attempts] == [later[1], later[0]]


def test_graph_boxes_are_named_by_the_nodes_words(app):
    from trainer.team.graph import node_text
    scenario = app.extensions["trainer_registry"].latest("crying-client").scenario
    speaking = scenario.start
    assert node_text(scenario, speaking) == scenario.nodes[speaking].client.says
    ending = next(iter(scenario.endings))
    assert node_text(scenario, ending) == scenario.endings[ending].title
    silent = [n for n, node in scenario.nodes.items() if node.client is None and node.free_text is None]
    assert silent and all(node_text(scenario, n) is None for n in silent)
    writing = next(n for n, node in scenario.nodes.items() if node.free_text is not None)
    assert node_text(scenario, writing) is not None
    assert node_text(scenario, "no-such-node") is None


def test_box_lines_wrap_into_two_short_lines_and_mark_the_cut():
    from trainer.team.graph import BOX_LINE_CHARS, box_lines
    assert box_lines("Коротко") == ("Коротко",)
    lines = box_lines("Ой, вибачте… Не треба нічого. Я піду, прийду якось іншим разом.")
    assert len(lines) == 2 and lines[-1].endswith("…") and all(len(line) <= BOX_LINE_CHARS for line in lines)
    assert lines[0] == "Ой, вибачте… Не треба"  # cut between words, never inside one
    assert box_lines("  два\n рядки  ") == ("два рядки",)


@pytest.mark.parametrize(("mean_gap", "bias", "reading"), [
    (42, 0, "scattered"),  # far off both ways: a signed mean near zero is not "close"
    (12, 2, "close"), (15, -15, "lower"), (30, 25, "higher"), (16, 10, "scattered"), (None, None, None)])
def test_calibration_says_what_the_gaps_say(mean_gap, bias, reading):
    from trainer.team.analytics import Calibration
    assert Calibration(ratings=4, mean_gap=mean_gap, bias=bias).reading == reading


def test_scenarios_played_counts_finished_attempts_and_people_of_the_cohort_only(app, world, session):
    from trainer.team.analytics import Played, scenarios_played
    from tests.team.conftest import SCENARIO
    play(app, world.trainee_a)
    play(app, world.trainee_a, "worst")
    play(app, world.trainee_a, scenario="busy-queue")
    play(app, world.trainee_b)  # cohort B's: not counted for A
    assert scenarios_played(session, world.cohort_a) == [Played(SCENARIO, 2, 1), Played("busy-queue", 1, 1)]
    assert scenarios_played(session, world.cohort_b) == [Played(SCENARIO, 1, 1)]


def test_scenarios_played_as_often_come_in_alphabet_order_of_their_titles(app, world, session):
    from trainer.team.analytics import scenarios_played
    from tests.team.conftest import SCENARIO
    for scenario_id in (SCENARIO, "busy-queue"):
        play(app, world.trainee_a, scenario=scenario_id)
    titles = {SCENARIO: "Черга біля стійки", "busy-queue": "Ґанок і черга"}  # Ґ before Ч, as ids would not have it
    assert [p.scenario_id for p in scenarios_played(session, world.cohort_a, titles.get)] == ["busy-queue", SCENARIO]
