"""Commands that evaluate derivatives at one point: grad, force,
force-constant, derivative, jacobian, vjp, jvp.

Each parses its options, calls the library (``Potential`` / ``VectorFunction``
and ``gradcli.analysis.stationary.classify_stationary_point``) and renders; nothing else.
"""

from typing import Annotated

import typer

from gradcli.cli.boundary import overflow_is_an_error
from gradcli.cli.options import At, Expr, Exprs, Run, command
from gradcli.cli.points import parse_point, parse_vector
from gradcli.cli.units import declared, label, unit
from gradcli.errors import InputError


def _title(run: Run, function) -> str:
    from gradcli.cli import render

    return render.title("", run.name, function.text)


def _matrix(render, heading, row_labels, column_labels, values) -> list:
    """A matrix table, or, when it has too many columns to read, a line saying where it is
    (``9×9 Jacobian: use --json``)."""
    if len(column_labels) > render.MAX_SHOWN:
        return [render.left_out(f"{len(row_labels)}×{len(column_labels)} {heading}: use --json")]
    return [render.matrix(heading, row_labels, column_labels, values)]


@command("grad")
def grad(run: Run, expr: Expr, at: At):
    """Value and gradient of V at a point.

    Example:  gradcli grad "x**2*y" --at x=1,y=2
    """
    V = run.potential(expr)
    x = parse_point(at, V.variables, "--at")
    value, *gradient = V.scalar_value_and_grad(*x)  # floats: no numpy for one point
    payload = {**run.header(V), "point": x, "value": value, "gradient": gradient}

    def human():
        from gradcli.cli import render

        units = declared(run)
        rows = [[name, c, float(g)] for name, c, g in zip(V.variables, x, gradient)]
        headers = ["variable", label("at", "length", units), label("dV/d(variable)", "gradient", units)]
        render.show(
            render.summary(_title(run, V), [("point", render.point(V.variables, x)), _value_row(render, value, units)]),
            render.columns("gradient", headers, rows),
        )

    run.emit(payload, human)


@command("force")
def force(run: Run, expr: Expr, at: At):
    """Force F = -grad V at a point.

    Example:  gradcli force "0.5*k*x**2" --param k=2 --at 3

    gives F = -6.
    """
    V = run.potential(expr)
    x = parse_point(at, V.variables, "--at")
    value, *gradient = V.scalar_value_and_grad(*x)  # floats: no numpy for one point
    forces = [-float(g) for g in gradient]
    payload = {**run.header(V), "point": x, "value": value, "force": forces}

    def human():
        from gradcli.cli import render

        units = declared(run)
        rows = [[name, c, f] for name, c, f in zip(V.variables, x, forces)]
        headers = ["variable", label("at", "length", units), label("F", "gradient", units)]
        render.show(
            render.summary(_title(run, V), [("point", render.point(V.variables, x)), _value_row(render, value, units)]),
            render.columns("force F = -grad V", headers, rows),
        )

    run.emit(payload, human)


@command("force-constant")
def force_constant(
    run: Run,
    expr: Expr,
    at: At,
    zero_modes: Annotated[
        int | None,
        typer.Option(
            "--zero-modes",
            metavar="N",
            help="Set aside the N eigenvalues closest to zero as symmetry zero modes (translations, rotations) "
            "[default: 0, or a named potential's zero_modes, or those of the listed stationary point at --at].",
        ),
    ] = None,
):
    """Hessian (force-constant matrix), its eigenvalues, and what kind of point it is.

    The point is a minimum, maximum, saddle (saddle_index = number of negative
    eigenvalues) or degenerate (an eigenvalue ~0); it is not-stationary when
    the Newton step |H^-1 grad V| to the nearest stationary point is longer
    than 1e-4 * max(1, max|x_i|). --zero-modes N sets aside the N eigenvalues
    closest to zero (those that are zero) before classifying: the 6
    translations and rotations of a cluster of atoms (5 for a dimer). A named
    potential brings its own (@lj-cluster: 6).

    Example:  gradcli force-constant "0.5*k*x**2" --param k=2 --at 3

    gives the force constant 2 (and not-stationary: the force there is -6).
    """
    from gradcli.analysis.modes import hessian_eigen
    from gradcli.analysis.stationary import classify_stationary_point
    from gradcli.cli.labels import point_or_label
    from gradcli.frontend.domain import format_point

    V = run.potential(expr)
    x = point_or_label(run, at, V.variables, "--at")  # coordinates, or a listed point (S1, MA)
    if zero_modes is None:
        zero_modes = _named_zero_modes(run, x, V.variables)
    if not 0 <= zero_modes < V.n:
        raise InputError(
            f"--zero-modes {zero_modes}: must be from 0 to {V.n - 1} (fewer than the {V.n} variable{'s' * (V.n != 1)})"
        )
    value, gradient = V.value_and_grad(x)
    hessian = V.hessian(x)
    where = f"at {format_point(V.variables, x)}"
    with overflow_is_an_error(f"the Newton step {where}"):
        kind = classify_stationary_point(x, gradient, hessian, zero_modes=zero_modes)
        _, eigenvectors = hessian_eigen(hessian)  # columns, in the eigenvalues' order
    with overflow_is_an_error(f"|grad V| {where}"):  # table and JSON fail alike
        grad_norm = sum(float(g) ** 2 for g in gradient) ** 0.5
    payload = {
        **run.header(V),
        "point": x,
        "value": value,
        "gradient": gradient,
        "hessian": hessian,
        "eigenvalues": kind.eigenvalues,
        "eigenvectors": eigenvectors.T,  # one row per eigenvalue
        "classification": kind.classification,
        "saddle_index": kind.saddle_index,
        "newton_step": kind.newton_step,
        "grad_norm": grad_norm,
        "zero_modes": zero_modes,
        "zero_mode_eigenvalues": kind.zero_mode_eigenvalues,
    }

    def human():
        from gradcli.cli import render

        units = declared(run)
        rows = [
            ("point", render.point(V.variables, x)),
            _value_row(render, value, units),
            (label("|grad V|", "gradient", units), render.number(grad_norm)),
            ("Newton step", _newton_step_text(render, kind.newton_step)),
            ("classification", render.status(kind.classification, kind.classification != "not-stationary")),
            ("saddle index", kind.saddle_index),
        ]
        if zero_modes:
            rows.append(("zero modes", _zero_modes_text(kind)))
        aside = list(kind.zero_mode_eigenvalues)
        labels = []
        for e in kind.eigenvalues:
            if e in aside:
                aside.remove(e)
                labels.append("zero mode, set aside")
            else:
                labels.append("")
        render.show(
            render.summary(_title(run, V), rows),
            *_matrix(render, _hessian_heading(units), V.variables, V.variables, hessian),
            _eigen_columns(render, V, kind.eigenvalues, eigenvectors, labels if zero_modes else None, units),
        )

    run.emit(payload, human)


def _hessian_heading(units) -> str:
    """``Hessian (force constants, eV/Å²)``, or without a unit when there is none."""
    shown = unit("curvature", units)
    return f"Hessian (force constants{', ' + shown if shown else ''})"


def _value_row(render, value: float, units) -> tuple:
    """The summary row of V, its unit beside the name (``V (eV)``) when the potential declares one."""
    return (label("V", "energy", units), render.number(value))


def _eigen_columns(render, V, eigenvalues, eigenvectors, labels, units):
    """The eigenvalues (force constants, ``λ (eV/Å²)`` with units), each with its eigenvector's
    components under the variables' names (up to 8 variables; beyond, --json has them)."""
    shown = V.n <= render.MAX_SHOWN
    headers = [
        "",
        label("λ", "curvature", units),
        *(["mode"] if labels is not None else []),
        *(V.variables if shown else []),
    ]
    rows = [
        [str(i + 1), e, *([labels[i]] if labels is not None else []), *(eigenvectors[:, i] if shown else [])]
        for i, e in enumerate(eigenvalues)
    ]
    return render.columns(
        "eigenvalues", headers, rows, None if shown else f"eigenvectors of {V.n} variables: see --json"
    )


def _named_zero_modes(run: Run, x, variables) -> int:
    """The zero modes of the named potential being evaluated: those of the listed stationary point
    at ``x`` if there is one (a point of @mexican-hat's ring of minima has one), else the
    potential's own (0 for a typed expression)."""
    from gradcli.cli.labels import listed_point_at

    listed = listed_point_at(run, x, variables)
    return listed.zero_modes if listed is not None and listed.zero_modes else run.resolved_expr().zero_modes


def _newton_step_text(render, step: float | None) -> str:
    """The Newton step, or why there is none."""
    if step is None:
        return "none: the Hessian is singular along grad V"
    return render.number(step)


def _zero_modes_text(kind) -> str:
    """``6 set aside (|λ| <= 1.2e-13)``, or what was missing."""
    found = len(kind.zero_mode_eigenvalues)
    largest = max((abs(e) for e in kind.zero_mode_eigenvalues), default=0.0)
    text = f"{found} set aside (|λ| <= {largest:.2g})" if found else "none set aside"
    if kind.missing_zero_modes:
        text += (
            f"; {kind.missing_zero_modes} of the {kind.zero_modes} asked for not found "
            "(|λ| > 1e-3 max|λ|): kept in the classification"
        )
    return text


@command("derivative")
def derivative(
    run: Run,
    expr: Expr,
    at: At,
    order: Annotated[int, typer.Option("--order", "-n", min=0, max=100, help="Highest order N.")] = 3,
    wrt: Annotated[
        str | None, typer.Option("--wrt", metavar="VAR", help="The variable (needed when there are several).")
    ] = None,
):
    """Derivatives d^k V/dx^k for k = 0..N with respect to one variable.

    Example:  gradcli derivative "x**3" --at 2 --order 3

    gives 8, 12, 12, 6.
    """
    V = run.potential(expr)
    x = parse_point(at, V.variables, "--at")
    if wrt is None:
        if V.n != 1:
            raise InputError(f"derivative takes one variable; choose one of {', '.join(V.variables)} with --wrt")
        wrt = V.variables[0]
    elif wrt not in V.variables:
        raise InputError(f"--wrt {wrt}: not a variable of the expression (variables: {', '.join(V.variables)})")
    values = [float(d) for d in V.derivatives(x, order, variable=wrt)]
    payload = {**run.header(V), "point": x, "variable": wrt, "order": order, "derivatives": values}

    def human():
        from gradcli.cli import render

        rows = [[str(k), d] for k, d in enumerate(values)]
        render.show(
            render.summary(_title(run, V), [("point", render.point(V.variables, x)), ("variable", wrt)]),
            render.columns("derivatives", ["k", f"d^k V/d{wrt}^k"], rows),
        )

    run.emit(payload, human)


@command("jacobian")
def jacobian(run: Run, exprs: Exprs, at: At):
    """Jacobian J[i][j] = d f_i / d x_j of a vector function.

    Example:  gradcli jacobian "[x*y, x+y**2]" --at 2,3

    gives [[3, 2], [1, 6]].
    """
    F = run.vector_function(exprs)
    x = parse_point(at, F.variables, "--at")
    outputs = F(x)
    J = F.jacobian(x)
    payload = {**run.header(F), "point": x, "outputs": outputs, "jacobian": J}

    def human():
        from gradcli.cli import render

        labels = [f"f{i + 1} = {e}" for i, e in enumerate(F.sympy)]
        render.show(
            render.summary(
                _title(run, F),
                [
                    ("point", render.point(F.variables, x)),
                    ("f(x)", ", ".join(render.number(float(v)) for v in outputs)),
                ],
            ),
            *_matrix(render, "Jacobian", labels, [f"d/d{name}" for name in F.variables], J),
        )

    run.emit(payload, human)


@command("vjp")
def vjp(
    run: Run,
    exprs: Exprs,
    at: At,
    v: Annotated[str, typer.Option("--v", metavar="VECTOR", help="One number per output, e.g. 1,1.")],
):
    """Vector-Jacobian product v^T J (one reverse pass).

    Example:  gradcli vjp "[x*y, x+y**2]" --at 2,3 --v 1,1

    gives [4, 8].
    """
    F = run.vector_function(exprs)
    x = parse_point(at, F.variables, "--at")
    vector = parse_vector(v, F.m, "--v")
    result = F.vjp(x, vector)
    payload = {**run.header(F), "point": x, "v": vector, "vjp": result}

    def human():
        from gradcli.cli import render

        rows = [[name, float(r)] for name, r in zip(F.variables, result)]
        render.show(
            render.summary(
                _title(run, F), [("point", render.point(F.variables, x)), ("v", ", ".join(map(render.number, vector)))]
            ),
            render.columns("v^T J", ["variable", "(v^T J)_j"], rows),
        )

    run.emit(payload, human)


@command("jvp")
def jvp(
    run: Run,
    exprs: Exprs,
    at: At,
    u: Annotated[str, typer.Option("--u", metavar="VECTOR", help="One number per variable, e.g. 1,0.")],
):
    """Jacobian-vector product J u (a directional derivative of every output).

    Example:  gradcli jvp "[x*y, x+y**2]" --at 2,3 --u 1,0

    gives [3, 1].
    """
    F = run.vector_function(exprs)
    x = parse_point(at, F.variables, "--at")
    vector = parse_vector(u, F.n, "--u")
    result = F.jvp(x, vector)
    payload = {**run.header(F), "point": x, "u": vector, "jvp": result}

    def human():
        from gradcli.cli import render

        rows = [[f"f{i + 1} = {e}", float(r)] for i, (e, r) in enumerate(zip(F.sympy, result))]
        render.show(
            render.summary(
                _title(run, F), [("point", render.point(F.variables, x)), ("u", ", ".join(map(render.number, vector)))]
            ),
            render.columns("J u", ["output", "(J u)_i"], rows),
        )

    run.emit(payload, human)
