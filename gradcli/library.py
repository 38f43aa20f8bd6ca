"""Named potentials: ``@morse`` and friends, from TOML files and size families.

A potential file (``potentials/morse.toml``) holds ``name`` (equal to the file
name without ``.toml``: that is how ``@morse`` finds it), a one-line
``description``, an ``expression``, its ``variables`` in order, ``[parameters]``
with defaults (a number, or ``{value = ..., units = "..."}``), a ``start`` point,
``references`` and ``[[stationary]]`` points (``point``, ``value``, ``kind`` one
of minimum/maximum/saddle, optional ``zero_modes`` and ``note``) known for the
default parameters; optionally ``zero_modes`` (Hessian eigenvalues zero at
every stationary point by a continuous symmetry: translations and rotations
of a cluster) and a ``[descent]`` table of suggested settings for
``gradcli descend`` (``lr``: a number or an expression of the parameters such
as ``"0.5/k"``; ``steps``; ``tol``). Folders are searched in order: ``extra_dirs``
(``--potentials-dir``), the folders in ``$GRADCLI_POTENTIALS`` (os.pathsep
separated), then the built-in folder; a name found earlier shadows later ones.

Two cheap/expensive levels of checking:

- loading (every ``@NAME``, every listing) reads the TOML and checks every
  field's type and shape, with errors naming the file and field;
  ``resolve`` also parses the one expression it returns;
- ``validate_potential`` (tests, ``gradcli potentials show``,
  ``gradcli potentials --check``) also compiles the potential, evaluates it at
  ``start`` and checks every stationary point: |grad V| < 1e-6, the value, and
  the kind from the Hessian's eigenvalues.

Families (``lj-cluster``, ``rosenbrock-nd``) are built in code for a size
``n`` given as a parameter: ``resolve("@lj-cluster", {"n": 13})``; their
descent settings and zero modes are computed for the size too.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
import warnings
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from gradcli.errors import ExpressionError, GradcliError, InputError, PotentialFileError, UnknownPotentialError
from gradcli.optimize.stationary import ZERO_MODE_RTOL, classify_eigenvalues, zero_mode_mask

__all__ = [
    "DescentSettings", "ENV_VAR", "KINDS", "PotentialSpec", "Resolved", "Stationary", "builtin_dir", "classify_kind",
    "find_potential", "list_potentials", "load_file", "resolve", "search_dirs", "validate_potential",
]

ENV_VAR = "GRADCLI_POTENTIALS"
KINDS = ("minimum", "maximum", "saddle")
# A listed stationary point must satisfy |grad V| < GRAD_TOL and
# |V - value| <= VALUE_RTOL * max(1, |value|); its kind comes from
# gradcli.optimize.stationary.classify_eigenvalues (zero modes set aside).
GRAD_TOL = 1e-6
VALUE_RTOL = 1e-6
MAX_STEPS = 10**9
MAX_DESCRIPTION = 200
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
FIELDS = ("name", "description", "expression", "variables", "parameters", "start", "references", "stationary",
          "zero_modes", "descent")
REQUIRED = ("name", "description", "expression", "variables", "start")
STATIONARY_FIELDS = ("point", "value", "kind", "zero_modes", "note")
DESCENT_FIELDS = ("lr", "steps", "tol")


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
                expr = _lr_expression(lr, values, where)
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
        return out

    def to_dict(self) -> dict:
        return {"lr": self.lr, "steps": self.steps, "tol": self.tol}


def _lr_expression(text: str, values, where: str):
    """Parse a ``descent.lr`` expression; it may use the parameters only."""
    from gradcli.frontend.parse import parse_expression

    try:
        expr = parse_expression(text)
    except ExpressionError as error:
        raise PotentialFileError(f"{where}: field 'descent.lr' is refused: {error.message}") from error
    stray = sorted(str(s) for s in expr.free_symbols if str(s) not in values)
    if stray:
        raise PotentialFileError(f"{where}: field 'descent.lr' uses '{stray[0]}', which is not a parameter")
    import sympy

    return expr.subs({sympy.Symbol(k, real=True): v for k, v in values.items()})


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
            spec = FAMILIES[self.name].spec(values)
            del values[self.family]
        return spec, values

    def potential(self, params: dict[str, float] | None = None):
        """The compiled ``gradcli.Potential`` with defaults overridden by ``params``.

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


class Resolved(NamedTuple):
    """What a command computes with: the expression text, its variables in
    order (None: let the compiler order them), the parameter values, and the
    potential's name (None for a typed expression)."""

    expression: str
    variables: tuple[str, ...] | None
    params: dict[str, float]
    name: str | None


# --- folders ------------------------------------------------------------------


def builtin_dir():
    """The built-in potentials folder (package ``gradcli.builtin_potentials``),
    for editable and plain installs alike."""
    return resources.files("gradcli.builtin_potentials")


def search_dirs(extra_dirs=()) -> list[tuple[object, bool]]:
    """Folders in search order as ``(folder, is_builtin)``: ``extra_dirs``
    (each must exist), then ``$GRADCLI_POTENTIALS`` (missing entries are
    skipped, as in PATH), then the built-in folder."""
    dirs: list[tuple[object, bool]] = []
    for d in extra_dirs:
        path = Path(d)
        if not path.is_dir():
            raise InputError(f"potentials folder '{d}' does not exist or is not a folder")
        dirs.append((path, False))
    for entry in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if entry and Path(entry).is_dir():
            dirs.append((Path(entry), False))
    dirs.append((builtin_dir(), True))
    return dirs


def _toml_files(folder) -> list:
    files = [f for f in folder.iterdir() if f.name.endswith(".toml") and f.is_file()]
    return sorted(files, key=lambda f: f.name)


def _display(file, builtin: bool) -> str:
    return f"potentials/{file.name}" if builtin else str(file)


# --- listing and lookup --------------------------------------------------------


def list_potentials(extra_dirs=(), errors: list | None = None) -> list[PotentialSpec]:
    """Every potential reachable from the search folders, sorted by name.

    A malformed file is skipped and its ``PotentialFileError`` appended to
    ``errors`` (or issued as a warning when ``errors`` is None); its name
    still shadows later folders, so ``@NAME`` reports the same error.

    >>> [p.name for p in list_potentials()][:3]
    ['double-well', 'harmonic', 'himmelblau']
    """
    found: dict[str, PotentialSpec | None] = {}
    for folder, builtin in search_dirs(extra_dirs):
        for file in _toml_files(folder):
            name = file.name[: -len(".toml")]
            if name in found:
                continue
            try:
                found[name] = load_file(file, builtin=builtin)
            except PotentialFileError as error:
                found[name] = None
                if errors is None:
                    warnings.warn(error.message, stacklevel=2)
                else:
                    errors.append(error)
    for name, family in FAMILIES.items():
        found.setdefault(name, family.spec())
    return sorted((spec for spec in found.values() if spec is not None), key=lambda s: s.name)


def find_potential(name: str, extra_dirs=()) -> PotentialSpec:
    """The potential called ``name`` (a leading ``@`` is ignored).

    Raises ``PotentialFileError`` if its file is malformed and
    ``UnknownPotentialError`` suggesting the closest names if there is none.

    >>> find_potential("@morse").expression
    'D*(1 - exp(-a*(r - r0)))**2'
    """
    name = name[1:] if name.startswith("@") else name
    if NAME_RE.match(name):
        for folder, builtin in search_dirs(extra_dirs):
            file = folder / f"{name}.toml"
            if file.is_file():
                return load_file(file, builtin=builtin)
        if name in FAMILIES:
            return FAMILIES[name].spec()
    known = [spec.name for spec in list_potentials(extra_dirs, errors=[])]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        quoted = [f"'@{c}'" for c in close]
        hint = "did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"
    else:
        hint = "run 'gradcli potentials' to list them"
    raise UnknownPotentialError(f"unknown potential '@{name}'; {hint}")


def resolve(argument: str, params: dict[str, float] | None = None, extra_dirs=()) -> Resolved:
    """Turn a command's EXPR argument into what to compile.

    ``"@NAME"``: the potential's expression and variables, its defaults
    overridden by ``params`` (unknown names: ``InputError``); its expression is
    parsed here so a refused one is reported against its file. Anything else
    is a typed expression, returned as it is.

    >>> resolve("@harmonic", {"k": 2.0})
    Resolved(expression='k*x**2/2', variables=('x',), params={'k': 2.0}, name='harmonic')
    >>> resolve("x**2", {})
    Resolved(expression='x**2', variables=None, params={}, name=None)
    """
    params = dict(params or {})
    if not argument.strip().startswith("@"):
        return Resolved(argument, None, params, None)
    spec, values = find_potential(argument.strip(), extra_dirs).bind(params)
    if spec.path is not None:
        _parse(spec)
    return Resolved(spec.expression, spec.variables, values, spec.name)


# --- validation with the compiler ---------------------------------------------


def _parse(spec: PotentialSpec):
    from gradcli.frontend.parse import parse_expression

    try:
        expr = parse_expression(spec.expression)
    except ExpressionError as error:
        raise PotentialFileError(f"{spec.where}: field 'expression' is refused: {error.message}") from error
    allowed = set(spec.variables) | set(spec.parameters)
    stray = sorted(str(s) for s in expr.free_symbols if str(s) not in allowed)
    if stray:
        raise PotentialFileError(f"{spec.where}: field 'expression' uses '{stray[0]}', which is neither "
                                 f"a variable nor a parameter")
    return expr


def classify_kind(eigenvalues, zero_modes: int = 0) -> str:
    """minimum/maximum/saddle/degenerate from Hessian eigenvalues, after setting
    aside up to ``zero_modes`` zero modes: ``gradcli.optimize.stationary.classify_eigenvalues``,
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
    from gradcli.frontend.potential import Potential

    if spec.path is not None:
        _parse(spec)
    _, values = spec.bind()  # a family's size is not a parameter of its expression
    try:
        spec.descent_settings(values)
    except InputError as error:
        message = error.message.removesuffix("; give --lr")
        raise PotentialFileError(f"{spec.where}: field 'descent.lr': {message} at the defaults") from error
    try:
        V = Potential(spec.expression, variables=spec.variables, params=values)
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
            raise PotentialFileError(f"{at}: {s.zero_modes} zero modes are declared but only {found} of the "
                                     f"Hessian's eigenvalues are zero (|λ| <= {ZERO_MODE_RTOL:g} max|λ|)")
        kind = classify_eigenvalues(eigenvalues, s.zero_modes)
        if kind != s.kind:
            raise PotentialFileError(f"{at}: the Hessian's eigenvalues make it a {kind}, not a {s.kind}"
                                     + (f" (with {s.zero_modes} zero modes set aside)" if s.zero_modes else ""))


# --- loading a file ------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _point(value, n: int, where: str, field: str) -> tuple[float, ...]:
    if n == 1 and _is_number(value):
        value = [value]
    if not (isinstance(value, list) and len(value) == n and all(_is_number(v) for v in value)):
        raise PotentialFileError(f"{where}: field '{field}' must be a list of {n} finite number{'s' * (n != 1)} "
                                 f"(one per variable)")
    return tuple(float(v) for v in value)


def _identifier(name) -> bool:
    return isinstance(name, str) and name.isidentifier() and name.isascii()


def _parameters(table, variables, where: str) -> dict:
    if not isinstance(table, dict):
        raise PotentialFileError(f"{where}: field 'parameters' must be a table of NAME = number "
                                 f"or NAME = {{value = number, units = \"...\"}}")
    out = {}
    for name, entry in table.items():
        field = f"parameters.{name}"
        if not _identifier(name) or name in variables:
            raise PotentialFileError(f"{where}: field '{field}': a parameter needs a name that is "
                                     f"not also a variable")
        if isinstance(entry, dict):
            extra = sorted(set(entry) - {"value", "units"})
            if extra or "value" not in entry:
                raise PotentialFileError(f"{where}: field '{field}' must be {{value = number, units = \"...\"}}"
                                         + (f"; unknown key '{extra[0]}'" if extra else "; 'value' is missing"))
            value, units = entry["value"], entry.get("units")
            if units is not None and not isinstance(units, str):
                raise PotentialFileError(f"{where}: field '{field}.units' must be a string")
        else:
            value, units = entry, None
        if not _is_number(value):
            raise PotentialFileError(f"{where}: field '{field}' must be a finite number")
        out[name] = {"value": float(value), "units": units}
    return out


def _zero_modes(value, n: int, where: str, field: str) -> int:
    if not (isinstance(value, int) and not isinstance(value, bool) and 0 <= value < n):
        raise PotentialFileError(f"{where}: field '{field}' must be an integer from 0 to {n - 1}")
    return value


def _descent(table, where: str) -> DescentSettings:
    if not isinstance(table, dict):
        raise PotentialFileError(f"{where}: field 'descent' must be a table ([descent]) with lr, steps and tol")
    extra = sorted(set(table) - set(DESCENT_FIELDS))
    if extra:
        raise PotentialFileError(f"{where}: field 'descent' has an unknown key '{extra[0]}' "
                                 f"(known: {', '.join(DESCENT_FIELDS)})")
    lr, steps, tol = table.get("lr"), table.get("steps"), table.get("tol")
    if lr is not None and not ((_is_number(lr) and lr > 0) or (isinstance(lr, str) and lr.strip())):
        raise PotentialFileError(f"{where}: field 'descent.lr' must be a positive number or an expression "
                                 f"of the parameters in quotes, e.g. \"0.5/k\"")
    if steps is not None and not (isinstance(steps, int) and not isinstance(steps, bool) and 1 <= steps <= MAX_STEPS):
        raise PotentialFileError(f"{where}: field 'descent.steps' must be a whole number from 1 to {MAX_STEPS}")
    if tol is not None and not (_is_number(tol) and tol >= 0):
        raise PotentialFileError(f"{where}: field 'descent.tol' must be a number >= 0")
    return DescentSettings(
        lr=" ".join(lr.split()) if isinstance(lr, str) else (float(lr) if lr is not None else None),
        steps=steps,
        tol=float(tol) if tol is not None else None,
    )


def _stationary(entries, n: int, where: str, zero_modes: int = 0) -> tuple[Stationary, ...]:
    if not (isinstance(entries, list) and all(isinstance(e, dict) for e in entries)):
        raise PotentialFileError(f"{where}: field 'stationary' must be an array of tables ([[stationary]])")
    out = []
    for i, entry in enumerate(entries):
        field = f"stationary[{i}]"
        extra = sorted(set(entry) - set(STATIONARY_FIELDS))
        if extra:
            raise PotentialFileError(f"{where}: field '{field}' has an unknown key '{extra[0]}' "
                                     f"(known: {', '.join(STATIONARY_FIELDS)})")
        for key in ("point", "value", "kind"):
            if key not in entry:
                raise PotentialFileError(f"{where}: field '{field}.{key}' is missing")
        point = _point(entry["point"], n, where, f"{field}.point")
        if not _is_number(entry["value"]):
            raise PotentialFileError(f"{where}: field '{field}.value' must be a finite number")
        if entry["kind"] not in KINDS:
            raise PotentialFileError(f"{where}: field '{field}.kind' must be one of {', '.join(KINDS)}")
        modes = _zero_modes(entry.get("zero_modes", zero_modes), n, where, f"{field}.zero_modes")
        if modes < zero_modes:
            raise PotentialFileError(f"{where}: field '{field}.zero_modes' is {modes}, fewer than the potential's "
                                     f"zero_modes = {zero_modes} (those are zero at every stationary point)")
        note = entry.get("note", "")
        if not isinstance(note, str):
            raise PotentialFileError(f"{where}: field '{field}.note' must be a string")
        out.append(Stationary(point, float(entry["value"]), entry["kind"], modes, note))
    return tuple(out)


def load_file(file, builtin: bool = False) -> PotentialSpec:
    """Read and check one potential file (no compiling: see ``validate_potential``).

    Raises ``PotentialFileError`` naming the file and the field:
    ``potentials/morse.toml: field 'variables' must be a non-empty list of names``.
    """
    where = _display(file, builtin)
    try:
        data = tomllib.loads(file.read_bytes().decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PotentialFileError(f"{where}: not valid TOML: {error}") from error
    except OSError as error:
        raise PotentialFileError(f"{where}: cannot be read: {error.strerror or error}") from error
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise PotentialFileError(f"{where}: unknown field '{unknown[0]}' (known: {', '.join(FIELDS)})")
    for key in REQUIRED:
        if key not in data:
            raise PotentialFileError(f"{where}: field '{key}' is missing")
    stem = file.name[: -len(".toml")]
    name = data["name"]
    if not (isinstance(name, str) and NAME_RE.match(name)):
        raise PotentialFileError(f"{where}: field 'name' must be letters, digits, '-' or '_'")
    if name != stem:
        raise PotentialFileError(f"{where}: field 'name' is '{name}' but the file is {file.name}; "
                                 f"they must agree ('@{stem}' finds the file by its name)")
    description = data["description"]
    if not (isinstance(description, str) and description.strip() and "\n" not in description.strip()
            and len(description) <= MAX_DESCRIPTION):
        raise PotentialFileError(f"{where}: field 'description' must be one non-empty line "
                                 f"of at most {MAX_DESCRIPTION} characters")
    expression = data["expression"]
    if not (isinstance(expression, str) and expression.strip()):
        raise PotentialFileError(f"{where}: field 'expression' must be a non-empty string")
    variables = data["variables"]
    if not (isinstance(variables, list) and variables and all(_identifier(v) for v in variables)):
        raise PotentialFileError(f"{where}: field 'variables' must be a non-empty list of names")
    if len(set(variables)) != len(variables):
        raise PotentialFileError(f"{where}: field 'variables' names a variable twice")
    references = data.get("references", [])
    if not (isinstance(references, list) and all(isinstance(r, str) and r.strip() for r in references)):
        raise PotentialFileError(f"{where}: field 'references' must be a list of strings")
    n = len(variables)
    zero_modes = _zero_modes(data.get("zero_modes", 0), n, where, "zero_modes")
    return PotentialSpec(
        name=name,
        description=description.strip(),
        # A multi-line TOML string reads as one line of text.
        expression=" ".join(expression.split()),
        variables=tuple(variables),
        parameters=_parameters(data.get("parameters", {}), variables, where),
        start=_point(data["start"], n, where, "start"),
        stationary=_stationary(data.get("stationary", []), n, where, zero_modes),
        references=tuple(references),
        path=Path(str(file)),
        where=where,
        zero_modes=zero_modes,
        descent=_descent(data.get("descent", {}), where),
    )


# --- families built in code -------------------------------------------------------


def _balanced_sum(terms: list[str]) -> str:
    # Parenthesised halves keep the parse tree shallow for hundreds of terms.
    if len(terms) <= 8:
        return " + ".join(terms)
    half = len(terms) // 2
    return f"({_balanced_sum(terms[:half])}) + ({_balanced_sum(terms[half:])})"


@dataclass(frozen=True)
class Family:
    """A potential whose expression depends on an integer size ``n``."""

    name: str
    description: str
    parameters: dict
    n_max: int
    references: tuple[str, ...]
    build: object  # (n, values) -> (expression, variables, start, stationary)
    descent: object = None  # (n, values) -> DescentSettings
    zero_modes: object = None  # n -> the number of symmetry zero modes

    def spec(self, values: dict[str, float] | None = None) -> PotentialSpec:
        values = {**{k: p["value"] for k, p in self.parameters.items()}, **(values or {})}
        size = values["n"]
        if not (float(size).is_integer() and 2 <= size <= self.n_max):
            raise InputError(f"potential '@{self.name}': parameter n must be an integer from 2 to {self.n_max}, "
                             f"not {size:g}")
        n = int(size)
        expression, variables, start, stationary = self.build(n, values)
        parameters = {k: {**p, "value": (n if k == "n" else float(values[k]))} for k, p in self.parameters.items()}
        return PotentialSpec(self.name, self.description, expression, tuple(variables), parameters,
                             tuple(start), tuple(stationary), self.references, None, family="n",
                             where=f"family '{self.name}' (n={n})",
                             zero_modes=self.zero_modes(n) if self.zero_modes else 0,
                             descent=self.descent(n, values) if self.descent else DescentSettings())


# Lennard-Jones cluster minima in reduced units (eps = sigma = 1): a shape with
# one or two free lengths, fixed by minimising the energy over those lengths
# (mpmath, 40 digits); energies agree with the Cambridge Cluster Database.
_LJ_R = 2 ** (1 / 6)
_PHI = (1 + math.sqrt(5)) / 2


def _ring(k: int, radius: float, z: float = 0.0) -> list[tuple[float, float, float]]:
    return [(radius * math.cos(2 * math.pi * i / k), radius * math.sin(2 * math.pi * i / k), z) for i in range(k)]


def _icosahedron(radius: float) -> list[tuple[float, float, float]]:
    unit = []
    for s1 in (1, -1):
        for s2 in (1, -1):
            unit += [(0.0, s1, s2 * _PHI), (s1, s2 * _PHI, 0.0), (s2 * _PHI, 0.0, s1)]
    norm = math.sqrt(1 + _PHI**2)
    return [(0.0, 0.0, 0.0)] + [tuple(radius * c / norm for c in v) for v in unit]


_LJ_MINIMA = {
    2: (lambda: [(0.0, 0.0, 0.0), (_LJ_R, 0.0, 0.0)], -1.0, "dimer at r = 2^(1/6) sigma"),
    3: (lambda: _ring(3, _LJ_R / math.sqrt(3)), -3.0, "equilateral triangle of side 2^(1/6) sigma"),
    4: (lambda: [tuple(c * _LJ_R / (2 * math.sqrt(2)) for c in v)
                 for v in [(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)]],
        -6.0, "regular tetrahedron of edge 2^(1/6) sigma"),
    5: (lambda: _ring(3, 0.6489957274981957) + [(0.0, 0.0, 0.9129385501583536), (0.0, 0.0, -0.9129385501583536)],
        -9.103852415707557, "trigonal bipyramid; CCD: -9.103852"),
    6: (lambda: [(d * s, 0.0, 0.0) for s in (1, -1) for d in (0.7901536201320303,)]
        + [(0.0, d * s, 0.0) for s in (1, -1) for d in (0.7901536201320303,)]
        + [(0.0, 0.0, d * s) for s in (1, -1) for d in (0.7901536201320303,)],
        -12.712062256809338, "octahedron; CCD: -12.712062"),
    7: (lambda: _ring(5, 0.9562063096026523) + [(0.0, 0.0, 0.5738701692194005), (0.0, 0.0, -0.5738701692194005)],
        -16.505384168012217, "pentagonal bipyramid; CCD: -16.505384"),
    13: (lambda: _icosahedron(1.0818382885513658), -44.32680141953402, "Mackay icosahedron; CCD: -44.326801"),
}

# Other minima, listed because descent from the family's start ends there. LJ6's
# capped trigonal bipyramid (C2v, mirror planes x = 0 and z = 0): the end of
# that descent polished by Newton's method (|grad V| ~ 3e-14), symmetrised and
# centred; V = -12.30292752958073 from 40-digit arithmetic at these coordinates.
# (Not checked against a published table: none was at hand.)
_LJ6_C2V = (0.1718303360665292, 0.5657667152060034, 0.5598446801712425, 0.6166703192510343,
            0.9232193469915665, 0.4448399831845051)
_LJ_LOCAL = {
    6: (lambda p=_LJ6_C2V: [(0.0, -p[0], p[1]), (0.0, -p[0], -p[1]), (p[2], p[3], 0.0), (-p[2], p[3], 0.0),
                            (p[4], -p[5], 0.0), (-p[4], -p[5], 0.0)],
        -12.30292752958073, "local minimum: capped trigonal bipyramid (C2v), where descent from the start ends"),
}

# The pair's force constant at its minimum r = 2^(1/6) sigma: V''(r_min) = 72 * 2^(-1/3) eps/sigma^2 = 57.15.
LJ_PAIR_FORCE_CONSTANT = 72 * 2 ** (-1 / 3)


def _lj_zero_modes(n: int) -> int:
    """3 translations + 3 rotations; a dimer (linear) has only 2 rotations."""
    return 5 if n == 2 else 6


def _lj_descent(n: int, values: dict) -> DescentSettings:
    # The largest Hessian eigenvalue met along the descent from the start was
    # measured for n = 2..40: about k0 * min(n, 14), k0 = 57.15 eps/sigma^2
    # (n k0 for the compact n <= 4 clusters, saturating near 820 at n >= 13).
    # lr = 1/that keeps lr * lambda_max near 1 (stable below 2) and converges
    # for every n = 2..40 within 15,000 steps (n = 15 is the slowest).
    eps, sigma = values["eps"], values["sigma"]
    lr = sigma**2 / (eps * LJ_PAIR_FORCE_CONSTANT * min(n, 14)) if eps > 0 else math.nan
    return DescentSettings(lr=lr, steps=50_000)


def _fcc_start(n: int) -> list[tuple[float, float, float]]:
    # The n fcc sites nearest the origin at the pair-minimum spacing, nudged
    # off their symmetric positions so a descent does not sit on a saddle.
    span = range(-4, 5)
    sites = sorted((i * i + j * j + k * k, (i, j, k)) for i in span for j in span for k in span if (i + j + k) % 2 == 0)
    scale = _LJ_R / math.sqrt(2)
    return [tuple(scale * c + 0.04 * math.sin(2.0 * (3 * a + b) + 1.0) for b, c in enumerate(site))
            for a, (_, site) in enumerate(sites[:n])]


def _lj_cluster(n: int, values: dict):
    eps, sigma = values["eps"], values["sigma"]
    variables = [f"{c}{i}" for i in range(1, n + 1) for c in "xyz"]
    terms = []
    for i in range(1, n + 1):
        for j in range(i + 1, n + 1):
            # Written without spaces: n = 40 (780 pairs) stays under the parser's 100,000 characters.
            s = f"sigma**2/((x{i}-x{j})**2+(y{i}-y{j})**2+(z{i}-z{j})**2)"
            terms.append(f"({s})**6-({s})**3")
    expression = f"4*eps*({_balanced_sum(terms)})"
    start = [sigma * c for atom in _fcc_start(n) for c in atom]
    stationary = []
    for table, kind in ((_LJ_MINIMA, "global minimum: "), (_LJ_LOCAL, "")):
        if n in table:
            atoms, energy, note = table[n]
            point = tuple(sigma * c for atom in atoms() for c in atom)
            stationary.append(Stationary(point, eps * energy, "minimum", _lj_zero_modes(n), kind + note))
    return expression, variables, start, stationary


# Extended Rosenbrock: the global minimum at (1, ..., 1) and, for 4 <= n <= 7,
# a second local minimum near (-1, 1, ..., 1) (Newton's method, 40 digits).
_ROSENBROCK_LOCAL = {
    4: ((-0.7756592265653526, 0.6130933654850435, 0.38206284633839315, 0.1459720185521946), 3.7014286104300173),
    5: ((-0.9620510206947502, 0.93573939597671, 0.8807136041943206, 0.7778776758544063, 0.6050936785926528),
        3.930839434133028),
    6: ((-0.9865749795709937, 0.9833982288361817, 0.9721066700530919, 0.947437436826436, 0.8986511848517296,
         0.8075739520354176), 3.973940500930295),
    7: ((-0.9917225725614055, 0.9935553935033713, 0.9921733215946921, 0.9868987626903139, 0.975164756608873,
         0.9514319827049927, 0.9052228177139535), 3.983600536424854),
}


def _rosenbrock_nd(n: int, values: dict):
    variables = [f"x{i}" for i in range(1, n + 1)]
    terms = [f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n)]
    stationary = [Stationary(tuple([1.0] * n), 0.0, "minimum", 0, "global minimum")]
    if n in _ROSENBROCK_LOCAL:
        point, value = _ROSENBROCK_LOCAL[n]
        stationary.append(Stationary(point, value, "minimum", 0, "local minimum near (-1, 1, ..., 1)"))
    start = [-1.2 if i % 2 == 0 else 1.0 for i in range(n)]
    return _balanced_sum(terms), variables, start, stationary


def _rosenbrock_nd_descent(n: int, values: dict) -> DescentSettings:
    # The largest Hessian eigenvalue along the descent from the start is at most
    # 2,603 (n = 2..400; 1,002 at the minimum for n = 2, 1,802 for large n), so
    # lr = 1/1600 keeps lr * lambda_max below 1.63 (stable below 2). Plain
    # gradient descent is slow along the curved valley, on purpose: that is the
    # textbook lesson. It needs 57,000-70,000 steps for n <= 50 and about
    # 56,000 + 270 n beyond, so the budget grows with n.
    return DescentSettings(lr=1 / 1600, steps=100_000 + 500 * n)


FAMILIES: dict[str, Family] = {
    "lj-cluster": Family(
        "lj-cluster",
        "Lennard-Jones cluster of n atoms (3n coordinates x1,y1,z1,...), reduced units; size with --param n=...",
        {"n": {"value": 13, "units": None}, "eps": {"value": 1.0, "units": "energy"},
         "sigma": {"value": 1.0, "units": "length"}},
        40,
        ("J. E. Lennard-Jones, Proc. R. Soc. Lond. A 106, 463 (1924)",
         "D. J. Wales and J. P. K. Doye, Global optimization by basin-hopping and the lowest energy structures of "
         "Lennard-Jones clusters containing up to 110 atoms, J. Phys. Chem. A 101, 5111 (1997); energies in the "
         "Cambridge Cluster Database (n=5: -9.103852, 6: -12.712062, 7: -16.505384, 13: -44.326801)"),
        _lj_cluster,
        _lj_descent,
        _lj_zero_modes,
    ),
    "rosenbrock-nd": Family(
        "rosenbrock-nd",
        "n-dimensional Rosenbrock sum of 100(x[i+1]-x[i]²)²+(1-x[i])²; size with --param n=...",
        {"n": {"value": 4, "units": None}},
        1000,
        ("H. H. Rosenbrock, Comput. J. 3, 175 (1960)",
         "S. Kok and C. Sandrock, Locating and characterizing the stationary points of the extended Rosenbrock "
         "function, Evol. Comput. 17, 437 (2009): a second minimum near (-1, 1, ..., 1) for 4 <= n <= 7"),
        _rosenbrock_nd,
        _rosenbrock_nd_descent,
    ),
}
