"""Scenario steps per second under gunicorn, against a trivial route of the same app.

Run: .venv/bin/python bench/step_rps.py [--seconds 20] [--clients 32] [--database sqlite|postgresql]
                                        [--workers N] [--threads N]

The app is served as `trainer serve` serves it (gunicorn, gthread workers: CPU cores + 1
processes of 1 thread unless told otherwise) on a fresh database prepared with `trainer
init`. The load generator is a multiprocess Python client (stdlib http.client,
keep-alive): --clients connections spread over --procs processes, each connection a
logged-in trainee playing random answers.

A *step* is what a trainee's browser does for one answer: GET /attempts/<n> (the conversation
so far, the choices) and POST /attempts/<n>/answer (record it; 302). The step rate is counted
in requests per second over those two requests (starting a new attempt when one ends is
not counted), and compared with GET /healthz, the app's trivial route, measured in the same
run before and after the steps and asked for by the same trainees, logged in, on the same
kind of connection: the two phases differ only in the route. (Like every request of a
logged-in person, it reads their session and their user row; /healthz itself does nothing.)
The ratio is step requests/s ÷ /healthz requests/s (target: at least 0.5). A last phase asks
for /healthz without a cookie, as a load balancer does, and the ratio against it is printed
for reference.

It also prints the CPU the server and the load generator used, so you can tell whether the
generator (on the same 2 cores) was the bottleneck.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.system.server import GunicornServer, bench_deployment, log_problems  # noqa: E402
from tests.system.trainee import Trainee  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


# -- the load generator (runs in child processes) -------------------------------------

def _client_trivial(port: int, username: str | None, start: float, stop: float, out: list) -> None:
    """GET /healthz in a loop; with ``username``, as that trainee logged in (their cookie).

    The loop is bare http.client, as cheap for the load generator as it can be: the
    generator shares the server's cores, so a costlier client would lower the /healthz rate.
    """
    from http.client import HTTPConnection

    headers = {}
    if username:
        trainee = Trainee([port], username, [])
        trainee.login()
        headers["Cookie"] = f"session={trainee.cookie}"
        trainee.close()
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        began = time.monotonic()
        conn.request("GET", "/healthz", headers=headers)
        response = conn.getresponse()
        response.read()
        ended = time.monotonic()
        if response.status != 200:
            out.append(("error", began, ended - began))
        elif began >= start:
            out.append(("healthz", began, ended - began))
    conn.close()


def _client_steps(port: int, username: str, scenarios: list[str], seed: int, start: float, stop: float,
                  out: list) -> None:
    trainee = Trainee([port], username, scenarios, seed=seed)
    try:
        trainee.login()
        while time.monotonic() < stop:
            if trainee.attempt is None:
                trainee.start()
            began = time.monotonic()
            page = trainee.page(trainee.attempt)
            mid = time.monotonic()
            if page is None:
                trainee.attempt = None
                continue
            trainee.answer(trainee.attempt, page)
            ended = time.monotonic()
            if began >= start:
                out.append(("page", began, mid - began))
                out.append(("answer", mid, ended - mid))
                out.append(("step", began, ended - began))
    except Exception as exc:  # noqa: BLE001 - counted as an error, the phase goes on
        trainee.ledger.unexpected.append(repr(exc))
    finally:
        trainee.close()
    if trainee.ledger.server_errors or trainee.ledger.unexpected:
        out.append(("error", 0.0, 0.0))


def _process(kind: str, port: int, jobs: list, start: float, stop: float, queue) -> None:
    out: list = []
    threads = []
    for job in jobs:
        target = _client_steps if kind == "steps" else _client_trivial
        args = (port, *job, start, stop, out)
        threads.append(threading.Thread(target=target, args=args))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(out)


def run_phase(kind: str, server: GunicornServer, clients: int, procs: int, seconds: float, warmup: float,
              users: list[str], scenarios: list[str]) -> dict:
    """Drive ``kind`` with ``clients`` connections; the figures.

    "steps": the trainees play; "healthz": the same trainees, logged in, ask for /healthz;
    "anonymous": /healthz without a cookie, as a load balancer asks for it.
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start = time.monotonic() + warmup
    stop = start + seconds
    if kind == "steps":
        jobs = [(users[n], scenarios, n) for n in range(clients)]
    else:  # "healthz": the same trainees, logged in; "anonymous": no cookie
        jobs = [(users[n] if kind == "healthz" else None,) for n in range(clients)]
    workers = [context.Process(target=_process, args=(kind, server.port, jobs[p::procs], start, stop, queue))
               for p in range(procs)]
    server_pids = [server.process.pid, *server.worker_pids()]
    before_server = None
    before_client = resource.getrusage(resource.RUSAGE_CHILDREN)
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, start - time.monotonic()))
    before_server = _cpu_seconds(server_pids)
    time.sleep(max(0.0, stop - time.monotonic()))
    server_cpu = _cpu_seconds(server_pids) - before_server
    records = [r for _ in workers for r in queue.get(timeout=seconds + 120)]
    for worker in workers:
        worker.join(timeout=60)
    after_client = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (after_client.ru_utime + after_client.ru_stime) - (before_client.ru_utime + before_client.ru_stime)
    errors = sum(1 for r in records if r[0] == "error")
    in_window = [r for r in records if start <= r[1] and r[1] + r[2] <= stop]
    by_kind: dict[str, list[float]] = {}
    for name, _began, latency in in_window:
        by_kind.setdefault(name, []).append(latency)
    requests = len(by_kind.get("healthz", [])) if kind != "steps" else \
        len(by_kind.get("page", [])) + len(by_kind.get("answer", []))
    result = {"kind": kind, "rps": requests / seconds, "errors": errors, "server_cpu": server_cpu,
              "client_cpu_total": client_cpu, "seconds": seconds}
    for name, latencies in by_kind.items():
        result[name] = {"count": len(latencies), "p50_ms": 1000 * statistics.median(latencies),
                        "p99_ms": 1000 * _percentile(latencies, 0.99)}
    if kind == "steps":
        result["steps_per_s"] = len(by_kind.get("step", [])) / seconds
    return result


def _line(result: dict) -> str:
    parts = [f"{result['kind']:>8}: {result['rps']:7.1f} req/s"]
    for name in ("healthz", "page", "answer", "step"):
        if name in result:
            parts.append(f"{name} p50 {result[name]['p50_ms']:.1f} ms p99 {result[name]['p99_ms']:.1f} ms")
    parts.append(f"server CPU {result['server_cpu']:.1f} s, load generator CPU {result['client_cpu_total']:.1f} s"
                 f" in {result['seconds']:.0f} s")
    if result["errors"]:
        parts.append(f"ERRORS {result['errors']}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before measuring (logins, caches)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--procs", type=int, default=4, help="load generator processes")
    parser.add_argument("--workers", type=int, default=None, help="default: as `trainer serve` (CPU cores + 1)")
    parser.add_argument("--threads", type=int, default=None, help="default: as `trainer serve` (1)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    from trainer.scenario.registry import Registry

    deployment = bench_deployment(args.database, "step_rps")
    database = deployment.database
    try:
        registry = Registry(ROOT / "scenarios", ROOT / "content")
        scenarios = sorted(registry.current)  # free-text nodes get a written answer
        users = deployment.trainees(args.clients, prefix="bench")
        server = deployment.serve(workers=args.workers, threads=args.threads)
        print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"load average {os.getloadavg()[0]:.2f}")
        threads = args.threads or "`trainer serve`'s default number of"
        print(f"server: gunicorn {len(server.worker_pids())} workers × {threads} threads, {database.dialect}; "
              f"load: {args.clients} clients in {args.procs} processes, {args.seconds:.0f} s per phase")
        phases = [run_phase(kind, server, args.clients, args.procs, args.seconds, args.warmup, users, scenarios)
                  for kind in ("healthz", "steps", "healthz", "anonymous")]
        for result in phases:
            print(_line(result))
        trivial = statistics.mean([phases[0]["rps"], phases[2]["rps"]])
        steps = phases[1]
        print(f"steps: {steps['steps_per_s']:.1f} steps/s (GET page + POST answer each)")
        print(f"ratio (step requests/s ÷ /healthz requests/s of the same trainees): {steps['rps'] / trivial:.2f}"
              "  (target ≥ 0.5)")
        print(f"for reference, against anonymous /healthz: {steps['rps'] / phases[3]['rps']:.2f}")
        problems = log_problems(server)
        if problems or any(p["errors"] for p in phases):
            print(f"server problems: {problems[:5]}")
    finally:
        deployment.close()


if __name__ == "__main__":
    main()
