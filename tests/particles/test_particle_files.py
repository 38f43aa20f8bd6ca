"""Potential files with a [pair] table: a particle system by name (@NAME),
checked like any potential file, with errors naming the file and the field."""

import math

import numpy as np
import pytest

from gradcli.errors import PotentialFileError
from gradcli.named import find_potential, load, validate_potential
from gradcli.particles import ParticlePotential

R = 2 ** (1 / 6)
A, B = R / math.sqrt(3), -R / (2 * math.sqrt(3))  # the triangle of side R: (A, 0), (B, ±R/2)
TRIMER = f"""
name = "trimer"
description = "Three LJ atoms in a plane, in a weak harmonic trap"
start = [0, 0, 1.1, 0, 0.5, 1.0]
zero_modes = 0
references = ["test"]

[pair]
expression = "4*eps*((sigma/r)**12 - (sigma/r)**6)"
atoms = 3
dim = 2
cutoff = 3.0
one_body = "0.5*k*(x**2 + y**2)"
element = "Ar"

[parameters]
eps = 1.0
sigma = 1.0
k = 0.0

[[stationary]]
point = [{A}, 0, {B}, {R / 2}, {B}, {-R / 2}]
value = {3 * 4 * (R**-12 - R**-6) - 3 * 4 * (3.0**-12 - 3.0**-6)}
kind = "minimum"
zero_modes = 3
"""


def write(folder, text, name="trimer"):
    (folder / f"{name}.toml").write_text(text)
    return folder


def test_a_pair_file_is_a_particle_system(tmp_path):
    trimer = load("trimer", potentials_dir=write(tmp_path, TRIMER))
    V = trimer.potential
    assert isinstance(V, ParticlePotential)
    assert (V.n_atoms, V.dim, V.cutoff, V.shifted) == (3, 2, 3.0, True)
    assert trimer.variables == ("x1", "y1", "x2", "y2", "x3", "y3")
    assert trimer.spec.particles.element == "Ar" and trimer.spec.to_dict(full=True)["particles"]["atoms"] == 3
    validate_potential(find_potential("trimer", [tmp_path]))  # the listed minimum is one, with its value
    # The trap: k = 1 adds 0.5 (x^2 + y^2) per atom.
    x = np.array(trimer.start)
    trapped = load("trimer", potentials_dir=tmp_path, k=1.0).potential
    assert trapped(x) == pytest.approx(V(x) + 0.5 * float(x @ x), rel=1e-14)


@pytest.mark.parametrize(
    "change, message",
    [
        (("atoms = 3", "atoms = 0"), "field 'pair.atoms' must be a whole number from 1 to 1000"),
        (("dim = 2", "dim = 4"), "field 'pair.dim' must be 1, 2 or 3"),
        (("cutoff = 3.0", "cutoff = -1"), "field 'pair.cutoff' must be a positive number"),
        (('element = "Ar"', 'element = "A r"'), "field 'pair.element' must be an element symbol such as Ar"),
        (('element = "Ar"', 'colour = "red"'), "unknown field 'pair.colour'"),
        (("atoms = 3\n", ""), "field 'pair.atoms' is missing"),
        (("[pair]\n", 'expression = "r"\n[pair]\n'), "field 'expression' cannot be given with [pair]"),
        (("start = [0, 0, 1.1, 0, 0.5, 1.0]", "start = [0, 0, 1.1]"), "field 'start' must be a list of 6 finite"),
    ],
)
def test_bad_pair_tables_name_the_file_and_field(tmp_path, change, message):
    write(tmp_path, TRIMER.replace(*change))
    with pytest.raises(PotentialFileError, match="trimer.toml: " + message.replace("[", r"\[").replace("(", r"\(")):
        find_potential("trimer", [tmp_path])


@pytest.mark.parametrize(
    "change, message",
    [
        (("4*eps*", "4*q*"), "field 'pair.expression' uses 'q', which is neither r nor a parameter"),
        (("0.5*k*(x**2 + y**2)", "z"), r"field 'pair.one_body' uses 'z', which is neither a coordinate \(x, y\)"),
    ],
)
def test_names_outside_the_pair_term_are_refused_by_the_check(tmp_path, change, message):
    write(tmp_path, TRIMER.replace(*change))
    with pytest.raises(PotentialFileError, match="trimer.toml: " + message):
        validate_potential(find_potential("trimer", [tmp_path]))
