"""Element symbols -> atomic masses, for the normal modes of particles read
from coordinate files.

Standard atomic weights (IUPAC, abridged conventional values) in daltons,
for H to Xe (Tc, with no stable isotope, left out) and a few heavy metals.

    >>> mass("Ar"), mass("ar")
    (39.948, 39.948)
"""

from __future__ import annotations

from ..errors import InputError

MASSES = {
    "H": 1.008,
    "He": 4.002602,
    "Li": 6.94,
    "Be": 9.0121831,
    "B": 10.81,
    "C": 12.011,
    "N": 14.007,
    "O": 15.999,
    "F": 18.998403163,
    "Ne": 20.1797,
    "Na": 22.98976928,
    "Mg": 24.305,
    "Al": 26.9815385,
    "Si": 28.085,
    "P": 30.973761998,
    "S": 32.06,
    "Cl": 35.45,
    "Ar": 39.948,
    "K": 39.0983,
    "Ca": 40.078,
    "Sc": 44.955908,
    "Ti": 47.867,
    "V": 50.9415,
    "Cr": 51.9961,
    "Mn": 54.938044,
    "Fe": 55.845,
    "Co": 58.933194,
    "Ni": 58.6934,
    "Cu": 63.546,
    "Zn": 65.38,
    "Ga": 69.723,
    "Ge": 72.630,
    "As": 74.921595,
    "Se": 78.971,
    "Br": 79.904,
    "Kr": 83.798,
    "Rb": 85.4678,
    "Sr": 87.62,
    "Y": 88.90584,
    "Zr": 91.224,
    "Nb": 92.90637,
    "Mo": 95.95,
    "Ru": 101.07,
    "Rh": 102.90550,
    "Pd": 106.42,
    "Ag": 107.8682,
    "Cd": 112.414,
    "In": 114.818,
    "Sn": 118.710,
    "Sb": 121.760,
    "Te": 127.60,
    "I": 126.90447,
    "Xe": 131.293,
    "Cs": 132.90545196,
    "Ba": 137.327,
    "W": 183.84,
    "Pt": 195.084,
    "Au": 196.966569,
    "Hg": 200.592,
    "Pb": 207.2,
}

_BY_LOWER = {symbol.lower(): symbol for symbol in MASSES}


def element(symbol: str) -> str | None:
    """The element's symbol as written in the table ('ar' -> 'Ar'), or None if unknown."""
    return _BY_LOWER.get(symbol.strip().lower())


def mass(symbol: str, where: str = "") -> float:
    """The atomic mass of ``symbol`` (any case); an unknown symbol is an
    ``InputError`` naming ``where`` it came from (a file and line)."""
    known = element(symbol)
    if known is None:
        at = f"{where}: " if where else ""
        raise InputError(f"{at}no atomic mass known for the element symbol {symbol!r}")
    return MASSES[known]
