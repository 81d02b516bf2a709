"""Supervisors review written answers; overrides are kept and move the points."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import Auth, csrf_token

SCENARIO = "crying-client"


def finish_with_text(app, user_id: int, text: str | None = None, attempt_id: int | None = None,
                     stop_after_text: bool = False) -> tuple[int, int]:
    """Play the recommended path, writing ``text`` (default: the model answer) at the free-text node.

    With ``attempt_id``, go on playing that attempt instead of starting one; with
    ``stop_after_text``, leave it unfinished right after the written answer."""
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import Attempt, Step, User
    with app.app_context():
        compiled = app.extensions["trainer_registry"].latest(SCENARIO)
        if attempt_id is None:
            attempt = attempts.start_or_resume(db.session, db.session.get(User, user_id), compiled, restart=True)
            db.session.commit()
        else:
            attempt = db.session.get(Attempt, attempt_id)
        index = attempt.step_count
        while attempt.status == "active":
            if stop_after_text and db.session.scalar(select(Step.id).where(
                    Step.attempt_id == attempt.id, Step.free_text.is_not(None))) is not None:
                break
            from trainer.scenario.engine import PlayState
            state = PlayState.from_dict(attempt.state)
            if compiled.is_free_text(state.node):
                written = text or compiled.scenario.nodes[state.node].free_text.model_answer.uk
                assert attempts.answer(db.session, attempt, compiled, index, text=written).recorded
            else:
                best = dict(compiled.analysis.recommended_path).get(state.node) or compiled.scenario.nodes[state.node].choices[0].id
                assert attempts.answer(db.session, attempt, compiled, index, best).recorded
            db.session.commit()
            db.session.refresh(attempt)
            index += 1
        step_id = db.session.scalar(select(Step.id).where(Step.attempt_id == attempt.id, Step.free_text.is_not(None)))
        return attempt.id, step_id


def test_override_moves_points_and_agreeing_restores_them(app, world):
    from trainer.extensions import db
    from trainer.models import AttemptScore, Step, User
    from trainer.team.reviews import effective_found, review, rubric_agreement
    from trainer.team.access import members_of
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        found = step.rubric_result["found"]
        assert found
        element = next(e for e in step.rubric_result["elements"] if e["id"] == found[0])
        comp, value = next(iter(element["scores"].items()))
        before = db.session.get(AttemptScore, (attempt_id, comp)).points
        sup = db.session.get(User, world.sup_a)
        review(db.session, step, sup, agrees=False, found=[f for f in found if f != found[0]], comment="не почула")
        db.session.commit()
        assert effective_found(db.session, step) == [f for f in found if f != found[0]]
        assert db.session.get(AttemptScore, (attempt_id, comp)).points == before - value
        review(db.session, step, sup, agrees=True, found=None)
        db.session.commit()
        assert db.session.get(AttemptScore, (attempt_id, comp)).points == before
        [stat] = rubric_agreement(db.session, members_of(world.cohort_a))
        assert (stat.scenario_id, stat.node_id, stat.reviewed, stat.agreed) == (SCENARIO, step.node_id, 1, 1)


def test_unknown_element_ids_in_an_override_are_ignored(app, world):
    from trainer.extensions import db
    from trainer.models import FreeTextReview, Step, User
    from trainer.team.reviews import review
    _attempt, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        review(db.session, step, db.session.get(User, world.sup_a), agrees=False, found=["no_such_element"])
        db.session.commit()
        assert db.session.scalar(select(FreeTextReview.found)) == []


def test_review_queue_shows_own_cohort_and_records_verdicts(app, client, world):
    from trainer.extensions import db
    from trainer.models import FreeTextReview
    _a, step_a = finish_with_text(app, world.trainee_a, "Не хвилюйтеся, заспокойтеся, будь ласка.")
    _b, step_b = finish_with_text(app, world.trainee_b)
    Auth(client).login("test.supervisor")
    html = client.get("/team/reviews").get_data(as_text=True)
    assert "заспокойтеся" in html and f'/team/reviews/{step_b}"' not in html
    # The supervisor is told who will read the verdict and the comment.
    hint = f'<p class="hint" id="c-{step_a}-hint">Слухач побачить результат вашої перевірки й коментар'
    assert hint in html and f'aria-describedby="c-{step_a}-hint"' in html
    assert client.post(f"/team/reviews/{step_b}", data={"csrf_token": csrf_token(html), "verdict": "agree"}).status_code == 404
    r = client.post(f"/team/reviews/{step_a}", data={"csrf_token": csrf_token(html), "verdict": "agree"})
    assert r.status_code == 302
    assert f"/team/reviews/{step_a}" not in client.get("/team/reviews").get_data(as_text=True)  # reviewed: off the queue
    assert f"/team/reviews/{step_a}" in client.get("/team/reviews?all=1").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(FreeTextReview.agrees)) is True


@pytest.mark.parametrize("who, status", [("test.trainee", 403), ("test.admin", 200)])
def test_review_queue_roles(client, world, who, status):
    Auth(client).login(who)
    assert client.get("/team/reviews").status_code == status


def test_rubric_labels_are_shown_in_the_readers_language(app, client, world):
    # The stored result keeps the labels of the answer's language (Ukrainian here); a
    # supervisor reading in English saw them in Ukrainian beside English headings.
    from html import escape

    from trainer.extensions import db
    from trainer.models import Step
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        stored = {e["id"]: e["label"] for e in step.rubric_result["elements"]}
        node = app.extensions["trainer_registry"].latest(SCENARIO).scenario.nodes[step.node_id]
    english = {e.id: e.label.en for e in node.free_text.elements}
    assert all(stored[i] != english[i] for i in stored)  # stored in Ukrainian
    auth = Auth(client)
    auth.login("test.supervisor")
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    for page in ("/team/reviews", f"/team/attempts/{attempt_id}"):
        html = client.get(page).get_data(as_text=True)
        for element_id, label in english.items():
            assert escape(label, quote=False) in html, (page, label)
            assert escape(stored[element_id], quote=False) not in html, (page, stored[element_id])


def test_supervisor_pages_give_times_in_kyiv_and_in_words(app, client, world):
    """Times are stored in UTC; the profile, the transcript and the review queue give them in
    the centre's zone and the reader's language, not as ISO text (22:30 UTC on 15 January is
    00:30 on the 16th in Kyiv)."""
    from datetime import datetime, timezone

    from babel.dates import format_date

    from trainer.extensions import db
    from trainer.models import Attempt, Step, StepComment
    attempt_id, step_id = finish_with_text(app, world.trainee_a, "Розумію, вам важко.")
    stored = datetime(2026, 1, 15, 22, 30, 5)
    with app.app_context():
        db.session.get(Attempt, attempt_id).started_at = stored
        db.session.get(Step, step_id).created_at = stored
        db.session.add(StepComment(step_id=step_id, author_id=world.sup_a, body="Добре", created_at=stored))
        db.session.commit()
    Auth(client).login("test.supervisor")
    shown = "16 січня 2026, 00:30"
    for url in (f"/team/trainees/{world.trainee_a}", f"/team/attempts/{attempt_id}", "/team/reviews"):
        html = client.get(url).get_data(as_text=True)
        assert shown in html, url
        # Not the stored UTC day (a bare "22:30" could be the clock's own time of this run).
        assert "2026-01-15" not in html and "15 січня 2026" not in html, url
    transcript = client.get(f"/team/attempts/{attempt_id}").get_data(as_text=True)
    assert transcript.count(shown) == 2  # started, and the comment
    assert "00:30:05" in transcript  # the decision's time of day, to the second
    assert "Письмова відповідь:</span> Розумію, вам важко." in transcript  # not "Слухач написав"
    profile = client.get(f"/team/trainees/{world.trainee_a}").get_data(as_text=True)
    now = datetime.now(timezone.utc)  # the attempt finished now: the trend's only month
    assert f'>{now:%Y-%m}</th>' not in profile
    assert f'<th scope="row" class="period">{format_date(now, "LLLL yyyy", locale="uk")}</th>' in profile  # "листопад 2026"


# -- the stored points follow the newest verdicts, however they arrive ------------------------

def _expected(step, base: dict, found: list[str]) -> dict:
    """The final state's points, with ``found`` in place of what the rubric found (by hand)."""
    points = dict(base)
    for element in step.rubric_result["elements"]:
        sign = (element["id"] in found) - (element["id"] in step.rubric_result["found"])
        for comp, value in element["scores"].items():
            points[comp] = points.get(comp, 0) + sign * value
    return points


def _stored(session, attempt_id: int) -> dict:
    from trainer.models import AttemptScore
    return {s.competency: s.points for s in session.scalars(select(AttemptScore).where(
        AttemptScore.attempt_id == attempt_id).execution_options(populate_existing=True))}


def test_points_are_recomputed_so_a_shifted_score_heals(app, world):
    """A verdict that arrived on a stale base (two at once, before this fix) left the stored
    points shifted for good; each verdict now computes them again from the attempt."""
    from trainer.extensions import db
    from trainer.models import Attempt, AttemptScore, Step, User
    from trainer.scenario.scoring import percentage
    from trainer.team.reviews import review, reviewed_points
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        session = db.session
        step, sup = session.get(Step, step_id), session.get(User, world.sup_a)
        base = session.get(Attempt, attempt_id).state["scores"]
        stored = _stored(session, attempt_id)
        assert stored == {c: base.get(c, 0) for c in stored}
        everything = [e["id"] for e in step.rubric_result["elements"]]
        rubric = step.rubric_result["found"]
        # The state two simultaneous overrides left behind: one override's points counted twice.
        once = _expected(step, base, everything)
        for comp in stored:
            session.get(AttemptScore, (attempt_id, comp)).points += once.get(comp, 0) - base.get(comp, 0)
        session.commit()
        sequence = [(False, everything), (False, []), (False, rubric[1:]), (True, None), (False, everything)]
        for agrees, found in sequence:
            review(session, step, sup, agrees=agrees, found=found)
            session.commit()
            want = _expected(step, base, rubric if agrees else found)
            assert _stored(session, attempt_id) == {c: want.get(c, 0) for c in stored}, (agrees, found)
            assert reviewed_points(session, attempt_id) == want
            for score in session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)):
                assert score.percent == float(percentage(score.points, score.max_points) or 0)
        review(session, step, sup, agrees=True, found=None)
        session.commit()
        assert _stored(session, attempt_id) == {c: base.get(c, 0) for c in stored}  # as the rubric scored it


def test_verdicts_on_two_written_answers_of_one_attempt_both_count(app, world):
    from trainer.extensions import db
    from trainer.models import Attempt, Step, User
    from trainer.team.reviews import review
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        session = db.session
        step, sup = session.get(Step, step_id), session.get(User, world.sup_a)
        base = session.get(Attempt, attempt_id).state["scores"]
        # A second written answer in the same attempt, as a scenario with two free-text nodes has.
        twin = Step(attempt_id=attempt_id, index=999, node_id=step.node_id, choice_id=step.choice_id,
                    state_after=step.state_after, free_text=step.free_text, rubric_result=step.rubric_result)
        session.add(twin)
        session.commit()
        review(session, step, sup, agrees=False, found=[])
        review(session, twin, sup, agrees=False, found=[])
        session.commit()
        once = _expected(step, base, [])
        twice = _expected(step, once, [])
        assert _stored(session, attempt_id) == {c: twice.get(c, 0) for c in _stored(session, attempt_id)}


def test_simultaneous_verdicts_leave_the_points_of_the_newest(app, world, make_app):
    """Supervisors judging one answer at the same moment (the fuzz review: two, and ten), some
    finding every element and some none: once all are saved the points are the newest
    verdict's, and a later "agree" restores the rubric's."""
    import threading

    from trainer.extensions import db
    from trainer.models import Attempt, Step, User
    from trainer.team.reviews import effective_found, review
    attempt_id, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        base = db.session.get(Attempt, attempt_id).state["scores"]
        everything = [e["id"] for e in step.rubric_result["elements"]]
        competencies = list(_stored(db.session, attempt_id))
    reviewers = 6
    server = make_app()
    barrier = threading.Barrier(reviewers, timeout=20)
    errors = []

    def judge(n):
        with server.app_context():
            try:
                mine, who = db.session.get(Step, step_id), db.session.get(User, world.sup_a if n % 2 else world.admin)
                barrier.wait()
                review(db.session, mine, who, agrees=False, found=everything if n % 2 else [])
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion
                db.session.rollback()
                errors.append(exc)

    threads = [threading.Thread(target=judge, args=(n,)) for n in range(reviewers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        newest = effective_found(db.session, db.session.get(Step, step_id))
        assert newest in (everything, [])
        want = _expected(step, base, newest)
        assert _stored(db.session, attempt_id) == {c: want.get(c, 0) for c in competencies}
        review(db.session, db.session.get(Step, step_id), db.session.get(User, world.sup_a), agrees=True, found=None)
        db.session.commit()
        assert _stored(db.session, attempt_id) == {c: base.get(c, 0) for c in competencies}


def test_a_verdict_given_before_the_attempt_ends_counts_when_it_ends(app, world):
    """The queue lists a written answer as soon as it is written; the supervisor's verdict
    then had no score rows to move, and finishing stored the rubric's points without it."""
    from trainer.extensions import db
    from trainer.models import Attempt, AttemptScore, Step, User
    from trainer.scenario.scoring import percentage
    from trainer.team.reviews import queue, review
    from trainer.team.access import members_of
    attempt_id, step_id = finish_with_text(app, world.trainee_a, stop_after_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "active"
        assert [s.id for s, *_rest in queue(db.session, members_of(world.cohort_a))] == [step_id]
        step = db.session.get(Step, step_id)
        kept = step.rubric_result["found"][1:]  # the supervisor does not hear the first element
        review(db.session, step, db.session.get(User, world.sup_a), agrees=False, found=kept, comment="не почула")
        db.session.commit()
        assert _stored(db.session, attempt_id) == {}  # nothing to move yet
    finish_with_text(app, world.trainee_a, attempt_id=attempt_id)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "finished"
        step = db.session.get(Step, step_id)
        want = _expected(step, attempt.state["scores"], kept)
        assert want != attempt.state["scores"]  # the verdict changes something
        stored = _stored(db.session, attempt_id)
        assert stored and stored == {c: want.get(c, 0) for c in stored}
        for score in db.session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id)):
            assert score.percent == float(percentage(score.points, score.max_points) or 0)


def test_the_agreement_table_names_each_question_by_its_words(app, client, world):
    """The «Question» column showed node ids (``quiet_words``) nobody but an author knows."""
    import re
    from html import unescape

    from trainer.extensions import db
    from trainer.models import Step, User
    from trainer.team.reviews import review
    _attempt, step_id = finish_with_text(app, world.trainee_a)
    with app.app_context():
        step = db.session.get(Step, step_id)
        review(db.session, step, db.session.get(User, world.sup_a), agrees=True, found=None)
        db.session.commit()
        node_id = step.node_id
        prompt = app.extensions["trainer_registry"].latest(SCENARIO).scenario.nodes[node_id].free_text.prompt.uk
    Auth(client).login("test.supervisor")
    html = unescape(client.get("/team/reviews").get_data(as_text=True))
    table = html[html.index('id="cap-team-reviews-1"'):html.index("</table>")]
    cell = re.search(r'<td title="([^"]+)">([^<]+)</td>', table)
    assert cell and cell.group(1) == node_id and f"<code>{node_id}</code>" not in table
    words = cell.group(2)
    assert words != node_id and prompt.startswith(words.rstrip(".…").rstrip()) and len(words) <= 90


def test_a_reviewed_answer_shows_the_ticks_that_count_and_leads_to_its_conversation(app, client, world):
    """After an override, the reviewed list ticks the elements as the review found them, says
    where the rubric read them otherwise, and links to the transcript at that decision (found
    by playing: the page showed the rubric's ticks again, as if the review had not happened)."""
    import re
    from html import unescape
    attempt_id, step_id = finish_with_text(app, world.trainee_a)  # the model answer: the rubric finds all
    Auth(client).login("test.supervisor")
    html = client.get("/team/reviews").get_data(as_text=True)
    article = re.search(rf'<article[^>]*aria-labelledby="ans-{step_id}".*?</article>', html, re.S).group(0)
    ticked = re.findall(r'name="found" value="([^"]+)"[^>]*checked', article)
    assert len(ticked) >= 2
    from trainer.extensions import db
    from trainer.models import Step
    with app.app_context():
        index = db.session.get(Step, step_id).index
    assert f'href="/team/attempts/{attempt_id}#step-{index}">Уся розмова' in article
    # Named for a screen reader by whose conversation, in which scenario: one person has several.
    hidden = re.search(r'Уся розмова<span class="visually-hidden">: ([^<]+)</span>', unescape(article)).group(1)
    assert "Клієнтка плаче" in hidden
    kept = ticked[1:]  # the reviewer finds the first element missing
    client.post(f"/team/reviews/{step_id}", data={"csrf_token": csrf_token(html), "verdict": "override",
                                                  "found": kept})
    again = unescape(client.get("/team/reviews?all=1").get_data(as_text=True))
    article = re.search(rf'<article[^>]*aria-labelledby="ans-{step_id}".*?</article>', again, re.S).group(0)
    assert re.findall(r'name="found" value="([^"]+)"[^>]*checked', article) == kept
    assert "Елементи (позначено так, як їх знайшла остання перевірка)" in article
    assert article.count("рубрика це знайшла") == 1  # beside the one element the review took away
