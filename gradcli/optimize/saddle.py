"""Saddle points by eigenvector following with the exact Hessian: partitioned
rational-function optimisation (P-RFO; J. Baker, J. Comput. Chem. 7, 385,
1986, after C. J. Cerjan and W. H. Miller, J. Chem. Phys. 75, 2800, 1981).

Each step diagonalises the exact Hessian, H = sum_i b_i v_i v_i^T, writes the
gradient in that basis (g_i = v_i·g) and splits the modes in two: the ``index``
modes to climb (the lowest, or a followed mode tracked by overlap) and the
rest to descend. Each part takes the rational-function step
Δ_i = -g_i / (b_i - λ), λ the largest (climbed part) or the smallest
(descended part) eigenvalue of its augmented Hessian [[diag(b), g], [g^T, 0]],
so the step goes uphill along the climbed modes and downhill along the others
whatever the signs of the b_i. Steps longer than the trust radius are scaled
back; the radius grows when the quadratic model predicted the change of V well
and shrinks when it did not (a step whose V change had the wrong sign is taken
back). Where a mode to climb has a positive curvature and no gradient (a
minimum), a step of the trust radius along it starts the climb.

The point found is checked: its index is the number of negative Hessian
eigenvalues (symmetry zero modes set aside), and a point of the wrong kind is
reported as such (status ``wrong-index``), never as a saddle.

>>> from gradcli import Potential
>>> found = saddle(Potential("x**2 - y**2"), [0.3, 0.2])
>>> found.status, found.index, [round(float(c), 9) + 0.0 for c in found.x]
('converged', 1, [0.0, 0.0])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradcli._lazy import LazyModule
from gradcli.errors import DomainError, InputError

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

# An eigenvalue is zero when |b| <= EIG_RTOL * max|b| (as in analysis/stationary.py).
EIG_RTOL = 1e-8
# An attempt stops ("ran-away") after this many steps in a row that rose in V
# with fewer negative eigenvalues than the index sought: climbing out of a basin
# along a mode that never bends over (Müller-Brown's soft modes at its minima).
RUNAWAY_STEPS = 25
# Converged when the Newton step |H^+ g| is at most XTOL * max(1, max|x_i|).
XTOL = 1e-10


@dataclass
class SaddleResult:
    """What a saddle search found.

    ``x`` (n,) the last point, ``value`` V(x), ``gradient`` (n,);
    ``eigenvalues`` (n,) of the Hessian at x, ascending, and ``eigenvectors``
    (n, n) their unit eigenvectors as columns (largest component positive);
    ``index`` the number of negative eigenvalues (zero modes not counted) and
    ``wanted_index`` the index asked for; ``transition_vector`` (n,) the
    eigenvector of the lowest negative eigenvalue (None when there is none);
    ``steps``; ``evaluations`` ({"value_and_grad": .., "hessian": ..});
    ``status``: ``converged`` (a stationary point of the index asked for),
    ``wrong-index`` (stopped at a stationary point of another kind: ``kind``
    and ``message`` say which), ``ran-away`` (every climb left uphill without
    meeting the curvature sought), ``max_steps`` or ``diverged``; ``kind`` is ``saddle``,
    ``minimum``, ``maximum`` or ``degenerate`` (a zero eigenvalue beyond the
    zero modes) from the eigenvalues; ``newton_step`` |H^+ g| at x.
    """

    x: np.ndarray
    value: float
    gradient: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    index: int
    wanted_index: int
    kind: str
    transition_vector: np.ndarray | None
    steps: int
    evaluations: dict
    status: str
    message: str
    newton_step: float
    zero_modes: int = 0

    @property
    def converged(self) -> bool:
        return self.status == "converged"


def _fixed_signs(vectors):
    """Eigenvectors (columns) with their largest-magnitude component positive."""
    rows = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[rows, np.arange(vectors.shape[1])])
    signs[signs == 0] = 1.0
    return vectors * signs


def _eigen(h):
    b, v = np.linalg.eigh(0.5 * (h + h.T))  # symmetrised against round-off
    return b, _fixed_signs(v)


def _zero_mask(b, zero_modes: int):
    mask = np.zeros(b.size, dtype=bool)
    if zero_modes:
        mask[np.argsort(np.abs(b), kind="stable")[:zero_modes]] = True
    return mask


def count_negative(eigenvalues, zero_modes: int = 0) -> tuple[int, str]:
    """(index, kind) from Hessian eigenvalues (n,): the number of negative ones
    and ``minimum``/``maximum``/``saddle``/``degenerate``, after setting aside
    the ``zero_modes`` closest to zero.

    >>> count_negative([-2.0, 3.0]), count_negative([0.0, 3.0]), count_negative([1e-14, 3.0], 1)
    ((1, 'saddle'), (0, 'degenerate'), (0, 'minimum'))
    """
    b = np.asarray(eigenvalues, dtype=np.float64)
    rest = b[~_zero_mask(b, zero_modes)]
    zero = EIG_RTOL * (float(np.abs(b).max()) if b.size else 0.0)
    negative, positive = int(np.sum(rest < -zero)), int(np.sum(rest > zero))
    if rest.size == 0 or negative + positive < rest.size:
        return negative, "degenerate"
    return negative, "minimum" if negative == 0 else "maximum" if positive == 0 else "saddle"


def _rfo_part(b, g, climb: bool, trust: float, scale: float):
    """The rational-function step (in the eigenbasis) of one part."""
    if b.size == 0:
        return np.zeros(0)
    augmented = np.zeros((b.size + 1, b.size + 1))
    augmented[np.arange(b.size), np.arange(b.size)] = b
    augmented[:-1, -1] = augmented[-1, :-1] = g
    levels = np.linalg.eigvalsh(augmented)
    shift = levels[-1] if climb else levels[0]
    denominator = b - shift
    step = np.zeros(b.size)
    tiny = np.abs(denominator) <= 1e-12 * max(scale, 1e-300)
    step[~tiny] = -g[~tiny] / denominator[~tiny]
    # No gradient along a mode of the wrong curvature: start moving along it.
    direction = np.where(g[tiny] < 0, -1.0, 1.0)  # uphill along +g when climbing, else downhill
    step[tiny] = trust * (direction if climb else -direction)
    return step


def saddle(
    V,
    x0,
    *,
    index: int = 1,
    follow: int | None = None,
    zero_modes: int = 0,
    trust_radius: float = 0.1,
    max_trust: float = 1.0,
    steps: int = 500,
    callback: Callable | None = None,
    progress: Callable | None = None,
) -> SaddleResult:
    """Search for a stationary point of index ``index`` (1: a first-order
    saddle; 0 would be a minimum) of the potential ``V`` (a ``gradcli.Potential``
    or anything with ``value_and_grad(x)`` and ``hessian(x)``) from ``x0`` (n,).

    ``follow``: climb along the mode of that rank at the start (0 = the
    lowest eigenvalue, 1 the next, ..., symmetry zero modes not counted) and
    keep following it by overlap, instead of always the lowest; from a minimum
    this chooses which way to leave it. ``zero_modes``: the number of symmetry
    zero modes (6 for a cluster of atoms) left out of the steps and the index.
    ``trust_radius`` (the first step's bound, in units of x) and
    ``max_trust``; ``steps`` the iteration budget, shared by all climbs.
    ``callback(step, x, value)`` is called at every point; ``progress(step, value, grad_norm)``
    too, ``step`` counting the steps of all climbs together (where a command draws its bar).
    Ctrl-C (``KeyboardInterrupt``) ends the search as ``interrupted`` at the last point
    reached, analysed there as any other end point.

    A climb that runs away (uphill without meeting the curvature sought) is
    followed by others: the same mode the other way, the next mode up both
    ways, then from the basin's minimum (found by the same steps with index
    0) along those modes; the result is the first that converges, else the
    last.

    >>> from gradcli import Potential
    >>> s = saddle(Potential("(x**2 + y - 11)**2 + (x + y**2 - 7)**2"), [3.3, 0.2])
    >>> s.status, round(s.value, 6), s.evaluations["hessian"] < 10
    ('converged', 13.311926, True)
    """
    x = np.array(x0, dtype=np.float64).reshape(-1)
    n = x.size
    if not 0 <= zero_modes < max(n, 1):
        raise InputError(f"zero_modes must be from 0 to {n - 1}, got {zero_modes}")
    if not (isinstance(index, int) and 0 <= index <= n - zero_modes):
        raise InputError(f"the index must be an integer from 0 to {n - zero_modes}, got {index}")
    if follow is not None and not (isinstance(follow, int) and 0 <= follow < n - zero_modes):
        raise InputError(f"the mode to follow must be from 0 to {n - zero_modes - 1}, got {follow}")
    if follow is not None and index < 1:
        raise InputError("following a mode climbs it: the index must be at least 1")
    if not (trust_radius > 0 and max_trust >= trust_radius):
        raise InputError("trust_radius must be positive and at most max_trust")
    if steps < 0:
        raise InputError(f"steps must be >= 0, got {steps}")

    counts = {"value_and_grad": 0, "hessian": 0}
    options = dict(
        index=index,
        follow=follow,
        zero_modes=zero_modes,
        trust_radius=trust_radius,
        max_trust=max_trust,
        callback=callback,
        progress=progress,
        counts=counts,
    )
    # Climbs to try in turn, each until it converges or runs away: the chosen
    # mode(s) from x0, then the same the other way (from inside a basin the
    # slope picked the side), then, unless a mode was named, the next mode up
    # both ways. If none converges: descend to the minimum of the basin and
    # climb from there along the same modes, both ways (Cerjan and Miller's
    # use of mode following; Müller-Brown's saddles lie along the stiff mode
    # of two of its minima, not the soft one).
    modes_to_try: list[int | None] = [follow] if follow is not None else [None]
    if follow is None and 1 <= index < n - zero_modes:
        modes_to_try.append(index)
    state = {"taken": 0}

    def climb(start, modes, from_minimum):
        run = None
        for mode in modes:
            direction = 1.0 if from_minimum else None
            for _ in range(2):
                run = _search(
                    V, start, steps - state["taken"], direction, **{**options, "follow": mode}, taken=state["taken"]
                )
                state["taken"] += run[4]
                if run[5] in ("converged", "interrupted") or state["taken"] >= steps or not run[6]:
                    return run
                direction = -run[6]
        return run

    run = _search(V, x, steps, None, **options) if index == 0 else climb(x, modes_to_try, False)
    if index == 0:
        state["taken"] = run[4]
    elif run[5] not in ("converged", "interrupted") and state["taken"] < steps:
        low = _search(
            V, x, steps - state["taken"], None, **{**options, "index": 0, "follow": None}, taken=state["taken"]
        )
        state["taken"] += low[4]
        if low[5] == "interrupted":
            run = low
        elif low[5] == "converged" and state["taken"] < steps:
            # From the minimum the mode must be tracked: name the lowest one when none was.
            run = climb(low[0], [0 if m is None else m for m in modes_to_try], True)
    x, value, grad, hess, _, status, _ = run
    taken = state["taken"]
    return _result(x, value, grad, hess, index, zero_modes, taken, counts, status)


def _search(
    V,
    x,
    steps,
    direction,
    *,
    index,
    follow,
    zero_modes,
    trust_radius,
    max_trust,
    callback,
    counts,
    progress=None,
    taken=0,
):
    """One P-RFO run from x; ``direction`` (+1/-1) forces the side of the first
    step along the first climbed mode. Returns (x, V, g, H, steps taken,
    status, the sign taken by the first step along that mode); Ctrl-C ends it
    as ``interrupted`` at the last point evaluated. ``progress`` gets the step
    counted from ``taken`` (the steps of the climbs before this one)."""
    state: dict = {"reached": None, "first_sign": 0.0}
    settings = (index, follow, zero_modes, trust_radius, max_trust, callback, counts, progress, taken)
    try:
        return _prfo(V, x, steps, direction, settings, state)
    except KeyboardInterrupt:
        if state["reached"] is None:  # stopped before the start was evaluated: evaluate it, to report it
            value, grad, hess = _evaluate(V, x, counts)
            state["reached"] = (x, value, grad, hess, 0)
        x, value, grad, hess, step_count = state["reached"]
        return x, value, grad, hess, step_count, "interrupted", state["first_sign"]


def _evaluate(V, point, counts):
    n = point.size
    value, grad = V.value_and_grad(point)
    counts["value_and_grad"] += 1
    hessian = np.asarray(V.hessian(point), dtype=np.float64).reshape(n, n)
    counts["hessian"] += 1
    return float(value), np.asarray(grad, dtype=np.float64).reshape(n), hessian


def _prfo(V, x, steps, direction, settings, state):
    """The P-RFO loop of ``_search``; ``state["reached"]`` holds the last point evaluated, with
    V, its gradient and Hessian there and the steps taken (one store, so Ctrl-C finds them consistent)."""
    index, follow, zero_modes, trust_radius, max_trust, callback, counts, progress, taken = settings
    n = x.size

    def evaluate(point):
        return _evaluate(V, point, counts)

    first_sign = 0.0
    blind = 0  # steps in a row uphill without the curvature sought
    value, grad, hess = evaluate(x)
    bound = 1e6 * max(1.0, float(np.abs(x).max()) if n else 1.0)
    tracked = None
    trust, step_count, status = trust_radius, 0, "max_steps"
    previous = None  # (x, value, grad, hess, predicted change) before the last step
    while True:
        state["reached"] = (x, value, grad, hess, step_count)
        if callback is not None:
            callback(step_count, x, value)
        if progress is not None:
            progress(taken + step_count, value, float(np.linalg.norm(grad)))
        if not (
            np.isfinite(value) and np.all(np.isfinite(grad)) and np.all(np.isfinite(hess)) and np.abs(x).max() <= bound
        ):
            status = "diverged"
            break
        if previous is not None:
            predicted = previous[4]
            actual = value - previous[1]
            meaningful = abs(predicted) > 1e-12 * max(1.0, abs(value))
            ratio = actual / predicted if meaningful else 1.0
            if meaningful and ratio < 0.0 and trust > 1e-6 * trust_radius:
                # The quadratic model was wrong even about the direction: take the step back.
                x, value, grad, hess = previous[:4]
                trust *= 0.25
                previous = None
                continue
            if ratio < 0.25 or ratio > 1.75:
                trust = max(0.25 * trust, 1e-6 * trust_radius)
            elif 0.75 < ratio < 1.25 and previous[5] >= 0.99 * trust:
                trust = min(2.0 * trust, max_trust)
        b, vectors = _eigen(hess)
        scale = float(np.abs(b).max()) if n else 0.0
        aside = _zero_mask(b, zero_modes)
        along = vectors.T @ grad
        curved = (np.abs(b) > EIG_RTOL * scale) & ~aside
        newton_step = float(np.linalg.norm(along[curved] / b[curved]))
        flat_grad = float(np.linalg.norm(along[~curved & ~aside]))
        x_scale = max(1.0, float(np.abs(x).max()) if n else 1.0)
        found_index, kind = count_negative(b, zero_modes)
        stationary = newton_step <= XTOL * x_scale and flat_grad <= XTOL * x_scale * max(scale, 1e-300)
        if stationary and found_index == index and kind != "degenerate":
            status = "converged"
            break
        blind = blind + 1 if found_index < index and previous is not None and value > previous[1] else 0
        if blind >= RUNAWAY_STEPS:
            status = "ran-away"
            break
        if step_count >= steps:
            break

        modes = np.flatnonzero(~aside)  # candidate modes, ascending eigenvalue
        if follow is not None:
            if tracked is None:
                tracked = vectors[:, modes[follow]].copy()
            overlaps = np.abs(vectors[:, modes].T @ tracked)
            chosen = modes[int(np.argmax(overlaps))]
            tracked = vectors[:, chosen] * np.sign(vectors[:, chosen] @ tracked or 1.0)
            others = [m for m in modes if m != chosen][: index - 1]
            climbed = np.array([chosen, *others], dtype=int)
        else:
            climbed = modes[:index]
        descended = np.setdiff1d(modes, climbed)
        step_eig = np.zeros(n)
        step_eig[climbed] = _rfo_part(b[climbed], along[climbed], True, trust, scale)
        step_eig[descended] = _rfo_part(b[descended], along[descended], False, trust, scale)
        if step_count == 0 and climbed.size:
            if direction is not None:
                step_eig[climbed[0]] = direction * max(abs(step_eig[climbed[0]]), trust)
            first_sign = state["first_sign"] = float(np.sign(step_eig[climbed[0]]))
        dx = vectors @ step_eig
        length = float(np.linalg.norm(dx))
        if length > trust:
            dx *= trust / length
            length = trust
        predicted = float(grad @ dx + 0.5 * dx @ hess @ dx)
        previous = (x, value, grad, hess, predicted, length)
        step_count += 1
        try:
            value, grad, hess = evaluate(x + dx)
        except DomainError:
            # The step left V's domain (a log of a negative number, ...): stay, with a quarter of the radius.
            previous = None
            trust = max(0.25 * min(trust, length), 1e-6 * trust_radius)
            if trust <= 1e-6 * trust_radius:
                raise
            continue
        x = x + dx

    return x, value, grad, hess, step_count, status, first_sign


def _result(x, value, grad, hess, index, zero_modes, step_count, counts, status) -> SaddleResult:
    n = x.size
    b, vectors = _eigen(hess)
    found_index, kind = count_negative(b, zero_modes)
    along = vectors.T @ grad
    aside = _zero_mask(b, zero_modes)
    curved = (np.abs(b) > EIG_RTOL * (float(np.abs(b).max()) if n else 0.0)) & ~aside
    newton_step = float(np.linalg.norm(along[curved] / b[curved])) if np.all(np.isfinite(b)) else float("nan")
    negative = np.flatnonzero((b < 0) & ~aside & curved)
    transition = vectors[:, negative[0]].copy() if negative.size else None
    x_scale = max(1.0, float(np.abs(x).max()) if n else 1.0)
    stationary = newton_step <= XTOL * x_scale
    if status not in ("converged", "interrupted") and stationary and np.all(np.isfinite(b)):
        status = "wrong-index"  # stopped at a stationary point of another kind
    message = _message(status, kind, found_index, index, step_count)
    return SaddleResult(
        x,
        value,
        grad,
        b,
        vectors,
        found_index,
        index,
        kind,
        transition,
        step_count,
        dict(counts),
        status,
        message,
        newton_step,
        zero_modes,
    )


def _message(status: str, kind: str, found: int, wanted: int, steps: int) -> str:
    what = "a minimum" if wanted == 0 else f"a saddle of index {wanted}"
    if status == "converged" and kind != "degenerate" and found == wanted:
        return f"converged to {what} in {steps} steps"
    if status in ("converged", "wrong-index"):
        got = (
            "a degenerate stationary point"
            if kind == "degenerate"
            else f"a {kind}"
            if kind != "saddle"
            else f"a saddle of index {found}"
        )
        return f"stopped at {got} (index {found}), not {what}"
    if status == "ran-away":
        return (
            f"not converged: the climb left the basin without meeting negative curvature ({steps} steps, "
            f"the point has index {found}); start nearer a saddle, or climb from a minimum along another mode"
        )
    if status == "interrupted":
        return f"interrupted after {steps} steps (the point reached has index {found})"
    if status == "diverged":
        return f"diverged after {steps} steps (a non-finite value or a coordinate beyond the bound)"
    return f"not converged after {steps} steps (the point has index {found}); try more steps or another start"
