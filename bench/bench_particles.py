"""Particle potentials (issue 13): energy + forces per call for Lennard-Jones
clusters of N = 13, 38, 150, 1000 atoms, side by side in one run:

* gradcli: ``ParticlePotential(LJ).value_and_grad(x)`` (all pairs), and with
  a cutoff of 3 sigma (pairs from scipy's cKDTree each call);
* hand-written numpy, two ways: "pairs" (pair indices and the bincount
  scatter indices precomputed once, the same algorithm as gradcli's, the
  fastest numpy version we know) and "broadcast" (the textbook N x N
  array version);
* ASE's ``LennardJones`` calculator (sigma = eps = 1, its default cutoff
  rc = 3 sigma, no smoothing), a fresh calculation per call.

Also: the set-up cost of a particle potential at N = 13 and N = 1000 (each
in a fresh interpreter, imports done first: construction plus the first
energy + forces call, which compiles the pair term), and the exact Hessian
at N = 1000 (first call, which compiles its program, and later calls).

Run by hand (ASE is installed only in the side venv):

    PYTHONPATH=. /work/sidevenv/bin/python bench/bench_particles.py [--repeats 30]

Each timing is the best of ``--repeats`` blocks; within a size the
implementations are timed block by block in turn, so load changes hit all.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import time

import numpy as np

LJ = "4*eps*((sigma/r)**12 - (sigma/r)**6)"
SIZES = (13, 38, 150, 1000)


def fcc_ball(n: int) -> np.ndarray:
    """The n fcc sites nearest the origin at the LJ pair spacing, slightly
    perturbed (a compact cluster, like a relaxed one)."""
    span = range(-8, 9)
    sites = sorted((i * i + j * j + k * k, (i, j, k)) for i in span for j in span for k in span if (i + j + k) % 2 == 0)
    X = np.array([s for _, s in sites[:n]], dtype=float) * (2 ** (1 / 6) / math.sqrt(2))
    return X + np.random.default_rng(n).uniform(-0.03, 0.03, X.shape)


def numpy_pairs(n: int):
    """Hand-written LJ energy + gradient over precomputed pairs (i < j)."""
    i, j = np.triu_indices(n, 1)
    fi = (i[:, None] * 3 + np.arange(3)).ravel()
    fj = (j[:, None] * 3 + np.arange(3)).ravel()
    size = 3 * n

    def energy_and_gradient(x):
        X = x.reshape(n, 3)
        d = np.take(X, i, axis=0) - np.take(X, j, axis=0)
        inv2 = 1.0 / np.einsum("ij,ij->i", d, d)
        inv6 = inv2 * inv2 * inv2
        energy = 4.0 * float(np.sum(inv6 * (inv6 - 1.0)))
        w = (24.0 - 48.0 * inv6) * inv6 * inv2  # (dV/dr)/r
        f = (d * w[:, None]).ravel()
        return energy, np.bincount(fi, f, size) - np.bincount(fj, f, size)

    return energy_and_gradient


def numpy_broadcast(n: int):
    """Hand-written LJ energy + gradient over the full N x N array."""
    off = ~np.eye(n, dtype=bool)

    def energy_and_gradient(x):
        X = x.reshape(n, 3)
        d = X[:, None, :] - X[None, :, :]
        r2 = np.einsum("ijk,ijk->ij", d, d)
        inv2 = np.divide(1.0, r2, out=np.zeros_like(r2), where=off)
        inv6 = inv2**3
        energy = 2.0 * float(np.sum(inv6 * (inv6 - 1.0)))  # each pair twice: 4/2
        w = (24.0 - 48.0 * inv6) * inv6 * inv2
        return energy, np.einsum("ij,ijk->ik", w, d).ravel()

    return energy_and_gradient


def ase_calculator(n: int, X: np.ndarray):
    from ase import Atoms
    from ase.calculators.calculator import all_changes
    from ase.calculators.lj import LennardJones

    atoms = Atoms(f"Ar{n}", positions=X)
    calc = LennardJones(sigma=1.0, epsilon=1.0, rc=3.0, smooth=False)
    atoms.calc = calc

    def energy_and_forces(x):
        calc.calculate(atoms, ["energy", "forces"], all_changes)
        return calc.results["energy"], calc.results["forces"]

    return energy_and_forces


def best_per_call(f, x, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        f(x)
    return (time.perf_counter() - start) / calls


SETUP = """
import sys, time
import numpy as np
from gradcli.particles import ParticlePotential
n = int(sys.argv[1])
x = np.random.default_rng(0).uniform(0.0, 2.0 * n ** (1 / 3), 3 * n)
start = time.perf_counter()
V = ParticlePotential("LJ_TEXT", n, params={"eps": 1, "sigma": 1})
built = time.perf_counter()
V.value_and_grad(x)
print(built - start, time.perf_counter() - start)
""".replace("LJ_TEXT", LJ)


def setup_cost(n: int) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", SETUP, str(n)], capture_output=True, text=True, check=True).stdout
    built, first = map(float, out.split())
    return built, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    from gradcli.particles import ParticlePotential

    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}; best of {args.repeats} blocks; per call")
    print(
        f"{'N':>5} {'pairs':>7} | {'gradcli':>10} {'rc=3':>10} | {'np pairs':>10} {'np bcast':>10} "
        f"{'ASE rc=3':>10} | {'g/np':>5} {'ASE/g':>6} {'ASE/g(rc)':>9}"
    )
    rows = []
    for n in SIZES:
        X = fcc_ball(n)
        x = X.ravel()
        V = ParticlePotential(LJ, n, params={"eps": 1, "sigma": 1})
        Vc = ParticlePotential(LJ, n, params={"eps": 1, "sigma": 1}, cutoff=3.0)
        contenders = {
            "gradcli": V.value_and_grad,
            "gradcli rc=3": Vc.value_and_grad,
            "numpy pairs": numpy_pairs(n),
            "numpy broadcast": numpy_broadcast(n),
            "ASE rc=3": ase_calculator(n, X),
        }
        reference = contenders["numpy pairs"](x)
        for name in ("gradcli", "numpy broadcast"):
            energy, gradient = contenders[name](x)
            assert abs(energy - reference[0]) <= 1e-9 * abs(reference[0]), name
            assert np.allclose(gradient, reference[1], rtol=1e-9, atol=1e-9), name
        calls = max(2, 2000 // n)  # short blocks (~5 ms), many of them: the best dodges the load
        best = {name: math.inf for name in contenders}
        for _ in range(args.repeats):
            for name, f in contenders.items():
                best[name] = min(best[name], best_per_call(f, x, calls if "ASE" not in name else max(1, calls // 10)))
        rows.append((n, best))
        us = {k: v * 1e6 for k, v in best.items()}
        fastest_numpy = min(us["numpy pairs"], us["numpy broadcast"])
        print(
            f"{n:>5} {n * (n - 1) // 2:>7} | {us['gradcli']:>8.1f}us {us['gradcli rc=3']:>8.1f}us | "
            f"{us['numpy pairs']:>8.1f}us {us['numpy broadcast']:>8.1f}us {us['ASE rc=3']:>8.1f}us | "
            f"{us['gradcli'] / fastest_numpy:>5.2f} {us['ASE rc=3'] / us['gradcli']:>6.1f} "
            f"{us['ASE rc=3'] / us['gradcli rc=3']:>9.1f}"
        )
    print(
        "growth (gradcli, all pairs): time per pair "
        + ", ".join(f"N={n}: {best['gradcli'] / (n * (n - 1) / 2) * 1e9:.1f} ns" for n, best in rows)
    )
    for n in (13, 1000):
        built, first = setup_cost(n)
        print(
            f"set-up N={n}: construction {built * 1e3:.1f} ms, construction + first energy/forces "
            f"{first * 1e3:.1f} ms (fresh interpreter, imports excluded)"
        )
    n = 1000
    V = ParticlePotential(LJ, n, params={"eps": 1, "sigma": 1})
    x = fcc_ball(n).ravel()
    start = time.perf_counter()
    H = V.hessian(x)
    first = time.perf_counter() - start
    later = min(best_per_call(V.hessian, x, 1) for _ in range(3))
    print(f"exact Hessian N={n} ({H.shape[0]}x{H.shape[1]}): first call {first:.3f} s (compiles), later {later:.3f} s")


if __name__ == "__main__":
    main()
