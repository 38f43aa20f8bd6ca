"""The basins and global commands: many descents at once, and basin hopping."""

import sys
from typing import Annotated

import typer

from gradcli.cli import plot_options, plot_view, progress
from gradcli.cli.options import Expr, Run, command
from gradcli.cli.output import write
from gradcli.cli.points import parse_number, parse_point
from gradcli.errors import ComputationError, InputError


def parse_box(text: str, variables: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """``x=-1.5:1.2,y=-0.5:2`` -> {"x": (-1.5, 1.2), "y": (-0.5, 2.0)}.

    >>> parse_box("x=-1.5:1.2, y=-0.5:2", ("x", "y"))
    {'x': (-1.5, 1.2), 'y': (-0.5, 2.0)}
    """
    box: dict[str, tuple[float, float]] = {}
    for item in text.split(","):
        name, sep, span = item.partition("=")
        low, colon, high = span.partition(":")
        name = name.strip()
        if not sep or not colon:
            raise InputError(f"--box {text.strip()!r}: expected NAME=LOW:HIGH for each variable, e.g. x=-1:1,y=0:2")
        if name not in variables:
            raise InputError(f"--box: {name!r} is not a variable of the expression (variables: {', '.join(variables)})")
        if name in box:
            raise InputError(f"--box: {name} is given twice")
        box[name] = (parse_number(low, f"--box {name} low"), parse_number(high, f"--box {name} high"))
    return box


def parse_grid(text: str, n: int) -> tuple[int, ...]:
    """``200x200`` (or ``200`` for every variable) -> (200, 200).

    >>> parse_grid("200x100", 2), parse_grid("50", 3)
    ((200, 100), (50, 50, 50))
    """
    parts = [p.strip() for p in text.lower().split("x")]
    if not all(p.isascii() and p.isdigit() for p in parts) or len(parts) not in (1, n):
        raise InputError(f"--grid {text!r}: expected {n} counts like {'x'.join(['200'] * n)}")
    counts = tuple(int(p) for p in parts) * (n if len(parts) == 1 else 1)
    if min(counts) < 1:
        raise InputError(f"--grid {text!r}: every count must be at least 1")
    return counts


@command("basins")
def basins(
    run: Run,
    expr: Expr,
    box: Annotated[str, typer.Option("--box", metavar="x=LO:HI,y=LO:HI", help="The region the starts fill.")],
    samples: Annotated[
        int | None, typer.Option("--samples", metavar="N", help="N random starts in the box [default: 10000].")
    ] = None,
    grid: Annotated[
        str | None, typer.Option("--grid", metavar="NxM", help="Starts on a grid instead, e.g. 200x200.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random starts.")] = 0,
    method: Annotated[str, typer.Option("--method", help="gd, fire or lbfgs, run on every walker at once.")] = "fire",
    tol: Annotated[float, typer.Option("--tol", help="A walker has converged when |grad V| <= tol.")] = 1e-6,
    steps: Annotated[int, typer.Option("--steps", max=1_000_000, help="Most steps per walker.")] = 10_000,
    lr: Annotated[float, typer.Option("--lr", help="Step size of gd.")] = 0.01,
    max_step: Annotated[
        float | None,
        typer.Option("--max-step", help="Longest single step of fire/lbfgs [default: 1% of the box diagonal]."),
    ] = None,
    cluster_tol: Annotated[
        float | None,
        typer.Option(
            "--cluster-tol", help="End points closer than this are one minimum [default: 1e-4 of the box diagonal]."
        ),
    ] = None,
    zero_modes: Annotated[int, typer.Option("--zero-modes", help="Symmetry zero modes to set aside.")] = 0,
    plot: Annotated[
        str | None, typer.Option("--plot", metavar="FILE", help="Draw the basin map (2 variables) to FILE.")
    ] = None,
    dpi: plot_options.Dpi = plot_options.DEFAULT_DPI,
):
    """Map the basins of attraction: every start in --box descends, end points group into minima.

    Each minimum is checked from its Hessian and reported with the share of
    starts that reached it (and its standard error). Walkers that diverge or
    do not converge are counted, never dropped.

    Example:  gradcli basins @muller-brown --box x=-1.5:1.2,y=-0.5:2 --samples 100000
    """
    from gradcli.landscape.basins import basin_map

    V = run.potential(expr)
    plot_view.check_used(plot, None, None, dpi)
    view = plot_view.from_run(run, V, None, None, dpi) if plot is not None else None
    region = parse_box(box, V.variables)
    if samples is not None and grid is not None:
        raise InputError("give --samples or --grid, not both")
    shape = parse_grid(grid, V.n) if grid is not None else None
    if plot is not None:
        from gradcli.cli.plot import check_plot_path

        check_plot_path(plot)
        if V.n != 2:
            raise InputError(f"--plot draws a basin map of 2 variables; this potential has {V.n}")
    count = None if shape is not None else (10_000 if samples is None else samples)
    total = count if count is not None else _product(shape)
    with progress.progress_bar("walkers", total, enabled=not run.json, fields="") as update:
        result = basin_map(
            V,
            region,
            samples=count,
            grid=shape,
            seed=seed,
            method=method,
            tol=tol,
            steps=steps,
            lr=lr,
            max_step=max_step,
            cluster_tol=cluster_tol,
            zero_modes=zero_modes,
            progress=lambda done, _total: update(done),
        )
    if plot is not None:
        from gradcli.cli.plot import plot_basins

        plot_basins(plot, V, result, (f"@{run.name}: " if run.name else "") + V.text, view)
    payload = {
        **run.header(V),
        "box": {name: list(span) for name, span in result.box.items()},
        "samples": count,
        "grid": list(shape) if shape is not None else None,
        "seed": result.seed,
        "method": method,
        "tol": tol,
        "starts": len(result.starts),
        "minima": [
            {
                "point": m.point,
                "value": m.value,
                "kind": m.kind,
                "eigenvalues": m.eigenvalues,
                "count": m.count,
                "share": m.share,
                "share_error": m.share_error,
            }
            for m in result.minima
        ],
        "walkers": result.status,
        "not_converged": result.not_converged,
        "status": "completed" if result.minima else "no_minimum",
        "evaluations": result.evaluations,
        "plot": plot,
    }
    run.emit(payload, lambda: _basin_tables(run, V, result, plot))
    if not result.minima:
        raise ComputationError(f"no walker converged (|grad V| <= {tol:g}); try more --steps or another --method")


def _product(shape) -> int:
    total = 1
    for k in shape:
        total *= k
    return total


def _basin_tables(run: Run, V, result, plot) -> None:
    from gradcli.cli import render
    from gradcli.cli.units import declared, label

    starts = len(result.starts)
    rows = [
        [
            str(i + 1),
            render.point(V.variables, m.point),
            m.value,
            m.kind,
            m.count,
            # "±1.10" is one word: a narrow table puts it under the share, never "±" alone on a line.
            f"{100 * m.share:.2f} ±{100 * m.share_error:.2f}",
        ]
        for i, m in enumerate(result.minima)
    ]
    how = f"grid {'x'.join(map(str, result.grid))}" if result.grid else f"{starts} random starts (seed {result.seed})"
    ended = ", ".join(f"{count} {status}" for status, count in result.status.items())
    summary = [
        (
            "starts",
            f"{how} in "
            + ", ".join(f"{k}=[{render.number(lo)}, {render.number(hi)}]" for k, (lo, hi) in result.box.items()),
        ),
        ("method", result.method),
        ("walkers", ended),
        ("evaluations", str(result.evaluations)),
    ]
    if plot is not None:
        summary.append(("plot", plot))
    tables = [
        render.summary(render.title("basins of attraction", run.name, V.text), summary),
        render.columns(
            "minima (lowest V first)",
            ["#", "point", label("V", "energy", declared(run)), "kind", "starts", "share %"],
            rows,
        ),
    ]
    if result.not_converged:
        tables.append(
            render.summary(
                "not converged",
                [
                    (
                        "walkers",
                        f"{result.not_converged} of {starts} ended without converging ({ended}); their starts are "
                        "left out of every share",
                    )
                ],
            )
        )
    render.show(*tables)


@command("global")
def global_(
    run: Run,
    expr: Expr,
    x0: Annotated[
        str | None, typer.Option("--x0", metavar="POINT", help="Start (default: a named potential's start).")
    ] = None,
    hops: Annotated[int, typer.Option("--hops", help="Basin-hopping steps.")] = 1000,
    step: Annotated[
        float | None,
        typer.Option("--step", help="Random move size [default: 0.4 nearest-neighbour distance for atoms, else 0.5]."),
    ] = None,
    temperature: Annotated[float, typer.Option("--temperature", help="Metropolis temperature (energy units).")] = 0.8,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random moves.")] = 0,
    random_start: Annotated[
        bool, typer.Option("--random-start/--no-random-start", help="Start from a random point near --x0.")
    ] = False,
    target: Annotated[
        float | None, typer.Option("--target", help="Stop when a minimum at or below this V is found.")
    ] = None,
    keep: Annotated[int, typer.Option("--keep", help="How many of the lowest distinct minima to report.")] = 10,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", metavar="SECONDS", help="Stop after this long.")
    ] = None,
):
    """The global minimum by basin hopping (Wales & Doye 1997).

    Random moves, a local L-BFGS minimisation after each, Metropolis
    acceptance at --temperature; atoms (x1,y1,z1,...) move as a cluster.
    Reports the lowest distinct minima with the hop at which each was first
    found. Ctrl-C stops early and reports the best so far (exit 130).

    Example:  gradcli global @lj-cluster --param n=13 --hops 200
    """
    from gradcli.landscape.hopping import basin_hopping

    V = run.potential(expr)
    start = _start(run, V, x0)
    with progress.progress_bar("hops", hops, enabled=not run.json, fields="best V {best:.10g}") as update:
        result = basin_hopping(
            V,
            start,
            hops=hops,
            step=step,
            temperature=temperature,
            seed=seed,
            target=target,
            keep=keep,
            random_start=random_start,
            time_limit=time_limit,
            progress=lambda hop, _total, best: update(hop, best=best),
        )
    status = (
        "interrupted"
        if result.interrupted
        else ("target_reached" if result.target_reached else ("target_missed" if target is not None else "completed"))
    )
    payload = {
        **run.header(V),
        "x0": start,
        "status": status,
        "best": {"point": result.best.point, "value": result.best.value, "hop": result.best.hop},
        "minima": [{"point": m.point, "value": m.value, "hop": m.hop} for m in result.minima],
        "hops": result.hops,
        "accepted": result.accepted,
        "evaluations": result.evaluations,
        "step": result.step,
        "temperature": temperature,
        "seed": seed,
        "target": target,
        "seconds": result.seconds,
    }
    run.emit(payload, lambda: _global_tables(run, V, result, status))
    if result.interrupted:
        write(f"interrupted after {result.hops} hops; the best so far is shown\n", sys.stderr)
        raise KeyboardInterrupt
    if status == "target_missed":
        raise ComputationError(
            f"no minimum at or below --target {target:g} in {result.hops} hops "
            f"(best {result.best.value:.10g}); try more --hops or another --seed"
        )


def _start(run: Run, V, x0: str | None) -> tuple[float, ...]:
    if x0 is not None:
        return parse_point(x0, V.variables, "--x0")
    spec = run.resolved.spec if run.resolved is not None else None
    if spec is None or not spec.start:
        raise InputError("--x0 POINT is required (where the search starts), e.g. --x0 3 or --x0 x=1,y=2")
    # The named start, in the order of V's variables (--vars may reorder them).
    by_name = dict(zip(spec.variables, spec.start))
    return tuple(float(by_name[name]) for name in V.variables) if set(by_name) == set(V.variables) else spec.start


def _global_tables(run: Run, V, result, status: str) -> None:
    from gradcli.cli import render
    from gradcli.cli.units import declared, label

    units = declared(run)
    shown = V.n <= 3  # a cluster's coordinates do not fit a table: --json has every point
    rows = [
        [str(i + 1), m.value, str(m.hop), *([render.point(V.variables, m.point)] if shown else [])]
        for i, m in enumerate(result.minima)
    ]
    summary = [
        (label("best V", "energy", units), render.number(result.best.value)),
        ("found at hop", str(result.best.hop)),
        (
            "hops",
            f"{result.hops} ({result.accepted} accepted, T {result.temperature:g}, final step "
            f"{render.number(result.step)})",
        ),
        ("evaluations", str(result.evaluations)),
        ("status", render.status(status, status in ("completed", "target_reached"))),
    ]
    if not shown:
        summary.append(("points", f"{V.n} coordinates each: see --json"))
    render.show(
        render.summary(render.title("basin hopping", run.name, V.text), summary),
        render.columns(
            "lowest distinct minima",
            ["#", label("V", "energy", units), "first hop", *(["point"] if shown else [])],
            rows,
        ),
    )
