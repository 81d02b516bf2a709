"""Commands that set up and run a server: create or upgrade its database, fill it for a
local trial, rebuild its search index, and serve the app."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import settings
from . import database


@click.command(help="Create or upgrade the database and record the scenario versions.")
def init() -> None:
    from flask_migrate import upgrade

    from ..app import MIGRATIONS_DIR
    from ..attempts import ensure_version
    from ..extensions import db

    settings.instance_dir().mkdir(parents=True, exist_ok=True)
    app = database.app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        registry = app.extensions["trainer_registry"]
        for loaded in registry.current.values():
            ensure_version(db.session, loaded)
        from ..search.index import rebuild
        indexed = rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
        click.echo(f"Search index: {indexed} documents")
        click.echo(f"Database ready: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
        click.echo(f"Scenarios loaded: {len(registry.current)}")
        for broken in registry.library.broken:
            click.echo(f"Not loaded: {broken.path} ({len(broken.errors)} error(s); run `trainer validate {broken.path}`)", err=True)


@click.command(help="Create demo accounts, a demo cohort with history (password = user name). Local trial only.")
@click.option("--lang", type=click.Choice(["uk", "en"]), default=None,
              help="Language of the demo's names, notes and written answers, and the accounts' language. "
                   "Default: $TRAINER_DEFAULT_LOCALE, else uk.")
def demo(lang: str | None) -> None:
    from .. import demo as demo_data
    from ..extensions import db

    app = database.migrated_app()
    if lang is None:
        default = app.config["BABEL_DEFAULT_LOCALE"]
        lang = default if default in demo_data.LANGS else "uk"
    with app.app_context():
        seeded = demo_data.seed(db.session, app.extensions["trainer_registry"], app.config["BABEL_DEFAULT_TIMEZONE"],
                                lang)
        db.session.commit()
    click.echo("Demo logins (local trial only; the password equals the user name):")
    team = tuple((username, "trainee, with history") for username, _skill in demo_data.DEMO_TEAM)
    for username, role in demo_data.DEMO_USERS + team:
        click.echo(f"  {username:<16} {role}")
    if seeded:
        click.echo(f"Created the cohort {demo_data.TEXTS[lang].cohort!r} with two assignments and some played attempts.")


@click.command(help="Serve the app with gunicorn.")
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


@click.command(help="Rebuild the search index of manual pages and scenarios.")
def index() -> None:
    from ..extensions import db
    from ..search.index import rebuild

    app = database.migrated_app()
    with app.app_context():
        registry = app.extensions["trainer_registry"]
        count = rebuild(db.session, registry.manual, registry.current)
        db.session.commit()
    click.echo(f"Search index: {count} documents")
