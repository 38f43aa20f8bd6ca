"""gradcli basins and gradcli global: JSON, tables, errors and exit codes."""

import json
import sys

import pytest
from cli_helpers import ctrl_c_at, sigint_once_the_bar_shows
from typer.testing import CliRunner

from gradcli.cli.app import app

MB_BOX = "x=-1.5:1.2,y=-0.5:2"


def _run(*args):
    return CliRunner().invoke(app, list(args))


def test_basins_json_lists_each_minimum_with_its_share(tmp_path):
    plot = tmp_path / "basins.png"
    result = _run("basins", "@muller-brown", "--box", MB_BOX, "--grid", "60x60", "--json", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data)[:5] == ["command", "expression", "variables", "params", "potential"]
    assert data["starts"] == 3600 and data["grid"] == [60, 60] and data["samples"] is None
    assert [round(m["value"], 6) for m in data["minima"]] == [-146.699517, -108.166724, -80.767818]
    assert all(m["kind"] == "minimum" for m in data["minima"])
    assert sum(m["count"] for m in data["minima"]) + data["not_converged"] == 3600
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_basins_table_shows_shares_and_the_walkers():
    result = _run("basins", "(x**2+y-11)**2+(x+y**2-7)**2", "--box", "x=-5:5,y=-5:5", "--samples", "2000")
    assert result.exit_code == 0, result.output
    assert "2000 random starts (seed 0) in x=[-5, 5], y=[-5, 5]" in result.stdout
    assert result.stdout.count(" minimum ") == 4 and "2000 converged" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--box", "x=-1:1"], "error: --box must give one range per variable (x, y): no range for y"),
        (
            ["--box", "x=-1:1,y=0-1"],
            "error: --box 'x=-1:1,y=0-1': expected NAME=LOW:HIGH for each variable, e.g. x=-1:1,y=0:2",
        ),
        (["--box", "x=-1:1,z=0:1"], "error: --box: 'z' is not a variable of the expression (variables: x, y)"),
        (["--box", "x=-1:1,y=0:1", "--grid", "10x10x10"], "error: --grid '10x10x10': expected 2 counts like 200x200"),
        (["--box", "x=-1:1,y=0:1", "--grid", "5", "--samples", "9"], "error: give --samples or --grid, not both"),
        (
            ["--box", "x=-1:1,y=0:1", "--method", "newton"],
            "error: basins runs gd, fire, lbfgs on many walkers at once, not 'newton'",
        ),
    ],
)
def test_basins_input_errors_exit_2(args, message):
    result = _run("basins", "x**2+y**2", *args)
    assert (result.exit_code, result.stderr.strip()) == (2, message)


def test_basins_with_no_converged_walker_exits_1():
    result = _run("basins", "x**3", "--box", "x=-1:1", "--samples", "50", "--method", "gd", "--steps", "20", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["status"], data["minima"], data["walkers"], data["not_converged"]) == (
        "no_minimum",
        [],
        {"max_steps": 50},
        50,
    )
    assert (
        result.stderr.strip() == "error: no walker converged (|grad V| <= 1e-06); try more --steps or another --method"
    )


def test_global_reports_the_lowest_minima_and_when_each_was_found():
    result = _run("global", "x**4-10*x**2+5+x", "--x0", "2", "--hops", "20", "--step", "3", "--seed", "1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "completed" and data["hops"] == 20
    assert data["best"]["value"] == pytest.approx(-22.24843126, abs=1e-7) and data["best"]["hop"] == 8
    assert [m["hop"] for m in data["minima"]] == [8, 0]


def test_global_target_missed_exits_1():
    result = _run("global", "x**2", "--x0", "1", "--hops", "3", "--target", "-1")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: no minimum at or below --target -1 in 3 hops (best 0); try more --hops or another --seed"
    )


def test_global_needs_a_start_for_a_typed_expression():
    result = _run("global", "x**2")
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        "error: --x0 POINT is required (where the search starts), e.g. --x0 3 or --x0 x=1,y=2",
    )


def test_ctrl_c_prints_the_best_so_far_as_json_and_exits_130(monkeypatch):
    """Ctrl-C during the third hop: the JSON object carries status interrupted and the best so far."""
    with ctrl_c_at(monkeypatch, 3):
        result = _run("global", "@lj-cluster", "--param", "n=13", "--hops", "100000", "--json")
    assert result.exit_code == 130, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "interrupted" and data["hops"] == 3 and data["best"]["value"] < -40
    assert data["best"]["value"] == min(m["value"] for m in data["minima"])
    assert "interrupted after 3 hops" in result.stderr


@pytest.mark.slow
def test_a_real_sigint_prints_the_best_so_far_and_exits_130():
    """SIGINT once the progress bar shows (the search is under way, however loaded the machine)."""
    status, stdout, stderr = sigint_once_the_bar_shows(
        [sys.executable, "-m", "gradcli.cli.app", "global", "@lj-cluster", "--param", "n=13", "--hops", "100000"]
    )
    assert status == 130, stderr
    assert "interrupted" in stdout and "Traceback" not in stderr
    assert "the best so far is shown" in stderr


@pytest.mark.parametrize("columns", ["40", "60", "80", "200"])
def test_a_basin_share_keeps_its_error_with_the_plus_minus(columns):
    args = ["basins", "@muller-brown", "--box", MB_BOX, "--samples", "300", "--seed", "1"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": columns})
    data = json.loads(_run(*args, "--json").stdout)
    assert result.exit_code == 0, result.output
    # "±" is written against its error ("±1.10"): a narrow table wraps before it, never after it.
    errors = [f"±{100 * m['share_error']:.2f}" for m in data["minima"]]
    assert all(error in result.output for error in errors)
    assert result.output.count("±") == len(errors)
