"""Record ASE's FIRE trajectory on LJ7 once, for tests/optimize/test_fire.py.

Run with the side venv (ASE 3.29), from the worktree root:

    PYTHONPATH=. /work/sidevenv/bin/python tests/reference/record_fire_lj7.py

The start is gradcli's ``@lj-cluster`` start for n = 7 (eps = sigma = 1).
ASE's LennardJones calculator with a cutoff far beyond the cluster (rc = 100)
so every pair counts, as in gradcli's expression. FIRE with ASE's defaults,
fmax = 1e-3, every position recorded (the start included).
"""

import json
from pathlib import Path

import ase
import numpy as np
from ase import Atoms
from ase.calculators.lj import LennardJones
from ase.optimize import FIRE

from gradcli.named.families import FAMILIES

spec = FAMILIES["lj-cluster"].spec({"n": 7})
start = np.array(spec.start, dtype=float).reshape(-1, 3)
atoms = Atoms("Ar7", positions=start)
atoms.calc = LennardJones(sigma=1.0, epsilon=1.0, rc=100.0)
positions = [atoms.get_positions().ravel().tolist()]
opt = FIRE(atoms, logfile=None)
opt.attach(lambda: positions.append(atoms.get_positions().ravel().tolist()))
converged = opt.run(fmax=1e-3, steps=2000)
out = {
    "source": f"ASE {ase.__version__} FIRE (defaults), LennardJones(sigma=1, epsilon=1, rc=100), fmax=1e-3",
    "start": positions[0],
    "fmax": 1e-3,
    "steps": opt.nsteps,
    "converged": bool(converged),
    "energy": float(atoms.get_potential_energy()),
    # attach() also observes the start, so positions[1] repeats positions[0].
    "positions": [positions[0]] + positions[2:],
}
Path(__file__).parents[1].joinpath("data", "ase_fire_lj7.json").write_text(json.dumps(out))
print(out["steps"], out["converged"], out["energy"], len(out["positions"]))
