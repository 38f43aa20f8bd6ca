"""FIRE, the fast inertial relaxation engine (Bitzek, Bitzek, Gähler, Koch and
Gumbsch, Phys. Rev. Lett. 97, 170201, 2006), driven by a force function.

The update is ASE's (``ase/optimize/fire.py``, ASE 3.29) line for line, with
its default parameters, so a run reproduces ASE's ``FIRE`` trajectory:

- mixing: when P = F·v > 0, v <- (1 - a) v + a |v| F/|F|; after more than
  ``n_min`` such steps in a row dt <- min(dt f_inc, dt_max) and a <- a f_a;
  when P <= 0 the velocity is zeroed, a <- a_start and dt <- dt f_dec;
- Euler step: v <- v + dt F, dr = dt v, scaled so that |dr| (the norm of the
  whole vector, as ASE does) is at most ``max_step``;
- the optional downhill check (off by default, as in ASE) returns to the
  previous point when the energy rose, and then treats the step as P <= 0.

Only forces are needed (``force(x) -> F``), so a descent (F = -grad V) and a
nudged elastic band (the projected band force, ``neb.py``) share this loop.

>>> import numpy as np
>>> run = fire(lambda x: -2.0 * (x - 1.0), np.zeros(3), fmax=1e-8)
>>> run.status, np.allclose(run.x, 1.0)
('converged', True)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradcli._lazy import LazyModule
from gradcli.errors import InputError

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)


@dataclass
class FireResult:
    """What a FIRE run produced.

    ``x`` (n,) the last point and ``force`` (n,) the force there; ``fmax`` the
    convergence measure at ``x`` (``max_force``); ``steps`` the updates made;
    ``evaluations`` the force calls (steps + 1, as in ASE: one per point, the
    start included; plus one energy call per point with the downhill check);
    ``status`` ``converged`` (fmax < the bound, ASE's strict test),
    ``max_steps`` or ``diverged`` (a non-finite force or position, at ``x``).
    """

    x: np.ndarray
    force: np.ndarray
    fmax: float
    steps: int
    evaluations: int
    status: str
    energy_evaluations: int = 0

    @property
    def converged(self) -> bool:
        return self.status == "converged"


def max_force(force, atoms: bool = False) -> float:
    """The convergence measure of a force vector (n,): its largest component
    |F_i|, or with ``atoms=True`` (coordinates x1, y1, z1, x2, ...) the largest
    per-atom norm |F_a| (ASE's criterion; n must be a multiple of 3).

    >>> max_force([3.0, -4.0, 0.0]), max_force([3.0, -4.0, 0.0], atoms=True)
    (4.0, 5.0)
    """
    f = np.asarray(force, dtype=np.float64).reshape(-1)
    if f.size == 0:
        return 0.0
    if atoms:
        if f.size % 3:
            raise InputError(f"atoms=True needs 3 coordinates per atom, got {f.size} variables")
        return float(np.sqrt((f.reshape(-1, 3) ** 2).sum(axis=1)).max())
    return float(np.abs(f).max())


def fire(
    force: Callable,
    x0,
    *,
    fmax: float = 0.05,
    steps: int = 1000,
    atoms: bool = False,
    dt: float = 0.1,
    max_step: float = 0.2,
    dt_max: float = 1.0,
    n_min: int = 5,
    f_inc: float = 1.1,
    f_dec: float = 0.5,
    a_start: float = 0.1,
    f_a: float = 0.99,
    downhill_check: bool = False,
    energy: Callable[[np.ndarray], float] | None = None,
    callback: Callable[[int, np.ndarray, np.ndarray], bool | None] | None = None,
) -> FireResult:
    """Relax ``x0`` (n,) under ``force(x) -> (n,)`` until ``max_force < fmax``
    or ``steps`` updates have been made.

    Parameters are ASE's (``dt``, ``maxstep``, ``dtmax``, ``Nmin``, ``finc``,
    ``fdec``, ``astart``, ``fa``) under Python names; ``atoms`` selects the
    per-atom fmax (see ``max_force``); ``downhill_check`` needs ``energy(x)
    -> float``. ``callback(step, x, f)`` is called at the start (step 0) and
    after every update; returning True stops the run (status ``stopped``).

    >>> import numpy as np
    >>> fire(lambda x: -x, np.array([1.0, 2.0]), fmax=1e-6).evaluations > 10
    True
    """
    if not fmax > 0:
        raise InputError(f"fmax must be positive, got {fmax}")
    if steps < 0:
        raise InputError(f"steps must be >= 0, got {steps}")
    if not (dt > 0 and max_step > 0 and dt_max > 0):
        raise InputError("dt, max_step and dt_max must be positive")
    if downhill_check and energy is None:
        raise InputError("downhill_check needs an energy function")

    x = np.array(x0, dtype=np.float64).reshape(-1)
    f = np.asarray(force(x), dtype=np.float64).reshape(-1)
    evaluations, energy_calls = 1, 0
    if f.shape != x.shape:
        raise InputError(f"force(x) returned shape {f.shape}, expected {x.shape}")
    a, n_positive = a_start, 0
    velocity: np.ndarray | None = None
    check_energy = energy if downhill_check else None
    # the last accepted point and its energy, set at the first step before any comparison
    e_last, x_last = math.inf, x
    step = 0
    status = "max_steps"
    if callback is not None and callback(0, x, f):
        return FireResult(x, f, max_force(f, atoms), 0, evaluations, "stopped", energy_calls)
    while True:
        if not (np.all(np.isfinite(f)) and np.all(np.isfinite(x))):
            status = "diverged"
            break
        measure = max_force(f, atoms)
        if measure < fmax:
            status = "converged"
            break
        if step >= steps:
            break
        if velocity is None:
            velocity = np.zeros_like(x)
            if check_energy is not None:
                e_last, x_last = check_energy(x), x.copy()
                energy_calls += 1
        else:
            uphill = False
            if check_energy is not None:
                e = check_energy(x)
                energy_calls += 1
                if e > e_last:
                    # ASE resets to the previous point but keeps the force of the rejected one.
                    x, e, uphill = x_last.copy(), e_last, True
                e_last, x_last = e, x.copy()
            vf = np.vdot(f, velocity)
            if vf > 0.0 and not uphill:
                velocity = (1.0 - a) * velocity + a * f / np.sqrt(np.vdot(f, f)) * np.sqrt(np.vdot(velocity, velocity))
                if n_positive > n_min:
                    dt = min(dt * f_inc, dt_max)
                    a *= f_a
                n_positive += 1
            else:
                velocity[:] *= 0.0
                a = a_start
                dt *= f_dec
                n_positive = 0
        velocity += dt * f
        dr = dt * velocity
        norm_dr = np.sqrt(np.vdot(dr, dr))
        if norm_dr > max_step:
            dr = max_step * dr / norm_dr
        x = x + dr
        step += 1
        f = np.asarray(force(x), dtype=np.float64).reshape(-1)
        evaluations += 1
        if callback is not None and callback(step, x, f):
            status = "stopped"
            break
    return FireResult(x, f, max_force(f, atoms), step, evaluations, status, energy_calls)
