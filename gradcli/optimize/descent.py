"""Plain gradient descent on a compiled potential: the tutorial's loop.

    x <- x - lr * grad V(x)

The loop runs over Python floats and calls ``V.scalar_value_and_grad`` (the
compiler's generated straight-line code), which is what makes it cost well
under a microsecond a step; numpy arrays or engine tensors would cost 10-100
times more for the tiny vectors of a command-line potential.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from math import hypot

from gradcli.errors import DomainError, InputError
from gradcli.optimize.trajectory import TrajectoryPoint, TrajectoryRecorder

STATUSES = ("converged", "completed", "max_steps", "diverged")


@dataclass(frozen=True)
class DescentResult:
    """What an optimiser run produced.

    ``x0``, ``x`` and ``gradient`` are tuples of ``n`` floats; ``value`` is V(x),
    ``grad_norm`` is |grad V(x)|; ``steps`` is the number of updates made.
    ``status`` is one of:

    - ``converged``: |grad V| <= tol (the point after ``steps`` updates);
    - ``completed``: tol was 0, so exactly ``steps`` updates ran (the tutorial);
    - ``max_steps``: the step budget ran out with |grad V| > tol;
    - ``diverged``: a non-finite number or a coordinate beyond ``bound``
      appeared at step ``diverged_at``; ``x`` is that point and ``value`` /
      ``gradient`` are NaN where they could not be evaluated.

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

    @property
    def converged(self) -> bool:
        """True when the run stopped because |grad V| <= tol (never with tol 0, which tests nothing)."""
        return self.status == "converged"

    @property
    def succeeded(self) -> bool:
        """True for ``converged`` and ``completed`` (the command exits 0), false for
        ``max_steps`` and ``diverged`` (exit 1)."""
        return self.status in ("converged", "completed")


def as_point(x0, n: int, variables=()) -> tuple[float, ...]:
    """``x0`` (a number or a sequence of ``n`` numbers) as a tuple of floats.

    >>> as_point(3, 1)
    (3.0,)
    """
    if isinstance(x0, (int, float)):
        coords = (float(x0),)
    else:
        coords = tuple(float(c) for c in x0)
    if len(coords) != n:
        names = f" ({', '.join(variables)})" if variables else ""
        raise InputError(f"the start point needs {n} coordinate{'s' * (n != 1)}{names}, got {len(coords)}")
    return coords


def _check_settings(lr: float, steps: int, tol: float, max_record: int, bound: float) -> None:
    if not (math.isfinite(lr) and lr > 0):
        raise InputError(f"the learning rate must be a positive number, got {lr}")
    if steps < 0:
        raise InputError(f"the number of steps must be 0 or more, got {steps}")
    if not (tol >= 0 and not math.isnan(tol)):
        raise InputError(f"the tolerance must be 0 or more, got {tol}")
    if max_record < 2:
        raise InputError(f"max_record must be at least 2 (the first and last points), got {max_record}")
    if not bound > 0:
        raise InputError(f"the divergence bound must be positive, got {bound}")


def gradient_descent(V, x0, *, lr=0.01, steps=200, tol=1e-8, max_record=1000, bound=1e12) -> DescentResult:
    """Minimise ``V`` by gradient descent from ``x0``.

    ``V`` is a ``gradcli.Potential`` with ``n`` variables (anything with ``n``,
    ``variables`` and ``scalar_value_and_grad(*coords) -> (value, g_0, ...,
    g_{n-1})`` works); ``x0`` is a number (n = 1) or ``n`` numbers. Each step is
    ``x <- x - lr * grad V(x)``; the run stops when |grad V| <= ``tol`` or after
    ``steps`` updates. ``tol=0`` runs exactly ``steps`` updates, like the
    tutorial. A NaN or infinity (including the potential's overflow errors
    after step 0), or a coordinate with |x_i| > ``bound``, stops the run as
    ``diverged``. Any other ``DomainError`` from the potential (log of a
    negative number, ...) propagates.

    >>> from gradcli import Potential
    >>> r = gradient_descent(Potential("x**4-10*x**2+5"), 3.0, tol=0)
    >>> r.status, round(r.x[0], 4), round(r.value, 4)
    ('completed', 2.2361, -20.0)
    """
    _check_settings(lr, steps, tol, max_record, bound)
    x0 = as_point(x0, V.n, getattr(V, "variables", ()))
    loop = {1: _descent_1d, 2: _descent_2d}.get(V.n, _descent_nd)
    return loop(V.scalar_value_and_grad, x0, float(lr), int(steps), float(tol), int(max_record), float(bound))


# The loops below share one shape, written out per dimension for speed (a call
# of the generated code costs ~0.2 us; tuples, star-args and generic sums would
# cost as much again):
#   for each step k: evaluate at x_k, record it if due, stop if non-finite
#   (diverged) or |g| <= tol (converged), step, stop if |x| > bound (diverged);
#   after the last step evaluate once more (max_steps, or completed for tol 0).
# k is always the step of the point being evaluated, which is what a
# DomainError is attributed to.


def _descent_1d(f, x0, lr, steps, tol, max_record, bound) -> DescentResult:
    """One variable: scalars only, no tuples built per step."""
    recorder = TrajectoryRecorder(max_record)
    record_at = recorder.next_step
    x = x0[0]
    stop = tol if tol > 0 else -1.0  # tol 0 tests nothing: -1 is below every |g|
    k = 0
    try:
        for k in range(steps):
            value, g = f(x)
            gn = abs(g)
            if k == record_at:
                recorder.add(k, (x,), value, gn)
                record_at = recorder.next_step
            s = value + gn
            if s - s != 0.0:  # 0.0 when both are finite, NaN otherwise
                return _diverged(recorder, x0, (x,), k, value, (g,))
            if gn <= stop:
                return _result(recorder, x0, (x,), value, (g,), k, "converged")
            x = x - lr * g
            if not abs(x) <= bound:  # also catches NaN
                return _beyond_bound(f, recorder, x0, (x,), k + 1)
        k = steps
        value, g = f(x)
    except DomainError as error:
        return _domain_error(error, recorder, x0, (x,), k)
    return _last(recorder, x0, (x,), value, (g,), k, tol)


def _descent_2d(f, x0, lr, steps, tol, max_record, bound) -> DescentResult:
    """Two variables (contour-map potentials): the same loop on two scalars."""
    recorder = TrajectoryRecorder(max_record)
    record_at = recorder.next_step
    a, b = x0
    stop2 = tol * tol if tol > 0 else -1.0
    k = 0
    try:
        for k in range(steps):
            value, ga, gb = f(a, b)
            gn2 = ga * ga + gb * gb
            if k == record_at:
                recorder.add(k, (a, b), value, math.sqrt(gn2))
                record_at = recorder.next_step
            s = value + gn2
            if s - s != 0.0:
                return _diverged(recorder, x0, (a, b), k, value, (ga, gb))
            if gn2 <= stop2:
                return _result(recorder, x0, (a, b), value, (ga, gb), k, "converged")
            a = a - lr * ga
            b = b - lr * gb
            if not (abs(a) <= bound and abs(b) <= bound):
                return _beyond_bound(f, recorder, x0, (a, b), k + 1)
        k = steps
        value, ga, gb = f(a, b)
    except DomainError as error:
        return _domain_error(error, recorder, x0, (a, b), k)
    return _last(recorder, x0, (a, b), value, (ga, gb), k, tol)


def _descent_nd(f, x0, lr, steps, tol, max_record, bound) -> DescentResult:
    """Any number of variables: lists of floats."""
    recorder = TrajectoryRecorder(max_record)
    record_at = recorder.next_step
    x = list(x0)
    stop = tol if tol > 0 else -1.0
    k = 0
    try:
        for k in range(steps):
            out = f(*x)
            value = out[0]
            g = out[1:]
            gn = hypot(*g)  # C, and no overflow in the squares
            if k == record_at:
                recorder.add(k, tuple(x), value, gn)
                record_at = recorder.next_step
            s = value + gn
            if s - s != 0.0:
                return _diverged(recorder, x0, tuple(x), k, value, tuple(g))
            if gn <= stop:
                return _result(recorder, x0, tuple(x), value, tuple(g), k, "converged")
            x = [xi - lr * gi for xi, gi in zip(x, g)]
            if not max(map(abs, x)) <= bound:
                return _beyond_bound(f, recorder, x0, tuple(x), k + 1)
        k = steps
        out = f(*x)
    except DomainError as error:
        return _domain_error(error, recorder, x0, tuple(x), k)
    return _last(recorder, x0, tuple(x), out[0], tuple(out[1:]), k, tol)


def _last(recorder, x0, x, value, gradient, step, tol) -> DescentResult:
    """The result after the last step: the point evaluated there decides the status."""
    grad_norm = _norm(gradient)
    s = value + grad_norm
    if s - s != 0.0:
        return _diverged(recorder, x0, x, step, value, gradient)
    status = ("converged" if grad_norm <= tol else "max_steps") if tol > 0 else "completed"
    return _result(recorder, x0, x, value, gradient, step, status)


def _domain_error(error: DomainError, recorder, x0, x, step) -> DescentResult:
    """An overflow (V or its gradient too large for a float) after the start is
    divergence; anything else, or an overflow at the start, is the caller's error."""
    if step > 0 and _is_overflow(error):
        return _diverged(recorder, x0, x, step)
    raise error


def _is_overflow(error: DomainError) -> bool:
    # The compiler words an overflow "overflow in exp at x=710" (gradcli/frontend/domain.py).
    return getattr(error, "reason", None) == "overflow" or error.message.startswith("overflow")


def _norm(vector) -> float:
    # Squares of huge finite numbers overflow to inf (float * never raises): the right answer here.
    return math.sqrt(sum([v * v for v in vector]))


def _result(recorder, x0, x, value, gradient, step, status) -> DescentResult:
    grad_norm = _norm(gradient)
    trajectory = recorder.finish(step, x, value, grad_norm)
    return DescentResult(x0, x, value, gradient, grad_norm, step, status, None, trajectory)


def _beyond_bound(f, recorder, x0, x, step) -> DescentResult:
    """Diverged: a coordinate left the bound. V and its gradient there are
    reported when they can still be evaluated (else NaN)."""
    value, gradient = math.nan, None
    if all(map(math.isfinite, x)):
        try:
            value, *gradient = f(*x)
        except (ArithmeticError, ValueError, DomainError):
            value, gradient = math.nan, None
    return _diverged(recorder, x0, x, step, value, None if gradient is None else tuple(gradient))


def _diverged(recorder, x0, x, step, value=math.nan, gradient=None) -> DescentResult:
    """A run stopped at ``step`` by a non-finite number or a coordinate beyond the bound."""
    if gradient is None:
        gradient = (math.nan,) * len(x)
    grad_norm = _norm(gradient)
    trajectory = recorder.finish(step, x, value, grad_norm)
    return DescentResult(x0, x, value, gradient, grad_norm, step, "diverged", step, trajectory)
