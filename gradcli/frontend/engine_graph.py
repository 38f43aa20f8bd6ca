"""Evaluating a Program with the engine's Tensor operations, which records the
engine's autograd graph: "the potential compiled to the engine".

Each opcode maps to the engine function of the same meaning (``exp``,
``Tensor.__mul__``, ...); the few without an engine primitive are written in
engine operations (``asinh(x) = log(x + sqrt(x*x + 1))``) or, where that
cannot be done (erf, cbrt), are an engine ``Function`` whose backward is
written in engine operations. Higher derivatives
then come from the engine itself: ``nth_derivatives`` calls
``gradcli.autograd.grad(..., create_graph=True)`` repeatedly, like the
tutorial.

Example::

    >>> import gradcli as torch, sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> x = torch.tensor(2.0, requires_grad=True)
    >>> (y,) = evaluate(from_sympy([sympy.Symbol("x") ** 3], ["x"]), [x])
    >>> nth_derivatives(y, x, 3)                  # x**3, 3 x**2, 6 x, 6 at x = 2
    [8.0, 12.0, 12.0, 6.0]
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from .program import Program, input_position

# The engine (and numpy) load on first use: `gradcli descend` never needs them.
if TYPE_CHECKING:
    import numpy as np

    from .. import autograd
    from ..autograd import creation, dtypes, function
    from ..autograd import ops_arith as arith
    from ..autograd import ops_unary as unary
else:
    np = LazyModule("numpy", globals(), "np")
    autograd = LazyModule("gradcli.autograd", globals(), "autograd")
    creation = LazyModule("gradcli.autograd.creation", globals(), "creation")
    dtypes = LazyModule("gradcli.autograd.dtypes", globals(), "dtypes")
    unary = LazyModule("gradcli.autograd.ops_unary", globals(), "unary")
    arith = LazyModule("gradcli.autograd.ops_arith", globals(), "arith")
    function = LazyModule("gradcli.autograd.function", globals(), "function")


def is_tensor(v) -> bool:
    return isinstance(v, autograd.Tensor)


def _tensor(v):
    """Constants as 0-d float64 tensors so that engine functions accept them."""
    return v if is_tensor(v) else creation.tensor(float(v), dtype=dtypes.float64)


def _unary(name):
    def apply(x):
        return getattr(unary, name)(_tensor(x))

    return apply


def _constant(values):
    """A tensor of ``values`` with no derivative (sign, and the slopes of abs and sign)."""
    return creation.tensor(values, dtype=dtypes.float64)


def _value(x):
    return x.detach().numpy() if is_tensor(x) else np.asarray(x, dtype=np.float64)


def _sign(x):
    # sign has derivative zero: a constant with the right values will do.
    return _constant(np.sign(_value(x)))


def _dabs(x):
    v = _value(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _constant(np.sign(v) / (v != 0.0))  # NaN at the kink, like ops.ARRAY


def _dsign(x):
    v = _value(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _constant(0.0 / (v != 0.0))


def _asinh(x):
    x = _tensor(x)
    return unary.log(x + unary.sqrt(x * x + 1.0))


def _acosh(x):
    x = _tensor(x)
    return unary.log(x + unary.sqrt(x * x - 1.0))


def _atanh(x):
    x = _tensor(x)
    return 0.5 * unary.log((1.0 + x) / (1.0 - x))


@cache
def _functions():
    """The engine Functions for the primitives with no engine operation of
    their own: forward in numpy, backward in engine operations (so the
    engine differentiates them again, to any order). Built on first use."""
    two_over_sqrt_pi = 2.0 / math.sqrt(math.pi)

    def values(f, x):
        return creation.tensor(np.vectorize(f, otypes=[np.float64])(x.detach().numpy()), dtype=dtypes.float64)

    class Erf(function.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return values(math.erf, x)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * two_over_sqrt_pi * unary.exp(-(x * x))

    class Erfc(function.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return values(math.erfc, x)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return -(grad * two_over_sqrt_pi * unary.exp(-(x * x)))

    class Cbrt(function.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return values(math.cbrt, x)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            root = Cbrt.apply(x)
            return grad / (3.0 * root * root)

    return {"erf": Erf, "erfc": Erfc, "cbrt": Cbrt}


def _function(name):
    def apply(x):
        return _functions()[name].apply(_tensor(x))

    return apply


def _pow(a, b):
    return _tensor(a) ** b if not is_tensor(a) and is_tensor(b) else a**b


# opcode -> the engine operation (one row per primitive of functions.PRIMITIVES)
ENGINE = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "neg": operator.neg,
    "pow": _pow,
    "atan2": lambda a, b: arith.atan2(_tensor(a), _tensor(b)),
    "sign": _sign,
    "asinh": _asinh,
    "acosh": _acosh,
    "atanh": _atanh,
    "dabs": _dabs,
    "dsign": _dsign,
    **{name: _function(name) for name in ("erf", "erfc", "cbrt")},
    **{
        name: _unary(name)
        for name in (
            "exp",
            "log",
            "sqrt",
            "sin",
            "cos",
            "tan",
            "sinh",
            "cosh",
            "tanh",
            "asin",
            "acos",
            "atan",
            "abs",
            "sigmoid",
        )
    },
}


def evaluate(program: Program, inputs: Sequence) -> list:
    """The program's outputs computed with engine operations on ``inputs``
    (Tensors of one shape, or floats; one per program input). Outputs that
    do not depend on any Tensor input come back as floats."""
    values: list = []
    for ins in program.instrs:
        if ins.op == "input":
            values.append(inputs[input_position(ins)])
        elif ins.op == "const":
            values.append(ins.attr)
        else:
            values.append(ENGINE[ins.op](*(values[a] for a in ins.args)))
    return [values[o] for o in program.outputs]


def nth_derivatives(y, x, order: int) -> list[float]:
    """[y, dy/dx, ..., d^order y/dx^order] as floats, for a 0-d tensor x that
    requires grad, by repeated ``autograd.grad(create_graph=True)``. A
    derivative that no longer depends on x ends the chain with zeros."""
    results = [float(y.item()) if is_tensor(y) else float(y)]
    current = y
    for _ in range(order):
        if not (is_tensor(current) and current.requires_grad):
            results.append(0.0)
            current = 0.0
            continue
        (d,) = autograd.grad(current, x, create_graph=True, allow_unused=True)
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
    x = creation.tensor(float(point[k]), dtype=dtypes.float64, requires_grad=True)
    inputs = [x if i == k else float(c) for i, c in enumerate(point)]
    with np.errstate(all="ignore"):
        (y,) = evaluate(program, inputs)
        return nth_derivatives(y, x, order)
