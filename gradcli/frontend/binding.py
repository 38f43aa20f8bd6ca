"""From what the caller gave (text or SymPy, variables, params) to SymPy
expressions with the parameters substituted and the variables in order.

Text is parsed only by ``parse.py`` (never ``sympify``). Variables are the
free symbols that are not parameters, in natural order (``x2`` before
``x10``) unless given; given variables are checked: every free symbol must be
a variable or a parameter (unused declared variables are fine).

Example::

    >>> bind((parse_expression("0.5*k*x**2"),), "0.5*k*x**2", None, {"k": 2})
    (('x',), {'k': 2.0})
    >>> substitute(parse_expression("0.5*k*x**2"), {"k": 2.0})
    1.0*x**2
"""

from __future__ import annotations

import math
import operator
from typing import Mapping, Sequence

import sympy

from ..errors import InputError


def read_expression(expression) -> tuple[str | None, sympy.Expr]:
    """(text, SymPy expression) from a string (parsed safely) or SymPy; the
    text is None for SymPy input (printing a large expression is slow, so
    ``Potential.text`` prints it only when asked)."""
    if isinstance(expression, str):
        from .parse import parse_expression

        return expression, parse_expression(expression)
    if isinstance(expression, sympy.Basic):
        return None, expression
    if isinstance(expression, (int, float)) and not isinstance(expression, bool):
        return repr(expression), sympy.Float(float(expression))
    raise InputError(f"expected an expression string or a SymPy expression, got {type(expression).__name__}")


def read_vector(expressions) -> tuple[str | None, tuple]:
    """(text, tuple of SymPy expressions) from "[a, b]" / "a, b", or a
    sequence of strings / SymPy expressions."""
    if isinstance(expressions, str):
        from .parse import parse_vector

        return expressions, tuple(parse_vector(expressions))
    if isinstance(expressions, sympy.Basic):
        expressions = (expressions,)
    try:
        items = [read_expression(e) for e in expressions]
    except TypeError:
        raise InputError("expected a vector expression string or a sequence of expressions") from None
    if not items:
        raise InputError("a vector function needs at least one expression")
    if any(t is None for t, _ in items):
        return None, tuple(e for _, e in items)
    return "[" + ", ".join(t for t, _ in items) + "]", tuple(e for _, e in items)


def _natural_order(names):
    try:
        from .parse import natural_variable_order
    except ImportError:  # the parser not yet in place: same rule, locally
        import re

        def natural_variable_order(names):
            def key(name):
                return [(0, int(p), "") if p.isdigit() else (1, 0, p)
                        for p in re.findall(r"\d+|\D+", name)]

            return tuple(sorted(names, key=key))
    return tuple(natural_variable_order(names))


def _constant(value: float) -> sympy.Expr:
    # Integral values stay integers so that x**n with n=6 is an integer power
    # and derivative_expressions() shows 2*x, not 2.0*x.
    if value.is_integer() and abs(value) < 2**53:
        return sympy.Integer(int(value))
    return sympy.Float(value)


def check_params(params: Mapping[str, float] | None) -> dict[str, float]:
    checked = {}
    for name, value in (params or {}).items():
        if not isinstance(name, str) or not name.isidentifier():
            raise InputError(f"a parameter name must be an identifier, got {name!r}")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputError(f"parameter {name} must be a number, got {value!r}") from None
        if not math.isfinite(value):
            raise InputError(f"parameter {name} must be a finite number, got {value}")
        checked[name] = value
    return checked


def bind(exprs: Sequence, text: str | None, variables: Sequence[str] | None,
         params: Mapping[str, float] | None):
    """(variables tuple, params dict) for ``exprs``, checked. The parameters
    are not substituted here (rebuilding a large SymPy tree is slow): the
    compiler reads them as constants, ``substitute`` does it for display."""
    params = check_params(params)
    if variables is not None:
        if isinstance(variables, str):
            variables = [v.strip() for v in variables.split(",") if v.strip()]
        variables = tuple(variables)
        for v in variables:
            if not isinstance(v, str) or not v.isidentifier():
                raise InputError(f"a variable name must be an identifier, got {v!r}")
        duplicated = sorted({v for v in variables if variables.count(v) > 1})
        if duplicated:
            raise InputError(f"variable {duplicated[0]} is declared twice")
        both = [v for v in variables if v in params]
        if both:
            raise InputError(f"{both[0]} is declared both as a variable and as a parameter")
    names = {s.name for e in exprs for s in e.free_symbols} - set(params)
    if variables is None:
        variables = _natural_order(names)
        if not variables:
            raise InputError("the expression has no variables (declare them to use a constant)")
    else:
        missing = _natural_order(names - set(variables))
        if missing:
            listed = ", ".join(missing)
            raise InputError(f"the expression uses {listed}, which {'is' if len(missing) == 1 else 'are'} "
                             f"neither a variable ({', '.join(variables) or 'none declared'}) nor a parameter")
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
