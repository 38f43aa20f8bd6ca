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
import re
from collections.abc import Iterable

import sympy

from .parse_build import ARITY, CONSTANTS, FUNCTIONS, HINTS, MAX_LOG10, MAX_NODES, Builder
from .parse_source import MAX_DEPTH, MAX_DIGITS, Source

__all__ = [
    "ARITY",
    "CONSTANTS",
    "FUNCTIONS",
    "HINTS",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_LOG10",
    "MAX_NODES",
    "natural_variable_order",
    "parse_expression",
    "parse_vector",
    "parse_with_names",
]

_SINGLE = "a potential is a single expression"


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
    source = Source(text, max_length)
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
    builder = Builder(source, declared)
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
