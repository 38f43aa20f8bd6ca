"""The descend command: the tutorial's gradient descent, as tables, JSON or a plot."""

import sys
from typing import Annotated, Optional

import typer

from gradcli.cli.options import ExitStatus, Expr, Run, command
from gradcli.cli.points import parse_point
from gradcli.errors import InputError

#: Rows of the trajectory table a person sees (the JSON has every recorded point).
TABLE_ROWS = 21
#: Settings for a typed expression; a named potential's [descent] table replaces them.
DEFAULTS = {"lr": 0.01, "steps": 200, "tol": 1e-8}


@command("descend")
def descend(
    run: Run,
    expr: Expr,
    x0: Annotated[
        Optional[str],
        typer.Option("--x0", metavar="POINT", help="Start: 3, 2,3 or x=2,y=3 (default: a named potential's start)."),
    ] = None,
    lr: Annotated[
        Optional[float],
        typer.Option("--lr", help="Learning rate (step size) [default: 0.01, or a named potential's suggestion]."),
    ] = None,
    steps: Annotated[
        Optional[int],
        typer.Option("--steps", min=0, help="Most updates to make [default: 200, or a named potential's suggestion]."),
    ] = None,
    tol: Annotated[
        Optional[float],
        typer.Option(
            "--tol", min=0.0, help="Stop when |grad V| <= tol; 0 runs exactly --steps [default: 1e-8, or the potential's]."
        ),
    ] = None,
    max_record: Annotated[
        int, typer.Option("--max-record", min=2, help="Most trajectory points kept (evenly thinned past it).")
    ] = 1000,
    plot: Annotated[
        Optional[str], typer.Option("--plot", metavar="FILE", help="Draw the descent to FILE (.png, .svg or .pdf).")
    ] = None,
):
    """Gradient descent x <- x - lr * grad V(x) from --x0.

    Stops when |grad V| <= --tol (status converged) or after --steps updates
    (max_steps, exit 1); --tol 0 runs exactly --steps updates like the tutorial
    (completed). A NaN/infinity or |x| > 1e12 stops it as diverged (exit 1).
    A named potential (@NAME) brings its suggested --lr and --steps (see
    'gradcli potentials show NAME'); options given here always win.

    Example:  gradcli descend "x**4-10*x**2+5" --x0 3 --tol 0

    ends at x = 2.2361 with V = -20 after the tutorial's 200 steps.
    """
    from gradcli.optimize.descent import gradient_descent

    if plot is not None:
        from gradcli.cli.plot import check_plot_path

        check_plot_path(plot)
    V = run.potential(expr)
    spec, values = _named(run)
    if x0 is not None:
        start = parse_point(x0, V.variables, "--x0")
    elif spec is None:
        raise InputError("--x0 POINT is required (the start of the descent), e.g. --x0 3 or --x0 x=1,y=2")
    else:  # the potential's start, in the order of V's variables (--vars may reorder them)
        by_name = dict(zip(spec.variables, spec.start))
        start = tuple(float(by_name[name]) for name in V.variables) if set(by_name) == set(V.variables) else spec.start
    settings, source = _settings(spec, values, {"lr": lr, "steps": steps, "tol": tol})
    lr, steps, tol = settings["lr"], settings["steps"], settings["tol"]
    result = gradient_descent(V, start, lr=lr, steps=steps, tol=tol, max_record=max_record)
    if plot is not None:
        from gradcli.cli.plot import plot_descent

        plot_descent(plot, V, result, title=(f"@{run.name}: " if run.name else "") + V.text)
    payload = {
        **run.header(V),
        "x0": result.x0,
        "x": result.x,
        "value": result.value,
        "gradient": result.gradient,
        "grad_norm": result.grad_norm,
        "steps": result.steps,
        "status": result.status,
        "converged": result.converged,
        "diverged_at": result.diverged_at,
        "lr": lr,
        "max_steps": steps,
        "tol": tol,
        "settings_from": source,
        "plot": plot,
        "trajectory": [
            {"step": p.step, "x": p.x, "value": p.value, "grad_norm": p.grad_norm} for p in result.trajectory
        ],
    }
    run.emit(payload, lambda: _tables(run, V, result, settings, source, plot))
    if not result.succeeded:
        sys.stderr.write(f"error: {_failure(result, tol)}\n")
        raise typer.Exit(ExitStatus.FAILURE)


def _named(run: Run):
    """``(spec, parameter values)`` of the named potential being descended, or ``(None, None)``."""
    if not run.name:
        return None, None
    return run.resolved.spec, run.resolved.params


def _settings(spec, values, given: dict) -> tuple[dict, dict]:
    """lr, steps and tol: the options given, else the potential's suggestion,
    else DEFAULTS; and where each came from (``"--lr"``, ``"@NAME"``, ``"default"``).

    >>> _settings(None, None, {"lr": None, "steps": 50, "tol": None})
    ({'lr': 0.01, 'steps': 50, 'tol': 1e-08}, {'lr': 'default', 'steps': '--steps', 'tol': 'default'})
    """
    settings, source = dict(DEFAULTS), {key: "default" for key in DEFAULTS}
    if spec is not None:
        given_keys = [key for key, value in given.items() if value is not None]
        for key, value in spec.descent_settings(values, skip=given_keys).items():
            settings[key], source[key] = value, f"@{spec.name}"
    for key, value in given.items():
        if value is not None:
            settings[key], source[key] = value, f"--{key}"
    return settings, source


def _failure(result, tol: float) -> str:
    if result.status == "diverged":
        return (
            f"descent diverged at step {result.diverged_at} (a non-finite number or a coordinate beyond 1e12); "
            "try a smaller --lr"
        )
    return (
        f"descent did not converge in {result.steps} steps (|grad V| = {result.grad_norm:.3g} > tol {tol:g}); "
        "try more --steps or a larger --lr"
    )


def _settings_text(settings: dict, source: dict) -> str:
    """``(lr 0.0002, tol 1e-08; lr and steps from @muller-brown)``: the settings
    used and which a named potential suggested."""
    text = f"lr {settings['lr']:g}, tol {settings['tol']:g}"
    named = [key for key in ("lr", "steps", "tol") if source[key].startswith("@")]
    if named:
        keys = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
        text += f"; {keys} from {source[named[0]]}"
    return f"({text})"


def _tables(run: Run, V, result, settings: dict, source: dict, plot) -> None:
    from gradcli.cli import render

    status = result.status if result.diverged_at is None else f"{result.status} at step {result.diverged_at}"
    rows = [
        ("start x0", render.point(V.variables, result.x0)),
        ("end x", render.point(V.variables, result.x)),
        ("V(x)", render.number(result.value)),
        ("|grad V|", render.number(result.grad_norm)),
        ("steps", f"{result.steps} {_settings_text(settings, source)}"),
        ("status", render.status(status, result.succeeded)),
    ]
    if plot is not None:
        rows.append(("plot", plot))
    shown = render.thin(result.trajectory, TABLE_ROWS)
    caption = None
    if len(shown) < result.steps + 1:
        caption = f"{len(shown)} of {result.steps + 1} points shown; --json lists {len(result.trajectory)}"
    # Coordinates get a column each only while that stays readable; the JSON has them all.
    names = list(V.variables) if V.n <= 3 else []
    trajectory = render.columns(
        "trajectory",
        ["step", *names, "V", "|grad V|"],
        [[str(p.step), *p.x[: len(names)], p.value, p.grad_norm] for p in shown],
        caption=caption,
    )
    render.show(render.summary(render.title("gradient descent", run.name, V.text), rows), trajectory)
