"""The survey on the debrief, the trainee's replies, and the authors' pages with their access rules."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.study.factory import play_example_well
from tests.team.conftest import world  # noqa: F401 - two cohorts, each with its supervisor
from trainer.extensions import db
from trainer.models import Attempt, SurveyReply, SurveyResponse


def html_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def finish(client) -> tuple[str, str]:
    """Play the example to its end; (debrief URL, survey POST URL)."""
    url = play_example_well(client)
    attempt_id = url.rsplit("/", 1)[1]
    return url + "/debrief", f"/feedback/attempts/{attempt_id}"


def send(client, debrief, action, **fields):
    token = csrf_token(client.get(debrief).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **fields})


def rows(app):
    with app.app_context():
        return db.session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)).all()


def test_debrief_offers_an_accessible_five_face_survey(client, auth):
    auth.login()
    debrief, action = finish(client)
    html = html_of(client.get(debrief))
    survey = html[html.index('id="survey"'):]
    survey = survey[:survey.index("</section>")]
    assert f'action="{action}"' in survey
    assert survey.count("<fieldset") == 2 and survey.count('type="radio"') == 10
    assert "<legend>Наскільки цей сценарій корисний для вашої роботи?</legend>" in survey
    assert "<legend>Наскільки правдоподібним був клієнт?</legend>" in survey
    # The faces are drawn (no emoji font needed), 1 to 5 on each scale, and no two alike: when
    # only the mouth's bend changed, 1 and 2 (and 4 and 5) were hard to tell apart.
    faces = re.findall(r'<svg class="face-icon face-(\d)" .*?</svg>', survey)
    assert faces == ["1", "2", "3", "4", "5"] * 2
    drawings = [re.sub(r'class="face-icon face-\d"', "", svg)
                for svg in re.findall(r'<svg class="face-icon face-\d" .*?</svg>', survey)[:5]]
    assert len(set(drawings)) == 5
    shapes = [set(re.findall(r"<(?:path|circle) [^>]*>", svg)) for svg in drawings]
    for lower, higher in ((shapes[0], shapes[1]), (shapes[3], shapes[4])):
        assert len(lower ^ higher) > 2, (lower, higher)  # more than one mouth swapped for another
    # Every radio has a label naming it in words for screen readers; the drawing is hidden from them.
    for radio_id in re.findall(r'<input type="radio" id="([^"]+)"', survey):
        assert re.search(rf'<label for="{radio_id}"><span aria-hidden="true"><svg class="face-icon face-\d" [^>]*aria-hidden="true"'
                         r'.*?</svg><span class="face-n">\d</span></span>'
                         r'<span class="visually-hidden">[^<]+</span></label>', survey), radio_id
    assert "Надіслати анонімно" in survey and 'aria-describedby="anonymous-hint"' in survey
    assert "Коментар (необов'язково)" in survey


def test_named_feedback_is_stored_once_and_shown_on_the_debrief(client, auth, app, users):
    auth.login()
    debrief, action = finish(client)
    response = send(client, debrief, action, usefulness="5", realism="4", comment="Як у житті")
    assert response.status_code == 302 and response.headers["Location"].endswith("/debrief#survey")
    page = html_of(client.get(debrief))
    assert "Дякуємо за відгук!" in page
    assert "Ви надіслали відгук" in page and 'name="usefulness"' not in page and "Як у житті" in page
    assert "р.." not in page  # the date's «р.» ends the sentence; no second full stop
    again = send(client, debrief, action, usefulness="1")
    assert again.status_code == 302
    assert "Ви вже надіслали відгук про цю спробу." in html_of(client.get(debrief))
    stored = rows(app)
    assert len(stored) == 1
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id))
    assert (stored[0].user_id, stored[0].attempt_id, stored[0].usefulness, stored[0].realism) == (
        users["trainee"], attempt_id, 5, 4)


def test_anonymous_feedback_has_no_user_and_no_attempt(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, usefulness="2", comment="Задовго", anonymous="y")
    stored = rows(app)
    assert len(stored) == 1
    assert stored[0].user_id is None and stored[0].attempt_id is None
    assert stored[0].scenario_id == "example-queue" and stored[0].comment == "Задовго"
    page = html_of(client.get(debrief))
    assert "Ви надіслали анонімний відгук" in page and 'name="usefulness"' not in page
    # An obvious resend (back button, second click) from the same session is not stored.
    send(client, debrief, action, usefulness="2", comment="Задовго", anonymous="y")
    assert len(rows(app)) == 1


def test_empty_or_invalid_survey_is_explained_and_not_stored(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, comment="   ")
    assert "Перш ніж надіслати, оберіть обличчя або напишіть коментар." in html_of(client.get(debrief))
    send(client, debrief, action, usefulness="9")
    assert "Оберіть одне з п'яти облич." in html_of(client.get(debrief))
    assert rows(app) == []


def test_survey_needs_csrf_an_own_attempt_and_a_finished_one(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    assert client.post(action, data={"usefulness": "3"}).status_code == 400
    token = auth.token("/scenarios/example-queue")
    active = client.post("/scenarios/example-queue/start", data={"csrf_token": token}).headers["Location"]
    active_id = active.rsplit("/", 1)[1]
    assert client.post(f"/feedback/attempts/{active_id}", data={"csrf_token": token, "usefulness": "3"}).status_code == 409
    auth.logout()
    auth.login("test.other")
    token = auth.token()
    assert client.post(action, data={"csrf_token": token, "usefulness": "3"}).status_code == 404
    assert rows(app) == []


def _author_reply(client, auth, scenario_id, body):
    auth.login("test.admin")
    page = html_of(client.get(f"/feedback/scenarios/{scenario_id}"))
    response_id = re.search(r'action="/feedback/responses/(\d+)/reply"', page).group(1)
    token = csrf_token(page)
    sent = client.post(f"/feedback/responses/{response_id}/reply", data={"csrf_token": token, "body": body})
    assert sent.status_code == 302
    auth.logout()
    return response_id, token


def test_named_reply_reaches_the_trainee_and_nobody_else(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, usefulness="3", comment="Хотілося б більше варіантів")
    auth.logout()
    _author_reply(client, auth, "example-queue", "Додали третій варіант відповіді.")
    auth.login()
    assert "Додали третій варіант відповіді." in html_of(client.get(debrief))
    mine = html_of(client.get("/feedback/mine"))
    assert "Додали третій варіант відповіді." in mine and "Хотілося б більше варіантів" in mine
    assert "1 відповідь" in html_of(client.get("/"))  # the home page says a reply arrived
    auth.logout()
    auth.login("test.other")
    assert "Додали третій варіант" not in html_of(client.get("/feedback/mine"))
    assert "Додали третій варіант" not in html_of(client.get("/scenarios/example-queue"))
    assert client.get(debrief).status_code == 404


def test_anonymous_reply_is_shown_to_everyone_on_the_scenario_page(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, realism="1", comment="Клієнт надто ввічливий", anonymous="y")
    auth.logout()
    _author_reply(client, auth, "example-queue", "Додали гостріші репліки.")
    auth.login("test.other")
    intro = html_of(client.get("/scenarios/example-queue"))
    replies = intro[intro.index('id="authors-replies"'):]
    assert "Клієнт надто ввічливий" in replies and "Додали гостріші репліки." in replies
    assert "test.trainee" not in replies
    assert "Додали гостріші репліки." not in html_of(client.get("/feedback/mine"))


def test_authors_see_feedback_per_scenario_and_mark_it_addressed(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, usefulness="4", realism="2")
    auth.logout()
    auth.login("test.other")
    other_debrief, other_action = finish(client)
    send(client, other_debrief, other_action, usefulness="2", comment="анонімно", anonymous="y")
    auth.logout()
    auth.login("test.admin")
    index = html_of(client.get("/feedback/"))
    row = re.search(r'<a href="/feedback/scenarios/example-queue">[^<]+</a></th>\s*<td>(\d+)</td>\s*<td>([^<]+)</td>\s*'
                    r'<td>([^<]+)</td>\s*<td><strong>(\d+)</strong>', index)
    assert row.groups() == ("2", "3,0", "2,0", "2")  # the Ukrainian decimal comma
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    assert "Анонімно" in page and "test.trainee" in page and "test.other" not in page
    named, anonymous = page.index('id="named-feedback"'), page.index('id="anonymous-feedback"')
    assert named < page.index("test.trainee") < anonymous < page.index("Анонімно") and "анонімно" in page[anonymous:]
    response_id = re.findall(r'action="/feedback/responses/(\d+)/addressed"', page)[-1]
    token = csrf_token(page)
    assert client.post(f"/feedback/responses/{response_id}/addressed", data={}).status_code == 400
    done = client.post(f"/feedback/responses/{response_id}/addressed", data={"csrf_token": token})
    assert done.status_code == 302
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    assert "Позначено як опрацьований." in page and page.count('/addressed"') == 1
    with app.app_context():
        assert db.session.get(SurveyResponse, int(response_id)).addressed_at is not None


def test_empty_reply_is_refused(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, usefulness="4")
    auth.logout()
    auth.login("test.admin")
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    response_id = re.search(r'/feedback/responses/(\d+)/reply', page).group(1)
    client.post(f"/feedback/responses/{response_id}/reply", data={"csrf_token": csrf_token(page), "body": " "})
    assert "Спершу напишіть відповідь." in html_of(client.get("/feedback/scenarios/example-queue"))
    with app.app_context():
        assert db.session.scalar(select(func.count(SurveyReply.id))) == 0


@pytest.mark.parametrize("role, read, write", [
    ("trainee", 403, 403), ("supervisor", 200, 403), ("admin", 200, 302)])
def test_who_may_read_and_answer_feedback(client, auth, app, role, read, write):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, usefulness="4")
    auth.logout()
    auth.login(f"test.{role}")
    token = auth.token()
    with app.app_context():
        response_id = db.session.scalar(select(SurveyResponse.id))
    assert client.get("/feedback/").status_code == read
    assert client.get("/feedback/scenarios/example-queue").status_code == read
    reply = client.post(f"/feedback/responses/{response_id}/reply", data={"csrf_token": token, "body": "Ок"})
    addressed = client.post(f"/feedback/responses/{response_id}/addressed", data={"csrf_token": token})
    assert reply.status_code == addressed.status_code == write
    if role == "supervisor":
        page = html_of(client.get("/feedback/scenarios/example-queue"))
        assert "/reply" not in page and "/addressed" not in page  # read-only for supervisors
    with app.app_context():
        replies = db.session.scalar(select(func.count(SurveyReply.id)))
    assert replies == (1 if role == "admin" else 0)


def test_unknown_scenario_without_feedback_is_404(client, auth):
    auth.login("test.admin")
    assert client.get("/feedback/scenarios/no-such-scenario").status_code == 404


def test_nothing_can_be_deleted(app, client, auth):
    feedback_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("feedback.")]
    assert feedback_rules
    assert all("DELETE" not in rule.methods for rule in feedback_rules)
    assert not [rule for rule in feedback_rules if "delete" in rule.rule or "delete" in rule.endpoint]
    auth.login("test.admin")
    token = auth.token()
    assert client.delete("/feedback/responses/1/reply").status_code == 405
    assert client.post("/feedback/responses/1/delete", data={"csrf_token": token}).status_code == 404


def test_a_scenario_named_like_a_page_keeps_its_feedback_page(app):
    # Scenario ids come from file names: none may be shadowed by a fixed page such as "mine".
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/feedback/scenarios/mine")[0] == "feedback.scenario"
    assert adapter.match("/feedback/mine")[0] == "feedback.mine"


def test_a_reply_sent_twice_is_stored_once_and_the_author_is_told(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, usefulness="4")
    auth.logout()
    response_id, token = _author_reply(client, auth, "example-queue", "Дякуємо, додамо.")
    auth.login("test.admin")
    again = client.post(f"/feedback/responses/{response_id}/reply", data={"csrf_token": token, "body": "Дякуємо, додамо."},
                        follow_redirects=True)
    assert "Цю відповідь щойно вже надіслано; її збережено один раз." in html_of(again)
    with app.app_context():
        assert db.session.scalar(select(func.count(SurveyReply.id))) == 1


def test_a_survey_comment_counts_a_line_break_as_one_character(client, auth, app):
    auth.login()
    debrief, action = finish(client)
    typed = "\n".join(["Надто довго"] * 200)[:2000]  # what the browser counts for maxlength
    comment = typed.replace("\n", "\r\n")  # what it sends: 2166 characters
    assert send(client, debrief, action, comment=comment).status_code == 302
    assert [r.comment for r in rows(app)] == [typed]


def _named_and_anonymous_feedback(client, auth):
    """test.trainee (cohort A) sends named feedback, test.other (cohort B) named and anonymous."""
    auth.login()
    debrief, action = finish(client)
    send(client, debrief, action, usefulness="5", comment="Від слухача групи А")
    auth.logout()
    auth.login("test.other")
    for comment, anonymous in (("Від слухача групи Б", ""), ("Без імені", "y")):
        debrief, action = finish(client)
        send(client, debrief, action, usefulness="1", comment=comment, **({"anonymous": anonymous} if anonymous else {}))
    auth.logout()


def test_a_supervisor_reads_named_feedback_only_of_the_people_they_supervise(client, auth, app, world):
    """Named feedback names the trainee: a supervisor of another centre's cohort read it, and
    the figures on the index counted it."""
    _named_and_anonymous_feedback(client, auth)
    auth.login("test.supervisor")  # supervises cohort A only
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    assert "Від слухача групи А" in page and "test.trainee" in page
    assert "Від слухача групи Б" not in page and "test.other" not in page
    assert "Без імені" in page  # anonymous feedback belongs to the scenario: every reader has it
    index = html_of(client.get("/feedback/"))
    row = re.search(r'<a href="/feedback/scenarios/example-queue">[^<]+</a></th>\s*<td>(\d+)</td>\s*<td>([^<]+)</td>', index)
    assert row.groups() == ("2", "3,0")  # 5 and the anonymous 1, not the other cohort's 1
    auth.logout()
    auth.login("sup.b")  # supervises cohort B
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    assert "Від слухача групи Б" in page and "Від слухача групи А" not in page and "Без імені" in page
    auth.logout()
    auth.login("test.admin")
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    assert all(text in page for text in ("Від слухача групи А", "Від слухача групи Б", "Без імені"))


def test_anonymous_feedback_shows_only_the_month_it_was_sent(client, auth, app, world):
    """The form promises no time of sending; the pages gave the day, and the anonymous one's
    place in a list ordered by arrival (and its id in the page) dated it further."""
    from datetime import date

    from babel.dates import format_date
    _named_and_anonymous_feedback(client, auth)
    with app.app_context():
        anonymous = db.session.scalar(select(SurveyResponse).where(SurveyResponse.user_id.is_(None)))
        named_day = db.session.scalar(select(SurveyResponse.created_on).where(SurveyResponse.user_id.is_not(None)))
        anonymous_id, stored = anonymous.id, anonymous.created_on
    assert stored == named_day.replace(day=1)
    month = format_date(date(stored.year, stored.month, 1), "LLLL yyyy", locale="uk")
    auth.login("test.supervisor")
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    section = page[page.index('id="anonymous-feedback"'):]
    head = section[section.index('class="feedback-head"'):section.index("</h3>")]
    assert month in head and format_date(named_day, "d MMMM y", locale="uk") not in head
    assert f'id="response-{anonymous_id}"' not in page  # ids grow with time: none for a reader who cannot answer
    auth.logout()
    _author_reply_to(client, auth, anonymous_id, "Дякуємо, подумаємо.")
    auth.login()
    intro = html_of(client.get("/scenarios/example-queue"))
    replies = intro[intro.index('id="authors-replies"'):]
    sent = replies[replies.index("Анонімний відгук"):]
    assert sent[:sent.index("</p>")] == f"Анонімний відгук, {month}"  # the author's reply keeps its own date


def _author_reply_to(client, auth, response_id: int, body: str) -> None:
    auth.login("test.admin")
    page = html_of(client.get("/feedback/scenarios/example-queue"))
    assert f'id="response-{response_id}"' in page  # the author's page keeps its anchors
    sent = client.post(f"/feedback/responses/{response_id}/reply", data={"csrf_token": csrf_token(page), "body": body})
    assert sent.status_code == 302
    auth.logout()


def test_the_survey_says_what_anonymous_feedback_keeps(client, auth):
    auth.login()
    debrief, _action = finish(client)
    hint = html_of(client.get(debrief))
    hint = hint[hint.index('id="anonymous-hint"'):]
    assert "від часу надсилання — лише місяць" in hint[:hint.index("</p>")]


def test_the_index_lists_scenarios_without_feedback_by_title(client, auth, app):
    """With no feedback every row ties: they follow the alphabet, not the scenario ids."""
    from trainer.collation import title_key
    auth.login("test.admin")
    index = html_of(client.get("/feedback/"))
    body = index[index.index("<tbody>"):index.index("</tbody>")]
    shown = [title.strip() for title in re.findall(r'<th scope="row">([^<]+)</th>', body)]
    registry = app.extensions["trainer_registry"]
    titles = {loaded.scenario.title.get("uk"): sid for sid, loaded in registry.current.items()}
    assert sorted(shown) == sorted(titles) and len(shown) > 3
    assert shown == sorted(shown, key=title_key)
    assert shown != [title for title in sorted(titles, key=titles.get)]  # the id order differs, so this proves the sort
