"""Reading one potential file (``potentials/morse.toml``) into a ``PotentialSpec``.

A file holds ``name`` (equal to the file name without ``.toml``: that is how
``@morse`` finds it), a one-line ``description``, an ``expression``, its
``variables`` in order, ``[parameters]`` with defaults (a number, or
``{value = ..., units = "..."}``), a ``start`` point, ``references`` and
``[[stationary]]`` points (``point``, ``value``, ``kind`` one of
minimum/maximum/saddle, optional ``zero_modes`` and ``note``) known for the
default parameters; optionally ``zero_modes`` (Hessian eigenvalues zero at
every stationary point by a continuous symmetry: translations and rotations
of a cluster) and a ``[descent]`` table of suggested settings for
``gradcli descend`` (``lr``: a number or an expression of the parameters such
as ``"0.5/k"``; ``steps``; ``tol``).

Every field's type and shape is checked here, with errors naming the file and
the field; nothing is parsed or compiled (``PotentialSpec.check_expression``
and ``gradcli.potential_check.validate_potential`` do that).
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

from gradcli.errors import PotentialFileError
from gradcli.potential_spec import DescentSettings, PotentialSpec, Stationary

KINDS = ("minimum", "maximum", "saddle")
MAX_STEPS = 10**9
MAX_DESCRIPTION = 200
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
FIELDS = ("name", "description", "expression", "variables", "parameters", "start", "references", "stationary",
          "zero_modes", "descent")
REQUIRED = ("name", "description", "expression", "variables", "start")
STATIONARY_FIELDS = ("point", "value", "kind", "zero_modes", "note")
DESCENT_FIELDS = ("lr", "steps", "tol", "method")


def _display(file, builtin: bool) -> str:
    return f"potentials/{file.name}" if builtin else str(file)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
    if not (_is_whole(value) and 0 <= value < n):
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
    if steps is not None and not (_is_whole(steps) and 1 <= steps <= MAX_STEPS):
        raise PotentialFileError(f"{where}: field 'descent.steps' must be a whole number from 1 to {MAX_STEPS}")
    if tol is not None and not (_is_number(tol) and tol >= 0):
        raise PotentialFileError(f"{where}: field 'descent.tol' must be a number >= 0")
    method = table.get("method")
    if method is not None:
        from gradcli.optimize.registry import OPTIMIZERS

        if method not in OPTIMIZERS:
            raise PotentialFileError(f"{where}: field 'descent.method' must be one of {', '.join(OPTIMIZERS)}")
    return DescentSettings(
        lr=" ".join(lr.split()) if isinstance(lr, str) else (float(lr) if lr is not None else None),
        steps=steps,
        tol=float(tol) if tol is not None else None,
        method=method,
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
