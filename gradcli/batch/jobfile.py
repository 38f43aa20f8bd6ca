"""The job file: JSON Lines, one job object per line.

A job is ``{"id": "a1", "command": "descend", "expression": "x**2", "x0": [3]}``:
``id`` names it in the results (unique; a line without one is named by its
line number), ``command`` is a gradcli command, and every other key is one of
that command's options. A line that is not such an object becomes a
``BadJob`` (reported as a failed result); the batch goes on.

>>> jobs = read_jobs(['{"id": "a", "command": "grad", "expression": "x**2", "at": 3}', "oops"])
>>> [type(j).__name__ for j in jobs], jobs[1].message
(['Job', 'BadJob'], 'line 2: not a JSON object: Expecting value at column 1')
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from gradcli.errors import InputError

#: A job line longer than this is refused (an expression is at most 100,000 characters).
MAX_LINE = 1_000_000


@dataclass(frozen=True)
class Job:
    """One job: its id, its command, and the command's options by name."""

    id: str
    command: str
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BadJob:
    """A job line that cannot run; ``message`` says why (with the line number)."""

    id: str
    message: str


def _strict_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _parse(text: str) -> object:
    # Strict JSON: NaN and Infinity are not JSON; a duplicated key is ambiguous.
    def no_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"key {key!r} appears twice")
            seen[key] = value
        return seen

    return json.loads(text, parse_constant=_strict_constant, object_pairs_hook=no_duplicates)


def read_jobs(lines: Iterable[str]) -> list[Job | BadJob]:
    """Jobs from JSON Lines text (blank lines and lines starting with ``#`` are skipped).

    ``lines``: an iterable of str (a file opened as text). Returns one ``Job``
    or ``BadJob`` per non-blank line, in order.
    """
    jobs: list[Job | BadJob] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        fallback = f"line {number}"
        if len(text) > MAX_LINE:
            jobs.append(BadJob(fallback, f"line {number}: longer than {MAX_LINE:,} characters"))
            continue
        try:
            data = _parse(text)
        except (ValueError, RecursionError) as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            where = f" at column {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
            jobs.append(BadJob(fallback, f"line {number}: not a JSON object: {reason}{where}"))
            continue
        if not isinstance(data, dict):
            jobs.append(BadJob(fallback, f"line {number}: a job is a JSON object, got {type(data).__name__}"))
            continue
        raw_id = data.pop("id", fallback)
        if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
            jobs.append(BadJob(fallback, f"line {number}: 'id' must be a string or an integer"))
            continue
        job_id = str(raw_id)
        if job_id in seen:
            jobs.append(BadJob(job_id, f"line {number}: the id {job_id!r} is used by an earlier job"))
            continue
        seen.add(job_id)
        command = data.pop("command", None)
        if not isinstance(command, str) or not command:
            jobs.append(BadJob(job_id, f'line {number}: the job has no \'command\' (e.g. "command": "descend")'))
            continue
        jobs.append(Job(job_id, command, data))
    return jobs


def open_job_file(path: str):
    """The job file opened as UTF-8 text (``-``: standard input); InputError if unreadable."""
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8", errors="strict")
    except IsADirectoryError:
        raise InputError(f"cannot read the job file {path}: it is a folder") from None
    except OSError as error:
        raise InputError(f"cannot read the job file {path}: {error.strerror or error}") from None


def read_job_file(path: str) -> list[Job | BadJob]:
    """``read_jobs`` of the file at ``path`` (``-``: stdin); InputError when it cannot be read as text."""
    handle = open_job_file(path)
    try:
        return read_jobs(handle)
    except UnicodeDecodeError as error:
        raise InputError(f"cannot read the job file {path}: it is not UTF-8 text (byte {error.start})") from None
    finally:
        if handle is not sys.stdin:
            handle.close()
