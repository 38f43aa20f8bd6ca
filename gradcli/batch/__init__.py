"""Many jobs at once: reading a job file, running jobs on an executor (this
process, a process pool, or a Dask cluster) and writing one result line per
job, whole and flushed, so an interrupted batch can be resumed.

This package knows nothing of the command line: the function that runs one
job is given to it (``gradcli.cli.jobs.run_job`` runs a gradcli command).
"""

from gradcli.batch.executors import Executor, make_executor
from gradcli.batch.jobfile import BadJob, Job, read_jobs
from gradcli.batch.results import ResultWriter, finished_ids

__all__ = ["BadJob", "Executor", "Job", "ResultWriter", "finished_ids", "make_executor", "read_jobs"]
