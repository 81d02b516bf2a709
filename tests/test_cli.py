"""The trainer command: validate, play, init, demo."""
from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner

from tests.conftest import doc_example_source
from trainer.cli import main


@pytest.fixture
def cli_env(tmp_path, monkeypatch, scenario_dir):
    monkeypatch.setenv("TRAINER_SCENARIO_DIR", str(scenario_dir))
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    return tmp_path


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_validate_prints_paths_and_bounds(cli_env, scenario_dir):
    result = run("validate", str(scenario_dir / "example-queue.yaml"))
    assert result.exit_code == 0, result.output
    assert "paths: 7, longest: 2 steps" in result.output
    assert "recommended path: greet_and_acknowledge → explain_and_check ⇒ good_end" in result.output
    assert "empathy -3..2, clarity 0..3" in result.output


def test_validate_json(cli_env, scenario_dir):
    result = run("validate", "--json", str(scenario_dir / "example-queue.yaml"))
    data = json.loads(result.output)
    [entry] = data["files"]
    assert entry["ok"] and entry["paths"] == 7
    assert entry["bounds"]["clarity"] == {"min": 0, "max": 3}


def test_validate_fails_on_a_broken_file_and_names_the_line(cli_env, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(doc_example_source().replace("next: check_mood\n", "next: nowhere\n", 1), encoding="utf-8")
    result = run("validate", str(broken))
    assert result.exit_code == 1
    assert "SC002 error" in result.output and f"{broken}:" in result.output
    assert "'nowhere'" in result.output


def test_validate_whole_library_passes(cli_env):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_validate_bar_flags_short_scenarios(cli_env, scenario_dir):
    result = run("validate", "--bar", str(scenario_dir / "example-queue.yaml"))
    assert result.exit_code == 1
    assert "below the library bar" in result.output


def test_play_scripted_json(cli_env):
    result = run("play", "example-queue", "--choices", "greet_and_acknowledge,explain_and_check", "--json")
    data = json.loads(result.output)
    assert data["ending"] == "good_end" and data["outcome"] == "good"
    assert data["percent"] == {"empathy": 100, "clarity": 100}
    assert data["path"] == ["greet_and_acknowledge", "explain_and_check"]


def test_play_scripted_text_and_critical(cli_env):
    result = run("play", "example-queue", "--choices", "ignore")
    assert "ending: walked_out (failed)" in result.output


def test_play_rejects_a_wrong_choice(cli_env):
    result = run("play", "example-queue", "--choices", "explain_and_check")
    assert result.exit_code == 1
    assert "not a choice at this point" in result.output


def test_play_unknown_scenario_lists_the_available_ones(cli_env):
    result = run("play", "nope")
    assert result.exit_code == 2 and "example-queue" in result.output


def test_play_interactive(cli_env):
    result = run("play", "example-queue", "--lang", "en", input="1\n1\n")
    assert result.exit_code == 0, result.output
    assert "Oleh: “I've been standing here forty minutes!”" in result.output
    assert "Oleh: “Thank you for explaining.”" in result.output  # the ending's words, the same way
    assert "Outcome: good" in result.output
    assert "2.5. Managing the queue" in result.output
    ukrainian = run("play", "example-queue", input="1\n1\n")
    assert "Олег: «Я вже сорок хвилин тут стою!»" in ukrainian.output


def test_init_and_demo_create_database_and_logins(cli_env):
    first = run("init")
    assert first.exit_code == 0, first.output
    assert (cli_env / "instance" / "trainer.db").exists()
    assert (cli_env / "instance" / "secret_key").exists()
    demo = run("demo")
    assert "demo.trainee" in demo.output and "demo.admin" in demo.output
    assert "demo.olena" in demo.output and "demo.iryna" in demo.output  # the colleagues with a history too
    again = run("init")  # upgrading an existing database keeps its data
    assert again.exit_code == 0
    run("demo")
    from sqlalchemy import create_engine, text
    engine = create_engine(f"sqlite:///{cli_env / 'instance' / 'trainer.db'}")
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT username FROM users ORDER BY username"))]
        cohorts = conn.execute(text("SELECT count(*) FROM cohorts")).scalar()
        finished = conn.execute(text("SELECT count(*) FROM attempts WHERE status = 'finished'")).scalar()
        assignments = conn.execute(text("SELECT count(*) FROM assignments")).scalar()
        # Each played attempt is back-dated as a whole: its decisions come after its start,
        # in order, and its end is its last decision (a transcript gives their times).
        timelines = conn.execute(text(
            "SELECT a.id, a.started_at, a.finished_at, s.created_at FROM attempts a JOIN steps s ON s.attempt_id = a.id "
            "WHERE a.status = 'finished' ORDER BY a.id, s.\"index\"")).all()
    engine.dispose()
    by_attempt: dict = {}
    for attempt_id, started, ended, decided in timelines:
        by_attempt.setdefault(attempt_id, (started, ended, []))[2].append(decided)
    for started, ended, decisions in by_attempt.values():
        assert [started, *decisions] == sorted([started, *decisions]) and decisions[-1] == ended
    assert {"demo.admin", "demo.supervisor", "demo.trainee", "demo.olena"} <= set(names)
    # Running demo twice adds nothing: one cohort, its two assignments, the same history.
    assert (cohorts, assignments) == (1, 2) and finished >= 5


@pytest.mark.parametrize("zone", ["Etc/GMT+12", "Etc/GMT-14"])
def test_demo_assignments_are_due_counting_from_the_centres_date(cli_env, monkeypatch, zone):
    """The two zones' dates never coincide, so each run shows which date the demo counted from."""
    from datetime import timedelta

    from sqlalchemy import create_engine, text

    from trainer import clock
    monkeypatch.setenv("TRAINER_TIMEZONE", zone)
    run("init")
    run("demo")
    engine = create_engine(f"sqlite:///{cli_env / 'instance' / 'trainer.db'}")
    with engine.connect() as conn:
        due = sorted(r[0] for r in conn.execute(text("SELECT due_on FROM assignments")))
    engine.dispose()
    today = clock.today(zone)
    assert due == [str(today + timedelta(days=7)), str(today + timedelta(days=14))]


def test_demo_passwords_work(cli_env):
    run("init")
    run("demo")
    from trainer.app import create_app
    from trainer.extensions import db
    from trainer.models import User
    app = create_app()
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="demo.supervisor"))
        assert user.role == "supervisor" and user.check_password("demo.supervisor")
        db.engine.dispose()


def test_flask_cli_has_the_trainer_group(runner):
    result = runner.invoke(args=["trainer", "--help"])
    assert "validate" in result.output and "play" in result.output


def test_review_lists_every_choice_with_where_its_paths_end(cli_env):
    result = run("review", "example-queue", "--lang", "en")
    assert result.exit_code == 0
    out = result.output
    for choice in ("greet_and_acknowledge", "wait_your_turn", "ignore", "explain_and_check"):
        assert f"#### `{choice}`" in out
    assert "**CRITICAL ERROR**" in out
    assert "Where its paths end: `walked_out` (1)" in out
    assert "Number of paths: 7" in out
    assert "### `good_end`: good — Oleh waited (2)" in out
    assert "Where its paths end: `mixed_end` (2), `good_end` (1)" in out


def test_review_of_unknown_scenario_fails(cli_env):
    assert run("review", "nope").exit_code == 2


def test_index_builds_the_search_index(cli_env):
    run("init")
    result = run("index")
    assert result.exit_code == 0 and "Search index:" in result.output
    assert int(result.output.split(":")[1].split()[0]) > 200


def test_content_import_check_refuses_a_tree_without_summary(cli_env, tmp_path):
    empty = tmp_path / "export"
    empty.mkdir()
    result = run("content", "import", str(empty), "--check")
    assert result.exit_code == 1
    assert "no SUMMARY.md" in result.output and "Nothing was changed" in result.output


def test_content_import_replaces_pages(cli_env, tmp_path, monkeypatch):
    import shutil

    from tests.conftest import CONTENT_DIR
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(content))
    export = tmp_path / "export"
    shutil.copytree(CONTENT_DIR / "uk", export)
    (export / "5.2.3.md").write_text("# 5.2.3. Клієнт плаче\n\nНаш центр радить так.\n", encoding="utf-8")
    result = run("content", "import", str(export))
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output
    # Only the index: `make run` would also create the demo accounts on a real server.
    assert "Run `trainer index` to refresh search." in result.output and "make run" not in result.output
    assert (content / "uk" / "5.2.3.md").read_text(encoding="utf-8").endswith("Наш центр радить так.\n")


def test_xapi_send_needs_an_lrs(cli_env, monkeypatch):
    monkeypatch.delenv("TRAINER_LRS_URL", raising=False)
    result = run("xapi", "send")
    assert result.exit_code == 2 and "TRAINER_LRS_URL" in result.output


def test_xapi_queue_and_send_reach_the_lrs(cli_env, monkeypatch):
    from tests.team.test_export import _Lrs
    run("init")
    run("demo")
    with _Lrs() as lrs:
        monkeypatch.setenv("TRAINER_LRS_URL", lrs.url)
        queued = run("xapi", "queue")
        assert queued.exit_code == 0 and "queued" in queued.output
        sent = run("xapi", "send", "--batch", "500")
        assert sent.exit_code == 0, sent.output
    count = int(queued.output.split()[1])
    assert count > 0 and len(lrs.received) == count and f"sent {count}" in sent.output


def _served_with(monkeypatch, *args) -> dict[str, str]:
    """The gunicorn options `trainer serve` would start with (execv is not run)."""
    seen: list[str] = []
    monkeypatch.setattr("os.execv", lambda _path, argv: seen.extend(argv))
    result = run("serve", *args)
    assert result.exit_code == 0, result.output
    return {seen[i]: seen[i + 1] for i, arg in enumerate(seen[:-1]) if arg.startswith("--")}


def test_serve_defaults_to_a_single_threaded_worker_per_core_and_one_more(monkeypatch):
    monkeypatch.delenv("TRAINER_WORKERS", raising=False)
    monkeypatch.delenv("TRAINER_THREADS", raising=False)
    options = _served_with(monkeypatch)
    assert options["--workers"] == str(len(os.sched_getaffinity(0)) + 1)
    assert options["--threads"] == "1"
    # gthread even with one thread: a long request (an import) must not get the worker killed.
    assert options["--worker-class"] == "gthread"


def test_serve_takes_its_workers_and_threads_from_the_settings_or_the_options(monkeypatch):
    monkeypatch.setenv("TRAINER_WORKERS", "7")
    monkeypatch.setenv("TRAINER_THREADS", "3")
    assert (_served_with(monkeypatch)["--workers"], _served_with(monkeypatch)["--threads"]) == ("7", "3")
    assert _served_with(monkeypatch, "--workers", "2")["--workers"] == "2"
    monkeypatch.setenv("TRAINER_WORKERS", "many")  # unreadable: the default, not a crash
    assert _served_with(monkeypatch)["--workers"] == str(len(os.sched_getaffinity(0)) + 1)


def _login_as(username, password):
    from trainer.app import create_app
    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    return client, response


def test_user_commands_create_the_first_admin_restore_a_role_and_reset_a_password(cli_env):
    assert run("init").exit_code == 0
    created = run("user", "create", "head.admin", "--role", "admin", "--name", "Оксана Коваль")
    assert created.exit_code == 0, created.output
    password = created.output.split("Password: ")[1].split()[0]
    client, response = _login_as("head.admin", password)
    assert response.status_code == 302
    # The printed password is temporary: every page asks first for one of the admin's own.
    asked = client.get("/admin/users")
    assert asked.status_code == 302 and asked.location == "/account/password?next=/admin/users"
    chosen = "вишня цвіте у квітні"
    saved = client.post(asked.location, data={"current": password, "new": chosen, "repeat": chosen})
    assert saved.status_code == 302 and saved.location == "/admin/users"
    assert client.get("/admin/users").status_code == 200
    password = chosen

    taken = run("user", "create", "Head.Admin")
    assert taken.exit_code == 2 and "is taken" in taken.output

    assert run("user", "role", "head.admin", "trainee").exit_code == 0
    client, _response = _login_as("head.admin", password)
    assert client.get("/admin/users").status_code == 403
    restored = run("user", "role", "HEAD.ADMIN", "admin")
    assert restored.exit_code == 0 and "trainee → admin" in restored.output
    client, _response = _login_as("head.admin", password)
    assert client.get("/admin/users").status_code == 200

    reset = run("user", "password", "head.admin")
    new_password = reset.output.split("New password for head.admin: ")[1].split()[0]
    assert new_password != password and "they choose their own" in reset.output
    assert _login_as("head.admin", password)[1].status_code != 302
    assert _login_as("head.admin", new_password)[1].status_code == 302

    missing = run("user", "role", "nobody.here", "admin")
    assert missing.exit_code == 2 and "trainer user create nobody.here" in missing.output


def test_a_password_printed_to_an_output_that_closes_early_still_works(cli_env, monkeypatch):
    """`trainer user password NAME | head -1`: the pipe closes after the first line. The change
    is committed before anything is printed, so the password that reached the reader works."""
    import click

    import trainer.cli.users as users_cli
    assert run("init").exit_code == 0
    run("user", "create", "o.koval")
    shown = []

    def echo_then_close(message=None, **kwargs):
        if shown:
            raise BrokenPipeError(32, "Broken pipe")
        shown.append(message)
    monkeypatch.setattr(users_cli.click, "echo", echo_then_close)
    result = CliRunner().invoke(main, ["user", "password", "o.koval"])
    monkeypatch.setattr(users_cli.click, "echo", click.echo)
    assert result.exit_code == 1  # click ends on a closed pipe (EPIPE) with status 1
    assert shown[0].startswith("New password for o.koval: ")
    assert _login_as("o.koval", shown[0].split(": ")[1])[1].status_code == 302


def test_user_block_and_unblock(cli_env):
    assert run("init").exit_code == 0
    first = run("user", "create", "head.admin", "--role", "admin")
    admin_password = first.output.split("Password: ")[1].split()[0]
    created = run("user", "create", "o.koval", "--name", "Олена Коваль")
    password = created.output.split("Password: ")[1].split()[0]
    client, response = _login_as("o.koval", password)
    assert response.status_code == 302 and client.get("/account/password").status_code == 200

    blocked = run("user", "block", "O.Koval")
    assert blocked.exit_code == 0 and "Blocked o.koval" in blocked.output
    assert client.get("/account/password").location.startswith("/login")  # the open session ends
    assert _login_as("o.koval", password)[1].status_code == 403
    again = run("user", "block", "o.koval")
    assert again.exit_code == 0 and "blocked already" in again.output

    last_admin = run("user", "block", "head.admin")
    assert last_admin.exit_code == 2 and "the only active admin" in last_admin.output
    assert _login_as("head.admin", admin_password)[1].status_code == 302

    unblocked = run("user", "unblock", "o.koval")
    assert unblocked.exit_code == 0 and "Unblocked o.koval" in unblocked.output
    assert _login_as("o.koval", password)[1].status_code == 302
    assert "was not blocked" in run("user", "unblock", "o.koval").output
    missing = run("user", "block", "nobody.here")
    assert missing.exit_code == 2 and "trainer user create nobody.here" in missing.output


def test_the_way_back_in_lifts_a_login_lock_on_the_name(cli_env):
    """An admin who locked the name with wrong passwords, or a person who tried a name before
    it existed, can log in at once with what the command prints."""
    assert run("init").exit_code == 0
    run("user", "create", "head.admin", "--role", "admin")
    for _ in range(5):
        assert _login_as("head.admin", "wrong password")[1].status_code != 302
    reset = run("user", "password", "head.admin")
    assert "The login lock on head.admin (too many failed tries) is lifted." in reset.output
    new_password = reset.output.split("New password for head.admin: ")[1].split()[0]
    assert _login_as("head.admin", new_password)[1].status_code == 302
    assert "lock" not in run("user", "password", "head.admin").output  # nothing to lift now

    for _ in range(5):
        _login_as("o.koval", "guess")
    created = run("user", "create", "O.Koval")
    assert "The login lock on o.koval" in created.output
    assert _login_as("o.koval", created.output.split("Password: ")[1].split()[0])[1].status_code == 302

    password = run("user", "password", "o.koval").output.split("New password for o.koval: ")[1].split()[0]
    run("user", "block", "o.koval")
    for _ in range(5):
        _login_as("o.koval", "guess")
    unblocked = run("user", "unblock", "o.koval")
    assert "The login lock on o.koval" in unblocked.output
    assert _login_as("o.koval", password)[1].status_code == 302


def test_user_role_to_trainee_says_which_cohorts_they_no_longer_supervise(cli_env):
    from trainer.app import create_app
    from trainer.extensions import db
    from trainer.models import Cohort, CohortMember, User

    assert run("init").exit_code == 0
    run("user", "create", "p.bondar", "--role", "supervisor")
    app = create_app()
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="p.bondar"))
        cohort = Cohort(name="Kyiv-1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role="supervisor"))
        db.session.commit()
    changed = run("user", "role", "p.bondar", "trainee")
    assert changed.exit_code == 0 and "p.bondar no longer supervises Kyiv-1" in changed.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CohortMember)) == 0
        db.engine.dispose()


# -- a database that is missing or not set up -----------------------------------------

DATABASE_COMMANDS = [("user", "block", "someone"), ("user", "list"), ("user", "role", "someone", "admin"),
                     ("index",), ("demo",), ("xapi", "queue"), ("xapi", "send")]


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_a_missing_database_is_named_in_one_paragraph_and_not_created(cli_env, monkeypatch, command):
    """As when sudo or cron drops DATABASE_URL: the default file does not exist."""
    monkeypatch.setenv("TRAINER_LRS_URL", "http://127.0.0.1:9/xapi/")
    result = run(*command)
    database = cli_env / "instance" / "trainer.db"
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0, result.output  # one paragraph, no traceback
    assert f"sqlite:///{database}" in result.output and "DATABASE_URL is not set" in result.output
    assert "run `trainer init`" in result.output and "set DATABASE_URL" in result.output
    assert not database.exists()


def test_a_database_without_tables_or_behind_the_code_is_named(cli_env, monkeypatch):
    from sqlalchemy import create_engine, text

    empty = cli_env / "empty.db"
    empty.touch()  # what a connection to a missing SQLite file leaves behind
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{empty}")
    result = run("user", "list")
    assert result.exit_code == 1
    assert f"The database sqlite:///{empty} has no tables of the trainer" in result.output
    assert "DATABASE_URL is not set" not in result.output

    monkeypatch.delenv("DATABASE_URL")
    assert run("init").exit_code == 0
    engine = create_engine(f"sqlite:///{cli_env / 'instance' / 'trainer.db'}")
    for revision, words in (("0005_blocking_cancelling", "needs an upgrade: run `trainer init`"),
                            ("0099_from_the_future", "was set up by a newer version of the trainer")):
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        result = run("user", "list")
        assert result.exit_code == 1 and words in result.output, result.output
    engine.dispose()


def test_a_database_that_cannot_be_reached_is_named_with_its_password_masked(cli_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://trainer:s3cret-pw@127.0.0.1:1/trainer")
    result = run("user", "list")
    assert result.exit_code == 1
    assert "postgresql+psycopg://trainer:***@127.0.0.1:1/trainer" in result.output
    assert "s3cret-pw" not in result.output and "check DATABASE_URL" in result.output


# -- accounts ---------------------------------------------------------------------------

def test_user_role_warns_when_no_active_admin_is_left(cli_env):
    assert run("init").exit_code == 0
    run("user", "create", "a.admin", "--role", "admin")
    run("user", "create", "b.admin", "--role", "admin")
    warning = "Warning: there is no active admin now; nobody can manage people in the web app."
    first = run("user", "role", "a.admin", "supervisor")
    assert first.exit_code == 0 and warning not in first.output  # b.admin still manages people
    last = run("user", "role", "b.admin", "trainee")
    assert last.exit_code == 0 and "b.admin: admin → trainee" in last.output
    assert warning in last.output and "`trainer user role USERNAME admin`" in last.output


def test_user_list_shows_a_table_that_filters_by_status_and_role(cli_env):
    assert run("init").exit_code == 0
    run("user", "create", "o.koval", "--name", "Олена Коваль")
    run("user", "create", "head.admin", "--role", "admin", "--name", "Оксана Шевчук")
    run("user", "create", "p.bondar", "--role", "supervisor")
    run("user", "block", "o.koval")
    from trainer import clock, settings
    today = clock.today(settings.time_zone())  # the day of the block, on the centre's clock

    everyone = run("user", "list")
    assert everyone.exit_code == 0, everyone.output
    lines = everyone.output.splitlines()
    header = lines[0]
    assert header.split() == ["USERNAME", "ROLE", "STATUS", "NAME"]
    assert set(lines[1]) == {"-", " "}
    # The columns line up under their headings: cut each row where the headings start.
    starts = [match.start() for match in re.finditer(r"\S+", header)] + [None]
    rows = [[line[a:b].strip() for a, b in zip(starts, starts[1:])] for line in lines[2:-1]]
    assert rows == [["head.admin", "admin", "active", "Оксана Шевчук"],
                    ["o.koval", "trainee", f"blocked {today}", "Олена Коваль"],
                    ["p.bondar", "supervisor", "active", ""]]
    assert not any(line.endswith(" ") for line in lines)
    assert lines[-1] == "3 account(s)"

    blocked = run("user", "list", "--blocked").output.splitlines()
    assert [line.split()[0] for line in blocked[2:-1]] == ["o.koval"] and blocked[-1] == "1 account(s)"
    supervisors = run("user", "list", "--role", "supervisor").output.splitlines()
    assert [line.split()[0] for line in supervisors[2:-1]] == ["p.bondar"]
    assert run("user", "list", "--blocked", "--role", "admin").output.strip() == "No accounts match."


# -- serve -------------------------------------------------------------------------------

def test_serve_help_names_the_settings_behind_its_defaults(monkeypatch):
    monkeypatch.setenv("TRAINER_PORT", "5103")
    result = run("serve", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())  # as one line, whatever the terminal's width
    assert "[default: (" not in text
    for setting, built_in in (("TRAINER_HOST", "127.0.0.1"), ("TRAINER_PORT", "5000"),
                              ("TRAINER_WORKERS", "CPU cores + 1"), ("TRAINER_THREADS", "1")):
        assert f"Default: ${setting}, else {built_in}." in text
