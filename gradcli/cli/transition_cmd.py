"""Transition states: ``gradcli saddle`` (eigenvector following with the
exact Hessian) and ``gradcli path`` (the climbing-image nudged elastic band,
its maxima refined to saddles). Thin: options in, the library
(``gradcli.optimize.saddle``, ``gradcli.optimize.neb``) called, tables or
JSON out; a search that did not end where it should exits 1 after its output.
"""

import sys
from typing import Annotated

import typer

from gradcli.cli import plot_options, plot_view
from gradcli.cli.labels import point_or_label
from gradcli.cli.options import Expr, Run, command
from gradcli.cli.output import write
from gradcli.errors import ComputationError, InputError

ZeroModes = Annotated[
    int | None,
    typer.Option(
        "--zero-modes",
        metavar="N",
        min=0,
        help="Symmetry zero modes left out (6 for a cluster of atoms) [default: 0, or a named potential's].",
    ),
]


def parse_follow(text: str | None, modes: int) -> int | None:
    """``--follow lowest|N`` -> the library's 0-based mode (N counts from 1 = lowest, as tables number them).

    >>> parse_follow("lowest", 2), parse_follow("2", 2), parse_follow(None, 2)
    (0, 1, None)
    """
    if text is None:
        return None
    word = text.strip().lower()
    if word == "lowest":
        return 0
    if not word.isdigit() or not 1 <= int(word) <= modes:
        raise InputError(f"--follow {text}: give 'lowest' or a mode number from 1 to {modes} (1 = the lowest)")
    return int(word) - 1


def _start(run: Run, V, text: str | None, option: str):
    if text is not None:
        return point_or_label(run, text, V.variables, option)
    resolved = run.resolved
    if resolved is None or resolved.spec is None:
        raise InputError(f"{option} POINT is required, e.g. {option} 0.5 or {option} x=1,y=2")
    by_name = dict(zip(resolved.spec.variables, resolved.spec.start))
    return tuple(float(by_name[name]) for name in V.variables)


def _zero_modes(run: Run, given: int | None, n: int) -> int:
    zero_modes = given if given is not None else run.resolved_expr().zero_modes
    if not 0 <= zero_modes < n:
        raise InputError(f"--zero-modes {zero_modes}: must be from 0 to {n - 1} (fewer than the {n} variables)")
    return zero_modes


def saddle_payload(found) -> dict:
    """A ``SaddleResult`` as JSON data (eigenvectors as rows, one per eigenvalue)."""
    return {
        "point": found.x,
        "value": found.value,
        "gradient": found.gradient,
        "eigenvalues": found.eigenvalues,
        "eigenvectors": found.eigenvectors.T,
        "index": found.index,
        "wanted_index": found.wanted_index,
        "kind": found.kind,
        "transition_vector": found.transition_vector,
        "newton_step": found.newton_step,
        "steps": found.steps,
        "evaluations": found.evaluations,
        "status": found.status,
        "message": found.message,
    }


@command("saddle")
def saddle(
    run: Run,
    expr: Expr,
    x0: Annotated[
        str | None,
        typer.Option(
            "--x0",
            metavar="POINT",
            help="Start: 2,3, x=2,y=3, or a listed point of a named potential (MA, S1, ...) "
            "[default: a named potential's start].",
        ),
    ] = None,
    index: Annotated[int, typer.Option("--index", min=0, help="Saddle index: the number of negative curvatures.")] = 1,
    follow: Annotated[
        str | None,
        typer.Option(
            "--follow",
            metavar="lowest|N",
            help="Climb along this Hessian mode (1 = lowest) and keep following it: "
            "from a minimum, which way to leave it.",
        ),
    ] = None,
    steps: Annotated[
        int, typer.Option("--steps", min=0, max=1_000_000, help="Most steps (Hessian evaluations).")
    ] = 500,
    trust: Annotated[float, typer.Option("--trust", min=0.0, help="First trust radius (in units of x).")] = 0.1,
    zero_modes: ZeroModes = None,
):
    """A saddle point by eigenvector following with the exact Hessian (P-RFO).

    Partitioned rational-function steps (Baker 1986; Cerjan & Miller 1981)
    climb the lowest mode(s) and descend the others inside a trust radius.
    The point found is checked: its index is the number of negative Hessian
    eigenvalues, and a point of another kind is reported as such (exit 1),
    never as a saddle. From inside a basin the search also climbs the other
    way, the next mode, and from the basin's minimum.

    Example:  gradcli saddle @muller-brown --x0 -0.8,0.6

    converges to S1 (-0.8220, 0.6243), V = -40.66, one negative eigenvalue.
    Ctrl-C stops the search and reports the point reached (exit 130).
    """
    from gradcli.cli.progress import progress_bar
    from gradcli.optimize.saddle import saddle as search

    V = run.potential(expr)
    start = _start(run, V, x0, "--x0")
    zero = _zero_modes(run, zero_modes, V.n)
    if not trust > 0:
        raise InputError(f"--trust {trust:g}: must be positive")
    with progress_bar("steps", steps, enabled=not run.json, fields="|∇V| {grad_norm:.3g}", label="P-RFO") as update:
        found = search(
            V,
            start,
            index=index,
            follow=parse_follow(follow, V.n - zero),
            zero_modes=zero,
            trust_radius=trust,
            max_trust=max(1.0, trust),
            steps=steps,
            progress=lambda step, _value, grad_norm: update(step, grad_norm=grad_norm),
        )
    payload = {**run.header(V), "x0": start, "zero_modes": zero, **saddle_payload(found)}
    run.emit(payload, lambda: _saddle_tables(run, V, found))
    if found.status == "interrupted":
        write(f"interrupted at step {found.steps}; the point reached is shown\n", sys.stderr)
        raise KeyboardInterrupt  # the boundary: exit 130, after the result so far
    if found.status != "converged":
        raise ComputationError(found.message)


def _saddle_tables(run: Run, V, found) -> None:
    from gradcli.cli import render
    from gradcli.cli.units import declared, label

    rows = [
        ("point", render.point(V.variables, found.x)),
        (label("V", "energy", declared(run)), render.number(found.value)),
        ("status", render.status(found.status, found.converged)),
        ("index found", f"{found.index} ({found.kind}); asked for {found.wanted_index}"),
        ("steps", found.steps),
        ("evaluations", f"{found.evaluations['hessian']} Hessians, {found.evaluations['value_and_grad']} gradients"),
        ("message", found.message),
    ]
    tables = [render.summary(render.title("saddle", run.name, V.text), rows), _eigen_table(render, run, V, found)]
    if found.transition_vector is not None and V.n > 8:
        tables.append(
            render.columns(
                "transition vector (eigenvector of the lowest eigenvalue)",
                ["variable", "component"],
                list(zip(V.variables, found.transition_vector)),
            )
        )
    render.show(*tables)


def _eigen_table(render, run, V, found):
    """Eigenvalues with their eigenvectors as columns (up to 8 variables; beyond, --json has them)."""
    from gradcli.cli.units import declared, label

    shown = V.n <= 8
    headers = ["mode", label("λ", "curvature", declared(run)), *(V.variables if shown else [])]
    rows = [[str(i + 1), e, *(found.eigenvectors[:, i] if shown else [])] for i, e in enumerate(found.eigenvalues)]
    caption = None if shown else f"eigenvectors of {V.n} variables: see --json"
    return render.columns(
        "Hessian eigenvalues and eigenvectors (the first negative one: the transition vector)", headers, rows, caption
    )


@command("path")
def path(
    run: Run,
    expr: Expr,
    start: Annotated[str, typer.Option("--from", metavar="POINT", help="One end: 2,3, x=2,y=3 or a listed point.")],
    end: Annotated[str, typer.Option("--to", metavar="POINT", help="The other end.")],
    images: Annotated[int, typer.Option("--images", min=3, help="Band images, the two ends included.")] = 11,
    spring: Annotated[float, typer.Option("--spring", help="Spring constant k (V per length squared).")] = 0.1,
    climb: Annotated[bool, typer.Option("--climb/--no-climb", help="The highest image climbs to the saddle.")] = True,
    fmax: Annotated[
        float,
        typer.Option(
            "--fmax",
            help="Band converged when every force component (for x1,y1,z1,... coordinates every atom's "
            "force) is below.",
        ),
    ] = 0.05,
    steps: Annotated[int, typer.Option("--steps", min=0, max=1_000_000, help="Most FIRE steps of the band.")] = 2000,
    relax: Annotated[bool, typer.Option("--relax/--no-relax", help="Relax the ends to their minima first.")] = True,
    zero_modes: ZeroModes = None,
    plot: Annotated[
        str | None,
        typer.Option(
            "--plot",
            metavar="FILE",
            help="Draw the path to FILE (.png, .svg or .pdf): the map with the band for "
            "two variables, the energy profile for any number.",
        ),
    ] = None,
    xlim: plot_options.XLim = None,
    ylim: plot_options.YLim = None,
    dpi: plot_options.Dpi = plot_options.DEFAULT_DPI,
):
    """The minimum-energy path between two minima, its saddles and barriers.

    A climbing-image nudged elastic band (Henkelman, Uberuaga & Jónsson 2000,
    improved tangent) relaxed with FIRE; then every local maximum along the
    band is refined to its saddle with the exact Hessian (index checked) and
    every local minimum to its minimum, so the barriers are exact. Exits 1
    when the band or a refinement did not converge (the output says which).

    Example:  gradcli path @muller-brown --from MA --to MB

    passes S1, the intermediate minimum MC and S2; forward barrier 106.03.
    Ctrl-C stops the search and reports the band and the points found so far (exit 130).
    """
    from gradcli.analysis.modes import atomic_layout
    from gradcli.cli.progress import progress_bar
    from gradcli.optimize.neb import path as minimum_energy_path

    if plot is not None:
        from gradcli.cli.plot import check_plot_path

        check_plot_path(plot)
    if not spring > 0:
        raise InputError(f"--spring {spring:g}: must be positive")
    if not fmax > 0:
        raise InputError(f"--fmax {fmax:g}: must be positive")
    V = run.potential(expr)
    plot_view.check_used(plot, xlim, ylim, dpi)
    view = plot_view.from_run(run, V, xlim, ylim, dpi) if plot is not None else None
    a = point_or_label(run, start, V.variables, "--from")
    b = point_or_label(run, end, V.variables, "--to")
    zero = _zero_modes(run, zero_modes, V.n)
    with progress_bar(
        "FIRE steps", steps, enabled=not run.json, fields="band force {force:.3g}", label="NEB"
    ) as update:
        mep = minimum_energy_path(
            V,
            a,
            b,
            images=images,
            spring=spring,
            climb=climb,
            fmax=fmax,
            steps=steps,
            relax=relax,
            zero_modes=zero,
            atoms=atomic_layout(V.variables),
            progress=lambda step, _top, force: update(step, force=force),
        )
    if plot is not None:
        from gradcli.cli.path_plot import plot_path

        plot_path(plot, V, mep, (f"path @{run.name}: " if run.name else "path: ") + V.text, view)
    payload = {**run.header(V), **path_payload(mep), "plot": plot}
    run.emit(payload, lambda: _path_tables(run, V, mep))
    if mep.interrupted:
        where = f"at FIRE step {mep.band_steps}" if mep.band_status == "interrupted" else "while refining"
        write(f"interrupted {where}; the path so far is shown\n", sys.stderr)
        raise KeyboardInterrupt  # the boundary: exit 130, after the result so far
    failure = _path_failure(mep)
    if failure:
        raise ComputationError(failure)


def _point_payload(p) -> dict | None:
    if p is None:
        return None
    return {"image": p.image, **saddle_payload(p.refined)}


def path_payload(mep) -> dict:
    """A ``PathResult`` as JSON data."""
    return {
        "status": mep.status,
        "images": [
            {"point": x, "value": v, "arc_length": s} for x, v, s in zip(mep.points, mep.energies, mep.arc_length)
        ],
        "climbing_image": mep.climbing_image,
        "band": {
            "status": mep.band_status,
            "steps": mep.band_steps,
            "fmax": mep.band_fmax,
            "fmax_asked": mep.fmax,
            "spring": mep.spring,
        },
        "start": _point_payload(mep.start),
        "end": _point_payload(mep.end),
        "saddles": [_point_payload(s) for s in mep.saddles],
        "minima": [_point_payload(m) for m in mep.minima],
        "forward_barrier": mep.forward_barrier,
        "backward_barrier": mep.backward_barrier,
        "barriers": [{"saddle": i + 1, "forward": f, "backward": b} for i, (f, b) in enumerate(mep.barriers)],
        "evaluations": mep.evaluations,
        "converged": mep.converged,
    }


def _path_failure(mep) -> str | None:
    if mep.band_status != "converged":
        return (
            f"the band did not converge in {mep.band_steps} FIRE steps (largest force {mep.band_fmax:.3g} > "
            f"--fmax {mep.fmax:g}); try more --steps, more --images or a larger --fmax"
        )
    for label, p in [
        *((f"saddle {i + 1}", s) for i, s in enumerate(mep.saddles)),
        *((f"minimum {i + 1}", m) for i, m in enumerate(mep.minima)),
    ]:
        if not p.ok:
            return f"refining the {label} along the band (image {p.image}): {p.refined.message}"
    return None


def _path_tables(run: Run, V, mep) -> None:
    from gradcli.cli import render
    from gradcli.cli.units import declared
    from gradcli.cli.units import label as with_unit

    units = declared(run)
    marks = {s.image: f"≈ saddle {i + 1}" for i, s in enumerate(mep.saddles)}
    marks.update({m.image: f"≈ minimum {i + 1}" for i, m in enumerate(mep.minima)})
    if mep.climbing_image is not None:
        marks[mep.climbing_image] = ", ".join(filter(None, ["climbing", marks.get(mep.climbing_image)]))
    # Coordinates stay in the JSON: beside them the numbers would be cut in 80 columns.
    band = render.columns(
        f"band: {len(mep.points)} images, FIRE {mep.band_status} in {mep.band_steps} steps "
        f"(largest force {render.number(mep.band_fmax)})",
        ["image", with_unit("arc length", "length", units), with_unit("V", "energy", units), ""],
        [[str(i), s, v, marks.get(i, "")] for i, (v, s) in enumerate(zip(mep.energies, mep.arc_length))],
        "image coordinates: see --json",
    )
    found = []
    ends = [
        ("start", mep.start),
        *((f"saddle {i + 1}", s) for i, s in enumerate(mep.saddles)),
        *((f"minimum {i + 1}", m) for i, m in enumerate(mep.minima)),
        ("end", mep.end),
    ]
    for label, p in sorted((e for e in ends if e[1] is not None), key=lambda e: e[1].image):
        found.append(
            [label, render.point(V.variables, p.x), p.value, p.refined.index, render.status(p.refined.status, p.ok)]
        )
    stationary = render.columns(
        "stationary points along the path (refined with the exact Hessian)",
        ["", "point", with_unit("V", "energy", units), "index", "status"],
        found,
    )
    barriers = render.summary(
        render.title("path", run.name, V.text),
        [
            ("forward barrier", render.number(mep.forward_barrier)),
            ("backward barrier", render.number(mep.backward_barrier)),
            *(
                (f"saddle {i + 1}", f"forward {render.number(f)}, backward {render.number(b)}")
                for i, (f, b) in enumerate(mep.barriers)
            ),
            ("evaluations", f"{mep.evaluations['value_and_grad']} gradients, {mep.evaluations['hessian']} Hessians"),
            ("status", render.status(mep.status, mep.converged)),
        ],
    )
    render.show(barriers, stationary, band)
