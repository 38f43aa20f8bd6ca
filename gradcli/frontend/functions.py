"""The registry of gradcli's primitive operations and of the functions a user
can type: one row each. Every other table is keyed by these names.

A *primitive* (``PRIMITIVES``) is an opcode of the ``Program``. Its row gives
its arity, the SymPy class converted to it, what the user types to get it and
the words for a failure (its domain description). Its other interpretations
live beside the machinery that uses them, one row per opcode in each:

====================  =====================================================
``ops.SCALAR``        float implementation (``math``), used by generated code
``ops.ARRAY``         numpy implementation, used by batches and diagnosis
``transforms.RULES``  derivative, one formula per input in IR ops (reverse
                      and forward mode both derive from it)
``taylor.RULES``      truncated Taylor series, for derivatives of any order
``engine_graph.ENGINE``  the autograd engine's operation
====================  =====================================================

``tests/frontend/test_functions.py`` fails when one of these tables lacks a
primitive this registry names (or names one it does not), so adding a
primitive is the checklist in ``docs/DEVELOPING.md``: a row here, then one row
in each table, then a row in the SymPy-checked tests.

A *definition* (``DEFINITIONS``) is a function written in primitives
(``sec(x) = 1/cos(x)``, ``log10(x) = log(x)/log(10)``): one row gives what the
parser builds and, when SymPy has a class for it, how that class is
rewritten, so it needs no interpretation of its own.

Example::

    >>> PRIMITIVES["erf"].arity, PRIMITIVES["erf"].sympy
    (1, erf)
    >>> PRIMITIVES["log"].describe([-2.0])
    'log of a negative number (-2)'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy


def fmt(x: float) -> str:
    """A number as a person writes it: 3, -2, 0.5, 1e+300."""
    return f"{float(x):.12g}"


@dataclass(frozen=True)
class Primitive:
    """One opcode. ``sympy``: the SymPy class converted to it (None when it
    comes from ``+ - * / **`` or a pattern); ``typed``: what the parser
    builds for ``name(...)`` (None: not typed by name); ``domain(args)``: what
    went wrong when finite ``args`` gave inf or NaN, or None for "overflow";
    ``noun``: the operation in "overflow in <noun>"; ``derivative_only``: the
    op appears only in derivative programs (its message says so itself)."""

    name: str
    arity: int
    sympy: type | None
    typed: Callable | None
    domain: Callable[[Sequence[float]], str | None] | None
    noun: str = ""
    derivative_only: bool = False

    def describe(self, args: Sequence[float]) -> str:
        """What went wrong when this op on finite ``args`` gave inf or NaN."""
        what = self.domain(args) if self.domain is not None else None
        return what or f"overflow in {self.noun or self.name}"


@dataclass(frozen=True)
class Definition:
    """A function written in primitives: ``build(*args)`` is its SymPy
    expression; ``sympy`` is SymPy's own class for it, if any (rewritten to
    ``build`` by the compiler)."""

    name: str
    arity: tuple[int, ...]
    sympy: type | None
    build: Callable


class cbrt(sympy.Function):
    """The real cube root: cbrt(-8) = -2. (SymPy's ``cbrt`` and ``Cbrt`` are the
    principal root, complex for a negative argument.)"""

    @classmethod
    def eval(cls, arg):
        if arg.is_Number:
            return sympy.real_root(arg, 3)
        return None

    def fdiff(self, argindex=1):
        return 1 / (3 * cbrt(self.args[0]) ** 2)

    # What SymPy knows of the argument holds for its real cube root: without these,
    # 1 + cbrt(c)**2 was not known to be positive and atan2(1, it) became -I*log(...).
    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_finite(self):
        return self.args[0].is_finite

    def _eval_is_extended_positive(self):
        return self.args[0].is_extended_positive

    def _eval_is_extended_negative(self):
        return self.args[0].is_extended_negative

    def _eval_is_zero(self):
        return self.args[0].is_zero

    def _eval_evalf(self, prec):
        arg = self.args[0]._eval_evalf(prec)
        if arg is None or not arg.is_Number:
            return None
        return (sympy.sign(arg) * abs(arg) ** sympy.Rational(1, 3))._eval_evalf(prec)


def _log_domain(a):
    return "log of zero" if a[0] == 0 else f"log of a negative number ({fmt(a[0])})"


def _pow_domain(a):
    base, exponent = a
    if base == 0 and exponent < 0:
        return f"zero raised to a negative power ({fmt(exponent)})"
    if base < 0 and not float(exponent).is_integer():
        return f"non-integer power ({fmt(exponent)}) of a negative number ({fmt(base)})"
    return None


def _outside(name, interval):
    return lambda a: f"{name} of a value outside {interval} ({fmt(a[0])})"


def _sigmoid(x):
    return 1 / (1 + sympy.exp(-x))


def _log(x, base=None):
    if base is None:
        return sympy.log(x)
    if base.is_number and not (base.is_positive and base != 1):
        raise ArithmeticError("the base of a logarithm must be positive and not 1")
    return sympy.log(x, base)


_ROWS = [
    # ----- arithmetic (from the operators; no SymPy class of their own) -----
    Primitive("add", 2, None, None, None, "addition"),
    Primitive("sub", 2, None, None, None, "subtraction"),
    Primitive("mul", 2, None, None, None, "multiplication"),
    Primitive("div", 2, None, None, lambda a: "division by zero" if a[1] == 0 else None, "division"),
    Primitive("neg", 1, None, None, None, "negation"),
    Primitive("pow", 2, None, None, _pow_domain, "power"),
    # ----- elementary functions -----
    Primitive("exp", 1, sympy.exp, sympy.exp, None),
    Primitive("log", 1, sympy.log, _log, _log_domain),
    Primitive("sqrt", 1, None, sympy.sqrt, lambda a: f"square root of a negative number ({fmt(a[0])})"),
    Primitive("cbrt", 1, cbrt, cbrt, None),
    Primitive("sin", 1, sympy.sin, sympy.sin, None),
    Primitive("cos", 1, sympy.cos, sympy.cos, None),
    Primitive("tan", 1, sympy.tan, sympy.tan, None),  # no double is a pole: tan stays finite
    Primitive("sinh", 1, sympy.sinh, sympy.sinh, None),
    Primitive("cosh", 1, sympy.cosh, sympy.cosh, None),
    Primitive("tanh", 1, sympy.tanh, sympy.tanh, None),
    Primitive("asin", 1, sympy.asin, sympy.asin, _outside("asin", "[-1, 1]")),
    Primitive("acos", 1, sympy.acos, sympy.acos, _outside("acos", "[-1, 1]")),
    Primitive("atan", 1, sympy.atan, sympy.atan, None),
    Primitive("atan2", 2, sympy.atan2, sympy.atan2, None),
    Primitive("asinh", 1, sympy.asinh, sympy.asinh, None),
    Primitive("acosh", 1, sympy.acosh, sympy.acosh, lambda a: f"acosh of a value below 1 ({fmt(a[0])})"),
    Primitive("atanh", 1, sympy.atanh, sympy.atanh, _outside("atanh", "(-1, 1)")),
    Primitive("erf", 1, sympy.erf, sympy.erf, None),
    Primitive("erfc", 1, sympy.erfc, sympy.erfc, None),
    Primitive("abs", 1, sympy.Abs, sympy.Abs, None),
    Primitive("sign", 1, sympy.sign, None, None),
    Primitive("sigmoid", 1, None, _sigmoid, None),  # the parser's 1/(1 + exp(-x)), found by pattern
    # ----- the derivatives of abs and sign: undefined at 0, which makes every
    # command refuse a kink the way `derivative` does -----
    Primitive(
        "dabs",
        1,
        None,
        None,
        lambda a: "abs at its kink (argument 0): the derivatives are not defined",
        derivative_only=True,
    ),
    Primitive(
        "dsign",
        1,
        None,
        None,
        lambda a: "sign at its jump (argument 0): the derivatives are not defined",
        derivative_only=True,
    ),
]
PRIMITIVES: dict[str, Primitive] = {row.name: row for row in _ROWS}

DEFINITIONS: dict[str, Definition] = {
    row.name: row
    for row in [
        Definition("sec", (1,), sympy.sec, lambda x: 1 / sympy.cos(x)),
        Definition("csc", (1,), sympy.csc, lambda x: 1 / sympy.sin(x)),
        Definition("cot", (1,), sympy.cot, lambda x: 1 / sympy.tan(x)),
        Definition("log10", (1,), None, lambda x: sympy.log(x, 10)),
        Definition("log2", (1,), None, lambda x: sympy.log(x, 2)),
    ]
}

#: opcode -> number of arguments (``input`` and ``const`` are the Program's leaves)
ARITY: dict[str, int] = {**{name: row.arity for name, row in PRIMITIVES.items()}, "input": 0, "const": 0}

#: SymPy class -> opcode
FROM_SYMPY: dict[type, str] = {row.sympy: name for name, row in PRIMITIVES.items() if row.sympy is not None}

#: SymPy class -> its definition in primitives (``sympy.sec(x)`` -> ``1/cos(x)``)
REWRITES: dict[type, Callable] = {row.sympy: row.build for row in DEFINITIONS.values() if row.sympy is not None}

#: the names a user may call, each with its SymPy builder and accepted argument counts
TYPED: dict[str, Callable] = {
    **{name: row.typed for name, row in PRIMITIVES.items() if row.typed is not None},
    **{name: row.build for name, row in DEFINITIONS.items()},
}
TYPED_ARITY: dict[str, tuple[int, ...]] = {
    **{name: (row.arity,) for name, row in PRIMITIVES.items() if row.typed is not None},
    **{name: row.arity for name, row in DEFINITIONS.items()},
    "log": (1, 2),  # log(x, base)
}
