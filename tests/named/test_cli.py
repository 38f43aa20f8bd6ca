"""``gradcli potentials`` and ``@NAME`` in every command, through the real CLI
(Typer's CliRunner)."""

import json

import pytest
from typer.testing import CliRunner

from gradcli.cli.app import app

ENV = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "200", "GRADCLI_POTENTIALS": None}
MORSE = {"D": 4.747, "a": 1.944, "r0": 0.7414}


def run(*args, env=None):
    return CliRunner().invoke(app, [str(a) for a in args], env={**ENV, **(env or {})})


def run_json(*args, exit_code=0, env=None):
    result = run(*args, "--json", env=env)
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    return json.loads(result.stdout)


# --- gradcli potentials ---------------------------------------------------------------


def test_list_table():
    result = run("potentials")
    assert result.exit_code == 0, result.stderr
    for name in ("@double-well", "@morse", "@muller-brown", "@lj-cluster", "@rosenbrock-nd"):
        assert name in result.stdout
    assert "x1, y1, z1, …, z13 (39)" in result.stdout
    assert "\x1b[" not in result.stdout


def test_list_json_keys():
    rows = run_json("potentials")["potentials"]
    assert all(set(row) == {"name", "description", "expression", "variables", "parameters"} for row in rows)
    morse = next(row for row in rows if row["name"] == "morse")
    assert morse["variables"] == ["r"]
    assert morse["parameters"]["D"] == {"value": 4.747, "units": "eV"}


def test_list_check_validates_everything():
    result = run("potentials", "--check")
    assert result.exit_code == 0, result.stderr
    rows = run_json("potentials", "--check")["potentials"]
    assert all(row["valid"] and row["problem"] is None for row in rows)


def test_show_json_keys():
    data = run_json("potentials", "show", "muller-brown")
    assert {"name", "description", "expression", "variables", "parameters", "start", "stationary", "references"} <= set(
        data
    )
    assert [s["kind"] for s in data["stationary"]] == ["minimum"] * 3 + ["saddle"] * 2
    assert data["stationary"][0]["value"] == pytest.approx(-146.69951720995401)


def test_show_table():
    result = run("potentials", "show", "@morse")
    assert result.exit_code == 0, result.stderr
    for text in ("D*(1 - exp(-a*(r - r0)))**2", "4.747", "eV", "minimum", "Morse"):
        assert text in result.stdout


def test_show_sizes_a_family():
    data = run_json("potentials", "show", "lj-cluster", "--param", "n=5")
    assert len(data["variables"]) == 15
    assert data["parameters"]["n"]["value"] == 5
    assert round(data["stationary"][0]["value"], 6) == -9.103852


def test_show_with_a_parameter_override_drops_the_default_stationary_points():
    data = run_json("potentials", "show", "morse", "--param", "D=1")
    assert data["parameters"]["D"]["value"] == 1.0
    assert data["stationary"] == []


def test_show_unknown_name_suggests():
    result = run("potentials", "show", "mores")
    assert result.exit_code == 2
    assert "unknown potential '@mores'; did you mean '@morse'?" in result.stderr
    data = run_json("potentials", "show", "mores", exit_code=2)
    assert data["error"]["kind"] == "unknown-potential"


# --- user folders ---------------------------------------------------------------------


def test_potentials_dir_and_environment_shadow_builtins(write):
    folder = write("morse", expression="k*x**2 + x**4")
    for args, env in ((("--potentials-dir", folder), None), ((), {"GRADCLI_POTENTIALS": str(folder)})):
        rows = run_json("potentials", *args, env=env)["potentials"]
        assert next(r for r in rows if r["name"] == "morse")["expression"] == "k*x**2 + x**4"
        data = run_json("potentials", "show", "morse", *args, env=env)
        assert data["variables"] == ["x"]
        data = run_json("grad", "@morse", "--at", "2", *args, env=env)
        assert data["gradient"] == pytest.approx([2 * 3.0 * 2 + 4 * 8])  # 2 k x + 4 x^3, k = 3


@pytest.mark.parametrize(
    "args",
    [
        ("potentials",),
        ("potentials", "show", "morse"),
        ("grad", "@morse", "--at", "1"),
        ("descend", "@morse"),
    ],
)
def test_a_missing_environment_folder_is_an_input_error(args, tmp_path):
    # Issue 14 item 6: as --potentials-dir already is, not silently ignored.
    message = f"potentials folder '{tmp_path / 'nope'}' (in $GRADCLI_POTENTIALS) does not exist or is not a folder"
    env = {"GRADCLI_POTENTIALS": str(tmp_path / "nope")}
    result = run(*args, env=env)
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")
    assert run_json(*args, env=env, exit_code=2)["error"] == {"kind": "input", "message": message}


def test_a_missing_environment_folder_does_not_matter_to_a_typed_expression(tmp_path):
    data = run_json("grad", "x**2", "--at", "3", env={"GRADCLI_POTENTIALS": str(tmp_path / "nope")})
    assert data["gradient"] == [6.0]


def test_malformed_file_is_reported_and_the_rest_listed(write):
    folder = write("broken", 'name = "broken"\n')
    write("fine")
    result = run("potentials", "--potentials-dir", folder)
    assert result.exit_code == 0
    assert "@fine" in result.stdout and "@morse" in result.stdout
    assert "broken.toml: field 'description' is missing" in result.stderr
    assert run("potentials", "--check", "--potentials-dir", folder).exit_code == 2
    result = run("potentials", "show", "broken", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert "broken.toml: field 'description' is missing" in result.stderr


def test_show_reports_a_point_that_is_not_stationary(write):
    folder = write(
        "wrong",
        """
        name = "wrong"
        description = "a listed minimum that is not one"
        expression = "(x - 1)**2"
        variables = ["x"]
        start = [0.0]

        [[stationary]]
        point = [0.5]
        value = 0.25
        kind = "minimum"
    """,
    )
    result = run("potentials", "show", "wrong", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert "wrong.toml: stationary[0] at (x=0.5) is not stationary: |grad V| = 1" in result.stderr


def test_refused_expression_names_the_file(write):
    folder = write("evil", expression="__import__('os').system('true')")
    for args in (("potentials", "show", "evil"), ("grad", "@evil", "--at", "1")):
        result = run(*args, "--potentials-dir", folder)
        assert result.exit_code == 2, result.stdout
        assert "evil.toml: field 'expression' is refused" in result.stderr


# --- @NAME in every command ----------------------------------------------------------------


def test_descend_named():
    data = run_json("descend", "@double-well", "--x0", "3")
    assert data["x"][0] == pytest.approx(2.2361, abs=1e-4)
    assert data["value"] == pytest.approx(-20.0)


def test_grad_force_and_param_override():
    assert run_json("grad", "@harmonic", "--at", "3", "--param", "k=2")["gradient"] == pytest.approx([6.0])
    assert run_json("force", "@harmonic", "--at", "3", "--param", "k=2")["force"] == pytest.approx([-6.0])


def test_force_constant_named_with_override():
    a, r0 = MORSE["a"], MORSE["r0"]
    data = run_json("force-constant", "@morse", "--at", f"r={r0}")
    assert data["hessian"][0][0] == pytest.approx(2 * MORSE["D"] * a**2)
    assert data["classification"] == "minimum"
    data = run_json("force-constant", "@morse", "--at", f"r={r0}", "--param", "D=4.7")
    assert data["hessian"][0][0] == pytest.approx(2 * 4.7 * a**2)


def test_force_constant_at_a_muller_brown_saddle():
    data = run_json("force-constant", "@muller-brown", "--at", "-0.8220015587327321,0.6243128028148714")
    assert data["classification"] == "saddle" and data["saddle_index"] == 1


def test_derivative_named():
    data = run_json("derivative", "@harmonic", "--at", "3", "--order", "3", "--param", "k=2")
    assert data["derivatives"] == pytest.approx([9.0, 6.0, 2.0, 0.0])


def test_lj_cluster_sized_in_a_command():
    data = run_json("grad", "@lj-cluster", "--param", "n=2", "--at", "0,0,0,1.5,0,0")
    assert len(data["gradient"]) == 6
    assert data["gradient"][0] == -data["gradient"][3]


# jacobian, vjp and jvp take a vector function: @NAME is the one-output function [V],
# whose Jacobian is the gradient as a 1 x n matrix.
def test_jacobian_vjp_jvp_treat_named_as_one_output():
    data = run_json("jacobian", "@himmelblau", "--at", "0,0")
    (row,) = data["jacobian"]
    assert row == pytest.approx([-14.0, -22.0])
    assert run_json("vjp", "@himmelblau", "--at", "0,0", "--v", "2")["vjp"] == pytest.approx([-28.0, -44.0])
    assert run_json("jvp", "@himmelblau", "--at", "0,0", "--u", "1,1")["jvp"] == pytest.approx([-36.0])


@pytest.mark.parametrize(
    "args",
    [
        ("descend", "@mores", "--x0", "1"),
        ("grad", "@mores", "--at", "1"),
        ("force", "@mores", "--at", "1"),
        ("force-constant", "@mores", "--at", "1"),
        ("derivative", "@mores", "--at", "1", "--order", "1"),
        ("jacobian", "@mores", "--at", "1"),
        ("vjp", "@mores", "--at", "1", "--v", "1"),
        ("jvp", "@mores", "--at", "1", "--u", "1"),
    ],
)
def test_unknown_name_in_every_command(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "did you mean '@morse'?" in result.stderr


@pytest.mark.parametrize(
    "command, option",
    [
        ("descend", "--x0"),
        ("grad", "--at"),
        ("force", "--at"),
        ("force-constant", "--at"),
    ],
)
def test_unknown_parameter_in_a_command(command, option):
    result = run(command, "@morse", option, "1", "--param", "k=1")
    assert result.exit_code == 2
    assert "'@morse' has no parameter 'k' (its parameters: D, a, r0)" in result.stderr
