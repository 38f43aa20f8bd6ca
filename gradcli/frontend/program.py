"""A first-order SSA program (in the spirit of a JAX jaxpr) and its
construction from a SymPy expression.

A ``Program`` is a flat tuple of ``Instr(op, args, attr)``; instruction ``i``
defines value ``i``; ``args`` are indices of earlier values. ``input``
instructions carry the input's position as ``attr``, ``const`` ones the float.
``outputs`` lists the values returned. Everything else (derivatives, code,
engine graphs, domain diagnosis) is a pass over this one structure.

``Builder`` hash-conses instructions on ``(op, args, attr)``, so a shared
subexpression becomes one instruction, folds constants, and applies the
identities that keep derivative programs small (``x*1 -> x``, ``x+0 -> x``).

Example::

    >>> x = sympy.Symbol("x", real=True)
    >>> p = from_sympy([sympy.sin(x)**2 + sympy.sin(x)], ["x"])
    >>> print(p)          # sin(x) appears once
    v0 = input 0 (x)
    v1 = sin v0
    v2 = mul v1 v1
    v3 = add v1 v2
    return v3
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

import sympy

from ..errors import UnsupportedExpressionError
from .functions import ARITY, FROM_SYMPY, REWRITES
from .ops import fold

COMMUTATIVE = frozenset({"add", "mul"})
SIMPLIFIABLE = frozenset({"add", "sub", "mul", "div", "neg"})  # the ops _simplify knows


class Instr(NamedTuple):
    """One instruction. A NamedTuple (not a dataclass) because the builder
    hashes every instruction it is offered, and tuple hashing is native."""

    op: str
    args: tuple[int, ...] = ()
    attr: float | int | None = None


def input_position(ins: Instr) -> int:
    """An ``input`` instruction's position among the program's inputs (its ``attr``)."""
    position = ins.attr
    if not isinstance(position, int):
        raise TypeError(f"a {ins.op} instruction has no input position")
    return position


@dataclass(frozen=True)
class Program:
    """instrs: the instructions; names: one per input; outputs: value indices;
    primal_size: instructions below this index compute the original
    expression (the rest are derivatives; used only in error messages)."""

    instrs: tuple[Instr, ...]
    names: tuple[str, ...]
    outputs: tuple[int, ...]
    primal_size: int

    @property
    def n_inputs(self) -> int:
        return len(self.names)

    def __len__(self) -> int:
        return len(self.instrs)

    def __str__(self) -> str:
        lines = []
        for i, ins in enumerate(self.instrs):
            if ins.op == "input":
                rhs = f"input {ins.attr} ({self.names[input_position(ins)]})"
            elif ins.op == "const":
                rhs = f"const {ins.attr!r}"
            else:
                rhs = " ".join([ins.op, *(f"v{a}" for a in ins.args)])
            lines.append(f"v{i} = {rhs}")
        lines.append("return " + ", ".join(f"v{o}" for o in self.outputs))
        return "\n".join(lines)


class Builder:
    """Appends instructions with hash-consing, constant folding and the
    algebraic identities below. Methods take value indices or Python floats
    (made constants) and return value indices."""

    def __init__(self, names: Sequence[str], base: Program | None = None):
        self.names = tuple(names)
        self.instrs: list[Instr] = []
        self._index: dict[Instr, int] = {}
        self._consts: list[float | None] = []  # the constant held by each value, or None
        self.cache: dict = {}  # per-builder memo for transforms (e.g. users of values)
        if base is not None:  # continue an existing program: same value indices
            for ins in base.instrs:
                self._append(ins)
        else:
            for k in range(len(self.names)):
                self._append(Instr("input", (), k))

    def _append(self, ins: Instr) -> int:
        found = self._index.get(ins)
        if found is not None:
            return found
        self.instrs.append(ins)
        self._consts.append(ins.attr if ins.op == "const" else None)
        self._index[ins] = len(self.instrs) - 1
        return len(self.instrs) - 1

    def input(self, k: int) -> int:
        return self._append(Instr("input", (), k))

    def const(self, c: float) -> int:
        return self._append(Instr("const", (), float(c) + 0.0))  # +0.0 turns -0.0 into 0.0

    def value_of(self, v: int) -> float | None:
        """The constant held by value v, or None if v is not a constant."""
        return self._consts[v]

    def emit(self, op: str, *args: int | float) -> int:
        """The value of ``op`` applied to ``args`` (value indices or floats)."""
        if len(args) != ARITY[op]:
            raise TypeError(f"{op} takes {ARITY[op]} arguments, got {len(args)}")
        if all(type(a) is int for a in args):
            ids = cast("tuple[int, ...]", args)  # every one is an int, checked just above
        else:
            ids = tuple(a if type(a) is int else self.const(a) for a in args)
        table = self._consts
        consts = [table[a] for a in ids]
        if None not in consts:
            folded = fold(op, cast("tuple[float, ...]", tuple(consts)))  # no None, checked just above
            if folded is not None:
                return self.const(folded)
        if op in SIMPLIFIABLE:
            simpler = self._simplify(op, ids, consts)
            if simpler is not None:
                return simpler
        if op in COMMUTATIVE and ids[0] > ids[1]:
            ids = (ids[1], ids[0])
        ins = Instr(op, ids)
        found = self._index.get(ins)
        return found if found is not None else self._append(ins)

    def _simplify(self, op, args, consts) -> int | None:
        # Identities exact for finite values; they remove the 0s and 1s that
        # derivative rules and one-hot tangents would otherwise leave behind.
        a, b = (args + (None,))[:2]
        ca, cb = (consts + [None])[:2]
        ins_a = self.instrs[a]
        if op == "add":
            if ca == 0.0:
                return b
            if cb == 0.0:
                return a
            if self.instrs[b].op == "neg":
                return self.emit("sub", a, self.instrs[b].args[0])
            if ins_a.op == "neg":
                return self.emit("sub", b, ins_a.args[0])
        elif op == "sub":
            if cb == 0.0:
                return a
            if ca == 0.0:
                return self.emit("neg", b)
            if a == b:
                return self.const(0.0)
            if self.instrs[b].op == "neg":
                return self.emit("add", a, self.instrs[b].args[0])
        elif op == "mul":
            for c, other in ((ca, b), (cb, a)):
                if c == 0.0:
                    return self.const(0.0)
                if c == 1.0:
                    return other
                if c == -1.0:
                    return self.emit("neg", other)
            if ins_a.op == "neg" and self.instrs[b].op == "neg":
                return self.emit("mul", ins_a.args[0], self.instrs[b].args[0])
            if ins_a.op == "neg":
                return self.emit("neg", self.emit("mul", ins_a.args[0], b))
            if self.instrs[b].op == "neg":
                return self.emit("neg", self.emit("mul", a, self.instrs[b].args[0]))
        elif op == "div":
            if cb == 1.0:
                return a
            if ca == 0.0:
                return self.const(0.0)
            if cb is not None and cb != 0.0 and math.frexp(cb)[0] in (0.5, -0.5):
                return self.emit("mul", a, 1.0 / cb)  # x/4 = x*0.25 exactly (not so for x/3)
        elif op == "neg" and ins_a.op == "neg":
            return ins_a.args[0]
        return None

    # Shorthands used by the SymPy table and the derivative rules.
    def add(self, a, b):
        return self.emit("add", a, b)

    def sub(self, a, b):
        return self.emit("sub", a, b)

    def mul(self, a, b):
        return self.emit("mul", a, b)

    def div(self, a, b):
        return self.emit("div", a, b)

    def neg(self, a):
        return self.emit("neg", a)

    def fn(self, op, *args):
        return self.emit(op, *args)

    def powi(self, x: int, n: int) -> int:
        """x**n for an integer n as multiplications, squaring halves so that
        x**-6 reuses x**-3 (which the LJ potential also needs)."""
        if n == 0:
            return self.const(1.0)
        if n == 1:
            return x
        if n == -1:
            return self.div(1.0, x)
        if n % 2 == 0:
            half = self.powi(x, n // 2)
            return self.mul(half, half)
        if n < 0:
            return self.div(1.0, self.powi(x, -n))
        return self.mul(x, self.powi(x, n - 1))

    def build(self, outputs: Iterable[int], primal_size: int | None = None) -> Program:
        """The program computing ``outputs``, without dead instructions."""
        outputs = tuple(outputs)
        live = set(outputs)
        for i in range(len(self.instrs) - 1, -1, -1):
            ins = self.instrs[i]
            if i in live or ins.op == "input":
                live.add(i)
                live.update(ins.args)
        keep = sorted(live)
        new_id = {old: new for new, old in enumerate(keep)}
        instrs = tuple(
            Instr(ins.op, tuple(new_id[a] for a in ins.args), ins.attr) for ins in (self.instrs[i] for i in keep)
        )
        size = len(keep) if primal_size is None else sum(1 for i in keep if i < primal_size)
        return Program(instrs, self.names, tuple(new_id[o] for o in outputs), size)


# ----- SymPy -> Program ----------------------------------------------------------

_SPECIAL_NAMES: dict[object, str] = {
    sympy.zoo: "zoo (complex infinity)",
    sympy.oo: "oo (infinity)",
    -sympy.oo: "-oo (infinity)",
    sympy.nan: "nan",
    sympy.I: "I (the imaginary unit)",
}
#: Why a construct the user rarely typed is there: SymPy made it (I from sqrt(-x**2) = I*|x|, say).
_HOW_SYMPY_MADE_IT: dict[object, str] = {
    sympy.I: ": SymPy found the expression not real (as sqrt(-x**2) = I*|x|); gradcli computes with reals",
}


def _unsupported(node, text: str | None) -> UnsupportedExpressionError:
    name = _SPECIAL_NAMES.get(node)
    if name is None:
        name = getattr(type(node), "__name__", str(node))
    column = None
    if text is not None:
        found = text.find(name.split(" ")[0])
        column = found if found >= 0 else None
    why = _HOW_SYMPY_MADE_IT.get(node, "")
    return UnsupportedExpressionError(f"'{name}' has no engine operation{why}", text, column)


def _sigmoid_argument(base):
    """u when base is 1 + exp(-u), else None."""
    if base.is_Add and len(base.args) == 2 and sympy.S.One in base.args:
        (other,) = [a for a in base.args if a is not sympy.S.One]
        if isinstance(other, sympy.exp):
            return -other.args[0]
    return None


class _Converter:
    def __init__(self, builder: Builder, symbols: dict, text: str | None):
        self.b = builder
        self.symbols = symbols  # sympy.Symbol -> input value index
        self.text = text
        self.memo: dict = {}

    def __call__(self, node) -> int:
        found = self.memo.get(node)
        if found is None:
            found = self.memo[node] = self.convert(node)
        return found

    def convert(self, node) -> int:
        b = self.b
        if node.is_Symbol:
            if node not in self.symbols:
                raise _unsupported(node, self.text)
            return self.symbols[node]
        if node.is_Number or node.is_NumberSymbol:
            if node.is_real and node.is_finite:
                return b.const(float(node))
            raise _unsupported(node, self.text)
        if node.is_Add:
            return self.add(node)
        if node.is_Mul:
            return self.mul(node)
        if node.is_Pow:
            return self.pow(node.base, node.exp)
        op = FROM_SYMPY.get(type(node))
        if op is not None and len(node.args) == ARITY[op]:
            return b.fn(op, *(self(arg) for arg in node.args))
        rewrite = REWRITES.get(type(node))
        if rewrite is not None:  # sec(x) -> 1/cos(x), ...
            return self(rewrite(*node.args))
        raise _unsupported(node, self.text)

    def add(self, node) -> int:
        # Terms with a negative coefficient are subtracted: a - 2*b, not a + (-2)*b.
        total: int | None = None
        for term in node.args:
            negative = term.could_extract_minus_sign()
            v = self(-term) if negative else self(term)
            if total is None:
                total = self.b.neg(v) if negative else v
            else:
                total = self.b.sub(total, v) if negative else self.b.add(total, v)
        assert total is not None, "a sympy Add has terms"
        return total

    def mul(self, node) -> int:
        coeff, rest = node.as_coeff_Mul()
        numer, denom = [], []
        for factor in sympy.Mul.make_args(rest):
            if factor.is_Pow and factor.exp == -1 and _sigmoid_argument(factor.base) is not None:
                numer.append(self(factor))
                continue
            # x/y divides; x*y**-3 multiplies by y**-3, which y**-6 = (y**-3)**2 shares.
            if (
                factor.is_Pow
                and factor.exp.is_Number
                and factor.exp.is_negative
                and not (factor.exp.is_Integer and factor.exp < -1)
            ):
                denom.append(self.pow(factor.base, -factor.exp))
            else:
                numer.append(self(factor))
        b = self.b
        result: int | None = None
        for v in numer:
            result = v if result is None else b.mul(result, v)
        if denom:
            d = denom[0]
            for v in denom[1:]:
                d = b.mul(d, v)
            result = b.div(1.0 if result is None else result, d)
        # a product has a factor besides its coefficient (a bare number is converted as a number)
        assert result is not None
        if coeff != 1:
            result = b.mul(float(coeff), result)
        return result

    def pow(self, base, exponent) -> int:
        b = self.b
        if exponent == -1:
            u = _sigmoid_argument(base)
            if u is not None:  # 1/(1 + exp(-u)): the parser's sigmoid, kept overflow-free
                return b.fn("sigmoid", self(u))
        x = self(base)
        e = self(exponent)
        c = b.value_of(e)  # a number, a parameter or a constant expression
        if c is not None and c.is_integer() and abs(c) <= 1024:
            return b.powi(x, int(c))
        if c == 0.5:
            return b.fn("sqrt", x)
        if c == -0.5:
            return b.div(1.0, b.fn("sqrt", x))
        return b.fn("pow", x, e)


def from_sympy(
    exprs: Sequence, variables: Sequence[str], text: str | None = None, constants: dict[str, float] | None = None
) -> Program:
    """A Program with one input per variable (in order) and one output per
    expression. Symbols are matched to variables by name; symbols named in
    ``constants`` (the parameters) become those constants.

    Raises UnsupportedExpressionError naming a construct with no engine
    operation (``gamma(x)``, ``Max(x, y)``, ``I``, ``zoo``, ...)."""
    builder = Builder(variables)
    position = {name: k for k, name in enumerate(variables)}
    symbols = {}
    for e in exprs:
        for s in e.free_symbols:
            if s.name in position:
                symbols[s] = builder.input(position[s.name])
            elif constants and s.name in constants:
                symbols[s] = builder.const(constants[s.name])
    convert = _Converter(builder, symbols, text)
    try:
        outputs = [convert(e if isinstance(e, sympy.Basic) else sympy.Float(float(e))) for e in exprs]
    except RecursionError:
        raise UnsupportedExpressionError("expression is nested too deeply to compile", text) from None
    return builder.build(outputs)
