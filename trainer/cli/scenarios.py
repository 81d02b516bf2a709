"""Commands for scenario authors and reviewers: check, play, score, describe and review
scenario files. They read the files only, never the database."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import settings
from ..content.toc import load_toc
from ..scenario.collector import collector_paused
from ..scenario.loader import Library, load_library
from ..scenario.quality import bar_problems
from ..scenario.yamlsource import two_processes


def read_library(paths: tuple[Path, ...] = ()) -> Library:
    """The scenario files (``paths``, else the whole scenarios folder), loaded against the manual's contents."""
    toc = load_toc(settings.content_dir())
    return load_library(settings.scenario_dir(), toc, list(paths) or None)


@click.command(help="Check scenario files and print paths and score bounds.")
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
    library = read_library(paths)
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
    from ..scenario.engine import CompiledScenario

    library = read_library()
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


@click.command(help="Play a scenario in the terminal.")
@click.argument("scenario_id")
@click.option("--choices", help="Comma-separated choice ids to play without asking.")
@click.option("--json", "as_json", is_flag=True, help="Print the path, scores and ending as JSON.")
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
def play(scenario_id: str, choices: str | None, as_json: bool, lang: str) -> None:
    from ..scenario.engine import PlayError
    from ..terminal import play_interactive, play_scripted

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


@click.command(help="Score a written answer against a free-text node's rubric; print JSON.")
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


@click.command(help="Write the JSON Schema of scenario files.")
@click.option("--output", type=click.Path(path_type=Path), help="File to write (default: print).")
def schema(output: Path | None) -> None:
    from ..scenario.model import json_schema

    _write_or_print(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", output)


@click.command(help="Write a Markdown review of a scenario for legal and methodology reviewers.")
@click.argument("scenario_id")
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="File to write (default: print).")
def review(scenario_id: str, lang: str, output: Path | None) -> None:
    from ..scenario.review import review_markdown

    library = read_library()
    loaded = library.scenarios.get(scenario_id)
    if loaded is None:
        raise click.UsageError(f"no playable scenario {scenario_id!r}; run `trainer validate` to see why")
    _write_or_print(review_markdown(loaded, library.toc, lang), output)
