"""What kind of point a gradient and Hessian describe: minimum, maximum,
saddle (with its index), degenerate, or not stationary at all.

Both tolerances are relative, so they depend on neither the units of V nor
those of x:

- an eigenvalue counts as zero when |λ| <= EIG_RTOL * max|λ|;
- the point counts as stationary when the Newton step to the nearest
  stationary point, |H⁺ g| (zero eigenvalues left out), is at most
  STEP_RTOL * max(1, max|x_i|), and the gradient along the zero-curvature
  directions is no larger than that step times max|λ|. So a stationary point
  quoted to 4 significant figures is recognised (the Müller-Brown saddle at
  x=-0.8220, y=0.6243), while x=3 on 0.5*k*x**2 (Newton step 3) is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradcli.errors import ComputationError

STEP_RTOL = 1e-4
EIG_RTOL = 1e-8


@dataclass(frozen=True)
class StationaryPoint:
    """``eigenvalues`` ascending (n,); ``classification`` one of ``minimum``,
    ``maximum``, ``saddle``, ``degenerate``, ``not-stationary``;
    ``saddle_index`` the number of negative eigenvalues (the saddle's index when
    the point is stationary); ``newton_step`` the length |H⁺ g| of the step to
    the nearest stationary point and ``step_tolerance`` the bound it was held to."""

    eigenvalues: tuple[float, ...]
    classification: str
    saddle_index: int
    newton_step: float
    step_tolerance: float


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
    # Symmetrise against round-off so eigh sees exactly what it assumes.
    eigenvalues, vectors = np.linalg.eigh(0.5 * (hessian + hessian.T))
    scale = float(np.max(np.abs(eigenvalues))) if n else 0.0
    zero = EIG_RTOL * scale
    curved = np.abs(eigenvalues) > zero
    negative = int(np.sum(eigenvalues < -zero))
    positive = int(np.sum(eigenvalues > zero))

    along = vectors.T @ gradient  # the gradient in the eigenbasis
    newton_step = float(np.linalg.norm(along[curved] / eigenvalues[curved]))
    flat_gradient = float(np.linalg.norm(along[~curved]))
    step_tolerance = STEP_RTOL * max(1.0, float(np.max(np.abs(x))) if n else 1.0)
    stationary = newton_step <= step_tolerance and flat_gradient <= step_tolerance * scale
    if not stationary:
        kind = "not-stationary"
    elif negative + positive < n:
        kind = "degenerate"
    elif negative == 0:
        kind = "minimum"
    elif positive == 0:
        kind = "maximum"
    else:
        kind = "saddle"
    return StationaryPoint(tuple(float(e) for e in eigenvalues), kind, negative, newton_step, step_tolerance)
