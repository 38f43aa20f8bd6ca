"""Derivatives of any order by Taylor-mode arithmetic (``taylor.py``): one row
per opcode, up to order 20, against the SymPy expression differentiated by
mpmath at 60 digits (``mpmath.diffs``: independent of gradcli's rules; on
2026-12-02 it gave the same doubles as SymPy's repeated ``diff`` evaluated to
40 digits on every row, at a hundredth of the cost); against the engine's
create_graph path; and the refusals."""

import math

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from test_against_sympy import EXPRESSIONS, POINT  # noqa: F401  (strategies shared with that test)

from gradcli.errors import DomainError, InputError
from gradcli.frontend import Potential
from gradcli.frontend.functions import cbrt

x, y = sympy.symbols("x y", real=True)
R = sympy.Rational
g = x / 2 - R(1, 5)  # a non-trivial inner function, so the chain rule is exercised
X0 = R(7, 10)

# (opcode, expression, highest order checked).
TABLE = [
    ("add sub mul div", (x**3 - 2 * x) / (x**2 + 1), 20),
    ("neg powi", -(g**3) + x**5, 20),
    ("exp", sympy.exp(g), 20),
    ("log", sympy.log(g + 2), 20),
    ("sqrt", sympy.sqrt(g + 2), 20),
    ("sin", sympy.sin(g), 20),
    ("cos", sympy.cos(g), 20),
    ("tan", sympy.tan(g), 20),
    ("sinh", sympy.sinh(g), 20),
    ("cosh", sympy.cosh(g), 20),
    ("tanh", sympy.tanh(g), 20),
    ("sigmoid", 1 / (1 + sympy.exp(-g)), 20),
    ("pow", (g + 2) ** R(5, 2), 20),
    ("abs", sympy.Abs(g) * x, 20),
    ("sign", sympy.sign(g) * x**2, 20),
    ("acosh", sympy.acosh(g + 2), 20),
    ("asin", sympy.asin(g / 2), 8),
    ("acos", sympy.acos(g / 2), 8),
    ("atan", sympy.atan(g), 8),
    ("asinh", sympy.asinh(g), 8),
    ("atanh", sympy.atanh(g / 2), 8),
    ("atan2", sympy.atan2(g, x + 2), 8),
    ("erf", sympy.erf(g), 12),
    ("erfc", sympy.erfc(g), 12),
    ("cbrt", cbrt(g - 1), 12),
    ("cbrt of a positive argument", cbrt(g + 2), 12),
    ("log10", sympy.log(g + 2, 10), 12),
    ("log2", sympy.log(g + 2, 2), 12),
    ("sec", sympy.sec(g), 8),
    ("csc", sympy.csc(g + 1), 8),
    ("cot", sympy.cot(g + 1), 8),
    ("pow, varying exponent", (g + 2) ** (x / 3), 6),
    ("composite", sympy.exp(sympy.sin(x)) * sympy.log(1 + x**2), 10),
]


def _real_cbrt(v):
    return mpmath.sign(v) * mpmath.cbrt(abs(v))  # gradcli's cbrt is the real root


def reference_derivatives(expr, order):
    """[d^k expr/dx^k at X0 for k = 0..order], differentiated numerically at 60 digits."""
    f = sympy.lambdify(x, expr, modules=[{"cbrt": _real_cbrt}, "mpmath"])
    with mpmath.workdps(60):
        return [float(d) for d in mpmath.diffs(f, mpmath.mpf(X0.p) / X0.q, order)]


def tolerance(k):
    return 1e-9 if k <= 4 else 1e-7


@pytest.mark.parametrize("name, expr, order", TABLE, ids=[row[0] for row in TABLE])
def test_every_opcode_matches_sympy(name, expr, order):
    expected = reference_derivatives(expr, order)
    actual = Potential(expr, variables=["x"]).derivatives(float(X0), order)
    scale = max(abs(e) for e in expected)
    for k, (a, e) in enumerate(zip(actual, expected)):
        assert a == pytest.approx(e, rel=tolerance(k), abs=1e-13 * scale), (name, k)


@pytest.mark.parametrize("name, expr, order", TABLE, ids=[row[0] for row in TABLE])
def test_agrees_with_the_engine_path_to_order_4(name, expr, order):
    V = Potential(expr, variables=["x"])
    taylor, engine = V.derivatives(float(X0), 4), V.derivatives(float(X0), 4, method="engine")
    assert taylor == pytest.approx(engine, rel=1e-10, abs=1e-12)


def test_tutorial_cube():
    # Tutorial: x**3 at 2 -> 8, 12, 12, 6, and nothing beyond the degree.
    assert Potential("x**3").derivatives(2.0, 5) == [8.0, 12.0, 12.0, 6.0, 0.0, 0.0]


def test_order_20_of_the_slow_case():
    # exp(sin(x))*log(1+x**2): the engine needs seconds at order 10; Taylor mode any order.
    d = Potential("exp(sin(x))*log(1+x**2)").derivatives(0.7, 20)
    assert len(d) == 21 and all(map(math.isfinite, d))
    assert d[20] == pytest.approx(140652037494002.08, rel=1e-11)  # SymPy diff, 40 digits


def test_exp_and_sin_have_their_known_series():
    assert Potential("exp(x)").derivatives(0.0, 20) == pytest.approx([1.0] * 21, rel=1e-13)
    assert Potential("sin(x)").derivatives(0.0, 8) == pytest.approx([0, 1, 0, -1, 0, 1, 0, -1, 0], abs=1e-15)


def test_partial_derivatives_of_a_two_variable_potential():
    V = Potential("exp(x*y) + x**2*sin(y)")
    for variable, symbol in (("x", x), ("y", y)):
        expr = sympy.exp(x * y) + x**2 * sympy.sin(y)
        expected = [float(sympy.diff(expr, symbol, k).subs({x: R(1, 2), y: R(3, 2)})) for k in range(9)]
        assert V.derivatives([0.5, 1.5], 8, variable=variable) == pytest.approx(expected, rel=1e-11)


def test_abs_of_a_square_is_smooth_at_zero():
    assert Potential("abs(x**2)").derivatives(0.0, 3) == [0.0, 0.0, 2.0, 0.0]


@pytest.mark.parametrize(
    "text, point, message",
    [
        ("abs(x)", 0.0, "abs at its kink (argument 0): the derivatives are not defined at x=0"),
        ("sqrt(x)", 0.0, "square root of zero: the derivatives are infinite at x=0"),
        ("asin(x)", 1.0, "asin at 1: the derivatives are infinite at x=1"),
        ("x**2.5", 0.0, "non-integer power (2.5) of zero: the derivatives are not finite at x=0"),
        ("atan2(x, x)", 0.0, "atan2 at (0, 0): the derivatives are not defined at x=0"),
        ("cbrt(x)", 0.0, "cbrt at 0: the derivatives are infinite at x=0"),
        ("log(x)", -2.0, "log of a negative number (-2) at x=-2"),  # from the checked value path
        ("1/x", 0.01, "overflows float64 at x=0.01"),
    ],
)
def test_domain_errors_name_the_operation_and_point(text, point, message):
    with pytest.raises(DomainError) as error:
        Potential(text).derivatives(point, 100)
    assert message in str(error.value)


def test_order_is_capped_and_method_checked():
    with pytest.raises(InputError, match="at most 100, got 101"):
        Potential("x").derivatives(1.0, 101)
    with pytest.raises(InputError, match="unknown method"):
        Potential("x").derivatives(1.0, 2, method="symbolic")
    assert len(Potential("x").derivatives(1.0, 100)) == 101


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS, POINT, POINT)
def test_random_expressions_order_6_match_the_engine(expr, a, b):
    V = Potential(expr, variables=["x", "y"])
    for variable in ("x", "y"):
        taylor = V.derivatives([a, b], 6, variable=variable)
        engine = V.derivatives([a, b], 6, variable=variable, method="engine")
        scale = max(1.0, max(abs(e) for e in engine))
        assert taylor == pytest.approx(engine, rel=1e-8, abs=1e-10 * scale)
