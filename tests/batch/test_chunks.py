"""A process pool sends jobs in chunks (sized from how long the jobs take) and gives
back every result once, whatever the chunking."""

from __future__ import annotations

import pytest

from gradcli.batch import Job
from gradcli.batch.executors import ProcessPool
from gradcli.batch.results import line_of
from gradcli.cli.jobs import run_job, run_job_line


@pytest.mark.parametrize("count", [1, 7, 500])
def test_every_item_comes_back_once(count):
    items = list(range(-count, 0))
    with ProcessPool(2) as pool:
        results = list(pool.map_unordered(abs, items))
    assert sorted(results) == list(range(1, count + 1))


def test_a_workers_line_is_the_line_of_the_jobs_result():
    job = Job("a", "grad", {"expression": "x**3", "at": 2})
    assert run_job_line(job) == ("a", True, line_of(run_job(job)))
    bad = Job("b", "grad", {"expression": "x**3", "att": 2})
    assert run_job_line(bad)[:2] == ("b", False)
