"""Checking a named potential with the compiler: it compiles, it is finite at
its ``start``, and each listed stationary point is one, with the listed value
and kind.

This is the expensive level of checking, for tests, ``gradcli potentials show``
and ``gradcli potentials --check``; loading (``gradcli.named.files``) only
checks each field's type and shape.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gradcli._lazy import LazyModule
from gradcli.analysis.stationary import ZERO_MODE_RTOL, classify_eigenvalues, zero_mode_mask
from gradcli.errors import GradcliError, InputError, PotentialFileError
from gradcli.named.spec import PotentialSpec

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

# A listed stationary point must satisfy |grad V| < GRAD_TOL and
# |V - value| <= VALUE_RTOL * max(1, |value|); its kind comes from
# gradcli.analysis.stationary.classify_eigenvalues (zero modes set aside).
GRAD_TOL = 1e-6
VALUE_RTOL = 1e-6


def classify_kind(eigenvalues, zero_modes: int = 0) -> str:
    """minimum/maximum/saddle/degenerate from Hessian eigenvalues, after setting
    aside up to ``zero_modes`` zero modes: ``gradcli.analysis.stationary.classify_eigenvalues``,
    the one rule ``gradcli force-constant`` uses too.

    >>> classify_kind([2.0, -1.0]), classify_kind([0.0, 8.0], zero_modes=1), classify_kind([0.0, 8.0])
    ('saddle', 'minimum', 'degenerate')
    """
    return classify_eigenvalues(eigenvalues, zero_modes)


def _fmt_point(spec: PotentialSpec, point) -> str:
    return ", ".join(f"{v}={x:.10g}" for v, x in zip(spec.variables, point))


def validate_potential(spec: PotentialSpec) -> None:
    """Parse and compile ``spec`` at its default parameters, evaluate it at
    ``start``, and check each stationary point (|grad V| < 1e-6, the value
    within 1e-6 relative, the kind from the Hessian's eigenvalues).
    Raises ``PotentialFileError`` naming the file and the problem."""
    spec.check_expression()
    _, values = spec.bind()  # a family's size is not a parameter of its expression
    try:
        spec.descent_settings(values)
    except InputError as error:
        message = error.message.removesuffix("; give --lr")
        if not message.startswith(f"{spec.where}: "):  # an out-of-range lr already names its file and field
            message = f"{spec.where}: field 'descent.lr': {message}"
        raise PotentialFileError(f"{message} at the defaults") from error
    try:
        V = spec.potential()  # a Potential, or a ParticlePotential for a particle system
    except GradcliError as error:
        raise PotentialFileError(f"{spec.where}: field 'expression' cannot be compiled: {error.message}") from error
    try:
        value = V(np.asarray(spec.start, dtype=np.float64))
        grad = V.grad(np.asarray(spec.start, dtype=np.float64))
    except GradcliError as error:
        raise PotentialFileError(f"{spec.where}: field 'start': {error.message}") from error
    if not (math.isfinite(float(value)) and np.all(np.isfinite(grad))):
        raise PotentialFileError(f"{spec.where}: field 'start': V or its gradient is not finite there")
    for i, s in enumerate(spec.stationary):
        at = f"{spec.where}: stationary[{i}] at ({_fmt_point(spec, s.point)})"
        x = np.asarray(s.point, dtype=np.float64)
        try:
            value, grad, hessian = float(V(x)), np.asarray(V.grad(x)), np.asarray(V.hessian(x))
        except GradcliError as error:
            raise PotentialFileError(f"{at}: {error.message}") from error
        grad_norm = float(np.linalg.norm(grad))
        if not grad_norm < GRAD_TOL:
            raise PotentialFileError(f"{at} is not stationary: |grad V| = {grad_norm:.3g} (must be < {GRAD_TOL:g})")
        if not abs(value - s.value) <= VALUE_RTOL * max(1.0, abs(s.value)):
            raise PotentialFileError(f"{at}: V = {value:.12g} there, not the listed value {s.value:.12g}")
        eigenvalues = np.linalg.eigvalsh(0.5 * (hessian + hessian.T))
        found = int(np.sum(zero_mode_mask(eigenvalues, s.zero_modes)))
        if found < s.zero_modes:
            raise PotentialFileError(
                f"{at}: {s.zero_modes} zero modes are declared but only {found} of the "
                f"Hessian's eigenvalues are zero (|λ| <= {ZERO_MODE_RTOL:g} max|λ|)"
            )
        kind = classify_eigenvalues(eigenvalues, s.zero_modes)
        if kind != s.kind:
            raise PotentialFileError(
                f"{at}: the Hessian's eigenvalues make it a {kind}, not a {s.kind}"
                + (f" (with {s.zero_modes} zero modes set aside)" if s.zero_modes else "")
            )
