"""Derivative transformations of a ``Program``: reverse mode (gradient, VJP)
and forward mode (JVP), and their compositions (Hessian, Jacobian).

The derivative rules form ONE table, ``RULES``: for each opcode, one formula
per input, in the words of PyTorch's ``derivatives.yaml`` -- ``grad`` is the
incoming (co)tangent, ``result`` the instruction's own value, ``self`` and
``other`` its first and second arguments. A formula returns ``grad`` times the
partial derivative with respect to that input, so the same table serves both
modes: reverse mode sends ``grad`` = the output's cotangent back to each
input; forward mode sums the formulas applied to each input's tangent.

Formulas emit IR through a ``Builder``, so transformed programs are ordinary
programs and transform again: the Hessian is forward mode over reverse mode.
A value that does not depend on the inputs has no (co)tangent (``None``, a
structural zero), and the builder's folding drops the multiplications by the
constant 1 of one-hot tangents, so the Hessian program only holds the entries'
own arithmetic.

Example::

    >>> p = from_sympy([x**3], ["x"])
    >>> g = grad_program(p)              # outputs: x**3, 3*x**2
    >>> h = hessian_program(p)           # outputs: d2/dx2 = 6*x
"""

from __future__ import annotations

import math

from .program import Builder, Program

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _erf_slope(b: Builder, self: int) -> int:
    """erf'(x) = 2/sqrt(pi) exp(-x^2)."""
    return b.mul(_TWO_OVER_SQRT_PI, b.fn("exp", b.neg(b.mul(self, self))))

# op -> (formula for self, formula for other); each formula(b, grad, result, self, other).
RULES = {
    "add": (lambda b, grad, result, self, other: grad,
            lambda b, grad, result, self, other: grad),
    "sub": (lambda b, grad, result, self, other: grad,
            lambda b, grad, result, self, other: b.neg(grad)),
    "mul": (lambda b, grad, result, self, other: b.mul(grad, other),
            lambda b, grad, result, self, other: b.mul(grad, self)),
    "div": (lambda b, grad, result, self, other: b.div(grad, other),
            lambda b, grad, result, self, other: b.neg(b.div(b.mul(grad, result), other))),
    "pow": (lambda b, grad, result, self, other:
            b.mul(grad, b.mul(other, b.fn("pow", self, b.sub(other, 1.0)))),
            lambda b, grad, result, self, other: b.mul(grad, b.mul(result, b.fn("log", self)))),
    "atan2": (lambda b, grad, result, self, other:
              b.div(b.mul(grad, other), b.add(b.mul(self, self), b.mul(other, other))),
              lambda b, grad, result, self, other:
              b.neg(b.div(b.mul(grad, self), b.add(b.mul(self, self), b.mul(other, other))))),
    "neg": (lambda b, grad, result, self, other: b.neg(grad),),
    "exp": (lambda b, grad, result, self, other: b.mul(grad, result),),
    "log": (lambda b, grad, result, self, other: b.div(grad, self),),
    "sqrt": (lambda b, grad, result, self, other: b.div(b.mul(grad, 0.5), result),),
    "sin": (lambda b, grad, result, self, other: b.mul(grad, b.fn("cos", self)),),
    "cos": (lambda b, grad, result, self, other: b.neg(b.mul(grad, b.fn("sin", self))),),
    "tan": (lambda b, grad, result, self, other: b.mul(grad, b.add(1.0, b.mul(result, result))),),
    "sinh": (lambda b, grad, result, self, other: b.mul(grad, b.fn("cosh", self)),),
    "cosh": (lambda b, grad, result, self, other: b.mul(grad, b.fn("sinh", self)),),
    "tanh": (lambda b, grad, result, self, other: b.mul(grad, b.sub(1.0, b.mul(result, result))),),
    "asin": (lambda b, grad, result, self, other:
             b.div(grad, b.fn("sqrt", b.sub(1.0, b.mul(self, self)))),),
    "acos": (lambda b, grad, result, self, other:
             b.neg(b.div(grad, b.fn("sqrt", b.sub(1.0, b.mul(self, self))))),),
    "atan": (lambda b, grad, result, self, other: b.div(grad, b.add(1.0, b.mul(self, self))),),
    "asinh": (lambda b, grad, result, self, other:
              b.div(grad, b.fn("sqrt", b.add(b.mul(self, self), 1.0))),),
    "acosh": (lambda b, grad, result, self, other:
              b.div(grad, b.fn("sqrt", b.sub(b.mul(self, self), 1.0))),),
    "atanh": (lambda b, grad, result, self, other: b.div(grad, b.sub(1.0, b.mul(self, self))),),
    "cbrt": (lambda b, grad, result, self, other: b.div(grad, b.mul(3.0, b.mul(result, result))),),
    "erf": (lambda b, grad, result, self, other: b.mul(grad, _erf_slope(b, self)),),
    "erfc": (lambda b, grad, result, self, other: b.neg(b.mul(grad, _erf_slope(b, self))),),
    # abs and sign have no derivative at 0: dabs/dsign are sign(x)/0 there, undefined at 0,
    # so every derivative program refuses a kink as the Taylor rules do.
    "abs": (lambda b, grad, result, self, other: b.mul(grad, b.fn("dabs", self)),),
    "sign": (lambda b, grad, result, self, other: b.mul(grad, b.fn("dsign", self)),),
    "dabs": (lambda b, grad, result, self, other: b.mul(grad, b.fn("dsign", self)),),
    "dsign": (lambda b, grad, result, self, other: b.mul(grad, b.fn("dsign", self)),),
    "sigmoid": (lambda b, grad, result, self, other: b.mul(grad, b.mul(result, b.sub(1.0, result))),),
}


def _active(instrs) -> list[bool]:
    """Which values depend on an input (the others have no derivative)."""
    active = []
    for ins in instrs:
        active.append(ins.op == "input" or any(active[a] for a in ins.args))
    return active


def reverse_sweep(b: Builder, upto: int, seeds: dict[int, int]) -> dict[int, int]:
    """Cotangents of b's values 0..upto-1 given the cotangents ``seeds``
    (value index -> cotangent value index); returns value index -> cotangent
    for the values reached (inputs included)."""
    instrs = b.instrs[:upto]
    active = _active(instrs)
    ct = dict(seeds)
    for i in range(upto - 1, -1, -1):
        grad = ct.get(i)
        ins = instrs[i]
        if grad is None or not ins.args:
            continue
        rule = RULES[ins.op]
        args = ins.args + (None,) * (2 - len(ins.args))
        for k, a in enumerate(ins.args):
            if not active[a]:
                continue
            contribution = rule[k](b, grad, i, *args)
            if contribution is not None:
                ct[a] = contribution if a not in ct else b.add(ct[a], contribution)
    return ct


def _forward_cone(b: Builder, upto: int, seeds) -> list[int]:
    """The values among 0..upto-1 that depend on ``seeds``, in order: the
    only ones a forward sweep from those seeds has to visit."""
    users = b.cache.get(("users", upto))
    if users is None:
        users = b.cache[("users", upto)] = [[] for _ in range(upto)]
        for i in range(upto):
            for a in set(b.instrs[i].args):
                users[a].append(i)
    reached = set(seeds)
    stack = list(reached)
    while stack:
        for u in users[stack.pop()]:
            if u not in reached:
                reached.add(u)
                stack.append(u)
    return sorted(reached)


def forward_sweep(b: Builder, upto: int, tangents: dict[int, int]) -> dict[int, int]:
    """Tangents of b's values 0..upto-1 given the tangents of some of them
    (normally inputs); values with no tangent are absent (structural zeros)."""
    dot = dict(tangents)
    for i in _forward_cone(b, upto, tangents):
        ins = b.instrs[i]
        if not ins.args or i in tangents:
            continue
        rule = RULES[ins.op]
        args = ins.args + (None,) * (2 - len(ins.args))
        total = None
        for k, a in enumerate(ins.args):
            a_dot = dot.get(a)
            if a_dot is None:
                continue
            term = rule[k](b, a_dot, i, *args)
            if term is not None:
                total = term if total is None else b.add(total, term)
        if total is not None:
            dot[i] = total
    return dot


def _inputs(program: Program) -> list[int]:
    position = {ins.attr: i for i, ins in enumerate(program.instrs) if ins.op == "input"}
    return [position[k] for k in range(program.n_inputs)]


def _zero_or(b: Builder, v: int | None) -> int:
    return b.const(0.0) if v is None else v


def grad_program(p: Program) -> Program:
    """For a one-output program: outputs (value, d/dx_0, ..., d/dx_{n-1})."""
    (out,) = p.outputs
    b = Builder(p.names, base=p)
    ct = reverse_sweep(b, len(p), {out: b.const(1.0)})
    grads = [_zero_or(b, ct.get(i)) for i in _inputs(p)]
    return b.build([out, *grads], primal_size=p.primal_size)


# Every transform also returns the original outputs first: that keeps the
# whole original computation in the program, so a point outside the
# function's domain is an error even where the derivative formula alone
# would happily give a number (the Hessian of log(x)*y has no log in it).


def vjp_program(p: Program) -> Program:
    """Inputs (x_0..x_{n-1}, v_0..v_{m-1}); outputs (F_0..F_{m-1}, then
    v^T J of shape (n,))."""
    names = p.names + tuple(f"v{i}" for i in range(len(p.outputs)))
    b = Builder(names, base=p)
    seeds: dict[int, int] = {}
    for i, out in enumerate(p.outputs):
        v = b.input(p.n_inputs + i)
        seeds[out] = v if out not in seeds else b.add(seeds[out], v)
    ct = reverse_sweep(b, len(p), seeds)
    vjp = [_zero_or(b, ct.get(i)) for i in _inputs(p)]
    return b.build([*p.outputs, *vjp], primal_size=p.primal_size)


def jvp_program(p: Program) -> Program:
    """Inputs (x_0..x_{n-1}, u_0..u_{n-1}); outputs (F_0..F_{m-1}, then J u
    of shape (m,))."""
    b = Builder(p.names + tuple(f"u{i}" for i in range(p.n_inputs)), base=p)
    inputs = _inputs(p)
    dot = forward_sweep(b, len(p), {x: b.input(p.n_inputs + k) for k, x in enumerate(inputs)})
    jvp = [_zero_or(b, dot.get(o)) for o in p.outputs]
    return b.build([*p.outputs, *jvp], primal_size=p.primal_size)


def jacobian_program(p: Program) -> Program:
    """Outputs (F_0..F_{m-1}, then J[i][j] = dF_i/dx_j in row-major order,
    m*n of them).
    Reverse mode per output when there are fewer outputs than inputs, forward
    mode per input otherwise."""
    b = Builder(p.names, base=p)
    inputs = _inputs(p)
    m, n = len(p.outputs), len(inputs)
    entries = [[None] * n for _ in range(m)]
    if m <= n:
        for i, out in enumerate(p.outputs):
            ct = reverse_sweep(b, len(p), {out: b.const(1.0)})
            entries[i] = [ct.get(x) for x in inputs]
    else:
        for j, x in enumerate(inputs):
            dot = forward_sweep(b, len(p), {x: b.const(1.0)})
            for i, out in enumerate(p.outputs):
                entries[i][j] = dot.get(out)
    flat = [_zero_or(b, e) for row in entries for e in row]
    return b.build([*p.outputs, *flat], primal_size=p.primal_size)


def hessian_program(p: Program, gradient: Program | None = None) -> Program:
    """For a one-output program: outputs (value, gradient (n), then the lower
    triangle of the Hessian, row-major: H[0][0], H[1][0], H[1][1], H[2][0],
    ..., n(n+1)/2 of them).

    Forward mode over reverse mode, one sweep per input with the one-hot
    tangent as the constant 1 (so each sweep touches only what depends on
    that input, and the 1s fold away)."""
    g = gradient if gradient is not None else grad_program(p)
    b = Builder(g.names, base=g)
    inputs = _inputs(g)
    n = len(inputs)
    grads = g.outputs[1:]
    columns = []
    for j in range(n):
        dot = forward_sweep(b, len(g), {inputs[j]: b.const(1.0)})
        # Column j of H is the tangent of the gradient; only rows i >= j are kept.
        columns.append({i: dot.get(grads[i]) for i in range(j, n)})
    flat = [_zero_or(b, columns[j][i]) for i in range(n) for j in range(i + 1)]
    return b.build([*g.outputs, *flat], primal_size=g.primal_size)
