"""Expression strings to SymPy, without ever running the string as code.

The text is data. It is checked character by character (ASCII only; newlines
and tabs count as spaces; no backslashes or comments), split into tokens
(``^`` becomes ``**``; long ``+``/``*`` chains get grouping parentheses so the
tree stays shallow), parsed by ``ast.parse`` and walked outer-to-inner against
a whitelist; the SymPy expression is built bottom-up from the checked tree.
Nothing is passed to ``eval``, ``exec``, ``sympify`` or ``parse_expr``.

Names: ``pi`` and ``E`` are the constants, the whitelisted function names are
functions, every other name is a real symbol -- unless the caller *declares*
it (``declared``: the variables and parameters the user named), in which case
it is that symbol wherever it stands as a value, ``pi`` and ``E`` and function
names included (``gamma*x + exp`` with gamma and exp declared); a call
``exp(...)`` still calls the function, a call of a declared ``pi`` is refused.
``parse_with_names`` also returns the symbol names as written, before SymPy
simplifies (``exp(x)-exp(x)+y`` still names ``x``).

Numbers: integers and their quotients stay exact (``1/2`` is ``Rational(1, 2)``),
decimals become 53-bit floats (``Float(0.5)``). Constants are kept within
10**-300 .. 10**300 and 300 digits, checked with logarithms *before* SymPy
computes them, so ``9**9**9**9`` is refused at once instead of hanging.
Limits: 100 digits per literal, 100 levels of nesting, 200,000 tree nodes.

Example::

    >>> parse_expression("2*x^2 + sin(y)")
    2*x**2 + sin(y)
    >>> parse_vector("[x*y, x + y**2]")
    (x*y, x + y**2)
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import re
import warnings
from collections.abc import Callable, Iterable

import sympy

from ..errors import ParseError, UnknownFunctionError
from .functions import TYPED, TYPED_ARITY

MAX_DEPTH = 100  # brackets, calls, powers and signs nested in one another
MAX_NODES = 200_000
MAX_DIGITS = 100  # digits in one number literal
MAX_LOG10 = 300  # constants stay within 10**-300 .. 10**300
_TOO_DEEP = f"expression nested too deeply (more than {MAX_DEPTH} levels)"
_SINGLE = "a potential is a single expression"


# The whitelist: each name a user may call and how its SymPy node is built
# (one row per function in functions.py, the registry).
FUNCTIONS: dict[str, Callable[..., sympy.Expr]] = TYPED
ARITY = {name: counts for name, counts in TYPED_ARITY.items() if counts != (1,)}  # others take one
CONSTANTS = {"pi": sympy.pi, "E": sympy.E}
_HINTS = {
    "ln": "log",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "pow": "**",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "lg": "log10",
    "ld": "log2",
}

_OPERATORS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Invert: "~",
    ast.Not: "not",
}
_REFUSED = {  # node type -> message
    ast.Lambda: "lambda functions are not allowed in an expression",
    ast.IfExp: "conditional expressions (if/else) are not allowed in an expression",
    ast.Compare: "comparisons are not allowed in an expression",
    ast.BoolOp: "boolean operators (and/or) are not allowed in an expression",
    ast.NamedExpr: "assignment (:=) is not allowed in an expression",
    ast.JoinedStr: "f-strings are not allowed in an expression",
    ast.Starred: "starred arguments (*) are not allowed in an expression",
    ast.Tuple: "tuples are not allowed inside an expression",
    ast.List: "lists ([...]) are not allowed inside an expression",
    ast.Dict: "dictionaries ({...}) are not allowed in an expression",
    ast.Set: "sets ({...}) are not allowed in an expression",
    **dict.fromkeys(
        (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp), "comprehensions are not allowed in an expression"
    ),
}

_CARET_AFTER = {  # the caret goes under the operator that follows this operand
    ast.Compare: lambda n: n.left,
    ast.BoolOp: lambda n: n.values[0],
    ast.IfExp: lambda n: n.body,
    ast.NamedExpr: lambda n: n.target,
}

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<string>[rRbBuUfF]{0,2}(?:'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'|"[^"\n]*"))
      | (?P<number>(?:\d|\.\d)[\w.]*(?:(?<=[eE])[+-][\w.]*)?)
      | (?P<name>[A-Za-z_]\w*)
      | (?P<op>\*\*|//|<<|>>|[<>=!:]=|->|\.\.\.|\S)""",
    re.VERBOSE | re.DOTALL,
)
_OPENING, _CLOSING = "([{", ")]}"
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
_GROUP = 32  # chains longer than this get parentheses: ast's own recursion stops near depth 3000


def parse_expression(text: str, *, max_length: int = 100_000, declared: Iterable[str] = ()) -> sympy.Expr:
    """Parse one expression into SymPy; symbols are ``sympy.Symbol(name, real=True)``.
    A name in ``declared`` is a symbol wherever it stands as a value, even
    where it would be a constant or a function (``pi``, ``E``, ``exp``).

    Raises ``ParseError`` (or ``UnknownFunctionError``) with ``text`` and the
    0-based ``column`` of the offending part.

    >>> parse_expression("x^4 - 10*x^2 + 5")
    x**4 - 10*x**2 + 5
    >>> parse_expression("pi*x", declared={"pi"}).free_symbols == {sympy.Symbol("pi", real=True),
    ...                                                            sympy.Symbol("x", real=True)}
    True
    """
    return parse_with_names(text, max_length=max_length, declared=declared)[0][0]


def parse_vector(text: str, *, max_length: int = 100_000, declared: Iterable[str] = ()) -> tuple[sympy.Expr, ...]:
    """Parse ``"[f1, f2, ...]"`` or ``"f1, f2, ..."`` (one component is fine)
    into a tuple of SymPy expressions, one per output (``declared`` as in
    ``parse_expression``).

    >>> parse_vector("x*y, x + y^2")
    (x*y, x + y**2)
    """
    return parse_with_names(text, vector=True, max_length=max_length, declared=declared)[0]


def parse_with_names(
    text: str, *, vector: bool = False, max_length: int = 100_000, declared: Iterable[str] = ()
) -> tuple[tuple[sympy.Expr, ...], tuple[str, ...]]:
    """(expressions, symbol names as written): one expression, or with
    ``vector`` the components of a vector; the names in natural order are
    every name the text uses as a symbol, also those SymPy cancels.

    >>> parse_with_names("exp(x) - exp(x) + y")
    ((y,), ('x', 'y'))
    >>> parse_with_names("E*x", declared={"E"})
    ((E*x,), ('E', 'x'))
    """
    source = _Source(text, max_length)
    root = source.tree.body
    if vector:
        elements = root.elts if isinstance(root, (ast.Tuple, ast.List)) else [root]
        if not elements:
            raise source.error("a vector function needs at least one component", root)
    else:
        if isinstance(root, ast.List) or isinstance(root, ast.Tuple) and not root.elts:
            raise source.error(f"'{source.segment(root)}' is not one expression; {_SINGLE}", root)
        if isinstance(root, ast.Tuple):
            raise source.error(f"found a comma; {_SINGLE}", None, source.after(root.elts[0]))
        elements = [root]
    builder = _Builder(source, declared)
    exprs = tuple(builder.build(element) for element in elements)
    return exprs, natural_variable_order(builder.symbols)


def natural_variable_order(names: Iterable[str]) -> tuple[str, ...]:
    """Names sorted naturally (digit runs compare as numbers), duplicates removed.

    >>> natural_variable_order(["x10", "y", "x2", "x"])
    ('x', 'x2', 'x10', 'y')
    """

    def key(name: str):
        parts = re.split(r"(\d+)", name)
        return [int(p) if i % 2 else p for i, p in enumerate(parts)], name

    return tuple(sorted(set(map(str, names)), key=key))


class _Source:
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
            unary = tok in "+-~" and previous[0] == "op" and previous[1] not in _CLOSING
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
            elif tok in _OPENING:
                depth += 1
                if depth > MAX_DEPTH:
                    message = f"expression nested too deeply: more than {MAX_DEPTH} levels of brackets"
                    raise ParseError(message, self.text, start)
            elif tok in _CLOSING:
                depth -= 1
        _Chains(self.tokens, self.edits).scan()
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
                raise ParseError(_TOO_DEEP, self.text, 0) from None
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
            raise ParseError(_TOO_DEEP, self.text, 0) from None
        except ValueError as e:  # null bytes and the like, should the checks above miss one
            raise ParseError(f"invalid expression: {e}", self.text, 0) from None

    def _reserved_word(self):
        """The first Python keyword used where a value should be (``2*lambda``)."""
        tokens = self.tokens
        for i, (kind, tok, _, _) in enumerate(tokens):
            if kind == "name" and keyword.iskeyword(tok):
                before = tokens[i - 1] if i else None
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                if (before is None or (before[0] == "op" and before[1] not in _CLOSING)) and (
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


class _Frame:
    """One bracket level, or one comma-separated part of it, while scanning."""

    def __init__(self):
        self.terms, self.factors = [], []  # (operator and its column, start, end) of each
        self.term = self.factor = None  # where the current term and factor start
        self.add_op = self.mul_op = None  # the operator before them, with its column
        self.end = 0  # end of the last operand
        self.plain = False  # holds something refused later: leave it alone

    def start(self, column: int) -> None:
        self.term = column if self.term is None else self.term
        self.factor = column if self.factor is None else self.factor


class _Chains:
    """Finds long ``a + b - c ...`` and ``a * b / c ...`` chains and plans
    parentheses grouping them ``_GROUP`` at a time (``+(0-c ...)``, ``*(1/c ...)``),
    so that ``ast.parse`` builds a shallow tree for 50,000 terms."""

    def __init__(self, tokens, edits):
        self.tokens, self.edits = tokens, edits

    def scan(self) -> None:
        frames = [_Frame()]
        operand = False  # the previous token ends an operand
        for kind, tok, start, end in self.tokens:
            frame = frames[-1]
            if kind == "name" and keyword.iskeyword(tok):
                frame.plain, operand = True, False
            elif kind != "op" or tok in _OPENING:
                if not operand:
                    frame.start(start)
                if tok in _OPENING:
                    frames.append(_Frame())
                    operand = False
                else:
                    frame.end, operand = end, True
            elif tok in _CLOSING:
                if len(frames) > 1:
                    self._end_segment(frames.pop())
                    frames[-1].end = end
                operand = True
            elif operand and tok in "+-":
                self._end_term(frame, (tok, start))
                operand = False
            elif operand and tok in "*/":
                self._end_factor(frame, (tok, start))
                operand = False
            elif tok == ",":
                self._end_segment(frame)
                frames[-1], operand = _Frame(), False
            elif tok in ("+", "-", "**", "^"):  # signs and powers stay inside one factor
                if not operand:
                    frame.start(start)
                operand = False
            else:
                frame.plain, operand = True, False
        if len(frames) == 1:
            self._end_segment(frames[0])

    def _end_factor(self, frame: _Frame, op=None) -> None:
        frame.factors.append((frame.mul_op, frame.factor, frame.end))
        frame.mul_op, frame.factor = op, None

    def _end_term(self, frame: _Frame, op=None) -> None:
        self._end_factor(frame)
        if not frame.plain:
            self._group(frame.factors, additive=False)
        frame.terms.append((frame.add_op, frame.term, frame.end))
        frame.factors, frame.mul_op = [], None
        frame.add_op, frame.term = op, None

    def _end_segment(self, frame: _Frame) -> None:
        if frame.term is not None:
            self._end_term(frame)
            if not frame.plain:
                self._group(frame.terms, additive=True)

    def _group(self, items, additive: bool) -> None:
        n = len(items)
        if n <= _GROUP or any(start is None for _, start, _ in items):
            return
        opens, closes, size = [0] * n, [0] * n, _GROUP
        while size < n:
            for first in range(0, n, size):
                opens[first] += 1
                closes[min(first + size, n) - 1] += 1
            size *= _GROUP
        for i, (op, start, end) in enumerate(items):
            if opens[i] and op is None:
                self.edits.append((start, 0, "(" * opens[i]))
            elif opens[i]:
                sign = {"-": "0-", "/": "1/"}.get(op[0], "")  # as the original: 0 - t, 1 / t
                self.edits.append((op[1], 1, ("+" if additive else "*") + "(" * opens[i] + sign))
            if closes[i]:
                self.edits.append((end, 0, ")" * closes[i]))


class _Builder:
    """Walks the checked tree without recursion (outer nodes are checked
    before inner ones) and builds SymPy bottom-up, guarding every constant."""

    def __init__(self, source: _Source, declared: Iterable[str] = ()):
        self.source = source
        self.declared = frozenset(declared)  # names that are symbols whatever else they could be
        self.count = 0
        self.symbols: dict[str, sympy.Symbol] = {}

    def build(self, root) -> sympy.Expr:
        values: list = []
        todo: list = [(root, 1, None)]
        try:
            while todo:
                node, depth, combine = todo.pop()
                if combine is not None:
                    k = combine[1]
                    args = values[len(values) - k :]
                    del values[len(values) - k :]
                    values.append(self._guarded(combine[0], node, args))
                    continue
                children, combine = self._check(node)
                if children and depth > MAX_DEPTH:
                    raise self.source.error(_TOO_DEEP, node)
                self.count += 1
                if self.count > MAX_NODES:
                    raise self.source.error(f"expression too large: more than {MAX_NODES} parts", node)
                if not children:  # a name or a number
                    values.append(self._guarded(combine, node, ()))
                    continue
                todo.append((node, depth, (combine, len(children))))
                todo += [(child, depth + 1, None) for child in reversed(children)]
        except RecursionError:
            raise ParseError(_TOO_DEEP, self.source.text, 0) from None
        return values[0]

    def _guarded(self, combine, node, args):
        try:
            return combine(node, *args)
        except (ArithmeticError, ValueError, TypeError) as e:
            message = str(e) if isinstance(e, ArithmeticError) and str(e) else "cannot be evaluated"
            raise self.source.error(f"'{self.source.segment(node)}': {message}", node) from None

    # ----- checks: which children to build, and how to combine them -------------

    def _check(self, node):
        src = self.source
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, (ast.Add, ast.Sub)):
                terms, signs = self._flatten(node, (ast.Add, ast.Sub), ast.Sub)
                return terms, lambda n, *a: self._add(n, a, signs)
            if isinstance(node.op, (ast.Mult, ast.Div)):
                factors, inverted = self._flatten(node, (ast.Mult, ast.Div), ast.Div)
                return factors, lambda n, *a: self._mul(n, a, inverted)
            if isinstance(node.op, ast.Pow):
                return [node.left, node.right], self._power
            op = _OPERATORS[type(node.op)]
            raise src.error(f"operator '{op}' is not allowed in an expression", node, src.after(node.left))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.UAdd, ast.USub)):
                negate = isinstance(node.op, ast.USub)
                return [node.operand], lambda n, a: -a if negate else a
            raise src.error(f"operator '{_OPERATORS[type(node.op)]}' is not allowed in an expression", node)
        if isinstance(node, ast.Name):
            self._check_name(node, node.id)
            if node.id in FUNCTIONS and node.id not in self.declared:
                raise src.error(f"'{node.id}' is a function; call it as {node.id}(...)", node)
            return [], self._name
        if isinstance(node, ast.Constant):
            return [], self._constant
        if isinstance(node, ast.Call):
            return self._check_call(node)
        if isinstance(node, ast.Attribute):
            assert node.end_col_offset is not None, "ast.parse records where each node ends"
            dot = src.code.rfind(".", 0, node.end_col_offset - len(node.attr))
            raise src.error("attribute access is not allowed in an expression", node, src.original(dot))
        if isinstance(node, ast.Subscript):
            bracket = src.code.find("[", node.value.end_col_offset)
            message = "subscripts ([...]) are not allowed in an expression"
            raise src.error(message, node, src.original(bracket))
        message = _REFUSED.get(type(node), f"'{src.segment(node)}' is not allowed in an expression")
        operand = _CARET_AFTER.get(type(node))
        raise src.error(message, node, src.after(operand(node)) if operand else None)

    def _check_name(self, node, name: str) -> None:
        if name.startswith("_"):
            raise self.source.error(f"names beginning with '_' are not allowed: '{name}'", node)

    def _check_call(self, node: ast.Call):
        src, func = self.source, node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Constant):
                self._constant(func)  # refuses strings, None, ...; numbers fall through
            if isinstance(func, (ast.BinOp, ast.UnaryOp, ast.Constant, ast.Call)):
                raise src.error("only functions can be called, by name, e.g. exp(x)", node, src.after(func))
            return self._check(func)  # report what the callee is (attribute, lambda, ...)
        name = func.id
        self._check_name(func, name)
        if name in self.declared and name not in FUNCTIONS:  # a declared exp still calls exp
            raise src.error(
                f"'{name}' is declared as a variable or parameter, not a function; to multiply write {name}*(...)", func
            )
        if name in CONSTANTS:
            raise src.error(f"'{name}' is a constant, not a function; to multiply write {name}*(...)", func)
        if name not in FUNCTIONS:
            close = _HINTS.get(name) or next(iter(difflib.get_close_matches(name, FUNCTIONS, 1, 0.6)), None)
            if close:
                hint = f"did you mean '{close}'?"
            elif len(name) == 1:
                hint = f"to multiply write {name}*(...)"
            else:
                hint = "known functions: " + ", ".join(sorted(FUNCTIONS))
            raise src.error(f"unknown function '{name}'; {hint}", func, kind=UnknownFunctionError)
        if node.keywords:
            word = node.keywords[0]
            what = "keyword arguments are" if word.arg else "'**' arguments are"
            raise src.error(f"{what} not allowed in an expression", word)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise src.error(_REFUSED[ast.Starred], arg)
        arity = ARITY.get(name, (1,))
        if len(node.args) not in arity:
            wanted = " or ".join(map(str, arity))
            plural = "" if arity == (1,) else "s"
            raise src.error(f"{name}() takes {wanted} argument{plural}, got {len(node.args)}", func)
        return node.args, lambda n, *a: self._call(n, name, a)

    @staticmethod
    def _flatten(node, ops, inverse):
        """Operands of a chain of same-precedence operators, left to right, and
        whether each is subtracted (divided)."""
        operands, flags, todo = [], [], [(node, False)]
        while todo:
            item, flag = todo.pop()
            if isinstance(item, ast.BinOp) and isinstance(item.op, ops):
                todo.append((item.right, flag != isinstance(item.op, inverse)))
                todo.append((item.left, flag))
            else:
                operands.append(item)
                flags.append(flag)
        return operands, flags

    # ----- building SymPy ---------------------------------------------------------

    def _name(self, node):
        if node.id in CONSTANTS and node.id not in self.declared:
            return CONSTANTS[node.id]
        if node.id not in self.symbols:
            self.symbols[node.id] = sympy.Symbol(node.id, real=True)
        return self.symbols[node.id]

    def _constant(self, node):
        value, src = node.value, self.source
        if isinstance(value, bool) or value is None:
            raise src.error(f"'{value}' is a reserved word; rename the parameter", node)
        if isinstance(value, int):
            return sympy.Integer(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise src.error(f"number too large: {src.segment(node)}", node)
            return self._number(sympy.Float(value), node)
        what = {complex: "complex numbers are", str: "strings are", bytes: "bytes are"}.get(type(value))
        raise src.error(f"{what or repr(value) + ' is'} not allowed in an expression", node)

    def _add(self, node, terms, negated):
        number, rest = sympy.Integer(0), []
        for term, minus in zip(terms, negated):
            term = -term if minus else term
            if term.is_Number:
                number = self._number(number + term, node)
            else:
                rest.append(term)
        return sympy.Add(number, *rest)

    def _mul(self, node, factors, inverted):
        coeff, rest, roots = sympy.Integer(1), [], 0.0
        for factor, inverse in zip(factors, inverted):
            if inverse:
                if factor == 0:
                    raise self.source.error(f"division by zero: '{self.source.segment(node)}'", node)
                factor = sympy.Pow(factor, -1)  # cannot outgrow the checked factor
            c, factor = factor.as_coeff_Mul()
            coeff = self._number(coeff * c, node)
            if factor is not sympy.S.One:
                rest.append(factor)
                roots += _magnitude(factor)[1]  # SymPy multiplies sqrt(2)*sqrt(3) into sqrt(6)
        if roots > MAX_LOG10:
            self._refuse_size("constant", node, 0.0, roots)
        result = sympy.Mul(coeff, *rest)
        self._number(result.as_coeff_Mul()[0], node)
        return result

    def _power(self, node, base, exponent):
        if exponent.is_Number:
            size, digits = _magnitude(base)
            scale = float(exponent)
            if abs(scale) * digits > MAX_LOG10:
                self._refuse_size("constant power", node, size * scale, abs(scale) * digits)
        result = sympy.Pow(base, exponent)
        self._number(result.as_coeff_Mul()[0], node)
        return self._defined(result, node)

    def _call(self, node, name, args):
        result = FUNCTIONS[name](*args)
        if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise self.source.error(f"'{self.source.segment(node)}' is undefined", node)
        self._number(result.as_coeff_Mul()[0], node)
        return self._defined(result, node)

    def _defined(self, result, node):
        if result in (sympy.zoo, sympy.nan):
            raise self.source.error(f"'{self.source.segment(node)}' is undefined (division by zero?)", node)
        if not result.free_symbols and result.is_extended_real is False:
            raise self.source.error(f"'{self.source.segment(node)}' is not a real number", node)
        return result

    def _number(self, value, node):
        """``value`` if it is not a number, or a number within 10**-300 .. 10**300
        that needs at most 300 digits; else a ParseError."""
        if value.is_Number:
            size, digits = _magnitude(value)
            if digits > MAX_LOG10:
                self._refuse_size("constant", node, size, digits)
        return value

    def _refuse_size(self, what: str, node, size: float, digits: float):
        segment = self.source.segment(node)
        if size > MAX_LOG10:
            message = f"{what} too large: {segment} exceeds 10**{MAX_LOG10}"
        elif size < -MAX_LOG10:
            message = f"{what} too small: {segment} is below 10**-{MAX_LOG10}"
        else:
            message = f"{what} too long to compute exactly: {segment} needs more than {MAX_LOG10} digits"
        raise self.source.error(message, node)


def _magnitude(expr) -> tuple[float, float]:
    """For the numbers and roots of numbers in a product: (log10 of their size,
    digits an exact value needs). Symbolic factors count as 1."""
    size = digits = 0.0
    for factor in sympy.Mul.make_args(expr):
        base, e = factor, 1.0
        if factor.is_Pow and factor.exp.is_Rational:
            base, e = factor.base, float(factor.exp)
        if base.is_Rational and base:
            p, q = _log10(base.p), _log10(base.q)
            size, digits = size + e * (p - q), digits + abs(e) * max(p, q)
        elif base.is_Float and base:
            value = abs(float(base))
            log = math.log10(value) if 0.0 < value < math.inf else (math.inf if value else -math.inf)
            size, digits = size + e * log, digits + abs(e * log)
    return size, digits


def _log10(n: int) -> float:
    return math.log10(abs(n)) if n else 0.0
