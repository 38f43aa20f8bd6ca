"""gradcli's exit statuses: one enum, read by the error boundary (``boundary.py``).

Library errors carry a kind (their class); only the boundary maps a kind to
one of these. A process stopped by a signal exits 128 + the signal's number,
as a shell reports it.
"""

import enum
import signal


class ExitStatus(enum.IntEnum):
    """gradcli's exit codes."""

    SUCCESS = 0
    #: The computation ran but did not succeed: max_steps, diverged, a domain error, an overflow.
    FAILURE = 1
    #: Bad input or usage: a refused expression, a malformed POINT, an unknown option.
    USAGE = 2
    #: SIGHUP: the terminal went away.
    HANGUP = 128 + signal.SIGHUP
    #: SIGINT: Ctrl-C.
    INTERRUPTED = 128 + signal.SIGINT
    #: SIGPIPE: the reader of stdout went away (``gradcli ... | head -1``).
    BROKEN_PIPE = 128 + signal.SIGPIPE
    #: SIGTERM: asked to stop (``kill``).
    TERMINATED = 128 + signal.SIGTERM


def signal_status(signum: int) -> ExitStatus:
    """The exit status of a run stopped by signal ``signum``: 128 + signum.

    >>> signal_status(signal.SIGTERM)
    <ExitStatus.TERMINATED: 143>
    """
    return ExitStatus(128 + int(signum))
