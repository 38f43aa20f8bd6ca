"""One number rule on the whole command line (issue 15, item 9).

POINT, VECTOR, --param and every numeric option (--lr, --tol, --steps,
--order, --max-record, --zero-modes) accept ASCII decimal and scientific
notation only. Non-ASCII digits, ``1_000``, blanks around the value, ``inf``
and ``nan`` are refused with one message, exit 2, and the JSON error object.
"""

import json

import pytest
from cli_helpers import invoke, invoke_json

NOT_A_NUMBER = "is not a number (ASCII digits in decimal or scientific notation, e.g. 2, -0.5, 1e-3)"
NOT_WHOLE = "is not a whole number (ASCII digits, e.g. 200 or 1e3)"

BAD = [
    "\u0661\u0660",  # Arabic-Indic 10: int() and float() take it
    "\U0001d7d9",  # mathematical double-struck 1
    "\uff11",  # fullwidth 1
    "\u00b2",  # superscript 2
    "1_000",
    " 1",
    "1 ",
    "\u00a01",  # a no-break space first
    "1\t",
    "inf",
    "-inf",
    "+Infinity",
    "nan",
    "NaN",
    "0x10",
    "1e",
    "e3",
    ".",
    "1.5.2",
    "1d3",
    "--1",
    "one",
]

# (option, the command around it with {} for the value, kind of error, the message's prefix)
INPUT_OPTIONS = [
    ("--at", ["grad", "x**2", "--at", "{}"], "--at coordinate x"),
    ("--x0", ["descend", "x**2", "--x0", "{}"], "--x0 coordinate x"),
    ("--at named", ["grad", "x**2", "--at", "x={}"], "--at coordinate x"),
    ("--v", ["vjp", "[x**2]", "--at", "1", "--v", "{}"], "--v"),
    ("--u", ["jvp", "[x**2, x]", "--at", "1", "--u", "{}"], "--u"),
    ("--param", ["grad", "k*x", "--at", "1", "--param", "k={}"], "--param k"),
    ("show --param", ["potentials", "show", "harmonic", "--param", "k={}"], "--param k"),
]
USAGE_OPTIONS = [
    ("--lr", ["descend", "x**2", "--x0", "1", "--lr", "{}"], "'--lr'", NOT_A_NUMBER),
    ("--tol", ["descend", "x**2", "--x0", "1", "--tol", "{}"], "'--tol'", NOT_A_NUMBER),
    ("--steps", ["descend", "x**2", "--x0", "1", "--steps", "{}"], "'--steps'", NOT_WHOLE),
    ("--max-record", ["descend", "x**2", "--x0", "1", "--max-record", "{}"], "'--max-record'", NOT_WHOLE),
    ("--order", ["derivative", "x**2", "--at", "1", "--order", "{}"], "'--order' / '-n'", NOT_WHOLE),
    ("--zero-modes", ["force-constant", "x**2", "--at", "1", "--zero-modes", "{}"], "'--zero-modes'", NOT_WHOLE),
]


def _args(template, value):
    return [part.format(value) for part in template]


def _shown(value):
    return repr(value)


# Blanks after "=" are inside the value (x = 1 is fine), not around it.
INPUT_CASES = [
    (*option, value) for option in INPUT_OPTIONS for value in BAD if not ("={}" in option[1][-1] and value[0] in " \t")
]


@pytest.mark.parametrize("option, template, what, value", INPUT_CASES)
def test_bad_numbers_in_points_vectors_and_params(option, template, what, value):
    args = _args(template, value)
    command = " ".join(args[:2]) if args[0] == "potentials" else args[0]
    message = f"{what}: {_shown(value)} {NOT_A_NUMBER}"
    result = invoke(*args, "--json")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert json.loads(result.stdout) == {"command": command, "error": {"kind": "input", "message": message}}
    assert result.stderr.splitlines()[0] == f"error: {message}"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("option, template, what, expected", USAGE_OPTIONS, ids=[o[0] for o in USAGE_OPTIONS])
def test_bad_numbers_in_numeric_options(option, template, what, expected, value):
    args = _args(template, value)
    message = f"Invalid value for {what}: {_shown(value)} {expected}"
    result = invoke(*args, "--json")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert json.loads(result.stdout) == {"command": args[0], "error": {"kind": "usage", "message": message}}
    assert f"Error: {message}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "template, what",
    [
        (["grad", "x**2", "--at", "{}"], "error: --at coordinate x: '1e400' is too large for a 64-bit float"),
        (["grad", "k*x", "--at", "1", "--param", "k={}"], "error: --param k: '1e400' is too large for a 64-bit float"),
        (
            ["descend", "x**2", "--x0", "1", "--lr", "{}"],
            "Invalid value for '--lr': '1e400' is too large for a 64-bit float",
        ),
    ],
)
def test_numbers_beyond_the_float_range(template, what):
    result = invoke(*_args(template, "1e400"))
    assert result.exit_code == 2 and what in result.stderr


@pytest.mark.parametrize(
    "value, message",
    [
        ("2.5", f"'2.5' {NOT_WHOLE}"),
        ("1e-3", f"'1e-3' {NOT_WHOLE}"),
        ("1e30", "'1e30' is too large (the limit is 9223372036854775807)"),
        ("1e999999999999", "'1e999999999999' is too large (the limit is 9223372036854775807)"),
    ],
)
def test_whole_number_options(value, message):
    result = invoke("descend", "x**2", "--x0", "1", "--steps", value)
    assert result.exit_code == 2 and f"Invalid value for '--steps': {message}" in result.stderr


def test_scientific_notation_for_whole_numbers():
    out = invoke_json("descend", "x**2", "--x0", "1", "--steps", "1e1", "--tol", "0", "--lr", "0.25")
    # x <- x - 0.25 * 2x halves x: 10 steps from 1
    assert (out["steps"], out["x"]) == (10, [0.5**10])
    out = invoke_json("derivative", "x**4", "--at", "1", "--order", "4.0E0")
    assert out["derivatives"] == [1.0, 4.0, 12.0, 24.0, 24.0]


@pytest.mark.parametrize(
    "at, point",
    [
        ("+.5,2.", [0.5, 2.0]),
        ("2.5E+1,-1e-1", [25.0, -0.1]),
        ("[1, 2]", [1.0, 2.0]),
        ("[ 1 , 2 ]", [1.0, 2.0]),
        ("1 ,\t2", [1.0, 2.0]),
        ("y = 2, x = 1", [1.0, 2.0]),
        ("-0,007", [-0.0, 7.0]),
    ],
)
def test_accepted_points(at, point):
    out = invoke_json("grad", "x*y", "--at", at)
    assert out["point"] == point and out["gradient"] == [point[1], point[0]]


def test_accepted_params_and_vectors():
    assert invoke_json("grad", "k*x", "--at", "1", "--param", "k = 2.5e0")["gradient"] == [2.5]
    assert invoke_json("vjp", "[x*y, x + y**2]", "--at", "2,3", "--v", "[1, 1]")["vjp"] == [4.0, 8.0]


@pytest.mark.parametrize("at", ["", "[]", "[ ]", "  "])
def test_empty_points(at):
    result = invoke("grad", "x", "--at", at, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == {"kind": "input", "message": "--at is empty"}
