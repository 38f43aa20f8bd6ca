"""The checked ``ast`` tree to SymPy: the whitelist of functions and
constants, the refused constructs and their messages, and a builder that walks
the tree without recursion and guards every constant's size before SymPy
computes it.
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Callable, Iterable

import sympy

from ..errors import ParseError, UnknownFunctionError
from .functions import TYPED, TYPED_ARITY
from .parse_source import MAX_DEPTH, TOO_DEEP, Source

MAX_NODES = 200_000
MAX_LOG10 = 300  # constants stay within 10**-300 .. 10**300

# The whitelist: each name a user may call and how its SymPy node is built
# (one row per function in functions.py, the registry).
FUNCTIONS: dict[str, Callable[..., sympy.Expr]] = TYPED
ARITY = {name: counts for name, counts in TYPED_ARITY.items() if counts != (1,)}  # others take one
CONSTANTS = {"pi": sympy.pi, "E": sympy.E}
HINTS = {
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


class Builder:
    """Walks the checked tree without recursion (outer nodes are checked
    before inner ones) and builds SymPy bottom-up, guarding every constant."""

    def __init__(self, source: Source, declared: Iterable[str] = ()):
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
                    raise self.source.error(TOO_DEEP, node)
                self.count += 1
                if self.count > MAX_NODES:
                    raise self.source.error(f"expression too large: more than {MAX_NODES} parts", node)
                if not children:  # a name or a number
                    values.append(self._guarded(combine, node, ()))
                    continue
                todo.append((node, depth, (combine, len(children))))
                todo += [(child, depth + 1, None) for child in reversed(children)]
        except RecursionError:
            raise ParseError(TOO_DEEP, self.source.text, 0) from None
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
            close = HINTS.get(name) or next(iter(difflib.get_close_matches(name, FUNCTIONS, 1, 0.6)), None)
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
