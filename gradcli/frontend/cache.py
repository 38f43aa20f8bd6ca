"""Compiled potentials kept for reuse within one process.

A batch of a thousand jobs on one potential, or a worker running many of
them, compiles it once: ``compiled_potential`` returns the same
``Potential`` for the same expression text, variables and parameter values.
A ``Potential`` does not change once made (its derivative programs are
compiled on first use and kept), so sharing it is safe.

>>> compiled_potential("x**2", None, {}) is compiled_potential("x**2", None, {})
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from .potential import Potential

#: Distinct potentials kept; a batch cycling through more recompiles the oldest.
KEPT = 64


def compiled_potential(expression: str, variables: Sequence[str] | None, params: Mapping[str, float]) -> Potential:
    """``Potential(expression, variables, params)``, made once per distinct arguments."""
    return _compiled(expression, None if variables is None else tuple(variables), tuple(sorted(params.items())))


@lru_cache(maxsize=KEPT)
def _compiled(expression: str, variables: tuple[str, ...] | None, params: tuple) -> Potential:
    return Potential(expression, variables=variables, params=dict(params))


def clear() -> None:
    """Forget every kept potential."""
    _compiled.cache_clear()
