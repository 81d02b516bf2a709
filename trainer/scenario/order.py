"""The order in which a node's answer options are offered to one attempt.

Authors write the recommended answer first (it reads best in the file and in the review),
so offering options in file order would give the answer away, and a keyboard user's first
Tab would land on it. Each attempt gets its own order per node, the same on every reload
and on every app server: it is drawn from a generator seeded with the attempt and the node
(a string seed is hashed with SHA-512, not with Python's per-process hash).
"""
from __future__ import annotations

import random
from collections.abc import Sequence


def option_order(attempt_id: int, node_id: str, ids: Sequence[str]) -> list[str]:
    """``ids`` in this attempt's order for this node."""
    order = list(ids)
    random.Random(f"{attempt_id}/{node_id}").shuffle(order)
    return order
