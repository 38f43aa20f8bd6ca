"""Long runs speak (issue 14, item 9): every optimiser reports its progress through a callback,
Ctrl-C ends a run as ``interrupted`` with the point reached, and ``descend`` draws a progress bar
on a terminal only and prints the result so far before exiting 130."""

import json
import math
import os
import sys

import pytest
from cli_helpers import ctrl_c_at, invoke, sigint_once_the_bar_shows

from gradcli import Potential
from gradcli.optimize import OPTIMIZERS, STATUSES, minimize
from gradcli.optimize.result import PROGRESS_EVERY

ROSENBROCK = "(x-1)**2 + 100*(y-x**2)**2"
START = (-1.2, 1.0)
#: Small steps, so that no method is done before it is interrupted.
SLOW = {"gd": {"lr": 1e-4}, "momentum": {"lr": 1e-5}, "nesterov": {"lr": 1e-5}, "adam": {"lr": 1e-4}}
#: The step each method is interrupted at: the fast gd loop reports every PROGRESS_EVERY steps,
#: the scipy methods stop in a few dozen iterations.
SCIPY = ("cg", "bfgs", "lbfgs", "newton", "trust")


class Stop:
    """A progress callback that presses Ctrl-C at the first step >= ``at``, remembering the calls."""

    def __init__(self, at):
        self.at = at
        self.calls = []

    def __call__(self, step, value, grad_norm):
        self.calls.append(step)
        if step >= self.at:
            raise KeyboardInterrupt


def test_interrupted_is_a_status():
    assert "interrupted" in STATUSES


@pytest.mark.parametrize("method", list(OPTIMIZERS))
def test_ctrl_c_at_step_k_returns_the_point_of_step_k(method):
    V = Potential(ROSENBROCK)
    k = 5 if method in SCIPY else 2 * PROGRESS_EVERY
    stop = Stop(k)
    result = minimize(V, START, method=method, progress=stop, **SLOW.get(method, {}))
    assert result.status == "interrupted" and not result.succeeded
    assert result.steps == k and stop.calls[0] == 0 and stop.calls[-1] == k
    # The same point as a run given exactly k steps (the same floats: the methods are deterministic).
    budget = minimize(V, START, method=method, steps=k, tol=0, **SLOW.get(method, {}))
    assert result.x == pytest.approx(budget.x, rel=1e-12, abs=1e-15)
    # V and its gradient are those of the point reported.
    assert result.value == pytest.approx(float(V(list(result.x))), rel=1e-12)
    assert result.gradient == pytest.approx(list(V.grad(list(result.x))), rel=1e-9)
    assert result.grad_norm == pytest.approx(math.hypot(*result.gradient), rel=1e-12)
    assert result.trajectory[0].step == 0 and result.trajectory[-1].step == k


@pytest.mark.parametrize("method", ["gd", "momentum"])
def test_progress_is_called_at_least_every_progress_every_steps(method):
    calls = []
    result = minimize(
        Potential(ROSENBROCK),
        START,
        method=method,
        steps=1000,
        tol=0,
        progress=lambda step, value, grad_norm: calls.append((step, value, grad_norm)),
        **SLOW[method],
    )
    steps = [c[0] for c in calls]
    assert result.status == "completed" and steps[0] == 0
    assert max(b - a for a, b in zip(steps, steps[1:])) <= PROGRESS_EVERY and steps[-1] >= 1000 - PROGRESS_EVERY
    first = calls[0]
    assert first[1] == pytest.approx(24.2) and first[2] == pytest.approx(math.hypot(-215.6, -88.0))


def test_a_fixed_variable_run_is_interrupted_over_all_variables():
    result = minimize(Potential("x**2 + (y-1)**2 + x*y"), (1.0, 1.0), method="momentum", fix=["y"], progress=Stop(0))
    assert result.status == "interrupted" and result.steps == 0 and result.x == (1.0, 1.0)


# -- the command ---------------------------------------------------------------


def test_ctrl_c_prints_the_json_result_so_far_and_exits_130(monkeypatch):
    with ctrl_c_at(monkeypatch, 128):
        result = invoke("descend", ROSENBROCK, "--x0", "-1.2,1", "--lr", "1e-4", "--json")
    assert result.exit_code == 130
    payload = json.loads(result.stdout)  # one object: the result, no error object after it
    assert payload["status"] == "interrupted" and payload["steps"] == 128 and payload["converged"] is False
    budget = json.loads(
        invoke("descend", ROSENBROCK, "--x0", "-1.2,1", "--lr", "1e-4", "--steps", "128", "--tol", "0", "--json").stdout
    )
    assert payload["x"] == budget["x"] and payload["value"] == budget["value"]
    assert payload["trajectory"][-1]["step"] == 128
    assert result.stderr == "interrupted at step 128; the result so far is shown\nerror: interrupted\n"


def test_ctrl_c_prints_the_table_so_far(monkeypatch):
    with ctrl_c_at(monkeypatch, 64):
        result = invoke("descend", ROSENBROCK, "--x0", "-1.2,1", "--lr", "1e-4")
    assert result.exit_code == 130
    assert "interrupted" in result.stdout and "Traceback" not in result.stderr
    assert "│ steps       │ 64 (lr 0.0001, tol 1e-08)" in result.stdout


def test_ctrl_c_in_a_comparison_keeps_the_methods_done(monkeypatch):
    with ctrl_c_at(monkeypatch, 128):  # lbfgs converges in fewer iterations; momentum is interrupted
        result = invoke(
            "descend", ROSENBROCK, "--x0", "-1.2,1", "--method", "lbfgs,momentum,adam", "--lr", "1e-5", "--json"
        )
    assert result.exit_code == 130
    payload = json.loads(result.stdout)
    assert payload["methods"] == ["lbfgs", "momentum"]  # the methods run
    assert [r["status"] for r in payload["runs"]] == ["converged", "interrupted"]
    assert result.stderr.startswith("interrupted at step 128; the result so far is shown (adam not run)\n")


def test_the_bar_is_drawn_on_a_terminal(monkeypatch):
    import gradcli.cli.progress as progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    result = invoke("descend", ROSENBROCK, "--x0", "-1.2,1", "--method", "momentum", "--lr", "1e-4",
                    "--steps", "3000", "--tol", "0", env={"TTY_COMPATIBLE": "1"})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "momentum steps" in result.stderr and "|∇V|" in result.stderr and "steps/s" in result.stderr
    assert "/3000" in result.stderr


@pytest.mark.parametrize("options, env", [((), {}), (("--json",), {"TTY_COMPATIBLE": "1"})])
def test_no_bar_when_piped_or_with_json(monkeypatch, options, env):
    import gradcli.cli.progress as progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    result = invoke("descend", ROSENBROCK, "--x0", "-1.2,1", "--method", "momentum", "--lr", "1e-4",
                    "--steps", "3000", "--tol", "0", *options, env=env)  # fmt: skip
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.slow
def test_a_real_sigint_prints_the_result_so_far():
    """SIGINT to a long descend (about 5 minutes whole) once its progress bar shows: the table of
    the point reached, status interrupted, exit 130, no traceback."""
    status, out, err = sigint_once_the_bar_shows(
        [os.path.join(os.path.dirname(sys.executable), "gradcli"), "descend", "@rosenbrock-nd", "--param", "n=1000"]
    )
    assert status == 130, err
    assert "interrupted" in out and "end x" in out
    assert "Traceback" not in err and err.endswith("error: interrupted\n")
    assert "the result so far is shown" in err
