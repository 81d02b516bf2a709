"""Graph search over every way a scenario can be played.

A play position is a node *and* the client's state, because guards make the same node
lead to different places depending on state. State variables have finite ranges, so the
positions form a finite graph; we explore all of it from the start. From that graph come
reachability findings, loops, the number of paths, the recommended and worst paths, and
the exact minimum and maximum total per competency over all paths (the denominator of
every percentage the trainee sees).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .diagnostics import Reporter
from .model import RATING_ORDER, Scenario
from .rubric import outcome_points
from .semantics import apply_effects, cue_for, initial_state, pick_route

# A position: (node id, state values in declaration order). Endings are ("@", ending id).
Pos = tuple[str, tuple[int, ...]]
MAX_PATHS_TO_LIST = 200_000


@dataclass(slots=True)
class Edge:
    choice_id: str
    node_id: str
    dest: Pos
    scores: dict[str, int]
    via: tuple[str, ...]  # route nodes passed through
    # A free-text outcome's total at best and at worst, its rubric elements' points
    # included; None when it is just ``scores``.
    span: tuple[dict[str, int], dict[str, int]] | None = None


@dataclass
class Analysis:
    """Everything the graph search found; ``bounded`` is False when paths are endless."""

    start: Pos | None
    edges: Mapping[Pos, list[Edge]] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)  # choice id -> index in RATING_ORDER
    bounded: bool = True
    path_count: int = 0
    longest: int = 0
    max_score: dict[str, int] = field(default_factory=dict)
    min_score: dict[str, int] = field(default_factory=dict)
    recommended_path: list[tuple[str, str]] = field(default_factory=list)
    recommended_ending: str | None = None
    worst_path: list[tuple[str, str]] = field(default_factory=list)
    worst_ending: str | None = None

    def edge_key(self, edge: Edge, best: bool = True) -> tuple[int, int]:
        """Sort key: best-rated (then highest-scoring) first, or the reverse."""
        rank = self.ratings[edge.choice_id]
        total = sum(edge.scores.values())
        return (rank, -total) if best else (-rank, total)

    def recommended_remaining(self, pos: Pos) -> int:
        """Steps to an ending following the best-rated choice from ``pos``."""
        steps = 0
        while self.edges.get(pos) and steps <= len(self.edges):
            pos = min(self.edges[pos], key=self.edge_key).dest
            steps += 1
        return steps

    def summary(self) -> dict:
        return {
            "paths": self.path_count,
            "longest_path": self.longest,
            "recommended_path": [choice for _node, choice in self.recommended_path],
            "recommended_ending": self.recommended_ending,
            "bounds": {c: {"min": self.min_score[c], "max": self.max_score[c]} for c in self.max_score},
        }


def ending_pos(ending_id: str) -> Pos:
    return ("@" + ending_id, ())


def is_ending(pos: Pos) -> bool:
    return pos[0].startswith("@")


def analyse(scenario: Scenario, guards: dict, report: Reporter) -> Analysis:
    """Explore all positions, add reachability and loop findings, compute bounds."""
    names = list(scenario.state)
    fired: set[tuple[str, int]] = set()
    seen_nodes: set[str] = set()
    seen_endings: set[str] = set()
    # Separate sets: one route can both loop (in one state) and match no rule (in another),
    # and the author needs to hear about both.
    loop_reported: set[str] = set()
    dead_reported: set[str] = set()

    def resolve(target: str, state: dict[str, int]) -> tuple[Pos | None, tuple[str, ...]]:
        via: list[str] = []
        while True:
            if target in scenario.endings:
                seen_endings.add(target)
                return ending_pos(target), tuple(via)
            node = scenario.nodes.get(target)
            if node is None:
                return None, tuple(via)  # undefined target, already reported as SC002
            seen_nodes.add(target)
            if not node.route:
                return (target, tuple(state[n] for n in names)), tuple(via)
            if target in via:
                # Routes lead back to themselves without a decision in between: the engine
                # would go round for ever, so the file cannot be played.
                loop = via[via.index(target):]
                # A route to itself is reported by the static checks (SC005).
                if target not in loop_reported and len(loop) > 1:
                    loop_reported.update(loop)
                    report.add("SC015", ("nodes", target, "route"), f"the routes of {' → '.join(loop + [target])} lead back to each other with no decision in between: make one of them lead to a node with choices or to an ending")
                return None, tuple(via)
            via.append(target)
            index = pick_route(scenario, guards, target, state)
            if index is None:
                if target not in dead_reported:
                    dead_reported.add(target)
                    shown = ", ".join(f"{k}={v}" for k, v in state.items())
                    report.add("SC004", ("nodes", target, "route"), f"route of {target!r} matches no rule when {shown}: add a fallback rule without 'when'")
                return None, tuple(via)
            fired.add((target, index))
            target = scenario.nodes[target].route[index].next  # type: ignore[index]

    result = Analysis(start=None)
    result.ratings = {c.id: RATING_ORDER.index(c.rating) for n in scenario.nodes.values() for c in n.choices or []}
    if scenario.start not in scenario.nodes:
        return result
    start, _via = resolve(scenario.start, initial_state(scenario))
    result.start = start
    if start is None or is_ending(start):
        if start is not None:
            report.add("SC024", ("start",), f"the start routes straight to ending {start[0][1:]!r}, so there is nothing to decide: route the starting state to a node with choices")
        # Nothing to explore, but the findings about what is never reached still hold.
        _report_reachability(scenario, report, seen_nodes, seen_endings, fired)
        return result

    free = outcome_points(scenario)  # free-text outcomes: element points at best/worst
    # A big scenario reaches the same node in the same state along many edges, so each
    # (effects, state) and (target, state) is worked out once; resolve's findings do not
    # depend on how often it is asked. A choice's edges share one copy of its scores.
    # Positions are numbered as they are found, so the inner loop hashes none.
    effects_ids: dict[tuple, int] = {}
    after_of: dict[tuple[int, tuple[int, ...]], tuple[int, ...]] = {}
    dest_of: dict[tuple[str, tuple[int, ...]], tuple[Pos | None, tuple[str, ...], int]] = {}
    plans: dict[str, list] = {}
    graph = _Graph([start])
    outs = graph.outs  # grows as positions are added; read in the inner loop
    number = {start: 0}
    stack = [0]
    while stack:
        here = stack.pop()
        if outs[here] is not None:
            continue
        pos = graph.positions[here]
        node_id, values = pos
        plan = plans.get(node_id)
        if plan is None:
            plan = plans[node_id] = [
                (c, effects_ids.setdefault(tuple(c.effects.items()), len(effects_ids)), dict(c.scores),
                 span, graph.kind(c.scores, span))
                for c in scenario.nodes[node_id].choices or [] for span in [free.get(c.id)]]
        hits: list[tuple[Pos | None, tuple[str, ...], int]] = []
        dests: list[int] = []
        kinds: list[int] = []
        for choice, effects, scores, span, kind in plan:
            after = after_of.get((effects, values))
            if after is None:
                changed = apply_effects(scenario, dict(zip(names, values)), choice.effects)
                after = after_of[(effects, values)] = tuple(changed[n] for n in names)
            hit = dest_of.get((choice.next, after))
            if hit is None:
                dest, via = resolve(choice.next, dict(zip(names, after)))
                there = _END
                if dest is not None and not is_ending(dest):
                    there = number.get(dest, -1)
                    if there < 0:
                        there = number[dest] = graph.add(dest)
                hit = dest_of[(choice.next, after)] = (dest, via, there)
            hits.append(hit)
            there = hit[2]
            if hit[0] is None:
                continue
            dests.append(there)
            kinds.append(kind)
            if there != _END and outs[there] is None:
                stack.append(there)
        outs[here] = hits
        graph.plans[here] = plan
        graph.dests[here] = dests
        graph.kinds[here] = kinds
        graph.order.append(here)
    graph.number = number
    result.edges = _Edges(graph)

    _report_reachability(scenario, report, seen_nodes, seen_endings, fired)
    _report_state_use(scenario, report, guards)
    _report_unseen_cues(scenario, report, graph.positions)
    # The usual file has no loops: one depth-first pass proves it and orders the positions
    # for the bounds. Only a file with a loop pays for finding its components.
    order = _children_first(graph)
    cycles = _find_cycles(graph) if order is None else []
    if cycles:
        result.bounded = False
        for component, has_exit in cycles:
            nodes = sorted({p[0] for p in component})
            where = ("nodes", nodes[0])
            if has_exit:
                report.add("SC015", where, f"the conversation can loop through {', '.join(nodes)} in the same client state forever: make the loop change the state or lead out")
            else:
                report.add("SC005", where, f"once the conversation reaches {', '.join(nodes)} it can never end: add a choice that leads to an ending")
        return result
    _bounds(scenario, result, graph, order)
    return result


def _report_reachability(scenario, report, seen_nodes, seen_endings, fired) -> None:
    for node_id, node in scenario.nodes.items():
        if node_id not in seen_nodes:
            report.add("SC003", ("nodes", node_id), f"node {node_id!r} can never be reached from the start: link to it or remove it")
            continue
        for i, rule in enumerate(node.route or []):
            if (node_id, i) not in fired and rule.when is not None:
                report.add("SC013", ("nodes", node_id, "route", i), f"in {node_id!r}, the condition {rule.when!r} is never true when this node is reached: fix the condition or the effects before it")
    for ending_id in scenario.endings:
        if ending_id not in seen_endings:
            report.add("SC014", ("endings", ending_id), f"ending {ending_id!r} is never reached: link to it, fix the guards before it, or remove it")


def _report_state_use(scenario, report, guards) -> None:
    read = {name for guard in guards.values() for name in guard.names}
    changed = {name for node in scenario.nodes.values() for c in node.choices or [] for name in c.effects}
    for name, var in scenario.state.items():
        if name not in read and not var.cues:
            report.add("SC012", ("state", name), f"state {name!r} is never read by a guard and has no cues: use it or remove it")
        elif name not in changed:
            report.add("SC012", ("state", name), f"state {name!r} is never changed by any choice: add effects or remove it")


def _report_unseen_cues(scenario: Scenario, report: Reporter, positions: list[Pos]) -> None:
    """SC027: a cue that no reachable decision shows.

    The play page shows, for each variable its node does not hide, the cue with the highest
    ``at_least`` the value reaches. A cue is never seen when, at every node that shows the
    variable's cues, its value stays below the cue or reaches a higher one, for example when
    every node where the client is calm hides that variable.
    """
    names = [name for name, var in scenario.state.items() if var.cues]
    if not names:
        return
    index = {name: i for i, name in enumerate(scenario.state)}
    # Most nodes hide nothing: their states are pooled first, so each is looked at once.
    pooled: set[tuple[int, ...]] = set()
    values: dict[str, set[int]] = {name: set() for name in names}
    for node_id, state in positions:
        hidden = scenario.nodes[node_id].hide_cues
        if not hidden:
            pooled.add(state)
            continue
        for name in names:
            if name not in hidden:
                values[name].add(state[index[name]])
    for name in names:
        values[name].update(state[index[name]] for state in pooled)
        cues = scenario.state[name].cues
        shown = {id(cue_for(scenario.state[name], value)) for value in values[name]}
        for i, cue in enumerate(cues):
            if id(cue) in shown:
                continue
            seen = ", ".join(map(str, sorted(values[name]))) or "none"
            report.add("SC027", ("state", name, "cues", i),
                       f"the cue of {name!r} from {cue.at_least} ({cue.text.uk!r}) is never shown: at the nodes that "
                       f"show {name!r}, it is only ever {seen}: lower its at_least, stop hiding {name!r} at a node "
                       "where it is reached, or remove the cue")


# The destination number of every ending. The tables in _bounds have one slot more than
# there are positions, for the endings, so index -1 reads it.
_END = -1


class _Graph:
    """The explored positions by number, for the cycle search and the bounds.

    ``positions[n]`` is position ``n`` and ``number`` the reverse. Once ``n`` is expanded,
    ``plans[n]`` is its node's choices and ``outs[n]`` where each leads (destination, route
    nodes passed, destination's number; the destination is None when the choice leads
    nowhere playable), from which ``Analysis.edges`` builds its edges; ``dests[n]`` is the
    playable destinations' numbers (``_END`` for an ending) and ``kinds[n]`` their points'
    numbers in ``points``. ``order`` lists the numbers in the order they were expanded,
    which is the order of ``Analysis.edges``.
    """

    def __init__(self, positions: list[Pos]):
        self.positions = positions
        self.number: dict[Pos, int] = {}
        self.plans: dict[int, list] = {}
        self.outs: list[list[tuple[Pos | None, tuple[str, ...], int]] | None] = [None] * len(positions)
        self.dests: list[list[int]] = [[] for _ in positions]
        self.kinds: list[list[int]] = [[] for _ in positions]
        self.order: list[int] = []
        # A choice's points at best and at worst ((scores, scores) unless it is a free-text
        # outcome with rubric points), numbered: every edge of the choice shares them.
        self.points: list[tuple[dict[str, int], dict[str, int]]] = []

    def add(self, pos: Pos) -> int:
        self.positions.append(pos)
        self.outs.append(None)
        self.dests.append([])
        self.kinds.append([])
        return len(self.positions) - 1

    def kind(self, scores: dict[str, int], span: tuple[dict[str, int], dict[str, int]] | None) -> int:
        self.points.append(span or (scores, scores))
        return len(self.points) - 1


class _Edges(Mapping[Pos, list[Edge]]):
    """``Analysis.edges``: each expanded position's edges, built when first read.

    A 10,000-node file has ~110,000 edges, and validating it reads only those on the
    recommended and worst paths; the app reads a few per page. Iteration follows the order
    the positions were expanded in.
    """

    def __init__(self, graph: _Graph):
        self._graph = graph
        self._built: dict[int, list[Edge]] = {}

    def _index(self, pos: object) -> int | None:
        n = self._graph.number.get(pos)  # type: ignore[call-overload]
        return n if n is not None and self._graph.outs[n] is not None else None

    def __getitem__(self, pos: Pos) -> list[Edge]:
        n = self._index(pos)
        if n is None:
            raise KeyError(pos)
        edges = self._built.get(n)
        if edges is None:
            graph = self._graph
            node_id = graph.positions[n][0]
            edges = self._built[n] = [
                Edge(choice.id, node_id, dest, scores, via, span)
                for (choice, _effects, scores, span, _kind), (dest, via, _there) in zip(graph.plans[n], graph.outs[n])
                if dest is not None]
        return edges

    def __contains__(self, pos: object) -> bool:
        return self._index(pos) is not None

    def __iter__(self) -> Iterator[Pos]:
        positions = self._graph.positions
        return (positions[n] for n in self._graph.order)

    def __len__(self) -> int:
        return len(self._graph.order)


def _find_cycles(graph: _Graph) -> list[tuple[set[Pos], bool]]:
    """Strongly connected components that contain a cycle, and whether each has an exit."""
    count = len(graph.positions)
    dests = graph.dests
    succ = [[w for w in out if w != _END] for out in dests]
    index = [-1] * count
    low = [0] * count
    on_stack = bytearray(count)
    stack: list[int] = []
    components: list[tuple[set[Pos], bool]] = []
    counter = 0
    for root in graph.order:
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = 1
            if i < len(succ[v]):
                work.append((v, i + 1))
                w = succ[v][i]
                if index[w] < 0:
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            if low[v] == index[v]:
                comp: set[int] = set()
                while True:
                    top = stack.pop()
                    on_stack[top] = 0
                    comp.add(top)
                    if top == v:
                        break
                if len(comp) > 1 or v in succ[v]:
                    has_exit = any(w == _END or w not in comp for p in comp for w in dests[p])
                    components.append(({graph.positions[p] for p in comp}, has_exit))
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
    return components


def topological_order(edges: dict[Pos, list[Edge]], start: Pos) -> list[Pos]:
    order: list[Pos] = []
    done: set[Pos] = set()
    work = [(start, False)]
    while work:
        pos, expanded = work.pop()
        if expanded:
            order.append(pos)
            continue
        if pos in done:
            continue
        done.add(pos)
        work.append((pos, True))
        for edge in edges.get(pos, []):
            if edge.dest not in done:
                work.append((edge.dest, False))
    return order  # children before parents


def _bounds(scenario: Scenario, result: Analysis, graph: _Graph, order: list[int]) -> None:
    """Exact best and worst totals, path count and longest path, children before parents.

    Each table has a slot per position and a last one for the endings (see ``_END``). One
    tight pass per table over plain lists is several times faster than carrying a score
    vector per position.
    """
    rows = [(v, graph.dests[v], graph.kinds[v]) for v in order if graph.dests[v]]
    size = len(graph.positions) + 1
    for comp in scenario.competencies:
        tops = [top.get(comp, 0) for top, _bottom in graph.points]
        bottoms = [bottom.get(comp, 0) for _top, bottom in graph.points]
        hi, lo = [0] * size, [0] * size
        for v, dests, kinds in rows:
            hi[v] = max([tops[k] + hi[w] for k, w in zip(kinds, dests)])
            lo[v] = min([bottoms[k] + lo[w] for k, w in zip(kinds, dests)])
        result.max_score[comp], result.min_score[comp] = hi[0], lo[0]
    paths, longest = [0] * size, [0] * size
    paths[_END] = 1  # an ending completes one path
    for v, dests, _kinds in rows:
        paths[v] = sum([paths[w] for w in dests])
        longest[v] = 1 + max([longest[w] for w in dests])
    result.path_count, result.longest = paths[0], longest[0]
    result.recommended_path, result.recommended_ending = _follow(scenario, result, best=True)
    result.worst_path, result.worst_ending = _follow(scenario, result, best=False)


def _children_first(graph: _Graph) -> list[int] | None:
    """Positions reachable from the start, each after all it leads to (endings left out),
    or None when one of them can lead back to itself."""
    dests = graph.dests
    seen = bytearray(len(graph.positions))  # 1: on the current path, 2: done
    order: list[int] = []
    seen[0] = 1
    stack = [(0, iter(dests[0]))]
    while stack:
        v, onward = stack[-1]
        for w in onward:
            if w == _END:
                continue
            if not seen[w]:
                seen[w] = 1
                stack.append((w, iter(dests[w])))
                break
            if seen[w] == 1:
                return None
        else:
            stack.pop()
            seen[v] = 2
            order.append(v)
    return order


def _follow(scenario: Scenario, result: Analysis, best: bool) -> tuple[list[tuple[str, str]], str | None]:
    """Follow the best-rated (or worst-rated) choice at every step from the start."""
    path: list[tuple[str, str]] = []
    pos = result.start
    while pos is not None and not is_ending(pos):
        out = result.edges.get(pos, [])
        if not out:
            return path, None
        edge = min(out, key=lambda e: result.edge_key(e, best))
        path.append((edge.node_id, edge.choice_id))
        pos = edge.dest
    return path, (pos[0][1:] if pos is not None else None)


def iter_paths(result: Analysis, limit: int = MAX_PATHS_TO_LIST):
    """Every complete path as (list of edges, ending id); stops after ``limit``."""
    if result.start is None or not result.bounded or is_ending(result.start):
        return
    count = 0
    stack: list[tuple[Pos, list[Edge]]] = [(result.start, [])]
    while stack:
        pos, trail = stack.pop()
        if is_ending(pos):
            yield trail, pos[0][1:]
            count += 1
            if count >= limit:
                return
            continue
        for edge in reversed(result.edges.get(pos, [])):
            stack.append((edge.dest, trail + [edge]))
