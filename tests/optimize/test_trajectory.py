"""gradcli.optimize.trajectory: what a run's record keeps (issue 14 item 5: --max-record
does what README says; issue 10: thinning never hides a period-2 oscillation)."""

import pytest
from cli_helpers import invoke_json

from gradcli.optimize import TrajectoryRecorder, gradient_descent
from gradcli.optimize.trajectory import TAIL


def record(n_steps, max_record):
    """Steps kept by the general path (``record`` at every step) for a run of ``n_steps`` updates."""
    recorder = TrajectoryRecorder(max_record)
    for step in range(n_steps):
        recorder.record(step, (float(step),), 0.0, 0.0)
    return [p.step for p in recorder.finish(n_steps, (float(n_steps),), 0.0, 0.0)]


def tail_size(max_record):
    size = 1
    while size * 2 <= min(TAIL, max_record // 4):
        size *= 2
    return size


def check_thinned(steps, n_steps, max_record):
    """What README promises: every point while they fit; else exactly max_record points, the first,
    nearly even ones, the last steps whole and the last point."""
    assert steps[0] == 0 and steps[-1] == n_steps
    if n_steps + 1 <= max_record:
        assert steps == list(range(n_steps + 1))
        return
    assert len(steps) == max_record
    tail = min(tail_size(max_record), max_record - 2)
    assert steps[-tail - 1 :] == list(range(n_steps - tail, n_steps + 1))
    head = steps[: -tail - 1]
    gaps = [b - a for a, b in zip(head, head[1:])]
    if gaps:
        assert max(gaps) <= 2 * min(gaps)  # nearly even: gaps differ by at most one kept stride


@pytest.mark.parametrize("n_steps", [0, 5, 999, 1000, 1001, 1100, 4409, 20_000, 200_000])
def test_the_default_budget(n_steps):
    check_thinned(record(n_steps, 1000), n_steps, 1000)


@pytest.mark.parametrize("n_steps, max_record", [(12345, 50), (7, 2), (100, 3), (100, 8), (4409, 4410), (4410, 4410)])
def test_other_budgets(n_steps, max_record):
    check_thinned(record(n_steps, max_record), n_steps, max_record)


@pytest.mark.parametrize("by_coordinate", [False, True])
def test_memory_stays_bounded(by_coordinate):
    recorder = TrajectoryRecorder(100, by_coordinate=by_coordinate)
    for step in range(1_000_000):
        recorder.record(step, (0.0,), 0.0, 0.0)
    assert len(recorder.steps) <= recorder.capacity
    assert all(len(column) == len(recorder.steps) for column in (recorder.values, recorder.norms))
    assert len(recorder.coordinates[0] if by_coordinate else recorder.xs) == len(recorder.steps)


@pytest.mark.parametrize("n", [1, 3])
def test_kept_by_coordinate_or_as_tuples_the_points_are_the_same(n):
    points = [(step, tuple(step + 0.5 * i for i in range(n)), -float(step), step / 7) for step in range(5000)]
    both = []
    for by_coordinate in (False, True):
        recorder = TrajectoryRecorder(100, n, by_coordinate=by_coordinate)
        for point in points:
            recorder.record(*point)
        both.append(recorder.finish(5000, (0.0,) * n, 0.0, 0.0))
    assert both[0] == both[1]
    assert [tuple(p) for p in both[0][:-1]] == [points[p.step] for p in both[0][:-1]]


class DoubleWell:
    n = 1
    variables = ("x",)

    @staticmethod
    def scalar_value_and_grad(x):
        return x**4 - 10 * x**2 + 5, 4 * x**3 - 20 * x


def test_the_descent_keeps_the_same_points_as_the_general_path():
    result = gradient_descent(DoubleWell, 3.0, steps=5000, tol=0, max_record=100)
    steps = [p.step for p in result.trajectory]
    check_thinned(steps, 5000, 100)
    assert result.trajectory[-1].x == result.x
    # The last steps, recomputed from a checkpoint, are the run's own floats: same as an unthinned run.
    whole = gradient_descent(DoubleWell, 3.0, steps=5000, tol=0, max_record=5001).trajectory
    assert [(p.x, p.value, p.grad_norm) for p in result.trajectory] == [
        (whole[s].x, whole[s].value, whole[s].grad_norm) for s in steps
    ]


class SlowBowl:
    """n independent wells V = sum 1e-4 x_i**2: slow enough never to converge within the budget."""

    def __init__(self, n):
        self.n = n
        self.variables = tuple(f"x{i}" for i in range(n))

    def scalar_value_and_grad(self, *x):
        return sum(1e-4 * xi * xi for xi in x), *(2e-4 * xi for xi in x)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("n_steps, max_record", [(5000, 100), (20_000, 1000), (12345, 50), (999, 1000)])
def test_each_fast_loop_keeps_the_steps_the_general_path_keeps(n, n_steps, max_record):
    """The descent loops append to the recorder's list themselves (1, 2 and n variables each have
    their own loop) and thin it when it outgrows its capacity: the same steps as ``record``."""
    result = gradient_descent(SlowBowl(n), (1.0,) * n, steps=n_steps, tol=0, max_record=max_record)
    assert result.steps == n_steps
    assert [p.step for p in result.trajectory] == record(n_steps, max_record)


class Bowl:
    n = 1
    variables = ("x",)

    @staticmethod
    def scalar_value_and_grad(x):
        return x * x, 2 * x


def test_a_period_2_oscillation_stays_visible():
    # lr * V'' = 0.5 * 2 = 1... at lr = 1 the step is x -> x - 2x = -x: a flip between +1 and -1
    # forever. Every other kept step is an even one, so without the whole tail it would look constant.
    result = gradient_descent(Bowl, 1.0, lr=1.0, steps=100_000, tol=0, max_record=64)
    last = [p.x[0] for p in result.trajectory[-tail_size(64) - 1 :]]
    assert last == [(-1.0) ** s for s in range(100_000 - tail_size(64), 100_001)]


def test_the_cli_keeps_every_point_up_to_max_record():
    args = ("descend", "(x-1)**2 + 10*(y-x**2)**2", "--x0", "x=-1,y=1", "--lr", "0.01", "--steps", "5000")
    full = invoke_json(*args, "--max-record", "4410")
    assert full["steps"] == 4409 and [p["step"] for p in full["trajectory"]] == list(range(4410))
    default = invoke_json(*args)
    check_thinned([p["step"] for p in default["trajectory"]], 4409, 1000)


@pytest.mark.parametrize(
    "method", ["gd", "momentum", "nesterov", "adam", "fire", "cg", "bfgs", "lbfgs", "newton", "trust"]
)
@pytest.mark.parametrize("max_record", [5, 40, 1000])
def test_every_method_keeps_what_readme_promises(method, max_record):
    """README: every point while the run has at most --max-record, else exactly --max-record (issue 14.5)."""
    from gradcli import Potential
    from gradcli.optimize import minimize

    settings = {"lr": 2e-4} if method in ("gd", "momentum", "nesterov", "adam") else {}
    result = minimize(
        Potential("(x-1)**2 + 100*(y-x**2)**2"),
        (-1.2, 1.0),
        method=method,
        steps=600,
        max_record=max_record,
        **settings,
    )
    steps = [p.step for p in result.trajectory]
    assert result.steps > 20
    check_thinned(steps, result.steps, max_record)


@pytest.mark.parametrize("n_steps, max_record", [(5000, 100), (20_000, 1000), (12345, 50), (4409, 1000), (99_999, 7)])
def test_the_evenly_spaced_points_are_the_rounded_fractions_of_the_kept_ones(n_steps, max_record):
    """finish picks kept[round(i * end / (room - 1))] for i < room (computed with numpy: same ties to even)."""
    recorder = TrajectoryRecorder(max_record)
    for step in range(n_steps):
        recorder.record(step, (float(step),), 0.0, 0.0)
    kept = list(recorder.steps)
    steps = [p.step for p in recorder.finish(n_steps, (float(n_steps),), 0.0, 0.0)]
    tail = min(tail_size(max_record), max_record - 2)
    room = max_record - tail - 1
    head = [s for s in kept if s < n_steps - tail]
    end = len(head) - 1
    assert steps[:room] == [head[round(i * end / (room - 1))] for i in range(room)]
