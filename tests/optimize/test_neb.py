"""Minimum-energy paths (gradcli/optimize/neb.py): Müller-Brown MA -> MB passes
S1, MC and S2 (Müller & Brown 1979, the values in potentials/muller-brown.toml);
the double well's barrier is V(0) - V(±√5) = 5 - (-20) = 25."""

import math

import numpy as np
import pytest
from ts_helpers import by_note, named

from gradcli import Potential
from gradcli.errors import ComputationError, InputError
from gradcli.optimize.neb import band_forces, improved_tangents, path


@pytest.fixture(scope="module")
def mb_path(muller_brown):
    ma, _ = by_note("muller-brown", "MA")
    mb, _ = by_note("muller-brown", "MB")
    # Start a little off both minima: the endpoints are relaxed first.
    return path(muller_brown, ma + np.array([0.03, -0.02]), mb + np.array([-0.02, 0.03]))


def test_muller_brown_path_finds_both_saddles_and_the_intermediate_minimum(mb_path):
    (ma, v_ma), (mb, v_mb), (mc, v_mc) = (by_note("muller-brown", w) for w in ("MA", "MB", "MC"))
    s1, v_s1 = by_note("muller-brown", "between MA and MC")
    s2, v_s2 = by_note("muller-brown", "between MC and MB")
    assert mb_path.band_status == "converged" and mb_path.converged
    assert np.abs(mb_path.start.x - ma).max() < 1e-6 and np.abs(mb_path.end.x - mb).max() < 1e-6
    assert [s.refined.index for s in mb_path.saddles] == [1, 1]
    np.testing.assert_allclose(mb_path.saddles[0].x, s1, atol=1e-6)
    np.testing.assert_allclose(mb_path.saddles[1].x, s2, atol=1e-6)
    (middle,) = mb_path.minima
    np.testing.assert_allclose(middle.x, mc, atol=1e-6)
    assert middle.refined.index == 0
    assert mb_path.forward_barrier == pytest.approx(v_s1 - v_ma, abs=1e-6)
    assert mb_path.backward_barrier == pytest.approx(v_s1 - v_mb, abs=1e-6)
    (f1, b1), (f2, b2) = mb_path.barriers
    assert (f1, b1) == (pytest.approx(v_s1 - v_ma, abs=1e-6), pytest.approx(v_s1 - v_mc, abs=1e-6))
    assert (f2, b2) == (pytest.approx(v_s2 - v_mc, abs=1e-6), pytest.approx(v_s2 - v_mb, abs=1e-6))


def test_band_images_arc_length_and_counts(mb_path):
    assert mb_path.points.shape == (11, 2) and mb_path.energies.shape == (11,)
    steps = np.linalg.norm(np.diff(mb_path.points, axis=0), axis=1)
    np.testing.assert_allclose(mb_path.arc_length, np.concatenate([[0.0], np.cumsum(steps)]))
    np.testing.assert_allclose(mb_path.energies, named("muller-brown")(mb_path.points), rtol=1e-12)
    # The climbing image is the highest one, next to S1.
    assert mb_path.climbing_image == int(np.argmax(mb_path.energies))
    # One value-and-gradient per interior image per FIRE step (plus the start), the endpoints, the refinements.
    assert mb_path.evaluations["value_and_grad"] >= 9 * (mb_path.band_steps + 1) + 2
    assert mb_path.evaluations["hessian"] >= 5


def test_double_well_barrier_is_exactly_25():
    mep = path(Potential("x**4 - 10*x**2 + 5"), [-math.sqrt(5)], [math.sqrt(5)])
    (top,) = mep.saddles
    assert top.x[0] == pytest.approx(0.0, abs=1e-12) and top.refined.index == 1
    assert mep.forward_barrier == pytest.approx(25.0, abs=1e-12)
    assert mep.backward_barrier == pytest.approx(25.0, abs=1e-12)


def test_without_climbing_the_refinement_still_finds_the_saddles(muller_brown):
    ma, _ = by_note("muller-brown", "MA")
    mb, _ = by_note("muller-brown", "MB")
    s1, _ = by_note("muller-brown", "between MA and MC")
    mep = path(muller_brown, ma, mb, climb=False, images=15)
    assert mep.climbing_image is None
    assert len(mep.saddles) == 2 and np.abs(mep.saddles[0].x - s1).max() < 1e-6


def test_no_relax_keeps_the_endpoints(muller_brown):
    ma, _ = by_note("muller-brown", "MA")
    mb, _ = by_note("muller-brown", "MB")
    start = ma + 0.05
    mep = path(muller_brown, start, mb, relax=False)
    assert mep.start is None and np.array_equal(mep.points[0], start)
    assert mep.forward_barrier == pytest.approx(mep.saddles[0].value - muller_brown(start), abs=1e-9)


def test_improved_tangent_rule():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 2.0]])
    # Rising energies: the tangent points to the next image.
    np.testing.assert_allclose(improved_tangents(points, np.array([0.0, 1.0, 2.0])), [[0.0, 1.0]])
    # Falling: to the previous one.
    np.testing.assert_allclose(improved_tangents(points, np.array([2.0, 1.0, 0.0])), [[1.0, 0.0]])
    # A maximum, the previous neighbour the higher: t+ dVmin + t- dVmax (Henkelman & Jónsson, eq. 10).
    blend = np.array([0.0, 2.0]) * 1.0 + np.array([1.0, 0.0]) * 2.0
    np.testing.assert_allclose(improved_tangents(points, np.array([2.0, 3.0, 1.0])), [blend / np.linalg.norm(blend)])


def test_band_forces_climbing_and_spring():
    points = np.array([[0.0], [1.0], [3.0]])
    energies = np.array([0.0, 1.0, 2.0])
    gradient = np.array([[2.0]])
    # Nudged: the true force along the tangent is removed, the spring k (|t+| - |t-|) = 0.5 (2 - 1) added.
    np.testing.assert_allclose(band_forces(points, energies, gradient, 0.5, None), [[0.5]])
    # Climbing: -grad V with its tangential part reversed, no spring.
    np.testing.assert_allclose(band_forces(points, energies, gradient, 0.5, 1), [[2.0]])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"images": 2}, InputError, "images must be an integer of at least 3"),
        ({"spring": 0.0}, InputError, "spring constant must be positive"),
        ({"fmax": -1.0}, InputError, "fmax must be positive"),
    ],
)
def test_bad_options(muller_brown, kwargs, error, message):
    with pytest.raises(error, match=message):
        path(muller_brown, [-0.5, 1.4], [0.6, 0.0], **kwargs)


def test_wrong_sizes_and_one_basin(muller_brown):
    with pytest.raises(InputError, match="need 2 coordinates each"):
        path(muller_brown, [0.0], [1.0, 2.0])
    ma, _ = by_note("muller-brown", "MA")
    with pytest.raises(ComputationError, match="the same point after relaxing"):
        path(muller_brown, ma + 0.02, ma - 0.02)


@pytest.mark.parametrize("at", [0, 7])
def test_progress_counts_fire_steps_and_ctrl_c_keeps_the_band_so_far(muller_brown, at):
    """Ctrl-C in the band's step ``at``: the band of a run given exactly ``at`` steps, no refinement."""
    ma, _ = by_note("muller-brown", "MA")
    mb, _ = by_note("muller-brown", "MB")
    calls = []

    def ctrl_c(step, top, force):
        calls.append((step, top, force))
        if step >= at:
            raise KeyboardInterrupt

    stopped = path(muller_brown, ma, mb, progress=ctrl_c)
    assert stopped.interrupted and stopped.status == "interrupted" and not stopped.converged
    assert (stopped.band_status, stopped.band_steps) == ("interrupted", at)
    assert [c[0] for c in calls] == list(range(at + 1))
    budget = path(muller_brown, ma, mb, steps=at, refine=False)
    np.testing.assert_array_equal(stopped.points, budget.points)
    np.testing.assert_array_equal(stopped.energies, budget.energies)
    assert stopped.band_fmax == budget.band_fmax and calls[-1][2] == budget.band_fmax
    assert calls[-1][1] == budget.energies.max() and stopped.saddles == []


def test_a_full_path_reports_every_fire_step(mb_path, muller_brown):
    ma, _ = by_note("muller-brown", "MA")
    mb, _ = by_note("muller-brown", "MB")
    steps = []
    mep = path(muller_brown, ma, mb, progress=lambda step, top, force: steps.append(step))
    assert mep.status == "converged" and steps == list(range(mep.band_steps + 1))


def test_ctrl_c_while_refining_keeps_the_band_and_makes_no_later_refinement(muller_brown):
    ma, _ = by_note("muller-brown", "MA")
    mb, _ = by_note("muller-brown", "MB")
    full = path(muller_brown, ma, mb)
    # Along the path: saddle 1, then the minimum MC, then saddle 2. Ctrl-C in MC's first Hessian.
    press_at = full.saddles[0].refined.evaluations["hessian"] + 1

    class CtrlCInTheSecondRefinement:
        n = muller_brown.n

        def __init__(self):
            self.band_started, self.hessians = False, 0

        def __call__(self, x):
            return muller_brown(x)

        def value_and_grad(self, x):
            return muller_brown.value_and_grad(x)

        def hessian(self, x):
            self.hessians += self.band_started  # only the refinements' Hessians, after the band
            if self.hessians == press_at:
                raise KeyboardInterrupt
            return muller_brown.hessian(x)

    V = CtrlCInTheSecondRefinement()
    stopped = path(V, ma, mb, progress=lambda step, top, force: setattr(V, "band_started", True))
    assert stopped.interrupted and stopped.status == "interrupted" and not stopped.converged
    assert stopped.band_status == "converged" and stopped.band_steps == full.band_steps
    np.testing.assert_array_equal(stopped.points, full.points)
    (s1,) = stopped.saddles  # saddle 2 was not refined
    np.testing.assert_array_equal(s1.x, full.saddles[0].x)
    (mc,) = stopped.minima
    assert mc.refined.status == "interrupted" and mc.image == full.minima[0].image
    np.testing.assert_array_equal(mc.x, full.points[mc.image])  # stopped at its start: the band's image
