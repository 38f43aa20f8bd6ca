"""gradcli.optimize.settings and registry: where each setting comes from, which values are
refused (issue 15 item 3: non-finite or negative --tol, --lr, --steps are input errors), and
the registry's errors."""

import math

import pytest
from cli_helpers import invoke, invoke_json

from gradcli.errors import InputError
from gradcli.optimize import OPTIMIZERS, get_optimizer, minimize, resolve_settings


def test_the_option_beats_the_suggestion_beats_the_default():
    s = resolve_settings({"lr": 0.5, "steps": None, "tol": None}, {"lr": 0.1, "steps": 7}, "@well")
    assert s.values == {"lr": 0.5, "steps": 7, "tol": 1e-8}
    assert s.source == {"lr": "--lr", "steps": "@well", "tol": "default"}
    assert s.suggested() == ["steps"]


@pytest.mark.parametrize(
    "given, message",
    [
        ({"tol": math.inf}, "--tol must be a finite number >= 0, got inf"),
        ({"tol": math.nan}, "--tol must be a finite number >= 0, got nan"),
        ({"tol": -1.0}, "--tol must be a finite number >= 0, got -1"),
        ({"lr": math.inf}, "--lr must be a finite number > 0, got inf"),
        ({"lr": 0.0}, "--lr must be a finite number > 0, got 0"),
        ({"lr": -0.1}, "--lr must be a finite number > 0, got -0.1"),
        ({"steps": -1}, "--steps must be a whole number >= 0, got -1"),
        ({"steps": 2.5}, "--steps must be a whole number >= 0, got 2.5"),
        ({"steps": math.inf}, "--steps must be a whole number >= 0, got inf"),
    ],
)
def test_refused_values_name_their_source(given, message):
    with pytest.raises(InputError) as caught:
        resolve_settings(given)
    assert caught.value.message == message


def test_a_bad_suggestion_names_the_potential():
    with pytest.raises(InputError, match="the suggested tol of @well must be a finite number >= 0, got inf"):
        resolve_settings({"tol": None}, {"tol": math.inf}, "@well")


@pytest.mark.parametrize("option", ["--tol", "--lr", "--steps", "--fmax"])
@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_the_command_refuses_non_finite_values_with_exit_2(option, value):
    # The command line's one number rule (gradcli/cli/points.py) refuses them before the library sees them.
    result = invoke("descend", "x**4-10*x**2+5", "--x0", "3", option, value)
    assert result.exit_code == 2 and result.stdout == ""
    what = "a whole number" if option == "--steps" else "a number"
    assert f"Invalid value for '{option}': '{value}' is not {what}" in result.stderr


@pytest.mark.parametrize(
    "options, message",
    [
        (("--lr", "-0.01"), "--lr must be a finite number > 0, got -0.01"),
        (("--lr", "0"), "--lr must be a finite number > 0, got 0"),
        (("--fmax", "-1"), "--fmax must be a finite number > 0, got -1"),
    ],
)
def test_the_command_refuses_negative_values_with_exit_2(options, message):
    result = invoke("descend", "x**4-10*x**2+5", "--x0", "3", *options)
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n" and result.stdout == ""
    out = invoke_json("descend", "x**4-10*x**2+5", "--x0", "3", *options, exit_code=2)
    assert out["error"]["message"] == message


def test_api_keywords_are_checked_too():
    from gradcli import Potential

    with pytest.raises(InputError, match="^tol must be a finite number >= 0, got inf$"):
        minimize(Potential("x**2"), 1.0, tol=math.inf)
    with pytest.raises(InputError, match="^max_record must be a whole number >= 2"):
        minimize(Potential("x**2"), 1.0, max_record=1)


def test_the_registry():
    assert "gd" in OPTIMIZERS and get_optimizer("gd").name == "gd"
    with pytest.raises(InputError, match="^unknown method 'sgd'; known methods: gd"):
        get_optimizer("sgd")
    with pytest.raises(InputError, match="^method 'gd' takes no option 'momentum'"):
        minimize(None, 1.0, method="gd", momentum=0.9)


@pytest.mark.parametrize(
    "name",
    [
        "gradcli.optimize.settings",
        "gradcli.optimize.result",
        "gradcli.optimize.registry",
        "gradcli.optimize.first_order",
        "gradcli.optimize.scipy_methods",
        "gradcli.optimize.fire_descent",
        "gradcli.optimize.fixed",
        "gradcli.optimize.diagnosis",
        "gradcli.cli.descend_tables",
        "gradcli.analysis.stationary",
    ],
)
def test_docstring_examples(name):
    import doctest
    import importlib

    assert doctest.testmod(importlib.import_module(name)).failed == 0


def test_fixed_variables_from_the_api():
    from gradcli import Potential

    # V = (x-1)² + (y-2)² + x y with y held at 1: x = 1/2 (dV/dx = 2(x - 1) + 1 = 0).
    result = minimize(Potential("(x-1)**2 + (y-2)**2 + x*y"), (0.0, 1.0), method="lbfgs", fix=["y"])
    assert result.status == "converged" and result.x == pytest.approx((0.5, 1.0), abs=1e-9)
    assert result.gradient[1] == pytest.approx(2 * (1.0 - 2) + 0.5)
    with pytest.raises(InputError, match="^cannot fix 'z': it is not a variable"):
        minimize(Potential("x**2"), 1.0, fix={"z": 1.0})
