"""The units a named potential is written in: energy, length (of its
coordinates) and mass, and the masses that go with its coordinates.

A file declares them in a ``[units]`` table::

    [units]
    energy = "eV"
    length = "Å"
    mass = "amu"       # needed only with masses

and, where its coordinates belong to atoms or particles, ``masses``: one per
variable, or one per atom when the variables are x, y, z triples
(``x1, y1, z1, x2, ...``). Each name must be one of the known units below (so a
typo is caught, and a program reading the JSON can convert); ``"reduced"``
means the potential's own scale (dimensionless test functions, or Lennard-Jones
in units of ε, σ and the atom's mass). Typed expressions have no units.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The units a file may name, per quantity. "rad" is the length unit of an angle coordinate.
KNOWN = {
    "energy": ("eV", "meV", "Ha", "kcal/mol", "kJ/mol", "J", "reduced"),
    "length": ("Å", "nm", "pm", "bohr", "m", "rad", "reduced"),
    "mass": ("amu", "kg", "me", "reduced"),
}
#: ASCII and long spellings accepted for a known unit.
ALIASES = {"A": "Å", "angstrom": "Å", "Angstrom": "Å", "u": "amu", "Da": "amu", "hartree": "Ha", "Eh": "Ha"}


@dataclass(frozen=True)
class Units:
    """The energy, length and mass units of a named potential (``mass`` None
    when the potential has no masses).

    >>> Units("eV", "Å", "amu").to_dict()
    {'energy': 'eV', 'length': 'Å', 'mass': 'amu'}
    """

    energy: str
    length: str
    mass: str | None = None

    def to_dict(self) -> dict:
        return {"energy": self.energy, "length": self.length, "mass": self.mass}


def unit_name(value, quantity: str) -> str | None:
    """``value`` as the canonical name of a known ``quantity`` unit, or None
    if it is not one.

    >>> unit_name("A", "length"), unit_name("furlong", "length")
    ('Å', None)
    """
    if not isinstance(value, str):
        return None
    name = ALIASES.get(value.strip(), value.strip())
    return name if name in KNOWN[quantity] else None


def masses_per_variable(masses, variables) -> tuple[float, ...] | None:
    """One mass per variable: ``masses`` as given when there is one per variable,
    each repeated three times when there is one per atom of x, y, z triples;
    None when the count fits neither.

    >>> masses_per_variable([1.0, 2.0], ["x1", "y1", "z1", "x2", "y2", "z2"])
    (1.0, 1.0, 1.0, 2.0, 2.0, 2.0)
    """
    n = len(variables)
    if len(masses) == n:
        return tuple(float(m) for m in masses)
    if 3 * len(masses) == n:
        return tuple(float(m) for m in masses for _ in range(3))
    return None
