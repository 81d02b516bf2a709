"""Read YAML while remembering where every value came from.

Authors are methodologists, not programmers: every error must name the file and the
line. PyYAML's composed node tree carries positions, so we construct the data from it and
keep a map from each value's path (``("nodes", "start", "choices", 0)``) to its line.
Duplicate mapping keys, which YAML silently collapses, are reported here too because a
duplicated node id would otherwise vanish without a trace.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed data plus the line of every path in it (1-based)."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicates: list[tuple[Path, int, int]] = field(default_factory=list)

    def line_of(self, path: Path) -> int | None:
        """Line of ``path``, or of its closest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; carries the line for the report."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_located(text: str) -> Located:
    """Parse one YAML document, recording positions and duplicate keys."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(data=None)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        raise YamlSyntaxError(f"YAML syntax: {problem}", line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive, no mark available
        raise YamlSyntaxError(f"YAML syntax: {exc}", None) from None
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
