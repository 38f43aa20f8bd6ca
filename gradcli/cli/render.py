"""Rich tables for a person at a terminal.

Imported only when tables are drawn (never for --json), so a scripted run does
not pay for Rich. The console is created per call on the current
``sys.stdout``: Rich then leaves out escape codes when stdout is not a
terminal, and honours ``NO_COLOR``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.console import Console, JustifyMethod
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from gradcli.cli.output import for_stream, write


def text(value: object, style: str = "") -> Text:
    """A table cell: ``value`` as text stdout can encode (in ASCII when it must: λ -> lambda)."""
    return Text(for_stream(str(value)), style=style)


def console() -> Console:
    """A console on the current stdout (colour only on a terminal, never with NO_COLOR)."""
    return Console(highlight=False, emoji=False, markup=False)


#: Significant digits of a number in a table: all of these when the column has room, never fewer
#: than the last (a narrower terminal gets more, shorter tables instead, see ``show``).
DIGITS = (10, 3)


def number(x: float, digits: int = DIGITS[0]) -> str:
    """A float for a table: ``digits`` significant digits, ``inf``/``nan`` spelled out.

    >>> number(2.23606797749979), number(-20.000000000000004), number(float("nan")), number(9.9e-9, 3)
    ('2.236067977', '-20', 'nan', '9.9e-09')
    """
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    text = f"{x:.{digits}g}"
    return "0" if text == "-0" else text


class Number:
    """A float in a table cell, with as many significant digits (10 down to 3) as its column's
    width allows: Rich narrows a column to the shortest form before it would cut a number, and a
    number is never cut (its exponent always shows).

    >>> Number(9.908125870e-09).text(8), Number(9.908125870e-09).text(40)
    ('9.91e-09', '9.90812587e-09')
    """

    def __init__(self, value: float, style: str = "") -> None:
        self.value = float(value)
        self.style = style

    def text(self, width: int) -> str:
        """The longest spelling (most digits) that fits in ``width`` characters, else the shortest."""
        for digits in range(DIGITS[0], DIGITS[1] - 1, -1):
            spelled = number(self.value, digits)
            if len(spelled) <= width:
                return spelled
        return spelled

    def __rich_measure__(self, console, options) -> Measurement:
        return Measurement(len(number(self.value, DIGITS[1])), len(number(self.value)))

    def __rich_console__(self, console, options):
        yield Text(self.text(options.max_width), style=self.style, overflow="fold")


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
    table.add_column("", style="bold", overflow="fold")
    table.add_column("", overflow="fold")
    for key, value in rows:
        table.add_row(text(key), value if isinstance(value, Text) else text(value))
    return table


def columns(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], caption: str | None = None) -> Table:
    """A table with ``headers`` and rows of numbers (formatted, right-aligned) or strings (left-aligned)."""
    table = Table(title=title, caption=text(caption) if caption else None)
    for i, header in enumerate(headers):
        numeric = bool(rows) and all(isinstance(row[i], (int, float)) for row in rows if i < len(row))
        # no_wrap: Rich then narrows the long text columns first, and a number only to its shortest spelling
        short = all(len(str(row[i])) <= 4 for row in rows if i < len(row) and isinstance(row[i], str))
        justify: JustifyMethod = "right" if numeric else "left"
        heading = text(header)
        heading.no_wrap = False  # a header wraps at its spaces rather than being cut ("arc leng")
        table.add_column(heading, justify=justify, overflow="fold", no_wrap=numeric or short)
    for row in rows:
        table.add_row(*(Number(c) if isinstance(c, float) else text(c) for c in row))
    return table


def matrix(title: str, row_labels: Sequence[str], column_labels: Sequence[str], values) -> Table:
    """A labelled matrix (lists of lists of floats); too wide for the terminal, it is printed in
    several tables of columns (see ``show``)."""
    rows = [[label, *(float(v) for v in row)] for label, row in zip(row_labels, values)]
    return columns(title, ["", *column_labels], rows)


def left_out(what: str) -> Text:
    """A line saying what a table left out and where to find it.

    >>> left_out("9×9 Jacobian: use --json").plain
    'left out: 9×9 Jacobian: use --json'
    """
    return text(f"left out: {what}", "italic")


def show(*renderables) -> None:
    """Print tables (with a blank line between them) on stdout, through ``output.write``.

    A table's title goes on a line of its own above it: Rich would wrap it at
    the table's width, which for a narrow table breaks even short titles. A
    table too wide for the terminal even with its numbers shortened is printed
    as several tables, each with the first column and as many others as fit.
    """
    out = console()
    with out.capture() as captured:  # rendered whole, then written by the one writer (ASCII when it must)
        for i, renderable in enumerate(renderables):
            if i:
                out.print()
            if isinstance(renderable, Table) and isinstance(renderable.title, str):
                out.print(text(renderable.title, "bold"))
                renderable.title = None
            parts = split(out, renderable, out.width) if isinstance(renderable, Table) else [renderable]
            for part in parts:
                if isinstance(part, Table):
                    _fix_widths(out, part, out.width)
            for k, part in enumerate(parts):
                if k:
                    out.print()
                out.print(part)
    write(captured.get())


def _min_width(out: Console, cells) -> int:
    options = out.options
    return max((Measurement.get(out, options, cell).minimum for cell in cells), default=0)


def _fix_widths(out: Console, table: Table, width: int) -> None:
    """Give each column of a table too wide at its natural widths a fixed width: its narrowest,
    plus a share of what is left up to its widest (Rich's own squeeze ignores a cell's minimum)."""
    options = out.options
    lows, highs = [], []
    for column in table.columns:
        cells = [*column._cells, *([column.header] if table.show_header else [])]
        measured = [Measurement.get(out, options, cell) for cell in cells]
        lows.append(max((m.minimum for m in measured), default=0))
        highs.append(max((m.maximum for m in measured), default=0))
    spare = width - (3 * len(table.columns) + 1) - sum(lows)
    if sum(highs) - sum(lows) <= spare or spare < 0:
        return
    for column, low, high in zip(table.columns, lows, highs):
        extra = min(high - low, spare)
        column.width = low + extra
        spare -= extra


def narrowest(out: Console, table: Table) -> int:
    """The fewest columns ``table`` needs without cutting a cell's longest word: its first column
    beside its widest other one, as ``split`` would print it at the narrowest."""
    widths = [
        _min_width(out, [*column._cells, *([column.header] if table.show_header else [])]) + 3
        for column in table.columns
    ]
    return widths[0] + max(widths[1:], default=0) + 1


def split(out: Console, table: Table, width: int) -> list[Table]:
    """``table`` as it is when its narrowest layout fits ``width``, else as several tables that
    each repeat the first column and take as many of the others as fit (at least one).

    Numbers are then never squeezed below their shortest spelling (which Rich would fold).
    """
    columns = table.columns
    if len(columns) <= 2:
        return [table]
    widths = [
        _min_width(out, [*column._cells, *([column.header] if table.show_header else [])]) + 3 for column in columns
    ]
    if sum(widths) + 1 <= width:
        return [table]
    groups: list[list[int]] = [[]]
    used = widths[0] + 1
    for i in range(1, len(columns)):
        if groups[-1] and used + widths[i] > width:
            groups.append([])
            used = widths[0] + 1
        groups[-1].append(i)
        used += widths[i]
    parts = []
    for k, group in enumerate(groups):
        part = Table(
            show_header=table.show_header,
            box=table.box,
            caption=table.caption if k == len(groups) - 1 else None,
            title=None,
        )
        for i in (0, *group):
            c = columns[i]
            part.add_column(c.header, justify=c.justify, style=c.style, overflow=c.overflow, no_wrap=c.no_wrap)
        for row in range(table.row_count):
            part.add_row(*(columns[i]._cells[row] for i in (0, *group)))
        parts.append(part)
    return parts


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
