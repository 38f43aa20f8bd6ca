"""Unary elementwise operations (exp, log, trigonometric and hyperbolic
functions, sigmoid, abs, relu, clamp, dtype conversion) and their derivative
rules, written as in ops_arith: ``grad`` in, one gradient per input out.
"""

import numpy as np

from . import backend as B
from .graph import Node, ResultNode, quiet_numpy, restore_numpy
from .tensor import Tensor, _plain, record


def _data(value):
    return value._data if isinstance(value, Tensor) else value


class NegBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return (-grad,)


class ReciprocalBackward0(ResultNode):
    __slots__ = ()

    def backward(self, grad, result):
        return (-grad * result * result,)


class ExpBackward0(ResultNode):
    __slots__ = ()

    def backward(self, grad, result):
        return (grad * result,)


class LogBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (grad / self_,)


class SqrtBackward0(ResultNode):
    __slots__ = ()

    def backward(self, grad, result):
        return (grad / (2 * result),)


class SinBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (grad * B.cos(self_),)


class CosBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (grad * -B.sin(self_),)


class TanBackward0(ResultNode):
    __slots__ = ()

    def backward(self, grad, result):
        return (grad * (1 + result * result),)


class TanhBackward0(ResultNode):
    __slots__ = ()

    def backward(self, grad, result):
        return (grad * (1 - result * result),)


class SinhBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (grad * B.cosh(self_),)


class CoshBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (grad * B.sinh(self_),)


class AsinBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (grad / B.sqrt(1 - self_ * self_),)


class AcosBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (-grad / B.sqrt(1 - self_ * self_),)


class AtanBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_):
        return (grad / (1 + self_ * self_),)


class SigmoidBackward0(ResultNode):
    __slots__ = ()

    def backward(self, grad, result):
        return (grad * result * (1 - result),)


class AbsBackward0(Node):
    __slots__ = ("_meta",)  # sign of the input: piecewise constant, so not differentiated

    def backward(self, grad):
        return (grad * self._meta,)


class ReluBackward0(Node):
    __slots__ = ("_meta",)  # mask input > 0

    def backward(self, grad):
        return (grad * self._meta,)


class ClampBackward1(Node):
    __slots__ = ("_meta",)  # mask min <= input <= max

    def backward(self, grad):
        return (grad * self._meta, None, None)


class ToCopyBackward0(Node):
    __slots__ = ("_meta",)  # dtype of the input

    def backward(self, grad):
        return (B.cast(grad, self._meta),)


def _unary(cls, numpy_function, saves_input, domain=False):
    """Forward of an elementwise function. Where the result is nan or inf (log(0),
    exp(1000)) it is a value, as in PyTorch, never a numpy warning; ``domain`` marks
    the functions with points outside their domain (kept for the reader)."""

    def op(input):
        token = quiet_numpy()
        try:
            data = numpy_function(input._data)
        finally:
            restore_numpy(token)
        return record(cls, data, (input,), (input,) if saves_input else ())

    return op


neg = _unary(NegBackward0, np.negative, False)
reciprocal = _unary(ReciprocalBackward0, np.reciprocal, False, domain=True)
exp = _unary(ExpBackward0, np.exp, False)
log = _unary(LogBackward0, np.log, True, domain=True)
sqrt = _unary(SqrtBackward0, np.sqrt, False, domain=True)
sin = _unary(SinBackward0, np.sin, True)
cos = _unary(CosBackward0, np.cos, True)
tan = _unary(TanBackward0, np.tan, False)
tanh = _unary(TanhBackward0, np.tanh, False)
sinh = _unary(SinhBackward0, np.sinh, True)
cosh = _unary(CoshBackward0, np.cosh, True)
asin = _unary(AsinBackward0, np.arcsin, True, domain=True)
acos = _unary(AcosBackward0, np.arccos, True, domain=True)
atan = _unary(AtanBackward0, np.arctan, True)
for _name, _op in [
    ("neg", neg),
    ("reciprocal", reciprocal),
    ("exp", exp),
    ("log", log),
    ("sqrt", sqrt),
    ("sin", sin),
    ("cos", cos),
    ("tan", tan),
    ("tanh", tanh),
    ("sinh", sinh),
    ("cosh", cosh),
    ("asin", asin),
    ("acos", acos),
    ("atan", atan),
]:
    _op.__name__ = _name
    _op.__doc__ = f"Elementwise {_name}(input); same shape as input."


def sigmoid(input):
    """Elementwise 1 / (1 + exp(-input))."""
    data = input._data
    # exp of a negative argument only: no overflow warning for large |x|.
    e = np.exp(-np.abs(data))
    value = np.where(data >= 0, 1 / (1 + e), e / (1 + e)).astype(data.dtype, copy=False)
    return record(SigmoidBackward0, value, (input,))


def _masked(cls, data, input, mask):
    out = record(cls, data, (input,))
    if out._grad_fn is not None:
        out._grad_fn._meta = mask.astype(data.dtype)
    return out


def abs(input):
    """Elementwise |input| (derivative sign(input), 0 at 0)."""
    return _masked(AbsBackward0, np.abs(input._data), input, np.sign(input._data))


def relu(input):
    """Elementwise max(input, 0)."""
    data = input._data
    return _masked(ReluBackward0, np.maximum(data, 0), input, data > 0)


def clamp(input, min=None, max=None):
    """Elementwise min(max(input, min), max); gradient 1 inside [min, max], 0 outside.

    ``min``/``max``: numbers or tensors taken as constants (no gradient flows to them).
    Example: clamp(tensor([-1., 0.5, 2.]), 0, 1) -> tensor([0.0000, 0.5000, 1.0000]).
    """
    if min is None and max is None:
        raise RuntimeError("gradcli.clamp: At least one of 'min' or 'max' must not be None")
    data = input._data
    lo = -np.inf if min is None else _data(min)
    hi = np.inf if max is None else _data(max)
    value = np.minimum(np.maximum(data, lo), hi)
    out = record(ClampBackward1, value, (input, None, None))
    if out._grad_fn is not None:
        out._grad_fn._meta = ((data >= lo) & (data <= hi)).astype(data.dtype)
    return out


def _convert(input, np_dtype):
    """``input`` as ``np_dtype``; differentiable to floating types only (an integer or
    boolean result never requires grad, as in PyTorch)."""
    if input._data.dtype == np_dtype:
        return input
    if np_dtype.kind != "f":
        return _plain(input._data.astype(np_dtype))
    out = record(ToCopyBackward0, input._data.astype(np_dtype), (input,))
    if out._grad_fn is not None:
        out._grad_fn._meta = input._data.dtype
    return out
