"""Small dense algebra runs on one BLAS thread, also for the BLAS that scipy
loads after gradcli first limited numpy's (gradcli/_threads.py)."""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, numpy, threadpoolctl
from gradcli._threads import single_threaded_blas
with single_threaded_blas():
    pass  # the first controller sees numpy's BLAS only
import scipy.linalg
with single_threaded_blas():
    inside = [lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"]
outside = [lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"]
print(json.dumps({"inside": inside, "outside": outside}))
"""


@pytest.mark.slow
def test_scipy_blas_loaded_later_is_limited_too():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    threads = json.loads(proc.stdout)
    assert threads["inside"] and set(threads["inside"]) == {1}
    # what the caller had is restored: the machine's default, more than one thread here
    if (os.cpu_count() or 1) > 1:
        assert max(threads["outside"]) > 1
