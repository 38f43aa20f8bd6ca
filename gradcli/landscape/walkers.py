"""Many local minimisations at once: m walkers descend together in numpy.

Every step evaluates the potential once on the (m_active, n) batch of
walkers still moving (the compiled numpy code of ``Potential``), so a
thousand starts cost about as many batch calls as one start costs calls.
Walkers that converge (|grad V| <= tol) or diverge (a non-finite value, or
|x| beyond ``bound``) freeze; the others go on until ``steps``.

Three methods, each per walker exactly what it is for one walker:

- ``gd``: x <- x - lr grad V (the tutorial's loop).
- ``fire``: FIRE (Bitzek et al., PRL 97, 170201, 2006) with ASE's default
  parameters, the velocity mixing and time step of each walker its own.
- ``lbfgs``: L-BFGS (Nocedal, Math. Comp. 35, 773, 1980): each walker keeps
  its own ``history`` of (s, y) pairs; the two-loop recursion runs over all
  walkers at once; a backtracking line search (Armijo) takes the step.

``max_step`` caps the length of any one step (FIRE, L-BFGS): a walker
should stay in the basin it started in, so a basin map needs modest steps.

Example (two starts on the double well x^4 - 10 x^2 + 5)::

    >>> from gradcli.frontend import Potential
    >>> out = descend_walkers(Potential("x**4-10*x**2+5"), [[3.0], [-0.5]], method="lbfgs")
    >>> out.x.round(6).ravel().tolist(), out.status.tolist()
    ([2.236068, -2.236068], ['converged', 'converged'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from gradcli.errors import DomainError, InputError

METHODS = ("gd", "fire", "lbfgs")
CONVERGED, MAX_STEPS, DIVERGED, STALLED = 0, 1, 2, 3
STATUS_NAMES = np.array(["converged", "max_steps", "diverged", "stalled"])

# ASE's FIRE defaults (ase/optimize/fire.py).
FIRE_DEFAULTS = {"dt": 0.1, "dtmax": 1.0, "n_min": 5, "f_inc": 1.1, "f_dec": 0.5, "a_start": 0.1, "f_a": 0.99}
ARMIJO = 1e-4
BACKTRACKS = 30


@dataclass
class WalkerResult:
    """The end of every walker.

    ``x`` (m, n) end points; ``value`` (m,); ``grad_norm`` (m,); ``status``
    (m,) of "converged", "max_steps", "diverged" or "stalled" (the line
    search found no lower point: |grad V| cannot get below tol in float64
    there); ``steps`` (m,) the steps
    each walker took; ``evaluations``: walker-evaluations of value and
    gradient in all (one per walker per batch call); ``batch_calls``.
    """

    x: np.ndarray
    value: np.ndarray
    grad_norm: np.ndarray
    status: np.ndarray
    steps: np.ndarray
    evaluations: int
    batch_calls: int


def _as_batch(x0) -> np.ndarray:
    x = np.array(x0, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] == 0:
        raise InputError(f"the starts must be an (m, n) array of points, got shape {np.shape(x0)}")
    return x


class _Walkers:
    """The state shared by every method: positions, values, gradients, who still moves."""

    def __init__(self, V, x0, tol: float, bound: float):
        self.V = V
        self.x = _as_batch(x0)
        m = len(self.x)
        self.tol, self.bound = tol, bound
        self.status = np.full(m, MAX_STEPS)
        self.steps = np.zeros(m, dtype=np.int64)
        self.evaluations = self.batch_calls = 0
        self.value, self.grad = self.evaluate(self.x)
        self.grad_norm = np.linalg.norm(self.grad, axis=1)
        self.active = self.settle(np.arange(m))

    def evaluate(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(values (k,), gradients (k, n)); a domain problem gives non-finite rows, not an exception."""
        self.evaluations += len(points)
        self.batch_calls += 1
        if len(points) == 0:
            return np.empty(0), np.empty((0, self.x.shape[1]))
        with np.errstate(all="ignore"):
            try:
                values, grads = self.V.value_and_grad(points)
            except (DomainError, ArithmeticError):
                values, grads = self._rows(points)
        return np.asarray(values, dtype=np.float64), np.asarray(grads, dtype=np.float64)

    def _rows(self, points):
        # The checked batch path refuses the whole batch on one bad point; find the bad rows one by one.
        values = np.full(len(points), np.nan)
        grads = np.full(points.shape, np.nan)
        for i, point in enumerate(points):
            try:
                values[i], grads[i] = self.V.value_and_grad(point)
            except (DomainError, ArithmeticError):
                pass
        return values, grads

    def settle(self, idx: np.ndarray) -> np.ndarray:
        """Freeze the walkers ``idx`` that converged or diverged; return the ones still moving."""
        bad = ~np.isfinite(self.value[idx]) | ~np.all(np.isfinite(self.grad[idx]), axis=1)
        bad |= np.max(np.abs(self.x[idx]), axis=1) > self.bound
        done = ~bad & (self.grad_norm[idx] <= self.tol)
        self.status[idx[bad]] = DIVERGED
        self.status[idx[done]] = CONVERGED
        keep = ~(bad | done)
        return idx[keep]

    def result(self) -> WalkerResult:
        return WalkerResult(
            self.x,
            self.value,
            self.grad_norm,
            STATUS_NAMES[self.status],
            self.steps,
            self.evaluations,
            self.batch_calls,
        )


def descend_walkers(
    V,
    x0,
    *,
    method: str = "lbfgs",
    tol: float = 1e-6,
    steps: int = 10_000,
    lr: float = 0.01,
    max_step: float = 0.2,
    history: int = 10,
    bound: float = 1e12,
    progress=None,
) -> WalkerResult:
    """Minimise from every row of ``x0`` (shape (m, n)) at once.

    ``V`` is a ``Potential`` (anything with ``value_and_grad`` on an (m, n)
    batch). ``progress(done, total)``, if given, is called after every step
    with the number of walkers no longer moving.
    """
    if method not in METHODS:
        raise InputError(f"method {method!r} does not run on many walkers at once; use one of {', '.join(METHODS)}")
    for name, value in (("tol", tol), ("lr", lr), ("max_step", max_step)):
        if not (np.isfinite(value) and value >= 0) or (name != "tol" and value == 0):
            raise InputError(f"{name} must be a positive finite number, got {value}")
    walkers = _Walkers(V, x0, tol, bound)
    steppers: dict[str, _Stepper] = {"gd": _gd, "fire": _fire, "lbfgs": _lbfgs}
    step = steppers[method]
    step(walkers, steps, progress, lr=lr, max_step=max_step, history=history)
    return walkers.result()


class _Stepper(Protocol):
    """A method's loop: each takes the settings it uses and ignores the others."""

    def __call__(self, w: _Walkers, steps: int, progress, *, lr: float, max_step: float, history: int) -> None: ...


def _report(progress, w: _Walkers, active: np.ndarray) -> None:
    if progress is not None:
        progress(len(w.x) - len(active), len(w.x))


def _accept(w: _Walkers, idx: np.ndarray, x_new, value, grad) -> None:
    w.x[idx], w.value[idx], w.grad[idx] = x_new, value, grad
    w.grad_norm[idx] = np.linalg.norm(grad, axis=1)
    w.steps[idx] += 1


def _gd(w: _Walkers, steps: int, progress, *, lr: float, **_others) -> None:
    active = w.active
    for _ in range(steps):
        if not len(active):
            break
        x_new = w.x[active] - lr * w.grad[active]
        _accept(w, active, x_new, *w.evaluate(x_new))
        active = w.settle(active)
        _report(progress, w, active)


def _capped(step: np.ndarray, max_step: float) -> np.ndarray:
    length = np.linalg.norm(step, axis=1, keepdims=True)
    return step * np.minimum(1.0, max_step / np.maximum(length, 1e-300))


def _fire(w: _Walkers, steps: int, progress, *, max_step: float, **_others) -> None:
    p = FIRE_DEFAULTS
    m = len(w.x)
    velocity = np.zeros_like(w.x)
    dt = np.full(m, p["dt"])
    alpha = np.full(m, p["a_start"])
    n_positive = np.zeros(m, dtype=np.int64)
    first = np.ones(m, dtype=bool)
    active = w.active
    for _ in range(steps):
        if not len(active):
            break
        f = -w.grad[active]
        v = velocity[active]
        power = np.einsum("ij,ij->i", f, v)
        uphill = (power <= 0) & ~first[active]
        downhill = ~uphill & ~first[active]
        f_norm = np.linalg.norm(f, axis=1, keepdims=True)
        v_norm = np.linalg.norm(v, axis=1, keepdims=True)
        mixed = (1 - alpha[active, None]) * v + alpha[active, None] * f / np.maximum(f_norm, 1e-300) * v_norm
        v = np.where(downhill[:, None], mixed, v)
        grow = downhill & (n_positive[active] > p["n_min"])
        dt[active] = np.where(grow, np.minimum(dt[active] * p["f_inc"], p["dtmax"]), dt[active])
        alpha[active] = np.where(grow, alpha[active] * p["f_a"], alpha[active])
        n_positive[active] = np.where(downhill, n_positive[active] + 1, n_positive[active])
        v[uphill] = 0.0
        alpha[active] = np.where(uphill, p["a_start"], alpha[active])
        dt[active] = np.where(uphill, dt[active] * p["f_dec"], dt[active])
        n_positive[active] = np.where(uphill, 0, n_positive[active])
        first[active] = False
        v = v + dt[active, None] * f
        velocity[active] = v
        x_new = w.x[active] + _capped(dt[active, None] * v, max_step)
        _accept(w, active, x_new, *w.evaluate(x_new))
        active = w.settle(active)
        _report(progress, w, active)


def _two_loop(g, s_hist, y_hist, rho, gamma, newest: int):
    """-H g for every walker by the L-BFGS two-loop recursion.

    The history is a ring of ``size`` slots shared by all walkers (a walker
    that skipped an update holds a zero pair there, which adds nothing), so
    each slot is one (k, n) slice."""
    size = len(s_hist)
    q = g.copy()
    alphas = []
    for back in range(size):  # newest to oldest
        slot = (newest - back) % size
        a = rho[slot] * np.einsum("ij,ij->i", s_hist[slot], q)
        alphas.append(a)
        q -= a[:, None] * y_hist[slot]
    r = gamma[:, None] * q
    for back in reversed(range(size)):  # oldest to newest
        slot = (newest - back) % size
        b = rho[slot] * np.einsum("ij,ij->i", y_hist[slot], r)
        r += (alphas[back] - b)[:, None] * s_hist[slot]
    return -r


def _lbfgs(w: _Walkers, steps: int, progress, *, max_step: float, history: int, **_others) -> None:
    m, n = w.x.shape
    size = max(1, history)
    s_hist = np.zeros((size, m, n))
    y_hist = np.zeros((size, m, n))
    rho = np.zeros((size, m))
    gamma = np.ones(m)  # the initial inverse-Hessian scale s.y / y.y of each walker's newest pair
    active = w.active
    for iteration in range(steps):
        if not len(active):
            break
        newest = (iteration - 1) % size
        g = w.grad[active]
        d = _two_loop(g, s_hist[:, active], y_hist[:, active], rho[:, active], gamma[active], newest)
        slope = np.einsum("ij,ij->i", g, d)
        reset = ~(slope < 0)
        if reset.any():  # not a descent direction: forget this walker's history
            d[reset] = -g[reset]
            rho[:, active[reset]] = 0.0
            gamma[active[reset]] = 1.0
        d = _capped(d, max_step)
        slope = np.einsum("ij,ij->i", g, d)
        x_new, value, grad, stuck = _backtrack(w, active, d, slope)
        w.status[active[stuck]] = STALLED
        moved = ~stuck
        s = x_new - w.x[active]
        y = grad - g
        sy = np.einsum("ij,ij->i", s, y)
        good = moved & (sy > 1e-12 * np.linalg.norm(s, axis=1) * np.linalg.norm(y, axis=1))
        slot = iteration % size
        rho[slot, active] = 0.0
        s_hist[slot, active[good]], y_hist[slot, active[good]] = s[good], y[good]
        rho[slot, active[good]] = 1.0 / sy[good]
        gamma[active[good]] = sy[good] / np.einsum("ij,ij->i", y[good], y[good])
        _accept(w, active[moved], x_new[moved], value[moved], grad[moved])
        active = w.settle(active[moved])
        _report(progress, w, active)


def _backtrack(w: _Walkers, active, d, slope):
    """Armijo backtracking for every walker at once: halve the step of those not yet accepted.

    Returns (x_new, value, grad, stuck): ``stuck`` marks walkers for which no
    trial step lowered V enough; they stay where they are."""
    x0, v0 = w.x[active], w.value[active]
    g0_norm = w.grad_norm[active]
    # Near a minimum the decrease Armijo asks for falls below V's rounding error; there a step is
    # taken when it lowers |grad V| instead, as the gradient is still accurate.
    roundoff = 64 * np.finfo(np.float64).eps * np.maximum(np.abs(v0), 1.0)
    x_new = np.empty_like(x0)
    value = np.full(len(active), np.nan)
    grad = np.full_like(x0, np.nan)
    step = np.ones(len(active))
    searching = np.arange(len(active))
    for _ in range(BACKTRACKS):
        trial = x0[searching] + step[searching, None] * d[searching]
        tv, tg = w.evaluate(trial)
        armijo = tv <= v0[searching] + ARMIJO * step[searching] * slope[searching]
        flat = (np.abs(tv - v0[searching]) <= roundoff[searching]) & (np.linalg.norm(tg, axis=1) < g0_norm[searching])
        ok = np.isfinite(tv) & (armijo | flat)
        done = searching[ok]
        x_new[done], value[done], grad[done] = trial[ok], tv[ok], tg[ok]
        searching = searching[~ok]
        if not len(searching):
            break
        step[searching] *= 0.5
    stuck = np.zeros(len(active), dtype=bool)
    stuck[searching] = True
    return x_new, value, grad, stuck
