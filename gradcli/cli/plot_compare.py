"""Plots of several descents from one start (``descend --method gd,momentum,lbfgs --plot FILE``):
their paths overlaid on the landscape (V(x) for one variable, a contour map for two; V against
step for more), beside |grad V| and V - V_final (each run's own final V) against step on log
scales, so convergence rates compare, one colour per method. A diverged run's last point is
crossed; a run that ended oscillating (flipping back and forth: its status ``oscillating``, or a
run that did not converge whose last steps reverse, as the diagnosis sees it) is marked with a
diamond. One run is ``plot.plot_descent``."""

from __future__ import annotations

import math

from gradcli.cli import plot as single
from gradcli.cli import plot_view
from gradcli.errors import InputError

#: One colour per method, in the order given (matplotlib's tab10, without red: the end markers use it).
COLOURS = (
    "tab:blue",
    "tab:orange",
    "tab:green",
    "tab:purple",
    "tab:brown",
    "tab:pink",
    "tab:gray",
    "tab:olive",
    "tab:cyan",
    "black",
)


def plot_runs(path: str, V, runs: list, title: str, view=None) -> None:
    """Draw ``runs`` (``(method, DescentResult)`` pairs on the ``Potential`` V) into ``path``."""
    view = view if view is not None else plot_view.PlotView()
    if len(runs) == 1:
        single.plot_descent(path, V, runs[0][1], title, view)
        return
    fmt = single.check_plot_path(path)
    single._write(runs_figure(V, runs, title, view), path, fmt, view.dpi)


def runs_figure(V, runs: list, title: str, view):
    """The ``matplotlib.figure.Figure`` of several runs (``(method, DescentResult)`` pairs)."""
    import numpy as np
    from matplotlib.figure import Figure

    paths = []
    for method, result in runs:
        points = [p for p in result.trajectory if all(map(math.isfinite, (*p.x, p.value)))]
        if points:
            paths.append(
                (
                    method,
                    np.array([p.x for p in points]),
                    np.array([p.value for p in points]),
                    np.array([p.step for p in points], dtype=float),
                    np.array([p.grad_norm for p in points]),
                )
            )
    if not paths:
        raise InputError("nothing to plot: no point of any trajectory is finite")
    fig = Figure(figsize=(12, 5.6), layout="constrained")
    axes = fig.subplot_mosaic([["map", "grad"], ["map", "energy"]], width_ratios=(1.35, 1))
    left, right, below = axes["map"], axes["grad"], axes["energy"]
    diverged = {method for method, result in runs if result.status == "diverged"}
    oscillating = {method for method, result in runs if plot_view.ended_oscillating(result)}
    if V.n <= 2:
        box = plot_view.view_box(view, [xs if m not in diverged else xs[:1] for m, xs, _, _, _ in paths], V.n)
        box = plot_view.view_box(view, [plot_view.within(xs, box) for _, xs, _, _, _ in paths], V.n)
    if V.n == 1:
        lo, hi = box[0]
        grid = np.linspace(lo, hi, 600)
        left.plot(grid, single._values(V, grid[:, None]), color="0.45", lw=1.5, label="V")
        left.set_xlim(lo, hi)
        left.set_xlabel(view.axis_label(V.variables[0]))
        left.set_ylabel(view.energy_label(f"V({V.variables[0]})"))
        plot_view.mark_stationary(left, view, values=True)
    elif V.n == 2:
        _landscape(fig, left, V, box, view)
    else:
        left.set_xlabel("step")
        left.set_ylabel(view.energy_label("V"))
        left.set_title("energy against step")
    for (method, xs, values, steps, _), colour in zip(paths, COLOURS):
        if V.n == 1:
            left.plot(xs[:, 0], values, ".-", color=colour, lw=0.8, ms=4, label=method)
        elif V.n == 2:
            left.plot(xs[:, 0], xs[:, 1], ".-", color=colour, lw=1.2, ms=3, label=method)
        else:
            left.plot(steps, values, color=colour, label=method)
    start = paths[0][1][0]
    if V.n <= 2:
        left.plot(
            start[0],
            paths[0][2][0] if V.n == 1 else start[1],
            "o",
            ms=10,
            mfc="none",
            mec="k",
            mew=2,
            label="start",
            zorder=4,
        )
    if V.n == 1:
        shown = [v for _, xs, vs, _, _ in paths for x, v in zip(xs[:, 0], vs) if box[0][0] <= x <= box[0][1]]
        low, top = min(shown), max(shown)
        left.set_ylim(*(view.ylim or plot_view.span(low, top, 0.1, 1e-9)))
    # Marks on a run's last point, kept on the map's edge when that point is outside the view (a
    # diverged run's is far away, and a mark drawn there would squeeze the figure's layout).
    edge = (box[0], left.get_ylim()) if V.n == 1 else box if V.n == 2 else None
    for method, xs, values, steps, _ in paths:
        last = (xs[-1, 0], values[-1] if V.n == 1 else xs[-1, 1]) if V.n <= 2 else (steps[-1], values[-1])
        if method in diverged and V.n <= 2:
            plot_view.mark_divergence(left, *last, None, edge)
        if method in oscillating:
            plot_view.mark_oscillation(left, *last, edge)
    left.grid(alpha=0.3)
    for (method, _, _, steps, norms), colour in zip(paths, COLOURS):
        positive = norms > 0
        # Log steps too: methods differ by orders of magnitude in how many they need.
        right.loglog(steps[positive] + 1, norms[positive], color=colour, label=method)
    right.set_ylabel("|∇V|")
    right.set_title("|∇V| against step (log scales)", fontsize=10)
    right.grid(alpha=0.3)
    _above_final(below, paths, diverged, view)
    plot_view.title(fig, title)
    plot_view.outside_legend(fig, [left])
    return fig


def _above_final(ax, paths, diverged, view) -> None:
    """V - V_final per run (its own last V) against step, log scales: how fast each one closes in.
    A diverged run has no final value to approach and is left out (its |∇V| shows it)."""
    for (method, _, values, steps, _), colour in zip(paths, COLOURS):
        if method in diverged:
            continue
        excess = values - values[-1]
        keep = excess > 0
        if keep.any():
            ax.loglog(steps[keep] + 1, excess[keep], color=colour, label=method)
    ax.set_xlabel("step + 1 (log scale)")
    ax.set_ylabel(view.energy_label("V − V_final"))
    ax.set_title("energy above each run's final value (log scales)", fontsize=10)
    ax.grid(alpha=0.3)


def _landscape(fig, ax, V, box, view):
    """Filled contours of V (grey, so the paths' colours stand out) over ``box``."""
    filled = single.contour_fill(ax, V, box, cmap="Greys_r", alpha=0.6)
    if filled is not None:
        fig.colorbar(filled, ax=ax, label=view.energy_label("V"), shrink=0.9)
    plot_view.mark_stationary(ax, view)
    plot_view.frame_map(ax, view, box, V.variables)
