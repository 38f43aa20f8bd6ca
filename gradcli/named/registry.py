"""Finding named potentials: the search order of the folders, lookup by name,
listing, and ``resolve`` turning a command's ``@NAME`` into a ``Resolved``.

Folders are searched in order: ``extra_dirs`` (``--potentials-dir``), the
folders in ``$GRADCLI_POTENTIALS`` (os.pathsep separated), then the built-in
folder; a name found earlier shadows later ones, and a file shadows a family.
Every folder named must exist (``InputError``).

``@NAME`` reads ``NAME.toml`` alone (the first found), or builds the family
``NAME`` once for the parameters given; a name found nowhere is answered from
the file names, without reading any file. Only a listing reads every file.
"""

from __future__ import annotations

import difflib
import os
import warnings
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from gradcli.errors import InputError, PotentialFileError, UnknownPotentialError
from gradcli.named.families import FAMILIES, Family
from gradcli.named.files import NAME_RE, load_file
from gradcli.named.resolved import Resolved
from gradcli.named.spec import PotentialSpec

ENV_VAR = "GRADCLI_POTENTIALS"


# --- folders ------------------------------------------------------------------


def builtin_dir() -> Traversable:
    """The built-in potentials folder (package ``gradcli.builtin_potentials``),
    for editable and plain installs alike."""
    return resources.files("gradcli.builtin_potentials")


def search_dirs(extra_dirs=()) -> list[tuple[Traversable, bool]]:
    """Folders in search order as ``(folder, is_builtin)``: ``extra_dirs``,
    then ``$GRADCLI_POTENTIALS`` (empty entries skipped), then the built-in
    folder. A folder given that does not exist is an ``InputError``."""
    dirs: list[tuple[Traversable, bool]] = []
    for d in extra_dirs:
        path = Path(d)
        if not path.is_dir():
            raise InputError(f"potentials folder '{d}' does not exist or is not a folder")
        dirs.append((path, False))
    for entry in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if not entry:
            continue
        path = Path(entry)
        if not path.is_dir():
            raise InputError(f"potentials folder '{entry}' (in ${ENV_VAR}) does not exist or is not a folder")
        dirs.append((path, False))
    dirs.append((builtin_dir(), True))
    return dirs


def _toml_files(folder: Traversable) -> list[Traversable]:
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


def potential_names(extra_dirs=()) -> list[str]:
    """Every name reachable from the search folders, from the file names alone
    (nothing is read), and the families; sorted.

    >>> "morse" in potential_names() and "lj-cluster" in potential_names()
    True
    """
    names = {f.name[: -len(".toml")] for folder, _ in search_dirs(extra_dirs) for f in _toml_files(folder)}
    return sorted(names | set(FAMILIES))


def lookup(name: str, extra_dirs=()) -> PotentialSpec | Family:
    """The potential called ``name`` (a leading ``@`` is ignored): the spec read
    from the first ``NAME.toml`` in the search folders (no other file is read),
    else the ``Family`` of that name, not yet built.

    Raises ``PotentialFileError`` if its file is malformed and
    ``UnknownPotentialError`` suggesting the closest names if there is none.
    """
    name = name[1:] if name.startswith("@") else name
    if NAME_RE.match(name):
        for folder, builtin in search_dirs(extra_dirs):
            file = folder / f"{name}.toml"
            if file.is_file():
                return load_file(file, builtin=builtin)
        if name in FAMILIES:
            return FAMILIES[name]
    close = difflib.get_close_matches(name, potential_names(extra_dirs), n=3, cutoff=0.6)
    if close:
        quoted = [f"'@{c}'" for c in close]
        hint = "did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"
    else:
        hint = "run 'gradcli potentials' to list them"
    raise UnknownPotentialError(f"unknown potential '@{name}'; {hint}")


def find_potential(name: str, extra_dirs=()) -> PotentialSpec:
    """The potential called ``name`` at its default parameters (a family built
    at its default size). See ``lookup``.

    >>> find_potential("@morse").expression
    'D*(1 - exp(-a*(r - r0)))**2'
    """
    found = lookup(name, extra_dirs)
    return found.spec() if isinstance(found, Family) else found


def resolve(argument: str, params: dict[str, float] | None = None, extra_dirs=()) -> Resolved:
    """Turn a command's EXPR argument into what to compile.

    ``"@NAME"``: the potential's expression and variables, its defaults
    overridden by ``params`` (unknown names: ``InputError``), and its spec at
    those parameters; its file is read once (a family built once) and its
    expression parsed here, so a refused one is reported against its file.
    Anything else is a typed expression, returned as it is.

    >>> resolve("@harmonic", {"k": 2.0})
    Resolved(expression='k*x**2/2', variables=('x',), params={'k': 2.0}, name='harmonic')
    >>> resolve("x**2", {})
    Resolved(expression='x**2', variables=None, params={}, name=None)
    """
    params = dict(params or {})
    if not argument.strip().startswith("@"):
        return Resolved(argument, None, params, None)
    spec, values = lookup(argument.strip(), extra_dirs).bind(params)
    spec.check_expression()
    return Resolved(spec.expression, spec.variables, values, spec.name, spec)


def load(name: str, /, *, potentials_dir=(), **params: float) -> Resolved:
    """A named potential for Python: ``name`` (``"morse"`` or ``"@morse"``) with
    its defaults overridden by ``params``, searched in ``potentials_dir`` (one
    folder or several) before ``$GRADCLI_POTENTIALS`` and the built-in ones.

    The result carries the compiled ``potential`` and the spec's ``start``,
    ``stationary`` points, ``zero_modes``, ``units``, ``masses`` and
    ``descent_settings()``.

    >>> lj = load("lj-cluster", n=3)
    >>> len(lj.variables), lj.stationary[0].value, lj.units.energy
    (9, -3.0, 'reduced')
    >>> float(lj.potential(lj.stationary[0].point))
    -3.0
    """
    if isinstance(potentials_dir, (str, os.PathLike)):
        potentials_dir = (potentials_dir,)
    return resolve("@" + name.removeprefix("@"), params, tuple(potentials_dir))
