"""Declared names and written names on the command line (issue 15, items 1 and 2).

A name given with --param, --vars or in a potential file's [parameters] is
that parameter or variable, even ``pi`` or ``E``; and the variables are the
names the user wrote, also those SymPy cancels (they have zero derivative).
"""

import json
import math

import pytest
from cli_helpers import invoke, invoke_json

CIRCLE = """\
name = "circle"
description = "pi and E as parameters: V = pi*(r - E)**2, minimum at r = E"
expression = "pi*(r - E)**2"
variables = ["r"]
start = [0.0]

[parameters]
pi = { value = 3.0 }
E = { value = 2.0 }

[descent]
lr = "0.25/pi"
steps = 500

[[stationary]]
point = [2.0]
value = 0.0
kind = "minimum"
"""


def test_param_pi_is_the_parameter():
    out = invoke_json("grad", "pi*x", "--param", "pi=3", "--at", "1")
    assert (out["value"], out["gradient"], out["params"]) == (3.0, [3.0], {"pi": 3.0})


def test_undeclared_pi_is_the_constant():
    out = invoke_json("grad", "pi*x", "--at", "1")
    assert (out["value"], out["gradient"], out["variables"]) == (math.pi, [math.pi], ["x"])


def test_vars_e_is_the_variable():
    out = invoke_json("grad", "E**2*x", "--vars", "x,E", "--at", "1,3")
    assert (out["value"], out["gradient"], out["variables"]) == (9.0, [9.0, 6.0], ["x", "E"])


@pytest.mark.parametrize("name", ["I", "S", "N", "oo", "zoo", "nan", "beta", "gamma", "zeta", "exp", "sin"])
def test_sympy_and_function_names_as_parameters(name):
    out = invoke_json("grad", f"{name}**2*x + x", "--param", f"{name}=3", "--at", "2")
    assert (out["value"], out["gradient"]) == (20.0, [10.0])


def test_calling_a_declared_constant_is_an_input_error():
    result = invoke("grad", "pi(x)", "--param", "pi=3", "--at", "1", "--json")
    assert result.exit_code == 2
    message = "'pi' is declared as a variable or parameter, not a function; to multiply write pi*(...)"
    assert json.loads(result.stdout) == {"command": "grad", "error": {"kind": "parse", "message": message}}
    assert result.stderr.splitlines()[0] == f"error: {message}"


def test_a_potential_file_parameter_named_pi(tmp_path):
    (tmp_path / "circle.toml").write_text(CIRCLE)
    out = invoke_json("grad", "@circle", "--potentials-dir", tmp_path, "--at", "0")
    # pi*(r - E)**2 at r = 0 with pi = 3, E = 2: 12, gradient -12 (not 3.14*7.39)
    assert (out["value"], out["gradient"], out["params"]) == (12.0, [-12.0], {"pi": 3.0, "E": 2.0})
    out = invoke_json("grad", "@circle", "--potentials-dir", tmp_path, "--param", "E=1", "--at", "0")
    assert (out["value"], out["gradient"]) == (3.0, [-6.0])
    # The stationary point r = E = 2 checks out only with the parameters' values.
    shown = invoke_json("potentials", "show", "circle", "--potentials-dir", tmp_path)
    assert shown["stationary"][0]["point"] == [2.0]
    # lr = 0.25/pi with pi = 3
    descent = invoke_json("descend", "@circle", "--potentials-dir", tmp_path)
    assert descent["lr"] == 0.25 / 3.0 and descent["status"] == "converged"
    assert abs(descent["x"][0] - 2.0) < 1e-6


def test_a_cancelled_variable_is_still_a_variable():
    # The example: x cancels, exp(800) is never computed.
    out = invoke_json("force", "exp(x)-exp(x)+y", "--at", "800,1")
    assert (out["variables"], out["value"], out["force"]) == (["x", "y"], 1.0, [0.0, -1.0])
    hessian = invoke_json("force-constant", "x - x + y**2", "--at", "3,1")["hessian"]
    assert hessian == [[0.0, 0.0], [0.0, 2.0]]


def test_a_cancelled_name_must_still_be_declared():
    result = invoke("grad", "exp(x)-exp(x)+y", "--vars", "y", "--at", "1", "--json")
    assert result.exit_code == 2
    message = "the expression uses x, which is neither a variable (y) nor a parameter"
    assert json.loads(result.stdout)["error"] == {"kind": "input", "message": message}
    out = invoke_json("grad", "exp(x)-exp(x)+y", "--param", "x=5", "--at", "1")
    assert (out["variables"], out["gradient"]) == (["y"], [1.0])


def test_a_cancelled_variable_in_a_vector_function():
    out = invoke_json("jacobian", "[x*y - y*x, y]", "--at", "2,3")
    assert out["variables"] == ["x", "y"] and out["jacobian"] == [[0.0, 0.0], [0.0, 1.0]]
