"""Names that mean something else when nobody declares them (issue 15, item 1).

``pi`` and ``E`` are the parser's constants and the whitelisted function names
are functions; SymPy has its own constants and functions under names such as
``I``, ``S``, ``N``, ``oo``, ``zoo``, ``nan``, ``beta``, ``gamma``, ``zeta``.
A name the user declares as a variable or a parameter is that variable or
parameter everywhere: the reference is the same expression with the name
renamed to a plain one (``q``), which must give the same numbers.
"""

import builtins
import keyword
import math

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcli.errors import DomainError, InputError, ParseError, UnsupportedExpressionError
from gradcli.frontend import Potential, VectorFunction, parse

# Every name the parser treats specially (its constants, its functions, the
# names it suggests replacements for), and SymPy's own constants and functions
# that a careless parser would pick up.
SYMPY_NAMES = (
    "I",
    "S",
    "N",
    "O",
    "Q",
    "oo",
    "zoo",
    "nan",
    "beta",
    "gamma",
    "zeta",
    "EulerGamma",
    "Catalan",
    "GoldenRatio",
    "Symbol",
    "Integer",
    "Float",
    "Rational",
    "Abs",
    "Function",
    "Lambda",
    "erf",
    "Max",
)
SPECIAL = sorted({*parse.CONSTANTS, *parse.FUNCTIONS, *parse.HINTS, *SYMPY_NAMES})
PLAIN = "q"  # the renamed copy's name
assert PLAIN not in SPECIAL


def _outcome(compute):
    """The numbers ``compute`` returns, or the type of the gradcli error it raises
    (a division by zero found while parsing, a domain error while evaluating, an expression that
    SymPy made imaginary, such as sqrt(a - a - a**2))."""
    try:
        return [np.asarray(v, dtype=float) for v in compute()]
    except (DomainError, ParseError, UnsupportedExpressionError) as error:
        return type(error)


def _same(got, want):
    if isinstance(want, type) or isinstance(got, type):
        assert got is want
        return
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


def _evaluate(text, point, **declared):
    V = Potential(text, **declared)
    return V(point), V.grad(point), V.hessian(point)


# Expression templates over x and the special name, written "@".
_leaves = st.sampled_from(["@", "@", "x", "2", "0.5", "3"])


def _combine(children):
    binary = st.tuples(
        st.sampled_from(["({})+({})", "({})-({})", "({})*({})", "({})/({})", "atan2({}, {})"]), children, children
    ).map(lambda t: t[0].format(t[1], t[2]))
    unary = st.tuples(
        st.sampled_from(
            [
                "-({})",
                "({})**2",
                "({})^3",
                "sin({})",
                "exp({})",
                "tanh({})",
                "sqrt({})",
                "log({})",
                "abs({})",
                "atan({})",
                "sigmoid({})",
            ]
        ),
        children,
    ).map(lambda t: t[0].format(t[1]))
    return st.one_of(binary, unary)


templates = st.recursive(_leaves, _combine, max_leaves=8).filter(lambda t: "@" in t)
coordinate = st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SPECIAL), templates, coordinate, coordinate)
def test_a_special_name_declared_as_a_variable_is_that_variable(name, template, x, a):
    special = template.replace("@", name)
    assert Potential(f"x + {name}", variables=["x", name]).variables == ("x", name)
    _same(
        _outcome(lambda: _evaluate(special, [x, a], variables=["x", name])),
        _outcome(lambda: _evaluate(template.replace("@", PLAIN), [x, a], variables=["x", PLAIN])),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SPECIAL), templates, coordinate, coordinate)
def test_a_special_name_declared_as_a_parameter_is_that_parameter(name, template, x, a):
    special = template.replace("@", name) + " + x"
    V = Potential("x + " + name, params={name: a})
    assert V.variables == ("x",) and V.params == {name: a}
    _same(
        _outcome(lambda: _evaluate(special, x, params={name: a})),
        _outcome(lambda: _evaluate(template.replace("@", PLAIN) + " + x", x, params={PLAIN: a})),
    )


@pytest.mark.parametrize("name", SPECIAL)
def test_every_special_name_as_variable_parameter_and_vector_component(name):
    V = Potential(f"{name}**2*x + {name}", variables=["x", name])
    assert V([1.0, 3.0]) == 12.0
    assert V.grad([1.0, 3.0]).tolist() == [9.0, 7.0]
    a, x = sympy.Symbol(name, real=True), sympy.Symbol("x", real=True)
    assert V.derivative_expressions() == (a**2, 2 * a * x + 1)  # SymPy differentiates the symbol
    W = Potential(f"{name}**2*x + {name}", params={name: 3})
    assert (W(1.0), W.grad(1.0).tolist()) == (12.0, [9.0])
    F = VectorFunction(f"[{name}*x, x + {name}]", variables=[name, "x"])
    assert F.jacobian([2.0, 5.0]).tolist() == [[5.0, 2.0], [1.0, 1.0]]


def test_every_public_sympy_name_is_a_plain_symbol_when_declared():
    """Whatever SymPy exports (constants, functions, classes), declared, it is a number."""
    names = [n for n in dir(sympy) if n.isidentifier() and not n.startswith("_") and not keyword.iskeyword(n)]
    assert len(names) > 500
    for name in names:
        V = Potential(f"{name}**2*x + {name}", params={name: 3})
        assert (V(1.0), V.grad(1.0).tolist()) == (12.0, [9.0]), name


def test_python_and_generated_code_names_are_plain_symbols_when_declared():
    """The compiled code is Python: its builtins and module names must not leak in."""
    names = [n for n in dir(builtins) if not n.startswith("_") and not keyword.iskeyword(n)]
    names += ["math", "np", "numpy", "sympy", "gradcli", "self", "args", "out", "result", "value", "grad"]
    for name in names:
        V = Potential(f"{name}**2*x + {name}", variables=["x", name])
        assert (V([1.0, 3.0]), V.grad([1.0, 3.0]).tolist()) == (12.0, [9.0, 7.0]), name


def test_undeclared_pi_and_e_stay_the_constants():
    assert Potential("pi*x")(1.0) == math.pi
    assert Potential("E**2*x").grad(1.0).tolist() == [math.exp(2)]
    assert Potential("pi*x", params={"k": 3}).variables == ("x",)


def test_the_issue_examples():
    V = Potential("E**2*x", variables=["x", "E"])
    assert (V([1, 3]), V.grad([1, 3]).tolist()) == (9.0, [9.0, 6.0])
    W = Potential("pi*x", params={"pi": 3})
    assert (W(1.0), W.grad(1.0).tolist(), W.params) == (3.0, [3.0], {"pi": 3.0})
    assert str(W.sympy) == "3*x"


def test_a_declared_function_name_is_a_symbol_where_it_is_a_value_and_a_call_still_calls():
    V = Potential("exp*x + sin", variables=["x", "exp", "sin"])
    assert V([2.0, 3.0, 5.0]) == 11.0
    W = Potential("exp(x) + exp", variables=["x", "exp"])
    assert W([0.0, 3.0]) == 4.0 and W.grad([0.0, 3.0]).tolist() == [1.0, 1.0]


def test_calling_a_declared_name_that_is_not_a_function_is_refused():
    with pytest.raises(ParseError) as info:
        Potential("x*pi(2)", params={"pi": 3})
    assert info.value.message == (
        "'pi' is declared as a variable or parameter, not a function; to multiply write pi*(...)"
    )
    assert info.value.column == 2
    with pytest.raises(ParseError, match="'k' is declared as a variable or parameter, not a function"):
        Potential("k(x + 1)", params={"k": 3})


def test_undeclared_function_names_are_still_functions():
    with pytest.raises(ParseError, match="'exp' is a function; call it as exp"):
        Potential("exp*x")


@pytest.mark.parametrize("name", ["lambda", "None", "True", "if"])
def test_reserved_words_cannot_be_declared_into_an_expression(name):
    with pytest.raises(ParseError, match=f"'{name}' is a reserved word"):
        Potential(f"{name}*x", variables=["x", name])


def test_names_beginning_with_an_underscore_stay_refused():
    with pytest.raises(ParseError, match="names beginning with '_' are not allowed: '_k'"):
        Potential("_k*x", params={"_k": 1})


def test_a_name_cannot_be_both():
    with pytest.raises(InputError, match="pi is declared both as a variable and as a parameter"):
        Potential("pi*x", variables=["x", "pi"], params={"pi": 3})


def test_sympy_input_keeps_its_own_constants():
    x = sympy.Symbol("x", real=True)
    # The caller built sympy.pi itself: it is the constant; "pi" declared is an unused variable.
    V = Potential(sympy.pi * x, variables=["x", "pi"])
    assert V([1.0, 3.0]) == math.pi and V.grad([1.0, 3.0]).tolist() == [math.pi, 0.0]


def test_parse_with_declared_names():
    (expr,), names = parse.parse_with_names("pi*r**2 + E", declared={"pi", "E"})
    assert names == ("E", "pi", "r")
    assert expr.free_symbols == {sympy.Symbol(n, real=True) for n in names}
    assert parse.parse_expression("pi*r**2 + E") == sympy.pi * sympy.Symbol("r", real=True) ** 2 + sympy.E
