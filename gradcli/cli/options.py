"""The options every gradcli command shares, and how EXPR is read.

A command is a function ``def grad(run: Run, expr: ..., at: ...)`` decorated
with ``@command("grad")``; the decorator adds ``--param``, ``--vars``,
``--json``, ``--potentials-dir`` and ``--debug`` (or the ``common`` subset
asked for) to its signature, so Typer shows them in ``--help``, and runs the
body inside the error boundary (``boundary.command_boundary``). app.py
registers the decorated functions, in its one list of commands.
"""

import dataclasses
import functools
import inspect
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Protocol, cast

import typer

from gradcli.cli import boundary, output
from gradcli.cli.points import is_coordinate_file, parse_params, parse_vars
from gradcli.errors import InputError

if TYPE_CHECKING:
    from gradcli.named.resolved import Resolved

#: The longest expression gradcli reads (the parser's limit); stdin is read to one character past it.
MAX_EXPRESSION = 100_000


def complete_potential_names(incomplete: str) -> list[str]:
    """Shell completion of EXPR: ``@NAME`` of every named potential starting with ``incomplete``."""
    if incomplete and not incomplete.startswith("@"):
        return []
    from gradcli.named import list_potentials

    names = [f"@{spec.name}" for spec in list_potentials(errors=[])]
    return [name for name in names if name.startswith(incomplete or "@")]


_COMMON_OPTIONS: dict[str, tuple[Any, Any]] = {
    "param": (
        Annotated[
            list[str] | None,
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
            str | None,
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
            list[str] | None,
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
ALL_COMMON = tuple(_COMMON_OPTIONS)

# A particle system instead of EXPR (gradcli.particles): added to every command that takes a scalar EXPR.
_PARTICLE_OPTIONS: dict[str, tuple[Any, Any]] = {
    "pair": (
        Annotated[
            str | None,
            typer.Option(
                "--pair",
                metavar="EXPR",
                rich_help_panel="Particles",
                help="Instead of EXPR: a pair term in r over all pairs of --atoms particles, e.g. "
                "'4*((1/r)**12-(1/r)**6)'; variables x1,y1,z1,x2,...",
            ),
        ],
        None,
    ),
    "atoms": (
        Annotated[
            int | None,
            typer.Option(
                "--atoms",
                metavar="N",
                rich_help_panel="Particles",
                help="The number of particles for --pair (default: the atoms of an .xyz --x0/--at file).",
            ),
        ],
        None,
    ),
    "cutoff": (
        Annotated[
            float | None,
            typer.Option(
                "--cutoff",
                metavar="RC",
                rich_help_panel="Particles",
                help="Drop pairs beyond RC; the pair energy is shifted by -V(RC) so V stays continuous.",
            ),
        ],
        None,
    ),
    "one_body": (
        Annotated[
            str | None,
            typer.Option(
                "--one-body",
                metavar="EXPR",
                rich_help_panel="Particles",
                help="A term in x, y, z added for every particle of --pair (an external field, a well).",
            ),
        ],
        None,
    ),
    "dim": (
        Annotated[
            int,
            typer.Option(
                "--dim",
                min=1,
                max=3,
                rich_help_panel="Particles",
                help="Dimensions of the --pair particles (1, 2 or 3).",
            ),
        ],
        3,
    ),
}

Expr = Annotated[
    str,
    typer.Argument(
        metavar="EXPR",
        help="The potential, e.g. 'x**4-10*x**2+5'; '@NAME' for a named one; '-' reads stdin.",
        autocompletion=complete_potential_names,
    ),
]
Exprs = Annotated[
    str,
    typer.Argument(
        metavar="EXPRS",
        help="Comma-separated expressions, e.g. '[x*y, x+y**2]'; '@NAME' for a named one; '-' reads stdin.",
        autocompletion=complete_potential_names,
    ),
]
At = Annotated[str, typer.Option("--at", metavar="POINT", help="The point: 3, 2,3 (variable order) or x=2,y=3.")]


class CommandFunction(Protocol):
    """What ``command`` returns: the function Typer registers, with its signature and name set."""

    __signature__: inspect.Signature
    command_name: str

    def __call__(self, **kwargs: Any) -> None: ...


def command(name: str, common: tuple[str, ...] = ALL_COMMON) -> Callable[[Callable], CommandFunction]:
    """Make ``func(run, **own_options)`` the command ``name`` with the ``common`` options.

    Returns the function Typer registers (its signature has the own and the
    common options); ``command_name`` on it is ``name``.
    """

    def decorate(func: Callable) -> CommandFunction:
        own = [p for p in inspect.signature(func).parameters.values() if p.name != "run"]
        # A command of one scalar EXPR also takes a particle system (--pair ...), and EXPR may then be left out.
        particle = tuple(_PARTICLE_OPTIONS) if any(p.name == "expr" for p in own) else ()
        own = [p.replace(default=None) if p.name == "expr" and particle else p for p in own]
        shared = [
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
            for options in (_COMMON_OPTIONS, _PARTICLE_OPTIONS)
            for key, (annotation, default) in options.items()
            if key in common or key in particle
        ]
        parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + shared

        @functools.wraps(func)
        def wrapper(**kwargs):
            options = {key: kwargs.pop(key) for key in common}
            run = Run(name, **options)
            run.particle_options = {key: kwargs.pop(key) for key in particle}
            # An .xyz start or point gives --pair its number of atoms.
            run.coordinate_file = next((kwargs[k] for k in ("x0", "at") if is_coordinate_file(kwargs.get(k))), None)
            with run.boundary():
                func(run, **kwargs)

        del wrapper.__wrapped__
        # a function given attributes: a type can say so only through a Protocol
        registered = cast(CommandFunction, wrapper)
        registered.__signature__ = inspect.Signature(parameters)
        registered.__annotations__ = {p.name: p.annotation for p in parameters}
        registered.command_name = name
        return registered

    return decorate


def read_stdin(limit: int = MAX_EXPRESSION) -> str:
    """The expression on standard input, reading at most ``limit`` + 1 characters.

    Raises InputError when there is nothing, or more than ``limit`` characters.
    """
    try:
        text = sys.stdin.read(limit + 1)
    except UnicodeDecodeError as error:
        raise InputError(f"standard input is not text in {error.encoding} (byte {error.start + 1})") from None
    if len(text) > limit:
        raise InputError(f"standard input: expression too long (more than {limit} characters)")
    text = text.strip()
    if not text:
        raise InputError("no expression on standard input")
    return text


_IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*")  # not the e of 1e5


class Run:
    """The parsed common options of one command invocation and its helpers."""

    def __init__(self, command, *, param=None, vars=None, json_output=False, potentials_dir=None, debug=False):
        self.command = command
        self.json = json_output
        self.debug = debug
        self.raw_params = param or []
        self.raw_vars = vars
        self.potentials_dirs = tuple(potentials_dir or ())
        self.name: str | None = None  # the @NAME of a named potential, once resolved
        self.params: dict[str, float] = {}  # the values compiled in (a named potential's defaults too)
        self.user_params: dict[str, float] = {}  # the --param values alone
        self.resolved: Resolved | None = None  # the resolved EXPR (a named potential's spec too), once resolved
        self.particle_options: dict = {}  # --pair, --atoms, --cutoff, --one-body, --dim
        self.coordinate_file = None  # an .xyz file given as --x0 or --at
        self.emitted = False  # the result is on stdout: an error after it adds no second JSON object

    def boundary(self):
        """The error boundary of this run (``boundary.command_boundary``)."""
        return boundary.command_boundary(self)

    # -- reading EXPR ----------------------------------------------------------

    def resolved_expr(self) -> "Resolved":
        """The resolved EXPR, which a command reads after compiling its potential."""
        if self.resolved is None:
            raise RuntimeError("EXPR is read before it was resolved")
        return self.resolved

    def resolve(self, argument: str | None):
        """EXPR ('-' for stdin, '@NAME', or text) -> library ``Resolved``; sets ``params``."""
        argument = self._check_particle_options(argument)
        if argument == "-":
            argument = read_stdin()
        params = self.user_params = parse_params(self.raw_params)
        from gradcli.named.registry import resolve

        resolved = self.resolved = resolve(argument, params, self.potentials_dirs)
        self.name = resolved.name
        self.params = dict(resolved.params)
        if resolved.name is None:
            _check_params_used(params, resolved.expression)
        return resolved

    def variables(self, resolved) -> tuple[str, ...] | None:
        given = parse_vars(self.raw_vars)
        return given if given is not None else (tuple(resolved.variables) if resolved.variables else None)

    def potential(self, argument: str | None):
        """Compile EXPR as a scalar ``Potential`` (a ``ParticlePotential`` for --pair or a particle family)."""
        if self.particle_options.get("pair") is not None:
            return self.particle_potential(argument)
        resolved = self.resolve(argument)
        if self.raw_vars is None:
            return resolved.potential  # compiled once, kept on the resolved EXPR
        from gradcli.frontend.cache import compiled_potential

        return compiled_potential(resolved.expression, self.variables(resolved), self.params)

    def _check_particle_options(self, argument: str | None) -> str:
        """EXPR, which must be given, without the options that go with --pair."""
        given = [k for k in ("atoms", "cutoff", "one_body") if self.particle_options.get(k) is not None]
        if self.particle_options.get("dim", 3) != 3:
            given.append("dim")
        if given:
            raise InputError(f"--{given[0].replace('_', '-')} goes with --pair EXPR (a pair term over particles)")
        if argument is None:
            raise InputError(
                "EXPR is missing: give the potential, e.g. 'x**4-10*x**2+5' or @NAME, "
                "or a particle system with --pair EXPR --atoms N"
            )
        return argument

    def particle_potential(self, argument: str | None):
        """The ``ParticlePotential`` of --pair, --atoms (or the atoms of the .xyz point), --cutoff,
        --one-body and --dim."""
        from gradcli.particles import ParticlePotential
        from gradcli.particles.xyz import read_frame

        options = self.particle_options
        if argument is not None:
            raise InputError("give EXPR or --pair EXPR, not both")
        if self.raw_vars is not None:
            raise InputError("--vars does not apply to --pair (the variables are x1, y1, z1, x2, ...)")
        atoms = options.get("atoms")
        if atoms is None:
            if self.coordinate_file is None:
                raise InputError(
                    "--pair needs --atoms N, or a coordinate file as the start or point (--x0 start.xyz, --at min.xyz)"
                )
            atoms = read_frame(self.coordinate_file.strip()).n_atoms
        params = self.user_params = self.params = parse_params(self.raw_params)
        texts = " ".join(filter(None, (options["pair"], options.get("one_body"), "r x y z")))
        _check_params_used(params, texts)
        V = ParticlePotential(
            options["pair"],
            atoms,
            dim=options.get("dim", 3),
            params=params,
            cutoff=options.get("cutoff"),
            one_body=options.get("one_body"),
        )
        self.resolved = _ParticleSystem(options["pair"], V.variables, params, None, None, V)
        return V

    def vector_function(self, argument: str):
        """Compile EXPRS as a ``VectorFunction``."""
        resolved = self.resolve(argument)
        from gradcli.frontend.potential import VectorFunction

        return VectorFunction(resolved.expression, variables=self.variables(resolved), params=self.params)

    # -- output ----------------------------------------------------------------

    def header(self, function) -> dict:
        """The keys every command's JSON starts with, for a Potential or VectorFunction."""
        from gradcli.cli import units

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
            "units": units.to_json(units.declared(self)),  # null for a typed expression
        }

    def emit(self, payload: dict, human: Callable[[], None]) -> None:
        """Print ``payload`` as JSON with --json, else call ``human()`` to draw tables."""
        if self.json:
            output.emit_json(payload)
        else:
            human()
        self.emitted = True

    def emit_list(self, key: str, items: list, **extra) -> None:
        """Print a list as one JSON object, ``{"command": ..., key: items}``."""
        output.emit_list(self.command, key, items, **extra)
        self.emitted = True


@functools.cache
def _particle_system_class():
    from gradcli.named.resolved import Resolved  # SymPy-free, but only --pair needs it

    @dataclasses.dataclass(frozen=True)
    class ParticleSystem(Resolved):
        """What --pair resolves to: a typed particle system (no spec) carrying its compiled
        ``ParticlePotential``, whose translations and rotations are its zero modes."""

        particle_potential: Any = None

        @property
        def potential(self):
            return self.particle_potential

        @property
        def zero_modes(self) -> int:
            return self.particle_potential.symmetry_zero_modes

    return ParticleSystem


def _ParticleSystem(*args) -> "Resolved":
    return _particle_system_class()(*args)


def _check_params_used(params: dict[str, float], expression: str) -> None:
    """A ``--param`` the typed expression does not mention is an input error (it would do nothing).

    >>> _check_params_used({"k": 2.0}, "0.5*k*x**2")
    >>> _check_params_used({"m": 2.0}, "0.5*k*x**2")
    Traceback (most recent call last):
    gradcli.errors.InputError: --param m: the expression has no symbol m (it uses k, x)
    """
    names = set(_IDENTIFIER.findall(expression))
    unknown = [name for name in params if name not in names]
    if unknown:
        uses = ", ".join(sorted(names)) or "no symbol"
        raise InputError(f"--param {unknown[0]}: the expression has no symbol {unknown[0]} (it uses {uses})")
