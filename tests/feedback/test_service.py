"""Survey responses and replies: what is stored, what is refused, what is never removed."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import true

from tests.study.factory import attempt
from trainer.extensions import db
from trainer.feedback import service
from trainer.feedback.service import SurveyAnswer, SurveyError
from trainer.models import SurveyResponse

NOW = datetime(2025, 3, 12, 15, 42)
TODAY = NOW.date()


@pytest.fixture
def finished(app, users):
    with app.app_context():
        row = attempt(db.session, users["trainee"], "busy-queue", NOW, "good", {"empathy": 80})
        db.session.commit()
        return row.id


def _attempt(attempt_id):
    from trainer.models import Attempt
    return db.session.get(Attempt, attempt_id)


def test_named_response_is_linked_and_sent_once(app, users, finished):
    with app.app_context():
        row = service.submit(db.session, _attempt(finished), SurveyAnswer(4, 5, "  Дуже життєво.  ", False), TODAY)
        db.session.commit()
        again = service.submit(db.session, _attempt(finished), SurveyAnswer(1, 1, "", False), TODAY)
        anonymous_after = service.submit(db.session, _attempt(finished), SurveyAnswer(1, None, "", True), TODAY)
        stored = service.named_response(db.session, finished)
        count = db.session.query(SurveyResponse).count()
    assert row is not None and again is None and anonymous_after is None
    assert (stored.user_id, stored.attempt_id, stored.scenario_id) == (users["trainee"], finished, "busy-queue")
    assert (stored.usefulness, stored.realism, stored.comment) == (4, 5, "Дуже життєво.")
    assert count == 1


def test_anonymous_response_keeps_no_link_and_only_the_month(app, finished):
    with app.app_context():
        row = service.submit(db.session, _attempt(finished), SurveyAnswer(2, None, "Затягнуто", True), TODAY)
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(SurveyResponse, row.id)
        assert stored.user_id is None and stored.attempt_id is None
        # The form promises no time of sending: the 12th of March is kept as March.
        assert stored.created_on == date(2025, 3, 1) and not isinstance(stored.created_on, datetime)
        assert (stored.scenario_id, stored.usefulness, stored.realism) == ("busy-queue", 2, None)
        # Nothing about it points back to the attempt.
        assert service.named_response(db.session, finished) is None


@pytest.mark.parametrize("answer", [
    SurveyAnswer(None, None, "   ", False),
    SurveyAnswer(0, None, "", False),
    SurveyAnswer(None, 6, "", True),
])
def test_empty_or_off_scale_answers_are_refused(app, finished, answer):
    with app.app_context(), pytest.raises(SurveyError):
        service.submit(db.session, _attempt(finished), answer, TODAY)


def test_unfinished_attempt_cannot_be_rated(app, users):
    with app.app_context():
        row = attempt(db.session, users["trainee"], "busy-queue", NOW, status="active")
        with pytest.raises(SurveyError):
            service.submit(db.session, row, SurveyAnswer(3, 3, "", False), TODAY)


def test_replies_are_appended_and_addressed_is_set_once(app, users, finished):
    with app.app_context():
        s = db.session
        response = service.submit(s, _attempt(finished), SurveyAnswer(3, 2, "Клієнт нереалістичний", False), TODAY)
        service.reply(s, response, users["admin"], "Дякуємо, переписали репліки.", NOW)
        service.reply(s, response, users["admin"], "Оновлення вже в бібліотеці.", NOW)
        with pytest.raises(SurveyError):
            service.reply(s, response, users["admin"], "   ", NOW)
        assert service.mark_addressed(s, response, users["admin"], NOW) is True
        assert service.mark_addressed(s, response, users["supervisor"], datetime(2026, 1, 1)) is False
        s.commit()
        s.expire_all()
        stored = service.named_response(s, finished)
        assert [r.body for r in stored.replies] == ["Дякуємо, переписали репліки.", "Оновлення вже в бібліотеці."]
        assert stored.replies[0].author.username == "test.admin"
        assert (stored.addressed_at, stored.addressed_by) == (NOW, users["admin"])
        assert service.reply_count(s, users["trainee"]) == 2
        assert service.reply_count(s, users["other"]) == 0


def test_summaries_responses_and_public_replies(app, users):
    with app.app_context():
        s = db.session
        mine = attempt(s, users["trainee"], "busy-queue", NOW, "good", {"empathy": 80})
        theirs = attempt(s, users["other"], "busy-queue", NOW, "poor", {"empathy": 20})
        third = attempt(s, users["other"], "busy-queue", NOW, "mixed", {"empathy": 50})
        crying = attempt(s, users["other"], "crying-client", NOW, "good", {"empathy": 90})
        named = service.submit(s, mine, SurveyAnswer(5, 4, "", False), TODAY)
        anonymous = service.submit(s, theirs, SurveyAnswer(1, 2, "Нудно", True), TODAY)
        unanswered = service.submit(s, third, SurveyAnswer(None, None, "Без відповіді", True), TODAY)
        service.submit(s, crying, SurveyAnswer(4, 4, "", False), TODAY)
        service.reply(s, anonymous, users["admin"], "Скоротили вступ.", NOW)
        service.reply(s, named, users["admin"], "Дякуємо!", NOW)
        service.mark_addressed(s, named, users["admin"], NOW)
        s.commit()
        everything = true()
        summaries = service.scenario_summaries(s, everything)
        named_listed = service.named_responses_for(s, "busy-queue", everything)
        anonymous_listed = service.anonymous_responses_for(s, "busy-queue")
        public = service.public_replies(s, "busy-queue")
        of_other = service.responses_of(s, users["other"])
        ids = (named.id, anonymous.id, unanswered.id)
    busy = summaries["busy-queue"]
    assert (busy.responses, busy.usefulness, busy.realism, busy.unaddressed) == (3, 3.0, 3.0, 2)
    assert summaries["crying-client"].responses == 1
    assert [r.id for r in named_listed] == [ids[0]]
    # Unaddressed first, then by month and content, never by arrival: "Без відповіді" before "Нудно".
    assert [r.id for r in anonymous_listed] == [ids[2], ids[1]]
    assert [r.id for r in public] == [ids[1]]  # anonymous and answered; named replies stay private
    assert [r.scenario_id for r in of_other] == ["crying-client"]  # anonymous ones are nobody's


def test_service_has_no_way_to_delete():
    assert not [name for name in dir(service) if "delete" in name.lower() or "remove" in name.lower()]


def test_the_same_reply_moments_later_is_stored_once(app, users, finished):
    from datetime import timedelta

    from trainer.models import SurveyReply
    with app.app_context():
        s = db.session
        response = service.submit(s, _attempt(finished), SurveyAnswer(3, 2, "", False), TODAY)
        assert service.reply(s, response, users["admin"], "Дякуємо!", NOW) is not None
        assert service.reply(s, response, users["admin"], "  Дякуємо!  ", NOW + timedelta(seconds=59)) is None
        # The same words later, or from someone else, are a reply of their own.
        assert service.reply(s, response, users["admin"], "Дякуємо!", NOW + timedelta(seconds=61)) is not None
        assert service.reply(s, response, users["supervisor"], "Дякуємо!", NOW) is not None
        s.commit()
        assert s.query(SurveyReply).count() == 3


def test_simultaneous_identical_replies_are_stored_once(app, users, finished, make_app):
    import threading

    from tests.conftest import run_at_once

    from trainer.models import SurveyReply, utcnow
    with app.app_context():
        response_id = service.submit(db.session, _attempt(finished), SurveyAnswer(3, 2, "", False), TODAY).id
        db.session.commit()
    barrier = threading.Barrier(2)

    def send(session):
        response = session.get(SurveyResponse, response_id)
        barrier.wait()
        return service.reply(session, response, users["admin"], "Дякуємо!", utcnow()) is not None

    stored, errors = run_at_once(make_app, send)  # two app servers on one database
    assert not errors and sorted(stored) == [False, True], errors
    with app.app_context():
        assert db.session.query(SurveyReply).count() == 1


def test_anonymous_responses_are_listed_by_month_and_content_not_by_arrival(app, users):
    """Listed by id, an anonymous response's place among the others told when it arrived."""
    with app.app_context():
        s = db.session
        sent = [(date(2025, 3, 30), "Яскраво"), (date(2025, 3, 2), "Бракує діалогу"), (date(2025, 4, 1), "Довго"),
                (date(2025, 3, 15), "Анонімно і коротко")]
        for day, comment in sent:
            row = attempt(s, users["other"], "busy-queue", NOW, "good", {"empathy": 50})
            service.submit(s, row, SurveyAnswer(3, None, comment, True), day)
        s.commit()
        listed = [(r.created_on, r.comment) for r in service.anonymous_responses_for(s, "busy-queue")]
    assert listed == [(date(2025, 4, 1), "Довго"), (date(2025, 3, 1), "Анонімно і коротко"),
                      (date(2025, 3, 1), "Бракує діалогу"), (date(2025, 3, 1), "Яскраво")]


def test_a_supervisor_reads_named_feedback_of_their_own_people_only(app, users):
    """Named feedback names a trainee: a supervisor reads it only from the people they
    supervise (and their own); anonymous feedback belongs to the scenario and is read by all."""
    from trainer.models import Cohort, CohortMember, User
    with app.app_context():
        s = db.session
        cohort = Cohort(name="Київ-1")
        s.add(cohort)
        s.flush()
        s.add_all([CohortMember(cohort_id=cohort.id, user_id=users["supervisor"], role="supervisor"),
                   CohortMember(cohort_id=cohort.id, user_id=users["trainee"], role="trainee")])
        own = service.submit(s, attempt(s, users["trainee"], "busy-queue", NOW, "good", {"empathy": 80}),
                             SurveyAnswer(5, 5, "Свій", False), TODAY)
        elsewhere = service.submit(s, attempt(s, users["other"], "busy-queue", NOW, "poor", {"empathy": 20}),
                                   SurveyAnswer(1, 1, "Чужий", False), TODAY)
        mine = service.submit(s, attempt(s, users["supervisor"], "busy-queue", NOW, "good", {"empathy": 90}),
                              SurveyAnswer(4, 4, "Керівника", False), TODAY)
        unnamed = service.submit(s, attempt(s, users["other"], "busy-queue", NOW, "poor", {"empathy": 20}),
                                 SurveyAnswer(2, 2, "Без імені", True), TODAY)
        s.commit()
        seen = {}
        for role in ("supervisor", "admin"):
            viewer = s.get(User, users[role])
            readable = service.readable_by(viewer)
            seen[role] = ({r.id for r in service.named_responses_for(s, "busy-queue", readable)},
                          service.scenario_summaries(s, readable)["busy-queue"])
        ids = own.id, elsewhere.id, mine.id, unnamed.id
    named, summary = seen["supervisor"]
    assert named == {ids[0], ids[2]}  # not the other centre's trainee
    # The figures are over what the supervisor reads: 5, 4 and the anonymous 2, not the other's 1.
    assert (summary.responses, summary.usefulness) == (3, 11 / 3)
    named, summary = seen["admin"]
    assert named == {ids[0], ids[1], ids[2]} and summary.responses == 4


# -- the index's order ---------------------------------------------------------------------

def test_index_puts_open_feedback_first_and_breaks_ties_by_title():
    summary = service.ScenarioFeedback
    summaries = {"b-open": summary("b-open", 1, 4.0, 4.0, 1), "d-busy": summary("d-busy", 3, 4.0, 4.0, 0)}
    titles = {"a-quiet": "Я окуляри забула", "b-open": "Понеділок", "c-quiet": "«Відмова»", "d-busy": "Він чекає",
              "e-quiet": "Він чекає"}
    order = service.index_order(["a-quiet", "b-open", "c-quiet", "d-busy", "e-quiet", "gone"], summaries, titles)
    # A retired scenario shows its id, Latin letters, so it leads the ties.
    assert [sid for sid, _s in order] == ["b-open", "d-busy", "gone", "c-quiet", "e-quiet", "a-quiet"]
    assert order[0][1] is summaries["b-open"] and order[2][1] is None
