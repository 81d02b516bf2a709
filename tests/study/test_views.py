"""The home page and the history page as a trainee sees them."""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from tests.conftest import add_assignment
from tests.study.factory import attempt, play_example_well
from trainer.extensions import db
from trainer.models import Attempt, ReviewCard, utcnow


def page(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.get_data(as_text=True))


def test_home_is_the_landing_page_and_the_catalogue_moved(client, auth):
    response = auth.login()
    assert response.headers["Location"] == "/"
    html = page(client)
    assert "<h1>Що робити далі</h1>" in html
    catalogue = page(client, "/scenarios")
    assert "Черга біля стійки" in catalogue and "ще не пройдено" in catalogue
    nav = html[html.index("<nav"):html.index("</nav>")]
    assert nav.index('href="/"') < nav.index('href="/scenarios"') < nav.index('href="/history"')
    assert 'href="/feedback/"' not in nav  # trainees have no feedback pages to read


def test_supervisors_and_admins_get_the_feedback_link(client, auth):
    for role in ("supervisor", "admin"):
        auth.login(f"test.{role}")
        assert 'href="/feedback/">Відгуки</a>' in page(client)
        auth.logout()


def test_newcomer_is_offered_an_introductory_start(client, auth, registry):
    auth.login()
    html = page(client)
    assert "Ви тут уперше? Почніть зі вступного сценарію" in html
    # The easiest scenario earliest in the manual: 2.1, "What depends on us?".
    assert 'href="/scenarios/system-down"' in html
    assert registry.current["system-down"].scenario.title.uk in html
    assert "Сьогодні нічого повторювати не треба." in html
    assert "Завершіть сценарій, і тут з'явиться ваш поступ." in html
    assert "<svg" not in html


def test_after_a_good_attempt_the_scenario_comes_back_later(client, auth, app):
    auth.login()
    play_example_well(client)
    html = page(client)
    upcoming = html[html.index("Незабаром"):html.index('id="focus"')]
    assert "Черга біля стійки" in upcoming and "повернеться" in upcoming and "100%" in upcoming
    assert "Сьогодні нічого повторювати не треба." in html
    # Progress: one attempt this week at 100%, in the table; a chart of one bar waits for a second week.
    table = html[html.index('class="progress-table"'):]
    assert re.search(r"<td>1</td><td>100%</td>", table)
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    assert body.count("<tr>") == 1  # this week only: none of the empty weeks before the first attempt
    assert "<svg" not in html


def test_due_refreshers_are_listed_with_the_last_result(client, auth, app, users):
    auth.login()
    play_example_well(client)
    with app.app_context():
        card = db.session.get(ReviewCard, (users["trainee"], "example-queue"))
        card.due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    html = page(client)
    due = html[html.index('id="refreshers"'):html.index('id="focus"')]
    assert 'href="/scenarios/example-queue"' in due
    assert "востаннє пройдено" in due and "Добрий результат" in due and "100%" in due
    assert "Сьогодні нічого повторювати не треба." not in due


def test_weakest_competency_and_a_scenario_for_it(client, auth, app, users, registry):
    with app.app_context():
        attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(days=1), "mixed",
                {"clarity": 20, "empathy": 90, "respect": 60})
        db.session.commit()
    auth.login()
    html = page(client)
    assert "Ваша найслабша компетентність поки що — «" in html
    focus = html[html.index('id="focus"'):html.index('id="progress"')]
    assert "20%" in focus and "за 1 спробу" in focus
    suggested = re.search(r'Сценарій, що її тренує:\s*<a href="/scenarios/([a-z0-9-]+)"', focus).group(1)
    assert "clarity" in registry.current[suggested].scenario.competencies
    assert suggested != "busy-queue"  # one not played yet comes first
    assert "Ви тут уперше?" not in html


def test_a_strong_record_is_not_called_weak_and_an_untried_competency_is_suggested(client, auth, app, users,
                                                                                   registry):
    with app.app_context():
        attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(days=1), "good",
                {"clarity": 100, "empathy": 90})
        db.session.commit()
    auth.login()
    focus = page(client)
    focus = focus[focus.index('id="focus"'):focus.index('id="progress"')]
    assert "найслабша" not in focus
    assert "Усі компетентності, які ви вже тренували, мають у середньому 80% або більше." in focus
    name = re.search(r"ще не тренували, — «([^»]+)»", focus).group(1)
    framework = registry.library.framework
    untried = next(c for c, comp in framework.competencies.items() if comp.title.uk == name)
    assert untried not in ("clarity", "empathy")
    suggested = re.search(r'Сценарій, що її тренує:\s*<a href="/scenarios/([a-z0-9-]+)"', focus).group(1)
    assert untried in registry.current[suggested].scenario.competencies


def test_progress_by_month(client, auth, app, users):
    with app.app_context():
        attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(minutes=5), "good", {"empathy": 40})
        attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(minutes=1), "good", {"empathy": 60})
        db.session.commit()
    auth.login()
    html = page(client, "/?by=month")
    # The caption says how far back it goes; one month of results has a table, not a one-bar chart.
    assert "Завершені спроби та середній бал за останній 1 місяць, по місяцях" in html
    assert '<svg class="chart"' not in html
    assert '<strong aria-current="page">За місяцями</strong>' in html
    assert re.search(r"<td>2</td><td>50%</td>", html)
    assert "по тижнях" in page(client, "/?by=nonsense")  # unknown choice falls back to weeks


def test_assignments_block_lists_what_the_lead_provides(client, auth, monkeypatch):
    from datetime import date

    from trainer.study import views

    auth.login()
    assert "Зараз у вас немає призначених завдань." in page(client)  # nothing assigned yet
    monkeypatch.setattr(views, "assignments_due", lambda user: None)
    assert 'id="assignments"' not in page(client)  # not tracked: no block at all
    monkeypatch.setattr(views, "assignments_due", lambda user: [
        {"title": "Клієнтка плаче", "due_on": date(2025, 4, 1), "mode": "assessment", "overdue": False,
         "url": "/scenarios/crying-client"}])
    html = page(client)
    block = html[html.index('id="assignments"'):html.index('id="progress"')]
    assert 'href="/scenarios/crying-client"' in block and "Оцінювання" in block and "2025" in block


def test_home_in_english(client, auth):
    auth.login()
    token = auth.token("/account/language")
    client.post("/account/language", data={"locale": "en", "csrf_token": token})
    html = page(client)
    assert "What to do next" in html and "New here? Start with an introductory scenario:" in html


# -- history ------------------------------------------------------------------------------

def test_history_shows_every_attempt_and_reopens_the_debrief(client, auth, app, registry):
    auth.login()
    url = play_example_well(client)
    token = auth.token("/scenarios/example-queue")
    active = client.post("/scenarios/example-queue/start", data={"csrf_token": token}).headers["Location"]
    html = page(client, "/history")
    rows = html[html.index("<tbody>"):html.index("</tbody>")]
    assert rows.index(f'href="{active}"') < rows.index(f'href="{url}/debrief"')  # newest first
    assert "Розпочато" in rows and "Добрий результат" in rows and "100%" in rows
    assert "Емпатія та активне слухання: 100%" in rows
    # With the time: two attempts on one day are told apart.
    assert re.search(r'<td data-label="Дата">\d{1,2} [а-яіїєґ]+ \d{4}, \d{1,2}:\d{2}</td>', rows), rows
    assert "Тренування" in rows and "Практика" not in rows  # the practice mode's one name
    # Reopening an old debrief replays it from the stored version, even when no longer cached.
    with app.app_context():
        stored = db.session.scalar(select(Attempt).where(Attempt.status == "finished")).version.content_hash
    registry._compiled.pop(stored)
    debrief = page(client, f"{url}/debrief")
    assert "Олег дочекався" in debrief


def test_history_shows_set_aside_attempts_and_paginates(client, auth, app, users):
    with app.app_context():
        for n in range(51):
            attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(hours=n), "good", {"empathy": 80})
        attempt(db.session, users["trainee"], "busy-queue", utcnow(), status="abandoned")
        db.session.commit()
    auth.login()
    first = page(client, "/history")
    assert "Усього 52 спроби." in first and "Сторінка 1 з 2." in first
    assert first.count("<tr>") == 51  # header + 50 attempts
    assert "Відкладено" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = page(client, "/history?page=2")
    assert second.count("<tr>") == 3 and 'rel="prev"' in second


def test_history_is_private(client, auth, app, users):
    with app.app_context():
        attempt(db.session, users["other"], "crying-client", utcnow(), "poor", {"empathy": 10})
        db.session.commit()
    auth.login()
    html = page(client, "/history")
    assert "Ви ще не проходили жодного сценарію." in html and "Клієнтка плаче" not in html


def test_team_pages_have_their_own_menu(client, auth):
    # Supervisors' pages sit in a second, labelled menu; the learning menu is the same for everyone.
    auth.login("test.supervisor")
    html = page(client)
    menus = re.findall(r'<nav aria-label="([^"]+)"[^>]*>(.*?)</nav>', html, re.S)
    labels = [label for label, _body in menus]
    assert labels == ["Головне меню", "Команда й адміністрування"]
    assert 'href="/team/"' in menus[1][1] and 'href="/team/"' not in menus[0][1]
    assert 'href="/admin/users"' not in html  # people pages are for admins only


# -- unfinished attempts and narrow screens ----------------------------------------------

def test_unfinished_attempts_come_first_with_a_continue_button(client, auth, app, users, registry):
    from tests.conftest import csrf_token

    auth.login()
    assert 'id="unfinished"' not in page(client)  # nothing to continue yet
    token = csrf_token(page(client, "/scenarios/example-queue"))
    url = client.post("/scenarios/example-queue/start", data={"csrf_token": token}).headers["Location"]
    client.post(url + "/answer", data={"csrf_token": token, "step": 0, "choice": "greet_and_acknowledge"})
    with app.app_context():
        attempt(db.session, users["other"], "crying-client", utcnow(), status="active")  # not theirs
        db.session.commit()
    html = page(client)
    block = html[html.index('id="unfinished"'):html.index('id="refreshers"')]
    assert html.index('id="unfinished"') < html.index('id="refreshers"') < html.index('id="focus"')
    assert "Продовжити з місця зупинки" in block
    title = registry.current["example-queue"].scenario.title.uk
    assert f'<a class="button primary" href="{url}">Продовжити<span class="visually-hidden">: {title}</span></a>' in block
    assert "Тренування" in block and "дано 1 відповідь" in block and "остання дія:" in block
    assert block.count('class="button primary"') == 1  # the other person's attempt is not listed


def test_the_continue_block_in_english(client, auth):
    from tests.conftest import csrf_token

    auth.login()
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    token = csrf_token(page(client, "/scenarios/example-queue"))
    url = client.post("/scenarios/example-queue/start", data={"csrf_token": token}).headers["Location"]
    html = page(client)
    block = html[html.index('id="unfinished"'):html.index('id="refreshers"')]
    assert "Continue where you stopped" in block and "no answers yet" in block and "last activity:" in block
    assert f'href="{url}">Continue<' in block


def test_history_rows_name_their_cells_for_a_phone(client, auth):
    # On a narrow screen each row is shown as a block, each cell under the label of its column
    # (style.css, table.stack-narrow), and the buttons stay within the screen.
    auth.login()
    play_example_well(client)
    html = page(client, "/history")
    assert '<table class="history stack-narrow">' in html
    for label in ("Дата", "Режим", "Результат", "За компетентностями"):
        assert f'<td data-label="{label}">' in html
    assert '<td class="row-actions">' in html


def test_the_stylesheet_stacks_those_tables_on_a_phone():
    from tests.conftest import ROOT

    css = (ROOT / "trainer" / "static" / "style.css").read_text(encoding="utf-8")
    narrow = css[css.index("table.stack-narrow thead"):]
    narrow = narrow[:narrow.index("\n}")]
    assert "display: flex; flex-direction: column" in narrow
    assert "content: attr(data-label)" in narrow


# -- comparing tries (self-study review, findings 4 and 13) -----------------------------------

def test_a_due_refresher_links_its_last_debrief_and_names_the_weakest_competencies(client, auth, app, users):
    with app.app_context():
        s = db.session
        attempt(s, users["trainee"], "busy-queue", utcnow() - timedelta(days=9), "good", {"empathy": 100})
        last = attempt(s, users["trainee"], "busy-queue", utcnow() - timedelta(days=3), "mixed",
                       {"empathy": 40, "clarity": 20, "respect": 90})
        s.add(ReviewCard(user_id=users["trainee"], scenario_id="busy-queue", card={},
                         due_at=utcnow() - timedelta(hours=1), updated_at=utcnow()))
        s.commit()
        last_id = last.id
    auth.login()
    html = page(client)
    due = html[html.index('id="refreshers"'):html.index("</ol>", html.index('id="refreshers"'))]
    assert f'href="/attempts/{last_id}/debrief">Розбір минулої спроби' in due
    assert ("Найнижчі бали минулого разу: Зрозуміла й повна інформація, адресне перенаправлення (20%); "
            "Емпатія та активне слухання (40%)") in due
    assert "Повага" not in due  # 90 %: not what to work on


def test_history_titles_lead_to_that_scenarios_attempts_and_back(client, auth, app, users, registry):
    with app.app_context():
        s = db.session
        for n in range(3):
            attempt(s, users["trainee"], "busy-queue", utcnow() - timedelta(hours=n), "good", {"empathy": 80})
        attempt(s, users["trainee"], "crying-client", utcnow(), "poor", {"empathy": 10, "self_regulation": 30})
        s.commit()
    auth.login()
    everything = page(client, "/history")
    busy = registry.current["busy-queue"].scenario.title.uk
    crying = registry.current["crying-client"].scenario.title.uk
    assert f'<th scope="row"><a href="/history?scenario=busy-queue">{busy}</a></th>' in everything
    assert f'<a href="/history?scenario=crying-client">{crying}</a>' in everything
    only = page(client, "/history?scenario=busy-queue")
    rows = only[only.index("<tbody>"):only.index("</tbody>")]
    assert rows.count("<tr>") == 3 and crying not in rows and "Усього 3 спроби." in only
    assert f"<h1>Ваші спроби: {busy}</h1>" in only
    assert '<a href="/history"><span aria-hidden="true">←</span> Усі ваші спроби</a>' in only
    assert 'href="/history?scenario=' not in rows  # already filtered: the titles are plain
    nothing = page(client, "/history?scenario=no-such-scenario")
    assert "У вас немає спроб цього сценарію." in nothing and 'href="/history"' in nothing


def test_the_filtered_history_keeps_its_filter_from_page_to_page(client, auth, app, users):
    with app.app_context():
        for n in range(51):
            attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(hours=n), "good", {"empathy": 80})
        attempt(db.session, users["trainee"], "crying-client", utcnow(), "good", {"empathy": 80})
        db.session.commit()
    auth.login()
    first = page(client, "/history?scenario=busy-queue")
    assert "Усього 51 спроба." in first
    assert 'href="/history?page=2&amp;scenario=busy-queue" rel="next"' in client.get(
        "/history?scenario=busy-queue").get_data(as_text=True)



def test_an_assignment_due_leads_to_its_own_introduction(app, client, auth, users):
    """Not to the list of all assignments (found by playing), but to the page whose button
    starts or resumes it."""
    assignment_id = add_assignment(app, "crying-client", users["trainee"], users["supervisor"])
    auth.login()
    html = page(client)
    block = html[html.index('id="assignments"'):html.index('id="progress"')]
    assert f'href="/assignments/{assignment_id}"' in block and 'href="/assignments"' not in block


def test_a_supervisors_home_leads_to_the_team_and_a_trainees_does_not(app, client, auth, users):
    from trainer.extensions import db
    from trainer.models import Cohort, CohortMember
    with app.app_context():
        cohort = Cohort(name="Полтава-3")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["supervisor"], role="supervisor"))
        db.session.commit()
    auth.login("test.supervisor")
    html = page(client)
    assert "Ваша команда: 1 група." in html and '<a href="/team/">Моя команда</a>.' in html
    auth.logout()
    auth.login()
    assert "Ваша команда" not in page(client)


def test_the_progress_chart_comes_with_a_second_period(client, auth, app, users):
    with app.app_context():
        attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(days=35), "good", {"empathy": 40})
        attempt(db.session, users["trainee"], "busy-queue", utcnow() - timedelta(minutes=1), "good", {"empathy": 60})
        db.session.commit()
    auth.login()
    html = page(client, "/?by=month")
    assert '<svg class="chart"' in html and html.count("<rect ") == 2
    assert re.search(r"за останні [23] місяці", html)
