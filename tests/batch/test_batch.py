"""gradcli batch: job files, result lines, exit codes, resume after a kill, executors."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from gradcli.batch import BadJob, Job, read_jobs
from gradcli.batch.executors import make_executor
from gradcli.cli.app import app
from gradcli.cli.jobs import job_arguments, run_job
from gradcli.errors import InputError, MissingExtraError

MIXED = [
    {"id": "a1", "command": "descend", "expression": "x**4-10*x**2+5", "x0": [3], "lr": 0.01},
    {"id": "a2", "command": "grad", "expression": "x**2*y", "at": {"x": 1, "y": 2}},
    "not json at all",
    {"id": "a3", "command": "force", "expression": "log(x)", "at": -1},
    {"id": "a4", "command": "derivative", "expression": "sin(x)", "at": 0.5, "order": 3},
    {"id": "a5", "command": "force-constant", "expression": "k*x**2", "param": {"k": 2}, "at": 1},
    {"id": "a6", "command": "nosuch", "expression": "x"},
    {"id": "a7", "command": "grad", "expression": "x**2", "att": 3},
]


def _write(path, jobs) -> str:
    path.write_text("".join((j if isinstance(j, str) else json.dumps(j)) + "\n" for j in jobs))
    return str(path)


def _lines(text: str) -> dict[str, dict]:
    results = [json.loads(line) for line in text.splitlines() if line.strip()]
    by_id = {r["id"]: r for r in results}
    assert len(by_id) == len(results), "an id appears twice"
    return by_id


def _batch(*args, input=None):
    return CliRunner().invoke(app, ["batch", *args], input=input)


def test_mixed_jobs_give_one_line_each_and_the_batch_goes_on_after_bad_ones(tmp_path):
    result = _batch(_write(tmp_path / "jobs.jsonl", MIXED))
    assert result.exit_code == 1
    by_id = _lines(result.stdout)
    assert set(by_id) == {"a1", "a2", "line 3", "a3", "a4", "a5", "a6", "a7"}
    # the values are the commands' own: sqrt(5) is the double well's minimum; d/dx of x^2 y at (1, 2) is 4
    assert by_id["a1"]["ok"] and by_id["a1"]["status"] == "converged"
    assert by_id["a1"]["x"][0] == pytest.approx(math.sqrt(5), abs=1e-8)
    assert by_id["a2"]["ok"] and by_id["a2"]["value"] == 2.0 and by_id["a2"]["gradient"] == [4.0, 1.0]
    assert by_id["a4"]["derivatives"] == pytest.approx([math.sin(0.5), math.cos(0.5), -math.sin(0.5), -math.cos(0.5)])
    assert by_id["a5"]["hessian"] == [[4.0]]
    assert by_id["line 3"] == {
        "id": "line 3",
        "ok": False,
        "error": {"kind": "input", "message": "line 3: not a JSON object: Expecting value at column 1"},
    }
    assert by_id["a3"]["error"] == {"kind": "domain", "message": "log of a negative number (-1) at x=-1"}
    assert by_id["a6"]["error"]["kind"] == "input"
    assert by_id["a6"]["error"]["message"].startswith(
        "unknown command 'nosuch'; a job runs one of: basins, derivative,"
    )
    assert by_id["a7"]["error"] == {
        "kind": "usage",
        "message": "No such option: --att (Possible options: --at, --atoms)",
    }
    assert "8 of 8 jobs ran: 4 ok, 4 failed (failed: line 3, a3, a6, a7)" in result.stderr


def test_all_good_jobs_exit_0_and_stdin_works():
    text = json.dumps({"id": 1, "command": "grad", "expression": "x**3", "at": 2}) + "\n"
    result = _batch("-", input=text)
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert (line["id"], line["ok"], line["value"], line["gradient"]) == ("1", True, 8.0, [12.0])


@pytest.mark.parametrize(
    "setup, message",
    [
        (
            lambda p: str(p / "missing.jsonl"),
            "error: cannot read the job file {p}/missing.jsonl: No such file or directory",
        ),
        (lambda p: str(p), "error: cannot read the job file {p}: it is a folder"),
        (
            lambda p: (p / "latin.jsonl").write_bytes(b'{"id": "\xe9"}\n') and str(p / "latin.jsonl"),
            "error: cannot read the job file {p}/latin.jsonl: it is not UTF-8 text (byte 8)",
        ),
    ],
)
def test_an_unreadable_job_file_exits_2(tmp_path, setup, message):
    result = _batch(setup(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == message.format(p=tmp_path)


def test_resume_needs_an_output_file_and_an_existing_output_is_never_overwritten(tmp_path):
    jobs = _write(tmp_path / "jobs.jsonl", MIXED[:2])
    result = _batch(jobs, "--resume")
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        "error: --resume needs --output FILE (the results to resume from)",
    )
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "old", "ok": true}\n')
    result = _batch(jobs, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {out} already holds results: add --resume to finish that batch, or remove the file"
    )
    assert out.read_text() == '{"id": "old", "ok": true}\n'


def test_resume_cuts_a_partial_last_line_and_runs_only_what_is_missing(tmp_path):
    jobs = _write(tmp_path / "jobs.jsonl", MIXED[:2])
    out = tmp_path / "out.jsonl"
    full = _batch(jobs, "-o", str(out))
    assert full.exit_code == 0
    first, second = out.read_text().splitlines()
    out.write_text(first + "\n" + second[: len(second) // 2])  # killed in the middle of the second line
    resumed = _batch(jobs, "-o", str(out), "--resume")
    assert resumed.exit_code == 0
    assert "1 of 1 jobs ran: 1 ok, 0 failed; 1 already done (--resume)" in resumed.stderr
    assert _lines(out.read_text()) == _lines(first + "\n" + second)


def test_job_arguments_map_keys_to_options():
    job = Job(
        "a",
        "descend",
        {
            "expression": "-x**2",
            "x0": {"x": 1, "y": 2.5},
            "lr": 0.1,
            "plot": None,
            "param": ["k=2"],
            "climb": False,
            "debug": True,
        },
    )
    assert job_arguments(job) == [
        "descend",
        "--x0",
        "x=1,y=2.5",
        "--lr",
        "0.1",
        "--param",
        "k=2",
        "--no-climb",
        "--debug",
        "--json",
        "--",
        "-x**2",
    ]
    for options, message in [
        ({"x0": [1, True]}, "option 'x0': expected a number, a string, a list of numbers or an object of numbers"),
        ({"lr": float("nan")}, "numbers in a job must be finite"),
        ({"expression": 3}, "'expression' must be a string"),
    ]:
        with pytest.raises(InputError) as caught:
            job_arguments(Job("b", "descend", options))
        assert caught.value.message == message
    assert run_job(Job("c", "batch", {}))["error"]["message"] == "a job cannot run the 'batch' command"


def test_bad_job_lines_are_named_by_line_and_id():
    jobs = read_jobs(
        [
            '{"id": "a", "command": "grad"}',
            "",
            "# a comment",
            "[1, 2]",
            '{"id": "a", "command": "grad"}',
            '{"id": true, "command": "grad"}',
            '{"command": 3}',
            '{"id": "n", "command": "grad", "lr": NaN}',
            '{"id": "d", "id": "e", "command": "grad"}',
        ]
    )
    assert jobs[0] == Job("a", "grad", {})
    assert [(j.id, j.message) for j in jobs[1:]] == [
        ("line 4", "line 4: a job is a JSON object, got list"),
        ("a", "line 5: the id 'a' is used by an earlier job"),
        ("line 6", "line 6: 'id' must be a string or an integer"),
        ("line 7", 'line 7: the job has no \'command\' (e.g. "command": "descend")'),
        ("line 8", "line 8: not a JSON object: NaN is not a JSON number"),
        ("line 9", "line 9: not a JSON object: key 'id' appears twice"),
    ]
    assert all(isinstance(j, BadJob) for j in jobs[1:])


def test_a_missing_dask_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(MissingExtraError) as caught:
        make_executor(dask_local=1)
    message = (
        "the Dask executor (--scheduler, --dask-local) needs the optional extra 'dask': pip install \"gradcli[dask]\""
    )
    assert caught.value.message == message
    result = _batch(_write(tmp_path / "jobs.jsonl", MIXED[:1]), "--dask-local", "1")
    assert (result.exit_code, result.stderr.strip()) == (2, "error: " + message)


def test_one_executor_at_a_time():
    with pytest.raises(InputError) as caught:
        make_executor(workers=2, dask_local=2)
    assert caught.value.message == "choose one executor: --workers and --dask-local were both given"


# --- real processes: a kill in the middle, and the three executors ----------------------------

# One potential (compiled once per process) and jobs of a few thousand steps each, so a
# kill lands mid-batch while the whole file stays quick.
SLOW_JOBS = [
    {
        "id": f"j{i}",
        "command": "descend",
        "expression": "(1-x)**2 + 100*(y-x**2)**2",
        "x0": [-1 - i / 100, 1],
        "lr": 1e-4,
        "steps": 5000,
        "tol": 0,
    }
    for i in range(24)
]


def _cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "gradcli.cli.app", *args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def slow_jobs(tmp_path_factory):
    path = tmp_path_factory.mktemp("jobs") / "slow.jsonl"
    _write(path, SLOW_JOBS)
    reference = CliRunner().invoke(app, ["batch", str(path)])
    return str(path), _lines(reference.stdout)


@pytest.mark.slow
def test_a_killed_batch_resumes_with_every_id_once_and_the_same_results(tmp_path, slow_jobs):
    jobs, reference = slow_jobs
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "gradcli.cli.app", "batch", jobs, "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.read_text().count("\n") < 5):
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = out.read_text().count("\n")
    assert 5 <= before < len(reference), "the kill should land mid-batch"
    resumed = _cli("batch", jobs, "-o", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert _lines(out.read_text()) == reference


@pytest.mark.slow
@pytest.mark.parametrize("executor", [["--workers", "2"], ["--dask-local", "2"]])
def test_executors_give_the_in_process_results(slow_jobs, executor):
    pytest.importorskip("dask.distributed")
    jobs, reference = slow_jobs
    result = _cli("batch", jobs, *executor)
    assert result.returncode == 0, result.stderr
    assert _lines(result.stdout) == reference


@pytest.mark.slow
def test_a_separate_dask_scheduler_and_worker(slow_jobs, tmp_path):
    pytest.importorskip("dask.distributed")
    import socket

    jobs, reference = slow_jobs
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-address",
            ":0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--dashboard-address", ":0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        result = _cli("batch", jobs, "--scheduler", address, timeout=120)
    finally:
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    assert result.returncode == 0, result.stderr
    assert _lines(result.stdout) == reference


@pytest.mark.slow
def test_a_thousand_jobs_on_one_potential_compile_it_once(tmp_path, monkeypatch):
    from gradcli.frontend import cache
    from gradcli.frontend.potential import Potential

    made = []
    real_init = Potential.__init__

    def counting_init(self, *args, **kwargs):
        made.append(args[0])
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Potential, "__init__", counting_init)
    cache.clear()
    jobs = [{"id": i, "command": "grad", "expression": "x**4-10*x**2+5", "at": i / 100} for i in range(1000)]
    result = _batch(_write(tmp_path / "jobs.jsonl", jobs))
    assert result.exit_code == 0
    assert len(_lines(result.stdout)) == 1000
    assert made == ["x**4-10*x**2+5"]
