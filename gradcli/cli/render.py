"""Rich tables for a person at a terminal.

Imported only when tables are drawn (never for --json), so a scripted run does
not pay for Rich. The console is created per call on the current
``sys.stdout``: Rich then leaves out escape codes when stdout is not a
terminal, and honours ``NO_COLOR``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gradcli.cli.output import for_stream, write


def text(value: object, style: str = "") -> Text:
    """A table cell: ``value`` as text stdout can encode (in ASCII when it must: λ -> lambda)."""
    return Text(for_stream(str(value)), style=style)


def console() -> Console:
    """A console on the current stdout (colour only on a terminal, never with NO_COLOR)."""
    return Console(highlight=False, emoji=False, markup=False)


def number(x: float) -> str:
    """A float for a table: 10 significant digits, ``inf``/``nan`` spelled out.

    >>> number(2.23606797749979), number(-20.000000000000004), number(float("nan"))
    ('2.236067977', '-20', 'nan')
    """
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    text = f"{x:.10g}"
    return "0" if text == "-0" else text


#: Beyond this many variables, points are abbreviated and matrices left to --json.
MAX_SHOWN = 8
#: Longer expressions are cut in titles (the JSON has them whole).
MAX_TITLE = 160


def point(variables: Sequence[str], coords: Sequence[float]) -> str:
    """``x=2, y=3``; the first few of a long point, and how many there are.

    >>> point(["x", "y"], [2.0, 3.0])
    'x=2, y=3'
    """
    shown = ", ".join(f"{name}={number(c)}" for name, c in zip(variables[:MAX_SHOWN], coords))
    if len(variables) <= MAX_SHOWN:
        return shown
    return f"{shown}, … ({len(variables)} coordinates; --json has them all)"


def title(heading: str, name: str | None, text: str) -> str:
    """``heading: @name: expression``, the expression cut short when long.

    >>> title("gradient descent", "harmonic", "k*x**2/2")
    'gradient descent: @harmonic: k*x**2/2'
    """
    parts = [p for p in (heading, f"@{name}" if name else None) if p]
    flat = " ".join(text.split())
    if len(flat) > MAX_TITLE:
        flat = f"{flat[: MAX_TITLE - 1]}… ({len(flat)} characters; --json has it all)"
    return ": ".join([*parts, flat])


def status(word: str, good: bool) -> Text:
    """A status word, green when all went well and red when not (no colour with NO_COLOR or in a pipe)."""
    return text(word, "bold green" if good else "bold red")


def summary(title: str, rows: Sequence[tuple[str, object]]) -> Table:
    """A two-column table: what, value."""
    table = Table(title=title, show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    for key, value in rows:
        table.add_row(text(key), value if isinstance(value, Text) else text(value))
    return table


def columns(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], caption: str | None = None) -> Table:
    """A table with ``headers`` and rows of numbers (formatted, right-aligned) or strings (left-aligned)."""
    table = Table(title=title, caption=text(caption) if caption else None)
    for i, header in enumerate(headers):
        numeric = bool(rows) and all(isinstance(row[i], (int, float)) for row in rows if i < len(row))
        table.add_column(text(header), justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(text(number(c) if isinstance(c, float) else c) for c in row))
    return table


def matrix(title: str, row_labels: Sequence[str], column_labels: Sequence[str], values) -> Table:
    """A labelled matrix (lists of lists of floats)."""
    rows = [[label, *(float(v) for v in row)] for label, row in zip(row_labels, values)]
    return columns(title, ["", *column_labels], rows)


def show(*renderables) -> None:
    """Print tables (with a blank line between them) on stdout, through ``output.write``.

    A table's title goes on a line of its own above it: Rich would wrap it at
    the table's width, which for a narrow table breaks even short titles.
    """
    out = console()
    with out.capture() as captured:  # rendered whole, then written by the one writer (ASCII when it must)
        for i, renderable in enumerate(renderables):
            if i:
                out.print()
            if isinstance(renderable, Table) and isinstance(renderable.title, str):
                out.print(text(renderable.title, "bold"))
                renderable.title = None
            out.print(renderable)
    write(captured.get())


def thin(items: Sequence, limit: int) -> list:
    """At most ``limit`` items, evenly spaced, first and last kept.

    >>> thin(list(range(10)), 4)
    [0, 3, 6, 9]
    """
    if len(items) <= limit:
        return list(items)
    last = len(items) - 1
    picks = sorted({round(i * last / (limit - 1)) for i in range(limit)})
    return [items[i] for i in picks]
