"""Every kind of picture, checked from its matplotlib Figure (built by the same
function the command calls): the view covers the listed stationary points and
the path, circles stay round, legends sit outside the data, convergence is on
log scales, units label the axes, a diverged run is crossed."""

import math
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from cli_helpers import invoke
from matplotlib.backends.backend_agg import FigureCanvasAgg

from gradcli import Potential
from gradcli.cli import plot, plot_compare, plot_view
from gradcli.cli.path_plot import path_figure
from gradcli.landscape.basins import basin_map
from gradcli.named.registry import resolve
from gradcli.optimize import minimize
from gradcli.optimize.neb import path as minimum_energy_path


def named(name):
    """(V, view) of a named potential, as the command builds them."""
    resolved = resolve(f"@{name}")
    V = resolved.potential
    return V, plot_view.from_run(SimpleNamespace(resolved=resolved), V)


def typed(expr):
    V = Potential(expr)
    return V, plot_view.from_run(SimpleNamespace(resolved=resolve(expr)), V)


def drawn(fig):
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig


def axis(fig, title_part):
    return next(ax for ax in fig.axes if title_part in ax.get_title())


def landscape(fig):
    """The axes that holds the path (the one labelled with a coordinate)."""
    return next(ax for ax in fig.axes if ax.get_label() == "map" or "band" in ax.get_title())


def contains(ax, points):
    (x_lo, x_hi), (y_lo, y_hi) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    return all(x_lo <= x <= x_hi and y_lo <= y <= y_hi for x, y in points)


def legend_clear_of_data(fig):
    """No figure or axes legend overlaps an axes' area (so it covers no marker or line)."""
    renderer = fig.canvas.get_renderer()
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert legends
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>":
                continue
            assert not box.overlaps(ax.get_window_extent(renderer)), (legend, ax.get_label())


def test_double_well_from_three_shows_both_wells():
    V, view = typed("x**4-10*x**2+5")
    fig = drawn(plot.descent_figure(V, minimize(V, 3.0, lr=0.01), "x**4-10*x**2+5", view))
    ax = landscape(fig)
    lo, hi = ax.get_xlim()
    assert lo < -math.sqrt(5) - 0.5 and hi > 3  # both minima at ±√5 and the start
    assert ax.get_ylim()[0] <= -20 < 5 <= ax.get_ylim()[1]  # the wells and the hump at x = 0
    legend_clear_of_data(fig)


def test_a_run_of_no_steps_draws_a_landscape_not_a_speck():
    V, view = typed("x**2")
    fig = drawn(plot.descent_figure(V, minimize(V, 0.0, steps=0), "x**2", view))
    lo, hi = landscape(fig).get_xlim()
    assert hi - lo >= 2
    grad = axis(fig, "|∇V|")
    assert grad.get_xlim()[1] >= 1  # steps from 0 to at least 1, not -0.04..0.04


def test_muller_brown_shows_every_listed_stationary_point_and_keeps_legends_off_the_data():
    V, view = named("muller-brown")
    assert len(view.stationary) == 5
    result = minimize(V, (-0.5, 1.5), lr=0.0002, steps=2000)
    fig = drawn(plot.descent_figure(V, result, "@muller-brown", view))
    ax = landscape(fig)
    assert contains(ax, [s.point for s in view.stationary] + [result.x0, result.x])
    assert ax.get_aspect() == 1.0
    labels = fig.legends[0].get_texts()
    assert {"listed minima", "listed saddles", "start", "end"} <= {t.get_text() for t in labels}
    notes = {t.get_text() for t in ax.texts}
    assert {"global minimum (MA)", "MB"} <= notes
    legend_clear_of_data(fig)
    assert axis(fig, "|∇V|").get_yscale() == "log"
    assert axis(fig, "above the final").get_yscale() == "log"


def test_a_circle_is_round():
    V, view = typed("x**2+y**2")
    fig = drawn(plot.descent_figure(V, minimize(V, (3.0, 1.0), lr=0.1), "x**2+y**2", view))
    assert landscape(fig).get_aspect() == 1.0


def test_units_of_a_named_potential_label_the_axes():
    V, view = named("morse")
    fig = drawn(plot.descent_figure(V, minimize(V, (1.2,), lr=0.01), "@morse", view))
    ax = landscape(fig)
    assert ax.get_xlabel() == f"{V.variables[0]} (Å)"
    assert ax.get_ylabel().endswith("(eV)")
    assert axis(fig, "|∇V|").get_ylabel() == "|∇V| (eV/Å)"


def test_typed_expressions_have_no_units():
    V, view = typed("x**2+y**2")
    assert (view.energy, view.length) == (None, None)
    fig = plot.descent_figure(V, minimize(V, (1.0, 1.0), lr=0.1), "x**2+y**2", view)
    assert landscape(fig).get_xlabel() == "x"


@pytest.mark.parametrize("start", [(3.0, 1.0), (3.0,)])
def test_a_diverged_run_is_crossed_where_it_diverged(start):
    expr = "x**2+y**2" if len(start) == 2 else "x**2"
    V, view = typed(expr)
    result = minimize(V, start, lr=1.5, steps=200)
    assert result.status == "diverged"
    fig = drawn(plot.descent_figure(V, result, expr, view))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert f"diverged at step {result.diverged_at}" in labels
    crosses = [line for line in landscape(fig).lines if line.get_label().startswith("diverged")]
    assert len(crosses) == 1
    # The view is set by the landscape, not by the point 1e12 away.
    assert landscape(fig).get_xlim()[1] < 100


def test_more_variables_show_convergence_on_log_scales():
    V, view = typed("x**2 + 2*y**2 + 3*z**2")
    fig = drawn(plot.descent_figure(V, minimize(V, (1.0, 1.0, 1.0), lr=0.05), "3-D", view))
    assert axis(fig, "|∇V|").get_yscale() == "log"
    assert axis(fig, "above the final").get_yscale() == "log"


def test_comparison_of_methods():
    V, view = named("muller-brown")
    runs = [(m, minimize(V, (-0.5, 1.5), method=m, lr=0.0002, steps=3000)) for m in ("gd", "momentum")]
    fig = drawn(plot_compare.runs_figure(V, runs, "@muller-brown", view))
    ax = fig.axes[0]
    assert contains(ax, [s.point for s in view.stationary])
    assert ax.get_aspect() == 1.0
    assert axis(fig, "|∇V|").get_yscale() == "log"
    legend_clear_of_data(fig)


def _lines(ax, label):
    return [line for line in ax.get_lines() if line.get_label() == label]


def test_comparison_shows_each_run_above_its_final_value_and_marks_an_oscillating_one():
    """gd with lr·λmax = 0.1·20 = 2 flips y between 1 and -1 for ever (x converges): oscillating,
    marked once at its last point; lbfgs converges; momentum with lr 1 diverges (no V - V_final)."""
    V, view = typed("x**2 + 10*y**2")
    runs = [
        ("gd", minimize(V, (1.0, 1.0), method="gd", lr=0.1, steps=200)),
        ("lbfgs", minimize(V, (1.0, 1.0), method="lbfgs")),
        ("momentum", minimize(V, (1.0, 1.0), method="momentum", lr=1.0, steps=200)),
    ]
    assert [r.status for _, r in runs] == ["max_steps", "converged", "diverged"]
    assert [plot_view.ended_oscillating(r) for _, r in runs] == [True, False, False]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the far diverged point must not squeeze the layout
        fig = drawn(plot_compare.runs_figure(V, runs, "x**2 + 10*y**2", view))
    (mark,) = _lines(landscape(fig), "oscillating")
    assert mark.get_marker() == "D" and mark.get_markerfacecolor() == "none"
    gd = runs[0][1]
    assert list(mark.get_xdata()) == [gd.x[0]] and list(mark.get_ydata()) == [gd.x[1]] == [1.0]
    assert "oscillating" in {t.get_text() for t in fig.legends[0].get_texts()}
    (cross,) = _lines(landscape(fig), "diverged")  # the diverged run keeps its cross, on the map's edge
    assert contains(landscape(fig), list(zip(cross.get_xdata(), cross.get_ydata())))
    above = axis(fig, "above each run's final value")
    assert above.get_yscale() == "log" and above.get_xscale() == "log"
    assert "V − V_final" in above.get_ylabel()
    assert [line.get_label() for line in above.get_lines()] == ["gd", "lbfgs"]  # not the diverged one
    for (_, result), line in zip(runs, above.get_lines()):
        excess = np.array([p.value for p in result.trajectory]) - result.value
        steps = np.array([p.step for p in result.trajectory], dtype=float)
        np.testing.assert_array_equal(line.get_ydata(), excess[excess > 0])
        np.testing.assert_array_equal(line.get_xdata(), steps[excess > 0] + 1)
    legend_clear_of_data(fig)


def test_a_comparison_without_oscillation_marks_none():
    V, view = named("muller-brown")
    runs = [(m, minimize(V, (-0.5, 1.5), method=m)) for m in ("lbfgs", "fire")]
    fig = drawn(plot_compare.runs_figure(V, runs, "@muller-brown", view))
    assert not any(_lines(ax, "oscillating") for ax in fig.axes)
    assert len(axis(fig, "above each run's final value").get_lines()) == 2


def test_an_oscillating_run_of_many_variables_is_marked_on_the_energy_against_step():
    V, view = typed("x**2 + 10*y**2 + z**2")
    gd = minimize(V, (1.0, 1.0, 1.0), method="gd", lr=0.1, steps=100)
    fig = drawn(plot_compare.runs_figure(V, [("gd", gd), ("lbfgs", minimize(V, (1.0, 1.0, 1.0)))], "3-D", view))
    (mark,) = _lines(axis(fig, "energy against step"), "oscillating")
    assert list(mark.get_xdata()) == [100.0] and list(mark.get_ydata()) == [gd.value]


@pytest.mark.parametrize("expr, start", [("x**4-10*x**2+5", (3.0,)), ("x**2 + 10*y**2", (1.0, 1.0))])
def test_one_run_that_ended_oscillating_is_marked_at_its_end(expr, start):
    """lr·λ = 2 at the end point (0.05·40 in the double well, 0.1·20 across the valley): gd flips."""
    V, view = typed(expr)
    gd = minimize(V, start, method="gd", lr=0.05 if len(start) == 1 else 0.1, steps=100)
    assert gd.status == "max_steps" and plot_view.ended_oscillating(gd)
    fig = drawn(plot.descent_figure(V, gd, expr, view))
    (mark,) = _lines(landscape(fig), "oscillating")
    end = (gd.x[0], gd.value) if len(start) == 1 else gd.x
    assert (mark.get_xdata()[0], mark.get_ydata()[0]) == pytest.approx(end, rel=1e-12)
    assert "oscillating" in {t.get_text() for t in fig.legends[0].get_texts()}
    legend_clear_of_data(fig)
    converged = minimize(V, start, method="lbfgs")
    assert not plot_view.ended_oscillating(converged)
    assert not _lines(landscape(drawn(plot.descent_figure(V, converged, expr, view))), "oscillating")


def test_xlim_and_ylim_override_the_view():
    V, _ = typed("x**2+y**2")
    view = plot_view.from_run(SimpleNamespace(resolved=resolve("x**2+y**2")), V, "-5:1", "-2:2")
    fig = drawn(plot.descent_figure(V, minimize(V, (1.0, 1.0), lr=0.1), "x", view))
    assert landscape(fig).get_xlim() == (-5.0, 1.0)
    assert landscape(fig).get_ylim() == (-2.0, 2.0)


def test_path_map_covers_the_landscape():
    V, view = named("muller-brown")
    stationary = {s.label: s.point for s in view.stationary}
    mep = minimum_energy_path(V, stationary["global minimum (MA)"], stationary["MB"], images=9, steps=300)
    fig = drawn(path_figure(V, mep, "path @muller-brown", view))
    ax = next(ax for ax in fig.axes if "band" in ax.get_title())
    assert contains(ax, list(stationary.values()) + [tuple(p) for p in np.asarray(mep.points)])
    assert ax.get_aspect() == 1.0
    assert axis(fig, "energy profile").get_ylabel() == "V"
    legend_clear_of_data(fig)


def test_basin_map_marks_listed_saddles_and_keeps_circles_round():
    V, view = named("muller-brown")
    result = basin_map(V, {"x": (-1.5, 1.2), "y": (-0.5, 2.0)}, samples=300, seed=1, method="fire")
    fig = drawn(plot.basins_figure(V, result, "@muller-brown", view))
    ax = fig.axes[0]
    assert ax.get_aspect() == 1.0
    assert "listed saddles" in {t.get_text() for t in fig.legends[0].get_texts()}
    legend_clear_of_data(fig)


def test_titles_wrap_between_names_never_inside_one():
    text = "@muller-brown: " + " + ".join(f"coefficient_{k}*exp(-(x - {k})**2)" for k in range(12))
    wrapped = plot_view.wrap_title(text)
    lines = wrapped.split("\n")
    assert len(lines) > 1 and all(len(line) <= plot_view.TITLE_WIDTH for line in lines)
    assert " ".join(lines) == text
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    assert all(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line)) <= names for line in lines)


def test_banana_svg_is_small_because_fills_are_rasterised(tmp_path):
    path = tmp_path / "banana.svg"
    result = invoke("descend", "(x-1)**2 + 10*(y-x**2)**2", "--x0", "x=-1,y=1", "--plot", path)
    assert result.exit_code == 0, result.stderr
    text = path.read_text()
    assert "<image" in text  # the filled contours, as one picture
    assert path.stat().st_size < 300_000  # 645 kB before the fills were rasterised


def test_dpi_sets_the_png_size(tmp_path):
    sizes = []
    for dpi in (50, 100):
        path = tmp_path / f"d{dpi}.png"
        assert invoke("descend", "x**2", "--x0", "1", "--lr", "0.1", "--plot", path, "--dpi", dpi).exit_code == 0
        with open(path, "rb") as f:
            sizes.append(int.from_bytes(f.read(24)[16:20], "big"))
    assert sizes[1] == 2 * sizes[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--xlim", "3"], "error: --xlim 3: give two numbers LOW:HIGH, e.g. --xlim -2:2"),
        (["--xlim", "a:b"], "error: --xlim a:b: give two numbers LOW:HIGH, e.g. --xlim -2:2"),
        (["--ylim", "2:1"], "error: --ylim 2:1: LOW must be less than HIGH"),
        (["--xlim", "0:inf"], "error: --xlim 0:inf: the limits must be finite numbers"),
        (["--dpi", "0"], "error: --dpi 0: give a resolution from 10 to 2400 dots per inch"),
    ],
)
def test_bad_plot_options_are_usage_errors(tmp_path, args, message):
    result = invoke("descend", "x**2", "--x0", "1", "--plot", tmp_path / "d.png", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not (tmp_path / "d.png").exists()


@pytest.mark.parametrize("option, value", [("--xlim", "0:1"), ("--ylim", "0:1"), ("--dpi", "300")])
def test_plot_options_without_a_plot_are_errors(option, value):
    result = invoke("descend", "x**2", "--x0", "1", option, value)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {option} sets up a plot: give --plot FILE too"


def test_path_takes_the_plot_options(tmp_path):
    result = invoke("path", "@muller-brown", "--from", "MA", "--to", "MB", "--plot", tmp_path / "p.png", "--dpi", "5")
    assert result.exit_code == 2
    assert "--dpi 5" in result.stderr
