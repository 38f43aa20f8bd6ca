"""Why a run failed, in words that point the right way.

A fixed-step method (gd with --lr, momentum, nesterov) is stable on a
quadratic bowl only while lr·λmax < 2 (heavy ball: < 2(1 + μ); Nesterov:
< 2(1 + μ)/(1 + 2μ)), λmax the Hessian's largest eigenvalue. A path whose steps
flip direction, or whose energy rises, had too large a step: the message gives
the bound from the Hessian at the last finite point. A path that still falls
steadily at the end of its budget had too small a step.
"""

from __future__ import annotations

import math

#: Methods whose lr is a fixed gradient step, and their stability bound lr·λmax < FACTOR(μ).
STABLE_FACTOR = {
    "gd": lambda mu: 2.0,
    "momentum": lambda mu: 2.0 * (1 + mu),
    "nesterov": lambda mu: 2.0 * (1 + mu) / (1 + 2 * mu),
}


def oscillates_or_grows(trajectory) -> str | None:
    """``"oscillates"`` when most successive steps among the last consecutive points reverse
    direction, ``"grows"`` when V rose over them, else None.

    >>> from gradcli.optimize.trajectory import TrajectoryPoint as P
    >>> oscillates_or_grows([P(k, ((-1.0) ** k,), 1.0, 2.0) for k in range(8)])
    'oscillates'
    """
    points = _consecutive_tail(trajectory)
    finite = [p for p in points if all(map(math.isfinite, (*p.x, p.value)))]
    if len(finite) < 3:
        return "grows" if len(trajectory) >= 2 and _rose(trajectory) else None
    moves = [[b - a for a, b in zip(p.x, q.x)] for p, q in zip(finite, finite[1:])]
    reversals = sum(sum(a * b for a, b in zip(s, t)) < 0 for s, t in zip(moves, moves[1:]))
    if reversals >= 0.75 * (len(moves) - 1):
        return "oscillates"
    if finite[-1].value > finite[0].value or _rose(trajectory):
        return "grows"
    return None


def _rose(trajectory) -> bool:
    last = trajectory[-1].value
    return not math.isfinite(last) or last > min(p.value for p in trajectory if math.isfinite(p.value))


def _consecutive_tail(trajectory) -> list:
    tail = [trajectory[-1]]
    for p in reversed(trajectory[:-1]):
        if p.step != tail[-1].step - 1:
            break
        tail.append(p)
    return tail[::-1]


def largest_curvature(V, point) -> float | None:
    """λmax of the Hessian of ``V`` at ``point`` (a ``TrajectoryPoint``; None when it cannot be had)."""
    if not all(map(math.isfinite, (*point.x, point.value))):
        return None
    try:
        import numpy as np

        h = np.asarray(V.hessian(np.array(point.x)), dtype=np.float64)
        if np.all(np.isfinite(h)):
            return float(np.linalg.eigvalsh(0.5 * (h + h.T))[-1])
    except Exception:  # noqa: BLE001 - a diagnosis must never fail the report it explains
        return None
    return None


def _bound_text(V, result, settings: dict) -> str:
    """The stable bound from the Hessian: at the start for a diverged run (its last points are
    far away), the largest over the last 4 points for an oscillating one (both ends of a flip)."""
    factor = STABLE_FACTOR[result.method](settings.get("momentum", 0.9) or 0.0)
    diverged = result.status == "diverged"
    points = [result.trajectory[0]] if diverged else _consecutive_tail(result.trajectory)[-4:]
    found = [lam for lam in (largest_curvature(V, p) for p in points) if lam is not None]
    lam = max(found, default=None)
    if lam is None or not lam > 0:
        return "try a smaller --lr"
    shown = "2" if factor == 2.0 else f"{factor:.3g}"
    where = "the start" if diverged else "the last points"
    return (
        f"a stable step needs lr < {shown}/λmax ≈ {factor / lam:.3g} (λmax = {lam:.4g}, the Hessian's largest "
        f"eigenvalue at {where}; lr is {settings['lr']:g})"
    )


#: V's last changes count as rounding when within this many units in the last place of V.
ROUNDING_ULPS = 1e4


def at_rounding_floor(result) -> bool:
    """Whether the last recorded values of V differ by no more than its float64 rounding
    (ROUNDING_ULPS units in the last place): an energy-based line search can then make no progress.

    >>> from gradcli.optimize.trajectory import TrajectoryPoint as P
    >>> from types import SimpleNamespace as R
    >>> at_rounding_floor(R(trajectory=[P(0, (0.0,), -44.0, 1.0), P(1, (0.0,), -44.32680142, 2e-7),
    ...                                  P(2, (0.0,), -44.32680142 - 3e-14, 1e-7)]))
    True
    """
    values = [p.value for p in result.trajectory[-3:] if math.isfinite(p.value)]
    if len(values) < 2:
        return False
    scale = max(1.0, max(abs(v) for v in values))
    return max(values[-2:]) - min(values[-2:]) <= ROUNDING_ULPS * 2.220446049250313e-16 * scale


def _above(grad_norm: float) -> str:
    """A round tolerance at least 3 times ``grad_norm`` (``1e-06`` for 2.3e-7)."""
    exponent = math.ceil(math.log10(3 * grad_norm)) if grad_norm > 0 else -8
    return f"1e{exponent:+03d}".replace("+", "")


def explain(V, result, settings: dict) -> str:
    """The one-line reason a run did not succeed, with advice (``result.status`` not converged/completed).

    >>> from gradcli import Potential
    >>> from gradcli.optimize import minimize
    >>> V = Potential("x**4-10*x**2+5")
    >>> explain(V, minimize(V, 3.0, lr=0.01, steps=5), {"lr": 0.01, "tol": 1e-8})  # doctest: +ELLIPSIS
    'descent did not converge in 5 steps (|grad V| = 1.14 > tol 1e-08); try a larger --lr or --method lbfgs...'
    """
    fixed_step = result.method in STABLE_FACTOR and settings.get("lr") is not None
    name = "descent" if result.method == "gd" else result.method
    if result.status == "stalled":
        text = f"{name} stalled after {result.steps} steps at |grad V| = {result.grad_norm:.3g} ({result.message})"
        if at_rounding_floor(result):
            return (
                f"{text}: V no longer changes within float64 rounding here, so a line search cannot go "
                f"further; ask for --tol {_above(result.grad_norm)} or use --method fire or gd, which need "
                "no energy differences"
            )
        return f"{text}; try --method trust or fire"
    if result.status == "diverged":
        text = f"{name} diverged at step {result.diverged_at} (a non-finite number or a coordinate beyond the bound)"
        if fixed_step:
            return f"{text}: the step is too large; {_bound_text(V, result, settings)}"
        if result.method == "fire":
            return f"{text}; try a smaller --max-step or --method lbfgs"
        return f"{text}; try a smaller --lr or --method lbfgs" if "lr" in settings else f"{text}; try --method trust"
    text = f"{name} did not converge in {result.steps} steps ({_measure(result, settings)})"
    trend = oscillates_or_grows(result.trajectory)
    if trend and fixed_step:
        what = "the path oscillates" if trend == "oscillates" else "V grows"
        return f"{text}: {what}, the step is too large; {_bound_text(V, result, settings)}"
    if trend and result.method == "adam":
        return f"{text}: the path {trend}; try a smaller --lr or --method lbfgs"
    if fixed_step:
        return f"{text}; try a larger --lr or --method lbfgs (or more --steps)"
    return f"{text}; try more --steps or --method lbfgs"


def _measure(result, settings: dict) -> str:
    tol = settings.get("tol", 0.0)
    text = f"|grad V| = {result.grad_norm:.3g} > tol {tol:g}" if tol and result.grad_norm > tol else ""
    fmax = settings.get("fmax")
    if fmax is not None:
        from gradcli.optimize.result import largest_force

        force = largest_force(result.gradient, 3 if settings.get("atoms") else 1)
        if force > fmax:
            text = f"{text}, " if text else ""
            text += f"largest force {force:.3g} > fmax {fmax:g}"
    return text or f"|grad V| = {result.grad_norm:.3g}"
