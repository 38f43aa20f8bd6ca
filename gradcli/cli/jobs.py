"""One batch job run as the gradcli command it names, in this process.

A job's keys are the command's options, so anything a command line can do a
job can do: ``{"command": "descend", "expression": "x**2", "x0": [3], "lr": 0.1}``
runs ``gradcli descend --x0 3 --lr 0.1 --json -- 'x**2'``. The result is
the command's own ``--json`` object with ``id`` and ``ok`` in front, taken as
data rather than printed, and the command is called without parsing that
command line whenever click would read it without complaint (see "the direct
call" below): the same result line either way.

>>> job_arguments(Job("a", "descend", {"expression": "x**2", "x0": [3, 1], "param": {"k": 2}}))
['descend', '--x0', '3,1', '--param', 'k=2', '--json', '--', 'x**2']
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import math
import sys
from typing import Any

import typer

from gradcli.batch.jobfile import BadJob, Job
from gradcli.cli.output import captured_json, json_line
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


def job_options(job: Job) -> tuple[list[tuple[str, list[str] | None]], str | None]:
    """The options of ``job`` as ``(option, values)`` in the job's order (values None: a flag;
    several values: a repeated option) and its EXPR (or None); InputError for a value no
    command line could carry."""
    if job.command in NOT_IN_A_BATCH:
        raise InputError(f"a job cannot run the {job.command!r} command")
    known = command_names()
    if job.command not in known:
        raise InputError(f"unknown command {job.command!r}; a job runs one of: {', '.join(sorted(known))}")
    options: list[tuple[str, list[str] | None]] = []
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
            options.append((option, None))
        elif value is False:
            options.append(("--no-" + key.replace("_", "-"), None))
        elif value is None:
            continue
        elif key in ("param", "potentials_dir") and isinstance(value, (list, dict)):
            items = [f"{k}={_number(v)}" for k, v in value.items()] if isinstance(value, dict) else value
            options.append((option, [item if isinstance(item, str) else _value(key, item) for item in items]))
        else:
            options.append((option, [_value(key, value)]))
    return options, expression


def job_arguments(job: Job) -> list[str]:
    """The command line (after ``gradcli``) that runs ``job``, always with ``--json``."""
    options, expression = job_options(job)
    return _command_line(job.command, options, expression)


def _command_line(command: str, options, expression: str | None) -> list[str]:
    arguments: list[str] = []
    for option, values in options:
        if values is None:
            arguments.append(option)
        for value in values or ():
            arguments += [option, value]
    arguments.append("--json")
    if expression is not None:
        arguments += ["--", expression]
    return [command, *arguments]


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
    """Run one job and return its result line as a dict (never raises): ``id``, ``ok`` and the
    command's JSON payload as the command made it (tuples, numpy values: ``json_line`` writes it)."""
    if isinstance(job, BadJob):
        return _error(job.id, "input", job.message)
    try:
        options, expression = job_options(job)
    except InputError as error:
        return {**_error(job.id, "input", error.message), "command": job.command}
    from gradcli.cli.boundary import process_boundary

    arguments = _command_line(job.command, options, expression)
    direct = _direct_call(job.command, options, expression)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    # The command's JSON object is taken as data (``captured_json``), not printed and parsed back.
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), captured_json() as objects:
        if direct is not None:
            code = int(process_boundary(direct, arguments))
        else:
            try:
                _click_command().main(args=arguments, prog_name="gradcli", standalone_mode=True)
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    return _result(job, code, objects, stdout.getvalue(), stderr.getvalue())


#: Modules a worker process needs for ``run_job_line``: the command layer and the compiler. Not
#: gradcli.cli.app itself: when it is the main module (``python -m gradcli.cli.app``) each worker
#: runs it anew, and runpy warns if it was imported already.
WORKER_PRELOAD = (
    "gradcli.cli.jobs",
    "gradcli.cli.calculus_cmd",
    "gradcli.cli.descend_cmd",
    "gradcli.cli.landscape_cmd",
    "gradcli.cli.modes_cmd",
    "gradcli.cli.transition_cmd",
    "gradcli.cli.potentials_cmd",
    "gradcli.frontend.potential",
)


def run_job_line(job: Job | BadJob) -> tuple[str, bool, str]:
    """``(id, ok, result line)`` of one job: the line is encoded where the job ran (a worker
    process runs it in parallel with the others and sends back one string)."""
    result = run_job(job)
    return str(result.get("id")), bool(result.get("ok")), json_line(result)


def _result(job: Job, code: int, objects: list[dict], stdout: str, stderr: str) -> dict:
    """The result line of a job whose command exited with ``code``, having emitted ``objects``
    (JSON data) and written ``stdout`` and ``stderr``: what reading its --json output would give."""
    if len(objects) != 1 or stdout.strip():
        # Not exactly one JSON object on stdout: the output would not read as one.
        lines = stderr.strip().splitlines()
        message = lines[0].removeprefix("error: ") if lines else f"the command exited with status {code}"
        return {**_error(job.id, "usage" if code == 2 else "internal", message), "command": job.command}
    payload = objects[0]
    if not isinstance(payload, dict):
        return {**_error(job.id, "internal", "the command printed no JSON object"), "command": job.command}
    return {"id": job.id, "ok": code == 0, **payload}


# -- the direct call -------------------------------------------------------------
#
# click's parsing of a job's command line (tokens, the group, Typer's layers) costs
# more than a small job. A job is already split into options, so the direct call
# gives each option's text to the command's own click parameter (the same
# conversion and range checks), takes every other parameter's default as click
# worked it out once, and calls the command's callback as click would. Whatever it
# does not handle the same way for sure (an unknown or repeated option, a value
# click refuses, a flag given a value, --debug, a group) goes through click, so
# every usage error is still click's own message.


@dataclasses.dataclass(frozen=True)
class _Command:
    """What the direct call needs of one command: its click command, its parameters by
    option name (``--no-x`` too), its EXPR parameter, and the parameters' defaults."""

    command: Any
    params: dict[str, Any]
    by_option: dict[str, Any]
    argument: Any
    defaults: dict[str, Any]
    required: frozenset[str]


@functools.cache
def _direct_command(name: str) -> _Command | None:
    """The direct call's view of the command ``name``; None when it must go through click."""
    from gradcli.cli.coercion import _Plain, install_plain_converters

    try:  # Typer 0.2x vendors click
        from typer._click.exceptions import MissingParameter
    except ImportError:  # older Typer on click itself
        from click.exceptions import MissingParameter  # type: ignore[assignment]  # the same class under click's name

    group = _click_command()
    command = group.commands.get(name)
    callback = getattr(command, "callback", None)
    if command is None or hasattr(command, "commands") or not hasattr(callback, "command_name"):
        return None
    if getattr(command, "deprecated", False):
        return None
    install_plain_converters(command.params)
    context = _context(command, name)
    by_option: dict[str, Any] = {}
    argument = None
    required = set()
    for param in command.params:
        if (
            param.callback is not None
            or param.envvar
            or param.is_eager
            or param.nargs != 1
            or not param.expose_value
            or getattr(param, "prompt", None) is not None
            or not isinstance(getattr(param, "_runtime_param", None), _Plain)
        ):
            return None
        if param.param_type_name == "argument":
            if argument is not None:
                return None
            argument = param
        else:
            by_option.update(dict.fromkeys([*param.opts, *param.secondary_opts], param))
        try:
            param.handle_parse_result(context, {}, [])
        except MissingParameter:
            required.add(param.name)
    defaults = dict(context.params)
    if not all(isinstance(v, (type(None), bool, int, float, str, tuple)) for v in defaults.values()):
        return None  # a mutable default would be shared by every job
    params = {param.name: param for param in command.params}
    return _Command(command, params, by_option, argument, defaults, frozenset(required))


def _context(command, name: str):
    group = _click_command()
    return command.context_class(command, info_name=name, parent=group.context_class(group, info_name="gradcli"))


def _direct_call(name: str, options, expression):
    """``main(arguments) -> exit status`` running the job's command without parsing its
    command line, or None when click must parse it (see above)."""
    spec = _direct_command(name)
    if spec is None:
        return None
    given: dict[str, Any] = {}
    for option, values in options:
        param = spec.by_option.get(option)
        if param is None or param.name in given:
            return None
        if param.is_flag:
            if values is not None:
                return None
            given[param.name] = option in param.opts  # --x is True, --no-x False
        elif values is None or (len(values) != 1 and not param.multiple):
            return None
        elif values:
            given[param.name] = list(values) if param.multiple else values[0]
    if expression is not None:
        if spec.argument is None:
            return None
        given[spec.argument.name] = expression
    if "json_output" in given or "json_output" not in spec.params:
        return None
    given["json_output"] = True  # the --json every job's command line ends with
    if given.get("debug") or not spec.required <= given.keys():
        return None
    context = _context(spec.command, name)
    try:
        for param_name in given:
            spec.params[param_name].handle_parse_result(context, given, [])
    except Exception:  # click's message, exactly, comes from the click path
        return None
    params = {**spec.defaults, **context.params}

    def main(_arguments):
        # What click does from here (click's Command.invoke, Typer's _main not standalone).
        try:
            context.invoke(spec.command.callback, **params)
        except EOFError as error:
            sys.stderr.write("\n")
            raise typer.Abort() from error
        except KeyboardInterrupt:
            return 130
        except typer.Exit as exit_:
            return exit_.exit_code
        return None

    return main
