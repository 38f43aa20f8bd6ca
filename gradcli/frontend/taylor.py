"""Derivatives of any order along one variable: univariate Taylor-mode
arithmetic over a ``Program`` (Griewank & Walther, *Evaluating Derivatives*,
2nd ed., ch. 13: propagating truncated Taylor series).

Perturb one input, x_k -> x_k + t, hold the others fixed, and carry every
value of the program as its truncated Taylor series in t: an array ``u`` of
shape (N+1,) with ``u[j]`` the coefficient of t**j. Each opcode maps the
series of its arguments to the series of its result with an O(N^2)
recurrence, so order N costs O(N^2) per instruction, where repeated
``autograd.grad(create_graph=True)`` grows exponentially with N. The k-th
derivative is ``k! * coefficient k``.

The rules (one per opcode, in ``RULES``) use four ideas:

* products convolve: (u v)_j = sum_i u_i v_(j-i); quotients solve that for w;
* exp, tan, tanh and sigmoid solve w' = g(w) u' with g a quadratic (``_riccati``);
  sin/cos and sinh/cosh are computed together (``_pair``);
* log, erf and the inverse functions integrate w' = u' f'(u) with f'(u) a
  series built from the others (log: u'/u; atan: u'/(1+u^2); asin:
  u'/sqrt(1-u^2); erf: u' 2/sqrt(pi) exp(-u^2));
* sqrt, cbrt and constant powers use the recurrences for w^2 = u and
  u w' = r w u';
* abs and sign (and their slopes dabs, dsign, in derivative programs) are
  +-u or +-1 away from their kink or jump.

Where the derivatives do not exist (abs at its kink, sqrt of 0, asin at 1,
...) a rule refuses, and ``taylor_derivatives`` raises ``DomainError``
naming the operation and the point, as the rest of the front-end does.

Example (the tutorial's x**3 at 2)::

    >>> import sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> p = from_sympy([sympy.Symbol("x") ** 3], ["x"])
    >>> taylor_derivatives(p, [2.0], 0, 5, ("x",))
    [8.0, 12.0, 12.0, 6.0, 0.0, 0.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import DomainError
from .domain import _error, fmt, format_point
from .ops import SCALAR
from .program import Program, input_position

MAX_ORDER = 100  # 100! is 9e157: past ~170 even the factorials overflow float64


class Refusal(Exception):
    """A rule's reason why the series does not exist (the message's first part)."""


# ----- series arithmetic (arrays of one length n = N+1) ----------------------------


def _mul(u, v):
    return np.convolve(u, v)[: len(u)] if len(u) else u.copy()


def _div(u, v):
    w = np.empty(len(u))
    for j in range(len(u)):
        w[j] = (u[j] - np.dot(w[:j], v[j:0:-1])) / v[0]
    return w


def _sqrt(u):
    w = np.empty(len(u))
    w[0] = math.sqrt(u[0])
    for j in range(1, len(u)):
        w[j] = (u[j] - np.dot(w[1:j], w[j - 1 : 0 : -1])) / (2.0 * w[0])
    return w


def _d(u):
    """du/dt, one coefficient shorter (its last one would need u[N+1])."""
    return np.arange(1, len(u)) * u[1:]


def _integral(w0, du):
    """w with w(0) = w0 and dw/dt = du (du one coefficient shorter than w)."""
    return np.concatenate(([w0], du / np.arange(1, len(du) + 1)))


def _riccati(w0, u, a, b, c):
    """w with w(0) = w0 and w' = (a + b w + c w^2) u':
    j w_j = sum_{i=1..j} i u_i g_(j-i) with g = a + b w + c w^2."""
    n = len(u)
    iu = np.arange(n) * u
    w = np.empty(n)
    g = np.empty(n)
    w[0] = w0
    for j in range(1, n):
        m = j - 1
        g[m] = (a if m == 0 else 0.0) + b * w[m] + c * np.dot(w[:j], w[m::-1])
        w[j] = np.dot(iu[1 : j + 1], g[m::-1]) / j
    return w


def _pair(s0, c0, u, sign):
    """(s, c) with s' = c u' and c' = sign * s u': (sin, cos) for sign -1,
    (sinh, cosh) for +1."""
    n = len(u)
    iu = np.arange(n) * u
    s, c = np.empty(n), np.empty(n)
    s[0], c[0] = s0, c0
    for j in range(1, n):
        s[j] = np.dot(iu[1 : j + 1], c[j - 1 :: -1]) / j
        c[j] = sign * np.dot(iu[1 : j + 1], s[j - 1 :: -1]) / j
    return s, c


def _power(u, r, w0=None):
    """u**r for a constant r and u[0] != 0 (w0: the value at t = 0, if not
    math.pow's): from u w' = r w u',
    j u_0 w_j = sum_{i=1..j} (r i - (j - i)) u_i w_(j-i)."""
    n = len(u)
    w = np.empty(n)
    w[0] = math.pow(u[0], r) if w0 is None else w0
    for j in range(1, n):
        i = np.arange(1, j + 1)
        w[j] = np.dot((r * i - (j - i)) * u[1 : j + 1], w[j - 1 :: -1]) / (j * u[0])
    return w


def _integer_power(u, r: int):
    """u**r for an integer r >= 0 by squaring: exact where u[0] is 0."""
    result = np.zeros(len(u))
    result[0] = 1.0
    while r:
        if r & 1:
            result = _mul(result, u)
        u = _mul(u, u)
        r >>= 1
    return result


def _flat(u) -> bool:
    """True when u is a constant to this order (no t-dependence)."""
    return not u[1:].any()


# ----- one rule per opcode: series of the arguments -> series of the result ----------


def _pow(u, v):
    if _flat(v):
        r = v[0]
        if u[0] != 0.0:
            return _power(u, r)
        if r.is_integer() and r >= 0:
            return _integer_power(u, int(r))
        raise Refusal(f"non-integer power ({fmt(r)}) of zero: the derivatives are not finite")
    if u[0] <= 0.0:
        raise Refusal(
            f"power with a varying exponent of a non-positive base ({fmt(u[0])}): the derivatives are not real"
        )
    return _exp(_mul(v, _log(u)))


def _exp(u):
    return _riccati(math.exp(u[0]), u, 0.0, 1.0, 0.0)


def _log(u):
    return _integral(math.log(u[0]), _div(_d(u), u[:-1]))


def _sqrt_rule(u):
    if u[0] == 0.0:
        raise Refusal("square root of zero: the derivatives are infinite")
    return _sqrt(u)


def _cbrt(u):
    if u[0] == 0.0:
        raise Refusal("cbrt at 0: the derivatives are infinite")
    return _power(u, 1.0 / 3.0, math.cbrt(u[0]))  # the real root, negative u included


def _erf_slope(u):
    """The series of erf'(u) = 2/sqrt(pi) exp(-u^2)."""
    return (2.0 / math.sqrt(math.pi)) * _exp(-_mul(u, u))


def _erf(u):
    return _integral(math.erf(u[0]), _mul(_d(u), _erf_slope(u)[:-1]))


def _erfc(u):
    return _integral(math.erfc(u[0]), -_mul(_d(u), _erf_slope(u)[:-1]))


def _sin(u):
    return _pair(math.sin(u[0]), math.cos(u[0]), u, -1.0)[0]


def _cos(u):
    return _pair(math.sin(u[0]), math.cos(u[0]), u, -1.0)[1]


def _sinh(u):
    return _pair(math.sinh(u[0]), math.cosh(u[0]), u, 1.0)[0]


def _cosh(u):
    return _pair(math.sinh(u[0]), math.cosh(u[0]), u, 1.0)[1]


def _inverse(name, value, derivative, edge):
    """The rule for an inverse function f: f(u) = f(u_0) + integral of u' f'(u);
    ``derivative(u)`` is the series of f'(u), ``edge(u0)`` true where f' is infinite."""

    def rule(u):
        if edge(u[0]):
            raise Refusal(f"{name} at {fmt(u[0])}: the derivatives are infinite")
        return _integral(value(u[0]), _mul(_d(u), derivative(u)[:-1]))

    return rule


def _one(u):
    e = np.zeros(len(u))
    e[0] = 1.0
    return e


def _recip(u):
    return _div(_one(u), u)


def _abs(u):
    return _sign_of_kink(u, "abs") * u


def _sign(u):
    return _sign_of_kink(u, "sign") * _one(u)


def _dabs(u):  # the slope of abs: its sign, where abs is smooth
    return _sign_of_kink(u, "abs") * _one(u)


def _dsign(u):  # the slope of sign: zero, where sign is smooth
    return _sign_of_kink(u, "sign") * 0.0 * u


def _sign_of_kink(u, name) -> float:
    """The sign of u near t = 0: that of u_0, or at u_0 = 0 that of the first
    non-zero coefficient if its power of t is even (|t^2| = t^2 is smooth)."""
    nonzero = np.flatnonzero(u)
    if len(nonzero) == 0:
        return 0.0
    first = nonzero[0]
    if first == 0 or (name == "abs" and first % 2 == 0):
        return math.copysign(1.0, u[first])
    what = "kink" if name == "abs" else "jump"
    raise Refusal(f"{name} at its {what} (argument 0): the derivatives are not defined")


def _atan2(y, x):
    if x[0] == 0.0 and y[0] == 0.0:
        raise Refusal("atan2 at (0, 0): the derivatives are not defined")
    # d atan2(y, x) = (x dy - y dx) / (x^2 + y^2)
    numerator = _mul(x[:-1], _d(y)) - _mul(y[:-1], _d(x))
    return _integral(math.atan2(y[0], x[0]), _div(numerator, (_mul(x, x) + _mul(y, y))[:-1]))


RULES = {
    "add": lambda u, v: u + v,
    "sub": lambda u, v: u - v,
    "mul": _mul,
    "div": lambda u, v: _div(u, v),
    "neg": lambda u: -u,
    "pow": _pow,
    "atan2": _atan2,
    "exp": _exp,
    "log": _log,
    "sqrt": _sqrt_rule,
    "sin": _sin,
    "cos": _cos,
    "tan": lambda u: _riccati(math.tan(u[0]), u, 1.0, 0.0, 1.0),  # tan' = 1 + tan^2
    "sinh": _sinh,
    "cosh": _cosh,
    "tanh": lambda u: _riccati(math.tanh(u[0]), u, 1.0, 0.0, -1.0),  # tanh' = 1 - tanh^2
    "sigmoid": lambda u: _riccati(SCALAR["sigmoid"](u[0]), u, 0.0, 1.0, -1.0),  # s' = s - s^2
    "asin": _inverse("asin", math.asin, lambda u: _recip(_sqrt(_one(u) - _mul(u, u))), lambda a: abs(a) == 1.0),
    "acos": _inverse("acos", math.acos, lambda u: -_recip(_sqrt(_one(u) - _mul(u, u))), lambda a: abs(a) == 1.0),
    "atan": _inverse("atan", math.atan, lambda u: _recip(_one(u) + _mul(u, u)), lambda a: False),
    "asinh": _inverse("asinh", math.asinh, lambda u: _recip(_sqrt(_one(u) + _mul(u, u))), lambda a: False),
    "acosh": _inverse("acosh", math.acosh, lambda u: _recip(_sqrt(_mul(u, u) - _one(u))), lambda a: a == 1.0),
    "atanh": _inverse("atanh", math.atanh, lambda u: _recip(_one(u) - _mul(u, u)), lambda a: abs(a) == 1.0),
    "cbrt": _cbrt,
    "erf": _erf,
    "erfc": _erfc,
    "abs": _abs,
    "sign": _sign,
    "dabs": _dabs,
    "dsign": _dsign,
}


# ----- the sweep ------------------------------------------------------------------


def taylor_coefficients(
    program: Program, point: Sequence[float], k: int, order: int, variables: Sequence[str] | None = None
) -> np.ndarray:
    """The Taylor coefficients, shape (order+1,), of the program's first
    output in t at ``point`` (shape (n_inputs,)) moved to ``point + t e_k``.

    Only the instructions that depend on input k carry a series; the others
    are evaluated once as floats. Raises DomainError naming the operation
    and the point where a series does not exist or overflows."""
    variables = tuple(variables or program.names)
    n = order + 1
    values: list = [None] * len(program.instrs)
    varying = [False] * len(program.instrs)
    with np.errstate(all="ignore"):
        for i, ins in enumerate(program.instrs):
            if ins.op == "input":
                values[i] = float(point[input_position(ins)])
                varying[i] = ins.attr == k
                if varying[i]:
                    series = np.zeros(n)
                    series[0] = values[i]
                    series[1:2] = 1.0
                    values[i] = series
                continue
            if ins.op == "const":
                values[i] = ins.attr
                continue
            try:
                if not any(varying[a] for a in ins.args):
                    values[i] = SCALAR[ins.op](*(values[a] for a in ins.args))
                    continue
                varying[i] = True
                result = RULES[ins.op](*(values[a] if varying[a] else _constant(values[a], n) for a in ins.args))
            except (Refusal, ValueError, OverflowError, ZeroDivisionError) as refusal:
                raise _domain_error(
                    str(refusal)
                    if isinstance(refusal, Refusal)
                    else f"{ins.op} failed in the Taylor coefficients ({refusal})",
                    ins.op,
                    variables,
                    point,
                ) from None
            if not np.isfinite(result).all():
                raise _domain_error(
                    f"overflow in the Taylor coefficients of {ins.op}", ins.op, variables, point, reason="overflow"
                )
            values[i] = result
    out = program.outputs[0]
    return values[out] if varying[out] else _constant(values[out], n)


def _constant(c: float, n: int) -> np.ndarray:
    series = np.zeros(n)
    series[0] = c
    return series


def _domain_error(what, op, variables, point, reason="domain") -> DomainError:
    return _error(
        f"{what} at {format_point(variables, point)}", reason, op, np.asarray(point, dtype=np.float64), variables
    )


def taylor_derivatives(
    program: Program, point: Sequence[float], k: int, order: int, variables: Sequence[str] | None = None
) -> list[float]:
    """[d^j out_0 / d x_k^j for j = 0..order] at ``point`` (shape (n_inputs,)),
    the other inputs held fixed: j! times the Taylor coefficients.

    >>> import sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> taylor_derivatives(from_sympy([sympy.exp(sympy.Symbol("x"))], ["x"]), [0.0], 0, 3)
    [1.0, 1.0, 1.0, 1.0]
    """
    variables = tuple(variables or program.names)
    coefficients = taylor_coefficients(program, point, k, order, variables)
    with np.errstate(all="ignore"):
        factorials = np.cumprod(np.concatenate(([1.0], np.arange(1.0, order + 1))))
        result = coefficients * factorials
    bad = np.flatnonzero(~np.isfinite(result))
    if len(bad):
        raise _domain_error(
            f"the derivative of order {bad[0]} overflows float64", None, variables, point, reason="overflow"
        )
    return [float(d) + 0.0 for d in result]
