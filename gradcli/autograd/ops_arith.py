"""Binary elementwise operations (+ - * / **, atan2, where, maximum, minimum,
comparisons) and their derivative rules.

Each operation is a forward function (numpy on ``_data``) and a node class
whose ``backward(grad, *saved)`` is the rule, in PyTorch's derivatives.yaml
vocabulary: ``grad`` is the incoming gradient, ``result`` the forward output.
Rules use operators and ``backend`` helpers only, so they run on numpy arrays
(plain backward) and on Tensors (create_graph) alike.  Broadcasting is undone
by ``backend.unbroadcast``.
"""

import builtins
import math

import numpy as np

from . import backend as B
from .grad_mode import _state
from .graph import Node, ResultNode, quiet_numpy, restore_numpy
from .ops_unary import reciprocal
from .tensor import Tensor, _as_array, _plain, attach, record

_F64 = B._F64
_cached_number = B._CONSTANTS.get  # only numbers B.number may replace are ever cached


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
# The rules below inline `self._next[i][0] is not None` ("input i needs a
# gradient") and the no-broadcast case: they run for every node of every backward.
class AddBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        if self._meta is None:
            return (grad, grad)
        return _unbroadcast_pair(self, grad, grad)


class SubBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        grad_other = -grad if self._next[1][0] is not None else None
        if self._meta is None:
            return (grad, grad_other)
        return _unbroadcast_pair(self, grad, grad_other)


class RsubBackward1(Node):
    __slots__ = ()

    def backward(self, grad):  # number - self
        return (-grad, None)


class MulBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad, self_, other):
        edges = self._next
        grads = (
            # other may be a Python number (x * 10): B.number makes that multiply cheaper
            grad * B.number(other, grad) if edges[0][0] is not None else None,
            grad * self_ if edges[1][0] is not None else None,
        )
        if self._meta is None:
            return grads
        return _unbroadcast_pair(self, *grads)


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
        # B.number: numpy is faster with the numbers as cached 0-d arrays (same bits)
        if exponent == 2:  # the commonest power: skip a slow power call
            return (grad * B.number(2, grad) * self_, None)
        return (grad * B.number(exponent, grad) * self_ ** B.number(exponent - 1, self_), None)


class PowBackward1(ResultNode):
    __slots__ = ("_meta",)

    def backward(self, grad, self_, exponent, result):  # tensor ** tensor
        grad_self = grad_exponent = None
        if _needs(self, 0):
            # 0 where 0 ** 0 would give 0 * inf; elsewhere the formula itself (PyTorch masks every
            # point with exponent 0, which loses the mixed second derivative there)
            zero = (_data(exponent) == 0) & (_data(self_) == 0)
            grad_self = B.where(zero, 0.0, grad * exponent * self_ ** (exponent - 1))
        if _needs(self, 1):
            # 0 ** y has derivative 0 in y for y >= 0 (PyTorch's convention), not nan.
            zero = (_data(self_) == 0) & (_data(exponent) >= 0)
            grad_exponent = B.where(zero, 0.0, grad * result * B.log(self_))
        return _unbroadcast_pair(self, grad_self, grad_exponent)


class PowBackward2(ResultNode):
    __slots__ = ("_meta",)  # base 0: mask exponent >= 0

    def backward(self, grad, base, result):  # number ** tensor
        if base == 0:
            # PyTorch: 0 where the exponent is >= 0, else result * log(0) (-inf for 0 ** -1)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_base = np.log(np.float64(base))
            return (None, B.where(self._meta, 0.0, grad * result * log_base))
        return (None, grad * result * math.log(base))


def _broadcast_error(a, b):
    a, b = np.shape(a), np.shape(b)
    for i in range(1, builtins.min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and a[-i] != 1 and b[-i] != 1:
            return RuntimeError(
                f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) "
                f"at non-singleton dimension {builtins.max(len(a), len(b)) - i}"
            )
    return RuntimeError(f"shapes {a} and {b} cannot be broadcast together")


def _binary(cls, ufunc, input, other, saves):
    """Forward of a broadcasting binary operation; ``other`` a Tensor or number.

    ``saves`` ("mul", "div" or None): these rules multiply by the other operand,
    so an operand is saved only when the *other* one needs a gradient, as in
    PyTorch (``x * 2`` does not save ``x``: changing x in place afterwards is fine).
    """
    if other.__class__ is Tensor:
        other_data = other._data
        other_grad = other._requires_grad
        operand = other_data
    elif other.__class__ is float or other.__class__ is int:
        other_data = other
        other_grad = False
        operand = input._data
        # B.number(other, operand) with its cache hit inlined (saves a call per operation)
        operand = _cached_number(other) if operand.dtype is _F64 else None
        if operand is None:
            operand = B.number(other, input._data)
    else:
        other = _operand(other)
        operand = other_data = _data(other)
        other_grad = isinstance(other, Tensor) and other._requires_grad
    # PyTorch never warns for inf * 0 or an overflow: numpy's warnings are off for the ufunc.
    token = quiet_numpy()
    try:
        data = ufunc(input._data, operand)
    except ValueError:
        raise _broadcast_error(input._data, other_data) from None
    finally:
        restore_numpy(token)
    if not (_state.enabled and (input._requires_grad or other_grad)):
        return _plain(data)
    saved: tuple
    if saves is None:
        saved = ()
    else:
        # div's rule for `other` also uses `other` itself
        keep_other = input._requires_grad or (saves == "div" and other_grad)
        saved = (input if other_grad else None, other if keep_other else None)
    out = attach(cls, data, (input, other), saved)
    shape = data.shape
    shape_a = input._data.shape
    if other_data.__class__ is np.ndarray:
        shape_b = other_data.shape
        out._grad_fn._meta = None if shape_a == shape and shape_b == shape else (shape_a, shape_b)
    else:  # a number broadcasts to the output's shape
        out._grad_fn._meta = None if shape_a == shape else (shape_a, shape)
    return out


def add(input, other):
    """``input + other`` with broadcasting; either may be a number."""
    return _binary(AddBackward0, np.add, input, other, None)


def sub(input, other):
    """``input - other`` with broadcasting."""
    return _binary(SubBackward0, np.subtract, input, other, None)


def rsub(input, other):
    """``other - input`` for a number ``other`` (PyTorch's RsubBackward1)."""
    other = _operand(other)
    if isinstance(other, Tensor):
        return sub(other, input)
    return record(RsubBackward1, other - input._data, (input, other))


def mul(input, other):
    """``input * other`` with broadcasting."""
    return _binary(MulBackward0, np.multiply, input, other, "mul")


def div(input, other):
    """``input / other`` with broadcasting (true division); x / 0 is inf (or nan), silently."""
    token = quiet_numpy()
    try:
        return _binary(DivBackward0, np.true_divide, input, other, "div")
    finally:
        restore_numpy(token)


def rdiv(input, other):
    """``other / input`` for a number ``other``: ``reciprocal(input) * other`` as in PyTorch."""
    other = _operand(other)
    if isinstance(other, Tensor):
        return div(other, input)
    return mul(reciprocal(input), other)


def pow(input, exponent):
    """``input ** exponent``; exponent a number (PowBackward0) or a tensor (PowBackward1)."""
    if exponent.__class__ is int or exponent.__class__ is float:
        data = input._data
        # B.number(exponent, data) with its cache hit inlined (saves a call per operation)
        operand = _cached_number(exponent) if data.dtype is _F64 else None
        operand = operand if operand is not None else B.number(exponent, data)
        # 0 ** -1 is inf, (-1) ** 0.5 nan and 1e308 ** 2 inf, silently as in PyTorch
        token = quiet_numpy()
        try:
            data = data**operand
        finally:
            restore_numpy(token)
        if _state.enabled and input._requires_grad:
            return attach(PowBackward0, data, (input, exponent), (input, exponent))
        return _plain(data)
    exponent = _operand(exponent)
    if not isinstance(input, Tensor):
        return rpow(exponent, input)
    if isinstance(exponent, Tensor):
        with np.errstate(all="ignore"):
            data = input._data**exponent._data
        out = record(PowBackward1, data, (input, exponent), (input, exponent))
        if out._grad_fn is not None:
            out._grad_fn._meta = _shapes(input, exponent, data)
        return out
    with np.errstate(all="ignore"):
        data = input._data**exponent
    return record(PowBackward0, data, (input, exponent), (input, exponent))


def rpow(input, base):
    """``base ** input`` for a number ``base``."""
    base = _operand(base)
    if isinstance(base, Tensor):
        return pow(base, input)
    with np.errstate(all="ignore"):
        data = np.power(base, input._data)
    out = record(PowBackward2, data, (base, input), (base,))
    if out._grad_fn is not None:
        out._grad_fn._meta = input._data >= 0 if base == 0 else None
    return out


# ***** other binary functions *****
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


class MaximumBackward0(Node):
    __slots__ = ("_meta",)  # (weight of input: 1, 0.5 on ties, 0; input and other shapes)

    def backward(self, grad):
        weight, shape_a, shape_b = self._meta
        return (B.unbroadcast(grad * weight, shape_a), B.unbroadcast(grad * (1 - weight), shape_b))


MinimumBackward0 = type("MinimumBackward0", (MaximumBackward0,), {"__slots__": ()})


def _select_between(cls, input, other, ufunc, better):
    other = _operand(other)
    a, b = input._data, _data(other)
    data = ufunc(a, b)
    out = record(cls, data, (input, other))
    if out._grad_fn is not None:
        weight = np.where(better(a, b), 1.0, np.where(a == b, 0.5, 0.0))
        weight = np.broadcast_to(weight, data.shape).astype(data.dtype)
        out._grad_fn._meta = (weight, np.shape(a), np.shape(b))
    return out


def maximum(input, other):
    """Elementwise larger value; ties split the gradient equally, as in PyTorch."""
    return _select_between(MaximumBackward0, input, other, np.maximum, np.greater)


def minimum(input, other):
    """Elementwise smaller value; ties split the gradient equally."""
    return _select_between(MinimumBackward0, input, other, np.minimum, np.less)


# ***** comparisons: boolean results, never recorded *****
def _comparison(numpy_function):
    def compare(input, other):
        return _plain(numpy_function(input._data, _data(_operand(other))))

    return compare


lt, le, gt, ge = (_comparison(f) for f in (np.less, np.less_equal, np.greater, np.greater_equal))
eq, ne = _comparison(np.equal), _comparison(np.not_equal)
