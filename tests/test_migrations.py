"""Migrations: from an empty database, down to nothing and back, from the previous revision
with data in it, and the models agree with what the migrations build.

Each test gets a database of its own (a SQLite file, and a fresh PostgreSQL database when
TEST_DATABASE_URL names PostgreSQL), never the shared one the rest of the suite uses.
"""
from __future__ import annotations

import ast
import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from trainer.app import MIGRATIONS_DIR, create_app
from trainer.extensions import db

PREVIOUS = "0002_search"
ENV_PY = os.path.join(MIGRATIONS_DIR, "env.py")


def _on_postgres() -> bool:
    return (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_app(request, tmp_path, registry):
    """An app on an empty database of its own."""
    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        if not _on_postgres():
            pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
        from tests.system.server import postgres_database, postgres_server_url

        server = postgres_server_url()
        assert server, "TEST_DATABASE_URL names PostgreSQL but it is not reachable"
        made = postgres_database(server, prefix="trainer_migrations")
        url, drop = made.url, made.drop
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url,
                      "TRAINER_REGISTRY": registry})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()


def _head() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(MIGRATIONS_DIR).get_heads()
    assert len(heads) == 1, f"the migrations have branched: {heads}"
    return heads[0]


def _current(conn) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _tables(conn) -> set[str]:
    return set(inspect(conn).get_table_names())


def _include_object():
    """The ``include_object`` filter of migrations/env.py, without running env.py itself
    (it configures Alembic at import)."""
    tree = ast.parse(Path(ENV_PY).read_text(encoding="utf-8"), ENV_PY)
    found = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "include_object"]
    assert found, "env.py has no include_object filter"
    namespace: dict = {}
    exec(compile(ast.Module(body=found, type_ignores=[]), ENV_PY, "exec"), namespace)
    return namespace["include_object"]


def test_upgrade_from_empty_down_to_base_and_up_again(migration_app):
    from flask_migrate import downgrade, upgrade

    model_tables = set(db.metadata.tables)
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            assert _current(conn) == _head()
            assert model_tables <= _tables(conn)

        downgrade(directory=MIGRATIONS_DIR, revision="base")
        with db.engine.connect() as conn:
            assert _current(conn) is None
            assert _tables(conn) <= {"alembic_version"}  # the search tables went too

        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            assert _current(conn) == _head()
            assert model_tables <= _tables(conn)


def _insert_previous_revision_data(conn, loaded) -> None:
    """Rows as the app wrote them at 0002_search, in plain SQL (the models are newer)."""
    started = datetime(2026, 11, 1, 9, 30)
    conn.execute(text(
        "INSERT INTO users (id, username, display_name, password_hash, role, locale, created_at) VALUES "
        "(1, 'olena', 'Олена', 'pbkdf2:sha256:1000$x$y', 'trainee', 'uk', :t), "
        "(2, 'head', 'Керівниця', 'pbkdf2:sha256:1000$x$z', 'supervisor', NULL, :t)"), {"t": started})
    conn.execute(text(
        "INSERT INTO scenario_versions (id, scenario_id, version, content_hash, source, loaded_at) "
        "VALUES (1, :sid, :version, :hash, :source, :t)"),
        {"sid": loaded.scenario.id, "version": loaded.scenario.version, "hash": loaded.content_hash,
         "source": loaded.source, "t": started})


def test_upgrade_from_previous_revision_keeps_data(migration_app, registry):
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from trainer import attempts as attempt_service
    from trainer.models import Attempt, Step

    compiled = registry.latest("example-queue")
    start = compiled.start()
    first = compiled.step(start, "greet_and_acknowledge")
    finished = compiled.step(start, "ignore")
    assert not first.state.finished and finished.state.finished
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=PREVIOUS)
        with db.engine.begin() as conn:
            assert _current(conn) == PREVIOUS
            _insert_previous_revision_data(conn, compiled.loaded)
            t = datetime(2026, 11, 1, 9, 31)
            conn.execute(text(
                "INSERT INTO attempts (id, user_id, scenario_version_id, scenario_id, status, state, step_count, "
                "outcome, ending, critical_choice, started_at, updated_at, finished_at) VALUES "
                "(1, 1, 1, :sid, 'active', :s1, 1, NULL, NULL, NULL, :t, :t, NULL), "
                "(2, 1, 1, :sid, 'finished', :s2, 1, 'failed', :ending, 'ignore', :t, :t, :t)"),
                {"sid": compiled.scenario.id, "s1": json.dumps(first.state.as_dict()),
                 "s2": json.dumps(finished.state.as_dict()), "ending": finished.state.ending, "t": t})
            conn.execute(text(
                'INSERT INTO steps (id, attempt_id, "index", node_id, choice_id, via, score_delta, state_after, '
                "created_at) VALUES "
                "(1, 1, 0, :node, 'greet_and_acknowledge', :via1, :d1, :s1, :t), "
                "(2, 2, 0, :node, 'ignore', :via2, :d2, :s2, :t)"),
                {"node": start.node, "via1": json.dumps(list(first.via)), "d1": json.dumps(first.score_delta),
                 "s1": json.dumps(first.state.as_dict()), "via2": json.dumps(list(finished.via)),
                 "d2": json.dumps(finished.score_delta), "s2": json.dumps(finished.state.as_dict()), "t": t})
            if conn.dialect.name == "postgresql":
                # Explicit ids above: move the sequences past them, as the app's inserts would have.
                for table in ("users", "scenario_versions", "attempts", "steps"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT max(id) FROM {table}))"))

        upgrade(directory=MIGRATIONS_DIR)

        with db.engine.connect() as conn:
            assert _current(conn) == _head()
            users = conn.execute(text("SELECT id, username, display_name, role, locale FROM users ORDER BY id")).all()
            assert [tuple(u) for u in users] == [(1, "olena", "Олена", "trainee", "uk"),
                                                 (2, "head", "Керівниця", "supervisor", None)]
            rows = conn.execute(text(
                "SELECT id, status, step_count, outcome, mode, time_limit, time_extensions, decision_extensions, "
                "assignment_id, time_limit_off_at FROM attempts ORDER BY id")).all()
            # The NOT NULL columns 0003 added got their defaults; the nullable ones stay empty.
            assert [tuple(r) for r in rows] == [(1, "active", 1, None, "practice", None, 0, 0, None, None),
                                                (2, "finished", 1, "failed", "practice", None, 0, 0, None, None)]
            # Attempts from before 0007 showed feedback as they went: not "no hints".
            assert [bool(v) for v in conn.execute(text("SELECT feedback_at_end FROM attempts ORDER BY id")).scalars()] \
                == [False, False]
            steps = conn.execute(text(
                'SELECT attempt_id, "index", choice_id, late, extensions, seconds, free_text FROM steps ORDER BY id'
            )).all()
            assert [(s[0], s[1], s[2], bool(s[3]), s[4], s[5], s[6]) for s in steps] == [
                (1, 0, "greet_and_acknowledge", False, 0, None, None), (2, 0, "ignore", False, 0, None, None)]

        # The upgraded rows are what the app reads and plays on.
        attempt = db.session.get(Attempt, 1)
        assert [s.choice_id for s in attempt.steps] == ["greet_and_acknowledge"]
        assert attempt.state == first.state.as_dict()
        choice = compiled.scenario.nodes[first.state.node].choices[0].id
        assert attempt_service.answer(db.session, attempt, compiled, 1, choice).recorded
        db.session.commit()
        assert db.session.scalar(select(func.count(Step.id)).where(Step.attempt_id == 1)) == 2


def test_models_match_the_migrations(migration_app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    include_object = _include_object()
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
            assert compare_metadata(context, db.metadata) == []
            # The filter is what hides the hand-built search index, and nothing else.
            unfiltered = MigrationContext.configure(conn, opts={"compare_type": True})
            extra = compare_metadata(unfiltered, db.metadata)
            assert extra and all("search" in repr(diff) for diff in extra)


def test_one_attempt_migration_sets_duplicates_aside(migration_app, registry):
    """0004 builds the one-attempt indexes on a database where simultaneous starts had
    already made duplicates: the extras are set aside (the first finished attempt of an
    assessment is kept, else the newest), nothing is deleted, and the indexes then refuse
    a new duplicate."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy.exc import IntegrityError

    compiled = registry.latest("example-queue")
    state = json.dumps(compiled.start().as_dict())
    t = datetime(2026, 11, 20, 9, 0)
    # id: (user, assignment, mode, status); example-queue throughout
    attempts = {
        1: (1, None, "practice", "active"), 2: (1, None, "practice", "active"),  # self-study: keep 2
        3: (1, 1, "assessment", "finished"), 4: (1, 1, "assessment", "finished"),  # assessment: keep 3,
        5: (1, 1, "assessment", "active"),  # the one finished first
        6: (1, 2, "assessment", "active"), 7: (1, 2, "assessment", "active"),  # none finished: keep 7
        8: (1, 3, "practice", "active"), 9: (1, 3, "practice", "active"),  # practice: keep 9 (active)
        10: (1, 3, "practice", "finished"),  # and every finished one
        11: (2, None, "practice", "active"), 12: (1, None, "practice", "abandoned"),  # no duplicates
        13: (2, 1, "assessment", "finished"),  # another person's assessment
    }
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0003_supervision")
        with db.engine.begin() as conn:
            _insert_previous_revision_data(conn, compiled.loaded)
            conn.execute(text(
                "INSERT INTO assignments (id, scenario_id, cohort_id, user_id, mode, due_on, time_limit, note, "
                "created_by, created_at) VALUES (:id, :sid, NULL, 1, :mode, NULL, NULL, '', 2, :t)"),
                [{"id": 1, "sid": compiled.scenario.id, "mode": "assessment", "t": t},
                 {"id": 2, "sid": compiled.scenario.id, "mode": "assessment", "t": t},
                 {"id": 3, "sid": compiled.scenario.id, "mode": "practice", "t": t}])
            conn.execute(text(
                "INSERT INTO attempts (id, user_id, scenario_version_id, scenario_id, status, state, step_count, "
                "started_at, updated_at, assignment_id, mode, time_extensions, decision_extensions) "
                "VALUES (:id, :user, 1, :sid, :status, :state, 0, :t, :t, :assignment, :mode, 0, 0)"),
                [{"id": i, "user": user, "sid": compiled.scenario.id, "status": status, "state": state, "t": t,
                  "assignment": assignment, "mode": mode} for i, (user, assignment, mode, status) in attempts.items()])
            if conn.dialect.name == "postgresql":
                for table in ("users", "scenario_versions", "assignments", "attempts"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT max(id) FROM {table}))"))

        upgrade(directory=MIGRATIONS_DIR)

        with db.engine.connect() as conn:
            statuses = dict(conn.execute(text("SELECT id, status FROM attempts")).all())
        set_aside = {1, 4, 5, 6, 8}
        assert statuses == {i: "abandoned" if i in set_aside else status
                            for i, (_u, _a, _m, status) in attempts.items()}
        duplicates = [
            ("active", None, "practice"),  # a second self-study attempt beside 2
            ("active", 3, "practice"),  # a second active attempt at the practice assignment beside 9
            ("finished", 1, "assessment"),  # a second attempt at an assessment taken already (3)
        ]
        for status, assignment, mode in duplicates:
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO attempts (user_id, scenario_version_id, scenario_id, status, state, step_count, "
                    "started_at, updated_at, assignment_id, mode, time_extensions, decision_extensions) "
                    "VALUES (1, 1, :sid, :status, :state, 0, :t, :t, :assignment, :mode, 0, 0)"),
                    {"sid": compiled.scenario.id, "status": status, "state": state, "t": t,
                     "assignment": assignment, "mode": mode})

        downgrade(directory=MIGRATIONS_DIR, revision="0003_supervision")
        with db.engine.connect() as conn:
            assert _current(conn) == "0003_supervision"
            assert not any(i["name"].startswith("uq_attempts_") for i in inspect(conn).get_indexes("attempts"))
            # The indexes are gone; the attempts set aside stay so.
            assert dict(conn.execute(text("SELECT id, status FROM attempts")).all()) == statuses


def test_anonymous_feedback_keeps_only_its_month(migration_app, registry):
    """0006 rounds anonymous responses stored before it down to their month; named ones
    keep their day."""
    from datetime import date

    from flask_migrate import upgrade

    compiled = registry.latest("example-queue")
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0005_blocking_cancelling")
        with db.engine.begin() as conn:
            _insert_previous_revision_data(conn, compiled.loaded)
            conn.execute(text(
                "INSERT INTO survey_responses (id, scenario_id, user_id, comment, created_on) "
                "VALUES (:id, :sid, :user, '', :day)"),
                [{"id": 1, "sid": compiled.scenario.id, "user": None, "day": date(2026, 10, 17)},
                 {"id": 2, "sid": compiled.scenario.id, "user": None, "day": date(2026, 11, 1)},
                 {"id": 3, "sid": compiled.scenario.id, "user": 1, "day": date(2026, 10, 17)}])
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            days = dict(conn.execute(text("SELECT id, created_on FROM survey_responses")).all())
    as_dates = {k: v if isinstance(v, date) else date.fromisoformat(v) for k, v in days.items()}
    assert as_dates == {1: date(2026, 10, 1), 2: date(2026, 11, 1), 3: date(2026, 10, 17)}


def test_no_hints_column_is_false_for_earlier_attempts_and_goes_on_downgrade(migration_app, registry):
    """0007 adds ``attempts.feedback_at_end``: attempts stored before it (practice and an
    assessment) get false, a new row without it too, the app reads the rule from it, and the
    downgrade drops the column and keeps the attempts."""
    from flask_migrate import downgrade, upgrade

    from trainer.models import Attempt

    compiled = registry.latest("example-queue")
    state = json.dumps(compiled.start().as_dict())
    t = datetime(2026, 11, 25, 10, 0)
    insert = text(
        "INSERT INTO attempts (id, user_id, scenario_version_id, scenario_id, status, state, step_count, "
        "started_at, updated_at, assignment_id, mode, time_extensions, decision_extensions) "
        "VALUES (:id, 1, 1, :sid, :status, :state, 0, :t, :t, NULL, :mode, 0, 0)")
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0006_anonymous_month")
        with db.engine.begin() as conn:
            _insert_previous_revision_data(conn, compiled.loaded)
            conn.execute(insert, [{"id": 1, "sid": compiled.scenario.id, "status": "active", "state": state, "t": t,
                                   "mode": "practice"},
                                  {"id": 2, "sid": compiled.scenario.id, "status": "finished", "state": state,
                                   "t": t, "mode": "assessment"}])

        upgrade(directory=MIGRATIONS_DIR, revision="0007_feedback_at_end")
        with db.engine.begin() as conn:
            assert "feedback_at_end" in {c["name"] for c in inspect(conn).get_columns("attempts")}
            # A row written without the column (as by an older app server) gets the default too.
            conn.execute(insert, {"id": 3, "sid": compiled.scenario.id, "status": "abandoned", "state": state, "t": t,
                                  "mode": "practice"})
            assert {i: bool(v) for i, v in conn.execute(text("SELECT id, feedback_at_end FROM attempts"))} \
                == {1: False, 2: False, 3: False}
            conn.execute(text("UPDATE attempts SET feedback_at_end = :yes WHERE id = 3"), {"yes": True})
        assert [(a.id, a.feedback_at_end, a.feedback_deferred)
                for a in db.session.query(Attempt).order_by(Attempt.id)] == [
            (1, False, False), (2, False, True), (3, True, True)]
        db.session.remove()

        downgrade(directory=MIGRATIONS_DIR, revision="0006_anonymous_month")
        with db.engine.connect() as conn:
            assert _current(conn) == "0006_anonymous_month"
            assert "feedback_at_end" not in {c["name"] for c in inspect(conn).get_columns("attempts")}
            assert dict(conn.execute(text("SELECT id, mode FROM attempts")).all()) == {
                1: "practice", 2: "assessment", 3: "practice"}


def test_written_answers_index_is_built_used_and_dropped(migration_app, registry):
    """0008 adds a partial index of the steps holding a written answer: built over steps already
    stored, chosen by the count of answers waiting for review (on SQLite, where the plan is easy
    to read), and dropped on downgrade with the steps kept."""
    from flask_migrate import downgrade, upgrade

    compiled = registry.latest("example-queue")
    state = json.dumps(compiled.start().as_dict())
    t = datetime(2026, 11, 22, 10, 0)
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0007_feedback_at_end")
        with db.engine.begin() as conn:
            _insert_previous_revision_data(conn, compiled.loaded)
            conn.execute(text(
                "INSERT INTO attempts (id, user_id, scenario_version_id, scenario_id, status, state, step_count, "
                "started_at, updated_at, assignment_id, mode, time_extensions, decision_extensions, feedback_at_end) "
                "VALUES (1, 1, 1, :sid, 'finished', :state, 2, :t, :t, NULL, 'practice', 0, 0, :no)"),
                {"sid": compiled.scenario.id, "state": state, "t": t, "no": False})
            conn.execute(text(
                'INSERT INTO steps (id, attempt_id, "index", node_id, choice_id, via, score_delta, state_after, '
                "created_at, late, extensions, free_text) VALUES "
                "(1, 1, 0, 'a', 'x', '[]', '{}', '{}', :t, :no, 0, NULL), "
                "(2, 1, 1, 'b', 'y', '[]', '{}', '{}', :t, :no, 0, 'Я вас чую.')"), {"t": t, "no": False})

        upgrade(directory=MIGRATIONS_DIR, revision="0008_written_answers")
        with db.engine.connect() as conn:
            assert "ix_steps_written" in {i["name"] for i in inspect(conn).get_indexes("steps")}
            assert conn.execute(text("SELECT count(*) FROM steps WHERE free_text IS NOT NULL")).scalar() == 1
            if conn.dialect.name == "sqlite":
                plan = " ".join(str(row[-1]) for row in conn.execute(text(
                    "EXPLAIN QUERY PLAN SELECT count(steps.id) FROM steps JOIN attempts ON attempts.id = "
                    "steps.attempt_id WHERE steps.free_text IS NOT NULL AND attempts.user_id IN (1)")))
                assert "ix_steps_written" in plan, plan

        downgrade(directory=MIGRATIONS_DIR, revision="0007_feedback_at_end")
        with db.engine.connect() as conn:
            assert "ix_steps_written" not in {i["name"] for i in inspect(conn).get_indexes("steps")}
            assert conn.execute(text("SELECT count(*) FROM steps")).scalar() == 2


def test_account_columns_are_false_and_empty_for_existing_accounts_and_go_on_downgrade(migration_app, registry):
    """0009 adds ``users.password_temporary``, ``users.last_login_at`` and ``account_events``:
    accounts stored before it keep the passwords they have without being asked to replace them
    (false), a row written without the columns (by an older app server during a rolling
    upgrade) too, and no login time or history is invented for them; the downgrade drops all
    three and keeps the accounts."""
    from flask_migrate import downgrade, upgrade

    from trainer.models import User

    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0008_written_answers")
        with db.engine.begin() as conn:
            _insert_previous_revision_data(conn, registry.latest("example-queue").loaded)

        upgrade(directory=MIGRATIONS_DIR, revision="0009_accounts")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO users (id, username, display_name, password_hash, role, created_at) "
                              "VALUES (3, 'later', '', 'x', 'trainee', :t)"), {"t": datetime(2026, 11, 23)})
            assert {i: bool(v) for i, v in conn.execute(text("SELECT id, password_temporary FROM users"))} \
                == {1: False, 2: False, 3: False}
            # No login is known for accounts from before: none recorded, not a made-up time.
            assert conn.execute(text("SELECT count(*) FROM users WHERE last_login_at IS NULL")).scalar() == 3
            # Their history starts empty: nothing is made up for it either.
            assert conn.execute(text("SELECT count(*) FROM account_events")).scalar() == 0
            conn.execute(text("UPDATE users SET password_temporary = :yes WHERE id = 3"), {"yes": True})
        assert [(u.username, u.password_temporary) for u in db.session.query(User).order_by(User.id)] == [
            ("olena", False), ("head", False), ("later", True)]
        db.session.remove()

        downgrade(directory=MIGRATIONS_DIR, revision="0008_written_answers")
        with db.engine.connect() as conn:
            assert _current(conn) == "0008_written_answers"
            assert not {"password_temporary", "last_login_at"} & {c["name"] for c in inspect(conn).get_columns("users")}
            assert "account_events" not in _tables(conn)
            assert [r[0] for r in conn.execute(text("SELECT username FROM users ORDER BY id"))] == [
                "olena", "head", "later"]


def test_pass_mark_is_empty_for_earlier_assignments_and_goes_on_downgrade(migration_app, registry):
    """0010 adds ``assignments.pass_mark``: an assessment assigned before it passed on its
    outcome alone and keeps that rule (NULL, not a mark nobody chose); the downgrade drops the
    column and keeps the assignments."""
    from flask_migrate import downgrade, upgrade

    from trainer.models import Assignment

    with migration_app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0009_accounts")
        with db.engine.begin() as conn:
            _insert_previous_revision_data(conn, registry.latest("example-queue").loaded)
            conn.execute(text(
                "INSERT INTO assignments (id, scenario_id, cohort_id, user_id, mode, due_on, time_limit, note, "
                "created_by, created_at) VALUES (1, 'example-queue', NULL, 1, 'assessment', NULL, 60, '', 2, :t)"),
                {"t": datetime(2026, 11, 20)})

        upgrade(directory=MIGRATIONS_DIR, revision="0010_pass_mark")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT pass_mark FROM assignments")).scalars().all() == [None]
            conn.execute(text("UPDATE assignments SET pass_mark = 70"))
        assert db.session.get(Assignment, 1).pass_mark == 70
        db.session.remove()

        downgrade(directory=MIGRATIONS_DIR, revision="0009_accounts")
        with db.engine.connect() as conn:
            assert "pass_mark" not in {c["name"] for c in inspect(conn).get_columns("assignments")}
            assert conn.execute(text("SELECT id, mode, time_limit FROM assignments")).all() == [(1, "assessment", 60)]
