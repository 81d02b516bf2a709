"""`trainer validate` on a generated 10,000-node scenario (target: under 2 s).

Run: .venv/bin/python bench/validate_big.py [NODES] [--stages]
The scenario is a layered conversation: each node offers three choices into the next
layer and every choice moves a state variable (shown through cues), so the graph search
explores each node in every state it can be reached in: 36,921 positions and 110,742
edges for 10,000 nodes. Its texts are one YAML anchor repeated, as ``yaml.safe_dump``
writes a shared object.

Besides the wall time it prints the CPU time of this process and of the second process
that reads half of the file (``trainer validate`` reads a file this big in two processes),
which other work on a shared machine inflates much less. ``--stages`` also times each stage
of loading the file, in one process.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scenario.generated import layered_scenario  # noqa: E402


def main(nodes: int = 10_000, stages: bool = False) -> None:
    from trainer.cli import main as cli

    data = layered_scenario(nodes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        size = path.stat().st_size
        children = _children_cpu()
        start, cpu = time.perf_counter(), time.process_time()
        result = CliRunner().invoke(cli, ["validate", str(path)])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        children = _children_cpu() - children
        if stages:
            timed = time_stages(path.read_text(encoding="utf-8"))
    last = result.output.strip().splitlines()[-1]
    print(f"validate {len(data['nodes'])} nodes ({size / 1e6:.1f} MB YAML): {elapsed:.2f} s "
          f"(CPU {cpu:.2f} s, second process {children:.2f} s), exit {result.exit_code}; {last}")
    if stages:
        print("  " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timed))


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def time_stages(text: str) -> list[tuple[str, float]]:
    """CPU time of each step ``load_scenario_text`` takes, run the same way."""
    from trainer import settings
    from trainer.content.toc import load_toc
    from trainer.scenario.analysis import analyse
    from trainer.scenario.checks import check_scenario
    from trainer.scenario.collector import collector_paused
    from trainer.scenario.diagnostics import Reporter
    from trainer.scenario.loader import load_framework
    from trainer.scenario.model import Scenario
    from trainer.scenario.yamlsource import load_located

    toc = load_toc(settings.content_dir())
    framework, _ = load_framework(settings.scenario_dir() / "competencies.yaml", toc)
    report = Reporter("big.yaml")
    timed: list[tuple[str, float]] = []

    @contextmanager
    def step(name: str):
        start = time.process_time()
        yield
        timed.append((name, time.process_time() - start))

    with collector_paused():
        with step("parse"):
            located = load_located(text)
        report._line_of = located.line_of
        with step("validate (pydantic)"):
            scenario = Scenario.model_validate(located.data)
        with step("static checks"):
            guards = check_scenario(scenario, report, framework.competencies, toc)
        with step("graph search and bounds"):
            analyse(scenario, guards, report)
        with step("free the parse tree"):
            report._line_of = None
            del located
    return timed


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--stages"]
    main(int(args[0]) if args else 10_000, stages="--stages" in sys.argv[1:])
