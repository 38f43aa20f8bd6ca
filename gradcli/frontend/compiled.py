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
  escapes. The generated code runs CHUNK points at a time on a workspace of
  registers kept between calls (so no page of it is faulted in again).
* ``.into(columns, out)``: the same into the caller's arrays, coordinates as
  rows (n_inputs, m): the batch path of vectorised optimisers.

Either raises ``DomainError`` from ``domain.diagnose``.

Example::

    >>> import numpy as np, sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> from gradcli.frontend.transforms import grad_program
    >>> c = Compiled(grad_program(from_sympy([sympy.Symbol("x") ** 2], ["x"])), ("x",))
    >>> c.scalar(3.0)                              # x**2 and its gradient
    (9.0, 6.0)
    >>> c.array(np.array([[1.0], [2.0]]))          # two points: (k, m)
    array([[1., 4.],
           [2., 4.]])
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypedDict

from .._lazy import LazyModule
from ..errors import InputError
from . import codegen
from .domain import diagnose
from .program import Program

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)
schedule = LazyModule("gradcli.frontend.schedule", globals(), "schedule")  # for long programs and batches

if TYPE_CHECKING:
    from .schedule import Schedule

DIAGNOSE_POINTS = 1024
ARRAY_ELEMENTS = 2**24  # about 128 MiB of float64 intermediates per slice of a batch
# The generated code runs a batch CHUNK points at a time, so that its registers
# (rows of a workspace of at most WORKSPACE_ELEMENTS floats) stay in the cache.
CHUNK = 2**15
WORKSPACE_ELEMENTS = 2**20
# Compiling costs ~10 us an instruction: beyond this the Schedule answers
# single points instead (the LJ13 Hessian, 21,645 instructions, is compiled).
CODEGEN_MAX = 40_000
# The Schedule beats generated numpy code when its groups are wide.
SCHEDULE_MIN_WIDTH = 8


class ErrState(TypedDict):
    """``np.errstate``'s keywords, as gradcli sets them."""

    divide: Literal["raise"]
    over: Literal["raise"]
    invalid: Literal["raise"]
    under: Literal["ignore"]


ERRSTATE: ErrState = {"divide": "raise", "over": "raise", "invalid": "raise", "under": "ignore"}


class _NonFinite(Exception):
    """An inf or NaN coordinate handed to ``Compiled.into``."""


class Compiled:
    def __init__(self, program: Program, variables: Sequence[str]):
        self.program = program
        self.variables = tuple(variables)
        self._spares: list[np.ndarray] = []  # workspaces of the generated array code

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
    def _array_code(self) -> codegen.ArrayCode | None:
        """The generated numpy code, or None when the Schedule runs batches."""
        if len(self.program) >= SCHEDULE_MIN_WIDTH * len(self.schedule):
            return None
        with codegen.gc_paused():
            return codegen.compile_array(self.program)

    def _width(self, registers: int) -> int:
        """Points per call of the generated code: its registers stay in the cache."""
        return min(CHUNK, max(64, min(ARRAY_ELEMENTS, WORKSPACE_ELEMENTS) // max(1, registers)))

    def _fill(self, columns: np.ndarray, out: np.ndarray, checked: bool = False) -> np.ndarray:
        """out (k, m) <- the outputs at columns (n_inputs, m), chunk by chunk;
        raises FloatingPointError on a domain problem and, if ``checked``,
        _NonFinite on an inf or NaN coordinate (checked chunk by chunk while
        the chunk is in the cache: NaN raises no floating-point flag)."""
        m = out.shape[1]
        code = self._array_code
        with np.errstate(**ERRSTATE):
            if code is None:
                # Every instruction's value is an array of the slice's length, so a
                # long program over a huge batch runs in slices of bounded memory.
                size = max(64, ARRAY_ELEMENTS // max(1, len(self.program)))
                for s in range(0, m, size):
                    out[:, s : s + size] = self.schedule.run(np.ascontiguousarray(columns[:, s : s + size]))
                return out
            width = self._width(code.registers)
            # A workspace is taken from the spares and given back, so that threads
            # sharing this object never share buffers.
            work = self._spares.pop() if self._spares else None
            if work is None or work.shape[1] != width:
                work = np.empty((code.registers, width))
            finite = np.empty((columns.shape[0], width), dtype=bool) if checked else None
            try:
                for s in range(0, m, width):
                    e = min(m, s + width)
                    chunk = columns[:, s:e]
                    code.function(out[:, s:e], work if e - s == width else work[:, : e - s], *chunk)
                    if finite is not None and not np.isfinite(chunk, out=finite[:, : e - s]).all():
                        raise _NonFinite
            finally:
                self._spares.append(work)
        return out

    def array(self, points: np.ndarray) -> np.ndarray:
        """Outputs for points of shape (m, n_inputs) -> array (k, m)."""
        out = np.empty((len(self.program.outputs), len(points)))
        try:
            return self._fill(points.T, out)
        except FloatingPointError as error:
            raise diagnose(self.program, self.variables, self._narrow(points), cause=error) from None

    def into(self, columns: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Fill ``out`` (k, m) with the outputs at ``columns`` (n_inputs, m):
        row i of columns holds input i of m points (any strides, e.g. the
        transpose of an (m, n) array), and nothing is copied or allocated per
        point. For optimisers that keep their walkers in their own arrays.
        Non-finite coordinates are an InputError, a domain problem a DomainError.

        >>> import numpy as np, sympy
        >>> from gradcli.frontend.program import from_sympy
        >>> from gradcli.frontend.transforms import grad_program
        >>> c = Compiled(grad_program(from_sympy([sympy.Symbol("x") ** 2], ["x"])), ("x",))
        >>> c.into(np.array([[1.0, 2.0]]), np.empty((2, 2)))   # x**2 and its gradient
        array([[1., 4.],
               [2., 4.]])
        """
        n, k = self.program.n_inputs, len(self.program.outputs)
        for name, a, rows in (("columns", columns, n), ("out", out, k)):
            if not isinstance(a, np.ndarray) or a.dtype != np.float64 or a.ndim != 2 or a.shape[0] != rows:
                shape = getattr(a, "shape", None)
                raise InputError(
                    f"{name} must be a float64 array of shape ({rows}, m), got "
                    f"{type(a).__name__}{'' if shape is None else f' of shape {shape}'}"
                )
        if columns.shape[1] != out.shape[1]:
            raise InputError(
                f"columns and out must hold the same number of points, got {columns.shape[1]} and {out.shape[1]}"
            )
        if not out.flags.writeable:
            raise InputError("out must be writeable")
        try:
            return self._fill(columns, out, checked=True)
        except (_NonFinite, FloatingPointError) as error:
            finite = np.isfinite(columns).all(axis=0)
            if not finite.all():
                i = int(np.argmin(finite))
                raise InputError(
                    f"coordinates must be finite numbers, got {columns[:, i].tolist()} for point {i}"
                ) from None
            raise diagnose(self.program, self.variables, self._narrow(columns.T), cause=error) from None

    def _narrow(self, points: np.ndarray) -> np.ndarray:
        """A slice of at most DIAGNOSE_POINTS points holding the first failing
        one, found by halving with the fast code: the slow diagnosis then
        never sees a million points."""
        while len(points) > DIAGNOSE_POINTS:
            half = points[: len(points) // 2]
            try:
                self._fill(half.T, np.empty((len(self.program.outputs), len(half))))
            except FloatingPointError:
                points = half
            else:
                points = points[len(points) // 2 :]
        return points
