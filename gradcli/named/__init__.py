"""Named potentials: ``@morse`` and friends, found by name.

    >>> import gradcli.named
    >>> mb = gradcli.named.load("muller-brown")
    >>> V = mb.potential
    >>> round(float(V(mb.stationary[0].point)), 6), mb.descent_settings()
    (-146.699517, {'lr': 0.0002, 'steps': 2000})

The rooms, each importing only those above it (no cycle):

- ``units``: the known energy, length and mass units; ``Units``.
- ``spec``: what a named potential is (``PotentialSpec``, ``Stationary``,
  ``DescentSettings`` and their bounds) and binding it to parameter values.
- ``files``: reading and checking one TOML file (the data lives in the
  top-level ``potentials/`` folder, shipped as ``gradcli.builtin_potentials``).
- ``families``: potentials built in code for a size n (``lj-cluster``,
  ``rosenbrock-nd``).
- ``check``: the expensive check with the compiler (stationary points, kinds).
- ``resolved``: ``Resolved``, what a command computes with, carrying the spec.
- ``registry``: the search order of folders, lookup by name, listing,
  ``resolve`` and ``load``.

Two levels of checking: loading (every ``@NAME``, every listing) reads the
TOML and checks every field's type, shape and range, with errors naming the
file and field; ``validate_potential`` (tests, ``gradcli potentials show``,
``--check``) also compiles the potential and checks each stationary point.
"""

from gradcli.named.check import classify_kind, validate_potential
from gradcli.named.families import FAMILIES, Family
from gradcli.named.files import KINDS, MAX_FILE_BYTES, NAME_RE, load_file
from gradcli.named.registry import (
    ENV_VAR,
    builtin_dir,
    find_potential,
    list_potentials,
    load,
    lookup,
    potential_names,
    resolve,
    search_dirs,
)
from gradcli.named.resolved import Resolved
from gradcli.named.spec import DescentSettings, PotentialSpec, Stationary
from gradcli.named.units import Units

__all__ = [
    "DescentSettings",
    "ENV_VAR",
    "FAMILIES",
    "Family",
    "KINDS",
    "MAX_FILE_BYTES",
    "NAME_RE",
    "PotentialSpec",
    "Resolved",
    "Stationary",
    "Units",
    "builtin_dir",
    "classify_kind",
    "find_potential",
    "list_potentials",
    "load",
    "load_file",
    "lookup",
    "potential_names",
    "resolve",
    "search_dirs",
    "validate_potential",
]
