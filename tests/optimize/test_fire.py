"""FIRE (gradcli/optimize/fire.py) against ASE's FIRE trajectory on LJ7.

The reference (tests/data/ase_fire_lj7.json) was recorded once with ASE 3.29's
FIRE (default parameters) and its LennardJones calculator by
tests/reference/record_fire_lj7.py.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from gradcli.errors import InputError
from gradcli.named import load
from gradcli.optimize.fire import fire, max_force

DATA = Path(__file__).parents[1] / "data" / "ase_fire_lj7.json"


@pytest.fixture(scope="module")
def lj7():
    return load("lj-cluster", n=7).potential


def test_reproduces_ase_fire_trajectory_on_lj7(lj7):
    ref = json.loads(DATA.read_text())
    path = []
    run = fire(
        lambda x: -lj7.grad(x),
        np.array(ref["start"]),
        fmax=ref["fmax"],
        steps=2000,
        atoms=True,
        callback=lambda step, x, f: path.append(x.copy()),
    )
    assert run.status == "converged" and ref["converged"]
    assert run.steps == ref["steps"]
    assert run.evaluations == ref["steps"] + 1
    assert len(path) == len(ref["positions"])
    np.testing.assert_allclose(np.array(path), np.array(ref["positions"]), rtol=0, atol=1e-8)
    assert lj7(run.x) == pytest.approx(ref["energy"], abs=1e-8)


def test_max_force_component_and_per_atom():
    f = np.array([0.0, 3.0, -4.0, 1.0, 0.0, 0.0])
    assert max_force(f) == 4.0
    assert max_force(f, atoms=True) == 5.0
    with pytest.raises(InputError, match="3 coordinates per atom"):
        max_force([1.0, 2.0], atoms=True)


def test_max_step_bounds_the_whole_step():
    # A strong linear force: the first step dt^2 F is capped at max_step in norm.
    seen = []
    fire(
        lambda x: np.array([-1e3 * x[0], -1e3 * x[1]]),
        np.array([3.0, 4.0]),
        steps=1,
        fmax=1e-9,
        callback=lambda step, x, f: seen.append(x.copy()),
    )
    assert np.linalg.norm(seen[1] - seen[0]) == pytest.approx(0.2, rel=1e-12)


def test_statuses_and_counts():
    bowl = fire(lambda x: -4.0 * x, np.array([1.0, -2.0]), fmax=1e-10, steps=5000)
    assert bowl.status == "converged" and np.abs(bowl.x).max() < 1e-10 / 4
    short = fire(lambda x: -4.0 * x, np.array([1.0, -2.0]), fmax=1e-10, steps=3)
    assert (short.status, short.steps, short.evaluations) == ("max_steps", 3, 4)
    blown = fire(lambda x: np.array([np.nan]), np.array([1.0]))
    assert blown.status == "diverged"
    stopped = fire(lambda x: -x, np.array([1.0]), fmax=1e-12, callback=lambda step, x, f: step == 2)
    assert (stopped.status, stopped.steps) == ("stopped", 2)


def test_downhill_check_changes_the_path_and_still_converges():
    # 1-D double well with a large max_step, so some steps go uphill: the check
    # (ASE's downhill_check) rejects them, so the run differs from the plain one.
    def energy(x):
        return float(x[0] ** 4 - 10 * x[0] ** 2 + 5)

    def force(x):
        return np.array([-(4 * x[0] ** 3 - 20 * x[0])])

    # (fmax 1e-4: near 1e-8 the energy changes are below round-off and the check, as in ASE, stalls.)
    options = dict(fmax=1e-4, steps=2000, max_step=5.0, dt=0.2)
    checked = fire(force, np.array([3.0]), downhill_check=True, energy=energy, **options)
    plain = fire(force, np.array([3.0]), **options)
    assert checked.status == plain.status == "converged"
    assert abs(checked.x[0]) == pytest.approx(np.sqrt(5.0), abs=1e-5)
    assert checked.energy_evaluations == checked.steps
    assert checked.steps != plain.steps


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"fmax": 0.0}, "fmax must be positive"),
        ({"steps": -1}, "steps must be >= 0"),
        ({"dt": 0.0}, "must be positive"),
        ({"downhill_check": True}, "needs an energy function"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(InputError, match=message):
        fire(lambda x: -x, np.array([1.0]), **kwargs)


def test_force_of_the_wrong_shape():
    with pytest.raises(InputError, match="returned shape"):
        fire(lambda x: np.zeros(3), np.array([1.0, 2.0]))
