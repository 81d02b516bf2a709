"""Guards: small conditions on client state, such as ``distress >= 4 and trust < 2``.

Authors write them as text; we parse them with Python's ``ast`` and accept only
comparisons of state variables with whole numbers joined by ``and``/``or``/``not``.
Nothing is ever passed to ``eval``: a guard compiles to a closure over the parsed tree.
"""
from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


class GuardError(ValueError):
    """A guard that cannot be parsed; the message says what to write instead."""


@dataclass(frozen=True)
class Guard:
    """A parsed guard: its source, the variables it reads and a predicate."""

    source: str
    names: frozenset[str]
    _test: Callable[[Mapping[str, int]], bool]

    def __call__(self, state: Mapping[str, int]) -> bool:
        return self._test(state)

    def __reduce__(self):
        # The predicate is a closure, which pickle cannot store; the source parses again
        # to the same one (its names are all the variables it needs).
        return parse_guard, (self.source, self.names)


def parse_guard(
    source: str,
    variables: set[str] | frozenset[str],
    noun: tuple[str, str] = ("a state variable of this scenario", "state variables"),
    example: str = "'distress >= 4'",
) -> Guard:
    """Parse ``source``; every name must be one of ``variables``.

    ``noun`` (one name, all names) and ``example`` only word the error messages, so
    free-text outcome rules, whose names are rubric elements, get advice in their terms.
    """
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        raise GuardError(
            f"cannot read the condition {source!r}: write conditions such as "
            f"{example} joined by 'and' / 'or'"
        ) from None
    names: set[str] = set()
    test = _compile(tree.body, variables, names, (source, noun))
    return Guard(source=source, names=frozenset(names), _test=test)


def _compile(node, variables, names, where) -> Callable[[Mapping[str, int]], object]:
    source, (noun, plural) = where
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, variables, names, where) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda s: all(p(s) for p in parts)
        return lambda s: any(p(s) for p in parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _compile(node.operand, variables, names, where)
        return lambda s: not inner(s)
    if isinstance(node, ast.Compare):
        ops = []
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise GuardError(f"in {source!r}: use only == != < <= > >= to compare")
            ops.append(_COMPARE[type(op)])
        terms = [_compile(node.left, variables, names, where)]
        terms += [_compile(c, variables, names, where) for c in node.comparators]

        def compare(s):
            values = [t(s) for t in terms]
            return all(op(values[i], values[i + 1]) for i, op in enumerate(ops))

        return compare
    if isinstance(node, ast.Name):
        if node.id not in variables:
            known = ", ".join(sorted(variables)) or "none declared"
            raise GuardError(
                f"in {source!r}: {node.id!r} is not {noun} "
                f"(declared: {known})"
            )
        names.add(node.id)
        key = node.id
        return lambda s: s[key]
    if isinstance(node, ast.Constant) and type(node.value) is int:
        value = node.value
        return lambda s: value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _compile(node.operand, variables, names, where)
        return lambda s: -inner(s)
    raise GuardError(
        f"in {source!r}: only {plural}, whole numbers, comparisons and "
        "and/or/not are allowed"
    )
