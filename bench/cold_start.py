"""Cold start: a fresh interpreter imports the app and loads the scenario library.

Run: .venv/bin/python bench/cold_start.py [RUNS]
Prints the median and maximum wall time of RUNS fresh processes (target: under 1.5 s).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPET = (
    "from trainer.scenario.registry import Registry; from trainer import settings; "
    "r = Registry(settings.scenario_dir(), settings.content_dir()); "
    "print(len(r.current), len(r.manual.pages))"
)


def main(runs: int = 5) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", SNIPPET], cwd=ROOT, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    scenarios, pages = out.stdout.split()
    print(f"cold start (import + load {scenarios} scenarios, {pages} pages): "
          f"median {statistics.median(times):.3f} s, max {max(times):.3f} s over {runs} runs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
