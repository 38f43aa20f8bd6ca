"""The functions added through the registry's checklist work in every command,
with numbers from SymPy; and a non-differentiable point (the kink of abs) is
refused by every command and by the batch evaluator with the message and exit
code that ``derivative`` gives (issue 15, item 4)."""

import json

import numpy as np
import pytest
import sympy
from typer.testing import CliRunner

from gradcli.cli.app import app
from gradcli.errors import ComputationError, DomainError
from gradcli.frontend import Potential, VectorFunction
from gradcli.frontend.functions import cbrt

x, y = sympy.symbols("x y", real=True)
ENV = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "100", "GRADCLI_POTENTIALS": None}


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=ENV)


def invoke_json(*args, exit_code=0):
    result = invoke(*args, "--json")
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def at(expr, point, *symbols):
    return float(sympy.N(expr.subs(dict(zip(symbols or (x,), point))), 30))


# text -> the SymPy expression it means (checked independently of the parser)
NEW = {
    "erf(x)": sympy.erf(x),
    "erfc(x)": sympy.erfc(x),
    "cbrt(x)": cbrt(x),
    "asinh(x)": sympy.asinh(x),
    "acosh(x + 2)": sympy.acosh(x + 2),
    "atanh(x)": sympy.atanh(x),
    "cot(x)": 1 / sympy.tan(x),
    "sec(x)": 1 / sympy.cos(x),
    "csc(x)": 1 / sympy.sin(x),
    "log10(x + 2)": sympy.log(x + 2) / sympy.log(10),
    "log2(x + 2)": sympy.log(x + 2) / sympy.log(2),
}
POINT = -0.5  # negative: cbrt's real root, log10/log2 of 1.5


def close(actual, expected):
    return np.allclose(actual, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("text", sorted(NEW))
def test_grad_force_and_force_constant(text):
    expr = NEW[text]
    out = invoke_json("grad", text, "--at", POINT)
    assert close(out["value"], at(expr, [POINT])) and close(out["gradient"], [at(expr.diff(x), [POINT])])
    assert close(invoke_json("force", text, "--at", POINT)["force"], [-at(expr.diff(x), [POINT])])
    hessian = invoke_json("force-constant", text, "--at", POINT)["hessian"]
    assert close(hessian, [[at(expr.diff(x, 2), [POINT])]])


@pytest.mark.parametrize("text", sorted(NEW))
def test_derivative_to_order_4(text):
    expr = NEW[text]
    out = invoke_json("derivative", text, "--at", POINT, "--order", 4)
    assert np.allclose(out["derivatives"], [at(expr.diff(x, k), [POINT]) for k in range(5)], rtol=1e-10)


@pytest.mark.parametrize("text", sorted(NEW))
def test_jacobian_vjp_jvp(text):
    expr = NEW[text]
    f2 = expr.subs(x, y) * x  # a second component in two variables
    vector = f"[{text}, ({text.replace('x', 'y')})*x]"
    point = [POINT, 0.25]
    J = [[at(f.diff(v), point, x, y) for v in (x, y)] for f in (expr, f2)]
    assert close(invoke_json("jacobian", vector, "--at", "-0.5,0.25")["jacobian"], J)
    assert close(invoke_json("vjp", vector, "--at", "-0.5,0.25", "--v", "1,2")["vjp"], np.array([1, 2]) @ J)
    assert close(invoke_json("jvp", vector, "--at", "-0.5,0.25", "--u", "1,2")["jvp"], np.array(J) @ [1, 2])


def test_descend_finds_the_minimum_of_a_new_function():
    # erfc(x) + x**2: the minimum solves 2x = 2/sqrt(pi) exp(-x^2) (SymPy's nsolve).
    minimum = float(sympy.nsolve(2 * x - 2 / sympy.sqrt(sympy.pi) * sympy.exp(-(x**2)), x, 0.5))
    out = invoke_json("descend", "erfc(x) + x**2", "--x0", 1, "--lr", 0.1, "--steps", 2000)
    assert out["status"] == "converged" and out["x"][0] == pytest.approx(minimum, abs=1e-7)


# ----- kinks: one rule, "not defined", exit 1, in every command ------------------------

KINK = "abs at its kink (argument 0): the derivatives are not defined at x=0"
COMMANDS = [
    ("derivative", "abs(x)", "--at", "0"),
    ("derivative", "abs(x)", "--at", "0", "--order", "1"),
    ("grad", "abs(x)", "--at", "0"),
    ("force", "abs(x)", "--at", "0"),
    ("force-constant", "abs(x)", "--at", "0"),
    ("descend", "abs(x)", "--x0", "0"),
    ("jacobian", "[abs(x), x]", "--at", "0"),
    ("vjp", "[abs(x)]", "--at", "0", "--v", "1"),
    ("jvp", "[abs(x)]", "--at", "0", "--u", "1"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_command_refuses_a_kink_like_derivative(command):
    result = invoke(*command)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: {KINK}"
    out = invoke_json(*command, exit_code=1)
    assert out["error"] == {"kind": "domain", "message": KINK}


def test_the_batch_evaluator_refuses_a_kink_and_names_the_point():
    V = Potential("abs(x - y)")
    with pytest.raises(DomainError) as error:
        V.grad(np.array([[1.0, 0.0], [2.0, 2.0], [3.0, 1.0]]))
    assert str(error.value) == "abs at its kink (argument 0): the derivatives are not defined at x=2, y=2"
    assert (
        isinstance(error.value, ComputationError) and error.value.reason == "domain" and error.value.operation == "dabs"
    )
    with pytest.raises(DomainError, match="abs at its kink"):
        V.hessian(np.array([[2.0, 2.0]]))
    with pytest.raises(DomainError, match="abs at its kink"):
        VectorFunction("[abs(x), y]").jacobian(np.array([[0.0, 1.0]]))


def test_away_from_the_kink_abs_is_differentiated():
    V = Potential("abs(x - y)")
    assert V.grad(np.array([[1.0, 0.0], [0.0, 3.0]])).tolist() == [[1.0, -1.0], [-1.0, 1.0]]
    assert V.hessian([1.0, 0.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_the_value_at_a_kink_is_still_defined():
    assert invoke_json("derivative", "abs(x)", "--at", "0", "--order", "0")["derivatives"] == [0.0]
    assert Potential("abs(x)")(0.0) == 0.0


def test_sign_has_the_same_rule_at_its_jump():
    V = Potential(sympy.sign(x) * y, variables=["x", "y"])
    assert V.grad([0.5, 2.0]).tolist() == [0.0, 1.0]
    message = "sign at its jump (argument 0): the derivatives are not defined at x=0, y=2"
    with pytest.raises(DomainError) as error:
        V.grad([0.0, 2.0])
    assert str(error.value) == message
    with pytest.raises(DomainError, match="sign at its jump"):
        V.derivatives([0.0, 2.0], 1)
