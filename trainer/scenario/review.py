"""A Markdown review document of one scenario for legal and methodology reviewers.

Lists every node and choice with its rating, score changes, effects, feedback and sources,
and, for every choice, the endings that the complete paths through it reach and how many
paths reach each (counted exactly over the conversation graph).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..content.toc import Toc
from .analysis import Analysis, Pos, topological_order, is_ending
from .loader import LoadedScenario
from .model import ClientLine
from .scoring import percentages
from .quality import path_totals

HEAD = {
    "uk": {"meta": "Загальні відомості", "persona": "Клієнт", "state": "Стан клієнта", "nodes": "Вузли",
           "endings": "Завершення", "paths": "Шляхи", "says": "Каже", "writing": "Пише", "sign": "Показує жестовою мовою", "does": "Робить",
           "reaction": "Реакція клієнта на цю відповідь",
           "hidden": "Ознаки стану тут не показано",
           "route": "Маршрут за станом", "otherwise": "інакше", "feedback": "Відгук", "leads": "Завершення шляхів",
           "scores": "Бали", "effects": "Вплив на стан", "critical": "КРИТИЧНА ПОМИЛКА", "refs": "Посібник",
           "sources": "Джерела", "trains": "Компетенції", "recommended": "Рекомендований шлях",
           "worst": "Найгірший шлях", "note": "Попередження про зміст", "count": "Кількість шляхів",
           "bounds": "Межі балів (мін..макс)", "unreached": "жоден шлях",
           "free_text": "Письмова відповідь: варіанти нижче — це її можливі результати",
           "prompt": "Завдання", "model": "Приклад відповіді", "expected": "очікується",
           "discouraged": "небажано", "outcomes": "Результат за рубрикою", "phrases": "Фрази",
           "capped": "з них {} зі шкідливою відповіддю: для слухача це неоднозначний результат"},
    "en": {"meta": "Overview", "persona": "Client", "state": "Client state", "nodes": "Nodes",
           "endings": "Endings", "paths": "Paths", "says": "Says", "writing": "Writes", "sign": "Signs", "does": "Does",
           "reaction": "The client's reaction to this answer",
           "hidden": "State cues not shown here",
           "route": "Route by state", "otherwise": "otherwise", "feedback": "Feedback", "leads": "Where its paths end",
           "scores": "Scores", "effects": "Effect on state", "critical": "CRITICAL ERROR", "refs": "Manual",
           "sources": "Sources", "trains": "Competencies", "recommended": "Recommended path",
           "worst": "Worst path", "note": "Content note", "count": "Number of paths",
           "bounds": "Score bounds (min..max)", "unreached": "no path",
           "free_text": "Written answer: the choices below are its possible outcomes",
           "prompt": "Prompt", "model": "Model answer", "expected": "expected",
           "discouraged": "discouraged", "outcomes": "Outcome by rubric", "phrases": "Phrases",
           "capped": "{} of them with a harmful answer, which the trainee sees as a mixed outcome"},
}


def _client_line(line: ClientLine, w: dict[str, str], t) -> list[str]:
    """A client line as list items: the words, with how they reach the trainee and who says
    them when it is not the client, and what happens (first when the line says so)."""
    out = []
    if line.says:
        who = f" ({t(line.speaker)})" if line.speaker else ""
        verb = w["says" if line.says_via == "speech" else line.says_via]
        out.append(f"- {verb}{who}: «{t(line.says)}»")
    if line.does:
        out.insert(0 if line.does_first else len(out), f"- {w['does']}: {t(line.does)}")
    return out


def _paths_by_ending(analysis: Analysis, harmful: frozenset[str] = frozenset()
                     ) -> tuple[dict[Pos, Counter], dict[Pos, int], dict[Pos, Counter]]:
    """For each position: complete paths from it per ending, paths reaching it from the start,
    and complete paths from it per ending that take none of the ``harmful`` choices."""
    order = topological_order(analysis.edges, analysis.start)
    below: dict[Pos, Counter] = {}
    clean: dict[Pos, Counter] = {}
    for pos in order:
        if is_ending(pos):
            below[pos] = Counter({pos[0][1:]: 1})
            clean[pos] = Counter({pos[0][1:]: 1})
            continue
        total: Counter = Counter()
        total_clean: Counter = Counter()
        for edge in analysis.edges.get(pos, []):
            total.update(below[edge.dest])
            if edge.choice_id not in harmful:
                total_clean.update(clean[edge.dest])
        below[pos], clean[pos] = total, total_clean
    above: dict[Pos, int] = defaultdict(int)
    above[analysis.start] = 1
    for pos in reversed(order):
        for edge in analysis.edges.get(pos, []):
            above[edge.dest] += above[pos]
    return below, above, clean


def _free_text_lines(free_text, w, t, sec) -> list[str]:
    """A free-text node's prompt, model answer, rubric elements and outcome rules."""
    out = [f"- **{w['free_text']}**", f"- {w['prompt']}: {t(free_text.prompt)}",
           f"- {w['model']}: {t(free_text.model_answer)}"]
    for element in free_text.elements:
        scores = ", ".join(f"{c} {v:+d}" for c, v in element.scores.items())
        out.append(f"- `{element.id}` ({w[element.kind]}{', ' + scores if scores else ''}): {t(element.label)}")
        out.append(f"  - {w['phrases']}: " + "; ".join(list(element.phrases.uk) + list(element.phrases.en)))
        out.append(f"  - {w['feedback']}: {t(element.feedback)}" + (f" ({sec(element.refs)})" if element.refs else ""))
    for rule in free_text.outcomes:
        out.append(f"- {w['outcomes']}: {('`' + rule.when + '`') if rule.when else w['otherwise']} → `{rule.choice}`")
    return out


def review_markdown(loaded: LoadedScenario, toc: Toc, lang: str = "uk") -> str:
    s, a, w = loaded.scenario, loaded.analysis, HEAD[lang]
    t = lambda text: text.get(lang) if text else ""  # noqa: E731
    sec = lambda refs: ", ".join(toc.label(r, lang) for r in refs)  # noqa: E731
    harmful = frozenset(c.id for node in s.nodes.values() for c in node.choices or [] if c.rating == "harmful")
    below, above, clean = _paths_by_ending(a, harmful)
    by_choice: dict[str, Counter] = defaultdict(Counter)
    for pos, edges in a.edges.items():
        for edge in edges:
            for ending, n in below[edge.dest].items():
                by_choice[edge.choice_id][ending] += above[pos] * n
    out = [f"# {t(s.title)} (`{s.id}` v{s.version})", "", t(s.summary), "", f"## {w['meta']}", ""]
    out.append(f"- {w['refs']}: {sec(s.manual)}")
    out.append(f"- {w['trains']}: {', '.join(s.competencies)}")
    out.append(f"- {w['sources']}: " + "; ".join(toc.label(x.manual, lang) if x.manual else (x.title_in(lang) or x.url or "") for x in s.sources))
    if s.content_note:
        out.append(f"- {w['note']}: {t(s.content_note)}")
    out.append(f"- {w['count']}: {a.path_count}")
    out.append(f"- {w['bounds']}: " + ", ".join(f"{c} {a.min_score[c]}..{a.max_score[c]}" for c in s.competencies))
    for key, path, ending in (("recommended", a.recommended_path, a.recommended_ending), ("worst", a.worst_path, a.worst_ending)):
        pct = percentages(path_totals(loaded, path, best=key == "recommended"), a.max_score)
        out.append(f"- {w[key]}: {' → '.join(c for _n, c in path)} ⇒ `{ending}` ("
                   + ", ".join(f"{c} {p}%" for c, p in pct.items()) + ")")
    p = s.persona
    out += ["", f"## {w['persona']}", "", f"**{t(p.name)}**{f', {p.age}' if p.age else ''}. {t(p.who)}", "",
            t(p.wants), "", f"_{t(p.backstory)}_", "", f"## {w['state']}", ""]
    for name, var in s.state.items():
        out.append(f"- `{name}` ({t(var.label)}): {var.min}..{var.max}, start {var.initial}")
        for cue in var.cues:
            out.append(f"  - ≥ {cue.at_least}: {t(cue.text)}")
    out += ["", f"## {w['nodes']}", ""]
    for node_id, node in s.nodes.items():
        out += [f"### `{node_id}`", ""]
        if node.client:
            out += [*_client_line(node.client, w, t), ""]
        if node.hide_cues:
            out += [f"- {w['hidden']}: " + ", ".join(f"`{name}`" for name in node.hide_cues), ""]
        for rule in node.route or []:
            out.append(f"- {w['route']}: {('`' + rule.when + '`') if rule.when else w['otherwise']} → `{rule.next}`")
        if node.free_text:
            out += _free_text_lines(node.free_text, w, t, sec)
        for choice in node.choices or []:
            flag = f" **{w['critical']}**" if choice.critical else ""
            out += ["", f"#### `{choice.id}`: {choice.rating}{flag} → `{choice.next}`", "", t(choice.text), ""]
            if choice.scores:
                out.append(f"- {w['scores']}: " + ", ".join(f"{c} {v:+d}" for c, v in choice.scores.items()))
            if choice.effects:
                out.append(f"- {w['effects']}: " + ", ".join(f"{k} {v:+d}" for k, v in choice.effects.items()))
            out.append(f"- {w['feedback']}: {t(choice.feedback)}")
            if choice.reaction:
                out.append(f"- {w['reaction']}:")
                out += ["  " + line for line in _client_line(choice.reaction, w, t)]
            if choice.refs:
                out.append(f"- {w['refs']}: {sec(choice.refs)}")
            reach = by_choice.get(choice.id)
            out.append(f"- {w['leads']}: " + (", ".join(f"`{e}` ({n})" for e, n in reach.most_common()) if reach else w["unreached"]))
        out.append("")
    out += [f"## {w['endings']}", ""]
    totals, clean_totals = below[a.start], clean[a.start]
    for ending_id, ending in s.endings.items():
        count = str(totals.get(ending_id, 0))
        # The engine caps a good ending reached after a harmful answer at mixed
        # (CompiledScenario.capped): reviewers should see how often that happens.
        capped = totals.get(ending_id, 0) - clean_totals.get(ending_id, 0)
        if ending.outcome == "good" and capped:
            count += "; " + w["capped"].format(capped)
        out += [f"### `{ending_id}`: {ending.outcome} — {t(ending.title)} ({count})", ""]
        if ending.client:
            out += [*_client_line(ending.client, w, t), ""]
        out += [t(ending.debrief), ""]
        if ending.refs:
            out += [f"- {w['refs']}: {sec(ending.refs)}", ""]
    return "\n".join(out).rstrip() + "\n"
