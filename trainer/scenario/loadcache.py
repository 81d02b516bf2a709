"""Each scenario file's load result kept on disk, so a restart skips the parse and the search.

Loading a file (parse, checks, graph analysis) is a pure function of four things: the
file's text and path, the competency framework, the manual's section numbers, and the
loader's own code. An entry's key hashes all four (the code as the bytes of this package's
modules, plus the versions of Python, pydantic and PyYAML that it runs on), so editing any of
them makes a miss, never a stale hit, and nobody has to remember to bump a version.

The folder holds derived data, not state: deleting it costs one slow start. Entries are
written to a temporary file and renamed into place, so app servers that start together
never read half an entry; one that cannot be read for any reason is a miss and is written
again. The entries are pickles, read only from the instance folder the app itself writes,
which is as trusted as the code beside it.
"""
from __future__ import annotations

import glob
import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path

import pydantic
import yaml

from ..content.toc import Toc
from .collector import collector_paused
from .model import CompetencyFramework

log = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parent
_ENTRY = re.compile(r"-[0-9a-f]{32}\.pickle$")


def _code_digest() -> str:
    """The loader's code: every module of this package, as bytes on disk."""
    digest = hashlib.sha256(f"{sys.version_info[:2]} pydantic {pydantic.VERSION} yaml {yaml.__version__}".encode())
    for module in sorted(_PACKAGE.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


class LoadCache:
    """The cache folder for one library load: the framework and the manual's sections are
    fixed for it, so they are hashed once, with the code, into the context of every key."""

    def __init__(self, folder: Path, framework: CompetencyFramework | None, toc: Toc):
        self.folder = folder
        context = hashlib.sha256(_code_digest().encode())
        context.update(framework.model_dump_json().encode() if framework else b"no framework")
        context.update("\n".join(sorted(toc.by_number)).encode())
        self._context = context.hexdigest()
        self._warned = False

    def _key(self, path: str, source_hash: str) -> str:
        return hashlib.sha256(f"{self._context}\n{path}\n{source_hash}".encode()).hexdigest()

    def _entry(self, path: str, key: str) -> Path:
        return self.folder / f"{Path(path).stem}-{key[:32]}.pickle"

    def get(self, path: str, source_hash: str):
        """The stored load result of this file's text, or None."""
        key = self._key(path, source_hash)
        try:
            data = self._entry(path, key).read_bytes()
        except OSError:
            return None
        try:
            with collector_paused():
                stored_key, loaded = pickle.loads(data)
        except Exception:  # noqa: BLE001  (a truncated or foreign entry is only a miss)
            log.info("scenario cache entry for %s is unreadable; loading the file instead", path)
            return None
        return loaded if stored_key == key else None

    def put(self, path: str, source_hash: str, loaded) -> None:
        """Store ``loaded`` and remove this file's older entries; a folder that cannot be
        written only costs the next start its speed, so it is reported once and skipped."""
        key = self._key(path, source_hash)
        entry = self._entry(path, key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump((key, loaded), out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, entry)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self._drop_older(path, entry)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            if not self._warned:
                log.warning("cannot keep scenario load results in %s (%s): every start loads the files in full",
                            self.folder, exc)
                self._warned = True

    def _drop_older(self, path: str, kept: Path) -> None:
        """Remove entries of the same file for earlier texts, code or manual."""
        stem = Path(path).stem
        # The pattern alone would also match "a-b.yaml"'s entries when cleaning "a.yaml".
        for old in self.folder.glob(f"{glob.escape(stem)}-*.pickle"):
            if old != kept and _ENTRY.fullmatch(old.name[len(stem):]):
                old.unlink(missing_ok=True)
