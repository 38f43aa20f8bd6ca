"""A progress bar on stderr for long runs, for a person at a terminal only.

Nothing is drawn when stderr is not a terminal, with ``--json``, or before
the run has lasted ``DELAY`` seconds: short runs stay silent. Every long
command (``descend``, ``saddle``, ``path``, ``basins``, ``global``) draws
the same bar: what is counted, done of total, the values the command
follows, the rate and the time elapsed.

>>> with progress_bar("hops", 100, enabled=False) as update:
...     update(50, best=-44.3)
"""

from __future__ import annotations

import time
from contextlib import contextmanager

#: Seconds a run lasts before its bar appears.
DELAY = 1.0
#: Seconds between two redraws of the numbers beside the bar (updates in between cost a clock read).
REFRESH = 0.1


@contextmanager
def progress_bar(
    what: str, total: int, *, enabled: bool = True, delay: float | None = None, fields: str = "", label: str = ""
):
    """Yields ``update(done, **values)``; ``what`` names what is counted (``"steps"``, ``"hops"``),
    ``label`` what runs (``"lbfgs"``),
    ``fields`` is a format string of the values shown beside the bar, e.g. ``"best V {best:.6g}"``.
    ``delay`` (default ``DELAY``) is how long the run lasts before the bar appears."""
    console = None
    if enabled:
        from rich.console import Console

        console = Console(stderr=True)  # a terminal, or one forced (FORCE_COLOR, TTY_COMPATIBLE)
    if console is None or not console.is_terminal:
        yield lambda done, **values: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn(f"{label} {what}" if label else what),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = progress.add_task(what, total=total, info="", rate="")
    started = time.monotonic()
    wait = DELAY if delay is None else delay
    shown_at = None
    next_draw = started + wait

    def update(done: int, **values) -> None:
        nonlocal shown_at, next_draw
        now = time.monotonic()
        if now < next_draw:
            return
        next_draw = now + REFRESH
        if shown_at is None:
            progress.start()
            shown_at = now
        rate = done / (now - started) if now > started else 0.0
        progress.update(
            task,
            completed=done,
            info=fields.format(**values) if fields else "",
            rate=f"{rate:.3g} {what}/s",
        )

    try:
        yield update
    finally:
        if shown_at is not None:
            progress.stop()
