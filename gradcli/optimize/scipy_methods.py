"""Quasi-Newton, conjugate-gradient and Newton methods: ``scipy.optimize.minimize``
on gradcli's exact gradient (and Hessian), under gradcli's stopping rules.

| gradcli | scipy method | uses |
|---|---|---|
| ``cg`` | ``CG`` (Polak-Ribière) | V, grad V |
| ``bfgs`` | ``BFGS`` | V, grad V |
| ``lbfgs`` | ``L-BFGS-B`` (no bounds) | V, grad V |
| ``newton`` | ``Newton-CG`` | V, grad V, Hessian |
| ``trust`` | ``trust-exact`` | V, grad V, Hessian |

scipy's own tests are gradcli's |grad V| <= tol where they are the same
test, else switched off (0, or tiny where 0 is not allowed); gradcli's rules
(|grad V| <= tol, the largest force <= fmax) are checked at every iteration
in scipy's callback, which ends the run when they hold. BLAS runs on one
thread (threadpoolctl): scipy's small dense updates are 10-20 times slower
when threads compete for the cores. When
scipy stops first (its line search fails, precision is lost) the run is
``stalled`` with scipy's message. ``evaluations`` are scipy's own counts
(``nfev``, ``njev``, ``nhev``). scipy is imported only when one of these runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradcli._threads import single_threaded_blas
from gradcli.errors import DomainError
from gradcli.optimize.first_order import rules_from
from gradcli.optimize.result import DescentResult, Evaluations, interrupted, norm
from gradcli.optimize.settings import check_max_record
from gradcli.optimize.trajectory import TrajectoryRecorder

if TYPE_CHECKING:
    import numpy as np

#: gradcli's name -> (scipy's method, whether it takes the Hessian, scipy's options: "tol" stands for
#: gradcli's tol where scipy's own test is the same, |grad V|_2 <= tol; the others switch its tests off)
SCIPY: dict[str, tuple[str, bool, dict[str, float | str]]] = {
    "cg": ("CG", False, {"gtol": "tol", "norm": 2.0}),  # CG's line search needs gtol > 0 to accept its last step
    "bfgs": ("BFGS", False, {"gtol": "tol", "norm": 2.0}),
    # L-BFGS-B's gtol is on max |g_i|, not ours; 100 corrections kept, as ASE's LBFGS (memory=100).
    "lbfgs": ("L-BFGS-B", False, {"gtol": 0.0, "ftol": 0.0, "maxcor": 100}),
    "newton": ("Newton-CG", True, {"xtol": 1e-300}),
    "trust": ("trust-exact", True, {"gtol": "tol"}),
}


class _Evaluated:
    """``V.value_and_grad`` for scipy, remembering V and grad V at the last few points: the callback
    finds the gradient of the point it is given, and scipy's first call (at the start, evaluated
    already) is answered without evaluating again."""

    def __init__(self, V):
        self.value_and_grad = V.value_and_grad
        self.points: dict = {}
        self.calls = 0

    def __call__(self, x):
        key = x.tobytes()
        known = self.points.get(key)
        if known is not None:
            return known
        value, gradient = self.value_and_grad(x)
        self.calls += 1
        if len(self.points) > 8:
            self.points.clear()
        known = self.points[key] = (float(value), gradient)
        return known

    def at(self, x) -> tuple:
        """``(value, g_0, ..., g_{n-1})`` at ``x``."""
        value, gradient = self(x)
        return (value, *gradient.tolist())


@dataclass
class _Outcome:
    """What the callback saw last, kept where Ctrl-C and the end of the run find it:
    ``reached`` (step, point, value, gradient as numpy arrays), ``status`` once a rule stopped
    the run, ``step`` the iterations counted."""

    reached: tuple[int, np.ndarray, float, np.ndarray]
    status: str | None = None
    step: int = 0


def _met(rules, gradient, gg: float) -> bool:
    """``rules.met`` on a numpy gradient whose squared norm is ``gg``, cheaply (the callback runs at
    every iteration): the force test is made only when |g|² allows it (max per-atom |F| <= fmax
    needs |g|² <= atoms * fmax²)."""
    if rules.tests_nothing or (rules.tol > 0 and not gg <= rules.tol * rules.tol):
        return False
    if rules.fmax is None:
        return True
    if not gg <= (gradient.size // rules.group) * rules.fmax * rules.fmax:
        return False
    if rules.group == 1:
        return float(abs(gradient).max()) <= rules.fmax
    return float(((gradient.reshape(-1, rules.group) ** 2).sum(axis=1) ** 0.5).max()) <= rules.fmax


def scipy_minimize(
    V,
    x0,
    *,
    method: str,
    steps=1000,
    tol=1e-8,
    fmax=None,
    bound=1e12,
    atoms=False,
    max_record=1000,
    progress=None,
) -> DescentResult:
    """Minimise ``V`` from ``x0`` with gradcli's ``method`` (a key of ``SCIPY``).
    ``progress(step, value, grad_norm)`` is called at every iteration; Ctrl-C ends the run as
    ``interrupted`` at the last iteration's point.

    >>> from gradcli import Potential
    >>> r = scipy_minimize(Potential("(x-1)**2 + 100*(y-x**2)**2"), (-1.2, 1.0), method="bfgs")
    >>> r.status, [round(c, 6) for c in r.x], r.evaluations.value == r.evaluations.gradient
    ('converged', [1.0, 1.0], True)
    """
    import numpy as np
    from scipy.optimize import minimize

    from gradcli.optimize.descent import as_point

    scipy_name, uses_hessian, own_tests = SCIPY[method]
    rules = rules_from(steps, tol, fmax, bound, atoms)
    recorder = TrajectoryRecorder(check_max_record(max_record), V.n)
    start = as_point(x0, V.n, getattr(V, "variables", ()))
    evaluated = _Evaluated(V)

    bound2 = rules.bound * rules.bound

    def callback(intermediate_result):
        step = outcome.step = outcome.step + 1
        x = intermediate_result.x
        value, gradient = evaluated(x)
        gg = float(gradient @ gradient)
        point = x.copy()  # a copy: scipy may reuse x's array
        recorder.record(step, point, value, math.sqrt(gg))
        outcome.reached = (step, point, value, gradient)  # one store: Ctrl-C finds a consistent point
        if progress is not None:
            progress(step, value, math.sqrt(gg))
        # |x|² <= bound² implies every |x_i| <= bound: the exact test only when it does not hold.
        if not (math.isfinite(value + gg) and (float(x @ x) <= bound2 or float(abs(x).max()) <= rules.bound)):
            outcome.status = "diverged"
            raise StopIteration
        if _met(rules, gradient, gg):
            outcome.status = "converged"
            raise StopIteration

    x_start = np.array(start, dtype=np.float64)
    first = evaluated.at(x_start)
    recorder.record(0, start, first[0], norm(first[1:]))
    outcome = _Outcome((0, x_start, first[0], np.array(first[1:])))
    if progress is not None:
        progress(0, first[0], norm(first[1:]))
    options = {key: rules.tol if value == "tol" else value for key, value in own_tests.items()}
    options["maxiter"] = rules.steps
    if scipy_name == "L-BFGS-B":
        options["maxfun"] = max(15_000, 20 * rules.steps)
    extra = {"method": method}
    if rules.met(first[1:]) or rules.steps == 0:
        status = "converged" if rules.met(first[1:]) else rules.final_status(first[1:], norm(first[1:]))
        return _result(recorder, start, start, first, 0, status, Evaluations(1, 1), extra)
    try:
        with single_threaded_blas():
            res = minimize(
                evaluated,
                x_start,
                jac=True,
                method=scipy_name,
                options=options,
                callback=callback,
                hess=(lambda x: V.hessian(x)) if uses_hessian else None,
            )
    except KeyboardInterrupt:
        step, point, value, gradient = outcome.reached
        out = (value, *gradient.tolist())
        result = interrupted(None, recorder, start, tuple(point.tolist()), step, out, **extra)
        return _replace_evaluations(result, Evaluations(evaluated.calls, evaluated.calls))
    except DomainError as error:
        from gradcli.optimize.result import is_overflow

        if not is_overflow(error):
            raise
        x = tuple(float(c) for c in error_point(error, start))
        return _result(
            recorder, start, x, (math.nan,) + (math.nan,) * V.n, outcome.step + 1, "diverged", Evaluations(), extra
        )
    x = tuple(res.x.tolist())
    out = evaluated.at(res.x)
    evaluations = Evaluations(int(res.get("nfev", 0)), int(res.get("njev", 0)), int(res.get("nhev", 0)))
    steps_made = int(res.get("nit", outcome.step))
    message = ""
    if outcome.status is not None:
        status = outcome.status
    else:
        if not math.isfinite(out[0] + norm(out[1:])):
            status = "diverged"
        elif rules.met(out[1:]):
            status = "converged"
        elif steps_made >= rules.steps:
            status = rules.final_status(out[1:], norm(out[1:]))
        else:
            status, message = "stalled", f"scipy ({scipy_name}): {res.message}"
    return _result(recorder, start, x, out, steps_made, status, evaluations, {**extra, "message": message})


def _replace_evaluations(result: DescentResult, evaluations: Evaluations) -> DescentResult:
    from dataclasses import replace

    return replace(result, evaluations=evaluations)


def error_point(error, start):
    """The point a domain error names, when it carries one, else the start."""
    point = getattr(error, "point", None)
    return point if point is not None and len(point) == len(start) else start


def _result(recorder, x0, x, out, steps, status, evaluations, extra) -> DescentResult:
    value, gradient = out[0], tuple(out[1:])
    grad_norm = norm(gradient)
    trajectory = recorder.finish(steps, x, value, grad_norm)
    return DescentResult(
        x0,
        x,
        value,
        gradient,
        grad_norm,
        steps,
        status,
        steps if status == "diverged" else None,
        trajectory,
        evaluations=evaluations,
        **extra,
    )


def _runner(method: str):
    def run(V, x0, **options):
        return scipy_minimize(V, x0, method=method, **options)

    run.__name__ = method
    run.__doc__ = f"``scipy.optimize.minimize(method={SCIPY[method][0]!r})`` under gradcli's rules (scipy_minimize)."
    return run


cg, bfgs, lbfgs, newton, trust = (_runner(name) for name in SCIPY)
