"""The supervisor's transcript: comments stored once on a decision the attempt has, ratings,
the review of written answers, and what the trainee reads of it on the debrief."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.team.conftest import play

NOW = datetime(2026, 3, 12, 15, 42)


def _comments(app) -> int:
    from trainer.extensions import db
    from trainer.models import StepComment
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StepComment))


def test_the_same_comment_within_a_minute_is_stored_once(app, world):
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        attempt, author = db.session.get(Attempt, attempt_id), db.session.get(User, world.sup_a)
        assert add_comment(db.session, attempt, 0, author, "Добре", NOW) is not None
        assert add_comment(db.session, attempt, 0, author, " Добре ", NOW + timedelta(seconds=59)) is None
        assert add_comment(db.session, attempt, 0, author, "Добре", NOW + timedelta(seconds=61)) is not None
        assert add_comment(db.session, attempt, 1, author, "Добре", NOW) is not None  # another decision
        db.session.commit()
    assert _comments(app) == 3


def test_a_comment_needs_a_decision_of_the_attempt_and_some_text(app, world):
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import CommentError, add_comment
    attempt_id = play(app, world.trainee_a)
    with app.app_context():
        attempt, author = db.session.get(Attempt, attempt_id), db.session.get(User, world.sup_a)
        with pytest.raises(CommentError):
            add_comment(db.session, attempt, 999, author, "Добре", NOW)
        with pytest.raises(CommentError):
            add_comment(db.session, attempt, 0, author, "   ", NOW)


def test_simultaneous_identical_comments_are_stored_once(app, world, make_app):
    from trainer.models import Attempt, User, utcnow
    from tests.conftest import run_at_once
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a)
    barrier = threading.Barrier(2)

    def send(session):
        attempt, author = session.get(Attempt, attempt_id), session.get(User, world.sup_a)
        barrier.wait()
        return add_comment(session, attempt, 0, author, "Добре", utcnow()) is not None

    stored, errors = run_at_once(make_app, send)  # two app servers on one database
    assert not errors and sorted(stored) == [False, True], errors
    assert _comments(app) == 1


# -- what the trainee reads of it on the debrief ---------------------------------------------

def _debrief_html(client, attempt_id: int, who: str = "test.trainee") -> tuple[int, str]:
    from html import unescape

    from tests.conftest import Auth
    Auth(client).login(who)
    response = client.get(f"/attempts/{attempt_id}/debrief")
    return response.status_code, unescape(response.get_data(as_text=True))


def _decision(html: str, n: int) -> str:
    """The box of decision ``n`` (1-based) on the debrief."""
    start = html.index(f'id="decision-{n}"')
    return html[start:html.index("</li>", html.index("</details>", start))]


def test_the_trainee_reads_supervisors_comments_beside_the_decision(app, client, world):
    """Comments on a decision reached only the transcript; the trainee who made it never
    saw them. They are text, dated in the centre's zone, and only on the owner's debrief."""
    from trainer.extensions import db
    from trainer.models import Attempt, Step, StepComment, User
    from trainer.team.transcript import add_comment
    attempt_id = play(app, world.trainee_a, ["wait_your_turn", "give_time_estimate"])
    stored = datetime(2026, 1, 15, 22, 30, 5)  # 00:30 on the 16th in Kyiv
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        add_comment(db.session, attempt, 1, db.session.get(User, world.sup_a), "<b>Спершу</b> вислухайте", stored)
        db.session.commit()
        steps = db.session.scalar(select(func.count()).select_from(Step).where(Step.attempt_id == attempt_id))
    status, html = _debrief_html(client, attempt_id)
    assert status == 200 and steps >= 2
    second = _decision(html, 2)
    assert "<details open>" in second and "test.supervisor" in second
    assert "16 січня 2026, 00:30" in second and "22:30" not in second
    raw = client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True)
    assert "&lt;b&gt;Спершу&lt;/b&gt; вислухайте" in raw and "<b>Спершу</b>" not in raw  # text, not markup
    assert "test.supervisor" not in _decision(html, 1) and "<details open>" not in _decision(html, 1)
    assert 'href="#steps"' in html  # the result says there are notes to read below
    # Nobody else reads them on a debrief: another trainee's URL is a 404.
    client.post("/logout", data={"csrf_token": csrf(client)})
    assert _debrief_html(client, attempt_id, "test.other")[0] == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StepComment)) == 1


def csrf(client) -> str:
    from tests.conftest import csrf_token
    return csrf_token(client.get("/").get_data(as_text=True))


def test_the_trainee_reads_the_verdict_on_a_written_answer_and_its_points(app, client, world):
    from tests.team.test_reviews import SCENARIO, finish_with_text
    from trainer.extensions import db
    from trainer.models import AttemptScore, Step, User
    from trainer.team.reviews import review
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        dropped = step.rubric_result["found"][0]
        review(db.session, step, db.session.get(User, world.sup_a), agrees=False,
               found=step.rubric_result["found"][1:], comment="Почуття не назване прямо.")
        db.session.commit()
        index = step.index
        node = app.extensions["trainer_registry"].latest(SCENARIO).scenario.nodes[step.node_id]
        label = next(e.label.uk for e in node.free_text.elements if e.id == dropped)
        stored = {s.competency: s for s in db.session.scalars(
            select(AttemptScore).where(AttemptScore.attempt_id == attempt_id))}
    status, html = _debrief_html(client, attempt_id)
    assert status == 200
    box = _decision(html, index + 1)
    assert "<details open>" in box and "test.supervisor" in box and "Почуття не назване прямо." in box
    assert f"Бракує:</strong>\n              {label}" in box  # the list follows the verdict
    # The scores on the page are the stored ones, which follow the verdict too.
    for score in stored.values():
        assert f"({score.points} / {score.max_points})" in html


def test_the_supervisors_own_rating_is_headed_without_a_tautology(app, client, world):
    """«Ваша власна оцінка» said "your own" twice; «Ваша оцінка» says it once."""
    from tests.conftest import Auth
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    html = client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True)
    assert "<h3>Ваша оцінка</h3>" in html and "власна оцінка" not in html


# -- the supervisor's transcript ---------------------------------------------------------------

def _transcript(client, attempt_id: int) -> str:
    from html import unescape
    response = client.get(f"/team/attempts/{attempt_id}")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _rating_form(html: str, attempt_id: int) -> str:
    start = html.index(f'action="/team/attempts/{attempt_id}/ratings"')
    return html[start:html.index("</form>", start)]


def test_a_supervisor_rates_some_competencies_and_finds_them_marked(app, client, world):
    """Every radio group was ``required``, so the browser refused a partial rating that the
    server accepts; and the form came back empty, so rating again meant setting everything."""
    from tests.conftest import Auth, csrf_token
    from trainer.extensions import db
    from trainer.models import SupervisorRating
    attempt_id = play(app, world.trainee_a)
    compiled = app.extensions["trainer_registry"].latest("example-queue")
    first, *others = compiled.scenario.competencies
    assert others  # a partial rating leaves some out
    Auth(client).login("test.supervisor")
    html = _transcript(client, attempt_id)
    form = _rating_form(html, attempt_id)
    assert f'name="rate-{first}"' in form and "required" not in form
    r = client.post(f"/team/attempts/{attempt_id}/ratings", data={"csrf_token": csrf_token(html), f"rate-{first}": "2"})
    assert r.status_code == 302
    form = _rating_form(_transcript(client, attempt_id), attempt_id)
    assert re.search(rf'<input checked id="rate-{first}-1" name="rate-{first}" type="radio" value="2">', form)
    assert form.count("checked") == 1  # only what was given
    with app.app_context():
        assert db.session.scalars(select(SupervisorRating.competency)).all() == [first]


def test_a_rating_form_starts_from_the_viewers_own_ratings_only(app, client, world):
    from tests.conftest import Auth
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import rate_attempt
    attempt_id = play(app, world.trainee_a)
    comp = app.extensions["trainer_registry"].latest("example-queue").scenario.competencies[0]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        rate_attempt(db.session, attempt, db.session.get(User, world.admin), {comp: 5})
        rate_attempt(db.session, attempt, db.session.get(User, world.sup_a), {comp: 1})
        rate_attempt(db.session, attempt, db.session.get(User, world.sup_a), {comp: 3})  # the newest counts
        db.session.commit()
    Auth(client).login("test.supervisor")
    form = _rating_form(_transcript(client, attempt_id), attempt_id)
    assert f'<input checked id="rate-{comp}-2" name="rate-{comp}" type="radio" value="3">' in form
    assert form.count("checked") == 1


def test_raters_are_named_by_name_and_told_apart_by_account(app, client, world):
    """The ratings table was headed by the log-in name, beside comments signed with the name."""
    from tests.conftest import Auth
    from trainer.extensions import db
    from trainer.models import Attempt, User
    from trainer.team.transcript import rate_attempt, supervisor_ratings
    attempt_id = play(app, world.trainee_a)
    comp = app.extensions["trainer_registry"].latest("example-queue").scenario.competencies[0]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for user_id, mark in ((world.sup_a, 2), (world.admin, 4)):
            user = db.session.get(User, user_id)
            user.display_name = "Олена Коваль"  # two people, one name
            rate_attempt(db.session, attempt, user, {comp: mark})
        db.session.commit()
        raters = supervisor_ratings(db.session, attempt_id)
    assert {rater_id: (r.name, r.marks) for rater_id, r in raters.items()} == {
        world.sup_a: ("Олена Коваль", {comp: 2}), world.admin: ("Олена Коваль", {comp: 4})}
    Auth(client).login("test.supervisor")
    html = _transcript(client, attempt_id)
    start = html.index('id="cap-team-transcript-1"')
    table = html[start:html.index("</table>", start)]
    assert table.count('<th scope="col">Олена Коваль</th>') == 2 and "test.supervisor" not in table
    assert '<td data-label="Олена Коваль">2</td>' in table and '<td data-label="Олена Коваль">4</td>' in table


def test_the_ratings_table_stacks_on_a_phone_with_each_figure_named(app, client, world):
    """At 375 px the self-rating and the supervisors' columns were off the screen; the table
    now turns into one block per competency, each figure labelled by its column."""
    from tests.conftest import Auth
    attempt_id = play(app, world.trainee_a)
    Auth(client).login("test.supervisor")
    html = _transcript(client, attempt_id)
    start = html.index('id="cap-team-transcript-1"')
    table = html[html.rindex("<table", 0, start):html.index("</table>", start)]
    assert table.startswith('<table class="stack-narrow">')
    cells = re.findall(r"<td( data-label=\"[^\"]+\")?>", table)
    assert cells and all(cells)  # every figure names its column
    assert 'data-label="Автоматична оцінка"' in table and 'data-label="Самооцінка"' in table


def _step_box(html: str, index: int) -> str:
    start = html.index(f'id="step-{index}"')
    return html[start:html.index('<details class="comment-form', start)]


def test_the_transcript_follows_the_review_of_a_written_answer(app, client, world):
    """The transcript kept the rubric's verdict after a supervisor overrode it, while the
    scores beside it (and the trainee's debrief) followed the override."""
    from tests.conftest import Auth
    from tests.team.test_reviews import SCENARIO, finish_with_text
    from trainer.extensions import db
    from trainer.models import Attempt, Step, User
    from trainer.team.reviews import review
    from trainer.team.transcript import build_transcript
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        dropped = step.rubric_result["found"][0]
        element = next(e for e in step.rubric_result["elements"] if e["id"] == dropped)
        sup = db.session.get(User, world.sup_a)
        sup.display_name = "Ірина Керівниця"
        review(db.session, step, sup, agrees=False, found=step.rubric_result["found"][1:],
               comment="Почуття не назване прямо.")
        db.session.commit()
        index, given = step.index, dict(step.score_delta)
        node = app.extensions["trainer_registry"].latest(SCENARIO).scenario.nodes[step.node_id]
        label = next(e.label.uk for e in node.free_text.elements if e.id == dropped)
        # The step's points move with the verdict, as the stored scores do.
        compiled = app.extensions["trainer_registry"].played(db.session.get(Attempt, attempt_id).version)
        entry = build_transcript(db.session, db.session.get(Attempt, attempt_id), compiled).entries[index]
    assert entry.review is not None and entry.review.comment == "Почуття не назване прямо."
    assert entry.points == {**given, **{c: given.get(c, 0) - v for c, v in element["scores"].items()}}
    Auth(client).login("test.supervisor")
    box = _step_box(_transcript(client, attempt_id), index)
    assert f"<li>Бракує: {label} <span class=\"muted\">(рубрика це знайшла)</span></li>" in box
    assert "Перевірка — Ірина Керівниця: висновок рубрики змінено" in box
    assert '<p class="note-body">Почуття не назване прямо.</p>' in box
    framework = app.extensions["trainer_registry"].library.framework
    points = box[box.index("бали:"):]
    for comp, value in element["scores"].items():
        assert value and f"{framework.competencies[comp].title.uk} {entry.points[comp]:+d}" in points


def test_an_agreeing_review_is_named_and_changes_no_element(app, client, world):
    from tests.conftest import Auth
    from tests.team.test_reviews import finish_with_text
    from trainer.extensions import db
    from trainer.models import Step, User
    from trainer.team.reviews import review
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        review(db.session, step, db.session.get(User, world.sup_a), agrees=True, found=None)
        db.session.commit()
        index = step.index
    Auth(client).login("test.supervisor")
    box = _step_box(_transcript(client, attempt_id), index)
    assert "Перевірка — test.supervisor: висновок рубрики підтверджено" in box
    assert "рубрика це знайшла" not in box and "рубрика цього не знайшла" not in box


# -- English review, findings 17 and 18: the result line and yes/no flags ----------------------

def test_yes_no_flags_read_yes_or_no_and_the_result_names_its_ending_once(app, client, world):
    """«Висміяли за довіру до телеграму 0» read as a score, and «Не зараховано: критична
    помилка: …» had two colons."""
    from tests.conftest import Auth
    from trainer.extensions import db
    from trainer.models import Attempt
    attempt_id = play(app, world.trainee_a, "worst", scenario="no-legal-basis")
    compiled = app.extensions["trainer_registry"].latest("no-legal-basis")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        outcome, ending = attempt.outcome, compiled.scenario.endings[attempt.ending].title.uk
    Auth(client).login("test.supervisor")
    html = _transcript(client, attempt_id)
    labels = {"failed": "Не пройдено (критична помилка)", "poor": "Поганий результат",
              "mixed": "Неоднозначний результат", "good": "Добрий результат"}
    assert f"<dd>{labels[outcome]}: {ending}" in html and "критична помилка:" not in html
    states = re.findall(r"Стан після цього кроку:\s*(.*?)(?: · |</p>)", html, re.S)
    assert states, "no client state on the transcript"
    for flag in ("Головну потребу почуто", "Висміяли за довіру до телеграму"):
        assert all(f"{flag}: так" in s or f"{flag}: ні" in s for s in states), states
        assert not re.search(rf"{flag} \d", html)
    assert all(re.search(r"Довіра \d", s) for s in states)  # a level keeps its number


def test_the_transcript_and_the_debrief_give_a_deaf_clients_words_as_typed_or_signed_hearing(app, client, world):
    """hearing-impairment: Oksana's typed words are «пише», her signed words «показує
    жестовою мовою», where the supervisor and the trainee read the attempt back."""
    from tests.conftest import Auth
    attempt_id = play(app, world.trainee_a, scenario="hearing-impairment")  # the recommended path
    typed, signed = "Оксана Мельник пише: «Я глуха.", "Оксана Мельник показує жестовою мовою: «Добрий день."
    reaction = "Оксана Мельник показує жестовою мовою: «Окремо, будь ласка.»"  # an answer's reaction too
    Auth(client).login("test.supervisor")
    transcript = re.sub(r"<[^>]+>", "", _transcript(client, attempt_id))
    client.post("/logout", data={"csrf_token": csrf(client)})
    status, debrief = _debrief_html(client, attempt_id)
    assert status == 200
    for text in (transcript, re.sub(r"<[^>]+>", "", debrief)):
        assert typed in text and signed in text and reaction in text
        assert "Оксана Мельник каже" not in text


def test_competencies_and_points_follow_the_framework_order(app, client, world):
    """crying-client declares its competencies in its own order; the transcript lists them
    (and each step's points) in the framework's order, as the debrief does."""
    from tests.conftest import Auth
    from tests.team.test_reviews import finish_with_text
    from trainer.extensions import db
    from trainer.models import Attempt
    from trainer.team.transcript import build_transcript
    attempt_id, _step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        registry = app.extensions["trainer_registry"]
        framework = list(registry.library.framework.competencies)
        attempt = db.session.get(Attempt, attempt_id)
        compiled = registry.played(attempt.version)
        declared = compiled.scenario.competencies
        assert declared != [c for c in framework if c in declared]  # the case this test is about
        for order in (framework, framework[::-1]):
            entries = build_transcript(db.session, attempt, compiled, order).entries
            assert any(len(e.points) > 1 for e in entries)
            for e in entries:
                assert list(e.points) == sorted(e.points, key=order.index)
        titles = [registry.library.framework.competencies[c].title.uk for c in framework if c in declared]
    Auth(client).login("test.supervisor")
    html = _transcript(client, attempt_id)
    form = html[html.index(f'action="/team/attempts/{attempt_id}/ratings"'):]
    legends = [form.index(f"<legend>{title}</legend>") for title in titles]
    assert legends == sorted(legends)
