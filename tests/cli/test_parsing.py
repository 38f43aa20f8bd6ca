"""Reading the command line (gradcli/cli/parsing.py, issue 14 items 6-7,
issue 15 item 8): options that would do nothing are errors, unknown short
options are named, an expression may start with a minus sign, and --json
always prints one JSON object, usage errors included."""

import json

import pytest
from cli_helpers import invoke

HINT = "; an expression that starts with '-' goes after '--', e.g. gradcli grad --at 1 -- -x"


def usage_error(args, message, command):
    """Check a usage error without and with --json: exit 2, the message on stderr, the object on stdout."""
    result = invoke(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert f"Error: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    result = invoke(*args, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"command": command, "error": {"kind": "usage", "message": message}}


@pytest.mark.parametrize(
    "args, option",
    [
        (["grad", "x*y", "--at", "1,2", "--at", "3,4"], "--at"),
        (["descend", "x**2", "--x0", "1", "--x0", "2"], "--x0"),
        (["descend", "x**2", "--x0", "1", "--x0=2"], "--x0"),
        (["descend", "x**2", "--x0", "1", "--lr", "0.1", "--lr", "0.2"], "--lr"),
        (["derivative", "x**3", "--at", "1", "-n", "2", "--order", "3"], "-n/--order"),
        (["derivative", "x**3", "--at", "1", "-n2", "-n3"], "-n"),
        (["vjp", "[x*y, x]", "--at", "1,2", "--v", "1,1", "--v", "1,0"], "--v"),
    ],
)
def test_a_repeated_option_is_a_usage_error(args, option):
    usage_error(args, f"Option '{option}' is given more than once; give it once.", args[0])


def test_repeatable_options_may_repeat():
    out = json.loads(invoke("grad", "k*x+m", "--param", "k=2", "-p", "m=1", "--at", "1", "--json").stdout)
    assert out["params"] == {"k": 2.0, "m": 1.0} and out["value"] == 3.0


def test_a_param_the_expression_does_not_have_is_an_input_error():
    message = "--param k: the expression has no symbol k (it uses x)"
    result = invoke("grad", "x**2", "--param", "k=2", "--at", "1")
    assert result.exit_code == 2 and result.stderr == f"error: {message}\n"
    result = invoke("grad", "x**2", "--param", "k=2", "--at", "1", "--json")
    assert json.loads(result.stdout) == {"command": "grad", "error": {"kind": "input", "message": message}}
    # a named potential's own check names its parameters
    result = invoke("grad", "@morse", "--param", "k=2", "--at", "1")
    assert result.exit_code == 2 and "has no parameter 'k'" in result.stderr


def test_a_number_exponent_is_not_a_symbol():
    message = "--param e: the expression has no symbol e (it uses x)"
    result = invoke("grad", "1e5*x", "--param", "e=2", "--at", "1")
    assert result.exit_code == 2 and result.stderr == f"error: {message}\n"


@pytest.mark.parametrize(
    "args, option",
    [
        (["grad", "--at", "1", "-n"], "-n"),  # was: the gradient of the expression -n
        (["grad", "x", "--at", "1", "-o", "x.json"], "-o"),  # was: "Got unexpected extra argument(s)"
        (["grad", "--at", "1", "-x"], "-x"),
        (["force", "x", "--at", "1", "-o=x.json"], "-o"),
    ],
)
def test_an_unknown_short_option_is_named(args, option):
    usage_error(args, f"No such option: {option}{HINT}", args[0])


def test_an_unknown_long_option_has_no_hint():
    usage_error(["grad", "x", "--at", "1", "--bogus"], "No such option: --bogus", "grad")


@pytest.mark.parametrize(
    "args, gradient",
    [
        (["grad", "-x**2", "--at", "3"], [-6.0]),  # cannot be an option: it has '*'
        (["grad", "--at", "3", "-2*x"], [-2.0]),
        (["grad", "--at", "3", "-sin(x)"], None),
        (["grad", "--at", "3", "--", "-x"], [-1.0]),  # after --, always the expression
        (["grad", "--at", "3", "--", "-n"], [-1.0]),
    ],
)
def test_an_expression_may_start_with_a_minus_sign(args, gradient):
    result = invoke(*args, "--json") if "--" not in args else invoke(*args[:-2], "--json", *args[-2:])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    if gradient is not None:
        assert out["gradient"] == gradient


def test_potentials_show_usage_error_is_a_json_object():
    usage_error(["potentials", "show"], "Missing argument 'name'.", "potentials show")


def test_an_unknown_command_with_json_is_a_json_object():
    usage_error(["frobnicate"], "No such command 'frobnicate'.", None)


def test_potentials_json_is_one_object_with_the_list_under_a_key():
    result = invoke("potentials", "--json")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert isinstance(out, dict) and out["command"] == "potentials"
    assert {row["name"] for row in out["potentials"]} >= {"morse", "muller-brown", "lj-cluster"}


def test_potentials_show_error_is_a_json_object():
    result = invoke("potentials", "show", "mores", "--json")
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["command"] == "potentials show" and out["error"]["kind"] == "unknown-potential"
    assert out["error"]["message"] == result.stderr.splitlines()[0].removeprefix("error: ")


def test_commands_come_from_the_one_list_in_app():
    import typer

    from gradcli.cli.app import COMMANDS, app

    group = typer.main.get_command(app)
    assert list(group.commands) == [f.command_name for f in COMMANDS] + ["potentials"]


@pytest.mark.parametrize("path", [["potentials"], ["potentials", "show"]])
def test_potentials_uses_the_shared_options(path):
    help_text = invoke(*path, "--help").stdout
    for option in ("--json", "--potentials-dir", "--debug"):
        assert option in help_text
    assert "Print one JSON object instead of tables." in " ".join(help_text.split())
