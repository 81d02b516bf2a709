"""Demo data for a local trial: accounts, a cohort, assignments and some played attempts.

So that a supervisor who logs in after ``make run`` sees a dashboard with numbers in it,
not empty tables. Runs once: if a demo cohort exists, nothing is added.

The people's names, the cohort, the assignment's note and the written answers are in one
language (``trainer demo --lang``), which is also the accounts' saved language: someone
trying the supervisor's review in English reads English answers under English prompts.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytz
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from . import attempts, clock
from .models import (Assignment, Attempt, AttemptScore, Cohort, CohortMember, ReviewCard, SelfRating, Step, User,
                     utcnow)
from .scenario.engine import PlayState
from .scenario.registry import Registry
from .study.schedule import record_review

DEMO_USERS = (("demo.trainee", "trainee"), ("demo.supervisor", "supervisor"), ("demo.admin", "admin"))
# Colleagues with some history (how often they pick the recommended answer), so the cohort
# dashboard has something to show.
DEMO_TEAM = (("demo.olena", 0.8), ("demo.petro", 0.5), ("demo.iryna", 0.3))
# Days from each colleague's last attempt to the day the demo is made, the attempts before it
# 20 days apart: two practise now and one has stopped, so «Not practising» on the cohort's
# page names someone besides the demo trainee, who has not started.
LAST_PRACTISED = {"demo.olena": 2, "demo.petro": 8, "demo.iryna": 20}


@dataclass(frozen=True)
class DemoTexts:
    """What the demo writes in one language."""
    names: dict[str, str]  # user name -> display name
    cohort: str
    description: str
    note: str  # the practice assignment's note to the trainees
    poor_answer: str  # a written answer that brushes the client off


TEXTS = {
    "uk": DemoTexts(
        names={"demo.trainee": "Демо Слухачка", "demo.supervisor": "Демо Керівниця", "demo.admin": "Демо Адмін",
               "demo.olena": "Олена Демченко", "demo.petro": "Петро Демчук", "demo.iryna": "Ірина Демко"},
        cohort="Демо-центр", description="Навчальна група для пробного запуску",
        note="Потренуйтеся до наради в понеділок.",
        poor_answer="Заспокойтеся, будь ласка. Це не до нас, приходьте в робочий час."),
    "en": DemoTexts(
        names={"demo.trainee": "Demo Trainee", "demo.supervisor": "Demo Supervisor", "demo.admin": "Demo Admin",
               "demo.olena": "Olena Demchenko", "demo.petro": "Petro Demchuk", "demo.iryna": "Iryna Demko"},
        cohort="Demo centre", description="A practice group for a trial run",
        note="Please practise this before Monday's team meeting.",
        poor_answer="Please calm down. That's not something we deal with here; come back during office hours."),
}
LANGS = tuple(TEXTS)
PLAYED = ("crying-client", "aggressive-client", "hearing-impairment", "busy-queue", "referral-outside-competence")


def ensure_users(session: Session, lang: str = "uk") -> None:
    texts = TEXTS[lang]
    for username, role in DEMO_USERS + tuple((u, "trainee") for u, _s in DEMO_TEAM):
        if session.scalar(select(User).where(User.username == username)) is None:
            user = User(username=username, role=role, display_name=texts.names[username], locale=lang)
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


def _walk(session: Session, user: User, compiled, skill: float, rng: random.Random, start: datetime,
          lang: str = "uk") -> None:
    """Play one attempt from ``start``, picking the recommended choice with probability ``skill``;
    written answers are in ``lang``."""
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
            text = node.free_text.model_answer.get(lang) if rng.random() < skill else TEXTS[lang].poor_answer
            attempts.answer(session, attempt, compiled, index, text=text, lang=lang)
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


def seed(session: Session, registry: Registry, zone: str = clock.UTC, lang: str = "uk") -> bool:
    """Create the demo cohort, assignments and history in ``lang``; False if a demo cohort
    (in either language) was there already.

    The assignments are due a week and two weeks from today in ``zone``, the centre's time
    zone, as the dashboards count days; the attempts were played in its working hours."""
    texts = TEXTS[lang]
    ensure_users(session, lang)
    cohorts = [t.cohort for t in TEXTS.values()]
    if session.scalar(select(Cohort).where(Cohort.name.in_(cohorts))) is not None:
        return False
    users = {u.username: u for u in session.scalars(select(User).where(User.username.like("demo.%")))}
    cohort = Cohort(name=texts.cohort, description=texts.description)
    session.add(cohort)
    session.flush()
    session.add(CohortMember(cohort_id=cohort.id, user_id=users["demo.supervisor"].id, role="supervisor"))
    for username in ("demo.trainee",) + tuple(u for u, _s in DEMO_TEAM):
        session.add(CohortMember(cohort_id=cohort.id, user_id=users[username].id, role="trainee"))
    today = clock.today(zone)
    supervisor = users["demo.supervisor"]
    session.add_all([
        Assignment(scenario_id="crying-client", cohort_id=cohort.id, mode="practice", created_by=supervisor.id,
                   due_on=today + timedelta(days=7), note=texts.note),
        Assignment(scenario_id="aggressive-client", cohort_id=cohort.id, mode="assessment", time_limit=90, pass_mark=60,
                   created_by=supervisor.id, due_on=today + timedelta(days=14)),
    ])
    rng = random.Random(1547)
    for username, skill in DEMO_TEAM:
        for n, scenario_id in enumerate(PLAYED):
            compiled = registry.latest(scenario_id)
            if compiled is None:
                continue
            _walk(session, users[username], compiled, skill, rng,
                  working_time(today - timedelta(days=LAST_PRACTISED[username] + 20 * (len(PLAYED) - 1 - n)),
                               rng, zone), lang)
    # Self-ratings on a few attempts, so the profile shows calibration; given as the attempt ended.
    for attempt in session.scalars(select(Attempt).where(Attempt.status == "finished")):
        for score in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id)):
            session.add(SelfRating(attempt_id=attempt.id, competency=score.competency, user_id=attempt.user_id,
                                   rating=rng.choice((3, 4, 4, 5)), created_at=attempt.finished_at))
    reschedule(session, [users[u].id for u, _s in DEMO_TEAM])
    return True


def reschedule(session: Session, user_ids: list[int]) -> None:
    """Review cards rebuilt from the back-dated history: finishing an attempt reviewed its
    card at the real time, so every demo refresher fell due days after ``trainer demo`` ran,
    however long ago the attempt was dated, and nothing was due to refresh."""
    session.execute(delete(ReviewCard).where(ReviewCard.user_id.in_(user_ids)))
    overall = (select(Attempt, func.avg(AttemptScore.percent))
               .outerjoin(AttemptScore, AttemptScore.attempt_id == Attempt.id)
               .where(Attempt.user_id.in_(user_ids), Attempt.status == "finished")
               .group_by(Attempt.id).order_by(Attempt.finished_at, Attempt.id))
    for attempt, percent in session.execute(overall).all():
        record_review(session, attempt.user_id, attempt.scenario_id, attempt.outcome,
                      None if percent is None else float(percent), attempt.finished_at)
        session.flush()
