"""Helpers for tests/optimize: run ``gradcli descend`` in-process with Typer's CliRunner.

(A module with its own name, not conftest.py, so it cannot clash with other test folders.)
"""

import json

from typer.testing import CliRunner

from gradcli.cli.app import app

# A test must not depend on the developer's terminal settings.
CLEAN_ENV = {
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TTY_COMPATIBLE": None,
    "COLUMNS": "100",
    "GRADCLI_POTENTIALS": None,
}


def invoke(*args, env=None):
    """Run ``gradcli ARGS`` in-process; returns click's Result (stdout, stderr, exit_code)."""
    return CliRunner().invoke(app, [str(a) for a in args], env={**CLEAN_ENV, **(env or {})})


def invoke_json(*args, exit_code=0):
    """Run ``gradcli ARGS --json``, check the exit code, return the parsed object."""
    result = invoke(*args, "--json")
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    return json.loads(result.stdout)
