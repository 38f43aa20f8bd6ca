"""Plots of several descents from one start (``descend --method gd,momentum,lbfgs --plot FILE``):
their paths overlaid on the landscape (V(x) for one variable, a contour map for two) and
|grad V| against step on a log scale, one colour per method. One run is ``plot.plot_descent``."""

from __future__ import annotations

import math

from gradcli.cli import plot as single
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


def plot_runs(path: str, V, runs: list, title: str) -> None:
    """Draw ``runs`` (``(method, DescentResult)`` pairs on the ``Potential`` V) into ``path``."""
    if len(runs) == 1:
        single.plot_descent(path, V, runs[0][1], title)
        return
    fmt = single.check_plot_path(path)
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
    fig = Figure(figsize=(11, 4.5), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1.35, 1))
    everything = np.vstack([xs for _, xs, _, _, _ in paths])
    if V.n == 1:
        lo, hi = single._span(float(everything.min()), float(everything.max()))
        grid = np.linspace(lo, hi, 400)
        left.plot(grid, single._values(V, grid[:, None]), color="0.45", lw=1.5, label="V")
        left.set_xlabel(V.variables[0])
        left.set_ylabel(f"V({V.variables[0]})")
    elif V.n == 2:
        _landscape(fig, left, V, everything)
    else:
        left.set_xlabel("step")
        left.set_ylabel("V")
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
    left.legend(loc="best", fontsize="small")
    left.grid(alpha=0.3)
    for (method, _, _, steps, norms), colour in zip(paths, COLOURS):
        positive = norms > 0
        # Log steps too: methods differ by orders of magnitude in how many they need.
        right.loglog(steps[positive] + 1, norms[positive], color=colour, label=method)
    right.set_xlabel("step + 1 (log scale)")
    right.set_ylabel("|grad V|")
    right.set_title("|grad V| against step (log scales)")
    right.grid(alpha=0.3)
    right.legend(loc="best", fontsize="small")
    fig.suptitle(single._truncate(title))
    single._write(fig, path, fmt)


def _landscape(fig, ax, V, xs):
    """Filled contours of V over the box of every path (with a margin)."""
    import numpy as np

    (x_lo, x_hi), (y_lo, y_hi) = (single._span(float(xs[:, i].min()), float(xs[:, i].max()), 0.25) for i in (0, 1))
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, 160), np.linspace(y_lo, y_hi, 160))
    Z = single._values(V, np.column_stack([X.ravel(), Y.ravel()])).reshape(X.shape)
    finite = Z[np.isfinite(Z)]
    if finite.size:
        levels = np.unique(np.quantile(finite, np.linspace(0.0, 0.97, 24)))
        if levels.size >= 2:
            filled = ax.contourf(X, Y, Z, levels=levels, cmap="Greys_r", extend="max", alpha=0.6)
            ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.3, alpha=0.4)
            fig.colorbar(filled, ax=ax, label="V")
    ax.set_xlabel(V.variables[0])
    ax.set_ylabel(V.variables[1])
