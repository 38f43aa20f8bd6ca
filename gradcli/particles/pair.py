"""A pair term V(r), compiled once, evaluated over arrays of pair distances.

The expression is written in ``r`` (and parameters) and parsed by gradcli's
own front-end (``parse`` -> SymPy -> ``Program`` -> generated numpy code; the
text is never run). It is compiled as a function of s = r**2: the assembly
then needs no square root or division by r for even pair terms such as
Lennard-Jones (SymPy turns (sigma/sqrt(s))**12 into sigma**12/s**6), and
V'(r)/r, which the forces need, is finite at r = 0 whenever it has a limit.
The derivatives in r follow exactly by the chain rule:

    V'(r) / r = 2 V_s,        V''(r) = 2 V_s + 4 s V_ss,

so the 3x3 block of the Hessian for the pair (i, j) with d = x_i - x_j is

    d^2 V / dx_i dx_i^T = 4 V_ss d d^T + 2 V_s I.

With a cutoff rc the pair term is V(r) - V(rc) for r < rc and 0 beyond:
energy-shifted, so V is continuous at rc (its derivative is not).

Example::

    >>> lj = PairFunction("4*eps*((sigma/r)**12 - (sigma/r)**6)", {"eps": 1, "sigma": 1})
    >>> lj.energy(np.array([2 ** (1 / 3)]))          # s = r**2 at the minimum r = 2**(1/6)
    array([-1.])
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Mapping

from .._lazy import LazyModule
from ..errors import DomainError, InputError
from ..frontend import codegen, transforms
from ..frontend.binding import bind, read_expression, substitute, symbol_for
from ..frontend.codegen import gc_paused
from ..frontend.compiled import ERRSTATE, Compiled
from ..frontend.domain import fmt
from ..frontend.program import from_sympy

np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

PAIR_VARIABLE = "r"


class PairFunction:
    """V(r) of a pair term, with ``energy(s)``, ``energy_d1(s)`` and
    ``energy_d2(s)`` taking pair distances squared s, shape (k,), and giving
    V (k,), (V, V_s) (2, k) and (V, V_s, V_ss) (3, k), with the cutoff's
    shift already subtracted from V. ``cutoff`` is rc or None, ``shift`` is
    V(rc) (0.0 without a cutoff)."""

    def __init__(self, expression, params: Mapping[str, float] | None = None, cutoff: float | None = None):
        import sympy

        self.text, expr = read_expression(expression)
        _, self.params = bind((expr,), self.text, (PAIR_VARIABLE,), params)
        self.sympy_r = substitute(expr, self.params)  # V(r), parameters substituted
        s = sympy.Symbol("s", positive=True)
        self.sympy_s = self.sympy_r.xreplace({symbol_for(self.sympy_r, PAIR_VARIABLE): sympy.sqrt(s)})
        with gc_paused():
            self.program = from_sympy([self.sympy_s], ["s"], self.text)
        self._value = Compiled(self.program, ("s",))
        self._code: dict[Compiled, object] = {}  # Compiled -> its generated numpy function f(out, s)
        self.cutoff = None if cutoff is None else _check_cutoff(cutoff)
        self.shift = 0.0
        if self.cutoff is not None:
            try:
                self.shift = float(self._value.array(np.array([[self.cutoff**2]]))[0, 0])
            except DomainError as error:
                raise InputError(f"the pair term cannot be evaluated at the cutoff r={fmt(self.cutoff)}: "
                                 f"{error.message}") from None

    @property
    def shifted(self) -> bool:
        """True when a cutoff shifts the pair energy (V(r) - V(rc) inside rc)."""
        return self.cutoff is not None

    @cached_property
    def _grad(self) -> Compiled:
        with gc_paused():
            return Compiled(transforms.grad_program(self.program), ("s",))

    @cached_property
    def _hessian(self) -> Compiled:
        with gc_paused():
            grad = self._grad.program
            return Compiled(transforms.hessian_program(self.program, grad), ("s",))

    def _run(self, compiled: Compiled, s):
        """The outputs (k, len(s)) of ``compiled`` at s (k,). The generated code
        runs straight, under ``np.errstate`` raising (see ``ERRSTATE``); on a
        floating-point error ``Compiled.array`` diagnoses it and ``PairFailure``
        carries the first failing pair."""
        f = self._code.get(compiled)
        if f is None:
            with gc_paused():
                f = self._code[compiled] = codegen.compile_array(compiled.program)
        try:
            with np.errstate(**ERRSTATE):
                return f(np.empty((len(compiled.program.outputs), len(s))), s)
        except FloatingPointError:
            pass
        try:
            compiled.array(s.reshape(-1, 1))
        except DomainError as error:
            raise PairFailure(error, _index_of(s, error)) from None
        raise PairFailure(DomainError("the pair term failed"), 0)  # pragma: no cover - the diagnosis always finds it

    def energy(self, s):
        """V(r) - V(rc) for pair distances squared s (k,) -> (k,)."""
        out = self._run(self._value, s)[0]
        return out - self.shift if self.shift else out

    def energy_d1(self, s):
        """(V - V(rc), dV/ds) for s (k,) -> (2, k)."""
        out = self._run(self._grad, s)
        if self.shift:
            out[0] -= self.shift
        return out

    def energy_d2(self, s):
        """(V - V(rc), dV/ds, d^2V/ds^2) for s (k,) -> (3, k)."""
        out = self._run(self._hessian, s)
        if self.shift:
            out[0] -= self.shift
        return out

    @cached_property
    def taylor_program(self):
        """V((t - c)**2 + e) as a Program of (t, c, e): derivatives of any order
        along one coordinate t of a pair whose other coordinates give e."""
        import sympy

        t, c, e = sympy.symbols("t c e", real=True)
        s = next(iter(self.sympy_s.free_symbols), None)
        expr = self.sympy_s if s is None else self.sympy_s.xreplace({s: (t - c) ** 2 + e})
        with gc_paused():
            return from_sympy([expr], ["t", "c", "e"], self.text)


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
