"""``gradcli descend`` with methods (issue 10): defaults that converge, the tutorial's loop,
honest diagnosis, the comparison table, fixed coordinates, a potential's suggested method, and the
end point's kind (issue 14 item 4). Messages, exit codes and JSON."""

import json
import math

import numpy as np
import pytest
from cli_helpers import invoke, invoke_json

from gradcli.optimize import OPTIMIZERS

DOUBLE_WELL = "x**4-10*x**2+5"
ROSENBROCK = "(1-x)**2 + 100*(y-x**2)**2"
#: The keys descend's JSON had before methods, all kept.
OLD_KEYS = {
    "command",
    "expression",
    "variables",
    "params",
    "potential",
    "x0",
    "x",
    "value",
    "gradient",
    "grad_norm",
    "steps",
    "status",
    "converged",
    "diverged_at",
    "lr",
    "max_steps",
    "tol",
    "settings_from",
    "plot",
    "trajectory",
}


@pytest.mark.parametrize("args", [("x**2", "--x0", "1"), (ROSENBROCK, "--x0=-1.2,1"), (DOUBLE_WELL, "--x0", "3")])
def test_the_defaults_converge(args):
    out = invoke_json("descend", *args)
    assert out["status"] == "converged" and out["grad_norm"] <= 1e-8
    assert out["method"] == "gd" and out["lr"] is None and out["settings_from"]["lr"] == "default"
    assert OLD_KEYS | {"method", "evaluations"} <= set(out)
    assert out["evaluations"]["value"] >= out["steps"] + 1 and out["evaluations"]["hessian"] == 0


def test_the_tutorials_loop_is_exactly_reproducible():
    # PyTorch autograd tutorial, section 1.3: 200 steps of x <- x - 0.01 V'(x) from 3 end at 2.2361, V = -20.
    out = invoke_json(
        "descend", DOUBLE_WELL, "--x0", "3", "--method", "gd", "--lr", "0.01", "--steps", "200", "--tol", "0"
    )
    assert (out["status"], out["steps"], out["lr"]) == ("completed", 200, 0.01)
    x, path = 3.0, [3.0]
    for _ in range(200):  # the loop by hand (the compiled gradient may round its last digit differently)
        x = x - 0.01 * (4 * x**3 - 20 * x)
        path.append(x)
    assert [p["x"][0] for p in out["trajectory"]] == pytest.approx(path, rel=1e-13)
    assert round(out["x"][0], 4) == 2.2361 and round(out["value"], 4) == -20.0
    assert f"{out['trajectory'][10]['x'][0]:.10g}" == "2.238186377"  # README's table, step 10
    assert out["evaluations"] == {"value": 201, "gradient": 201, "hessian": 0}


def test_a_step_too_large_oscillates_and_the_bound_comes_from_the_hessian():
    result = invoke("descend", "@double-well", "--x0", "0.01", "--lr", "0.05")
    assert result.exit_code == 1
    out = invoke_json("descend", "@double-well", "--x0", "0.01", "--lr", "0.05", exit_code=1)
    assert out["status"] == "max_steps"
    last = [p["x"][0] for p in out["trajectory"][-4:]]
    assert [round(v, 3) for v in last] == [2.253, 2.218, 2.253, 2.218]  # flips forever: lr V'' = 2
    lam = max(12 * v * v - 20 for v in last)  # V'' of x**4 - 10 x**2 + 5, by hand
    expected = (
        f"error: descent did not converge in 1000 steps (|grad V| = {out['grad_norm']:.3g} > tol 1e-08): "
        f"the path oscillates, the step is too large; a stable step needs lr < 2/λmax ≈ {2 / lam:.3g} "
        f"(λmax = {lam:.4g}, the Hessian's largest eigenvalue at the last points; lr is 0.05)"
    )
    assert result.stderr.strip() == expected
    assert "0.0489" in expected


def test_divergence_gives_the_bound_at_the_start():
    result = invoke("descend", "@muller-brown", "--lr", "0.01")
    assert result.exit_code == 1
    # The Hessian at the start (-0.5, 1.5) by central differences of the exact gradient.
    from gradcli.named import find_potential

    V = find_potential("muller-brown").potential()
    h = 1e-5
    H = np.array(
        [(V.grad(np.array([-0.5, 1.5]) + h * e) - V.grad(np.array([-0.5, 1.5]) - h * e)) / (2 * h) for e in np.eye(2)]
    )
    lam = float(np.linalg.eigvalsh(0.5 * (H + H.T))[-1])
    assert f"a stable step needs lr < 2/λmax ≈ {2 / lam:.3g} (λmax = {lam:.4g}" in result.stderr
    assert result.stderr.startswith("error: descent diverged at step 4 (")
    assert "the step is too large" in result.stderr and "at the start; lr is 0.01)" in result.stderr


def test_momentum_has_its_own_bound():
    result = invoke("descend", ROSENBROCK, "--x0=-1.2,1", "--method", "momentum", "--lr", "0.01")
    assert result.exit_code == 1
    # Heavy ball is stable on a quadratic for lr·λ < 2(1 + μ) = 3.8; λmax at the start from the exact Hessian.
    x, y = -1.2, 1.0
    lam = float(np.linalg.eigvalsh([[1200 * x * x - 400 * y + 2, -400 * x], [-400 * x, 200]])[-1])
    assert (
        f"lr < 3.8/λmax ≈ {3.8 / lam:.3g} (λmax = {lam:.4g}, the Hessian's largest eigenvalue at the start"
        in result.stderr
    )


def test_steps_too_small_point_to_a_larger_lr_or_lbfgs():
    result = invoke("descend", DOUBLE_WELL, "--x0", "3", "--method", "gd", "--lr", "0.01", "--steps", "5")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: descent did not converge in 5 steps (|grad V| = 1.14 > tol 1e-08); "
        "try a larger --lr or --method lbfgs (or more --steps)\n"
    )


def test_a_stall_reports_scipys_message_and_a_reachable_tol():
    out = invoke_json("descend", "@lj-cluster", "--param", "n=7", "--method", "lbfgs", exit_code=1)
    assert out["status"] == "stalled" and out["converged"] is False
    assert out["message"] == "scipy (L-BFGS-B): CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH"
    result = invoke("descend", "@lj-cluster", "--param", "n=7", "--method", "lbfgs")
    assert result.exit_code == 1
    assert "V no longer changes within float64 rounding here" in result.stderr
    tol = float(result.stderr.split("ask for --tol ")[1].split()[0])
    assert tol >= out["grad_norm"]
    assert (
        invoke_json("descend", "@lj-cluster", "--param", "n=7", "--method", "lbfgs", "--tol", str(tol))["status"]
        == "converged"
    )


@pytest.mark.parametrize("expr, x0, kind", [("-x**2", "0", "maximum"), ("x**2 - y**2", "0,0", "saddle")])
def test_a_converged_end_that_is_not_a_minimum_is_warned_about(expr, x0, kind):
    result = invoke("descend", expr, "--x0", x0)
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: the end point is a {kind} (from the Hessian there), not a minimum; start elsewhere to go downhill\n"
    )
    assert invoke_json("descend", expr, "--x0", x0)["end_kind"] == kind
    assert invoke_json("descend", "x**2 + y**2", "--x0", "1,2")["end_kind"] == "minimum"


def test_the_comparison_table():
    out = invoke_json("descend", ROSENBROCK, "--x0=-1.2,1", "--method", "gd,bfgs,lbfgs,trust")
    assert out["methods"] == ["gd", "bfgs", "lbfgs", "trust"] and out["x0"] == [-1.2, 1.0]
    for run, method in zip(out["runs"], out["methods"]):
        assert run["method"] == method and run["status"] == "converged"
        assert run["x"] == pytest.approx([1.0, 1.0], abs=1e-7)
        assert set(run["evaluations"]) == {"value", "gradient", "hessian"}
    assert out["runs"][3]["evaluations"]["hessian"] > 0
    table = invoke("descend", ROSENBROCK, "--x0=-1.2,1", "--method", "gd,bfgs,lbfgs,trust", env={"COLUMNS": "80"})
    assert table.exit_code == 0 and table.stderr == ""
    lines = table.stdout.splitlines()
    assert lines[0] == f"methods compared: {ROSENBROCK}"
    for run in out["runs"]:
        row = next(line for line in lines if line.startswith(f"│ {run['method']} "))
        cells = [c.strip() for c in row.strip("│").split("│")]
        e = run["evaluations"]
        assert cells == [
            run["method"],
            str(run["steps"]),
            f"{e['value']}/{e['gradient']}/{e['hessian']}",
            f"{run['value']:.4g}",
            f"{run['grad_norm']:.4g}",
            "converged",
        ]


def test_a_comparison_with_failures_exits_1_naming_each():
    out = invoke_json("descend", ROSENBROCK, "--x0=-1.2,1", "--method", "momentum,lbfgs", exit_code=1)
    assert [r["status"] for r in out["runs"]] == ["diverged", "converged"]
    result = invoke("descend", ROSENBROCK, "--x0=-1.2,1", "--method", "momentum,lbfgs")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: momentum: momentum diverged at step ")


def test_the_comparison_plot(tmp_path):
    path = tmp_path / "methods.png"
    result = invoke("descend", ROSENBROCK, "--x0=-1.2,1", "--method", "gd,lbfgs", "--plot", path)
    assert result.exit_code == 0 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (("--method", "sgd"), "unknown method 'sgd'; known methods: " + ", ".join(OPTIMIZERS)),
        (("--method", "gd,,lbfgs"), "--method: 'gd,,lbfgs' has an empty name; e.g. --method gd,lbfgs"),
        (("--method", "gd,gd"), "--method: 'gd,gd' names a method twice"),
        (
            ("--method", "lbfgs", "--lr", "0.1"),
            "--lr is not a setting of --method lbfgs (it is one of gd, momentum, nesterov, adam)",
        ),
        (("--momentum", "0.5"), "--momentum is not a setting of --method gd (it is one of momentum, nesterov)"),
        (("--method", "momentum", "--momentum", "1"), "momentum must be a number from 0 to below 1, got 1.0"),
        (("--method", "adam", "--betas", "0.9"), "--betas takes two numbers B1,B2 (e.g. 0.9,0.999), got '0.9'"),
        (("--fmax", "0"), "--fmax must be a finite number > 0, got 0"),
        (("--fix", "z"), "cannot fix 'z': it is not a variable (x, y)"),
        (("--fix", "x,y"), "every variable is fixed: nothing is left to minimise"),
        (
            ("--fix", "x=a"),
            "--fix x: 'a' is not a number (ASCII digits in decimal or scientific notation, e.g. 2, -0.5, 1e-3)",
        ),
        (("--fix", "x", "--fix", "x=1"), "--fix: 'x' is fixed twice"),
    ],
)
def test_bad_method_options_are_input_errors(args, message):
    result = invoke("descend", "x**2 + y**2", "--x0", "1,1", *args)
    assert result.exit_code == 2 and result.stderr == f"error: {message}\n"
    assert invoke_json("descend", "x**2 + y**2", "--x0", "1,1", *args, exit_code=2)["error"]["message"] == message


@pytest.mark.parametrize("fix, x, fixed", [("y", [1.0, 0.0], {"y": None}), ("y=1", [0.5, 1.0], {"y": 1.0})])
def test_fixed_coordinates(fix, x, fixed):
    # V = (x-1)² + (y-2)² + x y: with y held at c, dV/dx = 2(x - 1) + c = 0 gives x = 1 - c/2.
    out = invoke_json("descend", "(x-1)**2 + (y-2)**2 + x*y", "--x0", "0,0", "--fix", fix)
    assert out["status"] == "converged" and out["x"] == pytest.approx(x, abs=1e-9)
    assert out["fixed"] == fixed
    assert all(p["x"][1] == x[1] for p in out["trajectory"])
    # The gradient reported covers every variable; the stopping test only the free ones.
    assert out["gradient"][1] == pytest.approx(2 * (x[1] - 2) + x[0]) and out["grad_norm"] <= 1e-8


def test_fmax_is_ases_per_atom_force():
    out = invoke_json("descend", "@lj-cluster", "--param", "n=7", "--method", "fire", "--fmax", "1e-3", "--tol", "0")
    assert out["status"] == "converged" and out["fmax"] == 1e-3
    per_atom = np.linalg.norm(np.array(out["gradient"]).reshape(-1, 3), axis=1)
    assert per_atom.max() <= 1e-3 and out["grad_norm"] > 1e-3 / 2  # stopped by fmax, not by a tiny gradient


def _write(folder, descent):
    folder.mkdir()
    (folder / "well.toml").write_text(
        'name = "well"\ndescription = "a quartic well"\nexpression = "(x**2 - 1)**2 + 0.1*x"\n'
        f'variables = ["x"]\nstart = [2.0]\n\n[descent]\n{descent}\n'
    )
    return folder


def test_a_potential_may_suggest_a_method(tmp_path):
    folder = _write(tmp_path / "p", 'method = "lbfgs"\nsteps = 50')
    out = invoke_json("descend", "@well", "--potentials-dir", folder)
    assert out["method"] == "lbfgs" and out["status"] == "converged"
    assert out["settings_from"] == {"steps": "@well", "tol": "default"} and out["max_steps"] == 50
    # Another method asked for keeps the file's steps only if it is a gradient step (steps is its budget).
    gd = invoke_json("descend", "@well", "--potentials-dir", folder, "--method", "gd")
    assert gd["method"] == "gd" and gd["settings_from"]["steps"] == "@well"
    bfgs = invoke_json("descend", "@well", "--potentials-dir", folder, "--method", "bfgs")
    assert bfgs["settings_from"]["steps"] == "default"
    table = invoke("potentials", "show", "well", "--potentials-dir", folder, env={"COLUMNS": "200"})
    assert "method lbfgs, steps 50; descend uses these unless --method, --lr, --steps, --tol are given" in table.stdout


def test_a_potential_file_naming_an_unknown_method_is_refused(tmp_path):
    folder = _write(tmp_path / "p", 'method = "sgd"')
    result = invoke("descend", "@well", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("well.toml: field 'descent.method' must be one of " + ", ".join(OPTIMIZERS))


def test_every_method_runs_from_the_command_line():
    for method in OPTIMIZERS:
        out = invoke_json("descend", DOUBLE_WELL, "--x0", "3", "--method", method)
        assert out["method"] == method and out["status"] == "converged", method
        assert out["x"] == pytest.approx([math.sqrt(5)], abs=1e-8)
        json.dumps(out["settings"])  # plain data
