"""Property-based tests of the scenario loader, validator and engine on random graphs.

Hypothesis builds random scenarios: nodes with one to four choices pointing at random
nodes and endings, route nodes with guards from a small grammar, state variables with
small ranges, effects, scores, and now and then a broken reference or an unreachable part.
They are written as YAML and loaded the way the app loads files. An independent model
written here (``explore``) walks the same graph position by position, a position being a
node *and* the client's state, with guards evaluated from the generated trees rather than
the app's parser. The properties:

- loading never raises, whatever the input (random graphs, mutated files, garbage);
- planted broken references are reported, and only then;
- unreachable nodes (SC003), endings never reached (SC014), guards never true (SC013),
  dead ends (SC004) and loops (SC005, SC015) are exactly what the model finds;
- a scenario is playable (``ok``) exactly when the model finds every path ends;
- for playable scenarios the path count, the longest path and the score bounds match the
  model, and the engine, playing random paths, lands where the model says at every step.

The gaps these tests found in the validator and the YAML reader are fixed and kept as
regression tests at the end.
"""
from __future__ import annotations

import copy
import functools
import random
import re
import string
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests.conftest import data_paths, doc_example_source
from trainer.scenario.loader import load_scenario_file, load_scenario_text

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMPETENCIES = ("empathy", "clarity")
SECTION = "2.5"
OPS = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
       "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


# -- the generated graph, as plain data ----------------------------------------------

@dataclass
class Spec:
    """A random scenario: what the generator meant, before it becomes YAML."""

    variables: dict[str, tuple[int, int, int]]  # name -> (min, max, initial)
    nodes: dict[str, tuple[str, list]]  # id -> ("choices", [(choice id, next, effects, scores)]) or ("route", [(guard, next)])
    endings: list[str]
    start: str = "n0"
    planted: list[str] = field(default_factory=list)  # what was broken on purpose

    def to_data(self) -> dict:
        def text(s: str) -> dict:
            return {"uk": s, "en": s}

        nodes = {}
        for node_id, (kind, body) in self.nodes.items():
            if kind == "choices":
                nodes[node_id] = {"client": {"says": text(f"at {node_id}")}, "choices": [
                    {"id": cid, "text": text(cid), "rating": "recommended" if i == 0 else "ineffective",
                     "scores": scores, "effects": effects, "feedback": text("why"), "next": nxt}
                    for i, (cid, nxt, effects, scores) in enumerate(body)]}
            else:
                nodes[node_id] = {"route": [({"when": render(guard)} if guard is not None else {}) | {"next": nxt}
                                            for guard, nxt in body]}
        return {
            "id": "random-graph", "version": 1, "title": text("Random"), "summary": text("Random graph"),
            "manual": [SECTION], "sources": [{"manual": SECTION}], "competencies": list(COMPETENCIES),
            "persona": {"name": text("Client"), "who": text("who"), "wants": text("wants"), "backstory": text("story")},
            "state": {name: {"label": text(name), "min": lo, "max": hi, "initial": init}
                      for name, (lo, hi, init) in self.variables.items()},
            "start": self.start,
            "nodes": nodes,
            "endings": {e: {"outcome": "good", "title": text(e), "debrief": text("debrief")} for e in self.endings},
        }

    def to_yaml(self) -> str:
        return dump(self.to_data())


def dump(data) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render(guard) -> str:
    """A guard tree as the text an author would write."""
    kind = guard[0]
    if kind == "cmp":
        _, name, op, value = guard
        return f"{name} {op} {value}"
    if kind == "not":
        return f"not ({render(guard[1])})"
    return f"({render(guard[1])}) {kind} ({render(guard[2])})"


def holds(guard, state: dict[str, int]) -> bool:
    kind = guard[0]
    if kind == "cmp":
        _, name, op, value = guard
        return OPS[op](state[name], value)
    if kind == "not":
        return not holds(guard[1], state)
    if kind == "and":
        return holds(guard[1], state) and holds(guard[2], state)
    return holds(guard[1], state) or holds(guard[2], state)


# -- strategies --------------------------------------------------------------------------

OP_NAMES = sorted(OPS)


def draw_guard(draw, names: list[str], depth: int = 0):
    """A guard tree: comparisons joined by and/or/not, at most two levels deep.

    Drawn with plain integers: composing strategies per draw made generation the slowest
    part of these tests.
    """
    kind = draw(st.integers(0, 5)) if depth < 2 else 0
    if kind <= 2:
        return ("cmp", names[draw(st.integers(0, len(names) - 1))], OP_NAMES[draw(st.integers(0, len(OPS) - 1))],
                draw(st.integers(-1, 4)))
    if kind == 3:
        return ("not", draw_guard(draw, names, depth + 1))
    return ("and" if kind == 4 else "or", draw_guard(draw, names, depth + 1), draw_guard(draw, names, depth + 1))


@st.composite
def specs(draw, stateful: bool = True, breakage: bool = True, forward: bool | None = None) -> Spec:
    """A random scenario graph.

    ``stateful`` adds guards and effects, ``breakage`` broken references; ``forward`` (drawn
    when None) points every move at a later node or an ending, so the graph has no loops and
    is usually playable.
    """
    if forward is None:
        forward = draw(st.booleans())
    names = [f"v{i}" for i in range(draw(st.integers(1, 2)))]
    variables = {}
    for name in names:
        hi = draw(st.integers(1, 3))
        variables[name] = (0, hi, draw(st.integers(0, hi)))
    node_ids = [f"n{i}" for i in range(draw(st.integers(1, 6)))]
    endings = [f"e{i}" for i in range(draw(st.integers(1, 3)))]
    targets = node_ids + endings
    planted: list[str] = []

    def target(index: int) -> str:
        if breakage and draw(st.integers(0, 30)) == 0:
            planted.append("next")
            return "nowhere"
        allowed = targets[index + 1:] if forward else targets
        return allowed[draw(st.integers(0, len(allowed) - 1))]

    nodes: dict[str, tuple[str, list]] = {}
    counter = 0
    for index, node_id in enumerate(node_ids):
        # The start is always a node with choices (a route at the start is pinned below).
        if index > 0 and stateful and draw(st.integers(0, 4)) == 0:
            rules = [(draw_guard(draw, names), target(index)) for _ in range(draw(st.integers(0, 2)))]
            fallback = None if draw(st.integers(0, 5)) else draw_guard(draw, names)  # sometimes no fallback
            rules.append((fallback, target(index)))
            nodes[node_id] = ("route", rules)
            continue
        choices = []
        for _ in range(draw(st.integers(1, 4))):
            counter += 1
            effects = {}
            for name in names if stateful else []:
                delta = draw(st.integers(-2, 2))
                if delta:
                    effects[name] = delta
            scores = {}
            for comp in COMPETENCIES:
                points = draw(st.integers(-2, 3))
                if points:
                    scores[comp] = points
            choices.append((f"c_{counter}", target(index), effects, scores))
        nodes[node_id] = ("choices", choices)
    spec = Spec(variables, nodes, endings, planted=planted)
    if breakage and draw(st.integers(0, 40)) == 0:
        spec.start = "nowhere"
        spec.planted.append("start")
    return spec


# -- the independent model ---------------------------------------------------------------

@dataclass
class Model:
    start: tuple | None = None
    edges: dict[tuple, list] = field(default_factory=dict)  # position -> destinations (None: no way on)
    steps: dict[tuple, dict[str, tuple]] = field(default_factory=dict)  # position -> choice id -> destination
    seen_nodes: set[str] = field(default_factory=set)
    seen_endings: set[str] = field(default_factory=set)
    fired: set[tuple[str, int]] = field(default_factory=set)
    dead_routes: set[str] = field(default_factory=set)
    route_loop: bool = False
    scores: dict[tuple, list] = field(default_factory=dict)  # position -> [(scores, destination)]


def explore(spec: Spec) -> Model:
    """Every position reachable from the start, found without the app's code."""
    names = list(spec.variables)
    model = Model()

    def apply(state: tuple, effects: dict) -> tuple:
        values = dict(zip(names, state))
        for name, delta in effects.items():
            lo, hi, _ = spec.variables[name]
            values[name] = max(lo, min(hi, values[name] + delta))
        return tuple(values[n] for n in names)

    def resolve(target: str, state: tuple):
        passed: list[str] = []
        while True:
            if target in spec.endings:
                model.seen_endings.add(target)
                return ("@" + target, ())
            if target not in spec.nodes:
                return None
            model.seen_nodes.add(target)
            kind, body = spec.nodes[target]
            if kind == "choices":
                return (target, state)
            if target in passed:
                # Through two or more route nodes; a route to itself is ``self_route`` below.
                model.route_loop = model.route_loop or len(passed) - passed.index(target) > 1
                return None
            passed.append(target)
            values = dict(zip(names, state))
            for i, (guard, nxt) in enumerate(body):
                if guard is None or holds(guard, values):
                    if guard is not None:
                        model.fired.add((target, i))
                    target = nxt
                    break
            else:
                model.dead_routes.add(target)
                return None

    if spec.start not in spec.nodes:
        return model
    initial = tuple(spec.variables[n][2] for n in names)
    model.start = resolve(spec.start, initial)
    todo = [model.start] if model.start and not model.start[0].startswith("@") else []
    while todo:
        pos = todo.pop()
        if pos in model.edges:
            continue
        out, steps, scored = [], {}, []
        for cid, nxt, effects, scores in spec.nodes[pos[0]][1]:
            dest = resolve(nxt, apply(pos[1], effects))
            out.append(dest)
            steps[cid] = dest
            if dest is not None:
                scored.append((scores, dest))
                if not dest[0].startswith("@") and dest not in model.edges:
                    todo.append(dest)
        model.edges[pos], model.steps[pos], model.scores[pos] = out, steps, scored
    return model


def reach(model: Model) -> dict[tuple, set[tuple]]:
    """Positions reachable in one or more steps from each position (small graphs: closure)."""
    succ = {p: {d for d in out if d is not None and not d[0].startswith("@")} for p, out in model.edges.items()}
    closure = {p: set(s) for p, s in succ.items()}
    changed = True
    while changed:
        changed = False
        for p in closure:
            extra = set().union(*(closure[q] for q in closure[p])) - closure[p] if closure[p] else set()
            if extra:
                closure[p] |= extra
                changed = True
    return closure


def loops(model: Model) -> tuple[bool, bool]:
    """(a loop with no way out exists, a loop with a way out exists) among reachable positions."""
    closure = reach(model)
    trapped = escapable = False
    for p in closure:
        if p not in closure[p]:
            continue
        component = {q for q in closure[p] if p in closure[q]} | {p}
        exits = any(d is None or d[0].startswith("@") or d not in component for q in component for d in model.edges[q]
                    if d is not None)
        if exits:
            escapable = True
        else:
            trapped = True
    return trapped, escapable


def codes(loaded) -> set[str]:
    return {d.code for d in loaded.diagnostics}


def named(loaded, code: str, pattern: str) -> set[str]:
    return {re.search(pattern, d.message).group(1) for d in loaded.diagnostics if d.code == code}


def load_spec(spec: Spec, framework, toc):
    return load_scenario_text(spec.to_yaml(), "random-graph.yaml", framework, toc)


# -- properties ------------------------------------------------------------------------

@SETTINGS
@given(spec=specs())
def test_loading_random_graphs_never_raises_and_reports_planted_breakage(spec, framework, toc):
    loaded = load_spec(spec, framework, toc)
    assert loaded.scenario is not None  # structurally valid YAML always parses
    assert ("SC002" in codes(loaded)) == bool(spec.planted)
    if spec.planted:
        assert not loaded.ok and loaded.analysis is None


@SETTINGS
@given(spec=specs(stateful=False, breakage=False))
def test_reachability_without_state_is_plain_graph_search(spec, framework, toc):
    """With no guards or effects, reachability is a breadth-first search over the ids."""
    loaded = load_spec(spec, framework, toc)
    seen, frontier = {spec.start}, [spec.start]
    while frontier:
        node = frontier.pop()
        for _cid, nxt, _effects, _scores in spec.nodes[node][1] if node in spec.nodes else []:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert named(loaded, "SC003", r"node '([^']+)'") == set(spec.nodes) - seen
    assert named(loaded, "SC014", r"ending '([^']+)'") == set(spec.endings) - seen


@SETTINGS
@given(spec=specs(breakage=False))
def test_validator_matches_the_model(spec, framework, toc):
    model = explore(spec)
    loaded = load_spec(spec, framework, toc)
    found = codes(loaded)
    assert named(loaded, "SC003", r"node '([^']+)'") == set(spec.nodes) - model.seen_nodes
    assert named(loaded, "SC014", r"ending '([^']+)'") == set(spec.endings) - model.seen_endings
    never = {(node_id, render(guard)) for node_id, (kind, body) in spec.nodes.items()
             if kind == "route" and node_id in model.seen_nodes
             for i, (guard, _nxt) in enumerate(body) if guard is not None and (node_id, i) not in model.fired}
    reported = {(m.group(1), m.group(2)) for d in loaded.diagnostics if d.code == "SC013"
                for m in [re.search(r"in '([^']+)', the condition '(.*)' is never true", d.message)]}
    assert reported == never
    assert named(loaded, "SC004", r"route of '([^']+)'") == model.dead_routes
    trapped, escapable = loops(model)
    self_route = any(nxt == node_id for node_id, (kind, body) in spec.nodes.items() if kind == "route"
                     for _g, nxt in body)
    assert ("SC005" in found) == (trapped or self_route)
    assert ("SC015" in found) == (escapable or model.route_loop)
    stuck = any(None in out for out in model.edges.values())
    playable = not (trapped or escapable or stuck or self_route or model.route_loop)
    assert loaded.ok == playable, [d.format() for d in loaded.diagnostics]
    # What the examples covered (pytest --hypothesis-show-statistics).
    event("playable" if playable else "not playable")
    for code in sorted(found & {"SC003", "SC004", "SC005", "SC013", "SC014", "SC015"}):
        event(code)


@SETTINGS
@given(spec=specs(breakage=False, forward=True), seed=st.integers(0, 2**32 - 1))
def test_playable_graphs_have_the_models_paths_bounds_and_moves(spec, seed, framework, toc):
    from trainer.scenario.engine import CompiledScenario

    loaded = load_spec(spec, framework, toc)
    assume(loaded.ok)
    model = explore(spec)
    order: list[tuple] = []
    done: set[tuple] = set()

    def visit(pos):  # post-order over an acyclic graph: children first
        if pos in done or pos[0].startswith("@"):
            return
        done.add(pos)
        for _scores, dest in model.scores[pos]:
            visit(dest)
        order.append(pos)

    visit(model.start)
    paths, longest, hi, lo = {}, {}, {}, {}
    for pos in order:
        out = model.scores[pos]
        get = lambda table, d, default: table.get(d, default)  # noqa: E731
        paths[pos] = sum(get(paths, d, 1) for _s, d in out)
        longest[pos] = 1 + max(get(longest, d, 0) for _s, d in out)
        hi[pos] = {c: max(s.get(c, 0) + get(hi, d, {}).get(c, 0) for s, d in out) for c in COMPETENCIES}
        lo[pos] = {c: min(s.get(c, 0) + get(lo, d, {}).get(c, 0) for s, d in out) for c in COMPETENCIES}
    analysis = loaded.analysis
    assert analysis.path_count == paths[model.start]
    assert analysis.longest == longest[model.start]
    assert analysis.max_score == hi[model.start] and analysis.min_score == lo[model.start]

    compiled = CompiledScenario(loaded)
    rng = random.Random(seed)
    for _walk in range(3):
        state = compiled.start()
        pos = model.start
        for _step in range(longest[model.start] + 1):
            if state.finished:
                break
            assert (state.node, tuple(state.vars[n] for n in spec.variables)) == pos
            choice = rng.choice(sorted(model.steps[pos]))
            state = compiled.step(state, choice).state
            pos = model.steps[pos][choice]
        assert state.finished and "@" + state.ending == pos[0]


# -- garbage in ------------------------------------------------------------------------

YAMLISH = st.text(alphabet=string.ascii_lowercase[:6] + string.digits[:3] + ":-[]{},&*!|>'\"#?%@` \n\t.", max_size=300)


def _never_raises(source: str, framework, toc) -> None:
    loaded = load_scenario_text(source, "garbage.yaml", framework, toc)
    assert loaded.diagnostics or loaded.ok  # a refusal always says why


@settings(max_examples=150, deadline=None)
@given(source=st.one_of(st.text(max_size=300), YAMLISH))
def test_garbage_text_never_raises(source, framework, toc):
    _never_raises(source, framework, toc)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
def test_garbage_bytes_in_a_file_never_raise(data, framework, toc):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "garbage.yaml"
        path.write_bytes(data)
        loaded = load_scenario_file(path, framework, toc)
    assert loaded.diagnostics or loaded.ok


@settings(max_examples=100, deadline=None)
@given(edits=st.lists(st.tuples(st.sampled_from(["drop", "copy", "swap", "indent", "cut"]), st.integers(0, 10_000)),
                      min_size=1, max_size=4))
def test_mangled_scenario_files_never_raise(edits, framework, toc):
    """A real file with lines dropped, doubled, swapped, re-indented or cut short."""
    lines = doc_example_source().splitlines()
    for action, at in edits:
        i = at % len(lines)
        if action == "drop":
            del lines[i]
        elif action == "copy":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i][: at % (len(lines[i]) + 1)]
        if not lines:
            lines = [""]
    _never_raises("\n".join(lines), framework, toc)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=8),
                     st.sampled_from(["start", "greeting", "good_end", "patience >= 2", "2.5", "empathy", "recommended"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=6)


@functools.lru_cache(maxsize=1)
def _example_data() -> dict:
    return yaml.safe_load(doc_example_source())


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.tuples(st.integers(0, 10_000), _VALUES), min_size=1, max_size=3))
def test_scenarios_with_random_values_in_random_places_never_raise(picks, framework, toc):
    """The doc example with any value anywhere replaced: wrong types, missing pieces, odd text."""
    data = copy.deepcopy(_example_data())
    for at, value in picks:
        paths = list(data_paths(data))[1:]
        path = paths[at % len(paths)]
        holder = data
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = value
    _never_raises(dump(data), framework, toc)


# -- gaps found by the properties above, fixed ----------------------------------------------

def _with(example: dict, **changes) -> str:
    for path, value in changes.items():
        holder = example
        parts = path.split("__")
        for part in parts[:-1]:
            holder = holder[part]
        holder[parts[-1]] = value
    return dump(example)


def test_a_route_loop_through_two_nodes_is_an_error(example_data, framework, toc):
    example_data["nodes"]["check_mood"]["route"] = [{"next": "loop_back"}]
    example_data["nodes"]["loop_back"] = {"route": [{"next": "check_mood"}]}
    loaded = load_scenario_text(_with(example_data), "example-queue.yaml", framework, toc)
    assert not loaded.ok and "SC015" in codes(loaded)


def test_a_start_that_routes_straight_to_an_ending_is_reported(example_data, framework, toc):
    example_data["nodes"]["entry"] = {"route": [{"when": "patience >= 3", "next": "greeting"}, {"next": "good_end"}]}
    example_data["start"] = "entry"
    loaded = load_scenario_text(_with(example_data), "example-queue.yaml", framework, toc)
    assert "SC013" in codes(loaded) and "SC003" in codes(loaded)
    assert "SC024" in codes(loaded) and not loaded.ok


def test_a_route_loop_at_the_start_is_an_error(example_data, framework, toc):
    example_data["nodes"]["entry"] = {"route": [{"next": "entry_two"}]}
    example_data["nodes"]["entry_two"] = {"route": [{"next": "entry"}]}
    example_data["start"] = "entry"
    loaded = load_scenario_text(_with(example_data), "example-queue.yaml", framework, toc)
    assert not loaded.ok


def test_a_self_referencing_alias_is_refused(framework, toc):
    loaded = load_scenario_text("a: &a [*a]\n", "garbage.yaml", framework, toc)
    assert not loaded.ok and "refers to itself" in loaded.diagnostics[0].message


def test_deep_nesting_is_refused(framework, toc):
    loaded = load_scenario_text("[" * 3000 + "]" * 3000, "garbage.yaml", framework, toc)
    assert not loaded.ok and loaded.diagnostics[0].code == "SC001"
