"""Every error path: one line on stderr (plus the caret for expressions), the
right exit code, no traceback, and the JSON error object with --json."""

import json

import pytest
from cli_helpers import invoke

from gradcli.cli.status import ExitStatus

DOUBLE_WELL = "x**4-10*x**2+5"


def check_error(result, code, *fragments):
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ")
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    return result


def test_exit_codes_are_named():
    assert (ExitStatus.SUCCESS, ExitStatus.FAILURE, ExitStatus.USAGE) == (0, 1, 2)


def test_refused_expression_shows_a_caret():
    result = check_error(invoke("grad", "__import__('os').system('ls')", "--at", "1"), 2)
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert lines[1].strip() == "__import__('os').system('ls')"
    assert lines[2].strip() == "^"
    assert result.stdout == ""


def test_refused_expression_as_json():
    result = invoke("grad", "x +* 2", "--at", "1", "--json")
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["command"] == "grad"
    assert out["error"]["kind"] == "parse"
    assert out["error"]["message"] == result.stderr.splitlines()[0].removeprefix("error: ")


def test_unknown_function():
    result = check_error(invoke("grad", "foo(x)", "--at", "1", "--json"), 2)
    assert json.loads(result.stdout)["error"]["kind"] == "unknown-function"


def test_an_expression_that_is_never_real_is_refused_with_why():
    result = check_error(invoke("grad", "sqrt(-x**2)", "--at", "1", "--json"), 2, "SymPy found the expression not real")
    assert json.loads(result.stdout)["error"]["kind"] == "unsupported"


@pytest.mark.parametrize(
    "point, fragment",
    [
        ("abc,1", "'abc' is not a number"),
        ("1,,2", "expected 2 coordinates (x, y), got 3"),
        ("", "--at is empty"),
        ("nan,1", "'nan' is not a number"),
        ("1e999,1", "too large"),
        ("x=1", "missing y"),
        ("x=1,z=2", "'z' is not a variable"),
        ("x=1,x=2", "x is given twice"),
        ("x=1,2", "NAME=VALUE or none"),
    ],
)
def test_malformed_point(point, fragment):
    check_error(invoke("grad", "x*y", "--at", point), 2, fragment)


def test_wrong_number_of_coordinates():
    check_error(invoke("grad", "x*y", "--at", "1,2,3"), 2, "expected 2 coordinates (x, y), got 3")
    check_error(invoke("descend", DOUBLE_WELL, "--x0", "1,2"), 2, "expected 1 coordinate (x), got 2")


def test_malformed_vectors():
    check_error(invoke("vjp", "[x*y, x+y**2]", "--at", "2,3", "--v", "1"), 2, "--v '1': expected 2 numbers, got 1")
    check_error(invoke("jvp", "[x*y, x+y**2]", "--at", "2,3", "--u", "1,a"), 2, "'a' is not a number")


@pytest.mark.parametrize(
    "param, fragment",
    [("k", "expected NAME=VALUE"), ("k=two", "'two' is not a number"), ("2k=1", "expected NAME=VALUE")],
)
def test_bad_param(param, fragment):
    check_error(invoke("force", "0.5*k*x**2", "--param", param, "--at", "3"), 2, fragment)


@pytest.mark.parametrize("names, fragment", [("x,1y", "'1y' is not a variable name"), ("x,x", "named twice")])
def test_bad_vars(names, fragment):
    check_error(invoke("grad", "x*y", "--vars", names, "--at", "1,2"), 2, fragment)


def test_unknown_option_and_usage_errors_exit_2():
    for args in (
        ["grad", "x", "--at", "1", "--nope"],
        ["grad", "x"],  # --at missing
        ["descend", DOUBLE_WELL, "--x0", "3", "--steps", "many"],
        ["descend", DOUBLE_WELL, "--x0", "3", "--steps", "-1"],
        ["frobnicate"],
    ):
        result = invoke(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_missing_x0_for_a_typed_expression():
    check_error(invoke("descend", DOUBLE_WELL), 2, "--x0 POINT is required")


def test_domain_error_exits_1():
    result = check_error(invoke("grad", "log(x)", "--at", "-2"), 1, "log")
    assert "-2" in result.stderr
    out = json.loads(invoke("grad", "log(x)", "--at", "-2", "--json").stdout)
    assert out["error"]["kind"] == "domain"


def test_empty_stdin():
    check_error(invoke("grad", "-", "--at", "1", input=""), 2, "no expression on standard input")


def test_derivative_needs_one_variable():
    check_error(invoke("derivative", "x*y", "--at", "1,2"), 2, "choose one of x, y with --wrt")
    check_error(invoke("derivative", "x*y", "--at", "1,2", "--wrt", "z"), 2, "--wrt z: not a variable")


def test_bad_plot_extension():
    check_error(invoke("descend", DOUBLE_WELL, "--x0", "3", "--plot", "out.txt"), 2, ".png, .svg or .pdf")


def test_unwritable_plot_paths(tmp_path):
    missing = tmp_path / "no" / "such" / "folder" / "d.png"
    check_error(invoke("descend", DOUBLE_WELL, "--x0", "3", "--plot", missing), 2, "does not exist")
    check_error(invoke("descend", DOUBLE_WELL, "--x0", "3", "--plot", tmp_path), 2, ".png, .svg or .pdf")


def test_debug_shows_the_traceback():
    result = invoke("grad", "log(x)", "--at", "-2", "--debug")
    assert result.exit_code != 0
    assert result.exception is not None and type(result.exception).__name__ == "DomainError"


def test_unknown_named_potential_suggests():
    result = check_error(invoke("grad", "@mors", "--at", "1"), 2, "@morse")
    assert "unknown potential" in result.stderr


def test_domain_error_during_descent_exits_1():
    # log(x) from 1 with lr 1 steps to x = 0 exactly
    result = check_error(invoke("descend", "log(x)", "--x0", "1", "--lr", "1"), 1, "log of zero at x=0")
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["grad", "x", "--at", "1", "--bogus"], "No such option: --bogus"),
        (["grad", "x"], "Missing option '--at'."),
        (
            ["descend", "x", "--x0", "1", "--steps", "z"],
            "Invalid value for '--steps': 'z' is not a whole number (ASCII digits, e.g. 200 or 1e3)",
        ),
    ],
)
def test_usage_errors_with_json_also_print_the_error_object(args, message):
    result = invoke(*args, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"command": args[0], "error": {"kind": "usage", "message": message}}
    assert message in result.stderr
    assert invoke(*args).stdout == ""  # without --json, stdout stays empty
