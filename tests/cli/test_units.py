"""Units in tables and JSON (issue 14 item 3): a named potential that declares
its units shows them in headers (``V (eV)``, ``F (eV/Å)``, ``λ (eV/Å²)``) and
its JSON carries a ``units`` object; typed expressions have none (headers bare,
``"units": null``), and neither do headers of potentials in reduced units."""

import math
import os
import subprocess
import sys

import pytest
from cli_helpers import invoke, invoke_json

from gradcli.cli.units import label, unit
from gradcli.named.units import Units

EV_ANGSTROM = {"energy": "eV", "length": "Å", "mass": "amu"}  # potentials/morse.toml


def headers(stdout: str, title: str) -> list[str]:
    """The column headers of the table titled ``title`` in Rich's output."""
    lines = stdout.splitlines()
    row = next(line for line in lines[lines.index(title) :] if line.startswith("┃"))
    return [cell.strip() for cell in row.strip("┃").split("┃")]


def summary_names(stdout: str) -> list[str]:
    """The first column of the first (summary) table."""
    return [line.split("│")[1].strip() for line in stdout.splitlines() if line.startswith("│")]


@pytest.mark.parametrize(
    "args",
    [
        ["grad", "@morse", "--at", "0.9"],
        ["force", "@morse", "--at", "0.9"],
        ["force-constant", "@morse", "--at", "0.9"],
        ["descend", "@morse"],
        ["saddle", "@muller-brown", "--x0", "-0.8,0.6"],
    ],
)
def test_json_carries_the_declared_units(args):
    data = invoke_json(*args)
    expected = EV_ANGSTROM if "@morse" in args else {"energy": "reduced", "length": "reduced", "mass": None}
    assert data["units"] == expected
    assert list(data)[:6] == ["command", "expression", "variables", "params", "potential", "units"]


def test_morse_force_values_with_their_units():
    data = invoke_json("force", "@morse", "--at", "0.9")
    D, a, r0 = (data["params"][k] for k in ("D", "a", "r0"))
    e = math.exp(-a * (0.9 - r0))
    assert data["value"] == pytest.approx(D * (1 - e) ** 2, rel=1e-12)
    assert data["force"] == [pytest.approx(-2 * D * a * (1 - e) * e, rel=1e-12)]


def test_tables_of_a_named_potential_show_units():
    grad = invoke("grad", "@morse", "--at", "0.9").stdout
    assert headers(grad, "gradient") == ["variable", "at (Å)", "dV/d(variable) (eV/Å)"]
    assert "V (eV)" in summary_names(grad)

    force = invoke("force", "@morse", "--at", "0.9").stdout
    assert headers(force, "force F = -grad V") == ["variable", "at (Å)", "F (eV/Å)"]

    fc = invoke("force-constant", "@morse", "--at", "0.9").stdout
    assert headers(fc, "eigenvalues") == ["", "λ (eV/Å²)", "r"]
    assert "Hessian (force constants, eV/Å²)" in fc.splitlines()
    assert {"V (eV)", "|grad V| (eV/Å)"} <= set(summary_names(fc))

    descend = invoke("descend", "@morse").stdout
    assert headers(descend, "trajectory") == ["step", "r (Å)", "V (eV)", "|grad V| (eV/Å)"]
    assert {"V(x) (eV)", "|grad V| (eV/Å)"} <= set(summary_names(descend))


def test_a_typed_expression_has_no_units():
    for args in (["grad", "x**2", "--at", "3"], ["force", "x**2", "--at", "3"], ["descend", "x**2", "--x0", "3"]):
        assert invoke_json(*args)["units"] is None
    force = invoke("force", "0.5*k*x**2", "--param", "k=2", "--at", "3").stdout
    assert headers(force, "force F = -grad V") == ["variable", "at", "F"]
    fc = invoke("force-constant", "x**2", "--at", "1").stdout
    assert headers(fc, "eigenvalues") == ["", "λ", "x"]
    assert "Hessian (force constants)" in fc.splitlines()
    descend = invoke("descend", "x**2", "--x0", "3").stdout
    assert headers(descend, "trajectory") == ["step", "x", "V", "|grad V|"]


def test_reduced_units_stay_out_of_headers():
    out = invoke("descend", "@muller-brown").stdout
    assert headers(out, "trajectory") == ["step", "x", "y", "V", "|grad V|"]


def test_modes_keeps_its_units_key():
    assert invoke_json("modes", "@morse")["units"] == EV_ANGSTROM
    # A typed expression: modes' own default units (eV, Å, amu), as before.
    assert invoke_json("modes", "x**2", "--at", "0")["units"] == EV_ANGSTROM


@pytest.mark.slow
def test_units_fall_back_to_ascii():
    main = "import sys\nfrom gradcli.cli.app import main\nsys.argv = ['gradcli', *sys.argv[1:]]\nmain()\n"
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "PYTHONIOENCODING": "ascii"}
    env.pop("GRADCLI_POTENTIALS", None)
    proc = subprocess.run(
        [sys.executable, "-c", main, "force-constant", "@morse", "--at", "0.9"], capture_output=True, env=env
    )
    assert proc.returncode == 0 and proc.stderr == b""
    out = proc.stdout.decode("ascii")
    assert "| lambda (eV/A^2) |" in out
    assert "Hessian (force constants, eV/A^2)" in out
    assert "| |grad V| (eV/A) |" in out


def test_label_of_each_kind():
    ev = Units("eV", "Å", "amu")
    assert [label("q", kind, ev) for kind in ("energy", "length", "gradient", "curvature")] == [
        "q (eV)",
        "q (Å)",
        "q (eV/Å)",
        "q (eV/Å²)",
    ]
    assert label("F", "gradient", Units("J", "rad")) == "F (J/rad)"  # @pendulum: a torque
    assert unit("gradient", Units("eV", "reduced")) is None  # half a unit is no unit
    assert unit("energy", Units("eV", "reduced")) == "eV"
    assert label("V", "energy", None) == "V"
