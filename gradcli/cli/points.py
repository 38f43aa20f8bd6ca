"""Parsing the command line's small values: POINT, VECTOR, --param, --vars,
and the one rule for every number on the command line (also --steps, --lr,
--tol, --order: ``gradcli.cli.coercion`` calls ``read_number``).

A number is ASCII decimal or scientific notation and nothing else:
``2``, ``-0.5``, ``+.5``, ``1e-3``, ``2.5E+4``. Refused, all with the same
message: non-ASCII digits (``٢``, ``𝟙``), ``1_000``, ``inf``, ``nan``, hex,
and blanks around the value (inside a POINT, VECTOR or --param, spaces around
``,`` and ``=`` are fine). A whole number (``--steps``) may be written
``1e3``, not ``2.5``. Every function raises ``InputError`` (exit 2) with one
line saying what was expected; none of them evaluates anything (numbers are
matched by a regular expression before ``float`` sees them).
"""

from __future__ import annotations

import re
from decimal import Decimal

from gradcli.errors import InputError

_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # ASCII only, unlike \d
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BLANKS = " \t"  # what may stand around "," and "=" inside a POINT, VECTOR or --param
_SEPARATOR = re.compile(r"[ \t]*,[ \t]*")
_LARGEST_WHOLE = 2**63 - 1
_NOT_A_NUMBER = "is not a number (ASCII digits in decimal or scientific notation, e.g. 2, -0.5, 1e-3)"
_NOT_WHOLE = "is not a whole number (ASCII digits, e.g. 200 or 1e3)"


def read_number(text: str, *, whole: bool = False) -> float | int:
    """The float (with ``whole``: the int) that ``text`` writes, by the one
    number rule; else ``ValueError`` with the one message (no "what" prefix:
    the caller adds it).

    >>> read_number("-1.5e-3"), read_number("1e3", whole=True)
    (-0.0015, 1000)
    >>> read_number("1_000")
    Traceback (most recent call last):
    ValueError: '1_000' is not a number (ASCII digits in decimal or scientific notation, e.g. 2, -0.5, 1e-3)
    """
    shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
    if not isinstance(text, str) or not _NUMBER.fullmatch(text):
        raise ValueError(f"{shown} {_NOT_WHOLE if whole else _NOT_A_NUMBER}")
    if whole:
        mantissa, _, exponent = text.lower().partition("e")
        if not mantissa.replace(".", "").lstrip("+-").strip("0"):
            return 0
        if len(exponent.lstrip("+-")) > 6:  # beyond Decimal's default exponent range
            integral, large = not exponent.startswith("-"), True
        else:
            exact = Decimal(text)
            integral, large = exact == exact.to_integral_value(), abs(exact) > _LARGEST_WHOLE
        if not integral:
            raise ValueError(f"{shown} {_NOT_WHOLE}")
        if large:
            raise ValueError(f"{shown} is too large (the limit is {_LARGEST_WHOLE})")
        return int(exact)
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{shown} is too large for a 64-bit float")
    return value


def parse_number(text: str, what: str) -> float:
    """A finite float from ``text`` (``"2"``, ``"-1.5e-3"``), or InputError naming ``what``.

    >>> parse_number("-1.5e-3", "x")
    -0.0015
    """
    try:
        return read_number(text)
    except ValueError as error:
        raise InputError(f"{what}: {error}") from None


def _items(text: str, what: str) -> list[str]:
    """The comma-separated items, blanks next to the commas (and inside
    brackets) removed; blanks around the whole value stay, to be refused."""
    inner = text
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1].strip(_BLANKS)
    if not inner.strip():
        raise InputError(f"{what} is empty")
    return _SEPARATOR.split(inner)


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
        name, number = name.rstrip(_BLANKS), number.lstrip(_BLANKS)
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
        name = name.rstrip(_BLANKS)
        if not sep or not _NAME.fullmatch(name):
            raise InputError(f"--param {item!r}: expected NAME=VALUE, e.g. --param k=2")
        params[name] = parse_number(value.lstrip(_BLANKS), f"--param {name}")
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
