"""Named potentials: ``@morse`` and friends, found by name.

The public face of the named potentials: listing them, finding one by name
(with suggestions when there is none), and ``resolve`` turning a command's
``@NAME`` argument into what to compile. Potentials come from TOML files
(read and checked field by field in ``gradcli.potential_files``) and from
families built in code for a size ``n`` (``gradcli.families``:
``lj-cluster``, ``rosenbrock-nd``); what a potential is lives in
``gradcli.potential_spec`` and the check against the compiler in
``gradcli.potential_check``. Every name is importable from here.

Folders are searched in order: ``extra_dirs`` (``--potentials-dir``), the
folders in ``$GRADCLI_POTENTIALS`` (os.pathsep separated), then the built-in
folder; a name found earlier shadows later ones, and a file shadows a family.

Two cheap/expensive levels of checking:

- loading (every ``@NAME``, every listing) reads the TOML and checks every
  field's type and shape, with errors naming the file and field;
  ``resolve`` also parses the one expression it returns;
- ``validate_potential`` (tests, ``gradcli potentials show``,
  ``gradcli potentials --check``) also compiles the potential, evaluates it at
  ``start`` and checks every stationary point: |grad V| < 1e-6, the value, and
  the kind from the Hessian's eigenvalues.
"""

from __future__ import annotations

import difflib
import os
import warnings
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from gradcli.errors import InputError, PotentialFileError, UnknownPotentialError
from gradcli.families import FAMILIES
from gradcli.potential_check import classify_kind, validate_potential
from gradcli.potential_files import KINDS, NAME_RE, load_file
from gradcli.potential_spec import DescentSettings, PotentialSpec, Stationary

__all__ = [
    "DescentSettings", "ENV_VAR", "KINDS", "PotentialSpec", "Resolved", "Stationary", "builtin_dir", "classify_kind",
    "find_potential", "list_potentials", "load_file", "resolve", "search_dirs", "validate_potential",
]

ENV_VAR = "GRADCLI_POTENTIALS"


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
    spec.check_expression()
    return Resolved(spec.expression, spec.variables, values, spec.name)
