"""A process pool sends jobs in chunks (sized from how long the jobs take) and gives
back every result once, whatever the chunking."""

from __future__ import annotations

import pytest

from gradcli.batch import Job
from gradcli.batch.executors import YOUNG_OBJECTS, InProcess, ProcessPool
from gradcli.cli.jobs import run_job, run_job_line
from gradcli.cli.output import json_line


@pytest.mark.parametrize("count", [1, 7, 500])
def test_every_item_comes_back_once(count):
    items = list(range(-count, 0))
    with ProcessPool(2) as pool:
        results = list(pool.map_unordered(abs, items))
    assert sorted(results) == list(range(1, count + 1))


def test_a_workers_line_is_the_line_of_the_jobs_result():
    job = Job("a", "grad", {"expression": "x**3", "at": 2})
    assert run_job_line(job) == ("a", True, json_line(run_job(job)))
    bad = Job("b", "grad", {"expression": "x**3", "att": 2})
    assert run_job_line(bad)[:2] == ("b", False)


def _freeze_count(_item):
    import gc

    return gc.get_freeze_count()


def _freeze_and_threshold(_item):
    import gc

    return gc.get_freeze_count(), gc.get_threshold()


def test_in_process_jobs_after_the_first_run_with_the_loaded_objects_frozen():
    import gc

    before = gc.get_threshold()
    counts, thresholds = zip(*InProcess().map_unordered(_freeze_and_threshold, range(3)))
    # The first job loads what the batch needs; from the second on it is out of the collector's way
    # (which runs less often), and back in it once the batch ends.
    assert counts[0] == 0 and counts[1] > 0 and counts[2] == counts[1]
    assert thresholds[0] == before and thresholds[1][0] == YOUNG_OBJECTS and thresholds[1][1:] == before[1:]
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_a_freeze_made_by_the_program_is_left_alone():
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert list(InProcess().map_unordered(_freeze_count, range(2))) == [frozen, frozen]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_worker_freezes_what_its_first_chunk_loaded():
    with ProcessPool(1) as pool:
        counts = list(pool.map_unordered(_freeze_count, range(6)))
    assert counts[0] == 0 and counts[-1] > 0


def test_a_worker_freezes_once_and_then_leaves_the_collector_alone(monkeypatch):
    # gc.get_freeze_count() walks every frozen object (all of SymPy in a worker): asked after each
    # chunk it cost milliseconds a job. A worker keeps a flag instead.
    import gc

    from gradcli.batch import executors

    freezes = []
    monkeypatch.setattr(executors, "_worker_frozen", False)
    monkeypatch.setattr(executors, "_freeze_what_is_loaded", freezes.append)

    def no_walk():
        raise AssertionError("the frozen objects were counted")

    monkeypatch.setattr(gc, "get_freeze_count", no_walk)
    for chunk in ([-1, -2], [-3], [-4, -5]):
        results, seconds = executors._run_chunk(abs, chunk)
        assert results == [-x for x in chunk] and seconds >= 0
    assert freezes == [gc.get_threshold()]


class _Done:
    """A finished future of ``(results, seconds)``: each job took a millisecond."""

    def __init__(self, function, chunk):
        self.value = ([function(item) for item in chunk], 0.001 * len(chunk))

    def result(self):
        return self.value


def test_chunks_grow_to_the_chunk_time_and_shrink_at_the_end():
    from gradcli.batch.executors import CHUNK_SECONDS, IN_FLIGHT_PER_WORKER, MAX_CHUNK, _in_chunks

    sizes, in_flight = [], []

    def submit(chunk):
        sizes.append(len(chunk))
        return _Done(abs, chunk)

    def first_done(pending):
        in_flight.append(len(pending))
        first = next(iter(pending))
        return {first}, pending - {first}

    items = list(range(-2000, 0))
    results = list(_in_chunks(items, 2, submit, first_done))
    assert sorted(results) == list(range(1, 2001))
    assert max(in_flight) == IN_FLIGHT_PER_WORKER * 2
    # One job a chunk until a chunk's time is known, then CHUNK_SECONDS of millisecond jobs (at most
    # MAX_CHUNK), and smaller ones at the end so that two workers finish together.
    expected = min(MAX_CHUNK, round(CHUNK_SECONDS / 0.001))
    assert sizes[: IN_FLIGHT_PER_WORKER * 2] == [1] * (IN_FLIGHT_PER_WORKER * 2)
    assert max(sizes) == expected and sizes.count(expected) > 20
    assert sizes[-1] == 1 and sum(sizes) == 2000


def test_a_dask_cluster_gets_jobs_in_chunks_with_the_results_of_one_at_a_time():
    pytest.importorskip("dask.distributed")
    from gradcli.batch.executors import DaskExecutor

    with DaskExecutor(local_workers=1) as executor:
        submitted = []
        submit = executor.client.submit

        def counted(*args, **kwargs):
            submitted.append(len(args[2]))
            return submit(*args, **kwargs)

        executor.client.submit = counted
        items = list(range(-300, 0))
        results = list(executor.map_unordered(abs, items))
    assert sorted(results) == list(range(1, 301))
    assert sum(submitted) == 300 and len(submitted) < 100
