"""Parsing the command line's small values: POINT, VECTOR, --param, --vars.

Every function raises ``InputError`` (exit 2) with one line saying what was
expected; none of them evaluates anything (numbers are matched by a regular
expression before ``float`` sees them, so ``nan``, ``inf`` and ``1_0`` are
refused too).
"""

from __future__ import annotations

import re

from gradcli.errors import InputError

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_number(text: str, what: str) -> float:
    """A finite float from ``text`` (``"2"``, ``"-1.5e-3"``), or InputError naming ``what``.

    >>> parse_number(" -1.5e-3 ", "x")
    -0.0015
    """
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        raise InputError(f"{what}: {stripped!r} is not a number")
    value = float(stripped)
    if value in (float("inf"), float("-inf")):
        raise InputError(f"{what}: {stripped!r} is too large for a 64-bit float")
    return value


def _items(text: str, what: str) -> list[str]:
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        stripped = stripped[1:-1]
    if not stripped:
        raise InputError(f"{what} is empty")
    return [item.strip() for item in stripped.split(",")]


def parse_point(text: str, variables: tuple[str, ...], what: str = "POINT") -> tuple[float, ...]:
    """Coordinates in ``variables`` order from ``3``, ``2,3`` or ``x=2,y=3``.

    The named form must give every variable exactly once, in any order.

    >>> parse_point("y=3, x=2", ("x", "y"))
    (2.0, 3.0)
    >>> parse_point("2,3", ("x", "y"))
    (2.0, 3.0)
    """
    items = _items(text, what)
    n = len(variables)
    expected = f"{n} coordinate{'s' * (n != 1)} ({', '.join(variables)})"
    named = ["=" in item for item in items]
    if any(named) and not all(named):
        raise InputError(f"{what} {text.strip()!r}: give every coordinate as NAME=VALUE or none of them")
    if not any(named):
        if len(items) != n:
            hint = " (a symbol that is a parameter takes --param NAME=VALUE)" if len(items) < n else ""
            raise InputError(f"{what} {text.strip()!r}: expected {expected}, got {len(items)}{hint}")
        return tuple(parse_number(item, f"{what} coordinate {name}") for item, name in zip(items, variables))
    values: dict[str, float] = {}
    for item in items:
        name, _, number = item.partition("=")
        name = name.strip()
        if name not in variables:
            known = ", ".join(variables)
            raise InputError(f"{what}: {name!r} is not a variable of the expression (variables: {known})")
        if name in values:
            raise InputError(f"{what}: {name} is given twice")
        values[name] = parse_number(number, f"{what} coordinate {name}")
    missing = [name for name in variables if name not in values]
    if missing:
        raise InputError(f"{what} {text.strip()!r}: expected {expected}; missing {', '.join(missing)}")
    return tuple(values[name] for name in variables)


def parse_vector(text: str, length: int, what: str = "VECTOR") -> tuple[float, ...]:
    """``length`` numbers from ``1,1`` (or ``[1, 1]``).

    >>> parse_vector("1, 0", 2)
    (1.0, 0.0)
    """
    items = _items(text, what)
    if len(items) != length:
        raise InputError(f"{what} {text.strip()!r}: expected {length} number{'s' * (length != 1)}, got {len(items)}")
    return tuple(parse_number(item, what) for item in items)


def parse_params(items: list[str] | None) -> dict[str, float]:
    """``--param NAME=VALUE`` options as a dict (a later NAME overrides an earlier one).

    >>> parse_params(["k=2", "x0=-1e-3"])
    {'k': 2.0, 'x0': -0.001}
    """
    params: dict[str, float] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not _NAME.fullmatch(name):
            raise InputError(f"--param {item!r}: expected NAME=VALUE, e.g. --param k=2")
        params[name] = parse_number(value, f"--param {name}")
    return params


def parse_vars(text: str | None) -> tuple[str, ...] | None:
    """``--vars x,y`` as a tuple of names (None when not given).

    >>> parse_vars("x, y")
    ('x', 'y')
    """
    if text is None:
        return None
    names = tuple(item.strip() for item in text.split(","))
    for name in names:
        if not _NAME.fullmatch(name):
            raise InputError(f"--vars {text!r}: {name!r} is not a variable name (expected e.g. --vars x,y)")
    if len(set(names)) != len(names):
        raise InputError(f"--vars {text!r}: a variable is named twice")
    return names
