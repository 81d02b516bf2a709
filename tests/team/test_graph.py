"""The scenario graph on the analytics page: edge labels readable, apart, and only where they count."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

# A label's box, estimated generously: the widest label with two groups, at 0.6 em a character.
WIDEST = "100 (100%) / 100"


def _label_box(graph, edge, text=WIDEST):
    from trainer.team.graph import LABEL_FONT
    width = len(text) * LABEL_FONT * 0.6
    return edge.label_x, edge.label_y - LABEL_FONT, edge.label_x + width, edge.label_y + 3


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _scenarios(registry):
    return [loaded.scenario for _sid, loaded in sorted(registry.current.items())]


def test_labels_are_larger_than_the_boxes_text_and_siblings_stay_apart():
    from trainer.team.graph import FAN, LABEL_FONT, Layout
    assert LABEL_FONT >= 13 and Layout({}, [], 0, 0).label_font == LABEL_FONT  # the graph's text is 11 px
    assert FAN >= LABEL_FONT + 4  # one label line per edge, with room between


def test_no_edge_label_covers_another_label_or_a_box_in_any_scenario(registry):
    """Back edges used to put their labels on top of each other (two at the very same place)
    and on the boxes below; close nodes with many choices ran their fans together."""
    from trainer.team.graph import BOX_H, BOX_W, layout
    for scenario in _scenarios(registry):
        graph = layout(scenario)
        labels = [(e, _label_box(graph, e)) for e in graph.edges if e.choice]
        boxes = [(b.x, b.y, b.x + BOX_W, b.y + BOX_H) for b in graph.boxes.values()]
        for i, (edge, box) in enumerate(labels):
            assert 0 <= box[0] and box[2] <= graph.width and 0 <= box[1] and box[3] <= graph.height, (scenario.id, edge)
            for other, other_box in labels[i + 1:]:
                assert not _overlap(box, other_box), (scenario.id, edge.choice, other.choice)
            assert not any(_overlap(box, b) for b in boxes), (scenario.id, edge.choice)


def test_every_edge_leaves_its_node_level_under_its_label(registry):
    from trainer.team.graph import BOX_W, LABEL_RISE, layout
    scenario = registry.latest("crying-client").scenario
    graph = layout(scenario)
    backwards = [e for e in graph.edges if graph.boxes[e.target].x <= graph.boxes[e.source].x]
    assert backwards  # the scenario has steps back, which used to carry their labels below the boxes
    for edge in graph.edges:
        start = graph.boxes[edge.source].x + BOX_W
        assert edge.path.startswith(f"M{start},{edge.label_y + LABEL_RISE} L{start + 50},{edge.label_y + LABEL_RISE} ")
        assert edge.label_x == start + 4


@dataclass
class _Stats:
    choices: dict = field(default_factory=dict)
    at_node: dict = field(default_factory=dict)

    def share(self, node, choice):
        total = self.at_node.get(node, 0)
        return self.choices.get((node, choice), 0) / total if total else None


@pytest.mark.parametrize(("a", "b", "expected"), [
    ({("n", "x"): 1, ("n", "y"): 5}, None, "1 (17%)"),
    ({("n", "x"): 0, ("n", "y"): 5}, None, None),  # never chosen: no "0" cluttering the graph
    ({("n", "y"): 5}, {}, None),
    ({("n", "y"): 5}, {("n", "x"): 2}, "0 / 2"),  # chosen only in group B still shows
    ({("n", "x"): 3, ("n", "y"): 1}, {("n", "x"): 1}, "3 (75%) / 1"),
])
def test_edge_labels_say_count_share_and_group_b_and_hide_unchosen_edges(a, b, expected):
    from trainer.team.graph import Edge, Layout
    group_a = _Stats(a, {"n": sum(a.values())})
    group_b = None if b is None else _Stats(b, {"n": sum(b.values())})
    edge = Edge("n", "m", "x", "M0,0", 0, 0)
    assert Layout({}, [], 0, 0).edge_label(edge, group_a, group_b) == expected
    assert Layout({}, [], 0, 0).edge_label(Edge("n", "m", None, "M0,0", 0, 0), group_a, group_b) is None
