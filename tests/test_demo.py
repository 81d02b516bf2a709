"""The demo history: attempts played in the centre's working hours, the same whenever made."""
from __future__ import annotations

from datetime import time

from sqlalchemy import select

from trainer import clock, demo
from trainer.extensions import db
from trainer.models import Attempt, SelfRating, Step


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _local_history(zone: str) -> list[list]:
    """Each demo attempt as the centre's wall clock reads it: its start, its decisions, its
    end and the trainee's self-ratings."""
    history = []
    for attempt in db.session.scalars(select(Attempt).order_by(Attempt.id)):
        steps = db.session.scalars(select(Step.created_at).where(Step.attempt_id == attempt.id).order_by(Step.index))
        rated = db.session.scalars(select(SelfRating.created_at).where(SelfRating.attempt_id == attempt.id))
        moments = [attempt.started_at, *steps, attempt.finished_at, *rated]
        history.append([clock.local_time(m, zone) for m in moments if m is not None])
    return history


def test_demo_attempts_are_played_on_weekdays_between_nine_and_six(app, registry):
    """Two zones twelve hours apart: a history placed by the time `trainer demo` ran
    (a night in one of them) cannot pass in both."""
    zones = ("Etc/GMT-2", "Etc/GMT+10")
    histories = []
    with app.app_context():
        for zone in zones:
            _empty_tables()  # a fresh demo each time
            assert demo.seed(db.session, registry, zone)
            db.session.commit()
            histories.append(_local_history(zone))
    for history in histories:
        assert len(history) >= 5
        for moments in history:
            assert all(m.weekday() < 5 and time(9) <= m.time() <= time(18) for m in moments), moments
    # Only the seeded random numbers decide the hours: both runs read the same on their clocks.
    assert [[m.time() for m in moments] for moments in histories[0]] == \
           [[m.time() for m in moments] for moments in histories[1]]


def test_the_demo_cohort_has_someone_who_stopped_practising(app, registry):
    """Two colleagues practise now, one stopped 20 days ago; the demo trainee has not started."""
    from trainer.models import Cohort, utcnow
    from trainer.team.participation import not_practising
    with app.app_context():
        _empty_tables()
        assert demo.seed(db.session, registry, "Europe/Kyiv")
        db.session.commit()
        cohort = db.session.scalar(select(Cohort.id))
        idle = not_practising(db.session, cohort, utcnow(), "Europe/Kyiv")
        assert [(i.user.username, i.last_practice is None) for i in idle.people] == [
            ("demo.trainee", True), ("demo.iryna", False)]
        assert 20 <= idle.people[1].days <= 23  # a weekend moves an attempt back to the Friday


# -- English review, finding 13: a demo in English ----------------------------------------------

def _written_answers() -> list[str]:
    return [text for text in db.session.scalars(select(Step.free_text).where(Step.free_text.is_not(None)))]


def test_an_english_demo_has_english_people_notes_and_written_answers(app, registry):
    """Only the demo's Ukrainian names, note and answers stood under English prompts, so an
    English-speaking evaluator could not judge the supervisor's review of written answers."""
    from trainer.models import Assignment, Cohort, User
    with app.app_context():
        _empty_tables()
        assert demo.seed(db.session, registry, "Europe/Kyiv", lang="en")
        db.session.commit()
        people = {u.username: u for u in db.session.scalars(select(User))}
        assert people["demo.trainee"].display_name == "Demo Trainee"
        assert people["demo.olena"].display_name == "Olena Demchenko"
        assert {u.locale for u in people.values()} == {"en"}  # they log in to English pages
        [cohort] = db.session.scalars(select(Cohort)).all()
        assert cohort.name == "Demo centre" and cohort.description == "A practice group for a trial run"
        notes = [a.note for a in db.session.scalars(select(Assignment)) if a.note]
        assert notes == ["Please practise this before Monday's team meeting."]
        # The demo's assessment shows a pass mark, so a supervisor trying the demo meets one.
        assert [(a.mode, a.pass_mark) for a in db.session.scalars(select(Assignment).order_by(Assignment.id))] == [
            ("practice", None), ("assessment", 60)]
        answers = _written_answers()
        assert answers, "the demo history has no written answers to review"
        cyrillic = [a for a in answers if any("\u0400" <= ch <= "\u04ff" for ch in a)]
        assert cyrillic == []
        models = {registry.latest(s).scenario.nodes[n].free_text.model_answer.en
                  for s in demo.PLAYED if registry.latest(s)
                  for n in registry.latest(s).scenario.nodes if registry.latest(s).is_free_text(n)}
        assert set(answers) <= models | {demo.TEXTS["en"].poor_answer}
        assert demo.TEXTS["en"].poor_answer in answers and set(answers) & models
        # Seeding again, in either language, adds nothing.
        assert not demo.seed(db.session, registry, "Europe/Kyiv", lang="uk")
        assert not demo.seed(db.session, registry, "Europe/Kyiv", lang="en")


def test_the_ukrainian_demo_stays_as_it_was(app, registry):
    from trainer.models import Cohort, User
    with app.app_context():
        _empty_tables()
        assert demo.seed(db.session, registry, "Europe/Kyiv")
        db.session.commit()
        assert db.session.scalar(select(User.display_name).where(User.username == "demo.trainee")) == "Демо Слухачка"
        assert db.session.scalar(select(Cohort.name)) == "Демо-центр"
        assert all(any("\u0400" <= ch <= "\u04ff" for ch in a) for a in _written_answers())


def test_trainer_demo_takes_its_language_from_the_option_or_the_default_locale(tmp_path, monkeypatch, scenario_dir):
    from click.testing import CliRunner
    from sqlalchemy import create_engine, text

    from trainer.cli import main
    monkeypatch.setenv("TRAINER_SCENARIO_DIR", str(scenario_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)

    def cohort_after(*args: str, default: str | None = None, folder: str) -> str:
        monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path / folder))
        if default:
            monkeypatch.setenv("TRAINER_DEFAULT_LOCALE", default)
        else:
            monkeypatch.delenv("TRAINER_DEFAULT_LOCALE", raising=False)
        runner = CliRunner()
        assert runner.invoke(main, ["init"], catch_exceptions=False).exit_code == 0
        result = runner.invoke(main, ["demo", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        engine = create_engine(f"sqlite:///{tmp_path / folder / 'trainer.db'}")
        with engine.connect() as conn:
            name = conn.execute(text("SELECT name FROM cohorts")).scalar_one()
        engine.dispose()
        assert repr(name) in result.output  # it names the cohort it made
        return name

    assert cohort_after("--lang", "en", folder="a") == "Demo centre"
    assert cohort_after(default="en", folder="b") == "Demo centre"
    assert cohort_after(folder="c") == "Демо-центр"


def test_the_demo_refreshers_follow_the_back_dated_history(app, registry):
    """Each colleague's review cards are reviewed at their attempts' dates, not when `trainer
    demo` ran: an experienced colleague has refreshers due today, as someone who practised
    weeks ago would (found by playing: demo.olena had "nothing to refresh")."""
    from trainer.models import ReviewCard, User, utcnow
    from trainer.study.plan import due_scenario_ids
    with app.app_context():
        _empty_tables()
        assert demo.seed(db.session, registry, "Europe/Kyiv")
        db.session.commit()
        olena = db.session.scalar(select(User.id).where(User.username == "demo.olena"))
        cards = db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == olena)).all()
        last = {a.scenario_id: a.finished_at for a in db.session.scalars(
            select(Attempt).where(Attempt.user_id == olena, Attempt.status == "finished").order_by(Attempt.id))}
        assert cards and {c.scenario_id: c.updated_at for c in cards} == last
        assert due_scenario_ids(db.session, olena, utcnow())
