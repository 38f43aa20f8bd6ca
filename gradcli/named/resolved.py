"""``Resolved``: what a command (or a Python caller) computes with once EXPR is
resolved: the expression, its variables and parameter values and, for a named
potential, its spec, so nothing has to be looked up twice.

Made by ``gradcli.named.registry.resolve`` and ``gradcli.named.load``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from gradcli._lazy import LazyModule
from gradcli.named.spec import PotentialSpec, Stationary
from gradcli.named.units import Units

frontend_cache = LazyModule("gradcli.frontend.cache", globals(), "frontend_cache")  # loads SymPy


@dataclass(frozen=True)
class Resolved:
    """A resolved EXPR: the expression text, its variables in order (None: let
    the compiler order them), the parameter values, the potential's name and
    its ``spec`` at these parameters (both None for a typed expression).

    The spec's start, stationary points, zero modes, units, masses and
    suggested descent settings are read from here; ``potential`` is compiled
    on first use and kept.

    >>> from gradcli.named import load
    >>> morse = load("morse", D=4.7)
    >>> morse.params, morse.start, morse.units.length, morse.masses
    ({'D': 4.7, 'a': 1.944, 'r0': 0.7414}, (1.2,), 'Å', (0.503912516,))
    >>> round(morse.potential(morse.stationary[0].point), 12), morse.descent_settings()["steps"]
    (0.0, 1000)
    """

    expression: str
    variables: tuple[str, ...] | None
    params: dict[str, float]
    name: str | None
    spec: PotentialSpec | None = field(default=None, repr=False, compare=False)

    @cached_property
    def potential(self):
        """The compiled ``gradcli.Potential`` (variables in the potential's order),
        or a ``ParticlePotential`` for a particle system."""
        if self.spec is not None and self.spec.particles is not None:
            return self.spec.particles.potential(self.params)
        # Kept per process: a batch of jobs on one potential compiles it once.
        return frontend_cache.compiled_potential(self.expression, self.variables, self.params)

    @property
    def start(self) -> tuple[float, ...] | None:
        """The suggested start, one number per variable (None for a typed expression)."""
        return self.spec.start if self.spec is not None else None

    @property
    def stationary(self) -> tuple[Stationary, ...]:
        """The listed stationary points (for a file: at its default parameters)."""
        return self.spec.stationary if self.spec is not None else ()

    @property
    def zero_modes(self) -> int:
        """Hessian eigenvalues zero at every stationary point by symmetry (0 for a typed expression)."""
        return self.spec.zero_modes if self.spec is not None else 0

    @property
    def units(self) -> Units | None:
        """Energy, length and mass units; None when undeclared (always for a typed expression)."""
        return self.spec.units if self.spec is not None else None

    @property
    def masses(self) -> tuple[float, ...] | None:
        """One mass per variable, in ``units.mass``; None when undeclared."""
        return self.spec.masses if self.spec is not None else None

    @property
    def source(self) -> str | None:
        """Where suggested settings come from: ``"@NAME"`` (None for a typed expression)."""
        return f"@{self.name}" if self.name else None

    def descent_settings(self, skip=()) -> dict:
        """The potential's suggested ``{"lr", "steps", "tol"}`` at these parameters
        (only those it sets, less the keys in ``skip``: the ones the user gave);
        ``{}`` for a typed expression. Their source is ``self.source``."""
        if self.spec is None:
            return {}
        return self.spec.descent_settings(self.params, skip=skip)
