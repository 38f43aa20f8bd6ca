"""A Program with its fast evaluators and their domain checking.

``Compiled(program, variables)`` prepares lazily:

* ``.scalar(*inputs) -> tuple`` of the outputs, over Python floats: the
  generated straight-line code (``codegen``), which itself calls the
  diagnosis on a failure, so nothing stands between the caller and the code
  (this is the descent loop's path). Programs too long to compile quickly
  (over ``CODEGEN_MAX`` instructions) run on the ``Schedule`` instead.
* ``.array(points) -> (k, m)`` for points of shape (m, n_inputs): the
  generated numpy code, or the ``Schedule`` (numpy batched across
  instructions) when grouping pays, i.e. many instructions per group; run
  under ``np.errstate(... "raise")`` so no RuntimeWarning or silent NaN
  escapes.

Either raises ``DomainError`` from ``domain.diagnose``.

Example::

    >>> c = Compiled(grad_program(from_sympy([x**2], ["x"])), ("x",))
    >>> c.scalar(3.0), c.array(np.array([[1.0], [2.0]]))
    ((9.0, 6.0), array([[1., 4.], [2., 4.]]))
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from . import codegen
from .domain import diagnose
from .program import Program

np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)
schedule = LazyModule("gradcli.frontend.schedule", globals(), "schedule")  # for long programs and batches

if TYPE_CHECKING:
    from .schedule import Schedule

DIAGNOSE_POINTS = 1024
ARRAY_ELEMENTS = 2**24  # about 128 MiB of float64 intermediates per slice of a batch
# Compiling costs ~10 us an instruction: beyond this the Schedule answers
# single points instead (the LJ13 Hessian, 21,645 instructions, is compiled).
CODEGEN_MAX = 40_000
# The Schedule beats generated numpy code when its groups are wide.
SCHEDULE_MIN_WIDTH = 8
ERRSTATE = {"divide": "raise", "over": "raise", "invalid": "raise", "under": "ignore"}


class Compiled:
    def __init__(self, program: Program, variables: Sequence[str]):
        self.program = program
        self.variables = tuple(variables)

    def _fail(self, *inputs):
        raise diagnose(self.program, self.variables, np.array([inputs], dtype=np.float64))

    @cached_property
    def schedule(self) -> Schedule:
        return schedule.Schedule(self.program)

    @cached_property
    def scalar(self):
        if len(self.program) > CODEGEN_MAX:
            return self._scalar_on_schedule
        with codegen.gc_paused():
            return codegen.compile_scalar(self.program, self._fail)

    def _scalar_on_schedule(self, *inputs) -> tuple:
        with np.errstate(**ERRSTATE):
            try:
                out = self.schedule.run(np.array(inputs, dtype=np.float64)[:, None])
            except FloatingPointError:
                self._fail(*inputs)
        return tuple(out[:, 0].tolist())

    @cached_property
    def _array_code(self):
        if len(self.program) >= SCHEDULE_MIN_WIDTH * len(self.schedule):
            return lambda columns: self.schedule.run(columns)
        with codegen.gc_paused():
            f = codegen.compile_array(self.program)
        k = len(self.program.outputs)
        return lambda columns: f(np.empty((k, columns.shape[1])), *columns)

    def _run(self, points: np.ndarray) -> np.ndarray:
        columns = np.ascontiguousarray(points.T, dtype=np.float64)
        with np.errstate(**ERRSTATE):
            return self._array_code(columns)

    def array(self, points: np.ndarray) -> np.ndarray:
        """Outputs for points of shape (m, n_inputs) -> array (k, m)."""
        # Every instruction's value is an array of the batch's length, so a
        # long program over a huge batch runs in slices of bounded memory.
        size = max(64, ARRAY_ELEMENTS // max(1, len(self.program)))
        try:
            if len(points) <= size:
                return self._run(points)
            return np.concatenate([self._run(points[i:i + size]) for i in range(0, len(points), size)],
                                  axis=1)
        except FloatingPointError as error:
            raise diagnose(self.program, self.variables, self._narrow(points), cause=error) from None

    def _narrow(self, points: np.ndarray) -> np.ndarray:
        """A slice of at most DIAGNOSE_POINTS points holding the first failing
        one, found by halving with the fast code: the slow diagnosis then
        never sees a million points."""
        while len(points) > DIAGNOSE_POINTS:
            half = points[: len(points) // 2]
            try:
                self._run(half)
            except FloatingPointError:
                points = half
            else:
                points = points[len(points) // 2:]
        return points
