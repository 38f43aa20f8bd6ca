"""Pictures of a descent (``gradcli descend ... --plot FILE``).

matplotlib is imported inside ``plot_descent`` only, and only its object API
(``matplotlib.figure.Figure``, which renders with Agg without touching pyplot or
a display). The file is written to a temporary name in the same folder and
renamed into place, so a failed write never leaves a partial file.

- 1 variable: V(x) with the trajectory's points coloured by step (colour bar),
  start and end marked; V against step beside it.
- 2 variables: a contour map of V with the path; V against step beside it.
- more: V and |grad V| (log scale) against step.
"""

from __future__ import annotations

import math
import os
import tempfile

from gradcli.errors import GradcliError, InputError

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
TITLE_LENGTH = 70


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


def plot_descent(path: str, V, result, title: str) -> None:
    """Draw ``result`` (a ``DescentResult`` on the ``Potential`` V) into ``path``."""
    fmt = check_plot_path(path)
    import numpy as np
    from matplotlib.figure import Figure

    points = [p for p in result.trajectory if all(map(math.isfinite, (*p.x, p.value)))]
    if not points:
        raise InputError("nothing to plot: no point of the trajectory is finite")
    steps = np.array([p.step for p in points], dtype=float)
    xs = np.array([p.x for p in points], dtype=np.float64)
    values = np.array([p.value for p in points], dtype=np.float64)
    names = V.variables

    fig = Figure(figsize=(11, 4.5), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1.35, 1) if V.n <= 2 else (1, 1))
    if V.n == 1:
        _curve(fig, left, V, xs[:, 0], values, steps, names[0])
    elif V.n == 2:
        _contour(fig, left, V, xs, steps, names)
    else:
        _energy(left, steps, values)
        norms = np.array([p.grad_norm for p in points], dtype=np.float64)
        positive = norms > 0
        right.semilogy(steps[positive], norms[positive], color="tab:red")
        right.set_xlabel("step")
        right.set_ylabel("|grad V|")
        right.set_title("|grad V| (log scale)")
        right.grid(alpha=0.3)
    if V.n <= 2:
        _energy(right, steps, values)
    fig.suptitle(_truncate(title))
    _write(fig, path, fmt)


def _truncate(text: str) -> str:
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


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


def _span(lo: float, hi: float, fraction: float = 0.15) -> tuple[float, float]:
    width = hi - lo
    if width <= 0:
        width = max(1.0, abs(lo))
    return lo - fraction * width, hi + fraction * width


def _curve(fig, ax, V, xs, values, steps, name):
    import numpy as np

    lo, hi = _span(float(xs.min()), float(xs.max()))
    grid = np.linspace(lo, hi, 400)
    ax.plot(grid, _values(V, grid[:, None]), color="0.45", lw=1.5, label="V")
    dots = ax.scatter(xs, values, c=steps, cmap="viridis", s=18, zorder=3)
    fig.colorbar(dots, ax=ax, label="step")
    _ends(ax, xs, values)
    ax.set_xlabel(name)
    ax.set_ylabel(f"V({name})")
    ax.legend(loc="best")
    ax.grid(alpha=0.3)


def _contour(fig, ax, V, xs, steps, names):
    import numpy as np

    (x_lo, x_hi), (y_lo, y_hi) = (_span(float(xs[:, i].min()), float(xs[:, i].max()), 0.25) for i in (0, 1))
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, 160), np.linspace(y_lo, y_hi, 160))
    Z = _values(V, np.column_stack([X.ravel(), Y.ravel()])).reshape(X.shape)
    finite = Z[np.isfinite(Z)]
    if finite.size:
        # Levels by quantile: potentials such as Mueller-Brown span orders of magnitude.
        levels = np.unique(np.quantile(finite, np.linspace(0.0, 0.97, 24)))
        if levels.size >= 2:
            filled = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", extend="max")
            ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.3, alpha=0.5)
            fig.colorbar(filled, ax=ax, label="V")
    ax.plot(xs[:, 0], xs[:, 1], color="white", lw=2.2)
    ax.plot(xs[:, 0], xs[:, 1], color="tab:red", lw=1.2)
    _ends(ax, xs[:, 0], xs[:, 1])
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.legend(loc="best")


def _ends(ax, xs, ys):
    ax.plot(xs[0], ys[0], "o", ms=10, mfc="none", mec="tab:green", mew=2, label="start", zorder=4)
    ax.plot(xs[-1], ys[-1], "*", ms=15, color="tab:red", mec="k", label="end", zorder=4)


def _energy(ax, steps, values):
    ax.plot(steps, values, color="tab:blue", marker="." if len(steps) < 60 else None)
    ax.set_xlabel("step")
    ax.set_ylabel("V")
    ax.set_title("energy against step")
    ax.grid(alpha=0.3)


def _write(fig, path: str, fmt: str) -> None:
    """Save to a temporary file in the target folder, then rename into place."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".part", dir=folder)
    except OSError as error:
        raise InputError(f"cannot write the plot {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            fig.savefig(file, format=fmt)
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


def plot_basins(path: str, V, result, title: str) -> None:
    """Draw a basin map (``landscape.basins.BasinMap`` of a 2-variable V): each
    start coloured by the minimum it reached, contours of V, minima marked."""
    fmt = check_plot_path(path)
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
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_title(_truncate(f"basins of attraction: {title}"))
    fig.legend(loc="outside lower center", title="basin of (share of starts)", fontsize=9, ncols=2)
    _write(fig, path, fmt)
