"""Basin maps: every minimum found, checked, and how much of the box drains into it."""

import math

import numpy as np
import pytest

from gradcli.errors import InputError
from gradcli.frontend import Potential
from gradcli.landscape.basins import basin_map, cluster_points

MB_BOX = {"x": (-1.5, 1.2), "y": (-0.5, 2.0)}


def _listed_minima(spec):
    return sorted((s["value"], tuple(s["point"])) for s in spec["stationary"] if s["kind"] == "minimum")


def test_muller_brown_has_exactly_its_three_minima_and_samples_agree_with_the_grid(muller_brown):
    V, spec = muller_brown
    sampled = basin_map(V, MB_BOX, samples=20_000, seed=1)
    gridded = basin_map(V, MB_BOX, grid=(150, 150))
    listed = _listed_minima(spec)  # Müller & Brown (1979), refined in potentials/muller-brown.toml
    for result in (sampled, gridded):
        assert [m.kind for m in result.minima] == ["minimum"] * 3
        for m, (value, point) in zip(result.minima, listed):
            assert m.value == pytest.approx(value, abs=1e-6)
            np.testing.assert_allclose(m.point, point, atol=1e-6)
        assert sum(m.count for m in result.minima) + result.not_converged == len(result.starts)
    for a, b in zip(sampled.minima, gridded.minima):
        assert abs(a.share - b.share) <= 3 * math.hypot(a.share_error, b.share_error)


def test_himmelblau_has_four_minima_with_a_quarter_of_the_box_each_roughly(himmelblau):
    V, spec = himmelblau
    result = basin_map(V, {"x": (-5.0, 5.0), "y": (-5.0, 5.0)}, samples=8_000, seed=3)
    assert len(result.minima) == 4
    found = sorted(m.point for m in result.minima)
    expected = sorted(tuple(s["point"]) for s in spec["stationary"] if s["kind"] == "minimum")
    np.testing.assert_allclose(found, expected, atol=1e-6)
    assert all(m.kind == "minimum" and abs(m.value) < 1e-12 for m in result.minima)
    assert all(0.15 < m.share < 0.35 for m in result.minima)
    assert result.not_converged == 0


def test_a_start_at_a_maximum_is_reported_as_one_not_hidden():
    result = basin_map(Potential("x**4-10*x**2+5"), {"x": (-3.0, 3.0)}, grid=(101,))
    kinds = {m.kind: m.count for m in result.minima}
    assert kinds == {"minimum": 50, "maximum": 1}  # the grid's middle point sits on the maximum at x = 0


def test_walkers_that_do_not_converge_are_counted_not_dropped():
    result = basin_map(Potential("x**4-10*x**2+5"), {"x": (-3.0, 3.0)}, samples=200, method="gd", lr=1e-4, steps=5)
    assert result.minima == []
    assert result.not_converged == 200 and result.status == {"max_steps": 200}


def test_clustering_joins_close_points_and_separates_far_ones():
    points = np.array([[0.0, 0.0], [1e-7, 0.0], [5.0, 5.0], [5.0, 5.0 + 2e-7], [0.0, 3.0]])
    labels = cluster_points(points, 1e-5)
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert len({labels[0], labels[2], labels[4]}) == 3


@pytest.mark.parametrize(
    "box, kwargs, message",
    [
        ({"x": (-1.0, 1.0)}, {"samples": 10}, "--box must give one range per variable (x, y): no range for y"),
        (
            {"x": (1.0, -1.0), "y": (0.0, 1.0)},
            {"samples": 10},
            "--box range for x must be finite with low < high, got 1.0:-1.0",
        ),
        (
            {"x": (-1.0, 1.0), "y": (0.0, 1.0)},
            {"samples": 10, "grid": (3, 3)},
            "give either a number of samples or a grid, not both",
        ),
        (
            {"x": (-1.0, 1.0), "y": (0.0, 1.0)},
            {"grid": (3,)},
            "--grid needs one positive count per variable (2), got 3",
        ),
        ({"x": (-1.0, 1.0), "y": (0.0, 1.0)}, {"samples": 0}, "--samples must be between 1 and 10,000,000, got 0"),
    ],
)
def test_bad_boxes_and_counts_are_input_errors(box, kwargs, message):
    with pytest.raises(InputError) as caught:
        basin_map(Potential("x**2+y**2"), box, **kwargs)
    assert caught.value.message == message
