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


def test_a_failed_attempt_names_its_result_and_then_the_endings_title(app, client, auth, users):
    """The result, a colon and the ending's title, as the supervisors' transcript gives them:
    «Не пройдено (критична помилка): …», not a sentence «Не пройдено через критичну
    помилку.» followed by the title as another one (English review, finding 17)."""
    attempt_id = play(app, users["trainee"], ["ignore"])
    html = debrief(client, auth, attempt_id)
    outcome = re.search(r'<h2 id="outcome">([^<]*)</h2>', html).group(1)
    ending = app.extensions["trainer_registry"].latest("example-queue").scenario.endings["walked_out"].title.uk
    assert outcome == f"Не пройдено (критична помилка): {ending}"


def test_a_good_outcome_is_followed_by_its_endings_title(app, client, auth, users):
    html = debrief(client, auth, play(app, users["trainee"], ["greet_and_acknowledge", "explain_and_check"]))
    outcome = re.search(r'<h2 id="outcome">([^<]*)</h2>', html).group(1)
    ending = app.extensions["trainer_registry"].latest("example-queue").scenario.endings["good_end"].title.uk
    assert outcome == f"Добрий результат: {ending}"


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
    assert "Рекомендовану відповідь обрано в 1 з 2 рішень." in html
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
    assert ("100% — це найвищий бал, який можна набрати з компетентності в цьому сценарії. Навіть якщо щоразу "
            "обирати рекомендовану відповідь, можна набрати менше: орієнтуйтеся на позначку «рекомендовані "
            "відповіді» під балом.") in html
    assert "найкраще, що дає" not in html
    for value in short.values():
        assert f'<meter min="0" max="100" low="50" high="79" optimum="100" value="{value}">' in html
        assert f"рекомендовані відповіді: {value}%" in html


def test_no_benchmark_where_the_recommended_answers_reach_100(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["greet_and_acknowledge", "explain_and_check"])
    html = debrief(client, auth, attempt_id)
    assert "Кожен бал порівнюється з найкращим результатом" in html
    assert "рекомендовані відповіді:" not in html and "можна набрати менше" not in html


def test_the_debrief_reads_in_english(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["ignore"])
    auth.login()
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = unescape(client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True))
    assert "Failed (critical error): " in html and "Your answers step by step" in html
    assert "Decision 1." in html and "Your answer: </span>Harmful" in html


def test_a_good_ending_reached_another_way_says_its_summary_is_the_recommended_way(app, client, auth, users):
    """The ending's summary tells the recommended way there; a trainee who answered otherwise
    must not read it as praise for steps they did not take."""
    note = "Для клієнта розмова закінчилася добре, хоча 1 ваша відповідь не була рекомендованою"
    other_way = debrief(client, auth, play(app, users["trainee"], ["wait_your_turn", "give_time_estimate"]))
    outcome = other_way[other_way.index('id="outcome"'):other_way.index('id="scores"')]
    assert note in outcome
    assert outcome.index(note) < outcome.index("а ваш був дещо іншим:")
    for path in (["greet_and_acknowledge", "explain_and_check"], ["greet_and_acknowledge", "shrug"]):
        page = client.get(f"/attempts/{play(app, users['trainee'], path)}/debrief").get_data(as_text=True)
        assert '<h2 id="outcome">' in page  # the page is the debrief
        # Every answer recommended, or a mixed ending whose summary says what went wrong: no note.
        assert "Для клієнта розмова закінчилася добре, хоча" not in page


def test_the_good_ending_note_counts_answers_in_english(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["wait_your_turn", "give_time_estimate"])
    auth.login()
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = unescape(client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True))
    assert "though 1 of your answers was not the recommended one (see below)" in html


def test_the_critical_answer_is_quoted_as_written_once(app, client, auth, users):
    """The page put «» round the option's text, which speech already has: ««…»», and `.».`."""
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    action = compiled.choices["ignore"][1]
    html = debrief(client, auth, play(app, users["trainee"], ["ignore"]))
    outcome = html[html.index('id="outcome"'):html.index('id="scores"')]
    assert f'<p class="critical"><strong>Критична помилка:</strong> {action.text.uk}</p>' in outcome
    assert f"<p>{action.feedback.uk}</p>" in outcome
    assert "««" not in html and "«Мовчки" not in html and "»." not in outcome


@pytest.mark.parametrize(("scenario", "path", "critical"), [
    ("off-hours-meeting", ["mg_warm_invite", "na_disclose"], "na_disclose"),  # speech: its own «»
    ("homeless-client", ["door_ask_outside"], "door_ask_outside"),  # an action quoting speech
])
def test_a_critical_answer_from_the_library_shows_its_quotation_marks_once(app, client, auth, users,
                                                                             scenario, path, critical):
    choice = app.extensions["trainer_registry"].latest(scenario).choices[critical][1]
    html = debrief(client, auth, play(app, users["trainee"], path, scenario=scenario))
    assert f"<strong>Критична помилка:</strong> {choice.text.uk}</p>" in html
    assert "««" not in html and "»»" not in html and "».»." not in html


def test_the_recommended_answers_reason_is_labelled_as_its_own_not_the_trainees(app, client, auth, users):
    """Its feedback was written for whoever chose it ("you heard her"); under "Recommended:" alone
    it read as something this trainee had done."""
    best = app.extensions["trainer_registry"].latest("example-queue").choices["greet_and_acknowledge"][1]
    html = debrief(client, auth, play(app, users["trainee"], ["wait_your_turn", "give_time_estimate"]))
    box = html[html.index('id="decision-1"'):html.index('id="decision-2"')]
    assert f"Рекомендовано:</strong> {best.text.uk}</p>" in box
    assert f'<p class="why-better"><strong>Чому так було б краще:</strong> {best.feedback.uk}</p>' in box
    assert f"<p>{best.feedback.uk}</p>" not in box


def test_no_recommended_answer_at_all_is_said_without_a_zero(app, client, auth, users):
    html = debrief(client, auth, play(app, users["trainee"], ["ignore"]))
    steps = html[html.index('id="steps"'):]
    assert "Рекомендовану відповідь не обрано жодного разу." in steps
    assert "у 0 з" not in html


@pytest.mark.parametrize(("total", "expected"), [
    (1, "в 1 з 1 рішення."), (2, "в 1 з 2 рішень."), (5, "в 1 з 5 рішень."), (21, "в 1 з 21 рішення.")])
def test_the_count_of_recommended_answers_agrees_with_the_number_of_decisions(app, total, expected):
    from flask import render_template_string, session
    source = ('{{ ngettext("You chose the recommended answer at %(n)s of %(num)d decision. Open a decision to read '
              'why its answer worked, or what would have worked better.", "You chose the recommended answer at %(n)s '
              'of %(num)d decisions. Open a decision to read why its answer worked, or what would have worked better.", '
              'total, n=1) }}')
    with app.test_request_context("/"):
        session["locale"] = "uk"
        assert expected in render_template_string(source, total=total)


def test_a_total_below_zero_is_shown_with_a_minus_and_why_it_reads_0(app, client, auth, users):
    """«0% (-2 / 5)» used the hyphen and did not say why a negative total shows as 0%."""
    html = debrief(client, auth, play(app, users["trainee"], ["ignore"]))
    scores = html[html.index('id="scores"'):html.index('id="steps"')]
    empathy = next(row for row in re.findall(r"<tr>.*?</tr>", scores, re.S) if "Емпатія" in row)
    assert re.search(r'value="0">0%</meter> 0%</span> <span class="muted">\(\u22122 / \d+\)</span>', empathy)
    assert "бали нижче нуля рахуються як 0%" in empathy
    assert '<span class="loss">\u22122</span>' in empathy
    assert not re.search(r"\(-\d|>-\d", scores)  # no hyphen for a minus
    below_zero = [row for row in re.findall(r"<tr>.*?</tr>", scores, re.S) if "нижче нуля" in row]
    assert below_zero == [empathy]  # only where the total is below zero


def test_the_summaries_cut_long_lines_between_words_without_punctuation_before_the_ellipsis(app, client, auth, users):
    """busy-queue's fifth line was cut as «…після інсульту,…»."""
    html = debrief(client, auth, play(app, users["trainee"], scenario="busy-queue"))
    summaries = re.findall(r'<span class="step-question">(.*?)</span>', html, re.S)
    assert any("…" in s for s in summaries)
    for summary in summaries:
        assert not re.search(r"[.,:;—-]\s*…", summary), summary
        assert len(summary.strip("«»")) <= 90


def test_after_an_assessment_the_button_says_it_starts_practice(app, client, auth, users):
    """"Play again" after an assessment silently started a practice attempt, as if retaking it."""
    from trainer.extensions import db
    from trainer.models import Assignment

    with app.app_context():
        assignment = Assignment(scenario_id="example-queue", user_id=users["trainee"], mode="assessment",
                                created_by=users["supervisor"])
        db.session.add(assignment)
        db.session.commit()
        assignment_id = assignment.id
    assessed = debrief(client, auth, play(app, users["trainee"], assignment_id=assignment_id))
    actions = assessed[assessed.index('<div class="actions">'):]
    assert "Потренуватися в цьому сценарії</button>" in actions and "Пройти ще раз" not in assessed
    practised = client.get(f"/attempts/{play(app, users['trainee'])}/debrief").get_data(as_text=True)
    assert "Потренуватися ще раз</button>" in practised  # the assignments page's name for it


def test_the_debrief_page_has_one_name():
    """The page is «Розбір»; the catalogue called it «сторінка підсумків» in places."""
    from babel.messages.pofile import read_po

    from tests.conftest import ROOT
    with (ROOT / "trainer" / "translations" / "uk" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        texts = [" ".join(m.string) if isinstance(m.string, (list, tuple)) else m.string for m in read_po(f) if m.id]
    assert not [t for t in texts if "підсумк" in t]
    assert any("сторінці розбору" in t for t in texts)


# -- comparing tries, the manual's way back, wording (self-study review, 4, 15, 17) ----------

def test_a_replay_is_compared_with_the_previous_attempt(app, client, auth, users):
    first = play(app, users["trainee"], ["wait_your_turn", "give_time_estimate"])  # empathy 0 %, clarity 100 %
    second = play(app, users["trainee"], ["greet_and_acknowledge", "explain_and_check"])
    html = debrief(client, auth, second)
    compared = html[html.index('<div class="compared">'):html.index("</div>", html.index('<div class="compared">'))]
    assert re.search(r"Попередня спроба \(\d{1,2} [^)]+\): 50% → зараз 100%", compared), compared
    assert f'href="/attempts/{first}/debrief">Відкрити її розбір</a>' in compared
    lines = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
             for li in re.findall(r"<li>(.*?)</li>", compared, re.S)]
    assert lines == ["Емпатія та активне слухання: 0% → 100% (+100)",
                     "Зрозуміла й повна інформація, адресне перенаправлення: 100% → 100% (без змін)"], lines
    earlier = client.get(f"/attempts/{first}/debrief").get_data(as_text=True)
    assert "Загальний бал" in earlier and 'class="compared"' not in earlier  # nothing before the first try


def test_a_competency_only_one_try_scored_is_not_compared(app, client, auth, users):
    from sqlalchemy import delete

    from trainer.extensions import db
    from trainer.models import AttemptScore

    first = play(app, users["trainee"], ["wait_your_turn", "give_time_estimate"])
    second = play(app, users["trainee"], ["greet_and_acknowledge", "explain_and_check"])
    with app.app_context():  # as when the first conversation ended before empathy came up
        db.session.execute(delete(AttemptScore).where(AttemptScore.attempt_id == first,
                                                      AttemptScore.competency == "empathy"))
        db.session.commit()
    compared = debrief(client, auth, second)
    compared = compared[compared.index('<div class="compared">'):]
    compared = compared[:compared.index("</div>")]
    assert "Зрозуміла й повна інформація" in compared and "Емпатія" not in compared
    assert "100% → зараз 100%" in compared


def test_the_debrief_lists_competencies_in_the_frameworks_order(app, client, auth, users):
    html = debrief(client, auth, play(app, users["trainee"], scenario="busy-queue"))  # scenario: clarity, respect, empathy, …
    table = html[html.index('<table class="scores">'):html.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert [r.split(" ")[0] for r in rows] == ["Емпатія", "Повага,", "Зрозуміла", "Саморегуляція"], rows
    form = html[html.index('id="self-rating"'):]
    form = form[:form.index("</form>")]
    legends = re.findall(r"<legend>([^<]+)</legend>", form)
    assert [legend.split(" ")[0] for legend in legends] == ["Емпатія", "Повага,", "Зрозуміла", "Саморегуляція"], legends


def test_the_answers_that_changed_a_score_are_named_as_answers(app, client, auth, users):
    html = debrief(client, auth, play(app, users["trainee"], ["greet_and_acknowledge", "explain_and_check"]))
    assert "<summary>Відповіді, що змінили бал (1)</summary>" in html
    assert "зміна балів" not in html and "зміни балів" not in html


def test_the_debriefs_manual_links_lead_back_to_it(app, client, auth, users):
    attempt_id = play(app, users["trainee"], ["wait_your_turn", "give_time_estimate"])
    html = debrief(client, auth, attempt_id)
    reading = html[html.index('id="read"'):]
    links = re.findall(r'href="(/manual/[^"]+)"', reading[:reading.index("</section>")])
    assert links and all(f"?attempt={attempt_id}#page-title" in link for link in links), links
    box = html[html.index('id="decision-1"'):html.index('id="decision-2"')]
    assert f"?attempt={attempt_id}#page-title" in box  # the recommended answer's sections too


def _play_with_a_written_answer(app, user_id, text_of):
    """Play crying-client along the recommended answers, writing ``text_of(node)`` where an
    answer is written; returns the attempt id."""
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import User
    from trainer.scenario.engine import PlayState

    with app.app_context():
        compiled = app.extensions["trainer_registry"].latest("crying-client")
        attempt = attempts.start_or_resume(db.session, db.session.get(User, user_id), compiled, restart=True)
        db.session.commit()
        best = dict(compiled.analysis.recommended_path)
        for step in range(40):
            if attempt.status == "finished":
                return attempt.id
            node = PlayState.from_dict(attempt.state).node
            if compiled.is_free_text(node):
                result = attempts.answer(db.session, attempt, compiled, step, text=text_of(compiled, node))
            else:
                result = attempts.answer(db.session, attempt, compiled, step, best.get(node)
                                         or compiled.scenario.nodes[node].choices[0].id)
            assert result.recorded
            db.session.commit()
    raise AssertionError("the attempt did not finish")


def test_a_written_answers_outcome_reads_as_a_category_not_as_what_was_written(app, client, auth, users):
    attempt_id = _play_with_a_written_answer(
        app, users["trainee"], lambda compiled, node: compiled.scenario.nodes[node].free_text.model_answer.uk)
    html = debrief(client, auth, attempt_id)
    assert re.search(r"<strong>Зараховано як «[^»]+»\.</strong> Опис категорії: ", html)
    assert "Як зараховано вашу відповідь" not in html


def test_the_last_answers_reaction_comes_before_the_endings_line(app, client, auth, users):
    """The last answer goes straight to the debrief, so the client's reaction to it opens the
    ending's box there, before the ending's own line."""
    path = ["greet_turn_to_him", "story_keep_floor", "docs_ask_how", "form_offer_options", "sign_ask_him",
            "moment_plain", "contacts_mother_number"]
    compiled = app.extensions["trainer_registry"].latest("no-upper-limbs")
    reaction = compiled.choices["contacts_mother_number"][1].reaction.says.uk
    html = debrief(client, auth, play(app, users["trainee"], path, scenario="no-upper-limbs"))
    ending = compiled.scenario.endings["through_his_mother"].client.says.uk
    box = html.split('<h2 id="outcome">')[1].split('<h2 id="scores"')[0]
    assert box.index(f"«{reaction}»") < box.index(f"«{ending}»")
    other = play(app, users["trainee"], path[:-1] + ["contacts_his_choice"], scenario="no-upper-limbs")
    assert f"«{reaction}»" not in unescape(client.get(f"/attempts/{other}/debrief").get_data(as_text=True))
