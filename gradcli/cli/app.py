"""The ``gradcli`` Typer application and its entry point ``main()``.

Importing this module imports Typer and gradcli's command modules, not SymPy,
Rich or matplotlib: those load when a command needs them, so ``--help`` and
``--json`` runs stay quick.
"""

from typing import Annotated

import typer

import gradcli
from gradcli._threads import limit_blas_threads_from_the_start
from gradcli.cli import calculus_cmd, descend_cmd, landscape_cmd, modes_cmd, transition_cmd
from gradcli.cli.batch_cmd import batch
from gradcli.cli.parsing import Command, Group
from gradcli.cli.potentials_cmd import potentials_app

#: Every command, in the order ``gradcli --help`` lists them (``potentials`` is a group, added below).
COMMANDS = [
    descend_cmd.descend,
    calculus_cmd.grad,
    calculus_cmd.force,
    calculus_cmd.force_constant,
    calculus_cmd.derivative,
    calculus_cmd.jacobian,
    calculus_cmd.vjp,
    calculus_cmd.jvp,
    transition_cmd.saddle,
    transition_cmd.path,
    modes_cmd.modes,
    landscape_cmd.basins,
    landscape_cmd.global_,
    batch,
]

app = typer.Typer(
    name="gradcli",
    cls=Group,
    help=(
        "Descent, forces, force constants, derivatives and Jacobians of potentials typed as strings.\n\n"
        'Example:  gradcli descend "x**4-10*x**2+5" --x0 3 --plot descent.png'
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

for _function in COMMANDS:
    app.command(_function.command_name, cls=Command)(_function)

app.add_typer(potentials_app, name="potentials")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gradcli {gradcli.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Descent, forces, force constants, derivatives and Jacobians of potentials typed as strings.

    Example:  gradcli descend "x**4-10*x**2+5" --x0 3 --plot descent.png
    """


def main() -> None:
    """Console-script entry point."""
    limit_blas_threads_from_the_start()
    app()


if __name__ == "__main__":
    main()
