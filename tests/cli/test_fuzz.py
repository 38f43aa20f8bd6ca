"""Every command on random malformed arguments (issue 15, "Done means").

Hypothesis draws, for each command in gradcli/cli/app.py, an expression from a
small grammar (garbage, huge numbers, nan/inf, non-ASCII digits, empty text,
@names that exist and not) and options from the command's own option list
with hostile values. Whatever it draws, the command ends with exit 0, 1 or 2,
never a traceback or an internal error, and ``--json`` prints exactly one
strict-JSON object with no numpy warning on stderr. Loops get small bounds
(--steps, --samples, --hops ...) so one case cannot run for long.
"""

import json

import pytest
import typer
from cli_helpers import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcli.cli.app import app


def _commands():
    group = typer.main.get_command(app)
    found = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found.append(([name], command))
            found.extend(([name, sub], c) for sub, c in command.commands.items())
        else:
            found.append(([name], command))
    return found


COMMANDS = _commands()
# --debug prints a traceback on purpose; batch's Dask options start clusters.
SKIPPED_OPTIONS = {"--debug", "--scheduler", "--dask-local", "--workers", "--help", "-h"}
# Small bounds for every loop, added when the fuzzer did not choose the option.
BOUNDS = {
    "--steps": "5",
    "--samples": "4",
    "--grid": "2",
    "--hops": "2",
    "--images": "3",
    "--time-limit": "5",
    "--keep": "2",
}

NUMBERS = st.sampled_from(
    [
        "0",
        "1",
        "-1",
        "3",
        "1e308",
        "1e309",
        "-1e400",
        "nan",
        "inf",
        "-inf",
        "",
        " ",
        "1_000",
        "١٠",
        "𝟙",
        "0x10",
        "1e-320",
        "2.5",
        "abc",
        ",",
        "1,2",
        "1,2,3",
        "x=1,y=2",
        "x=",
        "=1",
        "1e999999",
        "9" * 400,
    ]
)
EXPRESSIONS = st.sampled_from(
    [
        "x**2",
        "x**2+y**2",
        "x**4-10*x**2+5",
        "",
        " ",
        "x**",
        "((x)",
        "1/x",
        "log(x)",
        "abs(x)",
        "sqrt(-x)",
        "exp(1e5*x)",
        "1e300*x",
        "x**1e308",
        "nan*x",
        "oo*x",
        "zoo",
        "pi*x",
        "E**2*x",
        "__import__('os')",
        "x.__class__",
        "[x**2, y]",
        "@morse",
        "@muller-brown",
        "@no-such-potential",
        "@",
        "@lj-cluster",
        "x" * 300,
        "𝑥**2",
        "x**2 # c",
        "exp(x)-exp(x)+y",
        "λ*x",
    ]
)


@st.composite
def arguments(draw):
    path, command = draw(st.sampled_from(COMMANDS))
    args = list(path)
    names = []
    for param in command.params:
        if param.param_type_name == "argument":
            if draw(st.booleans()) or True:
                args.append(draw(EXPRESSIONS | NUMBERS))
        else:
            names.extend(o for o in param.opts if o not in SKIPPED_OPTIONS and o.startswith("--"))
    flags = {o for p in command.params if getattr(p, "is_flag", False) for o in p.opts}
    chosen = draw(st.lists(st.sampled_from(names), max_size=5)) if names else []
    for option in chosen:
        args.append(option)
        if option not in flags:
            args.append(draw(NUMBERS | EXPRESSIONS))
    for option, value in BOUNDS.items():
        if option in names and option not in chosen:
            args += [option, value]
    json_flag = "--json" in names and draw(st.booleans())
    if json_flag:
        args.append("--json")
    return args, json_flag


@pytest.fixture(autouse=True, scope="module")
def _in_a_scratch_folder(tmp_path_factory):
    # --plot, --output and --trajectory write where they are told: somewhere disposable.
    import os

    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("fuzz"))
    yield
    os.chdir(here)


def _strict(constant):
    raise ValueError(f"not strict JSON: {constant}")


@pytest.mark.slow
@settings(derandomize=True, max_examples=150, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(arguments())
def test_every_command_survives_malformed_arguments(case):
    args, json_flag = case
    result = invoke(*args, input="")
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, output, result.exception)
    assert "Traceback" not in output and "internal error" not in output, (args, output)
    assert "RuntimeWarning" not in result.stderr and "overflow encountered" not in result.stderr, (args, output)
    if json_flag:
        assert isinstance(json.loads(result.stdout, parse_constant=_strict), dict), (args, result.stdout)


# Found by hand while fuzzing: `descend "x**2" --x0 3 --steps 10000000 --tol 0` ran for ever.
@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["descend", "x**2", "--x0", "3", "--steps", "10000000", "--tol", "0"],
            "--steps must be at most 1,000,000, got 10,000,000",
        ),
        (["saddle", "x**2", "--x0", "3", "--steps", "10000000"], "10000000 is not in the range x>=0 and x<=1000000"),
        (["basins", "x**2", "--box", "x=-1:1", "--steps", "10000000"], "10000000 is not in the range x<=1000000"),
    ],
)
def test_a_step_budget_that_cannot_end_is_refused(argv, message):
    result = invoke(*argv)
    assert result.exit_code == 2
    assert message in result.stderr
