"""One batch job run as the gradcli command it names, in this process.

A job's keys are the command's options, so anything a command line can do a
job can do: ``{"command": "descend", "expression": "x**2", "x0": [3], "lr": 0.1}``
runs ``gradcli descend --x0 3 --lr 0.1 --json -- 'x**2'``. The result is
the command's own ``--json`` object with ``id`` and ``ok`` in front.

>>> job_arguments(Job("a", "descend", {"expression": "x**2", "x0": [3, 1], "param": {"k": 2}}))
['descend', '--x0', '3,1', '--param', 'k=2', '--json', '--', 'x**2']
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math

from gradcli.batch.jobfile import BadJob, Job
from gradcli.errors import InputError

#: Keys naming the command's argument (EXPR or EXPRS) rather than an option.
ARGUMENT_KEYS = ("expression", "expressions")
#: Commands a job may not run (a batch inside a batch; the listing has no single result).
NOT_IN_A_BATCH = frozenset({"batch"})


def _number(value) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError("numbers in a job must be finite")
    return repr(value) if isinstance(value, float) else str(value)


def _value(key: str, value) -> str:
    """A JSON value as the text the command line would carry."""
    if isinstance(value, bool):
        raise InputError(f"option {key!r}: true/false is for flags only")
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return value
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        return ",".join(_number(v) for v in value)
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values())
    ):
        return ",".join(f"{name}={_number(v)}" for name, v in value.items())
    raise InputError(f"option {key!r}: expected a number, a string, a list of numbers or an object of numbers")


def job_arguments(job: Job) -> list[str]:
    """The command line (after ``gradcli``) that runs ``job``, always with ``--json``."""
    if job.command in NOT_IN_A_BATCH:
        raise InputError(f"a job cannot run the {job.command!r} command")
    known = command_names()
    if job.command not in known:
        raise InputError(f"unknown command {job.command!r}; a job runs one of: {', '.join(sorted(known))}")
    arguments: list[str] = []
    expression = None
    for key, value in job.options.items():
        if key in ARGUMENT_KEYS:
            if not isinstance(value, str):
                raise InputError(f"{key!r} must be a string")
            if expression is not None:
                raise InputError("give 'expression' or 'expressions', not both")
            expression = value
            continue
        if key == "json":
            continue  # every job prints JSON
        option = "--" + key.replace("_", "-")
        if value is True:
            arguments.append(option)
        elif value is False:
            arguments.append("--no-" + key.replace("_", "-"))
        elif value is None:
            continue
        elif key in ("param", "potentials_dir") and isinstance(value, (list, dict)):
            items = [f"{k}={_number(v)}" for k, v in value.items()] if isinstance(value, dict) else value
            for item in items:
                arguments += [option, item if isinstance(item, str) else _value(key, item)]
        else:
            arguments += [option, _value(key, value)]
    arguments.append("--json")
    if expression is not None:
        arguments += ["--", expression]
    return [job.command, *arguments]


@functools.cache
def command_names() -> frozenset[str]:
    """The commands a job may name."""
    import typer.main

    from gradcli.cli.app import app

    return frozenset(typer.main.get_command(app).commands) - NOT_IN_A_BATCH  # type: ignore[attr-defined]


@functools.cache
def _click_command():
    """The app's click command, built once per process: Typer rebuilds it from the
    command functions' signatures on every call, which cost more than a small job."""
    import typer.main

    from gradcli.cli.app import app

    return typer.main.get_command(app)


def _error(job_id: str, kind: str, message: str) -> dict:
    return {"id": job_id, "ok": False, "error": {"kind": kind, "message": message}}


def run_job(job: Job | BadJob) -> dict:
    """Run one job and return its result line as a dict (never raises)."""
    if isinstance(job, BadJob):
        return _error(job.id, "input", job.message)
    try:
        arguments = job_arguments(job)
    except InputError as error:
        return {**_error(job.id, "input", error.message), "command": job.command}
    command = _click_command()
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            command.main(args=arguments, prog_name="gradcli", standalone_mode=True)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    try:
        payload = json.loads(stdout.getvalue())
    except ValueError:
        lines = stderr.getvalue().strip().splitlines()
        message = lines[0].removeprefix("error: ") if lines else f"the command exited with status {code}"
        return {**_error(job.id, "usage" if code == 2 else "internal", message), "command": job.command}
    if not isinstance(payload, dict):
        return {**_error(job.id, "internal", "the command printed no JSON object"), "command": job.command}
    return {"id": job.id, "ok": code == 0, **payload}
