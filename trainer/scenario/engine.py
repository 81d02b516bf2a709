"""The play engine: a ``transitions`` state machine compiled once per scenario version.

States are node and ending ids, triggers are choice ids, route rules are conditional
transitions on the internal ``_route`` trigger, and callbacks apply a choice's effects and
scores. The machine holds no attempt: for each step a small model object is attached,
triggered explicitly and detached again, so one machine serves every request and every
attempt's position lives in the database as a plain ``PlayState``.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from transitions import Machine

from .loader import LoadedScenario
from .model import Choice, ClientLine, Scenario
from .rubric import MAX_ANSWER_CHARS, Rubric
from .semantics import apply_effects, cues, initial_state

ROUTE_TRIGGER = "_route"


class PlayError(ValueError):
    """A step that cannot be taken; the message is safe to show to the trainee."""


@dataclass(frozen=True)
class PlayState:
    """Where an attempt stands: everything needed to resume it, JSON-friendly."""

    node: str
    vars: dict[str, int]
    scores: dict[str, int]
    step: int = 0
    critical: str | None = None
    ending: str | None = None
    # Harmful answers given so far: they keep the outcome from being good (see outcome()).
    # States saved before this field existed lack it and count none.
    harmful: int = 0

    @property
    def finished(self) -> bool:
        return self.ending is not None

    def as_dict(self) -> dict:
        return {"node": self.node, "vars": self.vars, "scores": self.scores, "step": self.step,
                "critical": self.critical, "ending": self.ending, "harmful": self.harmful}

    @classmethod
    def from_dict(cls, data: dict) -> PlayState:
        return cls(**data)


@dataclass(frozen=True)
class StepResult:
    """One recorded step: the choice, what it changed and where it led.

    At a free-text node ``choice`` is the outcome the answer led to, ``score_delta``
    includes the rubric elements' points and ``rubric`` holds the match result.
    """

    node: str
    choice: str
    via: tuple[str, ...]
    score_delta: dict[str, int]
    state: PlayState
    rubric: dict | None = None


@dataclass
class _Model:
    """What transitions drives during a single step."""

    vars: dict[str, int]
    scores: dict[str, int]
    node: str = ""
    via: list[str] = field(default_factory=list)


class CompiledScenario:
    """A loaded scenario with its machine; immutable and shared between requests."""

    def __init__(self, loaded: LoadedScenario):
        if not loaded.ok or loaded.scenario is None or loaded.analysis is None:
            raise PlayError(f"{loaded.path} has errors and cannot be played")
        self.loaded = loaded
        self.scenario: Scenario = loaded.scenario
        self.analysis = loaded.analysis
        self.content_hash = loaded.content_hash
        self.choices: dict[str, tuple[str, Choice]] = {
            c.id: (node_id, c) for node_id, n in self.scenario.nodes.items() for c in n.choices or []
        }
        self.rubrics: dict[str, Rubric] = {
            node_id: Rubric(n.free_text) for node_id, n in self.scenario.nodes.items() if n.free_text
        }
        self._lock = threading.Lock()
        # One scratch model, attached once: adding a model to a machine gives it a method per
        # state and trigger, which cost about a seventh of an answer request when done per
        # step. It is reset at every use under the lock, so nothing carries between steps.
        self._model = _Model({}, {})
        self.machine = Machine(
            model=None,
            states=list(self.scenario.nodes) + list(self.scenario.endings),
            initial=self.scenario.start,
            auto_transitions=False,
            send_event=True,
            model_attribute="node",
        )
        for node_id, node in self.scenario.nodes.items():
            for choice in node.choices or []:
                self.machine.add_transition(
                    choice.id, node_id, choice.next, before=self._applier(choice)
                )
            for i, rule in enumerate(node.route or []):
                conditions = [self._guard(node_id, i)] if rule.when else []
                self.machine.add_transition(
                    ROUTE_TRIGGER, node_id, rule.next, conditions=conditions,
                    before=self._passer(node_id),
                )
        self.machine.add_model(self._model, initial=self.scenario.start)

    def _applier(self, choice: Choice):
        def apply(event) -> None:
            model = event.model
            model.vars = apply_effects(self.scenario, model.vars, choice.effects)
            for comp, delta in choice.scores.items():
                model.scores[comp] = model.scores.get(comp, 0) + delta
        return apply

    def _guard(self, node_id: str, index: int):
        guard = self.loaded.guards[(node_id, index)]
        return lambda event: guard(event.model.vars)

    @staticmethod
    def _passer(node_id: str):
        def record(event) -> None:
            event.model.via.append(node_id)
        return record

    # -- playing -------------------------------------------------------------------

    def start(self) -> PlayState:
        """A fresh attempt's state (passing through a route at the start, if any)."""
        state = PlayState(self.scenario.start, initial_state(self.scenario),
                          {c: 0 for c in self.scenario.competencies})
        node = self.scenario.nodes[state.node]
        if node.route:
            model = self._run(_Model(dict(state.vars), dict(state.scores)), state.node, None)
            state = replace(state, node=model.node)
        return state

    def step(self, state: PlayState, choice_id: str) -> StepResult:
        """Take ``choice_id`` from ``state``; raises PlayError for an invalid step.

        A free-text node is refused: its choices are outcomes of a written answer, so a
        forged form must not be able to pick one (use ``step_text``).
        """
        choice = self._choice_at(state, choice_id)
        if self.is_free_text(state.node):
            raise PlayError("this point of the conversation takes a written answer")
        return self._advance(state, choice, {}, None)

    def step_text(self, state: PlayState, text: str, lang: str = "uk") -> StepResult:
        """Answer a free-text node with ``text``: the rubric picks the outcome choice, and
        the found elements' points are added to the choice's own."""
        if state.finished:
            raise PlayError("this attempt is already finished")
        if not text.strip():
            raise PlayError("write an answer first")
        if len(text) > MAX_ANSWER_CHARS:
            raise PlayError(f"the answer is longer than {MAX_ANSWER_CHARS} characters: shorten it")
        result = self.match(state.node, text, lang)
        choice = self._choice_at(state, result["outcome"])
        return self._advance(state, choice, result["score_delta"], result)

    def step_outcome(self, state: PlayState, choice_id: str, points: dict[str, int] | None = None) -> StepResult:
        """Take an outcome of a free-text node directly, with ``points`` as the elements'
        points: for replaying recorded steps, path walks and authoring tools. Never wire it
        to a form: that would let a trainee pick an outcome without writing."""
        choice = self._choice_at(state, choice_id)
        if not self.is_free_text(state.node):
            raise PlayError(f"{state.node!r} is not a free-text node: use step()")
        return self._advance(state, choice, dict(points or {}), None)

    def is_free_text(self, node_id: str) -> bool:
        """Whether ``node_id`` asks for a written answer instead of offering choices."""
        return node_id in self.rubrics

    def match(self, node_id: str, text: str, lang: str = "uk") -> dict:
        """The rubric's verdict on ``text`` at ``node_id`` (docs/rubrics.md lists the keys)."""
        rubric = self.rubrics.get(node_id)
        if rubric is None:
            raise PlayError(f"{node_id!r} is not a free-text node")
        return {"node": node_id, **rubric.match(text, lang)}

    def _choice_at(self, state: PlayState, choice_id: str) -> Choice:
        if state.finished:
            raise PlayError("this attempt is already finished")
        node_id, choice = self.choices.get(choice_id, (None, None))
        if choice is None or node_id != state.node:
            raise PlayError(f"{choice_id!r} is not a choice at this point of the conversation")
        return choice

    def _advance(self, state: PlayState, choice: Choice, points: dict[str, int], rubric: dict | None) -> StepResult:
        model = self._run(_Model(dict(state.vars), dict(state.scores)), state.node, choice.id)
        for comp, delta in points.items():
            model.scores[comp] = model.scores.get(comp, 0) + delta
        ending = model.node if model.node in self.scenario.endings else None
        new_state = PlayState(
            node=model.node,
            vars=model.vars,
            scores=model.scores,
            step=state.step + 1,
            critical=state.critical or (choice.id if choice.critical else None),
            ending=ending,
            harmful=state.harmful + (choice.rating == "harmful"),
        )
        delta = dict(choice.scores)
        for comp, value in points.items():
            delta[comp] = delta.get(comp, 0) + value
        delta = {c: v for c, v in delta.items() if v}
        return StepResult(state.node, choice.id, tuple(model.via), delta, new_state, rubric)

    def _run(self, start: _Model, at: str, trigger: str | None) -> _Model:
        """Fire ``trigger`` from ``at`` (then any routes) with ``start``'s values; the result."""
        with self._lock:
            model = self._model
            model.vars, model.scores, model.via = start.vars, start.scores, []
            self.machine.set_state(at, model=model)
            try:
                if trigger is not None:
                    model.trigger(trigger)
                hops = 0
                while self.scenario.nodes.get(model.node) and self.scenario.nodes[model.node].route:
                    if not model.trigger(ROUTE_TRIGGER) or hops > len(self.scenario.nodes):
                        raise PlayError(f"no way on from {model.node!r}")  # validator prevents this
                    hops += 1
                return _Model(model.vars, model.scores, model.node, model.via)
            finally:
                # Blank again, so no attempt's values stay inside the shared machine.
                model.vars, model.scores, model.via = {}, {}, []
                self.machine.set_state(self.scenario.start, model=model)

    # -- presenting ----------------------------------------------------------------

    def outcome(self, state: PlayState) -> str | None:
        """The attempt's outcome: its ending's, except that a critical error fails it and a
        harmful answer keeps it from being good.

        An ending says how the client left; many can be reached after a harmful answer, when
        later answers repaired the damage. The outcome is what a supervisor reads as how the
        trainee did, and a harmful answer to a real client is not undone by a good ending.
        """
        if not state.finished:
            return None
        if state.critical:
            return "failed"
        return "mixed" if self.capped(state) else self.scenario.endings[state.ending].outcome  # type: ignore[index]

    def capped(self, state: PlayState) -> bool:
        """Whether harmful answers (``state.harmful`` of them) made a good ending count as mixed."""
        return (state.finished and not state.critical and state.harmful > 0
                and self.scenario.endings[state.ending].outcome == "good")  # type: ignore[index]

    def client_lines(self, node_ids: list[str] | tuple[str, ...], after: str | None = None) -> list[ClientLine]:
        """The client's lines at these nodes (or endings), in order; first, when ``after``
        names a choice with a reaction, the client's reaction to it."""
        lines = []
        if after is not None and after in self.choices and self.choices[after][1].reaction is not None:
            lines.append(self.choices[after][1].reaction)
        for node_id in node_ids:
            holder = self.scenario.nodes.get(node_id) or self.scenario.endings.get(node_id)
            if holder is not None and holder.client is not None:
                lines.append(holder.client)
        return lines

    def cues(self, state: PlayState):
        """What the trainee can see of the client's state, less what the current node hides."""
        node = self.scenario.nodes.get(state.node)
        return cues(self.scenario, state.vars, node.hide_cues if node is not None else ())

    def remaining(self, state: PlayState) -> int:
        """Decisions left if the trainee answers as recommended from here (0 when finished).

        The recommended continuation, not the shortest one: a critical mistake can end a
        conversation at once, and a progress bar built on that would always look nearly full.
        """
        if state.finished:
            return 0
        key = (state.node, tuple(state.vars[n] for n in self.scenario.state))
        return self.analysis.recommended_remaining(key)
