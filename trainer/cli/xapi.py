"""The ``trainer xapi`` commands: send queued xAPI statements to the Learning Record Store
(from cron), and queue those of attempts finished before it was configured."""
from __future__ import annotations

import sys

import click

from .. import settings
from . import database


@click.group(help="xAPI: send queued statements to the Learning Record Store.")
def xapi() -> None:
    pass


@xapi.command("send", help="Send statements not yet sent (retries; run it from cron).")
@click.option("--batch", default=50, show_default=True, type=int)
def xapi_send(batch: int) -> None:
    from ..extensions import db
    from ..xapi.outbox import LrsConfig, send_pending

    url = settings.env("TRAINER_LRS_URL")
    if not url:
        click.echo("TRAINER_LRS_URL is not set: there is no Learning Record Store to send to.", err=True)
        sys.exit(2)
    config = LrsConfig(url, settings.value("TRAINER_LRS_USERNAME"), settings.value("TRAINER_LRS_PASSWORD"),
                       retries=int(settings.number("TRAINER_LRS_RETRIES")))
    app = database.migrated_app()
    with app.app_context():
        report = send_pending(db.session, config, batch=batch)
    click.echo(f"sent {report.sent}, failed {report.failed} in {report.batches} batch(es)")
    for error in report.errors or []:
        click.echo(f"error: {error}", err=True)
    sys.exit(1 if report.failed else 0)


@xapi.command("queue", help="Queue the statements of attempts finished before the LRS was configured.")
def xapi_queue() -> None:
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Attempt
    from ..xapi.outbox import queue_attempt

    app = database.migrated_app()
    added = 0
    with app.app_context():
        registry = app.extensions["trainer_registry"]
        for attempt in db.session.scalars(select(Attempt).where(Attempt.status == "finished").order_by(Attempt.id)):
            compiled = registry.played(attempt.version)
            if compiled is not None:
                added += queue_attempt(db.session, attempt, compiled, settings.value("TRAINER_BASE_URL"))
        db.session.commit()
    click.echo(f"queued {added} statement(s)")
