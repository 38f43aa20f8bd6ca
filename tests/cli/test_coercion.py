"""The pydantic-free option converters behave like Typer's own."""

import pytest
from cli_helpers import invoke


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--steps", "abc"],
            "Invalid value for '--steps': 'abc' is not a whole number (ASCII digits, e.g. 200 or 1e3)",
        ),
        (["--steps", "-1"], "Invalid value for '--steps': -1 is not in the range x>=0."),
        (
            ["--lr", "fast"],
            "Invalid value for '--lr': 'fast' is not a number "
            "(ASCII digits in decimal or scientific notation, e.g. 2, -0.5, 1e-3)",
        ),
        (["--tol", "-1e-3"], "Invalid value for '--tol': -0.001 is not in the range x>=0.0."),
        (["--max-record", "1"], "Invalid value for '--max-record': 1 is not in the range x>=2."),
    ],
)
def test_bad_option_values_are_usage_errors(args, message):
    result = invoke("descend", "x**2", "--x0", "1", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_good_values_are_converted():
    from cli_helpers import invoke_json

    out = invoke_json("descend", "a*x**2", "--x0", "1", "--lr", "2.5e-1", "--steps", "7", "--tol", "0", "-p", "a=1")
    assert out["lr"] == 0.25 and out["steps"] == 7 and out["params"] == {"a": 1.0}


def test_order_range():
    result = invoke("derivative", "x", "--at", "1", "--order", "101")
    assert result.exit_code == 2 and "101 is not in the range x>=0 and x<=100." in result.stderr
