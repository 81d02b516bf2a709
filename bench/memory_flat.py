"""Memory of one server process across many sequential attempts: it must stay flat.

Run: .venv/bin/python bench/memory_flat.py [--attempts 10000] [--every 500] [--database sqlite|postgresql]

One gunicorn worker (gthread, 4 threads, as `trainer serve` runs them) on a fresh database;
one client plays attempts one after another to their debrief with random answers (each
attempt: start, then GET play page + POST answer per step, then the debrief). The worker's
resident set size (VmRSS from /proc) is sampled every --every attempts. Prints the series
and the growth from the first sample (caches warm) to the last.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.system.server import bench_deployment, log_problems  # noqa: E402
from tests.system.trainee import Trainee  # noqa: E402


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def play_to_the_end(trainee: Trainee) -> int:
    """Start an attempt and answer until its debrief; the number of steps."""
    attempt = trainee.start()
    steps = 0
    while True:
        page = trainee.page(attempt)
        if page is None:
            raise RuntimeError(f"attempt {attempt}: no answer form")
        if not trainee.answer(attempt, page):
            raise RuntimeError(f"attempt {attempt}: step {page.step} not acknowledged")
        steps += 1
        if trainee.attempt is None:  # the last answer led to the debrief
            trainee.request("GET", f"/attempts/{attempt}/debrief")
            return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    from trainer.scenario.registry import Registry

    deployment = bench_deployment(args.database, "memory_flat")
    database = deployment.database
    try:
        registry = Registry(ROOT / "scenarios", ROOT / "content")
        scenarios = sorted(registry.current)  # free-text nodes get a written answer
        [username] = deployment.trainees(1, prefix="memory")
        server = deployment.serve(workers=1, threads=4)
        [worker] = server.worker_pids()
        print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"gunicorn 1 worker × 4 threads, {database.dialect}; {args.attempts} sequential attempts")
        trainee = Trainee([server.port], username, scenarios, seed=7)
        trainee.login()
        series = [(0, rss_mib(worker))]
        print(f"{0:>6} attempts: RSS {series[0][1]:7.1f} MiB (after start-up, before any attempt)")
        steps = 0
        began = time.monotonic()
        for n in range(1, args.attempts + 1):
            steps += play_to_the_end(trainee)
            if n % args.every == 0:
                series.append((n, rss_mib(worker)))
                print(f"{n:>6} attempts: RSS {series[-1][1]:7.1f} MiB  ({steps} steps, "
                      f"{time.monotonic() - began:.0f} s)", flush=True)
        trainee.close()
        assert server.worker_pids() == [worker], "the worker was replaced during the run"
        first, last = series[1][1], series[-1][1]
        peak = max(rss for _n, rss in series[1:])
        print(f"growth from {series[1][0]} to {series[-1][0]} attempts: {last - first:+.1f} MiB "
              f"({(last - first) / first:+.1%}); peak {peak:.1f} MiB; {steps} steps in all")
        problems = log_problems(server)
        if problems:
            print(f"server problems: {problems[:5]}")
    finally:
        deployment.close()


if __name__ == "__main__":
    main()
