"""Points of potentials as particle coordinates in XYZ files (what --x0/--at FILE,
--output and --trajectory use), read back by ASE and by gradcli."""

import numpy as np
import pytest

from gradcli import Potential
from gradcli.errors import InputError
from gradcli.particles import ParticlePotential
from gradcli.particles.coordinates import (
    is_coordinate_file,
    layout,
    masses_from_file,
    point_from_file,
    symbols_for,
    write_configuration,
    write_trajectory,
)
from gradcli.particles.elements import MASSES

ase_io = pytest.importorskip("ase.io")
LJ = "4*((1/r)**12 - (1/r)**6)"


def test_a_particle_point_round_trips_with_energy_and_forces(tmp_path):
    V = ParticlePotential(LJ, 3)
    x = np.array([0.0, 0.0, 0.0, 1.1, 0.0, 0.0, 0.4, 1.0, 0.2])
    path = tmp_path / "final.xyz"
    write_configuration(path, V, x, ["Ar", "Ar", "Kr"], energy=V(x), gradient=V.grad(x), info={"step": 7})
    assert point_from_file(path, V) == tuple(x)
    atoms = ase_io.read(path)
    assert atoms.get_potential_energy() == V(x) and atoms.info["step"] == 7
    np.testing.assert_array_equal(atoms.get_forces().ravel(), V.force(x))
    assert masses_from_file(path, V) == (MASSES["Ar"],) * 6 + (MASSES["Kr"],) * 3


def test_a_trajectory_is_read_frame_by_frame_by_ase(tmp_path):
    V = ParticlePotential(LJ, 2, dim=2)
    points = [[0, 0, 1.0 + 0.1 * k, 0] for k in range(5)]
    path = tmp_path / "path.xyz"
    write_trajectory(
        path, V, points, symbols_for(2, "Ne"), energies=[V(p) for p in points], info=[{"step": k} for k in range(5)]
    )
    frames = ase_io.read(path, index=":")
    assert [f.info["step"] for f in frames] == list(range(5))
    assert [f.get_potential_energy() for f in frames] == [V(p) for p in points]
    np.testing.assert_array_equal(frames[3].positions, [[0, 0, 0], [1.3, 0, 0]])
    assert point_from_file(path, V, index=2) == (0.0, 0.0, 1.2, 0.0)


def test_variables_are_read_as_particles():
    assert layout(ParticlePotential(LJ, 4, dim=2)) == (4, 2)
    assert layout(Potential("x1*x2 + y1 + z2", variables=("x1", "y1", "z1", "x2", "y2", "z2"))) == (2, 3)
    assert layout(Potential("(x**2 - 1)**2 + y**2")) == (1, 2)
    with pytest.raises(InputError, match=r"^the variables \(a, b, c, d\) are not particle coordinates"):
        layout(Potential("a + b + c + d"))


def test_files_that_do_not_fit_are_input_errors(tmp_path):
    path = tmp_path / "three.xyz"
    write_configuration(path, ParticlePotential(LJ, 3), np.arange(9.0))
    with pytest.raises(InputError, match=r"^--at .*three.xyz: the frame has 3 atoms, the potential 4$"):
        point_from_file(path, ParticlePotential(LJ, 4), "--at")
    with pytest.raises(InputError, match=r"^nothing to write to .*: no frames$"):
        write_trajectory(tmp_path / "empty.xyz", ParticlePotential(LJ, 3), [])
    with pytest.raises(InputError, match=r"^an element symbol must be a word such as Ar, got 'A r'$"):
        symbols_for(3, "A r")
    assert is_coordinate_file(" min.XYZ ") and is_coordinate_file("a.extxyz") and not is_coordinate_file("1,2")
