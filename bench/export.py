"""Exporting every step of a large database: about 1,000,000 rows, as CSV and as Excel.

Run: .venv/bin/python bench/export.py [--database-url URL] [--trainees N] [--built]
Builds the data of bench/dashboard.py (10,000 trainees, about 1,000,000 steps; with
``--built``, uses the database at URL as a previous run left it), then runs each export in
a fresh process, as an admin (who sees everyone) would get it, and prints its time, its
size and the process's peak memory (VmHWM) against a process that only loaded the app. The exports read the rows in chunks and write them as they come, so the peak should
stay far below the size of the data (tens of MiB, not gigabytes).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Runs in a child process: url, kind ("none", "csv" or "xlsx").
CHILD = """
import re, sys, tempfile, time
from sqlalchemy import select
from trainer.app import create_app
from trainer.extensions import db
from trainer.models import User
from trainer.team import export

url, kind = sys.argv[1], sys.argv[2]
app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
with app.test_request_context(), tempfile.TemporaryFile() as target:
    titles = export.scenario_titles(db.session, app.extensions["trainer_registry"], "uk")
    start = time.perf_counter()
    if kind == "csv":
        for chunk in export.export_csv(db.session, "steps", select(User.id), zone="Europe/Kyiv", titles=titles):
            target.write(chunk.encode("utf-8"))
    elif kind == "xlsx":
        export.export_xlsx(db.session, "steps", select(User.id), target, zone="Europe/Kyiv", titles=titles,
                           registry=app.extensions["trainer_registry"], lang="uk")
    seconds = time.perf_counter() - start
    size = target.tell()
    # VmHWM starts afresh in a new program; getrusage's maximum would include the parent's.
    with open("/proc/self/status") as status:
        peak = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024
    print(f"{seconds:.1f} {size / 2**20:.1f} {peak:.1f}")
"""


def main() -> None:
    from bench.dashboard import build

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--built", action="store_true", help="the database at --database-url is already built")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        if not args.built:
            data = build(url, args.trainees, 10)
            with data["app"].app_context():
                from trainer.extensions import db
                db.engine.dispose()
            print(f"{data['steps']} steps of {data['attempts']} attempts (built in {data['build_seconds']:.0f} s)")
        for kind in ("none", "csv", "xlsx"):
            out = subprocess.run([sys.executable, "-c", CHILD, url, kind], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.split()
            seconds, size, peak = out
            what = "app loaded, no export" if kind == "none" else f"steps as {kind}"
            print(f"{what:<24} {float(seconds):7.1f} s  {float(size):8.1f} MiB file  peak memory {float(peak):7.1f} MiB")


if __name__ == "__main__":
    main()
