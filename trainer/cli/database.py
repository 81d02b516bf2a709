"""The app for a command, and the check that its database is set up before one that
reads or writes tables runs."""
from __future__ import annotations

from pathlib import Path

import click

from .. import settings


def app():
    from ..app import create_app
    return create_app()


def migrated_app():
    """The app, for a command that reads or writes tables: only once the database is set up."""
    check_database()
    return app()


def check_database() -> None:
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

    from ..app import MIGRATIONS_DIR

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
