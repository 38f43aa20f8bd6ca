"""One BLAS thread for gradcli's small dense linear algebra.

The matrices gradcli factorises (Hessians of tens of variables, L-BFGS's
small updates) are far too small to gain from threads, and a threaded BLAS
made them many times slower on a 2-core machine (bench/README.md), the more
so when the machine is busy. The command line asks for one thread before
numpy loads (``limit_blas_threads_from_the_start``); library code that runs
many small factorisations runs under ``single_threaded_blas()`` (or the
decorator ``single_threaded``), which uses threadpoolctl and restores the
caller's setting afterwards.

>>> with single_threaded_blas():
...     pass
"""

from __future__ import annotations

import functools
import os
import sys
from contextlib import contextmanager
from typing import Any

from gradcli._lazy import LazyModule

threadpoolctl = LazyModule("threadpoolctl", globals(), "threadpoolctl")

_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def limit_blas_threads_from_the_start() -> None:
    """Ask for one BLAS thread unless the user chose a number (call before numpy is imported)."""
    for name in _VARIABLES:
        os.environ.setdefault(name, "1")


# One controller per set of loaded BLAS libraries: a controller sees only the libraries
# loaded when it was made, and scipy.linalg brings its own OpenBLAS after numpy's.
_CONTROLLERS: dict[bool, Any] = {}  # threadpoolctl.ThreadpoolController, loaded lazily


@contextmanager
def single_threaded_blas():
    """Run the block with one BLAS thread (then restore what was there). The
    controller, which scans the loaded libraries (about a millisecond), is made once
    before scipy.linalg is loaded and once after."""
    key = "scipy.linalg" in sys.modules
    controller = _CONTROLLERS.get(key)
    if controller is None:
        controller = _CONTROLLERS[key] = threadpoolctl.ThreadpoolController()
    with controller.limit(limits=1, user_api="blas"):
        yield


def single_threaded(func):
    """Decorator: ``func`` runs under ``single_threaded_blas()``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with single_threaded_blas():
            return func(*args, **kwargs)

    return wrapper
