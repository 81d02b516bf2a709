"""The authorisation matrix: every route × every role × own and others' data.

Each row is one request and what each role gets: ``OK`` (the page, a redirect, or for a
POST with an empty form a refusal of the form), ``LOGIN`` (sent to the login page),
``FORBIDDEN`` (403: the role may not use the route) or ``NOT_FOUND`` (404: someone else's
object, or one that does not exist; never a hint that it exists). ``{placeholders}`` in a
path are filled by the factories below, which create a fresh object for the row as seen by
the role under test ("own" is that role's user; "others" belong to ``test.other``, whom no
supervisor supervises). A route missing from the matrix fails ``test_every_route_is_in_the_matrix``.

To cover a new route, add a line; to cover a new kind of object, add a factory.
Every page a trainee or supervisor may open is also checked for ``test.other``'s name:
they never supervise that person, so it must not appear.
"""
from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.conftest import Auth, csrf_token

OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", 403, 404
ROLES = ("anonymous", "trainee", "supervisor", "admin")
SCENARIO = "example-queue"
HIDDEN_NAME = "Other Secret Person"  # test.other's display name

MATRIX = [
    # method, path,                                          anonymous, trainee,  supervisor, admin
    ("GET", "/login",                                         OK,        OK,        OK,        OK),
    ("POST", "/login",                                        OK,        OK,        OK,        OK),
    ("POST", "/logout",                                       LOGIN,     LOGIN,     LOGIN,     LOGIN),  # logged out
    ("POST", "/language",                                     OK,        OK,        OK,        OK),  # a visitor's language
    ("GET", "/healthz",                                       OK,        OK,        OK,        OK),
    ("GET", "/static/style.css",                              OK,        OK,        OK,        OK),
    ("GET", "/account/language",                              LOGIN,     OK,        OK,        OK),
    ("POST", "/account/language",                             LOGIN,     OK,        OK,        OK),
    ("GET", "/account/password",                              LOGIN,     OK,        OK,        OK),
    ("POST", "/account/password",                             LOGIN,     OK,        OK,        OK),
    ("GET", "/",                                              LOGIN,     OK,        OK,        OK),
    ("GET", "/history",                                       LOGIN,     OK,        OK,        OK),
    ("GET", "/profile",                                       LOGIN,     OK,        OK,        OK),
    # playing
    ("GET", "/scenarios",                                     LOGIN,     OK,        OK,        OK),
    ("GET", f"/scenarios/{SCENARIO}",                         LOGIN,     OK,        OK,        OK),
    ("GET", "/scenarios/no-such-scenario",                    LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("POST", f"/scenarios/{SCENARIO}/start",                  LOGIN,     OK,        OK,        OK),
    ("GET", "/attempts/{own_attempt}",                        LOGIN,     OK,        OK,        OK),
    ("GET", "/attempts/{others_attempt}",                     LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("GET", "/attempts/{missing}",                            LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("POST", "/attempts/{own_attempt}/answer",                LOGIN,     OK,        OK,        OK),
    ("POST", "/attempts/{others_attempt}/answer",             LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("POST", "/attempts/{own_attempt}/time",                  LOGIN,     OK,        OK,        OK),
    ("POST", "/attempts/{others_attempt}/time",               LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("GET", "/attempts/{own_finished}/debrief",               LOGIN,     OK,        OK,        OK),
    ("GET", "/attempts/{others_finished}/debrief",            LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("POST", "/attempts/{own_finished}/self-rating",          LOGIN,     OK,        OK,        OK),
    ("POST", "/attempts/{others_finished}/self-rating",       LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("GET", "/assignments",                                   LOGIN,     OK,        OK,        OK),
    ("GET", "/assignments/{own_assignment}",                  LOGIN,     OK,        OK,        OK),
    ("GET", "/assignments/{others_assignment}",               LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("POST", "/assignments/{own_assignment}/start",           LOGIN,     OK,        OK,        OK),
    ("POST", "/assignments/{others_assignment}/start",        LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # the manual
    ("GET", "/manual/",                                       LOGIN,     OK,        OK,        OK),
    ("GET", "/manual/2.5",                                    LOGIN,     OK,        OK,        OK),
    ("GET", "/manual/search?q=черга",                         LOGIN,     OK,        OK,        OK),
    ("GET", "/manual/coverage",                               LOGIN,     FORBIDDEN, OK,        OK),
    # survey feedback
    ("GET", "/feedback/mine",                                 LOGIN,     OK,        OK,        OK),
    ("POST", "/feedback/attempts/{own_finished}",             LOGIN,     OK,        OK,        OK),
    ("POST", "/feedback/attempts/{others_finished}",          LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("GET", "/feedback/",                                     LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", f"/feedback/scenarios/{SCENARIO}",                LOGIN,     FORBIDDEN, OK,        OK),
    ("POST", "/feedback/responses/{response}/reply",          LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/feedback/responses/{response}/addressed",      LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    # supervisors
    ("GET", "/team/",                                         LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/cohorts/{supervised_cohort}",              LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/cohorts/{other_cohort}",                   LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/cohorts/{supervised_cohort}/assign",       LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/cohorts/{other_cohort}/assign",            LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("POST", "/team/cohorts/{supervised_cohort}/assign",      LOGIN,     FORBIDDEN, OK,        OK),
    ("POST", "/team/cohorts/{other_cohort}/assign",           LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/assignments/{supervised_assignment}",      LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/assignments/{others_assignment}",          LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/assignments/{missing}",                    LOGIN,     FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("GET", "/team/assignments/{supervised_assignment}/edit", LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/assignments/{others_assignment}/edit",     LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("POST", "/team/assignments/{supervised_assignment}/edit", LOGIN,    FORBIDDEN, OK,        OK),
    ("POST", "/team/assignments/{others_assignment}/edit",    LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/assignments/{supervised_assignment}/cancel", LOGIN,   FORBIDDEN, OK,        OK),
    ("GET", "/team/assignments/{others_assignment}/cancel",   LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("POST", "/team/assignments/{supervised_assignment}/cancel", LOGIN,  FORBIDDEN, OK,        OK),
    ("POST", "/team/assignments/{others_assignment}/cancel",  LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/trainees/{supervised_trainee}",            LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/trainees/{unsupervised_trainee}",          LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/attempts/{supervised_attempt}",            LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/attempts/{unsupervised_attempt}",          LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("POST", "/team/attempts/{supervised_attempt}/comments",  LOGIN,     FORBIDDEN, OK,        OK),
    ("POST", "/team/attempts/{unsupervised_attempt}/comments", LOGIN,    FORBIDDEN, NOT_FOUND, OK),
    ("POST", "/team/attempts/{supervised_attempt}/ratings",   LOGIN,     FORBIDDEN, OK,        OK),
    ("POST", "/team/attempts/{unsupervised_attempt}/ratings", LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/reviews",                                  LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/reviews?all=1",                            LOGIN,     FORBIDDEN, OK,        OK),
    ("POST", "/team/reviews/{supervised_written_step}",       LOGIN,     FORBIDDEN, OK,        OK),
    ("POST", "/team/reviews/{unsupervised_written_step}",     LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("POST", "/team/reviews/{missing}",                       LOGIN,     FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("GET", f"/team/scenarios/{SCENARIO}",                    LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", f"/team/scenarios/{SCENARIO}?cohort={{other_cohort}}", LOGIN, FORBIDDEN, OK,       OK),
    ("GET", "/team/export/attempts.csv",                      LOGIN,     FORBIDDEN, OK,        OK),
    # Another cohort's export is a 404 that says so, as its dashboard is (it was everyone the
    # supervisor sees, as if no cohort had been asked for).
    ("GET", "/team/export/steps.csv?cohort={other_cohort}",   LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/export/nothing.csv",                       LOGIN,     FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("GET", "/team/export/attempts.xlsx",                     LOGIN,     FORBIDDEN, OK,        OK),
    ("GET", "/team/export/steps.xlsx?cohort={other_cohort}",  LOGIN,     FORBIDDEN, NOT_FOUND, OK),
    ("GET", "/team/export/nothing.xlsx",                      LOGIN,     FORBIDDEN, NOT_FOUND, NOT_FOUND),
    ("GET", "/team/export/xapi.json",                         LOGIN,     FORBIDDEN, OK,        OK),
    # administrators
    ("GET", "/admin/scenarios",                               LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/users",                                   LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/users/new",                               LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/users/new",                              LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/users/import",                            LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/users/import",                           LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/users/{any_user}",                        LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/users/{any_user}",                       LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/users/{missing}",                         LOGIN,     FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ("GET", "/admin/cohorts",                                 LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/cohorts",                                LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/cohorts/{supervised_cohort}",             LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/cohorts/{supervised_cohort}",            LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/cohorts/{membership}/remove",             LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/cohorts/{membership}/remove",            LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/users/{any_user}/block",                  LOGIN,     FORBIDDEN, FORBIDDEN, OK),  # asks first
    ("POST", "/admin/users/{any_user}/block",                 LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/users/{any_user}/password",              LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/users/{missing}/password",               LOGIN,     FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ("POST", "/admin/cohorts/{supervised_cohort}/members",    LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/cohorts/{supervised_cohort}/edit",        LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/cohorts/{supervised_cohort}/edit",       LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("GET", "/admin/cohorts/{missing}/edit",                  LOGIN,     FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ("GET", "/admin/cohorts/{supervised_cohort}/delete",      LOGIN,     FORBIDDEN, FORBIDDEN, OK),
    ("POST", "/admin/cohorts/{supervised_cohort}/delete",     LOGIN,     FORBIDDEN, FORBIDDEN, OK),  # has members: refused
    ("POST", "/admin/users/{any_user}/unblock",               LOGIN,     FORBIDDEN, FORBIDDEN, OK),
]

# What a placeholder looks like when only the route matters (matching the URL map).
DUMMY = {"membership": "1/members/1"}
# A refused empty form still means the role was let in.
FORM_REFUSALS = {400, 409, 410, 422}
_COHORT_NUMBERS = itertools.count(1)
# Pages that show people outside the viewer's cohorts on purpose, and why.
SHOWS_OTHERS = {
    f"/feedback/scenarios/{SCENARIO}": "named survey feedback is shown to every supervisor; the trainee chose to sign it",
}


# -- the world each row runs in ----------------------------------------------------------

@dataclass
class World:
    app: object
    users: dict[str, int]
    me: int  # the role's user (the trainee's for anonymous)

    def session(self):
        from trainer.extensions import db
        return db.session

    def user(self, user_id):
        from trainer.models import User
        return self.session().get(User, user_id)

    def attempt(self, user_id: int, finished: bool = False) -> int:
        from trainer import attempts

        compiled = self.app.extensions["trainer_registry"].latest(SCENARIO)
        attempt = attempts.start_or_resume(self.session(), self.user(user_id), compiled, restart=True)
        if finished:
            for step, choice in enumerate(("greet_and_acknowledge", "explain_and_check")):
                attempts.answer(self.session(), attempt, compiled, step, choice)
        self.session().commit()
        return attempt.id

    def cohort(self, supervisors=(), trainees=()) -> int:
        from trainer.models import Cohort, CohortMember

        cohort = Cohort(name=f"cohort {next(_COHORT_NUMBERS)}")
        self.session().add(cohort)
        self.session().flush()
        for role, ids in (("supervisor", supervisors), ("trainee", trainees)):
            for user_id in ids:
                self.session().add(CohortMember(cohort_id=cohort.id, user_id=user_id, role=role))
        self.session().commit()
        return cohort.id

    def assignment(self, user_id: int) -> int:
        from trainer.models import Assignment

        assignment = Assignment(scenario_id=SCENARIO, user_id=user_id, created_by=self.users["supervisor"])
        self.session().add(assignment)
        self.session().commit()
        return assignment.id

    def written_step(self, user_id: int) -> int:
        """A step of a finished attempt with a written (free-text) answer."""
        from trainer.models import Attempt

        attempt = self.session().get(Attempt, self.attempt(user_id, finished=True))
        step = attempt.steps[0]
        step.free_text = "A written answer"
        self.session().commit()
        return step.id

    def response(self) -> int:
        from trainer.models import SurveyResponse

        response = SurveyResponse(scenario_id=SCENARIO, user_id=self.users["other"],
                                  attempt_id=self.attempt(self.users["other"], finished=True),
                                  usefulness=4, comment="useful", created_on=date.today())
        self.session().add(response)
        self.session().commit()
        return response.id


def _supervised(w: World) -> int:
    """test.trainee, in a cohort that test.supervisor supervises."""
    w.cohort(supervisors=[w.users["supervisor"]], trainees=[w.users["trainee"]])
    return w.users["trainee"]


FACTORIES = {
    "own_attempt": lambda w: w.attempt(w.me),
    "own_finished": lambda w: w.attempt(w.me, finished=True),
    "others_attempt": lambda w: w.attempt(w.users["other"]),
    "others_finished": lambda w: w.attempt(w.users["other"], finished=True),
    "missing": lambda w: 999_999,
    "own_assignment": lambda w: w.assignment(w.me),
    "others_assignment": lambda w: w.assignment(w.users["other"]),
    "supervised_assignment": lambda w: w.assignment(_supervised(w)),
    "response": lambda w: w.response(),
    "supervised_cohort": lambda w: w.cohort(supervisors=[w.users["supervisor"]], trainees=[w.users["trainee"]]),
    "other_cohort": lambda w: w.cohort(trainees=[w.users["other"]]),
    "supervised_trainee": _supervised,
    "unsupervised_trainee": lambda w: w.users["other"],
    "supervised_attempt": lambda w: w.attempt(_supervised(w), finished=True),
    "unsupervised_attempt": lambda w: w.attempt(w.users["other"], finished=True),
    "supervised_written_step": lambda w: w.written_step(_supervised(w)),
    "unsupervised_written_step": lambda w: w.written_step(w.users["other"]),
    "any_user": lambda w: w.users["other"],
    "membership": lambda w: f"{w.cohort(trainees=[w.users['other']])}/members/{w.users['other']}",
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(path: str, world: World) -> str:
    return PLACEHOLDER.sub(lambda m: str(FACTORIES[m.group(1)](world)), path)


def outcome(response, method: str) -> str | int:
    """The response as a matrix entry."""
    status = response.status_code
    if status == 302 and response.headers["Location"].startswith("/login"):
        return LOGIN
    if 200 <= status < 400 or (method != "GET" and status in FORM_REFUSALS):
        return OK
    return status


def _body(response) -> str:
    """The response's text; an Excel workbook (a zip archive) is read member by member."""
    data = response.get_data()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    return data.decode("utf-8")


# -- the tests -------------------------------------------------------------------------

def test_every_route_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, path, *_expect in MATRIX:
        concrete = PLACEHOLDER.sub(lambda m: DUMMY.get(m.group(1), "1"), path.split("?")[0])
        try:
            endpoint, _args = adapter.match(concrete, method=method)
        except (NotFound, MethodNotAllowed):
            pytest.fail(f"matrix row {method} {path} matches no route: fix or remove it")
        covered.add((endpoint, method))
    missing = sorted(f"{method} {rule.rule} ({rule.endpoint})" for rule in app.url_map.iter_rules()
                     for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
                     if (rule.endpoint, method) not in covered)
    assert missing == [], "add these routes to the matrix in tests/test_authz.py:\n" + "\n".join(missing)


def test_every_factory_is_used():
    used = {name for _m, path, *_e in MATRIX for name in PLACEHOLDER.findall(path)}
    assert used == set(FACTORIES), set(FACTORIES) ^ used


@pytest.mark.parametrize("role", ROLES)
def test_the_matrix(app, users, role):
    from trainer.extensions import db
    from trainer.models import User

    column = 2 + ROLES.index(role)
    with app.app_context():
        db.session.get(User, users["other"]).display_name = HIDDEN_NAME
        db.session.commit()
        world = World(app, users, users.get(role, users["trainee"]))
        world.attempt(users["other"], finished=True)  # something of theirs to leak
        rows = [(row[0], row[1], fill(row[1], world), row[column]) for row in MATRIX]
        db.session.remove()
    wrong = []
    for method, template, path, expected in rows:
        client = app.test_client()
        if role != "anonymous":
            assert Auth(client).login(f"test.{role}").status_code == 302
        token = csrf_token(client.get("/login").get_data(as_text=True)) if role == "anonymous" else Auth(client).token()
        response = client.open(path, method=method, data={"csrf_token": token} if method != "GET" else None)
        got = outcome(response, method)
        if got != expected:
            wrong.append(f"{method} {template} as {role}: expected {expected}, got {got} ({response.status_code})")
        elif got == OK and method == "GET" and role in ("trainee", "supervisor") and template not in SHOWS_OTHERS \
                and HIDDEN_NAME in _body(response):
            wrong.append(f"{method} {template} as {role}: shows {HIDDEN_NAME!r}, whom this role may not see")
        response.close()
    assert wrong == [], "\n".join(wrong)
