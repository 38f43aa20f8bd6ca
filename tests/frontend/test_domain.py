"""Domain problems surface as DomainError naming the operation and the point,
from the scalar path, the array path and the descent's fast path alike;
never as numpy warnings or silent NaN."""

import warnings

import numpy as np
import pytest
import sympy

from gradcli.errors import ComputationError, DomainError
from gradcli.frontend import Potential, VectorFunction

x, y = (sympy.Symbol(n, real=True) for n in "xy")

CASES = [
    (sympy.log(x), [-2.0], "log of a negative number (-2) at x=-2"),
    (sympy.log(x), [0.0], "log of zero at x=0"),
    (x / y, [1.0, 0.0], "division by zero at x=1, y=0"),
    (1 / x + y, [0.0, 1.0], "division by zero at x=0, y=1"),
    (sympy.exp(x), [1000.0], "overflow in exp at x=1000"),
    (sympy.sqrt(x), [-1.0], "square root of a negative number (-1) at x=-1"),
    (sympy.asin(x), [2.0], "asin of a value outside [-1, 1] (2) at x=2"),
    (sympy.acos(x), [-3.0], "acos of a value outside [-1, 1] (-3) at x=-3"),
    (sympy.acosh(x), [0.5], "acosh of a value below 1 (0.5) at x=0.5"),
    (sympy.atanh(x), [1.0], "atanh of a value outside (-1, 1) (1) at x=1"),
    (x ** sympy.Rational(1, 3), [-8.0], "non-integer power (0.333333333333) of a negative number (-8) at x=-8"),
    (x**y, [0.0, -1.0], "zero raised to a negative power (-1) at x=0, y=-1"),
    (x**8, [1e50], "overflow in multiplication at x=1e+50"),
    (sympy.cosh(x), [800.0], "overflow in cosh at x=800"),
    (x * y, [1e200, 1e200], "overflow in multiplication at x=1e+200, y=1e+200"),
]


@pytest.mark.parametrize("expr, point, message", CASES)
def test_value_domain_errors_single_point(expr, point, message):
    V = Potential(expr)
    with pytest.raises(DomainError) as info:
        V(point)
    assert str(info.value) == message
    assert isinstance(info.value, ComputationError)  # the kind the command line exits 1 for


@pytest.mark.parametrize("expr, point, message", CASES)
def test_value_domain_errors_in_a_batch_name_the_bad_point(expr, point, message):
    V = Potential(expr)
    good = [0.5] * V.n
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may escape
        with pytest.raises(DomainError) as info:
            V(np.array([good, point]))
    assert str(info.value) == message


@pytest.mark.parametrize("expr, point, message", CASES)
def test_fast_path_raises_the_same_domain_error(expr, point, message):
    with pytest.raises(DomainError) as info:
        Potential(expr).scalar_value_and_grad(*point)
    assert str(info.value) == message


def test_derivative_only_problem_says_so():
    # sqrt is defined at 0, its derivative is not.
    V = Potential(sympy.sqrt(x))
    assert V(0.0) == 0.0
    with pytest.raises(DomainError, match="division by zero in the derivative at x=0"):
        V.grad(0.0)
    with pytest.raises(DomainError, match="in the derivative at x=0"):
        V.grad(np.array([[1.0], [0.0]]))


def test_hessian_and_jacobian_domain_errors():
    with pytest.raises(DomainError, match="log of a negative number"):
        Potential(sympy.log(x) * y).hessian([-1.0, 2.0])
    F = VectorFunction([sympy.log(x), x / y])
    for call in (
        lambda: F([1.0, 0.0]),
        lambda: F.jacobian([1.0, 0.0]),
        lambda: F.vjp([1.0, 0.0], [1, 1]),
        lambda: F.jvp([1.0, 0.0], [1, 1]),
    ):
        with pytest.raises(DomainError, match="division by zero at x=1, y=0"):
            call()


def test_underflow_is_not_an_error():
    V = Potential(sympy.exp(-x))
    assert V(1000.0) == 0.0
    assert V(np.array([[1000.0]])).tolist() == [0.0]


def test_inf_minus_inf_is_caught_not_returned():
    V = Potential(x**2 * 10.0**300 - y**2 * 10.0**300)
    with pytest.raises(DomainError, match="overflow in multiplication"):
        V([1e10, 1e10])


@pytest.mark.parametrize(
    "expr, point, reason, operation",
    [
        (sympy.exp(x), [1000.0], "overflow", "exp"),
        (x / y, [1.0, 0.0], "division-by-zero", "div"),
        (sympy.log(x), [-2.0], "domain", "log"),
    ],
)
def test_domain_error_details_for_programs(expr, point, reason, operation):
    with pytest.raises(DomainError) as info:
        Potential(expr).scalar_value_and_grad(*point)
    assert (info.value.reason, info.value.operation, info.value.point) == (reason, operation, tuple(point))


def test_the_first_bad_point_of_a_large_batch_is_named():
    V = Potential(sympy.log(x) + y)
    pts = np.ones((100_000, 2))
    pts[70_001, 0] = -3.0
    pts[90_000, 0] = -5.0
    with pytest.raises(DomainError, match=r"log of a negative number \(-3\) at x=-3, y=1"):
        V.grad(pts)
