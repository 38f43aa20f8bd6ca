"""First-order methods over Python floats: momentum and Nesterov (torch.optim.SGD's
update), Adam (torch.optim.Adam's), and gradient descent with an automatic step
(Barzilai-Borwein) or with a force test (``fmax``).

Each method is an ``update(k, x, value, g) -> (x_next, out_next)`` closure
driven by ``drive``, which evaluates, records and applies ``gradcli.optimize.result``'s
stopping rules (``out_next`` is ``f(*x_next)`` when the update already computed
it, else None). Lists of floats: for the tens to hundreds of coordinates of a
command-line potential they cost no more than numpy arrays and need no numpy.
"""

from __future__ import annotations

import math
from collections import deque
from math import hypot

from gradcli.errors import DomainError
from gradcli.optimize.result import (
    Evaluations,
    StopRules,
    beyond_bound,
    diverged,
    ended_by_domain_error,
    finished,
    interrupted,
)
from gradcli.optimize.settings import check_max_record, check_setting
from gradcli.optimize.trajectory import TrajectoryRecorder


class Stalled(Exception):
    """Raised by an update that can make no further progress (its line search failed)."""


def scalar_function(V):
    """``f(*x) -> (value, g_0, ..., g_{n-1})`` for ``V``: its generated float code when it has
    one (``scalar_value_and_grad``), else its ``value_and_grad`` on a numpy array."""
    scalar = getattr(V, "scalar_value_and_grad", None)
    if scalar is not None:
        return scalar
    import numpy as np

    def f(*x):
        value, gradient = V.value_and_grad(np.array(x, dtype=np.float64))
        return (float(value), *np.asarray(gradient, dtype=np.float64).reshape(-1).tolist())

    return f


def rules_from(steps, tol, fmax, bound, atoms=False) -> StopRules:
    """``StopRules`` with every value checked (``InputError`` naming the keyword); ``atoms``: the
    coordinates are atoms' x, y, z in turn, so ``fmax`` bounds per-atom force norms (ASE's test)."""
    return StopRules(
        steps=check_setting("steps", steps),
        tol=check_setting("tol", tol),
        fmax=check_setting("fmax", fmax),
        bound=check_setting("bound", bound),
        group=3 if atoms else 1,
    )


def drive(V, x0, update, rules: StopRules, max_record: int, method: str, progress=None):
    """Run ``update`` from ``x0`` (a tuple of floats) under ``rules``; returns a ``DescentResult``
    whose ``evaluations`` count every call of V (the update's line searches included).
    ``progress(step, value, grad_norm)`` is called at every step; Ctrl-C ends the run as
    ``interrupted`` at the last point reached."""
    f0 = scalar_function(V)
    calls = [0]

    def f(*x):
        calls[0] += 1
        return f0(*x)

    recorder = TrajectoryRecorder(check_max_record(max_record), V.n)
    x = list(x0)
    out = None
    k = made = 0  # made: the updates x has had (set with x, no call between: see descent.py)
    extra = {"method": method}

    def done(result):
        from dataclasses import replace

        return replace(result, evaluations=Evaluations(calls[0], calls[0]))

    try:
        for k in range(rules.steps + 1):
            if out is None:
                out = f(*x)
            value, g = out[0], out[1:]
            gn = hypot(*g)
            recorder.record(k, tuple(x), value, gn)
            if progress is not None:
                progress(k, value, gn)
            s = value + gn
            if s - s != 0.0:
                return done(diverged(recorder, x0, tuple(x), k, value, tuple(g), **extra))
            if rules.met(g, gn):
                return done(finished(recorder, x0, tuple(x), value, tuple(g), k, "converged", **extra))
            if k == rules.steps:
                break
            try:
                x, out = update(k, x, value, g, f)
                made = k + 1
            except Stalled as stop:
                return done(finished(recorder, x0, tuple(x), value, tuple(g), k, "stalled", **extra, message=str(stop)))
            if not max(map(abs, x)) <= rules.bound:
                return done(beyond_bound(f, recorder, x0, tuple(x), k + 1, **extra))
    except DomainError as error:
        return done(ended_by_domain_error(error, recorder, x0, tuple(x), k, **extra))
    except KeyboardInterrupt:
        return done(interrupted(f, recorder, x0, tuple(x), made, **extra))
    status = rules.final_status(g, gn)
    return done(finished(recorder, x0, tuple(x), value, tuple(g), k, status, **extra))


def fixed_step(lr: float):
    """Gradient descent's update x <- x - lr g (the same floats as ``descent.py``'s loops)."""

    def update(k, x, value, g, f):
        return [xi - lr * gi for xi, gi in zip(x, g)], None

    return update


def sgd_momentum(lr: float, momentum: float, nesterov: bool):
    """torch.optim.SGD's update (dampening 0, no weight decay): b <- g at the first step, else
    b <- momentum b + g; x <- x - lr b, or with Nesterov x <- x - lr (g + momentum b)."""
    buf = None

    def update(k, x, value, g, f):
        nonlocal buf
        buf = list(g) if buf is None else [momentum * b + gi for b, gi in zip(buf, g)]
        step = [gi + momentum * b for gi, b in zip(g, buf)] if nesterov else buf
        return [xi - lr * si for xi, si in zip(x, step)], None

    return update


def adam_update(lr: float, beta1: float, beta2: float, eps: float):
    """torch.optim.Adam's update (no weight decay, no amsgrad): m <- lerp(m, g, 1 - beta1),
    v <- beta2 v + (1 - beta2) g², x <- x - lr/(1 - beta1^t) m / (sqrt(v)/sqrt(1 - beta2^t) + eps)."""
    m = v = None
    w1, w2 = 1 - beta1, 1 - beta2

    def update(k, x, value, g, f):
        nonlocal m, v
        t = k + 1
        if m is None:
            m, v = [0.0] * len(g), [0.0] * len(g)
        # torch's lerp for a weight below 0.5: start + weight * (end - start).
        m = [mi + w1 * (gi - mi) for mi, gi in zip(m, g)]
        v = [vi * beta2 + w2 * (gi * gi) for vi, gi in zip(v, g)]
        step_size = lr / (1 - beta1**t)
        root = (1 - beta2**t) ** 0.5
        return [xi - step_size * (mi / (math.sqrt(vi) / root + eps)) for xi, mi, vi in zip(x, m, v)], None

    return update


#: Barzilai-Borwein safeguards: the step stays in [STEP_MIN, STEP_MAX]; the energy may rise above
#: the best of the last MEMORY values by no more than Armijo's GAMMA fraction allows (nonmonotone).
STEP_MIN, STEP_MAX, MEMORY, GAMMA, HALVINGS = 1e-30, 1e30, 10, 1e-4, 60


def barzilai_borwein():
    """Gradient descent with the Barzilai-Borwein step t = s·s / s·y (s, y the last changes of x
    and of the gradient) and a nonmonotone Armijo backtracking safeguard (Raydan, SIAM J. Optim. 7,
    26 (1997); Grippo, Lampariello and Lucidi, SIAM J. Numer. Anal. 23, 707 (1986)). The first step
    moves a length of at most 1; where s·y <= 0 the last step is kept."""
    history: deque = deque(maxlen=MEMORY)
    previous = None
    t = 0.0

    def update(k, x, value, g, f):
        nonlocal previous, t
        gg = math.fsum(gi * gi for gi in g)
        if previous is None:
            t = 1.0 / max(1.0, math.sqrt(gg))
        else:
            px, pg = previous
            s = [a - b for a, b in zip(x, px)]
            y = [a - b for a, b in zip(g, pg)]
            sy = math.fsum(a * b for a, b in zip(s, y))
            if sy > 0:  # else (no curvature seen, or no move at all) keep the last step
                t = min(max(math.fsum(a * a for a in s) / sy, STEP_MIN), STEP_MAX)
        history.append(value)
        reference = max(history)
        for _ in range(HALVINGS):
            trial = [xi - t * gi for xi, gi in zip(x, g)]
            try:
                out = f(*trial)
            except DomainError:  # outside the potential's domain: a step too long
                out = None
            if out is not None and out[0] <= reference - GAMMA * t * gg:
                previous = (x, g)
                return trial, out
            t *= 0.5
        raise Stalled(f"the line search found no lower energy along -grad V (|grad V| = {math.sqrt(gg):.3g})")

    return update


def _start(V, x0):
    from gradcli.optimize.descent import as_point

    return as_point(x0, V.n, getattr(V, "variables", ()))


def gd(V, x0, *, lr=None, steps=10_000, tol=1e-8, fmax=None, bound=1e12, atoms=False, max_record=1000, progress=None):
    """Gradient descent from ``x0``: x <- x - lr grad V(x), or with ``lr=None`` the
    Barzilai-Borwein step (``barzilai_borwein``). With a fixed ``lr`` and no ``fmax`` the
    tutorial's fast loops run (``gradient_descent``); the results are the same floats.

    >>> from gradcli import Potential
    >>> r = gd(Potential("x**2"), 1.0)
    >>> r.status, r.x
    ('converged', (0.0,))
    """
    rules = rules_from(steps, tol, fmax, bound, atoms)
    if lr is not None and fmax is None and hasattr(V, "scalar_value_and_grad"):
        from gradcli.optimize.descent import gradient_descent

        return gradient_descent(
            V, x0, lr=lr, steps=steps, tol=tol, max_record=max_record, bound=bound, progress=progress
        )
    update = barzilai_borwein() if lr is None else fixed_step(check_setting("lr", lr))
    return drive(V, _start(V, x0), update, rules, max_record, "gd", progress)


def momentum(
    V,
    x0,
    *,
    lr=0.01,
    momentum=0.9,
    steps=10_000,
    tol=1e-8,
    fmax=None,
    bound=1e12,
    atoms=False,
    max_record=1000,
    nesterov=False,
    progress=None,
):
    """Heavy-ball momentum (or ``nesterov=True``) with torch.optim.SGD's update, from ``x0``.

    >>> from gradcli import Potential
    >>> momentum(Potential("x**2"), 1.0, lr=0.1).status
    'converged'
    """
    rules = rules_from(steps, tol, fmax, bound, atoms)
    mu = _fraction("momentum", momentum)
    update = sgd_momentum(check_setting("lr", lr), mu, nesterov)
    return drive(V, _start(V, x0), update, rules, max_record, "nesterov" if nesterov else "momentum", progress)


def nesterov(V, x0, **options):
    """Nesterov momentum with torch.optim.SGD's update (``nesterov=True``)."""
    return momentum(V, x0, nesterov=True, **options)


def adam(
    V,
    x0,
    *,
    lr=0.01,
    betas=(0.9, 0.999),
    eps=1e-8,
    steps=10_000,
    tol=1e-8,
    fmax=None,
    bound=1e12,
    atoms=False,
    max_record=1000,
    progress=None,
):
    """Adam with torch.optim.Adam's update, from ``x0``.

    >>> from gradcli import Potential
    >>> adam(Potential("x**2"), 1.0, lr=0.1, tol=1e-6).status
    'converged'
    """
    rules = rules_from(steps, tol, fmax, bound, atoms)
    if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
        from gradcli.errors import InputError

        raise InputError(f"betas must be two numbers (beta1, beta2), got {betas!r}")
    beta1, beta2 = (_fraction("betas", b) for b in betas)
    update = adam_update(check_setting("lr", lr), beta1, beta2, check_setting("eps", eps))
    return drive(V, _start(V, x0), update, rules, max_record, "adam", progress)


def _fraction(name: str, value) -> float:
    from gradcli.errors import InputError

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise InputError(f"{name} must be a number from 0 to below 1, got {value!r}")
    return float(value)
