"""gradcli's optimisers against ASE's and against scipy called directly, side by side in one run.

    PYTHONPATH=. /work/sidevenv/bin/python bench/bench_optimizers.py [--starts 10] [--sizes 13,38]

1. LJ13 and LJ38 (reduced units) from seeded random starts (atoms placed one by one, uniformly in a
   sphere, no pair closer than 0.9 sigma), relaxed to fmax 1e-4 (ASE's test: the largest per-atom
   force norm): gradcli ``lbfgs`` and ``fire`` (``--fmax 1e-4 --tol 0``) against ASE's ``LBFGS`` and
   ``FIRE`` on ASE's ``LennardJones`` calculator (rc = 100 sigma: no cutoff, the same potential).
   Reported: force evaluations (gradcli / ASE) and wall time (gradcli / ASE), medians over the starts,
   and the energies reached.
2. gradcli's ``bfgs`` and ``lbfgs`` against ``scipy.optimize.minimize`` called directly on gradcli's
   compiled ``value_and_grad`` with the same stopping test (max |dV/dx_i| <= 1e-4: scipy's own gtol;
   gradcli's ``--fmax 1e-4`` on components), BLAS on one thread for both: wall time ratio, the same
   iterations and evaluations.

The gradcli potential is ``gradcli.particles.ParticlePotential`` when that package is present,
else the lj-cluster family's expression (one compiled expression; its compile time is reported
apart and not timed in the runs). Nothing here is a test: the numbers go to bench/README.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

import numpy as np


def random_start(n_atoms: int, seed: int, min_distance: float = 0.9) -> np.ndarray:
    """``n_atoms`` points in a sphere of density ~0.6 sigma^-3, no pair closer than ``min_distance``."""
    rng = np.random.default_rng(seed)
    radius = (3 * n_atoms / (4 * np.pi * 0.6)) ** (1 / 3)
    atoms: list[np.ndarray] = []
    while len(atoms) < n_atoms:
        p = rng.uniform(-radius, radius, 3)
        if np.linalg.norm(p) <= radius and all(np.linalg.norm(p - q) >= min_distance for q in atoms):
            atoms.append(p)
    return np.array(atoms)


def gradcli_potential(n_atoms: int):
    """(potential, description, build seconds)."""
    t = time.perf_counter()
    try:
        from gradcli.particles import ParticlePotential

        V = ParticlePotential("4*eps*((sigma/r)**12 - (sigma/r)**6)", n_atoms, params={"eps": 1.0, "sigma": 1.0})
        what = "gradcli.particles.ParticlePotential (vectorised pair sum)"
    except ImportError:
        from gradcli.frontend.potential import Potential
        from gradcli.named.families import FAMILIES

        spec = FAMILIES["lj-cluster"].spec({"n": n_atoms})
        values = {name: p["value"] for name, p in spec.parameters.items() if name != "n"}
        V = Potential(spec.expression, variables=spec.variables, params=values)
        what = f"the lj-cluster family's expression ({len(spec.expression):,} characters, compiled)"
    V.value_and_grad(random_start(n_atoms, 0).reshape(-1))  # compile now, not inside a timed run
    return V, what, time.perf_counter() - t


def ase_run(positions: np.ndarray, method: str, fmax: float):
    from ase import Atoms
    from ase.calculators.lj import LennardJones
    from ase.optimize import FIRE, LBFGS

    atoms = Atoms("Ar" * len(positions), positions=positions)
    calc = LennardJones(epsilon=1.0, sigma=1.0, rc=100.0)
    calls = [0]
    original = calc.calculate

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    calc.calculate = counted
    atoms.calc = calc
    optimizer = {"lbfgs": LBFGS, "fire": FIRE}[method](atoms, logfile=None)
    t = time.perf_counter()
    converged = optimizer.run(fmax=fmax, steps=100_000)
    elapsed = time.perf_counter() - t
    return {"evaluations": calls[0], "time": elapsed, "energy": atoms.get_potential_energy(), "converged": converged}


def gradcli_run(V, positions: np.ndarray, method: str, fmax: float):
    from gradcli.optimize import minimize

    t = time.perf_counter()
    result = minimize(
        V, positions.reshape(-1).tolist(), method=method, fmax=fmax, tol=0.0, atoms=True, steps=100_000, max_record=2
    )
    elapsed = time.perf_counter() - t
    return {
        "evaluations": result.evaluations.gradient,
        "time": elapsed,
        "energy": result.value,
        "converged": result.converged,
        "status": result.status,
    }


def scipy_overhead(V, positions: np.ndarray, method: str, gtol: float, repeats: int = 3):
    """Best-of-``repeats`` wall times of gradcli's method and of scipy called directly, same test."""
    import scipy.optimize
    from threadpoolctl import ThreadpoolController

    from gradcli.optimize import minimize

    controller = ThreadpoolController()  # made once, as gradcli does (making one scans the libraries)

    x0 = positions.reshape(-1)
    name = {"bfgs": "BFGS", "lbfgs": "L-BFGS-B"}[method]
    options = {"gtol": gtol, "maxiter": 100_000}
    if method == "lbfgs":
        options.update(ftol=0.0, maxfun=10**6, maxcor=100)  # gradcli keeps ASE's 100 corrections
    ours, theirs = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        result = minimize(V, x0.tolist(), method=method, fmax=gtol, tol=0.0, steps=100_000, max_record=2)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        with controller.limit(limits=1, user_api="blas"):
            direct = scipy.optimize.minimize(V.value_and_grad, x0, jac=True, method=name, options=options)
        theirs.append(time.perf_counter() - t)
    return {
        "ours": min(ours),
        "direct": min(theirs),
        "steps": (result.steps, int(direct.nit)),
        "evaluations": (result.evaluations.value, int(direct.nfev)),
        "status": result.status,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--sizes", default="13,38")
    parser.add_argument("--fmax", type=float, default=1e-4)
    args = parser.parse_args()
    import ase
    import scipy

    print(
        f"# {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, {platform.machine()}, "
        f"ase {ase.__version__}, scipy {scipy.__version__}, numpy {np.__version__}"
    )
    for n_atoms in (int(s) for s in args.sizes.split(",")):
        V, what, build = gradcli_potential(n_atoms)
        print(f"\n## LJ{n_atoms}: gradcli potential = {what}; built and compiled in {build:.1f} s (not timed below)")
        print("start  method  evals gradcli/ASE  time gradcli/ASE (ms)   E gradcli        E ASE")
        ratios = {m: {"evaluations": [], "time": []} for m in ("lbfgs", "fire")}
        for seed in range(args.starts):
            positions = random_start(n_atoms, seed)
            for method in ("lbfgs", "fire"):
                a = ase_run(positions, method, args.fmax)
                g = gradcli_run(V, positions, method, args.fmax)
                ratios[method]["evaluations"].append(g["evaluations"] / a["evaluations"])
                ratios[method]["time"].append(g["time"] / a["time"])
                flag = "" if g["converged"] and a["converged"] else f"  [gradcli {g['status']}, ASE {a['converged']}]"
                print(
                    f"{seed:5d}  {method:6s} {g['evaluations']:5d} / {a['evaluations']:5d}   "
                    f"{1e3 * g['time']:8.1f} / {1e3 * a['time']:8.1f}   "
                    f"{g['energy']:12.6f} {a['energy']:12.6f}{flag}"
                )
        for method, r in ratios.items():
            print(
                f"median over {args.starts} starts, {method}: evaluations gradcli/ASE = "
                f"{statistics.median(r['evaluations']):.2f} (range {min(r['evaluations']):.2f}-"
                f"{max(r['evaluations']):.2f}); time gradcli/ASE = {statistics.median(r['time']):.2f} "
                f"(range {min(r['time']):.2f}-{max(r['time']):.2f})"
            )
        print("gradcli vs scipy.optimize.minimize directly (same test, max |dV/dx_i| <= fmax), best of 3:")
        for method in ("bfgs", "lbfgs"):
            over = [scipy_overhead(V, random_start(n_atoms, seed), method, args.fmax) for seed in range(3)]
            ratio = [o["ours"] / o["direct"] for o in over]
            same = all(o["steps"][0] == o["steps"][1] and o["evaluations"][0] == o["evaluations"][1] for o in over)
            print(
                f"  {method}: time gradcli/direct = {statistics.median(ratio):.3f} (starts 0-2: "
                f"{', '.join(f'{r:.3f}' for r in ratio)}); same iterations and evaluations: {same}"
                + ("" if same else f" {[(o['steps'], o['evaluations'], o['status']) for o in over]}")
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
