"""Recording an optimiser's path: every step up to a bound, evenly thinned past it.

Shared by every optimiser in ``gradcli.optimize``: an optimiser calls
``recorder.wants(step)`` (a cheap integer comparison) and, when it says yes,
``recorder.add(step, x, value, grad_norm)``; at the end ``recorder.finish(...)``
adds the last point and returns the list of ``TrajectoryPoint``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrajectoryPoint:
    """One recorded point of an optimiser's path.

    ``x`` is a tuple of ``n`` floats (one per variable), ``value`` is V(x) and
    ``grad_norm`` the Euclidean norm of grad V(x).

    >>> TrajectoryPoint(0, (3.0,), -4.0, 48.0).x
    (3.0,)
    """

    step: int
    x: tuple[float, ...]
    value: float
    grad_norm: float


class TrajectoryRecorder:
    """Streaming decimation with a fixed memory bound.

    Steps 0, stride, 2*stride, ... are kept. When a point would make the
    buffer exceed ``max_record - 1`` points, every other point is dropped and
    the stride doubles, so the kept points stay evenly spaced whatever the run's length
    (which need not be known in advance). The first point (step 0) is never
    dropped, and ``finish`` always appends the last one, so a trajectory holds
    at most ``max_record`` points.

    >>> r = TrajectoryRecorder(max_record=5)
    >>> for step in range(11):
    ...     if r.wants(step):
    ...         r.add(step, (float(step),), 0.0, 0.0)
    >>> [p.step for p in r.finish(10, (10.0,), 0.0, 0.0)]
    [0, 4, 8, 10]
    """

    __slots__ = ("max_record", "stride", "next_step", "_points")

    def __init__(self, max_record: int = 1000):
        if max_record < 2:
            raise ValueError(f"max_record must be at least 2 (first and last point), got {max_record}")
        self.max_record = max_record
        self.stride = 1
        # The next step worth recording; optimisers compare against it directly.
        self.next_step = 0
        self._points: list[tuple] = []

    def wants(self, step: int) -> bool:
        """True when ``step`` is the next step to record."""
        return step == self.next_step

    def add(self, step: int, x: tuple[float, ...], value: float, grad_norm: float) -> None:
        """Record a point; call only when ``wants(step)`` is true."""
        points = self._points
        points.append((step, x, value, grad_norm))
        self.next_step = step + self.stride
        if len(points) >= self.max_record:
            # Keep steps 0, 2*stride, 4*stride, ...: still evenly spaced, one slot left for the last point.
            del points[1::2]
            self.stride *= 2
            self.next_step = points[-1][0] + self.stride

    def finish(self, step: int, x: tuple[float, ...], value: float, grad_norm: float) -> list[TrajectoryPoint]:
        """Append the final point (unless already recorded) and return the trajectory."""
        points = self._points
        if not points or points[-1][0] != step:
            points.append((step, x, value, grad_norm))
        return [TrajectoryPoint(s, tuple(p), v, g) for s, p, v, g in points]
