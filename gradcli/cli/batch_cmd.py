"""The batch command: many jobs from a JSON Lines file, results as JSON Lines."""

import os
import sys
from typing import Annotated

import typer

from gradcli.cli.options import Run, command
from gradcli.cli.status import ExitStatus
from gradcli.errors import InputError


@command("batch", common=("debug",))
def batch(
    run: Run,
    jobs: Annotated[
        str, typer.Argument(metavar="JOBS.jsonl", help="The job file, one JSON job per line; '-' reads stdin.")
    ],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write result lines to FILE (default: stdout)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip the jobs whose ids are already in --output; append the rest.")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", metavar="N", help="Run jobs in N processes.")] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="ADDRESS", help="Run jobs on a Dask cluster, e.g. tcp://host:8786."),
    ] = None,
    dask_local: Annotated[
        int | None,
        typer.Option("--dask-local", metavar="N", help="Start a local Dask cluster of N workers for the run."),
    ] = None,
):
    """Run many jobs: one JSON object per line, the keys a command's options.

    Each result line is the command's own --json object plus "id" and "ok",
    written whole and flushed as soon as the job ends; a bad job gives its
    error object and the batch goes on. Exit 0 when every job succeeded, 1
    when some failed, 2 when the job file cannot be read.

    Example:  echo '{"id": "a1", "command": "descend", "expression": "x**2", "x0": [3]}' | gradcli batch -
    """
    code = _batch(jobs, output, resume, workers, scheduler, dask_local)
    if code:
        raise typer.Exit(code)


def _batch(jobs_path, output, resume, workers, scheduler, dask_local) -> int:
    from gradcli.batch import ResultWriter, finished_ids, make_executor
    from gradcli.batch.jobfile import read_job_file
    from gradcli.cli.jobs import WORKER_PRELOAD, run_job_line

    if resume and output is None:
        raise InputError("--resume needs --output FILE (the results to resume from)")
    if output is not None and not resume and os.path.exists(output) and os.path.getsize(output) > 0:
        raise InputError(f"{output} already holds results: add --resume to finish that batch, or remove the file")
    jobs = read_job_file(jobs_path)
    done = finished_ids(output) if resume else set()
    todo = [job for job in jobs if job.id not in done]
    stream = sys.stdout if output is None else _open_output(output)
    failed: list[str] = []
    finished = 0
    executor = make_executor(workers, scheduler, dask_local, preload=WORKER_PRELOAD)
    writer = ResultWriter(stream)
    try:
        with executor, _progress(len(todo), output is None) as advance:
            for job_id, ok, line in executor.map_unordered(run_job_line, todo):
                writer.write_line(line)
                finished += 1
                if not ok:
                    failed.append(job_id)
                advance()
    except KeyboardInterrupt:
        _summary(finished, len(todo), failed, len(done), interrupted=True)
        return ExitStatus.INTERRUPTED
    finally:
        writer.sync()
        if stream is not sys.stdout:
            stream.close()
    _summary(finished, len(todo), failed, len(done))
    return ExitStatus.FAILURE if failed else ExitStatus.SUCCESS


def _open_output(path: str):
    try:
        return open(path, "a", encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write the results file {path}: {error.strerror or error}") from None


def _summary(finished: int, total: int, failed: list[str], skipped: int, interrupted: bool = False) -> None:
    parts = [f"{finished} of {total} jobs ran: {finished - len(failed)} ok, {len(failed)} failed"]
    if skipped:
        parts.append(f"{skipped} already done (--resume)")
    text = "; ".join(parts)
    if failed:
        shown = ", ".join(failed[:10]) + (f", ... ({len(failed) - 10} more)" if len(failed) > 10 else "")
        text += f" (failed: {shown})"
    if interrupted:
        text = "interrupted: " + text + "; --resume finishes the rest"
    sys.stderr.write(text + "\n")


class _NoProgress:
    def __enter__(self):
        return lambda: None

    def __exit__(self, *exc):
        return False


def _progress(total: int, results_on_stdout: bool):
    """A progress bar on stderr for a person at a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or total < 2 or (results_on_stdout and sys.stdout.isatty()):
        return _NoProgress()
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    @contextmanager
    def bar():
        with Progress(
            "jobs",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        ) as progress:
            task = progress.add_task("jobs", total=total)
            yield lambda: progress.advance(task)

    return bar()
