"""VectorFunction: Jacobians, VJPs and JVPs (the tutorial's [x*y, x + y**2])."""

import numpy as np
import pytest
import sympy

from gradcli.errors import InputError
from gradcli.frontend import VectorFunction

x, y, z = (sympy.Symbol(n, real=True) for n in "xyz")


@pytest.fixture
def F():
    return VectorFunction([x * y, x + y**2])


def test_tutorial_jacobian_vjp_jvp(F):
    # Tutorial: J of [x*y, x+y**2] at (2, 3) = [[3, 2], [1, 6]]; v=(1,1) -> [4, 8]; u=(1,0) -> [3, 1].
    assert (F.n, F.m, F.variables) == (2, 2, ("x", "y"))
    assert F([2, 3]).tolist() == [6.0, 11.0]
    assert F.jacobian([2, 3]).tolist() == [[3.0, 2.0], [1.0, 6.0]]
    assert F.vjp([2, 3], [1, 1]).tolist() == [4.0, 8.0]
    assert F.jvp([2, 3], [1, 0]).tolist() == [3.0, 1.0]


def test_batches(F):
    pts = np.array([[2.0, 3.0], [1.0, -1.0], [0.0, 0.5]])
    assert F(pts).shape == (3, 2)
    J = F.jacobian(pts)
    assert J.shape == (3, 2, 2)
    for i, p in enumerate(pts):
        assert np.array_equal(J[i], F.jacobian(p))
        assert np.array_equal(F(pts)[i], F(p))
    # one v for all points, or one per point
    assert np.array_equal(F.vjp(pts, [1, 1]), np.einsum("i,bij->bj", [1.0, 1.0], J))
    u = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]])
    assert np.allclose(F.jvp(pts, u), np.einsum("bij,bj->bi", J, u))


@pytest.mark.parametrize("m, n", [(1, 3), (3, 1), (2, 3), (3, 2)])
def test_jacobian_matches_sympy_in_both_modes(m, n):
    xs = sympy.symbols(f"a0:{n}", real=True)
    exprs = [sympy.sin(xs[i % n] * (i + 1)) * sympy.exp(xs[(i + 1) % n] / 3) + xs[0] ** (i + 2) for i in range(m)]
    F = VectorFunction(exprs, variables=[s.name for s in xs])
    point = np.linspace(0.3, 1.1, n)
    expected = sympy.Matrix(exprs).jacobian(xs).subs(dict(zip(xs, point)))
    assert np.allclose(F.jacobian(point), np.array(expected, dtype=float), rtol=1e-13)


def test_vector_with_one_output_and_params():
    k = sympy.Symbol("k", real=True)
    F = VectorFunction([k * x**2], params={"k": 3})
    assert F.m == 1 and F.variables == ("x",)
    assert F.jacobian(2.0).tolist() == [[12.0]]
    assert F.vjp(2.0, 2.0).tolist() == [24.0]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda F: F.vjp([2, 3], [1, 1, 1]), "expected a vector v of 2 components, got 3"),
        (lambda F: F.jvp([2, 3], [1]), "expected a vector u of 2 components, got 1"),
        (lambda F: F.jvp([2, 3], [[1, 0]]), "expected a vector u of shape (2,)"),
        (lambda F: F.vjp(np.zeros((3, 2)), np.zeros((4, 2))), "(3, 2), got shape (4, 2)"),
        (lambda F: F.jacobian([1, 2, 3]), "expected 2 coordinates (x, y), got 3"),
    ],
)
def test_bad_shapes_are_input_errors(F, call, message):
    with pytest.raises(InputError) as info:
        call(F)
    assert message in str(info.value)


def test_text_of_sympy_vector():
    assert VectorFunction([x * y, x + y**2]).text == "[x*y, x + y**2]"
