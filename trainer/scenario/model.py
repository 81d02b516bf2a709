"""The scenario file format as typed models.

This module *is* the authoring contract: the loader validates files against it and the
JSON Schema in ``docs/scenario.schema.json`` is generated from it (``trainer schema``),
so editors auto-complete exactly what the loader accepts. Field descriptions end up in
the schema, which is why they are written for authors.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SCENARIO_ID_PATTERN = r"^[a-z][a-z0-9-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
ScenarioId = Annotated[str, StringConstraints(pattern=SCENARIO_ID_PATTERN, max_length=64)]


def _section_to_text(value: object) -> object:
    # Unquoted `6.1` is a float in YAML; accept it rather than punish the author.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


SectionRef = Annotated[
    str,
    BeforeValidator(_section_to_text),
    StringConstraints(pattern=r"^\d+(\.\d+)*$"),
    Field(description="A manual section number from its table of contents, e.g. '5.2.3'."),
]

Rating = Literal["recommended", "acceptable", "ineffective", "harmful"]
Outcome = Literal["good", "mixed", "poor", "failed"]
Difficulty = Literal["introductory", "intermediate", "advanced"]

# Ordered best to worst; the validator and the debrief compare choices with it.
RATING_ORDER: tuple[str, ...] = ("recommended", "acceptable", "ineffective", "harmful")
OUTCOME_ORDER: tuple[str, ...] = ("good", "mixed", "poor", "failed")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in Ukrainian (first) and English."""

    uk: str = Field(min_length=1, description="Ukrainian text (the original).")
    en: str | None = Field(default=None, description="Complete English translation.")

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to Ukrainian."""
        if lang == "en" and self.en:
            return self.en
        return self.uk


class Source(_Strict):
    """Where the scenario's advice comes from."""

    manual: SectionRef | None = Field(
        default=None, description="A manual section the advice is taken from."
    )
    title: Text | str | None = Field(
        default=None,
        description="A public source by name (author, title, year): in both languages "
        "({uk: ..., en: ...}), an official title in its own language with its translation; "
        "a plain string only for a name that reads the same in both (a web address).",
    )
    url: str | None = Field(default=None, description="Where the public source can be read.")

    def title_in(self, lang: str) -> str | None:
        """The title in ``lang`` (a plain string is the same in both)."""
        if isinstance(self.title, Text):
            return self.title.get(lang)
        return self.title


class Persona(_Strict):
    """Who the simulated client is; the backstory explains their behaviour."""

    name: Text
    age: int | None = Field(default=None, ge=0, le=120)
    who: Text = Field(description="One line: who the client is.")
    wants: Text = Field(description="What the client came for.")
    backstory: Text = Field(description="Hidden history that explains how they behave.")


class Cue(_Strict):
    """What the trainee notices when a state variable is at or above ``at_least``."""

    at_least: int
    text: Text


class StateVar(_Strict):
    """A client-state variable with its range and starting value."""

    label: Text
    min: int = 0
    max: int = 5
    initial: int
    cues: list[Cue] = Field(
        default_factory=list,
        description="Visible behaviour by level, so the trainee sees the state, not numbers.",
    )


# How a line's words reach the trainee. A deaf client's typed or signed words are not
# speech, and the page must not tell a screen-reader user that she "says" them.
SaysVia = Literal["speech", "writing", "sign"]


class ClientLine(_Strict):
    """What the client says (or writes, or signs) and does."""

    says: Text | None = None
    says_via: SaysVia = Field(
        default="speech",
        description="How the words in `says` reach the trainee: `speech` (said aloud, the default), "
        "`writing` (typed on a phone or written on paper: what the trainee reads) or `sign` (signed; "
        "`says` holds their meaning, as an interpreter voices it). The page announces the words as "
        "written or signed instead of said.",
    )
    does: Text | None = Field(default=None, description="A non-verbal cue.")
    does_first: bool = Field(
        default=False,
        description="Show `does` before the words, because it happens first: it sets the scene "
        "(someone walks in, a phone rings, time has passed) or tells what the trainee has just "
        "done. By default `does` follows the words, as a gesture that goes with them or comes "
        "after.",
    )
    speaker: Text | None = Field(
        default=None,
        description="Who says the words when it is not the client (someone who came with them, "
        "another visitor); the page names them before the words.",
    )


class Choice(_Strict):
    """One thing the trainee can say or do."""

    id: Id = Field(description="Stable id, unique in the scenario; the engine's trigger.")
    text: Text = Field(description="The trainee's words or action.")
    rating: Rating
    scores: dict[Id, int] = Field(
        default_factory=dict, description="Competency id → points gained (or lost, negative)."
    )
    effects: dict[Id, int] = Field(
        default_factory=dict, description="State variable → change, clamped to its range."
    )
    feedback: Text | None = Field(default=None, description="Why this choice works or not.")
    refs: list[SectionRef] = Field(default_factory=list, description="Manual sections.")
    critical: bool = Field(
        default=False,
        description="An act that fails the attempt whatever else happens.",
    )
    reaction: ClientLine | None = Field(
        default=None,
        description="What the client says or does straight away in answer to this choice, "
        "shown before the next node's line: for a choice whose next node other choices share, "
        "so the client answers what was actually said.",
    )
    next: Id = Field(description="The node or ending this choice leads to.")


class RouteRule(_Strict):
    """Go to ``next`` when ``when`` holds; a rule without ``when`` is the fallback."""

    when: str | None = Field(default=None, description="A guard, e.g. 'distress >= 4'.")
    next: Id


class Phrases(_Strict):
    """Ways of saying one rubric element; any one found in the answer counts."""

    uk: list[str] = Field(
        default_factory=list,
        description="Ukrainian phrases, in any word form; 'не …' matches only negated text.",
    )
    en: list[str] = Field(default_factory=list, description="English phrases.")


class RubricElement(_Strict):
    """Something a written answer should (expected) or should not (discouraged) contain."""

    id: Id = Field(description="Unique in the node; outcome conditions name it.")
    kind: Literal["expected", "discouraged"]
    label: Text = Field(description="Short name shown to the trainee, e.g. 'Names the feeling'.")
    phrases: Phrases
    scores: dict[Id, int] = Field(
        default_factory=dict,
        description="Competency id → points when the element is found (discouraged: negative).",
    )
    feedback: Text = Field(description="Why the element matters; shown when found, or missed if expected.")
    refs: list[SectionRef] = Field(default_factory=list, description="Manual sections.")


class OutcomeRule(_Strict):
    """Take ``choice`` when ``when`` holds; a rule without ``when`` is the fallback."""

    when: str | None = Field(
        default=None,
        description="Element ids joined by and/or/not, 'dismissive' (the answer brushes the client "
        "off), or count_expected / count_discouraged compared with a number, e.g. "
        "'names_feeling and not calm_down'.",
    )
    choice: Id = Field(description="A choice of this node: the outcome the answer leads to.")


class FreeText(_Strict):
    """The trainee types an answer; a rubric picks which of the node's choices it amounts to."""

    prompt: Text = Field(description="What the trainee is asked to write.")
    model_answer: Text = Field(description="A good answer, shown after the trainee's own.")
    elements: list[RubricElement] = Field(min_length=1)
    outcomes: list[OutcomeRule] = Field(
        min_length=1, description="First matching rule wins; the last one has no 'when'."
    )


class Node(_Strict):
    """A moment in the conversation: the client acts, then choices or a route."""

    client: ClientLine | None = None
    choices: list[Choice] | None = None
    route: list[RouteRule] | None = Field(
        default=None, description="Pick the next node by client state, first match wins."
    )
    free_text: FreeText | None = Field(
        default=None,
        description="Ask for a written answer instead of offering the choices; the choices "
        "become the possible outcomes (see docs/rubrics.md).",
    )
    hide_cues: list[Id] = Field(
        default_factory=list,
        description="State variables whose cues do not fit this moment, so they are not shown "
        "here: the client has not noticed the trainee yet, or someone a cue describes is elsewhere.",
    )


class Ending(_Strict):
    """Where a conversation ends, with the debrief the trainee reads."""

    outcome: Outcome
    title: Text
    client: ClientLine | None = None
    debrief: Text
    refs: list[SectionRef] = Field(default_factory=list)


class Scenario(_Strict):
    """One training scenario: a branching conversation with a simulated client."""

    id: ScenarioId = Field(description="Stable id, also the file name without .yaml.")
    version: int = Field(ge=1, description="Raise it when the scenario changes meaning.")
    title: Text
    summary: Text
    manual: list[SectionRef] = Field(min_length=1, description="Sections it trains.")
    sources: list[Source] = Field(min_length=1)
    competencies: list[Id] = Field(min_length=1, description="Competency ids it scores.")
    difficulty: Difficulty = "intermediate"
    duration_minutes: int = Field(default=10, ge=1, le=120)
    content_note: Text | None = Field(
        default=None, description="Warning shown before play when the subject is heavy."
    )
    persona: Persona
    state: dict[Id, StateVar] = Field(min_length=1)
    start: Id
    nodes: dict[Id, Node] = Field(min_length=1)
    endings: dict[Id, Ending] = Field(min_length=1)

    def cited_sections(self) -> set[str]:
        """Every manual section the scenario names: trained, as a source, or in feedback."""
        refs = set(self.manual) | {s.manual for s in self.sources if s.manual}
        for node in self.nodes.values():
            for choice in node.choices or []:
                refs.update(choice.refs)
            for element in node.free_text.elements if node.free_text else []:
                refs.update(element.refs)
        for ending in self.endings.values():
            refs.update(ending.refs)
        return refs


class Competency(_Strict):
    """One competency in the framework."""

    title: Text
    description: Text
    manual: list[SectionRef] = Field(min_length=1)
    domain: Literal[
        "self_awareness", "self_management", "social_awareness", "relationship_management"
    ]


class CompetencyFramework(_Strict):
    """The competency framework file (``scenarios/competencies.yaml``)."""

    version: int = Field(ge=1)
    competencies: dict[Id, Competency] = Field(min_length=1)


def json_schema() -> dict:
    """The JSON Schema of a scenario file, for editors."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://frontline-trainer.example/scenario.schema.json"
    return schema
