"""The ``trainer content`` commands: the manual's pages, replaced from a GitBook export
after a check that changes nothing."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import settings
from .scenarios import read_library


@click.group(help="Manage the manual's pages.")
def content() -> None:
    pass


@content.command("import", help="Replace the manual pages with a GitBook export (checked first).")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
@click.option("--check", "check_only", is_flag=True, help="Only check; change nothing.")
def content_import(source: Path, lang: str, check_only: bool) -> None:
    from ..content.importer import check_export, import_export
    from ..uploads import megabytes

    library = read_library()
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
