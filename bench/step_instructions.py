"""Instructions per scenario step and per /healthz inside a gunicorn worker, under callgrind.

Run: .venv/bin/python bench/step_instructions.py [--pairs 150] [--warmup 200] [--healthz 300]
(about three minutes; needs valgrind, which Debian packages as `valgrind`)

bench/step_rps.py measures what the target names, requests per second, but on a shared
virtual machine its figures move by a third from one run to the next: the same code's
/healthz has run anywhere from 750 to 1,440 requests/s. Instruction counts do not move with
the machine's load, so this script counts them, for the same two kinds of request:

- The app is served as `trainer serve` serves it (gunicorn, gthread), with one worker of
  one thread, under `valgrind --tool=callgrind`, on a fresh SQLite database.
- One trainee, logged in, first plays --warmup step pairs (so the scenario pieces a long
  running server has cached are cached here too). Then callgrind's counters are dumped,
  --healthz requests are made, the counters are dumped again, --pairs step pairs are
  played (random answers over all scenarios, a written answer at free-text nodes, new
  attempts started as old ones end, as in step_rps.py), and the counters are dumped once more.
- A *step pair* is a play page and an answer, with the attempt starts that come with them.
- With --by-request, the counters are also dumped after every request of the counted pairs,
  so each kind (play page, answer, start) gets its own figure, and --healthz requests for
  the cheapest page a logged-in person can open (the language page: the layout, a small
  form, nothing else) are counted as well: the floor under any page of this app.

The instruction ratio, instructions per /healthz ÷ instructions per step request (half a
pair), is what step_rps.py's ratio would be if each request's time were its instructions
in the worker. It leaves out the kernel (sockets, the database file), memory stalls and the
load generator's share of the cores; see bench/README.md for how it compares.
"""
from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.system.server import bench_deployment  # noqa: E402
from tests.system.trainee import Trainee  # noqa: E402


def play(trainee: Trainee, pairs: int) -> None:
    """Play ``pairs`` more step pairs (answers recorded), starting attempts as they end."""
    target = len(trainee.ledger.acknowledged) + pairs
    while len(trainee.ledger.acknowledged) < target:
        trainee.play_once()
        if trainee.ledger.unexpected:
            raise SystemExit(f"unexpected answers: {trainee.ledger.unexpected[:3]}")


def healthz(trainee: Trainee, count: int, path: str = "/healthz") -> None:
    for _ in range(count):
        if trainee.request("GET", path).status != 200:
            raise AssertionError(f"{path} did not answer 200")


def request_kind(method: str, path: str) -> str:
    if path.endswith("/start"):
        return "start"
    return "answer" if method == "POST" else "page"


def count_by_request(trainee: Trainee, counters: "Counters") -> dict[str, list[int]]:
    """From now on, every request of ``trainee`` dumps the counters: kind → instructions."""
    by_kind: dict[str, list[int]] = {}
    plain = trainee.request

    def counted(method: str, path: str, form: dict | None = None):
        response = plain(method, path, form)
        by_kind.setdefault(request_kind(method, path), []).append(counters.dump())
        return response
    trainee.request = counted
    return by_kind


class Counters:
    """callgrind's counters of one process: each ``dump()`` gives the instructions since the last."""

    def __init__(self, pid: int, folder: Path):
        self.pid = pid
        self.folder = folder

    def _files(self) -> set[Path]:
        return set(self.folder.glob(f"callgrind.{self.pid}*"))

    def dump(self, timeout: float = 120) -> int:
        before = self._files()
        subprocess.run(["callgrind_control", "--dump", str(self.pid)], check=True, capture_output=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in self._files() - before:
                for line in path.read_text(errors="replace").splitlines():
                    if line.startswith("summary:"):
                        return int(line.split()[1])
            time.sleep(0.2)
        raise RuntimeError(f"callgrind wrote no dump for process {self.pid}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=150, help="step pairs counted")
    parser.add_argument("--warmup", type=int, default=200, help="step pairs played before counting")
    parser.add_argument("--healthz", type=int, default=300, help="/healthz requests counted")
    parser.add_argument("--seed", type=int, default=3, help="the trainee's random answers")
    parser.add_argument("--by-request", action="store_true",
                        help="also count each kind of request, and the cheapest page, separately")
    args = parser.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")

    from trainer.scenario.registry import Registry

    deployment = bench_deployment("sqlite", "step_instructions")
    # The same hash seed every run: dict and set orders, and so the instructions, repeat.
    deployment.env["PYTHONHASHSEED"] = "0"
    try:
        scenarios = sorted(Registry(ROOT / "scenarios", ROOT / "content").current)
        (username,) = deployment.trainees(1, prefix="bench")
        wrapper = ("valgrind", "--tool=callgrind", "--trace-children=yes",
                   f"--callgrind-out-file={deployment.folder}/callgrind.%p")
        server = deployment.serve(workers=1, threads=1, wrapper=wrapper, timeout=900)
        (worker,) = server.worker_pids()
        counters = Counters(worker, deployment.folder)
        trainee = Trainee([server.port], username, scenarios, seed=args.seed, timeout=600)
        trainee.login()
        play(trainee, args.warmup)
        counters.dump()
        healthz(trainee, args.healthz)
        per_healthz = counters.dump() / args.healthz
        per_floor = None
        if args.by_request:
            healthz(trainee, args.healthz, "/account/language")
            per_floor = counters.dump() / args.healthz
        started = len(trainee.ledger.attempts_started)
        by_kind = count_by_request(trainee, counters) if args.by_request else None
        play(trainee, args.pairs)
        per_pair = (sum(map(sum, by_kind.values())) + counters.dump()) / args.pairs if by_kind else \
            counters.dump() / args.pairs
        starts = len(trainee.ledger.attempts_started) - started
        trainee.close()
        if trainee.ledger.server_errors or trainee.ledger.unexpected:
            raise SystemExit(f"problems: {trainee.ledger.server_errors[:3]} {trainee.ledger.unexpected[:3]}")
        valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
        print(f"machine: {platform.node()} {platform.machine()}, Python {platform.python_version()}, {valgrind}")
        print(f"one gunicorn worker (gthread, 1 thread) under callgrind, sqlite; one trainee, "
              f"{args.warmup} step pairs before counting")
        print(f"logged-in /healthz: {per_healthz / 1e6:.2f} M instructions per request ({args.healthz} requests)")
        print(f"step pair (page + answer, {starts} attempt starts in {args.pairs} pairs): "
              f"{per_pair / 1e6:.2f} M instructions, {per_pair / 2e6:.2f} M per step request")
        print(f"instruction ratio (/healthz ÷ step request): {per_healthz / (per_pair / 2):.2f}"
              f"  (step_rps.py's target for its ratio: ≥ 0.5)")
        if by_kind:
            print(f"the cheapest page (GET /account/language): {per_floor / 1e6:.2f} M instructions"
                  f" (ratio of /healthz to it: {per_healthz / per_floor:.2f})")
            for kind in ("page", "answer", "start"):
                counts = by_kind.get(kind, [])
                if counts:
                    print(f"  {kind}: {len(counts)} requests, {sum(counts) / len(counts) / 1e6:.2f} M each, "
                          f"{sum(counts) / args.pairs / 1e6:.2f} M per pair")
    finally:
        deployment.close()


if __name__ == "__main__":
    main()
