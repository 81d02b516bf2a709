"""Playing in the browser: catalogue, intro, play-through, double submit, resume."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token

SCENARIO = "example-queue"


def start(client):
    token = csrf_token(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    response = client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token})
    assert response.status_code == 302
    return response.headers["Location"]


def answer(client, url, choice, step=None):
    html = client.get(url).get_data(as_text=True)
    token = csrf_token(html)
    if step is None:
        step = int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))
    return client.post(url + "/answer", data={"csrf_token": token, "step": step, "choice": choice})


def count_steps(app):
    from trainer.extensions import db
    from trainer.models import Step
    with app.app_context():
        return db.session.scalar(select(func.count(Step.id)))


def test_catalogue_groups_by_chapter_and_shows_last_result(client, auth):
    auth.login()
    html = client.get("/scenarios").get_data(as_text=True)
    assert "Черга біля стійки" in html
    assert "2. Перший контакт з клієнтом" in html
    assert "ще не пройдено" in html


def test_catalogue_opens_with_its_chapters_each_a_jump_to_its_cards(client, auth, registry):
    auth.login()
    html = client.get("/scenarios").get_data(as_text=True)
    jumps = html.split('class="chapter-jumps"')[1].split("</nav>")[0]
    links = re.findall(r'<li><a href="#(ch-\d+)">([^<]+)</a> <span class="muted">\((\d+) сценарі\w*\)</span>', jumps)
    headings = re.findall(r'<h2 id="(ch-\d+)">Посібник ([^<]+)</h2>', html)
    assert [(anchor, label) for anchor, label, _n in links] == headings and len(headings) > 1
    assert sum(int(n) for _a, _l, n in links) == len(registry.current)
    # Each count is the cards under its heading.
    for anchor, _label, n in links:
        section = html.split(f'<h2 id="{anchor}">')[1].split("</section>")[0]
        assert section.count('<li class="card">') == int(n)
    # One chapter left by the filters: nothing to jump between.
    one = client.get("/scenarios", query_string={"q": "олег бахмута"}).get_data(as_text=True)
    assert len(re.findall(r'<h2 id="ch-\d+">', one)) == 1 and "chapter-jumps" not in one


def test_intro_shows_persona_and_what_it_trains(client, auth):
    auth.login()
    html = client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True)
    assert "Олег" in html and "Переселенець з Бахмута" in html
    assert "Емпатія та активне слухання" in html
    assert "2.5. Керування чергою" in html



def test_intro_gives_the_clients_age_in_a_sentence_that_reads_well(client, auth):
    auth.login()
    html = unescape(client.get("/scenarios/busy-queue").get_data(as_text=True))
    assert "Сергій Ярошенко</strong>, 47 років. Переселенець" in html


@pytest.mark.parametrize(("age", "uk", "en"), [(47, "47 років", "47 years old"), (43, "43 роки", "43 years old"),
                                               (41, "41 рік", "41 years old"), (1, "1 рік", "1 year old"),
                                               (11, "11 років", "11 years old")])
def test_the_clients_age_agrees_with_its_number(app, age, uk, en):
    from flask import render_template_string, session
    for locale, expected in (("uk", uk), ("en", en)):
        with app.test_request_context("/"):
            session["locale"] = locale
            assert render_template_string(
                '{{ ngettext("%(num)d year old", "%(num)d years old", age) }}', age=age) == expected


def test_intro_lists_the_manual_sections_without_repeating_the_word_manual(client, auth):
    auth.login()
    html = unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    sections = html[html.index("Розділи посібника"):html.index("</ul>", html.index("Розділи посібника"))]
    assert ">2.5. Керування чергою</a>" in sections and "Посібник" not in sections

def test_unknown_scenario_is_404(client, auth):
    auth.login()
    assert client.get("/scenarios/nope").status_code == 404


def test_play_through_to_debrief(client, auth, app):
    auth.login()
    url = start(client)
    page = client.get(url).get_data(as_text=True)
    assert "Я вже сорок хвилин тут стою!" in page
    assert 'aria-live="polite"' in page and "<progress" in page
    assert "стискає талончик" in page  # a cue, not a number
    response = answer(client, url, "greet_and_acknowledge")
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    # Feedback on the last answer; the rating continues the heading's sentence, in lower case.
    assert "Про вашу останню відповідь: рекомендовано" in page
    assert "Добре. То що мені робити?" in page
    response = answer(client, url, "explain_and_check")
    assert response.headers["Location"] == url + "/debrief"  # the last answer leads straight there
    debrief = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Олег дочекався" in debrief
    assert "100%" in debrief
    assert "не завдяки кожній вашій відповіді" not in debrief  # no harmful answer, nothing to qualify
    assert "Посібник 2.5. Керування чергою" in debrief
    assert count_steps(app) == 2
    catalogue = client.get("/scenarios").get_data(as_text=True)
    # "Your last result: good", not "…: Good outcome" (the label already says "result").
    assert re.search(r'Ваш останній результат:</span>\s*<span class="badge outcome-good">добрий</span>', catalogue)
    assert "Добрий результат" not in catalogue


def test_the_client_answers_the_very_remark_before_the_shared_next_line(client, auth, app):
    """A choice's reaction opens what the client says next, follows the answer in the
    conversation so far, and stands under the answer in the debrief."""
    auth.login()
    url = start(client)
    answer(client, url, "wait_your_turn")
    page = client.get(url).get_data(as_text=True)
    now = page.split('id="client-current"')[1].split("</div>")[0]
    assert now.index("Та бачу я ту жінку в синьому!") < now.index("Та ви завжди так кажете.")
    # Said once: the last answer's reaction opens the current lines and is not repeated in
    # the conversation so far (an earlier answer's would follow it there).
    assert page.count("Та бачу я ту жінку в синьому!") == 1
    answer(client, url, "promise_soon")
    debrief = client.get(url + "/debrief").get_data(as_text=True)
    decision = debrief.split('id="decision-1"')[1].split('id="decision-2"')[0]
    assert decision.index("Ваша черга") < decision.index("Та бачу я ту жінку в синьому!")


def test_an_earlier_answers_reaction_follows_it_in_the_conversation_so_far(client, auth, app, monkeypatch):
    # busy-queue has more than two decisions: give its first recommended answer a reaction.
    from trainer.scenario.model import ClientLine, Text
    compiled = app.extensions["trainer_registry"].latest("busy-queue")
    first = compiled.scenario.nodes[compiled.scenario.start]
    chosen = next(c for c in first.choices if c.rating == "recommended")
    line = ClientLine(says=Text(uk="Ой, дякую, що помітили.", en="Oh, thanks for noticing."))
    monkeypatch.setitem(compiled.choices, chosen.id,
                        (compiled.choices[chosen.id][0], chosen.model_copy(update={"reaction": line})))
    auth.login()
    token = csrf_token(client.get("/scenarios/busy-queue").get_data(as_text=True))
    url = client.post("/scenarios/busy-queue/start", data={"csrf_token": token}).headers["Location"]
    answer(client, url, chosen.id)
    # The recommended one: the options' order depends on the attempt's id, and the first
    # on the page may end the conversation (then there is no history to read).
    offered = re.findall(r'name="choice" required type="radio" value="([^"]+)"', client.get(url).get_data(as_text=True))
    second = next(c for c in offered if compiled.choices[c][1].rating == "recommended")
    answer(client, url, second)
    page = client.get(url).get_data(as_text=True)
    history = page.split('class="history"')[1].split("</details>")[0]
    first_item = history.split("</li>")[0]
    assert first_item.index("Ви:") < first_item.index("Ой, дякую, що помітили.")
    assert page.count("Ой, дякую, що помітили.") == 1


def test_a_good_ending_after_a_harmful_answer_is_a_mixed_outcome_and_says_why(client, auth, app):
    """helpless-client: a reproach for coming alone and taking his whole case over (both
    harmful), then answers that get Petro Ivanovych to the good ending, whose summary says "you
    didn't take his case over". The attempt counts as mixed, and the page says the summary is
    the recommended way there, not the trainee's."""
    from trainer.extensions import db
    from trainer.models import Attempt

    auth.login()
    token = csrf_token(client.get("/scenarios/helpless-client").get_data(as_text=True))
    url = client.post("/scenarios/helpless-client/start", data={"csrf_token": token}).headers["Location"]
    for choice in ("ask_what_done", "should_have_come", "offer_paths", "smallest_step", "told_you_so",
                   "arrange_everything", "his_choice_with_facts", "next_please"):
        response = answer(client, url, choice)
    assert response.headers["Location"] == url + "/debrief"
    debrief = unescape(client.get(url + "/debrief").get_data(as_text=True))
    assert "Неоднозначний результат: Перший крок — його власний" in debrief
    assert "не завдяки кожній вашій відповіді: 2 з них були шкідливими" in debrief
    assert "Ось як до цього завершення ведуть рекомендовані відповіді:" in debrief
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert (attempt.ending, attempt.outcome) == ("own_steps", "mixed")


def test_double_submit_records_once(client, auth, app):
    auth.login()
    url = start(client)
    html = client.get(url).get_data(as_text=True)
    token = csrf_token(html)
    data = {"csrf_token": token, "step": 0, "choice": "greet_and_acknowledge"}
    first = client.post(url + "/answer", data=data)
    second = client.post(url + "/answer", data=data)
    assert first.status_code == second.status_code == 302
    assert count_steps(app) == 1
    # A resent older form for step 0 with another choice changes nothing either.
    client.post(url + "/answer", data={**data, "choice": "ignore"})
    assert count_steps(app) == 1
    assert "уже записано" in client.get(url).get_data(as_text=True)


def test_missing_choice_is_explained(client, auth):
    auth.login()
    url = start(client)
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(url + "/answer", data={"csrf_token": token, "step": 0})
    assert response.status_code == 422
    assert "Оберіть один із варіантів" in response.get_data(as_text=True)


def test_choice_from_another_node_is_rejected(client, auth, app):
    auth.login()
    url = start(client)
    response = answer(client, url, "explain_and_check")
    assert response.status_code == 422  # not among this step's options
    assert count_steps(app) == 0


def test_answer_without_csrf_is_rejected(client, auth, app):
    auth.login()
    url = start(client)
    response = client.post(url + "/answer", data={"step": 0, "choice": "greet_and_acknowledge"})
    assert response.status_code == 400
    assert count_steps(app) == 0


def test_resume_after_logout_and_a_new_app_instance(client, auth, app, make_app):
    auth.login()
    url = start(client)
    answer(client, url, "wait_your_turn")
    auth.logout()
    fresh = make_app().test_client()
    token = csrf_token(fresh.get("/login").get_data(as_text=True))
    fresh.post("/login", data={"username": "test.trainee", "password": "test.trainee", "csrf_token": token})
    intro = fresh.get(f"/scenarios/{SCENARIO}").get_data(as_text=True)
    assert "Продовжити з місця зупинки" in intro
    token = csrf_token(intro)
    resumed = fresh.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token})
    assert resumed.headers["Location"] == url
    assert "Та ви завжди так кажете." in fresh.get(url).get_data(as_text=True)


def test_restart_sets_the_old_attempt_aside(client, auth):
    auth.login()
    url = start(client)
    answer(client, url, "wait_your_turn")
    token = csrf_token(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    again = client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token, "restart": "y"})
    assert again.headers["Location"] != url
    assert client.get(url).status_code == 302


def _restart_elsewhere(client) -> None:
    """"Start again" on the scenario, as from another tab."""
    token = csrf_token(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token, "restart": "y"})


def test_an_answer_in_a_tab_whose_attempt_was_set_aside_says_it_was_not_recorded(client, auth, app):
    auth.login()
    url = start(client)
    answer(client, url, "wait_your_turn")  # an attempt with no answer is resumed, not set aside
    html = client.get(url).get_data(as_text=True)
    choice = re.search(r'name="choice" required type="radio" value="([^"]+)"', html).group(1)
    data = {"csrf_token": csrf_token(html), "step": 1, "choice": choice}
    _restart_elsewhere(client)
    response = client.post(url + "/answer", data=data)
    assert response.headers["Location"] == f"/scenarios/{SCENARIO}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # One message, and a true one: nothing was recorded, so not «уже записано».
    assert "вашу відповідь не записано" in page
    assert "уже записано" not in page
    assert page.count('<p class="flash ') == 1
    assert count_steps(app) == 1
    # Not even checked: a form sent without a pick is not sent back to be completed.
    incomplete = client.post(url + "/answer", data={"csrf_token": data["csrf_token"], "step": 1})
    assert incomplete.status_code == 302 and incomplete.headers["Location"] == f"/scenarios/{SCENARIO}"


def test_an_attempt_set_aside_while_its_answer_is_on_its_way_says_so_too(client, auth, app, monkeypatch):
    """Set aside after the answer view read it and before its write: the write finds no row."""
    from trainer import attempts as attempt_service
    from trainer.extensions import db
    from trainer.models import Attempt

    real = attempt_service.answer

    def set_aside_first(session, attempt, *args, **kwargs):
        # Core, not the ORM: the attempt this request loaded still reads "active".
        session.execute(Attempt.__table__.update().where(Attempt.__table__.c.id == attempt.id)
                        .values(status="abandoned"))
        return real(session, attempt, *args, **kwargs)

    auth.login()
    url = start(client)
    monkeypatch.setattr(attempt_service, "answer", set_aside_first)
    response = answer(client, url, "greet_and_acknowledge")
    assert response.headers["Location"] == f"/scenarios/{SCENARIO}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "вашу відповідь не записано" in page and "уже записано" not in page
    assert count_steps(app) == 0
    with app.app_context():
        assert db.session.scalar(select(Attempt.status)) == "abandoned"


def test_other_users_attempt_is_not_visible(client, auth):
    auth.login()
    url = start(client)
    auth.logout()
    auth.login("test.other")
    assert client.get(url).status_code == 404
    assert client.get(url + "/debrief").status_code == 404


def test_attempt_survives_a_scenario_file_change(client, auth, app):
    """An attempt is pinned to the version it started on, even after the file changes."""
    from trainer.extensions import db
    from trainer.models import Attempt

    auth.login()
    url = start(client)
    answer(client, url, "greet_and_acknowledge")
    registry = app.extensions["trainer_registry"]
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        content_hash, source = attempt.version.content_hash, attempt.version.source
    registry._compiled.pop(content_hash)  # as if the file had changed and the cache moved on
    assert registry.get(content_hash) is None
    answer(client, url, "explain_and_check")
    assert "Олег дочекався" in client.get(url + "/debrief").get_data(as_text=True)
    assert registry.get(content_hash, source) is not None


def test_english_play(client, auth):
    auth.login()
    token = auth.token("/account/language")
    client.post("/account/language", data={"locale": "en", "csrf_token": token})
    url = start(client)
    html = unescape(client.get(url).get_data(as_text=True))
    assert "I've been standing here forty minutes!" in html
    assert "What do you say or do?" in html
    # The client's words in English quotation marks, not the Ukrainian ones.
    assert "“I've been standing here forty minutes!”" in html and "«" not in html


def test_the_clients_words_are_in_quotation_marks_once(client, auth):
    auth.login()
    html = unescape(client.get(start(client)).get_data(as_text=True))
    assert "«Я вже сорок хвилин тут стою!»" in html
    assert "««" not in html and "»»" not in html


def test_catalogue_shows_difficulty_duration_and_content_notes(client, auth, registry):
    auth.login()
    html = client.get("/scenarios").get_data(as_text=True)
    crying = registry.current["crying-client"].scenario
    assert crying.content_note is not None
    assert crying.content_note.uk[:40] in html
    assert f"близько {crying.duration_minutes} хв" in html
    assert "5.2. Складні ситуації" in html and "5.3. Нестандартні випадки" in html
    assert html.index("2. Перший контакт") < html.index("5.2. Складні ситуації") < html.index("5.3. Нестандартні")


def _titles(html: str) -> list[str]:
    """The scenario titles on a catalogue page, in order."""
    return [unescape(t) for t in re.findall(r'<li class="card">\s*<h3><a href="[^"]+">([^<]+)</a>', html)]


def _uk_scenarios(n: int) -> str:
    forms = ("сценарій", "сценарії", "сценаріїв")
    form = forms[0] if n % 10 == 1 and n % 100 != 11 else forms[1] if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else forms[2]
    return f"Знайдено: {n} {form}"


def test_catalogue_filters_by_level_and_competency_from_the_query_string(client, auth, registry):
    auth.login()
    everything = client.get("/scenarios").get_data(as_text=True)
    total = len(registry.current)
    assert len(_titles(everything)) == total and _uk_scenarios(total) in everything
    assert '<form method="get" action="/scenarios"' in everything and "Скинути фільтри" not in everything
    for label in ("Слова в назві, описі чи про клієнта", "Компетентність", "Рівень", "Показати"):
        assert f">{label}</label>" in everything

    html = client.get("/scenarios?level=introductory&competency=clarity").get_data(as_text=True)
    wanted = [tr.scenario.title.uk for tr in registry.current.values()
              if tr.scenario.difficulty == "introductory" and "clarity" in tr.scenario.competencies]
    assert sorted(_titles(html)) == sorted(wanted) and wanted
    assert f"{_uk_scenarios(len(wanted))}</strong> (з {total})" in html
    assert '<a href="/scenarios">Скинути фільтри</a>' in html
    # The form shows what was chosen, so the next change starts from it.
    assert '<option selected value="introductory">' in html and '<option selected value="clarity">' in html


def test_catalogue_text_filter_and_its_plural(client, auth):
    auth.login()
    html = client.get("/scenarios", query_string={"q": " олег  БАХМУТА "}).get_data(as_text=True)
    assert _titles(html) == ["Черга біля стійки"]  # the client's name and where he is from, any case
    assert "Знайдено: 1 сценарій</strong>" in html and 'value="олег БАХМУТА"' in html
    html = client.get("/scenarios?q=nothing-like-this").get_data(as_text=True)
    assert _titles(html) == [] and "Знайдено: 0 сценаріїв" in html
    assert "Жоден сценарій не відповідає цим фільтрам." in html
    assert "No scenarios are available" not in unescape(html) and "Немає доступних" not in html
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = client.get("/scenarios", query_string={"q": "QUEUE oleh"}).get_data(as_text=True)
    assert _titles(html) == ["A queue at the front desk"] and "Found: 1 scenario</strong> (of" in html


def test_catalogue_shows_what_is_not_played_yet(client, auth, registry):
    auth.login()
    url = start(client)
    answer(client, url, "greet_and_acknowledge")
    answer(client, url, "explain_and_check")
    html = client.get("/scenarios?status=unplayed").get_data(as_text=True)
    assert "Черга біля стійки" not in _titles(html) and len(_titles(html)) == len(registry.current) - 1
    assert _titles(client.get("/scenarios?status=due").get_data(as_text=True)) == []  # the first refresher is days away


@pytest.mark.parametrize("query", ["level=hard", "competency=nonsense&status=all", "status=", "q=", "level=1&level=2",
                                   "q=" + "я" * 500])
def test_catalogue_ignores_filter_values_it_does_not_know(client, auth, registry, query):
    auth.login()
    response = client.get(f"/scenarios?{query}")
    assert response.status_code == 200
    if not query.startswith("q=я"):
        assert len(_titles(response.get_data(as_text=True))) == len(registry.current)


def test_the_intro_puts_the_start_button_before_the_persona_and_the_manual_sections(client, auth):
    """On a phone the Start button was three screens down, under the list of sections."""
    auth.login()
    html = client.get("/scenarios/aggressive-client").get_data(as_text=True)
    start_form = html.index('action="/scenarios/aggressive-client/start"')
    assert html.index('id="cn"') < start_form  # after the content note
    assert start_form < html.index('id="persona"') < html.index('class="refs"')


def _statements(app):
    """The SQL statements the app's engine runs, collected until the returned list is dropped."""
    from sqlalchemy import event

    from trainer.extensions import db

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    return seen


def test_a_step_reads_the_database_sparingly(client, auth, app):
    """Guard for the step's cost (bench/step_rps.py): the play page is three SELECTs (the user;
    the attempt with its version's hash; the columns of its steps that the page shows, not
    their state and score JSON), an answer selects nothing after its UPDATE and writes no
    savepoint, the last one stores its scores in one INSERT, and the stored scenario text is
    not read while its version is compiled."""
    auth.login()
    url = start(client)
    html = client.get(url).get_data(as_text=True)
    seen = _statements(app)
    response = client.post(url + "/answer", data={"csrf_token": csrf_token(html), "step": 0,
                                                  "choice": "greet_and_acknowledge"})
    assert response.status_code == 302 and response.headers["Location"] == url
    first_write = next(i for i, s in enumerate(seen) if s.startswith("UPDATE"))
    assert [s for s in seen if s.startswith("SELECT")] == seen[:2] and first_write > 1, seen
    assert not [s for s in seen if "SAVEPOINT" in s], seen
    answered = len(seen)
    html = client.get(url).get_data(as_text=True)
    assert "Добре. То що мені робити?" in html and "відповідь: рекомендовано" in html  # the step is on the page
    page = seen[answered:]
    assert len(page) == 3 and all(s.startswith("SELECT") for s in page), page
    assert "FROM steps" in page[2] and "state_after" not in page[2] and "score_delta" not in page[2], page[2]
    assert not [s for s in seen if "scenario_versions.source" in s], seen
    # The last answer stores the scores in one INSERT and leads straight to the debrief.
    finished = len(seen)
    response = client.post(url + "/answer", data={"csrf_token": csrf_token(html), "step": 1,
                                                  "choice": "explain_and_check"})
    assert response.headers["Location"] == url + "/debrief"
    assert len([s for s in seen[finished:] if s.startswith("INSERT INTO attempt_scores")]) == 1, seen[finished:]


def test_starting_an_attempt_reads_only_what_it_needs(client, auth, app):
    """Guard for the step benchmark's starts: the version is looked up by its id alone (not as
    an object, and never with its stored scenario text), and the new attempt is not selected
    again after the commit."""
    auth.login()
    token = csrf_token(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    seen = _statements(app)
    response = client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token})
    assert response.status_code == 302
    assert not [s for s in seen if "scenario_versions.source" in s], seen
    assert any(s.startswith("SELECT scenario_versions.id FROM scenario_versions") for s in seen), seen
    # Nothing read after it; the savepoint around the insert lets a second start at the same
    # moment resume this attempt instead of failing.
    statements = [s for s in seen if "SAVEPOINT" not in s]
    assert statements[-1].startswith("INSERT INTO attempts"), seen


def test_answer_inputs_are_the_markup_wtforms_would_render(client, auth, app, registry):
    """play.html writes the answer form's inputs out by hand (WTForms' widgets were a sixth of
    the page's CPU); they must stay what the widgets render, checked option included."""
    from trainer.play.forms import AnswerForm
    from trainer.scenario.order import option_order

    auth.login()
    url = start(client)
    html = client.get(url).get_data(as_text=True)
    # A valid choice without the step index: 422, the page again with that choice checked.
    response = client.post(url + "/answer", data={"csrf_token": csrf_token(html), "choice": "ignore"})
    assert response.status_code == 422
    resent = response.get_data(as_text=True)
    scenario = registry.current[SCENARIO].scenario
    node = scenario.nodes[scenario.start]
    text = {c.id: c.text.get("uk") for c in node.choices}
    order = option_order(int(url.rsplit("/", 1)[1]), node_id=scenario.start, ids=list(text))
    for page, data in ((html, {}), (resent, {"choice": "ignore"})):
        with app.test_request_context(method="POST", data=data):
            form = AnswerForm()
            form.choice.choices = {cid: text[cid] for cid in order}
            form.step.data = 0
            expected = [str(option()) for option in form.choice] + [str(form.step)]
        for markup in expected:
            assert markup in page, markup
        assert page.count('name="csrf_token" type="hidden"') == 1 and '<input id="csrf_token"' in page
    assert 'checked id="choice-' in resent and 'checked id="choice-' not in html


def test_each_attempt_offers_the_options_in_its_own_order_the_same_on_every_reload(client, auth, registry):
    """Authors write the recommended answer first; offered in file order it would give itself away."""
    auth.login()
    scenario = registry.current[SCENARIO].scenario
    recommended = next(c.id for c in scenario.nodes[scenario.start].choices if c.rating == "recommended")
    orders, firsts = set(), set()
    for _ in range(8):
        token = csrf_token(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
        url = client.post(f"/scenarios/{SCENARIO}/start", data={"csrf_token": token, "restart": "y"}).headers["Location"]
        page = client.get(url).get_data(as_text=True)
        order = tuple(re.findall(r'name="choice" required type="radio" value="([^"]+)"', page))
        assert len(order) == len(scenario.nodes[scenario.start].choices)
        again = client.get(url).get_data(as_text=True)
        assert tuple(re.findall(r'name="choice" required type="radio" value="([^"]+)"', again)) == order
        orders.add(order)
        firsts.add(order[0])
        # One answer, so that "start again" makes a new attempt: one with no answer yet is
        # continued rather than replaced (trainer/attempts.start_or_resume).
        assert answer(client, url, order[0], step=0).status_code == 302
    assert len(orders) > 1
    assert firsts - {recommended}  # the recommended answer is not always the first


# -- the scenario's page and the play page's wording ---------------------------------------

def test_intro_lists_each_manual_section_once_and_keeps_authors_notes_from_trainees(client, auth, registry):
    scenario = registry.current["aggressive-client"].scenario
    notes = [s for s in scenario.sources if s.title]
    assert notes and any(s.manual in scenario.manual for s in scenario.sources)  # a section both trained and cited
    auth.login()
    html = unescape(client.get("/scenarios/aggressive-client").get_data(as_text=True))
    links = re.findall(r'<a href="/manual/([\d.]+)#page-title">', html)
    expected = list(dict.fromkeys([*scenario.manual, *(s.manual for s in scenario.sources if s.manual)]))
    assert links == expected  # trained first, then cited; none twice
    assert not any(note.title_in(lang) in html for note in notes for lang in ("uk", "en"))
    assert "Джерела" not in html
    auth.logout()
    auth.login("test.supervisor")
    html = unescape(client.get("/scenarios/aggressive-client").get_data(as_text=True))
    assert "Інші джерела (бачать лише керівники й адміністратори)" in html
    # Each note in the reader's language: the Ukrainian one here, not the English.
    assert all(note.title_in("uk") in html for note in notes)
    assert not any(note.title_in("en") in html for note in notes if note.title_in("en") != note.title_in("uk"))


def test_a_source_title_is_in_the_readers_language_and_marked_with_it(app):
    from flask import g

    from trainer.play.views import source_title
    from trainer.scenario.model import Source, Text
    bilingual = Source(title=Text(uk="МОЗ України, «Як висловити подяку» <b>", en="Ministry of Health (2024) <b>"))
    with app.test_request_context("/"):
        g.lang = "uk"
        assert source_title(Source(title="WHO, Psychological First Aid (2011)")) == (
            '<span lang="en">WHO, Psychological First Aid (2011)</span>')
        assert source_title(bilingual) == "МОЗ України, «Як висловити подяку» &lt;b&gt;"
        g.lang = "en"
        assert source_title(bilingual) == "Ministry of Health (2024) &lt;b&gt;"
        assert source_title(Source(title="МОЗ України (2024)")) == '<span lang="uk">МОЗ України</span> (2024)'
        assert source_title(Source(url="https://dostupno.ua")) == "https://dostupno.ua"


def test_only_a_web_address_becomes_a_link(client, auth, registry, monkeypatch):
    from trainer.scenario.model import Source
    scenario = registry.current["aggressive-client"].scenario
    sources = [Source(title="Safe guide", url="https://example.org/guide"),
               Source(title="Sneaky", url="javascript:alert(1)")]
    monkeypatch.setattr(type(scenario), "sources", property(lambda self: sources), raising=False)
    auth.login("test.admin")
    html = client.get("/scenarios/aggressive-client").get_data(as_text=True)
    assert '<a href="https://example.org/guide"><span lang="en">Safe guide</span></a>' in html
    assert "javascript:" not in html and '<span lang="en">Sneaky</span>' in html


@pytest.mark.parametrize(("lang", "expected"), [("uk", "Рівень: поглиблений · близько 15 хв"),
                                                ("en", "Difficulty: Advanced · about 15 min")])
def test_the_level_reads_as_a_phrase(client, auth, lang, expected):
    auth.login()
    if lang == "en":
        client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    assert expected in client.get("/scenarios/aggressive-client").get_data(as_text=True)
    assert expected in client.get("/scenarios").get_data(as_text=True)


def test_the_step_counter_says_how_many_more_usually_follow(client, auth):
    auth.login()
    url = start(client)
    html = client.get(url).get_data(as_text=True)
    assert '<label for="progress">Крок 1 · далі ще приблизно 1</label>' in html  # the example: two steps
    answer(client, url, "greet_and_acknowledge")
    html = client.get(url).get_data(as_text=True)
    assert '<label for="progress">Крок 2 · імовірно, останній</label>' in html
    assert "приблизно 2" not in html and " з приблизно" not in html
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    assert '<label for="progress">Step 2 · probably the last one</label>' in client.get(url).get_data(as_text=True)


def test_a_longer_scenario_counts_in_the_plural(client, auth, registry):
    auth.login()
    token = csrf_token(client.get("/scenarios/hearing-impairment").get_data(as_text=True))
    url = client.post("/scenarios/hearing-impairment/start", data={"csrf_token": token}).headers["Location"]
    html = client.get(url).get_data(as_text=True)
    compiled = registry.latest("hearing-impairment")
    more = compiled.remaining(compiled.start()) - 1
    assert more > 1
    assert f'<label for="progress">Крок 1 · далі ще приблизно {more}</label>' in html


def test_assignment_rows_name_their_cells_for_a_phone(client, auth, app, users):
    # On a narrow screen each row is shown as a block, each cell under the label of its
    # column (style.css, table.stack-narrow), and its button stays within the screen.
    from trainer.extensions import db
    from trainer.models import Cohort, CohortMember, User
    from trainer.team.assignments import create_assignment

    with app.app_context():
        cohort = Cohort(name="Київ-1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add_all([CohortMember(cohort_id=cohort.id, user_id=users["supervisor"], role="supervisor"),
                            CohortMember(cohort_id=cohort.id, user_id=users["trainee"], role="trainee")])
        create_assignment(db.session, db.session.get(User, users["supervisor"]), scenario_id=SCENARIO,
                          mode="practice", cohort_id=cohort.id)
        db.session.commit()
    auth.login()
    html = client.get("/assignments").get_data(as_text=True)
    assert '<table class="stack-narrow">' in html
    for label in ("Режим", "Строк", "Стан"):
        assert f'<td data-label="{label}">' in html
    assert '<td class="row-actions">' in html


def test_a_written_answer_is_labelled_by_its_own_question_once(client, auth, app):
    """The node's prompt («…Напишіть, що ви їй скажете.») was followed by a generic label asking
    the same («Що б ви сказали? Напишіть своїми словами.»)."""
    compiled = app.extensions["trainer_registry"].latest("crying-client")
    auth.login()
    token = csrf_token(client.get("/scenarios/crying-client").get_data(as_text=True))
    url = client.post("/scenarios/crying-client/start", data={"csrf_token": token}).headers["Location"]
    for node, choice in compiled.analysis.recommended_path:
        if compiled.is_free_text(node):
            break
        answer(client, url, choice)
    page = unescape(client.get(url).get_data(as_text=True))
    prompt = compiled.scenario.nodes[node].free_text.prompt.uk
    assert f'<p class="prompt"><label for="text" id="prompt">{prompt}</label></p>' in page
    form = page[page.index('<form method="post" action="' + url + '/answer"'):]
    assert form[:form.index("</form>")].count("<label") == 1 and "Що б ви сказали" not in page
    step = int(re.search(r'name="step" type="hidden" value="(\d+)"', page).group(1))
    refused = client.post(url + "/answer", data={"csrf_token": csrf_token(page), "step": step, "text": " "})
    assert refused.status_code == 422
    refused_page = unescape(refused.get_data(as_text=True))
    assert 'aria-describedby="text-error"' in refused_page and f">{prompt}</label>" in refused_page


# -- the intro lists your tries (self-study review, finding 4) --------------------------------

def test_the_intro_lists_your_finished_attempts_newest_first_with_their_debriefs(client, auth, app, users):
    from datetime import timedelta

    from tests.study.factory import attempt
    from trainer.extensions import db
    from trainer.models import utcnow

    auth.login()
    assert "Ваші спроби" not in client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True)  # none yet
    with app.app_context():
        made = [attempt(db.session, users["trainee"], SCENARIO, utcnow() - timedelta(days=10 - n), "mixed",
                        {"empathy": 10 * n, "clarity": 10 * n}) for n in range(7)]
        attempt(db.session, users["trainee"], SCENARIO, utcnow(), status="active")
        attempt(db.session, users["other"], SCENARIO, utcnow(), "good", {"empathy": 100})
        db.session.commit()
        ids = [a.id for a in made]
    html = unescape(client.get(f"/scenarios/{SCENARIO}").get_data(as_text=True))
    own = html[html.index('id="own-tries"'):html.index("</section>", html.index('id="own-tries"'))]
    assert "<h2 id=\"own-tries\">Ваші спроби</h2>" in html
    linked = [int(n) for n in re.findall(r'href="/attempts/(\d+)/debrief"', own)]
    assert linked == list(reversed(ids))[:5]  # newest first, five of them
    assert re.search(r'\d{1,2} [^<·]+ · <span class="badge outcome-mixed">Неоднозначний результат</span> 60%', own), own
    assert 'href="/history?scenario=example-queue"' in own  # the rest are in the history


def test_the_content_note_says_progress_is_saved_as_you_go(client, auth):
    auth.login()
    html = unescape(client.get("/scenarios/aggressive-client").get_data(as_text=True))
    assert "ваш поступ зберігається автоматично" in html and "ваш поступ збережено" not in html


def test_hearing_impairment_words_are_announced_as_typed_or_signed_on_the_page_and_in_the_history(client, auth):
    """Oksana is deaf: a screen reader hears «Оксана Мельник пише:» for what she types and
    «… показує жестовою мовою:» for what she signs, now and in the conversation so far; never
    that she «каже» it."""
    auth.login()
    token = csrf_token(client.get("/scenarios/hearing-impairment").get_data(as_text=True))
    url = client.post("/scenarios/hearing-impairment/start", data={"csrf_token": token}).headers["Location"]
    typed = '<span class="via"><span class="visually-hidden">Оксана Мельник</span> пише:</span> «Я глуха.'
    signed = '<span class="via"><span class="visually-hidden">Оксана Мельник</span> показує жестовою мовою:</span> «Добрий день.'
    answer(client, url, "ticket_step_into_view")
    page = client.get(url).get_data(as_text=True)
    assert typed in page.split('id="client-current"')[1].split("</section>")[0]
    answer(client, url, "talk_offer_video")
    page = client.get(url).get_data(as_text=True)
    assert signed in page.split('id="client-current"')[1].split("</section>")[0]
    assert typed in page.split('class="history"')[1].split("</details>")[0]
    assert "каже:" not in page
