"""Every command with the tutorial's numbers (tutorial 1.3, "autograd"), as
tables and as JSON."""

import json
import math

import pytest
from cli_helpers import invoke, invoke_json

DOUBLE_WELL = "x**4-10*x**2+5"
JACOBIAN_F = "[x*y, x+y**2]"


# --- descend ---------------------------------------------------------------------


def test_descend_tutorial_loop_tol_0():
    out = invoke_json("descend", DOUBLE_WELL, "--x0", "3", "--tol", "0", "--steps", "200")
    assert out["status"] == "completed" and out["converged"] is False  # tol 0 tests nothing
    assert out["steps"] == 200
    assert round(out["x"][0], 4) == 2.2361
    assert round(out["value"], 4) == -20.0
    assert out["x0"] == [3.0]
    assert len(out["trajectory"]) == 201
    assert out["trajectory"][0] == {"step": 0, "x": [3.0], "value": -4.0, "grad_norm": 48.0}
    assert out["trajectory"][-1]["x"] == out["x"]


def test_descend_default_tol_converges():
    out = invoke_json("descend", DOUBLE_WELL, "--x0", "3")
    assert out["status"] == "converged" and out["converged"] is True
    assert out["x"][0] == pytest.approx(math.sqrt(5), abs=1e-8)
    assert out["value"] == pytest.approx(-20.0, abs=1e-12)
    assert out["grad_norm"] <= 1e-8
    assert out["steps"] < 200


def test_descend_table_output():
    result = invoke(
        "descend", DOUBLE_WELL, "--x0", "3", "--method", "gd", "--lr", "0.01", "--steps", "200", "--tol", "0"
    )
    assert result.exit_code == 0, result.stderr
    assert "completed" in result.stdout
    assert "2.236067977" in result.stdout
    assert "-20" in result.stdout
    assert "trajectory" in result.stdout
    # thinned for a person: 21 rows of the 201 points, and it says so
    assert "21 of 201 points shown" in result.stdout


def test_descend_two_variables_with_named_point_and_options():
    out = invoke_json("descend", "(x-1)**2 + 2*(y+2)**2", "--x0", "y=0,x=0", "--lr", "0.1", "--steps", "500")
    assert out["variables"] == ["x", "y"]
    assert out["x"] == pytest.approx([1.0, -2.0], abs=1e-8)
    assert out["status"] == "converged"


def test_descend_max_record_thins_the_json_trajectory():
    out = invoke_json("descend", DOUBLE_WELL, "--x0", "3", "--tol", "0", "--steps", "5000", "--max-record", "50")
    steps = [p["step"] for p in out["trajectory"]]
    assert steps[0] == 0 and steps[-1] == 5000 and len(steps) <= 50


def test_descend_max_steps_exits_1_but_prints_the_result():
    result = invoke("descend", DOUBLE_WELL, "--x0", "3", "--steps", "5", "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["status"] == "max_steps" and out["converged"] is False and out["steps"] == 5
    assert "did not converge in 5 steps" in result.stderr


def test_descend_diverged_exits_1_with_the_step():
    result = invoke("descend", DOUBLE_WELL, "--x0", "3", "--lr", "1", "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["status"] == "diverged" and out["diverged_at"] == 3
    assert out["x"][0] == pytest.approx(-1.92207512e17)  # beyond the bound 1e12, still evaluated:
    assert out["value"] == pytest.approx(out["x"][0] ** 4, rel=1e-9)
    assert "diverged at step 3" in result.stderr
    table = invoke("descend", DOUBLE_WELL, "--x0", "3", "--lr", "1")
    assert table.exit_code == 1 and "diverged at step 3" in table.stdout


def test_descend_param_and_vars():
    out = invoke_json("descend", "a*(x-b)**2", "--param", "a=1", "-p", "b=4", "--x0", "0", "--lr", "0.2")
    assert out["params"] == {"a": 1.0, "b": 4.0}
    assert out["x"][0] == pytest.approx(4.0, abs=1e-8)
    out = invoke_json("descend", "x**2 + 2*y**2", "--vars", "y,x", "--x0", "1,2", "--steps", "0", "--tol", "0")
    assert out["variables"] == ["y", "x"] and out["x0"] == [1.0, 2.0]
    assert out["value"] == 2 * 1.0**2 + 2.0**2


def test_descend_reads_the_expression_from_stdin():
    out = invoke_json("descend", "-", "--x0", "3", "--tol", "0", input=DOUBLE_WELL + "\n")
    assert out["expression"] == DOUBLE_WELL
    assert round(out["x"][0], 4) == 2.2361


# --- grad, force, force-constant, derivative -------------------------------------------


def test_grad():
    out = invoke_json("grad", "x**2*y", "--at", "x=1,y=2")
    assert out["value"] == 2.0 and out["gradient"] == [4.0, 1.0]
    assert out["point"] == [1.0, 2.0] and out["variables"] == ["x", "y"]
    result = invoke("grad", "x**2*y", "--at", "1,2")
    assert result.exit_code == 0 and "gradient" in result.stdout and "4" in result.stdout


def test_force_of_the_tutorials_spring():
    out = invoke_json("force", "0.5*k*x**2", "--param", "k=2", "--at", "3")
    assert out["force"] == [-6.0] and out["value"] == 9.0
    result = invoke("force", "0.5*k*x**2", "--param", "k=2", "--at", "3")
    assert result.exit_code == 0 and "-6" in result.stdout


def test_force_constant_of_the_tutorials_spring():
    out = invoke_json("force-constant", "0.5*k*x**2", "--param", "k=2", "--at", "3")
    assert out["hessian"] == [[2.0]] and out["eigenvalues"] == [2.0]
    assert out["gradient"] == [6.0]
    assert out["classification"] == "not-stationary"  # the force there is -6
    assert out["saddle_index"] == 0


@pytest.mark.parametrize(
    "expr, at, kind, index",
    [
        ("0.5*k*x**2", "0", "minimum", 0),
        (DOUBLE_WELL, "0", "maximum", 1),
        (DOUBLE_WELL, "2.23606797749979", "minimum", 0),
        ("x**2 - y**2", "0,0", "saddle", 1),
        ("x**4 + y**2", "0,0", "degenerate", 0),
        # Mueller-Brown's first saddle quoted to 4 decimals (Newton step ~1.7e-5) still counts
        ("@muller-brown", "x=-0.8220,y=0.6243", "saddle", 1),
        ("@muller-brown", "x=-0.80,y=0.62", "not-stationary", 1),
    ],
)
def test_force_constant_classification(expr, at, kind, index):
    out = (
        invoke_json("force-constant", expr, "--param", "k=2", "--at", at)
        if "k" in expr
        else invoke_json("force-constant", expr, "--at", at)
    )
    assert out["classification"] == kind and out["saddle_index"] == index


def test_force_constant_table():
    result = invoke("force-constant", "x**2 - y**2", "--at", "0,0")
    assert result.exit_code == 0
    assert "saddle" in result.stdout and "Hessian" in result.stdout and "eigenvalues" in result.stdout


def test_derivative_of_x_cubed():
    out = invoke_json("derivative", "x**3", "--at", "2", "--order", "3")
    assert out["derivatives"] == [8.0, 12.0, 12.0, 6.0]
    assert out["order"] == 3 and out["variable"] == "x"
    result = invoke("derivative", "x**3", "--at", "2", "-n", "4")
    assert result.exit_code == 0 and "d^k V/dx^k" in result.stdout


def test_derivative_with_respect_to_one_of_several_variables():
    out = invoke_json("derivative", "x**2*y**3", "--at", "x=1,y=2", "--order", "2", "--wrt", "y")
    assert out["derivatives"] == [8.0, 12.0, 12.0]


# --- jacobian, vjp, jvp ------------------------------------------------------------------


def test_jacobian():
    out = invoke_json("jacobian", JACOBIAN_F, "--at", "2,3")
    assert out["jacobian"] == [[3.0, 2.0], [1.0, 6.0]]
    assert out["outputs"] == [6.0, 11.0]
    assert len(out["expressions"]) == 2
    result = invoke("jacobian", JACOBIAN_F, "--at", "2,3")
    assert result.exit_code == 0 and "Jacobian" in result.stdout


def test_vjp():
    out = invoke_json("vjp", JACOBIAN_F, "--at", "2,3", "--v", "1,1")
    assert out["vjp"] == [4.0, 8.0] and out["v"] == [1.0, 1.0]
    assert invoke("vjp", JACOBIAN_F, "--at", "2,3", "--v", "1,1").exit_code == 0


def test_jvp():
    out = invoke_json("jvp", JACOBIAN_F, "--at", "2,3", "--u", "1,0")
    assert out["jvp"] == [3.0, 1.0] and out["u"] == [1.0, 0.0]
    assert invoke("jvp", JACOBIAN_F, "--at", "2,3", "--u", "1,0").exit_code == 0


def test_vector_expressions_without_brackets_and_from_stdin():
    out = invoke_json("jacobian", "-", "--at", "x=2,y=3", input="x*y, x+y**2")
    assert out["jacobian"] == [[3.0, 2.0], [1.0, 6.0]]


# --- JSON keys ------------------------------------------------------------------------------

KEYS = {
    "descend": ["descend", DOUBLE_WELL, "--x0", "3"],
    "grad": ["grad", DOUBLE_WELL, "--at", "3"],
    "force": ["force", DOUBLE_WELL, "--at", "3"],
    "force-constant": ["force-constant", DOUBLE_WELL, "--at", "3"],
    "derivative": ["derivative", DOUBLE_WELL, "--at", "3", "--order", "2"],
    "jacobian": ["jacobian", JACOBIAN_F, "--at", "2,3"],
    "vjp": ["vjp", JACOBIAN_F, "--at", "2,3", "--v", "1,1"],
    "jvp": ["jvp", JACOBIAN_F, "--at", "2,3", "--u", "1,0"],
}
REQUIRED = {
    "descend": "command expression variables x0 x value gradient grad_norm steps status converged trajectory",
    "grad": "command expression variables point value gradient",
    "force": "command expression variables point value force",
    "force-constant": (
        "command expression variables point value gradient hessian eigenvalues classification saddle_index"
    ),
    "derivative": "command expression variables point order derivatives",
    "jacobian": "command expressions variables point outputs jacobian",
    "vjp": "command expressions variables point v vjp",
    "jvp": "command expressions variables point u jvp",
}


@pytest.mark.parametrize("command", sorted(KEYS))
def test_json_keys(command):
    out = invoke_json(*KEYS[command])
    assert set(REQUIRED[command].split()) <= set(out)
    assert out["command"] == command
    if command == "descend":
        assert set(out["trajectory"][0]) == {"step", "x", "value", "grad_norm"}


def test_descend_overflow_after_the_start_is_divergence():
    result = invoke("descend", "--x0", "0", "--lr", "0.5", "--json", "--", "-exp(x)")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["status"] == "diverged" and out["diverged_at"] == 5
    assert out["value"] is None and out["trajectory"][-1]["step"] == 5


def test_named_potential_from_a_potentials_dir(tmp_path):
    (tmp_path / "tilted.toml").write_text(
        'name = "tilted"\n'
        'description = "A tilted quartic"\n'
        'expression = "k*(x**2 - 1)**2 + t*x"\n'
        'variables = ["x"]\n'
        "start = [2.0]\n"
        'references = ["a test"]\n'
        "[parameters]\n"
        "k = 1.0\n"
        "t = 0.0\n"
    )
    out = invoke_json("descend", "@tilted", "--potentials-dir", tmp_path, "--lr", "0.01", "--param", "k=2")
    assert out["potential"] == "tilted" and out["params"] == {"k": 2.0, "t": 0.0}
    assert out["x0"] == [2.0]  # the file's start, since --x0 was left out
    assert out["x"][0] == pytest.approx(1.0, abs=1e-8)
    for command in (["grad", "@tilted", "--at", "2"], ["force-constant", "@tilted", "--at", "1"]):
        assert invoke(*command, "--potentials-dir", tmp_path).exit_code == 0
    assert invoke("grad", "@tilted", "--at", "2").exit_code == 2  # not found without the folder


def test_named_potentials_in_every_command():
    assert invoke_json("force", "@harmonic", "--param", "k=2", "--at", "3")["force"] == [-6.0]
    assert invoke_json("derivative", "@double-well", "--at", "0", "--order", "2")["derivatives"] == [5.0, 0.0, -20.0]
    assert invoke_json("grad", "@himmelblau", "--at", "3,2")["gradient"] == [0.0, 0.0]


def test_tables_stay_readable_for_many_variables():
    expr = " + ".join(f"(x{i}-{i})**2" for i in range(1, 13))
    result = invoke("descend", expr, "--x0", ",".join(["0"] * 12), "--lr", "0.1")
    assert result.exit_code == 0
    assert "12 coordinates; --json has them all" in result.stdout
    header = next(line for line in result.stdout.splitlines() if "step" in line and "V" in line)
    assert "x1" not in header  # no coordinate columns beyond 3 variables
    table = invoke("force-constant", expr, "--at", ",".join(str(i) for i in range(1, 13)))
    assert table.exit_code == 0 and "minimum" in table.stdout
    assert "left out: 12×12 Hessian (force constants): use --json" in table.stdout and "eigenvalues" in table.stdout
    assert invoke_json("force-constant", expr, "--at", ",".join(["1"] * 12))["hessian"][0][:2] == [2.0, 0.0]


@pytest.mark.parametrize(
    "args",
    [
        ("grad", "-x**2", "--at", "3", "--json"),
        ("grad", "--at", "3", "-x**2", "--json"),
        ("grad", "--at", "-3", "--json", "-x**2"),
        ("grad", "-p", "k=1", "-k*x**2", "--at", "3", "--json"),
        ("grad", "--json", "--at", "3", "--", "-x**2"),
    ],
)
def test_an_expression_may_start_with_a_minus_sign(args):
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["expression"] == ("-k*x**2" if "-k*x**2" in args else "-x**2")
    assert out["gradient"] == [6.0 if "-3" in args else -6.0]


def test_an_unknown_long_option_is_still_a_usage_error():
    result = invoke("grad", "-x**2", "--at", "1", "--bogus")
    assert result.exit_code == 2
    assert "No such option: --bogus" in result.stderr
