"""What every gradcli picture shares: the box it shows, the listed stationary
points it marks, the units on its axes, its title and where its legend goes.

``PlotView`` is built once per command from the resolved EXPR (``from_run``)
and handed to the drawing functions in ``plot.py``, ``plot_compare.py`` and
``path_plot.py``. matplotlib is only imported by the functions that draw.

The box (``view_box``) covers the landscape, not only the path: for a named
potential the listed stationary points and the path; for a typed expression
the path with a generous margin, widened to the origin when the path is near
it (so a double well started at x0 = 3 shows both wells). ``--xlim A:B`` and
``--ylim A:B`` override it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from gradcli.errors import InputError

#: Units that are the potential's own scale: nothing is written on the axis.
REDUCED = "reduced"
#: Points per inch of PNG output and of the rasterised fills inside SVG/PDF.
DEFAULT_DPI = 150
#: Characters per title line before it wraps.
TITLE_WIDTH = 90
#: Stationary point kinds: (marker, face colour, legend label).
KIND_STYLE = {
    "minimum": ("o", "white", "listed minima"),
    "saddle": ("^", "tab:orange", "listed saddles"),
    "maximum": ("v", "tab:purple", "listed maxima"),
}


@dataclass(frozen=True)
class Listed:
    """One listed stationary point to mark: ``point`` (n,), ``value``, ``kind``, ``label``."""

    point: tuple[float, ...]
    value: float
    kind: str
    label: str


@dataclass(frozen=True)
class PlotView:
    """The shared settings of a picture: ``xlim``/``ylim`` ((lo, hi) or None),
    ``dpi``, the ``stationary`` points to mark (``Listed``), and the
    ``energy``/``length`` units (None: none declared, or reduced).

    >>> PlotView(energy="eV", length="Å").axis_label("r")
    'r (Å)'
    """

    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    dpi: int = DEFAULT_DPI
    stationary: tuple[Listed, ...] = field(default_factory=tuple)
    energy: str | None = None
    length: str | None = None

    def axis_label(self, name: str) -> str:
        """A coordinate's label, with its unit when the potential declares one."""
        return f"{name} ({self.length})" if self.length else name

    def energy_label(self, text: str = "V") -> str:
        """An energy axis label, with the unit when declared: ``V (eV)``."""
        return f"{text} ({self.energy})" if self.energy else text

    @property
    def equal_aspect(self) -> bool:
        """True when both plotted variables share a unit: always so today, since a
        named potential declares one length unit and a typed expression none."""
        return True


def parse_limits(text: str | None, option: str) -> tuple[float, float] | None:
    """``"A:B"`` -> (A, B) with A < B, both finite; InputError (exit 2) otherwise.

    >>> parse_limits("-2:3.5", "--xlim")
    (-2.0, 3.5)
    """
    if text is None:
        return None
    parts = text.split(":")
    message = f"{option} {text}: give two numbers LOW:HIGH, e.g. {option} -2:2"
    if len(parts) != 2:
        raise InputError(message)
    try:
        lo, hi = float(parts[0]), float(parts[1])
    except ValueError:
        raise InputError(message) from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError(f"{option} {text}: the limits must be finite numbers")
    if not lo < hi:
        raise InputError(f"{option} {text}: LOW must be less than HIGH")
    return lo, hi


def check_dpi(dpi: int) -> int:
    """``dpi`` if it is a sensible resolution (10 to 2400), else InputError.

    >>> check_dpi(300)
    300
    """
    if not 10 <= dpi <= 2400:
        raise InputError(f"--dpi {dpi}: give a resolution from 10 to 2400 dots per inch")
    return dpi


def check_used(plot, xlim, ylim, dpi: int) -> None:
    """--xlim, --ylim and --dpi without --plot draw nothing: InputError (exit 2).

    >>> check_used(None, None, None, DEFAULT_DPI)
    """
    if plot is None:
        for option, value in (("--xlim", xlim), ("--ylim", ylim), ("--dpi", None if dpi == DEFAULT_DPI else dpi)):
            if value is not None:
                raise InputError(f"{option} sets up a plot: give --plot FILE too")


def from_run(run, V, xlim=None, ylim=None, dpi: int = DEFAULT_DPI) -> PlotView:
    """The view of a command's picture: its options parsed, and the resolved
    named potential's listed stationary points (those V still has at these
    parameters: a point is kept when V there equals its listed value) and units."""
    resolved = getattr(run, "resolved", None)
    spec = getattr(resolved, "spec", None)
    stationary: list[Listed] = []
    energy = length = None
    if spec is not None:
        for point in getattr(spec, "stationary", ()) or ():
            if len(point.point) == V.n and _still_there(V, point):
                stationary.append(Listed(tuple(point.point), float(point.value), point.kind, point.note or point.kind))
        units = getattr(spec, "units", None)
        if units is not None:
            energy = None if units.energy == REDUCED else units.energy
            length = None if units.length == REDUCED else units.length
    return PlotView(
        xlim=parse_limits(xlim, "--xlim"),
        ylim=parse_limits(ylim, "--ylim"),
        dpi=check_dpi(dpi),
        stationary=tuple(stationary),
        energy=energy,
        length=length,
    )


def _still_there(V, listed) -> bool:
    try:
        value = float(V(listed.point if V.n > 1 else listed.point[0]))
    except Exception:  # a point V cannot evaluate at these parameters is not drawn
        return False
    return math.isclose(value, listed.value, rel_tol=1e-6, abs_tol=1e-9)


def span(lo: float, hi: float, fraction: float, least: float) -> tuple[float, float]:
    """[lo, hi] made at least ``least`` wide, then widened by ``fraction`` of that width on each side.

    >>> span(0.0, 0.0, 0.1, 2.0)             # 2 wide, plus 0.2 on each side
    (-1.2, 1.2)
    """
    width = max(hi - lo, least)
    middle = 0.5 * (lo + hi)
    half = 0.5 * width * (1 + 2 * fraction)
    return middle - half, middle + half


def axis_range(values, listed) -> tuple[float, float]:
    """The range of one coordinate: ``values`` (the path's, finite), ``listed``
    (the stationary points')."""
    everything = [*values, *listed]
    lo, hi = min(everything), max(everything)
    scale = max(abs(lo), abs(hi))
    if listed:  # a named potential: its stationary points frame the landscape
        return span(lo, hi, 0.15, max(0.5 * scale, 1e-3))
    middle, width = 0.5 * (lo + hi), hi - lo
    if width == 0 or abs(middle) <= 5 * width or scale < 1:
        # Near the origin: show it and the mirror image of the path (test functions
        # are usually written around it: both wells of a double well).
        reach = max(1.25 * scale, 1.0)
        return -reach, reach
    return span(lo, hi, 0.5, 0.0)


def view_box(view: PlotView, paths, n: int) -> list[tuple[float, float]]:
    """One (lo, hi) per plotted coordinate (n = 1 or 2) covering ``paths`` (arrays
    (m, n) of finite points, the non-diverging part) and the listed stationary points;
    --xlim/--ylim win. With equal aspect the shorter side grows to a third of the longer."""
    import numpy as np

    stacked = np.vstack([np.asarray(p, dtype=float).reshape(-1, n) for p in paths if len(p)] or [np.zeros((1, n))])
    box = []
    for i in range(n):
        box.append(axis_range(stacked[:, i].tolist(), [s.point[i] for s in view.stationary]))
    if n == 2 and view.equal_aspect:
        widths = [hi - lo for lo, hi in box]
        for i in (0, 1):
            if widths[i] < widths[1 - i] / 3:
                middle = 0.5 * (box[i][0] + box[i][1])
                box[i] = (middle - widths[1 - i] / 6, middle + widths[1 - i] / 6)
    given = [view.xlim, view.ylim]
    return [limit if limit is not None else found for limit, found in zip(given, box)]


def within(path, box, factor: float = 3.0):
    """The leading points of ``path`` (m, n) that stay within ``factor`` box
    sizes of the box's centre: a diverging run's tail would otherwise set the view."""
    import numpy as np

    path = np.asarray(path, dtype=float)
    middle = np.array([0.5 * (lo + hi) for lo, hi in box])
    half = np.array([0.5 * (hi - lo) for lo, hi in box])
    inside = np.all(np.abs(path - middle) <= factor * half, axis=1)
    stop = len(path) if inside.all() else int(np.argmin(inside))
    return path[:stop]


def wrap_title(text: str, width: int = TITLE_WIDTH) -> str:
    """``text`` on lines of at most ``width`` characters, broken at spaces (or,
    in a run without spaces longer than a line, before an operator), never
    inside a name or number.

    >>> print(wrap_title("a*x + b*y + c*z", 7))
    a*x +
    b*y +
    c*z
    """
    pieces = []
    for word in re.findall(r"\S+|\s+", text):
        pieces += re.findall(r"[A-Za-z0-9_.@']+|.", word) if len(word) > width else [word]
    lines, line = [], ""
    for piece in pieces:
        if line.strip() and len(line) + len(piece) > width and not piece.isspace():
            lines.append(line.rstrip())
            line = ""
        line += piece if line or not piece.isspace() else ""
    lines.append(line)
    return "\n".join(lines)


def title(fig, text: str) -> None:
    """The figure's title, wrapped, smaller when it takes more than two lines."""
    wrapped = wrap_title(text)
    fig.suptitle(wrapped, fontsize=12 if wrapped.count("\n") < 2 else 9)


def mark_stationary(ax, view: PlotView, coordinates=(0, 1), values: bool = False) -> None:
    """The listed stationary points on ``ax``: a marker per kind, labelled with
    their note. ``values``: plot (x, V) (one variable) instead of (x, y)."""
    for kind, (marker, colour, label) in KIND_STYLE.items():
        points = [s for s in view.stationary if s.kind == kind]
        if not points:
            continue
        xs = [s.point[coordinates[0]] for s in points]
        ys = [s.value if values else s.point[coordinates[1]] for s in points]
        ax.plot(xs, ys, marker, ms=9, mfc=colour, mec="k", mew=1.2, ls="none", label=label, zorder=5)
        for s, x, y in zip(points, xs, ys):
            ax.annotate(
                s.label,
                (x, y),
                xytext=(6, -12),
                textcoords="offset points",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
                zorder=6,
                annotation_clip=True,
            )


def frame_map(ax, view: PlotView, box, names) -> None:
    """Limits ``box`` ((x_lo, x_hi), (y_lo, y_hi)), equal aspect where the two
    variables share a unit, and the axis labels of ``names`` (two variables) on a 2-D map."""
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    if view.equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(view.axis_label(names[0]))
    ax.set_ylabel(view.axis_label(names[1]))


def mark_divergence(ax, x: float, y: float, step: int | None, box=None) -> None:
    """A red cross where a run diverged (its last finite point), kept on the
    axes' edge when the point is outside ``box`` ((x_lo, x_hi), (y_lo, y_hi))."""
    shown_x, shown_y = x, y
    if box is not None:
        (x_lo, x_hi), (y_lo, y_hi) = box
        shown_x, shown_y = min(max(x, x_lo), x_hi), min(max(y, y_lo), y_hi)
    where = f"diverged at step {step}" if step is not None else "diverged"
    ax.plot(shown_x, shown_y, "X", ms=13, color="red", mec="k", ls="none", label=where, zorder=7, clip_on=False)


def ended_oscillating(result) -> bool:
    """Whether a run ended flipping back and forth: the optimiser says so (status ``oscillating``),
    or it did not converge and its last consecutive steps mostly reverse (``diagnosis``)."""
    from gradcli.optimize.diagnosis import oscillates_or_grows
    from gradcli.optimize.result import SUCCESS

    if result.status == "oscillating":
        return True
    if result.status in (*SUCCESS, "diverged", "interrupted"):
        return False
    return oscillates_or_grows(result.trajectory) == "oscillates"


def mark_oscillation(ax, x: float, y: float, box=None) -> None:
    """A hollow diamond on a run's last point: it ended oscillating there (one legend entry for
    all); kept on the axes' edge when the point is outside ``box`` ((x_lo, x_hi), (y_lo, y_hi))."""
    if box is not None:
        (x_lo, x_hi), (y_lo, y_hi) = box
        x, y = min(max(x, x_lo), x_hi), min(max(y, y_lo), y_hi)
    ax.plot(x, y, "D", ms=12, mfc="none", mec="red", mew=2, ls="none", label="oscillating", zorder=7, clip_on=False)


def outside_legend(fig, axes=None, **options) -> None:
    """One legend for the figure below its axes (so it never covers data),
    gathering each labelled artist once."""
    handles, labels = [], []
    for ax in axes if axes is not None else fig.axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 5), fontsize=9, **options)
