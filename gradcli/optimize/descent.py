"""Plain gradient descent on a compiled potential: the tutorial's loop.

    x <- x - lr * grad V(x)

The loop runs over Python floats and calls ``V.scalar_value_and_grad`` (the
compiler's generated straight-line code), which is what makes it cost well
under a microsecond a step; numpy arrays or engine tensors would cost 10-100
times more for the tiny vectors of a command-line potential. The end of a run
follows ``gradcli.optimize.result``'s rules, shared by every optimiser.
"""

from __future__ import annotations

import math
from dataclasses import replace
from math import hypot

from gradcli.errors import DomainError, InputError
from gradcli.optimize.result import (
    PROGRESS_EVERY,
    DescentResult,
    Evaluations,
    StopRules,
    after_budget,
    beyond_bound,
    diverged,
    ended_by_domain_error,
    finished,
    interrupted,
)
from gradcli.optimize.settings import check_max_record, check_setting
from gradcli.optimize.trajectory import TrajectoryRecorder

#: A mask: the fast loops call ``progress`` at the steps where ``k & EVERY == 0``.
EVERY = PROGRESS_EVERY - 1


def as_point(x0, n: int, variables=()) -> tuple[float, ...]:
    """``x0`` (a number or a sequence of ``n`` numbers) as a tuple of floats.

    >>> as_point(3, 1)
    (3.0,)
    """
    coords: tuple[float, ...]
    if isinstance(x0, (int, float)):
        coords = (float(x0),)
    else:
        coords = tuple(float(c) for c in x0)
    if len(coords) != n:
        names = f" ({', '.join(variables)})" if variables else ""
        raise InputError(f"the start point needs {n} coordinate{'s' * (n != 1)}{names}, got {len(coords)}")
    return coords


def gradient_descent(
    V, x0, *, lr=0.01, steps=200, tol=1e-8, max_record=1000, bound=1e12, progress=None
) -> DescentResult:
    """Minimise ``V`` by gradient descent from ``x0``.

    ``V`` is a ``gradcli.Potential`` with ``n`` variables (anything with ``n``,
    ``variables`` and ``scalar_value_and_grad(*coords) -> (value, g_0, ...,
    g_{n-1})`` works); ``x0`` is a number (n = 1) or ``n`` numbers. Each step is
    ``x <- x - lr * grad V(x)``; the run stops when |grad V| <= ``tol`` or after
    ``steps`` updates. ``tol=0`` runs exactly ``steps`` updates, like the
    tutorial. A NaN or infinity (including the potential's overflow errors
    after step 0), or a coordinate with |x_i| > ``bound``, stops the run as
    ``diverged``. Any other ``DomainError`` from the potential (log of a
    negative number, ...) propagates. ``progress(step, value, grad_norm)``, when
    given, is called every ``PROGRESS_EVERY`` steps; Ctrl-C ends the run as
    ``interrupted`` at the last point reached (see ``gradcli.optimize.result``).

    >>> from gradcli import Potential
    >>> r = gradient_descent(Potential("x**4-10*x**2+5"), 3.0, tol=0)
    >>> r.status, round(r.x[0], 4), round(r.value, 4), r.evaluations.gradient
    ('completed', 2.2361, -20.0, 201)
    """
    lr, steps, tol, bound = (
        check_setting(k, v) for k, v in (("lr", lr), ("steps", steps), ("tol", tol), ("bound", bound))
    )
    rules = StopRules(steps=steps, tol=tol, bound=bound)
    # The 1- and 2-variable loops keep their points a column per coordinate (see the loops).
    recorder = TrajectoryRecorder(check_max_record(max_record), V.n, by_coordinate=V.n <= 2)
    x0 = as_point(x0, V.n, getattr(V, "variables", ()))
    loop = {1: _descent_1d, 2: _descent_2d}.get(V.n, _descent_nd)
    f = V.scalar_value_and_grad
    recorder.replay = _replayer(f, lr, V.n)
    result = loop(f, x0, lr, rules, recorder, progress)
    # One call of V and its gradient per point evaluated: steps 0..steps (none at a non-finite point).
    calls = result.steps + (1 if all(map(math.isfinite, result.x)) else 0)
    return replace(result, evaluations=Evaluations(calls, calls))


def _replayer(f, lr, n):
    """Recompute steps of the loops below from a checkpoint, with the same arithmetic (so the same
    floats): the recorder keeps the last steps whole without storing every step during the run.
    These calls are bookkeeping, not part of the run, and are not counted as evaluations."""

    def replay(step, x, end):
        points: list[tuple[int, tuple[float, ...], float, float]] = []
        if n == 1:
            for k in range(step, end):
                value, g = f(x)
                points.append((k, (x,), value, abs(g)))
                x = x - lr * g
        elif n == 2:
            a, b = x
            for k in range(step, end):
                value, ga, gb = f(a, b)
                points.append((k, (a, b), value, math.sqrt(ga * ga + gb * gb)))
                a = a - lr * ga
                b = b - lr * gb
        else:
            for k in range(step, end):
                out = f(*x)
                g = out[1:]
                points.append((k, tuple(x), out[0], hypot(*g)))
                x = [xi - lr * gi for xi, gi in zip(x, g)]
        return points

    return replay


# The loops below share one shape, written out per dimension for speed (a call
# of the generated code is cheap; tuples, star-args and generic sums would cost
# as much again):
#   for each step k: evaluate at x_k, keep it if due (appended to the recorder's columns here: a
#   method call or a tuple per kept point would cost as much as the step), and a checkpoint every
#   mask + 1 steps, from which the last steps are recomputed at the end; stop if non-finite (diverged) or
#   |g| <= tol (converged), step, stop if |x| > bound (diverged);
#   after the last step evaluate once more (max_steps, or completed for tol 0).
# k is always the step of the point being evaluated, which is what a
# DomainError is attributed to. ``made`` counts the updates x has had: it is
# set in the statement after each update, with no call between them, so that
# Ctrl-C (which Python delivers at calls and loop jumps) never separates them.


def _descent_1d(f, x0, lr, rules, recorder, progress) -> DescentResult:
    """One variable: scalars only."""
    mask = recorder.mask
    record_at, stride, capacity = recorder.next_step, recorder.stride, recorder.capacity
    steps_kept = recorder.steps
    keep_step, keep_value, keep_norm = steps_kept.append, recorder.values.append, recorder.norms.append
    assert recorder.coordinates is not None, "gradient_descent keeps one variable by coordinate"
    keep_x = recorder.coordinates[0].append
    x = x0[0]
    stop = rules.tol if rules.tol > 0 else -1.0  # tol 0 tests nothing: -1 is below every |g|
    bound = rules.bound
    low = -bound
    k = made = 0
    try:
        for k in range(rules.steps):
            value, g = f(x)
            gn = abs(g)
            if not k & mask:
                recorder.checkpoint(k, x)
                if progress is not None and not k & EVERY:
                    progress(k, value, gn)
            if k == record_at:
                keep_step(k)
                keep_x(x)
                keep_value(value)
                keep_norm(gn)
                record_at = k + stride
                if len(steps_kept) > capacity:
                    record_at = recorder.thin()
                    stride = recorder.stride
            s = value + gn
            if s - s != 0.0:  # 0.0 when both are finite, NaN otherwise
                return diverged(recorder, x0, (x,), k, value, (g,))
            if gn <= stop:
                return finished(recorder, x0, (x,), value, (g,), k, "converged")
            x = x - lr * g
            made = k + 1
            if not low <= x <= bound:  # also catches NaN (no call: cheaper than abs)
                return beyond_bound(f, recorder, x0, (x,), k + 1)
        k = rules.steps
        value, g = f(x)
    except DomainError as error:
        return ended_by_domain_error(error, recorder, x0, (x,), k)
    except KeyboardInterrupt:
        return interrupted(f, recorder, x0, (x,), made)
    return after_budget(rules, recorder, x0, (x,), value, (g,), k)


def _descent_2d(f, x0, lr, rules, recorder, progress) -> DescentResult:
    """Two variables (contour-map potentials): the same loop on two scalars."""
    mask = recorder.mask
    record_at, stride, capacity = recorder.next_step, recorder.stride, recorder.capacity
    steps_kept = recorder.steps
    keep_step, keep_value, keep_norm = steps_kept.append, recorder.values.append, recorder.norms.append
    assert recorder.coordinates is not None, "gradient_descent keeps two variables by coordinate"
    keep_a, keep_b = (column.append for column in recorder.coordinates)
    sqrt = math.sqrt
    a, b = x0
    stop2 = rules.tol * rules.tol if rules.tol > 0 else -1.0
    bound = rules.bound
    low = -bound
    k = made = 0
    try:
        for k in range(rules.steps):
            value, ga, gb = f(a, b)
            gn2 = ga * ga + gb * gb
            if not k & mask:
                recorder.checkpoint(k, (a, b))
                if progress is not None and not k & EVERY:
                    progress(k, value, math.sqrt(gn2))
            if k == record_at:
                keep_step(k)
                keep_a(a)
                keep_b(b)
                keep_value(value)
                keep_norm(sqrt(gn2))
                record_at = k + stride
                if len(steps_kept) > capacity:
                    record_at = recorder.thin()
                    stride = recorder.stride
            s = value + gn2
            if s - s != 0.0:
                return diverged(recorder, x0, (a, b), k, value, (ga, gb))
            if gn2 <= stop2:
                return finished(recorder, x0, (a, b), value, (ga, gb), k, "converged")
            a = a - lr * ga
            b = b - lr * gb
            made = k + 1
            if not (low <= a <= bound and low <= b <= bound):
                return beyond_bound(f, recorder, x0, (a, b), k + 1)
        k = rules.steps
        value, ga, gb = f(a, b)
    except DomainError as error:
        return ended_by_domain_error(error, recorder, x0, (a, b), k)
    except KeyboardInterrupt:
        return interrupted(f, recorder, x0, (a, b), made)
    return after_budget(rules, recorder, x0, (a, b), value, (ga, gb), k)


def _descent_nd(f, x0, lr, rules, recorder, progress) -> DescentResult:
    """Any number of variables: lists of floats."""
    mask = recorder.mask
    record_at, stride, capacity = recorder.next_step, recorder.stride, recorder.capacity
    steps_kept = recorder.steps
    keep_step, keep_value, keep_norm = steps_kept.append, recorder.values.append, recorder.norms.append
    keep_x = recorder.xs.append
    x = list(x0)
    stop = rules.tol if rules.tol > 0 else -1.0
    bound = rules.bound
    k = made = 0
    try:
        for k in range(rules.steps):
            out = f(*x)
            value = out[0]
            g = out[1:]
            gn = hypot(*g)  # C, and no overflow in the squares
            if not k & mask:
                recorder.checkpoint(k, x)
                if progress is not None and not k & EVERY:
                    progress(k, value, gn)
            if k == record_at:
                keep_step(k)
                keep_x(tuple(x))
                keep_value(value)
                keep_norm(gn)
                record_at = k + stride
                if len(steps_kept) > capacity:
                    record_at = recorder.thin()
                    stride = recorder.stride
            s = value + gn
            if s - s != 0.0:
                return diverged(recorder, x0, tuple(x), k, value, tuple(g))
            if gn <= stop:
                return finished(recorder, x0, tuple(x), value, tuple(g), k, "converged")
            x = [xi - lr * gi for xi, gi in zip(x, g)]
            made = k + 1
            if not max(map(abs, x)) <= bound:
                return beyond_bound(f, recorder, x0, tuple(x), k + 1)
        k = rules.steps
        out = f(*x)
    except DomainError as error:
        return ended_by_domain_error(error, recorder, x0, tuple(x), k)
    except KeyboardInterrupt:
        return interrupted(f, recorder, x0, tuple(x), made)
    return after_budget(rules, recorder, x0, tuple(x), out[0], tuple(out[1:]), k)
