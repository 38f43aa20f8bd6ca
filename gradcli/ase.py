"""An ASE calculator for any gradcli potential: ``GradcliCalculator(V)``.

ASE (the Atomic Simulation Environment) is an optional extra,
``pip install "gradcli[ase]"``; importing this module without it raises an
ImportError that says so. With it, ASE's optimisers (BFGS, FIRE, ...), NEB,
molecular dynamics and ``Vibrations`` run on gradcli potentials:

* a ``ParticlePotential`` of N particles takes an ``Atoms`` of N atoms (its
  first ``dim`` axes);
* a ``Potential`` with n variables takes an ``Atoms`` of N atoms when n is
  N, 2N or 3N: the variables are (x1, y1, z1, x2, ...) with as many axes per
  atom as that gives (Muller-Brown's (x, y) is one atom in the plane).

Energies and lengths are in the potential's own units (ASE reads them as eV
and Angstrom). ``get_hessian`` gives the exact (3N, 3N) Hessian and
``get_vibrations`` ASE's ``VibrationsData`` built from it (no finite
differences).

Example::

    >>> from ase import Atoms
    >>> from ase.optimize import BFGS
    >>> from gradcli.particles import ParticlePotential
    >>> from gradcli.particles.clusters import icosahedron_13
    >>> atoms = Atoms("Ar13", positions=icosahedron_13())     # positions (13, 3)
    >>> atoms.calc = GradcliCalculator(ParticlePotential("4*((1/r)**12 - (1/r)**6)", 13))
    >>> bool(BFGS(atoms, logfile=None).run(fmax=1e-6))        # converged
    True
    >>> round(atoms.get_potential_energy(), 6)                # the Cambridge Cluster Database's LJ13
    -44.326801
"""

from __future__ import annotations

try:
    from ase.calculators.calculator import Calculator, all_changes
    from ase.vibrations import VibrationsData
except ImportError as error:  # the optional extra is not installed
    raise ImportError(
        f'gradcli.ase needs ASE, an optional extra: pip install "gradcli[ase]" (or pip install ase) [{error}]'
    ) from None

import numpy as np

from .errors import InputError


class GradcliCalculator(Calculator):
    """Energy and forces (and the exact Hessian) of a gradcli potential over an
    ASE ``Atoms`` object."""

    implemented_properties = ["energy", "free_energy", "forces"]

    def __init__(self, potential, **kwargs):
        super().__init__(**kwargs)
        if not all(hasattr(potential, name) for name in ("n", "value_and_grad", "hessian")):
            raise InputError(
                f"GradcliCalculator takes a gradcli Potential or ParticlePotential, got {type(potential).__name__}"
            )
        self.potential = potential

    def _dim(self, atoms) -> int:
        """Axes per atom that the potential's variables cover."""
        n_atoms, n = len(atoms), self.potential.n
        dim = getattr(self.potential, "dim", None)
        expected = getattr(self.potential, "n_atoms", None)
        if expected is not None and expected != n_atoms:
            raise InputError(f"the potential is for {expected} particles, the Atoms object has {n_atoms}")
        if dim is None:
            dim = n // n_atoms if n_atoms and n % n_atoms == 0 else 0
            if not 1 <= dim <= 3:
                raise InputError(
                    f"a potential of {n} variables does not fit {n_atoms} atoms "
                    f"(it needs 1, 2 or 3 coordinates per atom)"
                )
        return dim

    def _point(self, atoms) -> tuple[np.ndarray, int]:
        dim = self._dim(atoms)
        return np.ascontiguousarray(atoms.positions[:, :dim]).ravel(), dim

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        system = self.atoms  # the atoms ASE's calculate stored: those given, else the last ones
        if system is None:
            raise ValueError("Calculator has no atoms")  # ASE's own message for a calculator never given atoms
        x, dim = self._point(system)
        energy, gradient = self.potential.value_and_grad(x)
        forces = np.zeros((len(system), 3))
        forces[:, :dim] = -np.asarray(gradient).reshape(-1, dim)
        self.results = {"energy": float(energy), "free_energy": float(energy), "forces": forces}

    def get_hessian(self, atoms=None) -> np.ndarray:
        """The exact Hessian (3N, 3N) at the atoms' positions, ordered
        (x1, y1, z1, x2, ...); rows and columns of axes the potential does not
        use are 0."""
        atoms = atoms if atoms is not None else self.atoms
        if atoms is None:
            raise InputError("get_hessian needs an Atoms object (none given or attached)")
        x, dim = self._point(atoms)
        n_atoms = len(atoms)
        H = np.zeros((n_atoms, 3, n_atoms, 3))
        H[:, :dim, :, :dim] = np.asarray(self.potential.hessian(x)).reshape(n_atoms, dim, n_atoms, dim)
        return H.reshape(3 * n_atoms, 3 * n_atoms)

    def get_vibrations(self, atoms=None):
        """ASE's ``VibrationsData`` from the exact Hessian and the atoms' masses
        (frequencies, modes, ``write_jmol``, ...)."""
        atoms = atoms if atoms is not None else self.atoms
        return VibrationsData.from_2d(atoms, self.get_hessian(atoms))
