"""Checking the points and vectors handed to Potential / VectorFunction.

Every public method accepts one point, shape (n,) (a bare number when n is 1),
or a batch of points, shape (m, n); anything else is an ``InputError`` whose
message names the variables::

    >>> as_points([1, 2, 3], ("x", "y"))
    gradcli.errors.InputError: expected 2 coordinates (x, y), got 3
"""

from __future__ import annotations

from typing import Sequence

from .._lazy import LazyModule
from ..errors import InputError

np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _array(x, what: str) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{what} must be numbers, got {x!r:.80}") from None
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
            raise InputError(f"expected points with {_count(n, 'coordinate')}{names}: an array of "
                             f"shape ({n},) or (m, {n}), got shape {arr.shape}")
        return arr, False
    raise InputError(f"expected one point of shape ({n},) or a batch of shape (m, {n}), "
                     f"got shape {arr.shape}")


def as_vectors(v, size: int, m: int, single: bool, name: str) -> np.ndarray:
    """A vector of ``size`` components (shape (size,)) or one per point
    (shape (m, size), batches only), as shape (m, size)."""
    arr = _array(v, f"the vector {name}")
    if arr.ndim == 0 and size == 1:
        arr = arr.reshape(1)
    if arr.ndim == 1:
        if arr.shape[0] != size:
            raise InputError(f"expected a vector {name} of {_count(size, 'component')}, "
                             f"got {arr.shape[0]}")
        return np.broadcast_to(arr, (m, size))
    if arr.ndim == 2 and not single and arr.shape == (m, size):
        return arr
    raise InputError(f"expected a vector {name} of shape ({size},)"
                     + ("" if single else f" or ({m}, {size})") + f", got shape {arr.shape}")
