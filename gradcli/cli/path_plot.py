"""Pictures of a minimum-energy path (``gradcli path ... --plot FILE``).

- 2 variables: a contour map of V over the landscape's box (``plot_view``)
  with the band, its refined saddles and minima and the potential's listed
  stationary points, beside the energy profile;
- any other number: the energy profile alone, V against the arc length along
  the band (the reaction coordinate), with the saddles and minima marked.

matplotlib's object API only, and the file written through a temporary name
as ``plot.py`` does.
"""

from __future__ import annotations

from gradcli.cli import plot_view
from gradcli.cli.plot import _write, check_plot_path, contour_fill


def plot_path(path: str, V, result, title: str, view=None) -> None:
    """Draw ``result`` (a ``PathResult`` on the ``Potential`` V) into ``path``."""
    fmt = check_plot_path(path)
    view = view if view is not None else plot_view.PlotView()
    _write(path_figure(V, result, title, view), path, fmt, view.dpi)


def path_figure(V, result, title: str, view):
    """The ``matplotlib.figure.Figure`` of a minimum-energy path."""
    from matplotlib.figure import Figure

    if V.n == 2:
        fig = Figure(figsize=(12, 5.4), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=(1.35, 1))
        _map(fig, left, V, result, view)
    else:
        fig = Figure(figsize=(7.5, 5), layout="constrained")
        right = fig.subplots(1, 1)
    _profile(right, result, view)
    plot_view.title(fig, title)
    plot_view.outside_legend(fig)
    return fig


def _stationary(result):
    """(minima, saddles) as lists of (arc length, point, value) for marking."""
    import numpy as np

    def arc_of(image):
        return float(result.arc_length[image])

    minima = [p for p in (result.start, *result.minima, result.end) if p is not None]
    mins = [(arc_of(p.image), np.asarray(p.x), p.value) for p in minima]
    saddles = [(arc_of(p.image), np.asarray(p.x), p.value) for p in result.saddles]
    return mins, saddles


def _map(fig, ax, V, result, view):
    import numpy as np

    band = np.asarray(result.points)
    mins, saddles = _stationary(result)
    every = np.vstack([band] + [p for _, p, _ in mins + saddles])
    box = plot_view.view_box(view, [every], 2)
    filled = contour_fill(ax, V, box)
    if filled is not None:
        fig.colorbar(filled, ax=ax, label=view.energy_label("V"), shrink=0.9)
    ax.plot(band[:, 0], band[:, 1], color="white", lw=2.2)
    ax.plot(band[:, 0], band[:, 1], "o-", color="tab:red", lw=1.2, ms=4, label="band")
    if mins:
        m = np.array([p for _, p, _ in mins])
        ax.plot(m[:, 0], m[:, 1], "o", ms=12, mfc="none", mec="tab:green", mew=2, label="minima on the path", zorder=4)
    if saddles:
        s = np.array([p for _, p, _ in saddles])
        ax.plot(s[:, 0], s[:, 1], "X", ms=11, color="tab:orange", mec="k", label="saddles on the path", zorder=5)
    plot_view.mark_stationary(ax, view)
    plot_view.frame_map(ax, view, box, V.variables)
    ax.set_title("band, saddles and minima", fontsize=10)


def _profile(ax, result, view):
    mins, saddles = _stationary(result)
    ax.plot(result.arc_length, result.energies, "o-", color="tab:blue", ms=4, label="band images")
    for label, marks, style in (("minima on the path", mins, "o"), ("saddles on the path", saddles, "X")):
        if marks:
            ax.plot(
                [a for a, _, _ in marks],
                [v for _, _, v in marks],
                style,
                ms=9,
                mec="k",
                color="tab:green" if style == "o" else "tab:orange",
                label=label,
                zorder=4,
            )
    for arc, _, value in saddles:
        ax.annotate(f"{value:.6g}", (arc, value), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8)
    ax.set_xlabel(view.axis_label("arc length along the band"))
    ax.set_ylabel(view.energy_label("V"))
    ax.set_title("energy profile", fontsize=10)
    ax.grid(alpha=0.3)
