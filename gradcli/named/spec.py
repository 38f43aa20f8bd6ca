"""What a named potential is: ``PotentialSpec`` with its ``Stationary`` points,
suggested ``DescentSettings`` and ``Units``, and binding it to parameter values.

Specs are made by ``gradcli.named.files`` (from a TOML file) and
``gradcli.named.families`` (built in code for a size ``n``; such a spec carries
its family's builder, so this module imports neither); ``gradcli.named.registry``
finds them by name.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gradcli._lazy import LazyModule
from gradcli.errors import ExpressionError, InputError, PotentialFileError
from gradcli.named.units import Units

# Parsing and compiling load SymPy: only when an expression is parsed (gradcli/_lazy.py).
parse = LazyModule("gradcli.frontend.parse", globals(), "parse")
frontend_potential = LazyModule("gradcli.frontend.potential", globals(), "frontend_potential")
particles = LazyModule("gradcli.particles", globals(), "particles")  # a particle system's potential
sympy = LazyModule("sympy", globals(), "sympy")

# Suggested descent settings are bounded like the command's options, so a file
# cannot ask for a run that never ends (steps) or a step too small to move or
# so large it only diverges (lr); a tol above MAX_TOL would call almost any
# start converged.
LR_RANGE = (1e-12, 1e12)
MAX_STEPS = 1_000_000  # the same bound as the --steps option (gradcli.optimize.settings)
MAX_TOL = 1.0


def _parse_field(text: str, where: str, field: str, allowed, stray: str):
    """Parse the expression in ``field`` of ``where`` (the file), the
    ``allowed`` names (variables, parameters) declared, so ``pi`` in
    [parameters] is that parameter; a refused expression, or a name written
    outside ``allowed`` ("which is ``stray``"), is a ``PotentialFileError``."""
    try:
        (expr,), written = parse.parse_with_names(text, declared=allowed)
    except ExpressionError as error:
        raise PotentialFileError(f"{where}: field '{field}' is refused: {error.message}") from error
    names = [name for name in written if name not in allowed]
    if names:
        raise PotentialFileError(f"{where}: field '{field}' uses '{names[0]}', which is {stray}")
    return expr


@dataclass(frozen=True)
class DescentSettings:
    """Suggested ``gradcli descend`` settings of a named potential; None where
    the potential suggests nothing (the command's default then applies).

    ``lr`` is a positive number or the text of an expression of the
    potential's parameters (``"0.5/k"``: a stable step scales as one over the
    curvature, so it follows ``--param`` overrides); ``steps`` a positive
    integer, ``tol`` a number >= 0.

    >>> DescentSettings(lr="0.5/k", steps=1000).evaluate({"k": 4.0})
    {'lr': 0.125, 'steps': 1000}
    """

    lr: float | str | None = None
    steps: int | None = None
    tol: float | None = None
    method: str | None = None  # a name in gradcli.optimize.registry.OPTIMIZERS

    def evaluate(self, values: dict[str, float], where: str = "", name: str = "", skip=()) -> dict:
        """``{"lr": float, "steps": int, "tol": float}`` with ``lr`` evaluated at
        the parameter ``values``; keys the potential does not set, or in ``skip``
        (given by the user), are left out.
        A refused ``lr`` expression is a ``PotentialFileError`` naming ``where``
        (the file); an ``lr`` that is not a positive number at these values, or
        outside ``LR_RANGE``, an ``InputError`` naming the potential ``name``
        (and the file and field when out of range)."""
        out: dict = {}
        if self.lr is not None and "lr" not in skip:
            lr = self.lr
            if isinstance(lr, str):
                expr = _parse_field(lr, where, "descent.lr", values, "not a parameter")
                expr = expr.subs({sympy.Symbol(k, real=True): v for k, v in values.items()})
                try:
                    lr = float(expr)
                except (TypeError, ValueError):  # still symbolic, or complex
                    lr = math.nan
            shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
            suggested = (
                f"the suggested learning rate of {name or 'this potential'} "
                f"(lr{f' = {self.lr}' if isinstance(self.lr, str) else ''}) is {lr:g}"
                + (f" at {shown}" if shown else "")
            )
            if not (math.isfinite(lr) and lr > 0):
                raise InputError(f"{suggested}, not a positive number; give --lr")
            if not LR_RANGE[0] <= lr <= LR_RANGE[1]:
                raise InputError(
                    f"{where + ': ' if where else ''}field 'descent.lr': {suggested}, outside the range "
                    f"{LR_RANGE[0]:g} to {LR_RANGE[1]:g}; give --lr"
                )
            out["lr"] = float(lr)
        if self.steps is not None and "steps" not in skip:
            out["steps"] = self.steps
        if self.tol is not None and "tol" not in skip:
            out["tol"] = self.tol
        if self.method is not None and "method" not in skip:
            out["method"] = self.method
        return out


@dataclass(frozen=True)
class Stationary:
    """A known stationary point: ``point`` (n,) in variable order, ``value``
    V(point), ``kind`` (minimum/maximum/saddle), ``zero_modes`` the number of
    Hessian eigenvalues that are zero by symmetry (translations and rotations
    of a cluster, the direction along a ring of minima), ``note`` free text."""

    point: tuple[float, ...]
    value: float
    kind: str
    zero_modes: int = 0
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "point": list(self.point),
            "value": self.value,
            "kind": self.kind,
            "zero_modes": self.zero_modes,
            "note": self.note,
        }


@dataclass(frozen=True)
class ParticleSpec:
    """A potential of ``n_atoms`` particles in ``dim`` dimensions: the ``pair``
    term (an expression in r and the parameters) over every pair, an optional
    ``cutoff`` (energy-shifted) and ``one_body`` term (in x, y, z), and the
    ``element`` written for each particle in coordinate files. Its variables
    are x1, y1, z1, x2, ...

    >>> from gradcli.named import find_potential
    >>> find_potential("lj-cluster").particles.n_atoms
    13
    """

    pair: str
    n_atoms: int
    dim: int = 3
    cutoff: float | None = None
    one_body: str | None = None
    element: str = "X"

    def potential(self, values: dict[str, float]):
        """The ``gradcli.particles.ParticlePotential`` at these parameter values."""
        return particles.ParticlePotential(
            self.pair, self.n_atoms, dim=self.dim, params=values, cutoff=self.cutoff, one_body=self.one_body
        )

    def to_dict(self) -> dict:
        return {
            "pair": self.pair,
            "atoms": self.n_atoms,
            "dim": self.dim,
            "cutoff": self.cutoff,
            "one_body": self.one_body,
            "element": self.element,
        }


def check_parameter_names(name: str, parameters: dict, params: dict) -> None:
    """Refuse a ``params`` name that is not one of ``parameters`` of the
    potential ``name`` (``InputError`` naming the valid ones)."""
    unknown = sorted(set(params) - set(parameters))
    if unknown:
        valid = ", ".join(parameters) if parameters else "none"
        raise InputError(f"potential '@{name}' has no parameter '{unknown[0]}' (its parameters: {valid})")


@dataclass(frozen=True)
class PotentialSpec:
    """One named potential.

    ``parameters`` maps a name to ``{"value": float, "units": str | None}``;
    ``path`` is the file it came from (None for a family); ``family`` names
    the size parameter (``"n"``) of a family-built spec, else None, and
    ``rebuild`` is the family's builder (parameter values -> spec);
    ``zero_modes`` the number of Hessian eigenvalues that are zero at every
    stationary point by symmetry (6 for a cluster of atoms: 3 translations and
    3 rotations; 5 for a dimer); ``descent`` the suggested descent settings;
    ``units`` the energy, length and mass units (None if undeclared);
    ``masses`` one mass per variable (None if undeclared); ``particles`` a
    ``ParticleSpec`` for a particle system (its ``expression`` is then the
    pair term and its potential a ``ParticlePotential``), else None.

    >>> from gradcli.named import find_potential
    >>> spec = find_potential("morse")
    >>> spec.variables, spec.defaults["D"], spec.units.energy, spec.masses
    (('r',), 4.747, 'eV', (0.503912516,))
    """

    name: str
    description: str
    expression: str
    variables: tuple[str, ...]
    parameters: dict
    start: tuple[float, ...]
    stationary: tuple[Stationary, ...]
    references: tuple[str, ...]
    path: Path | None
    family: str | None = None
    where: str = ""
    zero_modes: int = 0
    descent: DescentSettings = DescentSettings()
    units: Units | None = None
    masses: tuple[float, ...] | None = None
    particles: ParticleSpec | None = None
    rebuild: Callable[[dict], PotentialSpec] | None = field(default=None, repr=False, compare=False)

    @property
    def defaults(self) -> dict[str, float]:
        """Default parameter values, ``{name: value}``."""
        return {k: p["value"] for k, p in self.parameters.items()}

    def bind(self, params: dict[str, float] | None = None) -> tuple[PotentialSpec, dict[str, float]]:
        """The spec for these parameter overrides and the values to substitute.

        Unknown names raise ``InputError`` naming the valid ones; a family is
        rebuilt for new values (only then), and its size parameter is not
        substituted.

        >>> from gradcli.named import find_potential
        >>> spec, values = find_potential("lj-cluster").bind({"n": 3})
        >>> len(spec.variables), values
        (9, {'eps': 1.0, 'sigma': 1.0})
        """
        params = dict(params or {})
        check_parameter_names(self.name, self.parameters, params)
        values = {k: float(v) for k, v in {**self.defaults, **params}.items()}
        spec = self
        if self.family is not None:
            if values != self.defaults:
                assert self.rebuild is not None, "a family-built spec carries its builder"
                spec = self.rebuild(values)
            del values[self.family]
        return spec, values

    def check_expression(self) -> None:
        """Parse a file's expression (a family's is built in code): a refused
        one, or a name that is neither a variable nor a parameter, is a
        ``PotentialFileError`` naming the file."""
        if self.path is not None and self.particles is not None:
            stray = "neither r nor a parameter"
            _parse_field(self.expression, self.where, "pair.expression", {"r", *self.parameters}, stray)
            if self.particles.one_body is not None:
                axes = tuple("xyz"[: self.particles.dim])
                _parse_field(
                    self.particles.one_body,
                    self.where,
                    "pair.one_body",
                    {*axes, *self.parameters},
                    f"neither a coordinate ({', '.join(axes)}) nor a parameter",
                )
        elif self.path is not None:
            _parse_field(
                self.expression,
                self.where,
                "expression",
                {*self.variables, *self.parameters},
                "neither a variable nor a parameter",
            )

    def potential(self, params: dict[str, float] | None = None):
        """The compiled ``gradcli.Potential`` with defaults overridden by ``params``.

        >>> from gradcli.named import find_potential
        >>> V = find_potential("double-well").potential()
        >>> V(3.0)
        -4.0
        """
        spec, values = self.bind(params)
        if spec.particles is not None:
            return spec.particles.potential(values)
        return frontend_potential.Potential(spec.expression, variables=spec.variables, params=values)

    def descent_settings(self, values: dict[str, float] | None = None, skip=()) -> dict:
        """The suggested descent settings ``{"lr", "steps", "tol"}`` (only those
        the potential sets, less the keys in ``skip``) at the parameter
        ``values`` (default: its defaults).

        >>> from gradcli.named import find_potential
        >>> find_potential("muller-brown").descent_settings()
        {'lr': 0.0002, 'steps': 2000}
        """
        values = self.defaults if values is None else values
        if self.family is not None:
            values = {k: v for k, v in values.items() if k != self.family}
        return self.descent.evaluate(values, self.where, f"'@{self.name}'", skip)

    def to_dict(self, full: bool = False) -> dict:
        """JSON form: name, description, expression, variables, parameters; with
        ``full`` also start, stationary, references, path, zero_modes, descent
        (the settings at these parameters, ``lr_expression`` the file's text),
        units (``{"energy", "length", "mass"}`` or None), masses (one per
        variable, or None) and particles (``{"pair", "atoms", "dim", "cutoff",
        "one_body", "element"}`` for a particle system, or None)."""
        out: dict[str, object] = {
            "name": self.name,
            "description": self.description,
            "expression": self.expression,
            "variables": list(self.variables),
            "parameters": {k: {"value": p["value"], "units": p.get("units")} for k, p in self.parameters.items()},
        }
        if full:
            out["start"] = list(self.start)
            out["stationary"] = [s.to_dict() for s in self.stationary]
            out["references"] = list(self.references)
            out["path"] = str(self.path) if self.path is not None else None
            out["zero_modes"] = self.zero_modes
            out["descent"] = {
                **self.descent_settings(),
                "lr_expression": self.descent.lr if isinstance(self.descent.lr, str) else None,
            }
            out["units"] = self.units.to_dict() if self.units is not None else None
            out["masses"] = list(self.masses) if self.masses is not None else None
            out["particles"] = self.particles.to_dict() if self.particles is not None else None
        return out
