"""Units and masses of named potentials (issue 14, item 3): declared in the
file's ``[units]`` table and ``masses``, validated like every field, carried
by the resolved potential and shown by ``gradcli potentials show``."""

import json
import math

import pytest
from typer.testing import CliRunner

from gradcli.cli.app import app
from gradcli.errors import PotentialFileError
from gradcli.named import find_potential, list_potentials, load, resolve

ENV = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "200", "GRADCLI_POTENTIALS": None}

# CODATA 2018 (exact SI values and the atomic mass constant).
EV = 1.602176634e-19  # J
AMU = 1.66053906660e-27  # kg
C_CM = 2.99792458e10  # speed of light, cm/s


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=ENV)


def test_every_builtin_declares_its_units():
    for spec in list_potentials():
        assert spec.units is not None, spec.name
        assert spec.units.energy and spec.units.length, spec.name
        if spec.masses is not None:
            assert spec.units.mass is not None and len(spec.masses) == len(spec.variables), spec.name


@pytest.mark.parametrize(
    "name, units",
    [
        ("morse", {"energy": "eV", "length": "Å", "mass": "amu"}),
        ("lennard-jones", {"energy": "eV", "length": "Å", "mass": "amu"}),
        ("pendulum", {"energy": "J", "length": "rad", "mass": None}),
        ("muller-brown", {"energy": "reduced", "length": "reduced", "mass": None}),
        ("lj-cluster", {"energy": "reduced", "length": "reduced", "mass": "reduced"}),
        ("rosenbrock-nd", {"energy": "reduced", "length": "reduced", "mass": None}),
    ],
)
def test_declared_units(name, units):
    assert find_potential(name).units.to_dict() == units


def test_morse_mass_is_the_h2_reduced_mass_and_gives_its_vibration():
    morse = load("morse")
    # m(1H) = 1.00782503223 u (AME2016, Chin. Phys. C 41, 030003 (2017)); mu = m/2.
    assert morse.masses == (pytest.approx(1.00782503223 / 2, abs=1e-9),)
    # The file's units and mass together give H2's harmonic wavenumber: omega = sqrt(k/mu) with
    # k = V''(r0) = 2 D a^2; Huber and Herzberg: omega_e = 4401.213 cm^-1 (the defaults' a came from it).
    k = float(morse.potential.hessian([0.7414])[0][0]) * EV / 1e-20  # eV/Å² -> N/m
    wavenumber = math.sqrt(k / (morse.masses[0] * AMU)) / (2 * math.pi * C_CM)
    assert wavenumber == pytest.approx(4401.213, rel=2e-3)


def test_lennard_jones_mass_is_the_argon_dimer_reduced_mass():
    # Argon's standard atomic weight 39.948 (IUPAC 2011, Pure Appl. Chem. 85, 1047 (2013)).
    assert load("lennard-jones").masses == (pytest.approx(39.948 / 2),)


def test_a_family_of_atoms_has_one_mass_per_coordinate():
    lj = load("lj-cluster", n=4)
    assert lj.masses == (1.0,) * 12 and lj.units.mass == "reduced"
    assert load("rosenbrock-nd").masses is None


def test_typed_expressions_have_no_units():
    typed = resolve("x**2", {})
    assert (typed.units, typed.masses, typed.start, typed.stationary, typed.zero_modes) == (None, None, None, (), 0)
    assert typed.descent_settings() == {} and typed.source is None


def test_show_json_has_units_and_masses():
    result = run("potentials", "show", "morse", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["units"] == {"energy": "eV", "length": "Å", "mass": "amu"}
    assert data["masses"] == [0.503912516]
    data = json.loads(run("potentials", "show", "himmelblau", "--json").stdout)
    assert data["units"] == {"energy": "reduced", "length": "reduced", "mass": None} and data["masses"] is None


def test_show_table_has_units_and_masses():
    result = run("potentials", "show", "morse")
    assert result.exit_code == 0
    assert "energy eV, length Å, mass amu" in result.stdout
    assert "r 0.503912516 amu" in result.stdout
    result = run("potentials", "show", "lj-cluster", "--param", "n=3")
    assert "1 reduced each (9 coordinates)" in result.stdout


# --- validation ---------------------------------------------------------------------------------

FILE = """
name = "well"
description = "A test well"
expression = "k*x**2 + y**2 + z**2"
variables = ["x", "y", "z"]
start = [1.0, 1.0, 1.0]
{top}
[parameters]
k = 3.0
{units}
"""


def _write(folder, top="", units=""):
    folder.mkdir(exist_ok=True)
    (folder / "well.toml").write_text(FILE.format(top=top, units=units), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "top, units, message",
    [
        ('units = "eV"\n', "", "field 'units' must be a table ([units]) with energy, length and mass"),
        (
            "",
            '[units]\nenergy = "eV"\nlength = "Å"\ntime = "fs"\n',
            "field 'units' has an unknown key 'time' (known: energy, length, mass)",
        ),
        ("", '[units]\nlength = "Å"\n', "field 'units.energy' is missing"),
        ("", '[units]\nenergy = "eV"\n', "field 'units.length' is missing"),
        (
            "",
            '[units]\nenergy = "furlong"\nlength = "Å"\n',
            "field 'units.energy' must be one of eV, meV, Ha, kcal/mol, kJ/mol, J, reduced",
        ),
        ("", '[units]\nenergy = "eV"\nlength = 1\n', "field 'units.length' must be one of Å, nm, pm, bohr, m, rad"),
        ("", '[units]\nenergy = "eV"\nlength = "Å"\nmass = "stone"\n', "field 'units.mass' must be one of amu"),
        (
            "masses = [1.0, 1.0]\n",
            '[units]\nenergy = "eV"\nlength = "Å"\nmass = "amu"\n',
            "field 'masses' has 2 entries; it needs 3 (one per variable) or 1 (one per atom)",
        ),
        (
            "masses = [1.0, -1.0, 1.0]\n",
            '[units]\nenergy = "eV"\nlength = "Å"\nmass = "amu"\n',
            "field 'masses' must be a list of positive numbers",
        ),
        (
            "masses = []\n",
            '[units]\nenergy = "eV"\nlength = "Å"\nmass = "amu"\n',
            "field 'masses' must be a list of positive numbers",
        ),
        (
            "masses = [1.0, 1.0, 1.0]\n",
            '[units]\nenergy = "eV"\nlength = "Å"\n',
            "field 'masses' needs their unit: [units] mass = \"amu\" (or another)",
        ),
        ("masses = [1.0, 1.0, 1.0]\n", "", "field 'masses' needs their unit"),
    ],
)
def test_malformed_units_name_file_and_field(tmp_path, top, units, message):
    folder = _write(tmp_path / "p", top, units)
    with pytest.raises(PotentialFileError) as raised:
        find_potential("well", [folder])
    assert raised.value.message.startswith(f"{folder / 'well.toml'}: {message}"), raised.value.message
    for args in (("potentials", "show", "well"), ("grad", "@well", "--at", "1,1,1")):
        result = run(*args, "--potentials-dir", folder)
        assert result.exit_code == 2 and f"well.toml: {message}" in result.stderr, result.stderr


def test_units_aliases_and_masses_per_atom(tmp_path):
    units = '[units]\nenergy = "hartree"\nlength = "A"\nmass = "Da"\n'
    folder = _write(tmp_path / "p", "masses = [15.995]\n", units)
    spec = find_potential("well", [folder])
    assert spec.units.to_dict() == {"energy": "Ha", "length": "Å", "mass": "amu"}
    assert spec.masses == (15.995, 15.995, 15.995)  # one atom: its x, y and z
    assert find_potential("well", [_write(tmp_path / "q")]).units is None  # undeclared: none
