"""Normal modes (gradcli/analysis/modes.py).

References: H2's harmonic wavenumber ωe = 4401.213 cm⁻¹ (K. P. Huber and G.
Herzberg, Constants of Diatomic Molecules, 1979) from morse.toml's D and a
with μ = m(¹H)/2, m(¹H) = 1.00782503223 u (AME 2016 / CODATA 2018); a
triatomic against a finite-difference Hessian of an independent numpy
version of the same energy; CODATA 2018 constants written out here.
"""

import math

import numpy as np
import pytest
from ts_helpers import by_note, named

from gradcli import Potential
from gradcli.analysis.modes import atomic_layout, format_frequency, modes, parse_masses, parse_units
from gradcli.errors import InputError

H1_MASS = 1.00782503223
# CODATA 2018, written out independently of the module's table.
C, HBAR_JS, EV, AMU = 299792458.0, 6.62607015e-34 / (2 * math.pi), 1.602176634e-19, 1.66053906660e-27


def test_h2_harmonic_frequency_from_morse():
    result = modes(named("morse"), [0.7414], masses=[H1_MASS / 2])
    (wavenumber,) = result.frequencies["cm-1"]
    assert wavenumber == pytest.approx(4401.213, abs=2.0)
    assert result.kinds == ("real",)
    # Zero-point energy hbar*omega/2 = h c ωe / 2.
    assert result.zero_point_energy == pytest.approx(0.5 * HBAR_JS * 2 * math.pi * C * 100 * wavenumber / EV, rel=1e-12)
    assert result.zero_point_energy_meV == pytest.approx(1e3 * result.zero_point_energy, rel=1e-12)
    assert result.frequencies["meV"][0] == pytest.approx(2 * result.zero_point_energy_meV, rel=1e-12)


def test_h2_in_atomic_units_gives_the_same_wavenumber():
    # The same Morse bond in hartree and bohr, the mass in electron masses.
    hartree_ev, bohr_angstrom, me_amu = 27.211386245988, 0.529177210903, 5.48579909065e-4
    V = Potential(
        "D*(1 - exp(-a*(r - r0)))**2",
        params={"D": 4.747 / hartree_ev, "a": 1.944 * bohr_angstrom, "r0": 0.7414 / bohr_angstrom},
    )
    au = modes(V, [0.7414 / bohr_angstrom], masses=[H1_MASS / 2 / me_amu], units="hartree,bohr,me")
    ev = modes(named("morse"), [0.7414], masses=[H1_MASS / 2])
    assert au.frequencies["cm-1"][0] == pytest.approx(ev.frequencies["cm-1"][0], rel=1e-9)
    assert au.units == ("hartree", "bohr", "me")


def test_muller_brown_saddle_has_exactly_one_imaginary_frequency(muller_brown):
    s1, _ = by_note("muller-brown", "between MA and MC")
    result = modes(muller_brown, s1)
    assert result.kinds == ("imaginary", "real") and result.imaginary_count == 1
    assert result.labels()[0].endswith("i") and not result.labels()[1].endswith("i")
    assert result.frequencies["cm-1"][0] < 0
    # Zero-point energy counts only the real mode.
    assert result.zero_point_energy == pytest.approx(
        0.5 * HBAR_JS * 2 * math.pi * 1e12 * result.frequencies["THz"][1] / EV, rel=1e-12
    )


# A bent triatomic (water-like): two harmonic O-H stretches and a bend in cos θ.
KR, R0, KT, THETA0 = 50.0, 0.9572, 5.0, math.radians(104.52)


def _water_expression():
    def d(i, j):
        return f"sqrt((x{i}-x{j})**2+(y{i}-y{j})**2+(z{i}-z{j})**2)"

    dot = "((x2-x1)*(x3-x1)+(y2-y1)*(y3-y1)+(z2-z1)*(z3-z1))"
    cos = f"({dot}/({d(1, 2)}*{d(1, 3)}))"
    return f"0.5*{KR}*({d(1, 2)}-{R0})**2 + 0.5*{KR}*({d(1, 3)}-{R0})**2 + 0.5*{KT}*({cos}-{math.cos(THETA0)})**2"


def _water_energy(p):
    o, h1, h2 = p.reshape(3, 3)
    r1, r2 = np.linalg.norm(h1 - o), np.linalg.norm(h2 - o)
    cos = (h1 - o) @ (h2 - o) / (r1 * r2)
    return 0.5 * KR * (r1 - R0) ** 2 + 0.5 * KR * (r2 - R0) ** 2 + 0.5 * KT * (cos - math.cos(THETA0)) ** 2


def _water_geometry():
    half = THETA0 / 2
    local = np.array(
        [
            [0.0, 0.0, 0.0],
            [R0 * math.sin(half), R0 * math.cos(half), 0.0],
            [-R0 * math.sin(half), R0 * math.cos(half), 0.0],
        ]
    )
    # Turned and moved off the axes, so nothing relies on a special orientation.
    a, b = 0.7, -0.4
    turn = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]]) @ np.array(
        [[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]]
    )
    return (local @ turn.T + np.array([0.3, -1.1, 2.0])).reshape(-1)


def test_triatomic_against_finite_differences():
    masses = np.repeat([15.999, 1.008, 1.008], 3)
    x = _water_geometry()
    atom_names = [f"{c}{i}" for i in (1, 2, 3) for c in "xyz"]
    V = Potential(_water_expression(), variables=atom_names)
    assert atomic_layout(V.variables)
    result = modes(V, x, masses="O,H,H")
    # The same with the variables in the compiler's sorted order (x1, x2, x3, y1, ...).
    sorted_V = Potential(_water_expression())
    position = [atom_names.index(v) for v in sorted_V.variables]
    again = modes(sorted_V, x[position], masses="O,H,H")
    np.testing.assert_allclose(again.frequencies["cm-1"], result.frequencies["cm-1"], atol=1e-9)
    np.testing.assert_allclose(np.abs(again.displacements), np.abs(result.displacements[position]), atol=1e-9)
    assert result.projected == 6 and result.kinds.count("zero") == 6
    assert result.kinds.count("real") == 3
    # Independent: central second differences of the numpy energy, mass-weighted, no projection.
    h = 1e-4
    hessian = np.empty((9, 9))
    for i in range(9):
        for j in range(9):
            e = np.zeros((4, 9))
            e[0, i] += h
            e[0, j] += h  # noqa: E702
            e[1, i] += h
            e[1, j] -= h  # noqa: E702
            e[2, i] -= h
            e[2, j] += h  # noqa: E702
            e[3, i] -= h
            e[3, j] -= h  # noqa: E702
            values = [_water_energy(x + d) for d in e]
            hessian[i, j] = (values[0] - values[1] - values[2] + values[3]) / (4 * h * h)
    weighted = hessian / np.sqrt(np.outer(masses, masses))
    eigenvalues = np.linalg.eigvalsh(0.5 * (weighted + weighted.T))
    wavenumbers = np.sqrt(eigenvalues[-3:] * EV / (1e-20 * AMU)) / (2 * math.pi * C * 100)
    real = np.array([f for f, k in zip(result.frequencies["cm-1"], result.kinds) if k == "real"])
    np.testing.assert_allclose(np.sort(real), wavenumbers, atol=0.5)
    # The six rigid motions are zero also without projection (to the Hessian's round-off).
    plain = modes(V, x, masses="O,H,H", project=False)
    assert plain.projected == 0
    assert np.sort(np.abs(plain.frequencies["cm-1"]))[:6].max() < 1.0
    np.testing.assert_allclose(np.sort(plain.frequencies["cm-1"])[-3:], np.sort(real), atol=1e-3)
    # Displacements are unit vectors; mass-weighted vectors orthonormal.
    np.testing.assert_allclose(np.linalg.norm(result.displacements, axis=0), 1.0)
    np.testing.assert_allclose(result.vectors.T @ result.vectors, np.eye(9), atol=1e-12)


def test_linear_triatomic_has_five_rigid_motions():
    x = np.array([0.0, 0.0, -1.16, 0.0, 0.0, 0.0, 0.0, 0.0, 1.16])
    names = [f"{c}{i}" for i in (1, 2, 3) for c in "xyz"]
    V = Potential(_water_expression().replace(str(math.cos(THETA0)), "-1"), variables=names)
    result = modes(V, x, masses="O,C,O")
    assert result.projected == 5 and result.kinds.count("zero") == 5


def test_lennard_jones_dimer_in_reduced_units():
    # Two atoms of mass 1 at the pair minimum 2^(1/6): omega = sqrt(k/mu), k = 72 * 2^(-1/3), mu = 1/2
    # (the pair's force constant, gradcli/named/families.py); a linear molecule: 5 rigid motions.
    r = 2 ** (1 / 6)
    names = [f"{c}{i}" for i in (1, 2) for c in "xyz"]
    V = Potential(
        "4*(((x1-x2)**2+(y1-y2)**2+(z1-z2)**2)**-6 - ((x1-x2)**2+(y1-y2)**2+(z1-z2)**2)**-3)", variables=names
    )
    result = modes(V, [0.0, 0.0, 0.0, r * 0.6, r * 0.8, 0.0], masses=[1.0], units="reduced,reduced,reduced")
    assert result.projected == 5 and result.kinds == ("zero",) * 5 + ("real",)
    assert list(result.frequencies) == ["omega"]
    assert result.frequencies["omega"][-1] == pytest.approx(math.sqrt(72 * 2 ** (-1 / 3) / 0.5), rel=1e-12)
    assert math.isnan(result.zero_point_energy)
    assert result.labels()[-1] == f"{math.sqrt(144 * 2 ** (-1 / 3)):.4f}"
    # The stretch moves the atoms apart along the bond, in opposite directions.
    stretch = result.displacements[:, -1].reshape(2, 3)
    np.testing.assert_allclose(stretch[0], -stretch[1], atol=1e-12)
    np.testing.assert_allclose(np.abs(stretch[0]) / np.linalg.norm(stretch[0]), [0.6, 0.8, 0.0], atol=1e-12)


def test_zero_modes_set_aside():
    # V independent of z: one zero mode, set aside on request.
    V = Potential("x**2 + 2*y**2", variables=["x", "y", "z"])
    result = modes(V, [0.0, 0.0, 0.0], zero_modes=1)
    assert result.kinds == ("zero", "real", "real")


def test_masses_and_units_parsing():
    assert parse_masses("O,H,H", 9, True).tolist() == [15.999] * 3 + [1.008] * 6
    assert parse_masses([2.0], 3, False).tolist() == [2.0, 2.0, 2.0]
    assert parse_masses("1,2", 2, False).tolist() == [1.0, 2.0]
    assert parse_masses(None, 2, False).tolist() == [1.0, 1.0]
    assert parse_units("eV,Å,amu")[:3] == (EV, 1e-10, AMU)
    assert format_frequency(-12.34) == "12.3i" and format_frequency(12.34, 2) == "12.34"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"masses": "Qx"}, "a mass is a positive number or an element symbol"),
        ({"masses": "-1"}, "masses must be positive"),
        ({"masses": "1,2,3"}, r"give 1 mass, 2 \(one per variable\), got 3"),
        ({"units": "eV,Å"}, "units are three names"),
        ({"units": "eV,furlong,amu"}, "unknown length unit 'furlong'"),
        ({"units": "reduced,Å,amu"}, "reduced units go together"),
        ({"project": True}, "needs atomic coordinates"),
        ({"zero_modes": 3}, "zero_modes must be an integer from 0 to 2"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(InputError, match=message):
        modes(Potential("x**2 + y**2"), [0.0, 0.0], **kwargs)


def test_bad_point_and_atom_counts():
    with pytest.raises(InputError, match="needs 2 coordinates"):
        modes(Potential("x**2 + y**2"), [0.0])
    with pytest.raises(InputError, match="one per atom"):
        modes(
            Potential(_water_expression(), variables=[f"{c}{i}" for i in (1, 2, 3) for c in "xyz"]),
            _water_geometry(),
            masses="O,H",
        )


def test_a_hessian_that_overflows_is_a_domain_error():
    from gradcli.errors import DomainError

    with pytest.raises(DomainError, match="overflow in exp"):
        modes(Potential("exp(x**2)"), [30.0])
