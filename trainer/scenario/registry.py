"""The scenario library as the running app sees it.

Scenario files and the manual's pages are read once at start-up. The registry notes
when, and each file's modification time and size then, so the library page can tell
whether the scenarios folder or the manual has changed since (it lists the folders
again; nothing else is remembered). Attempts are pinned to a content hash, and an
attempt started on an older version is replayed from the source stored with it, so a
compiled machine is kept per hash (a bounded cache of immutable objects; nothing about
any attempt is kept in the process).
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..content.manual import Manual, load_manual
from ..content.toc import LANGUAGES, Toc
from .engine import CompiledScenario
from .loader import Library, LoadedScenario, load_library, load_scenario_text

CACHE_SIZE = 64


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Each YAML file directly in ``folder`` (as the loader finds them) with its
    modification time and size: a directory listing, no file is opened."""
    state: dict[str, tuple[int, int]] = {}
    _note_files(folder, ".yaml", state)
    return state


def manual_state(content_dir: Path) -> dict[str, tuple[int, int]]:
    """Each Markdown file in the manual's language folders, subfolders included (an
    imported export has them), named from ``content_dir`` (``uk/5.2.md``), with its
    modification time and size: directory listings, no file is opened."""
    state: dict[str, tuple[int, int]] = {}
    for lang in LANGUAGES:
        _note_files(content_dir / lang, ".md", state, prefix=f"{lang}/", deep=True)
    return state


def _note_files(folder: Path, suffix: str, state: dict[str, tuple[int, int]], prefix: str = "",
                deep: bool = False) -> None:
    """Add the files named ``*suffix`` in ``folder`` (and, if ``deep``, in its subfolders,
    but not hidden ones such as ``.git``) to ``state``, each named ``prefix`` + its path
    from ``folder``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if deep and not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                _note_files(Path(entry.path), suffix, state, f"{prefix}{entry.name}/", deep)
            elif entry.name.endswith(suffix) and entry.is_file():
                stat = entry.stat()
                state[prefix + entry.name] = (stat.st_mtime_ns, stat.st_size)
        except OSError:  # removed while being listed
            continue


@dataclass(frozen=True)
class FolderChanges:
    """File names added, removed and changed in a folder since it was loaded."""

    added: list[str]
    removed: list[str]
    changed: list[str]

    @classmethod
    def between(cls, before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]) -> FolderChanges:
        """The difference between two listings of ``folder_state`` or ``manual_state``."""
        return cls(added=sorted(now.keys() - before.keys()), removed=sorted(before.keys() - now.keys()),
                   changed=sorted(n for n in now.keys() & before.keys() if now[n] != before[n]))

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


class Registry:
    def __init__(self, scenario_dir: Path, content_dir: Path, cache_dir: Path | None = None):
        """Load the manual and the scenarios; ``cache_dir`` keeps each file's load result
        between starts (loadcache.py)."""
        # Before reading the files: a file changed while they load counts as changed since.
        self.scenario_dir = scenario_dir
        self.content_dir = content_dir
        self.files_at_load = folder_state(scenario_dir)
        self.manual_files_at_load = manual_state(content_dir)
        self.loaded_at: datetime = datetime.now(timezone.utc).replace(tzinfo=None)  # naive UTC, as stored times
        self.manual: Manual = load_manual(content_dir)
        self.toc: Toc = self.manual.toc
        self.library: Library = load_library(scenario_dir, self.toc, cache_dir=cache_dir)
        self._compiled: OrderedDict[str, CompiledScenario] = OrderedDict()
        self._lock = threading.Lock()
        for loaded in self.library.scenarios.values():
            self._remember(CompiledScenario(loaded))
        # The coverage page asks this for every section × every scenario.
        self._cited = {sid: loaded.scenario.cited_sections() for sid, loaded in self.current.items()}

    def practice_for(self, number: str) -> list[tuple[LoadedScenario, bool]]:
        """Scenarios that cite a section: (scenario, trains it) with trainers first."""
        found = [(loaded, number in loaded.scenario.manual) for sid, loaded in self.current.items()
                 if number in self._cited[sid]]
        return sorted(found, key=lambda pair: not pair[1])

    def practice_below(self, number: str) -> list[tuple[LoadedScenario, list[str]]]:
        """Scenarios that train a subsection of ``number`` (at any depth), each with the
        subsections it trains in manual order, ordered by the first of them (then by file
        name), so each subsection's scenarios stand together. A chapter's overview is rarely
        trained itself, but its reader wants to know what practises it."""
        prefix = number + "."
        order = self.toc.position
        found = []
        for loaded in self.current.values():
            below = sorted({n for n in loaded.scenario.manual if n.startswith(prefix)},
                           key=lambda n: order.get(n, len(order)))
            if below:
                found.append((loaded, below))
        return sorted(found, key=lambda pair: order.get(pair[1][0], len(order)))

    def changes_since_load(self) -> FolderChanges:
        """How the scenarios folder differs now from when this process loaded it."""
        return FolderChanges.between(self.files_at_load, folder_state(self.scenario_dir))

    def manual_changes_since_load(self) -> FolderChanges:
        """How the manual's Markdown files differ now from when this process loaded them."""
        return FolderChanges.between(self.manual_files_at_load, manual_state(self.content_dir))

    @property
    def current(self) -> dict[str, LoadedScenario]:
        """Playable scenarios from the files, by id."""
        return self.library.scenarios

    def latest(self, scenario_id: str) -> CompiledScenario | None:
        loaded = self.current.get(scenario_id)
        return self.get(loaded.content_hash, loaded.source) if loaded else None

    def played(self, version) -> CompiledScenario | None:
        """The compiled scenario an attempt was played on (a stored version: hash and source).

        The source, the whole file, is read only when that version is not compiled yet.
        """
        return self.played_hash(version.content_hash, lambda: version.source)

    def played_hash(self, content_hash: str, read_source: Callable[[], str | None]) -> CompiledScenario | None:
        """As ``played``, for a caller that has the version's hash but not the version:
        ``read_source`` is called only when that version is not compiled yet."""
        return self.get(content_hash) or self.get(content_hash, read_source())

    def get(self, content_hash: str, source: str | None = None) -> CompiledScenario | None:
        """The compiled scenario for ``content_hash``, compiling ``source`` if needed."""
        with self._lock:
            found = self._compiled.get(content_hash)
            if found is not None:
                self._compiled.move_to_end(content_hash)
                return found
        if source is None:
            return None
        loaded = load_scenario_text(source, f"stored version {content_hash[:12]}", self.library.framework, self.toc)
        if not loaded.ok:
            return None
        compiled = CompiledScenario(loaded)
        self._remember(compiled)
        return compiled

    def _remember(self, compiled: CompiledScenario) -> None:
        with self._lock:
            self._compiled[compiled.content_hash] = compiled
            while len(self._compiled) > CACHE_SIZE:
                self._compiled.popitem(last=False)
