"""What the Python API refuses, with a gradcli InputError rather than a silent
conversion or a Python error (issue 15, items 2, 5 and 11)."""

import warnings

import numpy as np
import pytest
import sympy

from gradcli.errors import InputError
from gradcli.frontend import Potential, VectorFunction


@pytest.fixture
def V():
    return Potential("x**2 + 3*y")


@pytest.fixture(autouse=True)
def no_warnings():
    """numpy must not get to warn (ComplexWarning) before gradcli refuses."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ----- item 5: coordinates that are not real numbers --------------------------------

REFUSED_POINTS = [
    ([1 + 1j, 2], "coordinates must be real numbers, got a complex number ((1+1j))"),
    ([1 + 0j, 2], "coordinates must be real numbers, got a complex number ((1+0j))"),
    (np.array([1 + 1j, 2]), "coordinates must be real numbers, got complex numbers"),
    ([np.complex128(1), 2.0], "coordinates must be real numbers, got a complex number"),
    (np.ma.array([1.0, 2.0], mask=[False, True]), "coordinates must be real numbers, got a masked array"),
    (np.ma.array([1.0, 2.0]), "got a masked array (fill it first: x.filled(value))"),
    ([np.ma.array([1.0, 2.0])], "got a masked array"),
    (["1", "2"], "coordinates must be real numbers, got a string ('1')"),
    ([1.0, "2"], "coordinates must be real numbers, got a string ('2')"),
    (np.array(["1", "2"]), "coordinates must be real numbers, got strings"),
    ([b"1", 2], "coordinates must be real numbers, got a string (b'1')"),
    ([True, 2.0], "coordinates must be real numbers, got a boolean (True)"),
    ([1.0, np.True_], "coordinates must be real numbers, got a boolean"),
    (np.array([True, False]), "coordinates must be real numbers, got booleans"),
    (np.array([1.0, True], dtype=object), "coordinates must be real numbers, got a boolean (True)"),
    ([[1.0, 2.0], [3.0, False]], "coordinates must be real numbers, got a boolean (False)"),
    ((1.0, 2j), "coordinates must be real numbers, got a complex number (2j)"),
]


@pytest.mark.parametrize("point, message", REFUSED_POINTS)
@pytest.mark.parametrize("method", ["__call__", "grad", "force", "hessian", "value_and_grad"])
def test_points_that_are_not_real_numbers_are_refused(V, method, point, message):
    with pytest.raises(InputError) as info:
        getattr(V, method)(point)
    assert message in info.value.message


@pytest.mark.parametrize("x", [True, "1", 1j, np.bool_(False), np.complex64(2)])
def test_a_single_coordinate_that_is_not_a_real_number(x):
    with pytest.raises(InputError, match="coordinates must be real numbers, got a"):
        Potential("x**2")(x)


def test_the_issue_example_is_refused_not_truncated(V):
    with pytest.raises(InputError, match="complex"):
        V([1 + 1j, 2])


def test_real_inputs_still_accepted(V):
    assert V([1, 2]) == 7.0  # ints
    assert V(np.array([1, 2], dtype=np.int32)) == 7.0
    assert V((np.float32(1), 2)) == 7.0
    assert V(np.array([1.0, 2.0], dtype=object)) == 7.0
    assert V([[1, 2], [0, 1]]).tolist() == [7.0, 3.0]
    assert V([sympy.Integer(1), sympy.Float(2)]) == 7.0


def test_vectors_of_vjp_and_jvp_are_checked_the_same_way():
    F = VectorFunction("[x*y, x + y**2]")
    with pytest.raises(InputError, match="the vector v must be real numbers, got a boolean"):
        F.vjp([2, 3], [True, 1])
    with pytest.raises(InputError, match="the vector u must be real numbers, got a complex number"):
        F.jvp([2, 3], [1j, 1])
    with pytest.raises(InputError, match="the vector u must be real numbers, got a masked array"):
        F.jvp([2, 3], np.ma.array([1.0, 0.0]))
    assert F.vjp([2, 3], [1, 1]).tolist() == [4.0, 8.0]  # v^T J, J = [[3, 2], [1, 6]]


# ----- item 11: params that are not a mapping of real numbers -----------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        ([("k", 1)], "params must be a mapping of names to numbers, e.g. {'k': 2.0}; got a list"),
        ((("k", 1),), "params must be a mapping of names to numbers, e.g. {'k': 2.0}; got a tuple"),
        ("k=1", "params must be a mapping of names to numbers, e.g. {'k': 2.0}; got a str"),
        ({"k": 10**400}, "parameter k is too large for a 64-bit float (beyond 1.8e308)"),
        ({"k": 10**5000}, "parameter k is too large for a 64-bit float (beyond 1.8e308)"),
        ({"k": -(10**400)}, "parameter k is too large for a 64-bit float (beyond 1.8e308)"),
        ({"k": True}, "parameter k must be a real number, got a boolean (True)"),
        ({"k": "3"}, "parameter k must be a real number, got a string ('3')"),
        ({"k": 1 + 2j}, "parameter k must be a real number, got a complex number ((1+2j))"),
        ({"k": np.complex128(1)}, "parameter k must be a real number, got a complex number"),
        ({"k": None}, "parameter k must be a real number, got None"),
        ({"k": [1.0]}, "parameter k must be a real number, got [1.0]"),
        ({"k": float("nan")}, "parameter k must be a finite number, got nan"),
        ({"k": sympy.I}, "parameter k must be a real number, got I"),
        ({1: 2.0}, "a parameter name must be an identifier, got 1"),
    ],
)
@pytest.mark.parametrize("cls", [Potential, VectorFunction])
def test_bad_params_are_input_errors(cls, params, message):
    with pytest.raises(InputError) as info:
        cls("k*x", params=params)
    assert info.value.message.startswith(message)  # numpy's repr of its scalars differs between versions


def test_good_params():
    for value in (2, 2.0, np.float32(2), np.int64(2), sympy.Integer(2), sympy.Rational(4, 2)):
        assert Potential("k*x", params={"k": value}).grad(1.0).tolist() == [2.0]


@pytest.mark.parametrize(
    "variables, message",
    [
        (5, "variables must be a sequence of names, e.g. ('x', 'y'); got int"),
        (["x", 1], "a variable name must be an identifier, got 1"),
        (["x", "x"], "variable x is declared twice"),
    ],
)
def test_bad_variables_are_input_errors(variables, message):
    with pytest.raises(InputError) as info:
        Potential("x", variables=variables)
    assert info.value.message == message


# ----- item 2: the variables are the names written --------------------------------------


def test_variables_come_from_the_text_before_simplification():
    V = Potential("exp(x) - exp(x) + y")
    assert V.variables == ("x", "y")
    # exp(800) overflows a float: it is never computed, x has zero derivative.
    assert V([800.0, 1.0]) == 1.0
    assert V.grad([800.0, 1.0]).tolist() == [0.0, 1.0]
    assert V.hessian([800.0, 1.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert V.derivatives([800.0, 1.0], 3) == [1.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "text, variables",
    [
        ("x - x", ("x",)),
        ("0*x + y", ("x", "y")),
        ("k*x/k + z - z", ("k", "x", "z")),
        ("(x10 + x2) - (x2 + x10) + x1", ("x1", "x2", "x10")),
        ("log(exp(x)) - x + y", ("x", "y")),
    ],
)
def test_cancelled_names_are_variables(text, variables):
    V = Potential(text)
    assert V.variables == variables
    point = np.arange(1.0, len(variables) + 1)
    grad = V.grad(point)
    expected = [
        float(
            V.sympy.diff(sympy.Symbol(v, real=True)).subs(
                dict(zip([sympy.Symbol(w, real=True) for w in variables], point))
            )
        )
        for v in variables
    ]
    np.testing.assert_allclose(grad, expected, atol=1e-12)


def test_a_cancelled_parameter_is_a_parameter():
    V = Potential("k - k + y", params={"k": 2})
    assert V.variables == ("y",) and V.params == {"k": 2.0}
    assert Potential("k*x - k*x + y", params={"k": 2}).variables == ("x", "y")


def test_cancelled_names_in_a_vector_function():
    F = VectorFunction(["x - x", "y"])
    assert F.variables == ("x", "y")
    assert F.jacobian([1.0, 2.0]).tolist() == [[0.0, 0.0], [0.0, 1.0]]


def test_sympy_input_has_its_free_symbols():
    x, y = sympy.symbols("x y", real=True)
    assert Potential(sympy.exp(x) - sympy.exp(x) + y).variables == ("y",)  # SymPy already cancelled it
