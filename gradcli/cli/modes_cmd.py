"""``gradcli modes``: normal modes from the mass-weighted exact Hessian
(``gradcli.analysis.modes``). A named potential brings its units and masses
(``gradcli modes @morse`` needs no options) and its first listed minimum as
the default point.
"""

from typing import Annotated

import typer

from gradcli.cli.labels import point_or_label
from gradcli.cli.options import Expr, Run, command
from gradcli.errors import InputError

#: Components of each mode's displacement shown in the table (the JSON has them all).
SHOWN_COMPONENTS = 3


@command("modes")
def modes(
    run: Run,
    expr: Expr,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="POINT",
            help="The point: 2,3, x=2,y=3 or a listed point (MA, S1, ...) "
            "[default: a named potential's first listed minimum].",
        ),
    ] = None,
    masses: Annotated[
        str | None,
        typer.Option(
            "--masses",
            metavar="M,...",
            help="Masses: one per variable, one per atom for x1,y1,z1,... coordinates, "
            "or one for all; numbers or element symbols (O,H,H) [default: 1, or a named potential's].",
        ),
    ] = None,
    units: Annotated[
        str | None,
        typer.Option(
            "--units",
            metavar="E,L,M",
            help="Energy, length and mass units of V, x and the masses [default: eV,Å,amu, or a named potential's].",
        ),
    ] = None,
    project: Annotated[
        bool | None,
        typer.Option(
            "--project/--no-project",
            help="Project out rigid translations and rotations [default: on for x1,y1,z1,... coordinates].",
        ),
    ] = None,
    zero_modes: Annotated[
        int | None,
        typer.Option(
            "--zero-modes", metavar="N", min=0, help="Set aside the N modes closest to zero instead of projecting."
        ),
    ] = None,
):
    """Normal modes: frequencies (cm⁻¹, meV, THz) and the zero-point energy.

    The eigenvectors of M^-1/2 H M^-1/2 at the point, H the exact Hessian and
    M the masses. Imaginary frequencies (a negative curvature: a saddle) are
    marked as ASE does, 12.3i. For atomic coordinates x1, y1, z1, x2, ... the
    3 translations and 3 rotations (2 for a linear molecule) are projected
    out and shown as zero modes. Constants: CODATA 2018; element masses:
    IUPAC 2016 standard atomic weights.

    Example:  gradcli modes @morse

    gives H2's harmonic wavenumber, 4400.2 cm⁻¹ (Huber & Herzberg: 4401.2).
    """
    from gradcli.analysis.modes import DEFAULT_UNITS
    from gradcli.analysis.modes import modes as normal_modes

    V = run.potential(expr)
    resolved = run.resolved
    point = point_or_label(run, at, V.variables, "--at") if at is not None else _first_minimum(run, V)
    declared = resolved.units if resolved is not None else None
    if units is None and declared is not None and declared.length == "rad":
        raise InputError(
            f"@{run.name}'s coordinates are angles (rad), whose inertia is a moment of inertia, not a "
            "mass: give --units E,L,M and --masses to treat them as lengths and masses"
        )
    if masses is None and declared is not None and declared.mass is None and declared.energy != "reduced":
        raise InputError(f"@{run.name} declares no masses: give --masses")
    chosen_units: str | tuple[str, ...] | None = units  # --units E,L,M, else the potential's
    if units is None and declared is not None:
        chosen_units = (declared.energy, declared.length, declared.mass or DEFAULT_UNITS[2])
        if "reduced" in chosen_units and set(chosen_units) != {"reduced"}:
            chosen_units = ("reduced",) * 3
    chosen_masses: str | list[float] | None = masses  # --masses, else the potential's
    if masses is None and resolved is not None and resolved.spec is not None and resolved.masses is not None:
        by_name = dict(zip(resolved.spec.variables, resolved.masses))
        chosen_masses = [by_name[name] for name in V.variables]
    if project and zero_modes:
        raise InputError("--project and --zero-modes: give one or the other")
    result = normal_modes(
        V,
        point,
        masses=chosen_masses,
        units=chosen_units or DEFAULT_UNITS,
        project=project,
        zero_modes=zero_modes or 0,
    )
    value, gradient = V.value_and_grad(point)
    grad_norm = float(sum(float(g) ** 2 for g in gradient) ** 0.5)
    payload = {**run.header(V), **modes_payload(result), "value": value, "grad_norm": grad_norm}
    run.emit(payload, lambda: _tables(run, V, result, value, grad_norm))


def _first_minimum(run: Run, V):
    spec = run.resolved.spec if run.resolved is not None else None
    listed = [s for s in (spec.stationary if spec is not None else ()) if s.kind == "minimum"]
    if spec is None or not listed:
        raise InputError("--at POINT is required (the point whose modes to compute), e.g. --at 0.74 or --at S1")
    by_name = dict(zip(spec.variables, listed[0].point))
    return tuple(float(by_name[name]) for name in V.variables)


def modes_payload(result) -> dict:
    """A ``ModesResult`` as JSON data: one object per mode, in order (imaginary first)."""
    units = list(result.units)
    return {
        "point": result.x,
        "units": {"energy": units[0], "length": units[1], "mass": units[2]},
        "masses": result.masses,
        "projected": result.projected,
        "imaginary": result.imaginary_count,
        "zero_point_energy": result.zero_point_energy,
        "zero_point_energy_meV": result.zero_point_energy_meV,
        "modes": [
            {
                "mode": i + 1,
                "kind": kind,
                "label": label,
                "eigenvalue": float(result.eigenvalues[i]),
                **{
                    f"frequency_{unit.replace('-', '')}": float(values[i])
                    for unit, values in result.frequencies.items()
                },
                "vector": result.vectors[:, i],
                "displacement": result.displacements[:, i],
            }
            for i, (kind, label) in enumerate(zip(result.kinds, result.labels()))
        ],
    }


def _largest(variables, vector) -> str:
    order = [
        k
        for k in sorted(range(len(vector)), key=lambda k: -abs(vector[k]))[:SHOWN_COMPONENTS]
        if abs(vector[k]) >= 5e-4
    ]  # none that would print as 0.000
    return ", ".join(f"{variables[k]} {vector[k]:+.3f}" for k in order)


def _tables(run: Run, V, result, value: float, grad_norm: float) -> None:
    from gradcli.cli import render
    from gradcli.cli.units import label
    from gradcli.named.units import Units

    reduced = "omega" in result.frequencies
    given = Units(*result.units)  # the potential's, or --units
    rows = [
        ("point", render.point(V.variables, result.x)),
        (label("V", "energy", given), render.number(value)),
        (label("|grad V|", "gradient", given), render.number(grad_norm)),
        ("units", ", ".join(result.units)),
        ("imaginary frequencies", result.imaginary_count),
        ("rigid motions projected", result.projected),
    ]
    if not reduced:
        rows.append(
            (
                "zero-point energy",
                f"{render.number(result.zero_point_energy)} {result.units[0]} "
                f"({render.number(result.zero_point_energy_meV)} meV)",
            )
        )
    if grad_norm > 1e-6 * max(1.0, abs(value)):
        rows.append(("note", "not a stationary point: the modes of the local curvature"))
    units = ["omega"] if reduced else ["cm-1", "meV", "THz"]
    headers = [
        "mode",
        *(("ω (reduced)",) if reduced else ("cm⁻¹", "meV", "THz")),
        "kind",
        f"largest components of the displacement (of {V.n})",
    ]
    labels = [result.labels(unit) for unit in units]
    table = [
        [str(i + 1), *(column[i] for column in labels), kind, _largest(V.variables, result.displacements[:, i])]
        for i, kind in enumerate(result.kinds)
    ]
    render.show(
        render.summary(render.title("normal modes", run.name, V.text), rows),
        render.columns("modes (an imaginary frequency ends in i)", headers, table, "every eigenvector: see --json"),
    )
