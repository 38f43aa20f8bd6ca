"""From what the caller gave (text or SymPy, variables, params) to SymPy
expressions with the parameters substituted and the variables in order.

Text is parsed only by ``parse.py`` (never ``sympify``), after the variables
and parameters are checked: a declared name is that symbol everywhere, so
``pi`` declared as a parameter is the parameter, not the constant. Variables
are the names the text uses as symbols (as written, before SymPy simplifies:
``exp(x) - exp(x) + y`` has the variables x and y) that are not parameters,
in natural order (``x2`` before ``x10``) unless given; given variables are
checked: every name must be a variable or a parameter (unused declared
variables are fine).

Example::

    >>> text, exprs, names = read_expressions("0.5*k*x**2", declared={"k"})
    >>> bind(exprs, text, None, {"k": 2}, names)
    (('x',), {'k': 2.0})
    >>> substitute(exprs[0], {"k": 2.0})
    1.0*x**2
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence

import sympy

from ..errors import InputError
from .parse import natural_variable_order, parse_with_names
from .points import real_number


def read_expressions(
    expressions, *, vector: bool = False, declared: Iterable[str] = ()
) -> tuple[str | None, tuple, tuple[str, ...]]:
    """(text, SymPy expressions, symbol names as written) from a string
    (parsed safely; ``declared`` names are symbols everywhere) or SymPy; with
    ``vector`` a vector ("[a, b]", "a, b" or a sequence of strings / SymPy
    expressions), else one expression. The text is None for SymPy input
    (printing a large expression is slow, so ``Potential.text`` prints it
    only when asked); its names are its free symbols.

    >>> read_expressions("pi*r**2", declared={"r"})
    ('pi*r**2', (pi*r**2,), ('r',))
    """
    declared = frozenset(declared)
    if isinstance(expressions, str):
        parsed, found = parse_with_names(expressions, vector=vector, declared=declared)
        return expressions, parsed, found
    if isinstance(expressions, sympy.Basic) or not vector:
        expressions = (expressions,)
    try:
        items = list(expressions)
    except TypeError:
        raise InputError("expected a vector expression string or a sequence of expressions") from None
    if not items:
        raise InputError("a vector function needs at least one expression")
    texts: list[str | None] = []
    exprs = []
    names: set[str] = set()
    written: Iterable[str]
    for item in items:
        if isinstance(item, str):
            (expr,), written = parse_with_names(item, declared=declared)
            texts.append(item)
        elif isinstance(item, sympy.Basic):
            expr, written = item, [s.name for s in item.free_symbols if isinstance(s, sympy.Symbol)]
            texts.append(None)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            expr, written = sympy.Float(real_number(item, "a constant expression")), ()
            texts.append(repr(item))
        else:
            what = "a vector expression string or a sequence of" if vector else "an expression string or a SymPy"
            raise InputError(f"expected {what} expression{'s' * vector}, got {type(item).__name__}")
        exprs.append(expr)
        names.update(written)
    known = [t for t in texts if t is not None]
    if len(known) < len(texts):
        text = None
    else:
        text = "[" + ", ".join(known) + "]" if vector else known[0]
    return text, tuple(exprs), _natural_order(names)


def _natural_order(names):
    return tuple(natural_variable_order(names))


def _constant(value: float) -> sympy.Expr:
    # Integral values stay integers so that x**n with n=6 is an integer power
    # and derivative_expressions() shows 2*x, not 2.0*x.
    if value.is_integer() and abs(value) < 2**53:
        return sympy.Integer(int(value))
    return sympy.Float(value)


def check_params(params: Mapping[str, float] | None) -> dict[str, float]:
    """``{name: float}`` from a mapping of identifiers to real numbers.

    >>> check_params({"k": 2})
    {'k': 2.0}
    >>> check_params([("k", 1)])
    Traceback (most recent call last):
    gradcli.errors.InputError: params must be a mapping of names to numbers, e.g. {'k': 2.0}; got a list
    """
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise InputError(
            f"params must be a mapping of names to numbers, e.g. {{'k': 2.0}}; got a {type(params).__name__}"
        )
    checked = {}
    for name, value in params.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise InputError(f"a parameter name must be an identifier, got {name!r:.40}")
        checked[name] = real_number(value, f"parameter {name}")
    return checked


def check_variables(variables, params: Mapping[str, float]) -> tuple[str, ...] | None:
    """The declared variables as a tuple of names ("x, y" or a sequence), or
    None when none are declared; each a new identifier, not a parameter.

    >>> check_variables("x, y", {})
    ('x', 'y')
    """
    if variables is None:
        return None
    if isinstance(variables, str):
        variables = [v.strip() for v in variables.split(",") if v.strip()]
    try:
        variables = tuple(variables)
    except TypeError:
        raise InputError(
            f"variables must be a sequence of names, e.g. ('x', 'y'); got {type(variables).__name__}"
        ) from None
    for v in variables:
        if not isinstance(v, str) or not v.isidentifier():
            raise InputError(f"a variable name must be an identifier, got {v!r:.40}")
    duplicated = sorted({v for v in variables if variables.count(v) > 1})
    if duplicated:
        raise InputError(f"variable {duplicated[0]} is declared twice")
    both = [v for v in variables if v in params]
    if both:
        raise InputError(f"{both[0]} is declared both as a variable and as a parameter")
    return variables


def bind(
    exprs: Sequence,
    text: str | None,
    variables: Sequence[str] | None,
    params: Mapping[str, float] | None,
    names: Iterable[str] | None = None,
):
    """(variables tuple, params dict) for ``exprs``, checked. ``names`` are
    the symbol names the text was written with (default: the free symbols).
    The parameters are not substituted here (rebuilding a large SymPy tree is
    slow): the compiler reads them as constants, ``substitute`` does it for
    display."""
    params = check_params(params)
    variables = check_variables(variables, params)
    used = {s.name for e in exprs for s in e.free_symbols} | set(names or ())
    names = used - set(params)
    if variables is None:
        variables = _natural_order(names)
        if not variables:
            raise InputError("the expression has no variables (declare them to use a constant)")
    else:
        missing = _natural_order(names - set(variables))
        if missing:
            listed = ", ".join(missing)
            raise InputError(
                f"the expression uses {listed}, which {'is' if len(missing) == 1 else 'are'} "
                f"neither a variable ({', '.join(variables) or 'none declared'}) nor a parameter"
            )
        if not variables:
            raise InputError("at least one variable is needed")
    return variables, params


def substitute(expr, params: Mapping[str, float]):
    """expr with the parameters replaced by their values."""
    replace = {s: _constant(params[s.name]) for s in expr.free_symbols if s.name in params}
    return expr.xreplace(replace) if replace else expr


def symbol_for(expr, name: str) -> sympy.Symbol:
    """The symbol called ``name`` in expr (or a fresh real one if unused)."""
    for s in expr.free_symbols:
        if s.name == name:
            return s
    return sympy.Symbol(name, real=True)


def check_order(order) -> int:
    try:
        order = operator.index(order) if not isinstance(order, bool) else None
    except TypeError:
        order = int(order) if isinstance(order, float) and order.is_integer() else None
    if order is None:
        raise InputError(f"the order must be a whole number, got {order!r}")
    if order < 0:
        raise InputError(f"the order must be 0 or more, got {order}")
    return order


def variable_index(variables: Sequence[str], variable: str | None) -> int:
    if variable is None:
        return 0
    if variable not in variables:
        raise InputError(f"unknown variable {variable!r}; the variables are {', '.join(variables)}")
    return list(variables).index(variable)
