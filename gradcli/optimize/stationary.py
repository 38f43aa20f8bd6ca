"""What kind of point a gradient and Hessian describe: minimum, maximum,
saddle (with its index), degenerate, or not stationary at all.

Tolerances (both relative, so they do not depend on the potential's units):

- the point is stationary when
  |grad V| <= GRAD_RTOL * max(‖H‖₂ * max(1, ‖x‖∞), tiny),
  i.e. the gradient is no larger than what a relative error of 1e-6 in the
  coordinates would produce through the curvature;
- an eigenvalue counts as zero when |λ| <= EIG_RTOL * max|λ|.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradcli.errors import ComputationError

GRAD_RTOL = 1e-6
EIG_RTOL = 1e-8
# Floor for the gradient tolerance when the Hessian vanishes (a flat point).
GRAD_ATOL = 1e-12


@dataclass(frozen=True)
class StationaryPoint:
    """``eigenvalues`` ascending (n,); ``classification`` one of ``minimum``,
    ``maximum``, ``saddle``, ``degenerate``, ``not-stationary``;
    ``saddle_index`` the number of negative eigenvalues (the saddle's index when
    the point is stationary); ``grad_tolerance`` the |grad V| bound used."""

    eigenvalues: tuple[float, ...]
    classification: str
    saddle_index: int
    grad_tolerance: float


def classify_stationary_point(x, gradient, hessian) -> StationaryPoint:
    """Classify the point ``x`` (n,) from ``gradient`` (n,) and ``hessian`` (n, n).

    >>> classify_stationary_point([0.0, 0.0], [0.0, 0.0], [[2.0, 0.0], [0.0, -1.0]]).classification
    'saddle'
    >>> classify_stationary_point([3.0], [6.0], [[2.0]]).classification
    'not-stationary'
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    gradient = np.asarray(gradient, dtype=np.float64).reshape(-1)
    hessian = np.asarray(hessian, dtype=np.float64)
    n = gradient.shape[0]
    if hessian.shape != (n, n):
        raise ValueError(f"the Hessian must be ({n}, {n}), got {hessian.shape}")
    if not (np.all(np.isfinite(hessian)) and np.all(np.isfinite(gradient))):
        raise ComputationError("the gradient or Hessian has non-finite entries (inf or NaN) at this point")
    # Symmetrise against round-off so eigvalsh sees exactly what it assumes.
    eigenvalues = np.linalg.eigvalsh(0.5 * (hessian + hessian.T))
    scale = float(np.max(np.abs(eigenvalues))) if n else 0.0
    zero = EIG_RTOL * scale
    negative = int(np.sum(eigenvalues < -zero))
    positive = int(np.sum(eigenvalues > zero))
    x_scale = max(1.0, float(np.max(np.abs(x)))) if n else 1.0
    grad_tolerance = max(GRAD_RTOL * scale * x_scale, GRAD_ATOL)
    if float(np.linalg.norm(gradient)) > grad_tolerance:
        kind = "not-stationary"
    elif negative + positive < n:
        kind = "degenerate"
    elif negative == 0:
        kind = "minimum"
    elif positive == 0:
        kind = "maximum"
    else:
        kind = "saddle"
    return StationaryPoint(tuple(float(e) for e in eigenvalues), kind, negative, grad_tolerance)
