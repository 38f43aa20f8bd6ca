"""Where jobs run: this process, a pool of processes, or a Dask cluster.

Every executor has one method, ``map_unordered(function, items)``, which
yields ``function(item)`` for each item as soon as it is done (in any
order). ``function`` must be a module-level function (it is pickled to the
workers) and must not raise: a job's failure is part of its result.

>>> def square(x):
...     return x * x
>>> sorted(InProcess().map_unordered(square, [1, 2, 3]))
[1, 4, 9]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from gradcli.errors import InputError, MissingExtraError

#: Chunks handed to a pool ahead of the results read back (bounds memory for huge job files).
IN_FLIGHT_PER_WORKER = 4
#: A chunk of jobs sent to a worker at once lasts about this long (seconds): one message per
#: millisecond job would cost as much as the job, while a chunk of slow jobs would delay results.
CHUNK_SECONDS = 0.05
#: The most jobs in one chunk.
MAX_CHUNK = 64
#: While a batch runs, the cyclic collector waits for this many new objects (a job's worth) instead of 700.
YOUNG_OBJECTS = 50_000


class Executor:
    """Runs a function over items; ``describe()`` names it for people."""

    def map_unordered(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        raise NotImplementedError

    def close(self) -> None:
        """Release workers and connections."""

    def describe(self) -> str:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class InProcess(Executor):
    """One job after another in this process (the default: no start-up cost)."""

    def map_unordered(self, function, items):
        with _long_lived_objects_frozen() as first_done:
            for item in items:
                yield function(item)
                first_done()

    def describe(self) -> str:
        return "in-process"


class ProcessPool(Executor):
    """``workers`` processes on this machine (``concurrent.futures``), sent jobs in chunks."""

    def __init__(self, workers: int, preload: Sequence[str] = ()):
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(preload))

    def map_unordered(self, function, items):
        from concurrent.futures import FIRST_COMPLETED, wait

        def submit(chunk):
            return self.pool.submit(_run_chunk, function, chunk)

        def first_done(pending):
            return wait(pending, return_when=FIRST_COMPLETED)

        return _in_chunks(list(items), self.workers, submit, first_done)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def describe(self) -> str:
        return f"{self.workers} worker processes"


def _in_chunks(items: list, workers: int, submit: Callable, first_done: Callable) -> Iterator:
    """The results of ``items`` run in chunks on ``workers`` workers, as chunks finish.
    ``submit(chunk)`` returns a future of ``(results, seconds)``; ``first_done(pending)`` waits
    for at least one and returns the sets ``(done, still pending)``. The first chunks hold one job each;
    then a chunk lasts about ``CHUNK_SECONDS``, and chunks shrink near the end so that the
    workers finish together."""
    pending: set = set()
    limit = IN_FLIGHT_PER_WORKER * workers
    sent = 0
    chunk = 1  # until a job's duration is known
    while True:
        while sent < len(items) and len(pending) < limit:
            size = max(1, min(chunk, (len(items) - sent) // (2 * workers)))
            pending.add(submit(items[sent : sent + size]))
            sent += size
        if not pending:
            return
        done, pending = first_done(pending)
        for future in done:
            results, seconds = future.result()
            chunk = max(1, min(MAX_CHUNK, int(CHUNK_SECONDS * len(results) / max(seconds, 1e-9))))
            yield from results


#: Whether this process (a pool's worker) has frozen what its first chunk loaded. A flag, not
#: gc.get_freeze_count(): that walks every frozen object (all of SymPy), milliseconds a chunk.
_worker_frozen = False


def _run_chunk(function, items) -> tuple[list, float]:
    """``function`` of each item, in a pool's worker, and the seconds they took."""
    global _worker_frozen
    chunk = _run_chunk_as_it_is(function, items)
    # A worker lives for the batch: what its first chunk loaded stays (see _long_lived_objects_frozen).
    if not _worker_frozen:
        import gc

        _freeze_what_is_loaded(gc.get_threshold())
        _worker_frozen = True
    return chunk


def _run_chunk_as_it_is(function, items) -> tuple[list, float]:
    """``function`` of each item and the seconds they took, leaving the collector as it is (a Dask
    worker is shared with whatever else its cluster runs)."""
    from time import perf_counter

    start = perf_counter()
    results = [function(item) for item in items]
    return results, perf_counter() - start


def _freeze_what_is_loaded(thresholds: tuple[int, ...]) -> None:
    """Freeze every object alive now out of the cyclic collector, and let it wait for
    ``YOUNG_OBJECTS`` new objects (``thresholds``: the collector's before)."""
    import gc

    gc.freeze()
    gc.set_threshold(max(thresholds[0], YOUNG_OBJECTS), *thresholds[1:])


@contextmanager
def _long_lived_objects_frozen() -> Iterator[Callable[[], None]]:
    """Yield a function to call after each job: after the first, the objects alive then (the
    modules, SymPy, the compiled potentials: what the first job loaded) are frozen out of the
    cyclic garbage collector, and it waits for ``YOUNG_OBJECTS`` new objects instead of 700,
    until the batch ends. A job makes thousands of small objects, nearly all freed when it ends:
    the collector otherwise ran several times a job, walking what the job still held and, on its
    full passes, all of SymPy again."""
    import gc

    # Frozen already (by the program that runs this batch): leave its choice alone.
    frozen = [gc.get_freeze_count() > 0]
    ours = not frozen[0]
    thresholds = gc.get_threshold()

    def first_done() -> None:
        if not frozen[0]:
            frozen[0] = True
            _freeze_what_is_loaded(thresholds)

    try:
        yield first_done
    finally:
        if ours and frozen[0]:
            gc.set_threshold(*thresholds)
            gc.unfreeze()


def _context(preload: Sequence[str]):
    """Workers forked from a fork server that imported the ``preload`` modules once (where
    there is one), else spawned: never forked from this process, which may run threads
    (the progress bar) that a fork would copy half-way."""
    from multiprocessing import get_all_start_methods, get_context

    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return context


class DaskExecutor(Executor):
    """A Dask cluster: a running scheduler at ``address``, or a ``LocalCluster`` of ``local_workers``."""

    def __init__(self, address: str | None = None, local_workers: int | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise MissingExtraError("dask", "the Dask executor (--scheduler, --dask-local)") from None
        self.cluster = None
        try:
            if address is not None:
                self.client = Client(address, timeout="10s")
                self.where = f"the Dask scheduler at {address}"
            else:
                self.cluster = LocalCluster(
                    n_workers=local_workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self.client = Client(self.cluster)
                self.where = f"a local Dask cluster of {local_workers} workers"
        except OSError as error:
            self.close()
            raise InputError(f"cannot reach the Dask scheduler at {address}: {error}") from None

    def map_unordered(self, function, items):
        from dask.distributed import wait

        # In chunks, as the pool: a task costs the scheduler about a millisecond, as much as a small job.
        workers = max(1, sum(self.client.nthreads().values()))

        def submit(chunk):
            # pure=False: two identical chunks are two runs, as they would be in any other executor.
            return self.client.submit(_run_chunk_as_it_is, function, chunk, pure=False)

        def first_done(pending):
            return wait(list(pending), return_when="FIRST_COMPLETED")

        return _in_chunks(list(items), workers, submit, first_done)

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> str:
        return self.where


def make_executor(
    workers: int = 1, scheduler: str | None = None, dask_local: int | None = None, preload: Sequence[str] = ()
) -> Executor:
    """The executor the options ask for: at most one of ``workers > 1``, ``scheduler``, ``dask_local``.
    ``preload``: modules a pool's workers import before their first job (once, where they can be
    forked from a process that imported them)."""
    chosen = [
        name
        for name, on in (
            ("--workers", workers != 1),
            ("--scheduler", scheduler is not None),
            ("--dask-local", dask_local is not None),
        )
        if on
    ]
    if len(chosen) > 1:
        raise InputError(f"choose one executor: {' and '.join(chosen)} were both given")
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    if dask_local is not None and dask_local < 1:
        raise InputError(f"--dask-local must be at least 1, got {dask_local}")
    if scheduler is not None:
        return DaskExecutor(address=scheduler)
    if dask_local is not None:
        return DaskExecutor(local_workers=dask_local)
    if workers > 1:
        return ProcessPool(workers, preload)
    return InProcess()
