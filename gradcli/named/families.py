"""Potentials built in code for a size ``n``: ``lj-cluster``, ``morse-cluster``
and ``rosenbrock-nd``.

A family's expression, start, known minima, suggested descent settings,
zero modes, units and masses are generated for the size given as a parameter:
``resolve("@lj-cluster", {"n": 13})`` builds the 13-atom cluster once. The
clusters are particle systems (``ParticleSpec``): one pair term over all
pairs, compiled once whatever n (``gradcli.particles``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gradcli.errors import InputError
from gradcli.named.spec import DescentSettings, ParticleSpec, PotentialSpec, Stationary, check_parameter_names
from gradcli.named.units import Units


def _balanced_sum(terms: list[str]) -> str:
    # Parenthesised halves keep the parse tree shallow for hundreds of terms.
    if len(terms) <= 8:
        return " + ".join(terms)
    half = len(terms) // 2
    return f"({_balanced_sum(terms[:half])}) + ({_balanced_sum(terms[half:])})"


# A point in 3-D (an atom's coordinates).
Atom = tuple[float, ...]
# What a family's builder returns: expression, variables, start, stationary points.
Built = tuple[str, list[str], list[float], list[Stationary]]
# A table of known minima: n -> (the atoms at unit scale, the energy at unit scale, a note).
Minima = dict[int, tuple[Callable[[], Sequence[Atom]], float, str]]


@dataclass(frozen=True)
class Family:
    """A potential whose expression depends on an integer size ``n``."""

    name: str
    description: str
    parameters: dict
    n_max: int
    references: tuple[str, ...]
    build: Callable[[int, dict[str, float]], Built]  # (n, values) -> (expression, variables, start, stationary)
    descent: Callable[[int, dict[str, float]], DescentSettings] | None = None
    zero_modes: Callable[[int], int] | None = None  # n -> the number of symmetry zero modes
    units: Units | None = None
    atom_mass: float | None = None  # every atom's mass (in units.mass), for a family of atoms
    particles: bool = False  # the expression is a pair term over n particles in 3D (a ParticleSpec)

    def bind(self, params: dict[str, float] | None = None) -> tuple[PotentialSpec, dict[str, float]]:
        """``PotentialSpec.bind`` without a spec at the defaults first: the
        spec built once for ``params`` (unknown names: ``InputError``) and the
        values to substitute (the size ``n`` left out)."""
        params = dict(params or {})
        check_parameter_names(self.name, self.parameters, params)
        spec = self.spec(params)
        return spec, {k: float(p["value"]) for k, p in spec.parameters.items() if k != "n"}

    def spec(self, values: dict[str, float] | None = None) -> PotentialSpec:
        """The spec at these parameter ``values`` (defaults for the rest);
        ``n`` must be an integer from 2 to ``n_max`` (``InputError``)."""
        values = {**{k: p["value"] for k, p in self.parameters.items()}, **(values or {})}
        size = values["n"]
        if not (float(size).is_integer() and 2 <= size <= self.n_max):
            raise InputError(
                f"potential '@{self.name}': parameter n must be an integer from 2 to {self.n_max}, not {size:g}"
            )
        n = int(size)
        expression, variables, start, stationary = self.build(n, values)
        parameters = {k: {**p, "value": (n if k == "n" else float(values[k]))} for k, p in self.parameters.items()}
        return PotentialSpec(
            self.name,
            self.description,
            expression,
            tuple(variables),
            parameters,
            tuple(start),
            tuple(stationary),
            self.references,
            None,
            family="n",
            where=f"family '{self.name}' (n={n})",
            zero_modes=self.zero_modes(n) if self.zero_modes else 0,
            descent=self.descent(n, values) if self.descent else DescentSettings(),
            units=self.units,
            masses=(self.atom_mass,) * len(variables) if self.atom_mass is not None else None,
            particles=ParticleSpec(expression, n) if self.particles else None,
            rebuild=self.spec,
        )


# Lennard-Jones cluster minima in reduced units (eps = sigma = 1): a shape with
# one or two free lengths, fixed by minimising the energy over those lengths
# (mpmath, 40 digits); energies agree with the Cambridge Cluster Database.
_LJ_R = 2 ** (1 / 6)
_PHI = (1 + math.sqrt(5)) / 2


def _ring(k: int, radius: float, z: float = 0.0) -> list[Atom]:
    return [(radius * math.cos(2 * math.pi * i / k), radius * math.sin(2 * math.pi * i / k), z) for i in range(k)]


def _icosahedron(radius: float) -> list[Atom]:
    unit = []
    for s1 in (1, -1):
        for s2 in (1, -1):
            unit += [(0.0, s1, s2 * _PHI), (s1, s2 * _PHI, 0.0), (s2 * _PHI, 0.0, s1)]
    norm = math.sqrt(1 + _PHI**2)
    return [(0.0, 0.0, 0.0)] + [tuple(radius * c / norm for c in v) for v in unit]


def _truncated_octahedron(a: float, b: float, p: float, q: float) -> list[Atom]:
    # LJ38's global minimum (Oh): 6 atoms at (±a, 0, 0) and permutations, 8 at (±b, ±b, ±b), 24 at
    # (0, ±p, ±q) and permutations. The four lengths: the fcc construction (gradcli.particles.clusters)
    # relaxed, then Newton's method on the four (|grad V| ~ 2e-14).
    atoms = [tuple(s * a * (k == axis) for k in range(3)) for axis in range(3) for s in (1.0, -1.0)]
    atoms += [(sx * b, sy * b, sz * b) for sx in (1, -1) for sy in (1, -1) for sz in (1, -1)]
    for i, j in ((0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)):
        for si in (1, -1):
            for sj in (1, -1):
                atom = [0.0, 0.0, 0.0]
                atom[i], atom[j] = si * q, sj * p
                atoms.append(tuple(atom))
    return atoms


_LJ_MINIMA: Minima = {
    2: (lambda: [(0.0, 0.0, 0.0), (_LJ_R, 0.0, 0.0)], -1.0, "dimer at r = 2^(1/6) sigma"),
    3: (lambda: _ring(3, _LJ_R / math.sqrt(3)), -3.0, "equilateral triangle of side 2^(1/6) sigma"),
    4: (
        lambda: [
            tuple(c * _LJ_R / (2 * math.sqrt(2)) for c in v) for v in [(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)]
        ],
        -6.0,
        "regular tetrahedron of edge 2^(1/6) sigma",
    ),
    5: (
        lambda: _ring(3, 0.6489957274981957) + [(0.0, 0.0, 0.9129385501583536), (0.0, 0.0, -0.9129385501583536)],
        -9.103852415707557,
        "trigonal bipyramid; CCD: -9.103852",
    ),
    6: (
        lambda: (
            [(d * s, 0.0, 0.0) for s in (1, -1) for d in (0.7901536201320303,)]
            + [(0.0, d * s, 0.0) for s in (1, -1) for d in (0.7901536201320303,)]
            + [(0.0, 0.0, d * s) for s in (1, -1) for d in (0.7901536201320303,)]
        ),
        -12.712062256809338,
        "octahedron; CCD: -12.712062",
    ),
    7: (
        lambda: _ring(5, 0.9562063096026523) + [(0.0, 0.0, 0.5738701692194005), (0.0, 0.0, -0.5738701692194005)],
        -16.505384168012217,
        "pentagonal bipyramid; CCD: -16.505384",
    ),
    13: (lambda: _icosahedron(1.0818382885513658), -44.32680141953402, "Mackay icosahedron; CCD: -44.326801"),
    38: (
        lambda: _truncated_octahedron(0.7759309576204478, 0.7790009250831657, 0.7808894437219709, 1.5655837414624079),
        -173.92842659062876,
        "fcc truncated octahedron; CCD: -173.928427",
    ),
}

# Other minima, listed because descent from the family's start ends there. LJ6's
# capped trigonal bipyramid (C2v, mirror planes x = 0 and z = 0): the end of
# that descent polished by Newton's method (|grad V| ~ 3e-14), symmetrised and
# centred; V = -12.30292752958073 from 40-digit arithmetic at these coordinates.
# (Not checked against a published table: none was at hand.)
_LJ6_C2V = (
    0.1718303360665292,
    0.5657667152060034,
    0.5598446801712425,
    0.6166703192510343,
    0.9232193469915665,
    0.4448399831845051,
)


def _lj6_c2v() -> list[Atom]:
    p = _LJ6_C2V
    return [
        (0.0, -p[0], p[1]),
        (0.0, -p[0], -p[1]),
        (p[2], p[3], 0.0),
        (-p[2], p[3], 0.0),
        (p[4], -p[5], 0.0),
        (-p[4], -p[5], 0.0),
    ]


_LJ_LOCAL: Minima = {
    6: (
        _lj6_c2v,
        -12.30292752958073,
        "local minimum: capped trigonal bipyramid (C2v), where descent from the start ends",
    ),
}

# The pair's force constant at its minimum r = 2^(1/6) sigma: V''(r_min) = 72 * 2^(-1/3) eps/sigma^2 = 57.15.
LJ_PAIR_FORCE_CONSTANT = 72 * 2 ** (-1 / 3)


def _lj_zero_modes(n: int) -> int:
    """3 translations + 3 rotations; a dimer (linear) has only 2 rotations."""
    return 5 if n == 2 else 6


def _lj_descent(n: int, values: dict) -> DescentSettings:
    # The largest Hessian eigenvalue met along the descent from the start was
    # measured for n = 2..40: about k0 * min(n, 14), k0 = 57.15 eps/sigma^2
    # (n k0 for the compact n <= 4 clusters, saturating near 820 at n >= 13).
    # lr = 1/that keeps lr * lambda_max near 1 (stable below 2) and converges
    # for every n = 2..40 within 15,000 steps (n = 15 is the slowest).
    eps, sigma = values["eps"], values["sigma"]
    lr = sigma**2 / (eps * LJ_PAIR_FORCE_CONSTANT * min(n, 14)) if eps > 0 else math.nan
    return DescentSettings(lr=lr, steps=50_000)


def _fcc_start(n: int, spacing: float = _LJ_R) -> list[Atom]:
    # The n fcc sites nearest the origin at the pair-minimum spacing, nudged
    # off their symmetric positions so a descent does not sit on a saddle.
    reach = 2 + int(math.ceil((4 * n) ** (1 / 3)))  # a cube holding well over n sites
    span = range(-reach, reach + 1)
    sites = sorted((i * i + j * j + k * k, (i, j, k)) for i in span for j in span for k in span if (i + j + k) % 2 == 0)
    scale = spacing / math.sqrt(2)
    return [
        tuple(scale * c + 0.04 * spacing / _LJ_R * math.sin(2.0 * (3 * a + b) + 1.0) for b, c in enumerate(site))
        for a, (_, site) in enumerate(sites[:n])
    ]


LJ_PAIR = "4*eps*((sigma/r)**12 - (sigma/r)**6)"
# Morse clusters as in the Cambridge Cluster Database: V = eps sum_ij exp(rho (1 - r/r0)) (exp(rho (1 - r/r0)) - 2).
MORSE_PAIR = "eps*exp(rho*(1 - r/r0))*(exp(rho*(1 - r/r0)) - 2)"


def _atom_names(n: int) -> list[str]:
    return [f"{c}{i}" for i in range(1, n + 1) for c in "xyz"]


def _lj_cluster(n: int, values: dict[str, float]) -> Built:
    eps, sigma = values["eps"], values["sigma"]
    start = [sigma * c for atom in _fcc_start(n) for c in atom]
    stationary = []
    for table, prefix in ((_LJ_MINIMA, "global minimum: "), (_LJ_LOCAL, "")):
        if n in table:
            atoms, energy, note = table[n]
            point = tuple(sigma * c for atom in atoms() for c in atom)
            stationary.append(Stationary(point, eps * energy, "minimum", _lj_zero_modes(n), prefix + note))
    return LJ_PAIR, _atom_names(n), start, stationary


# Morse clusters' global minima at rho = 6 (eps = r0 = 1), shapes with one or two free lengths fixed by
# relaxing the construction (gradcli.particles.clusters) and Newton's method on those lengths
# (|grad V| ~ 2e-14). Energies: Doye's Table 2.2 gives -9.0449, -12.4878, -16.2076 (n = 5, 6, 7); the
# Cambridge Cluster Database -42.439863 (n = 13).
_MORSE6_MINIMA: Minima = {
    5: (
        lambda: _ring(3, 0.5779474924121422) + [(0.0, 0.0, 0.8142197315954691), (0.0, 0.0, -0.8142197315954691)],
        -9.04493049597353,
        "trigonal bipyramid; Doye: -9.0449",
    ),
    6: (
        lambda: [tuple(s * 0.703943568129067 * (k == axis) for k in range(3)) for axis in range(3) for s in (1, -1)],
        -12.487809004245971,
        "octahedron; Doye: -12.4878",
    ),
    7: (
        lambda: _ring(5, 0.8533144886321978) + [(0.0, 0.0, 0.5097267156179263), (0.0, 0.0, -0.5097267156179263)],
        -16.207579623634274,
        "pentagonal bipyramid; Doye: -16.2076",
    ),
    13: (lambda: _icosahedron(0.9647027502285753), -42.4398626905845, "Mackay icosahedron; CCD: -42.439863"),
}


def _morse_cluster(n: int, values: dict[str, float]) -> Built:
    eps, r0 = values["eps"], values["r0"]
    stationary = []
    if values["rho"] == 6.0 and n in _MORSE6_MINIMA:  # the minima move with rho: listed for the default only
        atoms, energy, note = _MORSE6_MINIMA[n]
        point = tuple(r0 * c for atom in atoms() for c in atom)
        stationary.append(Stationary(point, eps * energy, "minimum", _lj_zero_modes(n), "global minimum: " + note))
    return MORSE_PAIR, _atom_names(n), [r0 * c for atom in _fcc_start(n, 1.0) for c in atom], stationary


def _morse_descent(n: int, values: dict) -> DescentSettings:
    # As for LJ: the pair's force constant at its minimum, V''(r0) = 2 eps rho^2 / r0^2 (72 at rho = 6, close
    # to LJ's 57), times min(n, 14) bounds the curvature met; lr = 1/that.
    eps, rho, r0 = values["eps"], values["rho"], values["r0"]
    lr = r0**2 / (2 * eps * rho**2 * min(n, 14)) if eps > 0 and rho != 0 else math.nan
    return DescentSettings(lr=lr, steps=50_000)


# Extended Rosenbrock: the global minimum at (1, ..., 1) and, for 4 <= n <= 7,
# a second local minimum near (-1, 1, ..., 1) (Newton's method, 40 digits).
_ROSENBROCK_LOCAL = {
    4: ((-0.7756592265653526, 0.6130933654850435, 0.38206284633839315, 0.1459720185521946), 3.7014286104300173),
    5: (
        (-0.9620510206947502, 0.93573939597671, 0.8807136041943206, 0.7778776758544063, 0.6050936785926528),
        3.930839434133028,
    ),
    6: (
        (
            -0.9865749795709937,
            0.9833982288361817,
            0.9721066700530919,
            0.947437436826436,
            0.8986511848517296,
            0.8075739520354176,
        ),
        3.973940500930295,
    ),
    7: (
        (
            -0.9917225725614055,
            0.9935553935033713,
            0.9921733215946921,
            0.9868987626903139,
            0.975164756608873,
            0.9514319827049927,
            0.9052228177139535,
        ),
        3.983600536424854,
    ),
}


def _rosenbrock_nd(n: int, values: dict[str, float]) -> Built:
    variables = [f"x{i}" for i in range(1, n + 1)]
    terms = [f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n)]
    stationary = [Stationary(tuple([1.0] * n), 0.0, "minimum", 0, "global minimum")]
    if n in _ROSENBROCK_LOCAL:
        point, value = _ROSENBROCK_LOCAL[n]
        stationary.append(Stationary(point, value, "minimum", 0, "local minimum near (-1, 1, ..., 1)"))
    start = [-1.2 if i % 2 == 0 else 1.0 for i in range(n)]
    return _balanced_sum(terms), variables, start, stationary


def _rosenbrock_nd_descent(n: int, values: dict) -> DescentSettings:
    # The largest Hessian eigenvalue along the descent from the start is at most
    # 2,603 (n = 2..400; 1,002 at the minimum for n = 2, 1,802 for large n), so
    # lr = 1/1600 keeps lr * lambda_max below 1.63 (stable below 2). Plain
    # gradient descent is slow along the curved valley, on purpose: that is the
    # textbook lesson. It needs 57,000-70,000 steps for n <= 50 and about
    # 56,000 + 270 n beyond, so the budget grows with n.
    return DescentSettings(lr=1 / 1600, steps=100_000 + 500 * n)


FAMILIES: dict[str, Family] = {
    "lj-cluster": Family(
        "lj-cluster",
        "Lennard-Jones cluster of n atoms (3n coordinates x1,y1,z1,...), reduced units; size with --param n=... "
        "(up to 1000)",
        {
            "n": {"value": 13, "units": None},
            "eps": {"value": 1.0, "units": "energy"},
            "sigma": {"value": 1.0, "units": "length"},
        },
        1000,
        (
            "J. E. Lennard-Jones, Proc. R. Soc. Lond. A 106, 463 (1924)",
            "D. J. Wales and J. P. K. Doye, Global optimization by basin-hopping and the lowest energy structures of "
            "Lennard-Jones clusters containing up to 110 atoms, J. Phys. Chem. A 101, 5111 (1997); energies in the "
            "Cambridge Cluster Database (n=5: -9.103852, 6: -12.712062, 7: -16.505384, 13: -44.326801, "
            "38: -173.928427)",
        ),
        _lj_cluster,
        _lj_descent,
        _lj_zero_modes,
        # Reduced units: energies in eps, lengths in sigma, masses in the atom's mass.
        units=Units("reduced", "reduced", "reduced"),
        atom_mass=1.0,
        particles=True,
    ),
    "morse-cluster": Family(
        "morse-cluster",
        "Morse cluster of n atoms (3n coordinates x1,y1,z1,...), range rho, reduced units (eps = r0 = 1); "
        "size with --param n=... (up to 1000)",
        {
            "n": {"value": 13, "units": None},
            "eps": {"value": 1.0, "units": "energy"},
            "r0": {"value": 1.0, "units": "length"},
            "rho": {"value": 6.0, "units": None},
        },
        1000,
        (
            "P. M. Morse, Diatomic molecules according to the wave mechanics. II. Vibrational levels, Phys. Rev. 34, "
            "57 (1929)",
            "J. P. K. Doye and D. J. Wales, Structural consequences of the range of the interatomic potential: a "
            "menagerie of clusters, J. Chem. Soc., Faraday Trans. 93, 4233 (1997); J. P. K. Doye, PhD thesis "
            "(Cambridge, 1996), Table 2.2 (n=5-7 at rho=3, 6, 10, 14); the Cambridge Cluster Database",
        ),
        _morse_cluster,
        _morse_descent,
        _lj_zero_modes,
        units=Units("reduced", "reduced", "reduced"),
        atom_mass=1.0,
        particles=True,
    ),
    "rosenbrock-nd": Family(
        "rosenbrock-nd",
        "n-dimensional Rosenbrock sum of 100(x[i+1]-x[i]²)²+(1-x[i])²; size with --param n=...",
        {"n": {"value": 4, "units": None}},
        1000,
        (
            "H. H. Rosenbrock, Comput. J. 3, 175 (1960)",
            "S. Kok and C. Sandrock, Locating and characterizing the stationary points of the extended Rosenbrock "
            "function, Evol. Comput. 17, 437 (2009): a second minimum near (-1, 1, ..., 1) for 4 <= n <= 7",
        ),
        _rosenbrock_nd,
        _rosenbrock_nd_descent,
        units=Units("reduced", "reduced"),
    ),
}
