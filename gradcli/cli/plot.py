"""Pictures of a descent (``gradcli descend ... --plot FILE``).

matplotlib is imported inside the drawing functions only, and only its object API
(``matplotlib.figure.Figure``, which renders with Agg without touching pyplot or
a display). The file is written to a temporary name in the same folder and
renamed into place, so a failed write never leaves a partial file.

- 1 variable: V(x) over the landscape's box (``plot_view``) with the path,
  start, end and the listed stationary points marked;
- 2 variables: a contour map of V (fills rasterised) with the same marks;
- beside them (or alone, for more variables): |grad V| and V - V_final
  against step on log scales; a diverged run's last point is crossed.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import replace

from gradcli.cli import plot_view
from gradcli.errors import GradcliError, InputError

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def check_plot_path(path: str) -> str:
    """The matplotlib format for ``path``, or InputError (exit 2) when the
    extension is unknown or the folder is missing or not writable.

    >>> check_plot_path("descent.svg")
    'svg'
    """
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise InputError(f"--plot {path}: the file name must end in .png, .svg or .pdf")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"cannot write the plot {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise InputError(f"cannot write the plot {path}: it is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write the plot {path}: no permission to write in {folder}")
    return FORMATS[extension]


def plot_descent(path: str, V, result, title: str, view=None) -> None:
    """Draw ``result`` (a ``DescentResult`` on the ``Potential`` V) into ``path``."""
    fmt = check_plot_path(path)
    view = view if view is not None else plot_view.PlotView()
    _write(descent_figure(V, result, title, view), path, fmt, view.dpi)


def descent_figure(V, result, title: str, view):
    """The ``matplotlib.figure.Figure`` of one descent: the landscape with the path
    (n <= 2) beside |grad V| and V - V_final against step (log scales)."""
    import numpy as np
    from matplotlib.figure import Figure

    points = [p for p in result.trajectory if all(map(math.isfinite, (*p.x, p.value)))]
    if not points:
        raise InputError("nothing to plot: no point of the trajectory is finite")
    steps = np.array([p.step for p in points], dtype=float)
    xs = np.array([p.x for p in points], dtype=np.float64)
    values = np.array([p.value for p in points], dtype=np.float64)
    norms = np.array([p.grad_norm for p in points], dtype=np.float64)
    diverged = result.status == "diverged"

    fig = Figure(figsize=(12, 5.6), layout="constrained")
    if V.n <= 2:
        axes = fig.subplot_mosaic([["map", "grad"], ["map", "energy"]], width_ratios=(1.4, 1))
        if V.n == 1:
            _curve(fig, axes["map"], V, xs, values, view, result)
        else:
            _contour(fig, axes["map"], V, xs, view, result)
    else:
        axes = fig.subplot_mosaic([["energy", "grad"]])
    _gradient(axes["grad"], steps, norms, view, result.diverged_at if diverged else None)
    if V.n > 2:
        axes["grad"].set_xlabel("step")
        if plot_view.ended_oscillating(result):  # no map: on the last |grad V|
            plot_view.mark_oscillation(axes["grad"], steps[-1], norms[-1])
    _energy(axes["energy"], steps, values, view, diverged)
    plot_view.title(fig, title)
    plot_view.outside_legend(fig)
    return fig


def _truncate(text: str) -> str:
    """A title wrapped onto lines (never cut): ``plot_view.wrap_title``."""
    return plot_view.wrap_title(text)


def _span(lo: float, hi: float, fraction: float = 0.15) -> tuple[float, float]:
    width = hi - lo
    if width <= 0:
        width = max(1.0, abs(lo))
    return lo - fraction * width, hi + fraction * width


def _values(V, points):
    """V at each row of ``points`` (m, n); NaN where V is undefined."""
    import numpy as np

    with np.errstate(all="ignore"):
        try:
            return np.asarray(V(points), dtype=np.float64)
        except GradcliError:
            out = np.empty(len(points))
            for i, p in enumerate(points):
                try:
                    out[i] = V(p)
                except GradcliError:
                    out[i] = np.nan
            return out


def _box(view, xs, n, diverged):
    """The view box; a diverged run's tail (beyond a few box sizes) does not set it."""
    box = plot_view.view_box(view, [xs[:1]] if diverged else [xs], n)
    if diverged:
        box = plot_view.view_box(view, [plot_view.within(xs, box)], n)
    return box


def _curve(fig, ax, V, xs, values, view, result):
    import numpy as np

    diverged = result.status == "diverged"
    ((lo, hi),) = _box(view, xs, 1, diverged)
    grid = np.linspace(lo, hi, 600)
    curve = _values(V, grid[:, None])
    ax.plot(grid, curve, color="0.35", lw=1.5, label="V", zorder=2)
    ax.plot(xs[:, 0], values, ".-", color="tab:red", lw=0.8, ms=5, label="path", zorder=3)
    _ends(ax, xs[:, 0], values)
    plot_view.mark_stationary(ax, view, values=True)
    shown = [v for x, v in zip(xs[:, 0], values) if lo <= x <= hi] + [s.value for s in view.stationary]
    finite = curve[np.isfinite(curve)]
    if view.ylim is not None:
        y_lo, y_hi = view.ylim
    elif finite.size:
        # The curve's bottom, and a top just above the path and the listed points
        # (a wall such as Lennard-Jones' would otherwise flatten the well).
        bottom, top = float(finite.min()), float(max(shown)) if shown else float(finite.max())
        extra = top - bottom if top > bottom else 0.5 * (float(finite.max()) - bottom)
        top = min(float(finite.max()), top + extra)
        y_lo, y_hi = plot_view.span(bottom, top, 0.05, 1e-9)
    else:
        y_lo, y_hi = plot_view.span(float(values.min()), float(values.max()), 0.1, 1.0)
    ax.set_xlim(lo, hi)
    ax.set_ylim(y_lo, y_hi)
    if diverged:
        plot_view.mark_divergence(ax, xs[-1, 0], values[-1], result.diverged_at, ((lo, hi), (y_lo, y_hi)))
    if plot_view.ended_oscillating(result):
        plot_view.mark_oscillation(ax, xs[-1, 0], values[-1], ((lo, hi), (y_lo, y_hi)))
    ax.set_xlabel(view.axis_label(V.variables[0]))
    ax.set_ylabel(view.energy_label(f"V({V.variables[0]})"))
    ax.grid(alpha=0.3)


def _contour(fig, ax, V, xs, view, result):
    diverged = result.status == "diverged"
    box = _box(view, xs, 2, diverged)
    filled = contour_fill(ax, V, box)
    if filled is not None:
        fig.colorbar(filled, ax=ax, label=view.energy_label("V"), shrink=0.9)
    ax.plot(xs[:, 0], xs[:, 1], color="white", lw=2.4, zorder=3)
    ax.plot(xs[:, 0], xs[:, 1], ".-", color="tab:red", lw=1.2, ms=3 if len(xs) < 200 else 0, label="path", zorder=3)
    _ends(ax, xs[:, 0], xs[:, 1])
    plot_view.mark_stationary(ax, view)
    if diverged:
        plot_view.mark_divergence(ax, xs[-1, 0], xs[-1, 1], result.diverged_at, box)
    if plot_view.ended_oscillating(result):
        plot_view.mark_oscillation(ax, xs[-1, 0], xs[-1, 1], box)
    plot_view.frame_map(ax, view, box, V.variables)


def contour_fill(ax, V, box, cmap="viridis", alpha=1.0):
    """Filled contours of V over ``box`` ((x_lo, x_hi), (y_lo, y_hi)), rasterised
    (so an SVG or PDF stays small), with thin contour lines; None when V is
    nowhere finite there."""
    import numpy as np

    (x_lo, x_hi), (y_lo, y_hi) = box
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, 200), np.linspace(y_lo, y_hi, 200))
    Z = _values(V, np.column_stack([X.ravel(), Y.ravel()])).reshape(X.shape)
    finite = Z[np.isfinite(Z)]
    if not finite.size:
        return None
    # Levels by quantile: potentials such as Mueller-Brown span orders of magnitude.
    levels = np.unique(np.quantile(finite, np.linspace(0.0, 0.9, 26)))
    if levels.size < 2:
        return None
    filled = ax.contourf(X, Y, Z, levels=levels, cmap=cmap, extend="max", alpha=alpha)
    filled.set_rasterized(True)
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.3, alpha=0.45)
    return filled


def _ends(ax, xs, ys):
    ax.plot(xs[0], ys[0], "o", ms=11, mfc="none", mec="tab:green", mew=2.2, label="start", zorder=6)
    ax.plot(xs[-1], ys[-1], "*", ms=15, color="tab:red", mec="k", label="end", zorder=6)


def _gradient(ax, steps, norms, view, diverged_at):
    import numpy as np

    positive = np.isfinite(norms) & (norms > 0)
    ax.semilogy(steps[positive], norms[positive], color="tab:red", marker="." if len(steps) < 60 else None)
    if diverged_at is not None and positive.any():
        last = np.flatnonzero(positive)[-1]
        plot_view.mark_divergence(ax, steps[last], norms[last], diverged_at)
    ax.set_xlim(*_steps_range(steps))
    unit = f" ({view.energy}/{view.length})" if view.energy and view.length else ""
    ax.set_ylabel(f"|∇V|{unit}")
    ax.set_title("|∇V| against step (log scale)", fontsize=10)
    ax.grid(alpha=0.3, which="both")


def _steps_range(steps):
    """From step 0 to the last (at least 1: a run of no steps is one point at 0)."""
    last = max(float(steps.max()), 1.0)
    return -0.02 * last, 1.02 * last


def _energy(ax, steps, values, view, diverged):
    import numpy as np

    excess = values - values[-1]
    if not diverged and np.count_nonzero(excess > 0) >= 2:
        keep = excess > 0
        ax.semilogy(steps[keep], excess[keep], color="tab:blue", marker="." if len(steps) < 60 else None)
        ax.set_ylabel(view.energy_label("V − V_final"))
        ax.set_title("energy above the final value (log scale)", fontsize=10)
    else:
        if diverged:  # growing by orders of magnitude: a linear axis would show one jump
            ax.semilogy(steps, np.abs(values), color="tab:blue", marker="." if len(steps) < 60 else None)
            ax.set_ylabel(view.energy_label("|V|"))
            ax.set_title("|V| against step (log scale)", fontsize=10)
        else:
            ax.plot(steps, values, color="tab:blue", marker="." if len(steps) < 60 else None)
            ax.set_ylabel(view.energy_label("V"))
            ax.set_title("energy against step", fontsize=10)
    ax.set_xlim(*_steps_range(steps))
    ax.set_xlabel("step")
    ax.grid(alpha=0.3, which="both")


def _write(fig, path: str, fmt: str, dpi: int = plot_view.DEFAULT_DPI) -> None:
    """Save to a temporary file in the target folder, then rename into place."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".part", dir=folder)
    except OSError as error:
        raise InputError(f"cannot write the plot {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            fig.savefig(file, format=fmt, dpi=dpi)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise InputError(f"cannot write the plot {path}: {error.strerror or error}") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def plot_basins(path: str, V, result, title: str, view=None) -> None:
    """Draw a basin map (``landscape.basins.BasinMap`` of a 2-variable V): each
    start coloured by the minimum it reached, contours of V, minima marked."""
    fmt = check_plot_path(path)
    view = view if view is not None else plot_view.PlotView()
    _write(basins_figure(V, result, title, view), path, fmt, view.dpi)


def basins_figure(V, result, title: str, view):
    """The ``matplotlib.figure.Figure`` of a basin map."""
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    (x_lo, x_hi), (y_lo, y_hi) = result.box.values()
    names = V.variables
    colours = [
        "#4477aa",
        "#ee6677",
        "#228833",
        "#ccbb44",
        "#66ccee",
        "#aa3377",
        "#bbbbbb",
        "#332288",
        "#117733",
        "#999933",
        "#cc6677",
        "#882255",
    ]
    k = max(len(result.minima), 1)
    palette = [colours[i % len(colours)] for i in range(k)]
    cmap = ListedColormap(["#dddddd", *palette])  # index 0: starts that did not converge
    fig = Figure(figsize=(8.5, 6.5), layout="constrained")
    ax = fig.add_subplot()
    codes = result.labels + 1
    if result.grid is not None:
        nx, ny = result.grid
        ax.pcolormesh(
            np.linspace(x_lo, x_hi, nx),
            np.linspace(y_lo, y_hi, ny),
            codes.reshape(nx, ny).T,
            cmap=cmap,
            vmin=-0.5,
            vmax=k + 0.5,
            shading="nearest",
            rasterized=True,
        )
    else:
        size = max(0.5, min(20.0, 6e4 / len(codes)))
        ax.scatter(
            result.starts[:, 0],
            result.starts[:, 1],
            c=codes,
            s=size,
            cmap=cmap,
            vmin=-0.5,
            vmax=k + 0.5,
            linewidths=0,
            rasterized=True,
        )
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, 200), np.linspace(y_lo, y_hi, 200))
    Z = _values(V, np.column_stack([X.ravel(), Y.ravel()])).reshape(X.shape)
    finite = Z[np.isfinite(Z)]
    if finite.size:
        levels = np.unique(np.quantile(finite, np.linspace(0.0, 0.95, 18)))
        if levels.size >= 2:
            ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.5, alpha=0.6, linestyles="solid")
    # The potential's listed saddles and maxima (its minima are the numbered stars).
    plot_view.mark_stationary(ax, replace(view, stationary=tuple(s for s in view.stationary if s.kind != "minimum")))
    for i, m in enumerate(result.minima):
        ax.plot(*m.point, "*", ms=17, color="white", mec="k", mew=1.3, zorder=5)
        ax.annotate(
            str(i + 1),
            m.point,
            xytext=(7, 7),
            textcoords="offset points",
            fontsize=11,
            weight="bold",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            zorder=6,
        )
        ax.plot(
            [],
            [],
            "s",
            ms=10,
            color=palette[i],
            label=f"{i + 1}: {m.kind} V = {m.value:.6g}, {100 * m.share:.1f} ± {100 * m.share_error:.1f}%",
        )
    if result.not_converged:
        ax.plot([], [], "s", ms=10, color="#dddddd", label=f"not converged ({result.not_converged} starts)")
    plot_view.frame_map(ax, view, ((x_lo, x_hi), (y_lo, y_hi)), names)
    plot_view.title(fig, f"basins of attraction: {title}")
    fig.legend(loc="outside lower center", title="basin of (share of starts)", fontsize=9, ncols=2)
    return fig
