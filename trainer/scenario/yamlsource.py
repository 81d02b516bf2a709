"""Read YAML while remembering where every value came from.

Authors are methodologists, not programmers: every error must name the file and the
line. PyYAML's composed node tree carries positions, so we construct the data from it and
can tell the line of each value's path (``("nodes", "start", "choices", 0)``).
Duplicate mapping keys, which YAML silently collapses, are reported here too because a
duplicated node id would otherwise vanish without a trace.

``load_located`` is the fast path used everywhere: it builds the data with ``yamltree``
and finds lines only when asked. ``load_located_exact`` is the reference it must agree
with (PyYAML's constructor and a line map of every value); the fast path falls back to it
for YAML that ``yamltree`` does not build itself.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from . import yamlsplit
from .collector import collector_paused
from .yamltree import TreeLines, build, duplicates

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed data, its repeated keys, and the line (1-based) of any path in it.

    The exact path fills ``lines`` up front; the fast path sets ``tree`` instead, which
    finds a line in the node tree when one is asked for.
    """

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicates: list[tuple[Path, int, int]] = field(default_factory=list)
    tree: TreeLines | yamlsplit.SplitLines | None = None

    def line_of(self, path: Path) -> int | None:
        """Line of ``path``, or of its closest ancestor that has one."""
        path = tuple(path)
        lookup = self.tree.get if self.tree is not None else self.lines.get
        while path:
            line = lookup(path)
            if line is not None:
                return line
            path = path[:-1]
        return lookup(())


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; carries the line for the report."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _MemoLoader(_Loader):  # type: ignore[misc, valid-type]
    """The safe loader, resolving each distinct scalar text to its type only once."""

    def __init__(self, text: str):
        super().__init__(text)
        # The safe resolver has no path rules, so its answer depends only on the
        # arguments; a big file repeats a few texts (ids aside) hundreds of thousands of times.
        self.resolve = lru_cache(maxsize=None)(self.resolve)
        # The composer calls these two around every node; without path rules they do
        # nothing, so plain no-ops spare ~10^6 method calls on a big file.
        if not self.yaml_path_resolvers:
            self.descend_resolver = _no_path_rules
            self.ascend_resolver = _no_path_rules

    def dispose(self) -> None:
        super().dispose()
        del self.resolve  # the cache refers back to the loader


def _no_path_rules(*_node_and_index: object) -> None:
    """The safe resolver's descend/ascend hooks, which path rules would need."""


def _syntax_error(exc: yaml.YAMLError) -> YamlSyntaxError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return YamlSyntaxError(f"YAML syntax: {exc.problem or str(exc)}", line)
    return YamlSyntaxError(f"YAML syntax: {exc}", None)  # pragma: no cover - no mark available


# Set by ``two_processes()``: a very big text may be parsed in two processes (yamlsplit).
_TWO_PROCESSES: ContextVar[bool] = ContextVar("two_processes", default=False)


@contextmanager
def two_processes() -> Iterator[None]:
    """Let ``load_located`` parse a very big text in two processes (for ``trainer validate``).

    Only a command-line run asks for this: a forked process has no place in a web server's
    worker, and the app's scenarios are far below the size where it pays.
    """
    token = _TWO_PROCESSES.set(True)
    try:
        yield
    finally:
        _TWO_PROCESSES.reset(token)


def load_located(text: str) -> Located:
    """Parse one YAML document, recording duplicate keys; lines are found on demand."""
    if _TWO_PROCESSES.get():
        located = yamlsplit.load_split(text, _load_whole)
        if located is not None:
            return located
    return _load_whole(text)


def _load_whole(text: str) -> Located:
    with collector_paused():
        loader = _MemoLoader(text)
        try:
            try:
                node = loader.get_single_node()
            except yaml.YAMLError as exc:
                raise _syntax_error(exc) from None
            if node is None:
                return Located(data=None)
            try:
                data, repeated = build(node, loader)
            except Exception:  # noqa: BLE001 - Unusual YAML, or an error PyYAML must word
                return load_located_exact(text)
        finally:
            loader.dispose()
        return Located(data=data, duplicates=duplicates(node) if repeated else [], tree=TreeLines(node))


def load_located_exact(text: str) -> Located:
    """Parse one YAML document with PyYAML's constructor, recording every line up front."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(data=None)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc) from None
    finally:
        loader.dispose()
    located = Located(data=data)
    _walk(node, (), located)
    return located


def _walk(node: yaml.Node, path: Path, out: Located) -> None:
    out.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                out.duplicates.append((path + (key,), seen[key], line))
            else:
                seen[key] = line
            # The key's line is where an author looks for the entry, so prefer it.
            _walk(value_node, path + (key,), out)
            out.lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), out)
