"""Parse a very big scenario file in two processes (``trainer validate`` asks for it).

A 10,000-node file spends most of its validation in PyYAML's composer, which builds a
Python object for each of its ~700,000 YAML nodes and holds the interpreter while it
does. The ``nodes:`` block is a mapping of independent entries, so the text can be cut
at an entry into two complete documents that both start with everything above ``nodes:``:

    first:   text[:cut]                      the head, ``nodes:`` and the first entries
    second:  text[:body] + text[cut:]        the head again, ``nodes:``, the other entries
                                             and whatever follows the block

A forked process parses the second while this one parses the first. The answer must be
exactly what parsing the whole text gives, so anything the cut cannot vouch for makes
``load_split`` return None and the caller parses the whole text as before: no single
top-level ``nodes:`` block, an anchor (``&``) in the first entries, YAML that ``yamltree``
leaves to PyYAML, a repeated key, a key in both parts, a count of entries that does not
match the lines that looked like entries (the cut fell inside a multi-line value), a
syntax error, another thread in this process, or the forked process failing.

Lines in the first document are the file's own; a line in the second is shifted by the
entries left out of it. The second document's node tree stays in the other process, so
it is parsed again here only if a diagnostic needs one of its lines.
"""
from __future__ import annotations

import bisect
import os
import pickle
import re
import threading
from collections.abc import Callable
from typing import Any

# Smaller files parse in well under a second, and a process costs more than it saves
# there; the real scenarios are 40–120 kB.
SPLIT_FROM_CHARS = 1_000_000

_NODES_KEY = re.compile(r"^nodes:[ \t]*(?:#[^\n]*)?\n", re.M)
_TOP_LEVEL_LINE = re.compile(r"^[^\s#]", re.M)  # a key, ``---`` or ``...`` at column 0
_FIRST_ENTRY = re.compile(r"^( +)([^ #\n])", re.M)


def split_point(text: str) -> tuple[int, int, int] | None:
    """Where ``nodes:``'s entries start, where to cut, and how many entries there are."""
    found = list(_NODES_KEY.finditer(text))
    if len(found) != 1:
        return None
    body = found[0].end()
    after = _TOP_LEVEL_LINE.search(text, body)
    end = after.start() if after else len(text)
    first = _FIRST_ENTRY.search(text, body, end)
    if first is None or first.group(2) == "-":
        return None
    entry = re.compile(rf"^ {{{len(first.group(1))}}}(?=[^ #\n])", re.M)
    starts = [m.start() for m in entry.finditer(text, body, end)]
    if len(starts) < 2:
        return None
    # The entry that halves the block's text.
    at = min(max(bisect.bisect_left(starts, (body + end) // 2), 1), len(starts) - 1)
    return body, starts[at], len(starts)


def load_split(text: str, parse: Callable[[str], Any], *, min_chars: int | None = None) -> Any | None:
    """``parse(text)``'s ``Located``, from two processes; None when the text is not split.

    ``parse`` parses one whole text in this process (``yamlsource``'s): it must answer a
    ``Located`` whose ``tree`` is set when its fast path built the data.
    """
    if len(text) < (SPLIT_FROM_CHARS if min_chars is None else min_chars):
        return None
    if not hasattr(os, "fork") or other_threads():
        return None
    point = split_point(text)
    if point is None:
        return None
    body, cut, entries = point
    if "&" in text[body:cut]:
        # An anchor in the first entries could be what an alias in the second part means.
        return None
    second_text = text[:body] + text[cut:]
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked process; its answer is what the tests check
        os.close(reading)
        _answer(second_text, parse, writing)
    os.close(writing)
    try:
        first = _parse_alone(text[:cut], parse)
        with os.fdopen(reading, "rb") as pipe:
            reading = -1
            second = pickle.load(pipe)
    except (EOFError, pickle.UnpicklingError):
        return None
    finally:
        if reading != -1:
            os.close(reading)  # a forked process still writing gets a broken pipe and stops
        os.waitpid(pid, 0)
    if first is None or second is None:
        return None
    data = _merge(first.data, second, entries)
    if data is None:
        return None
    tail = set(second).difference(first.data)  # the keys after the ``nodes:`` block
    first.data = data
    first.tree = SplitLines(first.tree, lambda: parse(second_text).tree, set(second["nodes"]), tail,
                            head_lines=text.count("\n", 0, body), shift=text.count("\n", body, cut))
    return first


def other_threads() -> bool:
    """Whether this process runs other threads: a fork copies their locks in whatever state
    they are, so with other threads about, the text is not split."""
    return threading.active_count() > 1


def _parse_alone(text: str, parse: Callable[[str], Any]) -> Any | None:
    """``parse(text)`` if its fast path built plain data with no repeated key, else None."""
    try:
        located = parse(text)
    except Exception:  # noqa: BLE001 - the whole text is parsed again, and words its own error
        return None
    if located.tree is None or located.duplicates or not isinstance(located.data, dict):
        return None
    if not isinstance(located.data.get("nodes"), dict):
        return None
    return located


def _answer(text: str, parse: Callable[[str], Any], fd: int) -> None:  # pragma: no cover - forked process
    try:
        located = _parse_alone(text, parse)
        with os.fdopen(fd, "wb") as pipe:
            pickle.dump(located.data if located is not None else None, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        # Leave without the parent's clean-up (atexit handlers, buffered output, a test run).
        os._exit(0)


def _merge(first: dict, second: dict, entries: int) -> dict | None:
    """The whole file's data from its two parts, or None when they do not fit together.

    Both parts hold the same head, read from the same text; the second also holds the
    keys after the block, in the file's order.
    """
    nodes_first, nodes_second = first["nodes"], second["nodes"]
    if len(nodes_first) + len(nodes_second) != entries or not nodes_first.keys().isdisjoint(nodes_second):
        return None  # a cut inside an entry, or a node on both sides
    return {**second, "nodes": {**nodes_first, **nodes_second}}


class SplitLines:
    """``TreeLines.get`` over the two parts: the first part's tree, the second's when asked."""

    def __init__(self, first, second: Callable[[], Any], second_nodes: set, tail: set, head_lines: int, shift: int):
        self.first = first
        self._second = second
        self._tree = None
        self.second_nodes = second_nodes
        self.tail = tail
        self.head_lines = head_lines  # lines up to and including ``nodes:``, the same in both
        self.shift = shift  # lines of the entries the second document leaves out

    def get(self, path: tuple) -> int | None:
        in_second = bool(path) and (path[0] in self.tail or (
            path[0] == "nodes" and len(path) > 1 and path[1] in self.second_nodes))
        if not in_second:
            return self.first.get(path)
        if self._tree is None:
            self._tree = self._second()
        line = self._tree.get(path)
        return line + self.shift if line is not None and line > self.head_lines else line
