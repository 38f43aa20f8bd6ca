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


#: The widest bar, and the narrowest worth drawing.
BAR_WIDTH = (40, 4)
#: A value as wide as a format can print one (for the room the values beside the bar need).
WIDEST = -1.1111111111111111e-111


def _fitting(width: int, title: str, what: str, total: int, fields: str) -> dict:
    """What fits on one line of ``width`` columns: the numbers (done of total and the values) always,
    then the time elapsed, the rate and the bar, dropped in the reverse order when the line is
    short, so Rich never has to cut a number to make it fit.

    >>> _fitting(120, "lbfgs steps", "steps", 10000, "|∇V| {grad_norm:.3g}")
    {'rate': True, 'elapsed': True, 'bar': 40}
    >>> _fitting(60, "lbfgs steps", "steps", 10000, "|∇V| {grad_norm:.3g}")
    {'rate': False, 'elapsed': True, 'bar': 12}
    """
    import string

    values = {name: WIDEST for _, name, _, _ in string.Formatter().parse(fields) if name}
    parts = [len(title), 2 * len(str(total)) + 1, len(fields.format(**values)) if fields else 0]
    rate, elapsed = len(f"{WIDEST:.3g} {what}/s"), len("0:00:00")
    for with_rate, with_elapsed in ((True, True), (False, True), (False, False)):
        used = sum(parts) + with_rate * rate + with_elapsed * elapsed
        gaps = len(parts) + with_rate + with_elapsed  # one space between columns, the bar's included
        room = width - used - gaps
        if room >= BAR_WIDTH[1] or not with_elapsed:
            bar = min(room, BAR_WIDTH[0]) if room >= BAR_WIDTH[1] else 0
            return {"rate": with_rate, "elapsed": with_elapsed, "bar": bar}
    raise AssertionError("unreachable")


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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn

    title = f"{label} {what}" if label else what
    shown = _fitting(console.width, title, what, total, fields)
    columns: list[ProgressColumn] = [TextColumn(title)]
    if shown["bar"]:
        columns.append(BarColumn(bar_width=shown["bar"]))
    columns += [MofNCompleteColumn(), TextColumn("{task.fields[info]}")]
    if shown["rate"]:
        columns.append(TextColumn("{task.fields[rate]}"))
    if shown["elapsed"]:
        columns.append(TimeElapsedColumn())
    progress = Progress(
        *columns,
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
