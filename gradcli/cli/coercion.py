"""Converting option strings to str/int/float without importing pydantic.

Typer 0.2x converts every non-flag parameter with a pydantic ``TypeAdapter``,
and importing pydantic costs ~70 ms: more than a tenth of a whole
``gradcli descend ... --json`` run. gradcli's options are all ``str``,
``int``, ``float``, ``bool`` or ``list[str]``, which need no pydantic, so the
command classes below give each such parameter a plain converter before
Typer would build its adapter. Numbers follow the command line's one rule
(``gradcli.cli.points.read_number``: ASCII decimal or scientific notation,
no ``1_000``, non-ASCII digits, blanks, ``inf`` or ``nan``). Anything else
(or a Typer without this internal hook) falls back to Typer's own conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args, get_origin

from typer.core import TyperCommand, TyperGroup

from gradcli.cli.points import read_number

try:  # Typer 0.2x vendors click
    from typer._click.exceptions import BadParameter, UsageError  # noqa: F401 (UsageError: for parsing.py)
except ImportError:  # older Typer on click itself
    from click.exceptions import BadParameter, UsageError  # noqa: F401

try:
    from typer._coercion import RuntimeParam
except ImportError:  # a Typer without the runtime-param layer: nothing to speed up
    RuntimeParam = None

_SIMPLE = (str, int, float, bool)


def install_plain_converters(params) -> None:
    """Give each simple-typed Typer parameter a pydantic-free converter (idempotent)."""
    if RuntimeParam is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        annotation = descriptor.annotation
        item = get_args(annotation)[0] if get_origin(annotation) is list and len(get_args(annotation)) == 1 else None
        info = descriptor.parameter_info
        if info.parser is not None or not (annotation in _SIMPLE or item in _SIMPLE):
            continue
        param._runtime_param = _Plain(parameter_info=info, annotation=annotation)


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _Plain(RuntimeParam):
        """str/int/float/bool (or a list of one of them), with min/max checks."""

        def _coerce_value(self, value: Any, param, ctx) -> Any:
            if get_origin(self.annotation) is list:
                kind = get_args(self.annotation)[0]
                return [self._one(kind, item, param, ctx) for item in value]
            return self._one(self.annotation, value, param, ctx)

        def _one(self, kind: type, value: Any, param, ctx) -> Any:
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                if kind is bool or not isinstance(value, str):
                    raise BadParameter(f"{value!r} is not a valid {kind.__name__}.", ctx=ctx, param=param)
                if kind in (int, float):  # the command line's one number rule (gradcli/cli/points.py)
                    try:
                        value = read_number(value, whole=kind is int)
                    except ValueError as error:
                        raise BadParameter(str(error), ctx=ctx, param=param) from None
                else:
                    value = kind(value)
            if kind in (int, float):
                low, high = self.parameter_info.min, self.parameter_info.max
                if (low is not None and value < low) or (high is not None and value > high):
                    bounds = " and ".join(
                        text for text in (low is not None and f"x>={low}", high is not None and f"x<={high}") if text
                    )
                    raise BadParameter(f"{value} is not in the range {bounds}.", ctx=ctx, param=param)
            return value


class PlainCommand(TyperCommand):
    """A Typer command whose simple options are converted without pydantic."""

    def parse_args(self, ctx, args):
        install_plain_converters(self.get_params(ctx))
        return super().parse_args(ctx, args)


class PlainGroup(TyperGroup):
    """The same for a group's own options (``gradcli --version``)."""

    def parse_args(self, ctx, args):
        install_plain_converters(self.get_params(ctx))
        return super().parse_args(ctx, args)
