"""The play page's pieces that only the scenario version and the language decide.

The client's lines at a node, the answer options offered there and the feedback on each
choice are the same for every trainee who reaches them in that version and language, and a
long conversation repeats the client's lines once per step in its history. They are
rendered once per version (named by its content hash, so a changed scenario gets new
pieces) and language, with the same macros the rest of the app uses, and kept in the app's
fragment cache (`trainer.fragments`). The feedback's manual links name the attempt (so the
manual page can lead back to the conversation): a hole in the piece, filled per request.
"""
from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from ..fragments import Holes
from ..layout import fragment_cache
from ..scenario.engine import CompiledScenario
from ..scenario.model import Choice
from ..web import lang, manual_url, tr


def client_lines(compiled: CompiledScenario, node_ids: tuple[str, ...], each_in_div: bool = False,
                 after: str | None = None) -> Markup:
    """What the client says and does at these nodes, in order (``<div class="client">`` each
    when ``each_in_div``, as the history shows them), after their reaction to the choice
    ``after`` when it has one."""
    if after is not None and compiled.choices[after][1].reaction is None:
        after = None  # most choices have none: one piece per node list, not one per choice

    def render() -> Markup:
        macro = get_template_attribute("_macros.html", "client_lines")
        lines = compiled.client_lines(node_ids, after)
        return Markup(macro(lines, tr(compiled.scenario.persona.name), each_in_div))
    return fragment_cache().get(("client", compiled.content_hash, lang(), node_ids, each_in_div, after), render)


def choice_options(compiled: CompiledScenario, node_id: str, choices: dict[str, str]) -> Markup:
    """The radio buttons of a node's choices (id → text in the reader's language, in the
    attempt's order, as the answer form holds them), none of them checked."""
    def render() -> Markup:
        return Markup(get_template_attribute("play/_pieces.html", "choice_options")(choices, None))
    # Keyed by the order too: a node of n options has at most n! pieces (3 or 4 options each).
    return fragment_cache().get(("choices", compiled.content_hash, lang(), node_id, tuple(choices)), render)


def choice_feedback(compiled: CompiledScenario, choice: Choice, attempt_id: int) -> Markup:
    """The feedback on a choice: its rating, why, whether it is critical, the manual's sections
    (linked with the attempt's id, filled into the piece per request)."""
    def render() -> Holes:
        marker = Holes.marker("attempt")
        return Holes(get_template_attribute("play/_pieces.html", "choice_feedback")(
            choice, lambda number: manual_url(number, marker)))
    holes = fragment_cache().get(("feedback", compiled.content_hash, lang(), choice.id), render)
    return holes.fill({"attempt": attempt_id})
