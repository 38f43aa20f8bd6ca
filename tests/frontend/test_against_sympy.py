"""Random expressions over the whitelisted grammar: values, gradients and
Hessians from the compiled programs agree with SymPy's own ``diff``
evaluated numerically (30 digits), for single points and batches.

Expressions are built so that every point in [-2, 2]^2 is inside the domain
and the numbers stay moderate: log/sqrt/powers act on ``e**2 + 1``,
asin/acos/atanh on ``tanh(e)/2``, exp on a bounded argument, division by
``e**2 + 1``, cbrt on ``tanh(e) - 2`` (negative: the real root), csc and cot
away from the zeros of sin and tan.
"""

import numpy as np
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcli.frontend import Potential, VectorFunction
from gradcli.frontend.functions import cbrt

X, Y = sympy.symbols("x y", real=True)
VARS = (X, Y)
POINT = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


def positive(e):  # >= 1 everywhere
    return e**2 + 1


def bounded(e):  # in (-1, 1)
    return sympy.tanh(e)


UNARY = [
    sympy.sin,
    sympy.cos,
    sympy.atan,
    sympy.tanh,
    sympy.asinh,
    lambda e: sympy.exp(bounded(e)),
    lambda e: sympy.log(positive(e)),
    lambda e: sympy.sqrt(positive(e)),
    lambda e: sympy.asin(bounded(e) / 2),
    lambda e: sympy.acos(bounded(e) / 2),
    lambda e: sympy.atanh(bounded(e) / 2),
    lambda e: sympy.acosh(positive(e) + 1),
    lambda e: sympy.cosh(bounded(e)),
    lambda e: sympy.sinh(bounded(e)),
    lambda e: 1 / (1 + sympy.exp(-bounded(e))),  # the parser's sigmoid
    sympy.erf,
    sympy.erfc,
    lambda e: cbrt(bounded(e) - 2),  # a negative argument: the real cube root
    lambda e: sympy.log(positive(e), 10),  # log10, as the parser builds it
    lambda e: sympy.log(positive(e), 2),  # log2
    lambda e: sympy.sec(bounded(e)),
    lambda e: sympy.csc(bounded(e) + 2),
    lambda e: sympy.cot(bounded(e) / 2 + 1),
    lambda e: positive(e) ** sympy.Rational(1, 3),
    lambda e: positive(e) ** sympy.Rational(-3, 2),
    lambda e: positive(e) ** bounded(e),
    lambda e: e**2,
    lambda e: e**3,
    lambda e: -e,
]
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / positive(b),
    lambda a, b: sympy.atan2(a, positive(b)),
    lambda a, b: a * sympy.Rational(3, 7) - b / 5,
]
LEAVES = st.one_of(
    st.sampled_from(VARS),
    st.integers(-3, 3).map(sympy.Integer),
    st.fractions(min_value=-3, max_value=3, max_denominator=7).map(sympy.Rational),
)


def extend(children):
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda t: t[0](t[1]))
    binary = st.tuples(st.sampled_from(BINARY), children, children).map(lambda t: t[0](t[1], t[2]))
    return unary | binary


EXPRESSIONS = st.recursive(LEAVES, extend, max_leaves=8).filter(lambda e: bool(e.free_symbols))


def reference(expr, point):
    """expr at point to 30 digits, as a float."""
    return float(sympy.N(expr.subs(dict(zip(VARS, point))), 30))


def close(actual, expected):
    expected = np.asarray(expected, dtype=float)
    return np.allclose(actual, expected, rtol=1e-9, atol=1e-9 * max(1.0, np.abs(expected).max()))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(EXPRESSIONS, st.lists(st.tuples(POINT, POINT), min_size=1, max_size=3))
def test_value_gradient_hessian_match_sympy(expr, points):
    V = Potential(expr, variables=["x", "y"])
    grad = [sympy.diff(expr, v) for v in VARS]
    hess = [[sympy.diff(g, v) for v in VARS] for g in grad]
    batch = np.array(points)
    values, grads = V.value_and_grad(batch)
    hessians = V.hessian(batch)
    for i, p in enumerate(points):
        assert close(V(p), reference(expr, p))
        assert close(V.grad(p), [reference(g, p) for g in grad])
        assert close(V.hessian(p), [[reference(h, p) for h in row] for row in hess])
        # The batch (numpy) and single-point (math) code agree to rounding.
        assert np.isclose(values[i], V(p), rtol=1e-14, atol=1e-300)
        assert np.allclose(grads[i], V.grad(p), rtol=1e-14, atol=1e-14)
        assert np.allclose(hessians[i], V.hessian(p), rtol=1e-13, atol=1e-13)


@SETTINGS
@given(st.lists(EXPRESSIONS, min_size=1, max_size=3), POINT, POINT, POINT, POINT)
def test_jacobian_vjp_jvp_match_sympy(exprs, a, b, s, t):
    F = VectorFunction(exprs, variables=["x", "y"])
    J = np.array([[reference(sympy.diff(e, v), (a, b)) for v in VARS] for e in exprs])
    assert close(F([a, b]), [reference(e, (a, b)) for e in exprs])
    assert close(F.jacobian([a, b]), J)
    v = np.linspace(s, t, len(exprs))
    assert close(F.vjp([a, b], v), v @ J)
    assert close(F.jvp([a, b], [s, t]), J @ [s, t])
    batch = np.array([[a, b], [t, s]])
    assert np.allclose(F.jacobian(batch)[0], F.jacobian([a, b]), rtol=1e-14, atol=1e-14)
