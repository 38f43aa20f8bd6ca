"""A progress bar on stderr for long runs, for a person at a terminal only.

Nothing is drawn when stderr is not a terminal, with ``--json``, or before
the run has lasted ``delay`` seconds: short runs stay silent.

>>> with progress_bar("hops", 100, enabled=False) as update:
...     update(50, best=-44.3)
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

DELAY = 1.0


@contextmanager
def progress_bar(what: str, total: int, *, enabled: bool = True, delay: float = DELAY, fields: str = ""):
    """Yields ``update(done, **values)``; ``fields`` is a format string of the values shown beside the bar,
    e.g. ``"best V {best:.6g}"``."""
    if not enabled or not sys.stderr.isatty():
        yield lambda done, **values: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = progress.add_task(what, total=total, info="")
    started = time.monotonic()
    shown = False

    def update(done: int, **values) -> None:
        nonlocal shown
        if not shown:
            if time.monotonic() - started < delay:
                return
            progress.start()
            shown = True
        progress.update(task, completed=done, info=fields.format(**values) if fields else "")

    try:
        yield update
    finally:
        if shown:
            progress.stop()
