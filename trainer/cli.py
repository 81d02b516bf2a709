"""The ``trainer`` command: set up, serve, validate, play and review scenarios.

The same click group is registered with the Flask CLI (``flask trainer …``). Commands
that touch the database create the app themselves; the others use only the domain.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import settings
from .content.toc import load_toc
from .scenario.collector import collector_paused
from .scenario.loader import Library, load_library
from .scenario.quality import bar_problems
from .scenario.yamlsource import two_processes


def _library(paths: tuple[Path, ...] = ()) -> Library:
    toc = load_toc(settings.content_dir())
    return load_library(settings.scenario_dir(), toc, list(paths) or None)


@click.group(help="Frontline Trainer: practise the hard moments of front-desk work.")
def main() -> None:
    pass


@main.command(help="Check scenario files and print paths and score bounds.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable results.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--bar", is_flag=True, help="Also check the scenario library's quality bar.")
def validate(paths: tuple[Path, ...], as_json: bool, strict: bool, bar: bool) -> None:
    # A big file loads into ~10^6 objects; with the cycle collector off until they are
    # freed (by reference counting, when _validate returns), it never walks them.
    # A very big file is parsed in two processes: see trainer/scenario/yamlsplit.py.
    with collector_paused(), two_processes():
        failed = _validate(paths, as_json, strict, bar)
    if failed:
        sys.exit(1)


def _validate(paths: tuple[Path, ...], as_json: bool, strict: bool, bar: bool) -> bool:
    """Print the findings; True when the command should fail."""
    library = _library(paths)
    diagnostics = list(library.framework_diagnostics)
    results = []
    for loaded in library.files:
        diagnostics.extend(loaded.diagnostics)
        entry = {
            "file": loaded.path,
            "id": loaded.scenario.id if loaded.scenario else None,
            "version": loaded.scenario.version if loaded.scenario else None,
            "ok": loaded.ok,
            "diagnostics": [d.as_dict() for d in loaded.diagnostics],
        }
        if loaded.analysis is not None and loaded.analysis.bounded and loaded.analysis.start:
            entry.update(loaded.analysis.summary())
        if bar:
            entry["bar"] = bar_problems(loaded)
        results.append(entry)
    errors = sum(d.severity == "error" for d in diagnostics) + sum(len(r.get("bar", [])) for r in results)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    if as_json:
        click.echo(json.dumps({
            "files": results,
            "framework": [d.as_dict() for d in library.framework_diagnostics],
            "errors": errors,
            "warnings": warnings,
        }, ensure_ascii=False, indent=2))
    else:
        for d in library.framework_diagnostics:
            click.echo(d.format())
        for loaded, entry in zip(library.files, results):
            status = "ok" if loaded.ok else "NOT LOADED"
            label = f" ({entry['id']} v{entry['version']})" if entry["id"] else ""
            click.echo(f"{loaded.path}: {status}{label}")
            for d in loaded.diagnostics:
                click.echo(f"  {d.format()}")
            if "paths" in entry:
                click.echo(f"  paths: {entry['paths']}, longest: {entry['longest_path']} steps")
                click.echo(f"  recommended path: {' → '.join(entry['recommended_path'])} ⇒ {entry['recommended_ending']}")
                bounds = ", ".join(f"{c} {b['min']}..{b['max']}" for c, b in entry["bounds"].items())
                click.echo(f"  score bounds (min..max over all paths): {bounds}")
            for problem in entry.get("bar", []):
                click.echo(f"  below the library bar: {problem}")
        click.echo(f"{len(library.files)} file(s), {errors} error(s), {warnings} warning(s)")
    return bool(errors or (strict and warnings))


def _compiled(scenario_id: str):
    """The library and the compiled scenario ``scenario_id``, or a usage error listing the playable ones."""
    from .scenario.engine import CompiledScenario

    library = _library()
    loaded = library.scenarios.get(scenario_id)
    if loaded is None:
        known = ", ".join(sorted(library.scenarios)) or "none"
        raise click.UsageError(f"no playable scenario {scenario_id!r}; available: {known}")
    return library, CompiledScenario(loaded)


def _write_or_print(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


def _app():
    from .app import create_app
    return create_app()


def _migrated_app():
    """The app, for a command that reads or writes tables: only once the database is set up."""
    _check_database()
    return _app()


def _check_database() -> None:
    """Stop with one paragraph unless the database exists and has this code's migrations.

    Runs before the app exists: connecting to a missing SQLite file would create it empty,
    and a query on a database without tables would end in a long traceback. This happens
    on a server when sudo or cron drops DATABASE_URL and the default file is used instead.
    """
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError
    from sqlalchemy.pool import NullPool

    from .app import MIGRATIONS_DIR

    fix = "run `trainer init` to set it up, or set DATABASE_URL to the database the app uses"
    try:
        url = make_url(settings.database_url())
    except ArgumentError:
        raise click.ClickException("DATABASE_URL is not a database URL (such as postgresql+psycopg://user:"
                                   "password@host/name): set it to the database the app uses.") from None
    where = url.render_as_string(hide_password=True)
    where += "" if settings.env("DATABASE_URL") else " (the default: DATABASE_URL is not set)"
    path = url.database if url.get_backend_name() == "sqlite" and not url.query.get("uri") else None
    if path and path != ":memory:" and not Path(path).is_file():
        raise click.ClickException(f"The database {where} does not exist: {fix}.")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            applied = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        if url.password:
            reason = reason.replace(str(url.password), "***")
        raise click.ClickException(f"The database {where} cannot be read ({reason}): check DATABASE_URL, "
                                   "or run `trainer init` if it is a new database.") from None
    finally:
        engine.dispose()
    scripts = ScriptDirectory(MIGRATIONS_DIR)
    heads = set(scripts.get_heads())
    if applied == heads:
        return
    if not applied:
        raise click.ClickException(f"The database {where} has no tables of the trainer: {fix}.")
    if applied - {rev.revision for rev in scripts.walk_revisions()}:
        raise click.ClickException(f"The database {where} was set up by a newer version of the trainer (a "
                                   "migration this code does not have): update the code, or set DATABASE_URL "
                                   "to the database the app uses.")
    raise click.ClickException(f"The database {where} needs an upgrade: run `trainer init` (it migrates forward "
                               "and keeps the data), or set DATABASE_URL to the database the app uses.")


@main.command(help="Create or upgrade the database and record the scenario versions.")
def init() -> None:
    from flask_migrate import upgrade

    from .app import MIGRATIONS_DIR
    from .attempts import ensure_version
    from .extensions import db

    settings.instance_dir().mkdir(parents=True, exist_ok=True)
    app = _app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        registry = app.extensions["trainer_registry"]
        for loaded in registry.current.values():
            ensure_version(db.session, loaded)
        from .search.index import rebuild
        indexed = rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
        click.echo(f"Search index: {indexed} documents")
        click.echo(f"Database ready: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
        click.echo(f"Scenarios loaded: {len(registry.current)}")
        for broken in registry.library.broken:
            click.echo(f"Not loaded: {broken.path} ({len(broken.errors)} error(s); run `trainer validate {broken.path}`)", err=True)


@main.command(help="Create demo accounts, a demo cohort with history (password = user name). Local trial only.")
def demo() -> None:
    from . import demo as demo_data
    from .extensions import db

    app = _migrated_app()
    with app.app_context():
        seeded = demo_data.seed(db.session, app.extensions["trainer_registry"], app.config["BABEL_DEFAULT_TIMEZONE"])
        db.session.commit()
    click.echo("Demo logins (local trial only; the password equals the user name):")
    for username, role, _display in demo_data.DEMO_USERS:
        click.echo(f"  {username:<16} {role}")
    if seeded:
        click.echo(f"Created the cohort {demo_data.DEMO_COHORT!r} with two assignments and some played attempts.")


@main.command(help="Serve the app with gunicorn.")
# The defaults are written into the help: click puts a described default in brackets and
# parentheses, and would not say that a setting takes the place of the built-in value.
@click.option("--host", default=lambda: settings.env("TRAINER_HOST") or "127.0.0.1",
              help="Address to listen on. Default: $TRAINER_HOST, else 127.0.0.1.")
@click.option("--port", default=lambda: int(settings.env("TRAINER_PORT") or 5000), type=int,
              help="Port to listen on. Default: $TRAINER_PORT, else 5000.")
@click.option("--workers", default=settings.serve_workers, type=int,
              help="Worker processes. Default: $TRAINER_WORKERS, else CPU cores + 1.")
@click.option("--threads", default=lambda: max(1, int(settings.number("TRAINER_THREADS"))), type=int,
              help="Threads per worker. Default: $TRAINER_THREADS, else 1.")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    click.echo(f"Serving on http://{host}:{port} (Ctrl+C stops)")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # gthread even with one thread: its main loop keeps the connections (keep-alive) and
    # tells the master the worker is alive while a long request (an import) runs; a sync
    # worker would be killed after 30 s. One thread per worker, as the default, measured 25%
    # more scenario steps per second than four (bench/README.md): the threads of a worker
    # only took turns on one core and contended for the database.
    args = [str(gunicorn), "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread", "--access-logfile", "-", "trainer.wsgi:app"]
    os.execv(args[0], args)


@main.command(help="Play a scenario in the terminal.")
@click.argument("scenario_id")
@click.option("--choices", help="Comma-separated choice ids to play without asking.")
@click.option("--json", "as_json", is_flag=True, help="Print the path, scores and ending as JSON.")
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
def play(scenario_id: str, choices: str | None, as_json: bool, lang: str) -> None:
    from .scenario.engine import PlayError
    from .terminal import play_interactive, play_scripted

    library, compiled = _compiled(scenario_id)
    try:
        if choices is not None:
            data = play_scripted(compiled, [c.strip() for c in choices.split(",") if c.strip()])
        else:
            def ask(prompt: str, count: int) -> int:
                return click.prompt(prompt, type=click.IntRange(1, count), err=as_json)

            def ask_text(prompt: str) -> str:
                return click.prompt(prompt, type=str, err=as_json)

            say = (lambda text: click.echo(text, err=True)) if as_json else click.echo
            data = play_interactive(compiled, library.toc, lang, ask, say, ask_text)
    except PlayError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif choices is not None:
        click.echo(f"path: {' → '.join(data['path'])}")
        if data["finished"]:
            click.echo(f"ending: {data['ending']} ({data['outcome']})")
            click.echo("scores: " + ", ".join(f"{c} {p}%" for c, p in data["percent"].items()))
        else:
            click.echo(f"not finished; now at {data['node']}")


@main.command(help="Score a written answer against a free-text node's rubric; print JSON.")
@click.argument("scenario_id")
@click.argument("node_id")
@click.argument("text")
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True,
              help="Language of the labels, feedback and model answer.")
def rubric(scenario_id: str, node_id: str, text: str, lang: str) -> None:
    _, compiled = _compiled(scenario_id)
    if not compiled.is_free_text(node_id):
        free = ", ".join(sorted(compiled.rubrics)) or "none"
        what = "is not a free-text node" if node_id in compiled.scenario.nodes else "is not a node"
        raise click.UsageError(f"{node_id!r} {what} of {scenario_id!r}; its free-text nodes: {free}")
    click.echo(json.dumps(compiled.match(node_id, text, lang), ensure_ascii=False, indent=2))


@main.command(help="Write the JSON Schema of scenario files.")
@click.option("--output", type=click.Path(path_type=Path), help="File to write (default: print).")
def schema(output: Path | None) -> None:
    from .scenario.model import json_schema

    _write_or_print(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", output)


@main.command(help="Write a Markdown review of a scenario for legal and methodology reviewers.")
@click.argument("scenario_id")
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="File to write (default: print).")
def review(scenario_id: str, lang: str, output: Path | None) -> None:
    from .scenario.review import review_markdown

    library = _library()
    loaded = library.scenarios.get(scenario_id)
    if loaded is None:
        raise click.UsageError(f"no playable scenario {scenario_id!r}; run `trainer validate` to see why")
    _write_or_print(review_markdown(loaded, library.toc, lang), output)


@main.command(help="Rebuild the search index of manual pages and scenarios.")
def index() -> None:
    from .extensions import db
    from .search.index import rebuild

    app = _migrated_app()
    with app.app_context():
        registry = app.extensions["trainer_registry"]
        count = rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
    click.echo(f"Search index: {count} documents")


@main.group(help="Manage the manual's pages.")
def content() -> None:
    pass


@content.command("import", help="Replace the manual pages with a GitBook export (checked first).")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Only check; change nothing.")
def content_import(source: Path, lang: str, check_only: bool) -> None:
    from .content.importer import check_export, import_export
    from .uploads import megabytes

    library = _library()
    required = {ref for loaded in library.scenarios.values() for ref in loaded.scenario.cited_sections()}
    limits = (megabytes(settings.number("TRAINER_IMPORT_MAX_FILE_MB")),
              megabytes(settings.number("TRAINER_IMPORT_MAX_TOTAL_MB")))
    if check_only:
        report, _root = check_export(source, required, lang, *limits)
    else:
        report = import_export(source, settings.content_dir(), required, lang, *limits)
    for note in report.notes:
        click.echo(f"note: {note}")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if not report.ok:
        click.echo("Nothing was changed: fix the errors above and run the import again.", err=True)
        sys.exit(1)
    if check_only:
        click.echo(f"The export fits: {report.pages} pages.")
    else:
        click.echo(f"Imported {report.pages} pages into {settings.content_dir() / lang}; the previous pages are in {report.backup}.")
        # Not `make run`: it also creates the demo accounts, which a real server must not have.
        click.echo("Run `trainer index` to refresh search.")



@main.group(help="Accounts from the command line: the first admin, and a way back in.")
def user() -> None:
    pass


def _account_command(change) -> None:
    """Run ``change(session)`` in the app, commit, and turn a PeopleError into a message."""
    from flask_babel import force_locale

    from .extensions import db
    from .team.people import PeopleError

    app = _migrated_app()
    with app.app_context(), force_locale("en"):  # the command line speaks English
        try:
            change(db.session)
        except PeopleError as error:
            db.session.rollback()
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        db.session.commit()


def _find_user(session, username: str):
    from sqlalchemy import func, select

    from .models import User
    from .team.people import PeopleError

    found = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if found is None:
        raise PeopleError(f"there is no account “{username}”; `trainer user create {username}` makes one")
    return found


@user.command("create", help="Create an account and print its generated password (shown only here).")
@click.argument("username")
@click.option("--role", type=click.Choice(["trainee", "supervisor", "admin"]), default="trainee", show_default=True)
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
def user_create(username: str, role: str, display_name: str) -> None:
    from .team.people import create_user

    def change(session):
        account, password = create_user(session, username=username, role=role, display_name=display_name)
        click.echo(f"Created {account.username} ({role}). Password: {password}")
        click.echo("Give it to the person privately; they can change it under Account.")
    _account_command(change)


@user.command("role", help="Change an account's role (e.g. give back the admin role).")
@click.argument("username")
@click.argument("role", type=click.Choice(["trainee", "supervisor", "admin"]))
def user_role(username: str, role: str) -> None:
    from .team.people import active_admins, change_role

    def change(session):
        account = _find_user(session, username)
        before = account.role
        # The way back in: it may take the role from the last admin (the web form may not).
        left = change_role(session, account, role, keep_an_admin=False)
        click.echo(f"{account.username}: {before} → {role}")
        if left:
            click.echo(f"A trainee supervises no cohort: {account.username} no longer supervises {', '.join(left)}.")
        if not active_admins(session):
            click.echo("Warning: there is no active admin now; nobody can manage people in the web app. "
                       "`trainer user role USERNAME admin` gives someone the role.", err=True)
    _account_command(change)


@user.command("list", help="List the accounts: user name, role, status and name.")
@click.option("--blocked", is_flag=True, help="Only blocked accounts.")
@click.option("--role", type=click.Choice(["trainee", "supervisor", "admin"]), help="Only accounts with this role.")
def user_list(blocked: bool, role: str | None) -> None:
    from sqlalchemy import func, select

    from . import clock
    from .models import User

    zone = settings.time_zone()

    def show(session):
        query = select(User).order_by(func.lower(User.username))
        if blocked:
            query = query.where(User.blocked_at.is_not(None))
        if role:
            query = query.where(User.role == role)
        rows = [(u.username, u.role, f"blocked {clock.local_date(u.blocked_at, zone)}" if u.blocked_at else "active",
                 u.display_name) for u in session.scalars(query)]
        if not rows:
            click.echo("No accounts match." if blocked or role else "There are no accounts yet.")
            return
        for line in _table(("USERNAME", "ROLE", "STATUS", "NAME"), rows):
            click.echo(line)
        click.echo(f"{len(rows)} account(s)")
    _account_command(show)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Columns padded to their widest cell; the last one is not padded (no trailing blanks)."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header) - 1)]

    def line(cells) -> str:
        return "  ".join([str(c).ljust(w) for c, w in zip(cells, widths)] + [str(cells[-1])]).rstrip()
    return [line(header), line(["-" * w for w in widths] + ["-" * len(header[-1])]), *(line(r) for r in rows)]


@user.command("block", help="Block an account (the person left): no more logins; their records stay.")
@click.argument("username")
def user_block(username: str) -> None:
    from .models import utcnow
    from .team.people import block_user

    def change(session):
        account = _find_user(session, username)
        if block_user(session, account, utcnow()):
            click.echo(f"Blocked {account.username}: they cannot log in; their attempts and results stay.")
        else:
            click.echo(f"{account.username} was blocked already.")
    _account_command(change)


@user.command("unblock", help="Let a blocked account log in again.")
@click.argument("username")
def user_unblock(username: str) -> None:
    from .team.people import unblock_user

    def change(session):
        account = _find_user(session, username)
        if unblock_user(account):
            click.echo(f"Unblocked {account.username}: they can log in again.")
        else:
            click.echo(f"{account.username} was not blocked.")
    _account_command(change)


@user.command("password", help="Give an account a new generated password and print it.")
@click.argument("username")
def user_password(username: str) -> None:
    from .team.people import generate_password

    def change(session):
        account = _find_user(session, username)
        password = generate_password()
        account.set_password(password)
        click.echo(f"New password for {account.username}: {password}")
    _account_command(change)


@main.group(help="xAPI: send queued statements to the Learning Record Store.")
def xapi() -> None:
    pass


@xapi.command("send", help="Send statements not yet sent (retries; run it from cron).")
@click.option("--batch", default=50, show_default=True, type=int)
def xapi_send(batch: int) -> None:
    from .extensions import db
    from .xapi.outbox import LrsConfig, send_pending

    url = settings.env("TRAINER_LRS_URL")
    if not url:
        click.echo("TRAINER_LRS_URL is not set: there is no Learning Record Store to send to.", err=True)
        sys.exit(2)
    config = LrsConfig(url, settings.value("TRAINER_LRS_USERNAME"), settings.value("TRAINER_LRS_PASSWORD"),
                       retries=int(settings.number("TRAINER_LRS_RETRIES")))
    app = _migrated_app()
    with app.app_context():
        report = send_pending(db.session, config, batch=batch)
    click.echo(f"sent {report.sent}, failed {report.failed} in {report.batches} batch(es)")
    for error in report.errors or []:
        click.echo(f"error: {error}", err=True)
    sys.exit(1 if report.failed else 0)


@xapi.command("queue", help="Queue the statements of attempts finished before the LRS was configured.")
def xapi_queue() -> None:
    from sqlalchemy import select

    from .extensions import db
    from .models import Attempt
    from .xapi.outbox import queue_attempt

    app = _migrated_app()
    added = 0
    with app.app_context():
        registry = app.extensions["trainer_registry"]
        for attempt in db.session.scalars(select(Attempt).where(Attempt.status == "finished").order_by(Attempt.id)):
            compiled = registry.played(attempt.version)
            if compiled is not None:
                added += queue_attempt(db.session, attempt, compiled, settings.value("TRAINER_BASE_URL"))
        db.session.commit()
    click.echo(f"queued {added} statement(s)")
