"""Reading one potential file (``potentials/morse.toml``) into a ``PotentialSpec``.

A file holds ``name`` (equal to the file name without ``.toml``: that is how
``@morse`` finds it), a one-line ``description``, an ``expression``, its
``variables`` in order, ``[parameters]`` with defaults (a number, or
``{value = ..., units = "..."}``), a ``start`` point, ``references`` and
``[[stationary]]`` points (``point``, ``value``, ``kind`` one of
minimum/maximum/saddle, optional ``zero_modes`` and ``note``) known for the
default parameters; optionally ``zero_modes`` (Hessian eigenvalues zero at
every stationary point by a continuous symmetry: translations and rotations
of a cluster), a ``[descent]`` table of suggested settings for
``gradcli descend`` (``lr``: a number or an expression of the parameters such
as ``"0.5/k"``; ``steps``; ``tol``; each within the bounds in
``gradcli.named.spec``), a ``[units]`` table (``energy``, ``length``, ``mass``:
see ``gradcli.named.units``) and ``masses`` (one per variable or per atom).

A particle system has a ``[pair]`` table instead of ``expression`` and
``variables``: ``expression`` (the pair term in r and the parameters),
``atoms``, and optionally ``dim`` (1-3, default 3), ``cutoff`` (the pair
energy is shifted to 0 there), ``one_body`` (a term in x, y, z added per
particle) and ``element`` (the symbol written to coordinate files); its
variables are x1, y1, z1, x2, ... and ``start`` gives all of them.

Every field's type and shape is checked here, with errors naming the file and
the field; nothing is parsed or compiled (``PotentialSpec.check_expression``
and ``gradcli.named.check.validate_potential`` do that). A file larger than
MAX_FILE_BYTES is refused before it is parsed.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import TypeGuard

from gradcli.errors import PotentialFileError
from gradcli.named.spec import (
    LR_RANGE,
    MAX_STEPS,
    MAX_TOL,
    DescentSettings,
    ParticleSpec,
    PotentialSpec,
    Stationary,
)
from gradcli.named.units import KNOWN, Units, masses_per_variable, unit_name

KINDS = ("minimum", "maximum", "saddle")
MAX_DESCRIPTION = 200
#: The largest potential file read (1 MiB: the biggest built-in file is under 4 kB).
MAX_FILE_BYTES = 1 << 20
READ_CHUNK = 1 << 16
#: The most [[stationary]] entries in a file (each is checked with a Hessian by validate_potential).
MAX_STATIONARY = 1000
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
FIELDS = (
    "name",
    "description",
    "expression",
    "variables",
    "parameters",
    "start",
    "references",
    "stationary",
    "zero_modes",
    "descent",
    "units",
    "masses",
    "pair",
)
REQUIRED = ("name", "description", "expression", "variables", "start")
PAIR_FIELDS = ("expression", "atoms", "dim", "cutoff", "one_body", "element")
#: The most particles a [pair] file may declare (as the cluster families).
MAX_ATOMS = 1000
STATIONARY_FIELDS = ("point", "value", "kind", "zero_modes", "note")
DESCENT_FIELDS = ("lr", "steps", "tol", "method")
UNITS_FIELDS = ("energy", "length", "mass")


def _display(file, builtin: bool) -> str:
    return f"potentials/{file.name}" if builtin else str(file)


def _is_number(value) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _point(value, n: int, where: str, field: str) -> tuple[float, ...]:
    if n == 1 and _is_number(value):
        value = [value]
    if not (isinstance(value, list) and len(value) == n and all(_is_number(v) for v in value)):
        raise PotentialFileError(
            f"{where}: field '{field}' must be a list of {n} finite number{'s' * (n != 1)} (one per variable)"
        )
    return tuple(float(v) for v in value)


def _identifier(name) -> bool:
    return isinstance(name, str) and name.isidentifier() and name.isascii()


def _parameters(table, variables, where: str) -> dict:
    if not isinstance(table, dict):
        raise PotentialFileError(
            f"{where}: field 'parameters' must be a table of NAME = number "
            f'or NAME = {{value = number, units = "..."}}'
        )
    out = {}
    for name, entry in table.items():
        field = f"parameters.{name}"
        if not _identifier(name) or name in variables:
            raise PotentialFileError(f"{where}: field '{field}': a parameter needs a name that is not also a variable")
        if isinstance(entry, dict):
            extra = sorted(set(entry) - {"value", "units"})
            if extra or "value" not in entry:
                raise PotentialFileError(
                    f"{where}: field '{field}' must be {{value = number, units = \"...\"}}"
                    + (f"; unknown key '{extra[0]}'" if extra else "; 'value' is missing")
                )
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
        raise PotentialFileError(
            f"{where}: field 'descent' has an unknown key '{extra[0]}' (known: {', '.join(DESCENT_FIELDS)})"
        )
    lr, steps, tol = table.get("lr"), table.get("steps"), table.get("tol")
    if lr is not None and not ((_is_number(lr) and lr > 0) or (isinstance(lr, str) and lr.strip())):
        raise PotentialFileError(
            f"{where}: field 'descent.lr' must be a positive number or an expression "
            f'of the parameters in quotes, e.g. "0.5/k"'
        )
    if _is_number(lr) and not LR_RANGE[0] <= lr <= LR_RANGE[1]:
        raise PotentialFileError(
            f"{where}: field 'descent.lr' is {lr:g}, outside the range {LR_RANGE[0]:g} to {LR_RANGE[1]:g}"
        )
    if steps is not None and not (_is_whole(steps) and 1 <= steps <= MAX_STEPS):
        raise PotentialFileError(f"{where}: field 'descent.steps' must be a whole number from 1 to {MAX_STEPS:,}")
    if tol is not None and not (_is_number(tol) and tol >= 0):
        raise PotentialFileError(f"{where}: field 'descent.tol' must be a number >= 0")
    if tol is not None and tol > MAX_TOL:
        raise PotentialFileError(f"{where}: field 'descent.tol' is {tol:g}, outside the range 0 to {MAX_TOL:g}")
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
    if len(entries) > MAX_STATIONARY:
        raise PotentialFileError(f"{where}: field 'stationary' has {len(entries)} entries; at most {MAX_STATIONARY}")
    out = []
    for i, entry in enumerate(entries):
        field = f"stationary[{i}]"
        extra = sorted(set(entry) - set(STATIONARY_FIELDS))
        if extra:
            raise PotentialFileError(
                f"{where}: field '{field}' has an unknown key '{extra[0]}' (known: {', '.join(STATIONARY_FIELDS)})"
            )
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
            raise PotentialFileError(
                f"{where}: field '{field}.zero_modes' is {modes}, fewer than the potential's "
                f"zero_modes = {zero_modes} (those are zero at every stationary point)"
            )
        note = entry.get("note", "")
        if not isinstance(note, str):
            raise PotentialFileError(f"{where}: field '{field}.note' must be a string")
        out.append(Stationary(point, float(entry["value"]), entry["kind"], modes, note))
    return tuple(out)


def _units(table, where: str) -> Units | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise PotentialFileError(f"{where}: field 'units' must be a table ([units]) with energy, length and mass")
    extra = sorted(set(table) - set(UNITS_FIELDS))
    if extra:
        raise PotentialFileError(
            f"{where}: field 'units' has an unknown key '{extra[0]}' (known: {', '.join(UNITS_FIELDS)})"
        )
    names: dict[str, str] = {}
    for quantity in UNITS_FIELDS:
        if quantity not in table:
            if quantity == "mass":
                continue
            raise PotentialFileError(f"{where}: field 'units.{quantity}' is missing")
        name = unit_name(table[quantity], quantity)
        if name is None:
            raise PotentialFileError(f"{where}: field 'units.{quantity}' must be one of {', '.join(KNOWN[quantity])}")
        names[quantity] = name
    return Units(**names)


def _masses(value, variables, units: Units | None, where: str) -> tuple[float, ...] | None:
    if value is None:
        return None
    n = len(variables)
    counts = f"{n}" + (f" (one per variable) or {n // 3} (one per atom)" if n % 3 == 0 else "")
    if not (isinstance(value, list) and value and all(_is_number(m) and m > 0 for m in value)):
        raise PotentialFileError(f"{where}: field 'masses' must be a list of positive numbers")
    masses = masses_per_variable(value, variables)
    if masses is None:
        raise PotentialFileError(f"{where}: field 'masses' has {len(value)} entries; it needs {counts}")
    if units is None or units.mass is None:
        raise PotentialFileError(f"{where}: field 'masses' needs their unit: [units] mass = \"amu\" (or another)")
    return masses


def _read(file, where: str) -> str:
    """The text of ``file``, read no further than MAX_FILE_BYTES + 1 bytes."""
    chunks, size = [], 0
    try:
        with file.open("rb") as stream:
            # In chunks: one read of MAX_FILE_BYTES + 1 would allocate that much for every small file.
            while size <= MAX_FILE_BYTES and (chunk := stream.read(READ_CHUNK)):
                chunks.append(chunk)
                size += len(chunk)
    except OSError as error:
        raise PotentialFileError(f"{where}: cannot be read: {error.strerror or error}") from error
    raw = b"".join(chunks)
    if len(raw) > MAX_FILE_BYTES:
        raise PotentialFileError(
            f"{where}: larger than {MAX_FILE_BYTES // (1 << 20)} MiB, the most a potential file may be"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PotentialFileError(f"{where}: not valid TOML: {error}") from error


def load_file(file, builtin: bool = False) -> PotentialSpec:
    """Read and check one potential file (no compiling: see ``validate_potential``).

    Raises ``PotentialFileError`` naming the file and the field:
    ``potentials/morse.toml: field 'variables' must be a non-empty list of names``.
    """
    where = _display(file, builtin)
    text = _read(file, where)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PotentialFileError(f"{where}: not valid TOML: {error}") from error
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise PotentialFileError(f"{where}: unknown field '{unknown[0]}' (known: {', '.join(FIELDS)})")
    particles = _pair(data["pair"], where) if "pair" in data else None
    if particles is not None:
        given = [key for key in ("expression", "variables") if key in data]
        if given:
            raise PotentialFileError(
                f"{where}: field '{given[0]}' cannot be given with [pair] "
                f"(the pair term is pair.expression, the variables x1, y1, z1, ...)"
            )
        data["expression"] = particles.pair
        data["variables"] = [f"{a}{i}" for i in range(1, particles.n_atoms + 1) for a in "xyz"[: particles.dim]]
    for key in REQUIRED:
        if key not in data:
            raise PotentialFileError(f"{where}: field '{key}' is missing")
    stem = file.name[: -len(".toml")]
    name = data["name"]
    if not (isinstance(name, str) and NAME_RE.match(name)):
        raise PotentialFileError(f"{where}: field 'name' must be letters, digits, '-' or '_'")
    if name != stem:
        raise PotentialFileError(
            f"{where}: field 'name' is '{name}' but the file is {file.name}; "
            f"they must agree ('@{stem}' finds the file by its name)"
        )
    description = data["description"]
    if not (
        isinstance(description, str)
        and description.strip()
        and "\n" not in description.strip()
        and len(description) <= MAX_DESCRIPTION
    ):
        raise PotentialFileError(
            f"{where}: field 'description' must be one non-empty line of at most {MAX_DESCRIPTION} characters"
        )
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
    units = _units(data.get("units"), where)
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
        units=units,
        masses=_masses(data.get("masses"), variables, units, where),
        particles=particles,
    )


def _pair(table, where: str) -> ParticleSpec:
    """The ``[pair]`` table of a particle system, each field checked."""
    if not isinstance(table, dict):
        raise PotentialFileError(f"{where}: field 'pair' must be a table ([pair])")
    unknown = sorted(set(table) - set(PAIR_FIELDS))
    if unknown:
        raise PotentialFileError(f"{where}: unknown field 'pair.{unknown[0]}' (known: {', '.join(PAIR_FIELDS)})")
    for key in ("expression", "atoms"):
        if key not in table:
            raise PotentialFileError(f"{where}: field 'pair.{key}' is missing")
    expression = table["expression"]
    if not (isinstance(expression, str) and expression.strip()):
        raise PotentialFileError(f"{where}: field 'pair.expression' must be a non-empty string")
    atoms, dim = table["atoms"], table.get("dim", 3)
    if not (_is_whole(atoms) and 1 <= atoms <= MAX_ATOMS):
        raise PotentialFileError(f"{where}: field 'pair.atoms' must be a whole number from 1 to {MAX_ATOMS}")
    if not (_is_whole(dim) and 1 <= dim <= 3):
        raise PotentialFileError(f"{where}: field 'pair.dim' must be 1, 2 or 3")
    cutoff = table.get("cutoff")
    if cutoff is not None and not (_is_number(cutoff) and cutoff > 0):
        raise PotentialFileError(f"{where}: field 'pair.cutoff' must be a positive number")
    one_body = table.get("one_body")
    if one_body is not None and not (isinstance(one_body, str) and one_body.strip()):
        raise PotentialFileError(f"{where}: field 'pair.one_body' must be a non-empty string")
    element = table.get("element", "X")
    if not (isinstance(element, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", element)):
        raise PotentialFileError(f"{where}: field 'pair.element' must be an element symbol such as Ar")
    return ParticleSpec(
        " ".join(expression.split()),
        atoms,
        dim,
        None if cutoff is None else float(cutoff),
        None if one_body is None else " ".join(one_body.split()),
        element,
    )
