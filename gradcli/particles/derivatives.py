"""Derivatives of any order of a particle potential along one coordinate.

Moving coordinate t of particle a changes only a's pairs and a's one-body
term. Each pair is V(s) with s = (t - c)**2 + e (c the partner's coordinate
on that axis, e the squared separation along the other axes), compiled once
as a Program of (t, c, e) (``PairFunction.taylor_program``) and expanded by
the front-end's Taylor-mode arithmetic (or the engine's repeated
differentiation) per partner. Order 0 is V itself.

Example::

    >>> from gradcli.particles import ParticlePotential
    >>> V = ParticlePotential("(r - 1)**2", 2)
    >>> derivatives_along(V, [0, 0, 0, 2, 0, 0], 3, "x1", "taylor")
    [1.0, -2.0, 2.0, 0.0]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import DomainError, InputError
from ..frontend import engine_graph
from ..frontend.binding import check_order, variable_index
from ..frontend.domain import format_point
from ..frontend.taylor import MAX_ORDER, taylor_derivatives

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)


def derivatives_along(V, x, order: int, variable: str | None, method: str) -> list[float]:
    """[d^k V / d variable^k for k = 0..order] at the one point x (n,)."""
    if method not in ("taylor", "engine"):
        raise InputError(f"unknown method {method!r} for derivatives; use 'taylor' or 'engine'")
    X, _, single = V._configurations(x)
    if not single:
        raise InputError("derivatives takes one point, not a batch")
    order = check_order(order)
    if order > MAX_ORDER:
        raise InputError(f"the order must be at most {MAX_ORDER}, got {order}")
    k = variable_index(V.variables, variable)
    value = V(X.ravel())  # a domain problem in V itself is reported by the checked path
    atom, axis = divmod(k, V.dim)
    partners = np.delete(np.arange(V.n_atoms), atom)
    d = X[atom] - X[partners]
    others = np.delete(np.arange(V.dim), axis)
    e = (d[:, others] ** 2).sum(axis=1)
    if V.cutoff is not None:
        inside = e + d[:, axis] ** 2 <= V.cutoff**2
        partners, e = partners[inside], e[inside]
    total = np.zeros(order + 1)
    program = V.pair.taylor_program
    names = ("t", "c", "e")
    for j, e_j in zip(partners.tolist(), e.tolist()):
        point = [float(X[atom, axis]), float(X[j, axis]), e_j]
        try:
            if method == "taylor":
                series = taylor_derivatives(program, point, 0, order, names)
            else:
                series = engine_graph.derivatives_at(program, point, 0, order)
        except DomainError as error:
            raise _wrapped(error, f"in the pair term (atoms {atom + 1} and {j + 1})", V, X) from None
        total += series
    if V.one_body is not None:
        try:
            total += V.one_body.derivatives(X[atom], order, variable="xyz"[axis], method=method)
        except DomainError as error:
            raise _wrapped(error, f"in the one-body term (atom {atom + 1})", V, X) from None
    total[0] = value
    if not all(map(math.isfinite, total)):
        raise DomainError(
            f"a derivative of order up to {order} is not finite at "
            f"{format_point(V.variables[k : k + 1], X.ravel()[k : k + 1])}"
        )
    return [float(v) + 0.0 for v in total]


def _wrapped(error: DomainError, where: str, V, X) -> DomainError:
    wrapped = DomainError(f"{error.message.split(' at ')[0]} {where}")
    wrapped.reason = getattr(error, "reason", "unknown")
    wrapped.operation = getattr(error, "operation", None)
    wrapped.point = tuple(X.ravel().tolist())
    return wrapped
