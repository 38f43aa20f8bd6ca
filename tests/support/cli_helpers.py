"""Shared helpers for the command tests: drive the real ``gradcli`` app with Typer's CliRunner.

(A module with its own name, not conftest.py, so it cannot clash with other test folders.)
"""

import json
from contextlib import contextmanager

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


def invoke(*args, input=None, env=None):
    """Run ``gradcli ARGS`` in-process; returns click's Result (stdout, stderr, exit_code)."""
    runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], input=input, env={**CLEAN_ENV, **(env or {})})


def invoke_json(*args, exit_code=0, input=None):
    """Run ``gradcli ARGS --json``, check the exit code, return the parsed object."""
    result = invoke(*args, "--json", input=input)
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    return json.loads(result.stdout)


@contextmanager
def ctrl_c_at(monkeypatch, at):
    """A command's progress bar (``gradcli.cli.progress.progress_bar``, which every command
    opens through its module) presses Ctrl-C at the first step >= ``at``."""
    import gradcli.cli.progress as progress

    @contextmanager
    def bar(what, total, **options):
        def update(done, **values):
            if done >= at:
                raise KeyboardInterrupt

        yield update

    monkeypatch.setattr(progress, "progress_bar", bar)
    yield
