"""Many walkers descending together: each ends where it would alone."""

import numpy as np
import pytest

from gradcli.errors import InputError
from gradcli.frontend import Potential
from gradcli.landscape.walkers import descend_walkers

DOUBLE_WELL = Potential("x**4-10*x**2+5")


@pytest.mark.parametrize("method, options", [("gd", {"lr": 0.01}), ("fire", {}), ("lbfgs", {})])
def test_every_method_reaches_the_double_well_minima(method, options):
    out = descend_walkers(DOUBLE_WELL, [[3.0], [-0.5], [1.0], [-3.0]], method=method, tol=1e-8, **options)
    assert out.status.tolist() == ["converged"] * 4
    np.testing.assert_allclose(out.x.ravel(), [5**0.5, -(5**0.5), 5**0.5, -(5**0.5)], atol=1e-9)
    assert np.all(out.grad_norm <= 1e-8)


@pytest.mark.parametrize("method", ["gd", "fire", "lbfgs"])
def test_a_walker_in_a_batch_moves_exactly_as_it_would_alone(muller_brown, method):
    V, _ = muller_brown
    starts = np.array([[-1.0, 1.8], [0.9, -0.3], [0.2, 0.9], [-0.2, 0.2]])
    options = {"lr": 2e-4} if method == "gd" else {"max_step": 0.05}
    together = descend_walkers(V, starts, method=method, **options)
    for i, start in enumerate(starts):
        alone = descend_walkers(V, start[None, :], method=method, **options)
        np.testing.assert_allclose(together.x[i], alone.x[0], rtol=0, atol=1e-12)
        assert together.steps[i] == alone.steps[0]


def test_walkers_that_diverge_or_run_out_of_steps_are_counted():
    V = Potential("-x**4 + x**2")  # no minimum beyond |x| > 1/sqrt(2): those walkers run away
    out = descend_walkers(V, [[0.1], [2.0]], method="gd", lr=0.1, steps=200, bound=1e6)
    assert out.status.tolist() == ["converged", "diverged"]
    slow = descend_walkers(DOUBLE_WELL, [[3.0]], method="gd", lr=1e-5, steps=3)
    assert slow.status.tolist() == ["max_steps"] and slow.steps.tolist() == [3]


def test_domain_errors_in_one_walker_do_not_stop_the_others():
    out = descend_walkers(Potential("x - log(x)"), [[0.5], [-1.0]], method="lbfgs")
    assert out.status.tolist() == ["converged", "diverged"]
    assert out.x[0, 0] == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "newton"}, "method 'newton' does not run on many walkers at once; use one of gd, fire, lbfgs"),
        ({"lr": -1.0}, "lr must be a positive finite number, got -1.0"),
        ({"tol": float("nan")}, "tol must be a positive finite number, got nan"),
    ],
)
def test_bad_settings_are_input_errors(kwargs, message):
    with pytest.raises(InputError) as caught:
        descend_walkers(DOUBLE_WELL, [[3.0]], **kwargs)
    assert caught.value.message == message
