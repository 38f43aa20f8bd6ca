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


def sigint_once_the_bar_shows(argv):
    """Run ``argv`` (a gradcli process) as at a terminal and send it SIGINT once its progress
    bar's first byte is on stderr (the run is under way, however loaded the machine):
    ``(exit status, stdout, stderr)`` as text."""
    import os
    import signal
    import subprocess

    env = {**os.environ, "TTY_COMPATIBLE": "1", "COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        # A shell starts background jobs with SIGINT ignored (CI may run so): the child must take Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        first = process.stderr.read(1)
        assert first, process.stdout.read()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, stdout.decode(), (first + stderr).decode()
