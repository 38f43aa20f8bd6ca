"""GradcliCalculator: ASE's own tools on gradcli potentials, checked against
ASE's LennardJones calculator and against scipy's L-BFGS on gradcli's gradient."""

import subprocess
import sys

import numpy as np
import pytest

ase = pytest.importorskip("ase")

from ase import Atoms  # noqa: E402
from ase.calculators.lj import LennardJones  # noqa: E402
from ase.optimize import BFGS  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from gradcli import Potential  # noqa: E402
from gradcli.ase import GradcliCalculator  # noqa: E402
from gradcli.errors import InputError  # noqa: E402
from gradcli.particles import ParticlePotential  # noqa: E402
from gradcli.particles.clusters import icosahedron_13  # noqa: E402

LJ = "4*eps*((sigma/r)**12 - (sigma/r)**6)"
UNIT = {"eps": 1, "sigma": 1}


def perturbed_icosahedron(seed=1):
    return icosahedron_13() + np.random.default_rng(seed).uniform(-0.08, 0.08, (13, 3))


def test_energy_and_forces_equal_ase_lennard_jones():
    # ASE's LennardJones with rc larger than the cluster and no smoothing is the plain sum (shifted by V(rc)).
    positions = perturbed_icosahedron()
    rc = 100.0
    ours = Atoms("Ar13", positions=positions, calculator=GradcliCalculator(ParticlePotential(LJ, 13, params=UNIT)))
    theirs = Atoms("Ar13", positions=positions, calculator=LennardJones(sigma=1.0, epsilon=1.0, rc=rc, smooth=False))
    shift = 78 * 4 * (rc**-12 - rc**-6)
    assert ours.get_potential_energy() == pytest.approx(theirs.get_potential_energy() + shift, rel=1e-12)
    np.testing.assert_allclose(ours.get_forces(), theirs.get_forces(), rtol=1e-10, atol=1e-10)


def test_ase_bfgs_reaches_the_same_minimum_as_scipy_lbfgs_on_gradcli():
    V = ParticlePotential(LJ, 13, params=UNIT)
    start = perturbed_icosahedron(seed=5)
    atoms = Atoms("Ar13", positions=start, calculator=GradcliCalculator(V))
    assert BFGS(atoms, logfile=None).run(fmax=1e-7, steps=2000)
    result = minimize(
        V.value_and_grad,
        start.ravel(),
        jac=True,
        method="L-BFGS-B",
        options={"gtol": 1e-10, "ftol": 1e-16, "maxiter": 10_000},
    )
    assert atoms.get_potential_energy() == pytest.approx(result.fun, abs=1e-9)
    assert atoms.get_potential_energy() == pytest.approx(-44.326801, abs=1e-6)  # CCD, LJ13

    def distances(X):
        i, j = np.triu_indices(len(X), 1)
        return np.sort(np.linalg.norm(X[i] - X[j], axis=1))

    np.testing.assert_allclose(distances(atoms.positions), distances(result.x.reshape(13, 3)), atol=1e-6)


def test_the_exact_hessian_and_vibrations():
    V = ParticlePotential(LJ, 3, params=UNIT)
    atoms = Atoms("Ar3", positions=np.array([[0, 0, 0], [1.12, 0, 0], [0.5, 0.95, 0.1]]))
    calc = GradcliCalculator(V)
    atoms.calc = calc
    np.testing.assert_array_equal(calc.get_hessian(atoms), V.hessian(atoms.positions.ravel()))
    # Against ASE's finite differences of the forces:
    h = 1e-5
    columns = []
    for a in range(3):
        for c in range(3):
            plus, minus = atoms.copy(), atoms.copy()
            plus.positions[a, c] += h
            minus.positions[a, c] -= h
            plus.calc, minus.calc = GradcliCalculator(V), GradcliCalculator(V)
            columns.append(-(plus.get_forces() - minus.get_forces()).ravel() / (2 * h))
    np.testing.assert_allclose(calc.get_hessian(atoms), np.array(columns).T, rtol=1e-6, atol=1e-5)
    # ASE's normal modes from the exact Hessian: hbar*omega with omega^2 the eigenvalues of M^-1/2 H M^-1/2.
    masses = np.repeat(atoms.get_masses(), 3)
    eigenvalues = np.linalg.eigvalsh(V.hessian(atoms.positions.ravel()) / np.sqrt(np.outer(masses, masses)))
    scale = ase.units._hbar * 1e10 / np.sqrt(ase.units._e * ase.units._amu)  # ASE's conversion to eV
    np.testing.assert_allclose(
        calc.get_vibrations(atoms).get_energies(), scale * eigenvalues.astype(complex) ** 0.5, rtol=1e-8, atol=1e-8
    )


def test_a_plane_potential_takes_one_atom_and_leaves_z_free():
    V = Potential("(x**2 - 1)**2 + 2*y**2")  # minima at (±1, 0)
    atoms = Atoms("X", positions=[[0.6, 0.3, 5.0]], calculator=GradcliCalculator(V))
    np.testing.assert_allclose(atoms.get_forces(), [[-4 * 0.6 * (0.36 - 1), -4 * 0.3, 0.0]], rtol=1e-14)
    assert BFGS(atoms, logfile=None).run(fmax=1e-9)
    np.testing.assert_allclose(atoms.positions, [[1.0, 0.0, 5.0]], atol=1e-9)


def test_mismatched_sizes_are_input_errors():
    calc = GradcliCalculator(ParticlePotential(LJ, 3, params=UNIT))
    with pytest.raises(InputError, match="^the potential is for 3 particles, the Atoms object has 2$"):
        Atoms("Ar2", positions=[[0, 0, 0], [1, 0, 0]], calculator=calc).get_potential_energy()
    with pytest.raises(InputError, match=r"^a potential of 5 variables does not fit 2 atoms"):
        Atoms(
            "Ar2", positions=[[0, 0, 0], [1, 0, 0]], calculator=GradcliCalculator(Potential("a+b+c+d+e"))
        ).get_potential_energy()
    with pytest.raises(InputError, match="^GradcliCalculator takes a gradcli Potential"):
        GradcliCalculator("4*r")


def test_without_ase_the_import_error_names_the_extra():
    script = "import sys; sys.modules['ase'] = None\ntry:\n import gradcli.ase\nexcept ImportError as e:\n print(e)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.startswith('gradcli.ase needs ASE, an optional extra: pip install "gradcli[ase]"')


def test_calculate_without_atoms_says_so_as_ase_does():
    # mypy found calculate() reading self.atoms, which ASE leaves None until atoms are given:
    # a TypeError (len of None) before, ASE's own message now.
    calculator = GradcliCalculator(ParticlePotential(LJ, 2, params=UNIT))
    with pytest.raises(ValueError, match="Calculator has no atoms"):
        calculator.calculate()
