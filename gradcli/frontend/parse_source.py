"""The user's text, checked character by character and token by token, then
given to ``ast.parse`` (``^`` translated to ``**``, long chains grouped), with
the map from the parsed text's columns back to the user's for messages.
"""

from __future__ import annotations

import ast
import keyword
import re
import warnings

from ..errors import ParseError
from .parse_chains import CLOSING, OPENING, Chains

MAX_DEPTH = 100  # brackets, calls, powers and signs nested in one another
MAX_DIGITS = 100  # digits in one number literal
TOO_DEEP = f"expression nested too deeply (more than {MAX_DEPTH} levels)"

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<string>[rRbBuUfF]{0,2}(?:'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'|"[^"\n]*"))
      | (?P<number>(?:\d|\.\d)[\w.]*(?:(?<=[eE])[+-][\w.]*)?)
      | (?P<name>[A-Za-z_]\w*)
      | (?P<op>\*\*|//|<<|>>|[<>=!:]=|->|\.\.\.|\S)""",
    re.VERBOSE | re.DOTALL,
)
# Non-ASCII characters often pasted from papers, and what to write instead.
_ASCII = {
    "\u2212": "-",
    "\u00d7": "*",
    "\u00b7": "*",
    "\u22c5": "*",
    "\u00f7": "/",
    "\u00b2": "^2",
    "\u00b3": "^3",
    "\u03c0": "pi",
    "\u2013": "-",
}


class Source:
    """The user's text, the text given to ``ast.parse`` (``^`` translated,
    grouping parentheses inserted) and the map between their columns."""

    def __init__(self, text: str, max_length: int):
        if not isinstance(text, str):
            raise TypeError(f"expression must be a string, not {type(text).__name__}")
        self.text = text
        self.columns: list[int] | None = None  # code column -> text column, once edits are made
        if len(text) > max_length:
            raise ParseError(
                f"expression too long: {len(text)} characters (the limit is {max_length})", text, max_length
            )
        if not text.strip():
            raise ParseError("empty expression", text, 0)
        bad = re.search(r"[^\x20-\x7e\t\n\r]|[\\#]", text)
        if bad:
            char = bad.group()
            what = {
                "\\": "backslashes are not allowed in an expression",
                "#": "comments (#) are not allowed in an expression",
            }.get(char)
            if what is None and ord(char) > 127:
                hint = f"write '{_ASCII[char]}' instead" if char in _ASCII else "write names in ASCII"
                what = f"non-ASCII character '{char}' (U+{ord(char):04X}); {hint}"
            raise ParseError(what or f"control character U+{ord(char):04X} is not allowed", text, bad.start())
        self.tokens = [
            (m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text) if m.lastgroup != "space"
        ]
        self.edits: list[tuple[int, int, str]] = []  # (column, characters replaced, replacement)
        self._scan()
        self.code = self._apply_edits(re.sub(r"\s", " ", text))
        self.tree = self._parse()

    def _scan(self) -> None:
        depth = signs = 0
        previous: tuple[str | None, str] = ("op", "(")
        for kind, tok, start, _ in self.tokens:
            unary = tok in "+-~" and previous[0] == "op" and previous[1] not in CLOSING
            signs = signs + 1 if unary else 0
            previous = (kind, tok)
            if signs > MAX_DEPTH:
                raise ParseError(f"too many signs in a row (more than {MAX_DEPTH})", self.text, start)
            if kind == "number":
                if re.match(r"0[xXoObB]", tok):
                    raise ParseError(f"write numbers in decimal: {tok}", self.text, start)
                digits = sum(c.isdigit() for c in tok)
                if digits > MAX_DIGITS:
                    raise ParseError(f"number too long: {digits} digits (the limit is {MAX_DIGITS})", self.text, start)
            elif tok == "^":
                self.edits.append((start, 1, "**"))
            elif tok in OPENING:
                depth += 1
                if depth > MAX_DEPTH:
                    message = f"expression nested too deeply: more than {MAX_DEPTH} levels of brackets"
                    raise ParseError(message, self.text, start)
            elif tok in CLOSING:
                depth -= 1
        Chains(self.tokens, self.edits).scan()
        indent = len(self.text) - len(self.text.lstrip())
        if indent:  # ast.parse would call it an indent
            self.edits.append((0, indent, ""))

    def _apply_edits(self, code: str) -> str:
        if not self.edits:
            return code
        pieces, columns, last = [], [], 0
        for at, length, new in sorted(self.edits, key=lambda e: (e[0], e[1])):
            pieces += [code[last:at], new]
            columns += [*range(last, at), *[at] * len(new)]
            last = at + length
        pieces.append(code[last:])
        columns += [*range(last, len(code) + 1)]
        self.columns = columns
        return "".join(pieces)

    def _parse(self) -> ast.Expression:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(self.code, mode="eval")
        except SyntaxError as e:
            if e.msg.startswith("too many nested"):
                raise ParseError(TOO_DEEP, self.text, 0) from None
            reserved = self._reserved_word()
            if reserved:
                _, word, column, _ = reserved
                raise ParseError(f"'{word}' is a reserved word; rename the parameter", self.text, column) from None
            message = re.sub(r" \(detected at line \d+\)|\.$", "", e.msg)
            message = message[:1].lower() + message[1:]
            column = self.original(min(max((e.offset or 1) - 1, 0), len(self.code)))
            raise ParseError(
                "invalid syntax" + ("" if message == "invalid syntax" else ": " + message), self.text, column
            ) from None
        except (RecursionError, MemoryError):
            raise ParseError(TOO_DEEP, self.text, 0) from None
        except ValueError as e:  # null bytes and the like, should the checks above miss one
            raise ParseError(f"invalid expression: {e}", self.text, 0) from None

    def _reserved_word(self):
        """The first Python keyword used where a value should be (``2*lambda``)."""
        tokens = self.tokens
        for i, (kind, tok, _, _) in enumerate(tokens):
            if kind == "name" and keyword.iskeyword(tok):
                before = tokens[i - 1] if i else None
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                if (before is None or (before[0] == "op" and before[1] not in CLOSING)) and (
                    after is None or (after[0] == "op" and after[1] not in "([:=.")
                ):
                    return tokens[i]
        return None

    # ----- columns and messages ---------------------------------------------------

    def original(self, column: int) -> int:
        """Column in the user's text for a column in the parsed text."""
        return column if self.columns is None else self.columns[column]

    def column(self, node) -> int:
        return self.original(node.col_offset)

    def after(self, node) -> int:
        """Column of the first character after ``node`` that is not a space or ')'."""
        i = node.end_col_offset
        while i < len(self.code) and self.code[i] in " )":
            i += 1
        return self.original(i)

    def segment(self, node, limit: int = 40) -> str:
        start, end = self.column(node), self.original(node.end_col_offset - 1) + 1
        piece = " ".join(self.text[start:end].split())
        return piece if len(piece) <= limit else piece[: limit - 3] + "..."

    def error(self, message: str, node, column: int | None = None, kind=ParseError):
        return kind(message, self.text, self.column(node) if column is None else column)
