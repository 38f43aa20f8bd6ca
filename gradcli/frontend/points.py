"""Checking the points, vectors and numbers handed to Potential / VectorFunction.

Every public method accepts one point, shape (n,) (a bare number when n is 1),
or a batch of points, shape (m, n); anything else is an ``InputError`` whose
message names the variables::

    >>> as_points([1, 2, 3], ("x", "y"))
    Traceback (most recent call last):
    gradcli.errors.InputError: expected 2 coordinates (x, y), got 3

Coordinates, vector components and parameter values are real numbers: ints,
floats and numpy's integer and float types. Booleans, strings (even "1"),
complex numbers (even with a zero imaginary part) and masked arrays are
refused rather than converted, since numpy would turn them into a number
silently (``True`` into 1, ``1+1j`` into 1 with only a warning).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import InputError

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _refused_type(kind: type) -> str | None:
    """What a value of type ``kind`` is, if it is number-like but not a real number."""
    if issubclass(kind, bool) or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")):
        return "a boolean"
    if issubclass(kind, (str, bytes)):
        return "a string"
    if issubclass(kind, numbers.Complex) and not issubclass(kind, numbers.Real):
        return "a complex number"
    return None


def _not_real(value) -> str | None:
    """What ``value`` is if it is number-like but not a real number, else None."""
    refused = _refused_type(type(value))
    return f"{refused} ({_short(value)})" if refused else None


def real_number(value, what: str) -> float:
    """``value`` as a finite float; booleans, strings, complex numbers and
    values beyond the float range are an ``InputError`` naming ``what``.
    (numpy is not imported: the descent path binds parameters without it.)

    >>> real_number(2, "parameter k")
    2.0
    >>> real_number(True, "parameter k")
    Traceback (most recent call last):
    gradcli.errors.InputError: parameter k must be a real number, got a boolean (True)
    """
    refused = _not_real(value)
    if refused:
        raise InputError(f"{what} must be a real number, got {refused}")
    try:
        number = float(value)
    except OverflowError:
        raise InputError(f"{what} is too large for a 64-bit float (beyond 1.8e308)") from None
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a real number, got {_short(value)}") from None
    if not math.isfinite(number):
        raise InputError(f"{what} must be a finite number, got {number}")
    return number


def _short(value) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        return f"a {type(value).__name__}"
    return text if len(text) <= 40 else text[:37] + "..."


def _first_refused(x) -> str | None:
    """What the first element that is not a real number (inside nested lists
    and tuples, or an array of the wrong kind) is, else None. Lists are
    checked by the set of their element types (a C loop, not a Python one)."""
    todo = [x]
    while todo:
        item = todo.pop()
        if isinstance(item, (list, tuple)):
            for kind in set(map(type, item)):
                if issubclass(kind, (list, tuple, np.ndarray)):
                    todo.extend(v for v in item if type(v) is kind)
                elif _refused_type(kind):
                    return _not_real(next(v for v in item if type(v) is kind))
        elif np.ma.isMaskedArray(item):
            return "a masked array (fill it first: x.filled(value))"
        elif isinstance(item, np.ndarray):
            kind = item.dtype.kind
            if kind == "O":
                todo.append(item.ravel().tolist())
            elif kind not in "iuf":
                return {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "strings"}.get(
                    kind, f"an array of dtype {item.dtype}"
                )
        else:
            refused = _not_real(item)
            if refused:
                return refused
    return None


def _array(x, what: str) -> np.ndarray:
    refused = _first_refused(x)
    if refused:
        raise InputError(f"{what} must be real numbers, got {refused}")
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{what} must be real numbers, got {_short(x)}") from None
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{what} must be finite numbers, got {np.asarray(x)!s:.80}")
    return arr


def as_points(x, variables: Sequence[str]) -> tuple[np.ndarray, bool]:
    """(points of shape (m, n), True if x was a single point)."""
    n = len(variables)
    names = f" ({', '.join(variables)})" if variables else ""
    arr = _array(x, "coordinates")
    if arr.ndim == 0:
        if n != 1:
            raise InputError(f"expected {_count(n, 'coordinate')}{names}, got 1")
        return arr.reshape(1, 1), True
    if arr.ndim == 1:
        if arr.shape[0] != n:
            raise InputError(f"expected {_count(n, 'coordinate')}{names}, got {arr.shape[0]}")
        return arr.reshape(1, n), True
    if arr.ndim == 2:
        if arr.shape[1] != n:
            raise InputError(
                f"expected points with {_count(n, 'coordinate')}{names}: an array of "
                f"shape ({n},) or (m, {n}), got shape {arr.shape}"
            )
        return arr, False
    raise InputError(f"expected one point of shape ({n},) or a batch of shape (m, {n}), got shape {arr.shape}")


def as_vectors(v, size: int, m: int, single: bool, name: str) -> np.ndarray:
    """A vector of ``size`` components (shape (size,)) or one per point
    (shape (m, size), batches only), as shape (m, size)."""
    arr = _array(v, f"the vector {name}")
    if arr.ndim == 0 and size == 1:
        arr = arr.reshape(1)
    if arr.ndim == 1:
        if arr.shape[0] != size:
            raise InputError(f"expected a vector {name} of {_count(size, 'component')}, got {arr.shape[0]}")
        return np.broadcast_to(arr, (m, size))
    if arr.ndim == 2 and not single and arr.shape == (m, size):
        return arr
    raise InputError(
        f"expected a vector {name} of shape ({size},)"
        + ("" if single else f" or ({m}, {size})")
        + f", got shape {arr.shape}"
    )
