"""Pictures of a minimum-energy path (``gradcli path ... --plot FILE``).

- 2 variables: a contour map of V with the band, the saddles and the minima
  marked, beside the energy profile;
- any other number: the energy profile alone, V against the arc length along
  the band (the reaction coordinate), with the saddles and minima marked.

matplotlib's object API only, and the file written through a temporary name
as ``plot.py`` does.
"""

from __future__ import annotations

from gradcli.cli.plot import _span, _truncate, _values, _write, check_plot_path


def plot_path(path: str, V, result, title: str) -> None:
    """Draw ``result`` (a ``PathResult`` on the ``Potential`` V) into ``path``."""
    fmt = check_plot_path(path)
    from matplotlib.figure import Figure

    if V.n == 2:
        fig = Figure(figsize=(11, 4.5), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=(1.35, 1))
        _map(fig, left, V, result)
    else:
        fig = Figure(figsize=(7, 4.5), layout="constrained")
        right = fig.subplots(1, 1)
    _profile(right, result)
    fig.suptitle(_truncate(title))
    _write(fig, path, fmt)


def _stationary(result):
    """(minima, saddles) as lists of (arc length, point, value) for marking."""
    import numpy as np

    def arc_of(image):
        return float(result.arc_length[image])

    minima = [p for p in (result.start, *result.minima, result.end) if p is not None]
    mins = [(arc_of(p.image), np.asarray(p.x), p.value) for p in minima]
    saddles = [(arc_of(p.image), np.asarray(p.x), p.value) for p in result.saddles]
    return mins, saddles


def _map(fig, ax, V, result):
    import numpy as np

    band = np.asarray(result.points)
    mins, saddles = _stationary(result)
    every = np.vstack([band] + [p for _, p, _ in mins + saddles])
    (x_lo, x_hi), (y_lo, y_hi) = (_span(float(every[:, i].min()), float(every[:, i].max()), 0.3) for i in (0, 1))
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, 180), np.linspace(y_lo, y_hi, 180))
    Z = _values(V, np.column_stack([X.ravel(), Y.ravel()])).reshape(X.shape)
    finite = Z[np.isfinite(Z)]
    if finite.size:
        # Levels by quantile: Müller-Brown spans orders of magnitude away from its wells.
        levels = np.unique(np.quantile(finite, np.linspace(0.0, 0.9, 28)))
        if levels.size >= 2:
            filled = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", extend="max")
            ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.3, alpha=0.5)
            fig.colorbar(filled, ax=ax, label="V")
    ax.plot(band[:, 0], band[:, 1], color="white", lw=2.2)
    ax.plot(band[:, 0], band[:, 1], "o-", color="tab:red", lw=1.2, ms=4, label="band")
    if mins:
        m = np.array([p for _, p, _ in mins])
        ax.plot(m[:, 0], m[:, 1], "o", ms=10, mfc="none", mec="white", mew=2, label="minima", zorder=4)
    if saddles:
        s = np.array([p for _, p, _ in saddles])
        ax.plot(s[:, 0], s[:, 1], "X", ms=11, color="tab:orange", mec="k", label="saddles", zorder=5)
    names = V.variables
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_title("band, saddles and minima")
    ax.legend(loc="best")


def _profile(ax, result):
    mins, saddles = _stationary(result)
    ax.plot(result.arc_length, result.energies, "o-", color="tab:blue", ms=4, label="band images")
    for label, marks, style in (("minima", mins, "o"), ("saddles", saddles, "X")):
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
    ax.set_xlabel("arc length along the band")
    ax.set_ylabel("V")
    ax.set_title("energy profile")
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
