"""gradcli.optimize: the descent loop and trajectory thinning."""

import math

import pytest

from gradcli.errors import InputError
from gradcli.optimize import gradient_descent


class DoubleWell:
    """x**4 - 10*x**2 + 5 by hand, so these tests need only the optimiser."""

    n = 1
    variables = ("x",)

    @staticmethod
    def scalar_value_and_grad(x):
        return x**4 - 10 * x**2 + 5, 4 * x**3 - 20 * x


class Bowl:
    """x**2 + 2*y**2 by hand."""

    n = 2
    variables = ("x", "y")

    @staticmethod
    def scalar_value_and_grad(x, y):
        return x * x + 2 * y * y, 2 * x, 4 * y


def test_tutorial_loop_with_tol_0_runs_exactly_the_steps():
    result = gradient_descent(DoubleWell, 3.0, lr=0.01, steps=200, tol=0)
    assert result.status == "completed" and result.succeeded and not result.converged
    assert result.steps == 200
    assert round(result.x[0], 4) == 2.2361
    assert round(result.value, 4) == -20.0
    assert result.x0 == (3.0,)
    assert [p.step for p in result.trajectory] == list(range(201))


def test_default_tol_stops_when_the_gradient_is_small():
    result = gradient_descent(DoubleWell, 3.0)
    assert result.status == "converged"
    assert result.steps < 200
    assert result.grad_norm <= 1e-8
    assert result.x[0] == pytest.approx(math.sqrt(5), abs=1e-9)


def test_max_steps_when_not_converged():
    result = gradient_descent(DoubleWell, 3.0, steps=5)
    assert result.status == "max_steps" and not result.converged and not result.succeeded
    assert result.steps == 5 and result.grad_norm > 1e-8


def test_diverged_reports_the_step():
    result = gradient_descent(DoubleWell, 3.0, lr=1.0)
    assert result.status == "diverged"
    assert result.diverged_at == result.steps == 3
    assert result.trajectory[-1].step == 3


def test_two_variables():
    result = gradient_descent(Bowl, (1.0, -1.0), lr=0.1, steps=1000)
    assert result.status == "converged"
    assert result.x == pytest.approx((0.0, 0.0), abs=1e-8)
    assert len(result.gradient) == 2


def test_two_variables_diverge_beyond_the_bound():
    result = gradient_descent(Bowl, (1.0, 1.0), lr=1.0, steps=1000, bound=1e6)
    assert result.status == "diverged"
    assert max(abs(c) for c in result.x) > 1e6


@pytest.mark.parametrize("x0", [(1.0, 2.0), "3"])
def test_wrong_start_is_an_input_error(x0):
    with pytest.raises(InputError):
        gradient_descent(DoubleWell, x0) if x0 != "3" else gradient_descent(Bowl, 3.0)


@pytest.mark.parametrize("settings", [{"lr": 0}, {"lr": -1}, {"steps": -1}, {"tol": -1}, {"max_record": 1}])
def test_bad_settings(settings):
    with pytest.raises(InputError):
        gradient_descent(DoubleWell, 3.0, **settings)


def test_zero_steps_evaluates_the_start():
    result = gradient_descent(DoubleWell, 3.0, steps=0, tol=0)
    assert result.steps == 0 and result.x == (3.0,) and result.value == -4.0
    assert len(result.trajectory) == 1


class Cliff:
    """Raises like a compiled potential does: overflow beyond x=3, log domain below 0."""

    n = 1
    variables = ("x",)

    @staticmethod
    def scalar_value_and_grad(x):
        from gradcli.errors import DomainError

        if x > 3:
            raise DomainError(f"overflow in exp at x={x}")
        if x < 0:
            raise DomainError(f"log of a negative number ({x}) at x={x}")
        return -x, -1.0


def test_overflow_after_the_start_is_divergence():
    result = gradient_descent(Cliff, 0.0, lr=1.0)
    assert result.status == "diverged" and result.diverged_at == 4 and result.x == (4.0,)


def test_overflow_at_the_start_and_other_domain_errors_propagate():
    from gradcli.errors import DomainError

    with pytest.raises(DomainError, match="overflow"):
        gradient_descent(Cliff, 5.0)
    with pytest.raises(DomainError, match="log"):
        gradient_descent(Cliff, -1.0)


class Bowl3:
    """x**2 + 2*y**2 + 3*z**2 by hand (the general n-variable loop)."""

    n = 3
    variables = ("x", "y", "z")

    @staticmethod
    def scalar_value_and_grad(x, y, z):
        return x * x + 2 * y * y + 3 * z * z, 2 * x, 4 * y, 6 * z


@pytest.mark.parametrize("V, x0", [(DoubleWell, 3.0), (Bowl, (1.0, -1.0)), (Bowl3, (1.0, 1.0, 1.0))])
def test_every_loop_has_the_same_semantics(V, x0):
    lr = 0.01 if V is DoubleWell else 0.1
    fixed = gradient_descent(V, x0, lr=lr, steps=50, tol=0)
    assert fixed.status == "completed" and fixed.steps == 50 and len(fixed.trajectory) == 51
    assert [p.step for p in fixed.trajectory] == list(range(51))
    budget = gradient_descent(V, x0, lr=lr, steps=3)
    assert budget.status == "max_steps" and budget.steps == 3
    assert budget.x == fixed.trajectory[3].x and budget.value == fixed.trajectory[3].value
    done = gradient_descent(V, x0, lr=lr, steps=10_000)
    assert done.status == "converged" and done.grad_norm <= 1e-8
    assert done.grad_norm == pytest.approx(math.sqrt(sum(g * g for g in done.gradient)))
    wild = gradient_descent(V, x0, lr=1.0, steps=10_000)
    assert wild.status == "diverged" and wild.diverged_at == wild.steps == wild.trajectory[-1].step


def test_three_variables_thinned():
    result = gradient_descent(Bowl3, (1.0, 1.0, 1.0), lr=0.01, steps=5000, tol=0, max_record=64)
    steps = [p.step for p in result.trajectory]
    assert steps[0] == 0 and steps[-1] == 5000 and len(steps) <= 64
    assert result.x == result.trajectory[-1].x
