"""``gradcli potentials``: list the named potentials, show one, check them.

    gradcli potentials                       a table: name, variables, description
    gradcli potentials --check               ... and validate each (compile, stationary points)
    gradcli potentials show morse            expression, parameters, start, stationary points, references
    gradcli potentials show lj-cluster --param n=5

Both take ``--json`` and ``--potentials-dir DIR`` (repeatable; searched before
``$GRADCLI_POTENTIALS`` and the built-in folder). A malformed file in a listing
is reported on stderr and the others are still listed.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gradcli.cli.options import Run, command
from gradcli.cli.parsing import Command
from gradcli.cli.points import parse_params
from gradcli.cli.status import ExitStatus

potentials_app = typer.Typer(
    help="List the named potentials (@NAME) and show one.\n\nExample:  gradcli potentials show morse",
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# The variables column shows at most this many names (lj-cluster has 3n).
MAX_VARIABLES_SHOWN = 6
MAX_EXPRESSION_SHOWN = 300


def _variables_text(variables) -> str:
    if len(variables) <= MAX_VARIABLES_SHOWN:
        return ", ".join(variables)
    return f"{', '.join(variables[:3])}, …, {variables[-1]} ({len(variables)})"


def _point_text(variables, point) -> str:
    from gradcli.cli import render

    if len(point) <= MAX_VARIABLES_SHOWN:
        return render.point(variables, point)
    return f"({len(point)} coordinates; --json has them)"


def _units(parameter: dict) -> str:
    return parameter.get("units") or ""


#: The common options of ``potentials`` and ``potentials show`` (see gradcli/cli/options.py).
COMMON = ("json_output", "potentials_dir", "debug")


@potentials_app.callback(invoke_without_command=True)
@command("potentials", common=COMMON)
def potentials(
    run: Run,
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Also compile each potential and verify its stationary points (slower).")
    ] = False,
) -> None:
    """List the named potentials: name, variables, description.

    Example:  gradcli potentials --json
    """
    ctx.obj = run.potentials_dirs
    if ctx.invoked_subcommand is not None:
        return
    from gradcli import named
    from gradcli.errors import PotentialFileError

    errors: list = []
    specs = named.list_potentials(run.potentials_dirs, errors=errors)
    problems = {}
    if check:
        for spec in specs:
            try:
                named.validate_potential(spec)
            except PotentialFileError as error:
                problems[spec.name] = error.message
    for problem in errors:
        sys.stderr.write(f"warning: {problem.message}\n")
    if run.json:
        rows = []
        for spec in specs:
            row = spec.to_dict()
            if check:
                row["valid"] = spec.name not in problems
                row["problem"] = problems.get(spec.name)
            rows.append(row)
        run.emit_list("potentials", rows)
    else:
        _show_list(specs, problems if check else None)
    for message in problems.values():
        sys.stderr.write(f"error: {message}\n")
    if problems or (check and errors):
        raise typer.Exit(ExitStatus.USAGE)


def _show_list(specs, problems) -> None:
    from gradcli.cli import render

    headers = ["name", "variables", "description"] + (["check"] if problems is not None else [])
    rows = []
    for spec in specs:
        row = [f"@{spec.name}", _variables_text(spec.variables), spec.description]
        if problems is not None:
            row.append("ok" if spec.name not in problems else "FAILED")
        rows.append(row)
    render.show(
        _left(
            render.columns(
                "Named potentials",
                headers,
                rows,
                caption="gradcli potentials show NAME for the details; @NAME in any command",
            )
        )
    )


def _left(table, numeric=()):
    """Left-align the text columns of a ``render.columns`` table (it right-aligns all but the first)."""
    for i, column in enumerate(table.columns):
        column.justify = "right" if i in numeric else "left"
    return table


@potentials_app.command("show", cls=Command)
@command("potentials show", common=COMMON)
def show(
    run: Run,
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The potential, e.g. morse or @morse.")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="Size a family (e.g. --param n=5 for lj-cluster) or override a parameter.",
        ),
    ] = None,
) -> None:
    """Show one potential: expression, parameters, start, stationary points, references.

    The potential is validated first (compiled; each stationary point checked).

    Example:  gradcli potentials show muller-brown
    """
    from gradcli import named

    run.potentials_dirs = tuple(ctx.obj or ()) + run.potentials_dirs
    found = named.lookup(name, run.potentials_dirs)
    params = parse_params(param)
    spec = _with_params(found, params)
    named.validate_potential(spec)
    run.emit(spec.to_dict(full=True), lambda: _show_one(spec, overridden=bool(params) and spec.family is None))


def _with_params(found, params):
    """The spec ``found`` (a file's spec or a family) with ``params`` as its
    defaults. A family is built once, stationary points included; a file's
    stationary points hold for its own defaults only, so with ``params`` they
    are left out."""
    from dataclasses import replace

    spec, values = found.bind(params)
    if spec.family is not None or not params:
        return spec
    parameters = {k: {**p, "value": values[k]} for k, p in spec.parameters.items()}
    return replace(spec, parameters=parameters, stationary=())


def _units_text(spec) -> str:
    """``energy eV, length Å, mass amu``."""
    return ", ".join(f"{quantity} {unit}" for quantity, unit in spec.units.to_dict().items() if unit is not None)


def _masses_text(spec) -> str:
    """``0.503912516 amu`` for each variable, or one value when they are all equal."""
    unit = spec.units.mass
    if len(set(spec.masses)) == 1 and len(spec.masses) > 1:
        return f"{spec.masses[0]:g} {unit} each ({len(spec.masses)} coordinates)"
    if len(spec.masses) > MAX_VARIABLES_SHOWN:
        return f"({len(spec.masses)} values; --json has them) {unit}"
    return ", ".join(f"{v} {m:.10g}" for v, m in zip(spec.variables, spec.masses)) + f" {unit}"


def _descent_text(spec) -> str:
    """``lr 0.0002, steps 2000 (gradcli descend @NAME uses these ...)``."""
    settings = spec.descent_settings()
    if not settings:
        return "no suggestion (gradcli descend's defaults: gd with its own step, steps 10000, tol 1e-8)"
    parts = [f"method {settings['method']}"] if "method" in settings else []
    if "lr" in settings:
        lr = f"lr {settings['lr']:.6g}"
        if isinstance(spec.descent.lr, str):
            lr += f" (= {spec.descent.lr})"
        parts.append(lr)
    parts += [f"{key} {settings[key]:g}" for key in ("steps", "tol") if key in settings]
    given = "--method, --lr, --steps, --tol" if "method" in settings else "--lr, --steps, --tol"
    return ", ".join(parts) + f"; descend uses these unless {given} are given"


def _show_one(spec, overridden: bool = False) -> None:
    from gradcli.cli import render

    tables = [
        render.summary(
            f"@{spec.name}",
            [
                ("description", spec.description),
                (
                    "expression",
                    spec.expression
                    if len(spec.expression) <= MAX_EXPRESSION_SHOWN
                    else f"{spec.expression[:MAX_EXPRESSION_SHOWN]} … "
                    f"({len(spec.expression)} characters; --json has it all)",
                ),
                ("variables", _variables_text(spec.variables)),
                ("start", _point_text(spec.variables, spec.start)),
                ("file", str(spec.path) if spec.path is not None else "built in code (a family)"),
                *(
                    [
                        (
                            "zero modes",
                            f"{spec.zero_modes} (Hessian eigenvalues zero at every stationary point by symmetry; "
                            "force-constant sets them aside)",
                        )
                    ]
                    if spec.zero_modes
                    else []
                ),
                *([("units", _units_text(spec))] if spec.units is not None else []),
                *([("masses", _masses_text(spec))] if spec.masses is not None else []),
                ("descent", _descent_text(spec)),
            ],
        )
    ]
    if spec.parameters:
        tables.append(
            _left(
                render.columns(
                    "Parameters",
                    ["name", "value", "units"],
                    [[k, float(p["value"]), _units(p)] for k, p in spec.parameters.items()],
                ),
                numeric=(1,),
            )
        )
    if spec.stationary:
        rows = [[s.kind, _point_text(spec.variables, s.point), s.value, s.note] for s in spec.stationary]
        tables.append(
            _left(
                render.columns("Stationary points (default parameters; checked)", ["kind", "point", "V", "note"], rows),
                numeric=(2,),
            )
        )
    elif overridden:
        tables.append(render.summary("Stationary points", [("", "listed for the default parameters only")]))
    if spec.references:
        tables.append(
            _left(
                render.columns(
                    "References", ["", "reference"], [[str(i + 1), r] for i, r in enumerate(spec.references)]
                )
            )
        )
    render.show(*tables)
