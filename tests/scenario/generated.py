"""Generated scenarios too big to write by hand: the validation benchmark's and the tests'."""
from __future__ import annotations


def layered_scenario(nodes: int, width: int = 50) -> dict:
    """A layered conversation of ``nodes`` nodes, ``width`` to a layer.

    Each node offers three choices into the next layer and every choice moves a state
    variable (shown through cues), so the graph search explores each node in every state it
    can be reached in. Every text is the same dict, which ``yaml.safe_dump`` writes once
    with an anchor and then as aliases.
    """
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
