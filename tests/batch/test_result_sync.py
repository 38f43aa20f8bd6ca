"""Every result line written to a results file is synced to disk; a pipe or an
in-memory stream is only flushed."""

from __future__ import annotations

import io
import os

from gradcli.batch.results import ResultWriter


def test_each_line_to_a_file_is_synced(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", synced.append)
    with open(tmp_path / "out.jsonl", "a", encoding="utf-8") as stream:
        writer = ResultWriter(stream)
        writer.write({"id": "a", "ok": True})
        writer.write_line('{"id": "b", "ok": false}\n')
        assert synced == [stream.fileno()] * 2
    assert (tmp_path / "out.jsonl").read_text() == '{"id": "a", "ok": true}\n{"id": "b", "ok": false}\n'


def test_a_pipe_or_a_string_buffer_is_not_synced(monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", synced.append)
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe, os.fdopen(read) as reader:
        ResultWriter(pipe).write({"id": "a", "ok": True})
        pipe.close()
        assert reader.read() == '{"id": "a", "ok": true}\n'
    buffer = io.StringIO()
    ResultWriter(buffer).write({"id": "a", "ok": True})
    assert synced == [] and buffer.getvalue() == '{"id": "a", "ok": true}\n'
