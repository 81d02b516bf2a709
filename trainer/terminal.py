"""Playing a scenario in the terminal: interactive, scripted (--choices) or as JSON.

At a free-text node the interactive player asks for a written answer and shows the
rubric's verdict; scripted play names the outcome choice instead (without element points),
which is what a path walk needs.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable

from .content.toc import Toc
from .scenario.debrief import build_debrief
from .scenario.engine import CompiledScenario, PlayError

LABELS = {
    "uk": {"notice": "Ви помічаєте", "pick": "Ваш вибір (номер)", "feedback": "Відгук",
           "outcome": "Результат", "scores": "Бали за компетенціями", "missed": "Краще було б",
           "read": "Читайте в посібнику", "critical": "Критична помилка", "write": "Ваша відповідь",
           "found": "є у відповіді", "missing": "бракує", "avoid": "краще уникати", "model": "Приклад відповіді",
           "says": "«{}»", "writing": "{} пише", "sign": "{} показує жестовою мовою",
           "capped": "Шкідливих відповідей: {}, тому спроба має результат mixed, хоч завершення й добре; "
                     "підсумок описує рекомендований шлях до нього."},
    "en": {"notice": "You notice", "pick": "Your choice (number)", "feedback": "Feedback",
           "outcome": "Outcome", "scores": "Scores by competency", "missed": "A better answer",
           "read": "Read in the manual", "critical": "Critical error", "write": "Your answer",
           "found": "in your answer", "missing": "missing", "avoid": "better avoided", "model": "A model answer",
           "says": "“{}”", "writing": "{} writes", "sign": "{} signs",
           "capped": "Harmful answers: {}, so the attempt's outcome is mixed although the ending is good; "
                     "the summary describes the recommended way to it."},
}


def play_scripted(compiled: CompiledScenario, choices: list[str]) -> dict:
    """Play ``choices`` from the start; the result as plain data (for --json and tests)."""
    state = compiled.start()
    steps: list[tuple[str, str]] = []
    for choice_id in choices:
        if compiled.is_free_text(state.node):
            result = compiled.step_outcome(state, choice_id)
        else:
            result = compiled.step(state, choice_id)
        steps.append((result.node, result.choice))
        state = result.state
    return _summary(compiled, steps, state)


def _summary(compiled: CompiledScenario, steps: list[tuple[str, str]], state) -> dict:
    data: dict = {"scenario": compiled.scenario.id, "version": compiled.scenario.version,
                  "path": [c for _n, c in steps], "finished": state.finished,
                  "node": state.node, "scores": state.scores}
    if state.finished:
        report = build_debrief(compiled, steps, state)
        data.update(
            ending=state.ending, outcome=report.outcome, critical=state.critical, harmful=report.harmful, capped=report.capped,
            percent={c.id: c.percent for c in report.competencies},
            maximum={c.id: c.maximum for c in report.competencies},
            refs=report.refs,
        )
    return data


def play_interactive(compiled: CompiledScenario, toc: Toc, lang: str, ask: Callable[[str, int], int], say: Callable[[str], None],
                     ask_text: Callable[[str], str] | None = None) -> dict:
    """Play step by step, asking for each choice (or, at a free-text node, for a written
    answer through ``ask_text``); returns the same data as scripted play."""
    words = LABELS[lang]
    scenario = compiled.scenario
    client = scenario.persona.name.get(lang)

    def wrap(text: str, indent: str = "  ") -> str:
        return textwrap.fill(text, 88, initial_indent=indent, subsequent_indent=indent)

    say(f"\n== {scenario.title.get(lang)} ==\n{wrap(scenario.summary.get(lang), '')}")
    state = compiled.start()
    via: tuple[str, ...] = ()
    steps: list[tuple[str, str]] = []
    while not state.finished:
        _say_client(compiled.client_lines(list(via) + [state.node], steps[-1][1] if steps else None),
                    client, words, lang, say, wrap)
        for _name, text in compiled.cues(state):
            say(wrap(f"{words['notice']}: {text.get(lang)}"))
        node = scenario.nodes[state.node]
        if node.free_text is not None and ask_text is not None:
            say(wrap(node.free_text.prompt.get(lang), ""))
            result = None
            while result is None:
                try:
                    result = compiled.step_text(state, ask_text(words["write"]), lang)
                except PlayError as exc:
                    say(f"  ! {exc}")
            _say_rubric(result.rubric, words, say, wrap)
            choice = compiled.choices[result.choice][1]
        else:
            options = node.choices or []
            for i, choice in enumerate(options, start=1):
                say(wrap(f"{i}. {choice.text.get(lang)}"))
            number = ask(words["pick"], len(options))
            choice = options[number - 1]
            if node.free_text is not None:  # no way to type: pick the outcome itself
                result = compiled.step_outcome(state, choice.id)
            else:
                result = compiled.step(state, choice.id)
        steps.append((result.node, result.choice))
        say(wrap(f"{words['feedback']} [{choice.rating}]: {choice.feedback.get(lang) if choice.feedback else ''}", "  > "))
        state, via = result.state, result.via
    data = _summary(compiled, steps, state)
    ending = scenario.endings[state.ending]
    _say_client(compiled.client_lines([state.ending], steps[-1][1] if steps else None), client, words, lang, say, wrap)
    say(f"\n{words['outcome']}: {data['outcome']} — {ending.title.get(lang)}")
    if data["capped"]:
        say(wrap(words["capped"].format(data["harmful"]), ""))
    say(wrap(ending.debrief.get(lang), ""))
    if state.critical:
        say(f"{words['critical']}: {compiled.choices[state.critical][1].text.get(lang)}")
    say(f"\n{words['scores']}:")
    for comp, pct in data["percent"].items():
        say(f"  {comp}: {pct if pct is not None else '—'}%")
    say(f"\n{words['read']}: " + "; ".join(toc.label(r, lang) for r in data["refs"]))
    return data


def _say_client(lines, client: str, words: dict, lang: str, say, wrap) -> None:
    """What the client (or another ``speaker``) says, in the language's quotation marks and
    under their name as the play page gives it ("Oksana writes" for typed words, "signs" for
    signed ones), and what happens, before the words when the line says it comes first."""
    for line in lines:
        scene = wrap(f"({line.does.get(lang)})") if line.does else None
        if scene and line.does_first:
            say(scene)
        if line.says:
            who = line.speaker.get(lang) if line.speaker else client
            if line.says_via != "speech":
                who = words[line.says_via].format(who)
            say(f"\n{who}: " + words["says"].format(line.says.get(lang)))
        if scene and not line.does_first:
            say(scene)


def _say_rubric(rubric: dict, words: dict, say, wrap) -> None:
    for element in rubric["elements"]:
        if element["kind"] == "expected":
            mark, note = ("+", words["found"]) if element["found"] else ("-", words["missing"])
        elif element["found"]:
            mark, note = ("!", words["avoid"])
        else:
            continue
        say(wrap(f"{mark} {element['label']} ({note}): {element['feedback']}", "  "))
    say(wrap(f"{words['model']}: {rubric['model_answer']}", "  "))


__all__ = ["PlayError", "play_interactive", "play_scripted"]
