"""Playing a scenario in the terminal: interactive, scripted (--choices) or as JSON."""
from __future__ import annotations

import textwrap
from collections.abc import Callable

from .content.toc import Toc
from .scenario.debrief import build_debrief
from .scenario.engine import CompiledScenario, PlayError

LABELS = {
    "uk": {"client": "Клієнт", "notice": "Ви помічаєте", "pick": "Ваш вибір (номер)", "feedback": "Відгук",
           "outcome": "Результат", "scores": "Бали за компетенціями", "missed": "Краще було б",
           "read": "Читайте в посібнику", "critical": "Критична помилка"},
    "en": {"client": "Client", "notice": "You notice", "pick": "Your choice (number)", "feedback": "Feedback",
           "outcome": "Outcome", "scores": "Scores by competency", "missed": "A better answer",
           "read": "Read in the manual", "critical": "Critical error"},
}


def play_scripted(compiled: CompiledScenario, choices: list[str]) -> dict:
    """Play ``choices`` from the start; the result as plain data (for --json and tests)."""
    state = compiled.start()
    steps: list[tuple[str, str]] = []
    for choice_id in choices:
        result = compiled.step(state, choice_id)
        steps.append((result.node, result.choice))
        state = result.state
    data: dict = {"scenario": compiled.scenario.id, "version": compiled.scenario.version,
                  "path": [c for _n, c in steps], "finished": state.finished,
                  "node": state.node, "scores": state.scores}
    if state.finished:
        report = build_debrief(compiled, steps, state)
        data.update(
            ending=state.ending, outcome=report.outcome, critical=state.critical,
            percent={c.id: c.percent for c in report.competencies},
            maximum={c.id: c.maximum for c in report.competencies},
            refs=report.refs,
        )
    return data


def play_interactive(compiled: CompiledScenario, toc: Toc, lang: str, ask: Callable[[str, int], int], say: Callable[[str], None]) -> dict:
    """Play step by step, asking for each choice; returns the same data as scripted play."""
    words = LABELS[lang]
    scenario = compiled.scenario

    def wrap(text: str, indent: str = "  ") -> str:
        return textwrap.fill(text, 88, initial_indent=indent, subsequent_indent=indent)

    say(f"\n== {scenario.title.get(lang)} ==\n{wrap(scenario.summary.get(lang), '')}")
    state = compiled.start()
    via: tuple[str, ...] = ()
    path: list[str] = []
    while not state.finished:
        for line in compiled.client_lines(list(via) + [state.node]):
            if line.says:
                say(f"\n{words['client']}: «{line.says.get(lang)}»")
            if line.does:
                say(wrap(f"({line.does.get(lang)})"))
        for _name, text in compiled.cues(state):
            say(wrap(f"{words['notice']}: {text.get(lang)}"))
        options = scenario.nodes[state.node].choices or []
        for i, choice in enumerate(options, start=1):
            say(wrap(f"{i}. {choice.text.get(lang)}"))
        number = ask(words["pick"], len(options))
        choice = options[number - 1]
        result = compiled.step(state, choice.id)
        path.append(choice.id)
        say(wrap(f"{words['feedback']} [{choice.rating}]: {choice.feedback.get(lang) if choice.feedback else ''}", "  > "))
        state, via = result.state, result.via
    data = play_scripted(compiled, path)
    ending = scenario.endings[state.ending]
    if ending.client:
        for line in compiled.client_lines([state.ending]):
            if line.says:
                say(f"\n{words['client']}: «{line.says.get(lang)}»")
            if line.does:
                say(wrap(f"({line.does.get(lang)})"))
    say(f"\n{words['outcome']}: {data['outcome']} — {ending.title.get(lang)}")
    say(wrap(ending.debrief.get(lang), ""))
    if state.critical:
        say(f"{words['critical']}: {compiled.choices[state.critical][1].text.get(lang)}")
    say(f"\n{words['scores']}:")
    for comp, pct in data["percent"].items():
        say(f"  {comp}: {pct if pct is not None else '—'}%")
    say(f"\n{words['read']}: " + "; ".join(toc.label(r, lang) for r in data["refs"]))
    return data


__all__ = ["PlayError", "play_interactive", "play_scripted"]
