"""Result lines: one JSON object per job, written whole and flushed.

Each result is written with a single ``write`` of the whole line followed by
a flush, so a batch killed at any moment leaves only complete lines (and at
worst one partial last line, which ``finished_ids`` ignores and cuts off
before a resumed batch appends): a flushed line belongs to the operating
system, which writes it out even if the batch is killed. A results file (not a
pipe or a terminal) is also synced to disk at least every ``SYNC_SECONDS`` and
when the batch ends, so a crash of the whole machine loses at most the last
second's lines (a sync after every line would cost as much as a small job).

>>> import io
>>> out = io.StringIO()
>>> ResultWriter(out).write({"id": "a1", "ok": True, "value": 1.0})
>>> out.getvalue()
'{"id": "a1", "ok": true, "value": 1.0}\\n'
"""

from __future__ import annotations

import json
import math
import os
import stat
import time

from gradcli.errors import InputError

#: A results file is synced to disk at least this often (seconds) while lines are written.
SYNC_SECONDS = 1.0


def line_of(result: dict) -> str:
    """``result`` as one line of strict JSON (non-finite numbers must already be None)."""
    return json.dumps(result, allow_nan=False, ensure_ascii=True) + "\n"


class ResultWriter:
    """Writes result lines to an open text stream, one whole line at a time; ``sync()`` when done.

    ``clock`` (seconds, monotonic) decides when a results file is next synced.
    """

    def __init__(self, stream, clock=time.monotonic):
        self.stream = stream
        self.descriptor = _regular_file(stream)
        self.clock = clock
        self.synced_at = -math.inf
        self.unsynced = False

    def write(self, result: dict) -> None:
        self.write_line(line_of(result))

    def write_line(self, line: str) -> None:
        """Write one whole result line (``line_of`` a result) and flush it; sync a results file
        when the last sync is ``SYNC_SECONDS`` old."""
        self.stream.write(line)
        self.stream.flush()
        if self.descriptor is not None:
            self.unsynced = True
            if self.clock() - self.synced_at >= SYNC_SECONDS:
                self.sync()

    def sync(self) -> None:
        """Sync a results file's lines written since the last sync to disk (nothing for a pipe)."""
        if self.descriptor is not None and self.unsynced:
            os.fsync(self.descriptor)
            self.synced_at = self.clock()
            self.unsynced = False


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
