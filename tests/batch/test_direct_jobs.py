"""A batch job runs its command without parsing a command line (the direct call), yet
its result line is byte for byte what the command's own ``--json`` output gives,
errors included: the same keys, messages and kinds."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from gradcli.batch import BadJob, Job, read_jobs
from gradcli.cli import jobs
from gradcli.cli.jobs import job_arguments, job_options, run_job
from gradcli.cli.output import json_line
from gradcli.errors import InputError

#: Jobs of every command, good and bad; the direct call runs those marked True.
JOBS: list[tuple[dict | str, bool]] = [
    ({"id": "dw", "command": "descend", "expression": "x**4-10*x**2+5", "x0": [3], "lr": 0.01, "tol": 0}, True),
    ({"id": "rb", "command": "descend", "expression": "(x-1)**2 + 10*(y-x**2)**2", "x0": [-1, 1]}, True),
    (
        {
            "id": "cmp",
            "command": "descend",
            "expression": "x**2 + 3*y**2 + x*y",
            "x0": {"x": 1, "y": -2},
            "method": "gd,momentum,lbfgs",
            "lr": 0.05,
            "max_record": 10,
        },
        True,
    ),
    ({"id": "fix", "command": "descend", "expression": "(x-1)**2 + (y-2)**2", "x0": "0,0", "fix": "y=5"}, True),
    ({"id": "mb", "command": "descend", "expression": "@muller-brown", "method": "lbfgs", "tol": 1e-6}, True),
    ({"id": "k", "command": "descend", "expression": "k*(x-a)**2", "x0": [0], "param": {"k": 2, "a": 1.5}}, True),
    ({"id": "kl", "command": "descend", "expression": "k*x**2", "x0": [1], "param": ["k=0.5"], "json": False}, True),
    ({"id": "neg", "command": "descend", "expression": "-x**2+x**4", "x0": [-1e-3], "vars": "x", "plot": None}, True),
    ({"id": "few", "command": "descend", "expression": "x**4-10*x**2+5", "x0": [3], "steps": 3}, True),
    ({"id": "big", "command": "descend", "expression": "-x**2", "x0": [1], "lr": 2.0}, True),
    ({"id": "adam", "command": "descend", "expression": "x**2", "x0": [1], "method": "adam", "betas": "0.8,0.9"}, True),
    ({"id": "lj", "command": "descend", "pair": "4*((1/r)**12-(1/r)**6)", "atoms": 3, "method": "fire"}, True),
    ({"id": "g", "command": "grad", "expression": "x**2*y", "at": {"x": 1, "y": 2}}, True),
    ({"id": "g-ex", "command": "grad", "expressions": "sin(x)*exp(y)", "at": [0.5, -1]}, True),
    ({"id": "f", "command": "force", "expression": "log(x)", "at": 2}, True),
    ({"id": "fc", "command": "force-constant", "expression": "k*x**2", "param": {"k": 2}, "at": 1}, True),
    ({"id": "d", "command": "derivative", "expression": "sin(x)", "at": 0.5, "order": 3}, True),
    ({"id": "j", "command": "jacobian", "expressions": "[x*y, x+y**2]", "at": [1, 2]}, True),
    ({"id": "vjp", "command": "vjp", "expressions": "[x*y, x+y**2]", "at": [1, 2], "v": [1, -1]}, True),
    ({"id": "jvp", "command": "jvp", "expressions": "[x*y, x+y**2]", "at": [1, 2], "u": [0.5, 2]}, True),
    ({"id": "s", "command": "saddle", "expression": "x**2 - y**2 + 0.1*x*y", "x0": [0.3, 0.2]}, True),
    (
        {
            "id": "p",
            "command": "path",
            "expression": "(x**2-1)**2 + y**2",
            "from": [-1, 0],
            "to": [1, 0],
            "images": 5,
            "climb": False,
            "relax": True,
        },
        True,
    ),
    ({"id": "m", "command": "modes", "expression": "x**2 + 3*y**2 + x*y", "at": [0, 0]}, True),
    ({"id": "b", "command": "basins", "expression": "x**4-3*x**2+x", "box": "x=-2:2", "samples": 20}, True),
    ({"id": "gl", "command": "global", "expression": "x**4-3*x**2+x", "x0": [1], "hops": 5, "seed": 3}, True),
    # errors of the computation: the command's own error objects, after the direct call
    ({"id": "dom", "command": "force", "expression": "log(x)", "at": -1}, True),
    ({"id": "over", "command": "grad", "expression": "exp(x)", "at": 1000}, True),
    ({"id": "parse", "command": "grad", "expression": "x +* 2", "at": 1}, True),
    ({"id": "empty", "command": "grad", "expression": "", "at": 1}, True),
    ({"id": "dim", "command": "grad", "expression": "x*y", "at": [1]}, True),
    ({"id": "unused", "command": "grad", "expression": "x**2", "at": 1, "param": {"k": 1}}, True),
    ({"id": "named?", "command": "grad", "expression": "@no-such-potential", "at": 1}, True),
    ({"id": "nomethod", "command": "descend", "expression": "x**2", "x0": [1], "method": "newtonx"}, True),
    ({"id": "notset", "command": "descend", "expression": "x**2", "x0": [1], "method": "lbfgs", "lr": 0.1}, True),
    # usage errors: click's own messages, through click
    ({"id": "att", "command": "grad", "expression": "x**2", "att": 3}, False),
    ({"id": "steps-abc", "command": "descend", "expression": "x**2", "x0": [1], "steps": "abc"}, False),
    ({"id": "steps-1.5", "command": "descend", "expression": "x**2", "x0": [1], "steps": 1.5}, False),
    ({"id": "steps-neg", "command": "descend", "expression": "x**2", "x0": [1], "steps": -1}, False),
    ({"id": "lr-word", "command": "descend", "expression": "x**2", "x0": [1], "lr": "fast"}, False),
    ({"id": "lr-flag", "command": "descend", "expression": "x**2", "x0": [1], "lr": True}, False),
    ({"id": "flag-value", "command": "grad", "expression": "x**2", "at": 1, "debug": 1}, False),
    ({"id": "no-flag", "command": "grad", "expression": "x**2", "at": 1, "vars": False}, False),
    ({"id": "twice", "command": "descend", "expression": "x**2", "x0": [1], "max_record": 5, "max-record": 6}, False),
    ({"id": "no-at", "command": "grad", "expression": "x**2"}, False),
    ({"id": "help", "command": "grad", "expression": "x**2", "help": True}, False),
    ({"id": "no-exprs", "command": "jacobian", "at": [1, 2]}, False),
    # the job file's own errors, before any command
    ({"id": "nosuch", "command": "nosuch", "expression": "x"}, False),
    ({"id": "batch", "command": "batch", "jobs": "x.jsonl"}, False),
    ({"id": "list", "command": "grad", "expression": "x", "at": ["a", "b"]}, False),
    ({"id": "nan", "command": "grad", "expression": "x", "at": 1e400}, False),
    ({"id": "both", "command": "grad", "expression": "x", "expressions": "x", "at": 1}, False),
    ("not json at all", False),
    ({"command": "grad", "expression": "x**2", "at": 1}, True),
]


def _jobs() -> list[Job | BadJob]:
    lines = [job if isinstance(job, str) else json.dumps(job) for job, _ in JOBS]
    return read_jobs(lines)


def _as_the_command_prints_it(job: Job | BadJob) -> dict:
    """The result line as reading the command's printed ``--json`` output gives it: the
    batch's way before the direct call, kept here as the reference."""
    if isinstance(job, BadJob):
        return {"id": job.id, "ok": False, "error": {"kind": "input", "message": job.message}}
    try:
        arguments = job_arguments(job)
    except InputError as error:
        return {"id": job.id, "ok": False, "error": {"kind": "input", "message": error.message}, "command": job.command}
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            jobs._click_command().main(args=arguments, prog_name="gradcli", standalone_mode=True)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    try:
        payload = json.loads(stdout.getvalue())
    except ValueError:
        lines = stderr.getvalue().strip().splitlines()
        message = lines[0].removeprefix("error: ") if lines else f"the command exited with status {code}"
        kind = "usage" if code == 2 else "internal"
        return {"id": job.id, "ok": False, "error": {"kind": kind, "message": message}, "command": job.command}
    return {"id": job.id, "ok": code == 0, **payload}


def _line(result: dict) -> str:
    result.pop("seconds", None)  # global's run time: the one value that differs between two runs
    return json_line(result)


def test_the_direct_call_runs_the_good_jobs_and_leaves_usage_errors_to_click():
    for job, (_, direct) in zip(_jobs(), JOBS):
        if isinstance(job, BadJob):
            continue
        try:
            options, expression = job_options(job)
        except InputError:
            assert not direct, job.id
            continue
        assert (jobs._direct_call(job.command, options, expression) is not None) == direct, job.id


@pytest.mark.parametrize("job", _jobs(), ids=lambda job: job.id)
def test_a_result_line_is_byte_for_byte_the_commands_json(job):
    assert _line(run_job(job)) == _line(_as_the_command_prints_it(job))


def test_without_the_direct_call_the_lines_are_the_same(monkeypatch):
    direct = [_line(run_job(job)) for job in _jobs()]
    monkeypatch.setattr(jobs, "_direct_call", lambda *args: None)
    assert [_line(run_job(job)) for job in _jobs()] == direct


def test_usage_errors_keep_clicks_messages_and_kind():
    by_id = {job.id: run_job(job) for job in _jobs()}
    assert by_id["att"]["error"] == {
        "kind": "usage",
        "message": "No such option: --att (Possible options: --at, --atoms)",
    }
    assert by_id["steps-abc"]["error"]["kind"] == "usage"
    assert "'--steps'" in by_id["steps-abc"]["error"]["message"]
    assert by_id["steps-neg"]["error"]["message"] == "Invalid value for '--steps': -1 is not in the range x>=0."
    assert by_id["twice"]["error"]["message"] == "Option '--max-record' is given more than once; give it once."
    assert by_id["no-at"]["error"] == {"kind": "usage", "message": "Missing option '--at'."}
    assert by_id["nosuch"]["error"]["kind"] == "input"
    assert by_id["dom"] == {
        "id": "dom",
        "ok": False,
        "command": "force",
        "error": {"kind": "domain", "message": "log of a negative number (-1) at x=-1"},
    }


def test_a_job_cannot_change_what_the_next_job_gets_by_default():
    # The defaults worked out once are shared by every job: a job's list option must not leak.
    first = Job("a", "descend", {"expression": "(x-1)**2+(y-2)**2", "x0": [0, 0], "fix": "y"})
    second = Job("b", "descend", {"expression": "(x-1)**2+(y-2)**2", "x0": [0, 0]})
    assert run_job(first)["fixed"] == {"y": None}
    assert run_job(second)["fixed"] == {}
    assert run_job(second)["x"] == pytest.approx([1.0, 2.0])
