"""The descend command: the tutorial's gradient descent, as tables, JSON or a plot."""

import sys
from typing import Annotated, Optional

import typer

from gradcli.cli.options import ExitStatus, Expr, Run, command
from gradcli.cli.points import parse_point
from gradcli.errors import InputError

#: Rows of the trajectory table a person sees (the JSON has every recorded point).
TABLE_ROWS = 21


@command("descend")
def descend(
    run: Run,
    expr: Expr,
    x0: Annotated[
        Optional[str],
        typer.Option("--x0", metavar="POINT", help="Start: 3, 2,3 or x=2,y=3 (default: a named potential's start)."),
    ] = None,
    lr: Annotated[float, typer.Option("--lr", help="Learning rate (step size).")] = 0.01,
    steps: Annotated[int, typer.Option("--steps", min=0, help="Most updates to make.")] = 200,
    tol: Annotated[
        float, typer.Option("--tol", min=0.0, help="Stop when |grad V| <= tol; 0 runs exactly --steps.")
    ] = 1e-8,
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

    Example:  gradcli descend "x**4-10*x**2+5" --x0 3 --tol 0

    ends at x = 2.2361 with V = -20 after the tutorial's 200 steps.
    """
    from gradcli.optimize.descent import gradient_descent

    if plot is not None:
        from gradcli.cli.plot import check_plot_path

        check_plot_path(plot)
    V = run.potential(expr)
    start = parse_point(x0, V.variables, "--x0") if x0 is not None else _named_start(run, V)
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
        "tol": tol,
        "plot": plot,
        "trajectory": [
            {"step": p.step, "x": p.x, "value": p.value, "grad_norm": p.grad_norm} for p in result.trajectory
        ],
    }
    run.emit(payload, lambda: _tables(run, V, result, lr, tol, plot))
    if not result.succeeded:
        sys.stderr.write(f"error: {_failure(result, tol)}\n")
        raise typer.Exit(ExitStatus.FAILURE)


def _named_start(run: Run, V) -> tuple[float, ...]:
    """The suggested start of a named potential, when --x0 is left out."""
    if not run.name:
        raise InputError("--x0 POINT is required (the start of the descent), e.g. --x0 3 or --x0 x=1,y=2")
    from gradcli.library import find_potential

    spec, _ = find_potential(run.name, run.potentials_dirs).bind(run.user_params)
    return tuple(float(c) for c in spec.start)


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


def _tables(run: Run, V, result, lr: float, tol: float, plot) -> None:
    from gradcli.cli import render

    status = result.status if result.diverged_at is None else f"{result.status} at step {result.diverged_at}"
    rows = [
        ("start x0", render.point(V.variables, result.x0)),
        ("end x", render.point(V.variables, result.x)),
        ("V(x)", render.number(result.value)),
        ("|grad V|", render.number(result.grad_norm)),
        ("steps", f"{result.steps} (lr {lr:g}, tol {tol:g})"),
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
