"""The units a table header shows beside a quantity (``V (eV)``, ``F (eV/Å)``,
``k (eV/Å²)``) and the ``units`` object of the JSON, from the units a named
potential declares. Typed expressions have none: their headers stay bare and
their JSON says ``"units": null``; so do potentials in ``reduced`` units.
"""

from __future__ import annotations

#: What each kind of quantity is made of: (power of the energy unit, power of the length unit).
KINDS = {"energy": (1, 0), "length": (0, 1), "gradient": (1, -1), "curvature": (1, -2)}
_POWERS = {1: "", 2: "²", 3: "³"}


def declared(run):
    """The ``Units`` of the potential ``run`` resolved, or None (a typed expression, --pair)."""
    resolved = getattr(run, "resolved", None)
    return getattr(resolved, "units", None) if resolved is not None else None


def to_json(units) -> dict | None:
    """The JSON ``units`` object: ``{"energy": ..., "length": ..., "mass": ...}``, or None.

    >>> from gradcli.named.units import Units
    >>> to_json(Units("eV", "Å", "amu")), to_json(None)
    ({'energy': 'eV', 'length': 'Å', 'mass': 'amu'}, None)
    """
    return units.to_dict() if units is not None else None


def unit(kind: str, units) -> str | None:
    """The unit of a ``kind`` of quantity (see ``KINDS``) in ``units``; None when there are no
    units or one it needs is ``reduced``.

    >>> from gradcli.named.units import Units
    >>> unit("curvature", Units("eV", "Å")), unit("energy", Units("reduced", "reduced"))
    ('eV/Å²', None)
    """
    if units is None:
        return None
    energy_power, length_power = KINDS[kind]
    needed = [u for u, p in ((units.energy, energy_power), (units.length, length_power)) if p]
    if any(u is None or u == "reduced" for u in needed):
        return None
    if energy_power == 0:
        return units.length
    if length_power == 0:
        return units.energy
    return f"{units.energy}/{units.length}{_POWERS[-length_power]}"


def label(name: str, kind: str, units) -> str:
    """A table header: ``name`` with its unit in parentheses, or ``name`` alone without units.

    >>> from gradcli.named.units import Units
    >>> label("F", "gradient", Units("eV", "Å")), label("F", "gradient", None)
    ('F (eV/Å)', 'F')
    """
    shown = unit(kind, units)
    return f"{name} ({shown})" if shown else name
