"""Basins of attraction: where does each start in a box end up, and how much
of the box drains into each minimum?

Starts are drawn uniformly in the box (``samples``, seeded) or laid on a
grid; all of them descend together (``walkers.descend_walkers``); the end
points of the converged walkers are grouped into distinct minima (points
closer than ``cluster_tol``); each minimum is checked from its Hessian. A
minimum's share is the fraction of all starts that reached it, with the
binomial standard error sqrt(p (1 - p) / N). Walkers that diverge, stall or
run out of steps are counted apart, never dropped.

Example (the double well's two minima each drain half of [-3, 3])::

    >>> from gradcli.frontend import Potential
    >>> out = basin_map(Potential("x**4-10*x**2+5"), {"x": (-3.0, 3.0)}, grid=(100,))
    >>> [(round(m.point[0], 6), m.count) for m in out.minima]
    [(-2.236068, 50), (2.236068, 50)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gradcli._threads import single_threaded
from gradcli.analysis.stationary import classify_stationary_point
from gradcli.errors import InputError
from gradcli.landscape.walkers import METHODS, descend_walkers

MAX_STARTS = 10_000_000


@dataclass
class Minimum:
    """One distinct end point: ``point`` (n,), ``value``, ``kind`` from the Hessian
    ("minimum", "saddle", ...), ``eigenvalues`` (n,), ``count`` of starts,
    ``share`` of all starts and its standard error ``share_error``."""

    point: tuple[float, ...]
    value: float
    kind: str
    eigenvalues: tuple[float, ...]
    count: int
    share: float
    share_error: float


@dataclass
class BasinMap:
    """The result: ``minima`` (lowest V first); ``starts`` (N, n); ``labels`` (N,)
    the index into ``minima`` each start reached, or -1; ``status`` counts of
    walkers by how they ended; ``grid`` the grid shape or None."""

    variables: tuple[str, ...]
    box: dict[str, tuple[float, float]]
    method: str
    minima: list[Minimum]
    starts: np.ndarray
    labels: np.ndarray
    status: dict[str, int]
    evaluations: int
    grid: tuple[int, ...] | None = None
    seed: int | None = None
    not_converged: int = field(init=False)

    def __post_init__(self):
        self.not_converged = int(np.sum(self.labels < 0))


def _check_box(variables, box) -> list[tuple[float, float]]:
    missing = [v for v in variables if v not in box]
    extra = [v for v in box if v not in variables]
    if missing or extra:
        parts = ([f"no range for {', '.join(missing)}"] if missing else []) + (
            [f"{', '.join(extra)} {'is not a variable' if len(extra) == 1 else 'are not variables'}"] if extra else []
        )
        raise InputError(f"--box must give one range per variable ({', '.join(variables)}): {'; '.join(parts)}")
    ranges = []
    for name in variables:
        low, high = (float(b) for b in box[name])
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise InputError(f"--box range for {name} must be finite with low < high, got {low}:{high}")
        ranges.append((low, high))
    return ranges


def starts_in_box(
    ranges, *, samples: int | None = None, grid: tuple[int, ...] | None = None, seed: int | None = 0
) -> np.ndarray:
    """Starting points (N, n): ``samples`` uniform random points, or a grid
    of ``grid[k]`` points along variable k, ends included (C order: the last
    variable varies fastest)."""
    if (samples is None) == (grid is None):
        raise InputError("give either a number of samples or a grid, not both")
    if grid is not None:
        if len(grid) != len(ranges) or any(g < 1 for g in grid):
            raise InputError(
                f"--grid needs one positive count per variable ({len(ranges)}), got {'x'.join(map(str, grid))}"
            )
        total = math.prod(grid)
        if total > MAX_STARTS:
            raise InputError(f"--grid gives {total:,} starts; at most {MAX_STARTS:,}")
        axes = [np.linspace(lo, hi, g) if g > 1 else np.array([(lo + hi) / 2]) for (lo, hi), g in zip(ranges, grid)]
        return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(ranges))
    assert samples is not None
    if not 1 <= samples <= MAX_STARTS:
        raise InputError(f"--samples must be between 1 and {MAX_STARTS:,}, got {samples}")
    rng = np.random.default_rng(seed)
    low = np.array([lo for lo, _ in ranges])
    high = np.array([hi for _, hi in ranges])
    return low + (high - low) * rng.random((samples, len(ranges)))


def cluster_points(points: np.ndarray, tol: float) -> np.ndarray:
    """Labels (k,) grouping points (k, n) that lie within ``tol`` of each other
    (single linkage). Points are first snapped to cells of size tol, so the
    pair search runs over the few distinct cells, not every end point."""
    if len(points) == 0:
        return np.empty(0, dtype=np.int64)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    cells, cell_of = np.unique(np.floor(points / tol).astype(np.int64), axis=0, return_inverse=True)
    centres = (cells + 0.5) * tol
    pairs = cKDTree(centres).query_pairs(r=tol * (1.0 + math.sqrt(points.shape[1])), output_type="ndarray")
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(cells), len(cells)))
    _, cell_label = connected_components(graph, directed=False)
    return cell_label[cell_of.ravel()]


@single_threaded
def basin_map(
    V,
    box: dict,
    *,
    samples: int | None = None,
    grid: tuple[int, ...] | None = None,
    seed: int | None = 0,
    method: str = "fire",
    tol: float = 1e-6,
    steps: int = 10_000,
    lr: float = 0.01,
    max_step: float | None = None,
    cluster_tol: float | None = None,
    zero_modes: int = 0,
    progress=None,
) -> BasinMap:
    """Map the basins of ``V`` over ``box`` ({variable: (low, high)}).

    ``max_step`` defaults to 1% of the box diagonal, ``cluster_tol`` to 1e-4
    of it. ``progress(done, total)`` is called as walkers finish.
    """
    if method not in METHODS:
        raise InputError(f"basins runs {', '.join(METHODS)} on many walkers at once, not {method!r}")
    ranges = _check_box(V.variables, box)
    diagonal = math.hypot(*(hi - lo for lo, hi in ranges))
    max_step = 0.01 * diagonal if max_step is None else max_step
    cluster_tol = 1e-4 * diagonal if cluster_tol is None else cluster_tol
    if not (math.isfinite(cluster_tol) and cluster_tol > 0):
        raise InputError(f"the cluster tolerance must be a positive number, got {cluster_tol}")
    starts = starts_in_box(ranges, samples=samples, grid=grid, seed=seed)
    walked = descend_walkers(
        V, starts, method=method, tol=tol, steps=steps, lr=lr, max_step=max_step, progress=progress
    )
    converged = np.flatnonzero(walked.status == "converged")
    groups = cluster_points(walked.x[converged], cluster_tol)
    labels = np.full(len(starts), -1, dtype=np.int64)
    minima: list[Minimum] = []
    total = len(starts)
    found = []
    for group in range(groups.max() + 1 if len(groups) else 0):
        members = converged[groups == group]
        best = members[np.argmin(walked.value[members])]
        point = walked.x[best]
        hessian = V.hessian(point)
        stationary = classify_stationary_point(point, V.grad(point), hessian, zero_modes=zero_modes)
        found.append((float(walked.value[best]), members, point, stationary))
    found.sort(key=lambda item: item[0])
    for index, (value, members, point, stationary) in enumerate(found):
        labels[members] = index
        p = len(members) / total
        minima.append(
            Minimum(
                tuple(map(float, point)),
                value,
                stationary.classification,
                tuple(map(float, stationary.eigenvalues)),
                len(members),
                p,
                math.sqrt(p * (1 - p) / total),
            )
        )
    names, counts = np.unique(walked.status, return_counts=True)
    return BasinMap(
        tuple(V.variables),
        dict(zip(V.variables, ranges)),
        method,
        minima,
        starts,
        labels,
        {str(k): int(c) for k, c in zip(names, counts)},
        walked.evaluations,
        grid=tuple(grid) if grid is not None else None,
        seed=seed if grid is None else None,
    )
