"""Potentials compiled to the engine's graph: gradients pass gradcheck, and
``derivatives`` comes from repeated autograd.grad(create_graph=True)."""

import numpy as np
import pytest

import gradcli
from gradcli.autograd import gradcheck, gradgradcheck
from gradcli.errors import DomainError
from gradcli.frontend import Potential, VectorFunction

POTENTIALS = [
    ("x**4 - 10*x**2 + 5", [3.0]),
    ("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", [1.5, -0.5]),
    ("sin(x)*y**2 + exp(x - y) + atan2(y, x) + sigmoid(y) + x**y", [0.7, 1.3]),
    ("log(1 + x**2) + sqrt(y) / (1 + abs(x)) + tanh(x*y) + cosh(y)", [0.4, 0.9]),
    ("asin(x/2) + acos(y/3) + atan(x*y) + asinh(x) + acosh(y + 2) + atanh(x/3)", [0.5, 0.25]),
    ("erf(x*y) + erfc(x - y) + cbrt(x - 2*y) + log10(y) + log2(x) + sec(x) + csc(y) + cot(x)", [0.5, 0.75]),
    ("4*((x1-x2)**2 + (y1-y2)**2)**-6 - 4*((x1-x2)**2 + (y1-y2)**2)**-3", [0.0, 0.1, 1.1, 0.0]),
]


@pytest.mark.parametrize("text, point", POTENTIALS)
def test_graph_gradients_pass_gradcheck(text, point):
    V = Potential(text)
    x = gradcli.tensor(point, dtype=gradcli.float64, requires_grad=True)
    assert gradcheck(V.graph, (x,))
    assert gradgradcheck(V.graph, (x,))


@pytest.mark.parametrize("text, point", POTENTIALS)
def test_graph_matches_compiled_value_and_gradient(text, point):
    V = Potential(text)
    x = gradcli.tensor(point, dtype=gradcli.float64, requires_grad=True)
    y = V.graph(x)
    (g,) = gradcli.autograd.grad(y, x)
    assert y.item() == pytest.approx(V(point), rel=1e-13)
    assert np.allclose(g.detach().numpy(), V.grad(point), rtol=1e-12, atol=1e-12)


def test_graph_of_a_batch():
    V = Potential("x*y + y**3")
    pts = np.array([[1.0, 2.0], [3.0, -1.0]])
    y = V.graph(gradcli.tensor(pts, requires_grad=True))
    assert tuple(y.shape) == (2,)
    assert np.allclose(y.detach().numpy(), V(pts))


def test_tutorial_derivatives_of_cube():
    # Tutorial: x**3 at 2 -> 8, then d/dx = 12, d2/dx2 = 12, d3/dx3 = 6.
    assert Potential("x**3").derivatives(2.0, 3) == [8.0, 12.0, 12.0, 6.0]


def test_derivatives_beyond_the_polynomial_degree_are_zero():
    assert Potential("x**4 - 10*x**2 + 5").derivatives(3.0, 6) == [-4.0, 48.0, 88.0, 72.0, 24.0, 0.0, 0.0]
    assert Potential("5", variables=["x"]).derivatives(1.0, 2) == [5.0, 0.0, 0.0]


def test_derivatives_along_one_variable_hold_the_others_fixed():
    V = Potential("x**2 * y**3")
    assert V.derivatives([2.0, 1.0], 3, variable="y") == [4.0, 12.0, 24.0, 24.0]
    assert V.derivatives([2.0, 1.0], 2) == [4.0, 4.0, 2.0]  # first variable by default


def test_derivatives_domain_error():
    with pytest.raises(DomainError, match="log of a negative number"):
        Potential("log(x)").derivatives(-1.0, 2)


def test_vector_function_graph():
    F = VectorFunction("[x*y, x + y**2]")
    outs = F.graph(gradcli.tensor([2.0, 3.0], requires_grad=True))
    assert [o.item() for o in outs] == [6.0, 11.0]


def test_graph_wants_a_tensor_of_the_right_shape():
    from gradcli.errors import InputError

    V = Potential("x*y")
    with pytest.raises(InputError, match=r"shape \(2,\) or \(m, 2\)"):
        V.graph(gradcli.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(InputError, match="Tensor"):
        V.graph(np.array([1.0, 2.0]))


@pytest.mark.parametrize(
    "text",
    [
        "exp(x)",
        "log(x)",
        "sqrt(x)",
        "sin(x)",
        "cos(x)",
        "tan(x)",
        "sinh(x)",
        "cosh(x)",
        "tanh(x)",
        "asin(x)",
        "acos(x)",
        "atan(x)",
        "atan2(x, 2)",
        "atan2(1, x)",
        "abs(x)",
        "sigmoid(x)",
        "asinh(x)",
        "acosh(x + 1)",
        "atanh(x)",
        "sec(x)",
        "x**x",
        "2**x",
        "x**2.5",
        "erf(x)",
        "erfc(x)",
        "cbrt(x)",
        "cbrt(x - 1)",
        "log10(x)",
        "log2(x)",
        "csc(x)",
        "cot(x)",
    ],
)
def test_engine_derivatives_of_every_function_match_sympy(text):
    import sympy

    V = Potential(text)
    x = sympy.Symbol("x", real=True)
    expected = [float(sympy.diff(V.sympy, x, k).subs(x, 0.4)) for k in range(4)]
    assert np.allclose(V.derivatives(0.4, 3), expected, rtol=1e-10)
