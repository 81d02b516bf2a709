"""`trainer validate` on a generated 10,000-node scenario (target: under 2 s).

Run: .venv/bin/python bench/validate_big.py [NODES]
The scenario is a layered conversation: each node offers three choices into the next
layer, with a state variable that the choices move and routes that read it, so the
graph search has real branching and real state to explore.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


def generate(nodes: int, width: int = 50) -> dict:
    text = {"uk": "т", "en": "t"}
    layers = max(2, nodes // width)
    data = {
        "id": "big", "version": 1, "title": text, "summary": text, "manual": ["5.2.3"],
        "sources": [{"manual": "5.2.3"}], "competencies": ["empathy", "clarity"],
        "persona": {"name": text, "who": text, "wants": text, "backstory": text},
        "state": {"mood": {"label": text, "min": 0, "max": 3, "initial": 1,
                           "cues": [{"at_least": 0, "text": text}, {"at_least": 2, "text": text}]}},
        "start": "n_0_0", "nodes": {}, "endings": {
            "good": {"outcome": "good", "title": text, "debrief": text},
            "poor": {"outcome": "poor", "title": text, "debrief": text}},
    }
    count = 0
    for layer in range(layers):
        for i in range(width):
            if count >= nodes:
                break
            node_id = f"n_{layer}_{i}"
            last = layer == layers - 1
            nxt = lambda k: f"n_{layer + 1}_{(i + k) % width}" if not last else ("good" if k == 0 else "poor")  # noqa: E731
            data["nodes"][node_id] = {"client": {"says": text}, "choices": [
                {"id": f"c_{layer}_{i}_{k}", "text": text, "rating": r, "scores": {"empathy": s, "clarity": s},
                 "effects": {"mood": e}, "feedback": text, "next": nxt(k)}
                for k, (r, s, e) in enumerate([("recommended", 1, 1), ("acceptable", 0, 0), ("harmful", -1, -1)])]}
            count += 1
    return data


def main(nodes: int = 10_000) -> None:
    from trainer.cli import main as cli

    data = generate(nodes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        size = path.stat().st_size
        start = time.perf_counter()
        result = CliRunner().invoke(cli, ["validate", str(path)])
        elapsed = time.perf_counter() - start
    last = result.output.strip().splitlines()[-1]
    print(f"validate {len(data['nodes'])} nodes ({size / 1e6:.1f} MB YAML): {elapsed:.2f} s, exit {result.exit_code}; {last}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
