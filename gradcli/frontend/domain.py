"""Diagnosing a failed evaluation: which operation left its domain, and where.

The compiled functions only notice *that* something went wrong (an exception
from ``math``, a numpy floating-point flag, an infinite output). Then this
slow checking interpreter re-runs the Program over the offending points with
numpy, instruction by instruction, finds the first instruction whose
arguments are finite but whose result is not, and words a ``DomainError``
from the operation and its arguments::

    log of a negative number (-2) at x=-2
    division by zero at x=0, y=1
    overflow in exp at x=1000

Example::

    >>> import numpy as np, sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> program = from_sympy([sympy.log(sympy.Symbol("x"))], ["x"])
    >>> raise diagnose(program, ("x",), np.array([[-2.0]]))
    Traceback (most recent call last):
        ...
    gradcli.errors.DomainError: log of a negative number (-2) at x=-2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import DomainError
from . import ops
from .functions import PRIMITIVES, fmt
from .program import Program, input_position

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

__all__ = ["describe", "diagnose", "find_failure", "fmt", "format_point"]


def format_point(variables: Sequence[str], point: Sequence[float]) -> str:
    """'x=0, y=1'"""
    return ", ".join(f"{name}={fmt(value)}" for name, value in zip(variables, point))


def describe(op: str, args: Sequence[float]) -> str:
    """What went wrong when ``op`` on finite ``args`` gave inf or NaN (the
    primitive's domain description in ``functions.PRIMITIVES``)."""
    return PRIMITIVES[op].describe(args)


def find_failure(program: Program, inputs: np.ndarray):
    """Evaluate ``program`` over ``inputs`` (shape (m, n_inputs)) and return
    (instruction index, point index, argument values) of the first failure,
    or None when every value is finite. A value is dropped after its last
    use, so memory follows the program's live values, not its length."""
    inputs = np.asarray(inputs, dtype=np.float64)
    last_use = list(range(len(program.instrs)))
    for i, ins in enumerate(program.instrs):
        for a in ins.args:
            last_use[a] = i
    values: list = [None] * len(program.instrs)
    with np.errstate(all="ignore"):
        for i, ins in enumerate(program.instrs):
            if ins.op == "const":
                values[i] = np.full(len(inputs), ins.attr)
                continue
            if ins.op == "input":
                args = []
                value = inputs[:, input_position(ins)]
                bad = ~np.isfinite(value)
            else:
                args = [values[a] for a in ins.args]
                value = np.asarray(ops.ARRAY[ins.op](*args), dtype=np.float64)
                bad = ~np.isfinite(value)
                for arg in args:
                    bad &= np.isfinite(arg)
            if bad.any():
                k = int(np.argmax(bad))
                return i, k, [float(arg[k]) for arg in args]
            values[i] = value
            for a in ins.args:
                if last_use[a] == i:
                    values[a] = None
    return None


def diagnose(program: Program, variables: Sequence[str], inputs, cause: BaseException | None = None) -> DomainError:
    """The DomainError for a failed evaluation of ``program`` at ``inputs``
    (shape (m, n_inputs), or one point (n_inputs,)); the first
    ``len(variables)`` inputs are the coordinates shown in the message."""
    inputs = np.atleast_2d(np.asarray(inputs, dtype=np.float64))
    found = find_failure(program, inputs)
    if found is None:
        where = format_point(variables, inputs[0])
        detail = f" ({cause})" if cause is not None else ""
        return _error(f"the computation failed at {where}{detail}", "unknown", None, inputs[0], variables)
    i, k, args = found
    where = format_point(variables, inputs[k])
    ins = program.instrs[i]
    if ins.op == "input":
        name = program.names[ins.attr]
        return _error(
            f"non-finite input {name}={fmt(inputs[k, ins.attr])}", "non-finite-input", None, inputs[k], variables
        )
    what = describe(ins.op, args)
    reason = (
        "overflow"
        if what.startswith("overflow")
        else "division-by-zero"
        if what.startswith(("division", "zero raised"))
        else "domain"
    )
    if i >= program.primal_size and not PRIMITIVES[ins.op].derivative_only:
        what += " in the derivative"
    return _error(f"{what} at {where}", reason, ins.op, inputs[k], variables)


def _error(message, reason, operation, point, variables) -> DomainError:
    """A DomainError with machine-readable details beside the message:
    ``reason`` ("overflow", "division-by-zero", "domain", "non-finite-input",
    "unknown"), ``operation`` (the opcode, e.g. "log") and ``point`` (the
    coordinates, a tuple of floats)."""
    error = DomainError(message)
    error.reason = reason
    error.operation = operation
    error.point = tuple(float(c) for c in point[: len(variables)])
    return error
