"""Basin hopping: LJ13's global minimum from random starts, distinct minima, early ends."""

import math

import numpy as np
import pytest

from gradcli.errors import InputError
from gradcli.frontend import Potential
from gradcli.landscape.hopping import atom_count, basin_hopping, random_cluster

LJ13_GLOBAL = -44.326801  # Cambridge Cluster Database, LJ13 (icosahedron)


@pytest.fixture(scope="module")
def lj13():
    from gradcli.named import load

    return load("lj-cluster", n=13).potential


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10))
def test_lj13_global_minimum_from_a_random_start_with_default_settings(lj13, seed):
    start = random_cluster(13, 1.5, np.random.default_rng(100 + seed))
    out = basin_hopping(lj13, start, seed=seed, target=LJ13_GLOBAL)
    assert out.best.value == pytest.approx(LJ13_GLOBAL, abs=1e-6)
    assert out.target_reached


def test_minima_are_distinct_sorted_and_dated(lj13):
    start = random_cluster(13, 1.5, np.random.default_rng(7))
    out = basin_hopping(lj13, start, hops=15, seed=2, keep=5)
    values = [m.value for m in out.minima]
    assert values == sorted(values) and len(values) <= 5
    assert all(b - a > 1e-6 for a, b in zip(values, values[1:]))
    assert out.minima[0].hop <= out.hops and out.atoms == 13 and out.hops == 15
    for m in out.minima:  # every reported minimum is one: V there, and zero gradient
        assert float(lj13(np.array(m.point))) == pytest.approx(m.value, abs=1e-9)
        assert np.linalg.norm(lj13.grad(np.array(m.point))) < 1e-6  # refined, though the hops are quenched loosely


def test_a_tilted_double_well_finds_the_deeper_side():
    out = basin_hopping(Potential("x**4-10*x**2+5+x"), [2.0], hops=20, step=3.0, seed=1)
    assert out.best.point[0] == pytest.approx(-2.260660771, abs=1e-6)
    assert out.minima[1].point[0] == pytest.approx(2.210635737, abs=1e-6) and out.minima[1].hop == 0


def test_ctrl_c_returns_the_best_so_far(lj13):
    def interrupt(hop, hops, best):
        if hop == 3:
            raise KeyboardInterrupt

    out = basin_hopping(lj13, random_cluster(13, 1.5, np.random.default_rng(0)), hops=100, progress=interrupt)
    assert out.interrupted and out.hops == 3 and math.isfinite(out.best.value)


def test_atom_coordinates_are_recognised():
    assert atom_count(["x1", "y1", "z1", "x2", "y2", "z2"]) == 2
    assert atom_count(["x", "y", "z"]) is None and atom_count(["x1", "y1"]) is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"temperature": 0.0}, "temperature must be a positive finite number, got 0.0"),
        ({"step": -1.0}, "the step must be a positive finite number, got -1.0"),
        ({"hops": -1}, "hops must be >= 0 and keep >= 1, got -1 and 10"),
    ],
)
def test_bad_settings_are_input_errors(kwargs, message):
    with pytest.raises(InputError) as caught:
        basin_hopping(Potential("x**2"), [1.0], **kwargs)
    assert caught.value.message == message


def test_the_search_stops_at_a_target_given_rounded_below_the_minimum():
    # LJ38's -173.928427 (Cambridge Cluster Database) is 4e-7 below its minimum: reached within energy_tol.
    V = Potential("x**4-10*x**2+5+x")
    lowest = basin_hopping(V, [2.0], hops=20, step=3.0, seed=1).best
    out = basin_hopping(V, [2.0], hops=20, step=3.0, seed=1, target=lowest.value - 5e-7)
    assert out.target_reached and out.hops == out.best.hop == lowest.hop
