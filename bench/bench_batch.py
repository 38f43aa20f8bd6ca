"""Batch runs against their baselines, side by side in one run (issue 12, W5).

    python bench/bench_batch.py [--jobs 1000] [--separate 100] [--rounds 3] [--slow-jobs 120] [--slow-steps 150000]

(a) ``--jobs`` descend jobs on ten potentials through ``gradcli batch`` (one
    process) against separate ``gradcli descend ... --json`` processes, twice: the
    jobs as typed (``--x0`` only: the default method converges in 5-52 steps) and
    long ones (``--lr 0.01 --steps 20000``: 3,500 steps and a 1,000-point
    trajectory on average). Running 1000 processes takes minutes, so
    ``--separate`` of them are timed and the per-process median scales to the
    same count (said in the output). ``--rounds`` batches are timed, each followed
    by its share of the separate processes.
(b) ``--slow-jobs`` fixed-step descents (tol 0) of ``--slow-steps`` steps each with
    one worker against ``--workers 2`` (the job's length is printed); the start-up of each (a batch of two
    quick jobs) is timed too and the ratio given without it.
    Beside it, the same pure-Python loop in one process against two at once: the
    most that two processes can gain on this machine at that moment.
(c) Quick grad jobs in-process against a Dask ``LocalCluster`` of two workers
    (``--dask-local 2``): the cluster's start-up and the Dask overhead per job
    after it; and the long descend jobs of (a) on each.
Every process is timed by the wall clock and by the CPU time it used (user +
system, its children's included): on a machine shared with other work the CPU
times say what an idle machine would show. Run by hand, never in CI.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

POTENTIALS = [
    ("x**4-10*x**2+5", [3]),
    ("(x-1)**2 + 10*(y-x**2)**2", [-1, 1]),
    ("0.5*(x**2+4*y**2)", [1, 1]),
    ("(x**2+y-11)**2+(x+y**2-7)**2", [0.5, 0.5]),
    ("(1-exp(-(x-0.74)))**2", [1.2]),
    ("x**2 + y**2 + z**2 + x*y", [1, 2, 3]),
    ("cosh(x) + y**2", [0.5, 0.3]),
    ("(x**2 + y**2 - 1)**2 + 0.1*x", [0.5, 0.2]),
    ("x**6 - 3*x**2 + y**2", [0.9, 0.4]),
    ("log(1+x**2) + y**4 + y**2", [0.7, 0.7]),
]


#: The long jobs' settings: a fixed step, up to 20,000 of them.
LONG = {"lr": 0.01, "steps": 20000}


def _jobs(count: int, settings: dict | None = None) -> list[dict]:
    """``count`` descend jobs on the ten potentials, from starts shifted a little each round, with
    ``settings`` (default ``LONG``; ``{}``: the command's defaults)."""
    settings = LONG if settings is None else settings
    jobs = []
    for i in range(count):
        expression, x0 = POTENTIALS[i % len(POTENTIALS)]
        shift = 0.01 * (i // len(POTENTIALS))
        jobs.append(
            {
                "id": f"j{i}",
                "command": "descend",
                "expression": expression,
                "x0": [c + shift for c in x0],
                **settings,
            }
        )
    return jobs


def _descend_argv(gradcli: list[str], job: dict) -> list[str]:
    """The separate ``gradcli descend`` process that runs ``job``."""
    options = [item for key in ("lr", "steps") if key in job for item in (f"--{key}", str(job[key]))]
    return [*gradcli, "descend", "--x0", ",".join(map(str, job["x0"])), *options, "--json", "--", job["expression"]]


def _write(jobs, folder) -> str:
    path = os.path.join(folder, f"jobs{len(jobs)}-{time.monotonic_ns()}.jsonl")
    with open(path, "w") as handle:
        for job in jobs:
            handle.write(json.dumps(job) + "\n")
    return path


def _time(argv) -> float:
    return _times(argv)[0]


def _times(argv) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


SPIN = "x = 0\nfor i in range(10_000_000):\n    x += i"


def _two_processes_gain() -> float:
    """Work done by two pure-Python processes at once, over one alone (2.0 on two idle cores)."""
    argv = [sys.executable, "-c", SPIN]
    one = _time(argv)
    start = time.perf_counter()
    both = [subprocess.Popen(argv) for _ in range(2)]
    for process in both:
        process.wait()
    return 2 * one / (time.perf_counter() - start)


def _versus_separate(gradcli: list[str], jobs: list[dict], name: str, args, folder: str) -> None:
    """(a) for one set of jobs: the batch in rounds, each followed by its share of the separate processes."""
    batch_file = _write(jobs, folder)
    # Rounds of one batch, then a share of the separate processes: this VM's speed drifts by tens of
    # per cent from minute to minute, and timing the two side by side in each round keeps the
    # drift out of the ratio (each round's ratio is printed; the medians give the figure).
    rounds = max(1, min(args.rounds, args.separate))
    batches, per_process, per_process_cpu, round_ratios = [], [], [], []
    for r in range(rounds):
        batches.append(_times([*gradcli, "batch", batch_file]))
        share = []
        for job in jobs[r * args.separate // rounds : (r + 1) * args.separate // rounds]:
            wall, cpu = _times(_descend_argv(gradcli, job))
            share.append(wall)
            per_process_cpu.append(cpu)
        per_process.extend(share)
        round_ratios.append(statistics.median(share) * args.jobs / batches[-1][0])
    batch = statistics.median(b[0] for b in batches)
    batch_cpu = statistics.median(b[1] for b in batches)
    start_up, start_up_cpu = _times([*gradcli, "batch", _write(jobs[:1], folder)])
    separate = statistics.median(per_process) * args.jobs
    separate_cpu = statistics.median(per_process_cpu) * args.jobs
    print(
        f"(a) {args.jobs} descend jobs, {name}: gradcli batch {batch:.2f} s (median of {rounds}); separate "
        f"processes {separate:.1f} s ({args.separate} timed, median {statistics.median(per_process) * 1e3:.0f} ms "
        f"each, scaled to {args.jobs}); batch is {separate / batch:.0f}x faster "
        f"(rounds: {', '.join(f'{ratio:.0f}x' for ratio in round_ratios)})"
    )
    job_wall = (batch - start_up) / (args.jobs - 1)
    job_cpu = (batch_cpu - start_up_cpu) / (args.jobs - 1)
    print(
        f"    CPU time: batch {batch_cpu:.2f} s, separate {separate_cpu:.1f} s "
        f"(median {statistics.median(per_process_cpu) * 1e3:.0f} ms each): {separate_cpu / batch_cpu:.0f}x; "
        f"a batch of one job {start_up:.2f} s ({start_up_cpu:.2f} s CPU), so a job costs "
        f"{job_wall * 1e3:.1f} ms ({job_cpu * 1e3:.1f} ms CPU)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--separate", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="(a): batches, each followed by a share of --separate")
    parser.add_argument("--slow-jobs", type=int, default=120)
    parser.add_argument("--slow-steps", type=int, default=150_000, help="steps of each (b) job")
    args = parser.parse_args()
    gradcli = [sys.executable, "-m", "gradcli.cli.app"]
    print(
        f"# {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, settings in (("as typed (--x0 only)", {}), ("long (--lr 0.01 --steps 20000)", LONG)):
            _versus_separate(gradcli, _jobs(args.jobs, settings), name, args, folder)

        slow = [
            {
                "id": f"s{i}",
                "command": "descend",
                "expression": f"(x-{i % 7})**2 + (y+{i % 5})**2",
                "x0": [0, 0],
                "lr": 0.001,
                "steps": args.slow_steps,
                "tol": 0,
            }
            for i in range(args.slow_jobs)
        ]
        path = _write(slow, folder)
        one = _time([*gradcli, "batch", path])
        two = _time([*gradcli, "batch", path, "--workers", "2"])
        quick = _write([{"id": f"u{i}", "command": "grad", "expression": "x**2", "at": 1} for i in range(2)], folder)
        one_start = _time([*gradcli, "batch", quick])
        two_start = _time([*gradcli, "batch", quick, "--workers", "2"])
        print(
            f"(b) {args.slow_jobs} jobs of ~{one / args.slow_jobs * 1e3:.0f} ms: one worker {one:.2f} s, "
            f"--workers 2 {two:.2f} s: {one / two:.2f}x faster; start-up (two quick jobs) {one_start:.2f} s "
            f"and {two_start:.2f} s, without it {(one - one_start) / (two - two_start):.2f}x; two pure-Python "
            f"processes at once do {_two_processes_gain():.2f}x the work of one"
        )

        quick = [
            {"id": f"q{i}", "command": "grad", "expression": POTENTIALS[i % 10][0], "at": POTENTIALS[i % 10][1]}
            for i in range(2000)
        ]
        two, many = _write(quick[:2], folder), _write(quick, folder)
        dask = [*gradcli, "batch", "--dask-local", "2"]
        local_two, local_many = _time([*gradcli, "batch", two]), _time([*gradcli, "batch", many])
        dask_two, dask_many = _time([*dask, two]), _time([*dask, many])
        long_jobs = _write(_jobs(args.jobs), folder)
        local_long, dask_long = _time([*gradcli, "batch", long_jobs]), _time([*dask, long_jobs])
        print(
            f"(c) Dask LocalCluster(2) against in-process: start-up (two grad jobs) {dask_two:.2f} s against "
            f"{local_two:.2f} s; 2000 grad jobs {dask_many:.2f} s against {local_many:.2f} s, so "
            f"{((dask_many - dask_two) - (local_many - local_two)) / 1998 * 1e3:.2f} ms more per job after the "
            f"start-up; {args.jobs} long descend jobs {dask_long:.2f} s against {local_long:.2f} s"
        )


if __name__ == "__main__":
    main()
