"""Evaluating a Program with the engine's Tensor operations, which records the
engine's autograd graph: "the potential compiled to the engine".

Each opcode maps to the engine function of the same meaning (``gradcli.exp``,
``Tensor.__mul__``, ...); the few without an engine primitive are written in
engine operations (``asinh(x) = log(x + sqrt(x*x + 1))``). Higher derivatives
then come from the engine itself: ``nth_derivatives`` calls
``gradcli.autograd.grad(..., create_graph=True)`` repeatedly, like the
tutorial.

Example::

    >>> x = gradcli.tensor(2.0, requires_grad=True)
    >>> (y,) = evaluate(program, [x])      # program of x**3
    >>> nth_derivatives(y, x, 3)
    [8.0, 12.0, 12.0, 6.0]
"""

from __future__ import annotations

import operator
from typing import Sequence

from .._lazy import LazyModule
from .program import Program

np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)


def _engine():
    import gradcli

    return gradcli


def is_tensor(v) -> bool:
    return isinstance(v, _engine().Tensor)


def _tensor(v):
    """Constants as 0-d float64 tensors so that engine functions accept them."""
    g = _engine()
    return v if is_tensor(v) else g.tensor(float(v), dtype=g.float64)


def _unary(name):
    def apply(x):
        return getattr(_engine(), name)(_tensor(x))

    return apply


def _sign(x):
    g = _engine()
    if hasattr(g, "sign"):
        return g.sign(_tensor(x))
    # sign has derivative zero: a constant with the right values will do.
    value = x.detach().numpy() if is_tensor(x) else np.asarray(x)
    return g.tensor(np.sign(value), dtype=g.float64)


def _asinh(x):
    g = _engine()
    x = _tensor(x)
    return g.log(x + g.sqrt(x * x + 1.0))


def _acosh(x):
    g = _engine()
    x = _tensor(x)
    return g.log(x + g.sqrt(x * x - 1.0))


def _atanh(x):
    g = _engine()
    x = _tensor(x)
    return 0.5 * g.log((1.0 + x) / (1.0 - x))


def _pow(a, b):
    return _tensor(a) ** b if not is_tensor(a) and is_tensor(b) else a ** b


ENGINE = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
    "neg": operator.neg, "pow": _pow,
    "atan2": lambda a, b: _engine().atan2(_tensor(a), _tensor(b)),
    "sign": _sign, "asinh": _asinh, "acosh": _acosh, "atanh": _atanh,
    **{name: _unary(name) for name in (
        "exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh",
        "asin", "acos", "atan", "abs", "sigmoid")},
}


def evaluate(program: Program, inputs: Sequence) -> list:
    """The program's outputs computed with engine operations on ``inputs``
    (Tensors of one shape, or floats; one per program input). Outputs that
    do not depend on any Tensor input come back as floats."""
    values: list = []
    for ins in program.instrs:
        if ins.op == "input":
            values.append(inputs[ins.attr])
        elif ins.op == "const":
            values.append(ins.attr)
        else:
            values.append(ENGINE[ins.op](*(values[a] for a in ins.args)))
    return [values[o] for o in program.outputs]


def nth_derivatives(y, x, order: int) -> list[float]:
    """[y, dy/dx, ..., d^order y/dx^order] as floats, for a 0-d tensor x that
    requires grad, by repeated ``autograd.grad(create_graph=True)``. A
    derivative that no longer depends on x ends the chain with zeros."""
    g = _engine()
    results = [float(y.item()) if is_tensor(y) else float(y)]
    current = y
    for _ in range(order):
        if not (is_tensor(current) and current.requires_grad):
            results.append(0.0)
            current = 0.0
            continue
        (d,) = g.autograd.grad(current, x, create_graph=True, allow_unused=True)
        if d is None:
            results.append(0.0)
            current = 0.0
            continue
        results.append(float(d.item()))
        current = d
    return results


def derivatives_at(program: Program, point, k: int, order: int) -> list[float]:
    """[d^j out_0 / d x_k^j for j = 0..order] at ``point`` (shape (n,)),
    the other coordinates held fixed, computed by the engine."""
    g = _engine()
    x = g.tensor(float(point[k]), dtype=g.float64, requires_grad=True)
    inputs = [x if i == k else float(c) for i, c in enumerate(point)]
    with np.errstate(all="ignore"):
        (y,) = evaluate(program, inputs)
        return nth_derivatives(y, x, order)
