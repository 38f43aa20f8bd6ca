"""The options every command with ``--plot`` shares: ``--xlim``, ``--ylim`` and ``--dpi``
(parsed and checked by ``plot_view.from_run``)."""

from __future__ import annotations

from typing import Annotated

import typer

from gradcli.cli.plot_view import DEFAULT_DPI

XLim = Annotated[
    str | None,
    typer.Option("--xlim", metavar="LOW:HIGH", help="Plot: the first variable's range [default: the landscape's box]."),
]
YLim = Annotated[
    str | None,
    typer.Option(
        "--ylim", metavar="LOW:HIGH", help="Plot: the second variable's range (one variable: V's) [default: automatic]."
    ),
]
Dpi = Annotated[int, typer.Option("--dpi", help="Plot: dots per inch of a PNG and of the shaded fills inside SVG/PDF.")]
__all__ = ["XLim", "YLim", "Dpi", "DEFAULT_DPI"]
