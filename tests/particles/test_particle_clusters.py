"""Lennard-Jones clusters relaxed to the Cambridge Cluster Database's minima.

CCD (Wales et al., http://www-wales.ch.cam.ac.uk/CCD.html; energies also in
Wales & Doye, J. Phys. Chem. A 101, 5111 (1997)): LJ13 -44.326801 (Mackay
icosahedron), LJ38 -173.928427 (fcc truncated octahedron). The CCD's
coordinates are not in this repository: the shapes are built by construction
(gradcli.particles.clusters), perturbed, and relaxed by scipy's L-BFGS on
gradcli's energy and gradient."""

import numpy as np
import pytest
from scipy.optimize import minimize

from gradcli.particles import ParticlePotential
from gradcli.particles.clusters import icosahedron_13, truncated_octahedron_38

LJ = "4*eps*((sigma/r)**12 - (sigma/r)**6)"
CCD = {13: -44.326801, 38: -173.928427}


def relax(V, x0):
    result = minimize(
        V.value_and_grad,
        x0,
        jac=True,
        method="L-BFGS-B",
        options={"gtol": 1e-10, "ftol": 1e-16, "maxiter": 20_000, "maxcor": 30},
    )
    return result.x, result.fun


def sorted_distances(x):
    X = x.reshape(-1, 3)
    i, j = np.triu_indices(len(X), 1)
    return np.sort(np.linalg.norm(X[i] - X[j], axis=1))


@pytest.mark.parametrize("n, build", [(13, icosahedron_13), (38, truncated_octahedron_38)])
def test_relaxed_constructions_reach_the_cambridge_cluster_database_energies(n, build):
    V = ParticlePotential(LJ, n, params={"eps": 1, "sigma": 1})
    start = build().ravel() + np.random.default_rng(n).uniform(-0.05, 0.05, 3 * n)
    x, energy = relax(V, start)
    assert energy == pytest.approx(CCD[n], abs=1e-6)
    assert np.abs(V.grad(x)).max() < 1e-6
    # A minimum: the six zero modes of translation and rotation, every other eigenvalue positive.
    eigenvalues = np.linalg.eigvalsh(V.hessian(x))
    assert np.all(np.abs(eigenvalues[:6]) < 1e-4) and eigenvalues[6] > 1.0


def test_units_scale_the_energy_and_the_size():
    # eps scales the energy, sigma the lengths: LJ13 with eps = 2, sigma = 3 is 2 * -44.326801.
    V = ParticlePotential(LJ, 13, params={"eps": 2.0, "sigma": 3.0})
    x, energy = relax(V, 3.0 * icosahedron_13().ravel())
    assert energy == pytest.approx(2 * CCD[13], abs=2e-6)


# Morse clusters, V = eps * sum exp(rho (1 - r/r0)) (exp(rho (1 - r/r0)) - 2), eps = r0 = 1: the energies of the
# global minima of 5, 6 and 7 atoms at four ranges rho, to the 4 decimals published in J. P. K. Doye's PhD thesis
# (Cambridge, 1996), Table 2.2 (the source of the Cambridge Cluster Database's Morse clusters).
MORSE = "eps*exp(rho*(1 - r/r0))*(exp(rho*(1 - r/r0)) - 2)"
DOYE = {
    5: {3: -9.2995, 6: -9.0449, 10: -9.0036, 14: -9.0003},
    6: {3: -13.5442, 6: -12.4878, 10: -12.0949, 14: -12.0182},
    7: {3: -17.5530, 6: -16.2076, 10: -15.9565, 14: -15.8831},
}


@pytest.mark.parametrize("n", sorted(DOYE))
@pytest.mark.parametrize("rho", [3, 6, 10, 14])
def test_morse_clusters_relax_to_the_published_energies(n, rho):
    from gradcli.particles.clusters import SHAPES

    V = ParticlePotential(MORSE, n, params={"eps": 1, "r0": 1, "rho": rho})
    start = SHAPES[n](1.0).ravel() + np.random.default_rng(n).uniform(-0.02, 0.02, 3 * n)
    _, energy = relax(V, start)
    assert energy == pytest.approx(DOYE[n][rho], abs=5e-5)
