"""Demo data for a local trial: accounts, a cohort, assignments and some played attempts.

So that a supervisor who logs in after ``make run`` sees a dashboard with numbers in it,
not empty tables. Runs once: if the demo cohort exists, nothing is added.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytz
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import attempts, clock
from .models import Assignment, Attempt, AttemptScore, Cohort, CohortMember, SelfRating, Step, User, utcnow
from .scenario.engine import PlayState
from .scenario.registry import Registry

DEMO_USERS = (
    ("demo.trainee", "trainee", "Демо Слухачка"),
    ("demo.supervisor", "supervisor", "Демо Керівниця"),
    ("demo.admin", "admin", "Демо Адмін"),
)
# Colleagues with some history, so the cohort dashboard has something to show.
DEMO_TEAM = (("demo.olena", "Олена Демченко", 0.8), ("demo.petro", "Петро Демчук", 0.5),
             ("demo.iryna", "Ірина Демко", 0.3))
DEMO_COHORT = "Демо-центр"
POOR_ANSWER = "Заспокойтеся, будь ласка. Це не до нас, приходьте в робочий час."
PLAYED = ("crying-client", "aggressive-client", "hearing-impairment", "busy-queue", "referral-outside-competence")


def ensure_users(session: Session) -> None:
    for username, role, display in DEMO_USERS + tuple((u, "trainee", d) for u, d, _s in DEMO_TEAM):
        if session.scalar(select(User).where(User.username == username)) is None:
            user = User(username=username, role=role, display_name=display)
            user.set_password(username)
            session.add(user)
    session.flush()


def working_time(day: date, rng: random.Random, zone: str) -> datetime:
    """A stored (naive UTC) start time on ``day`` (the Friday before, if it is a weekend),
    between 9:00 and 17:00 on the centre's clock (``zone``), so that a played attempt
    (under an hour) ends before 18:00. Only ``rng`` decides the hour: the history reads the
    same whenever ``trainer demo`` runs."""
    while day.weekday() >= 5:  # nobody practises at the front desk on a weekend
        day -= timedelta(days=1)
    local = datetime.combine(day, time(9)) + timedelta(minutes=rng.randint(0, 8 * 60))
    # localize(): the offset in force that day, summer or winter.
    return pytz.timezone(zone).localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def _walk(session: Session, user: User, compiled, skill: float, rng: random.Random, start: datetime) -> None:
    """Play one attempt from ``start``, picking the recommended choice with probability ``skill``."""
    attempt = attempts.start_or_resume(session, user, compiled, restart=True)
    session.flush()
    attempt.started_at = attempt.updated_at = start
    session.flush()
    best = dict(compiled.analysis.recommended_path)
    dated = start  # the attempt's own timeline: each decision is dated after the one before
    index = 0
    while attempt.status == "active" and index < 40:
        state = PlayState.from_dict(attempt.state)
        node = compiled.scenario.nodes[state.node]
        # Each decision took a plausible 8-70 seconds (the step's time is measured from here).
        thinking = rng.randint(8, 70)
        attempt.updated_at = utcnow() - timedelta(seconds=thinking)
        session.flush()
        if compiled.is_free_text(state.node):
            # A skilled colleague writes something like the model answer; others brush it off.
            text = node.free_text.model_answer.uk if rng.random() < skill else POOR_ANSWER
            attempts.answer(session, attempt, compiled, index, text=text)
        else:
            choices = [c.id for c in node.choices or []]
            good = best.get(state.node)
            pick = good if good in choices and rng.random() < skill else rng.choice(choices)
            attempts.answer(session, attempt, compiled, index, pick)
        dated += timedelta(seconds=thinking)
        session.execute(update(Step).where(Step.attempt_id == attempt.id, Step.index == index).values(created_at=dated))
        session.refresh(attempt)
        index += 1
    attempt.updated_at = dated
    if attempt.status == "finished":
        # Back-dated like the steps, so the profile's monthly trend has several months.
        attempt.finished_at = dated
        session.execute(update(AttemptScore).where(AttemptScore.attempt_id == attempt.id).values(finished_at=dated))


def seed(session: Session, registry: Registry, zone: str = clock.UTC) -> bool:
    """Create the demo cohort, assignments and history; False if it was there already.

    The assignments are due a week and two weeks from today in ``zone``, the centre's time
    zone, as the dashboards count days; the attempts were played in its working hours."""
    ensure_users(session)
    if session.scalar(select(Cohort).where(Cohort.name == DEMO_COHORT)) is not None:
        return False
    users = {u.username: u for u in session.scalars(select(User).where(User.username.like("demo.%")))}
    cohort = Cohort(name=DEMO_COHORT, description="Навчальна група для пробного запуску")
    session.add(cohort)
    session.flush()
    session.add(CohortMember(cohort_id=cohort.id, user_id=users["demo.supervisor"].id, role="supervisor"))
    for username in ("demo.trainee",) + tuple(u for u, _d, _s in DEMO_TEAM):
        session.add(CohortMember(cohort_id=cohort.id, user_id=users[username].id, role="trainee"))
    today = clock.today(zone)
    supervisor = users["demo.supervisor"]
    session.add_all([
        Assignment(scenario_id="crying-client", cohort_id=cohort.id, mode="practice", created_by=supervisor.id,
                   due_on=today + timedelta(days=7), note="Потренуйтеся до наради в понеділок."),
        Assignment(scenario_id="aggressive-client", cohort_id=cohort.id, mode="assessment", time_limit=90,
                   created_by=supervisor.id, due_on=today + timedelta(days=14)),
    ])
    rng = random.Random(1547)
    for username, _display, skill in DEMO_TEAM:
        for n, scenario_id in enumerate(PLAYED):
            compiled = registry.latest(scenario_id)
            if compiled is None:
                continue
            _walk(session, users[username], compiled, skill, rng,
                  working_time(today - timedelta(days=100 - 20 * n), rng, zone))
    # Self-ratings on a few attempts, so the profile shows calibration; given as the attempt ended.
    for attempt in session.scalars(select(Attempt).where(Attempt.status == "finished")):
        for score in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id)):
            session.add(SelfRating(attempt_id=attempt.id, competency=score.competency, user_id=attempt.user_id,
                                   rating=rng.choice((3, 4, 4, 5)), created_at=attempt.finished_at))
    return True
