"""Data, duplicate keys and lines straight from PyYAML's composed node tree, fast.

PyYAML's own constructor is general (anchors, merge keys, sets, custom tags) and pays for
that on every value; a 10,000-node scenario has ~700,000 YAML nodes. Scenario files use a
small part of YAML: mappings with plain keys, lists, text, numbers, yes/no and null.
``build`` constructs exactly that part in one pass and raises ``Unusual`` on anything else,
so the caller can fall back to PyYAML's constructor and keep its results and its errors.

Lines are looked up in the tree only when a diagnostic needs one (``TreeLines``), instead
of recording the line of every value up front.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Scalar tags whose SafeConstructor result depends only on the text and is immutable.
_PLAIN_SCALARS = frozenset({
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
})


class Unusual(Exception):
    """The tree uses YAML this builder leaves to PyYAML's constructor."""


def build(root: yaml.Node, constructor: yaml.constructor.SafeConstructor) -> tuple[Any, bool]:
    """Construct what ``SafeConstructor`` would; also say whether a mapping repeats a key.

    ``constructor`` supplies the scalar conversions (ints, yes/no, null, floats) so they
    stay exactly PyYAML's; its state is never touched.
    """
    converters = constructor.yaml_constructors
    scalars: dict[tuple[str, str], Any] = {}
    # Anchored nodes appear more than once in the tree; like PyYAML, build them once.
    built: dict[int, Any] = {}
    repeated = False

    def scalar(node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _PLAIN_SCALARS:
            raise Unusual(tag)
        key = (tag, node.value)
        if key not in scalars:
            scalars[key] = converters[tag](constructor, node)
        return scalars[key]

    def collection(node: yaml.Node) -> Any:
        nonlocal repeated
        if id(node) in built:
            if built[id(node)] is None:  # still being built: an alias inside itself
                raise Unusual("recursive alias")
            return built[id(node)]
        built[id(node)] = None
        kind = type(node)
        if kind is MappingNode and node.tag == _MAP:
            out: Any = {}
            for key_node, value_node in node.value:
                # Only plain text keys: their text is the key, as in the line map.
                if type(key_node) is not ScalarNode or key_node.tag != _STR:
                    raise Unusual("non-text key")
                if type(value_node) is ScalarNode:
                    out[key_node.value] = value_node.value if value_node.tag == _STR else scalar(value_node)
                else:
                    out[key_node.value] = collection(value_node)
            if len(out) != len(node.value):
                repeated = True
        elif kind is SequenceNode and node.tag == _SEQ:
            out = [item.value if type(item) is ScalarNode and item.tag == _STR
                   else scalar(item) if type(item) is ScalarNode else collection(item)
                   for item in node.value]
        else:
            raise Unusual(node.tag)
        built[id(node)] = out
        return out

    data = scalar(root) if type(root) is ScalarNode else collection(root)
    return data, repeated


def duplicates(node: yaml.Node, path: tuple = ()) -> list[tuple[tuple, int, int]]:
    """Repeated mapping keys as (path, first line, repeated line), in document order."""
    found: list[tuple[tuple, int, int]] = []
    if isinstance(node, MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                found.append((path + (key,), seen[key], line))
            else:
                seen[key] = line
            found.extend(duplicates(value_node, path + (key,)))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(duplicates(item, path + (index,)))
    return found


class TreeLines:
    """Line of a data path, found in the node tree when asked.

    Answers exactly what a map filled by a document-order walk would hold: a mapping
    entry's line is its key's, an item's is where it starts, and when a key repeats the
    later entry wins.
    """

    def __init__(self, root: yaml.Node):
        self.root = root
        self._entries: dict[int, dict[Any, list[tuple[yaml.Node, yaml.Node]]]] = {}

    def _by_key(self, node: MappingNode) -> dict[Any, list[tuple[yaml.Node, yaml.Node]]]:
        entries = self._entries.get(id(node))
        if entries is None:
            entries = {}
            for key_node, value_node in node.value:
                entries.setdefault(key_node.value, []).append((key_node, value_node))
            self._entries[id(node)] = entries
        return entries

    def get(self, path: tuple) -> int | None:
        """Line of ``path`` itself, or None when the tree has no such path."""
        nodes = [self.root]
        line = self.root.start_mark.line + 1
        for step in path:
            found: list[tuple[yaml.Node | None, yaml.Node]] = []
            for node in nodes:
                if isinstance(node, MappingNode):
                    found.extend(self._by_key(node).get(step, ()))
                elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                    found.append((None, node.value[step]))
            if not found:
                return None
            key_node, value_node = found[-1]
            line = (key_node or value_node).start_mark.line + 1
            nodes = [value for _key, value in found]
        return line
