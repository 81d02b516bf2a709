"""The ``trainer`` command: set up, serve, validate, play and review scenarios.

The same click group is registered with the Flask CLI (``flask trainer …``). Commands
that touch the database create the app themselves (``database``); the others use only
the domain. Each module here holds the commands of one kind of work.
"""
from __future__ import annotations

import click

from . import content, scenarios, server, users, xapi


@click.group(help="Frontline Trainer: practise the hard moments of front-desk work.")
def main() -> None:
    pass


for command in (scenarios.validate, server.init, server.demo, server.serve, scenarios.play, scenarios.rubric,
                scenarios.schema, scenarios.review, server.index, content.content, users.user, xapi.xapi):
    main.add_command(command)
