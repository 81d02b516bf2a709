"""Cold start: a fresh interpreter imports the app and loads the scenario library.

Run: .venv/bin/python bench/cold_start.py [RUNS]
Prints the median and maximum wall time of RUNS fresh processes (target: under 1.5 s),
twice: the first start, which checks and analyses every file, and a restart, which reads
each file's result from the scenario cache (trainer/scenario/loadcache.py) that the first
start wrote. The cache lives in a temporary folder, so the instance folder is untouched.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPET = (
    "import sys; from pathlib import Path; "
    "from trainer.scenario.registry import Registry; from trainer import settings; "
    "r = Registry(settings.scenario_dir(), settings.content_dir(), Path(sys.argv[1]) if sys.argv[1:] else None); "
    "print(len(r.current), len(r.manual.pages))"
)


def _time(runs: int, *args: str) -> tuple[list[float], str]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", SNIPPET, *args], cwd=ROOT, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    return times, out.stdout


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as cache:
        first, out = _time(runs)
        _time(1, cache)  # writes the cache
        restart, _ = _time(runs, cache)
    scenarios, pages = out.split()
    for label, times in (("first start, no cache", first), ("restart, from the cache", restart)):
        print(f"cold start (import + load {scenarios} scenarios, {pages} pages), {label}: "
              f"median {statistics.median(times):.3f} s, max {max(times):.3f} s over {runs} runs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
