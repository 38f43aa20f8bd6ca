"""Recording an optimiser's path: every point while the run fits the budget,
evenly thinned points past it, and always the last steps whole.

Shared by every optimiser in ``gradcli.optimize``. An optimiser either calls
``recorder.record(step, x, value, grad_norm)`` at every step, or (the fast
loops of a deterministic method such as gradient descent) calls
``recorder.add(...)`` when ``step == recorder.next_step`` (or appends to the
recorder's columns itself and calls ``recorder.thin()`` when they outgrow
``recorder.capacity``) and ``recorder.checkpoint(step, x)`` when
``step & recorder.mask == 0``, having set ``recorder.replay``: the last steps
are then recomputed from a checkpoint at the end instead of being stored at
every step.
``recorder.finish(...)`` adds the last point and returns the ``TrajectoryPoint`` list.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import repeat
from typing import NamedTuple

#: The last steps kept whole (a period-2 oscillation stays visible however long the run).
TAIL = 16
#: Candidate points kept in memory, as a multiple of ``max_record``, so that the final
#: choice is nearly even whatever the run's length.
MEMORY = 8
#: Coordinates kept in memory at most (``MEMORY`` shrinks for many variables).
MEMORY_FLOATS = 2_000_000


class TrajectoryPoint(NamedTuple):
    """One recorded point of an optimiser's path (immutable).

    ``x`` is a tuple of ``n`` floats (one per variable), ``value`` is V(x) and
    ``grad_norm`` the Euclidean norm of grad V(x). A named tuple rather than a
    frozen dataclass: a run returns a thousand of them, and a frozen
    dataclass costs four times as much to make.

    >>> TrajectoryPoint(0, (3.0,), -4.0, 48.0).x
    (3.0,)
    """

    step: int
    x: tuple[float, ...]
    value: float
    grad_norm: float


class TrajectoryRecorder:
    """A bounded record of a run whose length is not known in advance.

    A run of at most ``max_record`` points is kept whole. A longer one keeps
    exactly ``max_record`` points: step 0 and evenly spaced steps after it,
    then the last ``tail`` steps whole (so an oscillation between two points
    stays visible), then the last point. Memory is bounded: the candidates for
    the evenly spaced points are held at a stride that doubles when they
    exceed ``MEMORY * max_record``, and ``finish`` picks ``max_record - tail - 1``
    of them as evenly as they allow (gaps differ by at most that stride).

    >>> r = TrajectoryRecorder(max_record=8, tail=2)
    >>> for step in range(20):
    ...     r.record(step, (float(step),), 0.0, 0.0)
    >>> [p.step for p in r.finish(20, (20.0,), 0.0, 0.0)]
    [0, 4, 8, 13, 17, 18, 19, 20]
    """

    __slots__ = (
        "max_record",
        "stride",
        "next_step",
        "ring",
        "ring_mask",
        "mask",
        "capacity",
        "replay",
        "_checkpoints",
        "steps",
        "values",
        "norms",
        "xs",
        "coordinates",
        "_columns",
    )

    def __init__(self, max_record: int = 1000, n: int = 1, tail: int = TAIL, by_coordinate: bool = False):
        if max_record < 2:
            raise ValueError(f"max_record must be at least 2 (first and last point), got {max_record}")
        self.max_record = max_record
        # The tail is a ring of a power-of-two size, at most a quarter of the budget.
        size = 1
        while size * 2 <= min(tail, max_record // 4):
            size *= 2
        self.mask = size - 1
        # Twice the tail: an optimiser that records its last step too (then passed to ``finish``)
        # must not push the first tail step out.
        self.ring: list = [None] * (2 * size)
        self.ring_mask = 2 * size - 1
        memory = max(2, min(MEMORY, MEMORY_FLOATS // max(1, max_record * n)))
        self.capacity = memory * max_record
        self.stride = 1
        # The next step worth keeping among the evenly spaced points; fast loops compare against it.
        self.next_step = 0
        # The evenly spaced candidates, a column each: steps, values, gradient norms, and the points,
        # as tuples in ``xs`` or, ``by_coordinate``, as one column of floats per coordinate (the fast
        # loops append floats: no tuple a point, and nothing for the cyclic collector to walk).
        self.steps: list[int] = []
        self.values: list[float] = []
        self.norms: list[float] = []
        self.xs: list = []
        self.coordinates: list[list[float]] | None = [[] for _ in range(n)] if by_coordinate else None
        self._columns: list[list] = [self.steps, self.values, self.norms, *(self.coordinates or [self.xs])]
        # replay(step, x, end) -> [(step, x, value, grad_norm), ...] for steps step..end-1, recomputed.
        self.replay = None
        self._checkpoints: list[tuple] = []

    def checkpoint(self, step: int, x) -> None:
        """Remember the point of ``step`` (a multiple of the tail's size) to recompute the last steps from."""
        self._checkpoints = [*self._checkpoints[-1:], (step, x)]

    def wants(self, step: int) -> bool:
        """True when ``step`` is the next step to keep among the evenly spaced points."""
        return step == self.next_step

    def record(self, step: int, x: tuple[float, ...], value: float, grad_norm: float) -> None:
        """Record the point of ``step`` (steps in increasing order): the general path."""
        point = (step, x, value, grad_norm)
        self.ring[step & self.ring_mask] = point
        if step == self.next_step:
            self.add(step, x, value, grad_norm)

    def add(self, step: int, x: tuple[float, ...], value: float, grad_norm: float) -> None:
        """Keep a point among the evenly spaced ones; call only when ``wants(step)``."""
        self.steps.append(step)
        self.values.append(value)
        self.norms.append(grad_norm)
        if self.coordinates is None:
            self.xs.append(x)
        else:
            for column, coordinate in zip(self.coordinates, x):
                column.append(coordinate)
        self.next_step = step + self.stride
        if len(self.steps) > self.capacity:
            self.thin()

    def thin(self) -> int:
        """Halve the kept points once they outnumber ``capacity``, doubling the stride; return
        ``next_step`` (a fast loop that appends to the columns itself calls this)."""
        # Keep steps 0, 2*stride, 4*stride, ...: still evenly spaced.
        for column in self._columns:
            del column[1::2]
        self.stride *= 2
        self.next_step = self.steps[-1] + self.stride
        return self.next_step

    def recent(self) -> list[tuple]:
        """The last recorded steps (up to twice the tail's size) as ``(step, x, value, grad_norm)``, in order."""
        return sorted((p for p in self.ring if p is not None), key=lambda p: p[0])

    def finish(self, step: int, x: tuple[float, ...], value: float, grad_norm: float) -> list[TrajectoryPoint]:
        """Add the final point (``step``) and return the trajectory (at most ``max_record`` points)."""
        if self.replay is not None and self._checkpoints:
            start, x_start = self._checkpoints[0]
            for point in self.replay(start, x_start, step):
                self.ring[point[0] & self.ring_mask] = point
        tail = [p for p in self.recent() if p[0] < step][-(self.mask + 1) :]
        last = (step, x, value, grad_norm)
        # The kept points are in step order: those before the tail (or the last point) are a prefix.
        count = bisect_left(self.steps, tail[0][0] if tail else step)
        chosen: range | list[int] = range(count)
        if count + len(tail) + 1 > self.max_record:
            tail = tail[len(tail) - min(len(tail), self.mask + 1, self.max_record - 2) :]
            room = self.max_record - len(tail) - 1
            if count > room:
                # As evenly spaced as the kept points allow (gaps differ by at most one stride), first kept.
                end = count - 1
                # round(i * end / (room - 1)) for each i, in one pass: the same floats (exact products,
                # one correctly rounded division) and the same ties to even.
                import numpy as np  # here: a one-point command (grad, force) never loads numpy

                picks = np.rint(np.arange(room) * end / (room - 1)) if room > 1 else np.arange(room)
                chosen = picks.astype(np.intp).tolist()
        xs: Iterator
        if self.coordinates is None:
            # x may have been recorded as a list or a numpy array (the scipy methods): tuples of floats here.
            xs = map(_as_tuple, map(self.xs.__getitem__, chosen))
        else:
            xs = zip(*(map(column.__getitem__, chosen) for column in self.coordinates))
        pick = [map(column.__getitem__, chosen) for column in (self.steps, self.values, self.norms)]
        # tuple.__new__ over the zipped columns: TrajectoryPoint._make is a Python call a point.
        head = list(map(tuple.__new__, repeat(TrajectoryPoint), zip(pick[0], xs, pick[1], pick[2])))
        return head + [TrajectoryPoint(s, _as_tuple(p), v, g) for s, p, v, g in (*tail, last)]


def _as_tuple(x) -> tuple[float, ...]:
    if type(x) is tuple:
        return x
    return tuple(x.tolist()) if hasattr(x, "tolist") else tuple(x)
