"""Load scenario files: parse, validate, analyse, and report problems per file.

A broken file never stops the others: ``load_library`` returns every file's result, and
callers (the app, the CLI, the admin page) offer only the scenarios without errors.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..content.toc import Toc
from .analysis import Analysis, analyse
from .checks import check_scenario
from .collector import collector_paused
from .diagnostics import Diagnostic, Reporter
from .loadcache import LoadCache
from .model import CompetencyFramework, Scenario
from .yamlsource import Located, YamlSyntaxError, load_located

FRAMEWORK_FILE = "competencies.yaml"


@dataclass
class LoadedScenario:
    """One file's outcome: the scenario when it is usable, and every diagnostic."""

    path: str
    content_hash: str
    source: str
    scenario: Scenario | None
    diagnostics: list[Diagnostic]
    guards: dict = field(default_factory=dict)
    analysis: Analysis | None = None

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not any(d.severity == "error" for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


@dataclass
class Library:
    framework: CompetencyFramework | None
    toc: Toc
    files: list[LoadedScenario]
    framework_diagnostics: list[Diagnostic] = field(default_factory=list)
    folder: str = ""  # the scenarios folder the files were loaded from

    @property
    def scenarios(self) -> dict[str, LoadedScenario]:
        """Usable scenarios by id, in file-name order."""
        return {f.scenario.id: f for f in self.files if f.ok}  # type: ignore[union-attr]

    @property
    def broken(self) -> list[LoadedScenario]:
        return [f for f in self.files if not f.ok]


def content_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _pydantic_problems(exc: ValidationError, located: Located, report: Reporter) -> None:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        where = ".".join(str(p) for p in loc) or "the file"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}: check its spelling or remove it"
            if error.get("input") is None or " " in str(loc[-1]):
                message = (f"a text was split at a comma (the part {loc[-1]!r} became a field): "
                           "put the whole text in double quotes")
            where = ".".join(str(p) for p in loc[:-1]) or "top level"
        elif error["type"] == "string_type" and isinstance(error.get("input"), bool):
            message = ("YAML reads yes/no/on/off/true/false as a yes-or-no value, not text: "
                       "put the text in double quotes")
        elif error["type"] == "missing":
            message = f"missing field {loc[-1]!r}: add it"
            where = ".".join(str(p) for p in loc[:-1]) or "top level"
        report.add("SC001", loc, f"{where}: {message}")


def _parse(source: str, report: Reporter, model):
    try:
        located = load_located(source)
    except YamlSyntaxError as exc:
        report.add("SC001", None, f"{exc}: fix the indentation or quoting near this line", line=exc.line)
        return None, None
    except RecursionError:
        # Only a hostile or broken file gets here: thousands of nested brackets, or an
        # alias that contains itself (&a [*a]). No scenario needs either.
        report.add("SC001", None, "the YAML nests too deeply or an alias (*name) refers to itself: "
                   "write the structure out plainly", line=1)
        return None, None
    report._line_of = located.line_of
    for path, first, again in located.duplicates:
        report.add("SC006", None, f"{'.'.join(map(str, path))} appears twice (also at line {first}): ids must be unique", line=again)
    if not isinstance(located.data, dict):
        report.add("SC001", None, "the file must be a YAML mapping (key: value lines)", line=1)
        return None, located
    try:
        return model.model_validate(located.data), located
    except ValidationError as exc:
        _pydantic_problems(exc, located, report)
        return None, located


def load_framework(path: Path, toc: Toc) -> tuple[CompetencyFramework | None, list[Diagnostic]]:
    """Load and check the competency framework file."""
    report = Reporter(str(path))
    if not path.is_file():
        report.add("SC001", None, f"the competency framework is missing: create {path.name}")
        return None, report.items
    framework, _ = _parse(path.read_text(encoding="utf-8"), report, CompetencyFramework)
    if framework is not None:
        for comp_id, comp in framework.competencies.items():
            for i, ref in enumerate(comp.manual):
                if ref not in toc:
                    report.add("SC008", ("competencies", comp_id, "manual", i), f"manual section {ref!r} is not in the table of contents")
            for lang_path, text in (("title", comp.title), ("description", comp.description)):
                if not (text.en or "").strip():
                    report.add("SC011", ("competencies", comp_id, lang_path), f"add the English {lang_path} of {comp_id!r}")
    return (framework if not report.has_errors else None), report.items


def load_scenario_text(
    source: str, path: str, framework: CompetencyFramework | None, toc: Toc, file_stem: str | None = None,
    digest: str | None = None,
) -> LoadedScenario:
    """Parse, check and analyse one scenario's text (``digest``: its content hash, when the
    caller has it already)."""
    # The parse tree is freed when _load returns, before the collector is back on, so
    # its first pass does not walk the tree as well.
    with collector_paused():
        loaded = _load(source, path, framework, toc, file_stem, digest or content_hash(source))
    return loaded


def _load(source: str, path: str, framework: CompetencyFramework | None, toc: Toc, file_stem: str | None,
          digest: str) -> LoadedScenario:
    report = Reporter(path)
    scenario, _located = _parse(source, report, Scenario)
    if scenario is None:
        return LoadedScenario(path, digest, source, None, report.items)
    known = framework.competencies if framework else {}
    guards = check_scenario(scenario, report, known, toc, file_stem=file_stem)
    analysis = None
    if not any(d.code in {"SC001", "SC002", "SC017"} for d in report.items):
        analysis = analyse(scenario, guards, report)
    return LoadedScenario(path, digest, source, scenario, report.items, guards, analysis)


def load_scenario_file(path: Path, framework: CompetencyFramework | None, toc: Toc,
                       cache: LoadCache | None = None) -> LoadedScenario:
    """Load one file; with a ``cache``, an unchanged file's earlier result is reused."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report = Reporter(str(path))
        report.add("SC001", None, f"cannot read the file ({exc}): save it as UTF-8 text")
        return LoadedScenario(str(path), "", "", None, report.items)
    if cache is None:
        return load_scenario_text(source, str(path), framework, toc, file_stem=path.stem)
    digest = content_hash(source)
    loaded = cache.get(str(path), digest)
    if loaded is None:
        loaded = load_scenario_text(source, str(path), framework, toc, file_stem=path.stem, digest=digest)
        cache.put(str(path), digest, loaded)
    return loaded


def scenario_files(paths: list[Path]) -> list[Path]:
    """Scenario files among ``paths`` (directories are searched), framework excluded."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(q for q in p.glob("*.yaml") if q.name != FRAMEWORK_FILE))
        elif p.name != FRAMEWORK_FILE:
            found.append(p)
    return found


def load_library(scenario_dir: Path, toc: Toc, paths: list[Path] | None = None,
                 cache_dir: Path | None = None) -> Library:
    """Load the framework and every scenario file; never raises for a bad file.

    With ``cache_dir``, each file's result is kept there and reused while the file, the
    framework, the manual's sections and the loader's code are unchanged (loadcache.py).
    """
    framework, framework_diags = load_framework(scenario_dir / FRAMEWORK_FILE, toc)
    cache = LoadCache(cache_dir, framework, toc) if cache_dir is not None else None
    files = [load_scenario_file(p, framework, toc, cache) for p in scenario_files(paths or [scenario_dir])]
    seen: dict[str, LoadedScenario] = {}
    for loaded in files:
        if loaded.scenario is None:
            continue
        other = seen.get(loaded.scenario.id)
        if other is not None:
            loaded.diagnostics.append(Diagnostic("SC006", loaded.path, 1, f"scenario id {loaded.scenario.id!r} is already used by {other.path}: ids must be unique"))
        else:
            seen[loaded.scenario.id] = loaded
    return Library(framework, toc, files, framework_diags, str(scenario_dir))
