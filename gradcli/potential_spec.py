"""What a named potential is: ``PotentialSpec`` with its ``Stationary`` points
and suggested ``DescentSettings``, and binding it to parameter values.

Specs are made by ``gradcli.potential_files`` (from a TOML file) and
``gradcli.families`` (built in code for a size ``n``); ``gradcli.library``
finds them by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from gradcli.errors import ExpressionError, InputError, PotentialFileError


def _parse_field(text: str, where: str, field: str, allowed, stray: str):
    """Parse the expression in ``field`` of ``where`` (the file); a refused
    expression, or a name outside ``allowed`` ("which is ``stray``"), is a
    ``PotentialFileError``."""
    from gradcli.frontend.parse import parse_expression

    try:
        expr = parse_expression(text)
    except ExpressionError as error:
        raise PotentialFileError(f"{where}: field '{field}' is refused: {error.message}") from error
    names = sorted(str(s) for s in expr.free_symbols if str(s) not in allowed)
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
        (the file); an ``lr`` that is not a positive number at these values an
        ``InputError`` naming the potential ``name``."""
        out: dict = {}
        if self.lr is not None and "lr" not in skip:
            lr = self.lr
            if isinstance(lr, str):
                import sympy

                expr = _parse_field(lr, where, "descent.lr", values, "not a parameter")
                expr = expr.subs({sympy.Symbol(k, real=True): v for k, v in values.items()})
                try:
                    lr = float(expr)
                except (TypeError, ValueError):  # still symbolic, or complex
                    lr = math.nan
            if not (math.isfinite(lr) and lr > 0):
                shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
                text = f" = {self.lr}" if isinstance(self.lr, str) else ""
                raise InputError(f"the suggested learning rate of {name or 'this potential'} (lr{text}) is {lr:g}"
                                 + (f" at {shown}" if shown else "") + ", not a positive number; give --lr")
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
        return {"point": list(self.point), "value": self.value, "kind": self.kind,
                "zero_modes": self.zero_modes, "note": self.note}


@dataclass(frozen=True)
class PotentialSpec:
    """One named potential.

    ``parameters`` maps a name to ``{"value": float, "units": str | None}``;
    ``path`` is the file it came from (None for a family); ``family`` names
    the size parameter (``"n"``) of a family-built spec, else None;
    ``zero_modes`` the number of Hessian eigenvalues that are zero at every
    stationary point by symmetry (6 for a cluster of atoms: 3 translations and
    3 rotations; 5 for a dimer); ``descent`` the suggested descent settings.

    >>> from gradcli.library import find_potential
    >>> spec = find_potential("morse")
    >>> spec.variables, spec.defaults["D"]
    (('r',), 4.747)
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

    @property
    def defaults(self) -> dict[str, float]:
        """Default parameter values, ``{name: value}``."""
        return {k: p["value"] for k, p in self.parameters.items()}

    def bind(self, params: dict[str, float] | None = None) -> tuple["PotentialSpec", dict[str, float]]:
        """The spec for these parameter overrides and the values to substitute.

        Unknown names raise ``InputError`` naming the valid ones; a family is
        rebuilt for its new size (the size parameter is not substituted).

        >>> from gradcli.library import find_potential
        >>> spec, values = find_potential("lj-cluster").bind({"n": 3})
        >>> len(spec.variables), values
        (9, {'eps': 1.0, 'sigma': 1.0})
        """
        params = dict(params or {})
        unknown = sorted(set(params) - set(self.parameters))
        if unknown:
            valid = ", ".join(self.parameters) if self.parameters else "none"
            raise InputError(f"potential '@{self.name}' has no parameter '{unknown[0]}' "
                             f"(its parameters: {valid})")
        values = {k: float(v) for k, v in {**self.defaults, **params}.items()}
        spec = self
        if self.family is not None:
            from gradcli.families import FAMILIES  # families build specs, so this import waits until here

            spec = FAMILIES[self.name].spec(values)
            del values[self.family]
        return spec, values

    def check_expression(self) -> None:
        """Parse a file's expression (a family's is built in code): a refused
        one, or a name that is neither a variable nor a parameter, is a
        ``PotentialFileError`` naming the file."""
        if self.path is not None:
            _parse_field(self.expression, self.where, "expression", {*self.variables, *self.parameters},
                         "neither a variable nor a parameter")

    def potential(self, params: dict[str, float] | None = None):
        """The compiled ``gradcli.Potential`` with defaults overridden by ``params``.

        >>> from gradcli.library import find_potential
        >>> V = find_potential("double-well").potential()
        >>> V(3.0)
        -4.0
        """
        from gradcli.frontend.potential import Potential

        spec, values = self.bind(params)
        return Potential(spec.expression, variables=spec.variables, params=values)

    def descent_settings(self, values: dict[str, float] | None = None, skip=()) -> dict:
        """The suggested descent settings ``{"lr", "steps", "tol"}`` (only those
        the potential sets, less the keys in ``skip``) at the parameter
        ``values`` (default: its defaults).

        >>> from gradcli.library import find_potential
        >>> find_potential("muller-brown").descent_settings()
        {'lr': 0.0002, 'steps': 2000}
        """
        values = self.defaults if values is None else values
        if self.family is not None:
            values = {k: v for k, v in values.items() if k != self.family}
        return self.descent.evaluate(values, self.where, f"'@{self.name}'", skip)

    def to_dict(self, full: bool = False) -> dict:
        """JSON form: name, description, expression, variables, parameters; with
        ``full`` also start, stationary, references, zero_modes and descent
        (the settings at these parameters, ``lr_expression`` the file's text)."""
        out = {"name": self.name, "description": self.description, "expression": self.expression,
               "variables": list(self.variables),
               "parameters": {k: {"value": p["value"], "units": p.get("units")} for k, p in self.parameters.items()}}
        if full:
            out["start"] = list(self.start)
            out["stationary"] = [s.to_dict() for s in self.stationary]
            out["references"] = list(self.references)
            out["path"] = str(self.path) if self.path is not None else None
            out["zero_modes"] = self.zero_modes
            out["descent"] = {**self.descent_settings(),
                              "lr_expression": self.descent.lr if isinstance(self.descent.lr, str) else None}
        return out
