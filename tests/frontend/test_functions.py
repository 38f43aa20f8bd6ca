"""The registry of primitives (``gradcli/frontend/functions.py``) against every
interpretation of every primitive.

Three layers, so that removing any one rule from any interpretation of any
function makes a test fail:

* completeness: each interpretation table has exactly the registry's names;
* behaviour: per primitive, a sample expression whose program (or whose
  derivative's program) runs the primitive is checked against SymPy's
  ``diff`` (40 digits) through every interpretation: scalar code, numpy
  code, reverse mode, forward mode, Taylor mode, the engine, the domain
  message, the SymPy conversion;
* removal: each rule is taken out in turn (monkeypatch) and the behaviour
  check of its primitive must then fail.
"""

import dataclasses
import math

import numpy as np
import pytest
import sympy

from gradcli.errors import DomainError, UnknownFunctionError
from gradcli.frontend import Potential, engine_graph, functions, ops, taylor, transforms
from gradcli.frontend.functions import DEFINITIONS, PRIMITIVES, cbrt
from gradcli.frontend.parse import parse_expression
from gradcli.frontend.program import Program, from_sympy

x, y = sympy.symbols("x y", real=True)
R = sympy.Rational
X0 = R(7, 10)

# The interpretations: table name -> the table (a dict keyed by opcode).
TABLES = {
    "ops.SCALAR": ops.SCALAR,
    "ops.ARRAY": ops.ARRAY,
    "transforms.RULES": transforms.RULES,
    "taylor.RULES": taylor.RULES,
    "engine_graph.ENGINE": engine_graph.ENGINE,
}

# opcode -> an expression in x whose program or whose derivative's program runs it at X0
SAMPLES = {
    "add": x + x**2,
    "sub": x - x**3,
    "mul": x * sympy.sin(x),
    "div": x / (x**2 + 1),
    "neg": -sympy.exp(x),
    "pow": (x + 2) ** (x / 3),
    "exp": sympy.exp(x / 2),
    "log": sympy.log(x + 2),
    "sqrt": sympy.sqrt(x + 2),
    "cbrt": cbrt(x - 2),  # a negative argument: the real root
    "sin": sympy.sin(x),
    "cos": sympy.cos(x),
    "tan": sympy.tan(x / 2),
    "sinh": sympy.sinh(x),
    "cosh": sympy.cosh(x),
    "tanh": sympy.tanh(x),
    "asin": sympy.asin(x / 2),
    "acos": sympy.acos(x / 2),
    "atan": sympy.atan(x),
    "atan2": sympy.atan2(x, x + 2),
    "asinh": sympy.asinh(x),
    "acosh": sympy.acosh(x + 2),
    "atanh": sympy.atanh(x / 2),
    "erf": sympy.erf(x),
    "erfc": sympy.erfc(x),
    "abs": sympy.Abs(x - 2),
    "sign": sympy.sign(x - 2) * x**2,
    "sigmoid": 1 / (1 + sympy.exp(-x)),
    "dabs": sympy.Abs(x - 2),  # in the derivative program of abs
    "dsign": sympy.sign(x - 2) * x**2,  # in the derivative program of sign
}

# opcode -> (expression, point, message) for the primitives with a domain description
DOMAIN_CASES = {
    "div": (x / (x - 1), 1.0, "division by zero at x=1"),
    "pow": ((x - 2) ** R(1, 3), 0.7, "non-integer power (0.333333333333) of a negative number (-1.3) at x=0.7"),
    "log": (sympy.log(x - 2), 0.7, "log of a negative number (-1.3) at x=0.7"),
    "sqrt": (sympy.sqrt(x - 2), 0.7, "square root of a negative number (-1.3) at x=0.7"),
    "asin": (sympy.asin(x + 1), 0.7, "asin of a value outside [-1, 1] (1.7) at x=0.7"),
    "acos": (sympy.acos(x + 1), 0.7, "acos of a value outside [-1, 1] (1.7) at x=0.7"),
    "acosh": (sympy.acosh(x), 0.7, "acosh of a value below 1 (0.7) at x=0.7"),
    "atanh": (sympy.atanh(x + 1), 0.7, "atanh of a value outside (-1, 1) (1.7) at x=0.7"),
    "dabs": (sympy.Abs(x - R(7, 10)), 0.7, "abs at its kink (argument 0): the derivatives are not defined at x=0.7"),
    "dsign": (
        sympy.sign(x - R(7, 10)) * x,
        0.7,
        "sign at its jump (argument 0): the derivatives are not defined at x=0.7",
    ),
}


def test_samples_and_domain_cases_cover_the_registry():
    assert set(SAMPLES) == set(PRIMITIVES)
    assert set(DOMAIN_CASES) == {name for name, row in PRIMITIVES.items() if row.domain is not None}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_has_exactly_the_registry_primitives(table):
    assert set(TABLES[table]) == set(PRIMITIVES)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_every_derivative_rule_has_one_formula_per_argument(name):
    assert len(transforms.RULES[name]) == PRIMITIVES[name].arity


# ----- behaviour of one primitive through every interpretation ---------------------

ORDER = 4  # Taylor and engine derivatives checked up to this order


def derivative_program(p: Program) -> Program:
    """The program of dV/dx alone (its first output), from reverse mode."""
    g = transforms.grad_program(p)
    return Program(g.instrs, g.names, (g.outputs[1],), g.primal_size)


def uses(p: Program, op: str) -> bool:
    return any(ins.op == op for ins in p.instrs)


_EXPECTED: dict = {}


def expected(name):
    """[d^k sample/dx^k at X0 for k = 0..ORDER+1] from SymPy, 40 digits (cached)."""
    if name not in _EXPECTED:
        point, current, values = sympy.Float(X0, 50), SAMPLES[name], []
        for _ in range(ORDER + 2):
            values.append(float(sympy.N(current.xreplace({x: point}), 40)))
            current = sympy.diff(current, x)
        _EXPECTED[name] = values
    return _EXPECTED[name]


def close(actual, wanted):
    return np.allclose(actual, wanted, rtol=1e-9, atol=1e-12)


def check(name):
    """Run primitive ``name`` through every interpretation; assert against SymPy."""
    want = expected(name)
    p = from_sympy([SAMPLES[name]], ["x"])
    d = derivative_program(p)
    assert uses(p, name) or uses(d, name), f"the sample does not run {name}"
    V = Potential(SAMPLES[name], variables=["x"])
    point = float(X0)
    # scalar and array code (value, reverse mode), forward over reverse (Hessian), forward (JVP)
    assert close(V(point), want[0]) and close(V(np.array([[point]])), [want[0]])
    assert close(V.grad(point), [want[1]]) and close(V.grad(np.array([[point]])), [[want[1]]])
    assert close(V.hessian(point), [[want[2]]]) and close(V.hessian(np.array([[point]])), [[[want[2]]]])
    jvp = transforms.jvp_program(p)
    from gradcli.frontend.compiled import Compiled

    assert close(Compiled(jvp, ("x",)).scalar(point, 1.0)[1], want[1])
    # Taylor mode, on the program and on its derivative's program
    assert close(taylor.taylor_derivatives(p, [point], 0, ORDER), want[: ORDER + 1])
    assert close(taylor.taylor_derivatives(d, [point], 0, ORDER), want[1 : ORDER + 2])
    # Taylor mode along y evaluates the x-only part of s(x) + s(y), and d/dx = s'(x), on floats
    p2 = from_sympy([SAMPLES[name] + SAMPLES[name].xreplace({x: y})], ["x", "y"])
    g2 = transforms.grad_program(p2)
    d2 = Program(g2.instrs, g2.names, (g2.outputs[1],), g2.primal_size)
    assert close(taylor.taylor_derivatives(p2, [point, point], 1, ORDER), [2 * want[0], *want[1 : ORDER + 1]])
    assert close(taylor.taylor_derivatives(d2, [point, point], 1, ORDER), [want[1]] + [0.0] * ORDER)
    # the engine: its graph of the program and of the derivative's program, differentiated by itself
    assert close(engine_graph.derivatives_at(p, [point], 0, ORDER), want[: ORDER + 1])
    assert close(engine_graph.derivatives_at(d, [point], 0, ORDER - 1), want[1 : ORDER + 1])
    # the domain message
    if name in DOMAIN_CASES:
        expr, at, message = DOMAIN_CASES[name]
        with pytest.raises(DomainError) as error:
            Potential(expr, variables=["x"]).grad(at)
        assert str(error.value) == message


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_primitive_matches_sympy_through_every_interpretation(name):
    check(name)


# ----- removing any one rule breaks its primitive ----------------------------------

REMOVALS = [(name, table) for name in sorted(PRIMITIVES) for table in sorted(TABLES)]
REMOVALS += [
    (name, f"transforms.RULES[{k}]")
    for name in sorted(PRIMITIVES)
    for k in range(PRIMITIVES[name].arity)
    if PRIMITIVES[name].arity > 1
]
REMOVALS += [(name, "domain") for name in sorted(DOMAIN_CASES)]
REMOVALS += [(name, "functions.FROM_SYMPY") for name in sorted(PRIMITIVES) if PRIMITIVES[name].sympy]


@pytest.mark.parametrize("name, interpretation", REMOVALS)
def test_removing_a_rule_makes_the_check_fail(monkeypatch, name, interpretation):
    if interpretation in TABLES:
        monkeypatch.delitem(TABLES[interpretation], name)
    elif interpretation.startswith("transforms.RULES["):
        k = int(interpretation[-2])
        formulas = list(transforms.RULES[name])
        formulas[k] = lambda *args: None  # as if that argument had no derivative
        monkeypatch.setitem(transforms.RULES, name, tuple(formulas))
    elif interpretation == "domain":
        monkeypatch.setitem(PRIMITIVES, name, dataclasses.replace(PRIMITIVES[name], domain=None))
    else:
        monkeypatch.delitem(functions.FROM_SYMPY, PRIMITIVES[name].sympy)
    with pytest.raises(Exception):  # noqa: B017 (any failure of the check: an assertion, a KeyError, ...)
        check(name)


# ----- what the user types: the parser's whitelist comes from the registry -----------

TYPED = {  # name -> (text, the SymPy expression it means); every typed name has a row
    "exp": ("exp(x)", sympy.exp(x)),
    "log": ("log(x + 2)", sympy.log(x + 2)),
    "sqrt": ("sqrt(x + 2)", sympy.sqrt(x + 2)),
    "cbrt": ("cbrt(x - 2)", cbrt(x - 2)),
    "sin": ("sin(x)", sympy.sin(x)),
    "cos": ("cos(x)", sympy.cos(x)),
    "tan": ("tan(x)", sympy.tan(x)),
    "sinh": ("sinh(x)", sympy.sinh(x)),
    "cosh": ("cosh(x)", sympy.cosh(x)),
    "tanh": ("tanh(x)", sympy.tanh(x)),
    "asin": ("asin(x/2)", sympy.asin(x / 2)),
    "acos": ("acos(x/2)", sympy.acos(x / 2)),
    "atan": ("atan(x)", sympy.atan(x)),
    "atan2": ("atan2(x, 2)", sympy.atan2(x, 2)),
    "asinh": ("asinh(x)", sympy.asinh(x)),
    "acosh": ("acosh(x + 2)", sympy.acosh(x + 2)),
    "atanh": ("atanh(x/2)", sympy.atanh(x / 2)),
    "erf": ("erf(x)", sympy.erf(x)),
    "erfc": ("erfc(x)", sympy.erfc(x)),
    "abs": ("abs(x)", sympy.Abs(x)),
    "sigmoid": ("sigmoid(x)", 1 / (1 + sympy.exp(-x))),
    "sec": ("sec(x)", sympy.sec(x)),
    "csc": ("csc(x)", sympy.csc(x)),
    "cot": ("cot(x)", sympy.cot(x)),
    "log10": ("log10(x)", sympy.log(x) / sympy.log(10)),
    "log2": ("log2(x)", sympy.log(x) / sympy.log(2)),
}


def test_every_typed_name_is_tested():
    assert set(TYPED) == set(functions.TYPED)


@pytest.mark.parametrize("name", sorted(TYPED))
def test_typed_function_means_what_sympy_means(name):
    text, meaning = TYPED[name]
    V = Potential(text, variables=["x"])
    want = [float(sympy.N(sympy.diff(meaning, x, k).subs(x, X0), 30)) for k in range(ORDER + 1)]
    assert close(V.derivatives(float(X0), ORDER), want)
    assert close([V(float(X0)), *V.grad(float(X0))], want[:2])


@pytest.mark.parametrize("name", sorted(TYPED))
def test_removing_a_typed_name_refuses_it(monkeypatch, name):
    monkeypatch.delitem(functions.TYPED, name)
    with pytest.raises(UnknownFunctionError, match=f"unknown function '{name}'"):
        parse_expression(TYPED[name][0])


@pytest.mark.parametrize("name", sorted(row.name for row in DEFINITIONS.values() if row.sympy))
def test_sympy_classes_of_definitions_are_rewritten(monkeypatch, name):
    # sympy.sec(x) from the Python API compiles as 1/cos(x); without its rewrite it is refused.
    cls = DEFINITIONS[name].sympy
    want = float(sympy.N(cls(X0), 30))
    assert close(Potential(cls(x), variables=["x"])(float(X0)), want)
    monkeypatch.delitem(functions.REWRITES, cls)
    with pytest.raises(Exception, match="has no engine operation"):
        Potential(cls(x), variables=["x"])


def test_cbrt_is_the_real_root():
    V = Potential("cbrt(x)")
    assert V(-8.0) == -2.0 and V(27.0) == pytest.approx(3.0, rel=1e-15)
    assert V.grad(-8.0)[0] == pytest.approx(1 / 12, rel=1e-15)  # 1/(3 cbrt(x)^2) = 1/12
    assert parse_expression("cbrt(-8)") == -2


def test_cbrt_tells_sympy_its_sign_so_constants_stay_real():
    """Found by hypothesis: 1 + cbrt(tanh(1) - 2)**2 was not known to be positive, so SymPy
    wrote atan2(1, it) as -I*log(...) and the expression was refused for its imaginary unit."""
    c = cbrt(sympy.tanh(1) - 2)
    assert c.is_negative and cbrt(x**2 + 1).is_positive and cbrt(x).is_positive is None
    expr = parse_expression("x + atan2(1, 1+cbrt(tanh(1)-2)**2)")
    assert not expr.has(sympy.I)
    expected = 0.5 + math.atan(1 / (1 + (-((2 - math.tanh(1)) ** (1 / 3))) ** 2))
    value, _ = Potential(expr, variables=["x"]).value_and_grad([0.5])
    assert float(value) == pytest.approx(expected, rel=1e-15)
