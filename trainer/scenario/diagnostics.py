"""Coded diagnostics for scenario files.

Every problem the loader or validator can find has a stable code, a severity and a short
title; ``docs/validator.md`` documents each code and a test keeps that page in step with
this table. Errors stop a scenario from being offered for play; warnings do not.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

CODES: dict[str, tuple[Severity, str]] = {
    "SC001": ("error", "File structure: YAML syntax, a missing or unknown field, a wrong type, an unreadable guard"),
    "SC002": ("error", "Undefined target: start, a choice or a route names a node or ending that does not exist"),
    "SC003": ("warning", "Unreachable node: no path from the start leads to it"),
    "SC004": ("error", "Dead end: a node with no way on (no choices, or a route that matches nothing)"),
    "SC005": ("error", "Cycle with no way out: once entered, the conversation can never end"),
    "SC006": ("error", "Duplicate id: a key, choice id or node/ending id used twice"),
    "SC007": ("error", "Unknown competency: not in the competency framework or not declared by the scenario"),
    "SC008": ("error", "Unknown manual section: not in the manual's table of contents"),
    "SC009": ("error", "Choice without feedback"),
    "SC010": ("error", "No recommended choice: the trainee can only pick a worse option here"),
    "SC011": ("error", "Missing translation: an English text is missing or empty"),
    "SC012": ("warning", "Unused state variable: never read by a guard or shown as a cue, or never changed"),
    "SC013": ("warning", "Guard never true: this route branch can never be taken given the state ranges"),
    "SC014": ("warning", "Ending never reached: no path leads to it given the state ranges"),
    "SC015": ("error", "Endless loop: the conversation can return to a node in the same client state"),
    "SC016": ("warning", "Declared competency never scored by any choice"),
    "SC017": ("error", "Bad state range: min above max, or an initial value or cue outside the range"),
    "SC018": ("error", "Unknown state variable in a choice's effects or a node's hidden cues"),
    "SC019": ("warning", "File name differs from the scenario id"),
    "SC020": ("error", "Reserved id: the engine uses this name itself"),
    "SC021": ("error", "Bad free-text outcome rule: names a choice outside its node or an unknown element, cannot be read, or the fallback is missing"),
    "SC022": ("warning", "Outcome never chosen: no written answer can lead to this choice of a free-text node"),
    "SC023": ("error", "Rubric element without phrases: a Ukrainian or English phrase list is empty, or a phrase has no words"),
    "SC024": ("error", "No decision: the start routes straight to an ending"),
    "SC025": ("warning", "Quoted client words: quotation marks around the whole of what the client says"),
    "SC026": ("warning", "Stage direction in the client's words: what the client says starts with a note in brackets or a speaker's name"),
    "SC027": ("warning", "Cue never shown: no decision the trainee can reach shows this cue, given the state ranges and the hidden cues"),
    "SC028": ("warning", "Straight quotation marks: a text quotes with \" where the reader's language has its own marks"),
}


@dataclass(frozen=True)
class Diagnostic:
    """One finding, located in a file, phrased as what to change."""

    code: str
    file: str
    line: int | None
    message: str

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.code} {self.severity}: {self.message}"

    def as_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity}


class Reporter:
    """Collects diagnostics for one file, resolving lines from data paths."""

    def __init__(self, file: str, line_of=None):
        self.file = file
        self._line_of = line_of or (lambda path: None)
        self.items: list[Diagnostic] = []

    def add(self, code: str, path, message: str, line: int | None = None) -> None:
        if code not in CODES:  # pragma: no cover - programming error
            raise KeyError(code)
        if line is None and path is not None:
            line = self._line_of(tuple(path))
        self.items.append(Diagnostic(code, self.file, line, message))

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)
