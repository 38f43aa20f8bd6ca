"""What every optimiser returns (``DescentResult``) and the rules that end a run,
shared by every optimiser in ``gradcli.optimize``.

A run ends, checked in this order at each evaluated point:

- ``diverged``: V or its gradient is not finite, a coordinate left ``bound``,
  or the potential overflowed after the start (``ended_by_domain_error``);
- ``converged``: the stopping test ``StopRules.met`` holds;
- ``max_steps``: the budget of ``steps`` updates ran out (``completed`` when
  nothing was tested: tol 0 and no fmax, the tutorial's fixed-length loop);
- ``stalled``: the method could make no further progress (a line search or
  scipy gave up; ``message`` says why);
- ``interrupted``: Ctrl-C (``KeyboardInterrupt``) stopped the run; the result
  is the last point reached, with V and its gradient there.

Every optimiser takes ``progress``: None, or ``progress(step, value, grad_norm)``
called at step 0 and at least every ``PROGRESS_EVERY`` steps, where a command
draws its progress bar. An exception it raises ends the run as an exception
from V would, except ``KeyboardInterrupt``, which ends it as ``interrupted``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gradcli.errors import DomainError
from gradcli.optimize.trajectory import TrajectoryPoint

STATUSES = ("converged", "completed", "max_steps", "diverged", "stalled", "interrupted")
#: Statuses the command exits 0 with.
SUCCESS = ("converged", "completed")
#: ``progress`` is called at every step that is a multiple of this, at least (a power of two).
PROGRESS_EVERY = 64


@dataclass(frozen=True)
class Evaluations:
    """How many times a run computed V, its gradient and its Hessian (one call
    computing V and the gradient together counts once for each).

    >>> Evaluations(3, 3).as_dict()
    {'value': 3, 'gradient': 3, 'hessian': 0}
    """

    value: int = 0
    gradient: int = 0
    hessian: int = 0

    def as_dict(self) -> dict:
        return {"value": self.value, "gradient": self.gradient, "hessian": self.hessian}


@dataclass(frozen=True)
class DescentResult:
    """What an optimiser run produced.

    ``x0``, ``x`` and ``gradient`` are tuples of ``n`` floats; ``value`` is V(x),
    ``grad_norm`` is |grad V(x)|; ``steps`` is the number of updates (iterations)
    made; ``status`` one of ``STATUSES`` (see the module's docstring);
    ``diverged_at`` the step where a run diverged (``x`` is that point and
    ``value``/``gradient`` are NaN where they could not be evaluated);
    ``method`` the optimiser's name; ``evaluations`` the calls it made;
    ``message`` why a ``stalled`` run stopped (empty otherwise).

    ``trajectory`` is a list of ``TrajectoryPoint`` (first and last always kept).
    """

    x0: tuple[float, ...]
    x: tuple[float, ...]
    value: float
    gradient: tuple[float, ...]
    grad_norm: float
    steps: int
    status: str
    diverged_at: int | None = None
    trajectory: list[TrajectoryPoint] = field(default_factory=list, repr=False)
    method: str = "gd"
    evaluations: Evaluations = field(default_factory=Evaluations)
    message: str = ""

    @property
    def converged(self) -> bool:
        """True when the run stopped because the stopping test held (never with tol 0, which tests nothing)."""
        return self.status == "converged"

    @property
    def succeeded(self) -> bool:
        """True for ``converged`` and ``completed`` (the command exits 0), false
        otherwise (exit 1)."""
        return self.status in SUCCESS


@dataclass(frozen=True)
class StopRules:
    """When a run stops: after ``steps`` updates, or when |grad V| <= ``tol``
    (0 tests nothing) and, when given, the largest force <= ``fmax``; a
    coordinate beyond ``bound`` is divergence.

    The force test is ASE's: the largest norm of the per-atom force vectors,
    here groups of ``group`` consecutive components (1: the largest |dV/dx_i|;
    3 for atoms in x1,y1,z1,x2,... order).

    >>> rules = StopRules(steps=100, tol=0.1, fmax=0.05, group=2)
    >>> rules.met([0.03, 0.04, 0.0, 0.0]), rules.met([0.03, 0.05, 0.0, 0.0])
    (True, False)
    """

    steps: int = 200
    tol: float = 1e-8
    fmax: float | None = None
    bound: float = 1e12
    group: int = 1

    @property
    def tests_nothing(self) -> bool:
        """True when no criterion can stop the run early (tol 0, no fmax): it runs exactly ``steps``."""
        return self.tol == 0 and self.fmax is None

    def met(self, gradient, grad_norm: float | None = None) -> bool:
        """Whether the run has converged at a point with this ``gradient`` (its norm may be given)."""
        if self.tests_nothing:
            return False
        if self.tol > 0:
            if grad_norm is None:
                grad_norm = norm(gradient)
            if not grad_norm <= self.tol:
                return False
        return self.fmax is None or largest_force(gradient, self.group) <= self.fmax

    def final_status(self, gradient, grad_norm: float) -> str:
        """The status of a run that used its whole budget, from its last point."""
        if self.tests_nothing:
            return "completed"
        return "converged" if self.met(gradient, grad_norm) else "max_steps"


def norm(vector) -> float:
    """Euclidean norm; squares of huge finite numbers overflow to inf, the right answer here.

    >>> norm((3.0, 4.0))
    5.0
    """
    return math.sqrt(sum([v * v for v in vector]))


def largest_force(gradient, group: int = 1) -> float:
    """ASE's fmax: the largest norm of consecutive groups of ``group`` components.

    >>> largest_force((3.0, 4.0, -1.0, 0.0), 2), largest_force((3.0, -4.0))
    (5.0, 4.0)
    """
    if group == 1:
        return max(map(abs, gradient), default=0.0)
    return max((norm(gradient[i : i + group]) for i in range(0, len(gradient), group)), default=0.0)


def is_overflow(error: DomainError) -> bool:
    """Whether a potential's ``DomainError`` is an overflow (V or its gradient too large for a float)."""
    # The compiler words an overflow "overflow in exp at x=710" (gradcli/frontend/domain.py).
    return getattr(error, "reason", None) == "overflow" or error.message.startswith("overflow")


def finished(recorder, x0, x, value, gradient, step, status, **extra) -> DescentResult:
    """The result of a run that ended at ``x`` after ``step`` updates with ``status``."""
    grad_norm = norm(gradient)
    trajectory = recorder.finish(step, x, value, grad_norm)
    return DescentResult(x0, x, value, gradient, grad_norm, step, status, None, trajectory, **extra)


def after_budget(rules: StopRules, recorder, x0, x, value, gradient, step, **extra) -> DescentResult:
    """The result after the last allowed step: the point evaluated there decides the status."""
    grad_norm = norm(gradient)
    s = value + grad_norm
    if s - s != 0.0:  # 0.0 when both are finite, NaN otherwise
        return diverged(recorder, x0, x, step, value, gradient, **extra)
    return finished(recorder, x0, x, value, gradient, step, rules.final_status(gradient, grad_norm), **extra)


def ended_by_domain_error(error: DomainError, recorder, x0, x, step, **extra) -> DescentResult:
    """An overflow after the start is divergence; anything else (log of a
    negative number, ...), or an overflow at the start, is re-raised: the caller's error."""
    if step > 0 and is_overflow(error):
        return diverged(recorder, x0, x, step, **extra)
    raise error


def beyond_bound(f, recorder, x0, x, step, **extra) -> DescentResult:
    """Diverged: a coordinate left the bound. V and its gradient there (``f(*x)``
    returns ``(value, *gradient)``) are reported when they can still be evaluated (else NaN)."""
    value, gradient = math.nan, None
    if all(map(math.isfinite, x)):
        try:
            value, *gradient = f(*x)
        except (ArithmeticError, ValueError, DomainError):
            value, gradient = math.nan, None
    return diverged(recorder, x0, x, step, value, None if gradient is None else tuple(gradient), **extra)


def diverged(recorder, x0, x, step, value=math.nan, gradient=None, **extra) -> DescentResult:
    """A run stopped at ``step`` by a non-finite number or a coordinate beyond the bound."""
    if gradient is None:
        gradient = (math.nan,) * len(x)
    grad_norm = norm(gradient)
    trajectory = recorder.finish(step, x, value, grad_norm)
    return DescentResult(x0, x, value, gradient, grad_norm, step, "diverged", step, trajectory, **extra)


def interrupted(f, recorder, x0, x, step, out=None, **extra) -> DescentResult:
    """A run stopped by Ctrl-C at ``x`` after ``step`` updates. ``out`` is ``(value, *gradient)`` at
    ``x`` when known; else ``f(*x)`` is evaluated (NaN where it cannot be)."""
    if out is None:
        try:
            out = tuple(f(*x))
        except (ArithmeticError, ValueError, DomainError):
            out = (math.nan,) * (len(x) + 1)
    return finished(recorder, x0, tuple(x), out[0], tuple(out[1:]), step, "interrupted", **extra)
