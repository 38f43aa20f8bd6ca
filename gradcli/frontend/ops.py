"""The compiler's primitive operations: one row per opcode.

Every interpretation of a primitive lives in a table keyed by its name (like
JAX's Autodidax; the list of primitives is ``functions.PRIMITIVES``): here
the scalar (``math``) and array (numpy) implementations; the derivative rules
are in ``transforms.py``, the Taylor rules in ``taylor.py``, the engine
operations in ``engine_graph.py``, the domain messages in ``functions.py``.

The scalar implementations raise on domain problems (``math.log(-1.0)`` raises
``ValueError``, ``math.exp(1000.0)`` raises ``OverflowError``); the array ones
set numpy's floating-point flags, which the callers turn into exceptions with
``np.errstate``. Either way a failure is diagnosed afterwards by
``domain.diagnose``. ``ARRAY`` is built on first use, so that importing the
compiler does not import numpy (``gradcli descend`` runs the scalar code only).

Example::

    >>> SCALAR["log"](2.0) == math.log(2.0)
    True
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from .. import _lazy
from . import functions

np = _lazy.LazyModule("numpy", globals(), "np")
special = _lazy.LazyModule("scipy.special", globals(), "special")

# Opcodes with an infix Python operator; codegen writes these as `a + b` etc.
INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/"}

ARITY = functions.ARITY  # opcode -> number of arguments, from the registry


def _sign_scalar(x: float) -> float:
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)


def _sigmoid_scalar(x: float) -> float:
    # Two branches so that neither exp can overflow: sigmoid(-1000) is 0, not an error.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _dabs_scalar(x: float) -> float:
    # The slope of abs: a ValueError at the kink, diagnosed as "not defined".
    if x == 0.0:
        raise ValueError("abs at its kink")
    return math.copysign(1.0, x)


def _dsign_scalar(x: float) -> float:
    if x == 0.0:
        raise ValueError("sign at its jump")
    return 0.0


# opcode -> its float function (of ARITY[op] floats)
SCALAR: dict[str, Callable[..., float]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "neg": operator.neg,
    "pow": math.pow,
    "atan2": math.atan2,
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "asinh": math.asinh,
    "acosh": math.acosh,
    "atanh": math.atanh,
    "abs": math.fabs,
    "sign": _sign_scalar,
    "sigmoid": _sigmoid_scalar,
    "cbrt": math.cbrt,
    "erf": math.erf,
    "erfc": math.erfc,
    "dabs": _dabs_scalar,
    "dsign": _dsign_scalar,
}


def _array_table() -> dict:
    """The array implementations (numpy), built by the first ``ops.ARRAY``."""

    def _sigmoid_array(x):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))

    def _dabs_array(x):
        return np.sign(x) / (x != 0.0)  # 0/0 at the kink: NaN and the "invalid" flag

    def _dsign_array(x):
        return 0.0 / (x != 0.0)

    def _erf_array(x):
        return special.erf(x)  # scipy only when an expression has erf

    def _erfc_array(x):
        return special.erfc(x)

    table = {
        "add": np.add,
        "sub": np.subtract,
        "mul": np.multiply,
        "div": np.divide,
        "neg": np.negative,
        "pow": np.power,
        "atan2": np.arctan2,
        "exp": np.exp,
        "log": np.log,
        "sqrt": np.sqrt,
        "sin": np.sin,
        "cos": np.cos,
        "tan": np.tan,
        "sinh": np.sinh,
        "cosh": np.cosh,
        "tanh": np.tanh,
        "asin": np.arcsin,
        "acos": np.arccos,
        "atan": np.arctan,
        "asinh": np.arcsinh,
        "acosh": np.arccosh,
        "atanh": np.arctanh,
        "abs": np.abs,
        "sign": np.sign,
        "sigmoid": _sigmoid_array,
        "cbrt": np.cbrt,
        "erf": _erf_array,
        "erfc": _erfc_array,
        "dabs": _dabs_array,
        "dsign": _dsign_array,
    }
    return table


# ``ops.ARRAY`` (and ``from .ops import ARRAY``) builds the table once, on first use.
__getattr__, __dir__ = _lazy.exports(globals(), {"ARRAY": _array_table})


def fold(op: str, values: tuple[float, ...]) -> float | None:
    """Evaluate ``op`` on constants at build time; None when the result would
    not be a finite float (left for run time, where it is diagnosed)."""
    try:
        result = SCALAR[op](*values)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    result = float(result)
    return result if math.isfinite(result) else None
