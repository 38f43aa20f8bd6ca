"""A pair term V(r), compiled once, evaluated over arrays of pair distances.

The expression is written in ``r`` (and parameters) and parsed by gradcli's
own front-end (``parse`` -> SymPy -> ``Program`` -> generated numpy code; the
text is never run). The assembly needs, per pair with d = x_i - x_j and
s = |d|**2 = r**2,

    V,    W = V'(r) / r = 2 dV/ds,    K = (V''(r) - V'(r)/r) / r**2 = 4 d^2V/ds^2,

since dV/dx_i = W d and the Hessian block d^2V/dx_i dx_i^T = K d d^T + W I.
These are the derivatives in r by the chain rule (V''(r) = W + K s), taken
as functions of s, which needs no square root or division by r for even
pair terms (SymPy turns (sigma/sqrt(s))**12 into sigma**12/s**6) and keeps
W finite at r = 0 whenever it has a limit (a spring k r**2).

Each order (V; V, W; V, W, K) is compiled once, on first use, from the
candidate that computes it in the fewest operations: the outputs as
functions of s or of u = 1/s (Lennard-Jones is a polynomial in u, as in a
hand-written LJ), from SymPy's derivatives as they come or with common
factors pulled out, or from the front-end's own derivative program
(``transforms``). A floating-point failure is diagnosed on the functions of
s and reported with r and the pair (``PairFailure``).

With a cutoff rc the pair term is V(r) - V(rc) for r < rc and 0 beyond:
energy-shifted, so V is continuous at rc (its derivative is not).

Example::

    >>> import numpy as np
    >>> lj = PairFunction("4*eps*((sigma/r)**12 - (sigma/r)**6)", {"eps": 1, "sigma": 1})
    >>> s = np.array([1.0, 2 ** (1 / 3)])            # s = r**2 at r = 1 and the minimum 2**(1/6)
    >>> lj.evaluate(s, 1).round(12)                  # rows V and W (W is 2e-15 at the minimum)
    array([[  0.,  -1.],
           [-24.,   0.]])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

import sympy

from .._lazy import LazyModule
from ..errors import DomainError, InputError
from ..frontend import codegen, transforms
from ..frontend.binding import bind, check_params, check_variables, read_expressions, substitute, symbol_for
from ..frontend.codegen import gc_paused
from ..frontend.compiled import ERRSTATE, Compiled
from ..frontend.domain import fmt
from ..frontend.program import Builder, Program, from_sympy

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

PAIR_VARIABLE = "r"
# Factoring candidates only for expressions of at most this many SymPy operations (cost of set-up).
FACTOR_MAX_OPS = 200


def _operations(program: Program) -> int:
    return sum(1 for ins in program.instrs if ins.op not in ("input", "const"))


class PairFunction:
    """V(r) of a pair term. ``evaluate(s, order)`` takes pair distances squared
    s (k,) and gives (V,) for order 0, (V, W) for 1, (V, W, K) for 2, shape
    (order + 1, k), the cutoff's shift already subtracted from V.
    ``cutoff`` is rc or None, ``shift`` is V(rc) (0.0 without a cutoff)."""

    def __init__(self, expression, params: Mapping[str, float] | None = None, cutoff: float | None = None):
        params = check_params(params)
        check_variables((PAIR_VARIABLE,), params)
        # Declared before parsing: r and the parameters are those symbols everywhere (as Potential does).
        self.text, (expr,), names = read_expressions(expression, declared={PAIR_VARIABLE, *params})
        _, self.params = bind((expr,), self.text, (PAIR_VARIABLE,), params, names)
        self.sympy_r = substitute(expr, self.params)  # V(r), parameters substituted
        self.s = sympy.Symbol("s", positive=True)
        self.sympy_s = self.sympy_r.xreplace({symbol_for(self.sympy_r, PAIR_VARIABLE): sympy.sqrt(self.s)})
        with gc_paused():
            self.program = from_sympy([self.sympy_s], ["s"], self.text)  # refuses what cannot compile
        self._compiled: dict[int, tuple[bool, object, Compiled]] = {}
        self.cutoff = None if cutoff is None else _check_cutoff(cutoff)
        self.shift = 0.0
        if self.cutoff is not None:
            try:
                self.shift = float(self.evaluate(np.array([self.cutoff**2]), 0)[0, 0])
            except PairFailure as failure:
                raise InputError(
                    f"the pair term cannot be evaluated at the cutoff r={fmt(self.cutoff)}: "
                    f"{failure.error.message.rsplit(' at s=', 1)[0]}"
                ) from None

    @property
    def shifted(self) -> bool:
        """True when a cutoff shifts the pair energy (V(r) - V(rc) inside rc)."""
        return self.cutoff is not None

    def _sympy_outputs(self, order: int) -> list:
        """[V, W, K][:order + 1] as SymPy expressions in s."""
        outputs = [self.sympy_s]
        if order >= 1:
            outputs.append(2 * sympy.diff(self.sympy_s, self.s))
        if order >= 2:
            outputs.append(4 * sympy.diff(self.sympy_s, self.s, 2))
        return outputs

    def _candidates(self, order: int):
        """(uses u = 1/s, Program) for each way of computing the outputs."""
        outputs = self._sympy_outputs(order)
        u = sympy.Symbol("u", positive=True)
        forms = [outputs]
        if sum(sympy.count_ops(e) for e in outputs) <= FACTOR_MAX_OPS:
            forms.append([sympy.factor_terms(e) for e in outputs])
        for form in forms:
            yield False, from_sympy(form, ["s"], self.text)
            yield True, from_sympy([e.xreplace({self.s: 1 / u}) for e in form], ["u"], self.text)
        # The front-end's reverse-mode derivatives of V(s), scaled to W and K.
        grad = transforms.grad_program(self.program)
        program = grad if order == 1 else transforms.hessian_program(self.program, grad) if order == 2 else None
        if program is not None:
            yield False, _scaled(program, (1.0, 2.0, 4.0)[: order + 1])

    def _get(self, order: int):
        found = self._compiled.get(order)
        if found is None:
            with gc_paused():
                in_u, program = min(self._candidates(order), key=lambda c: _operations(c[1]))
                checked = Compiled(from_sympy(self._sympy_outputs(order), ["s"], self.text), ("s",))
                found = self._compiled[order] = (in_u, codegen.compile_array(program), checked)
        return found

    def evaluate(self, s, order: int):
        """(V - V(rc), W, K)[:order + 1] at pair distances squared s (k,) -> (order + 1, k).

        The generated code runs straight under ``np.errstate`` raising; on a
        floating-point error the functions of s are diagnosed (``Compiled``)
        and ``PairFailure`` carries the error and the first failing pair."""
        in_u, f, checked = self._get(order)
        try:
            with np.errstate(**ERRSTATE):
                out = f.function(np.empty((order + 1, len(s))), np.empty((f.registers, len(s))), 1.0 / s if in_u else s)
        except FloatingPointError:
            raise self._failure(checked, s) from None
        if self.shift:
            out[0] -= self.shift
        return out

    def _failure(self, checked: Compiled, s) -> PairFailure:
        try:
            checked.array(s.reshape(-1, 1))
        except DomainError as error:
            return PairFailure(error, _index_of(s, error))
        # The functions of s evaluate where those of u = 1/s did not: only s = 0 does that.
        index = int(np.argmin(s))
        at_zero = DomainError("division by zero at s=0")
        at_zero.reason, at_zero.operation, at_zero.point = "division-by-zero", "div", (float(s[index]),)
        return PairFailure(at_zero, index)

    @cached_property
    def taylor_program(self):
        """V((t - c)**2 + e) as a Program of (t, c, e): derivatives of any order
        along one coordinate t of a pair whose other coordinates give e."""
        t, c, e = sympy.symbols("t c e", real=True)
        with gc_paused():
            return from_sympy([self.sympy_s.xreplace({self.s: (t - c) ** 2 + e})], ["t", "c", "e"], self.text)


def _scaled(program: Program, factors) -> Program:
    """``program`` with output k multiplied by factors[k]."""
    b = Builder(program.names, base=program)
    outputs = [o if k == 1.0 else b.mul(o, k) for o, k in zip(program.outputs, factors)]
    return b.build(outputs, program.primal_size)


class PairFailure(Exception):
    """A DomainError of the pair term at pair ``index`` of the array evaluated."""

    def __init__(self, error: DomainError, index: int):
        super().__init__(error.message)
        self.error = error
        self.index = index

    def domain_error(self, atoms: tuple[int, int], r: float, point=None, where: str = "") -> DomainError:
        """The DomainError a user sees: the operation, r, and the two atoms (1-based)."""
        what = self.error.message.rsplit(" at s=", 1)[0]
        error = DomainError(f"{what} in the pair term at r={fmt(r)} (atoms {atoms[0]} and {atoms[1]}{where})")
        error.reason = getattr(self.error, "reason", "unknown")
        error.operation = getattr(self.error, "operation", None)
        error.point = tuple(float(v) for v in point) if point is not None else (float(r),)
        return error


def _index_of(s, error: DomainError) -> int:
    """The first pair whose s is the failing point the diagnosis names."""
    point = getattr(error, "point", None)
    if point:
        hits = np.flatnonzero(s == point[0])
        if len(hits):
            return int(hits[0])
    return 0


def _check_cutoff(cutoff) -> float:
    try:
        value = float(cutoff)
    except (TypeError, ValueError):
        raise InputError(f"the cutoff must be a number, got {cutoff!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"the cutoff must be a positive number, got {cutoff!r}")
    return value
