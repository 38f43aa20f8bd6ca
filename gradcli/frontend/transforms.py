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

    >>> import sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> p = from_sympy([sympy.Symbol("x") ** 3], ["x"])
    >>> print(grad_program(p))           # outputs: x**3, 3*x**2
    v0 = input 0 (x)
    v1 = mul v0 v0
    v2 = mul v0 v1
    v3 = add v1 v1
    v4 = add v1 v3
    return v2, v4
    >>> hessian_program(p).outputs      # x**3, 3*x**2, d2/dx2 = 6*x
    (2, 4, 7)
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
    "add": (lambda b, grad, result, self, other: grad, lambda b, grad, result, self, other: grad),
    "sub": (lambda b, grad, result, self, other: grad, lambda b, grad, result, self, other: b.neg(grad)),
    "mul": (
        lambda b, grad, result, self, other: b.mul(grad, other),
        lambda b, grad, result, self, other: b.mul(grad, self),
    ),
    "div": (
        lambda b, grad, result, self, other: b.div(grad, other),
        lambda b, grad, result, self, other: b.neg(b.div(b.mul(grad, result), other)),
    ),
    "pow": (
        lambda b, grad, result, self, other: b.mul(grad, b.mul(other, b.fn("pow", self, b.sub(other, 1.0)))),
        lambda b, grad, result, self, other: b.mul(grad, b.mul(result, b.fn("log", self))),
    ),
    "atan2": (
        lambda b, grad, result, self, other: b.div(b.mul(grad, other), b.add(b.mul(self, self), b.mul(other, other))),
        lambda b, grad, result, self, other: b.neg(
            b.div(b.mul(grad, self), b.add(b.mul(self, self), b.mul(other, other)))
        ),
    ),
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
    "asin": (lambda b, grad, result, self, other: b.div(grad, b.fn("sqrt", b.sub(1.0, b.mul(self, self)))),),
    "acos": (lambda b, grad, result, self, other: b.neg(b.div(grad, b.fn("sqrt", b.sub(1.0, b.mul(self, self))))),),
    "atan": (lambda b, grad, result, self, other: b.div(grad, b.add(1.0, b.mul(self, self))),),
    "asinh": (lambda b, grad, result, self, other: b.div(grad, b.fn("sqrt", b.add(b.mul(self, self), 1.0))),),
    "acosh": (lambda b, grad, result, self, other: b.div(grad, b.fn("sqrt", b.sub(b.mul(self, self), 1.0))),),
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
    active: list[bool] = []
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


def _forward_cone(b: Builder, upto: int, seeds, needed: set[int] | None = None) -> list[int]:
    """The values among 0..upto-1 that depend on ``seeds`` (and, if given, are
    in ``needed``), in order: the only ones a forward sweep from those seeds
    has to visit."""
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
            if u not in reached and (needed is None or u in needed):
                reached.add(u)
                stack.append(u)
    return sorted(reached)


def _ancestors(b: Builder, values) -> set[int]:
    """``values`` and every value they are computed from."""
    seen = set(values)
    stack = list(seen)
    instrs = b.instrs
    while stack:
        for a in instrs[stack.pop()].args:
            if a not in seen:
                seen.add(a)
                stack.append(a)
    return seen


def forward_sweep(b: Builder, upto: int, tangents: dict[int, int], needed: set[int] | None = None) -> dict[int, int]:
    """Tangents of b's values 0..upto-1 given the tangents of some of them
    (normally inputs); values with no tangent are absent (structural zeros).
    With ``needed`` (a set closed under taking arguments), only the tangents
    of those values are made."""
    dot = dict(tangents)
    for i in _forward_cone(b, upto, tangents, needed):
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
    entries: list[list[int | None]] = [[None] * n for _ in range(m)]
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


def sparse_hessian_program(
    p: Program, gradient: Program | None = None
) -> tuple[Program, tuple[int, ...], tuple[int, ...]]:
    """(program, rows, cols) for a one-output program: the program's outputs
    are (value, gradient (n), then H[rows[e]][cols[e]] for each entry e), the
    entries being the structurally non-zero ones of the lower triangle
    (rows[e] >= cols[e]), row-major. Every other entry of H is exactly 0.

    Forward mode over reverse mode, one sweep per input with the one-hot
    tangent as the constant 1; each sweep visits only the values that depend
    on that input and that the gradient is computed from, so a separable
    V = sum f(x_i) of n variables costs O(n), not O(n^2).

    >>> import sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> x, y = sympy.symbols("x y")
    >>> program, rows, cols = sparse_hessian_program(from_sympy([x**2 + x*y], ["x", "y"]))
    >>> rows, cols          # H[1][1] = 0 is not an entry
    ((0, 1), (0, 0))
    """
    g = gradient if gradient is not None else grad_program(p)
    b = Builder(g.names, base=g)
    inputs = _inputs(g)
    n = len(inputs)
    grads = g.outputs[1:]
    needed = _ancestors(b, grads)
    entries: dict[tuple[int, int], int] = {}
    for j in range(n):
        if inputs[j] not in needed:  # the gradient does not depend on x_j: column j is zero
            continue
        dot = forward_sweep(b, len(g), {inputs[j]: b.const(1.0)}, needed)
        # Column j of H is the tangent of the gradient; only rows i >= j are kept.
        for i in range(j, n):
            v = dot.get(grads[i])
            if v is not None and b.value_of(v) != 0.0:
                entries[i, j] = v
    keys = sorted(entries)
    program = b.build([*g.outputs, *(entries[k] for k in keys)], primal_size=g.primal_size)
    return program, tuple(i for i, _ in keys), tuple(j for _, j in keys)


def hessian_program(p: Program, gradient: Program | None = None) -> Program:
    """For a one-output program: outputs (value, gradient (n), then the lower
    triangle of the Hessian, row-major: H[0][0], H[1][0], H[1][1], H[2][0],
    ..., n(n+1)/2 of them, zeros included). ``sparse_hessian_program`` gives
    the non-zero entries only (what ``Potential.hessian`` runs)."""
    sparse, rows, cols = sparse_hessian_program(p, gradient)
    b = Builder(sparse.names, base=sparse)
    n = sparse.n_inputs
    skip = 1 + n
    position = {(i, j): e for e, (i, j) in enumerate(zip(rows, cols))}
    zero = b.const(0.0)
    flat = [
        sparse.outputs[skip + position[i, j]] if (i, j) in position else zero for i in range(n) for j in range(i + 1)
    ]
    return b.build([*sparse.outputs[:skip], *flat], primal_size=sparse.primal_size)
