"""An optimiser's settings and where each came from.

Each setting is the first of: the user's option (``"--lr"``), the named
potential's suggestion (``"@NAME"``), the default (``"default"``). Every value
is checked here, whatever its source, and a bad one is an ``InputError`` that
names that source (``--tol must be a finite number >= 0, got inf``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from gradcli.errors import InputError

# The most steps one run may ask for, from an option or a potential file: a run
# that cannot end in reasonable time is an input error, not a hang.
MAX_STEPS = 1_000_000

#: Settings of a typed expression; a named potential's [descent] table replaces them.
DEFAULTS = {"lr": 0.01, "steps": 200, "tol": 1e-8}


@dataclass(frozen=True)
class Settings:
    """The settings used (``values``) and where each came from (``source``:
    ``"--KEY"``, ``"@NAME"`` or ``"default"``).

    >>> s = resolve_settings({"lr": None, "steps": 50, "tol": None})
    >>> s.values, s.source
    ({'lr': 0.01, 'steps': 50, 'tol': 1e-08}, {'lr': 'default', 'steps': '--steps', 'tol': 'default'})
    """

    values: dict
    source: dict

    def __getitem__(self, key: str):
        return self.values[key]

    def suggested(self) -> list[str]:
        """The keys a named potential suggested, in order."""
        return [key for key, where in self.source.items() if where.startswith("@")]


def resolve_settings(
    given: Mapping, suggested: Mapping | None = None, suggested_by: str = "", defaults: Mapping = DEFAULTS
) -> Settings:
    """Resolve settings: ``given`` (option name -> value, None when not given)
    beats ``suggested`` (the named potential ``suggested_by``'s values) beats
    ``defaults``. Every value is checked (``check_setting``).

    >>> resolve_settings({"lr": None}, {"lr": 2e-4}, "@muller-brown").source
    {'lr': '@muller-brown', 'steps': 'default', 'tol': 'default'}
    """
    values, source = dict(defaults), {key: "default" for key in defaults}
    for key, value in (suggested or {}).items():
        if given.get(key) is None:
            values[key], source[key] = value, suggested_by or "the potential"
    for key, value in given.items():
        if value is not None:
            values[key], source[key] = value, f"--{key.replace('_', '-')}"
    for key, value in values.items():
        values[key] = check_setting(key, value, source[key])
    return Settings(values, source)


def _label(key: str, source: str) -> str:
    if source.startswith("--"):
        return source
    if source.startswith("@"):
        return f"the suggested {key} of {source}"
    return key


def check_setting(key: str, value, source: str = ""):
    """``value`` checked for ``key`` and returned (an int for ``steps``); an
    ``InputError`` naming ``source`` when it makes no sense. Keys with no rule
    here pass through unchanged.

    >>> check_setting("steps", 3.0)
    3
    >>> check_setting("tol", float("inf"), "--tol")
    Traceback (most recent call last):
    gradcli.errors.InputError: --tol must be a finite number >= 0, got inf
    """
    label = _label(key, source)
    if key == "steps":
        if not _is_real(value) or not math.isfinite(value) or value != int(value) or value < 0:
            raise InputError(f"{label} must be a whole number >= 0, got {_shown(value)}")
        if value > MAX_STEPS:
            raise InputError(f"{label} must be at most {MAX_STEPS:,}, got {int(value):,}")
        return int(value)
    rule = RULES.get(key)
    if rule is None or value is None:
        return value
    positive, what = rule
    if not _is_real(value) or not math.isfinite(value) or (value <= 0 if positive else value < 0):
        raise InputError(f"{label} must be {what}, got {_shown(value)}")
    return float(value)


def _is_real(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _shown(value) -> str:
    return f"{value:g}" if _is_real(value) else repr(value)


#: key -> (must be > 0 rather than >= 0, the rule in words)
RULES = {
    "lr": (True, "a finite number > 0"),
    "tol": (False, "a finite number >= 0"),
    "fmax": (True, "a finite number > 0"),
    "bound": (True, "a finite number > 0"),
    "max_step": (True, "a finite number > 0"),
    "eps": (True, "a finite number > 0"),
}


def check_max_record(max_record, source: str = "max_record") -> int:
    """The trajectory budget: a whole number >= 2 (the first and last points).

    >>> check_max_record(2)
    2
    """
    if isinstance(max_record, bool) or not isinstance(max_record, int) or max_record < 2:
        raise InputError(f"{source} must be a whole number >= 2 (the first and last points), got {max_record!r}")
    return max_record
