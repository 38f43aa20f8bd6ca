"""gradcli's exceptions: raised by the library, turned into one-line messages
and exit codes only by the command layer.

The engine (``gradcli.autograd``) raises ``RuntimeError`` like PyTorch does;
everything above it raises a ``GradcliError`` subclass. An error carries its
kind (its class, and ``kind``, a short stable name for JSON); which exit code a
kind means is decided by the command line alone (``gradcli/cli/boundary.py``).
"""

from __future__ import annotations


class GradcliError(Exception):
    """Base of every gradcli library error.

    ``kind`` is a short stable name used in JSON error objects.
    """

    kind = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def detail_lines(self) -> list[str]:
        """Extra lines printed under the one-line message (none by default)."""
        return []


class InputError(GradcliError):
    """Bad input: a malformed point or vector, a wrong number of coordinates,
    an option value that makes no sense."""

    kind = "input"


class ExpressionError(InputError):
    """An expression string that is refused or cannot be compiled.

    ``text`` is the expression and ``column`` the 0-based offset of the
    offending part (or None); ``detail_lines()`` shows the text with a caret::

        error: attribute access is not allowed in an expression
          __import__('os').system('ls')
                          ^
    """

    kind = "expression"
    # Long expressions are shown as a window of this many characters around the caret.
    window = 72

    def __init__(self, message: str, text: str | None = None, column: int | None = None):
        super().__init__(message)
        self.text = text
        self.column = column

    def detail_lines(self) -> list[str]:
        if self.text is None:
            return []
        text = self.text.replace("\n", " ").replace("\t", " ")
        column = self.column
        start = 0
        if len(text) > self.window:
            centre = column if column is not None else 0
            start = max(0, min(centre - self.window // 2, len(text) - self.window))
            text = text[start : start + self.window]
        lines = ["  " + text]
        if column is not None:
            lines.append("  " + " " * (column - start) + "^")
        return lines


class ParseError(ExpressionError):
    """The text is not an expression gradcli accepts (syntax, a refused
    construct, too long, too deep, a number too large)."""

    kind = "parse"


class UnknownFunctionError(ExpressionError):
    """A call of a function that is not on the whitelist."""

    kind = "unknown-function"


class UnsupportedExpressionError(ExpressionError):
    """A SymPy construct the compiler has no engine operation for."""

    kind = "unsupported"


class ComputationError(GradcliError):
    """The computation ran but did not succeed."""

    kind = "computation"


class DomainError(ComputationError):
    """A value outside an operation's domain (log of a negative number,
    division by zero, overflow), naming the operation and the point.

    Where the failing point is diagnosed, ``reason`` ("overflow",
    "division-by-zero", "domain", "non-finite-input", "unknown"), ``operation``
    (the opcode, or None) and ``point`` (the coordinates) are set beside the
    message; an error raised without a diagnosis has none of them (read them
    with ``getattr``)."""

    kind = "domain"
    reason: str
    operation: str | None
    point: tuple[float, ...]


class PotentialFileError(GradcliError):
    """A named-potential file that cannot be loaded; the message names the
    file and the field."""

    kind = "potential-file"


class UnknownPotentialError(InputError):
    """``@NAME`` names no known potential; the message suggests the closest."""

    kind = "unknown-potential"


class MissingExtraError(InputError):
    """An optional part of gradcli is needed but its extra is not installed;
    the message names the extra to install."""

    kind = "missing-extra"

    def __init__(self, extra: str, what: str):
        super().__init__(f'{what} needs the optional extra {extra!r}: pip install "gradcli[{extra}]"')
        self.extra = extra
