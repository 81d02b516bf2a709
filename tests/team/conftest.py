"""A small organisation for the team tests: two cohorts, each with its own supervisor."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

SCENARIO = "example-queue"


@dataclass
class World:
    cohort_a: int
    cohort_b: int
    sup_a: int  # test.supervisor
    sup_b: int  # sup.b
    trainee_a: int  # test.trainee
    trainee_b: int  # test.other
    admin: int


@pytest.fixture
def world(app, users) -> World:
    from trainer.extensions import db
    from trainer.models import Cohort, CohortMember, User

    with app.app_context():
        sup_b = User(username="sup.b", role="supervisor")
        sup_b.set_password("sup.b")
        a, b = Cohort(name="Київ-1"), Cohort(name="Львів-2")
        db.session.add_all([sup_b, a, b])
        db.session.flush()
        db.session.add_all([
            CohortMember(cohort_id=a.id, user_id=users["supervisor"], role="supervisor"),
            CohortMember(cohort_id=a.id, user_id=users["trainee"], role="trainee"),
            CohortMember(cohort_id=b.id, user_id=sup_b.id, role="supervisor"),
            CohortMember(cohort_id=b.id, user_id=users["other"], role="trainee"),
        ])
        db.session.commit()
        return World(a.id, b.id, users["supervisor"], sup_b.id, users["trainee"], users["other"], users["admin"])


@pytest.fixture
def ctx(app, world):
    """The world of cohorts and the database session, inside an app context."""
    from trainer.extensions import db
    with app.app_context():
        yield world, db.session


def account(session, user_id: int):
    """The user row of ``user_id``."""
    from trainer.models import User
    return session.get(User, user_id)


def play(app, user_id: int, path: str | list[str] = "recommended", assignment_id: int | None = None,
         scenario: str = SCENARIO):
    """Play a whole attempt through the domain functions (the recommended or the worst path,
    or the choices given); returns the attempt id."""
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import Assignment, User

    with app.app_context():
        compiled = app.extensions["trainer_registry"].latest(scenario)
        user = db.session.get(User, user_id)
        assignment = db.session.get(Assignment, assignment_id) if assignment_id else None
        attempt = attempts.start_or_resume(db.session, user, compiled, restart=True, assignment=assignment)
        db.session.commit()
        if isinstance(path, list):
            choices = [(None, choice) for choice in path]
        else:
            choices = compiled.analysis.recommended_path if path == "recommended" else compiled.analysis.worst_path
        for i, (_node, choice) in enumerate(choices):
            result = attempts.answer(db.session, attempt, compiled, i, choice)
            assert result.recorded
            db.session.commit()
        return attempt.id


@pytest.fixture
def session(app, users):
    from trainer.extensions import db
    # A request context: problem messages are lazy translations rendered for a reader.
    with app.test_request_context():
        yield db.session
