"""Saddle search (gradcli/optimize/saddle.py) against the listed stationary
points of Müller-Brown (Müller & Brown 1979, potentials/muller-brown.toml) and
Himmelblau (potentials/himmelblau.toml)."""

import numpy as np
import pytest
from ts_helpers import by_note, listed, named

from gradcli import Potential
from gradcli.errors import DomainError, InputError
from gradcli.optimize.saddle import count_negative, saddle


def test_fifty_random_starts_in_the_muller_brown_box_end_at_s1_or_s2_or_say_so(muller_brown):
    saddles = listed("muller-brown", "saddle")
    minima = [p for p, _, _ in listed("muller-brown", "minimum")]
    assert len(saddles) == 2
    rng = np.random.default_rng(20261201)
    converged = 0
    for _ in range(50):
        x0 = [rng.uniform(-1.5, 1.2), rng.uniform(-0.5, 2.0)]
        found = saddle(muller_brown, x0)
        if found.status == "converged":
            converged += 1
            distance, value = min((np.abs(found.x - p).max(), v) for p, v, _ in saddles)
            assert distance < 1e-6, (x0, found.x)
            assert found.value == pytest.approx(value, abs=1e-6)
            assert found.index == 1 and found.kind == "saddle"
            assert int(np.sum(found.eigenvalues < 0)) == 1
            assert found.transition_vector is not None
            assert abs(found.transition_vector @ found.eigenvectors[:, 0]) == pytest.approx(1.0)
        else:
            # An honest failure: never at a minimum while calling it a saddle.
            assert found.status in ("ran-away", "max_steps", "diverged", "wrong-index"), found.status
            assert "not" in found.message
        assert all(np.abs(found.x - m).max() > 1e-3 for m in minima) or found.status != "converged"
    assert converged >= 45  # the climbs from the basins' minima make nearly every start succeed


@pytest.mark.parametrize("number", range(4))
def test_himmelblau_four_saddles(number):
    V = named("himmelblau")
    point, value, _ = listed("himmelblau", "saddle")[number]
    found = saddle(V, point + np.array([0.25, -0.2]))
    assert found.status == "converged"
    np.testing.assert_allclose(found.x, point, rtol=0, atol=1e-8)
    assert found.value == pytest.approx(value, abs=1e-8)
    assert found.index == 1


def test_himmelblau_index_two_is_its_maximum():
    ((point, value, _),) = listed("himmelblau", "maximum")
    found = saddle(named("himmelblau"), point + 0.3, index=2)
    assert (found.status, found.index, found.kind) == ("converged", 2, "maximum")
    np.testing.assert_allclose(found.x, point, atol=1e-8)
    assert found.value == pytest.approx(value, abs=1e-8)


def test_following_a_mode_from_a_minimum(muller_brown):
    # From MC, climbing its soft mode one way or the other reaches S2 or S1; from
    # MA only its stiff mode (follow=1) leads to S1.
    mc, _ = by_note("muller-brown", "MC")
    ma, _ = by_note("muller-brown", "MA")
    s1, v1 = by_note("muller-brown", "between MA and MC")
    s2, v2 = by_note("muller-brown", "between MC and MB")
    from_mc = saddle(muller_brown, mc, follow=0)
    assert from_mc.status == "converged"
    assert min(np.abs(from_mc.x - s1).max(), np.abs(from_mc.x - s2).max()) < 1e-8
    from_ma = saddle(muller_brown, ma, follow=1)
    assert from_ma.status == "converged" and np.abs(from_ma.x - s1).max() < 1e-8
    assert from_ma.value == pytest.approx(v1, abs=1e-8)


def test_a_minimum_is_never_called_a_saddle(muller_brown):
    ma, _ = by_note("muller-brown", "MA")
    stuck = saddle(muller_brown, ma, steps=0)
    assert (stuck.status, stuck.kind, stuck.index) == ("wrong-index", "minimum", 0)
    assert stuck.message == "stopped at a minimum (index 0), not a saddle of index 1"
    assert stuck.transition_vector is None


def test_a_bowl_has_no_saddle_and_says_so():
    found = saddle(Potential("x**2 + 3*y**2"), [0.5, 0.5], steps=200)
    assert found.status in ("ran-away", "max_steps", "diverged")
    assert found.status != "converged" and "not" in found.message


def test_index_zero_is_a_minimum_search(muller_brown):
    mb, value = by_note("muller-brown", "MB")
    found = saddle(muller_brown, mb + 0.05, index=0)
    assert (found.status, found.index, found.kind) == ("converged", 0, "minimum")
    assert found.value == pytest.approx(value, abs=1e-10)


def test_zero_modes_are_left_out():
    # A saddle with a flat direction (V does not depend on z).
    found = saddle(Potential("x**2 - y**2", variables=["x", "y", "z"]), [0.3, 0.2, 5.0], zero_modes=1)
    assert (found.status, found.index) == ("converged", 1)
    assert found.x[2] == 5.0


def test_count_negative():
    assert count_negative([-1.0, 2.0]) == (1, "saddle")
    assert count_negative([-1.0, -2.0]) == (2, "maximum")
    assert count_negative([0.0, 2.0]) == (0, "degenerate")


def test_evaluations_are_counted(muller_brown):
    s1, _ = by_note("muller-brown", "between MA and MC")
    found = saddle(muller_brown, s1 + 0.01)
    assert found.evaluations["hessian"] == found.evaluations["value_and_grad"] == found.steps + 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"index": 3}, "the index must be an integer from 0 to 2"),
        ({"follow": 2}, "the mode to follow must be from 0 to 1"),
        ({"follow": 0, "index": 0}, "the index must be at least 1"),
        ({"zero_modes": 2}, "zero_modes must be from 0 to 1"),
        ({"trust_radius": 0.0}, "trust_radius must be positive"),
        ({"steps": -1}, "steps must be >= 0"),
    ],
)
def test_bad_options(muller_brown, kwargs, message):
    with pytest.raises(InputError, match=message):
        saddle(muller_brown, [0.0, 0.0], **kwargs)


def test_a_step_out_of_the_domain_is_taken_back():
    # A potential whose second evaluation fails as a step out of V's domain
    # would (log of a negative number): the search stays, shrinks its radius
    # and still converges to the saddle of x^2 - y^2.
    inner = Potential("x**2 - y**2")

    class OutOfDomainOnce:
        n, variables, calls = 2, ("x", "y"), 0

        def value_and_grad(self, x):
            self.calls += 1
            if self.calls == 2:
                raise DomainError("log of a negative number at x=-1")
            return inner.value_and_grad(x)

        def hessian(self, x):
            return inner.hessian(x)

    found = saddle(OutOfDomainOnce(), [0.3, 0.2])
    assert found.status == "converged"
    np.testing.assert_allclose(found.x, [0.0, 0.0], atol=1e-9)


def test_progress_counts_the_steps_of_every_climb_and_ctrl_c_returns_the_point_reached(muller_brown):
    """From MA the first climb runs away and later climbs continue the count (issue 14, item 9)."""
    ma, _ = by_note("muller-brown", "MA")
    calls = []
    found = saddle(muller_brown, ma, progress=lambda step, value, grad_norm: calls.append((step, value, grad_norm)))
    steps = [c[0] for c in calls]
    assert found.converged and steps[0] == 0 and steps[-1] == found.steps
    assert all(a <= b for a, b in zip(steps, steps[1:]))
    assert calls[0][1] == pytest.approx(float(muller_brown(ma)), rel=1e-12)
    s1, _ = by_note("muller-brown", "between MA and MC")

    def ctrl_c_at_step_3(step, value, grad_norm):
        if step >= 3:
            raise KeyboardInterrupt

    stopped = saddle(muller_brown, s1 + 0.02, progress=ctrl_c_at_step_3)
    assert stopped.status == "interrupted" and not stopped.converged and stopped.steps == 3
    budget = saddle(muller_brown, s1 + 0.02, steps=3)  # the same point as a run given exactly 3 steps
    np.testing.assert_array_equal(stopped.x, budget.x)
    assert stopped.value == budget.value and stopped.index == budget.index
    assert stopped.message == f"interrupted after 3 steps (the point reached has index {budget.index})"
