"""A Program with its two compiled functions and their domain checking.

``Compiled(program, variables)`` compiles lazily:

* ``.scalar(*inputs) -> tuple`` of the outputs, over Python floats; the
  generated code itself calls the diagnosis on a failure, so there is no
  wrapper between the caller and the code (this is the descent loop's path).
* ``.array(points) -> (k, m)`` for points of shape (m, n_inputs), run under
  ``np.errstate(... "raise")`` so no RuntimeWarning or silent NaN escapes.

Either raises ``DomainError`` from ``domain.diagnose``.

Example::

    >>> c = Compiled(grad_program(from_sympy([x**2], ["x"])), ("x",))
    >>> c.scalar(3.0), c.array(np.array([[1.0], [2.0]]))
    ((9.0, 6.0), array([[1., 4.], [2., 4.]]))
"""

from __future__ import annotations

from functools import cached_property
from typing import Sequence

import numpy as np

from . import codegen
from .domain import diagnose
from .program import Program


DIAGNOSE_POINTS = 1024
ARRAY_ELEMENTS = 2**24  # about 128 MiB of float64 intermediates per slice of a batch


class Compiled:
    def __init__(self, program: Program, variables: Sequence[str]):
        self.program = program
        self.variables = tuple(variables)

    def _fail(self, *inputs):
        raise diagnose(self.program, self.variables, np.array([inputs], dtype=np.float64))

    @cached_property
    def scalar(self):
        with codegen.gc_paused():
            return codegen.compile_scalar(self.program, self._fail)

    @cached_property
    def _array_code(self):
        with codegen.gc_paused():
            return codegen.compile_array(self.program)

    def _run(self, points: np.ndarray) -> np.ndarray:
        columns = np.ascontiguousarray(points.T, dtype=np.float64)
        out = np.empty((len(self.program.outputs), points.shape[0]))
        with np.errstate(divide="raise", over="raise", invalid="raise", under="ignore"):
            return self._array_code(out, *columns)

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
