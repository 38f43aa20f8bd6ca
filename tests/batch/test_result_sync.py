"""A results file is synced to disk at least every SYNC_SECONDS and when the batch ends (a sync
after every line would cost as much as a small job); every line is flushed at once, so a killed
batch loses nothing. A pipe or an in-memory stream is only flushed."""

from __future__ import annotations

import io
import os

from cli_helpers import invoke

from gradcli.batch.results import SYNC_SECONDS, ResultWriter


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_file_is_synced_at_its_first_line_then_once_a_sync_is_old(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", synced.append)
    clock = Clock()
    path = tmp_path / "out.jsonl"
    with open(path, "a", encoding="utf-8") as stream:
        writer = ResultWriter(stream, clock=clock)
        writer.write({"id": "a", "ok": True})
        assert synced == [stream.fileno()]
        clock.now += SYNC_SECONDS / 2
        writer.write_line('{"id": "b", "ok": false}\n')
        # Not synced yet, but flushed: another reader (or a resumed batch) sees the line now.
        assert len(synced) == 1 and path.read_text().count("\n") == 2
        clock.now += SYNC_SECONDS / 2
        writer.write({"id": "c", "ok": True})
        assert len(synced) == 2
        writer.sync()  # nothing written since
        assert len(synced) == 2
        clock.now += 0.1
        writer.write({"id": "d", "ok": True})
        writer.sync()  # the batch's end: the last lines reach the disk
        assert synced == [stream.fileno()] * 3
    assert path.read_text().splitlines()[1] == '{"id": "b", "ok": false}'


def test_a_pipe_or_a_string_buffer_is_not_synced(monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", synced.append)
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe, os.fdopen(read) as reader:
        writer = ResultWriter(pipe)
        writer.write({"id": "a", "ok": True})
        writer.sync()
        pipe.close()
        assert reader.read() == '{"id": "a", "ok": true}\n'
    buffer = io.StringIO()
    ResultWriter(buffer).write({"id": "a", "ok": True})
    assert synced == [] and buffer.getvalue() == '{"id": "a", "ok": true}\n'


def test_the_batch_command_syncs_its_results_file_when_it_ends(tmp_path, monkeypatch):
    sizes_synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (sizes_synced.append(os.fstat(fd).st_size), real_fsync(fd)))
    jobs = tmp_path / "jobs.jsonl"
    job = '{{"id": "j{0}", "command": "grad", "expression": "x**2", "at": {0}}}\n'
    jobs.write_text("".join(job.format(i) for i in range(3)))
    out = tmp_path / "out.jsonl"
    result = invoke("batch", str(jobs), "-o", str(out))
    assert result.exit_code == 0
    lines = out.read_text().splitlines(keepends=True)
    assert [line.split(",")[0] for line in lines] == ['{"id": "j0"', '{"id": "j1"', '{"id": "j2"']
    # The first line is synced at once, and everything by the end.
    assert sizes_synced[0] == len(lines[0]) and sizes_synced[-1] == out.stat().st_size
