"""The descend command: minimise a potential with one method, or compare several,
as tables, JSON or a plot."""

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from gradcli.cli import plot_options, plot_view
from gradcli.cli.coordinate_files import check_coordinate_path, write_descent
from gradcli.cli.options import Expr, Run, command
from gradcli.cli.output import write
from gradcli.cli.points import parse_number, parse_point
from gradcli.errors import ComputationError, InputError

if TYPE_CHECKING:
    from gradcli.optimize.result import DescentResult
    from gradcli.optimize.settings import Settings

#: Options that are settings of a method (the command line's names, as the registry's keys).
SETTING_OPTIONS = ("lr", "steps", "tol", "fmax", "momentum", "betas", "eps", "max_step")


@dataclass
class MethodRun:
    """One method's run: its name, ``Settings`` (values and sources), ``DescentResult`` and the
    kind of its end point (None when not checked)."""

    method: str
    settings: "Settings"
    result: "DescentResult"
    end_kind: str | None


@command("descend")
def descend(
    run: Run,
    expr: Expr,
    x0: Annotated[
        str | None,
        typer.Option("--x0", metavar="POINT", help="Start: 3, 2,3 or x=2,y=3 (default: a named potential's start)."),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            metavar="NAME[,NAME...]",
            help="gd, momentum, nesterov, adam, fire, cg, bfgs, lbfgs, newton or trust; several, "
            "comma-separated, are compared [default: gd, or a named potential's suggestion].",
        ),
    ] = None,
    lr: Annotated[
        float | None,
        typer.Option(
            "--lr",
            help="Step size of gd/momentum/nesterov/adam [default: gd picks its own step "
            "(Barzilai-Borwein); a named potential's suggestion; 0.01; adam 0.001].",
        ),
    ] = None,
    steps: Annotated[
        int | None,
        typer.Option(
            "--steps",
            min=0,
            help="Most updates (iterations) to make [default: 10000, or a named potential's suggestion].",
        ),
    ] = None,
    tol: Annotated[
        float | None,
        typer.Option(
            "--tol",
            min=0.0,
            help="Stop when |grad V| <= tol; 0 runs exactly --steps [default: 1e-8, or the potential's].",
        ),
    ] = None,
    fmax: Annotated[
        float | None,
        typer.Option(
            "--fmax",
            help="Also stop only when the largest force is <= fmax (ASE's test; per atom for "
            "x1,y1,z1,... coordinates).",
        ),
    ] = None,
    momentum: Annotated[float | None, typer.Option("--momentum", help="momentum/nesterov: μ [default: 0.9].")] = None,
    betas: Annotated[
        str | None, typer.Option("--betas", metavar="B1,B2", help="adam: β1,β2 [default: 0.9,0.999].")
    ] = None,
    eps: Annotated[float | None, typer.Option("--eps", help="adam: ε [default: 1e-8].")] = None,
    max_step: Annotated[
        float | None, typer.Option("--max-step", help="fire: longest move of one step [default: 0.2].")
    ] = None,
    fix: Annotated[
        list[str] | None,
        typer.Option(
            "--fix",
            metavar="NAME[=VALUE]",
            help="Hold a variable fixed (at its --x0 value, or VALUE); repeat or comma-separate for several.",
        ),
    ] = None,
    max_record: Annotated[
        int,
        typer.Option(
            "--max-record", min=2, help="Most trajectory points kept (past it: evenly thinned, the last steps whole)."
        ),
    ] = 1000,
    plot: Annotated[
        str | None, typer.Option("--plot", metavar="FILE", help="Draw the descent to FILE (.png, .svg or .pdf).")
    ] = None,
    xlim: plot_options.XLim = None,
    ylim: plot_options.YLim = None,
    dpi: plot_options.Dpi = plot_options.DEFAULT_DPI,
    output: Annotated[
        str | None, typer.Option("--output", metavar="FILE.xyz", help="Write the end point as particles (XYZ).")
    ] = None,
    trajectory: Annotated[
        str | None,
        typer.Option("--trajectory", metavar="FILE.xyz", help="Write the recorded points, one XYZ frame each."),
    ] = None,
):
    """Minimise V from --x0 with --method (gradient descent by default).

    Stops when |grad V| <= --tol (and the largest force <= --fmax when given:
    status converged) or after --steps updates (max_steps, exit 1); --tol 0
    runs exactly --steps updates like the tutorial (completed). A NaN/infinity
    or |x| > 1e12 stops it as diverged (exit 1); a method that can make no
    progress is stalled (exit 1). A named potential (@NAME) brings its
    suggested settings (see 'gradcli potentials show NAME'); options given
    here always win. Several methods (--method gd,momentum,lbfgs) are compared
    from the same start in one table.

    Example:  gradcli descend "x**4-10*x**2+5" --x0 3 --method gd --lr 0.01 --tol 0

    ends at x = 2.2361 with V = -20 after the tutorial's 200 steps. For
    particles (--pair, @lj-cluster) --x0 may be an .xyz file; --output and
    --trajectory write XYZ files.
    """
    if plot is not None:
        from gradcli.cli.plot import check_plot_path

        check_plot_path(plot)
    check_coordinate_path(output, "--output")
    check_coordinate_path(trajectory, "--trajectory")
    V = run.potential(expr)
    plot_view.check_used(plot, xlim, ylim, dpi)
    view = plot_view.from_run(run, V, xlim, ylim, dpi) if plot is not None else None
    spec, values = _named(run)
    start = _start(V, spec, x0)
    given = {
        "lr": lr,
        "steps": steps,
        "tol": tol,
        "fmax": fmax,
        "momentum": momentum,
        "betas": None if betas is None else _betas(betas),
        "eps": eps,
        "max_step": max_step,
    }
    suggested = {}
    if spec is not None:  # options given here are not even evaluated from the file
        suggested = spec.descent_settings(values, skip=[key for key, value in given.items() if value is not None])
    suggested_method = suggested.pop("method", None)
    methods = _methods(method, suggested_method)
    _check_used(given, methods)
    fixed = _fix(fix)
    if len(methods) > 1 and (output or trajectory):
        raise InputError("--output and --trajectory write one run: give one --method")
    runs = []
    for m in methods:  # Ctrl-C ends the run under way as interrupted; the methods after it are not run
        runs.append(_run_method(run, V, spec, m, start, given, suggested, suggested_method, fixed, max_record))
        if runs[-1].result.status == "interrupted":
            break
    write_descent(run, V, runs[0].result, output, trajectory)
    if plot is not None:
        from gradcli.cli.plot_compare import plot_runs

        plot_runs(plot, V, [(r.method, r.result) for r in runs], (f"@{run.name}: " if run.name else "") + V.text, view)
    from gradcli.cli import descend_tables

    payload = descend_tables.payload(run.header(V), runs, plot, fixed)
    run.emit(payload, lambda: descend_tables.tables(run, V, runs, plot))
    for r in runs:
        if r.end_kind in ("maximum", "saddle"):
            name = "" if len(runs) == 1 else f"{r.method}: "
            write(
                f"warning: {name}the end point is a {r.end_kind} (from the Hessian there), not a minimum; "
                "start elsewhere to go downhill\n",
                sys.stderr,
            )
    if runs[-1].result.status == "interrupted":
        left = f" ({', '.join(methods[len(runs) :])} not run)" if len(runs) < len(methods) else ""
        write(f"interrupted at step {runs[-1].result.steps}; the result so far is shown{left}\n", sys.stderr)
        raise KeyboardInterrupt  # the boundary: exit 130, after the result so far
    failed = [r for r in runs if not r.result.succeeded]
    if failed:
        from gradcli.optimize.diagnosis import explain

        texts = [explain(V, r.result, {**r.settings.values, "atoms": _atoms(V.variables)}) for r in failed]
        if len(runs) > 1:
            texts = [f"{r.method}: {text}" for r, text in zip(failed, texts)]
        for text in texts[:-1]:  # the boundary writes the last (one line each, exit 1)
            write(f"error: {text}\n", sys.stderr)
        raise ComputationError(texts[-1])


def _run_method(run, V, spec, method, start, given, suggested, suggested_method, fixed, max_record) -> MethodRun:
    from gradcli.analysis.stationary import end_point_kind
    from gradcli.cli.progress import progress_bar
    from gradcli.optimize import method_settings, minimize

    settings = method_settings(method, given, suggested, f"@{spec.name}" if spec is not None else "", suggested_method)
    with progress_bar(
        "steps", settings.values["steps"], enabled=not run.json, fields="|∇V| {grad_norm:.3g}", label=method
    ) as update:
        result = minimize(
            V,
            start,
            method=method,
            fix=fixed or None,
            atoms=_atoms(V.variables),
            max_record=max_record,
            progress=lambda step, _value, grad_norm: update(step, grad_norm=grad_norm),
            **settings.values,
        )
    end_kind = None
    if result.converged:
        W, x = V, result.x
        if fixed:
            from gradcli.optimize.fixed import Fixed, fixed_values

            W = Fixed(V, fixed_values(V, start, fixed))
            x = tuple(x[i] for i in W.free)
        end_kind = end_point_kind(W, x, spec.zero_modes if spec is not None and not fixed else 0)
    return MethodRun(method, settings, result, end_kind)


def _named(run: Run):
    """``(spec, parameter values)`` of the named potential being descended, or ``(None, None)``."""
    if not run.name:
        return None, None
    resolved = run.resolved_expr()
    return resolved.spec, resolved.params


def _start(V, spec, x0) -> tuple[float, ...]:
    if x0 is not None:
        return parse_point(x0, V.variables, "--x0")
    if spec is None:
        raise InputError("--x0 POINT is required (the start of the descent), e.g. --x0 3 or --x0 x=1,y=2")
    # The potential's start, in the order of V's variables (--vars may reorder them).
    by_name = dict(zip(spec.variables, spec.start))
    return tuple(float(by_name[name]) for name in V.variables) if set(by_name) == set(V.variables) else spec.start


def _methods(text: str | None, suggested: str | None) -> list[str]:
    """The methods of --method (comma-separated), else the potential's suggestion, else gd."""
    from gradcli.optimize import get_optimizer

    if text is None:
        return [suggested or "gd"]
    names = [name.strip() for name in text.split(",")]
    if any(not name for name in names):
        raise InputError(f"--method: {text!r} has an empty name; e.g. --method gd,lbfgs")
    if len(set(names)) != len(names):
        raise InputError(f"--method: {text!r} names a method twice")
    for name in names:
        get_optimizer(name)
    return names


def _check_used(given: dict, methods: list[str]) -> None:
    """Every option given is a setting of at least one of the methods run."""
    from gradcli.optimize import get_optimizer

    for key, value in given.items():
        if value is not None and not any(key in get_optimizer(m).options for m in methods):
            shown = ",".join(methods)
            users = [name for name in _all_methods() if key in get_optimizer(name).options]
            raise InputError(
                f"--{key.replace('_', '-')} is not a setting of --method {shown} (it is one of {', '.join(users)})"
            )


def _all_methods() -> list[str]:
    from gradcli.optimize import OPTIMIZERS

    return list(OPTIMIZERS)


def _betas(text: str) -> tuple[float, float]:
    parts = text.split(",")
    if len(parts) != 2:
        raise InputError(f"--betas takes two numbers B1,B2 (e.g. 0.9,0.999), got {text!r}")
    return parse_number(parts[0], "--betas"), parse_number(parts[1], "--betas")


def _fix(items: list[str] | None) -> dict:
    """--fix y, --fix y=1, --fix y,z=2 -> {name: value or None}."""
    fixed: dict = {}
    for item in items or []:
        for part in item.split(","):
            name, _, value = part.partition("=")
            name = name.strip()
            if not name:
                raise InputError(f"--fix: {item!r} has an empty name; e.g. --fix y or --fix y=1")
            if name in fixed:
                raise InputError(f"--fix: '{name}' is fixed twice")
            fixed[name] = parse_number(value, f"--fix {name}") if value.strip() else None
    return fixed


def _atoms(variables) -> bool:
    """Whether the coordinates are atoms' x1,y1,z1,x2,... (ASE's per-atom fmax then applies)."""
    n = len(variables)
    return n >= 3 and n % 3 == 0 and list(variables) == [f"{c}{i}" for i in range(1, n // 3 + 1) for c in "xyz"]
