"""An assessment's debrief says whether it passed and which answers came after the time limit,
as the trainee's assignments list and the supervisor's transcript do (found by playing: the
play page promised "it will be marked as late", and the debrief never marked it)."""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import add_assignment
from tests.team.conftest import SCENARIO, play, world  # noqa: F401  (a fixture)


def _assessment(app, world) -> int:
    return add_assignment(app, SCENARIO, world.trainee_a, world.sup_a, "assessment", time_limit=60)


def _mark_late(app, attempt_id: int, index: int) -> None:
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Step
    with app.app_context():
        db.session.scalars(select(Step).where(Step.attempt_id == attempt_id, Step.index == index)).one().late = True
        db.session.commit()


@pytest.mark.parametrize(("path", "verdict"), [("recommended", "Оцінювання зараховано."),
                                               ("worst", "Оцінювання не зараховано.")])
def test_an_assessment_debrief_says_whether_it_passed_and_marks_late_answers(app, client, auth, world, path,
                                                                             verdict):
    attempt_id = play(app, world.trainee_a, path, assignment_id=_assessment(app, world))
    _mark_late(app, attempt_id, 0)
    auth.login()
    html = unescape(client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True))
    assert verdict in html and "Оцінювання зараховують за доброго або неоднозначного результату." in html
    assert "Ви відповіли на 1 рішення після спливу часу" in html
    decisions = html[html.index('class="plain-list step-list"'):]
    summaries = re.findall(r"<summary>.*?</summary>", decisions[:decisions.index("</ol>")], re.S)
    assert ["Із запізненням" in s for s in summaries] == [True] + [False] * (len(summaries) - 1)


def test_a_practice_debrief_has_no_pass_mark_and_nothing_late(app, client, auth, world):
    attempt_id = play(app, world.trainee_a)
    auth.login()
    html = unescape(client.get(f"/attempts/{attempt_id}/debrief").get_data(as_text=True))
    assert "Оцінювання" not in html and "після спливу часу" not in html and "Із запізненням" not in html
