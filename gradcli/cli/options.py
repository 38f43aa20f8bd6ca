"""What every gradcli command shares: its common options, how EXPR is read and
compiled, how results are emitted, and the one place errors become exit codes.

A command is a function ``def grad(run: Run, expr: ..., at: ...)`` decorated
with ``@command("grad")``; the decorator adds ``--param``, ``--vars``,
``--json``, ``--potentials-dir`` and ``--debug`` to its signature (so Typer
shows them in ``--help``) and runs the body inside ``Run.boundary()``.
"""

import enum
import functools
import inspect
import json
import math
import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import Annotated, Any, Optional

import typer

from gradcli.cli.coercion import PlainCommand, UsageError
from gradcli.cli.points import parse_params, parse_vars
from gradcli.errors import GradcliError, InputError


class ExitStatus(enum.IntEnum):
    """gradcli's exit codes."""

    SUCCESS = 0
    #: The computation ran but did not succeed: max_steps, diverged, a domain error.
    FAILURE = 1
    #: Bad input or usage: a refused expression, a malformed POINT, an unknown option.
    USAGE = 2
    #: Interrupted by Ctrl-C.
    INTERRUPTED = 130


# --- the common options --------------------------------------------------------

_COMMON_OPTIONS: dict[str, tuple[Any, Any]] = {
    "param": (
        Annotated[
            Optional[list[str]],
            typer.Option(
                "--param",
                "-p",
                metavar="NAME=VALUE",
                help="Give a parameter of the expression a value (repeatable), e.g. --param k=2.",
            ),
        ],
        None,
    ),
    "vars": (
        Annotated[
            Optional[str],
            typer.Option("--vars", metavar="x,y", help="Variable order (default: natural sort of the free symbols)."),
        ],
        None,
    ),
    "json_output": (
        Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")],
        False,
    ),
    "potentials_dir": (
        Annotated[
            Optional[list[str]],
            typer.Option(
                "--potentials-dir",
                metavar="DIR",
                help="Also look for @NAME potentials in DIR (repeatable; searched before the built-in ones).",
            ),
        ],
        None,
    ),
    "debug": (
        Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error.")],
        False,
    ),
}

Expr = Annotated[
    str,
    typer.Argument(
        metavar="EXPR", help="The potential, e.g. 'x**4-10*x**2+5'; '@NAME' for a named one; '-' reads stdin."
    ),
]
Exprs = Annotated[
    str,
    typer.Argument(
        metavar="EXPRS",
        help="Comma-separated expressions, e.g. '[x*y, x+y**2]'; '@NAME' for a named one; '-' reads stdin.",
    ),
]
At = Annotated[str, typer.Option("--at", metavar="POINT", help="The point: 3, 2,3 (variable order) or x=2,y=3.")]


#: Commands in the order they were defined: (name, function for Typer); app.py registers them.
COMMANDS: list[tuple[str, Callable]] = []


def command(name: str) -> Callable:
    """Declare ``func(run, **own_options)`` as the command ``name`` with the common options."""

    def decorate(func: Callable) -> Callable:
        own = [p for p in inspect.signature(func).parameters.values() if p.name != "run"]
        common = [
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
            for key, (annotation, default) in _COMMON_OPTIONS.items()
        ]
        parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + common

        @functools.wraps(func)
        def wrapper(**kwargs):
            options = {key: kwargs.pop(key) for key in _COMMON_OPTIONS}
            run = Run(name, **options)
            with run.boundary():
                func(run, **kwargs)

        del wrapper.__wrapped__
        wrapper.__signature__ = inspect.Signature(parameters)
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        COMMANDS.append((name, wrapper))
        return func

    return decorate


class Command(PlainCommand):
    """The Typer command class of every gradcli command: a usage error (an
    unknown option, a bad option value) is also reported as a JSON error
    object when --json is among the arguments, like every other error."""

    def parse_args(self, ctx, args):
        args = expression_behind_double_dash(self.get_params(ctx), args)
        wants_json = "--json" in args
        try:
            return super().parse_args(ctx, args)
        except UsageError as error:
            if wants_json:
                emit_json({"command": self.name, "error": {"kind": "usage", "message": error.format_message()}})
            raise


def expression_behind_double_dash(params, args: list[str]) -> list[str]:
    """Move an expression that starts with a minus sign behind ``--``.

    click reads ``gradcli grad "-x**2" --at 1`` as the unknown option ``-x``;
    a token that starts with a single ``-``, is no option of this command and
    is not the value of one (``params``: the command's, help included) can
    only be the expression, so it is moved to
    the end behind ``--``, where click takes it as EXPR. Arguments that
    already contain ``--`` are left alone.

    >>> expression_behind_double_dash(params, ["-x**2", "--at", "1"])   # doctest: +SKIP
    ['--at', '1', '--', '-x**2']
    """
    if "--" in args:
        return args
    flags, valued = set(), set()
    for param in params:
        if getattr(param, "param_type_name", None) == "option":
            names = list(param.opts) + list(param.secondary_opts)
            (flags if param.is_flag else valued).update(names)
    kept, expressions = [], []
    previous_takes_value = False
    for arg in args:
        is_expression = (
            not previous_takes_value
            and arg.startswith("-")
            and not arg.startswith("--")
            and arg != "-"
            and arg not in flags
            and arg not in valued
        )
        (expressions if is_expression else kept).append(arg)
        previous_takes_value = not is_expression and arg in valued
    return kept + ["--"] + expressions if expressions else args


# --- one run of a command ------------------------------------------------------


class Run:
    """The parsed common options of one command invocation and its helpers."""

    def __init__(self, command, *, param=None, vars=None, json_output=False, potentials_dir=None, debug=False):
        self.command = command
        self.json = json_output
        self.debug = debug
        self.raw_params = param or []
        self.raw_vars = vars
        self.potentials_dirs = tuple(potentials_dir or ())
        self.name = None  # the @NAME of a named potential, once resolved
        self.params: dict[str, float] = {}  # the values compiled in (a named potential's defaults too)
        self.user_params: dict[str, float] = {}  # the --param values alone
        self.resolved = None  # the gradcli.named Resolved EXPR (a named potential's spec too), once resolved

    # -- errors ------------------------------------------------------------

    @contextmanager
    def boundary(self):
        """The error boundary: library errors become one line and an exit code."""
        try:
            yield
        except GradcliError as error:
            if self.debug:
                raise
            self.fail(error.message, error.kind, error.exit_code, error.detail_lines())
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            if self.debug:
                raise
            self.fail("interrupted", "interrupted", ExitStatus.INTERRUPTED)
        except Exception as error:  # a bug in gradcli: still one line, unless --debug
            if self.debug:
                raise
            message = f"internal error: {type(error).__name__}: {error} (run again with --debug for the traceback)"
            self.fail(message, "internal", ExitStatus.FAILURE)

    def fail(self, message: str, kind: str, exit_code: int, detail_lines=()):
        """Report an error (stderr, and a JSON object on stdout with --json) and exit."""
        if self.json:
            emit_json({"command": self.command, "error": {"kind": kind, "message": message}})
        sys.stderr.write("".join(line + "\n" for line in [f"error: {message}", *detail_lines]))
        raise typer.Exit(int(exit_code))

    # -- reading EXPR ----------------------------------------------------------

    def resolve(self, argument: str):
        """EXPR ('-' for stdin, '@NAME', or text) -> library ``Resolved``; sets ``params``."""
        if argument == "-":
            argument = sys.stdin.read().strip()
            if not argument:
                raise InputError("no expression on standard input")
        params = self.user_params = parse_params(self.raw_params)
        from gradcli.named.registry import resolve

        resolved = self.resolved = resolve(argument, params, self.potentials_dirs)
        self.name = resolved.name
        self.params = dict(resolved.params)
        return resolved

    def variables(self, resolved) -> tuple[str, ...] | None:
        given = parse_vars(self.raw_vars)
        return given if given is not None else (tuple(resolved.variables) if resolved.variables else None)

    def potential(self, argument: str):
        """Compile EXPR as a scalar ``Potential``."""
        resolved = self.resolve(argument)
        if self.raw_vars is None:
            return resolved.potential  # compiled once, kept on the resolved EXPR
        from gradcli.frontend.potential import Potential

        return Potential(resolved.expression, variables=self.variables(resolved), params=self.params)

    def vector_function(self, argument: str):
        """Compile EXPRS as a ``VectorFunction``."""
        resolved = self.resolve(argument)
        from gradcli.frontend.potential import VectorFunction

        return VectorFunction(resolved.expression, variables=self.variables(resolved), params=self.params)

    # -- output ----------------------------------------------------------------

    def header(self, function) -> dict:
        """The keys every command's JSON starts with, for a Potential or VectorFunction."""
        if hasattr(function, "m"):
            expressions = {"expressions": [str(e) for e in function.sympy]}
        else:
            expressions = {"expression": function.text}
        return {
            "command": self.command,
            **expressions,
            "variables": list(function.variables),
            "params": dict(self.params),
            "potential": self.name,
        }

    def emit(self, payload: dict, human: Callable[[], None]) -> None:
        """Print ``payload`` as JSON with --json, else call ``human()`` to draw tables."""
        if self.json:
            emit_json(payload)
        else:
            human()


# --- JSON ----------------------------------------------------------------------


def plain(value, _counter: list[int] | None = None):
    """``value`` as plain JSON data: tuples and arrays become lists, numpy scalars
    floats, and non-finite floats ``None`` (JSON has no NaN or infinity).

    >>> plain({"x": (1.0, float("nan"))})
    {'x': [1.0, None]}
    """
    if isinstance(value, dict):
        return {str(k): plain(v, _counter) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, _counter) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return plain(value.tolist(), _counter)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        if _counter is not None:
            _counter[0] += 1
        return None
    return str(value)


def dumps(data: dict) -> str:
    """One key per line, each value compact; a list of objects (a trajectory)
    one object per line. Still one JSON object, easy to read and to diff.

    >>> print(dumps({"x": [1.0, 2.0], "trajectory": [{"step": 0}, {"step": 1}]}))
    {
      "x": [1.0, 2.0],
      "trajectory": [
        {"step": 0},
        {"step": 1}
      ]
    }
    """
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n".join("    " + json.dumps(v, allow_nan=False) for v in value)
            text = "[\n" + items + "\n  ]"
        else:
            text = json.dumps(value, allow_nan=False)
        lines.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"


def emit_json(payload: dict) -> None:
    """Write ``payload`` as one JSON object on stdout; say on stderr if any
    non-finite number had to be written as null."""
    counter = [0]
    data = plain(payload, counter)
    sys.stdout.write(dumps(data) + "\n")
    if counter[0]:
        sys.stderr.write(f"note: {counter[0]} non-finite number(s) (inf or NaN) written as null in the JSON\n")
