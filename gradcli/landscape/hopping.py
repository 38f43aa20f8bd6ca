"""The global minimum by basin hopping (Wales & Doye, J. Phys. Chem. A 101,
5111, 1997).

Each hop perturbs the current minimum by a random step, minimises locally
(L-BFGS on the exact gradient), and accepts the new minimum by the
Metropolis rule at ``temperature``: always if lower, else with probability
exp(-(V_new - V_old) / T). The step adapts every ``adapt_every`` hops
towards an acceptance of one half (as scipy's ``basinhopping`` does).

Atomic coordinates (variables x1, y1, z1, x2, ...) are treated as a cluster:
every atom moves, the structure is recentred, and a minimum with an atom
further than ``container`` from the centre of mass is rejected (the atom
evaporated), so the cluster stays together. A cluster's hops are quenched
loosely, as GMIN and pele do (``_quench``: L-BFGS with a step limit, to an
RMS gradient of 1e-3); a minimum that may enter the list of the lowest is
then refined to |grad V| <= ``gtol`` (Newton steps on the exact Hessian,
L-BFGS-B when they fall short), so the minima reported are exact.

The distinct lowest minima are kept (two minima with energies within
``energy_tol`` are the same), each with the hop at which it was first found.
Ctrl-C ends the search early: the result so far comes back with
``interrupted`` set.

Example (a tilted double well from x = 2: the deeper minimum is on the left)::

    >>> from gradcli.frontend import Potential
    >>> out = basin_hopping(Potential("x**4-10*x**2+5+x"), [2.0], hops=20, step=3.0, seed=1)
    >>> round(out.best.value, 6), round(out.best.point[0], 6), out.best.hop
    (-22.248431, -2.260661, 8)
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

import numpy as np

from gradcli._threads import single_threaded_blas
from gradcli.errors import DomainError, InputError
from gradcli.particles.pair import PairFailure

_ATOM = re.compile(r"([xyz])(\d+)$")


def atom_count(variables) -> int | None:
    """N when ``variables`` are exactly x1, y1, z1, ..., xN, yN, zN (in that order), else None."""
    n, rest = divmod(len(variables), 3)
    if rest or not n:
        return None
    expected = [f"{axis}{i}" for i in range(1, n + 1) for axis in "xyz"]
    return n if list(variables) == expected else None


@dataclass
class FoundMinimum:
    """A distinct minimum: ``point`` (n,), ``value``, ``hop`` when first found (0: the start's minimum)."""

    point: tuple[float, ...]
    value: float
    hop: int


@dataclass
class HoppingResult:
    """``minima``: the distinct lowest minima found, lowest first; ``best`` the lowest;
    ``hops`` done; ``accepted`` hops; ``evaluations`` of value and gradient;
    ``step`` the final step size; ``interrupted`` when Ctrl-C ended the search;
    ``target_reached`` when a ``target`` energy was given and reached."""

    minima: list[FoundMinimum]
    hops: int
    accepted: int
    evaluations: int
    step: float
    temperature: float
    seed: int | None
    atoms: int | None
    seconds: float
    interrupted: bool = False
    target_reached: bool | None = None
    rejected_evaporated: int = 0
    best: FoundMinimum = field(init=False)

    def __post_init__(self):
        self.best = self.minima[0]


class _Counted:
    """value_and_grad of one point for the minimisers, counting calls. A
    particle potential is evaluated without the per-call input checks (the
    minimisers' points are finite float64 arrays of the right shape)."""

    def __init__(self, V):
        self.V = V
        self.calls = 0
        self._trusted = getattr(V, "value_and_grad_trusted", None)

    def __call__(self, x):
        self.calls += 1
        if self._trusted is not None:
            try:
                return self._trusted(x)
            except (PairFailure, DomainError, ArithmeticError):
                return math.inf, np.zeros_like(x)
        with np.errstate(all="ignore"):
            try:
                value, grad = self.V.value_and_grad(x)
            except (DomainError, ArithmeticError):
                return math.inf, np.zeros_like(x)
        return float(value), np.asarray(grad, dtype=np.float64)


def _local_minimum(fun: _Counted, x: np.ndarray, gtol: float) -> tuple[np.ndarray, float]:
    """A minimum from x with |grad V| <= gtol where the precision allows: L-BFGS-B,
    then Newton steps on the exact Hessian (L-BFGS-B stops on its energy test
    short of gtol for tens of atoms, whose energies hide the last digits)."""
    from scipy.optimize import minimize

    out = minimize(
        fun, x, jac=True, method="L-BFGS-B", options={"gtol": gtol, "ftol": 1e-15, "maxiter": 10_000, "maxcor": 20}
    )
    x, value, grad = np.asarray(out.x, dtype=np.float64), float(out.fun), np.asarray(out.jac, dtype=np.float64)
    x, value, _ = _polish(fun, x, value, grad, gtol)
    return x, value


def _refined(fun: _Counted, x: np.ndarray, gtol: float) -> tuple[np.ndarray, float]:
    """The minimum near a quenched point x, to |grad V| <= gtol: Newton steps
    (two or three from a quench's RMS gradient), L-BFGS-B when they do not get there."""
    value, grad = fun(x)
    x, value, norm = _polish(fun, x, value, grad, gtol)
    if math.isfinite(value) and norm <= gtol:
        return x, value
    return _local_minimum(fun, x, gtol)


def _polish(
    fun: _Counted, x: np.ndarray, value: float, grad: np.ndarray, gtol: float
) -> tuple[np.ndarray, float, float]:
    """Newton steps from x while they lower |grad V| (and not V's value) and it is above gtol: (x, V, |grad V|)."""
    norm = float(np.linalg.norm(grad))
    for _ in range(5):
        if not math.isfinite(value) or norm <= gtol:
            break
        step = _newton_step(fun.V, x, grad)
        if step is None:
            break
        new_value, new_grad = fun(x + step)
        new_norm = float(np.linalg.norm(new_grad))
        if not (new_norm < norm and new_value <= value + 1e-12 * max(1.0, abs(value))):
            break
        x, value, grad, norm = x + step, new_value, new_grad, new_norm
    return x, value, norm


def _newton_step(V, x: np.ndarray, grad: np.ndarray) -> np.ndarray | None:
    """-H^+ grad over the Hessian's positive modes (the zero modes of a free
    cluster's translations and rotations left out), or None without a Hessian."""
    try:
        with np.errstate(all="ignore"):
            H = np.asarray(V.hessian(x), dtype=np.float64)
    except (AttributeError, DomainError, ArithmeticError):
        return None
    if H.shape != (x.size, x.size) or not np.isfinite(H).all():
        return None
    w, U = np.linalg.eigh(H)
    keep = w > 1e-8 * max(1.0, float(np.abs(w).max()))
    if not keep.any():
        return None
    return -(U[:, keep] @ ((U[:, keep].T @ grad) / w[keep]))


# The quench of a cluster during the search (as GMIN's and pele's): L-BFGS with a few
# corrections, each step at most QUENCH_MAX_STEP long (so overlapping atoms of a random
# start or a large move are not thrown apart), stopped at an RMS gradient of QUENCH_RMS;
# only a minimum that may enter the list of the lowest is then refined to ``gtol``.
QUENCH_MEMORY = 4
QUENCH_MAX_STEP = 0.2
QUENCH_RMS = 1e-3
QUENCH_MAX_RISE = 1e-4
# Loose energies within this of a kept (refined) minimum's are taken as that minimum (not refined again).
SAME_LOOSE = 1e-4


def _quench(fun: _Counted, x: np.ndarray, rms: float, max_iterations: int = 5000) -> tuple[np.ndarray, float]:
    """An approximate minimum from x: L-BFGS without a line search (a step that
    raises V by more than QUENCH_MAX_RISE is halved), until the RMS gradient is below ``rms``.

    The two-loop recursion is written with the memory as matrices (S, Y of
    shape (m, n)) and its scalar recurrences in Python floats: a handful of
    numpy calls per step instead of a dozen per stored pair."""
    f, g = fun(x)
    if not math.isfinite(f):
        return x, f
    tol2 = rms * rms * x.size
    m = QUENCH_MEMORY
    S, Y = np.zeros((m, x.size)), np.zeros((m, x.size))
    rho = [0.0] * m
    order: list[int] = []  # rows of S and Y in use, oldest first
    h0 = 0.1
    failures = 0
    for _ in range(max_iterations):
        if g @ g < tol2:
            break
        if order:
            # First loop (newest to oldest): alpha_i = rho_i s_i.(g - sum_{j newer} alpha_j y_j).
            sg, sy_ = (S @ g).tolist(), (S @ Y.T).tolist()
            alpha = [0.0] * m
            newest_first = order[::-1]
            for idx, i in enumerate(newest_first):
                acc, row = 0.0, sy_[i]
                for j in newest_first[:idx]:
                    acc += alpha[j] * row[j]
                alpha[i] = rho[i] * (sg[i] - acc)
            q = h0 * (g - np.asarray(alpha) @ Y)
            # Second loop (oldest to newest): beta_i = rho_i y_i.(q + sum_{j older} (alpha_j - beta_j) s_j).
            yq = (Y @ q).tolist()
            coef = [0.0] * m
            for idx, i in enumerate(order):
                acc = 0.0
                for j in order[:idx]:
                    acc += coef[j] * sy_[j][i]
                coef[i] = alpha[i] - rho[i] * (yq[i] + acc)
            q += np.asarray(coef) @ S
        else:
            q = h0 * g
        d = -q
        if d @ g > 0:  # not downhill (a curvature the memory got wrong): go the other way
            d = q
        length = math.sqrt(d @ d)
        if length > QUENCH_MAX_STEP:
            d *= QUENCH_MAX_STEP / length
        for _halving in range(10):
            x_new = x + d
            f_new, g_new = fun(x_new)
            if f_new <= f + QUENCH_MAX_RISE:
                break
            d *= 0.5
        else:  # no step lowers V: forget the curvature and start again from steepest descent
            order.clear()
            h0 = 0.1
            failures += 1
            if failures > 5:
                break
            continue
        s, y = x_new - x, g_new - g
        sy = float(s @ y)
        if sy > 0:
            row = order.pop(0) if len(order) == m else len(order)
            S[row], Y[row], rho[row] = s, y, 1.0 / sy
            order.append(row)
            h0 = sy / float(y @ y)
        x, f, g = x_new, f_new, g_new
    return x, f


def _recentre(x: np.ndarray) -> np.ndarray:
    atoms = x.reshape(-1, 3)
    return (atoms - atoms.mean(axis=0)).reshape(-1)


def _radius(x: np.ndarray) -> float:
    atoms = x.reshape(-1, 3)
    return float(np.max(np.linalg.norm(atoms - atoms.mean(axis=0), axis=1)))


def _nearest_neighbour(x: np.ndarray) -> float:
    from scipy.spatial import cKDTree

    atoms = x.reshape(-1, 3)
    distances, _ = cKDTree(atoms).query(atoms, k=2)
    return float(np.median(distances[:, 1]))


def random_cluster(n_atoms: int, radius: float, rng: np.random.Generator) -> np.ndarray:
    """n_atoms points uniform in a ball of ``radius`` (flat, shape (3 n_atoms,))."""
    direction = rng.normal(size=(n_atoms, 3))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    r = radius * rng.random(n_atoms) ** (1 / 3)
    return (direction * r[:, None]).reshape(-1)


def basin_hopping(
    V,
    x0,
    *,
    hops: int = 1000,
    step: float | None = None,
    temperature: float = 0.8,
    seed: int | None = 0,
    target: float | None = None,
    energy_tol: float = 1e-6,
    gtol: float = 1e-6,
    keep: int = 10,
    container: float | None = None,
    adapt_every: int = 10,
    random_start: bool = False,
    progress=None,
    time_limit: float | None = None,
) -> HoppingResult:
    """Basin hopping on ``V`` from ``x0`` (n,).

    ``step`` defaults to 0.4 of the median nearest-neighbour distance of the
    first minimum for a cluster, else 0.5. ``random_start`` replaces ``x0``
    by a random point: atoms uniform in a ball as wide as ``x0``'s cluster,
    other variables x0 plus a uniform step in [-1, 1]. ``target``: stop once
    a minimum at or below it is found. ``progress(hop, hops, best_value)``
    is called after every hop; ``time_limit`` (seconds) ends the search.

    A cluster's hops are quenched loosely (``_quench``); the minima kept are
    refined to ``gtol`` by L-BFGS-B, so their energies and points are exact.
    """
    import scipy.optimize  # noqa: F401  (loaded before the BLAS limit, so its own BLAS is limited too)

    with single_threaded_blas():
        return _search(
            V, x0, hops, step, temperature, seed, target, energy_tol, gtol, keep, container,
            adapt_every, random_start, progress, time_limit,
        )  # fmt: skip


def _search(
    V, x0, hops, step, temperature, seed, target, energy_tol, gtol, keep, container,
    adapt_every, random_start, progress, time_limit,
) -> HoppingResult:  # fmt: skip
    for name, value in (("temperature", temperature), ("energy_tol", energy_tol), ("gtol", gtol)):
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"{name} must be a positive finite number, got {value}")
    if hops < 0 or keep < 1:
        raise InputError(f"hops must be >= 0 and keep >= 1, got {hops} and {keep}")
    if step is not None and not (math.isfinite(step) and step > 0):
        raise InputError(f"the step must be a positive finite number, got {step}")
    rng = np.random.default_rng(seed)
    n_atoms = atom_count(V.variables)
    x = np.array(x0, dtype=np.float64).reshape(-1)
    if random_start:
        x = random_cluster(n_atoms, max(_radius(x), 1e-3), rng) if n_atoms else x + rng.uniform(-1, 1, x.shape)
    fun = _Counted(V)
    started = time.perf_counter()
    if n_atoms:
        x, _ = _quench(fun, x, QUENCH_RMS)
        x, value = _refined(fun, x, gtol)
    else:
        x, value = _local_minimum(fun, x, gtol)
    if n_atoms:
        x = _recentre(x)
        neighbour = _nearest_neighbour(x)
        step = 0.4 * neighbour if step is None else step
        container = (_radius(x) + 2 * neighbour) * 1.5 if container is None else container
    step = 0.5 if step is None else step
    found = [FoundMinimum(tuple(x.tolist()), value, 0)]
    current_x, current_value = x, value
    accepted = evaporated = done = accepted_since = 0
    interrupted = False
    try:
        for hop in range(1, hops + 1):
            if (
                target is not None and found[0].value <= target + energy_tol
            ):  # as target_reached: a target is given rounded
                break
            if time_limit is not None and time.perf_counter() - started > time_limit:
                break
            trial = current_x + rng.uniform(-step, step, current_x.shape)
            if n_atoms:
                trial, trial_value = _quench(fun, trial, QUENCH_RMS)
                trial = _recentre(trial)
                if container is not None and _radius(trial) > container:  # set above for atoms
                    evaporated += 1
                    trial_value = math.inf
                exact = math.isfinite(trial_value) and _may_be_kept(found, trial_value, keep)
                if exact:
                    trial, trial_value = _refined(fun, trial, gtol)
                    trial = _recentre(trial)
            else:
                trial, trial_value = _local_minimum(fun, trial, gtol)
                exact = True
            done = hop
            if math.isfinite(trial_value):
                if exact:
                    _remember(found, trial, trial_value, hop, energy_tol, keep)
                if trial_value <= current_value or rng.random() < math.exp(
                    -(trial_value - current_value) / temperature
                ):
                    current_x, current_value = trial, trial_value
                    accepted += 1
                    accepted_since += 1
            if adapt_every and hop % adapt_every == 0:
                # Aim for half of the hops accepted: a larger step when more are, a smaller when fewer.
                step = step / 0.9 if accepted_since / adapt_every > 0.5 else step * 0.9
                accepted_since = 0
            if progress is not None:
                progress(hop, hops, found[0].value)
    except KeyboardInterrupt:
        interrupted = True
    reached = None if target is None else found[0].value <= target + energy_tol
    return HoppingResult(
        found,
        done,
        accepted,
        fun.calls,
        step,
        temperature,
        seed,
        n_atoms,
        time.perf_counter() - started,
        interrupted,
        reached,
        evaporated,
    )


def _may_be_kept(found: list[FoundMinimum], loose_value: float, keep: int) -> bool:
    """Whether a loosely quenched minimum may be new among the kept ones (then it is refined)."""
    if any(abs(known.value - loose_value) <= SAME_LOOSE for known in found):
        return False
    return len(found) < keep or loose_value < found[-1].value + 10 * SAME_LOOSE


def _remember(found: list[FoundMinimum], x, value: float, hop: int, tol: float, keep: int) -> None:
    """Add a minimum to the sorted list of distinct ones (energies within ``tol`` are the same)."""
    for known in found:
        if abs(known.value - value) <= tol * max(1.0, abs(value)):
            return
    found.append(FoundMinimum(tuple(np.asarray(x).tolist()), value, hop))
    found.sort(key=lambda m: m.value)
    del found[keep:]
