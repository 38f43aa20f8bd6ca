"""Transition states and vibrations (issue 11), side by side with ASE in one run.

Run by hand with the side venv (ASE, numpy, sympy), from the worktree root:

    PYTHONPATH=. /work/sidevenv/bin/python bench/bench_ts.py [--repeats N]

1. Minimum-energy path Müller-Brown MA -> MB: gradcli's ``path`` (11 images,
   k = 0.1, climbing image, FIRE) against ASE's ``NEB`` (the same 11 images,
   k = 0.1, climb=True, method="improvedtangent", relaxed with ASE's FIRE) on a
   Müller-Brown calculator written here (one atom at (x, y, 0)). ASE stops at
   fmax = 0.05 on the per-atom force norm; gradcli at 0.05/√2 on the largest
   component, so its band is at least as converged. gradcli's figures include
   relaxing the endpoints and refining S1, S2 and MC with the exact Hessian.
   A last row runs gradcli's band only to fmax 2, enough for the refinement
   to find the same exact saddles.
2. Normal modes of the LJ13 icosahedron (reduced units): gradcli's ``modes``
   (one exact Hessian) against ASE's ``Vibrations`` (central differences,
   6N + 1 = 79 force calls) with ASE's LennardJones calculator (rc = 100).

Force evaluations (one per point) and wall time, best of ``--repeats`` runs;
gradcli "warm" is with the potential's programs already compiled (a second run
in the same process), "cold" includes building the potential from its text.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.calculators.calculator import Calculator, all_changes
from ase.calculators.lj import LennardJones
from ase.mep import NEB
from ase.optimize import FIRE
from ase.vibrations import Vibrations

from gradcli import Potential
from gradcli.analysis.modes import modes
from gradcli.named.families import FAMILIES
from gradcli.optimize.neb import path

# Müller & Brown 1979: V = sum_k A_k exp(a_k (x-x0)^2 + b_k (x-x0)(y-y0) + c_k (y-y0)^2).
MB_A = np.array([-200.0, -100.0, -170.0, 15.0])
MB_a = np.array([-1.0, -1.0, -6.5, 0.7])
MB_b = np.array([0.0, 0.0, 11.0, 0.6])
MB_c = np.array([-10.0, -10.0, -6.5, 0.7])
MB_X0 = np.array([1.0, 0.0, -0.5, -1.0])
MB_Y0 = np.array([0.0, 0.5, 1.5, 1.0])


class MullerBrown(Calculator):
    """Müller-Brown on the x, y of one atom (z is ignored); counts its calls."""

    implemented_properties = ["energy", "forces"]

    def __init__(self, counter):
        super().__init__()
        self.counter = counter

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        x, y, _ = self.atoms.positions[0]
        dx, dy = x - MB_X0, y - MB_Y0
        terms = MB_A * np.exp(MB_a * dx**2 + MB_b * dx * dy + MB_c * dy**2)
        gx = np.sum(terms * (2 * MB_a * dx + MB_b * dy))
        gy = np.sum(terms * (MB_b * dx + 2 * MB_c * dy))
        self.counter[0] += 1
        self.results = {"energy": float(terms.sum()), "forces": np.array([[-gx, -gy, 0.0]])}


def potential_file(name):
    # Read straight from potentials/: the built-in package name exists only in an installed gradcli.
    return tomllib.loads((Path(__file__).parents[1] / "potentials" / f"{name}.toml").read_text())


def stationary(name, word):
    (s,) = [s for s in potential_file(name)["stationary"] if s.get("note") == word or f"({word})" in s.get("note", "")]
    return np.array(s["point"]), s["value"]


def ase_neb(ma, mb, images, fmax):
    counter = [0]
    band = []
    for k in range(images):
        t = k / (images - 1)
        atom = Atoms("H", positions=[[*(1 - t) * ma + t * mb, 0.0]])
        atom.calc = MullerBrown(counter)
        band.append(atom)
    neb = NEB(band, k=0.1, climb=True, method="improvedtangent")
    opt = FIRE(neb, logfile=None)
    converged = opt.run(fmax=fmax, steps=5000)
    energies = [a.get_potential_energy() for a in band]
    top = int(np.argmax(energies))
    return counter[0], opt.nsteps, converged, band[top].positions[0, :2], energies[top]


def gradcli_path(expression, ma, mb, images, fmax):
    V = Potential(expression)
    return V, path(V, ma, mb, images=images, spring=0.1, climb=True, fmax=fmax / math.sqrt(2))


def best_of(repeats, run):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return min(times), out


def bench_path(repeats: int) -> None:
    ma, _ = stationary("muller-brown", "MA")
    mb, _ = stationary("muller-brown", "MB")
    s1, v1 = stationary("muller-brown", "between MA and MC")
    expression = potential_file("muller-brown")["expression"]
    images, fmax = 11, 0.05
    t_ase, (calls, steps, converged, top_x, top_v) = best_of(repeats, lambda: ase_neb(ma, mb, images, fmax))
    t_cold, (V, _) = best_of(1, lambda: gradcli_path(expression, ma, mb, images, fmax))
    t_warm, mep = best_of(repeats, lambda: path(V, ma, mb, images=images, spring=0.1, fmax=fmax / math.sqrt(2)))
    ev = mep.evaluations
    print(f"\n== path Müller-Brown MA -> MB, {images} images, k = 0.1, fmax {fmax} ==")
    print(f"{'':28}{'force evals':>12}{'Hessians':>10}{'FIRE steps':>12}{'wall ms':>10}   saddle S1 error")
    print(
        f"{'ASE NEB + FIRE':28}{calls:>12}{0:>10}{steps:>12}{t_ase * 1e3:>10.2f}   "
        f"|x| {np.abs(top_x - s1).max():.1e}, V {abs(top_v - v1):.1e} (climbing image; converged={converged})"
    )
    s = mep.saddles[0]
    print(
        f"{'gradcli path (warm)':28}{ev['value_and_grad']:>12}{ev['hessian']:>10}{mep.band_steps:>12}"
        f"{t_warm * 1e3:>10.2f}   |x| {np.abs(s.x - s1).max():.1e}, V {abs(s.value - v1):.1e} (refined)"
    )
    print(f"{'gradcli path (cold)':28}{'':>12}{'':>10}{'':>12}{t_cold * 1e3:>10.2f}")
    # The band only has to bring each maximum into the refinement's reach: a looser band, the same exact saddles.
    t_loose, loose = best_of(repeats, lambda: path(V, ma, mb, images=images, spring=0.1, fmax=2.0))
    s_loose = loose.saddles[0]
    counts = loose.evaluations
    print(
        f"{'gradcli path fmax 2 (warm)':28}{counts['value_and_grad']:>12}{counts['hessian']:>10}"
        f"{loose.band_steps:>12}{t_loose * 1e3:>10.2f}   |x| {np.abs(s_loose.x - s1).max():.1e}, "
        f"V {abs(s_loose.value - v1):.1e} (refined; {len(loose.saddles)} saddles, {len(loose.minima)} minimum)"
    )
    print(
        f"ratios gradcli/ASE: evaluations {ev['value_and_grad'] / calls:.2f} "
        f"(+{ev['hessian']} Hessians), wall warm {t_warm / t_ase:.3f}, cold {t_cold / t_ase:.3f}; "
        f"saddles {len(mep.saddles)}, minima in between {len(mep.minima)}"
    )


def ase_vibrations(positions):
    counter = [0]

    class Counted(LennardJones):
        def calculate(self, *args, **kwargs):
            counter[0] += 1
            super().calculate(*args, **kwargs)

    atoms = Atoms(f"Ar{len(positions)}", positions=positions)
    atoms.set_masses(np.ones(len(positions)))
    atoms.calc = Counted(sigma=1.0, epsilon=1.0, rc=100.0)
    with tempfile.TemporaryDirectory() as folder:
        vib = Vibrations(atoms, name=f"{folder}/vib")
        vib.run()
        energies = vib.get_energies()  # eV -> here in the reduced energy unit
        vib.clean()
    return counter[0], energies


def bench_modes(repeats: int) -> None:
    found = FAMILIES["lj-cluster"].spec({"n": 13})
    minimum = found.stationary[0]  # the icosahedron
    x = np.array(minimum.point)
    t_ase, (calls, ase_energies) = best_of(repeats, lambda: ase_vibrations(x.reshape(-1, 3)))

    def cold():
        params = {k: p["value"] for k, p in found.parameters.items() if k != "n"}
        V = Potential(found.expression, variables=found.variables, params=params)
        return V, modes(V, x, masses=[1.0])

    t_cold, (V, _) = best_of(1, cold)
    t_warm, result = best_of(repeats, lambda: modes(V, x, masses=[1.0]))
    # ASE's energies are hbar*omega in eV for eV, Å, amu; ours in meV with the same units.
    ours = np.sort(np.abs(result.frequencies["meV"][np.array(result.kinds) == "real"]))
    theirs = np.sort(np.abs(ase_energies))[-len(ours) :] * 1e3
    print("\n== modes LJ13 icosahedron (39 coordinates, masses 1) ==")
    print(f"{'':28}{'force evals':>12}{'Hessians':>10}{'wall ms':>10}")
    print(f"{'ASE Vibrations':28}{calls:>12}{0:>10}{t_ase * 1e3:>10.2f}")
    print(f"{'gradcli modes (warm)':28}{0:>12}{1:>10}{t_warm * 1e3:>10.2f}")
    print(f"{'gradcli modes (cold)':28}{0:>12}{1:>10}{t_cold * 1e3:>10.2f}")
    print(
        f"ratios gradcli/ASE: wall warm {t_warm / t_ase:.3f}, cold {t_cold / t_ase:.3f}; "
        f"{result.kinds.count('zero')} zero modes projected; largest |ASE - exact| over the 33 modes "
        f"{np.abs(theirs - ours).max():.2e} meV (of {ours.max():.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    bench_path(args.repeats)
    bench_modes(args.repeats)


if __name__ == "__main__":
    main()
