"""Pause Python's cycle collector while a scenario file is turned into objects.

Loading a big scenario builds about a million small objects (YAML nodes, dicts, models,
graph edges) and no reference cycles. With the collector on, every few thousand new
objects it walks the ones built so far again, which took more time than the loading
itself on a 10,000-node file (bench/README.md). Pausing it changes no result: anything
left over is collected once the pause ends.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cycle collector off, restoring its previous setting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
