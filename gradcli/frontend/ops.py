"""The compiler's primitive operations: one row per opcode.

Every interpretation of a primitive lives in a table keyed by its name (like
JAX's Autodidax): here its arity and its scalar (``math``) and array (numpy)
implementations; the derivative rules are in ``transforms.py``, the domain
messages in ``domain.py``, the engine operations in ``potential.py``.

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

# Opcodes with an infix Python operator; codegen writes these as `a + b` etc.
INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/"}

UNARY = (
    "neg", "exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh",
    "asin", "acos", "atan", "asinh", "acosh", "atanh", "abs", "sign", "sigmoid",
)
BINARY = ("add", "sub", "mul", "div", "pow", "atan2")
ARITY = {**{op: 1 for op in UNARY}, **{op: 2 for op in BINARY}, "input": 0, "const": 0}


def _sign_scalar(x: float) -> float:
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)


def _sigmoid_scalar(x: float) -> float:
    # Two branches so that neither exp can overflow: sigmoid(-1000) is 0, not an error.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


SCALAR = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
    "neg": operator.neg, "pow": math.pow, "atan2": math.atan2,
    "exp": math.exp, "log": math.log, "sqrt": math.sqrt,
    "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "asin": math.asin, "acos": math.acos, "atan": math.atan,
    "asinh": math.asinh, "acosh": math.acosh, "atanh": math.atanh,
    "abs": math.fabs, "sign": _sign_scalar, "sigmoid": _sigmoid_scalar,
}

assert set(SCALAR) == set(UNARY) | set(BINARY)


def _array_table() -> dict:
    """The array implementations (numpy), built by the first ``ops.ARRAY``."""
    import numpy as np

    def _sigmoid_array(x):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))

    table = {
        "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
        "neg": np.negative, "pow": np.power, "atan2": np.arctan2,
        "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
        "sin": np.sin, "cos": np.cos, "tan": np.tan,
        "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
        "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
        "asinh": np.arcsinh, "acosh": np.arccosh, "atanh": np.arctanh,
        "abs": np.abs, "sign": np.sign, "sigmoid": _sigmoid_array,
    }
    assert set(table) == set(SCALAR)
    return table


def __getattr__(name: str):
    # PEP 562: ``ARRAY`` (and ``from .ops import ARRAY``) builds the table
    # once and keeps it as an ordinary module global.
    if name == "ARRAY":
        global ARRAY
        ARRAY = _array_table()
        return ARRAY
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fold(op: str, values: tuple[float, ...]) -> float | None:
    """Evaluate ``op`` on constants at build time; None when the result would
    not be a finite float (left for run time, where it is diagnosed)."""
    try:
        result = SCALAR[op](*values)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    result = float(result)
    return result if math.isfinite(result) else None
