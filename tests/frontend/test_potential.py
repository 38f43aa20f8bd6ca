"""Potential: the public API, the tutorial's numbers, shapes and input errors."""

import numpy as np
import pytest
import sympy

from gradcli.errors import InputError, UnsupportedExpressionError
from gradcli.frontend import Potential

x, y, k = (sympy.Symbol(n, real=True) for n in "xyk")
DOUBLE_WELL = x**4 - 10 * x**2 + 5


def test_tutorial_spring_force_and_force_constant():
    # Tutorial: V = 0.5*k*x**2 with k = 2 at x = 3 -> F = -6, d2V/dx2 = 2.
    V = Potential(sympy.Rational(1, 2) * k * x**2, params={"k": 2})
    assert V.variables == ("x",)
    assert V.params == {"k": 2.0}
    assert V(3.0) == 9.0
    assert V.force(3.0).tolist() == [-6.0]
    assert V.hessian(3.0).tolist() == [[2.0]]


def test_double_well_values_and_fast_path():
    V = Potential(DOUBLE_WELL)
    assert V.n == 1
    assert V(3) == -4.0
    value, grad = V.value_and_grad(3.0)
    assert (value, grad.tolist()) == (-4.0, [48.0])
    assert V.scalar_value_and_grad(3.0) == (-4.0, 48.0)
    assert V.scalar_value_and_grad(5**0.5)[1] == pytest.approx(0.0, abs=1e-12)


def test_rosenbrock_gradient_and_hessian_at_the_minimum():
    V = Potential((1 - x) ** 2 + 100 * (y - x**2) ** 2)
    assert V.grad([1, 1]).tolist() == [0.0, 0.0]
    assert V.hessian([1, 1]).tolist() == [[802.0, -400.0], [-400.0, 200.0]]


def test_batch_shapes_and_agreement_with_single_points():
    V = Potential(sympy.sin(x) * y**2 + sympy.exp(x - y))
    pts = np.array([[0.1, 0.2], [1.0, -1.0], [2.5, 0.3]])
    values, grads = V.value_and_grad(pts)
    assert values.shape == (3,) and grads.shape == (3, 2)
    assert V.hessian(pts).shape == (3, 2, 2)
    for i, p in enumerate(pts):
        assert V(p) == pytest.approx(values[i], rel=1e-15)
        assert np.allclose(V.grad(p), grads[i], rtol=1e-15)
        assert np.allclose(V.hessian(p), V.hessian(pts)[i], rtol=1e-15)
    assert np.array_equal(V.force(pts), -grads)


def test_single_variable_batch_is_m_by_1():
    V = Potential(DOUBLE_WELL)
    assert V(np.array([[0.0], [1.0]])).tolist() == [5.0, -4.0]
    assert V.grad(np.array([[0.0], [1.0]])).tolist() == [[0.0], [-16.0]]


def test_derivative_expressions_are_sympy_diffs():
    V = Potential(x**2 * y)
    assert V.derivative_expressions() == (2 * x * y, x**2)


def test_variables_given_explicitly_set_the_order_and_may_be_unused():
    V = Potential(x - y, variables=["y", "x", "z"])
    assert V.variables == ("y", "x", "z")
    assert V.grad([1, 2, 3]).tolist() == [-1.0, 1.0, 0.0]


def test_natural_variable_order():
    x2, x10 = sympy.Symbol("x2", real=True), sympy.Symbol("x10", real=True)
    assert Potential(x10 + 2 * x2 + y).variables == ("x2", "x10", "y")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda V: V([1, 2, 3]), "expected 2 coordinates (x, y), got 3"),
        (lambda V: V(1.0), "expected 2 coordinates (x, y), got 1"),
        (lambda V: V(np.zeros((4, 3))), "got shape (4, 3)"),
        (lambda V: V(np.zeros((2, 2, 2))), "got shape (2, 2, 2)"),
        (lambda V: V([1, float("nan")]), "finite"),
        (lambda V: V(["a", "b"]), "must be real numbers, got a string"),
        (lambda V: V.grad([1]), "expected 2 coordinates (x, y), got 1"),
        (lambda V: V.hessian([1, 2, 3]), "expected 2 coordinates"),
        (lambda V: V.derivatives([1, 2], 2, variable="q"), "unknown variable 'q'"),
        (lambda V: V.derivatives([1, 2], -1), "order must be 0 or more"),
        (lambda V: V.derivatives(np.zeros((3, 2)), 1), "not a batch"),
    ],
)
def test_bad_points_are_input_errors(call, message):
    V = Potential(x * y)
    with pytest.raises(InputError) as info:
        call(V)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"variables": ["x"]}, r"uses y, which is neither a variable \(x\) nor a parameter"),
        ({"variables": ["x", "x", "y"]}, "declared twice"),
        ({"variables": ["x", "y"], "params": {"y": 1}}, "both as a variable and as a parameter"),
        ({"params": {"y": float("inf")}}, "finite"),
        ({"params": {"y": "one"}}, "must be a real number, got a string"),
    ],
)
def test_bad_variables_and_params(kwargs, message):
    with pytest.raises(InputError, match=message):
        Potential(x * y, **kwargs)


def test_expression_without_variables_needs_them_declared():
    with pytest.raises(InputError, match="no variables"):
        Potential(sympy.Integer(5))
    assert Potential(sympy.Integer(5), variables=["x"]).grad(1.0).tolist() == [0.0]


def test_unsupported_construct_fails_at_construction():
    with pytest.raises(UnsupportedExpressionError, match="'gamma' has no engine operation"):
        Potential(sympy.gamma(x))


def test_params_are_substituted_as_constants():
    V = Potential(k * x**2, params={"k": 1.5, "unused": 3})
    assert V.sympy == 1.5 * x**2
    assert V.variables == ("x",)
    assert V.grad(2.0).tolist() == [6.0]


def test_text_of_a_sympy_expression_is_its_printing():
    assert Potential(x**2 + 1).text == "x**2 + 1"


# ----- from text (through the safe parser) ---------------------------------------


def test_text_tutorial_numbers():
    V = Potential("0.5*k*x**2", params={"k": 2})
    assert V.text == "0.5*k*x**2"
    assert (V.force(3).tolist(), V.hessian(3).tolist()) == ([-6.0], [[2.0]])
    assert Potential("x**4-10*x**2+5").scalar_value_and_grad(3.0) == (-4.0, 48.0)
    assert Potential("x^3").derivatives(2, 3) == [8.0, 12.0, 12.0, 6.0]


def test_text_himmelblau_minimum():
    V = Potential("(x**2+y-11)**2+(x+y**2-7)**2")
    assert V.variables == ("x", "y")
    assert V([3, 2]) == 0.0 and V.grad([3, 2]).tolist() == [0.0, 0.0]


def test_text_variables_in_natural_order_and_lj_pair():
    V = Potential("4*((x1-x2)**2+(y1-y2)**2+(z1-z2)**2)**-6 - 4*((x1-x2)**2+(y1-y2)**2+(z1-z2)**2)**-3")
    assert V.variables == ("x1", "x2", "y1", "y2", "z1", "z2")
    r_min = 2 ** (1 / 6)  # the Lennard-Jones minimum, V = -1
    assert V([0, r_min, 0, 0, 0, 0]) == pytest.approx(-1.0, rel=1e-15)
    assert np.allclose(V.grad([0, r_min, 0, 0, 0, 0]), 0.0, atol=1e-12)


def test_text_functions_of_the_whitelist_compile():
    V = Potential(
        "exp(x) + log(x) + sqrt(x) + sin(x) + cos(x) + tan(x) + sinh(x) + cosh(x) + tanh(x)"
        " + asin(x) + acos(x) + atan(x) + atan2(x, 1) + abs(x) + sigmoid(x) + log(x, 2)"
        " + asinh(x) + atanh(x) + acosh(x + 1) + sec(x) + pi + E"
    )
    assert np.isfinite(V.hessian(0.5)).all()


def test_parameters_in_exponents_are_compiled_like_numbers():
    V = Potential("r**-n + sqrt(r)**m", params={"n": 6, "m": 1})
    ops = {ins.op for ins in V.program.instrs}
    assert "pow" not in ops  # r**-6 as multiplications, sqrt(r)**1 as sqrt
    assert V(2.0) == pytest.approx(2.0**-6 + 2.0**0.5, rel=1e-15)
    assert str(V.sympy) == "sqrt(r) + r**(-6)"


def test_parameter_outside_a_functions_domain_is_a_domain_error():
    from gradcli.errors import DomainError

    V = Potential("log(k)*x", params={"k": -1})
    with pytest.raises(DomainError, match=r"log of a negative number \(-1\) at x=2"):
        V(2.0)


def test_batches_are_vectorised_not_looped(monkeypatch):
    from gradcli.frontend.compiled import Compiled

    V = Potential(sympy.sin(x) * y)
    V.hessian([1.0, 2.0])  # compile the single-point code first
    calls = []
    original = Compiled.array
    monkeypatch.setattr(Compiled, "array", lambda self, pts: calls.append(len(pts)) or original(self, pts))
    monkeypatch.setattr(Compiled, "scalar", property(lambda self: pytest.fail("per-point call in a batch")))
    pts = np.random.default_rng(0).uniform(-1, 1, (500, 2))
    V(pts), V.grad(pts), V.hessian(pts)
    assert calls == [500, 500, 500]


def test_gradcli_exports_potential_lazily():
    import gradcli

    assert gradcli.Potential is Potential


def test_large_batches_run_in_slices_with_the_same_result(monkeypatch):
    from gradcli.frontend import compiled

    V = Potential(sympy.sin(x) * y + x**3)
    pts = np.random.default_rng(1).uniform(-1, 1, (1000, 2))
    whole = V.hessian(pts)
    monkeypatch.setattr(compiled, "ARRAY_ELEMENTS", 100)  # slices of 64 points
    assert np.array_equal(V.hessian(pts), whole)
    assert np.allclose(V.grad(pts), np.array([V.grad(p) for p in pts]), rtol=1e-14, atol=1e-15)
