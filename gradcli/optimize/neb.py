"""Minimum-energy paths by the climbing-image nudged elastic band (G.
Henkelman, B. P. Uberuaga and H. Jónsson, J. Chem. Phys. 113, 9901, 2000),
with the improved tangent (G. Henkelman and H. Jónsson, J. Chem. Phys. 113,
9978, 2000), relaxed with FIRE (``fire.py``); then every local maximum along
the band refined to its saddle with the exact Hessian (``saddle.py``), so the
barriers are exact, and every interior local minimum to its minimum.

The band: ``images`` points R_0..R_{N-1} (the endpoints included), the
endpoints fixed at their minima. On an interior image, with the tangent tau
of the improved-tangent rule (the uphill neighbour's direction, blended by
the energy differences at an extremum), the force is

    F_i = -grad V(R_i) + (grad V(R_i)·tau) tau + k (|R_{i+1} - R_i| - |R_i - R_{i-1}|) tau,

and on the climbing image (the highest, with ``climb``) the spring is off and
the force along the tangent reversed: F = -grad V + 2 (grad V·tau) tau. All
interior images are evaluated in one batched call per FIRE step.

>>> from gradcli import Potential
>>> mep = path(Potential("x**4 - 10*x**2 + 5"), [-2.0], [2.0])
>>> [round(s.value, 10) for s in mep.saddles], round(mep.forward_barrier, 10)
([5.0], 25.0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradcli._lazy import LazyModule
from gradcli.errors import ComputationError, InputError
from gradcli.optimize.fire import fire, max_force
from gradcli.optimize.saddle import SaddleResult, _result, _search

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)


@dataclass
class PathPoint:
    """A stationary point met along the path: ``kind`` ``minimum`` or
    ``saddle``; ``image`` the band image it was refined from (0 and N-1 for
    the endpoints); ``refined`` the search result (point ``x``, ``value``,
    ``eigenvalues``, ``index``, ``status``, ``transition_vector``, ...)."""

    kind: str
    image: int
    refined: SaddleResult

    @property
    def x(self):
        return self.refined.x

    @property
    def value(self) -> float:
        return self.refined.value

    @property
    def ok(self) -> bool:
        """The refinement converged to the kind expected (index 1 or 0, checked)."""
        return self.refined.status == "converged"


@dataclass
class PathResult:
    """A minimum-energy path.

    ``points`` (N, n) the band's images, ``energies`` (N,), ``arc_length`` (N,)
    the distance along the band from the start; ``climbing_image`` (or None);
    ``band_status`` (FIRE's: ``converged`` when the band force is below
    ``fmax``), ``band_steps``, ``band_fmax``; ``start`` and ``end`` the
    endpoints' minima, ``saddles`` and ``minima`` (intermediate ones) as
    ``PathPoint`` in the order met along the path; ``forward_barrier`` =
    V(highest saddle) - V(start) and ``backward_barrier`` = V(highest
    saddle) - V(end) (without a saddle: from the highest image);
    ``barriers`` one (forward, backward) pair per saddle from the minima on
    either side of it; ``evaluations``: ``value_and_grad`` (points, the band's
    images one each) and ``hessian`` calls; ``interrupted``: Ctrl-C ended the
    search (``band_status`` ``interrupted`` when it stopped the band; a
    refinement it stopped has status ``interrupted``, and the later ones were
    not made).
    """

    points: np.ndarray
    energies: np.ndarray
    arc_length: np.ndarray
    climbing_image: int | None
    band_status: str
    band_steps: int
    band_fmax: float
    start: PathPoint | None
    end: PathPoint | None
    saddles: list
    minima: list
    forward_barrier: float
    backward_barrier: float
    barriers: list
    evaluations: dict
    spring: float
    fmax: float
    interrupted: bool = False

    @property
    def converged(self) -> bool:
        """The band converged and every saddle and minimum was refined to its kind."""
        return (
            self.band_status == "converged" and not self.interrupted and all(p.ok for p in self.saddles + self.minima)
        )

    @property
    def status(self) -> str:
        """``converged``, ``interrupted`` (Ctrl-C) or ``failed`` (the band or a refinement did not converge)."""
        return "interrupted" if self.interrupted else "converged" if self.converged else "failed"


def improved_tangents(points, energies):
    """Unit tangents (N-2, n) at the interior images of a band ``points`` (N, n)
    with ``energies`` (N,), by Henkelman and Jónsson's improved-tangent rule.

    >>> import numpy as np
    >>> improved_tangents(np.array([[0.0], [1.0], [3.0]]), np.array([0.0, 1.0, 2.0])).tolist()
    [[1.0]]
    """
    forward = points[2:] - points[1:-1]
    backward = points[1:-1] - points[:-2]
    e_prev, e, e_next = energies[:-2], energies[1:-1], energies[2:]
    d_next, d_prev = np.abs(e_next - e), np.abs(e_prev - e)
    big, small = np.maximum(d_next, d_prev), np.minimum(d_next, d_prev)
    up_next = e_next > e_prev
    blended = np.where(
        up_next[:, None],
        forward * big[:, None] + backward * small[:, None],
        forward * small[:, None] + backward * big[:, None],
    )
    rising = ((e_next > e) & (e > e_prev))[:, None]
    falling = ((e_next < e) & (e < e_prev))[:, None]
    tangent = np.where(rising, forward, np.where(falling, backward, blended))
    norm = np.linalg.norm(tangent, axis=1)
    return tangent / np.where(norm > 0, norm, 1.0)[:, None]


def band_forces(points, energies, gradients, spring: float, climbing: int | None):
    """The NEB forces (N-2, n) on the interior images of ``points`` (N, n),
    given ``energies`` (N,) and the interior ``gradients`` (N-2, n);
    ``climbing`` the index (in 1..N-2) of the climbing image, or None."""
    tangent = improved_tangents(points, energies)
    true_force = -gradients
    along = np.sum(true_force * tangent, axis=1)
    lengths = np.linalg.norm(np.diff(points, axis=0), axis=1)
    spring_force = spring * (lengths[1:] - lengths[:-1])
    force = true_force - along[:, None] * tangent + spring_force[:, None] * tangent
    if climbing is not None:
        c = climbing - 1
        force[c] = true_force[c] - 2.0 * along[c] * tangent[c]
    return force


def path(
    V,
    start,
    end,
    *,
    images: int = 11,
    spring: float = 0.1,
    climb: bool = True,
    fmax: float = 0.05,
    steps: int = 2000,
    relax: bool = True,
    refine: bool = True,
    max_step: float = 0.2,
    atoms: bool = False,
    zero_modes: int = 0,
    callback: Callable | None = None,
    progress: Callable | None = None,
) -> PathResult:
    """The minimum-energy path of ``V`` (a ``gradcli.Potential``) from ``start``
    to ``end`` (each (n,)).

    ``images``: band points, the two endpoints included (at least 3);
    ``spring``: k, in units of V per length squared (ASE's default 0.1); ``climb``: the highest
    image climbs to the saddle; ``fmax``: the band is converged when every
    component of every interior image's force (with ``atoms``, every
    per-atom norm) is below it; ``steps``: FIRE's budget; ``relax``: first
    relax the endpoints to their minima; ``refine``: refine every local
    maximum (minimum) along the band to its saddle (minimum) with the exact
    Hessian; ``max_step``: FIRE's largest step (norm over the whole band);
    ``zero_modes``: symmetry zero modes (6 for a cluster of atoms) for the
    refinements. ``callback(step, points, energies)`` after every FIRE step;
    ``progress(step, highest_energy, band_fmax)`` too (where a command draws its bar).
    Ctrl-C (``KeyboardInterrupt``) ends the search with ``interrupted`` set: the band
    as far as it relaxed (the straight band when the ends were still relaxing), and
    the refinements made before it.

    >>> from gradcli import Potential
    >>> mep = path(Potential("x**4 - 10*x**2 + 5"), [-2.0], [2.0], images=7)
    >>> mep.start.value, mep.end.value, mep.backward_barrier
    (-20.0, -20.0, 25.0)
    """
    a = np.array(start, dtype=np.float64).reshape(-1)
    b = np.array(end, dtype=np.float64).reshape(-1)
    n = getattr(V, "n", a.size)
    if a.size != n or b.size != n:
        raise InputError(f"the start and end need {n} coordinates each, got {a.size} and {b.size}")
    if not (isinstance(images, int) and images >= 3):
        raise InputError(f"images must be an integer of at least 3 (the endpoints included), got {images}")
    if not spring > 0:
        raise InputError(f"the spring constant must be positive, got {spring}")
    if not fmax > 0:
        raise InputError(f"fmax must be positive, got {fmax}")
    counts = {"value_and_grad": 0, "hessian": 0}

    def stationary(x, index, image, kind):
        # One local P-RFO search (no restarts elsewhere): the band has put x near the point sought.
        own = {"value_and_grad": 0, "hessian": 0}
        run = _search(
            V,
            np.array(x, dtype=np.float64),
            500,
            None,
            index=index,
            follow=None,
            zero_modes=zero_modes,
            trust_radius=0.05,
            max_trust=1.0,
            callback=None,
            counts=own,
        )
        for key in counts:
            counts[key] += own[key]
        return PathPoint(kind, image, _result(run[0], run[1], run[2], run[3], index, zero_modes, run[4], own, run[5]))

    start_point = end_point = None
    stopped = False  # Ctrl-C: what was reached so far is the result
    if relax:
        start_point = stationary(a, 0, 0, "minimum")
        stopped = start_point.refined.status == "interrupted"
        if not stopped:
            end_point = stationary(b, 0, images - 1, "minimum")
            stopped = end_point.refined.status == "interrupted"
        for name, p in (("start", start_point), ("end", end_point)):
            if p is not None and not p.ok and not stopped:
                raise ComputationError(f"the {name} point did not relax to a minimum: {p.refined.message}")
        a = start_point.x.copy()
        b = end_point.x.copy() if end_point is not None else b
    if not stopped and np.linalg.norm(b - a) <= 1e-8 * max(1.0, float(np.abs(a).max())):
        raise ComputationError(
            "the start and end are the same point"
            + (" after relaxing" if relax else "")
            + ": there is no path between them"
        )

    fractions = np.linspace(0.0, 1.0, images)[:, None]
    points = (1.0 - fractions) * a + fractions * b
    end_values = V(np.stack([a, b]))
    counts["value_and_grad"] += 2
    energies = np.empty(images)
    energies[0], energies[-1] = end_values
    state: dict[str, int | None] = {"climbing": None}

    def force(flat):
        points[1:-1] = flat.reshape(images - 2, n)
        values, grads = V.value_and_grad(points[1:-1])
        counts["value_and_grad"] += images - 2
        energies[1:-1] = values
        state["climbing"] = 1 + int(np.argmax(energies[1:-1])) if climb else None
        return band_forces(
            points, energies, np.asarray(grads).reshape(images - 2, n), spring, state["climbing"]
        ).reshape(-1)

    reached: dict = {}

    def on_step(k, x, f):
        # One store of the band's state at step k: Ctrl-C finds the points, energies and force consistent.
        reached["band"] = (k, x, energies.copy(), f, state["climbing"])
        if progress is not None:
            progress(k, float(np.max(energies)), max_force(f, atoms))
        return callback(k, points.copy(), energies.copy()) if callback is not None else False

    if not stopped:
        try:
            relaxed = fire(
                force,
                points[1:-1].reshape(-1),
                fmax=fmax,
                steps=steps,
                atoms=atoms,
                max_step=max_step,
                callback=on_step,
            )
            band = (relaxed.status, relaxed.steps, relaxed.fmax)
            points[1:-1] = relaxed.x.reshape(images - 2, n)
        except KeyboardInterrupt:
            stopped = True
    if stopped:
        if "band" in reached:
            k, x, energies[:], f, state["climbing"] = reached["band"]
            points[1:-1] = x.reshape(images - 2, n)
        else:  # stopped before the band's first step: the straight band, evaluated
            k, f = 0, force(points[1:-1].reshape(-1))
        band = ("interrupted", k, max_force(f, atoms))
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])

    saddles: list[PathPoint] = []
    minima: list[PathPoint] = []
    if refine and not stopped:
        for i in range(1, images - 1):
            if energies[i] > energies[i - 1] and energies[i] >= energies[i + 1]:
                found, point = saddles, stationary(points[i], 1, i, "saddle")
            elif energies[i] < energies[i - 1] and energies[i] <= energies[i + 1]:
                found, point = minima, stationary(points[i], 0, i, "minimum")
            else:
                continue
            found.append(point)
            if point.refined.status == "interrupted":  # the later refinements are not made
                stopped = True
                break
        saddles, minima = _distinct(saddles), _distinct(minima)
    start_value = start_point.value if start_point else float(energies[0])
    end_value = end_point.value if end_point else float(energies[-1])
    top = max((s.value for s in saddles), default=float(np.max(energies)))
    return PathResult(
        points,
        energies.copy(),
        arc,
        state["climbing"],
        *band,
        start_point,
        end_point,
        saddles,
        minima,
        top - start_value,
        top - end_value,
        _segment_barriers(saddles, minima, start_value, end_value),
        dict(counts),
        spring,
        fmax,
        stopped,
    )


def _distinct(found):
    """Drop refinements that reached a point already found (two images refined to the same saddle)."""
    kept: list[SaddleResult] = []
    for p in found:
        scale = max(1.0, float(np.abs(p.x).max()))
        if all(np.abs(p.x - q.x).max() > 1e-6 * scale for q in kept):
            kept.append(p)
    return kept


def _segment_barriers(saddles, minima, start_value: float, end_value: float) -> list:
    """(forward, backward) for each saddle, from the nearest minima before and after it along the path."""
    out = []
    for s in saddles:
        before = [m.value for m in minima if m.image < s.image]
        after = [m.value for m in minima if m.image > s.image]
        low_before = before[-1] if before else start_value
        low_after = after[0] if after else end_value
        out.append((s.value - low_before, s.value - low_after))
    return out
