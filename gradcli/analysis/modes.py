"""Normal modes from the mass-weighted exact Hessian: frequencies (cm⁻¹, meV,
THz), imaginary ones marked as ASE marks them (``12.3i``), the rigid
translations and rotations of a molecule projected out, and the zero-point
energy.

With H the Hessian (energy/length²) and M the masses, the modes are the
eigenvectors of M^-1/2 H M^-1/2 and ω² its eigenvalues (converted to s⁻²
from the units given). For atomic coordinates (variables x1, y1, z1, x2, ...)
the 3 translations and 3 rotations (2 for a linear molecule) about the centre
of mass are projected out by diagonalising in the orthogonal complement of
their mass-weighted vectors, so they come out as exact zero modes.

>>> from gradcli import Potential
>>> m = modes(Potential("0.5*k*x**2", params={"k": 1.0}), [0.0], masses=[1.0], units="J,m,kg")
>>> round(float(m.frequencies["THz"][0]) * 2 * 3.141592653589793 * 1e12, 9)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradcli._lazy import LazyModule
from gradcli.errors import ComputationError, InputError

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

# CODATA 2018 (E. Tiesinga et al., Rev. Mod. Phys. 93, 025010, 2021; NIST SP 961).
SPEED_OF_LIGHT = 299_792_458.0  # m/s, exact
PLANCK = 6.626_070_15e-34  # J s, exact
HBAR = PLANCK / (2 * math.pi)
ELEMENTARY_CHARGE = 1.602_176_634e-19  # C, exact (so 1 eV in J)
AVOGADRO = 6.022_140_76e23  # 1/mol, exact
ATOMIC_MASS_CONSTANT = 1.660_539_066_60e-27  # kg
ELECTRON_MASS = 9.109_383_7015e-31  # kg
HARTREE = 4.359_744_722_2071e-18  # J
BOHR = 5.291_772_109_03e-11  # m

ENERGY_UNITS = {
    "eV": ELEMENTARY_CHARGE,
    "meV": 1e-3 * ELEMENTARY_CHARGE,
    "hartree": HARTREE,
    "Ha": HARTREE,
    "Eh": HARTREE,
    "Ry": HARTREE / 2,
    "kcal/mol": 4184.0 / AVOGADRO,
    "kJ/mol": 1000.0 / AVOGADRO,
    "J": 1.0,
}
LENGTH_UNITS = {"Å": 1e-10, "A": 1e-10, "angstrom": 1e-10, "bohr": BOHR, "a0": BOHR, "nm": 1e-9, "pm": 1e-12, "m": 1.0}
MASS_UNITS = {
    "amu": ATOMIC_MASS_CONSTANT,
    "u": ATOMIC_MASS_CONSTANT,
    "Da": ATOMIC_MASS_CONSTANT,
    "g/mol": ATOMIC_MASS_CONSTANT,
    "me": ELECTRON_MASS,
    "kg": 1.0,
}
DEFAULT_UNITS = ("eV", "Å", "amu")

# Standard atomic weights, IUPAC 2016 (J. Meija et al., Pure Appl. Chem. 88, 265, 2016), conventional
# values where IUPAC gives an interval (H 1.008, C 12.011, ...), for the elements with a standard weight
# from H to Xe; D is the ²H atomic mass (CODATA 2018).
ATOMIC_WEIGHTS = {
    "H": 1.008,
    "He": 4.002602,
    "Li": 6.94,
    "Be": 9.0121831,
    "B": 10.81,
    "C": 12.011,
    "N": 14.007,
    "O": 15.999,
    "F": 18.998403163,
    "Ne": 20.1797,
    "Na": 22.98976928,
    "Mg": 24.305,
    "Al": 26.9815385,
    "Si": 28.085,
    "P": 30.973761998,
    "S": 32.06,
    "Cl": 35.45,
    "Ar": 39.948,
    "K": 39.0983,
    "Ca": 40.078,
    "Sc": 44.955908,
    "Ti": 47.867,
    "V": 50.9415,
    "Cr": 51.9961,
    "Mn": 54.938044,
    "Fe": 55.845,
    "Co": 58.933194,
    "Ni": 58.6934,
    "Cu": 63.546,
    "Zn": 65.38,
    "Ga": 69.723,
    "Ge": 72.63,
    "As": 74.921595,
    "Se": 78.971,
    "Br": 79.904,
    "Kr": 83.798,
    "Rb": 85.4678,
    "Sr": 87.62,
    "Y": 88.90584,
    "Zr": 91.224,
    "Nb": 92.90637,
    "Mo": 95.95,
    "Ru": 101.07,
    "Rh": 102.9055,
    "Pd": 106.42,
    "Ag": 107.8682,
    "Cd": 112.414,
    "In": 114.818,
    "Sn": 118.71,
    "Sb": 121.76,
    "Te": 127.6,
    "I": 126.90447,
    "Xe": 131.293,
    "D": 2.01410177812,
}


def atomic_order(variables):
    """The permutation (3N,) putting atomic coordinates in the order x1, y1,
    z1, x2, ... when the variables are exactly those names in any order
    (compiled potentials sort their variables); None when they are not.

    >>> atomic_order(("x1", "x2", "y1", "y2", "z1", "z2")).tolist(), atomic_order(("x", "y"))
    ([0, 2, 4, 1, 3, 5], None)
    """
    names = tuple(variables)
    if not names or len(names) % 3:
        return None
    wanted = [f"{c}{i}" for i in range(1, len(names) // 3 + 1) for c in "xyz"]
    if sorted(names) != sorted(wanted):
        return None
    position = {name: k for k, name in enumerate(names)}
    return np.array([position[name] for name in wanted])


def atomic_layout(variables) -> bool:
    """True when the variables are the atomic coordinates x1, y1, z1, x2, ... (in any order).

    >>> atomic_layout(("x1", "y1", "z1")), atomic_layout(("x", "y"))
    (True, False)
    """
    return atomic_order(variables) is not None


def parse_units(units) -> tuple[float, float, float, tuple[str, str, str]]:
    """(J per energy unit, m per length unit, kg per mass unit, names) from
    ``"eV,Å,amu"`` or a 3-tuple of names; ``reduced`` for all three (a
    potential in its own scale) gives factors of 1 and no physical units.

    >>> parse_units("hartree,bohr,me")[3], parse_units("reduced,reduced,reduced")[:3]
    (('hartree', 'bohr', 'me'), (1.0, 1.0, 1.0))
    """
    names = tuple(u.strip() for u in units.split(",")) if isinstance(units, str) else tuple(units)
    if len(names) != 3:
        raise InputError(f"units are three names, energy,length,mass (e.g. eV,Å,amu), got {units!r}")
    if "reduced" in names:
        if set(names) != {"reduced"}:
            raise InputError(f"reduced units go together (reduced,reduced,reduced), got {','.join(names)}")
        return 1.0, 1.0, 1.0, names
    found = []
    for name, table, what in zip(names, (ENERGY_UNITS, LENGTH_UNITS, MASS_UNITS), ("energy", "length", "mass")):
        if name not in table:
            raise InputError(f"unknown {what} unit {name!r}; known: {', '.join(table)}")
        found.append(table[name])
    return found[0], found[1], found[2], names


def parse_masses(masses, n: int, atoms: bool):
    """Masses per variable (n,) from numbers or element symbols, given per
    variable (n of them), per atom (n/3, for atomic coordinates), or one for
    all; a string is split at commas.

    >>> parse_masses("O,H,H", 9, True)[:4].tolist()
    [15.999, 15.999, 15.999, 1.008]
    """
    if masses is None:
        return np.ones(n)
    items = (
        [s.strip() for s in masses.split(",")]
        if isinstance(masses, str)
        else list(masses)
        if isinstance(masses, (list, tuple)) or hasattr(masses, "__len__")
        else [masses]
    )
    values = []
    for item in items:
        if isinstance(item, str) and item in ATOMIC_WEIGHTS:
            values.append(ATOMIC_WEIGHTS[item])
            continue
        try:
            value = float(item)
        except (TypeError, ValueError):
            raise InputError(f"a mass is a positive number or an element symbol (H to Xe, D), got {item!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"masses must be positive and finite, got {item!r}")
        values.append(value)
    if len(values) == 1:
        return np.full(n, values[0])
    if len(values) == n:
        return np.array(values)
    if atoms and len(values) * 3 == n:
        return np.repeat(values, 3)
    per_atom = f" or {n // 3} (one per atom)" if atoms else ""
    raise InputError(f"give 1 mass, {n} (one per variable){per_atom}, got {len(values)}")


def rigid_motions(x, masses):
    """Orthonormal mass-weighted translations and rotations (n, r) of atoms at
    ``x`` (3N,) with per-variable ``masses`` (3N,): r = 3 for one atom, 5 for
    a linear molecule, else 6 (rank found by SVD)."""
    xyz = np.asarray(x, dtype=np.float64).reshape(-1, 3)
    m = np.asarray(masses, dtype=np.float64).reshape(-1, 3)[:, 0]
    centred = xyz - (m[:, None] * xyz).sum(axis=0) / m.sum()
    root = np.sqrt(m)[:, None]
    vectors = []
    for axis in np.eye(3):
        vectors.append((root * axis).reshape(-1))  # translation
        vectors.append((root * np.cross(axis, centred)).reshape(-1))  # rotation about the centre of mass
    basis, singular, _ = np.linalg.svd(np.array(vectors).T, full_matrices=False)
    rank = int(np.sum(singular > 1e-10 * singular.max()))
    return basis[:, :rank]


def hessian_eigen(hessian):
    """Eigenvalues (n,) ascending and unit eigenvectors (n, n) as columns of a
    symmetric matrix (symmetrised against round-off), each eigenvector's
    largest-magnitude component positive so that the output is reproducible.

    >>> values, vectors = hessian_eigen([[2.0, 0.0], [0.0, -1.0]])
    >>> values.tolist(), vectors.tolist()
    ([-1.0, 2.0], [[0.0, 1.0], [1.0, 0.0]])
    """
    h = np.asarray(hessian, dtype=np.float64)
    values, vectors = np.linalg.eigh(0.5 * (h + h.T))
    if values.size:
        largest = vectors[np.argmax(np.abs(vectors), axis=0), np.arange(values.size)]
        vectors = vectors * np.where(largest < 0, -1.0, 1.0)
    return values, vectors


@dataclass
class ModesResult:
    """Normal modes at ``x`` (n,), ordered by eigenvalue (imaginary first).

    ``eigenvalues`` (n,) of the mass-weighted Hessian (energy/(length² mass),
    in the units given; 0 for projected rigid motions); ``frequencies`` a
    dict ``cm-1``, ``meV``, ``THz`` -> (n,) signed (negative: imaginary)
    (in reduced units only ``omega``, the angular frequency in the
    potential's own scale, and no zero-point energy: NaN); ``kinds`` (n,)
    ``real``, ``imaginary`` or ``zero`` (a projected rigid motion, a zero
    mode set aside, or |λ| <= 1e-8 max|λ|); ``vectors`` (n, n) the orthonormal
    mass-weighted eigenvectors as columns; ``displacements`` (n, n) the
    Cartesian displacements M^-1/2 q of each, normalised; ``masses`` (n,);
    ``zero_point_energy`` sum of hbar*omega/2 over the real modes, in the
    energy unit, and ``zero_point_energy_meV``; ``projected`` the number of
    rigid motions projected out; ``units`` (energy, length, mass).
    """

    x: np.ndarray
    eigenvalues: np.ndarray
    frequencies: dict
    kinds: tuple
    vectors: np.ndarray
    displacements: np.ndarray
    masses: np.ndarray
    zero_point_energy: float
    zero_point_energy_meV: float
    projected: int
    units: tuple
    evaluations: dict

    @property
    def imaginary_count(self) -> int:
        return sum(k == "imaginary" for k in self.kinds)

    def labels(self, unit: str | None = None, digits: int | None = None) -> list[str]:
        """Frequencies as text, ASE's way: ``4401.2``, ``12.3i``, zero modes ``0.0``
        (``unit`` a key of ``frequencies``, default the first: cm-1, or omega in reduced units;
        ``digits`` after the point, default 1 for cm-1 and 4 for the others)."""
        unit = unit or next(iter(self.frequencies))
        digits = digits if digits is not None else 1 if unit == "cm-1" else 4
        return [
            format_frequency(f, digits) if k != "zero" else f"{0:.{digits}f}"
            for f, k in zip(self.frequencies[unit], self.kinds)
        ]


def format_frequency(value: float, digits: int = 1) -> str:
    """A signed frequency (negative: imaginary) as ASE prints it, with
    ``digits`` after the point; one too small for them in 3 significant
    digits instead, so no frequency is shown as 0 that is not.

    >>> format_frequency(-12.34), format_frequency(4401.21), format_frequency(1.66e-11)
    ('12.3i', '4401.2', '1.66e-11')
    """
    size = abs(value)
    text = f"{size:.{digits}f}" if size == 0 or size >= 10**-digits else f"{size:.3g}"
    return text + "i" if value < 0 else text


def modes(
    V,
    at,
    *,
    masses=None,
    units=DEFAULT_UNITS,
    project: bool | None = None,
    zero_modes: int = 0,
    atoms: bool | None = None,
) -> ModesResult:
    """Normal modes of ``V`` (a ``gradcli.Potential``) at the point ``at`` (n,).

    ``masses``: see ``parse_masses`` (default 1 per variable); ``units``:
    energy, length and mass units of V, x and the masses (default eV, Å, amu);
    ``atoms``: the coordinates are x1, y1, z1, ... (default: from the variable
    names); ``project``: project out rigid translations and rotations (default:
    on for atoms; needs atoms); ``zero_modes``: set aside this many modes
    closest to zero instead (not with ``project``).

    >>> from gradcli import Potential
    >>> m = modes(Potential("x**2 - y**2"), [0.0, 0.0])
    >>> m.kinds, m.imaginary_count
    (('imaginary', 'real'), 1)
    """
    energy_j, length_m, mass_kg, unit_names = parse_units(units)
    x = np.array(at, dtype=np.float64).reshape(-1)
    variables = tuple(getattr(V, "variables", ()))
    n = getattr(V, "n", x.size)
    if x.size != n:
        raise InputError(f"the point needs {n} coordinates, got {x.size}")
    order = atomic_order(variables) if variables else None
    if atoms is None:
        atoms = order is not None
    if atoms and order is None:
        order = np.arange(n)  # told they are atoms: taken as x1, y1, z1, x2, ... in the order given
    if atoms and n % 3:
        raise InputError(f"atomic coordinates come in threes (x1, y1, z1, ...), got {n} variables")
    if project is None:
        project = bool(atoms) and not zero_modes
    if project and not atoms:
        raise InputError("projecting out translations and rotations needs atomic coordinates x1, y1, z1, x2, ...")
    if project and zero_modes:
        raise InputError("give either projection of rigid motions or a number of zero modes, not both")
    if not (isinstance(zero_modes, int) and 0 <= zero_modes <= n):
        raise InputError(f"zero_modes must be an integer from 0 to {n}, got {zero_modes}")
    hessian = np.asarray(V.hessian(x), dtype=np.float64).reshape(n, n)
    # Work in atom order (x1, y1, z1, x2, ...); the results go back to the variables' order at the end.
    to_atoms = order if atoms else None
    if to_atoms is not None:
        x, hessian = x[to_atoms], hessian[np.ix_(to_atoms, to_atoms)]
    m = parse_masses(masses, n, bool(atoms))

    if not np.all(np.isfinite(hessian)):
        raise ComputationError("the Hessian has non-finite entries (inf or NaN) at this point")
    inv_root = 1.0 / np.sqrt(m)
    weighted = 0.5 * (hessian + hessian.T) * inv_root[:, None] * inv_root[None, :]

    zero = np.zeros(n, dtype=bool)
    if project:
        rigid = rigid_motions(x, m)
        r = rigid.shape[1]
        complement = np.linalg.svd(rigid, full_matrices=True)[0][:, r:]  # orthonormal basis of the rest
        inner_values, inner_vectors = np.linalg.eigh(complement.T @ weighted @ complement)
        eigenvalues = np.concatenate([np.zeros(r), inner_values])
        vectors = np.concatenate([rigid, complement @ inner_vectors], axis=1)
        zero[:r] = True
    else:
        r = 0
        eigenvalues, vectors = np.linalg.eigh(weighted)
        if zero_modes:
            zero[np.argsort(np.abs(eigenvalues), kind="stable")[:zero_modes]] = True
    ranked = np.lexsort((~zero, eigenvalues))  # by eigenvalue; a projected zero before a real zero
    eigenvalues, vectors, zero = eigenvalues[ranked], vectors[:, ranked], zero[ranked]
    vectors = vectors * np.where(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(n)] < 0, -1.0, 1.0)

    omega = np.sign(eigenvalues) * np.sqrt(np.abs(eigenvalues) * energy_j / (length_m**2 * mass_kg))  # rad/s
    reduced = unit_names[0] == "reduced"
    frequencies = (
        {"omega": omega}
        if reduced
        else {
            "cm-1": omega / (2 * math.pi * SPEED_OF_LIGHT * 100.0),
            "meV": HBAR * omega / ELEMENTARY_CHARGE * 1e3,
            "THz": omega / (2 * math.pi) / 1e12,
        }
    )
    # An eigenvalue zero to round-off (|λ| <= 1e-8 max|λ|, as in the stationary-point test) is a zero mode too.
    zero |= np.abs(eigenvalues) <= 1e-8 * (float(np.abs(eigenvalues).max()) if n else 0.0)
    kinds = tuple("zero" if z else "imaginary" if w < 0 else "real" for z, w in zip(zero, omega))
    real = np.array([k == "real" for k in kinds])
    zpe_j = float(np.sum(0.5 * HBAR * omega[real])) if not reduced else math.nan
    displacements = inv_root[:, None] * vectors
    displacements /= np.linalg.norm(displacements, axis=0)
    if to_atoms is not None:
        back = np.argsort(to_atoms)
        x, vectors, displacements, m = x[back], vectors[back], displacements[back], m[back]
    return ModesResult(
        x,
        eigenvalues,
        frequencies,
        kinds,
        vectors,
        displacements,
        m,
        zpe_j / energy_j,
        zpe_j / ELEMENTARY_CHARGE * 1e3,
        r,
        unit_names,
        {"hessian": 1},
    )
