"""Guards accept comparisons of state variables and nothing else."""
import pytest

from trainer.scenario.guards import GuardError, parse_guard

VARS = {"distress", "trust"}


@pytest.mark.parametrize("source, state, expected", [
    ("distress >= 4", {"distress": 4, "trust": 0}, True),
    ("distress >= 4", {"distress": 3, "trust": 0}, False),
    ("distress >= 2 and trust < 3", {"distress": 2, "trust": 2}, True),
    ("distress >= 2 and trust < 3", {"distress": 2, "trust": 3}, False),
    ("distress == 0 or trust == 5", {"distress": 1, "trust": 5}, True),
    ("not distress > 1", {"distress": 1, "trust": 0}, True),
    ("1 <= trust <= 3", {"distress": 0, "trust": 2}, True),
    ("trust != -1", {"distress": 0, "trust": 0}, True),
])
def test_evaluation(source, state, expected):
    guard = parse_guard(source, VARS)
    assert guard(state) is expected or bool(guard(state)) is expected


@pytest.mark.parametrize("source, fragment", [
    ("patience > 1", "not a state variable"),
    ("distress >", "cannot read"),
    ("distress + 1 > 2", "only state variables"),
    ("__import__('os').system('x')", "only state variables"),
    ("distress in (1, 2)", "use only"),
    ("distress > 1.5", "only state variables"),
])
def test_rejections_say_what_to_write(source, fragment):
    with pytest.raises(GuardError, match=fragment):
        parse_guard(source, VARS)


def test_names_are_recorded():
    assert parse_guard("distress > 1 and trust < 2", VARS).names == {"distress", "trust"}


@pytest.mark.parametrize("source", ["distress >= 2 and trust < 3", "not distress > 1", "1 <= trust <= 3 or distress == 0"])
def test_a_guard_survives_pickling(source):
    # Load results are kept on disk as pickles (loadcache.py); the predicate is a closure.
    import pickle

    guard = parse_guard(source, VARS)
    again = pickle.loads(pickle.dumps(guard))
    assert (again.source, again.names) == (guard.source, guard.names)
    states = [{"distress": d, "trust": t} for d in range(-1, 5) for t in range(-1, 5)]
    assert [bool(again(s)) for s in states] == [bool(guard(s)) for s in states]
