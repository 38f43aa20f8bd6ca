"""FIRE as a ``descend`` method: ``gradcli.optimize.fire``'s force-driven core
(ASE's update and default parameters) on F = -grad V, under gradcli's stopping
rules and recording.

FIRE's own test is ASE's strict ``fmax`` (largest force < fmax); gradcli's
rules (|grad V| <= tol and, when given, the largest force <= fmax) are checked
at every point through the core's callback, which ends the run when they hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradcli.errors import DomainError
from gradcli.optimize.first_order import rules_from
from gradcli.optimize.result import DescentResult, Evaluations, ended_by_domain_error, interrupted, norm
from gradcli.optimize.settings import check_max_record, check_setting
from gradcli.optimize.trajectory import TrajectoryRecorder

if TYPE_CHECKING:
    import numpy as np


@dataclass
class _Last:
    """What the force and the callback saw last: ``x`` the point last evaluated and ``out`` its
    ``(value, g_0, ...)``; ``step`` and ``reached`` (step, point, out) the last point recorded;
    ``status`` once a rule stopped the run."""

    x: tuple[float, ...] | np.ndarray
    out: tuple[float, ...] | None = None
    status: str | None = None
    step: int = 0
    reached: tuple[int, tuple[float, ...], tuple[float, ...]] | None = None


def fire_descent(
    V,
    x0,
    *,
    max_step=0.2,
    steps=10_000,
    tol=1e-8,
    fmax=None,
    bound=1e12,
    atoms=False,
    max_record=1000,
    progress=None,
) -> DescentResult:
    """Minimise ``V`` from ``x0`` with FIRE (Bitzek et al., PRL 97, 170201, 2006), ASE's parameters;
    ``max_step`` bounds the length of one move (ASE's ``maxstep``). ``progress(step, value, grad_norm)``
    is called at every step; Ctrl-C ends the run as ``interrupted`` at the last point reached.

    >>> from gradcli import Potential
    >>> r = fire_descent(Potential("x**2 + 2*y**2"), (1.0, 1.0))
    >>> r.status, r.method, max(map(abs, r.x)) < 1e-8
    ('converged', 'fire', True)
    """
    import numpy as np

    from gradcli.optimize.descent import as_point
    from gradcli.optimize.fire import fire

    rules = rules_from(steps, tol, fmax, bound, atoms)
    max_step = check_setting("max_step", max_step)
    recorder = TrajectoryRecorder(check_max_record(max_record), V.n)
    start = as_point(x0, V.n, getattr(V, "variables", ()))
    value_and_grad = V.value_and_grad
    last = _Last(start)

    def force(x):
        last.x = x
        value, gradient = value_and_grad(x)
        last.out = (float(value), *gradient.tolist())
        return -gradient

    def callback(step, x, _force):
        out = last.out
        assert out is not None, "fire evaluates the force before each callback"
        gradient = out[1:]
        grad_norm = norm(gradient)
        last.step = step
        point = tuple(x.tolist())
        recorder.record(step, point, out[0], grad_norm)
        last.reached = (step, point, out)  # one store: Ctrl-C finds a consistent point
        if progress is not None:
            progress(step, out[0], grad_norm)
        if not (math.isfinite(out[0] + grad_norm) and max(map(abs, x.tolist())) <= rules.bound):
            last.status = "diverged"
            return True
        if rules.met(gradient, grad_norm):
            last.status = "converged"
            return True
        return False

    # The core's own test is strict (<); gradcli's (<=, or |grad V| alone) runs in the callback.
    core_fmax = rules.fmax if rules.fmax is not None else 1e-300
    try:
        run = fire(
            force,
            np.array(start),
            fmax=core_fmax,
            steps=rules.steps,
            atoms=rules.group == 3,
            max_step=max_step,
            callback=callback,
        )
    except DomainError as error:
        x = tuple(np.asarray(last.x).tolist())
        result = ended_by_domain_error(error, recorder, start, x, last.step + 1, method="fire")
        return _with(result, last.step + 2)
    except KeyboardInterrupt:
        if last.reached is None:  # before the first point was evaluated: nothing to report
            raise
        step, point, out = last.reached
        return _with(interrupted(None, recorder, start, point, step, out, method="fire"), step + 1)
    assert last.out is not None, "fire evaluated the force at the start at least"
    out = last.out
    x = tuple(run.x.tolist())
    status = last.status or ("diverged" if run.status == "diverged" else None)
    if status is None:
        status = "converged" if rules.met(out[1:]) else rules.final_status(out[1:], norm(out[1:]))
    gradient = tuple(out[1:])
    grad_norm = norm(gradient)
    trajectory = recorder.finish(run.steps, x, out[0], grad_norm)
    return DescentResult(
        start,
        x,
        out[0],
        gradient,
        grad_norm,
        run.steps,
        status,
        run.steps if status == "diverged" else None,
        trajectory,
        method="fire",
        evaluations=Evaluations(run.evaluations, run.evaluations),
    )


def _with(result: DescentResult, calls: int) -> DescentResult:
    from dataclasses import replace

    return replace(result, evaluations=Evaluations(calls, calls))
