"""What ``descend`` prints: the JSON object and the tables of one run or of a comparison."""

from __future__ import annotations

#: Rows of the trajectory table a person sees (the JSON has every recorded point).
TABLE_ROWS = 21
#: The last rows of a long trajectory table shown whole (an oscillation stays visible).
TABLE_TAIL = 4
#: Keys of a run's settings, in the order a summary lists them.
SETTING_KEYS = ("lr", "momentum", "betas", "eps", "max_step", "tol", "fmax")


def _run_payload(r) -> dict:
    result, settings = r.result, r.settings
    return {
        "method": r.method,
        "x": result.x,
        "value": result.value,
        "gradient": result.gradient,
        "grad_norm": result.grad_norm,
        "steps": result.steps,
        "status": result.status,
        "converged": result.converged,
        "diverged_at": result.diverged_at,
        "message": result.message,
        "evaluations": result.evaluations.as_dict(),
        "end_kind": r.end_kind,
        "lr": settings.values.get("lr"),
        "max_steps": settings.values["steps"],
        "tol": settings.values["tol"],
        "fmax": settings.values.get("fmax"),
        "settings": settings.values,
        "settings_from": settings.source,
        "trajectory": [
            {"step": step, "x": x, "value": value, "grad_norm": grad_norm}
            for step, x, value, grad_norm in result.trajectory
        ],
    }


def payload(header: dict, runs: list, plot, fixed: dict) -> dict:
    """One run: today's keys plus ``method``, ``evaluations`` and the rest; several: ``runs``, one per method."""
    x0 = runs[0].result.x0
    extra = {"fixed": {k: v for k, v in fixed.items()}, "plot": plot}
    if len(runs) == 1:
        body = _run_payload(runs[0])
        trajectory = body.pop("trajectory")
        return {**header, "x0": x0, **body, **extra, "trajectory": trajectory}
    return {**header, "x0": x0, "methods": [r.method for r in runs], **extra, "runs": [_run_payload(r) for r in runs]}


def settings_text(r) -> str:
    """``(lr 0.0002, tol 1e-08; lr and steps from @muller-brown)``: the settings used and which a
    named potential suggested.

    >>> from types import SimpleNamespace as N
    >>> from gradcli.optimize import method_settings
    >>> settings_text(N(method="gd", settings=method_settings("gd", {"lr": None})))
    '(lr auto, tol 1e-08)'
    """
    values, source = r.settings.values, r.settings.source
    parts = []
    for key in SETTING_KEYS:
        if key not in values or (key == "fmax" and values[key] is None):
            continue
        value = values[key]
        if key == "lr" and value is None:
            parts.append("lr auto")
        elif key == "betas":
            parts.append(f"betas {value[0]:g},{value[1]:g}")
        elif source[key] != "default" or key in ("lr", "tol", "fmax"):
            parts.append(f"{key.replace('_', '-')} {value:g}")
    text = ", ".join(parts)
    named = r.settings.suggested()
    if named:
        keys = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
        text += f"; {keys} from {source[named[0]]}"
    return f"({text})"


def evaluations_text(e) -> str:
    """``67 V, 67 grad V`` (and Hessians when any)."""
    text = f"{e.value} V, {e.gradient} grad V"
    return text + (f", {e.hessian} Hessian" if e.hessian else "")


def _status(result) -> str:
    return result.status if result.diverged_at is None else f"{result.status} at step {result.diverged_at}"


def _shown_points(trajectory) -> list:
    """At most TABLE_ROWS rows: the first and evenly spaced ones, then the last TABLE_TAIL steps
    whole when the run ended in consecutive steps, so an oscillation between two points shows.

    >>> from gradcli.optimize.trajectory import TrajectoryPoint as P
    >>> [p.step for p in _shown_points([P(k, (0.0,), 0.0, 0.0) for k in range(201)])][-6:]
    [184, 196, 197, 198, 199, 200]
    """
    from gradcli.cli import render

    if len(trajectory) <= TABLE_ROWS:
        return list(trajectory)
    tail = trajectory[-TABLE_TAIL:]
    if tail[-1].step - tail[0].step != TABLE_TAIL - 1:
        return render.thin(trajectory, TABLE_ROWS)
    return [*render.thin(trajectory[:-TABLE_TAIL], TABLE_ROWS - TABLE_TAIL), *tail]


TITLES = {"gd": "gradient descent"}


def tables(run, V, runs: list, plot) -> None:
    from gradcli.cli import render
    from gradcli.cli.units import declared, label

    if len(runs) > 1:
        _comparison(run, V, runs, plot)
        return
    r = runs[0]
    result = r.result
    units = declared(run)
    rows = [
        ("start x0", render.point(V.variables, result.x0)),
        ("end x", render.point(V.variables, result.x)),
        (label("V(x)", "energy", units), render.number(result.value)),
        (label("|grad V|", "gradient", units), render.number(result.grad_norm)),
        ("steps", f"{result.steps} {settings_text(r)}"),
        ("evaluations", evaluations_text(result.evaluations)),
        ("status", render.status(_status(result), result.succeeded)),
    ]
    if r.end_kind is not None:
        rows.append(("end point", r.end_kind))
    if plot is not None:
        rows.append(("plot", plot))
    shown = _shown_points(result.trajectory)
    caption = None
    if len(shown) < result.steps + 1:
        caption = f"{len(shown)} of {result.steps + 1} points shown; --json lists {len(result.trajectory)}"
    # Coordinates get a column each only while that stays readable; the JSON has them all.
    names = list(V.variables) if V.n <= 3 else []
    if not names:
        note = f"coordinates of {V.n} variables: see --json"
        caption = f"{caption}; {note}" if caption else note
    trajectory = render.columns(
        "trajectory",
        [
            "step",
            *(label(name, "length", units) for name in names),
            label("V", "energy", units),
            label("|grad V|", "gradient", units),
        ],
        [[str(p.step), *p.x[: len(names)], p.value, p.grad_norm] for p in shown],
        caption=caption,
    )
    heading = TITLES.get(r.method, r.method)
    render.show(render.summary(render.title(heading, run.name, V.text), rows), trajectory)


def _comparison(run, V, runs: list, plot) -> None:
    """One row per method; numbers to 4 significant figures (the JSON has them whole). A number is
    never wrapped or folded: the labels wrap, a table too wide is split (``render.show``), and a
    terminal too narrow even for the method beside one column gets one block of lines per method."""
    from rich.table import Table
    from rich.text import Text

    from gradcli.cli import render
    from gradcli.cli.units import declared, label

    units = declared(run)
    caption = f"from {render.point(V.variables, runs[0].result.x0)}" + (f"; plot {plot}" if plot else "")
    heading = render.title("methods compared", run.name, V.text)
    columns = (
        ("method", "method"),
        ("steps", "steps"),
        ("evaluations", "evaluations V/grad/H"),
        ("V", label("V", "energy", units)),
        ("|grad V|", label("|grad V|", "gradient", units)),
        ("status", "status"),
    )
    rows = []
    for r in runs:
        result, e = r.result, r.result.evaluations
        rows.append(
            [
                Text(r.method),
                *(Text(t, no_wrap=True) for t in (str(result.steps), f"{e.value}/{e.gradient}/{e.hessian}")),
                *(Text(f"{c:.4g}", no_wrap=True) for c in (result.value, result.grad_norm)),
                render.status(_status(result), result.succeeded),
            ]
        )
    table = Table(title=heading, caption=Text(caption))
    for key, header in columns:
        numeric = key not in ("method", "status")
        # Only the labels (method, status, headers) may wrap or fold; a number keeps its line whole.
        heading_text = Text(header, no_wrap=False)  # a header wraps at its spaces, even over a column of numbers
        table.add_column(heading_text, justify="right" if numeric else "left", overflow="fold", no_wrap=numeric)
    for row in rows:
        table.add_row(*row)
    if render.narrowest(render.console(), table) <= render.console().width:
        render.show(table)
        return
    blocks = []
    for r, row in zip(runs, rows):
        lines = [
            Text(f"{r.method}: {row[-1].plain}", style=row[-1].style),
            Text(f"  steps {row[1].plain}"),
            Text(f"  evaluations {evaluations_text(r.result.evaluations)}"),
            *(Text(f"  {header} {cell.plain}") for (_, header), cell in zip(columns[3:5], row[3:5])),
        ]
        blocks.append(Text("\n").join(lines))
    render.show(Text(heading, style="bold"), *blocks, Text(caption))
