"""Suggested descent settings ([descent] in a potential file, computed for the
families): `gradcli descend @NAME` with no --lr/--steps converges from the
potential's start to one of its listed minima; the user's options win; the
new fields are validated like every other one."""

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from gradcli.cli.app import app
from gradcli.named import DescentSettings, find_potential, list_potentials, validate_potential

ENV = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "200", "GRADCLI_POTENTIALS": None}


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=ENV)


def run_json(*args, exit_code=0):
    result = run(*args, "--json")
    assert result.exit_code == exit_code, (result.stdout[-2000:], result.stderr)
    return json.loads(result.stdout)


FILES = sorted(spec.name for spec in list_potentials() if spec.family is None)
SIZES = [("lj-cluster", n) for n in (2, 3, 4, 5, 6, 7, 13)] + [("rosenbrock-nd", n) for n in (2, 4, 7)]
# Morse at rho = 6: from the fcc start 5, 7 and 13 atoms reach the global minimum (6 a local one, not listed).
SIZES += [("morse-cluster", n) for n in (5, 7, 13)]
CASES = [(name, None) for name in FILES] + SIZES


def _case_id(case):
    name, n = case
    return name if n is None else f"{name}-n{n}"


def _pair_distances(x) -> np.ndarray:
    atoms = np.asarray(x).reshape(-1, 3)
    return np.sort([np.linalg.norm(a - b) for i, a in enumerate(atoms) for b in atoms[i + 1 :]])


def _same_minimum(name, x, s) -> bool:
    """Is the end point ``x`` the listed minimum ``s``, up to the potential's symmetry?"""
    if name.endswith("-cluster"):  # any translation, rotation or relabelling of the atoms
        return np.allclose(_pair_distances(x), _pair_distances(s.point), atol=1e-5)
    if name == "mexican-hat":  # any point of the ring x^2 + y^2 = a^2
        return abs(math.hypot(*x) - math.hypot(*s.point)) < 1e-6
    return np.allclose(x, s.point, atol=1e-5)


def test_every_named_potential_has_settings():
    for name, n in CASES:
        spec, values = find_potential(name).bind({} if n is None else {"n": n})
        settings = spec.descent_settings(values)
        assert settings["lr"] > 0 and settings["steps"] >= 1000, name


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_descend_named_with_its_own_settings_reaches_a_listed_minimum(case):
    name, n = case
    params = () if n is None else ("--param", f"n={n}")
    out = run_json("descend", f"@{name}", *params)
    assert out["status"] == "converged"
    assert out["settings_from"] == {"lr": f"@{name}", "steps": f"@{name}", "tol": "default"}
    spec, values = find_potential(name).bind({} if n is None else {"n": n})
    assert out["x0"] == list(spec.start)
    assert out["lr"] == spec.descent_settings(values)["lr"]
    minima = [s for s in spec.stationary if s.kind == "minimum"]
    reached = [s for s in minima if _same_minimum(name, out["x"], s)]
    assert reached, (name, out["x"], out["value"])
    assert out["value"] == pytest.approx(reached[0].value, rel=1e-9, abs=1e-9)


def test_lj13_reaches_the_icosahedron():
    out = run_json("descend", "@lj-cluster")  # n = 13 by default
    assert out["value"] == pytest.approx(-44.326801, abs=1e-6)
    assert out["steps"] < 1000
    assert out["lr"] == pytest.approx(1 / (72 * 2 ** (-1 / 3) * 13))  # 1 / (k0 min(n, 14))


def test_lj6_descent_ends_in_the_listed_local_minimum():
    out = run_json("descend", "@lj-cluster", "--param", "n=6")
    assert out["value"] == pytest.approx(-12.302927529580728, abs=1e-9)  # not the octahedron, -12.712062


def test_lj_settings_scale_with_eps_and_sigma():
    base = find_potential("lj-cluster").bind({"n": 5})
    scaled = find_potential("lj-cluster").bind({"n": 5, "eps": 2.0, "sigma": 3.0})
    assert scaled[0].descent_settings(scaled[1])["lr"] == pytest.approx(base[0].descent_settings()["lr"] * 9 / 2)
    out = run_json("descend", "@lj-cluster", "--param", "n=5", "--param", "eps=2", "--param", "sigma=3")
    assert out["status"] == "converged" and out["value"] == pytest.approx(2 * -9.103852415707557, rel=1e-9)


def test_lr_expression_follows_a_parameter_override():
    out = run_json("descend", "@harmonic", "--param", "k=100")  # lr 0.01 would still do; 0.5 (k=1) diverges
    assert out["lr"] == pytest.approx(0.005)
    assert out["status"] == "converged" and abs(out["x"][0]) < 1e-8
    out = run_json("descend", "@morse", "--param", "D=1", "--param", "a=3")
    assert out["lr"] == pytest.approx(1 / 36) and out["status"] == "converged"


def test_user_options_win():
    out = run_json("descend", "@muller-brown", "--lr", "0.01", exit_code=1)  # the plain default diverges there
    assert out["status"] == "diverged"
    assert out["lr"] == 0.01 and out["max_steps"] == 2000
    assert out["settings_from"] == {"lr": "--lr", "steps": "@muller-brown", "tol": "default"}
    out = run_json("descend", "@muller-brown", "--steps", "10", exit_code=1)
    assert out["status"] == "max_steps" and out["steps"] == 10 and out["lr"] == 0.0002
    out = run_json("descend", "@muller-brown", "--steps", "50", "--tol", "0")
    assert out["status"] == "completed" and out["settings_from"]["tol"] == "--tol"
    out = run_json("descend", "@rosenbrock", "--lr", "0.001", "--steps", "60000", "--x0", "0,0")
    assert out["status"] == "converged" and out["settings_from"]["lr"] == "--lr"


def test_plain_expressions_keep_the_defaults():
    out = run_json("descend", "x**4-10*x**2+5", "--x0", "3")
    # lr None: gradient descent picks its own step (Barzilai-Borwein) when none is given or suggested.
    assert (out["lr"], out["max_steps"], out["tol"]) == (None, 10_000, 1e-8)
    assert out["settings_from"] == {"lr": "default", "steps": "default", "tol": "default"}
    assert "from @" not in run("descend", "x**2", "--x0", "1").stdout


def test_summary_says_where_the_settings_came_from():
    result = run("descend", "@muller-brown")
    assert result.exit_code == 0, result.stderr
    assert "lr 0.0002, tol 1e-08; lr and steps from @muller-brown" in result.stdout
    result = run("descend", "@muller-brown", "--lr", "0.0003")
    assert "lr 0.0003, tol 1e-08; steps from @muller-brown" in result.stdout


def test_potentials_show_lists_the_settings():
    data = run_json("potentials", "show", "muller-brown")
    assert data["descent"] == {"lr": 0.0002, "steps": 2000, "lr_expression": None}
    assert data["zero_modes"] == 0
    data = run_json("potentials", "show", "harmonic", "--param", "k=4")
    assert data["descent"] == {"lr": 0.125, "steps": 1000, "lr_expression": "0.5/k"}
    data = run_json("potentials", "show", "lj-cluster", "--param", "n=2")
    assert data["zero_modes"] == 5 and data["descent"]["steps"] == 50000
    result = run("potentials", "show", "rosenbrock")
    assert result.exit_code == 0, result.stderr
    assert "lr 0.000625 (= 1/(8*b*(a**2 + 1))), steps 100000" in result.stdout
    assert "zero modes" in run("potentials", "show", "lj-cluster").stdout


def test_listing_json_keeps_its_keys():
    rows = run_json("potentials")["potentials"]
    assert all(set(row) == {"name", "description", "expression", "variables", "parameters"} for row in rows)


def test_settings_evaluate():
    assert DescentSettings().evaluate({}) == {}
    assert DescentSettings(lr=0.1, steps=5, tol=0.0).evaluate({}) == {"lr": 0.1, "steps": 5, "tol": 0.0}
    assert DescentSettings(lr="sqrt(k)/10").evaluate({"k": 4.0}) == {"lr": pytest.approx(0.2)}


# --- validation of the new fields --------------------------------------------------------

FILE = """
name = "{name}"
description = "A test well"
expression = "k*x**2"
variables = ["x"]
start = [1.0]
{top}
[parameters]
k = 3.0
{descent}
[[stationary]]
point = [0.0]
value = 0.0
kind = "minimum"
{stationary}
"""


def _write(folder, name="well", top="", descent="", stationary=""):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(
        FILE.format(name=name, top=top, descent=descent, stationary=stationary), encoding="utf-8"
    )
    return folder


def test_a_good_descent_table(tmp_path):
    folder = _write(tmp_path / "p", descent='[descent]\nlr = "0.25/k"\nsteps = 300\ntol = 1e-10\n')
    out = run_json("descend", "@well", "--potentials-dir", folder)
    assert out["lr"] == pytest.approx(0.25 / 3) and out["max_steps"] == 300 and out["tol"] == 1e-10
    assert out["settings_from"] == {"lr": "@well", "steps": "@well", "tol": "@well"}
    assert out["status"] == "converged"


@pytest.mark.parametrize(
    "descent, top, message",
    [
        ("", "descent = 0.1\n", "field 'descent' must be a table"),
        ("[descent]\nrate = 0.1\n", "", "field 'descent' has an unknown key 'rate' (known: lr, steps, tol, method)"),
        ("[descent]\nlr = -0.1\n", "", "field 'descent.lr' must be a positive number or an expression"),
        ("[descent]\nlr = 0\n", "", "field 'descent.lr' must be a positive number"),
        ('[descent]\nlr = "  "\n', "", "field 'descent.lr' must be a positive number"),
        ("[descent]\nlr = true\n", "", "field 'descent.lr' must be a positive number"),
        ("[descent]\nsteps = 0\n", "", "field 'descent.steps' must be a whole number from 1"),
        ("[descent]\nsteps = 10.5\n", "", "field 'descent.steps' must be a whole number from 1"),
        ("[descent]\nsteps = true\n", "", "field 'descent.steps' must be a whole number from 1"),
        ("[descent]\ntol = -1e-8\n", "", "field 'descent.tol' must be a number >= 0"),
        ('[descent]\ntol = "small"\n', "", "field 'descent.tol' must be a number >= 0"),
        # Bounded like the command's options (issue 15, item 15): no run for ever, no step that cannot move.
        (
            "[descent]\nsteps = 1_000_000_000\nlr = 1e-300\n",
            "",
            "field 'descent.lr' is 1e-300, outside the range 1e-12 to 1e+12",
        ),
        ("[descent]\nlr = 1e13\n", "", "field 'descent.lr' is 1e+13, outside the range 1e-12 to 1e+12"),
        ("[descent]\nsteps = 1_000_001\n", "", "field 'descent.steps' must be a whole number from 1 to 1,000,000"),
        ("[descent]\nsteps = 1_000_000_000\n", "", "field 'descent.steps' must be a whole number from 1 to 1,000,000"),
        ("[descent]\ntol = 2.0\n", "", "field 'descent.tol' is 2, outside the range 0 to 1"),
        ("[descent]\ntol = inf\n", "", "field 'descent.tol' must be a number >= 0"),
        ("[descent]\nlr = nan\n", "", "field 'descent.lr' must be a positive number or an expression"),
        ("", "zero_modes = 1\n", "field 'zero_modes' must be an integer from 0 to 0"),
        ("", "zero_modes = -1\n", "field 'zero_modes' must be an integer from 0 to 0"),
        ("", 'zero_modes = "six"\n', "field 'zero_modes' must be an integer from 0 to 0"),
    ],
)
def test_malformed_new_fields_name_file_and_field(tmp_path, descent, top, message):
    folder = _write(tmp_path / "p", top=top, descent=descent)
    for args in (("potentials", "show", "well"), ("descend", "@well")):
        result = run(*args, "--potentials-dir", folder)
        assert result.exit_code == 2, result.stdout
        assert "well.toml: " + message in result.stderr, result.stderr
    assert run("potentials", "--potentials-dir", folder).exit_code == 0  # the others still list


@pytest.mark.parametrize(
    "lr, message",
    [
        ("__import__('os').system('true')", "field 'descent.lr' is refused"),
        ("x/2", "field 'descent.lr' uses 'x', which is not a parameter"),
        (
            "-1/k",
            "field 'descent.lr': the suggested learning rate of '@well' (lr = -1/k) is -0.333333 at k=3, "
            "not a positive number at the defaults",
        ),
        ("1/(k-3)", "field 'descent.lr': the suggested learning rate of '@well' (lr = 1/(k-3))"),
    ],
)
def test_descent_lr_expression_is_checked_when_validated(tmp_path, lr, message):
    folder = _write(tmp_path / "p", descent=f'[descent]\nlr = "{lr}"\n')
    result = run("potentials", "show", "well", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert "well.toml: " + message in result.stderr, result.stderr


def test_settings_at_the_bounds_are_accepted(tmp_path):
    folder = _write(tmp_path / "p", descent="[descent]\nlr = 1e-12\nsteps = 1_000_000\ntol = 1.0\n")
    validate_potential(find_potential("well", [folder]))
    assert find_potential("well", [folder]).descent_settings() == {"lr": 1e-12, "steps": 1_000_000, "tol": 1.0}


def test_an_lr_expression_out_of_range_names_file_and_field(tmp_path):
    folder = _write(tmp_path / "p", descent='[descent]\nlr = "1e-300*k"\n')
    result = run("potentials", "show", "well", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {folder / 'well.toml'}: field 'descent.lr': the suggested learning rate of "
        "'@well' (lr = 1e-300*k) is 3e-300 at k=3, outside the range 1e-12 to 1e+12 "
        "at the defaults\n"
    )
    # At parameters given on the command line: an input error that names the file and asks for --lr ...
    folder = _write(tmp_path / "q", descent='[descent]\nlr = "0.25/k"\n')
    out = run_json("descend", "@well", "--param", "k=1e-20", "--potentials-dir", folder, exit_code=2)
    assert out["error"] == {
        "kind": "input",
        "message": (
            f"{folder / 'well.toml'}: field 'descent.lr': the suggested learning rate of '@well' (lr = 0.25/k) is "
            "2.5e+19 at k=1e-20, outside the range 1e-12 to 1e+12; give --lr"
        ),
    }
    # ... and --lr replaces the suggestion.
    out = run_json(
        "descend", "@well", "--param", "k=1e-20", "--lr", "1", "--steps", "2", "--tol", "0", "--potentials-dir", folder
    )
    assert out["settings_from"]["lr"] == "--lr" and out["status"] == "completed"


def test_every_family_setting_is_within_the_bounds():
    from gradcli.named.spec import LR_RANGE, MAX_STEPS

    for name, n in [("lj-cluster", 2), ("lj-cluster", 40), ("rosenbrock-nd", 2), ("rosenbrock-nd", 1000)]:
        spec, values = find_potential(name).bind({"n": n})
        settings = spec.descent_settings(values)
        assert LR_RANGE[0] <= settings["lr"] <= LR_RANGE[1] and 1 <= settings["steps"] <= MAX_STEPS, (name, n)


def test_a_parameter_that_makes_the_suggested_lr_negative_asks_for_lr(tmp_path):
    folder = _write(tmp_path / "p", descent='[descent]\nlr = "1/k"\n')
    result = run("descend", "@well", "--param", "k=-2", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert (
        "the suggested learning rate of '@well' (lr = 1/k) is -0.5 at k=-2, not a positive number; give --lr"
        in result.stderr
    )
    assert (
        run("descend", "@well", "--param", "k=-2", "--lr", "0.1", "--steps", "3", "--potentials-dir", folder).exit_code
        == 1
    )  # runs (and climbs out of the inverted well)


def test_stationary_zero_modes_default_to_and_cannot_undercut_the_potentials(tmp_path):
    two = """
name = "valley"
description = "A valley along x = y"
expression = "(x - y)**2"
variables = ["x", "y"]
start = [1.0, 0.0]
zero_modes = 1
{descent}
[[stationary]]
point = [0.5, 0.5]
value = 0.0
kind = "minimum"
{extra}
"""
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "valley.toml").write_text(two.format(descent="", extra=""), encoding="utf-8")
    spec = find_potential("valley", [folder])
    assert spec.zero_modes == 1 and spec.stationary[0].zero_modes == 1
    validate_potential(spec)
    assert (
        run_json("force-constant", "@valley", "--at", "0.5,0.5", "--potentials-dir", folder)["classification"]
        == "minimum"
    )
    (folder / "valley.toml").write_text(two.format(descent="", extra="zero_modes = 0"), encoding="utf-8")
    result = run("potentials", "show", "valley", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert (
        "valley.toml: field 'stationary[0].zero_modes' is 0, fewer than the potential's zero_modes = 1" in result.stderr
    )


def test_declared_zero_modes_that_are_not_zero_are_reported(tmp_path):
    folder = _write(tmp_path / "p", stationary="zero_modes = 0")
    validate_potential(find_potential("well", [folder]))
    text = (
        (folder / "well.toml")
        .read_text()
        .replace('variables = ["x"]', 'variables = ["x", "y"]')
        .replace("k*x**2", "k*x**2 + y**2")
        .replace("start = [1.0]", "start = [1.0, 1.0]")
        .replace("point = [0.0]", "point = [0.0, 0.0]")
        .replace("zero_modes = 0", "zero_modes = 1")
    )
    (folder / "well.toml").write_text(text)
    result = run("potentials", "show", "well", "--potentials-dir", folder)
    assert result.exit_code == 2
    assert "1 zero modes are declared but only 0 of the Hessian's eigenvalues are zero" in result.stderr


def test_named_start_follows_a_reordering_of_the_variables():
    out = run_json("descend", "@muller-brown", "--vars", "y,x")
    assert out["variables"] == ["y", "x"] and out["x0"] == [1.5, -0.5]
    assert out["x"] == pytest.approx([1.4417258418046687, -0.5582236346330243], abs=1e-7)
