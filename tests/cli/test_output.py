"""Output conventions: colour only on a terminal and never with NO_COLOR,
plain JSON (no NaN), --version, and --help with an example for every command."""

import json
import re
import subprocess
import sys

import pytest
import typer
from cli_helpers import invoke

from gradcli.cli.app import app
from gradcli.cli.output import emit_json, plain

DOUBLE_WELL = "x**4-10*x**2+5"
ESCAPE = "\x1b["
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)")


def test_no_escape_codes_when_not_a_terminal():
    result = invoke("descend", DOUBLE_WELL, "--x0", "3")
    assert result.exit_code == 0
    assert ESCAPE not in result.stdout and ESCAPE not in result.stderr


def test_colour_on_a_terminal_and_none_with_no_color():
    coloured = invoke("descend", DOUBLE_WELL, "--x0", "3", env={"FORCE_COLOR": "1"})
    assert COLOUR.search(coloured.stdout), "FORCE_COLOR (a terminal) should colour the status"
    plain_run = invoke("descend", DOUBLE_WELL, "--x0", "3", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert plain_run.exit_code == 0
    assert not COLOUR.search(plain_run.stdout)


@pytest.mark.slow
def test_piped_process_output_has_no_escape_codes():
    # A real process with stdout a pipe: what `gradcli ... | less` sees.
    env = {"PATH": "/usr/bin:/bin", "TERM": "xterm-256color"}
    code = "from gradcli.cli.app import main; main()"
    for args in (["descend", DOUBLE_WELL, "--x0", "3"], ["grad", "x**2", "--at", "1,2"]):
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
        assert ESCAPE not in proc.stdout and ESCAPE not in proc.stderr
    assert proc.returncode == 2 and proc.stderr.startswith("error: ")


def test_json_is_strict_and_non_finite_numbers_become_null(capsys):
    assert plain({"a": (1.0, float("inf")), "b": [float("nan")]}) == {"a": [1.0, None], "b": [None]}
    emit_json({"x": [float("-inf"), 2.0]})
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"x": [None, 2.0]}
    assert "written as null" in captured.err


def test_diverged_json_parses_with_nulls():
    # exp overflows at step 5: V and its gradient there are not numbers
    result = invoke("descend", "--x0", "0", "--lr", "0.5", "--json", "--", "-exp(x)")
    out = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"invalid JSON constant {name}"))
    assert out["value"] is None and out["status"] == "diverged"
    assert "written as null" in result.stderr


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"gradcli \d+\.\d+\.\d+\n", result.stdout)


def command_names():
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():
        names.append([name])
        if hasattr(command, "commands"):  # a group (click or Typer's vendored click)
            names.extend([name, sub] for sub in command.commands)
    return names


EXPECTED = {"descend", "grad", "force", "force-constant", "derivative", "jacobian", "vjp", "jvp", "potentials"}


def test_every_command_of_the_issue_exists():
    assert EXPECTED <= {path[0] for path in command_names()}


@pytest.mark.parametrize("path", command_names(), ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "gradcli " in result.stdout.split("Example:")[1]


# batch runs other commands (their options are the jobs' keys) and writes JSON Lines: it takes --debug alone.
@pytest.mark.parametrize("path", [p for p in command_names() if p[0] not in ("potentials", "batch")], ids=" ".join)
def test_every_computing_command_has_the_common_options(path):
    result = invoke(*path, "--help")
    for option in ("--param", "--vars", "--json", "--potentials-dir", "--debug"):
        assert option in result.stdout, (path, option)
