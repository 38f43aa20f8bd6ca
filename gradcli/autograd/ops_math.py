"""Elementwise operations and their derivative rules.

Each operation is a forward function (numpy on ``_data``) and a node class
whose ``backward(grad, *saved)`` is the rule, in PyTorch's derivatives.yaml
vocabulary: ``grad`` is the incoming gradient, ``result`` the forward output.
Rules use operators and ``backend`` helpers only, so they run on numpy arrays
(plain backward) and on Tensors (create_graph) alike.
"""

import math

import numpy as np

from . import backend as B
from .graph import Node, ResultNode
from .tensor import Tensor, _as_array, _plain, record


def _operand(value):
    """Tensors and numbers pass through; arrays and lists become constant tensors."""
    if value.__class__ is Tensor or isinstance(value, (int, float, Tensor)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return _plain(_as_array(value, None))


def _data(value):
    return value._data if isinstance(value, Tensor) else value


def _shapes(a, b, data):
    """Input shapes when broadcasting changed them (else None: nothing to undo)."""
    out_shape = data.shape
    sa = a._data.shape if isinstance(a, Tensor) else out_shape
    sb = b._data.shape if isinstance(b, Tensor) else out_shape
    if sa == out_shape and sb == out_shape:
        return None
    return (sa, sb)


def _unbroadcast_pair(node, ga, gb):
    shapes = node._meta
    if shapes is None:
        return ga, gb
    return (
        None if ga is None else B.unbroadcast(ga, shapes[0]),
        None if gb is None else B.unbroadcast(gb, shapes[1]),
    )


def _needs(node, i):
    # An input that is a constant (number or tensor without grad) needs no gradient.
    return node._next[i][0] is not None


# ***** binary arithmetic *****
class AddBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        return _unbroadcast_pair(self, grad, grad)


class SubBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        return _unbroadcast_pair(self, grad, -grad if _needs(self, 1) else None)


class RsubBackward1(Node):
    __slots__ = ()

    def backward(self, grad):  # number - self
        return (-grad, None)


class MulBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad, self_, other):
        return _unbroadcast_pair(
            self,
            grad * other if _needs(self, 0) else None,
            grad * self_ if _needs(self, 1) else None,
        )


class DivBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad, self_, other):
        return _unbroadcast_pair(
            self,
            grad / other if _needs(self, 0) else None,
            -grad * self_ / (other * other) if _needs(self, 1) else None,
        )


class PowBackward0(Node):
    __slots__ = ()

    def backward(self, grad, self_, exponent):  # tensor ** number
        if exponent == 0:
            return (grad * 0, None)
        if exponent == 2:  # the commonest power: skip a slow power call
            return (grad * 2 * self_, None)
        return (grad * exponent * self_ ** (exponent - 1), None)


class PowBackward1(ResultNode):
    __slots__ = ("_meta",)

    def backward(self, grad, self_, exponent, result):  # tensor ** tensor
        grad_self = grad_exponent = None
        if _needs(self, 0):
            grad_self = B.where(_data(exponent) == 0, 0.0, grad * exponent * self_ ** (exponent - 1))
        if _needs(self, 1):
            # 0 ** y has derivative 0 in y for y >= 0 (PyTorch's convention), not nan.
            zero = (_data(self_) == 0) & (_data(exponent) >= 0)
            grad_exponent = B.where(zero, 0.0, grad * result * B.log(self_))
        return _unbroadcast_pair(self, grad_self, grad_exponent)


class PowBackward2(ResultNode):
    __slots__ = ()

    def backward(self, grad, base, result):  # number ** tensor
        if base == 0:
            return (None, grad * 0)
        return (None, grad * result * math.log(base))


def _binary(cls, ufunc, input, other, saves):
    """Forward of a broadcasting binary operation; ``other`` a Tensor or number."""
    if other.__class__ is Tensor:
        data = ufunc(input._data, other._data)
    else:
        other = _operand(other)
        data = ufunc(input._data, _data(other))
    out = record(cls, data, (input, other), (input, other) if saves else ())
    if out._grad_fn is not None:
        out._grad_fn._meta = _shapes(input, other, data)
    return out


def add(input, other):
    """``input + other`` with broadcasting; either may be a number."""
    return _binary(AddBackward0, np.add, input, other, False)


def sub(input, other):
    """``input - other`` with broadcasting."""
    return _binary(SubBackward0, np.subtract, input, other, False)


def rsub(input, other):
    """``other - input`` for a number ``other`` (PyTorch's RsubBackward1)."""
    other = _operand(other)
    if isinstance(other, Tensor):
        return sub(other, input)
    return record(RsubBackward1, other - input._data, (input, other))


def mul(input, other):
    """``input * other`` with broadcasting."""
    return _binary(MulBackward0, np.multiply, input, other, True)


def div(input, other):
    """``input / other`` with broadcasting (true division)."""
    return _binary(DivBackward0, np.true_divide, input, other, True)


def rdiv(input, other):
    """``other / input`` for a number ``other``: ``reciprocal(input) * other`` as in PyTorch."""
    other = _operand(other)
    if isinstance(other, Tensor):
        return div(other, input)
    return mul(reciprocal(input), other)


def pow(input, exponent):
    """``input ** exponent``; exponent a number (PowBackward0) or a tensor (PowBackward1)."""
    if exponent.__class__ is int or exponent.__class__ is float:
        data = input._data ** exponent
        return record(PowBackward0, data, (input, exponent), (input, exponent))
    exponent = _operand(exponent)
    if not isinstance(input, Tensor):
        return rpow(exponent, input)
    if isinstance(exponent, Tensor):
        data = input._data ** exponent._data
        out = record(PowBackward1, data, (input, exponent), (input, exponent))
        if out._grad_fn is not None:
            out._grad_fn._meta = _shapes(input, exponent, data)
        return out
    return record(PowBackward0, input._data ** exponent, (input, exponent), (input, exponent))


def rpow(input, base):
    """``base ** input`` for a number ``base``."""
    base = _operand(base)
    if isinstance(base, Tensor):
        return pow(base, input)
    return record(PowBackward2, np.power(base, input._data), (base, input), (base,))


# ***** unary functions *****
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


class Atan2Backward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad, self_, other):  # atan2(self, other) = angle of (other, self)
        denominator = self_ * self_ + other * other
        return _unbroadcast_pair(
            self,
            grad * other / denominator if _needs(self, 0) else None,
            -grad * self_ / denominator if _needs(self, 1) else None,
        )


class WhereBackward0(Node):
    __slots__ = ("_meta",)  # (condition, shape of input, shape of other)

    def backward(self, grad):
        condition, shape_a, shape_b = self._meta
        return (
            None,
            B.unbroadcast(grad * condition, shape_a) if _needs(self, 1) else None,
            B.unbroadcast(grad * ~condition, shape_b) if _needs(self, 2) else None,
        )


class ToCopyBackward0(Node):
    __slots__ = ("_meta",)  # dtype of the input

    def backward(self, grad):
        return (B.cast(grad, self._meta),)


def _unary(cls, numpy_function, saves_input):
    def op(input):
        data = numpy_function(input._data)
        return record(cls, data, (input,), (input,) if saves_input else ())

    return op


neg = _unary(NegBackward0, np.negative, False)
reciprocal = _unary(ReciprocalBackward0, np.reciprocal, False)
exp = _unary(ExpBackward0, np.exp, False)
log = _unary(LogBackward0, np.log, True)
sqrt = _unary(SqrtBackward0, np.sqrt, False)
sin = _unary(SinBackward0, np.sin, True)
cos = _unary(CosBackward0, np.cos, True)
tan = _unary(TanBackward0, np.tan, False)
tanh = _unary(TanhBackward0, np.tanh, False)
sinh = _unary(SinhBackward0, np.sinh, True)
cosh = _unary(CoshBackward0, np.cosh, True)
asin = _unary(AsinBackward0, np.arcsin, True)
acos = _unary(AcosBackward0, np.arccos, True)
atan = _unary(AtanBackward0, np.arctan, True)
for _name, _op in [("neg", neg), ("reciprocal", reciprocal), ("exp", exp), ("log", log),
                   ("sqrt", sqrt), ("sin", sin), ("cos", cos), ("tan", tan), ("tanh", tanh),
                   ("sinh", sinh), ("cosh", cosh), ("asin", asin), ("acos", acos), ("atan", atan)]:
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
    """Elementwise min(max(input, min), max); gradient 1 inside [min, max], 0 outside."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    data = input._data
    lo = -np.inf if min is None else _data(min)
    hi = np.inf if max is None else _data(max)
    value = np.minimum(np.maximum(data, lo), hi)
    out = record(ClampBackward1, value, (input, None, None))
    if out._grad_fn is not None:
        out._grad_fn._meta = ((data >= lo) & (data <= hi)).astype(data.dtype)
    return out


def atan2(input, other):
    """Elementwise angle atan2(input, other) in (-pi, pi], with broadcasting."""
    other = _operand(other)
    data = np.arctan2(input._data, _data(other))
    out = record(Atan2Backward0, data, (input, other), (input, other))
    if out._grad_fn is not None:
        out._grad_fn._meta = _shapes(input, other, data)
    return out


def where(condition, input, other):
    """Elementwise ``input`` where ``condition`` else ``other`` (broadcast together)."""
    condition = np.asarray(_data(condition), dtype=bool)
    input, other = _operand(input), _operand(other)
    data = np.where(condition, _data(input), _data(other))
    out = record(WhereBackward0, data, (condition, input, other))
    if out._grad_fn is not None:
        shape = data.shape
        out._grad_fn._meta = (
            np.broadcast_to(condition, shape),
            input._data.shape if isinstance(input, Tensor) else shape,
            other._data.shape if isinstance(other, Tensor) else shape,
        )
    return out


def _convert(input, np_dtype):
    if input._data.dtype == np_dtype:
        return input
    out = record(ToCopyBackward0, input._data.astype(np_dtype), (input,))
    if out._grad_fn is not None:
        out._grad_fn._meta = input._data.dtype
    return out


# ***** comparisons: boolean results, never recorded *****
def _comparison(numpy_function):
    def compare(input, other):
        return _plain(numpy_function(input._data, _data(_operand(other))))

    return compare


lt, le, gt, ge = (_comparison(f) for f in (np.less, np.less_equal, np.greater, np.greater_equal))
eq, ne = _comparison(np.equal), _comparison(np.not_equal)
