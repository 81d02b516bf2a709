"""Supervisor pages over a large database: 10,000 trainees and 1,000,000 recorded steps.

Run: .venv/bin/python bench/dashboard.py [--database-url URL] [--trainees N] [--steps-per-attempt K]
Builds the data once into a throw-away database (SQLite file by default; pass a PostgreSQL
URL to measure there — the database is emptied first), then times each page through the
app (test client, a logged-in supervisor; an admin for the pages that cover every cohort):
median and maximum of 10 renders after one warm-up. Target: the cohort dashboard under 300 ms.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIO = "hearing-impairment"
COHORT_SIZE = 50
ATTEMPTS_PER_TRAINEE = 11  # with some attempts abandoned early, about 1,000,000 steps
WRITTEN = {"free_text": "Я розумію, як вам зараз важко.", "rubric_result": {"found": [], "elements": []}}
UNWRITTEN = {"free_text": None, "rubric_result": None}


def build(url: str, trainees: int, steps_per_attempt: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from trainer import attempts as attempt_service
    from trainer.app import MIGRATIONS_DIR, create_app
    from trainer.extensions import db
    from trainer.models import (Assignment, Attempt, AttemptScore, Cohort, CohortMember, SelfRating, Step,
                                SupervisorRating, User)
    from trainer.scenario.analysis import iter_paths

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    rng = random.Random(7)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=MIGRATIONS_DIR)
        registry = app.extensions["trainer_registry"]
        compiled = registry.latest(SCENARIO)
        version = attempt_service.ensure_version(db.session, compiled.loaded)
        supervisor = User(username="bench.supervisor", role="supervisor")
        supervisor.set_password("bench.supervisor")
        # An admin's «My team» lists every cohort (200 here), each with its figures.
        admin = User(username="bench.admin", role="admin")
        admin.set_password("bench.admin")
        db.session.add_all([supervisor, admin])
        db.session.commit()
        paths = [[(e.node_id, e.choice_id) for e in trail] for (trail, _ending), _n in zip(iter_paths(compiled.analysis), range(200))]
        comps = list(compiled.scenario.competencies)
        now = datetime(2026, 11, 1)
        t0 = time.perf_counter()
        conn = db.session.connection()
        conn.execute(insert(User), [{"username": f"t{i:05d}", "display_name": f"Слухач {i:05d}", "role": "trainee",
                                     "password_hash": "x", "created_at": now} for i in range(trainees)])
        first_user = db.session.scalar(text("SELECT min(id) FROM users WHERE username LIKE 't%'"))
        cohorts = max(1, trainees // COHORT_SIZE)
        conn.execute(insert(Cohort), [{"name": f"Центр {c:03d}", "description": "", "created_at": now} for c in range(cohorts)])
        first_cohort = db.session.scalar(text("SELECT min(id) FROM cohorts"))
        conn.execute(insert(CohortMember), [{"cohort_id": first_cohort + i // COHORT_SIZE % cohorts,
                                             "user_id": first_user + i, "role": "trainee"} for i in range(trainees)])
        conn.execute(insert(CohortMember), [{"cohort_id": first_cohort, "user_id": supervisor.id, "role": "supervisor"}])
        conn.execute(insert(Assignment), [{"scenario_id": SCENARIO, "cohort_id": first_cohort + c, "mode": "practice",
                                           "note": "", "created_by": supervisor.id, "created_at": now,
                                           "due_on": (now + timedelta(days=c % 30 - 10)).date()}
                                          for c in range(cohorts)])
        attempt_rows, step_rows, score_rows, self_rows, rating_rows = [], [], [], [], []
        attempt_id = 0
        total_steps = 0
        for i in range(trainees):
            user_id = first_user + i
            for _a in range(ATTEMPTS_PER_TRAINEE):
                attempt_id += 1
                path = rng.choice(paths)
                started = now - timedelta(days=rng.randint(0, 180), seconds=rng.randint(0, 86400))
                finished = rng.random() < 0.85
                n = min(len(path), steps_per_attempt) if finished else rng.randint(1, max(1, min(len(path), steps_per_attempt) - 1))
                attempt_rows.append({
                    "id": attempt_id, "user_id": user_id, "scenario_version_id": version.id, "scenario_id": SCENARIO,
                    "status": "finished" if finished else "abandoned", "state": {"node": path[min(n, len(path) - 1)][0], "vars": {}, "scores": {}, "step": n},
                    "step_count": n, "outcome": rng.choice(("good", "mixed", "poor", "failed")) if finished else None,
                    "critical_choice": path[0][1] if finished and rng.random() < 0.05 else None,
                    "started_at": started, "updated_at": started, "finished_at": started + timedelta(minutes=9) if finished else None,
                    "assignment_id": None, "mode": "practice", "time_extensions": 0, "decision_extensions": 0})
                # Pad short paths so every attempt records the same number of steps.
                for k in range(steps_per_attempt if finished else n):
                    node, choice = path[k % len(path)]
                    step_rows.append({"attempt_id": attempt_id, "index": k, "node_id": node, "choice_id": choice,
                                      "via": [], "score_delta": {}, "state_after": {"vars": {}},
                                      "created_at": started + timedelta(seconds=30 * k),
                                      "seconds": rng.uniform(5, 90), "late": False, "extensions": 0,
                                      # About one step in 40 holds a written answer, as the free-text
                                      # nodes make it in the library: the review queue reads these.
                                      **(WRITTEN if k == 3 and rng.random() < 0.25 else UNWRITTEN)})
                if finished:
                    for comp in comps:
                        percent = rng.uniform(0, 100)
                        score_rows.append({"attempt_id": attempt_id, "competency": comp, "user_id": user_id,
                                           "scenario_id": SCENARIO, "points": int(percent / 10), "max_points": 10,
                                           "percent": percent, "finished_at": started + timedelta(minutes=9)})
                        if rng.random() < 0.3:
                            self_rows.append({"attempt_id": attempt_id, "competency": comp, "user_id": user_id,
                                              "rating": rng.randint(1, 5), "created_at": now})
                        if i < COHORT_SIZE and rng.random() < 0.3:
                            rating_rows.append({"attempt_id": attempt_id, "rater_id": supervisor.id, "competency": comp,
                                                "rating": rng.randint(1, 5), "created_at": now})
            if len(step_rows) > 50_000:
                conn.execute(insert(Attempt), attempt_rows)
                conn.execute(insert(Step), step_rows)
                total_steps += len(step_rows)
                attempt_rows, step_rows = [], []
        if attempt_rows:
            conn.execute(insert(Attempt), attempt_rows)
        if step_rows:
            conn.execute(insert(Step), step_rows)
            total_steps += len(step_rows)
        for rows, model in ((score_rows, AttemptScore), (self_rows, SelfRating), (rating_rows, SupervisorRating)):
            for start in range(0, len(rows), 50_000):
                conn.execute(insert(model), rows[start:start + 50_000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as c:
                c.execute(text("ANALYZE"))
        built = time.perf_counter() - t0
        return {"app": app, "cohort": first_cohort, "trainee": first_user, "attempt": 1, "steps": total_steps,
                "attempts": attempt_id, "build_seconds": built}


def measure(app, url_path: str, runs: int = 10, user: str = "bench.supervisor") -> tuple[float, float]:
    client = app.test_client()
    client.post("/login", data={"username": user, "password": user})
    response = client.get(url_path)
    assert response.status_code == 200, (url_path, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url_path)
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--steps-per-attempt", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        data = build(url, args.trainees, args.steps_per_attempt)
        app = data["app"]
        dialect = url.split(":", 1)[0].split("+", 1)[0]
        print(f"database: {dialect}; {args.trainees} trainees, "
              f"{data['attempts']} attempts, {data['steps']} steps (built in {data['build_seconds']:.0f} s)")
        pages = {
            "My team (a supervisor, 1 cohort)": "/team/",
            "My team (an admin, all cohorts)": ("/team/", "bench.admin"),
            "written answers to review (an admin)": ("/team/reviews", "bench.admin"),
            "cohort dashboard (50 trainees)": f"/team/cohorts/{data['cohort']}",
            "scenario analytics, one cohort": f"/team/scenarios/{SCENARIO}?cohort={data['cohort']}",
            "trainee profile": f"/team/trainees/{data['trainee']}",
            "transcript": f"/team/attempts/{data['attempt']}",
        }
        for name, page in pages.items():
            path, user = page if isinstance(page, tuple) else (page, "bench.supervisor")
            median, worst = measure(app, path, user=user)
            print(f"{name:<38} median {median:7.1f} ms   max {worst:7.1f} ms")
        with app.app_context():
            from trainer.extensions import db
            db.engine.dispose()


if __name__ == "__main__":
    main()
