"""What kind of point a gradient and Hessian describe: minimum, maximum,
saddle (with its index), degenerate, or not stationary at all, with the
zero modes of a continuous symmetry set aside.

All tolerances are relative, so they depend on neither the units of V nor
those of x:

- an eigenvalue counts as zero when |λ| <= EIG_RTOL * max|λ|;
- the point counts as stationary when the Newton step to the nearest
  stationary point, |H⁺ g| (zero eigenvalues and zero modes left out), is at
  most STEP_RTOL * max(1, max|x_i|), and the gradient along the
  zero-curvature directions is no larger than that step times max|λ|. So a
  stationary point quoted to 4 significant figures is recognised (the
  Müller-Brown saddle at x=-0.8220, y=0.6243), while x=3 on 0.5*k*x**2
  (Newton step 3) is not.

Zero modes: a potential with a continuous symmetry has Hessian eigenvalues
that are zero at every stationary point whatever its kind: the 3 translations
and 3 rotations of a cluster of atoms (5 for a linear one such as a dimer),
the direction along a ring of minima. ``zero_modes = N`` sets aside the N
eigenvalues closest to zero before classifying, so the Lennard-Jones
icosahedron is a ``minimum``, not ``degenerate``. Only eigenvalues that are
zero to ZERO_MODE_RTOL * max|λ| are set aside: this is looser than EIG_RTOL
because at a point that is stationary only to the Newton-step tolerance a
rotation's eigenvalue is of order |grad V| / size (1e-5 relative for
coordinates quoted to 4 figures), and it keeps a wrong N from hiding a real
curvature (an eigenvalue of -1 set aside would turn a saddle into a minimum):
such an eigenvalue is kept in the classification and counted as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradcli._lazy import LazyModule
from gradcli.errors import ComputationError

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

STEP_RTOL = 1e-4
EIG_RTOL = 1e-8
ZERO_MODE_RTOL = 1e-3


@dataclass(frozen=True)
class StationaryPoint:
    """``eigenvalues`` ascending (n,), all of them; ``classification`` one of
    ``minimum``, ``maximum``, ``saddle``, ``degenerate``, ``not-stationary``;
    ``saddle_index`` the number of negative eigenvalues (zero modes not
    counted; the saddle's index when the point is stationary);
    ``newton_step`` the length |H⁺ g| of the step to the nearest stationary
    point, or None when there is none (the gradient has a component along a
    direction of zero curvature: on ``-v`` the Hessian is 0 and the slope 1),
    and ``step_tolerance`` the bound it was held to; ``zero_modes`` the
    number of symmetry zero modes asked for, ``zero_mode_eigenvalues`` the
    eigenvalues set aside for them (ascending; fewer than ``zero_modes`` when
    some of the closest to zero are not zero, see ``missing_zero_modes``)."""

    eigenvalues: tuple[float, ...]
    classification: str
    saddle_index: int
    newton_step: float | None
    step_tolerance: float
    zero_modes: int = 0
    zero_mode_eigenvalues: tuple[float, ...] = ()

    @property
    def missing_zero_modes(self) -> int:
        """How many of the ``zero_modes`` asked for were not found (0 when all were)."""
        return self.zero_modes - len(self.zero_mode_eigenvalues)


def zero_mode_mask(eigenvalues, zero_modes: int = 0) -> np.ndarray:
    """Which eigenvalues (n,) are set aside as zero modes: of the
    ``zero_modes`` closest to zero, those with |λ| <= ZERO_MODE_RTOL * max|λ|.

    >>> zero_mode_mask([5.0, 1e-12, -2.0], 1).tolist(), zero_mode_mask([5.0, 0.5], 1).tolist()
    ([False, True, False], [False, False])
    """
    eig = np.asarray(eigenvalues, dtype=np.float64).reshape(-1)
    if not 0 <= zero_modes <= eig.size:
        raise ValueError(f"zero_modes must be from 0 to {eig.size}, got {zero_modes}")
    mask = np.zeros(eig.size, dtype=bool)
    if zero_modes and eig.size:
        scale = float(np.max(np.abs(eig)))
        closest = np.argsort(np.abs(eig), kind="stable")[:zero_modes]
        mask[closest] = np.abs(eig[closest]) <= ZERO_MODE_RTOL * scale
    return mask


def classify_eigenvalues(eigenvalues, zero_modes: int = 0) -> str:
    """The kind of a stationary point from its Hessian's eigenvalues (n,):
    ``minimum``, ``maximum``, ``saddle``, or ``degenerate`` (an eigenvalue
    other than the zero modes is zero to EIG_RTOL, or nothing is left), after
    setting aside up to ``zero_modes`` zero modes (``zero_mode_mask``).

    >>> classify_eigenvalues([2.0, -1.0]), classify_eigenvalues([0.0, 8.0], 1), classify_eigenvalues([0.0, 8.0])
    ('saddle', 'minimum', 'degenerate')
    """
    eig = np.asarray(eigenvalues, dtype=np.float64).reshape(-1)
    rest = eig[~zero_mode_mask(eig, zero_modes)]
    scale = float(np.max(np.abs(eig))) if eig.size else 0.0
    zero = EIG_RTOL * scale
    negative, positive = int(np.sum(rest < -zero)), int(np.sum(rest > zero))
    if rest.size == 0 or negative + positive < rest.size:
        return "degenerate"
    if negative == 0:
        return "minimum"
    if positive == 0:
        return "maximum"
    return "saddle"


def classify_stationary_point(x, gradient, hessian, zero_modes: int = 0) -> StationaryPoint:
    """Classify the point ``x`` (n,) from ``gradient`` (n,) and ``hessian`` (n, n),
    setting aside up to ``zero_modes`` symmetry zero modes (0 <= zero_modes < n).

    >>> classify_stationary_point([0.0, 0.0], [0.0, 0.0], [[2.0, 0.0], [0.0, -1.0]]).classification
    'saddle'
    >>> classify_stationary_point([3.0], [6.0], [[2.0]]).classification
    'not-stationary'
    >>> classify_stationary_point([0.0, 0.0], [0.0, 0.0], [[2.0, -2.0], [-2.0, 2.0]], zero_modes=1).classification
    'minimum'
    >>> classify_stationary_point([1.0], [-1.0], [[0.0]]).newton_step is None  # -v: no step reaches a flat slope
    True
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    gradient = np.asarray(gradient, dtype=np.float64).reshape(-1)
    hessian = np.asarray(hessian, dtype=np.float64)
    n = gradient.shape[0]
    if hessian.shape != (n, n):
        raise ValueError(f"the Hessian must be ({n}, {n}), got {hessian.shape}")
    if not 0 <= zero_modes < max(n, 1):
        raise ValueError(f"zero_modes must be from 0 to {n - 1}, got {zero_modes}")
    if not (np.all(np.isfinite(hessian)) and np.all(np.isfinite(gradient))):
        raise ComputationError("the gradient or Hessian has non-finite entries (inf or NaN) at this point")
    # Symmetrise against round-off so eigh sees exactly what it assumes.
    eigenvalues, vectors = np.linalg.eigh(0.5 * (hessian + hessian.T))
    aside = zero_mode_mask(eigenvalues, zero_modes)
    scale = float(np.max(np.abs(eigenvalues))) if n else 0.0
    zero = EIG_RTOL * scale
    curved = (np.abs(eigenvalues) > zero) & ~aside
    negative = int(np.sum((eigenvalues < -zero) & ~aside))

    along = vectors.T @ gradient  # the gradient in the eigenbasis
    newton_step = float(np.linalg.norm(along[curved] / eigenvalues[curved]))
    flat_gradient = float(np.linalg.norm(along[~curved]))
    step_tolerance = STEP_RTOL * max(1.0, float(np.max(np.abs(x))) if n else 1.0)
    # A slope along a direction of zero curvature: the quadratic model has no stationary point.
    reachable = flat_gradient <= step_tolerance * scale
    stationary = reachable and newton_step <= step_tolerance
    kind = classify_eigenvalues(eigenvalues, zero_modes) if stationary else "not-stationary"
    return StationaryPoint(
        tuple(float(e) for e in eigenvalues),
        kind,
        negative,
        newton_step if reachable else None,
        step_tolerance,
        zero_modes,
        tuple(float(e) for e in eigenvalues[aside]),
    )


#: Largest number of variables whose end point ``end_point_kind`` checks with the full Hessian.
END_CHECK_MAX_N = 60


def end_point_kind(V, x, zero_modes: int = 0) -> str | None:
    """The kind of the point ``x`` (n,) where a descent of ``V`` converged: ``minimum``,
    ``maximum``, ``saddle``, ``degenerate`` or ``not-stationary`` (``classify_stationary_point``
    on V's exact Hessian), or None when n > END_CHECK_MAX_N (not checked). One variable needs
    no Hessian: the sign of V'' from central differences of the exact V' tells, with no numpy.

    >>> from gradcli import Potential
    >>> end_point_kind(Potential("-x**2"), (0.0,)), end_point_kind(Potential("x**2 - y**2"), (0.0, 0.0))
    ('maximum', 'saddle')
    """
    if V.n == 1 and hasattr(V, "scalar_value_and_grad"):
        f = V.scalar_value_and_grad
        h = 1e-4 * max(1.0, abs(x[0]))
        curvature = (f(x[0] + h)[1] - f(x[0] - h)[1]) / (2 * h)
        return "minimum" if curvature > 0 else "maximum" if curvature < 0 else "degenerate"
    if V.n > END_CHECK_MAX_N:
        return None
    point = np.array(x, dtype=np.float64)
    _, gradient = V.value_and_grad(point)
    return classify_stationary_point(point, gradient, V.hessian(point), zero_modes).classification
