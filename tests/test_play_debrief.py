"""The debrief page: the result and the scores first, then each decision in a box that opens."""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.team.conftest import play


def debrief(client, auth, attempt_id: int) -> str:
    auth.login()
    response = client.get(f"/attempts/{attempt_id}/debrief")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', html)


def test_a_failed_attempt_names_its_result_without_a_double_colon(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["ignore"])
    html = debrief(client, auth, attempt_id)
    outcome = re.search(r'<h2 id="outcome">([^<]*)</h2>', html).group(1)
    ending = app.extensions["trainer_registry"].latest("example-queue").scenario.endings["walked_out"].title.uk
    assert outcome == f"Не зараховано через критичну помилку: {ending}"
    assert outcome.count(":") == 1


def test_the_result_and_scores_come_first_and_each_decision_is_a_box(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["wait_your_turn", "give_time_estimate"])
    html = debrief(client, auth, attempt_id)
    order = headings(html)
    assert order[:4] == ["outcome", "scores", "steps", "read"], order
    assert "Загальний бал: 50%" in html  # empathy 0 %, clarity 100 %: the average, as the history has it
    boxes = re.findall(r'<li id="decision-(\d+)" class="step rating-(\w+)">\s*<details>\s*<summary>(.*?)</summary>',
                       html, re.S)
    assert [(n, rating) for n, rating, _summary in boxes] == [("1", "ineffective"), ("2", "recommended")]
    first = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", boxes[0][2])).strip()
    assert first == "Рішення 1. «Я вже сорок хвилин тут стою!» Ваша відповідь: Неефективно"
    assert "Рекомендована відповідь — у 1 з 2 рішень." in html
    # What was recommended is inside the box of the decision that missed it.
    box = html[html.index('id="decision-1"'):html.index('id="decision-2"')]
    assert "Рекомендовано:</strong>" in box
    # The reading list stays outside the boxes, where the keyboard reaches it without opening any.
    assert html.index('id="read"') > html.rindex("</details>")


def test_a_long_client_line_is_shortened_in_the_summary_only(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["greet_and_acknowledge", "explain_and_check"])
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    html = debrief(client, auth, attempt_id)
    for n, (node_id, _choice) in enumerate(compiled.analysis.recommended_path, start=1):
        says = compiled.scenario.nodes[node_id].client.says.uk
        box = html[html.index(f'id="decision-{n}"'):]
        summary = box[box.index("<summary>"):box.index("</summary>")]
        shown = re.search(r'<span class="step-question">«(.*?)»</span>', summary).group(1)
        assert len(shown) <= 90 and (shown == says or shown.endswith("…"))
        assert f"«{says}»" in box[box.index("</summary>"):]  # the whole line inside the box


def _short_of_100():
    """A library scenario without written answers whose recommended answers stay under 100 %
    on some competency, with those competencies."""
    from tests.conftest import CONTENT_DIR, SCENARIO_DIR
    from trainer.scenario.quality import path_totals
    from trainer.scenario.registry import Registry
    from trainer.scenario.scoring import percentages
    registry = Registry(SCENARIO_DIR, CONTENT_DIR)
    for scenario_id in sorted(registry.current):
        compiled = registry.latest(scenario_id)
        if compiled.rubrics:
            continue
        reached = percentages(path_totals(compiled.loaded, compiled.analysis.recommended_path), compiled.analysis.max_score)
        short = {comp: value for comp, value in reached.items() if value is not None and value < 100}
        if short:
            return scenario_id, short
    pytest.skip("every scenario's recommended answers reach 100 % now")


def test_a_perfect_play_through_under_100_says_what_the_recommended_answers_score(app, client, auth, users):
    """A trainee who chose the recommended answer at every step saw 89 % and no reason."""
    scenario_id, short = _short_of_100()
    attempt_id = play(app, users["trainee"], scenario=scenario_id)
    html = debrief(client, auth, attempt_id)
    assert "На кожному кроці ви обрали рекомендовану відповідь." in html
    assert "тож навіть рекомендована відповідь на кожному кроці може до цього не дотягнути" in html
    for value in short.values():
        assert f'<meter min="0" max="100" low="50" high="79" optimum="100" value="{value}">' in html
        assert f"рекомендовані відповіді: {value}%" in html


def test_no_benchmark_where_the_recommended_answers_reach_100(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["greet_and_acknowledge", "explain_and_check"])
    html = debrief(client, auth, attempt_id)
    assert "Кожен бал порівнюється з найкращим результатом" in html
    assert "рекомендовані відповіді:" not in html and "може до цього не дотягнути" not in html


def test_the_debrief_reads_in_english(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["ignore"])
    auth.login()
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = unescape(client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True))
    assert "Failed because of a critical error: " in html and "Your answers step by step" in html
    assert "Decision 1." in html and "Your answer: </span>Harmful" in html
