"""Result lines: one JSON object per job, written whole and flushed.

Each result is written with a single ``write`` of the whole line followed by
a flush, so a batch killed at any moment leaves only complete lines (and at
worst one partial last line, which ``finished_ids`` ignores and cuts off
before a resumed batch appends). A results file (not a pipe or a terminal) is
also synced to disk after each line, so a crash of the machine loses no line
that was reported written either.

>>> import io
>>> out = io.StringIO()
>>> ResultWriter(out).write({"id": "a1", "ok": True, "value": 1.0})
>>> out.getvalue()
'{"id": "a1", "ok": true, "value": 1.0}\\n'
"""

from __future__ import annotations

import json
import os
import stat

from gradcli.errors import InputError


def line_of(result: dict) -> str:
    """``result`` as one line of strict JSON (non-finite numbers must already be None)."""
    return json.dumps(result, allow_nan=False, ensure_ascii=True) + "\n"


class ResultWriter:
    """Writes result lines to an open text stream, one whole line at a time."""

    def __init__(self, stream):
        self.stream = stream
        self.descriptor = _regular_file(stream)

    def write(self, result: dict) -> None:
        self.write_line(line_of(result))

    def write_line(self, line: str) -> None:
        """Write one whole result line (``line_of`` a result) and flush it."""
        self.stream.write(line)
        self.stream.flush()
        if self.descriptor is not None:
            os.fsync(self.descriptor)


def _regular_file(stream) -> int | None:
    """The descriptor of ``stream`` when it is a regular file (which fsync syncs), else None."""
    try:
        descriptor = stream.fileno()
        return descriptor if stat.S_ISREG(os.fstat(descriptor).st_mode) else None
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return None


def finished_ids(path: str) -> set[str]:
    """The ids of the complete result lines in ``path`` (none if it does not exist).

    A partial last line (a batch killed while writing) is cut off, so that
    lines appended afterwards start on a line of their own.
    """
    if not os.path.exists(path):
        return set()
    try:
        with open(path, "rb+") as handle:
            data = handle.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                handle.truncate(end)
    except OSError as error:
        raise InputError(f"cannot read the results file {path} to resume: {error.strerror or error}") from None
    ids = set()
    for number, raw in enumerate(data[:end].splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
            ids.add(str(record["id"]))
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}, line {number}: not a gradcli result line; cannot resume from it") from None
    return ids
