"""How gradcli reads its command line, on top of click (as vendored by Typer):

- an expression that starts with a minus sign and cannot be an option
  (``-x**2``, ``-2*x``) is taken as EXPR; one that could (``-x``, ``-n``) is
  an unknown option, named in the error, and ``--`` always ends the options
  (``gradcli grad --at 1 -- -x``);
- an option that takes one value, given twice (``--at 1 --at 2``), is a usage
  error: the last one would silently win;
- the root group runs the whole process inside ``boundary.process_boundary``.
"""

import re
import sys
from collections.abc import Sequence
from typing import Any

from gradcli.cli.boundary import process_boundary
from gradcli.cli.coercion import PlainCommand, PlainGroup, UsageError

try:  # Typer 0.2x vendors click
    from typer._click.exceptions import NoSuchOption
except ImportError:  # older Typer on click itself
    from click.exceptions import NoSuchOption  # type: ignore[assignment]  # the same class under click's name

#: A token that reads as an option name: ``-n``, ``-xy``, ``-o=x.json``, ``--anything``.
OPTION_LIKE = re.compile(r"--.*|-[A-Za-z][A-Za-z0-9_-]*(=.*)?", re.S)
DASH_HINT = "; an expression that starts with '-' goes after '--', e.g. gradcli grad --at 1 -- -x"


def _options(params) -> tuple[set[str], dict[str, object]]:
    """(flag names, {name of an option that takes a value: its parameter})."""
    flags, valued = set(), {}
    for param in params:
        if getattr(param, "param_type_name", None) == "option":
            names = list(param.opts) + list(param.secondary_opts)
            if param.is_flag:
                flags.update(names)
            else:
                valued.update(dict.fromkeys(names, param))
    return flags, valued


def expression_behind_double_dash(params, args: list[str]) -> list[str]:
    """Move an expression that starts with a minus sign behind ``--``.

    click reads ``gradcli grad "-x**2" --at 1`` as the unknown option ``-x``;
    a token that starts with a single ``-``, cannot be an option name
    (``OPTION_LIKE``) and is not the value of an option (``params``: the
    command's, help included) can only be the expression, so it is moved to
    the end behind ``--``, where click takes it as EXPR. Arguments that
    already contain ``--`` are left alone.

    >>> expression_behind_double_dash([], ["-x**2", "--at", "1"])
    ['--at', '1', '--', '-x**2']
    >>> expression_behind_double_dash([], ["--at", "1", "-n"])
    ['--at', '1', '-n']
    """
    if "--" in args:
        return args
    flags, valued = _options(params)
    kept: list[str] = []
    expressions: list[str] = []
    previous_takes_value = False
    for arg in args:
        is_expression = (
            not previous_takes_value
            and arg.startswith("-")
            and arg != "-"
            and not OPTION_LIKE.fullmatch(arg)
            and arg not in flags
            and arg not in valued
        )
        (expressions if is_expression else kept).append(arg)
        previous_takes_value = not is_expression and arg in valued
    return kept + ["--"] + expressions if expressions else args


def repeated_option(params, args: list[str]) -> str | None:
    """The name of an option that takes one value and is given more than once
    in ``args`` (before ``--``), or None.

    >>> repeated_option([], ["--at", "1"]) is None
    True
    """
    _, valued = _options(params)
    seen: dict[object, str] = {}
    i = 0
    while i < len(args) and args[i] != "--":
        token = args[i]
        name, attached = token, False
        if token.startswith("--") and "=" in token:
            name, attached = token.split("=", 1)[0], True
        elif not token.startswith("--") and len(token) > 2 and token[:2] in valued:
            name, attached = token[:2], True  # -n3
        param = valued.get(name)
        if param is not None:
            if not getattr(param, "multiple", False):
                if param in seen:
                    return seen[param] if seen[param] == name else f"{seen[param]}/{name}"
                seen[param] = name
            i += 0 if attached else 1  # skip the value
        i += 1
    return None


class Command(PlainCommand):
    """The click command class of every gradcli command (see the module)."""

    def parse_args(self, ctx, args):
        params = self.get_params(ctx)
        args = expression_behind_double_dash(params, args)
        repeated = repeated_option(params, args)
        if repeated is not None:
            raise UsageError(f"Option '{repeated}' is given more than once; give it once.", ctx=ctx)
        try:
            return super().parse_args(ctx, args)
        except NoSuchOption as error:
            if not error.option_name.startswith("--"):
                error.message += DASH_HINT
            raise


class Group(PlainGroup):
    """The root ``gradcli`` group: the whole process runs inside ``process_boundary``."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        extra["windows_expand_args"] = windows_expand_args  # passed on as given, as before it was named here
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        args = list(sys.argv[1:] if args is None else args)

        def main(arguments):
            return super(Group, self).main(arguments, prog_name, complete_var, standalone_mode=False, **extra)

        sys.exit(int(process_boundary(main, args)))
