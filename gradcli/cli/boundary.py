"""The error boundary: where library errors, signals, broken pipes and usage
errors become one line on stderr, a JSON error object with ``--json``, and an
exit status. Nothing else in gradcli chooses an exit status.

Two layers:

- ``command_boundary(run)`` wraps a command's body: a ``GradcliError`` becomes
  ``error: MESSAGE`` and the status its class maps to (``EXIT_STATUS``), an
  overflow or numpy warning a computation error, Ctrl-C, SIGTERM and SIGHUP
  128 + the signal, any other exception an ``internal error`` line (the
  traceback with ``--debug``).
- ``process_boundary(main, args)`` wraps the whole process (``gradcli.cli.parsing.Group``):
  usage errors (also as a JSON object with ``--json``), a reader that went
  away (``gradcli ... | head -1``: silent, 141), signals outside a command.
"""

import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer

from gradcli.cli.output import emit_json, error_object, write
from gradcli.cli.status import ExitStatus, signal_status
from gradcli.errors import ComputationError, DomainError, GradcliError

try:  # Typer 0.2x vendors click
    from typer._click.exceptions import ClickException
except ImportError:  # older Typer on click itself
    from click.exceptions import ClickException  # type: ignore[assignment]  # the same class under click's name

#: Library error classes and the exit status each means; the first that matches wins.
EXIT_STATUS: tuple[tuple[type[GradcliError], ExitStatus], ...] = (
    (ComputationError, ExitStatus.FAILURE),
    (GradcliError, ExitStatus.USAGE),
)
#: Signals that stop a run as Ctrl-C does (SIGINT raises KeyboardInterrupt by itself).
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
OVERFLOW = "overflow: a number beyond the float64 range (about 1.8e308) came up in the computation"


def exit_status(error: GradcliError) -> ExitStatus:
    """The exit status of a library error, by its class.

    >>> from gradcli.errors import DomainError, ParseError
    >>> int(exit_status(DomainError("log of zero at x=0"))), int(exit_status(ParseError("x +* 2")))
    (1, 2)
    """
    for kind, status in EXIT_STATUS:
        if isinstance(error, kind):
            return status
    return ExitStatus.USAGE


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived. A BaseException like KeyboardInterrupt, so
    ``except Exception`` does not swallow it and cleanup (``finally``, the
    plot writer's removal of its ``.part`` file) runs on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class PipeClosed(BaseException):
    """stdout's reader went away. Not an OSError, so that click's own handler
    (exit 1) lets it through to ``process_boundary``."""


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise ``Stopped`` (main thread only;
    a signal ignored on entry, as ``nohup`` ignores SIGHUP, stays ignored;
    the previous handlers come back on the way out)."""
    previous = {}
    try:
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue
            try:
                previous[signum] = signal.signal(signum, _raise_stopped)
            except (ValueError, OSError):  # not the main thread
                break
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _raise_stopped(signum, frame):
    raise Stopped(signum)


def fail(run, message: str, kind: str, status: int, detail_lines=()) -> None:
    """Report an error of ``run`` (stderr; a JSON object on stdout with --json,
    unless the command already wrote its result there) and exit with ``status``."""
    if run.json and not run.emitted:
        emit_json(error_object(run.command, kind, message))
    write("".join(line + "\n" for line in [f"error: {message}", *detail_lines]), sys.stderr)
    raise typer.Exit(int(status))


@contextmanager
def overflow_is_an_error(what: str) -> Iterator[None]:
    """Inside, an overflow (Python's OverflowError, numpy's overflow warning)
    raises ``DomainError("overflow in WHAT")``: a computation error, exit 1.

    >>> with overflow_is_an_error("|grad V| at x=1e+200"):
    ...     float(1e200) ** 2
    Traceback (most recent call last):
    gradcli.errors.DomainError: overflow in |grad V| at x=1e+200
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            yield
    except (OverflowError, FloatingPointError, RuntimeWarning):
        raise DomainError(f"overflow in {what}") from None


@contextmanager
def command_boundary(run) -> Iterator[None]:
    """Run a command's body: every way it can end becomes an exit status (see the module)."""
    try:
        with warnings.catch_warnings():
            # A numpy warning would be a line of numpy's source on the user's screen:
            # here it stops the computation and becomes a one-line error instead.
            warnings.simplefilter("error", RuntimeWarning)
            yield
    except GradcliError as error:
        if run.debug:
            raise
        fail(run, error.message, error.kind, exit_status(error), error.detail_lines())
    except (typer.Exit, typer.Abort, ClickException):
        raise
    except BrokenPipeError:
        raise PipeClosed from None
    except KeyboardInterrupt:
        if run.debug:
            raise
        fail(run, "interrupted", "interrupted", ExitStatus.INTERRUPTED)
    except Stopped as stop:
        if run.debug:
            raise
        fail(run, f"stopped by {signal.Signals(stop.signum).name}", "interrupted", signal_status(stop.signum))
    except (OverflowError, FloatingPointError, RuntimeWarning) as error:
        if run.debug:
            raise
        message = (
            OVERFLOW
            if "overflow" in str(error).lower() or isinstance(error, OverflowError)
            else (f"numerical error in the computation: {error}")
        )
        fail(run, message, "domain", ExitStatus.FAILURE)
    except Exception as error:  # a bug in gradcli: still one line, unless --debug
        if run.debug:
            raise
        message = f"internal error: {type(error).__name__}: {error} (run again with --debug for the traceback)"
        fail(run, message, "internal", ExitStatus.FAILURE)


def process_boundary(main: Callable[[list[str]], object], args: list[str]) -> int:
    """Call ``main(args)`` (click's main, not standalone) and return the exit status."""
    try:
        with stop_on_signals():
            try:
                result = main(args)
                sys.stdout.flush()
            except ClickException as error:
                if wants_json(args):
                    emit_json(error_object(command_name(error), "usage", error.format_message()))
                error.show(file=sys.stderr)
                return error.exit_code
            except typer.Abort:
                write("Aborted!\n", sys.stderr)
                return ExitStatus.FAILURE
        return result if isinstance(result, int) else ExitStatus.SUCCESS
    except (PipeClosed, BrokenPipeError):
        _silence_stdout()
        return ExitStatus.BROKEN_PIPE
    except KeyboardInterrupt:
        write("error: interrupted\n", sys.stderr)
        return ExitStatus.INTERRUPTED
    except Stopped as stop:
        write(f"error: stopped by {signal.Signals(stop.signum).name}\n", sys.stderr)
        return signal_status(stop.signum)


def wants_json(args: list[str]) -> bool:
    """Whether ``--json`` is among the options (before a ``--``).

    >>> wants_json(["grad", "x", "--json"]), wants_json(["grad", "--", "--json"])
    (True, False)
    """
    options = args[: args.index("--")] if "--" in args else args
    return "--json" in options


def command_name(error: ClickException) -> str | None:
    """``grad`` or ``potentials show``: the command a usage error belongs to (None: gradcli itself)."""
    names = []
    ctx = getattr(error, "ctx", None)
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(reversed(names)) or None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail
    again (and print 'Exception ignored ... BrokenPipeError')."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # an in-memory stdout (tests) has no descriptor
        pass
